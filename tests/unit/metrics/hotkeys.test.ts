// Hot keys (GetHotKeys) and the structures behind them: space-saving sketches, latency histograms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import {
  addCompact,
  BUCKETS,
  bucketLow,
  bucketOf,
  compact,
  fromBlob,
  quantile,
  toBlob,
} from '../../../engine/metrics/histogram.js';
import { HotKeyWindow, SpaceSaving } from '../../../engine/metrics/hotkeys.js';
import type { HotKey } from '../../../engine/metrics/hotkeys.js';
import { HOT_KEY_TARGET_RATE } from '../../../engine/metrics/monitor.js';
import { assertError, call, scratchEngine } from '../../support/engine.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

/** The string of an S attribute value. */
const sOf = (v: unknown): string | undefined => (v as { S?: string } | undefined)?.S;

interface HotKeys {
  StartTime: number;
  EndTime: number;
  MostAccessed: HotKey[];
  MostThrottled: HotKey[];
}

function hotKeys(e: Engine, input: Record<string, unknown>): HotKeys {
  return e.executeSortkey('GetHotKeys', input) as HotKeys;
}

function table(e: Engine, name: string, extra: Record<string, unknown> = {}): void {
  call(e, 'CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'N' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  });
}

describe('GetHotKeys', () => {
  it('ranks the partition keys accessed most, with reads, writes and units', () => {
    const clock = { t: T0 };
    const e = scratchEngine({ now: () => clock.t });
    table(e, 'Keys');
    for (let i = 0; i < 30; i++)
      call(e, 'PutItem', { TableName: 'Keys', Item: { pk: { S: 'hot' }, g: { N: '7' } } });
    for (let i = 0; i < 20; i++) call(e, 'GetItem', { TableName: 'Keys', Key: { pk: { S: 'hot' } } });
    for (let i = 0; i < 10; i++)
      call(e, 'UpdateItem', {
        TableName: 'Keys',
        Key: { pk: { S: 'warm' } },
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': { N: '1' } },
      });
    for (let i = 0; i < 5; i++) call(e, 'PutItem', { TableName: 'Keys', Item: { pk: { S: `cold${i}` } } });
    call(e, 'Query', {
      TableName: 'Keys',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'warm' } },
    });
    call(e, 'BatchGetItem', {
      RequestItems: { Keys: { Keys: [{ pk: { S: 'warm' } }, { pk: { S: 'cold1' } }] } },
    });
    call(e, 'Query', {
      TableName: 'Keys',
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { N: '7' } },
    });

    const h = hotKeys(e, { TableName: 'Keys', Limit: 3 });
    assert.deepEqual(
      h.MostAccessed.map((k) => [k.Key, k.Count, k.Reads, k.Writes]),
      [
        [{ pk: { S: 'hot' } }, 50, 20, 30],
        [{ pk: { S: 'warm' } }, 12, 2, 10],
        [{ pk: { S: 'cold1' } }, 2, 1, 1],
      ],
    );
    const hot = h.MostAccessed[0]!;
    // The first put also writes the GSI (2 units); the others change nothing it holds (1 unit).
    assert.equal(hot.ConsumedWriteCapacityUnits, 31);
    assert.equal(hot.ConsumedReadCapacityUnits, 10);
    assert.equal(hot.MaxOvercount, 0);
    assert.deepEqual(h.MostThrottled, []);
    assert.equal(h.EndTime - h.StartTime, 310);
    // An index has its own keys (the Query's partition).
    const gsi = hotKeys(e, { TableName: 'Keys', IndexName: 'byG' });
    assert.deepEqual(
      gsi.MostAccessed.map((k) => [k.Key, k.Count]),
      [[{ g: { N: '7' } }, 1]],
    );

    // The window moves on: ten minutes later nothing is hot, the last hour still remembers.
    clock.t += 600_000;
    assert.deepEqual(hotKeys(e, { TableName: 'Keys' }).MostAccessed, []);
    assert.equal(hotKeys(e, { TableName: 'Keys', WindowSeconds: 3600 }).MostAccessed[0]!.Count, 50);
    assertError(() => hotKeys(e, { TableName: 'Nope' }), 'ResourceNotFoundException');
    assertError(() => hotKeys(e, { TableName: 'Keys', Limit: 0 }), 'ValidationException');
    assertError(() => hotKeys(e, { TableName: 'Keys', WindowSeconds: 7200 }), 'ValidationException');
    e.close();
  });

  it('ranks the keys throttled most', () => {
    const clock = { t: T0 };
    const e = scratchEngine({ now: () => clock.t, throttle: 'provisioned' });
    call(e, 'CreateTable', {
      TableName: 'Tight',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    });
    call(e, 'PutItem', { TableName: 'Tight', Item: { pk: { S: 'a' } } });
    for (const pk of ['a', 'a', 'a', 'b']) {
      assertError(
        () => call(e, 'PutItem', { TableName: 'Tight', Item: { pk: { S: pk } } }),
        'ProvisionedThroughputExceededException',
      );
    }
    const h = hotKeys(e, { TableName: 'Tight' });
    assert.deepEqual(
      h.MostThrottled.map((k) => [k.Key.pk, k.ThrottledRequests]),
      [
        [{ S: 'a' }, 3],
        [{ S: 'b' }, 1],
      ],
    );
    assert.deepEqual(
      h.MostAccessed.map((k) => [k.Key.pk, k.Count]),
      [[{ S: 'a' }, 1]],
    );
    e.close();
  });

  it('keeps finding the heavy hitters among many keys and under load, in bounded memory', () => {
    const clock = { t: T0 };
    const e = scratchEngine({ now: () => clock.t });
    table(e, 'Many');
    // 2,000 distinct keys once each, and two heavy keys, in one 10-second slot.
    for (let i = 0; i < 2000; i++) {
      call(e, 'PutItem', { TableName: 'Many', Item: { pk: { S: `k${i}` } } });
      if (i % 10 === 0) call(e, 'GetItem', { TableName: 'Many', Key: { pk: { S: 'heavy' } } });
      if (i % 20 === 0) call(e, 'GetItem', { TableName: 'Many', Key: { pk: { S: 'second' } } });
    }
    const top = hotKeys(e, { TableName: 'Many', Limit: 2 }).MostAccessed;
    assert.deepEqual(
      top.map((k) => k.Key.pk),
      [{ S: 'heavy' }, { S: 'second' }],
    );
    // Counts are estimates once the engine is busy (sampled) or the sketch full (overcount bounded).
    assert.ok(top[0]!.Count - top[0]!.MaxOvercount <= 200 && top[0]!.Count >= 100);
    const series = e.ctx.usage.tables.get('Many')!;
    assert.ok(series.hot.sketch(T0 / 1000).entries.size <= 32);
    e.close();
  });

  it('samples at high request rates and counts each sampled request for the ones skipped', () => {
    const clock = { t: T0 };
    const e = scratchEngine({ now: () => clock.t });
    table(e, 'Busy');
    const n = HOT_KEY_TARGET_RATE * 8;
    for (let i = 0; i < n; i++) call(e, 'GetItem', { TableName: 'Busy', Key: { pk: { S: 'x' } } });
    clock.t += 1000; // the next second is sampled (the previous one was 8 times the target rate)
    for (let i = 0; i < n; i++) call(e, 'GetItem', { TableName: 'Busy', Key: { pk: { S: 'y' } } });
    const top = hotKeys(e, { TableName: 'Busy' }).MostAccessed;
    const x = top.find((k) => sOf(k.Key.pk) === 'x')!;
    const y = top.find((k) => sOf(k.Key.pk) === 'y')!;
    assert.equal(x.Count, n); // exact
    assert.equal(y.Count % 8, 0); // counted in steps of 8
    assert.ok(y.Count > n / 2 && y.Count < n * 1.5, `sampled estimate ${y.Count} of ${n}`);
    e.close();
  });
});

