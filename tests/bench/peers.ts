// The servers the endpoint benchmarks compare, each started in a child process of its own so the
// load generator (in the parent) never shares an event loop with the server it measures:
//
//   sortkey-file     `sortkey serve --db FILE` — Sortkey's default: a SQLite file (WAL). The CLI is
//                    bin/sortkey.js on an up-to-date dist/bundle build, else main/cli.ts through tsx
//   sortkey-memory   `sortkey serve --in-memory`
//   dynalite-memory  dynalite 4 (the other Node engine, LevelDB API) on memory-level
//   dynalite-disk    dynalite 4 on a LevelDB directory (classic-level)
//   bare-http        a node:http server that reads each request and answers it with a canned response
//                    of the size Sortkey gives for that operation, with the same headers (x-amz-crc32,
//                    x-amzn-RequestId, Content-Type, Content-Length): the transport's ceiling.
//   sortkey-handler  (diagnostic, opt-in) Sortkey's own endpoint (main/server: parsing, checks,
//                    JSON, CRC) in front of a stub engine that returns the canned response objects:
//                    the endpoint's cost without the database's.
//
// Run as a script (`node --import tsx tests/bench/peers.ts child <dynalite|bare> …`), this file is
// the child that hosts dynalite or the bare server; it prints its URL and stops on SIGTERM.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);

export type PeerKind =
  'sortkey-file' | 'sortkey-memory' | 'dynalite-memory' | 'dynalite-disk' | 'bare-http' | 'sortkey-handler';

/** Operations dynalite 4 does not implement (it answers them UnknownOperationException). */
const DYNALITE_MISSING = new Set([
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
  'TransactWriteItems',
  'TransactGetItems',
]);

export interface Peer {
  readonly kind: PeerKind;
  readonly port: number;
  readonly pid: number;
  /** Whether the server implements a DynamoDB operation (dynalite lacks PartiQL and transactions). */
  supports(operation: string): boolean;
  /** SIGTERM, wait for exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

export interface StartPeerOptions {
  /** sortkey-file: the database file. dynalite-disk: the LevelDB directory. */
  readonly path?: string;
  /** bare-http: a JSON file mapping an operation name to the response body to send for it. */
  readonly cannedFile?: string;
  /** Run the child under `node --cpu-prof`, profiles written to this folder when it stops. */
  readonly profileDir?: string;
  /** sortkey-file / sortkey-memory: further `sortkey serve` flags (`--read-workers 0`, say). */
  readonly serveArgs?: readonly string[];
}

