// The index designer's pure estimate logic (renderer/src/lib/index-estimate.ts): attribute types of a
// sample, sparse membership, projection, sizes that match the engine's IndexSizeBytes, the write
// cost an index adds to table writes, and the request it builds. Then the backend methods behind
// the designer and the dashboards (planAccess on a proposed index, createIndex, metrics).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Item, KeySchemaElement, StudioBackend } from '../../../renderer/src/backend/api.js';
import {
  attributeStats,
  candidateStatements,
  designProblems,
  estimateIndex,
  indexInput,
  indexWriteCost,
  itemSize,
  membership,
  numberSize,
  projectItem,
  suggestIndexName,
  utf8Length,
} from '../../../renderer/src/lib/index-estimate.js';
import type { IndexDesign } from '../../../renderer/src/lib/index-estimate.js';
import { Engine } from '../../../engine/index.js';
import { createStudioBackend, parseSelect, retarget } from '../../../main/studio/backend.js';

const KEY: KeySchemaElement[] = [{ AttributeName: 'id', KeyType: 'HASH' }];

function tickets(n: number): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < n; i++) {
    const item: Item = { id: { S: `t${i}` }, title: { S: `ticket ${i} ✓` }, n: { N: String(i * 1.5) } };
    if (i % 3 === 0) item.status = { S: i % 2 ? 'open' : 'closed' };
    else if (i % 50 === 1) item.status = { N: '1' };
    if (i % 4 === 0) item.tags = { SS: ['a', 'b'] };
    items.push(item);
  }
  return items;
}

const byStatus: IndexDesign = {
  kind: 'GSI',
  name: 'status-index',
  partitionKey: { name: 'status', type: 'S' },
  projection: 'INCLUDE',
  include: ['title'],
};

describe('item size', () => {
  it('counts UTF-8 bytes and numbers as DynamoDB stores them', () => {
    assert.equal(utf8Length('abc'), 3);
    assert.equal(utf8Length('é'), 2);
    assert.equal(utf8Length('✓'), 3);
    assert.equal(utf8Length('😀'), 4);
    assert.equal(numberSize('0'), 1);
    assert.equal(numberSize('1'), 2);
    assert.equal(numberSize('100'), 2);
    assert.equal(numberSize('123'), 3);
    assert.equal(numberSize('-123'), 4);
    assert.equal(numberSize('0.001'), 2);
    assert.equal(numberSize('1.5'), 3);
    assert.equal(
      itemSize({
        a: { S: 'xy' },
        bb: { BOOL: true },
        l: { L: [{ N: '1' }] },
        m: { M: { k: { NULL: true } } },
      }),
      3 + 3 + (1 + 3 + 2 + 1) + (1 + 3 + 1 + 1 + 1),
    );
  });

  it('agrees with the engine on every item of a varied table', () => {
    const engine = Engine.inMemory();
    try {
      engine.execute('CreateTable', {
        TableName: 'Sizes',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: KEY,
        BillingMode: 'PAY_PER_REQUEST',
      });
      const items: Item[] = [
        { id: { S: 'a' }, n: { N: '-12345.678e-20' }, big: { N: '123456789012345678901234567890' } },
        { id: { S: 'b' }, s: { S: 'grüße 😀' }, b: { B: 'AAEC/w==' }, ns: { NS: ['1', '22', '333'] } },
        {
          id: { S: 'c' },
          m: { M: { x: { L: [{ S: 'q' }, { BOOL: false }] } } },
          bs: { BS: ['AQ==', 'AgM='] },
        },
      ];
      let total = 0;
      for (const item of items) {
        engine.execute('PutItem', { TableName: 'Sizes', Item: item });
        total += itemSize(item);
      }
      const t = engine.execute('DescribeTable', { TableName: 'Sizes' }) as {
        Table: { TableSizeBytes: number };
      };
      assert.equal(total, t.Table.TableSizeBytes);
    } finally {
      engine.close();
    }
  });
});

