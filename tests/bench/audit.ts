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
import type { IncomingMessage } from 'node:http';
import { buildAuditEvent, captureRequest } from '../../main/audit/record.js';
import type { AuditedRequest } from '../../main/server/index.js';
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

/**
 * CPU time to make one record (capture on the request path, then build and serialise a turn later),
 * in process: unlike requests per second, it hardly moves when other processes load the machine.
 */
function recordCostUs(operation: string, input: unknown, items: boolean): number {
  const req = {
    socket: { remoteAddress: '::ffff:127.0.0.1' },
    headers: {
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      'user-agent': 'aws-sdk-js/3.0 ua/2.1 os/linux lang/js md/nodejs#20',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261207/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    url: '/',
  } as unknown as IncomingMessage;
  const entry: AuditedRequest = {
    req,
    operation,
    input,
    namespace: undefined,
    status: 200,
    error: undefined,
    requestId: 'R'.repeat(52),
    result: undefined,
  };
  const ctx = {
    items,
    defaultNamespace: { region: 'us-east-1', accountId: '000000000000' },
    keyNamesOf: () => ['pk', 'sk'],
  };
  const n = 20_000;
  let bytes = 0;
  for (let i = 0; i < 2000; i++)
    bytes += JSON.stringify(buildAuditEvent(captureRequest(entry, Date.now()), ctx)).length;
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++)
    bytes += JSON.stringify(buildAuditEvent(captureRequest(entry, Date.now()), ctx)).length;
  const used = process.cpuUsage(cpu);
  return bytes > 0 ? (used.user + used.system) / n : NaN;
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
      // Each round starts with another mode: the first server of a round runs on a colder machine.
      for (let m = 0; m < MODES.length; m++) {
        const mode = MODES[(m + round) % MODES.length]!;
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
    console.log('\n  record cost (in process, CPU µs per record: capture, build, JSON)');
    for (const [name, input] of [
      ['GetItem', { TableName: TABLE, Key: userKey(42) }],
      ['PutItem', { TableName: TABLE, Item: userItem(42) }],
    ] as const) {
      for (const items of [false, true]) {
        const us = recordCostUs(name, input, items);
        json[`${name}.record${items ? 'WithItems' : ''}Us`] = us;
        console.log(
          `  ${name.padEnd(9)}  ${(items ? '--audit-items' : '--audit').padEnd(22)} ${us.toFixed(1).padStart(6)} µs`,
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