/** Starts a peer in a child process and resolves once it listens on 127.0.0.1 (random port). */
export async function startPeer(kind: PeerKind, options: StartPeerOptions = {}): Promise<Peer> {
  const nodeFlags = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  let args: string[];
  switch (kind) {
    case 'sortkey-file':
      if (!options.path) throw new Error('sortkey-file needs a database path');
      args = sortkeyServeArgs(['--port', '0', '--quiet', '--db', options.path, ...(options.serveArgs ?? [])]);
      break;
    case 'sortkey-memory':
      args = sortkeyServeArgs(['--port', '0', '--quiet', '--in-memory', ...(options.serveArgs ?? [])]);
      break;
    case 'dynalite-memory':
      args = ['--import', 'tsx', THIS_FILE, 'child', 'dynalite'];
      break;
    case 'dynalite-disk':
      if (!options.path) throw new Error('dynalite-disk needs a directory');
      args = ['--import', 'tsx', THIS_FILE, 'child', 'dynalite', options.path];
      break;
    case 'bare-http':
      if (!options.cannedFile) throw new Error('bare-http needs its canned responses');
      args = ['--import', 'tsx', THIS_FILE, 'child', 'bare', options.cannedFile];
      break;
    case 'sortkey-handler':
      if (!options.cannedFile) throw new Error('sortkey-handler needs its canned responses');
      args = ['--import', 'tsx', THIS_FILE, 'child', 'handler', options.cannedFile];
      break;
  }
  const child = spawn(process.execPath, [...nodeFlags, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const port = await waitForUrl(child, kind);
  const isDynalite = kind === 'dynalite-memory' || kind === 'dynalite-disk';
  return {
    kind,
    port,
    pid: child.pid!,
    supports: (op) => !(isDynalite && DYNALITE_MISSING.has(op)),
    stop: () => stopChild(child),
  };
}

/** Newest modification time of the TypeScript sources under these folders. */
function newestSource(dirs: string[]): number {
  let newest = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return newest;
}

/** A build output, and whether it is older than the sources (as bin/sortkey.js judges it). */
function buildState(file: string): { built: number; stale: boolean } | undefined {
  if (!existsSync(file)) return undefined;
  const built = statSync(file).mtimeMs;
  const sources = ['engine', 'main', 'grammar', 'common'].map((d) => join(ROOT, d));
  return { built, stale: newestSource(sources) > built };
}

/** The CLI bundle bin/sortkey.js runs (scripts/bundle.js, part of `npm run build`). */
export const BUNDLE_ENTRY = join(ROOT, 'dist', 'bundle', 'sortkey.js');

/**
 * Node arguments that start `sortkey serve` on the current code: `bin/sortkey.js` (which runs the
 * bundle) when the bundle is up to date, otherwise main/cli.ts through tsx — what bin does without
 * a build — so a stale build is never what gets measured or tested.
 */
export function sortkeyServeArgs(serveArgs: readonly string[]): string[] {
  const bundle = buildState(BUNDLE_ENTRY);
  if (bundle && !bundle.stale) return [join(ROOT, 'bin/sortkey.js'), 'serve', ...serveArgs];
  return ['--import', 'tsx', join(ROOT, 'main/cli.ts'), 'serve', ...serveArgs];
}

/** True when dist/ holds a current tsc build of the sources (dist/grammar, dist/engine…). */
export function distIsCurrent(): boolean {
  const dist = buildState(join(ROOT, 'dist', 'main', 'cli.js'));
  return dist !== undefined && !dist.stale;
}

/** True when the CLI bundle is current (what `sortkey` itself runs). */
export function bundleIsCurrent(): boolean {
  const bundle = buildState(BUNDLE_ENTRY);
  return bundle !== undefined && !bundle.stale;
}

/** One line saying which code `sortkeyServeArgs` runs. */
export function sortkeyBuildInfo(): string {
  const bundle = buildState(BUNDLE_ENTRY);
  if (!bundle) return 'from the TypeScript sources through tsx (no dist/bundle build)';
  if (bundle.stale)
    return 'from the TypeScript sources through tsx (the dist/bundle build is older than the sources)';
  return `from the dist/bundle build of ${new Date(bundle.built).toISOString()}`;
}

/** Reads the child's stdout until it prints its URL; rejects if it exits or stays silent for 60 s. */
export function waitForUrl(child: ChildProcess, label: string, timeoutMs = 60_000): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} did not start within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        child.off('exit', onExit);
        resolvePort(Number(m[1]));
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      clearTimeout(timer);
      reject(new Error(`${label} exited before listening (code ${code}, signal ${signal}): ${err}${out}`));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => {
      if (err.length < 10_000) err += c.toString();
    });
    child.once('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL if the child has not exited after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

// ── child side ──────────────────────────────────────────────────────────────────────────────────────

type DynaliteFactory = (options: Record<string, unknown>) => Server;

async function runDynaliteChild(path: string | undefined): Promise<void> {
  const require = createRequire(import.meta.url);
  const dynalite = require('dynalite') as DynaliteFactory;
  // Tables become ACTIVE at once, as Sortkey's do without --delay-transient-statuses.
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path ? { path } : {}),
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/** A 52-character request id like DynamoDB's, from a counter: as cheap as an id can be. */
let requestCounter = 0;
const ID_PREFIX = 'BARE'.padEnd(40, '0');
function requestId(): string {
  return ID_PREFIX + (++requestCounter).toString(36).toUpperCase().padStart(12, '0');
}

async function runBareChild(cannedFile: string): Promise<void> {
  const canned = JSON.parse(readFileSync(cannedFile, 'utf8')) as Record<string, string>;
  const responses = new Map<string, { body: Buffer; crc: string }>();
  for (const [op, text] of Object.entries(canned)) {
    const body = Buffer.from(text, 'utf8');
    responses.set(`DynamoDB_20120810.${op}`, { body, crc: String(crc32(body)) });
  }
  const fallback = { body: Buffer.from('{}'), crc: String(crc32(Buffer.from('{}'))) };
  const headers = [
    'Content-Type',
    'application/x-amz-json-1.0',
    'Content-Length',
    '',
    'x-amz-crc32',
    '',
    'x-amzn-RequestId',
    '',
  ];
  // The same server options as Sortkey's endpoint: keep-alive, no Nagle delay.
  const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    const r = responses.get(req.headers['x-amz-target'] as string) ?? fallback;
    // Read the whole body before answering, as any real server must.
    req.on('data', noop);
    req.on('end', () => {
      headers[3] = String(r.body.length);
      headers[5] = r.crc;
      headers[7] = requestId();
      res.writeHead(200, headers);
      res.end(r.body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

function noop(): void {}

async function runHandlerChild(cannedFile: string): Promise<void> {
  const canned = JSON.parse(readFileSync(cannedFile, 'utf8')) as Record<string, string>;
  const { startServer } = await import('../../main/server/index.js');
  // The stub hands back a fresh object each time, as the engine does, so JSON.stringify does the same work.
  const server = await startServer({
    port: 0,
    engine: {
      execute: (op: string) => JSON.parse(canned[op] ?? '{}') as unknown,
      has: (op: string) => op in canned,
    },
  });
  console.log(server.url);
  process.on('SIGTERM', () => void server.close({ graceMs: 100 }).then(() => process.exit(0)));
}

if (process.argv[1] && resolve(process.argv[1]) === THIS_FILE && process.argv[2] === 'child') {
  const [, , , what, arg] = process.argv;
  if (what === 'dynalite') await runDynaliteChild(arg);
  else if (what === 'bare' && arg) await runBareChild(arg);
  else if (what === 'handler' && arg) await runHandlerChild(arg);
  else {
    console.error(
      'usage: peers.ts child dynalite [DIR] | child bare CANNED.json | child handler CANNED.json',
    );
    process.exit(2);
  }
}
