// Bad input never loses data: every bad record is reported with its file, line and reason, by the
// engine's own rules; by default nothing is written; --continue-on-error writes the good records
// and sets the bad ones aside. Conflicts: overwrite, skip, fail.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { importItems } from '../../../engine/dump/index.js';
import type { ImportReport } from '../../../engine/dump/index.js';
import { createRichTable, itemCount, memoryEngine, scratchDir, storedItems, tableExists } from './helpers.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'dump');
const ORDERS = { table: 'Orders', partitionKey: { name: 'pk', type: 'S' as const } };

function lines(report: ImportReport): string[] {
  return report.problems.map((p) => `${p.line}: ${p.reason}`);
}

describe('bad records', () => {
  const dir = scratchDir();

  it("are reported line by line with DynamoDB's reasons, and nothing is written", async () => {
    const engine = memoryEngine();
    const report = await importItems(engine, join(FIXTURES, 'bad.jsonl'), ORDERS);
    assert.equal(report.committed, false);
    assert.equal(report.records, 7);
    assert.equal(report.rejected, 5);
    assert.deepEqual(lines(report), [
      '2: ValidationException: One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
      '3: ValidationException: The parameter cannot be converted to a numeric value: 1.2.3',
      `4: ${report.problems[2]!.reason}`,
      '5: ValidationException: One or more parameter values were invalid: Missing the key pk in the item',
      '6: ValidationException: One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
    ]);
    assert.match(report.problems[2]!.reason, /^not valid JSON: /);
    for (const p of report.problems) assert.equal(p.file, join(FIXTURES, 'bad.jsonl'));
    assert.equal(tableExists(engine, 'Orders'), false, 'the table is not even created');
  });

  it('nothing is written into an existing table either', async () => {
    const engine = memoryEngine();
    await importItems(engine, { name: 'seed', text: '{"Item":{"pk":{"S":"keep"},"v":{"N":"1"}}}' }, ORDERS);
    const report = await importItems(engine, join(FIXTURES, 'bad.jsonl'), {
      ...ORDERS,
      onConflict: 'overwrite',
    });
    assert.equal(report.committed, false);
    assert.deepEqual(storedItems(engine, 'Orders'), [{ pk: { S: 'keep' }, v: { N: '1' } }]);
    assert.equal(itemCount(engine, 'Orders'), 1);
  });

  it('--continue-on-error writes the good records and the bad ones to a rejects file', async () => {
    const engine = memoryEngine();
    const rejects = join(dir, 'rejects.jsonl');
    const report = await importItems(engine, join(FIXTURES, 'bad.jsonl'), {
      ...ORDERS,
      continueOnError: true,
      rejects,
    });
    assert.equal(report.committed, true);
    assert.equal(report.written, 2);
    assert.equal(report.rejected, 5);
    assert.deepEqual(
      storedItems(engine, 'Orders')
        .map((i) => (i.pk as { S: string }).S)
        .sort(),
      ['ok#1', 'ok#5'],
    );
    const rejected = readFileSync(rejects, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; line: number; reason: string; record: string });
    assert.deepEqual(
      rejected.map((r) => r.line),
      [2, 3, 4, 5, 6],
    );
    assert.equal(
      rejected[3]!.record,
      '{"Item":{"other":{"S":"no key"}}}',
      'the record exactly as it was in the input',
    );
    assert.match(rejected[0]!.reason, /Type mismatch for key pk/);
  });

  it('a multi-line document: the line where the bad element starts, or where its JSON breaks', async () => {
    const text = [
      '{', //                                   1
      '  "Items": [', //                        2
      '    {', //                               3
      '      "pk": {"S": "good"}', //           4
      '    },', //                              5
      '    {', //                               6
      '      "pk": {"S": "too deep"},', //      7
      '      "n": {"N": "1e200"}', //           8
      '    },', //                              9
      '    {', //                               10
      '      "pk": {"S": "broken"},', //        11
      '      "x": {"S": "a" "b"}', //           12
      '    }', //                               13
      '  ],', //                                14
      '  "Count": 3', //                        15
      '}',
    ].join('\n');
    const report = await importItems(memoryEngine(), { name: 'scan.json', text }, ORDERS);
    assert.equal(report.problems.length, 2);
    assert.equal(
      lines(report)[0],
      '6: ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
    assert.equal(report.problems[1]!.line, 12);
    assert.match(report.problems[1]!.reason, /^not valid JSON: /);
  });

  it('CSV: the line the row starts on, even after quoted newlines', async () => {
    const text = 'id,name\n"a","multi\nline"\n,no id\n"b","ok"\n"c","d","extra"\n';
    const report = await importItems(
      memoryEngine(),
      { name: 'x.csv', text },
      { table: 'Csv1', partitionKey: { name: 'id', type: 'S' } },
    );
    assert.deepEqual(lines(report), [
      '4: ValidationException: One or more parameter values were invalid: Missing the key id in the item',
      '6: the row has 3 fields, the header 2',
    ]);
  });

  it('a CSV number key that is not a number', async () => {
    const report = await importItems(
      memoryEngine(),
      { name: 'x.csv', text: 'n\n1\nabc\n' },
      { table: 'Nums', partitionKey: { name: 'n', type: 'N' } },
    );
    assert.deepEqual(lines(report), [
      '3: ValidationException: The parameter cannot be converted to a numeric value: abc',
    ]);
  });

  it('items over 400 KB, nesting beyond 32 levels, empty keys, index key types', async () => {
    const engine = memoryEngine();
    createRichTable(engine, 'RichTable');
    let deep = '{"S":"x"}';
    for (let i = 0; i < 32; i++) deep = `{"M":{"m":${deep}}}`;
    const records = [
      `{"pk":{"S":"big"},"sk":{"N":"1"},"blob":{"S":"${'x'.repeat(410 * 1024)}"}}`,
      `{"pk":{"S":"deep"},"sk":{"N":"1"},"d":${deep}}`,
      '{"pk":{"S":""},"sk":{"N":"1"}}',
      '{"pk":{"S":"gsi"},"sk":{"N":"1"},"gsiPk":{"N":"1"}}',
      '{"pk":{"S":"lsi"},"sk":{"N":"1"},"lsiSk":{"S":""}}',
      '{"pk":{"S":"fine"},"sk":{"N":"1"}}',
    ];
    const report = await importItems(
      engine,
      { name: 'x.jsonl', text: records.join('\n') },
      { table: 'RichTable' },
    );
    assert.deepEqual(
      report.problems.map((p) => p.line),
      [1, 2, 3, 4, 5],
    );
    assert.match(report.problems[0]!.reason, /Item size has exceeded the maximum allowed size/);
    assert.match(report.problems[1]!.reason, /Nesting Levels have exceeded supported limits/);
    assert.match(report.problems[2]!.reason, /cannot contain an empty string value/);
    assert.match(
      report.problems[3]!.reason,
      /Type mismatch for Index Key gsiPk Expected: S Actual: N IndexName: byGsi/,
    );
    assert.match(report.problems[4]!.reason, /Type mismatch for Index Key lsiSk/);
    assert.equal(storedItems(engine, 'RichTable').length, 0);
  });

  it('plain JSON: a record that is not an object, and a number DynamoDB cannot hold', async () => {
    const text =
      '{"id":"a","n":1e999}\n[1,2]\n"text"\n{"id":"b","n":123456789012345678901234567890123456789}\n';
    const report = await importItems(
      memoryEngine(),
      { name: 'p.ndjson', text },
      { table: 'Plain1', partitionKey: { name: 'id', type: 'S' } },
    );
    assert.deepEqual(lines(report), [
      '1: ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range',
      '2: expected a JSON object, found an array',
      '3: expected a JSON object, found a string',
      '4: ValidationException: Attempting to store more than 38 significant digits in a Number',
    ]);
  });

  it('an attribute named __proto__ is refused rather than silently dropped', async () => {
    const report = await importItems(
      memoryEngine(),
      { name: 'p.jsonl', text: '{"pk":{"S":"a"},"__proto__":{"S":"x"}}' },
      ORDERS,
    );
    assert.equal(report.rejected, 1);
    assert.match(report.problems[0]!.reason, /__proto__/);
  });

  it('reports the first problems and counts them all', async () => {
    const text = Array.from({ length: 250 }, (_, i) => `{"Item":{"pk":{"N":"${i}"}}}`).join('\n');
    const report = await importItems(
      memoryEngine(),
      { name: 'many.jsonl', text },
      { ...ORDERS, maxReportedProblems: 10 },
    );
    assert.equal(report.rejected, 250);
    assert.equal(report.problems.length, 10);
  });

  it('a dry run validates everything and writes nothing', async () => {
    const engine = memoryEngine();
    const report = await importItems(engine, join(FIXTURES, 'aws-scan.json'), { ...ORDERS, dryRun: true });
    assert.equal(report.records, 3);
    assert.equal(report.committed, false);
    assert.equal(tableExists(engine, 'Orders'), false);
  });

  it('a missing table without keys, and keys that disagree with the table, are usage errors', async () => {
    const engine = memoryEngine();
    await assert.rejects(
      importItems(engine, join(FIXTURES, 'aws-scan.json'), { table: 'Orders' }),
      /table Orders does not exist: give its keys/,
    );
    await importItems(engine, join(FIXTURES, 'aws-scan.json'), ORDERS);
    await assert.rejects(
      importItems(engine, join(FIXTURES, 'aws-scan.json'), {
        table: 'Orders',
        partitionKey: { name: 'id', type: 'S' },
      }),
      /exists with keys pk:S \(partition\), not id:S \(partition\)/,
    );
    await assert.rejects(importItems(engine, join(dir, 'nope.json'), ORDERS), /ENOENT|no such file/);
  });
});

