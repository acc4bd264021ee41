// Metrics with an injected clock: capacity per operation as recorded in the series, series values
// under a known load, latency statistics, errors, gauges, disk persistence and GetMetrics' input.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import type { GetMetricsOutput, MetricSeries } from '../../../engine/metrics/query.js';
import { assertError, call, errorOf, scratchEngine } from '../../support/engine.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0); // a whole minute
const S0 = T0 / 1000;

function clocked(options: Parameters<typeof scratchEngine>[0] = {}) {
  const clock = { t: T0 };
  const e = scratchEngine({ now: () => clock.t, ...options });
  return { e, clock };
}

function metrics(e: Engine, input: Record<string, unknown>): GetMetricsOutput {
  return e.executeSortkey('GetMetrics', input) as GetMetricsOutput;
}

function series(out: GetMetricsOutput, name: string, dim?: string): MetricSeries {
  const s = out.Metrics.find(
    (m) => m.MetricName === name && (dim === undefined || m.Operation === dim || m.ErrorType === dim),
  );
  assert.ok(s, `series ${name} ${dim ?? ''}`);
  return s;
}

function createTable(e: Engine, name: string, extra: Record<string, unknown> = {}): void {
  call(e, 'CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
      { AttributeName: 'l', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byL',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'l', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  });
}

const one = (s: MetricSeries, stat = 'Sum') => (s.Statistics as Record<string, (number | null)[]>)[stat]![0];

describe('capacity per operation, in the series', () => {
  it('records what each operation consumed on the table and on each index, asked for or not', () => {
    const { e, clock } = clocked();
    createTable(e, 'Cap');
    const window = () => ({ TableName: 'Cap', StartTime: clock.t / 1000, EndTime: clock.t / 1000 + 1 });
    const consumed = (index?: string) => {
      const out = metrics(e, {
        ...window(),
        ...(index ? { IndexName: index } : {}),
        Metrics: ['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits'],
      });
      return [one(series(out, 'ConsumedReadCapacityUnits')), one(series(out, 'ConsumedWriteCapacityUnits'))];
    };
    const step = () => (clock.t += 1000);

    // 2.5 KB with both index keys: 3 WCU on the table, 3 on the GSI, 3 on the LSI (counted with the table).
    const big = {
      pk: { S: 'a' },
      sk: { S: '1' },
      g: { S: 'x' },
      l: { S: 'y' },
      blob: { S: 'x'.repeat(2500) },
    };
    call(e, 'PutItem', { TableName: 'Cap', Item: big });
    assert.deepEqual(consumed(), [0, 6]);
    assert.deepEqual(consumed('byG'), [0, 3]);
    assert.deepEqual(consumed('byL'), [0, 3]);
    step();
    // Reads: eventually consistent half, strongly consistent whole 4 KB units.
    call(e, 'GetItem', { TableName: 'Cap', Key: { pk: { S: 'a' }, sk: { S: '1' } } });
    call(e, 'GetItem', { TableName: 'Cap', Key: { pk: { S: 'a' }, sk: { S: '1' } }, ConsistentRead: true });
    call(e, 'GetItem', { TableName: 'Cap', Key: { pk: { S: 'none' }, sk: { S: '1' } } });
    assert.deepEqual(consumed(), [2, 0]);
    step();
    // A GSI query is charged to the index, not the table.
    call(e, 'Query', {
      TableName: 'Cap',
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'x' } },
    });
    assert.deepEqual(consumed(), [0, 0]);
    assert.deepEqual(consumed('byG'), [0.5, 0]);
    step();
    // Transactions cost double.
    call(e, 'TransactWriteItems', {
      TransactItems: [{ Put: { TableName: 'Cap', Item: { pk: { S: 'b' }, sk: { S: '1' } } } }],
    });
    call(e, 'TransactGetItems', {
      TransactItems: [{ Get: { TableName: 'Cap', Key: { pk: { S: 'b' }, sk: { S: '1' } } } }],
    });
    assert.deepEqual(consumed(), [2, 2]);
    step();
    // A failed conditional write still consumes a unit; PartiQL is metered like the API.
    errorOf(() =>
      call(e, 'PutItem', {
        TableName: 'Cap',
        Item: { pk: { S: 'b' }, sk: { S: '1' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    call(e, 'ExecuteStatement', { Statement: `SELECT * FROM "Cap" WHERE pk = 'b' AND sk = '1'` });
    assert.deepEqual(consumed(), [0.5, 1]);
    e.close();
  });
});

describe('series under a known load', () => {
  it('sums per second, averages per period, and keeps requests, items, errors and throttles apart', () => {
    const { e, clock } = clocked({ throttle: 'provisioned' });
    call(e, 'CreateTable', {
      TableName: 'Load',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 10 },
    });
    clock.t += 60_000; // 600 WCU saved
    // 10 seconds: 10 writes and 2 queries each second, one conditional failure each second.
    for (let s = 0; s < 10; s++) {
      clock.t = T0 + 60_000 + s * 1000;
      for (let i = 0; i < 10; i++)
        call(e, 'PutItem', { TableName: 'Load', Item: { pk: { S: `k${i}` }, n: { N: String(s) } } });
      for (let i = 0; i < 2; i++) {
        call(e, 'Query', {
          TableName: 'Load',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'k1' } },
        });
      }
      errorOf(() =>
        call(e, 'DeleteItem', {
          TableName: 'Load',
          Key: { pk: { S: 'k1' } },
          ConditionExpression: 'n = :x',
          ExpressionAttributeValues: { ':x': { N: '-1' } },
        }),
      );
    }
    // Provisioned throughput changes half-way through the next 10 seconds.
    clock.t = T0 + 75_000;
    call(e, 'UpdateTable', {
      TableName: 'Load',
      ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 20 },
    });
    clock.t = T0 + 80_000;

    const out = metrics(e, { TableName: 'Load', StartTime: S0 + 60, EndTime: S0 + 80, Period: 5 });
    assert.deepEqual(out.Timestamps, [S0 + 60, S0 + 65, S0 + 70, S0 + 75]);
    const cw = series(out, 'ConsumedWriteCapacityUnits');
    // 10 puts + 1 failed condition = 11 units a second.
    assert.deepEqual(cw.Statistics.Sum, [55, 55, 0, 0]);
    assert.deepEqual(cw.Statistics.Average, [11, 11, 0, 0]);
    assert.deepEqual(cw.Statistics.Maximum, [11, 11, 0, 0]);
    assert.deepEqual(series(out, 'ConsumedReadCapacityUnits').Statistics.Sum, [5, 5, 0, 0]);
    assert.deepEqual(series(out, 'ProvisionedWriteCapacityUnits').Statistics.Maximum, [10, 10, 10, 20]);
    assert.deepEqual(series(out, 'ProvisionedReadCapacityUnits').Statistics.Maximum, [100, 100, 100, 100]);
    const putLatency = series(out, 'SuccessfulRequestLatency', 'PutItem');
    assert.deepEqual(putLatency.Statistics.SampleCount, [50, 50, 0, 0]);
    assert.equal(putLatency.Unit, 'Milliseconds');
    const stats = putLatency.Statistics as Record<string, (number | null)[]>;
    for (const k of [0, 1]) {
      assert.ok(stats.p50![k]! > 0);
      assert.ok(
        stats.p50![k]! <= stats.p90![k]! &&
          stats.p90![k]! <= stats.p99![k]! &&
          stats.p99![k]! <= stats.Maximum![k]!,
      );
      assert.ok(stats.Average![k]! > 0 && stats.Average![k]! <= stats.Maximum![k]!);
    }
    assert.deepEqual(stats.p50!.slice(2), [null, null]);
    assert.deepEqual(series(out, 'SuccessfulRequestLatency', 'Query').Statistics.SampleCount, [10, 10, 0, 0]);
    const returned = series(out, 'ReturnedItemCount', 'Query');
    assert.deepEqual(returned.Statistics.Sum, [10, 10, 0, 0]);
    assert.deepEqual(returned.Statistics.Average, [1, 1, null, null]);
    assert.deepEqual(series(out, 'Errors', 'ConditionalCheckFailedException').Statistics.Sum, [5, 5, 0, 0]);
    assert.deepEqual(series(out, 'ConditionalCheckFailedRequests').Statistics.Sum, [5, 5, 0, 0]);
    assert.deepEqual(series(out, 'UserErrors').Statistics.Sum, [0, 0, 0, 0]);
    assert.deepEqual(series(out, 'SystemErrors').Statistics.Sum, [0, 0, 0, 0]);
    assert.deepEqual(
      series(out, 'SuccessfulRequestLatency', 'UpdateTable').Statistics.SampleCount,
      [0, 0, 0, 1],
    );
    // Item count and size: the live value in the period holding now.
    const now = metrics(e, {
      TableName: 'Load',
      Metrics: ['ItemCount', 'TableSizeBytes'],
      StartTime: S0 + 79,
      EndTime: S0 + 81,
    });
    assert.deepEqual(series(now, 'ItemCount').Statistics.Maximum, [null, 10]);
    assert.equal(series(now, 'TableSizeBytes').Unit, 'Bytes');

    // Throttling: exhaust the write bucket, then count throttle events and throttled requests.
    clock.t = T0 + 90_000;
    let throttled = 0;
    for (let i = 0; i < 10_000 && throttled < 3; i++) {
      try {
        call(e, 'PutItem', { TableName: 'Load', Item: { pk: { S: `t${i}` } } });
      } catch {
        throttled++;
      }
    }
    const t = metrics(e, {
      TableName: 'Load',
      StartTime: S0 + 90,
      EndTime: S0 + 91,
      Metrics: ['WriteThrottleEvents', 'ThrottledRequests', 'Errors'],
    });
    assert.deepEqual(series(t, 'WriteThrottleEvents').Statistics.Sum, [3]);
    assert.deepEqual(series(t, 'ThrottledRequests', 'PutItem').Statistics.Sum, [3]);
    assert.deepEqual(series(t, 'Errors', 'ProvisionedThroughputExceededException').Statistics.Sum, [3]);
    e.close();
  });

  it('sums the account (every table and GSI) when no table is named, and answers one index alone', () => {
    const { e } = clocked();
    createTable(e, 'Aaa');
    createTable(e, 'Bbb');
    call(e, 'PutItem', { TableName: 'Aaa', Item: { pk: { S: 'a' }, sk: { S: '1' }, g: { S: 'x' } } });
    call(e, 'PutItem', { TableName: 'Bbb', Item: { pk: { S: 'a' }, sk: { S: '1' } } });
    call(e, 'ListTables', {});
    errorOf(() => call(e, 'GetItem', { TableName: 'Nope', Key: { pk: { S: 'a' } } }));
    const out = metrics(e, { StartTime: S0, EndTime: S0 + 1 });
    assert.equal(out.TableName, undefined);
    assert.deepEqual(series(out, 'ConsumedWriteCapacityUnits').Statistics.Sum, [3]);
    assert.deepEqual(series(out, 'SuccessfulRequestLatency', 'PutItem').Statistics.SampleCount, [2]);
    assert.deepEqual(series(out, 'SuccessfulRequestLatency', 'ListTables').Statistics.SampleCount, [1]);
    assert.deepEqual(series(out, 'Errors', 'ResourceNotFoundException').Statistics.Sum, [1]);
    assert.deepEqual(series(out, 'UserErrors').Statistics.Sum, [1]);
    assert.equal(
      out.Metrics.some((m) => m.MetricName === 'ProvisionedReadCapacityUnits'),
      false,
    );
    assert.deepEqual(series(out, 'ItemCount').Statistics.Maximum, [2]);
    const index = metrics(e, { TableName: 'Aaa', IndexName: 'byG', StartTime: S0, EndTime: S0 + 1 });
    assert.deepEqual(
      index.Metrics.map((m) => m.MetricName),
      [
        'ConsumedReadCapacityUnits',
        'ConsumedWriteCapacityUnits',
        'ProvisionedReadCapacityUnits',
        'ProvisionedWriteCapacityUnits',
        'ReadThrottleEvents',
        'WriteThrottleEvents',
        'ItemCount',
        'TableSizeBytes',
      ],
    );
    assert.deepEqual(series(index, 'ConsumedWriteCapacityUnits').Statistics.Sum, [1]);
    assert.deepEqual(series(index, 'ItemCount').Statistics.Maximum, [1]);
    // Filter by operation.
    const gets = metrics(e, {
      TableName: 'Aaa',
      StartTime: S0,
      EndTime: S0 + 1,
      Metrics: ['SuccessfulRequestLatency'],
      Operation: 'PutItem',
    });
    assert.deepEqual(
      gets.Metrics.map((m) => m.Operation),
      ['PutItem'],
    );
    e.close();
  });

  it('validates its input', () => {
    const { e } = clocked();
    createTable(e, 'Val');
    assertError(() => metrics(e, { TableName: 'Missing' }), 'ResourceNotFoundException');
    assertError(() => metrics(e, { TableName: 'Val', IndexName: 'nope' }), 'ResourceNotFoundException');
    assertError(
      () => metrics(e, { TableName: 'Val', Metrics: ['Bogus'] }),
      'ValidationException',
      /Unknown metric: Bogus/,
    );
    assertError(() => metrics(e, { TableName: 'Val', Period: 0.5 }), 'ValidationException');
    assertError(
      () => metrics(e, { TableName: 'Val', StartTime: S0, EndTime: S0 - 1 }),
      'ValidationException',
    );
    assertError(
      () => metrics(e, { TableName: 'Val', StartTime: S0 - 86_400, EndTime: S0, Period: 1 }),
      'ValidationException',
      /Too many datapoints/,
    );
    // Defaults: the last 15 minutes at one second; ISO times are accepted.
    const d = metrics(e, { TableName: 'Val' });
    assert.equal(d.Period, 1);
    assert.equal(d.Timestamps.length, 900);
    const iso = metrics(e, {
      TableName: 'Val',
      StartTime: new Date(T0 - 3_600_000).toISOString(),
      EndTime: new Date(T0).toISOString(),
    });
    assert.equal(iso.Period, 60);
    assert.equal(iso.Timestamps.length, 60);
    e.close();
  });
});

describe('metrics on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-metrics-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps minute aggregates across a restart for a day, and prunes what is older', () => {
    const path = join(dir, 'm.sqlite');
    const clock = { t: T0 };
    let e = new Engine({ path, now: () => clock.t });
    createTable(e, 'Disk');
    for (let s = 0; s < 120; s += 10) {
      clock.t = T0 + s * 1000;
      for (let i = 0; i < 3; i++)
        call(e, 'PutItem', { TableName: 'Disk', Item: { pk: { S: `k${i}` }, sk: { S: '1' } } });
      call(e, 'GetItem', { TableName: 'Disk', Key: { pk: { S: 'k1' }, sk: { S: '1' } } });
    }
    clock.t = T0 + 150_000; // minutes 0 and 1 are complete
    e.ctx.usage.flush();
    e.close();

    clock.t = T0 + 3 * 3_600_000; // well past the in-memory hour
    e = new Engine({ path, now: () => clock.t });
    const out = metrics(e, { TableName: 'Disk', StartTime: S0, EndTime: S0 + 180, Period: 60 });
    assert.deepEqual(series(out, 'ConsumedWriteCapacityUnits').Statistics.Sum, [18, 18, 0]);
    assert.deepEqual(series(out, 'ConsumedWriteCapacityUnits').Statistics.Maximum, [3, 3, 0]);
    assert.deepEqual(series(out, 'ConsumedReadCapacityUnits').Statistics.Sum, [3, 3, 0]);
    const put = series(out, 'SuccessfulRequestLatency', 'PutItem').Statistics as Record<
      string,
      (number | null)[]
    >;
    assert.deepEqual(put.SampleCount, [18, 18, 0]);
    assert.ok(put.p99![0]! > 0 && put.p99![0]! <= put.Maximum![0]!);
    // The two-minute period merges both minutes' histograms.
    const merged = metrics(e, {
      TableName: 'Disk',
      StartTime: S0,
      EndTime: S0 + 120,
      Period: 120,
      Metrics: ['SuccessfulRequestLatency'],
    });
    assert.deepEqual(series(merged, 'SuccessfulRequestLatency', 'PutItem').Statistics.SampleCount, [36]);
    // Item count was sampled at each flush: the periodic one (minute 1) and the one on close (minute 2).
    const items = metrics(e, {
      TableName: 'Disk',
      StartTime: S0,
      EndTime: S0 + 180,
      Period: 60,
      Metrics: ['ItemCount'],
    });
    assert.deepEqual(series(items, 'ItemCount').Statistics.Maximum, [null, 3, 3]);
    // Per-second requests cannot reach back past the hour kept in memory.
    const seconds = metrics(e, {
      TableName: 'Disk',
      StartTime: S0,
      EndTime: S0 + 10,
      Period: 1,
      Metrics: ['ConsumedWriteCapacityUnits'],
    });
    assert.deepEqual(series(seconds, 'ConsumedWriteCapacityUnits').Statistics.Sum, new Array(10).fill(0));

    // A day and more later, the old minutes are gone.
    clock.t = T0 + 26 * 3_600_000;
    e.ctx.usage.flush();
    const gone = metrics(e, {
      TableName: 'Disk',
      StartTime: S0,
      EndTime: S0 + 180,
      Period: 60,
      Metrics: ['ConsumedWriteCapacityUnits'],
    });
    assert.deepEqual(series(gone, 'ConsumedWriteCapacityUnits').Statistics.Sum, [0, 0, 0]);
    e.close();
  });

  it('combines minutes a previous process wrote with what this one holds', () => {
    const path = join(dir, 'n.sqlite');
    const clock = { t: T0 + 10_000 };
    let e = new Engine({ path, now: () => clock.t });
    createTable(e, 'Twice');
    call(e, 'PutItem', { TableName: 'Twice', Item: { pk: { S: 'a' }, sk: { S: '1' } } });
    e.close(); // flushes the current, partial minute
    clock.t = T0 + 20_000; // same minute, new process
    e = new Engine({ path, now: () => clock.t });
    call(e, 'PutItem', { TableName: 'Twice', Item: { pk: { S: 'b' }, sk: { S: '1' } } });
    const out = metrics(e, {
      TableName: 'Twice',
      StartTime: S0,
      EndTime: S0 + 60,
      Period: 60,
      Metrics: ['ConsumedWriteCapacityUnits'],
    });
    assert.deepEqual(series(out, 'ConsumedWriteCapacityUnits').Statistics.Sum, [2]);
    clock.t = T0 + 70_000;
    e.ctx.usage.flush();
    const later = metrics(e, {
      TableName: 'Twice',
      StartTime: S0,
      EndTime: S0 + 60,
      Period: 60,
      Metrics: ['ConsumedWriteCapacityUnits'],
    });
    assert.deepEqual(series(later, 'ConsumedWriteCapacityUnits').Statistics.Sum, [2]);
    e.close();
  });
});

