// The endpoint's lean paths give the same answers as the plain ones: GetItem's JSON answer (the
// stored item's text spliced in) is byte for byte JSON.stringify of its object answer; a PutItem that
// needs nothing of the item it replaces reads only its size, yet statistics, streams, TTL and
// ReturnValues stay exact; the server's non-blocking calls leave SQLite's busy timeout short until
// a blocking caller needs the long one back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import type { Table } from '../../../engine/tables/table.js';
import { assertError, call, createSimpleTable, scratchEngine } from '../../support/engine.js';

const ITEM = {
  pk: { S: 'a' },
  sk: { S: '1' },
  n: { N: '1.50' },
  '10': { S: 'integer-like name' },
  m: { M: { z: { L: [{ NULL: true }, { BOOL: false }, { B: 'AAEC' }] }, 'é\u2028': { SS: ['y', 'x'] } } },
  s: { S: 'quote " backslash \\ tab \t' },
};

function getBoth(e: Engine, input: Record<string, unknown>): { json: unknown; object: unknown } {
  return { json: e.execute('GetItem', input, undefined, 'json'), object: e.execute('GetItem', input) };
}

/** Counts the calls to a table's full-row read and size-only read. */
function countReads(table: Table): { rows: number; sizes: number } {
  const counts = { rows: 0, sizes: 0 };
  const getRow = table.getRow.bind(table);
  const getSize = table.getSize.bind(table);
  table.getRow = (db, key) => {
    counts.rows++;
    return getRow(db, key);
  };
  table.getSize = (db, key) => {
    counts.sizes++;
    return getSize(db, key);
  };
  return counts;
}

describe('GetItem answered as JSON text', () => {
  it('is exactly JSON.stringify of the object answer, with and without an item, capacity or projection', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Tbl', true);
    call(e, 'PutItem', { TableName: 'Tbl', Item: ITEM });
    const inputs: Record<string, unknown>[] = [
      { TableName: 'Tbl', Key: { pk: { S: 'a' }, sk: { S: '1' } } },
      { TableName: 'Tbl', Key: { pk: { S: 'nope' }, sk: { S: '1' } } },
      { TableName: 'Tbl', Key: { pk: { S: 'a' }, sk: { S: '1' } }, ReturnConsumedCapacity: 'TOTAL' },
      { TableName: 'Tbl', Key: { pk: { S: 'nope' }, sk: { S: '1' } }, ReturnConsumedCapacity: 'INDEXES' },
      { TableName: 'Tbl', Key: { pk: { S: 'a' }, sk: { S: '1' } }, ProjectionExpression: 'm.z[2], n' },
      { TableName: 'Tbl', Key: { pk: { S: 'a' }, sk: { S: '1' } }, AttributesToGet: ['10', 's'] },
    ];
    for (const input of inputs) {
      const { json, object } = getBoth(e, input);
      assert.equal(typeof json, 'string', JSON.stringify(input));
      assert.equal(json, JSON.stringify(object));
    }
  });

  it('fails as the object answer does', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Tbl');
    assertError(
      () => e.execute('GetItem', { TableName: 'Tbl', Key: { pk: { N: '1' } } }, undefined, 'json'),
      'ValidationException',
      'The provided key element does not match the schema',
    );
    assertError(
      () => e.execute('GetItem', { TableName: 'Nope', Key: { pk: { S: '1' } } }, undefined, 'json'),
      'ResourceNotFoundException',
    );
  });

  it('leaves the other operations answering with objects', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Tbl');
    assert.equal(typeof e.execute('DescribeTable', { TableName: 'Tbl' }, undefined, 'json'), 'object');
  });
});