describe('conflicts', () => {
  const existing = '{"Item":{"pk":{"S":"a"},"v":{"S":"old"}}}\n{"Item":{"pk":{"S":"b"},"v":{"S":"old"}}}';
  const incoming = '{"Item":{"pk":{"S":"b"},"v":{"S":"new"}}}\n{"Item":{"pk":{"S":"c"},"v":{"S":"new"}}}';
  const seeded = async () => {
    const engine = memoryEngine();
    await importItems(engine, { name: 'seed', text: existing }, ORDERS);
    return engine;
  };
  const values = (engine: ReturnType<typeof memoryEngine>) =>
    Object.fromEntries(
      storedItems(engine, 'Orders').map((i) => [(i.pk as { S: string }).S, (i.v as { S: string }).S]),
    );

  it('overwrite (the default) replaces items with the same key', async () => {
    const engine = await seeded();
    const report = await importItems(engine, { name: 'in', text: incoming }, ORDERS);
    assert.equal(report.written, 2);
    assert.deepEqual(values(engine), { a: 'old', b: 'new', c: 'new' });
    assert.equal(itemCount(engine, 'Orders'), 3);
  });

  it('skip keeps what is there', async () => {
    const engine = await seeded();
    const report = await importItems(
      engine,
      { name: 'in', text: incoming },
      { ...ORDERS, onConflict: 'skip' },
    );
    assert.equal(report.written, 1);
    assert.equal(report.skipped, 1);
    assert.deepEqual(values(engine), { a: 'old', b: 'old', c: 'new' });
  });

  it('fail writes nothing when any key exists, and names the record', async () => {
    const engine = await seeded();
    const report = await importItems(
      engine,
      { name: 'in', text: incoming },
      { ...ORDERS, onConflict: 'fail' },
    );
    assert.equal(report.committed, false);
    assert.equal(report.written, 0);
    assert.deepEqual(lines(report), ['1: an item with this key is already in table Orders']);
    assert.deepEqual(values(engine), { a: 'old', b: 'old' });
    assert.equal(itemCount(engine, 'Orders'), 2, 'counters are right after the rollback');
  });

  it('fail with --continue-on-error writes the others', async () => {
    const engine = await seeded();
    const report = await importItems(
      engine,
      { name: 'in', text: incoming },
      { ...ORDERS, onConflict: 'fail', continueOnError: true },
    );
    assert.equal(report.committed, true);
    assert.equal(report.written, 1);
    assert.equal(report.rejected, 1);
    assert.deepEqual(values(engine), { a: 'old', b: 'old', c: 'new' });
  });

  it('duplicates inside one input: the last wins (overwrite), the first (skip), or an error (fail)', async () => {
    const dupes = '{"pk":{"S":"d"},"v":{"S":"1"}}\n{"pk":{"S":"d"},"v":{"S":"2"}}';
    for (const [mode, expected] of [
      ['overwrite', '2'],
      ['skip', '1'],
    ] as const) {
      const engine = memoryEngine();
      await importItems(engine, { name: 'd', text: dupes }, { ...ORDERS, onConflict: mode });
      assert.equal(values(engine).d, expected, mode);
    }
    const engine = memoryEngine();
    const report = await importItems(engine, { name: 'd', text: dupes }, { ...ORDERS, onConflict: 'fail' });
    assert.equal(report.committed, false);
    assert.deepEqual(lines(report), ['2: an item with this key is already in table Orders']);
    assert.equal(
      tableExists(engine, 'Orders'),
      false,
      'the table created in the rolled-back transaction is gone',
    );
    // …and the engine still works normally afterwards.
    const again = await importItems(engine, { name: 'd', text: dupes }, ORDERS);
    assert.equal(again.committed, true);
    assert.equal(values(engine).d, '2');
  });
});