describe('SpaceSaving', () => {
  it('replaces the smallest key when full and carries its count as the overestimate', () => {
    const s = new SpaceSaving(2);
    const bump = (id: string, n = 1) => {
      const e = s.get(id) ?? s.insert(id, { pk: { S: id } });
      e.count += n;
    };
    bump('a', 5);
    bump('b', 2);
    bump('c');
    assert.deepEqual(
      [...s.entries.values()].map((e) => [e.id, e.count, e.error]),
      [
        ['a', 5, 0],
        ['c', 3, 2],
      ],
    );
  });

  it('merges the slots of a window', () => {
    const w = new HotKeyWindow();
    const add = (sec: number, id: string, n: number) => {
      const sk = w.sketch(sec);
      const e = sk.get(id) ?? sk.insert(id, { pk: { S: id } });
      e.count += n;
      e.reads += n;
    };
    add(100, 'a', 1);
    add(115, 'a', 2);
    add(115, 'b', 4);
    add(125, 'b', 1);
    assert.deepEqual(
      w.top(100, 129, 10).map((k) => [sOf(k.Key.pk), k.Count]),
      [
        ['b', 5],
        ['a', 3],
      ],
    );
    assert.deepEqual(
      w.top(120, 129, 10).map((k) => [sOf(k.Key.pk), k.Count]),
      [['b', 1]],
    );
    // An hour later the window holds slots 110..3709: the first slot (100..109) is forgotten, its
    // ring position reused.
    add(100 + 3600, 'c', 1);
    assert.deepEqual(
      w.top(100, 3700, 10).map((k) => [sOf(k.Key.pk), k.Count]),
      [
        ['b', 5],
        ['a', 2],
        ['c', 1],
      ],
    );
  });
});

describe('latency histograms', () => {
  it('bucket latencies logarithmically and estimate quantiles within a bucket width', () => {
    assert.equal(bucketOf(0), 0);
    assert.equal(bucketOf(0.5), 0);
    assert.equal(bucketOf(1), 1);
    assert.equal(bucketOf(1e10), BUCKETS - 1);
    for (const us of [3, 17, 250, 1234, 99_999]) {
      const b = bucketOf(us);
      assert.ok(bucketLow(b) <= us && us < bucketLow(b + 1), `${us} in bucket ${b}`);
    }
    const dense = new Uint32Array(BUCKETS);
    for (let i = 1; i <= 1000; i++) dense[bucketOf(i * 10)]! += 1; // 10 µs … 10 ms, uniform
    const h = new Float64Array(BUCKETS);
    const pairs = compact(dense)!;
    addCompact(h, fromBlob(toBlob(pairs))!);
    for (const [q, exact] of [
      [0.5, 5000],
      [0.9, 9000],
      [0.99, 9900],
    ] as const) {
      const v = quantile(h, 1000, q, 10_000)!;
      assert.ok(Math.abs(v - exact) / exact < 0.1, `p${q * 100} ${v} vs ${exact}`);
    }
    assert.equal(quantile(h, 0, 0.5, 0), undefined);
    assert.equal(compact(new Uint32Array(BUCKETS)), undefined);
  });
});