describe('attributes of a sample', () => {
  it('counts items and types per attribute and picks a key type', () => {
    const stats = attributeStats(tickets(300));
    const status = stats.find((s) => s.name === 'status')!;
    assert.equal(status.count, 104);
    assert.deepEqual(status.types, { S: 100, N: 4 });
    assert.equal(status.keyType, 'S');
    const tags = stats.find((s) => s.name === 'tags')!;
    assert.deepEqual(tags.types, { SS: 75 });
    assert.equal(tags.keyType, undefined);
    assert.deepEqual(
      stats.slice(0, 3).map((s) => s.name),
      ['id', 'n', 'title'],
    );
  });
});

describe('a proposed index', () => {
  it('holds only items with every key attribute of the declared type (sparse)', () => {
    assert.equal(membership({ id: { S: 'x' }, status: { S: 'open' } }, byStatus), 'in');
    assert.equal(membership({ id: { S: 'x' } }, byStatus), 'missing');
    assert.equal(membership({ id: { S: 'x' }, status: { N: '1' } }, byStatus), 'wrongType');
    const withSort: IndexDesign = { ...byStatus, sortKey: { name: 'due', type: 'N' } };
    assert.equal(membership({ id: { S: 'x' }, status: { S: 'open' } }, withSort), 'missing');
    assert.equal(membership({ id: { S: 'x' }, status: { S: 'open' }, due: { N: '3' } }, withSort), 'in');
  });

  it('projects keys, index keys and included attributes', () => {
    const item: Item = { id: { S: 'x' }, status: { S: 'open' }, title: { S: 't' }, other: { N: '1' } };
    assert.deepEqual(projectItem(item, ['id'], byStatus), {
      id: { S: 'x' },
      status: { S: 'open' },
      title: { S: 't' },
    });
    assert.deepEqual(projectItem(item, ['id'], { ...byStatus, projection: 'KEYS_ONLY' }), {
      id: { S: 'x' },
      status: { S: 'open' },
    });
    assert.equal(projectItem(item, ['id'], { ...byStatus, projection: 'ALL' }), item);
  });

  it('estimates exactly from a whole table, matching the engine after creation', () => {
    const items = tickets(300);
    const est = estimateIndex(items, { keySchema: KEY, itemCount: 300 }, byStatus, {
      complete: true,
      rows: 10,
    });
    assert.equal(est.exact, true);
    assert.equal(est.items, 100);
    assert.equal(est.inIndex, 100);
    assert.equal(est.wrongType, 4);
    assert.equal(est.missingKey, 196);
    assert.equal(est.rows.length, 10);
    assert.deepEqual(Object.keys(est.rows[0]!).sort(), ['id', 'status', 'title']);
    // Rows in index key order: every 'closed' before every 'open'.
    assert.deepEqual(est.rows[0]!.status, { S: 'closed' });
    assert.equal(est.unitsPerWrite, 1);
    assert.equal(est.unitsPerKeyChange, 2);
    assert.equal(est.backfillUnits, 100);
    assert.ok(Math.abs(est.unitsPerPut - 100 / 300) < 1e-9);

    const engine = Engine.inMemory();
    try {
      engine.execute('CreateTable', {
        TableName: 'Tickets',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: KEY,
        BillingMode: 'PAY_PER_REQUEST',
      });
      for (const item of items) engine.execute('PutItem', { TableName: 'Tickets', Item: item });
      const { index, attributeDefinitions } = indexInput(byStatus, ['id']);
      engine.execute('UpdateTable', {
        TableName: 'Tickets',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, ...attributeDefinitions],
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      });
      const d = engine.execute('DescribeTable', { TableName: 'Tickets' }) as {
        Table: { GlobalSecondaryIndexes: { ItemCount: number; IndexSizeBytes: number }[] };
      };
      assert.equal(d.Table.GlobalSecondaryIndexes[0]!.ItemCount, est.items);
      assert.equal(d.Table.GlobalSecondaryIndexes[0]!.IndexSizeBytes, est.sizeBytes);
    } finally {
      engine.close();
    }
  });

  it('scales a partial sample to the table', () => {
    const est = estimateIndex(tickets(300), { keySchema: KEY, itemCount: 3000 }, byStatus, {
      complete: false,
    });
    assert.equal(est.exact, false);
    assert.equal(est.tableItems, 3000);
    assert.equal(est.items, 1000);
    assert.equal(est.backfillUnits, 1000);
  });

  it('large projected items cost more units per index write', () => {
    const big: Item = { id: { S: 'x' }, status: { S: 'open' }, body: { S: 'x'.repeat(3000) } };
    const est = estimateIndex(
      [big],
      { keySchema: KEY, itemCount: 1 },
      { ...byStatus, projection: 'ALL' },
      { complete: true },
    );
    assert.equal(est.unitsPerWrite, 3);
    assert.equal(est.unitsPerKeyChange, 6);
    const keysOnly = estimateIndex(
      [big],
      { keySchema: KEY, itemCount: 1 },
      { ...byStatus, projection: 'KEYS_ONLY' },
      {
        complete: true,
      },
    );
    assert.equal(keysOnly.unitsPerWrite, 1);
  });
});

