// Read workers (`sortkey serve --read-workers N`, engine/workers): the same file served with
// N = 0 (one thread, as before), 1 and 2, side by side in one run.
//   - throughput: GetItem and Query (a partition of 100 items) at 16 in flight on a 100k-item table;
//   - stall: GetItem latency at 1 in flight while another client reads a 200k-item table with
//     full-table Scans (1 MB pages, one after another, without pause).
// Targets (issue 22, point 5): GetItem and Query at 16 in flight ≥ 1.6× the one-thread figure;
// GetItem p99 ≤ 20 ms during the Scans.
//   - ceiling: a bare node:http server answering canned GetItem bytes on one thread, then on two
//     (a worker thread listening on the same socket), under the same load: what any two-thread
//     server can gain on this machine, where the load generator needs a core too.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchSeconds, fmtMs, fmtRate, machineInfo, warmupSeconds } from './http.js';
import type { LoadResult } from './loadgen.js';
import { prepareRequest, processCpuMs, runLoad } from './loadgen.js';
import { startPeer } from './peers.js';
import type { Peer } from './peers.js';
import { loadFile } from './scaling.js';
import { QUERY_SIZE, TABLE, prng, userKey } from './workloads.js';

const WORKERS = [0, 1, 2] as const;
const THROUGHPUT_ITEMS = 100_000;
const STALL_ITEMS = 200_000;
const PARTITIONS = 10;

/** Starts `sortkey serve --read-workers n` on `path` and gives its workers time to open the file. */
async function serve(path: string, workers: number): Promise<Peer> {
  const peer = await startPeer('sortkey-file', { path, serveArgs: ['--read-workers', String(workers)] });
  // Workers load the engine while the endpoint already answers (the writer serves every read
  // until they are ready): wait until the process is idle, so that the measurement sees them.
  if (workers > 0) {
    // Idle: three half-seconds in a row with under 10 ms of CPU (a thread still loading gets more
    // than that even on a machine as loaded as this one tends to be).
    let last = processCpuMs(peer.pid) ?? 0;
    let quiet = 0;
    for (let waited = 0; waited < 60_000 && quiet < 3; waited += 500) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const now = processCpuMs(peer.pid) ?? 0;
      quiet = now - last < 10 ? quiet + 1 : 0;
      last = now;
    }
  }
  return peer;
}

function requestsFor(port: number, size: number): { gets: Buffer[]; queries: Buffer[] } {
  const users = size - PARTITIONS * QUERY_SIZE;
  const r = prng(size);
  const gets = Array.from({ length: 8192 }, () =>
    prepareRequest(
      port,
      'GetItem',
      JSON.stringify({ TableName: TABLE, Key: userKey(Math.floor(r() * users)) }),
    ),
  );
  const queries = Array.from({ length: PARTITIONS }, (_, p) =>
    prepareRequest(
      port,
      'Query',
      JSON.stringify({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: `q#${p}` } },
      }),
    ),
  );
  return { gets, queries };
}

/**
 * Reads the whole table with Scans, page after page, again and again, until `stop()` — from a
 * child process, so that parsing its 1 MB pages never stalls the load generator measuring here.
 */
