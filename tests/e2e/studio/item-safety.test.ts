// Browser mode, the item editor keeps data safe (issue #17, points 1–3): a row reached through an
// index opens as the whole item read from the table (and says when the index row was stale), so a
// save never writes back a projection; Escape, Cancel and × ask before throwing away edits, and
// Escape reaches Monaco's own widgets first; a successful save throws nothing in the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Studio } from './support.js';
import {
  editorText,
  openStudio,
  screenshotOnFailure,
  setEditorText,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const ITEM_TEXT = '[data-testid=item-editor-text]';
const EDITOR = '[data-testid=item-editor]';

function stored(s: Studio, orderId: string): Record<string, unknown> | undefined {
  const out = s.engine.execute('GetItem', {
    TableName: 'Shop',
    Key: { customer: { S: 'ada' }, orderId: { S: orderId } },
  }) as { Item?: Record<string, unknown> };
  return out.Item;
}

describe('studio (browser mode): the item editor keeps data safe', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    s.engine.execute('CreateTable', {
      TableName: 'Shop',
      AttributeDefinitions: [
        { AttributeName: 'customer', AttributeType: 'S' },
        { AttributeName: 'orderId', AttributeType: 'S' },
        { AttributeName: 'placedAt', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'customer', KeyType: 'HASH' },
        { AttributeName: 'orderId', KeyType: 'RANGE' },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byPlaced',
          KeySchema: [
            { AttributeName: 'customer', KeyType: 'HASH' },
            { AttributeName: 'placedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 1; i <= 3; i++)
      s.engine.execute('PutItem', {
        TableName: 'Shop',
        Item: {
          customer: { S: 'ada' },
          orderId: { S: `o${i}` },
          placedAt: { N: String(1000 + i) },
          status: { S: 'open' },
          total: { N: `${i}0.5` },
          note: { S: `order ${i}` },
          lines: { L: [{ S: 'book' }, { N: '2' }] },
          tags: { SS: ['fast', 'gift'] },
        },
      });
    await openStudio(s, '#/tables/Shop');
    await waitForText(s.page, '[data-testid=loaded-count]', '3 items');
  });

  after(async () => {
    await s?.close();
  });

  /** Reads the table through `index` with the query builder. */
  async function queryIndex(index: string, pkValue: string): Promise<void> {
    const page = s.page;
    await page.selectOption('[data-testid=index-select]', index);
    await page.click('[data-testid=mode-Query]');
    await page.fill('[data-testid=pk-value]', pkValue);
    await page.click('[data-testid=browse-run]');
    await waitForText(page, '[data-testid=loaded-count]', '3 items');
  }

  it(
    'opens a row read through an LSI as the whole stored item and saves it whole',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await queryIndex('byPlaced', 'ada');
        // KEYS_ONLY: the grid shows no note.
        assert.equal(await page.locator('[data-testid=items-grid] .ag-header-cell[col-id=note]').count(), 0);
        await page.dblclick('[data-testid=items-grid] .ag-row[row-index="0"] .ag-cell[col-id=orderId]');
        await page.waitForSelector(`${ITEM_TEXT} .monaco-editor`);
        await page.click(`${EDITOR} .tab[data-mode=dynamo]`);
        await waitForText(page, '[data-testid=item-source]', /read from the table/);
        const text = await editorText(page, ITEM_TEXT);
        const item = JSON.parse(text) as Record<string, unknown>;
        assert.deepEqual(
          item.note,
          { S: 'order 1' },
          'the editor holds the attributes the index does not project',
        );
        assert.deepEqual(item.lines, { L: [{ S: 'book' }, { N: '2' }] });
        await setEditorText(page, ITEM_TEXT, text.replace('"order 1"', '"edited through the LSI"'));
        await waitForText(page, '[data-testid=item-problems]', '');
        await page.click('[data-testid=item-save]');
        await page.waitForSelector(EDITOR, { state: 'detached' });
        assert.deepEqual(stored(s, 'o1'), {
          customer: { S: 'ada' },
          orderId: { S: 'o1' },
          placedAt: { N: '1001' },
          status: { S: 'open' },
          total: { N: '10.5' },
          note: { S: 'edited through the LSI' },
          lines: { L: [{ S: 'book' }, { N: '2' }] },
          tags: { SS: ['fast', 'gift'] },
        });
        assert.deepEqual(s.errors, [], 'a successful save throws nothing (no "Model is disposed!")');
      });
    },
  );

  it(
    'says when a GSI row was stale, and never offers to overwrite with a projection',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await queryIndex('byStatus', 'open');
        // Changed after the index row was read: the row in the grid is stale.
        s.engine.execute('UpdateItem', {
          TableName: 'Shop',
          Key: { customer: { S: 'ada' }, orderId: { S: 'o2' } },
          UpdateExpression: 'SET #t = :t, note = :n',
          ExpressionAttributeNames: { '#t': 'total' },
          ExpressionAttributeValues: { ':t': { N: '99' }, ':n': { S: 'changed by the app' } },
        });
        const row = page.locator('[data-testid=items-grid] .ag-row', { hasText: 'o2' }).first();
        await row.locator('.ag-cell[col-id=orderId]').dblclick();
        await page.waitForSelector(`${ITEM_TEXT} .monaco-editor`);
        await waitForText(page, '[data-testid=item-source]', /changed since/);
        const item = JSON.parse(await editorText(page, ITEM_TEXT)) as Record<string, unknown>;
        assert.deepEqual(item.total, { N: '99' });
        assert.deepEqual(item.note, { S: 'changed by the app' });
        await setEditorText(page, ITEM_TEXT, JSON.stringify({ ...item, note: { S: 'mine' } }));
        await waitForText(page, '[data-testid=item-problems]', '');
        await page.click('[data-testid=item-save]');
        await page.waitForSelector(EDITOR, { state: 'detached' });
        const after = stored(s, 'o2')!;
        assert.deepEqual(after.note, { S: 'mine' });
        assert.deepEqual(after.lines, { L: [{ S: 'book' }, { N: '2' }] }, 'nothing of the item was lost');
        assert.deepEqual(after.tags, { SS: ['fast', 'gift'] });
        assert.equal(await page.locator('[data-testid=conflict-overwrite]').count(), 0);
        assert.deepEqual(s.errors, []);
      });
    },
  );

  it(
    'asks before Escape, Cancel or × throw away edits; Escape closes Monaco’s find box first',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await page.dblclick('[data-testid=items-grid] .ag-row[row-index="2"] .ag-cell[col-id=orderId]');
        await page.waitForSelector(`${ITEM_TEXT} .monaco-editor`);
        await waitForText(page, '[data-testid=item-source]', /read from the table/);
        // Unchanged: Escape closes at once.
        await page.click(`${ITEM_TEXT} .view-lines`);
        await page.keyboard.press('Escape');
        await page.waitForSelector(EDITOR, { state: 'detached' });

        await page.dblclick('[data-testid=items-grid] .ag-row[row-index="2"] .ag-cell[col-id=orderId]');
        await page.waitForSelector(`${ITEM_TEXT} .monaco-editor`);
        await waitForText(page, '[data-testid=item-source]', /read from the table/);
        const original = await editorText(page, ITEM_TEXT);
        const edited = original.replace(/"order 3"/, '"half-typed change"');
        assert.notEqual(edited, original);
        await setEditorText(page, ITEM_TEXT, edited);

        // Escape meant for the find box closes the find box only.
        await page.keyboard.press('Control+F');
        await page.waitForSelector(`${ITEM_TEXT} .find-widget.visible`);
        await page.keyboard.press('Escape');
        await page.waitForSelector(`${ITEM_TEXT} .find-widget.visible`, { state: 'detached' });
        assert.equal(await page.locator(EDITOR).count(), 1);
        assert.equal(await page.locator('[data-testid=discard-dialog]').count(), 0);

        // Escape, then Cancel, then ×: each asks; "Keep editing" keeps the text.
        for (const close of [
          () => page.keyboard.press('Escape'),
          () => page.click(`${EDITOR} [data-testid=item-cancel]`),
          () => page.click(`${EDITOR} .modal-header button[aria-label=Close]`),
        ]) {
          await page.click(`${ITEM_TEXT} .view-lines`);
          await close();
          await page.waitForSelector('[data-testid=discard-dialog]');
          await page.click('[data-testid=discard-dialog] [data-testid=keep-editing]');
          await page.waitForSelector('[data-testid=discard-dialog]', { state: 'detached' });
          assert.equal(await page.locator(EDITOR).count(), 1);
          assert.equal(await editorText(page, ITEM_TEXT), edited);
        }
        await page.click(`${EDITOR} [data-testid=item-cancel]`);
        await page.click('[data-testid=discard-dialog] [data-testid=discard-changes]');
        await page.waitForSelector(EDITOR, { state: 'detached' });
        assert.deepEqual(stored(s, 'o3')!.note, { S: 'order 3' });
        assert.deepEqual(s.errors, []);
      });
    },
  );
});
