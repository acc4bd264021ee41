// History and saved queries beside the database (main/studio/query-store.ts): one file per database
// in Sortkey's home folder, shared by every backend on that database; requests are validated.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createStudioBackend } from '../../../main/studio/backend.js';
import { fileQueryStore, queryStorePath } from '../../../main/studio/query-store.js';
import { chooseEncoding } from '../../../main/studio/routes.js';
import { Engine } from '../../../engine/index.js';

const home = mkdtempSync(join(tmpdir(), 'sortkey-queries-'));

describe('studio query store', () => {
  const engine = Engine.inMemory();
  after(() => {
    engine.close();
    rmSync(home, { recursive: true, force: true });
  });

  function backendOn(database: string) {
    return createStudioBackend({
      engine,
      info: () => ({ version: '0', mode: 'browser', region: 'us-east-1', database }),
      queryStore: fileQueryStore(queryStorePath(database, home)),
    }) as unknown as { queries(a: unknown): Promise<{ history: unknown[]; saved: { name: string }[] }> };
  }

  it('keeps one file per database, shared by every backend on it', async () => {
    const a = backendOn('/data/app.sqlite');
    const b = backendOn('/data/app.sqlite');
    const other = backendOn('/data/other.sqlite');
    await a.queries({ op: 'save', name: 'all', statement: 'SELECT * FROM t' });
    await a.queries({ op: 'addHistory', entry: { statement: 'SELECT 1', at: 1, ok: true } });
    const seen = await b.queries({ op: 'list' });
    assert.deepEqual(
      seen.saved.map((q) => q.name),
      ['all'],
    );
    assert.equal(seen.history.length, 1);
    assert.deepEqual(await other.queries({ op: 'list' }), { history: [], saved: [] });
    assert.notEqual(queryStorePath('/data/app.sqlite', home), queryStorePath('/x/app.sqlite', home));
  });

  it('refuses malformed requests with a ValidationException', async () => {
    const a = backendOn('/data/app.sqlite');
    for (const bad of [{}, { op: 'nope' }, { op: 'save', name: '', statement: 'x' }, { op: 'addHistory' }]) {
      await assert.rejects(a.queries(bad), (e: { type?: string }) => e.type === 'ValidationException');
    }
  });

  it('imports what a browser kept in localStorage without duplicating', async () => {
    const a = backendOn('/data/imported.sqlite');
    await a.queries({ op: 'save', name: 'kept', statement: 'SELECT 2' });
    const r = await a.queries({
      op: 'import',
      history: [{ statement: 'SELECT 3', at: 5, ok: true }, { bad: true }],
      saved: [
        { name: 'kept', statement: 'SELECT other', savedAt: 1 },
        { name: 'new', statement: 'SELECT 4', savedAt: 1 },
      ],
    });
    assert.deepEqual(
      r.saved.map((q) => q.name),
      ['kept', 'new'],
    );
    assert.equal(r.history.length, 1);
  });

  it('keeps the open tabs beside the database, cleaned, and refuses a malformed list', async () => {
    const a = backendOn('/data/tabs.sqlite');
    const b = backendOn('/data/tabs.sqlite');
    await a.queries({ op: 'save', name: 'kept', statement: 'SELECT 1' });
    await a.queries({
      op: 'setTabs',
      tabs: {
        at: 7,
        tabs: [
          { id: 't1', kind: 'table', table: 'Orders', text: 'dropped' },
          { id: 'q1', kind: 'query', text: 'SELECT * FROM Orders' },
          { id: 'bad id!', kind: 'query' },
          { id: 't2', kind: 'table' },
          { id: 't3', kind: 'table', table: 'Orders', region: 'eu-west-1' },
          { id: 't4', kind: 'table', table: 'Orders', region: 'EU WEST' },
        ],
      },
    });
    const seen = (await b.queries({ op: 'list' })) as unknown as Record<string, unknown>;
    assert.deepEqual(seen.tabs, {
      at: 7,
      tabs: [
        { id: 't1', kind: 'table', table: 'Orders' },
        { id: 'q1', kind: 'query', text: 'SELECT * FROM Orders' },
        { id: 't3', kind: 'table', table: 'Orders', region: 'eu-west-1' },
      ],
    });
    assert.equal((seen.saved as unknown[]).length, 1);
    await assert.rejects(
      a.queries({ op: 'setTabs', tabs: [] }),
      (e: { type?: string }) => e.type === 'ValidationException',
    );
  });

  it('keeps each connection’s tabs apart (and the tab shown last), in the same file', async () => {
    const a = backendOn('/data/conn-tabs.sqlite');
    const b = backendOn('/data/conn-tabs.sqlite');
    const embedded = { at: 1, active: 't1', tabs: [{ id: 't1', kind: 'table', table: 'Orders' }] };
    const remote = {
      at: 2,
      active: 'q1',
      tabs: [
        { id: 't1', kind: 'table', table: 'Far' },
        { id: 'q1', kind: 'query', text: 'SELECT * FROM Far' },
      ],
    };
    await a.queries({ op: 'setTabs', tabs: embedded });
    await a.queries({ op: 'setTabs', tabs: remote, connection: 'c-1' });
    // An active tab that is not in the list is dropped; the embedded id is the plain `tabs`.
    await a.queries({ op: 'setTabs', tabs: { at: 3, active: 'zz', tabs: [] }, connection: 'c-2' });
    const seen = (await b.queries({ op: 'list' })) as unknown as Record<string, unknown>;
    assert.deepEqual(seen.tabs, embedded);
    assert.deepEqual(seen.connectionTabs, { 'c-1': remote, 'c-2': { at: 3, tabs: [] } });
    await a.queries({ op: 'setTabs', tabs: { at: 4, tabs: [] }, connection: 'embedded' });
    assert.deepEqual(((await b.queries({ op: 'list' })) as unknown as Record<string, unknown>).tabs, {
      at: 4,
      tabs: [],
    });
    await assert.rejects(
      a.queries({ op: 'setTabs', tabs: embedded, connection: '../x' }),
      (e: { type?: string }) => e.type === 'ValidationException',
    );
  });

  it('chooses brotli, then gzip, from Accept-Encoding', () => {
    assert.equal(chooseEncoding('gzip, deflate, br'), 'br');
    assert.equal(chooseEncoding('gzip'), 'gzip');
    assert.equal(chooseEncoding('br;q=0, gzip'), 'gzip');
    assert.equal(chooseEncoding('identity'), undefined);
    assert.equal(chooseEncoding(undefined), undefined);
  });
});
