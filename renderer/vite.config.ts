// Vite build of Sortkey Studio (renderer/ → renderer/dist). Relative asset URLs (`base: './'`) let
// the same build load under /studio/ in browser mode and from sortkey://studio/ in Electron.
// Monaco's editor worker is bundled as a module worker (see src/editor/monaco.ts), and Monaco itself
// is a chunk fetched when the first editor opens (src/editor/load.ts).
//
// Development: `npx vite --config renderer/vite.config.ts` serves the UI with hot reload and proxies
// /api/* to a running `sortkey serve` (SORTKEY_URL, default http://127.0.0.1:8000, with
// SORTKEY_STUDIO_TOKEN = the token its banner prints).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const target = process.env.SORTKEY_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 6000,
    reportCompressedSize: false,
    // Monaco's worker bundle is slow to load by nature; no report about it on every build.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  worker: { format: 'es' },
  server: {
    fs: { allow: ['..'] },
    proxy: {
      '/api/': {
        target,
        changeOrigin: true,
        rewrite: (path) => `/studio${path}`,
        headers: { 'x-sortkey-token': process.env.SORTKEY_STUDIO_TOKEN ?? '' },
        // The studio refuses cross-origin calls; through the proxy the call is the dev server's own.
        configure: (proxy) => proxy.on('proxyReq', (req) => req.removeHeader('origin')),
      },
    },
  },
});
