// The pieces under the readers: the exact JSON parser, the structural scanner and the CSV reader,
// fed in chunks of every size (a record, a string, an escape or a UTF-8 character split anywhere).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CsvReader, csvLine, JsonNumber, parseExact, plainToItem } from '../../../engine/dump/index.js';
import { JsonScanner } from '../../../engine/dump/io/scanner.js';
import type { ScannedValue } from '../../../engine/dump/io/scanner.js';

/** A parsed value with JsonNumbers as numbers, objects as plain objects, for comparison. */
function comparable(v: unknown): unknown {
  if (v instanceof JsonNumber) return Number(v.text);
  if (Array.isArray(v)) return v.map(comparable);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v))
      Object.defineProperty(out, k, {
        value: comparable((v as Record<string, unknown>)[k]),
        enumerable: true,
      });
    return out;
  }
  return v;
}

function scanAll(text: string, objects: 'records' | 'containers', size: number): ScannedValue[] {
  const s = new JsonScanner({ objects });
  const out: ScannedValue[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
  out.push(...s.end());
  return out;
}

describe('exact JSON', () => {
  it('keeps numbers as written', () => {
    const v = parseExact(
      '{"a": 12345678901234567890.123456789, "b": [-0.0, 1e400, 5E-7], "c": "x\\u00e9\\"", "d": null}',
    ) as Record<string, unknown>;
    assert.deepEqual(v.a, new JsonNumber('12345678901234567890.123456789'));
    assert.deepEqual(v.b, [new JsonNumber('-0.0'), new JsonNumber('1e400'), new JsonNumber('5E-7')]);
    assert.equal(v.c, 'xé"');
    assert.equal(v.d, null);
  });

  it('rejects what JSON.parse rejects, with a position', () => {
    for (const bad of [
      '{"a":}',
      '[1,]',
      '{"a" 1}',
      '01',
      '"\u0001"',
      '{"a":1}x',
      '[',
      'tru',
      '-',
      '1.',
      '.5',
    ]) {
      assert.throws(() => parseExact(bad), /at position \d+/, bad);
      assert.throws(() => JSON.parse(bad), SyntaxError, bad);
    }
  });

  it('a "__proto__" member is data, and survives conversion', () => {
    const item = plainToItem(parseExact('{"__proto__": 1, "x": {"__proto__": "y"}}'), {});
    assert.deepEqual(Object.keys(item), ['__proto__', 'x']);
  });
});

describe('structural scanner', () => {
  const doc =
    '{"Items": [{"a": {"S": "x,]}\\"\\\\"}}, {"n":{"N":"1"}},\n {"e": {"M": {"k": {"L": [1, [2]]}}}}], "Count": 3,\n"Other": {"x": [1]}}';

  it('finds the same records whatever the chunk size', () => {
    const expected = scanAll(doc, 'containers', doc.length);
    assert.deepEqual(
      expected.map((v) => [v.kind, v.key, v.line]),
      [
        ['element', 'Items', 1],
        ['element', 'Items', 1],
        ['element', 'Items', 2],
        ['member', 'Count', 2],
        ['member', 'Other', 3],
      ],
    );
    assert.equal(JSON.parse(expected[0]!.text).a.S, 'x,]}"\\');
    assert.equal(expected[2]!.bareNumbers, true);
    assert.equal(expected[0]!.bareNumbers, false);
    for (const size of [1, 2, 3, 7, 64])
      assert.deepEqual(scanAll(doc, 'containers', size), expected, `chunks of ${size}`);
  });

  it('records mode: array elements and concatenated values, with their lines', () => {
    const text = '[\n {"a":1},\n {"b":2}\n]\n{"c":3}\n{"d":\n4}\n"s" 5';
    for (const size of [1, 5, text.length]) {
      const v = scanAll(text, 'records', size);
      assert.deepEqual(
        v.map((x) => [x.text, x.line]),
        [
          ['{"a":1}', 2],
          ['{"b":2}', 3],
          ['{"c":3}', 5],
          ['{"d":\n4}', 6],
          ['"s"', 8],
          ['5', 8],
        ],
      );
    }
  });

  it('agrees with JSON.parse on any array of values, split anywhere (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
        (values, indent, sizes) => {
          const text = JSON.stringify(values, null, indent);
          const s = new JsonScanner({ objects: 'records' });
          const out: ScannedValue[] = [];
          let pos = 0;
          let k = 0;
          while (pos < text.length) {
            const size = sizes[k++ % sizes.length]!;
            out.push(...s.push(text.slice(pos, pos + size)));
            pos += size;
          }
          out.push(...s.end());
          assert.deepEqual(
            out.map((v) => JSON.parse(v.text) as unknown),
            JSON.parse(text) as unknown[],
          );
          for (const v of out)
            assert.deepEqual(comparable(parseExact(v.text)), comparable(JSON.parse(v.text)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports structure it cannot follow, with a line', () => {
    assert.throws(
      () => scanAll('[{"a":1}\n{"b":2}]', 'records', 4),
      /expected , or \] after an array element/,
    );
    assert.throws(() => scanAll('[{"a":1},\n{"b":2', 'records', 4), /value starting on line 2 is not closed/);
    assert.throws(() => scanAll('{"Items": [\n', 'containers', 4), /array opened on line 1 is not closed/);
  });
});

describe('CSV', () => {
  const text = 'a,b,c\r\n1,"two, ""quoted""",\r\n"multi\nline",x,y\n\n"",,"end"';
  it('reads quoted fields, doubled quotes, CRLF, embedded newlines, whatever the chunk size', () => {
    for (const size of [1, 2, 5, text.length]) {
      const r = new CsvReader(',');
      const records = [];
      for (let i = 0; i < text.length; i += size) records.push(...r.push(text.slice(i, i + size)));
      records.push(...r.end());
      assert.deepEqual(
        records.map((x) => [x.fields, x.line]),
        [
          [['a', 'b', 'c'], 1],
          [['1', 'two, "quoted"', ''], 2],
          [['multi\nline', 'x', 'y'], 3],
          [['', '', 'end'], 6],
        ],
        `chunks of ${size}`,
      );
    }
  });

  it('writes what it reads', () => {
    const cells = ['plain', 'with,comma', 'with "quote"', 'new\nline', ' spaced ', '', 'ü'];
    const r = new CsvReader(',');
    const back = [...r.push(csvLine(cells)), ...r.end()];
    assert.deepEqual(back[0]!.fields, cells);
    const tab = new CsvReader('\t');
    assert.deepEqual([...tab.push(csvLine(['a\tb', 'c'], '\t')), ...tab.end()][0]!.fields, ['a\tb', 'c']);
  });

  it('an unclosed quote is an error naming its line', () => {
    const r = new CsvReader(',');
    r.push('a\n"open,\nstill');
    assert.throws(() => r.end(), /opened on line 2 is never closed/);
  });
});
