// Tools that open a database file themselves (import/export/dump/restore, `stream`, `stats`) take
// --region to pick whose tables they work on: each region has its own tables in the file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Connection } from '../../../engine/connection/index.js';
import { Engine } from '../../../engine/engine.js';
import { isRemoteTarget, openTarget } from '../../../main/cli/remote.js';
import { runStats } from '../../../main/cli/stats.js';
import { localApi } from '../../../main/cli/stream.js';

const EU = { region: 'eu-west-1', accountId: '000000000000' };

describe('--region of the local tools', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-region-tools-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'app.sqlite');
  const engine = new Engine({ path: db });
  engine.execute(
    'CreateTable',
    {
      TableName: 'Events',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    },
    EU,
  );
  engine.execute('PutItem', { TableName: 'Events', Item: { pk: { S: 'e1' } } }, EU);
  engine.close();

  it('with --db, --region is the local region; alone it still means DynamoDB itself', () => {
    assert.equal(isRemoteTarget({ db, region: 'eu-west-1' }), false);
    assert.equal(isRemoteTarget({ inMemory: true, region: 'eu-west-1' }), false);
    assert.equal(isRemoteTarget({ region: 'eu-west-1' }), true);
  });

  it('import/export/dump targets open the region asked for', async () => {
    const eu = await openTarget({ db, region: 'eu-west-1', quiet: true });
    const east = await openTarget({ db, quiet: true });
    try {
      const names = async (t: Connection) =>
        ((await t.callAny('ListTables', {})) as { TableNames: string[] }).TableNames;
      assert.deepEqual(await names(eu.target), ['Events']);
      assert.deepEqual(await names(east.target), []);
    } finally {
      await eu.close();
      await east.close();
    }
  });

  it('stream reads the stream of the table in that region', async () => {
    const eu = await localApi(db, 'eu-west-1');
    assert.match(
      (await eu.latestStream('Events'))!,
      /^arn:aws:dynamodb:eu-west-1:000000000000:table\/Events\/stream\//,
    );
    const east = await localApi(db);
    await assert.rejects(east.latestStream('Events'), /ResourceNotFoundException|not found/);
  });

  it('stats shows the table of that region', async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = (line: string) => lines.push(line);
    console.error = (line: string) => errors.push(line);
    try {
      assert.equal(await runStats('Events', { db, region: 'eu-west-1', json: true }), 0);
      assert.equal(await runStats('Events', { db, json: true }), 1);
    } finally {
      console.log = log;
      console.error = error;
    }
    assert.match(lines.join('\n'), /"table": "Events"|Events/);
    assert.match(errors.join('\n'), /table Events not found/);
  });
});

describe('the import journal and regions', () => {
  it('undoes an import into another region than the engine default one', async () => {
    const { ImportJournal } = await import('../../../engine/dump/journal.js');
    const engine = Engine.inMemory();
    const create = (ns?: typeof EU) =>
      engine.execute(
        'CreateTable',
        {
          TableName: 'Fresh',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        },
        ns,
      );
    create(); // us-east-1's own Fresh, which the undo must leave alone
    const journal = ImportJournal.start(engine.ctx);
    engine.ctx.inNamespace(EU, () => {
      engine.ctx.db.transaction(() => {
        create(EU);
        journal.created(engine.ctx.catalog.get('Fresh')!);
      });
    });
    journal.undo();
    assert.deepEqual(engine.execute('ListTables', {}, EU), { TableNames: [] });
    assert.deepEqual(engine.execute('ListTables', {}), { TableNames: ['Fresh'] });
    engine.close();
  });
});