describe('write cost of the index', () => {
  const a: Item = { id: { S: 'x' }, status: { S: 'open' }, title: { S: 'a' }, hidden: { N: '1' } };

  it('is one write to add, update or remove an entry', () => {
    assert.deepEqual(indexWriteCost(undefined, a, ['id'], byStatus), { writes: 1, units: 1 });
    assert.deepEqual(indexWriteCost(a, undefined, ['id'], byStatus), { writes: 1, units: 1 });
    assert.deepEqual(indexWriteCost(a, { ...a, title: { S: 'b' } }, ['id'], byStatus), {
      writes: 1,
      units: 1,
    });
  });

  it('is nothing for items outside the index or unprojected changes', () => {
    assert.deepEqual(indexWriteCost(undefined, { id: { S: 'y' } }, ['id'], byStatus), {
      writes: 0,
      units: 0,
    });
    assert.deepEqual(indexWriteCost(a, { ...a, hidden: { N: '2' } }, ['id'], byStatus), {
      writes: 0,
      units: 0,
    });
    // With ALL, every attribute is projected.
    assert.deepEqual(
      indexWriteCost(a, { ...a, hidden: { N: '2' } }, ['id'], { ...byStatus, projection: 'ALL' }),
      {
        writes: 1,
        units: 1,
      },
    );
  });

  it('is two writes when the index key changes', () => {
    assert.deepEqual(indexWriteCost(a, { ...a, status: { S: 'closed' } }, ['id'], byStatus), {
      writes: 2,
      units: 2,
    });
    // Losing the key attribute removes the entry: one write.
    const { status: _status, ...rest } = a;
    assert.deepEqual(indexWriteCost(a, rest, ['id'], byStatus), { writes: 1, units: 1 });
  });
});

