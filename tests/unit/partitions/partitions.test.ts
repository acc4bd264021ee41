// The partition model (engine/partitions) through the engine: partitions for throughput, splits
// for size and heat, isolation of a hot key, persistence across a restart, sizes counted again
// after another process's writes, and strict throttling per partition.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import type { EngineOptions } from '../../../engine/engine.js';
import type { DescribePartitionsOutput } from '../../../engine/operations/describePartitions.js';
import { ON_DEMAND_THROUGHPUT_EXCEEDED } from '../../../engine/throttle/errors.js';
import { assertError, call, scratchEngine } from '../../support/engine.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

function describeMap(
  e: Engine,
  table: string,
  extra: Record<string, unknown> = {},
): DescribePartitionsOutput {
  return e.executeSortkey('DescribePartitions', { TableName: table, ...extra }) as DescribePartitionsOutput;
}

function createTable(e: Engine, name: string, throughput?: [number, number]): void {
  call(e, 'CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'ByG',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
        ...(throughput ? { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } : {}),
      },
    ],
    ...(throughput
      ? { ProvisionedThroughput: { ReadCapacityUnits: throughput[0], WriteCapacityUnits: throughput[1] } }
      : { BillingMode: 'PAY_PER_REQUEST' }),
  });
}

const put = (e: Engine, table: string, pk: string, extra: Record<string, unknown> = {}) =>
  call(e, 'PutItem', { TableName: table, Item: { pk: { S: pk }, ...extra } });

/** The partitions are contiguous hash ranges covering the whole hash space. */
function assertCovers(d: DescribePartitionsOutput): void {
  assert.equal(d.Partitions[0]!.HashRangeStart, '00000000');
  assert.equal(d.Partitions.at(-1)!.HashRangeEnd, '100000000');
  for (let i = 1; i < d.Partitions.length; i++)
    assert.equal(d.Partitions[i]!.HashRangeStart, d.Partitions[i - 1]!.HashRangeEnd);
}

/** Sizes per partition, counted from the stored rows (what the model must agree with). */
function countedSizes(e: Engine, table: string): [number, number][] {
  const d = describeMap(e, table);
  const t = e.ctx.catalog.get(table)!;
  return d.Partitions.map((p) => {
    const row = e.ctx.db.sqlite
      .prepare(`SELECT count(*) AS n, coalesce(sum(size), 0) AS s FROM "${t.sqlName}" WHERE h >= ? AND h < ?`)
      .get(parseInt(p.HashRangeStart, 16), parseInt(p.HashRangeEnd, 16)) as { n: number; s: number };
    return [row.n, row.s];
  });
}

describe('partitions for throughput', () => {
  it('starts with one partition per 3,000 RCU + 1,000 WCU (four on demand) and never merges', () => {
    const e = scratchEngine();
    createTable(e, 'OnDemand');
    let d = describeMap(e, 'OnDemand');
    assert.equal(d.Partitions.length, 4);
    assertCovers(d);
    assert.equal(describeMap(e, 'OnDemand', { IndexName: 'ByG' }).Partitions.length, 4);

    createTable(e, 'Prov', [6000, 1000]);
    assert.equal(describeMap(e, 'Prov').Partitions.length, 3);
    assert.equal(describeMap(e, 'Prov', { IndexName: 'ByG' }).Partitions.length, 1);
    call(e, 'UpdateTable', {
      TableName: 'Prov',
      ProvisionedThroughput: { ReadCapacityUnits: 6000, WriteCapacityUnits: 3000 },
    });
    d = describeMap(e, 'Prov');
    assert.equal(d.Partitions.length, 5);
    assertCovers(d);
    assert.ok(d.Splits.every((s) => s.Reason === 'THROUGHPUT'));
    call(e, 'UpdateTable', {
      TableName: 'Prov',
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    });
    assert.equal(describeMap(e, 'Prov').Partitions.length, 5);
    e.close();
  });

  it('answers DynamoDB-shaped errors for bad input', () => {
    const e = scratchEngine();
    createTable(e, 'Tab');
    assertError(
      () => e.executeSortkey('DescribePartitions', {}),
      'ValidationException',
      'TableName is required',
    );
    assertError(() => describeMap(e, 'Nope'), 'ResourceNotFoundException', /Table: Nope not found/);
    assertError(
      () => describeMap(e, 'Tab', { IndexName: 'Nope' }),
      'ResourceNotFoundException',
      /Index: Nope/,
    );
    assertError(() => describeMap(e, 'Tab', { HeatSeconds: 0 }), 'ValidationException', /HeatSeconds/);
    e.close();
  });
});

