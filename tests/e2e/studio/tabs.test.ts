// Tabs (issue #19, studio point 2): tables and PartiQL editors open as tabs above the page; each tab
// keeps its own view (a table's query settings and results, an editor's text) while another is
// shown; the open tabs are kept beside the database and come back after a reload; × closes one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Studio } from './support.js';
import {
  createOrdersTable,
  editorText,
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
const TEXT_1 = 'SELECT * FROM "Orders" WHERE pk = \'a\'';
const TEXT_2 = 'SELECT * FROM "Customers"';

interface StoredTabs {
  tabs?: { tabs: { kind: string; table?: string; text?: string }[] };
}

describe('studio: tabs', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    createOrdersTable(s.engine, 'Orders');
    createOrdersTable(s.engine, 'Customers');
    seedItems(s.engine, 'Orders', 3, (i) => ({ pk: { S: i < 2 ? 'a' : 'b' }, sk: { N: String(i) } }));
    seedItems(s.engine, 'Customers', 5, (i) => ({ pk: { S: 'c' }, sk: { N: String(i) } }));
  });

  after(async () => {
    await s?.close();
  });

  const titles = (): Promise<string[]> =>
    s.page.locator('[data-testid=open-tab] .open-tab-title').allTextContents();
  const activeTitle = (): Promise<string | null> =>
    s.page.locator('[data-testid=open-tab].active .open-tab-title').textContent();
  const tab = (title: string): string => `[data-testid=open-tab]:has(.open-tab-title:text-is("${title}"))`;

  /** The tabs kept beside the database (the backend's query store), once they equal `expected`. */
  async function storedTabs(expected: string[]): Promise<void> {
    let seen: string[] = [];
    for (let i = 0; i < 100; i++) {
      const state = (await s.api('queries', { op: 'list' })) as StoredTabs;
      seen = (state.tabs?.tabs ?? []).map((t) =>
        t.kind === 'table' ? `table ${t.table}` : `query ${t.text}`,
      );
      if (JSON.stringify(seen) === JSON.stringify(expected)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(seen, expected);
  }

  it(
    'keeps each tab’s state, restores the tabs after a reload, and closes them',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        // The studio opens on a PartiQL editor: the first tab.
        await openStudio(s, '#/query');
        await page.waitForSelector(`${EDITOR} .monaco-editor`);
        await setEditorText(page, EDITOR, TEXT_1);
        await page.click('a.table-link[data-table=Orders]');
        await waitForText(page, '[data-testid=table-title]', 'Orders');
        await waitForText(page, '[data-testid=loaded-count]', '3 items');
        // The Orders tab gets query settings of its own.
        await page.click('[data-testid=mode-Query]');
        await page.fill('[data-testid=pk-value]', 'a');
        await page.click('[data-testid=browse-run]');
        await waitForText(page, '[data-testid=loaded-count]', '2 items');

        await page.click('a.table-link[data-table=Customers]');
        await waitForText(page, '[data-testid=table-title]', 'Customers');
        await waitForText(page, '[data-testid=loaded-count]', '5 items');

        await page.click('[data-testid=new-editor-tab]');
        await waitForEditorText(page, EDITOR, '');
        await setEditorText(page, EDITOR, TEXT_2);
        assert.deepEqual(await titles(), ['PartiQL 1', 'Orders', 'Customers', 'PartiQL 2']);
        assert.equal(await activeTitle(), 'PartiQL 2');

        // Back to Orders: its query (Query on pk = a) and its results are still there.
        await page.click(tab('Orders'));
        await waitForText(page, '[data-testid=table-title]', 'Orders');
        await waitForText(page, '[data-testid=loaded-count]', '2 items');
        assert.equal(await page.inputValue('[data-testid=pk-value]'), 'a');
        assert.equal(await activeTitle(), 'Orders');
        // Opening a table that has a tab focuses it instead of opening another.
        await page.click('a.table-link[data-table=Customers]');
        await waitForText(page, '[data-testid=table-title]', 'Customers');
        assert.equal((await titles()).length, 4);
        // Each editor kept its own text.
        await page.click(tab('PartiQL 1'));
        await waitForEditorText(page, EDITOR, TEXT_1);
        await page.click(tab('PartiQL 2'));
        await waitForEditorText(page, EDITOR, TEXT_2);

        // The tabs are kept beside the database: a reload restores them from there (not from this
        // browser's copy, which is removed first).
        await storedTabs([`query ${TEXT_1}`, 'table Orders', 'table Customers', `query ${TEXT_2}`]);
        await page.evaluate(() => {
          (
            globalThis as unknown as { localStorage: { removeItem(k: string): void } }
          ).localStorage.removeItem('sortkey.studio.tabs');
        });
        await page.reload();
        await page.waitForSelector(`${EDITOR} .monaco-editor`);
        await waitForEditorText(page, EDITOR, TEXT_2);
        assert.deepEqual(await titles(), ['PartiQL 1', 'Orders', 'Customers', 'PartiQL 2']);
        assert.equal(await activeTitle(), 'PartiQL 2');
        await page.click(tab('PartiQL 1'));
        await waitForEditorText(page, EDITOR, TEXT_1);
        await page.click(tab('Customers'));
        await waitForText(page, '[data-testid=table-title]', 'Customers');
        await waitForText(page, '[data-testid=loaded-count]', '5 items');

        // × closes a tab; closing the one shown shows its neighbour.
        await page.click(`${tab('Customers')} [data-testid=close-tab]`);
        assert.deepEqual(await titles(), ['PartiQL 1', 'Orders', 'PartiQL 2']);
        await waitForEditorText(page, EDITOR, TEXT_2);
        assert.equal(await activeTitle(), 'PartiQL 2');
        await page.click(`${tab('PartiQL 1')} [data-testid=close-tab]`);
        assert.deepEqual(await titles(), ['Orders', 'PartiQL 2']);
        assert.equal(await editorText(page, EDITOR), TEXT_2);
        await storedTabs(['table Orders', `query ${TEXT_2}`]);
        // "Tables" in the header shows the table tab used last, not the first table (Customers).
        await page.click('.nav-link[data-nav=tables]');
        await waitForText(page, '[data-testid=table-title]', 'Orders');
        assert.deepEqual(await titles(), ['Orders', 'PartiQL 2']);
        assert.deepEqual(s.errors, []);
      });
    },
  );
});