describe('index and stream maintenance', () => {
  it('imported items land in secondary indexes, and counters are exact', async () => {
    const engine = memoryEngine();
    createRichTable(engine, 'RichTable');
    const text = [
      '{"pk":{"S":"a"},"sk":{"N":"1"},"gsiPk":{"S":"g"},"lsiSk":{"N":"5"}}',
      '{"pk":{"S":"a"},"sk":{"N":"2"},"gsiPk":{"S":"g"}}',
      '{"pk":{"S":"b"},"sk":{"N":"1"}}',
    ].join('\n');
    await importItems(engine, { name: 'x', text }, { table: 'RichTable' });
    const d = engine.execute('DescribeTable', { TableName: 'RichTable' }) as {
      Table: {
        ItemCount: number;
        GlobalSecondaryIndexes: { ItemCount: number }[];
        LocalSecondaryIndexes: { ItemCount: number }[];
      };
    };
    assert.equal(d.Table.ItemCount, 3);
    assert.equal(d.Table.GlobalSecondaryIndexes[0]!.ItemCount, 2);
    assert.equal(d.Table.LocalSecondaryIndexes[0]!.ItemCount, 1);
  });

  it('stream records only with emitStreams', async () => {
    const engine = memoryEngine();
    engine.execute('CreateTable', {
      TableName: 'Streamed',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
    const records = () =>
      (engine.ctx.db.sqlite.prepare('SELECT count(*) AS n FROM sk_stream_records').get() as { n: number }).n;
    await importItems(engine, { name: 'x', text: '{"pk":{"S":"quiet"}}' }, { table: 'Streamed' });
    assert.equal(records(), 0);
    await importItems(
      engine,
      { name: 'x', text: '{"pk":{"S":"loud"}}\n{"pk":{"S":"loud2"}}' },
      { table: 'Streamed', emitStreams: true },
    );
    assert.equal(records(), 2);
  });

  it('a write phase that fails after some chunks committed leaves the table as it was', async () => {
    // A write listener that fails half-way stands in for a crash, after two chunks have committed.
    const engine = memoryEngine();
    await importItems(
      engine,
      { name: 'seed', text: '{"pk":{"S":"keep"}}\n{"pk":{"S":"new1"},"v":{"S":"old"}}' },
      ORDERS,
    );
    let n = 0;
    const boom = () => {
      if (++n === 5) throw new Error('power cut');
    };
    engine.ctx.writeListeners.push(boom);
    const text = Array.from({ length: 10 }, (_, i) => `{"pk":{"S":"new${i}"}}`).join('\n');
    await assert.rejects(
      importItems(engine, { name: 'x', text }, { ...ORDERS, maxChunkItems: 2 }),
      /power cut/,
    );
    engine.ctx.writeListeners.pop();
    assert.deepEqual(storedItems(engine, 'Orders'), [
      { pk: { S: 'keep' } },
      { pk: { S: 'new1' }, v: { S: 'old' } },
    ]);
    assert.equal(itemCount(engine, 'Orders'), 2);
    const journals = engine.ctx.db.sqlite
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'sk_import_undo_%'")
      .get() as { n: number };
    assert.equal(journals.n, 0, 'the journal is gone');
  });

  it('an import cancelled after some chunks committed drops the table it created', async () => {
    const engine = memoryEngine();
    const controller = new AbortController();
    const text = Array.from({ length: 300 }, (_, i) => `{"pk":{"S":"k${i}"}}`).join('\n');
    let committedBefore = 0;
    await assert.rejects(
      importItems(
        engine,
        { name: 'x', text },
        {
          table: 'Fresh',
          partitionKey: { name: 'pk', type: 'S' },
          maxChunkItems: 20,
          onProgress: (p) => {
            if (p.phase === 'write' && p.items >= 60 && !controller.signal.aborted) {
              committedBefore = (
                engine.ctx.db.sqlite.prepare('SELECT count(*) AS n FROM sk_tables').get() as { n: number }
              ).n;
              controller.abort(new Error('cancelled'));
            }
          },
          signal: controller.signal,
        },
      ),
      /cancelled/,
    );
    assert.equal(committedBefore, 1, 'the table existed mid-import');
    assert.equal(tableExists(engine, 'Fresh'), false);
  });

  it('a spool larger than memory goes through a temporary file', async () => {
    const { Spool } = await import('../../../engine/dump/io/spool.js');
    const spool = new Spool(1000);
    const expected: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const line = `line ${i} ${'é'.repeat(i % 7)} ${'x'.repeat(i % 300)}`;
      expected.push(line);
      spool.append(line);
    }
    assert.ok(spool.fileBytes > 0);
    assert.deepEqual([...spool.lines()], expected);
    assert.deepEqual([...spool.lines()], expected, 'readable twice');
    spool.close();
  });

  it('the sorting spool merges runs from disk in key order, stably', async () => {
    const { SortingSpool } = await import('../../../engine/dump/io/spool.js');
    for (const runChars of [100, 5000, 1 << 30]) {
      const spool = new SortingSpool(runChars);
      const expected: { key: number; line: string; seq: number }[] = [];
      for (let i = 0; i < 3000; i++) {
        const key = ((i * 7919) % 97) + (i % 3) * 0x1_0000_0000;
        const line = `#${i} ${'ü'.repeat(i % 5)}`;
        expected.push({ key, line, seq: i });
        spool.append(key, line);
      }
      // Two lines longer than the file writer's 1 MB buffer.
      for (const [key, seq] of [
        [5, 3000],
        [5, 3001],
      ] as const) {
        const line = `#big ${seq} ` + 'é'.repeat(700_000);
        expected.push({ key, line, seq });
        spool.append(key, line);
      }
      expected.sort((a, b) => a.key - b.key || a.seq - b.seq);
      assert.deepEqual(
        [...spool.lines()],
        expected.map((e) => e.line),
        `runs of ${runChars} characters`,
      );
      spool.close();
    }
  });
});

describe('sorting spool entries', () => {
  it('keep their binary heads through runs on disk', async () => {
    const { SortingSpool } = await import('../../../engine/dump/io/spool.js');
    for (const runBytes of [64, 4096, 1 << 30]) {
      const spool = new SortingSpool(runBytes);
      const expected: { key: number; head: string; body: string; seq: number }[] = [];
      for (let i = 0; i < 500; i++) {
        // Heads with every byte value, newlines and tabs included.
        const head = Buffer.from(Array.from({ length: i % 40 }, (_, j) => (i * 31 + j) % 256));
        const body = `#${i}\t${'é'.repeat(i % 9)}\n`;
        const key = (i * 7919) % 53;
        expected.push({ key, head: head.toString('hex'), body, seq: i });
        const scratch = Buffer.alloc(64, 0xee);
        head.copy(scratch);
        spool.appendEntry(key, scratch, head.length, body);
      }
      expected.sort((a, b) => a.key - b.key || a.seq - b.seq);
      const got: { head: string; body: string }[] = [];
      // Each entry is read before the next one (the entry object and its buffer are reused).
      for (const e of spool.entries())
        got.push({
          head: e.buf.toString('hex', e.headStart, e.bodyStart),
          body: e.buf.toString('utf8', e.bodyStart, e.end),
        });
      assert.deepEqual(
        got,
        expected.map((e) => ({ head: e.head, body: e.body })),
        `runs of ${runBytes} bytes`,
      );
      spool.close();
    }
  });
});

describe('invalid UTF-8', () => {
  const bad = (before: string, after: string) =>
    Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from([0xff, 0xfe]), Buffer.from(after, 'utf8')]);
  const cases: [string, Buffer, Record<string, unknown>, number, number][] = [
    // format, input, options, line, byte offset of the first bad byte
    ['ddb-jsonl', bad('{"pk":{"S":"ok"}}\n{"pk":{"S":"a', '"}}\n'), ORDERS, 2, 31],
    ['ndjson', bad('{"pk":"ok"}\n{"pk":"', '"}\n'), { ...ORDERS, format: 'ndjson' }, 2, 19],
    ['csv', bad('pk,v\nok,1\n', ',2\n'), { ...ORDERS, format: 'csv' }, 3, 10],
    ['scan-json', bad('{"Items":[\n{"pk":{"S":"', '"}}]}'), ORDERS, 2, 23],
    ['batch-write', bad('{"Orders":[\n{"PutRequest":{"Item":{"pk":{"S":"', '"}}}}]}'), ORDERS, 2, 46],
  ];
  for (const [format, input, options, line, offset] of cases) {
    it(`is refused in ${format}, naming the file, line and byte offset; nothing is written`, async () => {
      const engine = memoryEngine();
      const report = await importItems(engine, { name: 'in.txt', text: input }, options);
      assert.equal(report.committed, false);
      assert.equal(report.problems.length, 1);
      const p = report.problems[0]!;
      assert.equal(p.file, 'in.txt');
      assert.equal(p.line, line);
      assert.match(
        p.reason,
        new RegExp(`invalid UTF-8 at byte offset ${offset} \\(line ${line}\\): the bytes there are ff fe`),
      );
      assert.equal(tableExists(engine, 'Orders'), false);
    });
  }

  it('characters split between reads decode whole', async () => {
    const engine = memoryEngine();
    // 3-byte and 4-byte characters across every 256 KB piece boundary.
    const rows: string[] = [];
    let chars = 0;
    for (let n = 0; chars < 700_000; n++) {
      rows.push(`{"pk":{"S":"k${n}-€😀${'é'.repeat(n % 13)}"}}`);
      chars += rows[n]!.length + 1;
    }
    const report = await importItems(engine, { name: 'x', text: Buffer.from(rows.join('\n')) }, ORDERS);
    assert.equal(report.committed, true, JSON.stringify(report.problems));
    assert.equal(report.written, rows.length);
  });
});