describe('provisioned throughput of tables that come and go', () => {
  it('records none from a table’s deletion on, through later tables’ changes, and again when the name returns', () => {
    const { e, clock } = clocked();
    const provisioned = (table: string, sec: number) => e.ctx.usage.tables.get(table)?.provisionedAt(sec);
    const create = (name: string, wcu: number) =>
      call(e, 'CreateTable', {
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: wcu },
      });
    create('Gone', 7);
    assert.deepEqual(provisioned('Gone', S0), { sec: S0, read: 5, write: 7 });
    clock.t = T0 + 10_000;
    call(e, 'DeleteTable', { TableName: 'Gone' });
    assert.equal(provisioned('Gone', S0 + 10), undefined);
    // Other tables' creations and deletions leave the gone table's series at none.
    for (let i = 0; i < 3; i++) {
      clock.t = T0 + 20_000 + i * 1000;
      create(`Other${i}`, 1);
      call(e, 'DeleteTable', { TableName: `Other${i}` });
    }
    assert.equal(provisioned('Gone', S0 + 25), undefined);
    assert.deepEqual(provisioned('Gone', S0 + 5), { sec: S0, read: 5, write: 7 });
    // The name comes back with other throughput: its series follows it, and drops again with it.
    clock.t = T0 + 30_000;
    create('Gone', 9);
    assert.deepEqual(provisioned('Gone', S0 + 30), { sec: S0 + 30, read: 5, write: 9 });
    clock.t = T0 + 40_000;
    call(e, 'DeleteTable', { TableName: 'Gone' });
    assert.equal(provisioned('Gone', S0 + 40), undefined);
  });
});
