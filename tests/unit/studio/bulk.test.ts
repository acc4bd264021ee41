// Bulk actions (main/studio/bulk.ts): deletes in batches of 25 with retries of what DynamoDB leaves
// unprocessed, and per-item updates conditional on the key existing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../engine/index.js';
import { bulkMethods } from '../../../main/studio/bulk.js';
import type { CallOperation } from '../../../main/studio/bulk.js';
import { createStudioBackend } from '../../../main/studio/index.js';
import type { StudioBackend } from '../../../renderer/src/backend/api.js';

const noSleep = async (): Promise<void> => undefined;

describe('studio backend: bulk actions', () => {
  let engine: Engine;
  let backend: StudioBackend;

  before(() => {
    engine = Engine.inMemory();
    backend = createStudioBackend({
      engine,
      info: () => ({ version: '1', mode: 'browser', region: 'us-east-1' }),
    }) as unknown as StudioBackend;
    engine.execute('CreateTable', {
      TableName: 'Things',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 0; i < 60; i++)
      engine.execute('PutItem', {
        TableName: 'Things',
        Item: { pk: { S: 'p' }, sk: { N: String(i) }, old: { S: 'x' } },
      });
  });
  after(() => engine.close());

  const key = (i: number) => ({ pk: { S: 'p' }, sk: { N: String(i) } });
  const count = () =>
    (engine.execute('Scan', { TableName: 'Things', Select: 'COUNT' }) as { Count: number }).Count;

  it('deletes 30 items in two batches', async () => {
    const r = await backend.bulkDelete({
      table: 'Things',
      keys: Array.from({ length: 30 }, (_, i) => key(i)),
    });
    assert.deepEqual(r, { deleted: 30, unprocessed: [] });
    assert.equal(count(), 30);
  });

  it('sets and removes an attribute, conditional on the key existing', async () => {
    const keys = [key(30), key(31), key(5)]; // 5 was deleted above
    const set = await backend.bulkUpdate({
      table: 'Things',
      keys,
      action: { kind: 'set', attribute: 'status', value: { S: 'done' } },
    });
    assert.deepEqual(
      set.updated.map((i) => i.status),
      [{ S: 'done' }, { S: 'done' }],
    );
    assert.deepEqual(set.missing, [key(5)]);
    assert.equal(count(), 30, 'the missing item was not created');
    const removed = await backend.bulkUpdate({
      table: 'Things',
      keys,
      action: { kind: 'remove', attribute: 'old' },
    });
    assert.equal(removed.updated.length, 2);
    assert.ok(removed.updated.every((i) => !('old' in i) && JSON.stringify(i.status) === '{"S":"done"}'));
  });

  it('refuses key attributes, bad actions and too many keys', async () => {
    const refused = (p: Promise<unknown>) =>
      assert.rejects(p, (e: { type?: string }) => e.type === 'ValidationException');
    await refused(
      backend.bulkUpdate({ table: 'Things', keys: [key(40)], action: { kind: 'remove', attribute: 'sk' } }),
    );
    await refused(
      backend.bulkUpdate({ table: 'Things', keys: [key(40)], action: { kind: 'nope' } as never }),
    );
    await refused(
      backend.bulkDelete({ table: 'Things', keys: Array.from({ length: 101 }, (_, i) => key(i)) }),
    );
    await refused(backend.bulkDelete({ table: 'Things', keys: 'x' as never }));
  });

  it('retries unprocessed items and throttled batches until they are written', async () => {
    const sent: number[] = [];
    let round = 0;
    const call: CallOperation = async (op, input) => {
      assert.equal(op, 'BatchWriteItem');
      const requests = (input as { RequestItems: { Things: unknown[] } }).RequestItems.Things;
      sent.push(requests.length);
      round++;
      if (round === 2)
        throw Object.assign(new Error('slow down'), { type: 'ProvisionedThroughputExceededException' });
      // Leaves the last two requests unprocessed on the first two answers.
      return { UnprocessedItems: round <= 3 && requests.length > 2 ? { Things: requests.slice(-2) } : {} };
    };
    const bulk = bulkMethods(call, async () => ['pk', 'sk'], { sleep: noSleep });
    const r = await bulk.bulkDelete({ table: 'Things', keys: Array.from({ length: 10 }, (_, i) => key(i)) });
    assert.deepEqual(r, { deleted: 10, unprocessed: [] });
    assert.deepEqual(sent, [10, 2, 2]);
  });

  it('reports what stays unprocessed after every attempt', async () => {
    let calls = 0;
    const call: CallOperation = async (_op, input) => {
      calls++;
      return { UnprocessedItems: (input as { RequestItems: unknown }).RequestItems };
    };
    const bulk = bulkMethods(call, async () => ['pk', 'sk'], { sleep: noSleep });
    const r = await bulk.bulkDelete({ table: 'Things', keys: [key(1), key(2)] });
    assert.equal(r.deleted, 0);
    assert.deepEqual(r.unprocessed, [key(1), key(2)]);
    assert.equal(calls, 8);
  });
});
