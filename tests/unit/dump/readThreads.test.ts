// The import's read threads (engine/dump/readThreads.ts): DynamoDB JSON lines read, validated and
// encoded by a worker thread and by the main thread in turn must leave exactly what one thread
// leaves — items, sizes, index rows, statistics, the problems and their lines — and a thread that
// fails or dies, or an import cancelled while threads read, must leave the tables as they were.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importItems } from '../../../engine/dump/index.js';
import type { ImportOptions } from '../../../engine/dump/index.js';
import type { Engine } from '../../../engine/engine.js';
import type { Item } from '../../../engine/types.js';
import { parseImportArgs } from '../../../main/cli/import.js';
import { createRichTable, memoryEngine, RICH_ITEMS, storedItems, tableExists } from './helpers.js';

/** Every row of a table and of its indexes, as SQLite holds them (keys, item text, size). */
function rows(engine: Engine, table: string): unknown {
  const t = engine.ctx.catalog.get(table);
  assert.ok(t, `table ${table} exists`);
  const out: Record<string, unknown> = {
    table: engine.ctx.db.sqlite.prepare(`SELECT * FROM "${t.sqlName}" ORDER BY h, pk, sk`).all(),
  };
  for (const index of t.indexes.values())
    out[index.name] = engine.ctx.db.sqlite
      .prepare(`SELECT * FROM "${index.sqlName}" ORDER BY 1, 2, 3, 4, 5`)
      .all();
  const d = engine.execute('DescribeTable', { TableName: table }) as {
    Table: { ItemCount: number; TableSizeBytes: number };
  };
  out.statistics = [d.Table.ItemCount, d.Table.TableSizeBytes];
  return out;
}

/**
 * 600 lines: items in stored form ({"Item":…} and bare), items that need normalising (RICH_ITEMS,
 * numbers to canonicalise, unsorted sets), keys repeated (the last record wins), incremental-export
 * deletes, blank and CRLF lines, and — when `bad` — records every check refuses.
 */
function input(bad: boolean): string {
  const lines: string[] = [];
  for (let i = 0; i < 600; i++) {
    const k = i < 400 ? i : (i * 7) % 400;
    const item: Item = {
      pk: { S: `p${k % 97}` },
      sk: { N: String(k) },
      gsiPk: { S: `g${k % 5}` },
      lsiSk: { N: String(i) },
      v: { S: 'x'.repeat(i % 40) },
    };
    if (i % 50 === 3) lines.push('');
    if (i % 9 === 0) lines.push(JSON.stringify(item));
    else if (i % 13 === 0)
      lines.push(JSON.stringify({ Item: { ...item, n: { N: '007.50' }, s: { SS: ['z', 'a'] } } }) + '\r');
    else if (i % 31 === 0)
      lines.push(
        JSON.stringify({
          Metadata: { WriteTimestampMicros: { N: '1' } },
          Keys: { pk: item.pk, sk: item.sk },
        }),
      );
    else lines.push(JSON.stringify({ Item: item }));
    if (i % 100 === 50)
      lines.push(JSON.stringify({ Item: RICH_ITEMS[Math.floor(i / 100) % RICH_ITEMS.length] }));
    if (bad && i % 120 === 7) {
      lines.push('{"Item": {"pk": {"S": "broken"}');
      lines.push(JSON.stringify({ Item: { sk: { N: '1' } } }));
      lines.push(JSON.stringify({ Item: { pk: { S: 'p' }, sk: { S: 'not a number' } } }));
      lines.push(JSON.stringify({ Item: { pk: { S: 'p' }, sk: { N: '1' }, gsiPk: { N: '5' } } }));
      lines.push('[1, 2]');
      lines.push(JSON.stringify({ Item: { pk: { S: 'p' }, sk: { N: '1' }, v: { NS: [] } } }));
    }
  }
  return lines.join('\n');
}

const THREADED: ImportOptions = { readThreads: 1, readThreadTest: { waitReady: true, batchLines: 7 } };

async function importInto(
  engine: Engine,
  text: string,
  options: ImportOptions,
  table = 'Rich',
): Promise<Awaited<ReturnType<typeof importItems>>> {
  return importItems(engine, { name: 'items.jsonl', text }, { table, ...options });
}

