// Imported items whose text is already in stored form are stored as their text (json/canonical.ts).
// Whatever the check accepts must be exactly what normalising and JSON.stringify would store, with
// the same size; everything else must be left to the normal path.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { importItems } from '../../../engine/dump/index.js';
import { canonicalItemSize, scanStoredItem } from '../../../engine/dump/json/canonical.js';
import { normalizeItem } from '../../../engine/values/attribute.js';
import { itemSize } from '../../../engine/values/size.js';
import { createRichTable, memoryEngine, RICH_ITEMS, scratchDir, seedRich } from './helpers.js';
import type { Engine } from '../../../engine/engine.js';

/** What the normal path stores for `text`, or undefined when it refuses the item. */
function stored(text: string): { json: string; size: number } | undefined {
  try {
    const item = normalizeItem(JSON.parse(text));
    return { json: JSON.stringify(item), size: itemSize(item) };
  } catch {
    return undefined;
  }
}

let accepted = 0;

function agrees(text: string): void {
  const size = canonicalItemSize(JSON.parse(text), text);
  if (size === undefined) return;
  accepted++;
  const expected = stored(text);
  assert.ok(expected, `accepted an item the normal path refuses: ${text}`);
  assert.equal(text, expected.json, 'accepted text that is not the stored form');
  assert.equal(size, expected.size, `size of ${text}`);
}

const name = fc.oneof(
  fc.constantFrom('a', 'b', 'pk', 'sk', '1', '01', '__proto__', '', 'é', '😀', 'x y'),
  fc.string({ maxLength: 4 }),
);
const number = fc.oneof(
  fc.constantFrom('0', '-0', '1', '1.0', '10', '1e2', '1E+2', '0.5', '.5', '-1.50', '00', '1e-130', 'x'),
  fc.integer().map(String),
  // Integers of up to 40 digits, with trailing zeros (the walk sizes integers without parsing them).
  fc
    .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 10 }))
    .map(([n, z]) => String(n) + '0'.repeat(z)),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
);
const base64 = fc.oneof(
  fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b).toString('base64')),
  fc.constantFrom('', 'AA', 'AB==', '****'),
);
const str = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ maxLength: 4, unit: 'binary' }),
  // Lone surrogates (three UTF-8 bytes each, as U+FFFD) and a pair split across them.
  fc.constantFrom('é', '😀', '\uffff', 'a"b', '\n', '\ud800', 'x\udc00', '\ud83d\ud83d\ude00', '߿ࠀ'),
);
const value: fc.Memo<unknown> = fc.memo((depth) =>
  fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    str.map((S) => ({ S })),
    number.map((N) => ({ N })),
    base64.map((B) => ({ B })),
    fc.boolean().map((BOOL) => ({ BOOL })),
    fc.constantFrom({ NULL: true }, { NULL: false }, {}, { S: 'a', N: '1' }, { X: 'y' }, { S: null }),
    fc.array(str, { maxLength: 4 }).map((SS) => ({ SS })),
    fc.array(number, { maxLength: 4 }).map((NS) => ({ NS })),
    fc.array(base64, { maxLength: 3 }).map((BS) => ({ BS })),
    depth > 3 ? fc.constant({ L: [] }) : fc.array(value(depth + 1), { maxLength: 3 }).map((L) => ({ L })),
    depth > 3
      ? fc.constant({ M: {} })
      : fc.dictionary(name, value(depth + 1), { maxKeys: 3 }).map((M) => ({ M })),
  ),
);
const item = fc.dictionary(name, value(1), { maxKeys: 5 });

let scannedAccepted = 0;

/**
 * The scan of `text` (without JSON.parse) decides as JSON.parse and the walk do: the same size, or
 * undefined alike, and the picked attributes as parsed. A picked attribute that is not an S, N or B
 * value makes the scan give up (the key checks refuse it on the normal path).
 */
function scanAgrees(text: string): void {
  const wanted = ['pk', 'a', 'é'];
  const scanned = scanStoredItem(text, 0, text.length, wanted);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    assert.equal(scanned, undefined, `accepted text JSON.parse refuses: ${text}`);
    return;
  }
  let size = canonicalItemSize(parsed, text);
  const picked: Record<string, unknown> = {};
  if (size !== undefined) {
    for (const name of wanted) {
      const v = (parsed as Record<string, Record<string, unknown>>)[name];
      if (v === undefined) continue;
      if (!('S' in v || 'N' in v || 'B' in v)) size = undefined;
      picked[name] = v;
    }
  }
  assert.equal(scanned?.size, size, text);
  if (scanned) {
    scannedAccepted++;
    assert.deepEqual(scanned.picked, picked, text);
  }
}