describe('the request', () => {
  it('builds UpdateTable/CreateTable index input and attribute definitions', () => {
    const design: IndexDesign = {
      ...byStatus,
      sortKey: { name: 'due', type: 'N' },
      include: ['title', 'id', 'status'],
    };
    assert.deepEqual(indexInput(design, ['id']), {
      index: {
        IndexName: 'status-index',
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'due', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] },
      },
      attributeDefinitions: [
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'due', AttributeType: 'N' },
      ],
    });
    assert.equal(
      suggestIndexName({ partitionKey: { name: 'status', type: 'S' }, sortKey: { name: 'due', type: 'N' } }),
      'status-due-index',
    );
  });

  it('finds what keeps a design from being created', () => {
    const table = {
      keySchema: [...KEY, { AttributeName: 'sk', KeyType: 'RANGE' as const }],
      attributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' as const },
        { AttributeName: 'sk', AttributeType: 'N' as const },
      ],
      indexNames: ['taken'],
      gsiCount: 1,
    };
    assert.deepEqual(designProblems(byStatus, table), []);
    assert.match(designProblems({ ...byStatus, name: 'x' }, table)[0]!, /3 to 255/);
    assert.match(designProblems({ ...byStatus, name: 'taken' }, table)[0]!, /already has an index/);
    assert.match(
      designProblems({ ...byStatus, partitionKey: { name: 'sk', type: 'S' } }, table)[0]!,
      /key of type N/,
    );
    assert.match(designProblems({ ...byStatus, projection: 'INCLUDE', include: [] }, table)[0]!, /INCLUDE/);
    const lsi: IndexDesign = { ...byStatus, kind: 'LSI', partitionKey: { name: 'id', type: 'S' } };
    assert.match(designProblems(lsi, table)[0]!, /needs a sort key/);
    assert.deepEqual(designProblems({ ...lsi, sortKey: { name: 'due', type: 'N' } }, table), []);
    assert.match(
      designProblems({ ...lsi, sortKey: { name: 'sk', type: 'N' } }, table)[0]!,
      /other than the table/,
    );
  });
});

describe('statements to re-plan', () => {
  it('takes SELECTs from saved queries, then successful history, once each', () => {
    const got = candidateStatements(
      [
        { name: 'open tickets', statement: "SELECT * FROM Tickets WHERE status = 'open';" },
        { name: 'insert', statement: "INSERT INTO Tickets VALUE {'id': 'x'}" },
      ],
      [
        { statement: "SELECT *  FROM Tickets WHERE status = 'open'", ok: true },
        { statement: 'EXPLAIN SELECT * FROM Tickets WHERE n > 3', ok: true },
        { statement: 'SELECT * FROM Broken WHERE', ok: false },
      ],
    );
    assert.deepEqual(got, [
      { statement: "SELECT * FROM Tickets WHERE status = 'open'", source: 'saved', name: 'open tickets' },
      { statement: 'SELECT * FROM Tickets WHERE n > 3', source: 'history' },
    ]);
  });
});

