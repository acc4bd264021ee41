// Provisioned-capacity simulation with an injected clock: token buckets per table and GSI, burst
// capacity, debt, recovery, GSI back-pressure, UpdateTable, per-partition ceilings (strict mode),
// the run-time switch, and fault injection.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import {
  INDEX_THROUGHPUT_EXCEEDED,
  ON_DEMAND_THROUGHPUT_EXCEEDED,
  TABLE_THROUGHPUT_EXCEEDED,
} from '../../../engine/throttle/errors.js';
import { assertError, call, errorOf, scratchEngine } from '../../support/engine.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

function clockedEngine(options: Parameters<typeof scratchEngine>[0] = {}): {
  e: Engine;
  clock: { t: number };
} {
  const clock = { t: T0 };
  const e = scratchEngine({ now: () => clock.t, throttle: 'provisioned', ...options });
  return { e, clock };
}

function provisionedTable(
  e: Engine,
  name: string,
  rcu: number,
  wcu: number,
  extra: Record<string, unknown> = {},
): void {
  call(e, 'CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      ...((extra.AttributeDefinitions as unknown[]) ?? []),
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: rcu, WriteCapacityUnits: wcu },
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'AttributeDefinitions')),
  });
}

const put = (e: Engine, table: string, pk: string, extra: Record<string, unknown> = {}) =>
  call(e, 'PutItem', { TableName: table, Item: { pk: { S: pk }, ...extra } });

/** Puts until one is throttled; returns how many succeeded. */
function putUntilThrottled(e: Engine, table: string, max = 100_000): number {
  for (let i = 0; i < max; i++) {
    try {
      put(e, table, `k${i}`);
    } catch (err) {
      assert.equal((err as { type?: string }).type, 'ProvisionedThroughputExceededException');
      return i;
    }
  }
  return max;
}

