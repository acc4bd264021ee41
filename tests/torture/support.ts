// Shared pieces of the torture tests: a `sortkey serve` child process on a database file, a small
// HTTP client with a per-request timeout, and a seeded PRNG so every run can be repeated exactly.
// All traffic goes to 127.0.0.1.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { sortkeyServeArgs } from '../bench/peers.js';
import { prng } from '../support/prng.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOST = '127.0.0.1';

// ── PRNG ────────────────────────────────────────────────────────────────────────────────────────────

/** A seeded PRNG (mulberry32) with the helpers the torture tests draw from. */
export class Rng {
  /** [0, 1) */
  readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = prng(seed);
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** A child generator whose sequence depends only on this one's next draw. */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 2 ** 32));
  }
}

/** TORTURE_SEED if set, else a fresh random seed (printed by every run so it can be replayed). */
export function seedFromEnv(fallback?: number): number {
  const env = process.env.TORTURE_SEED;
  if (env !== undefined && env !== '' && Number.isFinite(Number(env))) return Number(env) >>> 0;
  return fallback ?? Math.floor(Math.random() * 2 ** 32);
}

// ── Server child ────────────────────────────────────────────────────────────────────────────────────

export interface ServerChild {
  readonly port: number;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Set once the process has exited (code or signal), with its last stderr output. */
  exited: { code: number | null; signal: NodeJS.Signals | null; stderr: string } | undefined;
  /** The last 20 KB the server wrote to stderr (internal errors are logged there). */
  stderrTail(): string;
  /** A mark in the stderr stream; `stderrSince(mark)` is what came after it (up to 20 KB). */
  stderrMark(): number;
  stderrSince(mark: number): string;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `sortkey serve --port 0 --db FILE --quiet` (the current code: bin/sortkey.js on an
 * up-to-date build, else the sources) and resolves once it listens. SORTKEY_HOME is the
 * database's folder, so anything the server writes besides the file (exports) stays there.
 */
export function startServerChild(dbFile: string, timeoutMs = 60_000): Promise<ServerChild> {
  const child = spawn(process.execPath, sortkeyServeArgs(['--port', '0', '--quiet', '--db', dbFile]), {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SORTKEY_HOME: dirname(dbFile) },
  });
  let stderr = '';
  let stderrTotal = 0;
  child.stderr!.on('data', (c: Buffer) => {
    const text = c.toString();
    stderrTotal += text.length;
    stderr = (stderr + text).slice(-20_000);
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sortkey serve did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      reject(new Error(`sortkey serve exited before listening (code ${code}, signal ${signal}): ${stderr}`));
    };
    child.once('exit', onExit);
    const onData = (c: Buffer): void => {
      out += c.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      const server: ServerChild = {
        port: Number(m[1]),
        pid: child.pid!,
        child,
        exited: undefined,
        stderrTail: () => stderr,
        stderrMark: () => stderrTotal,
        stderrSince: (mark) => stderr.slice(Math.max(0, stderr.length - (stderrTotal - mark))),
        kill: () => signalAndWait(child, 'SIGKILL', 0),
        stop: (graceMs = 10_000) => signalAndWait(child, 'SIGTERM', graceMs),
      };
      child.once('exit', (code, signal) => {
        server.exited = { code, signal, stderr };
      });
      resolve(server);
    };
    child.stdout!.on('data', onData);
  });
}

function signalAndWait(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = graceMs > 0 ? setTimeout(() => child.kill('SIGKILL'), graceMs) : undefined;
    child.once('exit', () => {
      if (timer) clearTimeout(timer);
      done();
    });
    child.kill(signal);
  });
}

// ── HTTP client ─────────────────────────────────────────────────────────────────────────────────────

export interface RawRequest {
  /** X-Amz-Target; omitted when undefined. */
  readonly target?: string | undefined;
  readonly body: string | Buffer;
  readonly contentType?: string | undefined;
  readonly method?: string;
  readonly path?: string;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  readonly chunked?: boolean;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
  readonly ms: number;
}

export class RequestTimeout extends Error {
  constructor(ms: number) {
    super(`no response within ${ms} ms`);
  }
}

const agents = new Map<number, Agent>();
function agentFor(maxSockets: number): Agent {
  let a = agents.get(maxSockets);
  if (!a) {
    a = new Agent({ keepAlive: true, maxSockets });
    agents.set(maxSockets, a);
  }
  return a;
}

/** Closes idle keep-alive sockets (so a test process can exit). */
export function closeAgents(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
}

