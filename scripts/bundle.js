#!/usr/bin/env node
// `npm run build:bundle` (part of `npm run build`): bundles the `sortkey` command (main/cli.ts and
// everything it imports, Chevrotain, commander, decimal.js…) with esbuild into dist/bundle/, which
// bin/sortkey.js runs. Node then loads a handful of files instead of several hundred ES modules one
// by one (Chevrotain alone pulls in ~600 lodash-es modules), which is most of a cold start.
//
// Code splitting keeps each subcommand's own code in chunks loaded by its dynamic import(), so
// `sortkey --version` does not read the engine and `sortkey serve` does not read the shell.
// Left outside the bundle and loaded from node_modules at run time:
//   better-sqlite3   a native addon (it finds its .node file relative to its own package)
//   @aws-sdk/*       large, and only imported (dynamically) when a remote endpoint is used
//   electron         only present for the desktop app, which runs from the tsc build
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_OUTDIR = join(ROOT, 'dist', 'bundle');
/** The entry file name inside the output folder. */
export const ENTRY_FILE = 'sortkey.js';

/**
 * Builds the bundle into `outdir` (emptied first) and returns the path of its entry file. The
 * folder must be inside the package, so that better-sqlite3 and the AWS SDK resolve from
 * node_modules and the package.json (version) and renderer/dist (studio) are found by walking up.
 */
export async function bundle(outdir = DEFAULT_OUTDIR) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    // The read workers' thread script (engine/workers/pool.ts looks for it beside its own chunk),
    // and the import's read threads' (engine/dump/readThreads.ts does the same).
    entryPoints: {
      sortkey: 'main/cli.ts',
      'chunks/sortkey-reader': 'engine/workers/reader.ts',
      'chunks/sortkey-import-reader': 'engine/dump/readWorker.ts',
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    tsconfig: join(ROOT, 'tsconfig.build.json'),
    external: ['better-sqlite3', '@aws-sdk/*', 'electron'],
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS packages inside an ES module bundle call require() for Node's built-ins; give them one.
    banner: {
      js: "import { createRequire as __sortkeyCreateRequire } from 'node:module';\nconst require = __sortkeyCreateRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  return join(outdir, ENTRY_FILE);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_OUTDIR;
  await bundle(out);
}