describe('provisioned throughput', () => {
  it('absorbs a burst within 300 seconds of saved capacity, then throttles, then recovers', () => {
    const { e, clock } = clockedEngine();
    provisionedTable(e, 'Burst', 5, 5);
    // A table keeps at most 300 seconds of unused capacity: waiting longer saves no more.
    clock.t += 600_000;
    assert.equal(putUntilThrottled(e, 'Burst'), 1500);
    const err = assertError(
      () => put(e, 'Burst', 'x'),
      'ProvisionedThroughputExceededException',
      TABLE_THROUGHPUT_EXCEEDED,
    );
    assert.deepEqual(err.extra, {
      ThrottlingReasons: [
        {
          reason: 'TableWriteProvisionedThroughputExceeded',
          resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/Burst',
        },
      ],
    });
    // One second later: five more units, five more writes.
    clock.t += 1000;
    assert.equal(putUntilThrottled(e, 'Burst'), 5);
    // Reads have their own bucket.
    call(e, 'GetItem', { TableName: 'Burst', Key: { pk: { S: 'k1' } } });
    e.close();
  });

  it('starts a new table with one second of capacity', () => {
    const { e, clock } = clockedEngine();
    provisionedTable(e, 'Fresh', 1, 3);
    assert.equal(putUntilThrottled(e, 'Fresh'), 3);
    // Eventually consistent reads cost half a unit: two reads of a 1 RCU table, then throttled.
    call(e, 'GetItem', { TableName: 'Fresh', Key: { pk: { S: 'k0' } } });
    call(e, 'GetItem', { TableName: 'Fresh', Key: { pk: { S: 'k0' } } });
    assertError(
      () => call(e, 'GetItem', { TableName: 'Fresh', Key: { pk: { S: 'k0' } } }),
      'ProvisionedThroughputExceededException',
    );
    clock.t += 1000;
    call(e, 'GetItem', { TableName: 'Fresh', Key: { pk: { S: 'k0' } }, ConsistentRead: true });
    e.close();
  });

  it('lets an admitted request go into debt, and the next ones wait until it is paid back', () => {
    const { e, clock } = clockedEngine();
    provisionedTable(e, 'Debt', 5, 5);
    // 5 units saved; a 10 KB item costs 10: admitted, the bucket is left at -5.
    put(e, 'Debt', 'big', { blob: { S: 'x'.repeat(10 * 1024 - 10) } });
    assertError(() => put(e, 'Debt', 'a'), 'ProvisionedThroughputExceededException');
    clock.t += 1000; // back to 0: still not positive
    assertError(() => put(e, 'Debt', 'a'), 'ProvisionedThroughputExceededException');
    clock.t += 200; // +1
    put(e, 'Debt', 'a');
    // A throttled write changed nothing.
    assert.equal(call(e, 'Scan', { TableName: 'Debt', Select: 'COUNT' }).Count, 2);
    e.close();
  });

  it('throttles a write whose GSI is out of write capacity (back-pressure), but not writes the GSI skips', () => {
    const { e } = clockedEngine();
    provisionedTable(e, 'WithGsi', 100, 100, {
      AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
    });
    put(e, 'WithGsi', 'a', { g: { S: 'x' } });
    const err = assertError(
      () => put(e, 'WithGsi', 'b', { g: { S: 'x' } }),
      'ProvisionedThroughputExceededException',
      INDEX_THROUGHPUT_EXCEEDED,
    );
    assert.deepEqual(err.extra, {
      ThrottlingReasons: [
        {
          reason: 'IndexWriteProvisionedThroughputExceeded',
          resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/WithGsi/index/byG',
        },
      ],
    });
    assert.equal(call(e, 'GetItem', { TableName: 'WithGsi', Key: { pk: { S: 'b' } } }).Item, undefined);
    // An item without the GSI's key does not touch the index: not throttled.
    put(e, 'WithGsi', 'c');
    // Queries of the GSI use its read bucket (1 RCU: two eventually consistent reads of a page).
    const q = {
      TableName: 'WithGsi',
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'x' } },
    };
    call(e, 'Query', q);
    call(e, 'Query', q);
    const readErr = assertError(
      () => call(e, 'Query', q),
      'ProvisionedThroughputExceededException',
      INDEX_THROUGHPUT_EXCEEDED,
    );
    assert.equal(
      (readErr.extra as { ThrottlingReasons: { reason: string }[] }).ThrottlingReasons[0]!.reason,
      'IndexReadProvisionedThroughputExceeded',
    );
    e.close();
  });

  it('applies UpdateTable throughput changes immediately', () => {
    const { e, clock } = clockedEngine();
    provisionedTable(e, 'Grow', 1, 1);
    put(e, 'Grow', 'big', { blob: { S: 'x'.repeat(50 * 1024) } }); // ~-50
    clock.t += 100;
    assertError(() => put(e, 'Grow', 'a'), 'ProvisionedThroughputExceededException');
    call(e, 'UpdateTable', {
      TableName: 'Grow',
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1000 },
    });
    clock.t += 100; // 1000 units/s for 100 ms pays the debt back
    put(e, 'Grow', 'a');
    // Switching to on demand ends throttling.
    put(e, 'Grow', 'big2', { blob: { S: 'x'.repeat(300 * 1024) } });
    assertError(() => put(e, 'Grow', 'b'), 'ProvisionedThroughputExceededException');
    call(e, 'UpdateTable', { TableName: 'Grow', BillingMode: 'PAY_PER_REQUEST' });
    put(e, 'Grow', 'b');
    e.close();
  });

  it('throttles PartiQL statements and cancels transactions with a reason per item', () => {
    const { e } = clockedEngine();
    provisionedTable(e, 'Busy', 1, 1);
    provisionedTable(e, 'Idle', 10, 10);
    put(e, 'Busy', 'a');
    assertError(
      () => call(e, 'ExecuteStatement', { Statement: `INSERT INTO "Busy" VALUE {'pk': 'b'}` }),
      'ProvisionedThroughputExceededException',
      TABLE_THROUGHPUT_EXCEEDED,
    );
    const err = assertError(
      () =>
        call(e, 'TransactWriteItems', {
          TransactItems: [
            { Put: { TableName: 'Busy', Item: { pk: { S: 'c' } } } },
            { Put: { TableName: 'Idle', Item: { pk: { S: 'c' } } } },
          ],
        }),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [ProvisionedThroughputExceeded, None]',
    );
    assert.deepEqual((err.extra as { CancellationReasons: unknown[] }).CancellationReasons, [
      { Code: 'ProvisionedThroughputExceeded', Message: TABLE_THROUGHPUT_EXCEEDED },
      { Code: 'None' },
    ]);
    assertError(
      () =>
        call(e, 'BatchWriteItem', { RequestItems: { Busy: [{ PutRequest: { Item: { pk: { S: 'd' } } } }] } }),
      'ProvisionedThroughputExceededException',
    );
    e.close();
  });

  it('never throttles on-demand tables, nor anything with throttling off', () => {
    const { e } = clockedEngine();
    call(e, 'CreateTable', {
      TableName: 'OnDemand',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 0; i < 50; i++) put(e, 'OnDemand', 'hot', { blob: { S: 'x'.repeat(100 * 1024) } });
    e.close();

    const off = scratchEngine({ now: () => T0 });
    provisionedTable(off, 'Tiny', 1, 1);
    for (let i = 0; i < 50; i++) put(off, 'Tiny', `k${i}`);
    // Switched on at run time (Sortkey_20250101.SetThrottling), the bucket starts from what was saved.
    assert.deepEqual(off.executeSortkey('SetThrottling', { Mode: 'provisioned' }), { Mode: 'provisioned' });
    put(off, 'Tiny', 'a');
    assertError(() => put(off, 'Tiny', 'b'), 'ProvisionedThroughputExceededException');
    off.executeSortkey('SetThrottling', { Mode: 'off' });
    put(off, 'Tiny', 'b');
    assertError(() => off.executeSortkey('SetThrottling', { Mode: 'sometimes' }), 'ValidationException');
    off.close();
  });

  it('describes the buckets for the studio', () => {
    const { e, clock } = clockedEngine();
    provisionedTable(e, 'Seen', 4, 2);
    clock.t += 10_000;
    put(e, 'Seen', 'a');
    const d = e.executeSortkey('DescribeThrottling', { TableName: 'Seen' }) as {
      Mode: string;
      Buckets: unknown[];
    };
    assert.equal(d.Mode, 'provisioned');
    assert.deepEqual(d.Buckets, [
      {
        TableName: 'Seen',
        ProvisionedReadCapacityUnits: 4,
        ProvisionedWriteCapacityUnits: 2,
        ReadTokens: 40,
        WriteTokens: 19,
        ReadBurstCapacity: 1200,
        WriteBurstCapacity: 600,
      },
    ]);
    e.close();
  });
});

