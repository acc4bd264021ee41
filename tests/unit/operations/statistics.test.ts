// ItemCount and TableSizeBytes come from sk_table_stats, kept by every write: DescribeTable never
// reads the table's rows, a rolled-back write leaves no trace, processes sharing a file agree, and a
// file written before the statistics existed is measured once when it is opened.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import { call, scratchEngine } from '../../support/engine.js';

function createTable(e: Engine): void {
  call(e, 'CreateTable', {
    TableName: 'Stats',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

function describeCounts(e: Engine): number[] {
  const t = call(e, 'DescribeTable', { TableName: 'Stats' }).Table;
  const gsi = t.GlobalSecondaryIndexes[0];
  return [t.ItemCount, t.TableSizeBytes, gsi.ItemCount, gsi.IndexSizeBytes];
}

/** What the counts should be, measured from the rows themselves. */
function measured(e: Engine): number[] {
  const table = e.ctx.catalog.get('Stats')!;
  const index = table.indexes.get('byG')!;
  const m = (sql: string) =>
    e.ctx.db.sqlite.prepare(`SELECT count(*) AS n, coalesce(sum(size), 0) AS s FROM "${sql}"`).get() as {
      n: number;
      s: number;
    };
  const a = m(table.sqlName);
  const b = m(index.sqlName);
  return [a.n, a.s, b.n, b.s];
}

function put(e: Engine, pk: string, extra: Record<string, unknown> = {}): void {
  call(e, 'PutItem', { TableName: 'Stats', Item: { pk: { S: pk }, ...extra } });
}

describe('table statistics', () => {
  it('follow puts, updates, index moves and deletes', () => {
    const e = scratchEngine();
    createTable(e);
    assert.deepEqual(describeCounts(e), [0, 0, 0, 0]);
    for (let i = 0; i < 20; i++)
      put(e, `k${i}`, i % 2 ? { g: { S: `g${i % 3}` }, v: { S: 'x'.repeat(i) } } : {});
    assert.deepEqual(describeCounts(e), measured(e));
    call(e, 'UpdateItem', {
      TableName: 'Stats',
      Key: { pk: { S: 'k1' } },
      UpdateExpression: 'SET g = :g, w = :w',
      ExpressionAttributeValues: { ':g': { S: 'other' }, ':w': { S: 'longer value' } },
    });
    call(e, 'UpdateItem', {
      TableName: 'Stats',
      Key: { pk: { S: 'k2' } },
      UpdateExpression: 'SET g = :g',
      ExpressionAttributeValues: { ':g': { S: 'joined' } },
    });
    call(e, 'UpdateItem', { TableName: 'Stats', Key: { pk: { S: 'k3' } }, UpdateExpression: 'REMOVE g' });
    call(e, 'DeleteItem', { TableName: 'Stats', Key: { pk: { S: 'k5' } } });
    call(e, 'DeleteItem', { TableName: 'Stats', Key: { pk: { S: 'absent' } } });
    assert.deepEqual(describeCounts(e), measured(e));
    assert.equal(describeCounts(e)[0], 19);
  });

  it('DescribeTable reads no item rows, even the first one after opening a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-stats-'));
    try {
      const path = join(dir, 'db.sqlite');
      const writer = new Engine({ path });
      createTable(writer);
      for (let i = 0; i < 5; i++) put(writer, `k${i}`, { g: { S: 'g' } });
      const expected = measured(writer);
      writer.close();
      const e = new Engine({ path });
      const table = e.ctx.catalog.get('Stats')!;
      const seen: string[] = [];
      const sqlite = e.ctx.db.sqlite;
      const prepare = sqlite.prepare.bind(sqlite);
      sqlite.prepare = ((sql: string) => {
        seen.push(sql);
        return prepare(sql);
      }) as typeof sqlite.prepare;
      assert.deepEqual(describeCounts(e), expected);
      const touching = seen.filter((s) => s.includes(`"${table.sqlName}"`) || s.includes(`"i${table.id}_`));
      assert.deepEqual(touching, []);
      e.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a rolled-back write leaves them as they were', () => {
    const e = scratchEngine();
    createTable(e);
    put(e, 'a', { g: { S: 'g' } });
    const before = describeCounts(e);
    assert.throws(() =>
      e.ctx.db.transaction(() => {
        put(e, 'b', { g: { S: 'g' } });
        throw new Error('abort');
      }),
    );
    assert.deepEqual(describeCounts(e), before);
    assert.deepEqual(describeCounts(e), measured(e));
  });

  it('two processes sharing a file see each other’s writes in them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-stats-'));
    try {
      const path = join(dir, 'db.sqlite');
      const a = new Engine({ path });
      createTable(a);
      const b = new Engine({ path });
      assert.deepEqual(describeCounts(b), [0, 0, 0, 0]);
      put(a, 'x', { g: { S: 'g' } });
      put(a, 'y');
      assert.deepEqual(describeCounts(b), measured(a));
      assert.equal(describeCounts(b)[0], 2);
      put(b, 'z', { g: { S: 'h' } });
      assert.deepEqual(describeCounts(a), measured(b));
      a.close();
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file from before the statistics is measured once when opened', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-stats-'));
    try {
      const path = join(dir, 'db.sqlite');
      const old = new Engine({ path });
      createTable(old);
      for (let i = 0; i < 7; i++) put(old, `k${i}`, i < 3 ? { g: { S: 'g' } } : {});
      // Back to schema 4: no statistics table.
      old.ctx.db.sqlite.exec('DROP TABLE sk_table_stats; PRAGMA user_version = 4;');
      old.close();
      const e = new Engine({ path });
      assert.deepEqual(describeCounts(e), measured(e));
      assert.equal(describeCounts(e)[0], 7);
      assert.equal(describeCounts(e)[2], 3);
      put(e, 'new', { g: { S: 'g' } });
      assert.deepEqual(describeCounts(e), measured(e));
      e.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('DeleteTable takes a table’s statistics with it, so a later table of that id starts at zero', () => {
    const e = scratchEngine();
    createTable(e);
    put(e, 'a', { g: { S: 'g' } });
    const id = e.ctx.catalog.get('Stats')!.id;
    call(e, 'DeleteTable', { TableName: 'Stats' });
    const rows = e.ctx.db.sqlite.prepare('SELECT * FROM sk_table_stats WHERE table_id = ?').all(id);
    assert.deepEqual(rows, []);
    createTable(e);
    assert.deepEqual(describeCounts(e), [0, 0, 0, 0]);
  });
});
