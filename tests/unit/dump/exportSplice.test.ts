// Exports splice stored item JSON into their output (json/stored.ts) instead of parsing each item
// and writing it out again. The output must be byte for byte what the object path writes: every
// format is written twice from the same rows, once as stored text and once as parsed objects.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportTable } from '../../../engine/dump/index.js';
import { storedToPlainJson } from '../../../engine/dump/json/stored.js';
import { NotCanonical } from '../../../engine/dump/json/stored.js';
import { itemToPlainJson } from '../../../engine/dump/json/plain.js';
import type { PlainOptions } from '../../../engine/dump/json/plain.js';
import { StoredCsvLines } from '../../../engine/dump/json/storedCsv.js';
import { csvLine } from '../../../engine/dump/csv.js';
import { createWriter, csvValue } from '../../../engine/dump/writers.js';
import type { ExportRow } from '../../../engine/dump/writers.js';
import type { ExportFormat } from '../../../engine/dump/types.js';
import type { Item } from '../../../engine/types.js';
import { memoryEngine, RICH_ITEMS, scratchDir, seedRich } from './helpers.js';

/** Stored texts that the splicing readers must refuse (the object path writes them differently). */
const NOT_CANONICAL = [
  '{"1":{"S":"x"},"a":{"S":"y"}}', // an index-like name: objects list it first
  '{"a":{"S":"x\\u0041"}}', // an escape: JSON.stringify would write "xA"
  '{"a": {"S":"x"}}', // whitespace
  '{"m":{"M":{"b":{"S":"1"},"0":{"S":"2"}}}}', // an index-like name inside a map
];

const MORE_ITEMS: Item[] = [
  { pk: { S: 'c' }, sk: { N: '1' }, '7': { S: 'index-like name' }, z: { N: '1' } },
  { pk: { S: 'c' }, sk: { N: '2' }, m: { M: { '10': { S: 'x' }, '2': { S: 'y' }, a: { S: 'z' } } } },
  { pk: { S: 'c' }, sk: { N: '3' }, q: { S: 'a "quoted", comma; and\r\nbreak' }, n: { N: '-0.5E-7' } },
  // Numbers as DynamoDB may hold them that are no JSON numbers: written as strings.
  {
    pk: { S: 'c' },
    sk: { N: '4' },
    ns: { NS: ['.5', '01', '+5', '5.', '7'] },
    n: { N: '.25' },
    m: { N: '1e3' },
  },
];

const OPTIONS: PlainOptions[] = [{}, { binary: 'prefix' }, { binary: 'prefix', binaryPrefix: 'b64=' }];

async function written(
  dir: string,
  name: string,
  format: ExportFormat,
  rows: ExportRow[],
  plain: PlainOptions,
  columns?: string[],
): Promise<string> {
  const path = join(dir, name);
  const writer = createWriter(format, path, {
    plain,
    ...(columns ? { csv: { columns } } : {}),
    chunkSize: 3,
    source: 'test',
    tables: ['Rich'],
  });
  await writer.beginTable({
    name: 'Rich',
    key: { partition: [{ name: 'pk', type: 'S' }], sort: [{ name: 'sk', type: 'N' }] },
    definition: { create: { TableName: 'Rich' } } as never,
  });
  // Two pages, to cross page boundaries.
  await writer.write(rows.slice(0, 2));
  await writer.write(rows.slice(2));
  await writer.endTable(rows.length);
  const files = await writer.close();
  return files
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n--\n')
    .replace(/"createdAt":"[^"]*"/, '');
}

