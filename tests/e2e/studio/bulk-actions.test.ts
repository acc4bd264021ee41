// Bulk actions on selected rows (issue #19, point 4): the count of the selection, set and remove an
// attribute on each item (an item deleted meanwhile is reported, not re-created), and delete with a
// confirmation that names the count (the Delete key on a selection does the same).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PageDom, Studio } from './support.js';
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

describe('studio: bulk actions on selected rows', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    createOrdersTable(s.engine);
    seedItems(s.engine, 'Orders', 30, (i) => ({
      pk: { S: 'c' },
      sk: { N: String(i) },
      note: { S: `n${i}` },
    }));
  });

  after(async () => {
    await s?.close();
  });

  const items = (): Record<string, { S?: string; N?: string }>[] =>
    (
      s.engine.execute('Query', {
        TableName: 'Orders',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'c' } },
      }) as { Items: Record<string, { S?: string; N?: string }>[] }
    ).Items;
  const cell = (row: number): string => `${GRID} .ag-row[row-index="${row}"] .ag-cell[col-id=note]`;

  it('sets and removes an attribute on the selected items', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await openStudio(s, '#/tables/Orders');
      await page.click(cell(0));
      await page.click(cell(4), { modifiers: ['Shift'] });
      await waitForText(page, '[data-testid=bulk-count]', '5 items selected');
      // Deleted behind the studio's back: the conditional update must not bring it back.
      s.engine.execute('DeleteItem', { TableName: 'Orders', Key: { pk: { S: 'c' }, sk: { N: '2' } } });

      await page.click('[data-testid=bulk-set]');
      await page.fill('[data-testid=bulk-attribute]', 'status');
      await page.selectOption('[data-testid=bulk-type]', 'N');
      await page.fill('[data-testid=bulk-value]', '7');
      await waitForText(page, '[data-testid=bulk-update-confirm]', 'Set on 5 items');
      await page.click('[data-testid=bulk-update-confirm]');
      await page.waitForSelector('.toast:has-text("Updated 4 items; 1 item no longer existed")');
      const withStatus = items().filter((i) => i.status);
      assert.deepEqual(
        withStatus.map((i) => [i.sk!.N, i.status!.N]),
        [
          ['0', '7'],
          ['1', '7'],
          ['3', '7'],
          ['4', '7'],
        ],
      );
      assert.equal(items().length, 29, 'the missing item stays deleted');
      await page.waitForSelector(`${GRID} .ag-row[row-index="0"] .ag-cell[col-id=status]`);

      await page.click('[data-testid=bulk-remove]');
      await page.fill('[data-testid=bulk-attribute]', 'note');
      await page.click('[data-testid=bulk-update-confirm]');
      await page.waitForSelector('.toast:has-text("Updated 4 items")');
      assert.deepEqual(
        items()
          .filter((i) => !i.note)
          .map((i) => i.sk!.N),
        ['0', '1', '3', '4'],
      );

      // A key attribute cannot be set.
      await page.click('[data-testid=bulk-set]');
      await page.fill('[data-testid=bulk-attribute]', 'sk');
      await page.click('[data-testid=bulk-update-confirm]');
      await waitForText(page, '[data-testid=bulk-update-error]', /part of the key/);
      await page.keyboard.press('Escape');
    });
  });

  it(
    'copies the selected items as JSON, DynamoDB JSON, CSV and PartiQL INSERT',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await s.context.grantPermissions(['clipboard-read', 'clipboard-write']);
        await openStudio(s, '#/tables/Orders');
        // Rows 5 and 6 hold sk 6 and 7 (sk 2 was deleted above).
        await page.click(cell(5));
        await page.click(cell(6), { modifiers: ['Shift'] });
        await waitForText(page, '[data-testid=bulk-count]', '2 items selected');
        const copied = async (format: string): Promise<string> => {
          await page.selectOption('[data-testid=bulk-copy]', format);
          await page.waitForSelector('.toast:has-text("Copied 2 items")');
          const text = await page.evaluate(() =>
            (globalThis as unknown as PageDom).navigator.clipboard.readText(),
          );
          await page.evaluate(() => {
            for (const el of (
              globalThis as unknown as { document: { querySelectorAll(s: string): { remove(): void }[] } }
            ).document.querySelectorAll('.toast'))
              el.remove();
          });
          return text;
        };
        const json = JSON.parse(await copied('json')) as { sk: number; note: string }[];
        assert.deepEqual(
          json.map((i) => i.note),
          ['n6', 'n7'],
        );
        const dynamo = JSON.parse(await copied('dynamodb-json')) as { sk: { N: string } }[];
        assert.deepEqual(
          dynamo.map((i) => i.sk),
          [{ N: '6' }, { N: '7' }],
        );
        assert.equal(await copied('csv'), 'pk,sk,note\r\nc,6,n6\r\nc,7,n7\r\n');
        assert.equal(
          await copied('partiql'),
          `INSERT INTO "Orders" VALUE {'pk': 'c', 'sk': 6, 'note': 'n6'};\nINSERT INTO "Orders" VALUE {'pk': 'c', 'sk': 7, 'note': 'n7'};\n`,
        );
      });
    },
  );

  it('deletes the selected items after a confirmation with the count', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await openStudio(s, '#/tables/Orders');
      await page.click(cell(10));
      await page.click(cell(21), { modifiers: ['Shift'] });
      await waitForText(page, '[data-testid=bulk-count]', '12 items selected');
      await page.click('[data-testid=bulk-delete]');
      await waitForText(page, '[data-testid=bulk-confirm-count]', '12 selected items');
      await page.click('[data-testid=confirm-dialog] button:has-text("Cancel")');
      assert.equal(items().length, 29);

      // The Delete key on a selected row asks for the whole selection.
      await page.click(cell(21));
      await page.click(cell(10), { modifiers: ['Shift'] });
      await page.keyboard.press('Delete');
      await waitForText(page, '[data-testid=bulk-confirm-count]', '12 selected items');
      await page.click('[data-testid=bulk-confirm]');
      await page.waitForSelector('.toast:has-text("Deleted 12 items")');
      assert.equal(items().length, 17);
      await waitForText(page, '[data-testid=loaded-count]', '17 items');
      assert.equal(await page.locator('[data-testid=bulk-bar]').isHidden(), true);
    });
  });
});