function scanForever(port: number): { stop(): Promise<number> } {
  const script = `
    const http = require('node:http');
    let pages = 0, stopped = false;
    process.on('message', () => { stopped = true; });
    const page = (start) => new Promise((resolve, reject) => {
      const body = JSON.stringify({ TableName: ${JSON.stringify(TABLE)}, ...(start ? { ExclusiveStartKey: start } : {}) });
      const req = http.request({ host: '127.0.0.1', port: ${port}, method: 'POST', headers: {
        'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.Scan' } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString()).LastEvaluatedKey)
          : reject(new Error('Scan answered ' + res.statusCode)));
      });
      req.on('error', reject);
      req.end(body);
    });
    (async () => {
      while (!stopped) {
        let start;
        do { start = await page(start); pages++; } while (start && !stopped);
      }
      process.send(pages, () => process.exit(0));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pages = new Promise<number>((resolve, reject) => {
    child.once('message', (n) => resolve(Number(n)));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`scanner exited with ${code}`))));
  });
  return {
    async stop() {
      child.send('stop');
      return pages;
    },
  };
}

/**
 * A bare node:http server answering every request with the same GetItem-sized body, on `threads`
 * threads: the main one and `threads - 1` workers listening on the main thread's socket (one
 * process, so the kernel hands each connection to whichever thread accepts first).
 */
async function bareServer(
  dir: string,
  threads: number,
): Promise<{ port: number; pid: number; stop(): Promise<void> }> {
  const script = join(dir, 'bare-threads.mjs');
  writeFileSync(
    script,
    `import { createServer } from 'node:http';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
const body = JSON.stringify({ Item: { pk: { S: 'user#000123' }, sk: { S: 'profile' }, name: { S: 'x'.repeat(40) }, n: { N: '12345' } } });
const answer = (req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(body) }); res.end(body); }); };
if (isMainThread) {
  const server = createServer(answer);
  server.listen(0, '127.0.0.1', () => {
    const fd = server._handle.fd;
    let ready = 0;
    const started = () => { if (++ready === ${threads}) console.log('http://127.0.0.1:' + server.address().port); };
    for (let i = 1; i < ${threads}; i++) new Worker(new URL(import.meta.url), { workerData: { fd } }).on('message', started);
    started();
  });
  process.on('SIGTERM', () => process.exit(0));
} else {
  createServer(answer).listen({ fd: workerData.fd }, () => parentPort.postMessage('up'));
}
`,
  );
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return {
    port,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

export async function runWorkersBench(): Promise<Record<string, number>> {
  const seconds = benchSeconds();
  const warmup = warmupSeconds();
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-workers-'));
  console.log(`\nRead workers (sortkey serve --db FILE --read-workers N; ${machineInfo()})`);
  console.log(`  ${seconds} s per cell after ${warmup} s warm-up; raw HTTP load generator`);
  const json: Record<string, number> = {};
  const throughput = new Map<string, LoadResult>();
  const stall = new Map<number, { get: LoadResult; pages: number }>();
  const ceiling = new Map<number, LoadResult>();
  try {
    const small = join(dir, 'throughput.sqlite');
    process.stdout.write(`  loading ${THROUGHPUT_ITEMS.toLocaleString('en-US')} items`);
    loadFile(small, THROUGHPUT_ITEMS);
    for (const n of WORKERS) {
      const peer = await serve(small, n);
      try {
        const { gets, queries } = requestsFor(peer.port, THROUGHPUT_ITEMS);
        for (const [name, requests] of [
          ['GetItem', gets],
          ['Query', queries],
        ] as const) {
          const res = await runLoad({
            port: peer.port,
            requests,
            concurrency: 16,
            seconds,
            warmupSeconds: warmup,
            serverPid: peer.pid,
          });
          if (res.errors > 0)
            console.log(`\n  ! ${name} N=${n}: ${res.errors} errors ${JSON.stringify(res.statuses)}`);
          throughput.set(`${name}|${n}`, res);
          process.stdout.write('.');
        }
      } finally {
        await peer.stop();
      }
    }
    for (const threads of [1, 2]) {
      const peer = await bareServer(dir, threads);
      try {
        const { gets } = requestsFor(peer.port, THROUGHPUT_ITEMS);
        const res = await runLoad({
          port: peer.port,
          requests: gets,
          concurrency: 16,
          seconds,
          warmupSeconds: warmup,
          serverPid: peer.pid,
        });
        ceiling.set(threads, res);
        process.stdout.write('.');
      } finally {
        await peer.stop();
      }
    }
    const big = join(dir, 'stall.sqlite');
    process.stdout.write(`, ${STALL_ITEMS.toLocaleString('en-US')} items`);
    loadFile(big, STALL_ITEMS);
    for (const n of WORKERS) {
      const peer = await serve(big, n);
      try {
        const { gets } = requestsFor(peer.port, STALL_ITEMS);
        const scans = scanForever(peer.port);
        const get = await runLoad({
          port: peer.port,
          requests: gets,
          concurrency: 1,
          seconds,
          warmupSeconds: warmup,
        });
        const pages = await scans.stop();
        stall.set(n, { get, pages });
        process.stdout.write('.');
      } finally {
        await peer.stop();
      }
    }
    process.stdout.write('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const head = `  ${'workload'.padEnd(34)}${'N'.padStart(3)}${'ops/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'cpu µs'.padStart(8)}${'vs N=0'.padStart(8)}  target`;
  console.log(head);
  console.log(`  ${'─'.repeat(head.length - 2)}`);
  for (const name of ['GetItem', 'Query']) {
    const base = throughput.get(`${name}|0`)!;
    for (const n of WORKERS) {
      const r = throughput.get(`${name}|${n}`)!;
      const ratio = r.opsPerSecond / base.opsPerSecond;
      const cpu = r.serverCpuUsPerRequest;
      console.log(
        `  ${`${name}, 16 in flight`.padEnd(34)}${String(n).padStart(3)}${fmtRate(r.opsPerSecond).padStart(9)}${fmtMs(r.latency.p50).padStart(9)}${fmtMs(r.latency.p99).padStart(9)}${(cpu === undefined ? '—' : cpu.toFixed(0)).padStart(8)}${`${ratio.toFixed(2)}×`.padStart(8)}  ${n > 0 ? '≥ 1.60×' : ''}`,
      );
      json[`${name} c16 N=${n} ops/s`] = r.opsPerSecond;
      json[`${name} c16 N=${n} vs N=0`] = ratio;
    }
  }
  const one = ceiling.get(1)!;
  for (const [threads, r] of ceiling) {
    const ratio = r.opsPerSecond / one.opsPerSecond;
    const cpu = r.serverCpuUsPerRequest;
    console.log(
      `  ${`bare node:http, ${threads} thread${threads > 1 ? 's' : ''}`.padEnd(34)}${'—'.padStart(3)}${fmtRate(r.opsPerSecond).padStart(9)}${fmtMs(r.latency.p50).padStart(9)}${fmtMs(r.latency.p99).padStart(9)}${(cpu === undefined ? '—' : cpu.toFixed(0)).padStart(8)}${`${ratio.toFixed(2)}×`.padStart(8)}  ${threads > 1 ? 'ceiling of any 2-thread server here' : ''}`,
    );
    json[`bare http ${threads} threads ops/s`] = r.opsPerSecond;
    json[`bare http ${threads} threads vs 1`] = ratio;
  }
  for (const [n, { get, pages }] of stall) {
    console.log(
      `  ${`GetItem during full Scans (${pages} pages)`.padEnd(34)}${String(n).padStart(3)}${fmtRate(get.opsPerSecond).padStart(9)}${fmtMs(get.latency.p50).padStart(9)}${fmtMs(get.latency.p99).padStart(9)}${'—'.padStart(8)}${'—'.padStart(8)}  p99 ≤ 20 ms`,
    );
    json[`GetItem during Scans N=${n} p99 ms`] = get.latency.p99;
    json[`GetItem during Scans N=${n} ops/s`] = get.opsPerSecond;
    json[`Scan pages during GetItem N=${n}`] = pages;
  }
  return json;
}
