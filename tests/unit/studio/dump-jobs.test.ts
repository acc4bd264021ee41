// The studio's import and export jobs (main/studio/dump-jobs.ts): every export format downloaded as
// one file, imports of an uploaded file with progress and the rejects report, all-or-nothing on a
// bad record, and Cancel leaving the table as it was.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { Header } from 'tar';
import { Engine } from '../../../engine/index.js';
import { exportTable } from '../../../engine/dump/index.js';
import { createStudioBackend, dumpJobsOf } from '../../../main/studio/backend.js';
import type { DumpJobs } from '../../../main/studio/dump-jobs.js';
import type { StudioBackend } from '../../../renderer/src/backend/api.js';
import { DUMP_EXPORT_FORMATS } from '../../../renderer/src/backend/workbench-api.js';
import type { DumpJobView } from '../../../renderer/src/backend/workbench-api.js';

function createTable(engine: Engine, name: string): void {
  engine.execute('CreateTable', {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

function getItem(engine: Engine, table: string, id: string): { v?: { S: string } } | undefined {
  return (
    engine.execute('GetItem', { TableName: table, Key: { id: { S: id } } }) as {
      Item?: { v?: { S: string } };
    }
  ).Item;
}

function count(engine: Engine, table: string): number {
  return (engine.execute('Scan', { TableName: table, Select: 'COUNT' }) as { Count: number }).Count;
}

describe('studio backend: import and export jobs', () => {
  let engine: Engine;
  let backend: StudioBackend;
  let jobs: DumpJobs;

  async function finished(view: DumpJobView): Promise<DumpJobView> {
    let v = view;
    while (v.state === 'running') {
      await new Promise((r) => setTimeout(r, 5));
      v = await backend.dumpProgress({ id: v.id });
    }
    return v;
  }

  async function upload(text: string): Promise<string> {
    return jobs.upload(Readable.from([Buffer.from(text)]), 'input');
  }

  before(() => {
    engine = Engine.inMemory();
    backend = createStudioBackend({
      engine,
      info: () => ({ version: '1', mode: 'browser', region: 'us-east-1' }),
    }) as unknown as StudioBackend;
    jobs = dumpJobsOf(backend as never)!;
    createTable(engine, 'Things');
    for (let i = 0; i < 5; i++)
      engine.execute('PutItem', {
        TableName: 'Things',
        Item: { id: { S: `t${i}` }, n: { N: String(i) }, kind: { S: i % 2 ? 'odd' : 'even' } },
      });
  });
  after(() => {
    jobs.close();
    engine.close();
  });

  it('exports a table in every format as one downloadable file, each importable again', async () => {
    for (const { id: format } of DUMP_EXPORT_FORMATS) {
      const v = await finished(await backend.dumpExport({ table: 'Things', format }));
      assert.equal(v.state, 'done', `${format}: ${v.error ?? ''}`);
      assert.equal(v.items, 5, format);
      assert.ok(v.fileName?.startsWith('Things.'), format);
      const file = jobs.file(v.id, 'result')!;
      const bytes = readFileSync(file.path);
      if (format === 'export-folder') {
        // A tar archive of DynamoDB's export layout.
        assert.match(bytes.subarray(257, 263).toString('latin1'), /^ustar\0/);
        assert.ok(bytes.includes(Buffer.from('manifest-summary.json')));
        // One folder, named after the table, as `tar -cf Things.tar Things` packs it.
        const names = execFileSync('tar', ['-tf', file.path]).toString().trim().split('\n');
        assert.ok(names.some((n) => n.endsWith('/manifest-summary.json')));
        for (const n of names) assert.match(n, /^Things\//);
      } else {
        const text = format === 'ddb-jsonl-gz' ? gunzipSync(bytes).toString() : bytes.toString();
        assert.ok(text.includes('t3'), format);
      }
      // The downloaded file as it is (gzipped, an archive) is what the import dialog takes back:
      // into a fresh table, the same 5 items, in pieces as the dialog sends it.
      const copy = `Copy-${format}`;
      createTable(engine, copy);
      const i = await finished(
        await backend.dumpImport({
          table: copy,
          upload: await uploadInPieces(bytes, file.name),
          format: 'auto',
        }),
      );
      assert.equal(i.state, 'done', `${format}: ${i.error ?? ''}`);
      assert.equal(i.report?.written, 5, format);
      assert.equal(count(engine, copy), 5, format);
    }
  });

  /** Sends `bytes` through dumpUpload, a few bytes at a time (as the dialog does, in bigger pieces). */
  async function uploadInPieces(
    bytes: Buffer,
    name: string,
    piece = Math.ceil(bytes.length / 3),
  ): Promise<string> {
    let id: string | undefined;
    let offset = 0;
    do {
      const r = await backend.dumpUpload({
        ...(id !== undefined ? { upload: id } : { name }),
        offset,
        data: bytes.subarray(offset, offset + piece).toString('base64'),
      });
      id = r.upload;
      offset += piece;
      assert.equal(r.size, Math.min(offset, bytes.length));
    } while (offset < bytes.length);
    return id;
  }

  it('imports an export folder as `sortkey export` writes it: a .tar.gz of it, or its files chosen as a folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sortkey-export-folder-'));
    try {
      await exportTable(engine as never, { table: 'Things' }, join(folder, 'things'), {
        format: 'export-folder',
      });
      const files = (function below(dir: string): string[] {
        return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? below(join(dir, e.name)) : [join(dir, e.name)],
        );
      })(join(folder, 'things'));
      assert.ok(files.some((f) => f.endsWith('manifest-files.json')));
      // Chosen as a folder: each file uploaded under its path inside the folder.
      createTable(engine, 'FromFolder');
      const uploads: string[] = [];
      for (const f of files)
        uploads.push(await uploadInPieces(readFileSync(f), relative(folder, f).split(sep).join('/')));
      const v = await finished(
        await backend.dumpImport({ table: 'FromFolder', uploads, format: 'export-folder' }),
      );
      assert.equal(v.state, 'done', v.error);
      assert.equal(v.report?.written, 5);
      assert.equal(count(engine, 'FromFolder'), 5);
      // Packed with tar -czf (GNU tar's own format).
      const archive = join(folder, 'things.tar.gz');
      execFileSync('tar', ['-czf', archive, '-C', folder, 'things']);
      createTable(engine, 'FromTgz');
      const t = await finished(
        await backend.dumpImport({
          table: 'FromTgz',
          upload: await uploadInPieces(readFileSync(archive), 'things.tar.gz'),
        }),
      );
      assert.equal(t.state, 'done', t.error);
      assert.equal(t.report?.written, 5);
      assert.equal(count(engine, 'FromTgz'), 5);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses pieces out of order, paths that leave the folder, and a non-archive as an export folder', async () => {
    const id = await uploadInPieces(Buffer.from('{"id":"x"}\n'), 'x.jsonl');
    await assert.rejects(
      backend.dumpUpload({ upload: id, offset: 0, data: 'AA==' }),
      (e: { type?: string; message?: string }) =>
        e.type === 'ValidationException' && /next piece/.test(e.message!),
    );
    await assert.rejects(backend.dumpUpload({ name: 'y', data: '***' }), /base64/);
    const evil = await uploadInPieces(Buffer.from('{}'), '../../etc/evil.json');
    await assert.rejects(
      backend.dumpImport({ table: 'Things', uploads: [evil] }),
      (e: { type?: string }) => e.type === 'ValidationException',
    );
    const v = await finished(
      await backend.dumpImport({ table: 'Things', upload: id, format: 'export-folder' }),
    );
    assert.equal(v.state, 'failed');
    assert.match(v.error!, /not a \.tar or \.tar\.gz of an export folder/);
    // An archive with a path that leaves the folder, or a link, fails the import and names why.
    for (const [path, type, why] of [
      [
        '../../escaped.json',
        'File',
        /evil\.tar: "\.\.\/\.\.\/escaped\.json" is not a path inside the folder/,
      ],
      ['things/link', 'SymbolicLink', /evil\.tar: "things\/link" is a symbolic link/],
    ] as const) {
      const header = new Header({
        path,
        type,
        size: 0,
        mode: 0o644,
        mtime: new Date(0),
        ...(type === 'SymbolicLink' ? { linkpath: '/' } : {}),
      });
      header.encode();
      const archive = Buffer.concat([header.block!, Buffer.alloc(1024)]);
      const h = await finished(
        await backend.dumpImport({ table: 'Things', upload: await uploadInPieces(archive, 'evil.tar') }),
      );
      assert.equal(h.state, 'failed', path);
      assert.match(h.error!, why);
    }
    // A discarded upload is gone.
    const gone = await uploadInPieces(Buffer.from('{"id":"z"}'), 'z.jsonl');
    await backend.dumpUpload({ upload: gone, discard: true });
    await assert.rejects(backend.dumpImport({ table: 'Things', upload: gone }), /upload/);
  });

  it('reads an export back in pieces (the desktop app has no HTTP download)', async () => {
    const v = await finished(await backend.dumpExport({ table: 'Things', format: 'csv' }));
    const whole = readFileSync(jobs.file(v.id, 'result')!.path);
    const first = await backend.dumpRead({ id: v.id });
    assert.equal(first.size, whole.length);
    assert.equal(first.next, whole.length);
    assert.deepEqual(Buffer.from(first.data, 'base64'), whole);
    const tail = await backend.dumpRead({ id: v.id, offset: 5 });
    assert.deepEqual(Buffer.from(tail.data, 'base64'), whole.subarray(5));
    await assert.rejects(backend.dumpRead({ id: v.id, which: 'rejects' }), /No rejects file/);
  });

  it('exports what a Query or Scan of the table browser reads', async () => {
    const v = await finished(
      await backend.dumpExport({
        table: 'Things',
        format: 'ndjson',
        read: {
          operation: 'Scan',
          input: {
            TableName: 'ignored',
            FilterExpression: 'kind = :k',
            ExpressionAttributeValues: { ':k': { S: 'odd' } },
            Limit: 1,
          },
        },
      }),
    );
    assert.equal(v.state, 'done', v.error);
    const lines = readFileSync(jobs.file(v.id, 'result')!.path, 'utf8').trim().split('\n');
    assert.equal(lines.length, 2);
    for (const l of lines) assert.equal((JSON.parse(l) as { kind: string }).kind, 'odd');
  });

  it('refuses an unknown format and a missing table', async () => {
    await assert.rejects(
      backend.dumpExport({ table: 'Things', format: 'xml' as never }),
      /format must be one of/,
    );
    const v = await finished(await backend.dumpExport({ table: 'Nope', format: 'csv' }));
    assert.equal(v.state, 'failed');
    assert.match(v.error ?? '', /Nope does not exist/);
  });

  it('a bad line writes nothing and reports the record; the rejects file lists it', async () => {
    const before = count(engine, 'Things');
    const text = ['{"id":{"S":"new1"},"a":{"N":"1"}}', '{"id":{"N":"2"}}', '{"id":{"S":"new3"}}'].join('\n');
    const v = await finished(
      await backend.dumpImport({ table: 'Things', upload: await upload(text), format: 'ddb-jsonl' }),
    );
    assert.equal(v.state, 'done', v.error);
    assert.equal(v.report?.committed, false);
    assert.equal(v.report?.rejected, 1);
    assert.equal(v.report?.problems[0]?.line, 2);
    assert.ok(v.rejectsFile);
    const rejects = readFileSync(jobs.file(v.id, 'rejects')!.path, 'utf8');
    assert.match(rejects, /"line":2/);
    assert.equal(count(engine, 'Things'), before);
    assert.equal(getItem(engine, 'Things', 'new1'), undefined);
  });

  it('with continueOnError, writes the good records and sets the bad one aside', async () => {
    createTable(engine, 'Partial');
    const text = '{"id":"a"}\n{"nokey":1}\n{"id":"c"}\n';
    const v = await finished(
      await backend.dumpImport({ table: 'Partial', text, format: 'ndjson', continueOnError: true }),
    );
    assert.equal(v.report?.written, 2);
    assert.equal(v.report?.rejected, 1);
    assert.equal(count(engine, 'Partial'), 2);
  });

  it('Cancel stops an import and leaves the table as it was', async () => {
    createTable(engine, 'Cancelled');
    engine.execute('PutItem', { TableName: 'Cancelled', Item: { id: { S: 'k0' }, v: { S: 'before' } } });
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(`{"id":{"S":"k${i}"},"v":{"S":"after"}}`);
    const started = await backend.dumpImport({
      table: 'Cancelled',
      upload: await upload(lines.join('\n')),
      format: 'ddb-jsonl',
    });
    const cancelling = await backend.dumpCancel({ id: started.id });
    const v = await finished(cancelling);
    assert.equal(v.state, 'cancelled');
    assert.equal(count(engine, 'Cancelled'), 1);
    assert.equal(getItem(engine, 'Cancelled', 'k0')?.v?.S, 'before');
  });

  it('imports and exports in the region the studio shows, not the engine default', async () => {
    const eu = { region: 'eu-west-1', accountId: engine.defaultNamespace.accountId };
    await backend.useRegion({ region: 'eu-west-1' });
    try {
      engine.execute(
        'CreateTable',
        {
          TableName: 'Regional',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
        eu,
      );
      const i = await finished(
        await backend.dumpImport({ table: 'Regional', text: '{"id":"x"}\n{"id":"y"}\n', format: 'ndjson' }),
      );
      assert.equal(i.state, 'done', i.error);
      assert.equal(i.report?.written, 2);
      const scan = engine.execute('Scan', { TableName: 'Regional', Select: 'COUNT' }, eu) as {
        Count: number;
      };
      assert.equal(scan.Count, 2);
      const e = await finished(await backend.dumpExport({ table: 'Regional', format: 'ndjson' }));
      assert.equal(e.state, 'done', e.error);
      assert.equal(e.items, 2);
    } finally {
      await backend.useRegion({ region: engine.defaultNamespace.region });
    }
  });

  it('an import needs an upload or text, and a known job id for progress', async () => {
    await assert.rejects(backend.dumpImport({ table: 'Things' }), /upload .* or text is required/);
    await assert.rejects(backend.dumpProgress({ id: 'nope' }), /No import or export job/);
  });
});