/** `text` changed at one place: a character inserted, removed or replaced. */
const mutated = fc
  .tuple(
    fc.nat(),
    fc.constantFrom('insert', 'remove', 'replace'),
    fc.constantFrom(' ', '"', '\\', '{', '}', '[', ']', ',', ':', 'x', '1', '\u0001', 'é', '\ud800'),
  )
  .map(([at, how, c]) => (text: string) => {
    const i = at % (text.length + 1);
    if (how === 'insert') return text.slice(0, i) + c + text.slice(i);
    if (how === 'remove') return text.slice(0, i) + text.slice(i + 1);
    return text.slice(0, i) + c + text.slice(i + 1);
  });

describe('items in stored form', () => {
  it('are accepted only when their text is what the normal path stores, with its size', () => {
    fc.assert(
      fc.property(item, (raw) => {
        // As JSON.stringify writes it, and as the normal path would store it (sorted sets,
        // canonical numbers) when it accepts it.
        agrees(JSON.stringify(raw));
        const normal = stored(JSON.stringify(raw));
        if (normal) agrees(normal.json);
      }),
      { numRuns: 3000 },
    );
    assert.ok(accepted > 300, `the generated items exercise acceptance (${accepted} accepted)`);
  });

  it('are found by the text scan exactly when JSON.parse and the walk find them, with the same size', () => {
    fc.assert(
      fc.property(item, mutated, (raw, mutate) => {
        const text = JSON.stringify(raw);
        scanAgrees(text);
        const normal = stored(text);
        if (normal) {
          scanAgrees(normal.json);
          scanAgrees(mutate(normal.json));
        }
        scanAgrees(mutate(text));
      }),
      { numRuns: 4000 },
    );
    for (const rich of RICH_ITEMS) scanAgrees(JSON.stringify(normalizeItem(rich)));
    for (const text of [
      '{"a": {"S":"x"}}',
      '{"a":{"S":"x"},"a":{"S":"y"}}',
      '{"b":{"M":{"c":{"S":"x"},"c":{"S":"y"}}}}',
      '{"b":{"S":"x"},"1":{"S":"y"}}',
      '{"a":{"S":"x\\u0041"}}',
      '{"a":{"N":"1.50"}}',
      '{"a":{"SS":["b","a"]}}',
      '{"a":{"BOOL":true},"b":{"NULL":true},"c":{"L":[]},"d":{"M":{}},"e":{"BS":["AA==","AQ=="]}}',
      '{"a":{"NULL":false}}',
      '{"pk":{"SS":["x"]}}',
      '{"__proto__":{"S":"x"}}',
      '{"a":{"M":{"__proto__":{"S":"x"}}}}',
      '{}',
      '{"a":{"S":"x"}}}',
      '{"a":{"S":"x"}',
      '{"a":{"S":"\u0001"}}',
      '{"a":{"BOOL":tru}}',
      '{"a":{"L":[{"S":"x"},]}}',
    ])
      scanAgrees(text);
    assert.ok(scannedAccepted > 300, `the generated items exercise acceptance (${scannedAccepted} accepted)`);
  });

  it('sizes canonical integers as numberSize does, without parsing them', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 38n), max: 10n ** 38n }),
        fc.integer({ min: 0, max: 3 }),
        (n, z) => {
          const text = String(n) + '0'.repeat(z);
          const item = `{"n":{"N":"${text}"}}`;
          const expected = stored(item);
          const size = canonicalItemSize(JSON.parse(item), item);
          if (expected && expected.json === item) assert.equal(size, expected.size, text);
          else assert.equal(size, undefined, text);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('every item of the rich table, written as stored, is accepted unless it has escapes', () => {
    for (const rich of RICH_ITEMS) {
      const text = JSON.stringify(normalizeItem(rich));
      if (text.includes('\\')) {
        assert.equal(canonicalItemSize(JSON.parse(text), text), undefined, text);
        continue;
      }
      assert.equal(canonicalItemSize(JSON.parse(text), text), itemSize(normalizeItem(rich)), text);
    }
  });

  it('text that differs from the stored form is left to the normal path', () => {
    for (const text of [
      '{"a": {"S":"x"}}', // whitespace
      '{"a":{"S":"x"},"a":{"S":"y"}}', // a repeated name
      '{"b":{"S":"x"},"1":{"S":"y"}}', // an index-like name: objects list it first
      '{"a":{"S":"x\\u0041"}}', // an escape
      '{"a":{"N":"1.50"}}', // a number not in canonical form
      '{"a":{"SS":["b","a"]}}', // a set out of order
      '{"a":{"NS":["10","9"]}}',
      '{"a":{"SS":["a","a"]}}', // a repeated member
      '{"a":{"S":"x","N":null}}', // a member normalisation drops
      '{"a":{"NULL":false}}',
      '{"__proto__":{"S":"x"}}',
      '{}',
    ]) {
      assert.equal(canonicalItemSize(JSON.parse(text), text), undefined, text);
    }
  });

  it('an import stores items in stored form as they are and normalises the others', async () => {
    const dir = scratchDir();
    const file = join(dir, 'items.jsonl');
    const lines = [
      '{"Item":{"pk":{"S":"a"},"n":{"N":"12.5"},"s":{"SS":["x","y"]}}}',
      '{"Item":{"pk":{"S":"b"},"n":{"N":"12.50"},"s":{"SS":["y","x"]}}}',
      '{"pk":{"S":"c"},"n":{"N":"1"}}',
      '{"Item":{"pk":{"S":"d"},"n":{"N":"1"},"bad":{"N":"1e999"}}}',
    ];
    writeFileSync(file, lines.join('\n') + '\n');
    const engine = memoryEngine();
    const report = await importItems(engine, file, {
      table: 'Stored',
      partitionKey: { name: 'pk', type: 'S' },
      continueOnError: true,
    });
    assert.equal(report.written, 3);
    assert.equal(report.rejected, 1);
    assert.match(report.problems[0]!.reason, /ValidationException/);
    const get = (pk: string) =>
      (engine.execute('GetItem', { TableName: 'Stored', Key: { pk: { S: pk } } }) as { Item?: unknown }).Item;
    assert.deepEqual(get('a'), { pk: { S: 'a' }, n: { N: '12.5' }, s: { SS: ['x', 'y'] } });
    assert.deepEqual(get('b'), { pk: { S: 'b' }, n: { N: '12.5' }, s: { SS: ['x', 'y'] } });
    assert.deepEqual(get('c'), { pk: { S: 'c' }, n: { N: '1' } });
    engine.close();
  });

  it('an import reading lines from the text stores and refuses exactly what the parsed path does', async () => {
    const dir = scratchDir();
    const good = RICH_ITEMS.map((item) => JSON.stringify(normalizeItem(item)));
    const bad = [
      '{"pk":{"S":"x"},"sk":{"N":"1"},"gsiPk":{"N":"1"}}', // an index key of the wrong type
      '{"pk":{"S":"x"},"sk":{"N":"2"},"gsiPk":{"S":""}}', // an empty index key
      '{"pk":{"S":""},"sk":{"N":"3"}}', // an empty table key
      '{"pk":{"S":"x"}}', // no sort key
      '{"pk":{"N":"1"},"sk":{"N":"4"}}', // a key of the wrong type
      '{"pk":{"S":"x"},"sk":{"N":"5"},"big":{"S":"' + 'y'.repeat(400 * 1024) + '"}}', // too big
    ];
    // The same items as stored-form lines (read from the text) and with a space after "Item":
    // (not stored form: JSON.parse and the normal path).
    const files = ['{"Item":', '{"Item": '].map((prefix, i) => {
      const file = join(dir, `items${i}.jsonl`);
      writeFileSync(file, [...good, ...bad].map((t) => `${prefix}${t}}`).join('\n') + '\n');
      return file;
    });
    const rows = (engine: Engine) => {
      const t = engine.ctx.catalog.get('Rich')!;
      const db = engine.ctx.db.sqlite;
      return {
        items: db.prepare(`SELECT h, pk, sk, size, item FROM "${t.sqlName}" ORDER BY h, pk, sk`).raw().all(),
        indexes: [...t.indexes.values()].map((index) =>
          db.prepare(`SELECT * FROM "${index.sqlName}" ORDER BY h, pk, sk, tpk, tsk`).raw().all(),
        ),
        counts: (() => {
          const d = (
            engine.execute('DescribeTable', { TableName: 'Rich' }) as {
              Table: {
                ItemCount: number;
                TableSizeBytes: number;
                GlobalSecondaryIndexes: { ItemCount: number; IndexSizeBytes: number }[];
              };
            }
          ).Table;
          return [
            d.ItemCount,
            d.TableSizeBytes,
            d.GlobalSecondaryIndexes.map((g) => [g.ItemCount, g.IndexSizeBytes]),
          ];
        })(),
      };
    };
    const results = [];
    for (const file of files) {
      const engine = memoryEngine();
      createRichTable(engine);
      const report = await importItems(engine, file, {
        continueOnError: true,
        table: 'Rich',
        readThreads: 0,
      });
      assert.equal(report.written, good.length);
      results.push({ rows: rows(engine), problems: report.problems.map((p) => [p.line, p.reason]) });
      engine.close();
    }
    assert.equal(results[0]!.problems.length, bad.length);
    assert.deepEqual(results[0], results[1]);
    // And what PutItem stores.
    const put = memoryEngine();
    seedRich(put);
    assert.deepEqual(results[0]!.rows.items, rows(put).items);
    put.close();
  });
});
