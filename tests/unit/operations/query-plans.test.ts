// Every statement the engine prepares while it runs a broad workload is put to SQLite's EXPLAIN QUERY
// PLAN: a statement with a WHERE clause must reach its rows through an index or primary key (a
// SEARCH), never by reading a whole table, and no ordered read of items may sort in a temporary
// B-tree (the pinned plans of the page reads themselves are in paging.test.ts). Statements without a WHERE read everything on purpose (counts at open, copies, the first
// chunk of a walk) and are left out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Engine } from '../../../engine/engine.js';
import { call } from '../../support/engine.js';

/** Runs `fn` and returns the SQL of every statement prepared meanwhile. */
function preparedDuring(fn: () => void): Set<string> {
  const seen = new Set<string>();
  const proto = BetterSqlite3.prototype as unknown as { prepare(sql: string): unknown };
  const original = proto.prepare;
  proto.prepare = function (this: unknown, sql: string) {
    seen.add(sql);
    return original.call(this, sql);
  };
  try {
    fn();
  } finally {
    proto.prepare = original;
  }
  return seen;
}

function workload(e: Engine): void {
  call(e, 'CreateTable', {
    TableName: 'Orders',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
      { AttributeName: 'n', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [
          { AttributeName: 'g', KeyType: 'HASH' },
          { AttributeName: 'n', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byN',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'n', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    BillingMode: 'PAY_PER_REQUEST',
  });
  call(e, 'UpdateTimeToLive', {
    TableName: 'Orders',
    TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' },
  });
  call(e, 'UpdateContinuousBackups', {
    TableName: 'Orders',
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  });
  for (let i = 0; i < 30; i++)
    call(e, 'PutItem', {
      TableName: 'Orders',
      Item: {
        pk: { S: `c${i % 3}` },
        sk: { S: `o${i}` },
        g: { S: `g${i % 2}` },
        n: { N: String(i) },
        ttl: { N: String(i < 3 ? 1 : 4_000_000_000) },
      },
      ReturnItemCollectionMetrics: 'SIZE',
    });
  call(e, 'GetItem', { TableName: 'Orders', Key: { pk: { S: 'c0' }, sk: { S: 'o0' } } });
  call(e, 'UpdateItem', {
    TableName: 'Orders',
    Key: { pk: { S: 'c0' }, sk: { S: 'o3' } },
    UpdateExpression: 'SET g = :g',
    ExpressionAttributeValues: { ':g': { S: 'moved' } },
  });
  call(e, 'DeleteItem', { TableName: 'Orders', Key: { pk: { S: 'c1' }, sk: { S: 'o4' } } });
  const pages = (op: string, input: Record<string, unknown>) => {
    let key: unknown;
    do {
      const r = call(e, op, { TableName: 'Orders', Limit: 4, ...input, ExclusiveStartKey: key });
      key = r.LastEvaluatedKey;
    } while (key);
  };
  for (const forward of [true, false]) {
    pages('Query', {
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': { S: 'c0' }, ':a': { S: 'o1' }, ':b': { S: 'o8' } },
      ScanIndexForward: forward,
    });
    pages('Query', {
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g AND n > :n',
      ExpressionAttributeValues: { ':g': { S: 'g0' }, ':n': { N: '2' } },
      ScanIndexForward: forward,
    });
    pages('Query', {
      IndexName: 'byN',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'c2' } },
      Select: 'ALL_ATTRIBUTES',
      ScanIndexForward: forward,
    });
  }
  pages('Scan', { FilterExpression: 'n > :n', ExpressionAttributeValues: { ':n': { N: '5' } } });
  pages('Scan', { IndexName: 'byG' });
  pages('Scan', { Segment: 1, TotalSegments: 3 });
  let token: string | undefined;
  do {
    const r = call(e, 'ExecuteStatement', {
      Statement: `SELECT * FROM Orders WHERE pk = 'c1'`,
      Limit: 2,
      NextToken: token,
    });
    token = r.NextToken;
  } while (token);
  call(e, 'BatchGetItem', { RequestItems: { Orders: { Keys: [{ pk: { S: 'c0' }, sk: { S: 'o0' } }] } } });
  call(e, 'TransactWriteItems', {
    TransactItems: [
      { Put: { TableName: 'Orders', Item: { pk: { S: 'c9' }, sk: { S: 'x' }, n: { N: '1' } } } },
      {
        ConditionCheck: {
          TableName: 'Orders',
          Key: { pk: { S: 'c0' }, sk: { S: 'o0' } },
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    ],
  });
  call(e, 'DescribeTable', { TableName: 'Orders' });
  const stream = call(e, 'DescribeTable', { TableName: 'Orders' }).Table.LatestStreamArn as string;
  const shard = call(e, 'DescribeStream', { StreamArn: stream }).StreamDescription.Shards[0]
    .ShardId as string;
  const iterator = call(e, 'GetShardIterator', {
    StreamArn: stream,
    ShardId: shard,
    ShardIteratorType: 'TRIM_HORIZON',
  }).ShardIterator as string;
  call(e, 'GetRecords', { ShardIterator: iterator });
  e.sweepExpiredItems();
  call(e, 'CreateBackup', { TableName: 'Orders', BackupName: 'nightly' });
  call(e, 'UpdateTable', {
    TableName: 'Orders',
    AttributeDefinitions: [{ AttributeName: 'n', AttributeType: 'N' }],
    GlobalSecondaryIndexUpdates: [
      {
        Create: {
          IndexName: 'byN2',
          KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      },
    ],
  });
  e.executeSortkey('GetMetrics', { TableName: 'Orders' });
  call(e, 'CreateTable', {
    TableName: 'Scratch',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  call(e, 'DeleteTable', { TableName: 'Scratch' });
}

/** SQLite's plan of `sql`, binding nulls for its parameters. */
function planOf(e: Engine, sql: string): string[] {
  const stmt = e.ctx.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const named = [...sql.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]!);
  let rows: { detail: string }[];
  if (named.length > 0)
    rows = stmt.all(Object.fromEntries(named.map((n) => [n, null]))) as { detail: string }[];
  else {
    const positional = (sql.replace(/'[^']*'/g, '').match(/\?/g) ?? []).length;
    rows = stmt.all(...new Array<null>(positional).fill(null)) as { detail: string }[];
  }
  return rows.map((r) => r.detail);
}

describe('query plans of every statement the engine prepares', () => {
  it('statements with a WHERE search an index; ordered item reads never sort', () => {
    const e = Engine.inMemory();
    const statements = preparedDuring(() => workload(e));
    const checked: string[] = [];
    const problems: string[] = [];
    for (const sql of statements) {
      if (!/^\s*(SELECT|UPDATE|DELETE|INSERT)/i.test(sql) || /^\s*EXPLAIN/i.test(sql)) continue;
      let plan: string[];
      try {
        plan = planOf(e, sql);
      } catch {
        continue; // a statement on a table dropped by the workload
      }
      checked.push(sql);
      const where = /\bWHERE\b/i.test(sql);
      for (const step of plan) {
        // A full SCAN of a table (not of a covering index, not of a subquery's result).
        // SQLite's own sqlite_sequence holds a row per AUTOINCREMENT table: a handful at most.
        const fullScan =
          /^SCAN (?!.*USING (COVERING )?INDEX)/.test(step) &&
          !/^SCAN (CONSTANT ROW|\(|sqlite_sequence)/.test(step);
        if (where && fullScan) problems.push(`${step}\n    ${sql}`);
        if (/TEMP B-TREE FOR ORDER BY/.test(step) && /FROM "?[ti]\d+/.test(sql))
          problems.push(`${step}\n    ${sql}`);
      }
    }
    assert.ok(checked.length > 30, `only ${checked.length} statements checked`);
    assert.ok(
      checked.some((s) => /\(h, pk, sk\) > \(\?, \?, \?\)/.test(s)),
      'a Scan resumed from a start key was among them',
    );
    assert.deepEqual(problems, []);
    e.close();
  });
});
