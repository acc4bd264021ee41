// The studio backend on a real engine: table summaries, statements with paging, EXPLAIN, reads that
// fill pages through filters, conditional writes that report concurrent changes, and completion
// names.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../engine/index.js';
import type { Item, StudioBackend } from '../../../renderer/src/backend/api.js';
import { createStudioBackend, sameItem, versionCondition } from '../../../main/studio/index.js';

describe('studio backend', () => {
  let engine: Engine;
  let backend: StudioBackend;

  before(() => {
    engine = Engine.inMemory();
    backend = createStudioBackend({
      engine,
      info: () => ({ version: '1.2.3', mode: 'browser', region: 'us-east-1' }),
    }) as unknown as StudioBackend;
  });
  after(() => engine.close());

  it('creates tables and summarizes them with keys, counts and indexes', async () => {
    const summary = await backend.createTable({
      TableName: 'Orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
    assert.equal(summary.name, 'Orders');
    assert.equal(summary.billingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(
      summary.indexes.map((i) => [i.kind, i.name, i.projectionType]),
      [['GSI', 'byStatus', 'KEYS_ONLY']],
    );
    for (let i = 0; i < 60; i++) {
      engine.execute('PutItem', {
        TableName: 'Orders',
        Item: {
          pk: { S: `c${i % 3}` },
          sk: { N: String(i) },
          status: { S: i % 10 === 0 ? 'open' : 'done' },
          amount: { N: `${i}.50` },
        },
      });
    }
    const tables = await backend.listTables();
    assert.equal(tables.length, 1);
    assert.equal(tables[0]!.itemCount, 60);
    assert.ok(tables[0]!.sizeBytes > 0);
    assert.deepEqual(await backend.info(), { version: '1.2.3', mode: 'browser', region: 'us-east-1' });
    assert.equal((await backend.describeTable({ table: 'Orders' })).TableName, 'Orders');
  });

  it('runs statements with Limit and NextToken, numbers exact, with elapsed time and capacity', async () => {
    const first = await backend.executeStatement({ statement: 'SELECT * FROM Orders', limit: 25 });
    assert.equal(first.items.length, 25);
    assert.ok(first.nextToken);
    assert.ok(first.elapsedMs >= 0);
    assert.ok((first.consumedCapacity?.CapacityUnits ?? 0) > 0);
    const second = await backend.executeStatement({
      statement: 'SELECT * FROM Orders',
      limit: 25,
      nextToken: first.nextToken,
    });
    assert.equal(second.items.length, 25);
    const withParams = await backend.executeStatement({
      statement: 'SELECT * FROM Orders WHERE pk = ? AND sk = ?',
      parameters: [{ S: 'c1' }, { N: '1' }],
    });
    assert.deepEqual(
      withParams.items.map((i) => i.amount),
      [{ N: '1.5' }],
    );
  });

  it('explains statements, flagging full table scans', async () => {
    const scan = await backend.explain({ statement: 'SELECT * FROM Orders WHERE amount > 3' });
    assert.equal(scan.FullTableScan, true);
    assert.equal(scan.Steps[0]!.Operation, 'Scan');
    assert.ok(scan.Warnings.some((w) => /Full table scan/.test(w)));
    const query = await backend.explain({
      statement: 'SELECT * FROM Orders WHERE pk = ?',
      parameters: [{ S: 'c1' }],
    });
    assert.equal(query.FullTableScan, false);
    assert.equal(query.Steps[0]!.Operation, 'Query');
  });

  it('keeps reading until a page is full, so a selective filter never yields an empty page', async () => {
    const r = await backend.read({
      operation: 'Scan',
      input: {
        TableName: 'Orders',
        FilterExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'open' } },
      },
      want: 4,
    });
    assert.equal(r.count, 4);
    assert.equal(r.items.length, 4);
    assert.ok(r.pages > 1, 'several DynamoDB pages were read');
    assert.ok(r.scannedCount > 4);
    assert.ok(r.lastEvaluatedKey);
    const rest = await backend.read({
      operation: 'Scan',
      input: {
        TableName: 'Orders',
        FilterExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'open' } },
        ExclusiveStartKey: r.lastEvaluatedKey,
      },
      want: 100,
    });
    assert.equal(rest.count, 2);
    assert.equal(rest.lastEvaluatedKey, undefined);
    assert.equal(r.scannedCount + rest.scannedCount, 60);
    const q = await backend.read({
      operation: 'Query',
      input: {
        TableName: 'Orders',
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':p': { S: 'c0' }, ':a': { N: '3' }, ':b': { N: '12' } },
        ScanIndexForward: false,
      },
      want: 10,
    });
    assert.deepEqual(
      q.items.map((i) => i.sk),
      [{ N: '12' }, { N: '9' }, { N: '6' }, { N: '3' }],
    );
  });

  it('saves conditionally: new items must be new, edits must start from the stored version', async () => {
    const item: Item = {
      pk: { S: 'edit' },
      sk: { N: '1' },
      big: { N: '123456789012345678901234567890' },
      tags: { SS: ['a', 'b'] },
      bin: { B: 'AAEC' },
      nested: { M: { list: { L: [{ NS: ['1', '2'] }, { NULL: true }] } } },
    };
    assert.deepEqual(await backend.putItem({ table: 'Orders', item, expected: null }), {
      ok: true,
      consumedCapacity: 1,
    });
    const again = await backend.putItem({ table: 'Orders', item, expected: null });
    assert.equal(again.ok, false);
    const stored = (await backend.getItem({ table: 'Orders', key: { pk: { S: 'edit' }, sk: { N: '1' } } }))
      .item!;
    assert.ok(sameItem(stored, item), 'types and digits survive');

    const edited: Item = { ...stored, tags: { SS: ['a', 'b', 'c'] } };
    assert.equal((await backend.putItem({ table: 'Orders', item: edited, expected: stored })).ok, true);

    // Someone else changes the item; a save based on the older version is refused, with the new one.
    engine.execute('UpdateItem', {
      TableName: 'Orders',
      Key: { pk: { S: 'edit' }, sk: { N: '1' } },
      UpdateExpression: 'SET extra = :x',
      ExpressionAttributeValues: { ':x': { S: 'theirs' } },
    });
    const stale = await backend.putItem({
      table: 'Orders',
      item: { ...edited, big: { N: '1' } },
      expected: edited,
    });
    assert.equal(stale.ok, false);
    assert.ok(!stale.ok && stale.reason === 'conflict');
    assert.deepEqual(!stale.ok && stale.current?.extra, { S: 'theirs' });

    const del = await backend.deleteItem({
      table: 'Orders',
      key: { pk: { S: 'edit' }, sk: { N: '1' } },
      expected: edited,
    });
    assert.equal(del.ok, false);
    const current = (await backend.getItem({ table: 'Orders', key: { pk: { S: 'edit' }, sk: { N: '1' } } }))
      .item!;
    assert.equal(
      (
        await backend.deleteItem({
          table: 'Orders',
          key: { pk: { S: 'edit' }, sk: { N: '1' } },
          expected: current,
        })
      ).ok,
      true,
    );
    assert.equal(
      (await backend.getItem({ table: 'Orders', key: { pk: { S: 'edit' }, sk: { N: '1' } } })).item,
      undefined,
    );
    const gone = await backend.putItem({ table: 'Orders', item: current, expected: current });
    assert.equal(gone.ok, false);
  });

  it('builds conditions over the expected attributes', () => {
    const c = versionCondition(['pk'], { pk: { S: 'a' }, n: { N: '1' }, s: { SS: ['x'] } });
    assert.equal(c.ConditionExpression, 'attribute_exists(#k) AND #a0 = :a0 AND #a1 = :a1');
    assert.deepEqual(c.ExpressionAttributeNames, { '#k': 'pk', '#a0': 'n', '#a1': 's' });
    assert.deepEqual(versionCondition(['pk'], null).ConditionExpression, 'attribute_not_exists(#k)');
    assert.ok(sameItem({ s: { SS: ['a', 'b'] } }, { s: { SS: ['b', 'a'] } }));
    assert.ok(!sameItem({ s: { SS: ['a', 'b'] } }, { s: { L: [{ S: 'a' }, { S: 'b' }] } }));
    assert.ok(!sameItem({ n: { N: '1' } }, { n: { N: '1' }, m: { NULL: true } }));
  });

  it('gives completion names: tables, indexes, keys and sampled attributes', async () => {
    const schema = await backend.schema();
    const orders = schema.tables.find((t) => t.name === 'Orders')!;
    assert.deepEqual(orders.indexes, ['byStatus']);
    for (const a of ['pk', 'sk', 'status', 'amount']) assert.ok(orders.attributes.includes(a), a);
  });

  it('reports engine errors with DynamoDB’s type and message', async () => {
    await assert.rejects(
      () => backend.deleteTable({ table: 'Nope' }),
      (e: { type?: string }) => e.type === 'ResourceNotFoundException',
    );
    await assert.rejects(
      () => backend.executeStatement({ statement: '' }),
      (e: { type?: string }) => e.type === 'ValidationException',
    );
    assert.deepEqual(await backend.deleteTable({ table: 'Orders' }), { deleted: 'Orders' });
  });
});