/** Sends one request to 127.0.0.1:port; rejects on a network error or after `timeoutMs`. */
export function send(
  port: number,
  req: RawRequest,
  timeoutMs = 10_000,
  maxSockets = 32,
): Promise<RawResponse> {
  const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
  const headers: Record<string, string | number> = {};
  if (req.contentType !== undefined) headers['Content-Type'] = req.contentType;
  if (req.target !== undefined) headers['X-Amz-Target'] = req.target;
  if (req.chunked) headers['Transfer-Encoding'] = 'chunked';
  else headers['Content-Length'] = body.length;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let done = false;
    const r = httpRequest(
      {
        host: HOST,
        port,
        method: req.method ?? 'POST',
        path: req.path ?? '/',
        headers,
        agent: agentFor(maxSockets),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          const buf = Buffer.concat(chunks);
          const text = buf.toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: buf,
            text,
            json,
            ms: performance.now() - started,
          });
        });
      },
    );
    function fail(e: Error): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(e);
    }
    const timer = setTimeout(() => {
      r.destroy();
      fail(new RequestTimeout(timeoutMs));
    }, timeoutMs);
    r.on('error', fail);
    if (req.chunked) {
      // A few chunks, so the server really reads a chunked body.
      const step = Math.max(1, Math.ceil(body.length / 3));
      for (let i = 0; i < body.length; i += step) r.write(body.subarray(i, i + step));
      r.end();
    } else {
      r.end(body);
    }
  });
}

/** An error as DynamoDB names it: the part of __type after '#'. */
export function errorName(res: RawResponse): string | undefined {
  const t = (res.json as { __type?: unknown } | undefined)?.__type;
  return typeof t === 'string' ? t.slice(t.indexOf('#') + 1) : undefined;
}

/** Does x-amz-crc32 match the body? */
export function crcMatches(res: RawResponse): boolean {
  const h = res.headers['x-amz-crc32'];
  return h !== undefined && Number(h) === crc32(res.body);
}

/** A DynamoDB API call: JSON in, parsed JSON out (any status). */
export async function api(
  port: number,
  op: string,
  input: unknown,
  timeoutMs = 10_000,
): Promise<RawResponse> {
  return send(
    port,
    {
      target: `DynamoDB_20120810.${op}`,
      contentType: 'application/x-amz-json-1.0',
      body: JSON.stringify(input),
    },
    timeoutMs,
  );
}

/** Like `api`, but throws unless the answer is 200; returns the parsed body. */
export async function apiOk<T = Record<string, unknown>>(
  port: number,
  op: string,
  input: unknown,
  timeoutMs = 10_000,
): Promise<T> {
  const r = await api(port, op, input, timeoutMs);
  if (r.status !== 200) throw new Error(`${op} answered ${r.status}: ${r.text.slice(0, 500)}`);
  return r.json as T;
}

/** GET / — true when the endpoint answers its health check. */
export async function healthy(port: number, timeoutMs = 5_000): Promise<boolean> {
  try {
    const r = await send(port, { method: 'GET', body: '' }, timeoutMs);
    return r.status === 200;
  } catch {
    return false;
  }
}

/** Creates a table and waits until it is ACTIVE. */
export async function createTable(port: number, input: Record<string, unknown>): Promise<void> {
  await apiOk(port, 'CreateTable', { BillingMode: 'PAY_PER_REQUEST', ...input });
  for (let i = 0; i < 400; i++) {
    const d = await apiOk<{
      Table?: { TableStatus?: string; GlobalSecondaryIndexes?: { IndexStatus?: string }[] };
    }>(port, 'DescribeTable', { TableName: input.TableName });
    if (
      d.Table?.TableStatus === 'ACTIVE' &&
      (d.Table.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE')
    )
      return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`table ${String(input.TableName)} did not become ACTIVE`);
}

type Item = Record<string, unknown>;

/** Every item of a table (or index), page by page. */
export async function scanAll(port: number, table: string, indexName?: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  for (let page = 0; page < 100_000; page++) {
    const r = await apiOk<{ Items?: Item[]; LastEvaluatedKey?: Item }>(port, 'Scan', {
      TableName: table,
      ConsistentRead: indexName === undefined,
      ...(indexName ? { IndexName: indexName } : {}),
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    items.push(...(r.Items ?? []));
    if (!r.LastEvaluatedKey) return items;
    start = r.LastEvaluatedKey;
  }
  throw new Error('scan did not end');
}

/** JSON with object keys sorted: equal values give equal text whatever the key order. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