describe('batch-write request files', () => {
  it('a key twice in one table list is refused as BatchWriteItem refuses it, naming the file and both lines', async () => {
    const engine = memoryEngine();
    await importItems(engine, { name: 'seed', text: '{"pk":{"S":"keep"}}' }, ORDERS);
    const text = [
      '{"Orders":[',
      '{"PutRequest":{"Item":{"pk":{"S":"x"},"v":{"N":"1"}}}},',
      '{"PutRequest":{"Item":{"pk":{"S":"y"}}}},',
      '{"PutRequest":{"Item":{"pk":{"S":"x"},"v":{"N":"2"}}}}',
      '],"Other":[{"PutRequest":{"Item":{"pk":{"S":"x"}}}}]}',
    ].join('\n');
    const report = await importItems(
      engine,
      { name: 'req.json', text },
      { partitionKey: { name: 'pk', type: 'S' } },
    );
    assert.equal(report.committed, false);
    assert.deepEqual(
      report.problems.map((p) => [p.file, p.line, p.reason]),
      [
        [
          'req.json',
          4,
          'ValidationException: Provided list of item keys contains duplicates (table Orders: lines 2 and 4 have the same key)',
        ],
      ],
    );
    assert.deepEqual(storedItems(engine, 'Orders'), [{ pk: { S: 'keep' } }]);
    assert.equal(tableExists(engine, 'Other'), false);
  });

  it('the same key in two request files is two requests: the later wins', async () => {
    const engine = memoryEngine();
    const one = (v: string) => `{"Orders":[{"PutRequest":{"Item":{"pk":{"S":"x"},"v":{"S":"${v}"}}}}]}`;
    const report = await importItems(
      engine,
      [
        { name: 'a.json', text: one('first') },
        { name: 'b.json', text: one('second') },
      ],
      { partitionKey: { name: 'pk', type: 'S' } },
    );
    assert.equal(report.committed, true);
    assert.deepEqual(storedItems(engine, 'Orders'), [{ pk: { S: 'x' }, v: { S: 'second' } }]);
  });
});