describe('split for size', () => {
  it('splits a partition that outgrows the size limit where its bytes are halved', () => {
    const e = scratchEngine({ partitionSizeLimitBytes: 8 * 1024 });
    createTable(e, 'Big', [1, 1]);
    assert.equal(describeMap(e, 'Big').Partitions.length, 1);
    for (let i = 0; i < 60; i++)
      put(e, 'Big', `item-${i}`, { g: { S: `g${i % 7}` }, pad: { S: 'x'.repeat(500) } });
    // Every write's size went to its partitions, the table's and the GSI's (before any recount).
    const table = e.ctx.catalog.get('Big')!;
    const gsi = table.indexes.get('ByG')!;
    for (const [totals, counters] of [
      [e.ctx.partitions.mapOf(table).totals(), e.ctx.catalog.counters(table)],
      [e.ctx.partitions.mapOf(table, gsi).totals(), e.ctx.catalog.indexCounters(gsi)],
    ] as const) {
      assert.equal(Math.round(totals.items), counters.itemCount);
      assert.equal(Math.round(totals.bytes), counters.sizeBytes);
    }
    assert.ok(e.ctx.partitions.mapOf(table, gsi).partitions.length > 1, 'the GSI split for size too');
    const d = describeMap(e, 'Big', { SampleKeys: 2 });
    assertCovers(d);
    assert.ok(d.Partitions.length >= 4, `${d.Partitions.length} partitions`);
    assert.ok(d.Splits.length >= 3 && d.Splits.every((s) => s.Reason === 'SIZE'));
    for (const p of d.Partitions) {
      assert.ok(p.SizeBytes <= 8 * 1024, `${p.SizeBytes} bytes`);
      assert.equal(p.CreatedBy === 'INITIAL' || p.CreatedBy === 'SIZE', true);
      if (p.ItemCount > 0) assert.ok(p.SampleKeys.length > 0 && p.SampleKeys[0]!.pk !== undefined);
    }
    // Exactly what the rows in each range add up to, and the table's statistics.
    assert.deepEqual(
      d.Partitions.map((p) => [p.ItemCount, p.SizeBytes]),
      countedSizes(e, 'Big'),
    );
    const desc = call(e, 'DescribeTable', { TableName: 'Big' }).Table;
    assert.equal(d.ItemCount, desc.ItemCount);
    assert.equal(d.SizeBytes, desc.TableSizeBytes);
    // Deletes shrink partitions; none is merged.
    for (let i = 0; i < 60; i++) call(e, 'DeleteItem', { TableName: 'Big', Key: { pk: { S: `item-${i}` } } });
    const after = describeMap(e, 'Big');
    assert.equal(after.Partitions.length, d.Partitions.length);
    assert.ok(after.Partitions.every((p) => p.ItemCount === 0 && p.SizeBytes === 0));
    // The GSI has partitions of its own, sized by its rows.
    const g = describeMap(e, 'Big', { IndexName: 'ByG' });
    assert.equal(g.ItemCount, 0);
    e.close();
  });

  it('keeps boundaries, sizes and splits across a restart, and recounts after another process wrote', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-partitions-'));
    const path = join(dir, 'db.sqlite');
    const options: EngineOptions = { path, partitionSizeLimitBytes: 4096, metricsFlushIntervalMs: 0 };
    try {
      let e = new Engine(options);
      createTable(e, 'Kept', [1, 1]);
      for (let i = 0; i < 30; i++) put(e, 'Kept', `k${i}`, { pad: { S: 'y'.repeat(400) } });
      const before = describeMap(e, 'Kept');
      assert.ok(before.Partitions.length > 1);
      e.close();

      e = new Engine(options);
      const after = describeMap(e, 'Kept');
      assert.deepEqual(
        after.Partitions.map((p) => [p.HashRangeStart, p.ItemCount, p.SizeBytes, p.CreatedBy]),
        before.Partitions.map((p) => [p.HashRangeStart, p.ItemCount, p.SizeBytes, p.CreatedBy]),
      );
      assert.deepEqual(after.Splits, before.Splits);

      // Another process writes: this one's sizes disagree with the table's statistics, and are
      // counted again from the rows.
      const other = new Engine(options);
      for (let i = 30; i < 40; i++) put(other, 'Kept', `k${i}`, { pad: { S: 'z'.repeat(100) } });
      other.close();
      const recounted = describeMap(e, 'Kept');
      assert.equal(recounted.ItemCount, 40);
      assert.deepEqual(
        recounted.Partitions.map((p) => [p.ItemCount, p.SizeBytes]),
        countedSizes(e, 'Kept'),
      );
      // DeleteTable removes the saved map: a new table of that name starts afresh.
      call(e, 'DeleteTable', { TableName: 'Kept' });
      createTable(e, 'Kept', [1, 1]);
      assert.equal(describeMap(e, 'Kept').Partitions.length, 1);
      e.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('split for heat and adaptive capacity', () => {
  /** Two keys of the on-demand table 'Heat' on the same partition, and one on another. */
  function keysOnOnePartition(e: Engine): { a: string; b: string; elsewhere: string } {
    const t = e.ctx.catalog.get('Heat')!;
    const byPartition = new Map<number, string[]>();
    for (let i = 0; i < 50; i++) {
      const k = `key${i}`;
      const { partition } = e.ctx.partitions.locate(t, undefined, { pk: { S: k } });
      byPartition.set(partition.start, [...(byPartition.get(partition.start) ?? []), k]);
    }
    const groups = [...byPartition.values()].sort((x, y) => y.length - x.length);
    return { a: groups[0]![0]!, b: groups[0]![1]!, elsewhere: groups[1]![0]! };
  }

  const big = { blob: { S: 'x'.repeat(99 * 1024) } }; // 100 WCU a write

  it('isolates a key that carries most of a hot partition, which then has the whole ceiling', () => {
    const clock = { t: T0 };
    const e = scratchEngine({ now: () => clock.t, throttle: 'strict', partitionHeatSeconds: 3 });
    createTable(e, 'Heat');
    const { a, b } = keysOnOnePartition(e);
    // `a` takes 900 WCU a second and `b` 100, on one partition, for four seconds.
    for (let s = 0; s < 4; s++) {
      for (let i = 0; i < 9; i++) put(e, 'Heat', a, big);
      put(e, 'Heat', b, big);
      clock.t += 1000;
    }
    put(e, 'Heat', a, big);
    const d = describeMap(e, 'Heat');
    assertCovers(d);
    const iso = d.Splits.find((s) => s.Reason === 'ISOLATION');
    assert.ok(iso, JSON.stringify(d.Splits));
    assert.deepEqual(iso.Key, { pk: { S: a } });
    assert.equal(d.Partitions.length, 6);
    const own = d.Partitions.filter((p) => p.Isolated);
    assert.equal(own.length, 1);
    assert.equal(d.AdaptiveCapacity?.Isolated, true);
    assert.deepEqual(d.AdaptiveCapacity?.Key, { pk: { S: a } });
    // On its own partition, `a` gets its full 1,000 WCU in a second while `b` writes alongside.
    clock.t += 1000;
    for (let i = 0; i < 10; i++) put(e, 'Heat', a, big);
    for (let i = 0; i < 5; i++) put(e, 'Heat', b, big);
    // …but a key never gets more than 1,000 WCU.
    assertError(() => put(e, 'Heat', a, big), 'ThrottlingException', ON_DEMAND_THROUGHPUT_EXCEEDED);
    e.close();
  });

  it('splits a hot partition between its busy keys when no key dominates', () => {
    const clock = { t: T0 };
    const e = scratchEngine({ now: () => clock.t, throttle: 'strict', partitionHeatSeconds: 2 });
    createTable(e, 'Heat');
    const { a, b } = keysOnOnePartition(e);
    const before = describeMap(e, 'Heat');
    assert.ok(before.AdaptiveCapacity === undefined);
    for (let s = 0; s < 3; s++) {
      for (let i = 0; i < 5; i++) {
        put(e, 'Heat', a, big);
        put(e, 'Heat', b, big);
      }
      clock.t += 1000;
    }
    put(e, 'Heat', a, big);
    const d = describeMap(e, 'Heat');
    assert.deepEqual(
      d.Splits.map((s) => s.Reason),
      ['HEAT'],
    );
    const t = e.ctx.catalog.get('Heat')!;
    const pa = e.ctx.partitions.locate(t, undefined, { pk: { S: a } }).partition;
    const pb = e.ctx.partitions.locate(t, undefined, { pk: { S: b } }).partition;
    assert.notEqual(pa.start, pb.start);
    e.close();
  });

  it('shows the heat of each partition and how adaptive capacity would isolate the hottest key', () => {
    const clock = { t: T0 };
    const e = scratchEngine({ now: () => clock.t });
    createTable(e, 'Heat');
    const { a, b } = keysOnOnePartition(e);
    for (let i = 0; i < 6; i++) put(e, 'Heat', a);
    put(e, 'Heat', b);
    const d = describeMap(e, 'Heat', { HeatSeconds: 1 });
    const p = d.Partitions.find((x) =>
      x.HotKeys.some((k) => (k.Key.pk as { S?: string } | undefined)?.S === a),
    )!;
    assert.equal(p.ConsumedWriteCapacityUnits, 7);
    assert.deepEqual(p.HotKeys[0]!.Key, { pk: { S: a } });
    assert.ok(Math.abs(p.HotKeys[0]!.Share - 6 / 7) < 1e-9);
    const ac = d.AdaptiveCapacity!;
    assert.equal(ac.Isolated, false);
    assert.equal(ac.WouldSplitInto?.length, 3);
    assert.match(ac.Explanation, /isolates the key/);
    e.close();
  });
});

describe('strict throttling per partition', () => {
  it('two keys on one partition share its 1,000 WCU; keys on other partitions do not', () => {
    const clock = { t: T0 };
    const e = scratchEngine({ now: () => clock.t, throttle: 'strict' });
    createTable(e, 'Heat');
    const t = e.ctx.catalog.get('Heat')!;
    const byPartition = new Map<number, string[]>();
    for (let i = 0; i < 50; i++) {
      const k = `key${i}`;
      const { partition } = e.ctx.partitions.locate(t, undefined, { pk: { S: k } });
      byPartition.set(partition.start, [...(byPartition.get(partition.start) ?? []), k]);
    }
    const [group, other] = [...byPartition.values()].sort((x, y) => y.length - x.length);
    const [a, b] = group!;
    const big = { blob: { S: 'x'.repeat(399 * 1024) } }; // 400 WCU
    put(e, 'Heat', a!, big);
    put(e, 'Heat', a!, big);
    put(e, 'Heat', b!, big); // admitted at 200 left on the partition: 1,200 units this second
    const err = assertError(
      () => put(e, 'Heat', b!, big),
      'ThrottlingException',
      ON_DEMAND_THROUGHPUT_EXCEEDED,
    );
    assert.equal(
      (err.extra as { ThrottlingReasons: { reason: string }[] }).ThrottlingReasons[0]!.reason,
      'TableWriteKeyRangeThroughputExceeded',
    );
    put(e, 'Heat', other![0]!, big); // another partition has its own ceiling
    clock.t += 1000;
    put(e, 'Heat', b!, big);
    e.close();
  });
});