describe('import read threads', () => {
  it('leave the same items, sizes, index rows and statistics as one thread (existing table with indexes)', async () => {
    const text = input(false);
    const one = memoryEngine();
    const two = memoryEngine();
    createRichTable(one);
    createRichTable(two);
    const a = await importInto(one, text, { readThreads: 0 });
    const b = await importInto(two, text, THREADED);
    assert.equal(a.committed, true);
    assert.deepEqual({ ...b, seconds: 0 }, { ...a, seconds: 0 });
    assert.deepEqual(rows(two, 'Rich'), rows(one, 'Rich'));
  });

  it('leave the same rows as one thread in a table the import creates (multi-row INSERTs)', async () => {
    const text = input(false);
    const keys = { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'N' } } as const;
    const one = memoryEngine();
    const two = memoryEngine();
    const a = await importInto(one, text, { ...keys, readThreads: 0 }, 'New');
    const b = await importInto(two, text, { ...keys, ...THREADED }, 'New');
    assert.equal(a.committed, true);
    assert.deepEqual({ ...b, seconds: 0 }, { ...a, seconds: 0 });
    assert.deepEqual(rows(two, 'New'), rows(one, 'New'));
  });

  it('report the same problems on the same lines, in order, and write nothing', async () => {
    const text = input(true);
    const one = memoryEngine();
    const two = memoryEngine();
    createRichTable(one);
    createRichTable(two);
    const a = await importInto(one, text, { readThreads: 0 });
    const b = await importInto(two, text, THREADED);
    assert.equal(a.committed, false);
    assert.ok(a.rejected >= 30, `${a.rejected} records refused`);
    assert.deepEqual(b.problems, a.problems);
    assert.deepEqual({ ...b, seconds: 0 }, { ...a, seconds: 0 });
    // The first bad line is where the text puts it.
    const firstBad = text.split('\n').findIndex((l) => l.startsWith('{"Item": {"pk": {"S": "broken"}')) + 1;
    assert.equal(a.problems[0]!.line, firstBad);
    assert.equal(storedItems(two, 'Rich').length, 0);
  });

  it('a thread that fails mid-file fails the import and leaves the table as it was', async () => {
    const engine = memoryEngine();
    createRichTable(engine);
    for (const item of RICH_ITEMS) engine.execute('PutItem', { TableName: 'Rich', Item: item });
    const before = rows(engine, 'Rich');
    const report = await importInto(engine, input(false), {
      readThreads: 1,
      readThreadTest: {
        waitReady: true,
        threadsOnly: true,
        batchLines: 7,
        fault: { line: 300, how: 'throw' },
      },
    });
    assert.equal(report.committed, false);
    assert.match(report.problems[0]!.reason, /an import read thread failed: a test fault at line 300/);
    assert.deepEqual(rows(engine, 'Rich'), before);
    // A table the import would have created is not created.
    const fresh = memoryEngine();
    const created = await importInto(
      fresh,
      input(false),
      {
        partitionKey: { name: 'pk', type: 'S' },
        sortKey: { name: 'sk', type: 'N' },
        readThreads: 1,
        readThreadTest: {
          waitReady: true,
          threadsOnly: true,
          batchLines: 7,
          fault: { line: 300, how: 'throw' },
        },
      },
      'New',
    );
    assert.equal(created.committed, false);
    assert.equal(tableExists(fresh, 'New'), false);
  });

  it('a thread that dies has its batches read again on the main thread: the same import', async () => {
    const text = input(false);
    const one = memoryEngine();
    const two = memoryEngine();
    createRichTable(one);
    createRichTable(two);
    const a = await importInto(one, text, { readThreads: 0 });
    const b = await importInto(two, text, {
      readThreads: 1,
      readThreadTest: {
        waitReady: true,
        threadsOnly: true,
        batchLines: 7,
        fault: { line: 200, how: 'exit' },
      },
    });
    assert.equal(b.committed, true);
    assert.deepEqual({ ...b, seconds: 0 }, { ...a, seconds: 0 });
    assert.deepEqual(rows(two, 'Rich'), rows(one, 'Rich'));
  });

  it('an import cancelled while threads read writes nothing and stops them', async () => {
    const engine = memoryEngine();
    createRichTable(engine);
    for (const item of RICH_ITEMS) engine.execute('PutItem', { TableName: 'Rich', Item: item });
    const before = rows(engine, 'Rich');
    const stop = new AbortController();
    // Many small pieces, so that the read is still going when it is cancelled.
    const text = input(false);
    async function* pieces(): AsyncGenerator<Buffer> {
      for (let at = 0; at < text.length; at += 2000) {
        if (at === 20_000) stop.abort(new Error('cancelled by the test'));
        yield Buffer.from(text.slice(at, at + 2000));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await assert.rejects(
      importItems(
        engine,
        { name: 'items.jsonl', stream: pieces() },
        {
          table: 'Rich',
          format: 'ddb-jsonl',
          signal: stop.signal,
          readThreads: 1,
          readThreadTest: { waitReady: true, batchLines: 7 },
        },
      ),
      /cancelled by the test/,
    );
    assert.deepEqual(rows(engine, 'Rich'), before);
  });

  it('sortkey import --read-threads sets how many (0: none) and refuses anything else', () => {
    assert.equal(parseImportArgs(['a.jsonl', '--read-threads', '0']).options.readThreads, 0);
    assert.equal(parseImportArgs(['a.jsonl', '--read-threads', '2']).options.readThreads, 2);
    assert.equal(parseImportArgs(['a.jsonl']).options.readThreads, undefined);
    assert.throws(() => parseImportArgs(['a.jsonl', '--read-threads', 'two']), /whole number from 0 to 16/);
  });
});
