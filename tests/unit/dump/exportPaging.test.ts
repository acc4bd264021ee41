// A whole-table export reads the table in pages of 2,000 rows, each page two seeks on the primary
// key (the page's last key, then the items up to it): every item once, in key order, whatever is
// written between pages, and no statement walks the table from its start.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { localTableRows } from '../../../engine/dump/export.js';
import type { Engine } from '../../../engine/engine.js';
import { memoryEngine } from './helpers.js';

const ITEMS = 4_500; // two full pages and a part

function seed(engine: Engine): void {
  engine.execute('CreateTable', {
    TableName: 'Paged',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (let i = 0; i < ITEMS; i += 25) {
    const batch = [];
    for (let j = i; j < Math.min(ITEMS, i + 25); j++)
      batch.push({ PutRequest: { Item: { pk: { S: `k${j}` }, n: { N: String(j) } } } });
    engine.execute('BatchWriteItem', { RequestItems: { Paged: batch } });
  }
}

/** The partition key of a stored item. */
function pkOf(json: string): string {
  return (JSON.parse(json) as { pk: { S: string } }).pk.S;
}

/** The items' pk in storage order, as a full read gives them. */
function storageOrder(engine: Engine): string[] {
  const t = engine.ctx.catalog.get('Paged')!;
  return (
    engine.ctx.db.sqlite
      .prepare(`SELECT item FROM "${t.sqlName}" ORDER BY h, pk, sk`)
      .pluck()
      .all() as string[]
  ).map((json) => pkOf(json));
}

/** Runs `fn` and returns the SQL of every statement prepared meanwhile. */
async function preparedDuring(fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const proto = BetterSqlite3.prototype as unknown as { prepare(sql: string): unknown };
  const original = proto.prepare;
  proto.prepare = function (this: unknown, sql: string) {
    seen.push(sql);
    return original.call(this, sql);
  };
  try {
    await fn();
  } finally {
    proto.prepare = original;
  }
  return seen;
}

describe('whole-table export paging', () => {
  it('gives every item once, in storage order, in pages of 2,000', async () => {
    const engine = memoryEngine();
    seed(engine);
    const sizes: number[] = [];
    const keys: string[] = [];
    for await (const page of localTableRows(engine, 'Paged')) {
      sizes.push(page.length);
      for (const r of page) keys.push(pkOf(r.json!));
    }
    assert.deepEqual(sizes, [2000, 2000, 500]);
    assert.deepEqual(keys, storageOrder(engine));
    engine.close();
  });

  it('each page seeks on the primary key (EXPLAIN QUERY PLAN)', async () => {
    const engine = memoryEngine();
    seed(engine);
    const statements = await preparedDuring(async () => {
      for await (const page of localTableRows(engine, 'Paged')) void page;
    });
    const reads = statements.filter((sql) => sql.includes('-- dump'));
    assert.equal(reads.length, 6);
    for (const sql of reads) {
      const params = (sql.match(/\?/g) ?? []).length;
      const plan = (
        engine.ctx.db.sqlite
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...new Array<null>(params).fill(null)) as { detail: string }[]
      ).map((r) => r.detail);
      assert.equal(plan.length, 1, sql);
      if (sql.includes('WHERE'))
        assert.match(plan[0]!, /^SEARCH .* USING PRIMARY KEY \(\(h,pk,sk\)[<>]/, sql);
      else assert.match(plan[0]!, /^SCAN /, sql); // the first page: from the start, stopping early
      assert.doesNotMatch(plan[0]!, /TEMP B-TREE/, sql);
    }
    engine.close();
  });

  it('items written or deleted between pages: no item twice, none of the untouched missed', async () => {
    const engine = memoryEngine();
    seed(engine);
    const before = storageOrder(engine);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of localTableRows(engine, 'Paged')) {
      for (const r of page) seen.push(pkOf(r.json!));
      if (++pages === 1) {
        // Delete the next 10 unread items, and add 3,000 new ones (anywhere in the hash order).
        for (const pk of before.slice(2000, 2010))
          engine.execute('DeleteItem', { TableName: 'Paged', Key: { pk: { S: pk } } });
        for (let i = 0; i < 3000; i += 25) {
          const batch = [];
          for (let j = i; j < i + 25; j++) batch.push({ PutRequest: { Item: { pk: { S: `new${j}` } } } });
          engine.execute('BatchWriteItem', { RequestItems: { Paged: batch } });
        }
      }
    }
    assert.equal(new Set(seen).size, seen.length, 'no item twice');
    const deleted = new Set(before.slice(2000, 2010));
    const got = new Set(seen);
    for (const pk of before) assert.equal(got.has(pk), !deleted.has(pk), pk);
    engine.close();
  });
});
