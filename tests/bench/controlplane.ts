// `npm run bench -- controlplane`: does long control-plane work freeze the endpoint? A server on a
// file holding a 200k-item table (BENCH_CONTROLPLANE_ITEMS to change it) runs, one after another,
// UpdateTimeToLive (enable), UpdateContinuousBackups (enable PITR), CreateBackup,
// RestoreTableFromBackup, RestoreTableToPointInTime, UpdateTable (add a GSI) and DeleteTable with
// PITR on, each until its transitional status ends (ENABLED, AVAILABLE, ACTIVE, the system backup
// AVAILABLE). Meanwhile a probe sends GetItem requests to another table, one at a time, through the
// endpoint; each row prints the probe's p99 and max beside the target (p99 ≤ 50 ms), the operation's
// own answer time, and the probe's p99 with nothing running as the baseline.
/* eslint-disable @typescript-eslint/no-explicit-any -- the answers are JSON, read loosely */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../engine/engine.js';
import { call, callOk } from './loadgen.js';
import { startPeer } from './peers.js';

const TARGET_P99_MS = 50;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

function keyTable(engine: Engine, name: string): void {
  engine.execute('CreateTable', {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

function load(engine: Engine, count: number): void {
  const farFuture = Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600;
  for (let from = 0; from < count; from += 5000) {
    engine.ctx.db.transaction(() => {
      for (let i = from; i < Math.min(count, from + 5000); i += 25) {
        const puts = [];
        for (let j = i; j < Math.min(count, i + 25); j++) {
          puts.push({
            PutRequest: {
              Item: {
                pk: { S: `item#${j}` },
                g: { S: `group#${j % 100}` },
                name: { S: `name ${j}` },
                n: { N: String(j) },
                expires: { N: String(farFuture + j) },
              },
            },
          });
        }
        engine.execute('BatchWriteItem', { RequestItems: { Big: puts } });
      }
    });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runControlPlaneBench(): Promise<Record<string, number>> {
  const items = Number(process.env.BENCH_CONTROLPLANE_ITEMS ?? 200_000);
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-bench-cp-'));
  const path = join(dir, 'db.sqlite');
  const results: Record<string, number> = {};
  console.log(`\n## Control plane during long work — ${items.toLocaleString()} items, GetItem probe p99`);
  const loadStart = performance.now();
  const engine = new Engine({ path });
  keyTable(engine, 'Big');
  keyTable(engine, 'Probe');
  engine.execute('PutItem', { TableName: 'Probe', Item: { pk: { S: 'p' }, v: { S: 'x' } } });
  load(engine, items);
  engine.close();
  console.log(`loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

  const peer = await startPeer('sortkey-file', { path });
  const port = peer.port;
  try {
    /** Probes GetItem one at a time until `done()`; returns the latencies. */
    const probe = async (done: () => boolean): Promise<number[]> => {
      const lat: number[] = [];
      while (!done()) {
        const t = performance.now();
        const r = await call(port, 'GetItem', {
          TableName: 'Probe',
          Key: { pk: { S: 'p' } },
        });
        lat.push(performance.now() - t);
        if (r.status !== 200) throw new Error(`probe answered ${r.status}`);
      }
      return lat;
    };

    // Baseline: the probe alone for two seconds.
    const until = performance.now() + 2000;
    const base = await probe(() => performance.now() > until);
    const baseP99 = percentile(base, 99);
    results.baseline_p99_ms = baseP99;
    console.log(`baseline (nothing running): p99 ${baseP99.toFixed(2)} ms over ${base.length} probes`);
    console.log(
      `${'operation'.padEnd(34)} ${'probe p99'.padStart(10)} ${'max'.padStart(9)} ${'target'.padStart(8)} ${'answer'.padStart(9)} ${'finished'.padStart(9)}  probes`,
    );

    const ops: {
      name: string;
      target: string;
      body: unknown;
      finished: () => Promise<boolean>;
    }[] = [
      {
        name: 'UpdateTimeToLive (enable)',
        target: 'UpdateTimeToLive',
        body: { TableName: 'Big', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } },
        finished: async () =>
          ((await callOk(port, 'DescribeTimeToLive', { TableName: 'Big' })) as any).TimeToLiveDescription
            .TimeToLiveStatus === 'ENABLED',
      },
      {
        name: 'UpdateContinuousBackups (PITR on)',
        target: 'UpdateContinuousBackups',
        body: { TableName: 'Big', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
        finished: async () =>
          ((await callOk(port, 'DescribeContinuousBackups', { TableName: 'Big' })) as any)
            .ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus ===
          'ENABLED',
      },
      {
        name: 'CreateBackup',
        target: 'CreateBackup',
        body: { TableName: 'Big', BackupName: 'bench' },
        finished: async () => {
          const list = (await callOk(port, 'ListBackups', { TableName: 'Big' })) as any;
          return list.BackupSummaries[0]?.BackupStatus === 'AVAILABLE';
        },
      },
      {
        name: 'RestoreTableFromBackup',
        target: 'RestoreTableFromBackup',
        body: async () => {
          const list = (await callOk(port, 'ListBackups', { TableName: 'Big' })) as any;
          return { BackupArn: list.BackupSummaries[0].BackupArn, TargetTableName: 'FromBackup' };
        },
        finished: async () =>
          ((await callOk(port, 'DescribeTable', { TableName: 'FromBackup' })) as any).Table.TableStatus ===
          'ACTIVE',
      },
      {
        name: 'RestoreTableToPointInTime',
        target: 'RestoreTableToPointInTime',
        body: { SourceTableName: 'Big', TargetTableName: 'FromPitr', UseLatestRestorableTime: true },
        finished: async () =>
          ((await callOk(port, 'DescribeTable', { TableName: 'FromPitr' })) as any).Table.TableStatus ===
          'ACTIVE',
      },
      {
        name: 'UpdateTable (add a GSI)',
        target: 'UpdateTable',
        body: {
          TableName: 'Big',
          AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: 'byGroup',
                KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
                Projection: { ProjectionType: 'KEYS_ONLY' },
              },
            },
          ],
        },
        finished: async () => {
          const t = ((await callOk(port, 'DescribeTable', { TableName: 'Big' })) as any).Table;
          return t.GlobalSecondaryIndexes?.[0]?.IndexStatus === 'ACTIVE';
        },
      },
      {
        name: 'DeleteTable (PITR on)',
        target: 'DeleteTable',
        body: { TableName: 'Big' },
        finished: async () => {
          const list = (await callOk(port, 'ListBackups', { BackupType: 'SYSTEM' })) as any;
          return list.BackupSummaries[0]?.BackupStatus === 'AVAILABLE';
        },
      },
    ];
    const key = (s: string) => s.replace(/[^A-Za-z]+/g, '_').replace(/_$/, '');
    for (const op of ops) {
      const body = typeof op.body === 'function' ? await (op.body as () => Promise<unknown>)() : op.body;
      let finished = false;
      const started = performance.now();
      const probing = probe(() => finished);
      const t = performance.now();
      const answer = await call(port, op.target, body);
      const answerMs = performance.now() - t;
      if (answer.status !== 200) throw new Error(`${op.name} answered ${answer.status}: ${answer.body}`);
      while (!(await op.finished())) await sleep(50);
      const totalMs = performance.now() - started;
      finished = true;
      const lat = await probing;
      const p99 = percentile(lat, 99);
      const max = Math.max(...lat);
      results[`${key(op.name)}_p99_ms`] = p99;
      results[`${key(op.name)}_finished_ms`] = totalMs;
      console.log(
        `${op.name.padEnd(34)} ${`${p99.toFixed(1)} ms`.padStart(10)} ${`${max.toFixed(1)} ms`.padStart(9)} ${`≤ ${TARGET_P99_MS}`.padStart(8)} ${`${answerMs.toFixed(1)} ms`.padStart(9)} ${`${(totalMs / 1000).toFixed(1)} s`.padStart(9)}  ${lat.length}${p99 <= TARGET_P99_MS ? '' : '  ← over target'}`,
      );
    }
  } finally {
    await peer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
