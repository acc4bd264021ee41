// Paging that seeks: every statement a Query or Scan page runs starts at its ExclusiveStartKey in the
// primary key's B-tree (pinned by SQLite's own EXPLAIN QUERY PLAN), and a page reads rows by bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Statement } from 'better-sqlite3';
import type { Engine } from '../../../engine/engine.js';
import { HASH_SPACE } from '../../../engine/keys/encoding.js';
import { readPage, readStatement } from '../../../engine/tables/reader.js';
import type { ReadRange, RowPosition } from '../../../engine/tables/reader.js';
import type { Index, Table } from '../../../engine/tables/table.js';
import { call, scratchEngine } from '../../support/engine.js';

function gameTable(e: Engine): void {
  call(e, 'CreateTable', {
    TableName: 'Games',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'player', AttributeType: 'S' },
      { AttributeName: 'score', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byPlayer',
        KeySchema: [
          { AttributeName: 'player', KeyType: 'HASH' },
          { AttributeName: 'score', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byScore',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'score', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

/** SQLite's plan of a statement, one line per step. */
function planOf(e: Engine, sql: string, params: unknown[]): string[] {
  const rows = e.ctx.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params, 10) as {
    detail: string;
  }[];
  return rows.map((r) => r.detail);
}

const B = (s: string) => Buffer.from(s);
const start: RowPosition = { h: 7, pk: B('p'), sk: B('m'), tpk: B('tp'), tsk: B('ts') };
const bound = (v: string, inclusive = true) => ({ value: B(v), inclusive });

describe('read statements seek (EXPLAIN QUERY PLAN)', () => {
  const e = scratchEngine();
  gameTable(e);
  const table = e.ctx.catalog.get('Games')!;
  const gsi = table.indexes.get('byPlayer')!;
  const lsi = table.indexes.get('byScore')!;
  const partition = (extra: Partial<Extract<ReadRange, { kind: 'partition' }>> = {}): ReadRange => ({
    kind: 'partition',
    h: 7,
    pk: B('p'),
    ...extra,
  });
  const segment: ReadRange = { kind: 'hashes', from: 0, to: HASH_SPACE / 4 };

  const cases: {
    name: string;
    source: Table | Index;
    range: ReadRange;
    forward: boolean;
    after?: RowPosition;
    plan: string;
  }[] = [
    // Scan pages and parallel-scan segments.
    { name: 'scan, first page', source: table, range: segment, forward: true, plan: '(h>? AND h<?)' },
    {
      name: 'scan, after a start key',
      source: table,
      range: segment,
      forward: true,
      after: start,
      plan: '((h,pk,sk)>(?,?,?) AND h<?)',
    },
    {
      name: 'index scan, after a start key',
      source: gsi,
      range: segment,
      forward: true,
      after: start,
      plan: '((h,pk,sk,tpk,tsk)>(?,?,?,?,?) AND h<?)',
    },
    // Table queries, both directions.
    { name: 'query', source: table, range: partition(), forward: true, plan: '(h=? AND pk=?)' },
    {
      name: 'query, after a start key',
      source: table,
      range: partition(),
      forward: true,
      after: start,
      plan: '(h=? AND pk=? AND sk>?)',
    },
    {
      name: 'query backwards, after a start key',
      source: table,
      range: partition(),
      forward: false,
      after: start,
      plan: '(h=? AND pk=? AND sk<?)',
    },
    {
      name: 'query between, after a start key inside the range',
      source: table,
      range: partition({ lower: bound('a'), upper: bound('z') }),
      forward: true,
      after: start,
      plan: '(h=? AND pk=? AND sk>? AND sk<?)',
    },
    {
      name: 'query between backwards, after a start key inside the range',
      source: table,
      range: partition({ lower: bound('a'), upper: bound('z') }),
      forward: false,
      after: start,
      plan: '(h=? AND pk=? AND sk>? AND sk<?)',
    },
    // Index queries, both directions (rows of an index key are ordered by the table key too).
    {
      name: 'GSI query, after a start key',
      source: gsi,
      range: partition({ lower: bound('a') }),
      forward: true,
      after: start,
      plan: '(h=? AND pk=? AND (sk,tpk,tsk)>(?,?,?))',
    },
    {
      name: 'GSI query backwards, after a start key',
      source: gsi,
      range: partition({ upper: bound('z') }),
      forward: false,
      after: start,
      plan: '(h=? AND pk=? AND (sk,tpk,tsk)<(?,?,?))',
    },
    {
      name: 'LSI query, after a start key',
      source: lsi,
      range: partition(),
      forward: true,
      after: start,
      plan: '(h=? AND pk=? AND (sk,tpk,tsk)>(?,?,?))',
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const isIndex = c.source !== table;
      const { sql, params } = readStatement(c.source, isIndex, c.range, c.forward, c.after);
      const plan = planOf(e, sql, params);
      assert.deepEqual(plan, [`SEARCH ${c.source.sqlName} USING PRIMARY KEY ${c.plan}`], sql);
    });
  }

  it('writes only the tighter of a start key and a range bound', () => {
    // The start lies before the range: the range's bound is the seek.
    const early = readStatement(table, false, partition({ lower: bound('x') }), true, start);
    assert.doesNotMatch(early.sql, /sk > \?.*sk > \?/);
    assert.match(early.sql, /sk >= \?/);
    // An index start equal to an exclusive lower bound: rows with that sort key are all outside.
    const same = readStatement(gsi, true, partition({ lower: bound('m', false) }), true, start);
    assert.match(same.sql, /sk > \?/);
    assert.doesNotMatch(same.sql, /\(sk, tpk, tsk\)/);
  });
});

describe('paging', () => {
  function filled(): Engine {
    const e = scratchEngine();
    gameTable(e);
    e.ctx.db.transaction(() => {
      for (let p = 0; p < 40; p++)
        for (let s = 0; s < 25; s++)
          call(e, 'PutItem', {
            TableName: 'Games',
            Item: {
              pk: { S: `g${p}` },
              sk: { N: String(s) },
              player: { S: `pl${s % 3}` },
              score: { N: String(s % 7) },
            },
          });
    });
    return e;
  }

  /** Every item of a paged read, following LastEvaluatedKey with pages of `limit`. */
  function all(e: Engine, op: string, input: Record<string, unknown>, limit: number): string[] {
    const out: string[] = [];
    let key: unknown;
    let pages = 0;
    do {
      const r = call(e, op, { TableName: 'Games', ...input, Limit: limit, ExclusiveStartKey: key });
      for (const item of r.Items) out.push(`${item.pk.S}/${item.sk.N}`);
      key = r.LastEvaluatedKey;
      assert.ok(++pages < 2000);
    } while (key);
    return out;
  }

  it('a Scan resumed page by page returns every item once, in the order of one big page', () => {
    const e = filled();
    const whole = all(e, 'Scan', {}, 5000);
    assert.equal(whole.length, 1000);
    for (const limit of [1, 7, 100]) assert.deepEqual(all(e, 'Scan', {}, limit), whole);
    // Parallel segments: together, every item once.
    const segments = [0, 1, 2].flatMap((s) => all(e, 'Scan', { Segment: s, TotalSegments: 3 }, 13));
    assert.deepEqual([...segments].sort(), [...whole].sort());
  });

  it('Queries of tables and indexes resume in both directions and within key ranges', () => {
    const e = filled();
    const queries: Record<string, unknown>[] = [
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'g3' } } },
      {
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':p': { S: 'g3' }, ':a': { N: '4' }, ':b': { N: '19' } },
      },
      {
        IndexName: 'byPlayer',
        KeyConditionExpression: 'player = :p AND score > :s',
        ExpressionAttributeValues: { ':p': { S: 'pl1' }, ':s': { N: '2' } },
      },
      {
        IndexName: 'byPlayer',
        KeyConditionExpression: 'player = :p AND score >= :s',
        ExpressionAttributeValues: { ':p': { S: 'pl2' }, ':s': { N: '2' } },
      },
      {
        IndexName: 'byScore',
        KeyConditionExpression: 'pk = :p AND score < :s',
        ExpressionAttributeValues: { ':p': { S: 'g9' }, ':s': { N: '5' } },
      },
    ];
    for (const query of queries) {
      for (const forward of [true, false]) {
        const input = { ...query, ScanIndexForward: forward };
        const whole = all(e, 'Query', input, 5000);
        assert.ok(whole.length > 3, JSON.stringify(input));
        for (const limit of [1, 2, 3]) assert.deepEqual(all(e, 'Query', input, limit), whole);
      }
    }
  });

  it('PartiQL NextToken resumes a SELECT where the page ended', () => {
    const e = filled();
    const read = (statement: string, limit: number) => {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const r = call(e, 'ExecuteStatement', { Statement: statement, Limit: limit, NextToken: token });
        for (const item of r.Items) out.push(`${item.pk.S}/${item.sk.N}`);
        token = r.NextToken;
      } while (token);
      return out;
    };
    for (const statement of [
      'SELECT * FROM Games',
      `SELECT * FROM Games WHERE pk IN ['g1', 'g2'] ORDER BY pk DESC`,
      `SELECT * FROM "Games"."byPlayer" WHERE player = 'pl0'`,
    ]) {
      const whole = read(statement, 5000);
      assert.ok(whole.length > 10);
      assert.deepEqual(read(statement, 3), whole, statement);
    }
  });
});

