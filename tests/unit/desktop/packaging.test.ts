// The desktop installers' configuration (electron-builder.yml) without running electron-builder
// (it downloads Electron, which this machine cannot): the deb target's maintainer, the icons, and
// the packaged file list — every file the app loads is in it, and the SDK and CLI packages the
// app never loads are not. What the app loads is found by esbuild from main/electron/main.ts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);
// Both ship no types here; the shapes used are tiny.
const yaml = require('js-yaml') as { load(text: string): unknown };
const minimatch = require('minimatch') as (path: string, pattern: string, options?: object) => boolean;

interface BuilderConfig {
  icon?: string;
  files: string[];
  extraMetadata?: { main?: string; homepage?: string; author?: { name?: string; email?: string } };
  directories?: { buildResources?: string };
  linux?: { target?: string[]; maintainer?: string; icon?: string };
}

const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** Width and height of a PNG file (from its IHDR chunk), and whether it has an alpha channel. */
function pngSize(path: string): { width: number; height: number; alpha: boolean } {
  const b = readFileSync(path);
  assert.equal(b.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${path} is not a PNG`);
  assert.equal(b.subarray(12, 16).toString('ascii'), 'IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), alpha: b[25] === 6 };
}

/** Production packages the app can reach: the dependencies of those its code imports, recursively. */
function packageClosure(roots: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string, from: string) => {
    if (seen.has(name)) return;
    // Node's lookup: node_modules/<name> in this folder or the nearest one above (exports maps
    // may hide package.json from require.resolve).
    let manifest: string | undefined;
    for (let dir = from; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name, 'package.json');
      if (existsSync(candidate)) {
        manifest = candidate;
        break;
      }
      if (dirname(dir) === dir) break;
    }
    seen.add(name);
    if (!manifest) return; // an optional dependency that is not installed
    const deps = (JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string> })
      .dependencies;
    for (const d of Object.keys(deps ?? {})) visit(d, dirname(manifest));
  };
  for (const r of roots) visit(r, ROOT);
  return seen;
}

/** Whether electron-builder would package a path: node_modules of production deps, else the file patterns. */
function packaged(path: string): boolean {
  let included = path.startsWith('node_modules/');
  for (const p of config.files) {
    const negated = p.startsWith('!');
    if (minimatch(path, negated ? p.slice(1) : p, { dot: true })) included = !negated;
  }
  return included;
}

/** Bare package name of an import specifier (`@scope/name/sub` → `@scope/name`). */
function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('desktop packaging', () => {
  it('gives the deb target a maintainer and a homepage', () => {
    assert.ok(config.linux?.target?.includes('deb'));
    assert.match(config.linux?.maintainer ?? '', /^[^<>]+ <[^@\s<>]+@[^@\s<>]+\.[a-z]+>$/);
    assert.match(config.extraMetadata?.author?.email ?? '', /^[^@\s]+@[^@\s]+\.[a-z]+$/);
    assert.match(config.extraMetadata?.homepage ?? '', /^https:\/\//);
  });

  it('has real icons: a 1024 px PNG and the Linux sizes, square, with transparency', () => {
    assert.equal(config.directories?.buildResources, 'build');
    const main = pngSize(join(ROOT, config.icon ?? 'build/icon.png'));
    assert.deepEqual(main, { width: 1024, height: 1024, alpha: true });
    const dir = join(ROOT, config.linux?.icon ?? 'build/icons');
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      const file = join(dir, `${size}x${size}.png`);
      assert.ok(existsSync(file), `${size}x${size}.png is missing`);
      assert.deepEqual(pngSize(file), { width: size, height: size, alpha: true });
    }
  });

  it('packages every file the app loads and leaves out packages it never loads', async () => {
    const result = await build({
      absWorkingDir: ROOT,
      // The main process, and the worker it starts by file name (engine-client.ts): the engine host.
      entryPoints: ['main/electron/main.ts', 'main/electron/engine-host.ts'],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
      outdir: join(ROOT, '.tmp', 'packaging-test'),
    });
    const imported = new Set<string>();
    const sources: string[] = [];
    for (const [file, input] of Object.entries(result.metafile.inputs)) {
      sources.push(file);
      for (const i of input.imports)
        if (i.external && !i.path.startsWith('node:')) imported.add(packageName(i.path));
    }
    imported.delete('electron'); // Electron itself is the runtime, not a packaged module
    // The app's own code, as tsc compiles it into dist/.
    assert.ok(sources.includes('main/electron/main.ts'));
    for (const source of sources) {
      const compiled = `dist/${source.replace(/\.ts$/, '.js').replace(/\.cts$/, '.cjs')}`;
      assert.ok(packaged(compiled), `${compiled} (imported by the app) is not packaged`);
    }
    for (const extra of ['package.json', 'dist/main/electron/preload.cjs', 'renderer/dist/index.html'])
      assert.ok(packaged(extra), `${extra} is not packaged`);
    assert.ok(!packaged('dist/main/electron/main.js.map'));
    // Packages: what the app imports (the SDK only dynamically, for remote connections) is a
    // production dependency and packaged; production dependencies outside its reach are not.
    assert.ok(imported.has('better-sqlite3'));
    assert.ok(imported.has('@aws-sdk/client-dynamodb'), 'remote connections load the SDK');
    assert.ok(imported.has('tar'), 'the studio packs and unpacks export-folder archives with tar');
    const reachable = packageClosure(imported);
    for (const name of imported) {
      assert.ok(pkg.dependencies[name] !== undefined, `${name} is imported by the app but not a dependency`);
      assert.ok(packaged(`node_modules/${name}/package.json`), `${name} is imported by the app but left out`);
    }
    const left = Object.keys(pkg.dependencies).filter((d) => !reachable.has(d));
    assert.ok(left.includes('@aws-sdk/client-dynamodb-streams'));
    assert.ok(left.includes('@aws-sdk/lib-dynamodb'));
    // SDK packages the app never loads stay out (others may be left out too, as long as unused).
    for (const name of left.filter((n) => n.startsWith('@aws-sdk/'))) {
      assert.ok(
        !packaged(`node_modules/${name}/package.json`),
        `${name} is never loaded by the app but packaged`,
      );
      assert.ok(!packaged(`node_modules/${name}/dist-cjs/index.js`));
    }
    // And nothing left out is needed by what stays.
    for (const name of reachable) assert.ok(packaged(`node_modules/${name}/package.json`), name);
  });
});
