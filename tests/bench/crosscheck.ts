// A second client's opinion (`npm run bench -- crosscheck`): PutItem and GetItem at 16 in flight,
// Sortkey in memory against dynalite in memory, driven by autocannon instead of our own load
// generator (loadgen.ts). Issue #22 asks for the ratios to hold "with any reasonable client, yours
// and others'": autocannon parses every response fully and spends more CPU per request than
// loadgen, so on two cores it takes a bigger share of the machine and the ratios come out lower;
// both are printed, with the server CPU per request, which the client does not change.
//
// Rounds alternate the servers (BENCH_ROUNDS, default 3; the median is reported), each round
// BENCH_SECONDS long (default 3), after a warm-up. Each connection cycles through 64 requests built
// in advance, each on its own key (a setupRequest hook that picks a body per request costs
// autocannon so much that it, not the server, sets the pace).
import { createRequire } from 'node:module';
import { benchSeconds } from './http.js';
import { processCpuMs } from './loadgen.js';
import type { Peer, PeerKind } from './peers.js';
import { startPeer } from './peers.js';
import { TABLE, createBenchTable, loadDataset, userItem, userKey } from './workloads.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const PEERS: readonly { kind: PeerKind; label: string }[] = [
  { kind: 'sortkey-memory', label: 'sortkey (memory)' },
  { kind: 'dynalite-memory', label: 'dynalite (memory)' },
];
const KEYS = 64;
const TARGETS: Record<string, number> = { PutItem: 2.5, GetItem: 1.5 };

function bodies(operation: 'PutItem' | 'GetItem'): string[] {
  return Array.from({ length: KEYS }, (_, i) =>
    JSON.stringify(
      operation === 'PutItem'
        ? { TableName: TABLE, Item: userItem(i) }
        : { TableName: TABLE, Key: userKey(i) },
    ),
  );
}

async function drive(
  peer: Peer,
  operation: 'PutItem' | 'GetItem',
  seconds: number,
): Promise<{ rate: number; cpuUs: number }> {
  const cpuBefore = processCpuMs(peer.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${peer.port}`,
    connections: 16,
    duration: seconds,
    requests: bodies(operation).map((body) => ({
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        'x-amz-date': '20250101T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' +
          '0'.repeat(64),
      },
      body,
    })),
  });
  const cpuAfter = processCpuMs(peer.pid);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${peer.kind} ${operation}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  const cpuUs =
    cpuBefore !== undefined && cpuAfter !== undefined
      ? ((cpuAfter - cpuBefore) * 1000) / result.requests.total
      : NaN;
  return { rate: result.requests.total / seconds, cpuUs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function runCrosscheckBench(): Promise<Record<string, number>> {
  const seconds = benchSeconds();
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3) || 3);
  console.log(`\n== Cross-check with autocannon: c = 16, ${rounds} rounds of ${seconds} s, medians ==`);
  const peers: Peer[] = [];
  const results: Record<string, number> = {};
  try {
    for (const { kind } of PEERS) {
      const peer = await startPeer(kind);
      peers.push(peer);
      await createBenchTable(peer.port);
      await loadDataset(peer.port, { users: KEYS, partitions: 0 });
    }
    console.log('  operation  server                 ops/s   cpu µs/req');
    for (const operation of ['PutItem', 'GetItem'] as const) {
      const rates = peers.map(() => [] as number[]);
      const cpus = peers.map(() => [] as number[]);
      for (const peer of peers) await drive(peer, operation, Math.min(1, seconds));
      for (let round = 0; round < rounds; round++) {
        for (const [i, peer] of peers.entries()) {
          const r = await drive(peer, operation, seconds);
          rates[i]!.push(r.rate);
          cpus[i]!.push(r.cpuUs);
        }
      }
      for (const [i, { label }] of PEERS.entries()) {
        console.log(
          `  ${operation.padEnd(9)}  ${label.padEnd(20)} ${median(rates[i]!).toFixed(0).padStart(7)}   ${median(cpus[i]!).toFixed(0).padStart(6)}`,
        );
      }
      const ratio = median(rates[0]!) / median(rates[1]!);
      const cpuRatio = median(cpus[1]!) / median(cpus[0]!);
      const target = TARGETS[operation]!;
      console.log(
        `  ${operation}: sortkey ÷ dynalite ${ratio.toFixed(2)}× by throughput, ${cpuRatio.toFixed(2)}× by server CPU per request (target ≥ ${target}×: ${ratio >= target ? 'met' : 'MISSED'})`,
      );
      results[`${operation} ratio`] = ratio;
      results[`${operation} cpu ratio`] = cpuRatio;
    }
  } finally {
    await Promise.all(peers.map((p) => p.stop()));
  }
  return results;
}
