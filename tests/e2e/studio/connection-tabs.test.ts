// Tabs per connection (issue #19, studio points 1 and 2): a table tab names a table of one
// connection, so each connection keeps its own tabs. Switching to another connection puts the open
// tabs away and shows that connection's (never a "No table" tab of the previous one); switching back
// brings them back, and both sets are kept beside the database, so they come back after a reload
// that starts from the backend's copy alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import { startServer } from '../../../main/server/index.js';
import type { SortkeyServer } from '../../../main/server/index.js';
import type { ConnectionsState, QueryState } from '../../../renderer/src/backend/api.js';
import type { Studio } from './support.js';
import {
  createOrdersTable,
  openStudio,
  screenshotOnFailure,
  seedItems,
  setEditorText,
  skipBrowser,
  startStudio,
  waitForEditorText,
  waitForText,
} from './support.js';

const EDITOR = '[data-testid=partiql-editor]';
const REMOTE_TEXT = 'SELECT * FROM "Far"';

describe('studio: tabs per connection', { skip: skipBrowser }, () => {
  let s: Studio;
  let remoteEngine: Engine;
  let remote: SortkeyServer;

  before(async () => {
    if (skipBrowser) return;
    remoteEngine = Engine.inMemory();
    createOrdersTable(remoteEngine, 'Far');
    seedItems(remoteEngine, 'Far', 2, (i) => ({ pk: { S: 'f' }, sk: { N: String(i) } }));
    remote = await startServer({ engine: remoteEngine, port: 0, host: '127.0.0.1', sharedDb: true });
    s = await startStudio();
    createOrdersTable(s.engine, 'Orders');
    createOrdersTable(s.engine, 'Customers');
    seedItems(s.engine, 'Orders', 3, (i) => ({ pk: { S: 'a' }, sk: { N: String(i) } }));
  });
  after(async () => {
    await s?.close();
    await remote?.close();
    remoteEngine?.close();
  });

  const titles = (): Promise<string[]> =>
    s.page.locator('[data-testid=open-tab] .open-tab-title').allTextContents();
  const activeTitle = (): Promise<string | null> =>
    s.page.locator('[data-testid=open-tab].active .open-tab-title').textContent();
  async function waitForTitles(expected: string[]): Promise<void> {
    for (let i = 0; i < 100 && JSON.stringify(await titles()) !== JSON.stringify(expected); i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await titles(), expected);
  }
  const idOf = async (name: string): Promise<string> =>
    ((await s.api('connections', { op: 'list' })) as ConnectionsState).connections.find(
      (c) => c.name === name,
    )!.id;
  /** The tabs the backend keeps, per connection, once they equal `expected`. */
  async function storedTabs(expected: Record<string, string[] | undefined>): Promise<void> {
    let seen: Record<string, string[] | undefined> = {};
    for (let i = 0; i < 100; i++) {
      const state = (await s.api('queries', { op: 'list' })) as QueryState;
      const names = (t: QueryState['tabs']): string[] | undefined =>
        t?.tabs.map((x) => (x.kind === 'table' ? `table ${x.table}` : `query ${x.text}`));
      seen = Object.fromEntries(
        Object.keys(expected).map((c) => [
          c,
          names(c === 'embedded' ? state.tabs : state.connectionTabs?.[c]),
        ]),
      );
      if (JSON.stringify(seen) === JSON.stringify(expected)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(seen, expected);
  }

  it('keeps each connection’s tabs, restores them on switching back and after a reload', async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await s.api('connections', { op: 'add', name: 'Far server', endpoint: remote.url });
      const remoteId = await idOf('Far server');
      await openStudio(s, '#/tables/Orders');
      await waitForText(page, '[data-testid=table-title]', 'Orders');
      // The editor the studio opens on first is not needed here.
      await page.click(
        '[data-testid=open-tab]:has(.open-tab-title:text-is("PartiQL 1")) [data-testid=close-tab]',
      );
      await page.click('a.table-link[data-table=Customers]');
      await waitForText(page, '[data-testid=table-title]', 'Customers');
      await waitForTitles(['Orders', 'Customers']);

      // The remote connection has no tabs yet: its first table opens, none of the embedded tabs show.
      await page.selectOption('[data-testid=connection-select]', remoteId);
      await waitForText(page, '[data-testid=connection-badge]', 'REMOTE');
      await waitForText(page, '[data-testid=table-title]', 'Far');
      await waitForText(page, '[data-testid=loaded-count]', '2 items');
      await waitForTitles(['Far']);
      await page.click('[data-testid=new-editor-tab]');
      await waitForEditorText(page, EDITOR, '');
      await setEditorText(page, EDITOR, REMOTE_TEXT);
      await waitForTitles(['Far', 'PartiQL 1']);

      // Back on the embedded database: its tabs, with the one shown last shown again.
      await page.selectOption('[data-testid=connection-select]', 'embedded');
      await waitForText(page, '[data-testid=connection-badge]', 'LOCAL');
      await waitForTitles(['Orders', 'Customers']);
      await waitForText(page, '[data-testid=table-title]', 'Customers');
      assert.equal(await activeTitle(), 'Customers');
      assert.equal(await page.$('text=No table'), null);
      await page.click('[data-testid=open-tab]:has(.open-tab-title:text-is("Orders"))');
      await waitForText(page, '[data-testid=loaded-count]', '3 items');

      // Both sets are kept beside the database, each under its connection.
      await storedTabs({
        embedded: ['table Orders', 'table Customers'],
        [remoteId]: ['table Far', `query ${REMOTE_TEXT}`],
      });
      // A reload from the backend's copy alone (this window's copies removed) brings both back.
      await page.evaluate(() => {
        const storage = (globalThis as unknown as { localStorage: { removeItem(k: string): void } })
          .localStorage;
        for (const key of Object.keys(storage))
          if (key.startsWith('sortkey.studio.tabs')) storage.removeItem(key);
      });
      await page.reload();
      await waitForText(page, '[data-testid=table-title]', 'Orders');
      await waitForTitles(['Orders', 'Customers']);
      await page.selectOption('[data-testid=connection-select]', remoteId);
      await waitForTitles(['Far', 'PartiQL 1']);
      await waitForEditorText(page, EDITOR, REMOTE_TEXT);
      assert.equal(await activeTitle(), 'PartiQL 1');
      await page.click('[data-testid=open-tab]:has(.open-tab-title:text-is("Far"))');
      await waitForText(page, '[data-testid=table-title]', 'Far');
      await waitForText(page, '[data-testid=loaded-count]', '2 items');
      assert.deepEqual(s.errors, []);
    });
  });
});
