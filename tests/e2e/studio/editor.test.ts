// Browser mode, PartiQL editor: run a statement and read its rows (numbers exact), see a parse error
// marker, complete a table name, EXPLAIN with its full-scan warning, Load more through NextToken,
// ? parameters, and history that survives a reload.
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
const BIG = '123456789012345678901234567890';

describe('studio (browser mode): PartiQL editor', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    createOrdersTable(s.engine);
    seedItems(s.engine, 'Orders', 30, (i) => ({
      pk: { S: `c${i % 3}` },
      sk: { N: String(i) },
      big: { N: BIG },
      amount: { N: `${i}.5` },
      tags: { SS: ['x', `t${i}`] },
    }));
    await openStudio(s);
    await s.page.waitForSelector(`${EDITOR} .monaco-editor`);
  });

  after(async () => {
    await s?.close();
  });

  it(
    'runs the statement at the cursor and shows its rows, numbers exactly as stored',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await setEditorText(
          page,
          EDITOR,
          "SELECT * FROM Orders WHERE pk = 'c1'\n\nSELECT * FROM Orders WHERE pk = 'c2'",
        );
        await page.keyboard.press('Control+Enter');
        await waitForText(page, '[data-testid=result-count]', '10 items');
        const cells = await page
          .locator('[data-testid=results-grid] .ag-row .ag-cell[col-id=big]')
          .allTextContents();
        assert.ok(cells.length > 0);
        for (const c of cells) assert.equal(c, BIG);
        const pks = await page.locator('[data-testid=results-grid] .ag-cell[col-id=pk]').allTextContents();
        assert.ok(
          pks.every((p) => p === 'c2'),
          'the statement at the cursor (the second one) ran',
        );
        const tags = await page
          .locator('[data-testid=results-grid] .ag-cell[col-id=tags] .type-tag')
          .first()
          .textContent();
        assert.equal(tags, 'SS·2');
        await page.click('.results .tab[data-tab=json]');
        const json = await page.locator('[data-testid=results-text]').textContent();
        assert.match(json ?? '', new RegExp(`"big": ${BIG},`));
        await page.click('.results .tab[data-tab=dynamo]');
        assert.match((await page.locator('[data-testid=results-text]').textContent()) ?? '', /"SS": \[/);
        await page.click('.results .tab[data-tab=table]');
        const status = await page.locator('[data-testid=results-status]').textContent();
        assert.match(status ?? '', /ms/);
        assert.match(status ?? '', /RCU\/WCU consumed/);
      });
    },
  );

  it('marks a parse error in the editor as you type', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await setEditorText(page, EDITOR, 'SELECT * FRM Orders');
      await page.waitForSelector(`${EDITOR} .squiggly-error`);
      await waitForText(page, '[data-testid=problems]', /problem/);
      await setEditorText(page, EDITOR, 'SELECT * FROM Orders');
      await waitForText(page, '[data-testid=problems]', /No syntax errors/);
      assert.equal(await page.locator(`${EDITOR} .squiggly-error`).count(), 0);
    });
  });

  it('completes a table name from the database', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await setEditorText(page, EDITOR, 'SELECT * FROM Ord');
      await page.keyboard.press('Control+Space');
      const row = page.locator('.suggest-widget .monaco-list-row', { hasText: 'Orders' }).first();
      await row.waitFor();
      await page.keyboard.press('Enter');
      await waitForEditorText(page, EDITOR, 'SELECT * FROM Orders');
      assert.equal(await editorText(page, EDITOR), 'SELECT * FROM Orders');
    });
  });

  it(
    'shows the plan of a statement, with a warning when it scans the whole table',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await setEditorText(page, EDITOR, 'SELECT * FROM Orders WHERE amount > 3');
        await page.click('[data-testid=explain]');
        await page.waitForSelector('[data-testid=full-scan-warning]');
        assert.match((await page.locator('[data-testid=plan] .plan-steps').textContent()) ?? '', /Scan/);
        await setEditorText(page, EDITOR, "EXPLAIN SELECT * FROM Orders WHERE pk = 'c1'");
        await page.keyboard.press('Control+Enter');
        await waitForText(page, '[data-testid=plan] .plan-steps', /Query/);
        assert.equal(await page.locator('[data-testid=full-scan-warning]').count(), 0);
      });
    },
  );

  it(
    'takes ? parameters with types, loads more through NextToken, and keeps history across reloads',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await setEditorText(page, EDITOR, 'SELECT * FROM Orders WHERE pk = ? AND sk >= ?');
        await page.click('.side-panel .tab[data-tab=params]');
        await page.fill('[data-testid=param-1]', 'c0');
        await page.selectOption('select[aria-label="Type of parameter 2"]', 'N');
        await page.fill('[data-testid=param-2]', '12');
        await page.click('[data-testid=run]');
        await waitForText(page, '[data-testid=result-count]', '6 items');

        await setEditorText(page, EDITOR, 'SELECT * FROM Orders');
        await page.fill('input.limit', '10');
        await page.click('[data-testid=run]');
        await waitForText(page, '[data-testid=result-count]', '10 items');
        await page.click('[data-testid=load-more]');
        await waitForText(page, '[data-testid=result-count]', '20 items');
        await page.fill('input.limit', '');

        await page.reload();
        await page.waitForSelector(`${EDITOR} .monaco-editor`);
        await waitForEditorText(page, EDITOR, 'SELECT * FROM Orders'); // the editor text survives a reload
        await page.click('.side-panel .tab[data-tab=history]');
        const history = await page.locator('[data-testid=history] code').allTextContents();
        assert.equal(history[0], 'SELECT * FROM Orders');
        assert.ok(history.includes('SELECT * FROM Orders WHERE pk = ? AND sk >= ?'));
      });
    },
  );
});
