// Export then import through every format: each type, number, binary, set, nesting level, empty
// value and unicode name comes back exactly as it was stored.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AttributeValue } from '../../../engine/types.js';
import { normalizeNumber } from '../../../engine/values/number.js';
import { dumpDatabase, exportTable, importItems, restoreDatabase } from '../../../engine/dump/index.js';
import type { ExportFormat } from '../../../engine/dump/index.js';
import { assertSameItems, memoryEngine, RICH_ITEMS, scratchDir, seedRich, storedItems } from './helpers.js';

const LOSSLESS: ExportFormat[] = [
  'scan-json',
  'ddb-jsonl',
  'ddb-jsonl-gz',
  'export-folder',
  'batch-write',
  'sortkey-dump',
];

describe('round trips', () => {
  const dir = scratchDir();
  const source = memoryEngine();
  seedRich(source);

  for (const format of LOSSLESS) {
    it(`${format} keeps every item exactly`, async () => {
      const path = join(dir, `rich.${format}`);
      const out = await exportTable(source, 'Rich', path, { format, itemsPerFile: 2 });
      assert.equal(out.items, RICH_ITEMS.length);
      const target = memoryEngine();
      const report = await importItems(target, format === 'batch-write' ? out.files : path, {
        table: 'Rich',
        partitionKey: { name: 'pk', type: 'S' },
        sortKey: { name: 'sk', type: 'N' },
      });
      assert.equal(report.rejected, 0, JSON.stringify(report.problems));
      assert.equal(report.committed, true);
      assert.equal(report.written, RICH_ITEMS.length);
      assert.equal(report.format, format === 'ddb-jsonl-gz' ? 'ddb-jsonl' : format);
      assertSameItems(target, source, 'Rich');
    });
  }

  it('the export folder splits data files and writes DynamoDB manifests', async () => {
    const path = join(dir, 'folder');
    await exportTable(source, 'Rich', path, { format: 'export-folder', itemsPerFile: 3 });
    const [exportId] = readdirSync(join(path, 'AWSDynamoDB'));
    const base = join(path, 'AWSDynamoDB', exportId!);
    const summary = JSON.parse(readFileSync(join(base, 'manifest-summary.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(summary.itemCount, RICH_ITEMS.length);
    assert.equal(summary.outputFormat, 'DYNAMODB_JSON');
    assert.match(String(summary.tableArn), /:table\/Rich$/);
    const files = readFileSync(join(base, 'manifest-files.json'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { itemCount: number; dataFileS3Key: string; md5Checksum: string });
    assert.equal(files.length, 2);
    assert.deepEqual(
      files.map((f) => f.itemCount),
      [3, 1],
    );
    for (const f of files) assert.match(f.dataFileS3Key, /^AWSDynamoDB\/.+\/data\/[a-z0-9]+\.json\.gz$/);
    // The manifest names the table: no --table needed.
    const target = memoryEngine();
    const report = await importItems(target, path, {
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'N' },
    });
    assert.equal(report.format, 'export-folder');
    assert.equal(report.tables[0]!.table, 'Rich');
    assertSameItems(target, source, 'Rich');
  });

  it('a database dump restores definitions and items, gzipped or not', async () => {
    for (const name of ['db.skdump', 'db.skdump.gz']) {
      const path = join(dir, name);
      const out = await dumpDatabase(source, path);
      assert.equal(out.items, RICH_ITEMS.length);
      const target = memoryEngine();
      const report = await restoreDatabase(target, path);
      assert.equal(report.committed, true);
      assertSameItems(target, source, 'Rich');
      // Indexes came back with the definition, and were filled.
      const q = target.execute('Query', {
        TableName: 'Rich',
        IndexName: 'byGsi',
        KeyConditionExpression: 'gsiPk = :g',
        ExpressionAttributeValues: { ':g': { S: 'g1' } },
      }) as { Count: number };
      assert.equal(q.Count, 2);
      const l = target.execute('Query', {
        TableName: 'Rich',
        IndexName: 'byLsi',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: '日本語' } },
      }) as { Count: number };
      assert.equal(l.Count, 1);
    }
  });

  it('plain JSON keeps numbers digit for digit, and sets and binary with --sets auto --binary base64-prefix', async () => {
    for (const format of ['json', 'ndjson'] as const) {
      const path = join(dir, `rich.plain.${format}`);
      await exportTable(source, 'Rich', path, { format, plain: { binary: 'prefix' } });
      const text = readFileSync(path, 'utf8');
      assert.ok(
        text.includes('12345678901234567890123456789012345678'),
        'the 38-digit number is written as a JSON number',
      );
      assert.ok(!text.includes('"N"'), 'no DynamoDB JSON in plain output');
      const target = memoryEngine();
      const report = await importItems(target, path, {
        table: 'Rich',
        partitionKey: { name: 'pk', type: 'S' },
        sortKey: { name: 'sk', type: 'N' },
        plain: { sets: 'auto', binary: 'prefix' },
      });
      assert.equal(report.rejected, 0, JSON.stringify(report.problems));
      assert.equal(report.format, format);
      assertSameItems(target, source, 'Rich');
    }
  });

  it('plain JSON without options: arrays stay lists, binary stays a string', async () => {
    const path = join(dir, 'plain-default.ndjson');
    await exportTable(source, 'Rich', path, { format: 'ndjson' });
    const target = memoryEngine();
    await importItems(target, path, {
      table: 'Rich',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'N' },
    });
    const first = storedItems(target, 'Rich').find((i) => 'big' in i)!;
    // Sets are stored sorted, so the exported list is in byte order.
    assert.deepEqual(first.ss, { L: [{ S: 'a' }, { S: 'b' }, { S: 'ü' }] });
    assert.deepEqual(first.bs, { L: [{ S: 'AAE=' }, { S: '/w==' }] });
    assert.equal('S' in first.bin!, true);
    assert.deepEqual(first.big, { N: '12345678901234567890123456789012345678' });
  });

  it('CSV keeps strings exactly and types keys (and typed columns)', async () => {
    const engine = memoryEngine();
    engine.execute('CreateTable', {
      TableName: 'People',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'n', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'id', KeyType: 'HASH' },
        { AttributeName: 'n', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    const people = [
      {
        id: { S: 'a,b' },
        n: { N: '12345678901234567890123456789012345678' },
        name: { S: 'Zoë "Z" O\'Neil' },
        note: { S: 'two\nlines, a comma' },
        age: { N: '41' },
      },
      { id: { S: '  spaced  ' }, n: { N: '-0.5' }, name: { S: '日本' }, note: { S: '' }, age: { N: '7' } },
      { id: { S: 'plain' }, n: { N: '0' }, name: { S: '=1+1' }, note: { S: '\r\nCRLF' }, age: { N: '0.25' } },
    ];
    for (const item of people) engine.execute('PutItem', { TableName: 'People', Item: item });
    const path = join(dir, 'people.csv');
    await exportTable(engine, 'People', path);
    const header = readFileSync(path, 'utf8').split('\r\n')[0];
    assert.equal(header, 'id,n,age,name,note');
    const target = memoryEngine();
    const report = await importItems(target, path, {
      table: 'People',
      partitionKey: { name: 'id', type: 'S' },
      sortKey: { name: 'n', type: 'N' },
      csv: { types: { age: 'N' }, empty: 'string' },
    });
    assert.equal(report.format, 'csv');
    assert.equal(report.rejected, 0, JSON.stringify(report.problems));
    assertSameItems(target, engine, 'People');
  });

  it('CSV with another delimiter and a header list', async () => {
    const engine = memoryEngine();
    engine.execute('CreateTable', {
      TableName: 'Tabs',
      AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    engine.execute('PutItem', { TableName: 'Tabs', Item: { k: { S: 'a\tb' }, v: { S: 'x;y' } } });
    const path = join(dir, 'tabs.tsv');
    await exportTable(engine, 'Tabs', path, { format: 'csv', csv: { delimiter: '\t', columns: ['k', 'v'] } });
    const body = readFileSync(path, 'utf8').split('\r\n').slice(1).join('\r\n');
    const headless = join(dir, 'headless.tsv');
    (await import('node:fs')).writeFileSync(headless, body);
    const target = memoryEngine();
    await importItems(target, headless, {
      table: 'Tabs',
      partitionKey: { name: 'k', type: 'S' },
      csv: { delimiter: '\t', header: ['k', 'v'] },
    });
    assertSameItems(target, engine, 'Tabs');
  });

  it('exports a Query and a Scan with a filter', async () => {
    const q = join(dir, 'query.jsonl');
    const r = await exportTable(
      source,
      {
        table: 'Rich',
        query: { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a#1' } } },
      },
      q,
    );
    assert.equal(r.items, 2);
    const lines = readFileSync(q, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { Item: { sk: { N: string } } });
    assert.deepEqual(
      lines.map((l) => l.Item.sk.N),
      ['-3.25', '1'],
    );
    const s = join(dir, 'scan.jsonl');
    const r2 = await exportTable(
      source,
      { table: 'Rich', scan: { FilterExpression: 'attribute_exists(lsiSk)' } },
      s,
    );
    assert.equal(r2.items, 2);
    const idx = join(dir, 'index.jsonl');
    const r3 = await exportTable(source, { table: 'Rich', scan: { IndexName: 'byGsi' } }, idx);
    assert.equal(r3.items, 2);
  });

  it('exports a PartiQL SELECT page by page', async () => {
    if (!source.has('ExecuteStatement')) return;
    const path = join(dir, 'statement.jsonl');
    const r = await exportTable(source, { statement: `SELECT * FROM "Rich" WHERE pk = 'a#1'` }, path);
    assert.equal(r.items, 2);
    assert.equal(r.tables[0]!.table, 'Rich');
    const target = memoryEngine();
    await importItems(target, path, {
      table: 'Rich',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'N' },
    });
    assert.equal(storedItems(target, 'Rich').length, 2);
  });

  it('batch-write output in chunks of 25 requests', async () => {
    const engine = memoryEngine();
    engine.execute('CreateTable', {
      TableName: 'Many',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 0; i < 60; i++)
      engine.execute('PutItem', { TableName: 'Many', Item: { id: { N: String(i) } } });
    const out = await exportTable(engine, 'Many', join(dir, 'many.json'), {
      format: 'batch-write',
      chunkSize: 25,
    });
    assert.deepEqual(
      out.files.map((f) => f.slice(dir.length + 1)),
      ['many-00001.json', 'many-00002.json', 'many-00003.json'],
    );
    const sizes = out.files.map(
      (f) => (JSON.parse(readFileSync(f, 'utf8')) as { Many: unknown[] }).Many.length,
    );
    assert.deepEqual(sizes, [25, 25, 10]);
    const target = memoryEngine();
    const report = await importItems(target, out.files, { partitionKey: { name: 'id', type: 'N' } });
    assert.equal(report.written, 60);
    assertSameItems(target, engine, 'Many');
  });

  it('batch-write into a folder: files of 25 requests named after the table, by default', async () => {
    const engine = memoryEngine();
    engine.execute('CreateTable', {
      TableName: 'Many',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 0; i < 60; i++)
      engine.execute('PutItem', { TableName: 'Many', Item: { id: { N: String(i) } } });
    const folder = join(dir, 'requests') + '/';
    const out = await exportTable(engine, 'Many', folder, { format: 'batch-write' });
    assert.deepEqual(readdirSync(folder).sort(), ['Many-00001.json', 'Many-00002.json', 'Many-00003.json']);
    assert.deepEqual(
      out.files.map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { Many: unknown[] }).Many.length),
      [25, 25, 10],
    );
    const target = memoryEngine();
    const report = await importItems(target, folder.slice(0, -1) + '/Many-00001.json', {
      partitionKey: { name: 'id', type: 'N' },
    });
    assert.equal(report.written, 25);
  });

  it('one-file formats exported into a folder are named after the table', async () => {
    const engine = memoryEngine();
    seedRich(engine);
    const folder = join(dir, 'into-folder');
    mkdirSync(folder);
    const names: Record<string, string> = {
      'scan-json': 'Rich.json',
      'ddb-jsonl': 'Rich.jsonl',
      'ddb-jsonl-gz': 'Rich.jsonl.gz',
      ndjson: 'Rich.ndjson',
      csv: 'Rich.csv',
      'sortkey-dump': 'Rich.skdump',
    };
    for (const [format, name] of Object.entries(names)) {
      const out = await exportTable(engine, 'Rich', folder, { format: format as ExportFormat });
      assert.deepEqual(out.files, [join(folder, name)], format);
      rmSync(join(folder, name));
    }
    assert.deepEqual(readdirSync(folder), [], 'no temporary file is left');
    // An existing folder without a format gets DynamoDB's export layout.
    const out = await exportTable(engine, 'Rich', folder);
    assert.equal(out.format, 'export-folder');
  });

  it('a failed export leaves no file behind, chunked batch-write included', async () => {
    const engine = memoryEngine();
    engine.execute('CreateTable', {
      TableName: 'Big',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 0; i < 5000; i++)
      engine.execute('PutItem', { TableName: 'Big', Item: { id: { N: String(i) } } });
    for (const format of ['batch-write', 'ddb-jsonl', 'csv'] as const) {
      const folder = join(dir, `failing-${format}`);
      mkdirSync(folder);
      const controller = new AbortController();
      await assert.rejects(
        exportTable(engine, 'Big', join(folder, 'out.json'), {
          format,
          signal: controller.signal,
          onProgress: (p) => {
            if (p.items > 0) controller.abort(new Error('stop'));
          },
        }),
      );
      assert.deepEqual(readdirSync(folder), [], format);
    }
  });

  it('an empty table exports and imports as empty in every format', async () => {
    const engine = memoryEngine();
    engine.execute('CreateTable', {
      TableName: 'Empty',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (const format of [...LOSSLESS, 'json', 'ndjson', 'csv'] as ExportFormat[]) {
      const path = join(dir, `empty.${format}`);
      const out = await exportTable(engine, 'Empty', path, { format });
      assert.equal(out.items, 0);
      const target = memoryEngine();
      const report = await importItems(target, format === 'batch-write' ? out.files : path, {
        table: 'Empty',
        partitionKey: { name: 'id', type: 'S' },
        ...(format === 'csv' ? { format: 'csv' } : {}),
      });
      assert.equal(report.rejected, 0, `${format}: ${JSON.stringify(report.problems)}`);
      assert.equal(report.written, 0);
    }
  });

  it('any items survive every lossless format (property)', async () => {
    const num = fc
      .tuple(
        fc.constantFrom('', '-'),
        fc.stringMatching(/^[1-9][0-9]{0,37}$/),
        fc.integer({ min: -90, max: 90 }),
      )
      .map(([sign, digits, exp]) => `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exp}`);
    const bin = fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('base64'));
    const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
      fc.string({ unit: 'binary' }).map((S) => ({ S })),
      num.map((N) => ({ N })),
      bin.map((B) => ({ B })),
      fc.boolean().map((BOOL) => ({ BOOL })),
      fc.constant({ NULL: true as const }),
      fc
        .uniqueArray(fc.string({ unit: 'binary', minLength: 1 }), { minLength: 1, maxLength: 4 })
        .map((SS) => ({ SS })),
      fc
        .uniqueArray(num, { minLength: 1, maxLength: 4, selector: (n) => normalizeNumber(n) })
        .map((NS) => ({ NS })),
      fc.uniqueArray(bin, { minLength: 1, maxLength: 3 }).map((BS) => ({ BS })),
    );
    const { value } = fc.letrec<{ value: AttributeValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('value'), { maxLength: 3 }).map((L) => ({ L })),
        fc
          .dictionary(fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), tie('value'), { maxKeys: 3 })
          .map((M) => ({ M })),
      ),
    }));
    const item = fc
      .dictionary(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), value, { maxKeys: 5 })
      .filter((m) => !('pk' in m) && !('__proto__' in m));
    const items = fc.uniqueArray(fc.tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }), item), {
      minLength: 1,
      maxLength: 8,
      selector: ([pk]) => pk,
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(items, fc.constantFrom(...LOSSLESS), async (list, format) => {
        const engine = memoryEngine();
        engine.execute('CreateTable', {
          TableName: 'Prop',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        });
        for (const [pk, attrs] of list)
          engine.execute('PutItem', { TableName: 'Prop', Item: { ...attrs, pk: { S: pk } } });
        const path = join(dir, `prop-${run++}.${format}`);
        const out = await exportTable(engine, 'Prop', path, { format });
        const target = memoryEngine();
        const report = await importItems(target, format === 'batch-write' ? out.files : path, {
          table: 'Prop',
          partitionKey: { name: 'pk', type: 'S' },
        });
        assert.equal(report.rejected, 0, JSON.stringify(report.problems));
        assertSameItems(target, engine, 'Prop');
      }),
      { numRuns: 60 },
    );
  });
});
