// Tables that go away (DeleteTable, a deleted GSI, DeleteBackup) are renamed into the trash inside
// the operation's transaction and purged afterwards in chunks (engine/storage/trash.ts), so the
// operation costs the same at any size: no statement of it visits the table's rows.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Engine } from '../../../engine/engine.js';
import { TRASH_PREFIX, purgeStatement, trashSettings } from '../../../engine/storage/trash.js';
import { call, gsiTableInput } from '../../support/engine.js';
import { N, S } from '../streams/helpers.js';

const ITEMS = 200;
const CHUNK = 16;

function fill(engine: Engine, name: string): void {
  call(engine, 'CreateTable', gsiTableInput(name));
  for (let i = 0; i < ITEMS; i += 25) {
    const puts = [];
    for (let j = i; j < i + 25; j++)
      puts.push({ PutRequest: { Item: { pk: S(`k${j}`), g: S(`g${j % 7}`), v: N(j) } } });
    call(engine, 'BatchWriteItem', { RequestItems: { [name]: puts } });
  }
}

function trash(engine: Engine): { name: string; rows: number }[] {
  const names = engine.ctx.db.sqlite
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '${TRASH_PREFIX}%' ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  return names.map((name) => ({
    name,
    rows: engine.ctx.db.sqlite.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number,
  }));
}

