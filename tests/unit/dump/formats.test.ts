// Reading what other tools write: aws dynamodb scan output, batch-write-item files, a DynamoDB
// export-to-S3 folder, gzip under any name, plain JSON and CSV — with format detection.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { detectFormat, importItems } from '../../../engine/dump/index.js';
import { Engine } from '../../../engine/engine.js';
import { memoryEngine, scratchDir, storedItems, tableExists } from './helpers.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'dump');
const fixture = (name: string) => join(FIXTURES, name);
const ORDERS = { table: 'Orders', partitionKey: { name: 'pk', type: 'S' as const } };

describe('formats other tools write', () => {
  const dir = scratchDir();

  it('aws dynamodb scan --output json (pretty-printed)', async () => {
    const engine = memoryEngine();
    const report = await importItems(engine, fixture('aws-scan.json'), ORDERS);
    assert.equal(report.format, 'scan-json');
    assert.equal(report.written, 3);
    const items = storedItems(engine, 'Orders');
    const byPk = Object.fromEntries(items.map((i) => [(i.pk as { S: string }).S, i]));
    assert.deepEqual(byPk['order#2']!.total, { N: '100000000000000000000000000000000000.01' });
    assert.deepEqual(byPk['order#2']!.receipt, { B: 'UERGLTEuNA==' });
    assert.deepEqual(byPk['order#1']!.lines, { L: [{ M: { sku: { S: 'A-1' }, qty: { N: '2' } } }] });
    assert.deepEqual(byPk['order#3']!.note, { NULL: true });
  });

  it('several scan outputs one after another (paged output concatenated)', async () => {
    const one = readFileSync(fixture('aws-scan.json'), 'utf8');
    const path = join(dir, 'pages.json');
    writeFileSync(path, one + one.replace(/order#/g, 'other#'));
    const engine = memoryEngine();
    const report = await importItems(engine, path, ORDERS);
    assert.equal(report.written, 6);
  });

  it('a scan output that is only one page says so', async () => {
    const text =
      '{"Items":[{"pk":{"S":"a"}}],"Count":1,"ScannedCount":1,"LastEvaluatedKey":{"pk":{"S":"a"}}}';
    const report = await importItems(memoryEngine(), { name: 'page.json', text }, ORDERS);
    assert.equal(report.written, 1);
    assert.deepEqual(report.warnings, [
      'page.json:1: this is one page of a scan (it has LastEvaluatedKey): items after it are not in the file',
    ]);
  });

  it('batch-write-item request files: puts and deletes, the table from the file', async () => {
    const engine = memoryEngine();
    await importItems(engine, fixture('aws-scan.json'), ORDERS);
    const report = await importItems(engine, fixture('batch-write.json'), {});
    assert.equal(report.format, 'batch-write');
    assert.equal(report.written, 2);
    assert.equal(report.deleted, 1);
    const pks = storedItems(engine, 'Orders')
      .map((i) => (i.pk as { S: string }).S)
      .sort();
    assert.deepEqual(pks, ['order#1', 'order#2', 'order#9']);
    assert.deepEqual(
      storedItems(engine, 'Orders').find((i) => (i.pk as { S: string }).S === 'order#1')!.total,
      { N: '5' },
    );
  });

  it('a batch-write file names a table that does not exist: a clear error, nothing created', async () => {
    const engine = memoryEngine();
    await assert.rejects(importItems(engine, fixture('batch-write.json'), {}), /table Orders does not exist/);
    assert.equal(tableExists(engine, 'Orders'), false);
  });

  it('a DynamoDB export folder, from the folder, from above it, or from its manifest', async () => {
    for (const path of [
      fixture('export/AWSDynamoDB/01700000000000-abcdef12'),
      fixture('export'),
      fixture('export/AWSDynamoDB/01700000000000-abcdef12/manifest-summary.json'),
    ]) {
      const engine = memoryEngine();
      const report = await importItems(engine, path, {
        partitionKey: { name: 'pk', type: 'S' },
        sortKey: { name: 'sk', type: 'N' },
        ...(path.endsWith('.json') ? { format: 'export-folder' as const } : {}),
      });
      assert.equal(report.rejected, 0, JSON.stringify(report.problems));
      assert.equal(report.format, 'export-folder');
      assert.equal(report.tables[0]!.table, 'Events', 'the table name comes from the manifest');
      assert.equal(report.written, 3);
      const items = storedItems(engine, 'Events');
      assert.deepEqual(items.find((i) => 'm' in i)!.m, { M: { deep: { L: [{ NULL: true }] } } });
    }
  });

  it("reads the engine's own ExportTableToPointInTime output, full and incremental", async () => {
    const root = join(dir, 'pitr-exports');
    let now = Date.UTC(2024, 0, 1);
    const engine = Engine.inMemory({ ttlSweepIntervalMs: 0, exportRoot: root, now: () => now });
    engine.execute('CreateTable', {
      TableName: 'Things',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    engine.execute('UpdateContinuousBackups', {
      TableName: 'Things',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    engine.execute('PutItem', { TableName: 'Things', Item: { pk: { S: 'a' }, n: { N: '1' } } });
    engine.execute('PutItem', { TableName: 'Things', Item: { pk: { S: 'b' }, bs: { BS: ['AQ=='] } } });
    now += 60_000;
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/Things';
    engine.execute('ExportTableToPointInTime', { TableArn: arn, S3Bucket: 'bucket', S3Prefix: 'full' });
    const local = memoryEngine();
    const full = await importItems(local, join(root, 'bucket', 'full'), {
      partitionKey: { name: 'pk', type: 'S' },
    });
    assert.equal(full.rejected, 0, JSON.stringify(full.problems));
    assert.equal(full.tables[0]!.table, 'Things');
    assert.deepEqual(storedItems(local, 'Things'), storedItems(engine, 'Things'));
    // An incremental export: b deleted, c added — NewImage lines are puts, the others deletes.
    const from = now;
    now += 1000;
    engine.execute('DeleteItem', { TableName: 'Things', Key: { pk: { S: 'b' } } });
    engine.execute('PutItem', { TableName: 'Things', Item: { pk: { S: 'c' } } });
    now += 60_000;
    engine.execute('ExportTableToPointInTime', {
      TableArn: arn,
      S3Bucket: 'bucket',
      S3Prefix: 'incremental',
      ExportType: 'INCREMENTAL_EXPORT',
      IncrementalExportSpecification: {
        ExportFromTime: from / 1000,
        ExportToTime: (now - 1000) / 1000,
        ExportViewType: 'NEW_IMAGE',
      },
    });
    const inc = await importItems(local, join(root, 'bucket', 'incremental'), {});
    assert.equal(inc.rejected, 0, JSON.stringify(inc.problems));
    assert.equal(inc.deleted, 1);
    assert.deepEqual(storedItems(local, 'Things'), storedItems(engine, 'Things'));
  });

  it('an export folder whose data file does not match the manifest is refused', async () => {
    const copy = join(dir, 'damaged');
    cpSync(fixture('export'), copy, { recursive: true });
    const data = join(copy, 'AWSDynamoDB/01700000000000-abcdef12/data/k1q2w3e4r5t6y7u8i9o0p1a2s3.json.gz');
    writeFileSync(data, gzipSync('{"Item":{"pk":{"S":"p#1"},"sk":{"N":"1"}}}\n'));
    const engine = memoryEngine();
    const report = await importItems(engine, copy, {
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'N' },
    });
    assert.equal(report.committed, false);
    const reasons = report.problems.map((p) => p.reason).join('\n');
    assert.match(reasons, /manifest lists 2 items for this file, it holds 1/);
    assert.match(reasons, /MD5 .* differs from the manifest/);
    assert.equal(tableExists(engine, 'Events'), false);
  });

  it('an export folder missing a data file is an error before anything is read', async () => {
    const copy = join(dir, 'missing');
    cpSync(fixture('export'), copy, { recursive: true });
    rmSync(join(copy, 'AWSDynamoDB/01700000000000-abcdef12/data/z9x8c7v6b5n4m3l2k1j0h9g8f7.json.gz'));
    await assert.rejects(
      importItems(memoryEngine(), copy, { partitionKey: { name: 'pk', type: 'S' } }),
      /data file .* is missing/,
    );
  });

  it('gzip is detected from the bytes, whatever the name', async () => {
    const text = readFileSync(fixture('aws-scan.json'));
    for (const name of ['scan.json.gz', 'scan.json', 'scan.data']) {
      const path = join(dir, name);
      writeFileSync(path, gzipSync(text));
      const engine = memoryEngine();
      const report = await importItems(engine, path, ORDERS);
      assert.equal(report.format, 'scan-json');
      assert.equal(report.written, 3, name);
    }
    // Concatenated gzip members (what `cat a.gz b.gz` makes) read as one stream.
    const path = join(dir, 'two-members.jsonl.gz');
    writeFileSync(
      path,
      Buffer.concat([gzipSync('{"Item":{"pk":{"S":"x"}}}\n'), gzipSync('{"Item":{"pk":{"S":"y"}}}\n')]),
    );
    const report = await importItems(memoryEngine(), path, ORDERS);
    assert.equal(report.written, 2);
  });

  it('a truncated gzip is an error and writes nothing', async () => {
    const gz = gzipSync(readFileSync(fixture('aws-scan.json')));
    const path = join(dir, 'truncated.json.gz');
    writeFileSync(path, gz.subarray(0, gz.length - 20));
    const engine = memoryEngine();
    const report = await importItems(engine, path, ORDERS);
    assert.equal(report.committed, false);
    assert.ok(report.rejected >= 1);
    assert.equal(tableExists(engine, 'Orders'), false);
  });

  it('plain NDJSON: numbers exactly as written, arrays as lists or sets', async () => {
    const engine = memoryEngine();
    const report = await importItems(engine, fixture('plain.ndjson'), {
      table: 'Plain',
      partitionKey: { name: 'id', type: 'N' },
      plain: { sets: 'auto' },
    });
    assert.equal(report.format, 'ndjson');
    const [one, two] = storedItems(engine, 'Plain').sort(
      (a, b) => Number((a.id as { N: string }).N) - Number((b.id as { N: string }).N),
    );
    assert.deepEqual(one!.big, { N: '123456789012345678901234567890.12345678' });
    assert.deepEqual(one!.price, { N: '0.1' });
    assert.deepEqual(one!.tags, { SS: ['a', 'b'] });
    assert.deepEqual(one!.meta, { M: { ok: { BOOL: true }, none: { NULL: true } } });
    assert.deepEqual(two!.price, { N: '0.0000001' });
    assert.deepEqual(two!.big, { N: '-1' + '0'.repeat(100) });
    assert.deepEqual(two!.tags, { L: [] });
  });

  it('plain JSON arrays, pretty-printed, with numbers beyond doubles', async () => {
    const path = join(dir, 'plain.json');
    writeFileSync(
      path,
      '[\n  {\n    "id": "a",\n    "n": 3.141592653589793238462643383279502884\n  },\n  {"id": "b", "n": -0.000000000000000000000000000000000000000001}\n]\n',
    );
    const engine = memoryEngine();
    const report = await importItems(engine, path, {
      table: 'PiTable',
      partitionKey: { name: 'id', type: 'S' },
    });
    assert.equal(report.format, 'json');
    const items = storedItems(engine, 'PiTable');
    assert.deepEqual(items.find((i) => (i.id as { S: string }).S === 'a')!.n, {
      N: '3.141592653589793238462643383279502884',
    });
    assert.deepEqual(items.find((i) => (i.id as { S: string }).S === 'b')!.n, {
      N: '-0.000000000000000000000000000000000000000001',
    });
  });

  it('an array of DynamoDB JSON items (jq .Items output) is told from plain JSON', async () => {
    const scan = JSON.parse(readFileSync(fixture('aws-scan.json'), 'utf8')) as { Items: unknown[] };
    const path = join(dir, 'items.json');
    writeFileSync(path, JSON.stringify(scan.Items, null, 2));
    const engine = memoryEngine();
    const report = await importItems(engine, path, ORDERS);
    assert.equal(report.format, 'ddb-json');
    assert.equal(report.written, 3);
  });

  it('CSV: key columns typed, the rest strings, empty cells left out (or typed with --csv-types)', async () => {
    const engine = memoryEngine();
    const report = await importItems(engine, fixture('people.csv'), {
      table: 'People',
      partitionKey: { name: 'email', type: 'S' },
    });
    assert.equal(report.format, 'csv');
    assert.equal(report.written, 3);
    const grace = storedItems(engine, 'People').find(
      (i) => (i.email as { S: string }).S === 'grace@example.com',
    )!;
    assert.deepEqual(grace, {
      email: { S: 'grace@example.com' },
      name: { S: 'Grace "Amazing" Hopper' },
      age: { S: '85' },
      city: { S: 'Arlington, VA' },
    });
    const linus = storedItems(engine, 'People').find(
      (i) => (i.email as { S: string }).S === 'linus@example.com',
    )!;
    assert.equal('age' in linus, false);
    const typed = memoryEngine();
    await importItems(typed, fixture('people.csv'), {
      table: 'People',
      partitionKey: { name: 'email', type: 'S' },
      csv: { types: { age: 'N' } },
    });
    const ada = storedItems(typed, 'People').find((i) => (i.email as { S: string }).S === 'ada@example.com')!;
    assert.deepEqual(ada.age, { N: '36' });
  });

  it('detects formats from content', () => {
    const cases: [string, string, string][] = [
      ['{"Items":[],"Count":0}', 'x.json', 'scan-json'],
      ['{\n  "Items": [\n', 'x.json', 'scan-json'],
      ['{"Item":{"a":{"S":"b"}}}\n{"Item":{"a":{"S":"c"}}}\n', 'x.json', 'ddb-jsonl'],
      ['{"a":{"S":"b"}}\n', 'x.json', 'ddb-jsonl'],
      ['{"a":"b","n":1}\n{"a":"c"}\n', 'x.json', 'ndjson'],
      ['[{"a":"b"}]', 'x.json', 'json'],
      ['[{"a":{"N":"1"}}]', 'x.json', 'ddb-json'],
      ['{"T":[{"PutRequest":{"Item":{}}}]}', 'x.json', 'batch-write'],
      ['{\n "T": [\n  {"DeleteRequest": {"Key": {}}}', 'x.json', 'batch-write'],
      ['{"sortkeyDump":1}\n', 'x', 'sortkey-dump'],
      ['a,b\n1,2\n', 'x.txt', 'csv'],
      ['{"a":1}', 'x.csv', 'csv'],
      ['{\n  "a": 1,\n  "b": "two"\n}\n', 'x.json', 'json'],
    ];
    for (const [head, name, format] of cases) assert.equal(detectFormat(head, name).format, format, head);
    assert.throws(() => detectFormat('hello world', 'x.txt'), /cannot tell the format/);
  });

  it('reads from a stream (stdin) and from text in memory', async () => {
    const engine = memoryEngine();
    const { Readable } = await import('node:stream');
    const chunks = ['{"Item":{"pk":', '{"S":"é', '"}}}\n{"Item":{"pk":{"S":"b"}}}'].map((s) =>
      Buffer.from(s),
    );
    // Split a UTF-8 character across chunks too.
    const bytes = Buffer.concat(chunks);
    const split = [bytes.subarray(0, 15), bytes.subarray(15, 16), bytes.subarray(16)];
    const report = await importItems(engine, { name: 'stdin', stream: Readable.from(split) }, ORDERS);
    assert.equal(report.written, 2);
    assert.ok(storedItems(engine, 'Orders').some((i) => (i.pk as { S: string }).S === 'é'));
    const r2 = await importItems(engine, { name: 'paste', text: '[{"pk":"plain"}]' }, ORDERS);
    assert.equal(r2.written, 1);
  });

  it('several files in one import, one transaction', async () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    copyFileSync(fixture('bad.jsonl'), b);
    writeFileSync(a, '{"Item":{"pk":{"S":"from-a"}}}\n');
    const engine = memoryEngine();
    const report = await importItems(engine, [a, b], ORDERS);
    assert.equal(report.committed, false, 'a bad record in b keeps a out too');
    assert.equal(tableExists(engine, 'Orders'), false);
    const ok = await importItems(engine, [a, fixture('aws-scan.json')], ORDERS);
    assert.equal(ok.written, 4);
  });
});