// The backend half of the designer and dashboards (main/studio/backend.ts), on a real engine.
describe('studio backend: planning against a proposed index, creating it, metrics', () => {
  it('rewrites a SELECT to a table or index and plans a proposed GSI on a scratch copy', async () => {
    assert.deepEqual(parseSelect('DELETE FROM T WHERE id = 1'), {
      error: 'Only SELECT statements read through indexes (this is DELETE)',
    });
    const parsed = parseSelect("EXPLAIN SELECT title FROM Tickets WHERE status = 'open' AND n > 3");
    assert.ok(!('error' in parsed));
    assert.equal(parsed.table, 'Tickets');
    assert.deepEqual([...parsed.whereNames].sort(), ['n', 'status']);
    const simple = parseSelect('SELECT * FROM Tickets WHERE a = 1');
    assert.ok(!('error' in simple));
    assert.equal(
      retarget('SELECT * FROM Tickets WHERE a = 1', simple.from, 'Tickets', 'byA'),
      'SELECT * FROM "Tickets"."byA" WHERE a = 1',
    );

    const engine = Engine.inMemory();
    try {
      const backend = createStudioBackend({
        engine,
        info: () => ({ version: 't', mode: 'browser', region: 'us-east-1' }),
      }) as unknown as StudioBackend;
      engine.execute('CreateTable', {
        TableName: 'Tickets',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: KEY,
        BillingMode: 'PAY_PER_REQUEST',
      });
      for (const item of tickets(300)) engine.execute('PutItem', { TableName: 'Tickets', Item: item });
      const { index, attributeDefinitions } = indexInput(byStatus, ['id']);
      const statements = [
        "SELECT * FROM Tickets WHERE status = 'open'",
        'SELECT title FROM Tickets WHERE status = ?',
        'SELECT n FROM Tickets WHERE status = ?',
        "SELECT * FROM Tickets WHERE id = 't3'",
        'SELECT * FROM Elsewhere',
      ];
      const r = await backend.planAccess({
        statements,
        table: 'Tickets',
        proposed: { kind: 'GSI', index, attributeDefinitions },
      });
      assert.deepEqual(r.sample, { copied: 296, skipped: 4, complete: true, tableItems: 300 });
      assert.equal(r.plans.length, 4, 'statements on other tables are left out');
      const [open, title, n, byId] = r.plans;
      assert.equal(open!.current!.explain!.FullTableScan, true);
      const proposed = open!.targets.find((x) => x.proposed)!;
      assert.equal(proposed.statement, `SELECT * FROM "Tickets"."status-index" WHERE status = 'open'`);
      assert.equal(proposed.explain!.Steps[0]!.Operation, 'Query');
      assert.equal(proposed.explain!.EstimatedItemsRead, 50);
      assert.match(proposed.notes[0]!, /SELECT \* returns only what status-index projects/);
      assert.equal(open!.best, 'status-index');
      assert.equal(title!.best, 'status-index', 'parameters are planned with placeholders');
      assert.match(n!.targets.find((x) => x.proposed)!.error!, /does not project/);
      assert.equal(n!.best, '');
      assert.equal(byId!.best, '', 'a GetItem on the table stays the best plan');

      // Create it for real: the preview's numbers are the engine's.
      const created = await backend.createIndex({ table: 'Tickets', index, attributeDefinitions });
      assert.equal(created.indexes[0]!.name, 'status-index');
      const est = estimateIndex(tickets(300), { keySchema: KEY, itemCount: 300 }, byStatus, {
        complete: true,
      });
      const tables = await backend.listTables();
      assert.equal(tables[0]!.indexes[0]!.itemCount, est.items);
      assert.equal(tables[0]!.indexes[0]!.sizeBytes, est.sizeBytes);
      assert.deepEqual(tables[0]!.indexes[0]!.nonKeyAttributes, ['title']);
      const after = await backend.planAccess({ statements: [statements[0]!] });
      assert.equal(after.plans[0]!.best, 'status-index');
      await backend.deleteIndex({ table: 'Tickets', index: 'status-index' });
      assert.deepEqual((await backend.listTables())[0]!.indexes, []);

      // Metrics: the overview sums per table, aligned with the account's datapoints.
      const now = Math.floor(Date.now() / 1000);
      const overview = await backend.metricsOverview({ startTime: now - 60, endTime: now + 1, period: 1 });
      assert.equal(overview.Timestamps.length, 61);
      const row = overview.tables.find((x) => x.table === 'Tickets')!;
      assert.equal(
        row.write.reduce((a, b) => a + b, 0),
        300,
      );
      assert.ok(row.requests.reduce((a, b) => a + b, 0) >= 300);
      const metrics = await backend.getMetrics({ table: 'Tickets', startTime: now - 60, endTime: now + 1 });
      assert.equal(metrics.TableName, 'Tickets');
      const hot = await backend.getHotKeys({ table: 'Tickets', limit: 3 });
      assert.equal(hot.MostAccessed.length, 3);
      assert.deepEqual(await backend.setThrottling({ mode: 'strict' }), { Mode: 'strict' });
      await backend.setFaults({ faults: [{ Type: 'Latency', Probability: 0.5, LatencyMs: 10 }] });
      const state = await backend.describeThrottling({});
      assert.equal(state.Mode, 'strict');
      assert.deepEqual(state.Faults, [{ Type: 'Latency', Probability: 0.5, LatencyMs: 10 }]);
    } finally {
      engine.close();
    }
  });
});
