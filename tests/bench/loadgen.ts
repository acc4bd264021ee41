// A small, cheap HTTP/1.1 load generator for the endpoint benchmarks (and a one-shot client for
// setting up tables). It keeps N connections open (keep-alive), writes requests prepared in advance
// as raw bytes — so the client spends almost nothing per request — and reads each response just far
// enough to know its status and length. One request is in flight per connection (no pipelining), so
// "concurrency" is both the number of connections and the number of requests in flight.
//
// Why not the AWS SDK: on this kind of machine the SDK v3 client tops out near 2,000 requests/s, far
// below the servers under test. Why not autocannon: its latency histogram has millisecond resolution,
// and most requests here take well under a millisecond.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

const HOST = '127.0.0.1';

/**
 * An Authorization header of the right shape. Sortkey (without --auth) ignores it; dynalite only
 * checks that one is there. Its length is what a real SDK request carries, so the servers parse
 * realistic headers.
 */
const FAKE_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' +
  '0'.repeat(64);

/** The raw bytes of one DynamoDB JSON request: request line, headers and body. */
export function prepareRequest(port: number, target: string, body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  const head =
    `POST / HTTP/1.1\r\n` +
    `Host: ${HOST}:${port}\r\n` +
    `Content-Type: application/x-amz-json-1.0\r\n` +
    `X-Amz-Target: DynamoDB_20120810.${target}\r\n` +
    `Authorization: ${FAKE_AUTHORIZATION}\r\n` +
    `X-Amz-Date: 20250101T000000Z\r\n` +
    `Content-Length: ${bytes.length}\r\n` +
    `Connection: keep-alive\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}

export interface Latency {
  /** Milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly mean: number;
  readonly max: number;
}

export interface LoadResult {
  /** Responses completed inside the measured window. */
  readonly requests: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
  /** Responses with a status other than 200, inside the window. */
  readonly errors: number;
  readonly statuses: Record<string, number>;
  readonly latency: Latency;
  /** Bytes of response bodies received in the window (to check the peers answer alike). */
  readonly meanResponseBytes: number;
  /**
   * Server CPU time per request in microseconds (all its threads), when `serverPid` was given and
   * /proc is there. Unlike ops/s, it hardly moves when other processes compete for the cores.
   */
  readonly serverCpuUsPerRequest?: number | undefined;
}

export interface LoadOptions {
  readonly port: number;
  /** Requests sent in turn (a shared cursor across connections walks this list round-robin). */
  readonly requests: readonly Buffer[];
  readonly concurrency: number;
  /** Measured time, after the warm-up. */
  readonly seconds: number;
  readonly warmupSeconds?: number;
  /** A response slower than this fails the run (a hung server must not hang the benchmark). */
  readonly timeoutMs?: number;
  /** Process whose CPU time (user + system, all threads) is measured over the window (Linux). */
  readonly serverPid?: number;
}

/** Percentiles of a list of latencies (sorted in place). */
export function summarize(values: Float64Array): Latency {
  if (values.length === 0) return { p50: NaN, p99: NaN, p999: NaN, mean: NaN, max: NaN };
  values.sort();
  const at = (q: number): number => values[Math.min(values.length - 1, Math.floor(q * values.length))]!;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return {
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    mean: sum / values.length,
    max: values[values.length - 1]!,
  };
}

/** A growable list of doubles (latencies), cheaper than a JS array of numbers. */
class Samples {
  private data = new Float64Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const CLOSE = /\r\nconnection:[ \t]*close/i;

/** One keep-alive connection with one request in flight at a time. */
class Connection {
  private socket: Socket | undefined;
  private buffered: Buffer | undefined;
  private expectBody = -1;
  private status = 0;
  private closeAfter = false;
  private started = 0;
  private pending: ((r: { status: number; bodyBytes: number; ms: number }) => void) | undefined;
  private fail: ((e: Error) => void) | undefined;

  constructor(private readonly port: number) {}

  send(req: Buffer): Promise<{ status: number; bodyBytes: number; ms: number }> {
    return new Promise((resolve, reject) => {
      this.pending = resolve;
      this.fail = reject;
      if (!this.socket) this.open();
      this.started = performance.now();
      this.socket!.write(req);
    });
  }

  private open(): void {
    const socket = connect({ host: HOST, port: this.port, noDelay: true });
    this.socket = socket;
    this.buffered = undefined;
    this.expectBody = -1;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const lost = (err?: Error): void => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      const fail = this.fail;
      this.pending = undefined;
      this.fail = undefined;
      fail?.(err ?? new Error('connection closed by the server'));
    };
    socket.on('error', lost);
    socket.on('close', () => lost());
  }

  private onData(chunk: Buffer): void {
    let buf = this.buffered ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (true) {
      if (this.expectBody < 0) {
        const end = buf.indexOf(HEADER_END);
        if (end < 0) {
          this.buffered = buf;
          return;
        }
        const head = buf.toString('latin1', 0, end + 2);
        this.status = Number(head.slice(9, 12));
        const m = CONTENT_LENGTH.exec(head);
        if (!m) {
          this.socket?.destroy(new Error(`response without Content-Length: ${head.split('\r\n')[0]}`));
          return;
        }
        this.expectBody = Number(m[1]);
        this.closeAfter = CLOSE.test(head);
        buf = buf.subarray(end + 4);
      }
      if (buf.length < this.expectBody) {
        this.buffered = buf;
        return;
      }
      const bodyBytes = this.expectBody;
      buf = buf.subarray(bodyBytes);
      this.expectBody = -1;
      this.buffered = undefined;
      const done = this.pending;
      this.pending = undefined;
      this.fail = undefined;
      if (this.closeAfter) {
        const s = this.socket;
        this.socket = undefined;
        s?.destroy();
      }
      done?.({ status: this.status, bodyBytes, ms: performance.now() - this.started });
      if (buf.length === 0) return;
    }
  }

  close(): void {
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
    const fail = this.fail;
    this.pending = undefined;
    this.fail = undefined;
    fail?.(new Error('connection closed by the client'));
  }
}

/**
 * Drives `concurrency` connections for warm-up + `seconds`, each sending the next prepared request
 * as soon as its previous response has arrived. Only responses completed inside the measured window
 * count. Stops by itself.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { port, requests, concurrency, seconds } = options;
  const warmupMs = (options.warmupSeconds ?? Math.min(1, seconds / 4)) * 1000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (requests.length === 0) throw new Error('no requests to send');
  const samples = new Samples();
  const statuses: Record<string, number> = {};
  let cursor = 0;
  let errors = 0;
  let bodyBytes = 0;
  const t0 = performance.now();
  const windowStart = t0 + warmupMs;
  const windowEnd = windowStart + seconds * 1000;

  const pid = options.serverPid;
  let cpuStart: number | undefined;
  let cpuEnd: number | undefined;
  const cpuTimers =
    pid === undefined
      ? []
      : [
          setTimeout(() => (cpuStart = processCpuMs(pid)), Math.max(0, windowStart - performance.now())),
          setTimeout(() => (cpuEnd = processCpuMs(pid)), Math.max(0, windowEnd - performance.now())),
        ];
  const connections = Array.from({ length: concurrency }, () => new Connection(port));
  let timedOut: Error | undefined;
  const worker = async (conn: Connection): Promise<void> => {
    while (true) {
      const now = performance.now();
      if (now >= windowEnd || timedOut) return;
      const req = requests[cursor++ % requests.length]!;
      const timer = setTimeout(() => {
        timedOut = new Error(`no response within ${timeoutMs} ms`);
        conn.close();
      }, timeoutMs);
      let r: { status: number; bodyBytes: number; ms: number };
      try {
        r = await conn.send(req);
      } finally {
        clearTimeout(timer);
      }
      const end = performance.now();
      if (end >= windowStart && end < windowEnd) {
        samples.push(r.ms);
        bodyBytes += r.bodyBytes;
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status !== 200) errors++;
      }
    }
  };
  try {
    await Promise.all(connections.map(worker));
  } finally {
    for (const c of connections) c.close();
    for (const t of cpuTimers) clearTimeout(t);
  }
  if (timedOut) throw timedOut;
  // The window's end timer may not have run yet when the last worker saw the clock pass it.
  if (pid !== undefined && cpuStart !== undefined && cpuEnd === undefined) cpuEnd = processCpuMs(pid);
  const measured = (Math.min(performance.now(), windowEnd) - windowStart) / 1000;
  const n = samples.length;
  return {
    requests: n,
    seconds: measured,
    opsPerSecond: n / measured,
    errors,
    statuses,
    latency: summarize(samples.view()),
    meanResponseBytes: n ? bodyBytes / n : 0,
    serverCpuUsPerRequest:
      cpuStart !== undefined && cpuEnd !== undefined && n > 0 ? ((cpuEnd - cpuStart) * 1000) / n : undefined,
  };
}

let clockTicks: number | undefined;

/** CPU time (user + system, all threads) a process has used so far, in ms; undefined without /proc. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name (which may contain spaces) — utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (clockTicks === undefined) {
      try {
        clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
      } catch {
        clockTicks = 100;
      }
    }
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

export interface SimpleResponse {
  readonly status: number;
  readonly body: string;
  readonly json: Record<string, unknown>;
}

/** One DynamoDB JSON request through node:http (setup and checks, not timing). */
export function call(
  port: number,
  target: string,
  body: unknown,
  timeoutMs = 60_000,
): Promise<SimpleResponse> {
  const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: HOST,
        port,
        method: 'POST',
        path: '/',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': `DynamoDB_20120810.${target}`,
          'Content-Length': payload.length,
          Authorization: FAKE_AUTHORIZATION,
          'X-Amz-Date': '20250101T000000Z',
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // not JSON: leave json empty
          }
          resolve({ status: res.statusCode ?? 0, body: text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${target}: no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Like `call`, but throws unless the answer is 200. */
export async function callOk(port: number, target: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await call(port, target, body);
  if (r.status !== 200) throw new Error(`${target} answered ${r.status}: ${r.body.slice(0, 500)}`);
  return r.json;
}
