// Browser mode, correct and current views (issue #17, points 8–10): "Open in PartiQL" writes the
// statement that reads exactly what the table browser shows (sort-key condition, filters, index and
// order included); item counts in the sidebar and header follow writes from anywhere and the empty
// overlay goes away with the first item; PartiQL result rows open in the item editor, keep their key
// columns pinned and wide enough, and can be selected many at a time.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PageDom, Studio } from './support.js';
import {
  openStudio,
  screenshotOnFailure,
  seedItems,
  setEditorText,
  setHash,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const PARTIQL = '[data-testid=partiql-editor]';

describe('studio (browser mode): correct, current views', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    s.engine.execute('CreateTable', {
      TableName: 'Events',
      AttributeDefinitions: [
        { AttributeName: 'user', AttributeType: 'S' },
        { AttributeName: 'ts', AttributeType: 'N' },
        { AttributeName: 'kind', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'user', KeyType: 'HASH' },
        { AttributeName: 'ts', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byKind',
          KeySchema: [
            { AttributeName: 'kind', KeyType: 'HASH' },
            { AttributeName: 'ts', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    // 800 events of one user (as in the issue) and a few of another.
    seedItems(s.engine, 'Events', 820, (i) => ({
      user: { S: i < 800 ? 'customer#000001-with-a-long-key' : 'customer#000002-with-a-long-key' },
      ts: { N: String(i) },
      kind: { S: i % 5 === 0 ? 'click' : "view's" },
      ...(i % 10 === 0 ? { flagged: { BOOL: true } } : {}),
    }));
    s.engine.execute('CreateTable', {
      TableName: 'Empty',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    await openStudio(s, '#/tables/Events');
    await waitForText(s.page, '[data-testid=loaded-count]', '100 items');
  });

  after(async () => {
    await s?.close();
  });

  /** Opens the browser's read in the PartiQL editor, runs it, and returns how many items it read. */
  async function runInPartiql(): Promise<number> {
    const page = s.page;
    await page.click('[data-testid=open-partiql]');
    await page.waitForSelector(`${PARTIQL} .monaco-editor`);
    await page.click('[data-testid=run]');
    await waitForText(page, '[data-testid=result-count]', /^[\d,]+ items?$/);
    await page.waitForFunction(
      () =>
        !(globalThis as unknown as PageDom).document
          .querySelector('[data-testid=results-status]')
          ?.textContent?.includes('Running'),
    );
    const text = (await page.locator('[data-testid=result-count]').textContent()) ?? '';
    return Number(text.replace(/[^\d]/g, ''));
  }

  it(
    'opens the exact statement of a query with a sort-key condition, filters, an index and an order',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await page.click('[data-testid=mode-Query]');
        await page.fill('[data-testid=pk-value]', 'customer#000001-with-a-long-key');
        await page.selectOption('[data-testid=sk-op]', '>=');
        await page.fill('[data-testid=sk-value]', '640');
        await page.click('[data-testid=add-filter]');
        await page.fill('[data-testid=filter-attr-0]', 'kind');
        await page.fill('[data-testid=filter-value-0]', 'click');
        await page.click('[data-testid=add-filter]');
        await page.fill('[data-testid=filter-attr-1]', 'flagged');
        await page.selectOption('[data-testid=filter-op-1]', 'exists');
        await page.click('[data-testid=browse-run]');
        await waitForText(page, '[data-testid=loaded-count]', '16 items');
        assert.equal(await runInPartiql(), 16);

        // Through the GSI, a BETWEEN on its sort key, descending, with a value that needs quoting.
        // (The table's tab keeps its query: closed and opened again, it starts afresh.)
        await page.click('[data-testid=open-tab][data-table=Events] [data-testid=close-tab]');
        await setHash(page, '#/tables/Events');
        await waitForText(page, '[data-testid=loaded-count]', '100 items');
        await page.selectOption('[data-testid=index-select]', 'byKind');
        await page.click('[data-testid=mode-Query]');
        await page.fill('[data-testid=pk-value]', "view's");
        await page.selectOption('[data-testid=sk-op]', 'BETWEEN');
        await page.fill('[data-testid=sk-value]', '11');
        await page.fill('[data-testid=sk-value2]', '30');
        await page.check('[data-testid=descending]');
        await page.click('[data-testid=browse-run]');
        await waitForText(page, '[data-testid=loaded-count]', '16 items');
        const firstBrowsed = await page
          .locator('[data-testid=items-grid] .ag-row[row-index="0"] .ag-cell[col-id=ts]')
          .textContent();
        assert.equal(firstBrowsed, '29');
        assert.equal(await runInPartiql(), 16);
        const firstRun = await page
          .locator('[data-testid=results-grid] .ag-row[row-index="0"] .ag-cell[col-id=ts]')
          .textContent();
        assert.equal(firstRun, '29', 'the statement reads the index in the same order');
      });
    },
  );

  it(
    'keeps item counts current after writes from the SDK, saves and deletes, and clears the empty overlay',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await setHash(page, '#/tables/Empty');
        await waitForText(page, '[data-testid=table-title]', 'Empty');
        await page.waitForSelector('[data-testid=browse-end]');
        await page.waitForSelector('[data-testid=items-grid] .grid-empty');
        const sidebar = '.table-link[data-table=Empty] .table-meta';
        await waitForText(page, sidebar, /^0 items/);
        await page.click('[data-testid=new-item]');
        await page.waitForSelector('[data-testid=item-editor-text] .monaco-editor');
        await setEditorText(page, '[data-testid=item-editor-text]', '{"id": "first", "note": "hello"}');
        await waitForText(page, '[data-testid=item-problems]', '');
        await page.click('[data-testid=item-save]');
        await page.waitForSelector('[data-testid=item-editor]', { state: 'detached' });
        await page.waitForSelector('[data-testid=items-grid] .ag-row .ag-cell[col-id=note]');
        await page.waitForSelector('[data-testid=items-grid] .grid-empty', { state: 'hidden' });
        await waitForText(page, sidebar, /^1 item ·/);
        await waitForText(page, '[data-testid=table-facts]', /^1 item ·/);

        // Written through the SDK (the engine), not the studio.
        s.engine.execute('PutItem', { TableName: 'Empty', Item: { id: { S: 'second' } } });
        s.engine.execute('PutItem', { TableName: 'Empty', Item: { id: { S: 'third' } } });
        await waitForText(page, sidebar, /^3 items/);
        await waitForText(page, '[data-testid=table-facts]', /^3 items/);
        s.engine.execute('DeleteItem', { TableName: 'Empty', Key: { id: { S: 'third' } } });
        await waitForText(page, '[data-testid=table-facts]', /^2 items/);

        // Deleted in the studio.
        await page.dblclick('[data-testid=items-grid] .ag-row .ag-cell[col-id=note]');
        await page.waitForSelector('[data-testid=item-editor-text] .monaco-editor');
        await waitForText(page, '[data-testid=item-source]', /read from the table/);
        await page.click('[data-testid=item-delete]');
        await page.click('[data-testid=confirm-dialog] button.danger');
        await page.waitForSelector('[data-testid=item-editor]', { state: 'detached' });
        await waitForText(page, sidebar, /^1 item ·/);
        await waitForText(page, '[data-testid=table-facts]', /^1 item ·/);
      });
    },
  );

  it(
    'opens PartiQL result rows in the item editor, pins wide key columns, selects many rows',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await setHash(page, '#/query');
        await page.waitForSelector(`${PARTIQL} .monaco-editor`);
        await setEditorText(
          page,
          PARTIQL,
          `SELECT * FROM "Events"."byKind" WHERE "kind" = 'click' AND "ts" < 100`,
        );
        const warningsBefore = s.warnings.length;
        await page.click('[data-testid=run]');
        await waitForText(page, '[data-testid=result-count]', '20 items');
        const grid = '[data-testid=results-grid]';
        // The table's key columns are pinned on the left and show a typical key whole.
        const cell = (i: number, col: string) =>
          page.locator(`${grid} .ag-row[row-index="${i}"] .ag-cell[col-id=${col}]`).first();
        assert.match(
          (await cell(0, 'ts').getAttribute('class')) ?? '',
          /ag-cell-last-left-pinned/,
          'the partition and sort keys are pinned',
        );
        const fits = await cell(0, 'user').evaluate((el) => {
          const text = el.querySelector('.cell-text')!;
          return text.scrollWidth <= text.clientWidth;
        });
        assert.ok(fits, 'the key column is wide enough for its keys');

        // Many rows: click, Ctrl+click, Shift+click.
        await cell(0, 'kind').click();
        await cell(2, 'kind').click({ modifiers: ['Control'] });
        await cell(5, 'kind').click({ modifiers: ['Shift'] });
        const selected = (): Promise<string[]> =>
          page.evaluate(
            () =>
              [
                ...new Set(
                  [
                    ...(globalThis as unknown as PageDom).document.querySelectorAll(
                      '[data-testid=results-grid] .ag-row-selected',
                    ),
                  ].map((r) => r.getAttribute('row-index')),
                ),
              ] as string[],
          );
        await page.waitForFunction(
          () =>
            (globalThis as unknown as PageDom).document.querySelectorAll(
              '[data-testid=results-grid] .ag-row-selected',
            ).length >= 4,
        );
        assert.deepEqual((await selected()).sort(), ['0', '2', '3', '4', '5']);
        const gridWarnings = s.warnings.slice(warningsBefore).filter((w) => /AG Grid/i.test(w));
        assert.deepEqual(gridWarnings, []);

        // A row with the table's key opens in the item editor, read whole from the table.
        await cell(1, 'kind').dblclick();
        await page.waitForSelector('[data-testid=item-editor-text] .monaco-editor');
        await waitForText(page, '[data-testid=item-source]', /read from the table/);
        await page.keyboard.press('Escape');
        await page.waitForSelector('[data-testid=item-editor]', { state: 'detached' });
        assert.deepEqual(s.errors, []);
      });
    },
  );
});