describe('per-partition ceilings (strict mode)', () => {
  it('throttles one hot partition key of an on-demand table at 1,000 WCU per second', () => {
    const { e, clock } = clockedEngine({ throttle: 'strict' });
    call(e, 'CreateTable', {
      TableName: 'Hot',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    const big = { blob: { S: 'x'.repeat(399 * 1024) } }; // 400 WCU a write
    put(e, 'Hot', 'hot', big);
    put(e, 'Hot', 'hot', big);
    put(e, 'Hot', 'hot', big); // admitted at 200 left: 1,200 units this second
    const err = assertError(
      () => put(e, 'Hot', 'hot', big),
      'ThrottlingException',
      ON_DEMAND_THROUGHPUT_EXCEEDED,
    );
    assert.deepEqual(err.extra, {
      ThrottlingReasons: [
        {
          reason: 'TableWriteKeyRangeThroughputExceeded',
          resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/Hot',
        },
      ],
    });
    // 'cold' is on another of the table's four partitions (engine/partitions): its own ceiling.
    put(e, 'Hot', 'cold', big);
    clock.t += 1000;
    put(e, 'Hot', 'hot', big);
    // Reads: 3,000 RCU per key per second.
    clock.t += 1000;
    const q = {
      TableName: 'Hot',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'hot' } },
      ConsistentRead: true,
    };
    let reads = 0;
    for (; reads < 100; reads++) {
      const err2 = (() => {
        try {
          call(e, 'Query', q); // 100 RCU each
          return undefined;
        } catch (x) {
          return x as { type: string };
        }
      })();
      if (err2) {
        assert.equal(err2.type, 'ThrottlingException');
        break;
      }
    }
    assert.equal(reads, 30);
    e.close();
  });
});

