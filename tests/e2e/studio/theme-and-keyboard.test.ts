// Dark mode and keyboard use of the grid (issue #19, point 8): the theme follows the system's
// preference until the user picks one, which survives a reload; arrows move through the items grid,
// Enter opens the focused item, Delete deletes it after a confirmation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Studio } from './support.js';
import {
  createOrdersTable,
  openStudio,
  screenshotOnFailure,
  seedItems,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const GRID = '[data-testid=items-grid]';

interface StyleGlobals {
  document: {
    documentElement: { dataset: Record<string, string | undefined> };
    querySelector(selector: string): unknown;
  };
  getComputedStyle(el: unknown): { backgroundColor: string };
}

describe('studio: dark mode and the keyboard in the grid', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    createOrdersTable(s.engine);
    seedItems(s.engine, 'Orders', 5, (i) => ({ pk: { S: 'c' }, sk: { N: String(i) }, note: { S: `n${i}` } }));
  });

  after(async () => {
    await s?.close();
  });

  /** The effective theme and the background of the page, the editor and the grid. */
  async function looks(selector: string): Promise<{ theme: string | undefined; background: string }> {
    return s.page.evaluate((selector) => {
      const g = globalThis as unknown as StyleGlobals;
      const el = g.document.querySelector(selector);
      return {
        theme: g.document.documentElement.dataset.theme,
        background: el ? g.getComputedStyle(el).backgroundColor : '',
      };
    }, selector);
  }

  it(
    'follows the system preference until a theme is chosen, and keeps the choice',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await page.emulateMedia({ colorScheme: 'dark' });
        await openStudio(s, '#/query');
        await page.waitForSelector('[data-testid=partiql-editor] .monaco-editor');
        assert.deepEqual(await looks('html'), { theme: 'dark', background: 'rgb(11, 17, 32)' });
        assert.equal(
          (await looks('[data-testid=partiql-editor] .monaco-editor-background')).background,
          'rgb(17, 24, 39)',
        );
        await page.emulateMedia({ colorScheme: 'light' });
        await page.waitForFunction(
          () => (globalThis as unknown as StyleGlobals).document.documentElement.dataset.theme === 'light',
        );
        assert.equal(
          (await looks('[data-testid=partiql-editor] .monaco-editor-background')).background,
          'rgb(255, 255, 255)',
        );

        // A choice wins over the system, and survives a reload.
        await page.selectOption('[data-testid=theme-select]', 'dark');
        assert.equal((await looks('html')).theme, 'dark');
        await page.reload();
        await page.waitForSelector('[data-testid=theme-select]');
        assert.equal(await page.locator('[data-testid=theme-select]').inputValue(), 'dark');
        assert.equal((await looks('html')).theme, 'dark');
        await openStudio(s, '#/tables/Orders');
        await page.waitForSelector(`${GRID} .ag-row[row-index="0"]`);
        assert.equal((await looks(`${GRID} .ag-root-wrapper`)).background, 'rgb(17, 24, 39)');

        await page.selectOption('[data-testid=theme-select]', 'system');
        assert.equal((await looks('html')).theme, 'light');
        assert.equal((await looks(`${GRID} .ag-root-wrapper`)).background, 'rgb(255, 255, 255)');
      });
    },
  );

  it(
    'moves with the arrows, opens with Enter and deletes with Delete after asking',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await openStudio(s, '#/tables/Orders');
        const cell = (row: number, col: string): string =>
          `${GRID} .ag-row[row-index="${row}"] .ag-cell[col-id=${col}]`;
        await page.click(cell(0, 'note'));
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        await page.waitForSelector(`${cell(2, 'note')}.ag-cell-focus`);
        await page.keyboard.press('Enter');
        await page.waitForSelector('[data-testid=item-editor]');
        await waitForText(page, '[data-testid=item-editor] h2', 'Item in Orders');
        const text = await page.locator('[data-testid=item-editor] .monaco-editor .view-lines').textContent();
        assert.match(text ?? '', /n2/);
        await page.keyboard.press('Escape');
        await page.waitForSelector('[data-testid=item-editor]', { state: 'detached' });

        // The focus came back to the grid: the arrows go on from the same row.
        await page.waitForSelector(`${cell(2, 'note')}.ag-cell-focus`);
        await page.keyboard.press('ArrowUp');
        await page.waitForSelector(`${cell(1, 'note')}.ag-cell-focus`);
        await page.keyboard.press('Delete');
        await page.waitForSelector('[data-testid=confirm-dialog]');
        await page.keyboard.press('Escape');
        await page.waitForSelector('[data-testid=confirm-dialog]', { state: 'detached' });
        assert.ok(
          s.engine.execute('GetItem', { TableName: 'Orders', Key: { pk: { S: 'c' }, sk: { N: '1' } } }),
        );
        assert.equal(await page.locator(`${GRID} .ag-cell[col-id=note]`).count(), 5);

        await page.waitForSelector(`${cell(1, 'note')}.ag-cell-focus`);
        await page.keyboard.press('Delete');
        await page.click('[data-testid=confirm-delete-item]');
        await page.waitForFunction(
          (sel) =>
            (
              globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
            ).document.querySelectorAll(sel).length === 4,
          `${GRID} .ag-cell[col-id=note]`,
        );
        const left = s.engine.execute('GetItem', {
          TableName: 'Orders',
          Key: { pk: { S: 'c' }, sk: { N: '1' } },
        }) as { Item?: unknown };
        assert.equal(left.Item, undefined);
        const notes = await page.locator(`${GRID} .ag-cell[col-id=note]`).allTextContents();
        assert.deepEqual(notes.sort(), ['n0', 'n2', 'n3', 'n4']);
      });
    },
  );
});
