import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import { assertError, call, scratchEngine } from '../../support/engine.js';

function ordersTable(e: Engine, projection: Record<string, unknown> = { ProjectionType: 'ALL' }) {
  call(e, 'CreateTable', {
    TableName: 'Orders',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'total', AttributeType: 'N' },
      { AttributeName: 'placed', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byStatus',
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'total', KeyType: 'RANGE' },
        ],
        Projection: projection,
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byPlaced',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'placed', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

const put = (e: Engine, item: Record<string, unknown>) =>
  call(e, 'PutItem', { TableName: 'Orders', Item: item });
const order = (
  pk: string,
  sk: string,
  status: string | undefined,
  total: number,
  placed: number,
  extra: Record<string, unknown> = {},
) => ({
  pk: { S: pk },
  sk: { S: sk },
  ...(status ? { status: { S: status } } : {}),
  total: { N: String(total) },
  placed: { N: String(placed) },
  ...extra,
});

describe('global secondary indexes', () => {
  it('queries a sparse GSI in index order and follows updates and deletes', () => {
    const e = scratchEngine();
    ordersTable(e);
    put(e, order('c1', 'o1', 'OPEN', 30, 1));
    put(e, order('c1', 'o2', 'OPEN', 10, 2));
    put(e, order('c2', 'o3', 'SHIPPED', 20, 3));
    put(e, order('c2', 'o4', undefined, 5, 4)); // no status: absent from the index
    const open = () =>
      call(e, 'Query', {
        TableName: 'Orders',
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'OPEN' } },
      });
    assert.deepEqual(
      open().Items.map((i: { sk: { S: string } }) => i.sk.S),
      ['o2', 'o1'],
    );
    call(e, 'UpdateItem', {
      TableName: 'Orders',
      Key: { pk: { S: 'c2' }, sk: { S: 'o3' } },
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: 'OPEN' } },
    });
    call(e, 'DeleteItem', { TableName: 'Orders', Key: { pk: { S: 'c1' }, sk: { S: 'o1' } } });
    assert.deepEqual(
      open().Items.map((i: { sk: { S: string } }) => i.sk.S),
      ['o2', 'o3'],
    );
    const d = call(e, 'DescribeTable', { TableName: 'Orders' }).Table;
    assert.equal(d.ItemCount, 3);
    assert.equal(d.GlobalSecondaryIndexes[0].ItemCount, 2);
    assert.ok(d.GlobalSecondaryIndexes[0].IndexSizeBytes > 0);
    assert.equal(call(e, 'Scan', { TableName: 'Orders', IndexName: 'byStatus' }).Count, 2);
  });

  it('rejects index key attributes of the wrong type, and consistent reads on a GSI', () => {
    const e = scratchEngine();
    ordersTable(e);
    assertError(
      () => put(e, { ...order('c', 'o', undefined, 1, 1), status: { N: '1' } }),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: byStatus',
    );
    assert.equal(call(e, 'Scan', { TableName: 'Orders' }).Count, 0);
    assertError(
      () =>
        call(e, 'Query', {
          TableName: 'Orders',
          IndexName: 'byStatus',
          ConsistentRead: true,
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': { S: 'OPEN' } },
        }),
      'ValidationException',
      'Consistent reads are not supported on global secondary indexes',
    );
    assertError(
      () => call(e, 'Scan', { TableName: 'Orders', IndexName: 'nope' }),
      'ValidationException',
      'The table does not have the specified index: nope',
    );
  });

  it('projects KEYS_ONLY and INCLUDE indexes', () => {
    const e = scratchEngine();
    ordersTable(e, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] });
    put(e, order('c1', 'o1', 'OPEN', 30, 1, { note: { S: 'n' }, secret: { S: 's' } }));
    const items = call(e, 'Scan', { TableName: 'Orders', IndexName: 'byStatus' }).Items;
    assert.deepEqual(items, [
      { pk: { S: 'c1' }, sk: { S: 'o1' }, status: { S: 'OPEN' }, total: { N: '30' }, note: { S: 'n' } },
    ]);
    assertError(
      () => call(e, 'Scan', { TableName: 'Orders', IndexName: 'byStatus', Select: 'ALL_ATTRIBUTES' }),
      'ValidationException',
      'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byStatus because its projection type is not ALL',
    );
  });

  it('backfills a GSI created on a table with 10,000 items in the background, and deletes it', async () => {
    const e = scratchEngine();
    call(e, 'CreateTable', {
      TableName: 'Big',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let start = 0; start < 10_000; start += 25) {
      const batch = [];
      for (let i = start; i < start + 25; i++) {
        batch.push({
          PutRequest: {
            Item: { id: { N: String(i) }, ...(i % 4 === 0 ? { bucket: { S: `b${i % 10}` } } : {}) },
          },
        });
      }
      call(e, 'BatchWriteItem', { RequestItems: { Big: batch } });
    }
    const d = call(e, 'UpdateTable', {
      TableName: 'Big',
      AttributeDefinitions: [{ AttributeName: 'bucket', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byBucket',
            KeySchema: [{ AttributeName: 'bucket', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        },
      ],
    }).TableDescription;
    // Too many items to index before answering: CREATING while chunks run from a timer.
    assert.equal(d.GlobalSecondaryIndexes[0].IndexStatus, 'CREATING');
    assert.equal(d.GlobalSecondaryIndexes[0].Backfilling, true);
    assertError(
      () => call(e, 'Scan', { TableName: 'Big', IndexName: 'byBucket' }),
      'ValidationException',
      /backfilling/,
    );
    let gsi = d.GlobalSecondaryIndexes[0];
    for (let i = 0; i < 1000 && gsi.IndexStatus !== 'ACTIVE'; i++) {
      await new Promise((r) => setTimeout(r, 5));
      gsi = call(e, 'DescribeTable', { TableName: 'Big' }).Table.GlobalSecondaryIndexes[0];
    }
    assert.equal(gsi.IndexStatus, 'ACTIVE');
    assert.equal(gsi.Backfilling, undefined);
    assert.equal(gsi.ItemCount, 2500);
    const b0 = call(e, 'Query', {
      TableName: 'Big',
      IndexName: 'byBucket',
      KeyConditionExpression: '#b = :b',
      ExpressionAttributeNames: { '#b': 'bucket' },
      ExpressionAttributeValues: { ':b': { S: 'b0' } },
    });
    assert.equal(b0.Count, 500);
    const after = call(e, 'UpdateTable', {
      TableName: 'Big',
      GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byBucket' } }],
    }).TableDescription;
    assert.equal(after.GlobalSecondaryIndexes, undefined);
    assert.deepEqual(after.AttributeDefinitions, [{ AttributeName: 'id', AttributeType: 'N' }]);
  });

  it('shows CREATING and Backfilling while a delayed GSI is built', () => {
    let now = 10_000;
    const e = scratchEngine({ now: () => now, transientStatusMs: 1000 });
    ordersTable(e);
    now += 2000;
    call(e, 'UpdateTable', {
      TableName: 'Orders',
      AttributeDefinitions: [{ AttributeName: 'placed', AttributeType: 'N' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byPlacedG',
            KeySchema: [{ AttributeName: 'placed', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        },
      ],
    });
    const during = call(e, 'DescribeTable', { TableName: 'Orders' }).Table;
    const gsi = during.GlobalSecondaryIndexes.find((g: { IndexName: string }) => g.IndexName === 'byPlacedG');
    assert.equal(during.TableStatus, 'UPDATING');
    assert.equal(gsi.IndexStatus, 'CREATING');
    assert.equal(gsi.Backfilling, true);
    assertError(
      () => call(e, 'Scan', { TableName: 'Orders', IndexName: 'byPlacedG' }),
      'ValidationException',
      /backfilling/,
    );
    now += 2000;
    const done = call(e, 'DescribeTable', { TableName: 'Orders' }).Table;
    assert.equal(done.TableStatus, 'ACTIVE');
    assert.equal(
      done.GlobalSecondaryIndexes.find((g: { IndexName: string }) => g.IndexName === 'byPlacedG').IndexStatus,
      'ACTIVE',
    );
  });

  it('supports multi-attribute GSI keys', () => {
    const e = scratchEngine();
    call(e, 'CreateTable', {
      TableName: 'Games',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'tournament', AttributeType: 'S' },
        { AttributeName: 'region', AttributeType: 'S' },
        { AttributeName: 'round', AttributeType: 'N' },
        { AttributeName: 'score', AttributeType: 'N' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byTournament',
          KeySchema: [
            { AttributeName: 'tournament', KeyType: 'HASH' },
            { AttributeName: 'region', KeyType: 'HASH' },
            { AttributeName: 'round', KeyType: 'RANGE' },
            { AttributeName: 'score', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    let n = 0;
    for (const region of ['eu', 'us']) {
      for (const round of [1, 2, 10]) {
        for (const score of [5, 50]) {
          call(e, 'PutItem', {
            TableName: 'Games',
            Item: {
              id: { S: `g${n++}` },
              tournament: { S: 'spring' },
              region: { S: region },
              round: { N: String(round) },
              score: { N: String(score) },
            },
          });
        }
      }
    }
    const run = (cond: string, values: Record<string, unknown>) =>
      call(e, 'Query', {
        TableName: 'Games',
        IndexName: 'byTournament',
        KeyConditionExpression: `tournament = :t AND #r = :r${cond}`,
        ExpressionAttributeNames: { '#r': 'region' },
        ExpressionAttributeValues: { ':t': { S: 'spring' }, ':r': { S: 'eu' }, ...values },
      }).Items.map((i: { round: { N: string }; score: { N: string } }) => `${i.round.N}:${i.score.N}`);
    assert.deepEqual(run('', {}), ['1:5', '1:50', '2:5', '2:50', '10:5', '10:50']);
    assert.deepEqual(run(' AND round = :x', { ':x': { N: '2' } }), ['2:5', '2:50']);
    assert.deepEqual(run(' AND round > :x', { ':x': { N: '1' } }), ['2:5', '2:50', '10:5', '10:50']);
    assert.deepEqual(run(' AND round <= :x', { ':x': { N: '2' } }), ['1:5', '1:50', '2:5', '2:50']);
    assert.deepEqual(run(' AND round = :x AND score > :y', { ':x': { N: '10' }, ':y': { N: '5' } }), [
      '10:50',
    ]);
    assertError(
      () =>
        call(e, 'Query', {
          TableName: 'Games',
          IndexName: 'byTournament',
          KeyConditionExpression: 'tournament = :t',
          ExpressionAttributeValues: { ':t': { S: 'spring' } },
        }),
      'ValidationException',
      'Query condition missed key schema element: region',
    );
    assertError(
      () =>
        call(e, 'Query', {
          TableName: 'Games',
          IndexName: 'byTournament',
          KeyConditionExpression: 'tournament = :t AND #r = :r AND score = :s',
          ExpressionAttributeNames: { '#r': 'region' },
          ExpressionAttributeValues: { ':t': { S: 'spring' }, ':r': { S: 'eu' }, ':s': { N: '5' } },
        }),
      'ValidationException',
      'RANGE key attributes round must have equality conditions specified in the query because a condition is present on key attribute score',
    );
    // A range condition before the last RANGE attribute named needs an equality too.
    assertError(
      () => run(' AND round > :x AND score = :y', { ':x': { N: '1' }, ':y': { N: '5' } }),
      'ValidationException',
      'RANGE key attributes round must have equality conditions specified in the query because a condition is present on key attribute score',
    );
  });
});

describe('local secondary indexes', () => {
  it('queries an LSI with strong consistency and reaches back for non-projected attributes', () => {
    const e = scratchEngine();
    ordersTable(e);
    put(e, order('c1', 'o1', 'OPEN', 30, 3, { note: { S: 'third' } }));
    put(e, order('c1', 'o2', 'OPEN', 10, 1, { note: { S: 'first' } }));
    put(e, order('c1', 'o3', 'OPEN', 10, 2, { note: { S: 'second' } }));
    const out = call(e, 'Query', {
      TableName: 'Orders',
      IndexName: 'byPlaced',
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :p AND placed >= :x',
      ExpressionAttributeValues: { ':p': { S: 'c1' }, ':x': { N: '1' } },
      Select: 'ALL_ATTRIBUTES',
      ReturnConsumedCapacity: 'INDEXES',
    });
    assert.deepEqual(
      out.Items.map((i: { note: { S: string } }) => i.note.S),
      ['first', 'second', 'third'],
    );
    assert.ok(out.ConsumedCapacity.LocalSecondaryIndexes.byPlaced.CapacityUnits > 0);
    const keys = call(e, 'Query', {
      TableName: 'Orders',
      IndexName: 'byPlaced',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'c1' } },
    });
    assert.deepEqual(Object.keys(keys.Items[0]).sort(), ['pk', 'placed', 'sk']);
  });

  it('returns ItemCollectionMetrics for tables with LSIs', () => {
    const e = scratchEngine();
    ordersTable(e);
    const out = call(e, 'PutItem', {
      TableName: 'Orders',
      Item: order('c1', 'o1', 'OPEN', 1, 1),
      ReturnItemCollectionMetrics: 'SIZE',
    });
    assert.deepEqual(out.ItemCollectionMetrics, {
      ItemCollectionKey: { pk: { S: 'c1' } },
      SizeEstimateRangeGB: [0, 1],
    });
  });

  it('limits LSIs to five', () => {
    const e = scratchEngine();
    const lsi = (i: number) => ({
      IndexName: `lsi${i}`,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    assertError(
      () =>
        call(e, 'CreateTable', {
          TableName: 'Many',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          LocalSecondaryIndexes: [0, 1, 2, 3, 4, 5].map(lsi),
          BillingMode: 'PAY_PER_REQUEST',
        }),
      'ValidationException',
      'One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5',
    );
  });
});