describe('Query and Scan answered as JSON text', () => {
  it('are exactly JSON.stringify of the object answer, spliced or not', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Tbl', true, {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byN',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'g', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
    for (let i = 0; i < 5; i++)
      call(e, 'PutItem', {
        TableName: 'Tbl',
        Item: { ...ITEM, sk: { S: String(i) }, g: { S: `g${i % 2}` } },
      });
    const query = {
      TableName: 'Tbl',
      KeyConditionExpression: 'pk = :a',
      ExpressionAttributeValues: { ':a': { S: 'a' } },
    };
    const inputs: [string, Record<string, unknown>][] = [
      ['Query', query],
      ['Query', { ...query, Limit: 2, ReturnConsumedCapacity: 'TOTAL' }],
      [
        'Query',
        {
          ...query,
          ScanIndexForward: false,
          Limit: 1,
          ExclusiveStartKey: { pk: { S: 'a' }, sk: { S: '3' } },
        },
      ],
      ['Query', { ...query, ProjectionExpression: 'm.z[2], n' }],
      [
        'Query',
        {
          ...query,
          FilterExpression: 'g = :g',
          ExpressionAttributeValues: { ':a': { S: 'a' }, ':g': { S: 'g1' } },
        },
      ],
      ['Query', { ...query, Select: 'COUNT' }],
      ['Query', { ...query, IndexName: 'byN', Select: 'ALL_ATTRIBUTES' }],
      ['Query', { ...query, IndexName: 'byN', Limit: 2 }],
      [
        'Query',
        {
          TableName: 'Tbl',
          IndexName: 'byG',
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: 'g0' } },
        },
      ],
      ['Query', { ...query, ExpressionAttributeValues: { ':a': { S: 'none' } } }],
      ['Scan', { TableName: 'Tbl' }],
      ['Scan', { TableName: 'Tbl', Limit: 3, ReturnConsumedCapacity: 'INDEXES' }],
      ['Scan', { TableName: 'Tbl', Segment: 1, TotalSegments: 2 }],
      ['Scan', { TableName: 'Tbl', IndexName: 'byG' }],
      ['Scan', { TableName: 'Tbl', AttributesToGet: ['10', 's'] }],
      ['Scan', { TableName: 'Tbl', Select: 'COUNT' }],
    ];
    for (const [operation, input] of inputs) {
      const json = e.execute(operation, input, undefined, 'json');
      assert.equal(typeof json, 'string', JSON.stringify(input));
      assert.equal(
        json,
        JSON.stringify(e.execute(operation, input)),
        `${operation} ${JSON.stringify(input)}`,
      );
    }
  });

  it('splice stored items without parsing them', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Tbl');
    call(e, 'PutItem', { TableName: 'Tbl', Item: { pk: { S: 'a' }, v: { N: '1' } } });
    const parse = JSON.parse;
    let parsed = 0;
    JSON.parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
      parsed++;
      return parse(text, reviver);
    }) as typeof JSON.parse;
    try {
      const json = e.execute('Scan', { TableName: 'Tbl' }, undefined, 'json');
      assert.equal(json, '{"Count":1,"ScannedCount":1,"Items":[{"pk":{"S":"a"},"v":{"N":"1"}}]}');
    } finally {
      JSON.parse = parse;
    }
    assert.equal(parsed, 0);
  });
});

describe('PutItem that needs nothing of the item it replaces', () => {
  it('reads only the old size on a plain table, and counts items and bytes exactly', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Tbl');
    const reads = countReads(e.ctx.catalog.get('Tbl')!);
    call(e, 'PutItem', { TableName: 'Tbl', Item: { pk: { S: 'a' }, v: { S: 'x'.repeat(100) } } });
    call(e, 'PutItem', { TableName: 'Tbl', Item: { pk: { S: 'a' }, v: { S: 'short' } } });
    call(e, 'PutItem', { TableName: 'Tbl', Item: { pk: { S: 'b' } } });
    assert.deepEqual(reads, { rows: 0, sizes: 3 });
    const t = call(e, 'DescribeTable', { TableName: 'Tbl' }).Table;
    assert.equal(t.ItemCount, 2);
    const stored = e.ctx.db.sqlite
      .prepare(`SELECT count(*) AS n, sum(size) AS s FROM "${e.ctx.catalog.get('Tbl')!.sqlName}"`)
      .get() as { n: number; s: number };
    assert.equal(t.TableSizeBytes, stored.s);
  });

  it('charges capacity on the larger of the old and new item, as before', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Tbl');
    call(e, 'PutItem', { TableName: 'Tbl', Item: { pk: { S: 'a' }, v: { S: 'x'.repeat(3000) } } });
    const out = call(e, 'PutItem', {
      TableName: 'Tbl',
      Item: { pk: { S: 'a' } },
      ReturnConsumedCapacity: 'TOTAL',
    });
    assert.equal(out.ConsumedCapacity.CapacityUnits, 3);
  });

  it('still reads the old item for a condition, ReturnValues, an index, a stream or TTL', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Tbl');
    const item = { pk: { S: 'a' }, v: { S: 'old' } };
    call(e, 'PutItem', { TableName: 'Tbl', Item: item });
    const reads = countReads(e.ctx.catalog.get('Tbl')!);
    const old = call(e, 'PutItem', { TableName: 'Tbl', Item: { pk: { S: 'a' } }, ReturnValues: 'ALL_OLD' });
    assert.deepEqual(old.Attributes, item);
    call(e, 'PutItem', {
      TableName: 'Tbl',
      Item: { pk: { S: 'a' } },
      ConditionExpression: 'attribute_exists(pk)',
    });
    assert.deepEqual(reads, { rows: 2, sizes: 0 });

    // An index: the old item's index row must go when its index key changes.
    createSimpleTable(e, 'Idx', false, {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    const indexReads = countReads(e.ctx.catalog.get('Idx')!);
    call(e, 'PutItem', { TableName: 'Idx', Item: { pk: { S: 'a' }, g: { S: 'one' } } });
    call(e, 'PutItem', { TableName: 'Idx', Item: { pk: { S: 'a' }, g: { S: 'two' } } });
    assert.deepEqual(indexReads, { rows: 2, sizes: 0 });
    const byOne = call(e, 'Query', {
      TableName: 'Idx',
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'one' } },
    });
    assert.equal(byOne.Count, 0);

    // A stream with old images: the record carries what the put replaced.
    createSimpleTable(e, 'Str', false, {
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    call(e, 'PutItem', { TableName: 'Str', Item: item });
    call(e, 'PutItem', { TableName: 'Str', Item: { pk: { S: 'a' }, v: { S: 'new' } } });
    const arn = call(e, 'DescribeTable', { TableName: 'Str' }).Table.LatestStreamArn;
    const shard = call(e, 'DescribeStream', { StreamArn: arn }).StreamDescription.Shards[0].ShardId;
    const iterator = call(e, 'GetShardIterator', {
      StreamArn: arn,
      ShardId: shard,
      ShardIteratorType: 'TRIM_HORIZON',
    }).ShardIterator;
    const records = call(e, 'GetRecords', { ShardIterator: iterator }).Records;
    assert.equal(records.length, 2);
    assert.equal(records[1].eventName, 'MODIFY');
    assert.deepEqual(records[1].dynamodb.OldImage, item);

    // TTL: replacing an expiring item with one that does not expire forgets its expiry.
    createSimpleTable(e, 'Xtl');
    call(e, 'UpdateTimeToLive', {
      TableName: 'Xtl',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' },
    });
    const ttlReads = countReads(e.ctx.catalog.get('Xtl')!);
    call(e, 'PutItem', { TableName: 'Xtl', Item: { pk: { S: 'a' }, exp: { N: '1' } } });
    call(e, 'PutItem', { TableName: 'Xtl', Item: { pk: { S: 'a' } } });
    assert.deepEqual(ttlReads, { rows: 2, sizes: 0 });
    assert.equal(e.sweepExpiredItems(Date.now() + 10_000), 0);
    assert.ok(call(e, 'GetItem', { TableName: 'Xtl', Key: { pk: { S: 'a' } } }).Item);
  });
});

