#!/usr/bin/env node
// `npm run build:bundle` (part of `npm run build`): bundles the `sortkey` command (main/cli.ts and
// everything it imports, Chevrotain, commander, decimal.js…) with esbuild into dist/bundle/, which
// bin/sortkey.js runs. Node then reads a few files instead of several hundred ES modules one by
// one (Chevrotain alone pulls in ~600 lodash-es modules), which was most of a cold start.
//
//   sortkey.js    the entry: scripts/bundle-loader.js, which runs sortkey.cjs through V8's code
//                 cache (sortkey.cjs.cache, made by a first run; `bundle()` makes it at build time)
//   sortkey.cjs   the CLI in one CommonJS file: V8 can cache the compiled code of a script but, on
//                 Node 20, not of an ES module. Subcommands stay behind their dynamic import()s,
//                 which esbuild turns into lazily run module bodies, so `--version` runs no engine
//                 code and `serve` no shell code (both are compiled only when first called).
//   chunks/       the read workers' and the import's read threads' scripts (ES modules, sharing
//                 chunks), which engine/workers/pool.ts and engine/dump/readThreads.ts find there.
// Left outside the bundle and loaded from node_modules at run time:
//   better-sqlite3   a native addon (it finds its .node file relative to its own package)
//   @aws-sdk/*       large, and only imported (dynamically) when a remote endpoint is used
//   electron         only present for the desktop app, which runs from the tsc build
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_OUTDIR = join(ROOT, 'dist', 'bundle');
/** The entry file name inside the output folder. */
export const ENTRY_FILE = 'sortkey.js';

const COMMON = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  tsconfig: join(ROOT, 'tsconfig.build.json'),
  external: ['better-sqlite3', '@aws-sdk/*', 'electron'],
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * Builds the bundle into `outdir` (emptied first) and returns the path of its entry file. The
 * folder must be inside the package, so that better-sqlite3 and the AWS SDK resolve from
 * node_modules and the package.json (version) and renderer/dist (studio) are found by walking up.
 * A first `serve` run then writes the code cache, so the first user start has it.
 */
export async function bundle(outdir = DEFAULT_OUTDIR) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...COMMON,
    entryPoints: { sortkey: 'main/cli.ts' },
    outdir,
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    // import() becomes require(): bundle-loader.js runs this file as a vm.Script from V8's code
    // cache, where Node 20 cannot resolve a dynamic import (the AWS SDK packages have CommonJS builds).
    supported: { 'dynamic-import': false },
    // A CommonJS file has no import.meta; the code uses only its url (to find files beside it).
    define: { 'import.meta.url': '__sortkeyImportMetaUrl' },
    banner: { js: "var __sortkeyImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  await build({
    ...COMMON,
    entryPoints: {
      'chunks/sortkey-reader': 'engine/workers/reader.ts',
      'chunks/sortkey-import-reader': 'engine/dump/readWorker.ts',
    },
    outdir,
    splitting: true,
    format: 'esm',
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS packages inside an ES module bundle call require() for Node's built-ins; give them one.
    banner: {
      js: "import { createRequire as __sortkeyCreateRequire } from 'node:module';\nconst require = __sortkeyCreateRequire(import.meta.url);",
    },
  });
  const entry = join(outdir, ENTRY_FILE);
  copyFileSync(join(ROOT, 'scripts', 'bundle-loader.js'), entry);
  await writeCodeCache(entry);
  return entry;
}

/**
 * Starts `serve` from the new bundle, asks it one question and waits for the code cache it writes
 * a second after starting (bundle-loader.js). Best effort: without a cache the first user run
 * writes it.
 */
async function writeCodeCache(entry) {
  const home = mkdtempSync(join(tmpdir(), 'sortkey-bundle-warm-'));
  const child = spawn(process.execPath, [entry, 'serve', '--in-memory', '--port', '0', '--quiet'], {
    env: { ...process.env, SORTKEY_HOME: home, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    const port = await new Promise((resolvePort, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk) => {
        out += chunk;
        const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (match) resolvePort(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`serve exited (${code}) before answering`)));
    });
    await new Promise((resolveAnswer, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': 'DynamoDB_20120810.ListTables',
            authorization:
              'AWS4-HMAC-SHA256 Credential=build/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
          },
        },
        (res) => res.resume().on('end', resolveAnswer),
      );
      req.once('error', reject);
      req.end('{}');
    });
    const cache = `${entry.slice(0, -'.js'.length)}.cjs.cache`;
    for (let waited = 0; !existsSync(cache) && waited < 10_000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    console.warn(`scripts/bundle.js: no code cache written (${err.message}); the first run writes it`);
  } finally {
    child.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_OUTDIR;
  await bundle(out);
}
