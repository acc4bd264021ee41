// How the cost of GetItem and Query grows with the size of the table: the same requests through
// the endpoint (`sortkey serve --db FILE` in a child process, the raw load generator here) on tables
// of 10^3, 10^5 and — with BENCH_FULL=1 — 10^6 items. Each table is loaded through the engine
// in-process (BatchWriteItem, many per SQLite transaction) before the server opens the same file.
//
// GetItem keys are drawn uniformly from the whole table; Query reads partitions of 100 items.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../engine/engine.js';
import { benchSeconds, fmtMs, fmtRate, machineInfo, warmupSeconds } from './http.js';
import type { LoadResult } from './loadgen.js';
import { prepareRequest, runLoad } from './loadgen.js';
import { startPeer } from './peers.js';
import { CREATE_TABLE, QUERY_SIZE, TABLE, prng, queryItem, userItem, userKey } from './workloads.js';

const PARTITIONS = 10;

/** The key of item `i` of a table of `size` items: the last PARTITIONS × 100 are Query partitions. */
function keyOf(i: number, size: number): Record<string, Record<string, unknown>> {
  const users = size - PARTITIONS * QUERY_SIZE;
  if (i < users) return userKey(i);
  const q = i - users;
  return { pk: { S: `q#${Math.floor(q / QUERY_SIZE)}` }, sk: { N: String(q % QUERY_SIZE) } };
}

/** Loads `size` items into a new file through the engine; returns seconds taken. */
export function loadFile(path: string, size: number): number {
  const t0 = performance.now();
  const engine = new Engine({ path });
  try {
    engine.execute('CreateTable', CREATE_TABLE);
    const users = size - PARTITIONS * QUERY_SIZE;
    const item = (i: number): Record<string, unknown> =>
      i < users ? userItem(i) : queryItem(Math.floor((i - users) / QUERY_SIZE), (i - users) % QUERY_SIZE);
    // 400 batches (10,000 items) per SQLite transaction: far fewer commits than one per batch.
    const perTransaction = 10_000;
    for (let start = 0; start < size; start += perTransaction) {
      engine.ctx.db.transaction(() => {
        for (let b = start; b < Math.min(size, start + perTransaction); b += 25) {
          const requests = [];
          for (let i = b; i < Math.min(size, b + 25); i++) requests.push({ PutRequest: { Item: item(i) } });
          engine.execute('BatchWriteItem', { RequestItems: { [TABLE]: requests } });
        }
      });
    }
  } finally {
    engine.close();
  }
  return (performance.now() - t0) / 1000;
}

export async function runScalingBench(): Promise<Record<string, number>> {
  const full = process.env.BENCH_FULL === '1';
  const sizes = full ? [1_000, 100_000, 1_000_000] : [1_000, 100_000];
  const seconds = benchSeconds();
  const warmup = warmupSeconds();
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-scaling-'));
  const rows: { size: number; loadSeconds: number; fileBytes: number; results: Map<string, LoadResult> }[] =
    [];
  console.log(`\nScaling with table size (sortkey serve --db FILE; ${machineInfo()})`);
  console.log(
    `  ${seconds} s per cell after ${warmup} s warm-up; GetItem keys uniform over the table; Query = one partition of ${QUERY_SIZE}${full ? '' : '; 10^6 items with BENCH_FULL=1'}`,
  );
  try {
    for (const size of sizes) {
      const path = join(dir, `scale-${size}.sqlite`);
      process.stdout.write(`  ${size.toLocaleString('en-US')} items: loading`);
      const loadSeconds = loadFile(path, size);
      const fileBytes = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
      process.stdout.write(` ${loadSeconds.toFixed(1)} s, measuring`);
      const peer = await startPeer('sortkey-file', { path });
      const results = new Map<string, LoadResult>();
      try {
        const r = prng(size);
        const gets = Array.from({ length: 8192 }, () =>
          prepareRequest(
            peer.port,
            'GetItem',
            JSON.stringify({ TableName: TABLE, Key: keyOf(Math.floor(r() * size), size) }),
          ),
        );
        const queries = Array.from({ length: PARTITIONS }, (_, p) =>
          prepareRequest(
            peer.port,
            'Query',
            JSON.stringify({
              TableName: TABLE,
              KeyConditionExpression: 'pk = :p',
              ExpressionAttributeValues: { ':p': { S: `q#${p}` } },
            }),
          ),
        );
        for (const [name, requests] of [
          ['GetItem', gets],
          ['Query', queries],
        ] as const) {
          for (const c of [1, 16]) {
            const res = await runLoad({
              port: peer.port,
              requests,
              concurrency: c,
              seconds,
              warmupSeconds: warmup,
              serverPid: peer.pid,
            });
            if (res.errors > 0)
              console.log(
                `\n  ! ${name} c=${c} on ${size} items: ${res.errors} errors ${JSON.stringify(res.statuses)}`,
              );
            results.set(`${name} c${c}`, res);
            process.stdout.write('.');
          }
        }
      } finally {
        await peer.stop();
      }
      process.stdout.write('\n');
      rows.push({ size, loadSeconds, fileBytes, results });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const cells = ['GetItem c1', 'GetItem c16', 'Query c1', 'Query c16'];
  const head = `  ${'items'.padStart(10)}${'load s'.padStart(8)}${'file MB'.padStart(9)}  ${'cell'.padEnd(12)}${'ops/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'p999 ms'.padStart(9)}${'cpu µs'.padStart(8)}${'vs 10^3'.padStart(9)}`;
  console.log(head);
  console.log(`  ${'─'.repeat(head.length - 2)}`);
  const json: Record<string, number> = {};
  const base = rows[0]!;
  for (const row of rows) {
    cells.forEach((cell, i) => {
      const r = row.results.get(cell)!;
      const b = base.results.get(cell)!;
      const lead =
        i === 0
          ? `${row.size.toLocaleString('en-US').padStart(10)}${row.loadSeconds.toFixed(1).padStart(8)}${(row.fileBytes / 1e6).toFixed(1).padStart(9)}`
          : ' '.repeat(27);
      const cpu = r.serverCpuUsPerRequest;
      console.log(
        `  ${lead}  ${cell.padEnd(12)}${fmtRate(r.opsPerSecond).padStart(9)}${fmtMs(r.latency.p50).padStart(9)}${fmtMs(r.latency.p99).padStart(9)}${fmtMs(r.latency.p999).padStart(9)}${(cpu === undefined ? '—' : cpu.toFixed(0)).padStart(8)}${`${((r.opsPerSecond / b.opsPerSecond) * 100).toFixed(0)}%`.padStart(9)}`,
      );
      json[`${row.size} ${cell} ops/s`] = r.opsPerSecond;
      json[`${row.size} ${cell} p99 ms`] = r.latency.p99;
      if (cpu !== undefined) json[`${row.size} ${cell} cpu us`] = cpu;
    });
    json[`${row.size} load items/s`] = row.size / row.loadSeconds;
  }
  return json;
}