describe('refusals before reading', () => {
  it('an invalid table name fails before the input is read', async () => {
    const engine = memoryEngine();
    // A stream that never delivers: reading it would hang the test.
    const silent = { name: 'stdin', stream: (async function* () {})() };
    let read = false;
    const waiting = {
      name: 'stdin',
      stream: {
        [Symbol.asyncIterator]: () => {
          read = true;
          return silent.stream[Symbol.asyncIterator]();
        },
      },
    };
    for (const table of ['ab', 'has space', 'x'.repeat(256)]) {
      await assert.rejects(
        importItems(engine, waiting, { table, partitionKey: { name: 'pk', type: 'S' } }),
        /is not a valid table name: DynamoDB table names are 3 to 255 characters/,
      );
    }
    await assert.rejects(
      importItems(engine, waiting, { tableMap: { A: 'no/slash' } }),
      /"no\/slash" is not a valid table name/,
    );
    assert.equal(read, false);
  });
});

describe('conflicts with onConflict fail', () => {
  it('lists the first offending lines in input order and counts all of them; nothing is written', async () => {
    const engine = memoryEngine();
    const seedText = Array.from({ length: 300 }, (_, i) => `{"pk":{"S":"k${i}"}}`).join('\n');
    await importItems(engine, { name: 'seed', text: seedText }, ORDERS);
    // Lines 1-50 are new, 51-350 all collide; then a key repeated within the input.
    const text = [
      ...Array.from({ length: 50 }, (_, i) => `{"pk":{"S":"new${i}"}}`),
      ...Array.from({ length: 300 }, (_, i) => `{"pk":{"S":"k${299 - i}"}}`),
      '{"pk":{"S":"new3"}}',
    ].join('\n');
    const report = await importItems(engine, { name: 'in', text }, { ...ORDERS, onConflict: 'fail' });
    assert.equal(report.committed, false);
    assert.equal(report.rejected, 301);
    assert.deepEqual(
      report.problems.map((p) => p.line),
      Array.from({ length: 100 }, (_, i) => 51 + i),
    );
    assert.match(report.warnings.join('\n'), /301 records have a key that is already in the table/);
    assert.equal(itemCount(engine, 'Orders'), 300);
  });
});