describe('tables of older files', () => {
  it('keep their column order (item before size) and page the same', () => {
    const e = scratchEngine();
    gameTable(e);
    const table = e.ctx.catalog.get('Games')!;
    // The layout of versions that stored the size after the item.
    e.ctx.db.sqlite.exec(`DROP TABLE "${table.sqlName}";
      CREATE TABLE "${table.sqlName}" (h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,
        item TEXT NOT NULL, size INTEGER NOT NULL, PRIMARY KEY (h, pk, sk)) WITHOUT ROWID;`);
    table.resetStatements();
    for (let p = 0; p < 5; p++)
      for (let s = 0; s < 6; s++)
        call(e, 'PutItem', { TableName: 'Games', Item: { pk: { S: `g${p}` }, sk: { N: String(s) } } });
    const seen: string[] = [];
    let key: unknown;
    do {
      const r = call(e, 'Scan', { TableName: 'Games', Limit: 4, ExclusiveStartKey: key });
      for (const item of r.Items) seen.push(`${item.pk.S}/${item.sk.N}`);
      key = r.LastEvaluatedKey;
    } while (key);
    assert.equal(new Set(seen).size, 30);
    const q = call(e, 'Query', {
      TableName: 'Games',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'g2' } },
      ScanIndexForward: false,
      Limit: 2,
    });
    assert.deepEqual(
      q.Items.map((i: { sk: { N: string } }) => i.sk.N),
      ['5', '4'],
    );
    assert.equal(call(e, 'DescribeTable', { TableName: 'Games' }).Table.ItemCount, 30);
  });
});