describe('fault injection', () => {
  it('with probability 1 always fails the chosen operations on the chosen tables, with 0 never', () => {
    const e = scratchEngine();
    for (const name of ['Aaa', 'Bbb']) {
      call(e, 'CreateTable', {
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      });
    }
    const set = e.executeSortkey('SetFaults', {
      Faults: [
        { Type: 'ThrottlingException', Probability: 1, Operations: ['PutItem'], Tables: ['Aaa'] },
        { Type: 'InternalServerError', Probability: 1, Operations: ['GetItem'] },
        { Type: 'ProvisionedThroughputExceededException', Probability: 0 },
      ],
    }) as { Faults: unknown[] };
    assert.equal(set.Faults.length, 3);
    for (let i = 0; i < 20; i++) {
      assertError(() => put(e, 'Aaa', `k${i}`), 'ThrottlingException', ON_DEMAND_THROUGHPUT_EXCEEDED);
      put(e, 'Bbb', `k${i}`);
      const ise = errorOf(() => call(e, 'GetItem', { TableName: 'Bbb', Key: { pk: { S: 'k0' } } }));
      assert.equal(ise.type, 'InternalServerError');
      assert.equal(ise.statusCode, 500);
      call(e, 'Query', {
        TableName: 'Bbb',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'k0' } },
      });
    }
    // Nothing was written by the failed requests.
    assert.equal(call(e, 'Scan', { TableName: 'Aaa' }).Count, 0);
    e.executeSortkey('SetFaults', { Faults: [] });
    put(e, 'Aaa', 'a');
    e.close();
  });

  it('draws from the random source, and hands out latency for the server to wait', () => {
    let r = 0;
    const draws = [0.1, 0.9, 0.49, 0.5];
    const e = scratchEngine({
      random: () => draws[r++ % draws.length]!,
      faults: [
        { Type: 'InternalServerError', Probability: 0.5, Operations: ['ListTables'] },
        { Type: 'Latency', Probability: 1, LatencyMs: 250, Operations: ['DescribeLimits'] },
      ],
    });
    const outcomes = draws.map(() => {
      try {
        call(e, 'ListTables', {});
        return 'ok';
      } catch (err) {
        return (err as { type: string }).type;
      }
    });
    assert.deepEqual(outcomes, ['InternalServerError', 'ok', 'InternalServerError', 'ok']);
    call(e, 'DescribeLimits', {});
    assert.equal(e.takeInjectedDelay(), 250);
    assert.equal(e.takeInjectedDelay(), 0);
    call(e, 'DescribeEndpoints', {});
    assert.equal(e.takeInjectedDelay(), 0);
    e.close();
  });

  it('rejects malformed rules', () => {
    const e = scratchEngine();
    assertError(
      () => e.executeSortkey('SetFaults', { Faults: [{ Type: 'Boom' }] }),
      'ValidationException',
      /Type must be one of/,
    );
    assertError(
      () => e.executeSortkey('SetFaults', { Faults: [{ Type: 'ThrottlingException', Probability: 2 }] }),
      'ValidationException',
    );
    assertError(
      () => e.executeSortkey('SetFaults', { Faults: [{ Type: 'Latency' }] }),
      'ValidationException',
      /LatencyMs/,
    );
    assertError(() => e.executeSortkey('SetFaults', { Faults: 'all' }), 'ValidationException');
    e.close();
  });
});