describe("the server's non-blocking calls", () => {
  it('leave the short busy timeout in place until a blocking call needs the long one', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Tbl');
    const timeout = () => e.ctx.db.sqlite.pragma('busy_timeout', { simple: true });
    e.executeWaiting('PutItem', { TableName: 'Tbl', Item: { pk: { S: 'a' } } });
    e.executeWaiting('GetItem', { TableName: 'Tbl', Key: { pk: { S: 'a' } } });
    assert.equal(timeout(), 2);
    e.execute('GetItem', { TableName: 'Tbl', Key: { pk: { S: 'a' } } });
    assert.equal(timeout(), 5000);
    e.executeWaiting('GetItem', { TableName: 'Tbl', Key: { pk: { S: 'a' } } });
    e.ctx.db.snapshot(() => assert.equal(timeout(), 5000));
  });
});

describe('CreateTable/DeleteTable cycles, as test suites run them', () => {
  it('prepare only the statements of the new table once the first cycle has run', () => {
    const e = scratchEngine();
    const cycle = () => {
      createSimpleTable(e, 'PerTest', false, {
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      });
      e.executeWaiting('PutItem', { TableName: 'PerTest', Item: { pk: { S: 'a' }, g: { S: 'x' } } });
      e.executeWaiting('Scan', {
        TableName: 'PerTest',
        FilterExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'x' } },
      });
      e.executeWaiting('DeleteTable', { TableName: 'PerTest' });
    };
    cycle();
    const sqlite = e.ctx.db.sqlite;
    const prepared: string[] = [];
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof sqlite.prepare;
    cycle();
    // What is left is the new table's own storage: the old item read (it has an index), its item
    // row and index row written, one page scanned.
    for (const sql of prepared) assert.match(sql, /"(t|i)\d+(_byG)?"/, sql);
    assert.equal(prepared.length, 4, prepared.join('\n'));
  });
});

describe('opening a new database', () => {
  it('runs no data migration: there are no item tables to convert', () => {
    const e = scratchEngine();
    // The partition-hash migration registers this function to rewrite existing rows; a new file
    // skips it (files written by older versions are converted, tests/unit/operations/scan-hash).
    assert.throws(() => e.ctx.db.sqlite.prepare("SELECT sk_partition_hash(x'00')").get(), /no such function/);
    createSimpleTable(e, 'Tbl');
    call(e, 'PutItem', { TableName: 'Tbl', Item: { pk: { S: 'a' } } });
    assert.equal(call(e, 'Scan', { TableName: 'Tbl' }).Count, 1);
  });
});