describe('pages read by bytes', () => {
  /** Wraps the engine's statements so the test counts the rows SQLite hands to a page. */
  function countRowsRead(e: Engine): { rows: number } {
    const counter = { rows: 0 };
    const prepare = e.ctx.prepare.bind(e.ctx);
    e.ctx.prepare = (sql: string): Statement => {
      const stmt = prepare(sql);
      return new Proxy(stmt, {
        get(target, prop) {
          if (prop === 'raw') return (on?: boolean) => (target.raw(on ?? true), countingProxy(target));
          return Reflect.get(target, prop, target) as unknown;
        },
      });
    };
    const countingProxy = (stmt: Statement): Statement =>
      new Proxy(stmt, {
        get(target, prop) {
          if (prop === 'iterate')
            return function* (...args: unknown[]) {
              for (const row of target.iterate(...args)) {
                counter.rows++;
                yield row;
              }
            };
          if (prop === 'all')
            return (...args: unknown[]) => {
              const rows = target.all(...args);
              counter.rows += rows.length;
              return rows;
            };
          return Reflect.get(target, prop, target) as unknown;
        },
      });
    return counter;
  }

  it('a page of two 400 KB items reads three rows, not a batch', () => {
    const e = scratchEngine();
    call(e, 'CreateTable', {
      TableName: 'Big',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    const blob = 'x'.repeat(390 * 1024);
    for (let i = 0; i < 40; i++)
      call(e, 'PutItem', { TableName: 'Big', Item: { pk: { S: `k${i}` }, blob: { S: blob } } });
    const counter = countRowsRead(e);
    const first = call(e, 'Scan', { TableName: 'Big' });
    assert.equal(first.Items.length, 2);
    assert.ok(first.LastEvaluatedKey);
    assert.equal(counter.rows, 3);
    counter.rows = 0;
    const second = call(e, 'Scan', { TableName: 'Big', ExclusiveStartKey: first.LastEvaluatedKey });
    assert.equal(second.Items.length, 2);
    assert.equal(counter.rows, 3);
    assert.notDeepEqual(second.Items[0].pk, first.Items[0].pk);
  });

  it('a SELECT * page resumed from its NextToken reads its own rows, wherever it lies', () => {
    // A whole-table read through ExecuteStatement costs the same per page at the start and at the
    // end: no page walks to its start, so the read is linear in the table's size.
    const e = scratchEngine();
    gameTable(e);
    for (let p = 0; p < 300; p++)
      call(e, 'PutItem', { TableName: 'Games', Item: { pk: { S: `g${p}` }, sk: { N: '1' } } });
    const counter = countRowsRead(e);
    const pages: { items: number; rows: number }[] = [];
    let token: string | undefined;
    do {
      counter.rows = 0;
      const r = call(e, 'ExecuteStatement', {
        Statement: 'SELECT * FROM Games',
        Limit: 20,
        NextToken: token,
      });
      pages.push({ items: r.Items.length, rows: counter.rows });
      token = r.NextToken;
    } while (token);
    assert.equal(
      pages.reduce((n, p) => n + p.items, 0),
      300,
    );
    for (const [i, p] of pages.entries())
      assert.ok(p.rows >= p.items && p.rows <= 20, `page ${i}: ${p.items} items, ${p.rows} rows read`);
    assert.ok(pages.length <= 16);
  });

  it('a limited page stops at its limit', () => {
    const e = scratchEngine();
    gameTable(e);
    for (let s = 0; s < 50; s++)
      call(e, 'PutItem', { TableName: 'Games', Item: { pk: { S: 'g' }, sk: { N: String(s) } } });
    const table = e.ctx.catalog.get('Games')!;
    const counter = countRowsRead(e);
    const page = e.ctx.db.snapshot(() =>
      readPage(e.ctx, table, { kind: 'hashes', from: 0, to: HASH_SPACE }, { forward: true, limit: 4 }),
    );
    assert.equal(page.rows.length, 4);
    assert.ok(page.last);
    assert.equal(counter.rows, 4);
  });
});