describe('export splices stored item JSON', () => {
  const dir = scratchDir();
  // The first rich item without its escaped attribute: every type, canonical text throughout.
  const richest = Object.fromEntries(Object.entries(RICH_ITEMS[0]!).filter(([k]) => k !== '🔑 key'));
  const items = [...RICH_ITEMS, richest, ...MORE_ITEMS];
  const stored = items.map((i) => JSON.stringify(i));

  it('plain JSON from stored text equals the object path, item by item', () => {
    let spliced = 0;
    for (const opts of OPTIONS)
      for (const json of stored) {
        let text: string;
        try {
          text = storedToPlainJson(json, opts);
        } catch (e) {
          assert.ok(e instanceof NotCanonical);
          continue;
        }
        spliced++;
        assert.equal(text, itemToPlainJson(JSON.parse(json) as Item, opts));
      }
    assert.ok(spliced >= OPTIONS.length * 4, `${spliced} items spliced`);
  });

  it('refuses text it cannot copy faithfully (the caller takes the object path)', () => {
    for (const json of NOT_CANONICAL) assert.throws(() => storedToPlainJson(json, {}), NotCanonical, json);
  });

  for (const format of [
    'ddb-jsonl',
    'json',
    'ndjson',
    'csv',
    'scan-json',
    'batch-write',
    'sortkey-dump',
  ] as const) {
    it(`${format}: the same bytes from stored text as from objects`, async () => {
      for (const [n, plain] of OPTIONS.entries()) {
        const asText = await written(
          dir,
          `text-${n}-${format}`,
          format,
          stored.map((json) => ({ json })),
          plain,
        );
        const asObjects = await written(
          dir,
          `obj-${n}-${format}`,
          format,
          stored.map((json) => ({ item: JSON.parse(json) as Item })),
          plain,
        );
        assert.equal(asText, asObjects);
        // The not-canonical texts go the object path inside the same output (the DynamoDB JSON
        // formats copy stored text as it is, as they always did).
        if (format !== 'json' && format !== 'ndjson' && format !== 'csv') continue;
        const odd = NOT_CANONICAL.map((json) => ({ json }));
        assert.equal(
          await written(dir, `odd-text-${n}-${format}`, format, odd, plain),
          await written(
            dir,
            `odd-obj-${n}-${format}`,
            format,
            odd.map((r) => ({ item: JSON.parse(r.json) as Item })),
            plain,
          ),
        );
      }
    });
  }

  it('csv with given columns: the same bytes from stored text as from objects', async () => {
    const columns = ['pk', 'sk', 'map', 'missing', 'bin', 'bs', 'ns', 'yes', 'nul', '🔑 key', 'q', '7'];
    for (const [n, plain] of OPTIONS.entries()) {
      const asText = await written(
        dir,
        `cols-text-${n}`,
        'csv',
        stored.map((json) => ({ json })),
        plain,
        columns,
      );
      const asObjects = await written(
        dir,
        `cols-obj-${n}`,
        'csv',
        stored.map((json) => ({ item: JSON.parse(json) as Item })),
        plain,
        columns,
      );
      assert.equal(asText, asObjects);
    }
  });

  // Items whose CSV cells need care: a delimiter or edge spaces inside (quoted), empty strings,
  // names in changing orders and sets (the walk remembers the previous item's names), binaries.
  const CSV_ITEMS: Item[] = [
    { pk: { S: 'a,b' }, sk: { N: '1' }, s: { S: ' lead' }, t: { S: 'trail ' }, u: { S: 'in side' } },
    { sk: { N: '-2.5E+3' }, pk: { S: 'x;y|z:w\tv' }, s: { S: '' }, b: { B: 'AQID' } },
    { pk: { S: 'p' }, sk: { N: '3' }, s: { S: 'a\tb' }, t: { S: ' ' }, u: { S: 'x:y' } },
    { pk: { S: 'p' }, sk: { N: '3' }, s: { S: 'a\tb' }, t: { S: ' ' }, u: { S: 'x:y' } },
    { pk: { S: 'q' }, u: { SS: ['a,b', 'c'] }, t: { NS: ['1', '2'] }, b: { BS: ['AQID'] } },
    { pk: { S: 'r' }, b: { B: '' }, n: { NULL: true }, y: { BOOL: true }, f: { BOOL: false } },
    { pk: { S: 'q' }, u: { M: { 'a b': { S: 'c;d' } } }, t: { L: [{ S: ' ' }] } },
    ...[',', ';', '|', ':'].map((d) => ({ pk: { S: `e${d}` }, u: { S: `end${d}` } })),
    {},
  ];
  const DELIMITERS = [',', '\t', ';', '|', ':', ' '];

  it('csv lines from stored text equal the object path, for every delimiter and shape', () => {
    const columns = ['pk', 'sk', 's', 't', 'u', 'b', 'n', 'y', 'f', 'absent'];
    for (const delimiter of DELIMITERS)
      for (const plain of OPTIONS) {
        const lines = new StoredCsvLines(columns, delimiter, plain);
        for (const item of [...CSV_ITEMS, ...items]) {
          const json = JSON.stringify(item);
          // Escaped text (a tab, a quote, a line break) is the object path's: tested below.
          if (json.includes('\\')) continue;
          const expected = csvLine(
            columns.map((c) => csvValue(item[c], plain)),
            delimiter,
          );
          assert.equal(lines.line(json), expected, `${JSON.stringify(delimiter)} ${json}`);
        }
      }
  });

  it('csv: stored text it cannot walk faithfully goes the object path (a name twice: the last wins)', () => {
    const lines = new StoredCsvLines(['a'], ',', {});
    for (const json of [
      '{"a":{"S":"1"},"a":{"S":"2"}}',
      '{"a":{"S":"x\\u0041"}}',
      '{"a": {"S":"x"}}',
      '{"a":{"SS":["x", "y"]}}',
    ])
      assert.throws(() => lines.line(json), NotCanonical, json);
  });

  it('csv export (columns collected, any delimiter): the same bytes from stored text as from objects', async () => {
    const odd = ['{"pk":{"S":"d"},"s":{"S":"1"},"s":{"S":"2"}}', ...NOT_CANONICAL];
    const texts = [...CSV_ITEMS.map((i) => JSON.stringify(i)), ...stored, ...odd];
    for (const delimiter of DELIMITERS) {
      const out: string[] = [];
      for (const rows of [
        texts.map((json) => ({ json })),
        texts.map((json) => ({ item: JSON.parse(json) as Item })),
      ]) {
        const path = join(dir, `csv-delimited-${out.length}`);
        const writer = createWriter('csv', path, { csv: { delimiter } });
        await writer.beginTable({
          name: 'Rich',
          key: { partition: [{ name: 'pk', type: 'S' }], sort: [{ name: 'sk', type: 'N' }] },
        });
        await writer.write(rows.slice(0, 5));
        await writer.write(rows.slice(5));
        await writer.close();
        out.push(readFileSync(path, 'utf8'));
      }
      assert.equal(out[0], out[1], JSON.stringify(delimiter));
    }
  });

  it('a whole-table export (stored rows) equals an export of the same items as a Scan (objects)', async () => {
    const engine = memoryEngine();
    seedRich(engine);
    for (const format of ['json', 'csv'] as const) {
      const a = join(dir, `table.${format}`);
      const b = join(dir, `scan.${format}`);
      await exportTable(engine, 'Rich', a, { format });
      await exportTable(engine, { table: 'Rich', scan: {} }, b, { format });
      assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
    }
  });
});
