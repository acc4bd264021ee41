// The desktop app's import and export (issue #19, studio point 3, desktop): the window has no HTTP
// route, so its dialog sends files with dumpUpload pieces and reads exports back with dumpRead, all
// through the engine host (main/electron/engine-host.ts) on its worker thread, as Electron's main
// process forwards the window's calls. Started here in plain Node, exactly as the main process
// starts it: export in every format, read back in pieces, imported again (the export folder's
// archive included), a bad record's rejects report, and Cancel.
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { startEngineHost } from '../../../main/electron/engine-client.js';
import type { EngineHost } from '../../../main/electron/engine-client.js';
import { DUMP_EXPORT_FORMATS, DUMP_UPLOAD_BYTES } from '../../../renderer/src/backend/workbench-api.js';
import type {
  DumpJobView,
  DumpReadResult,
  DumpUploadResult,
} from '../../../renderer/src/backend/workbench-api.js';

const HOST = new URL('./fixtures/engine-host-tsx.mjs', import.meta.url);

describe('desktop engine host: import and export from the window', () => {
  let host: EngineHost;

  /** A call through the host that must succeed. */
  async function call<T>(method: string, args: unknown): Promise<T> {
    const answer = await host.call(method, args);
    if (!answer.ok) throw Object.assign(new Error(answer.error.message), { type: answer.error.type });
    return answer.value as T;
  }

  async function finished(view: DumpJobView): Promise<DumpJobView> {
    let v = view;
    while (v.state === 'running') {
      await new Promise((r) => setTimeout(r, 10));
      v = await call<DumpJobView>('dumpProgress', { id: v.id });
    }
    return v;
  }

  /** What the dialog's save does in the desktop app: the file read in pieces. */
  async function readBack(id: string, which: 'result' | 'rejects' = 'result'): Promise<Buffer> {
    const parts: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const piece = await call<DumpReadResult>('dumpRead', { id, which, offset });
      parts.push(Buffer.from(piece.data, 'base64'));
      offset = piece.next;
      if (offset >= piece.size) break;
    }
    return Buffer.concat(parts);
  }

  /** What the dialog's upload does: pieces of at most DUMP_UPLOAD_BYTES. */
  async function upload(bytes: Buffer, name: string): Promise<string> {
    let id: string | undefined;
    let offset = 0;
    do {
      const piece = bytes.subarray(offset, offset + DUMP_UPLOAD_BYTES);
      const r = await call<DumpUploadResult>('dumpUpload', {
        ...(id !== undefined ? { upload: id } : { name }),
        offset,
        data: piece.toString('base64'),
      });
      id = r.upload;
      offset += piece.length;
    } while (offset < bytes.length);
    return id;
  }

  const createTable = (name: string) =>
    call('createTable', {
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
  const countOf = async (table: string): Promise<number> =>
    (await call<{ items: unknown[] }>('executeStatement', { statement: `SELECT id FROM "${table}"` })).items
      .length;

  before(async () => {
    host = await startEngineHost(
      { db: ':memory:', region: 'us-east-1', endpointPort: null, version: '1' },
      HOST,
    );
    await createTable('Notes');
    for (let i = 0; i < 7; i++)
      await call('putItem', { table: 'Notes', item: { id: { S: `n${i}` }, n: { N: String(i) } } });
  });
  after(async () => {
    await host?.close();
  });

  it('exports every format, reads it back in pieces, and imports it again through the host', async () => {
    for (const { id: format } of DUMP_EXPORT_FORMATS) {
      const v = await finished(await call<DumpJobView>('dumpExport', { table: 'Notes', format }));
      assert.equal(v.state, 'done', `${format}: ${v.error ?? ''}`);
      const bytes = await readBack(v.id);
      if (format === 'ddb-jsonl-gz') assert.match(gunzipSync(bytes).toString(), /"n6"/);
      if (format === 'export-folder') assert.equal(bytes.subarray(257, 262).toString('latin1'), 'ustar');
      const copy = `Copy-${format}`;
      await createTable(copy);
      const i = await finished(
        await call<DumpJobView>('dumpImport', { table: copy, upload: await upload(bytes, v.fileName!) }),
      );
      assert.equal(i.state, 'done', `${format}: ${i.error ?? ''}`);
      assert.equal(i.report?.written, 7, format);
      assert.equal(await countOf(copy), 7, format);
    }
  });

  it('a bad record writes nothing and its rejects report is read back; Cancel leaves the table as it was', async () => {
    await createTable('Strict');
    const bad = Buffer.from('{"id":"a"}\n{"id":5}\n');
    const v = await finished(
      await call<DumpJobView>('dumpImport', { table: 'Strict', upload: await upload(bad, 'bad.ndjson') }),
    );
    assert.equal(v.state, 'done');
    assert.equal(v.report?.committed, false);
    assert.equal(v.report?.problems[0]?.line, 2);
    const rejected = JSON.parse((await readBack(v.id, 'rejects')).toString()) as {
      line: number;
      record: string;
    };
    assert.equal(rejected.line, 2);
    assert.equal(rejected.record, '{"id":5}');
    assert.equal(await countOf('Strict'), 0);

    // A big upload cancelled once its job started: nothing stays in the table.
    const lines = Array.from({ length: 30_000 }, (_, i) => `{"id":"b${i}","pad":"${'x'.repeat(40)}"}`);
    const id = await upload(Buffer.from(lines.join('\n') + '\n'), 'big.ndjson');
    const job = await call<DumpJobView>('dumpImport', { table: 'Strict', upload: id });
    await call('dumpCancel', { id: job.id });
    const done = await finished(job);
    assert.ok(done.state === 'cancelled' || done.state === 'done', done.state);
    if (done.state === 'cancelled') assert.equal(await countOf('Strict'), 0);
  });
});
