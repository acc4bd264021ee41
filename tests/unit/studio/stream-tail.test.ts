// The streams viewer's reads (main/studio/stream-tail.ts): a live tail from now, or from the oldest
// record, through the DynamoDB Streams API, with a cursor that resumes where the last read stopped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../engine/index.js';
import { createStudioBackend } from '../../../main/studio/index.js';
import type { StudioBackend } from '../../../renderer/src/backend/api.js';

describe('studio backend: stream tail', () => {
  let engine: Engine;
  let backend: StudioBackend;

  before(() => {
    engine = Engine.inMemory();
    backend = createStudioBackend({
      engine,
      info: () => ({ version: '1', mode: 'browser', region: 'us-east-1' }),
    }) as unknown as StudioBackend;
    engine.execute('CreateTable', {
      TableName: 'Events',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });
  after(() => engine.close());

  it('says when the table has no stream', async () => {
    assert.deepEqual(await backend.streamRead({ table: 'Events' }), { enabled: false, records: [] });
  });

  it('tails INSERT, MODIFY and REMOVE with old and new images, from now', async () => {
    engine.execute('UpdateTable', {
      TableName: 'Events',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    engine.execute('PutItem', { TableName: 'Events', Item: { id: { S: 'before' } } });
    const start = await backend.streamRead({ table: 'Events' });
    assert.equal(start.enabled, true);
    assert.equal(start.viewType, 'NEW_AND_OLD_IMAGES');
    assert.deepEqual(start.records, [], 'a tail starts with what happens next');

    engine.execute('PutItem', { TableName: 'Events', Item: { id: { S: 'a' }, v: { N: '1' } } });
    engine.execute('PutItem', { TableName: 'Events', Item: { id: { S: 'a' }, v: { N: '2' } } });
    engine.execute('DeleteItem', { TableName: 'Events', Key: { id: { S: 'a' } } });
    const next = await backend.streamRead({ table: 'Events', cursor: start.cursor! });
    assert.deepEqual(
      next.records.map((r) => [r.eventName, r.keys, r.oldImage?.v, r.newImage?.v]),
      [
        ['INSERT', { id: { S: 'a' } }, undefined, { N: '1' }],
        ['MODIFY', { id: { S: 'a' } }, { N: '1' }, { N: '2' }],
        ['REMOVE', { id: { S: 'a' } }, { N: '2' }, undefined],
      ],
    );
    assert.ok(next.records.every((r) => r.at > 0 && r.sequenceNumber !== ''));
    const again = await backend.streamRead({ table: 'Events', cursor: next.cursor! });
    assert.deepEqual(again.records, []);
    engine.execute('PutItem', { TableName: 'Events', Item: { id: { S: 'b' } } });
    const later = await backend.streamRead({ table: 'Events', cursor: again.cursor! });
    assert.deepEqual(
      later.records.map((r) => r.keys),
      [{ id: { S: 'b' } }],
    );
  });

  it('reads from the oldest record kept when asked', async () => {
    const all = await backend.streamRead({ table: 'Events', from: 'oldest' });
    assert.deepEqual(
      all.records.map((r) => `${r.eventName} ${r.keys.id && 'S' in r.keys.id ? r.keys.id.S : ''}`),
      ['INSERT before', 'INSERT a', 'MODIFY a', 'REMOVE a', 'INSERT b'],
    );
  });

  it('refuses a cursor it did not give out', async () => {
    await assert.rejects(
      backend.streamRead({ table: 'Events', cursor: 'bm9wZQ' }),
      (e: { type?: string }) => e.type === 'ValidationException',
    );
  });
});