describe('the trash: dropped tables purged in chunks', () => {
  // The tables here are small: every one goes through the trash, as a big one would.
  const dropAtOnce = trashSettings.dropAtOnceBytes;
  before(() => (trashSettings.dropAtOnceBytes = -1));
  after(() => (trashSettings.dropAtOnceBytes = dropAtOnce));

  it('a small table is dropped at once, without a job', () => {
    const engine = Engine.inMemory();
    trashSettings.dropAtOnceBytes = dropAtOnce;
    try {
      fill(engine, 'Orders');
      engine.ctx.jobs.stop();
      call(engine, 'DeleteTable', { TableName: 'Orders' });
      assert.deepEqual(trash(engine), []);
      assert.deepEqual(engine.ctx.jobs.list(), []);
    } finally {
      trashSettings.dropAtOnceBytes = -1;
      engine.close();
    }
  });

  it('DeleteTable renames the table and its index away, and a job purges them chunk by chunk', () => {
    const engine = Engine.inMemory();
    try {
      fill(engine, 'Orders');
      engine.ctx.jobs.stop(); // chunks run by hand below, not by the timer
      engine.ctx.jobs.chunkRows = CHUNK;
      call(engine, 'DeleteTable', { TableName: 'Orders' });
      // The table is gone for clients at once…
      assert.equal(call(engine, 'ListTables', {}).TableNames.length, 0);
      // …and its rows wait in the trash: the table's and the index's.
      const before = trash(engine);
      assert.equal(before.length, 2);
      assert.deepEqual(
        before.map((t) => t.rows).sort((a, b) => a - b),
        [ITEMS, ITEMS],
      );
      // One chunk deletes at most CHUNK rows, in its own transaction.
      assert.equal(engine.ctx.jobs.step(), true);
      const after = trash(engine);
      const removed = before.reduce((n, t) => n + t.rows, 0) - after.reduce((n, t) => n + t.rows, 0);
      assert.equal(removed, CHUNK);
      engine.ctx.jobs.runToEnd();
      assert.deepEqual(trash(engine), []);
      assert.deepEqual(engine.ctx.jobs.list(), []);
      // A table of the same name can be made again meanwhile and afterwards.
      fill(engine, 'Orders');
      assert.equal(call(engine, 'Scan', { TableName: 'Orders', Select: 'COUNT' }).Count, ITEMS);
    } finally {
      engine.close();
    }
  });

  it('a deleted GSI and a deleted backup go the same way', () => {
    const engine = Engine.inMemory();
    try {
      fill(engine, 'Orders');
      engine.ctx.jobs.stop();
      call(engine, 'UpdateTable', {
        TableName: 'Orders',
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }],
      });
      assert.deepEqual(
        trash(engine).map((t) => t.rows),
        [ITEMS],
      );
      engine.ctx.jobs.runToEnd();
      const backup = call(engine, 'CreateBackup', {
        TableName: 'Orders',
        BackupName: 'nightly',
      }).BackupDetails;
      engine.ctx.jobs.runToEnd();
      call(engine, 'DeleteBackup', { BackupArn: backup.BackupArn });
      assert.deepEqual(
        trash(engine).map((t) => t.rows),
        [ITEMS],
      );
      engine.ctx.jobs.runToEnd();
      assert.deepEqual(trash(engine), []);
      // The table itself is untouched by either.
      assert.equal(call(engine, 'Scan', { TableName: 'Orders', Select: 'COUNT' }).Count, ITEMS);
    } finally {
      engine.close();
    }
  });

  it("DeleteTable leaves a TTL table's expiry rows to the purge, which spares other tables' rows", () => {
    const engine = Engine.inMemory();
    try {
      const expiring = (name: string): void => {
        fill(engine, name);
        call(engine, 'UpdateTimeToLive', {
          TableName: name,
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'v' },
        });
      };
      expiring('Orders');
      expiring('Kept');
      engine.ctx.jobs.runToEnd();
      const expiry = (): number =>
        engine.ctx.db.sqlite.prepare('SELECT count(*) FROM sk_ttl_expiry').pluck().get() as number;
      assert.equal(expiry(), 2 * ITEMS);
      engine.ctx.jobs.stop();
      engine.ctx.jobs.chunkRows = CHUNK;
      call(engine, 'DeleteTable', { TableName: 'Orders' });
      // Not deleted in DeleteTable's transaction: a job's chunks do it.
      assert.equal(expiry(), 2 * ITEMS);
      assert.ok(
        engine.ctx.jobs.list().some((j) => j.job.kind === 'purge' && j.job.target === 'sk_ttl_expiry'),
      );
      engine.ctx.jobs.step();
      engine.ctx.jobs.runToEnd();
      assert.equal(expiry(), ITEMS);
      // The other table's items still expire through their rows.
      assert.equal(
        call(engine, 'DescribeTimeToLive', { TableName: 'Kept' }).TimeToLiveDescription.TimeToLiveStatus,
        'ENABLED',
      );
    } finally {
      engine.close();
    }
  });

  it('another process on the file finishes a purge left half-way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-trash-'));
    const path = join(dir, 'db.sqlite');
    try {
      const first = new Engine({ path });
      fill(first, 'Orders');
      first.ctx.jobs.stop();
      first.ctx.jobs.chunkRows = CHUNK;
      call(first, 'DeleteTable', { TableName: 'Orders' });
      first.ctx.jobs.step();
      first.close(); // stops with most rows still in the trash
      const raw = new Database(path, { readonly: true });
      const left = raw
        .prepare(`SELECT count(*) FROM sqlite_master WHERE name LIKE '${TRASH_PREFIX}%'`)
        .pluck()
        .get();
      raw.close();
      assert.equal(left, 2);
      const second = new Engine({ path });
      try {
        second.ctx.jobs.runToEnd();
        assert.deepEqual(trash(second), []);
      } finally {
        second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the purge deletes through the primary key of each table it empties (pinned plans)', () => {
    const engine = Engine.inMemory();
    try {
      fill(engine, 'Orders');
      engine.ctx.jobs.stop();
      call(engine, 'DeleteTable', { TableName: 'Orders' });
      const tables = trash(engine);
      assert.equal(tables.length, 2);
      for (const { name } of tables) {
        const plan = (
          engine.ctx.db.sqlite
            .prepare(`EXPLAIN QUERY PLAN ${purgeStatement(engine.ctx.db, name)}`)
            .all(16) as {
            detail: string;
          }[]
        ).map((r) => r.detail);
        assert.ok(
          plan.some((d) => /^SEARCH .* USING PRIMARY KEY \(h=\? AND pk=\? AND sk=\?/.test(d)),
          plan.join(' | '),
        );
      }
    } finally {
      engine.close();
    }
  });
});
