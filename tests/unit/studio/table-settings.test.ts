// The studio's table settings (main/studio/table-settings.ts): one view over the Describe/List
// operations, and every change through the one DynamoDB operation that makes it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../engine/index.js';
import type { StudioBackend } from '../../../renderer/src/backend/api.js';
import { createStudioBackend } from '../../../main/studio/index.js';
import { gsiTableInput } from '../../support/engine.js';

describe('studio backend: table settings', () => {
  let engine: Engine;
  let backend: StudioBackend;

  before(() => {
    engine = Engine.inMemory();
    backend = createStudioBackend({
      engine,
      info: () => ({ version: '1.2.3', mode: 'browser', region: 'us-east-1' }),
    }) as unknown as StudioBackend;
    engine.execute('CreateTable', gsiTableInput('Orders'));
    engine.execute('PutItem', { TableName: 'Orders', Item: { pk: { S: 'a' }, g: { S: 'x' } } });
  });
  after(() => engine.close());

  it('reports the defaults of a new table', async () => {
    const s = await backend.tableSettings({ table: 'Orders' });
    assert.equal(s.billingMode, 'PAY_PER_REQUEST');
    assert.equal(s.tableClass, 'STANDARD');
    assert.equal(s.deletionProtection, false);
    assert.deepEqual(s.stream, { enabled: false });
    assert.equal(s.ttl.status, 'DISABLED');
    assert.equal(s.pitr.status, 'DISABLED');
    assert.deepEqual(s.tags, []);
    assert.deepEqual(s.backups, []);
  });

  it('changes each setting and reads it back', async () => {
    const change = (c: Parameters<StudioBackend['changeTableSettings']>[0]['change']) =>
      backend.changeTableSettings({ table: 'Orders', change: c });
    let s = await change({ kind: 'ttl', enabled: true, attribute: 'expiresAt' });
    assert.deepEqual(s.ttl, { status: 'ENABLED', attribute: 'expiresAt' });
    s = await change({ kind: 'stream', enabled: true, viewType: 'NEW_AND_OLD_IMAGES' });
    assert.equal(s.stream.enabled, true);
    assert.equal(s.stream.viewType, 'NEW_AND_OLD_IMAGES');
    assert.match(s.stream.arn ?? '', /stream/);
    s = await change({ kind: 'pitr', enabled: true });
    assert.equal(s.pitr.status, 'ENABLED');
    assert.ok(s.pitr.latest! > 0);
    s = await change({ kind: 'deletionProtection', enabled: true });
    assert.equal(s.deletionProtection, true);
    await assert.rejects(backend.deleteTable({ table: 'Orders' }), /deletion protection/i);
    s = await change({ kind: 'deletionProtection', enabled: false });
    s = await change({ kind: 'tableClass', tableClass: 'STANDARD_INFREQUENT_ACCESS' });
    assert.equal(s.tableClass, 'STANDARD_INFREQUENT_ACCESS');
    s = await change({ kind: 'billing', mode: 'PROVISIONED', read: 7, write: 3 });
    assert.deepEqual([s.billingMode, s.readCapacity, s.writeCapacity], ['PROVISIONED', 7, 3]);
    const described = engine.execute('DescribeTable', { TableName: 'Orders' }) as {
      Table: { GlobalSecondaryIndexes: { ProvisionedThroughput: { ReadCapacityUnits: number } }[] };
    };
    assert.equal(described.Table.GlobalSecondaryIndexes[0]!.ProvisionedThroughput.ReadCapacityUnits, 7);
    s = await change({
      kind: 'tags',
      set: [
        { Key: 'team', Value: 'data' },
        { Key: 'env', Value: 'dev' },
      ],
      remove: [],
    });
    s = await change({ kind: 'tags', set: [{ Key: 'env', Value: 'prod' }], remove: ['team'] });
    assert.deepEqual(s.tags, [{ Key: 'env', Value: 'prod' }]);
  });

  it('creates, lists and restores backups to new tables, and deletes them', async () => {
    let s = await backend.changeTableSettings({
      table: 'Orders',
      change: { kind: 'createBackup', name: 'before-migration' },
    });
    assert.equal(s.backups.length, 1);
    assert.equal(s.backups[0]!.name, 'before-migration');
    const arn = s.backups[0]!.arn;
    await backend.changeTableSettings({
      table: 'Orders',
      change: { kind: 'restoreBackup', arn, target: 'OrdersRestored' },
    });
    const restored = (await backend.listTables()).find((t) => t.name === 'OrdersRestored');
    assert.ok(restored);
    await backend.changeTableSettings({
      table: 'Orders',
      change: { kind: 'restoreLatest', target: 'OrdersLatest' },
    });
    assert.ok((await backend.listTables()).some((t) => t.name === 'OrdersLatest'));
    s = await backend.changeTableSettings({ table: 'Orders', change: { kind: 'deleteBackup', arn } });
    assert.equal(s.backups.filter((b) => b.status !== 'DELETED').length, 0);
  });

  it('answers bad input with a ValidationException', async () => {
    await assert.rejects(
      backend.changeTableSettings({ table: 'Orders', change: { kind: 'ttl', enabled: true, attribute: '' } }),
      (e: { type?: string }) => e.type === 'ValidationException',
    );
    await assert.rejects(
      backend.changeTableSettings({ table: 'Orders', change: { kind: 'nope' } as never }),
      (e: { type?: string }) => e.type === 'ValidationException',
    );
    await assert.rejects(
      backend.tableSettings({ table: 'Missing' }),
      (e: { type?: string }) => e.type === 'ResourceNotFoundException',
    );
  });
});
