// The audit log's cost (`sortkey serve --audit FILE`, main/audit): the same file served without an
// audit log, with one, and with one that keeps item bodies (--audit-items), side by side in one run,
// rounds alternated and medians reported (the machine is shared and noisy).
//   - GetItem and PutItem at 16 in flight on a 100k-item table: requests per second, p99 latency and
//     the server's CPU per request; the ratios are against the run without an audit log.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchSeconds, fmtMs, fmtRate, machineInfo, warmupSeconds } from './http.js';
import type { LoadResult } from './loadgen.js';
import { prepareRequest, runLoad } from './loadgen.js';
import { startPeer } from './peers.js';
import { loadFile } from './scaling.js';
import { QUERY_SIZE, TABLE, prng, userItem, userKey } from './workloads.js';

const ITEMS = 100_000;
const PARTITIONS = 10;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3) || 3);
const MODES = [
  { id: 'off', label: 'no audit log', args: (_file: string): string[] => ['--read-workers', '0'] },
  { id: 'audit', label: '--audit', args: (file: string) => ['--read-workers', '0', '--audit', file] },
  {
    id: 'items',
    label: '--audit --audit-items',
    args: (file: string) => ['--read-workers', '0', '--audit', file, '--audit-items'],
  },
] as const;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function runAuditBench(): Promise<Record<string, number>> {
  const seconds = benchSeconds();
  const warmup = warmupSeconds();
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-audit-bench-'));
  console.log(`\nAudit log (sortkey serve --db FILE [--audit FILE]; ${machineInfo()})`);
  console.log(`  ${seconds} s per cell after ${warmup} s warm-up, ${ROUNDS} rounds alternated, medians`);
  const json: Record<string, number> = {};
  const results = new Map<string, LoadResult[]>();
  try {
    const db = join(dir, 'bench.sqlite');
    process.stdout.write(`  loading ${ITEMS.toLocaleString('en-US')} items`);
    loadFile(db, ITEMS);
    const users = ITEMS - PARTITIONS * QUERY_SIZE;
    let logBytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of MODES) {
        const file = join(dir, `audit-${mode.id}-${round}.log`);
        const peer = await startPeer('sortkey-file', { path: db, serveArgs: mode.args(file) });
        try {
          const r = prng(round + 1);
          const gets = Array.from({ length: 8192 }, () =>
            prepareRequest(
              peer.port,
              'GetItem',
              JSON.stringify({ TableName: TABLE, Key: userKey(Math.floor(r() * users)) }),
            ),
          );
          const puts = Array.from({ length: 8192 }, () =>
            prepareRequest(
              peer.port,
              'PutItem',
              JSON.stringify({ TableName: TABLE, Item: userItem(Math.floor(r() * users)) }),
            ),
          );
          for (const [name, requests] of [
            ['GetItem', gets],
            ['PutItem', puts],
          ] as const) {
            const res = await runLoad({
              port: peer.port,
              requests,
              concurrency: 16,
              seconds,
              warmupSeconds: warmup,
              serverPid: peer.pid,
            });
            if (res.errors > 0) console.log(`\n  ! ${name} ${mode.id}: ${res.errors} errors`);
            const key = `${name}|${mode.id}`;
            results.set(key, [...(results.get(key) ?? []), res]);
            process.stdout.write('.');
          }
        } finally {
          await peer.stop();
        }
        if (mode.id === 'audit') {
          try {
            logBytes = Math.max(logBytes, statSync(file).size);
          } catch {
            // no file: the mode wrote nothing
          }
        }
      }
    }
    console.log('\n');
    console.log('  operation  mode                      req/s   ratio   p99 ms   server CPU µs/req');
    for (const name of ['GetItem', 'PutItem']) {
      const base = median((results.get(`${name}|off`) ?? []).map((r) => r.opsPerSecond));
      for (const mode of MODES) {
        const runs = results.get(`${name}|${mode.id}`) ?? [];
        const rate = median(runs.map((r) => r.opsPerSecond));
        const p99 = median(runs.map((r) => r.latency.p99));
        const cpu = median(runs.map((r) => r.serverCpuUsPerRequest ?? NaN));
        const ratio = rate / base;
        json[`${name}.${mode.id}.opsPerSecond`] = rate;
        json[`${name}.${mode.id}.ratio`] = ratio;
        json[`${name}.${mode.id}.p99Ms`] = p99;
        console.log(
          `  ${name.padEnd(9)}  ${mode.label.padEnd(22)} ${fmtRate(rate).padStart(8)}   ${ratio.toFixed(2)}×  ${fmtMs(p99).padStart(7)}   ${Number.isFinite(cpu) ? cpu.toFixed(0).padStart(6) : '     —'}`,
        );
      }
    }
    if (logBytes > 0)
      console.log(`  (one --audit run wrote ${(logBytes / 1024 / 1024).toFixed(1)} MB of records)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return json;
}
