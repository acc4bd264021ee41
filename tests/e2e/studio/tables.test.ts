// Browser mode, table browser and item editor: page through a table of 10,000 items, filter with
// correct counts, edit an item and find it stored with its types, see a concurrent change reported,
// create a table with a GSI and delete it again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Studio } from './support.js';
import {
  createOrdersTable,
  openStudio,
  screenshotOnFailure,
  seedItems,
  setEditorText,
  setHash,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const BIG = '123456789012345678901234567890';
const ITEM_TEXT = '[data-testid=item-editor-text]';

describe('studio (browser mode): table browser and item editor', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    s.engine.execute('CreateTable', {
      TableName: 'Big',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    seedItems(s.engine, 'Big', 10_000, (i) => ({
      id: { S: `item-${i}` },
      n: { N: String(i) },
      group: { S: i % 2000 === 7 ? 'rare' : 'common' },
    }));
    createOrdersTable(s.engine);
    s.engine.execute('PutItem', {
      TableName: 'Orders',
      Item: {
        pk: { S: 'customer#1' },
        sk: { N: '1' },
        big: { N: BIG },
        tags: { SS: ['a', 'b'] },
        bin: { B: 'AAEC/w==' },
        note: { S: 'first' },
      },
    });
    await openStudio(s, '#/tables/Big');
  });

  after(async () => {
    await s?.close();
  });

  it(
    'opens a table of 10,000 items at its first page and pages through all of it',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await waitForText(page, '[data-testid=loaded-count]', '100 items');
        assert.match(
          (await page.locator('[data-testid=browse-status]').textContent()) ?? '',
          /loaded of 10,000/,
        );
        // Scrolling to the end of the grid reads the next page.
        await page.hover('[data-testid=items-grid] .ag-row[row-index="3"]');
        await page.mouse.wheel(0, 5000);
        // The next page is read (and, with less than a page still below the view, one more ahead).
        await waitForText(page, '[data-testid=loaded-count]', /^[23]00 items$/);
        await page.selectOption('select[aria-label="Page size"]', '1000');
        await page.click('[data-testid=browse-run]');
        await waitForText(page, '[data-testid=loaded-count]', '1,000 items');
        for (let loaded = 2000; loaded <= 10_000; loaded += 1000) {
          await page.click('[data-testid=browse-more]');
          await waitForText(page, '[data-testid=loaded-count]', `${loaded.toLocaleString('en-US')} items`);
        }
        // As on DynamoDB, a page that ends exactly at the end of the table still has a LastEvaluatedKey:
        // one more read finds nothing and ends the browse.
        if (await page.locator('[data-testid=browse-more]').isVisible())
          await page.click('[data-testid=browse-more]');
        await page.waitForSelector('[data-testid=browse-end]');
        await waitForText(page, '[data-testid=loaded-count]', '10,000 items');
        assert.equal(await page.locator('[data-testid=browse-more]').isHidden(), true);
      });
    },
  );

  it(
    'filters through the whole table and counts what matched and what was read',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await page.selectOption('select[aria-label="Page size"]', '100');
        await page.click('[data-testid=add-filter]');
        await page.fill('[data-testid=filter-attr-0]', 'group');
        await page.fill('[data-testid=filter-value-0]', 'rare');
        await page.click('[data-testid=browse-run]');
        await waitForText(page, '[data-testid=browse-status]', /5 items matched of 10,000 read/);
        await page.waitForSelector('[data-testid=browse-end]');
        // A Query on the key, with a sort-key condition, is built from the same form.
        await page.click('[data-testid=mode-Query]');
        await page.fill('[data-testid=pk-value]', 'item-42');
        await page.click('button[aria-label="Remove filter"]');
        await page.click('[data-testid=browse-run]');
        await waitForText(page, '[data-testid=loaded-count]', '1 item');
      });
    },
  );

  it('edits an item as JSON and stores it with its types', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await setHash(page, '#/tables/Orders');
      await waitForText(page, '[data-testid=table-title]', 'Orders');
      await waitForText(page, '[data-testid=loaded-count]', '1 item');
      await page.click('.items-grid .ag-row .ag-cell[col-id=tags]');
      await page.waitForSelector('[data-testid=value-inspector]');
      await page.dblclick('.items-grid .ag-row .ag-cell[col-id=note]');
      await page.waitForSelector(`${ITEM_TEXT} .monaco-editor`);
      await waitForText(page, '[data-testid=item-source]', /read from the table/);
      await page.click('[data-testid=item-editor] .tab[data-mode=plain]');
      // A mistake first: the problem is shown and Save is disabled.
      await setEditorText(page, ITEM_TEXT, '{"pk": "customer#1", "sk": "one"}');
      await waitForText(page, '[data-testid=item-problems]', /must be of type N/);
      assert.equal(await page.locator('[data-testid=item-save]').isDisabled(), true);
      await setEditorText(
        page,
        ITEM_TEXT,
        `{"pk": "customer#1", "sk": 1, "big": ${BIG}, "tags": ["a", "b", "c"], "bin": "AAEC/w==", "note": "edited", "price": 0.1000000000000000000000000000000000001}`,
      );
      await waitForText(page, '[data-testid=item-problems]', '');
      await page.click('[data-testid=item-save]');
      await page.waitForSelector('[data-testid=item-editor]', { state: 'detached' });
      const stored = s.engine.execute('GetItem', {
        TableName: 'Orders',
        Key: { pk: { S: 'customer#1' }, sk: { N: '1' } },
      }) as {
        Item: Record<string, unknown>;
      };
      assert.deepEqual(stored.Item, {
        pk: { S: 'customer#1' },
        sk: { N: '1' },
        big: { N: BIG },
        tags: { SS: ['a', 'b', 'c'] },
        bin: { B: 'AAEC/w==' },
        note: { S: 'edited' },
        price: { N: '0.1000000000000000000000000000000000001' },
      });
      await waitForText(page, '.items-grid .ag-row .ag-cell[col-id=note]', 'edited');
    });
  });

  it('reports a change made elsewhere instead of overwriting it', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await page.dblclick('.items-grid .ag-row .ag-cell[col-id=note]');
      await page.waitForSelector(`${ITEM_TEXT} .monaco-editor`);
      await waitForText(page, '[data-testid=item-source]', /read from the table/);
      s.engine.execute('UpdateItem', {
        TableName: 'Orders',
        Key: { pk: { S: 'customer#1' }, sk: { N: '1' } },
        UpdateExpression: 'SET note = :n',
        ExpressionAttributeValues: { ':n': { S: 'changed by the app' } },
      });
      await page.click('[data-testid=item-editor] .tab[data-mode=dynamo]');
      await setEditorText(
        page,
        ITEM_TEXT,
        JSON.stringify({ pk: { S: 'customer#1' }, sk: { N: '1' }, note: { S: 'mine' } }),
      );
      await waitForText(page, '[data-testid=item-problems]', '');
      await page.click('[data-testid=item-save]');
      await page.waitForSelector('[data-testid=item-conflict]:not([hidden])');
      const stored = s.engine.execute('GetItem', {
        TableName: 'Orders',
        Key: { pk: { S: 'customer#1' }, sk: { N: '1' } },
      }) as {
        Item: { note: unknown };
      };
      assert.deepEqual(stored.Item.note, { S: 'changed by the app' });
      // The edit is not saved: closing asks before throwing it away.
      await page.keyboard.press('Escape');
      await page.click('[data-testid=discard-dialog] [data-testid=discard-changes]');
      await page.waitForSelector('[data-testid=item-editor]', { state: 'detached' });
    });
  });

  it(
    'creates a table with a global index, and deletes it after typing its name',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await page.click('[data-testid=new-table]');
        await page.fill('[data-testid=table-name]', 'Invoices');
        await page.fill('[data-testid=pk-name]', 'account');
        await page.fill('[data-testid=sk-name]', 'issued');
        await page.selectOption('select[aria-label="Sort key type"]', 'N');
        await page.click('[data-testid=add-gsi]');
        await page.fill('[data-testid=index-name-0]', 'byStatus');
        await page.fill('[data-testid=index-pk-0]', 'status');
        await page.click('[data-testid=create-submit]');
        await waitForText(page, '[data-testid=table-title]', 'Invoices');
        const described = s.engine.execute('DescribeTable', { TableName: 'Invoices' }) as {
          Table: {
            KeySchema: unknown;
            GlobalSecondaryIndexes: { IndexName: string }[];
            AttributeDefinitions: unknown[];
          };
        };
        assert.deepEqual(described.Table.KeySchema, [
          { AttributeName: 'account', KeyType: 'HASH' },
          { AttributeName: 'issued', KeyType: 'RANGE' },
        ]);
        assert.equal(described.Table.GlobalSecondaryIndexes[0]!.IndexName, 'byStatus');
        await page.waitForSelector('.table-link[data-table=Invoices]');

        await page.click('[data-testid=delete-table]');
        await page.waitForSelector('[data-testid=confirm-dialog]');
        const confirm = page.locator('[data-testid=confirm-dialog] button.danger');
        assert.equal(await confirm.isDisabled(), true);
        await page.fill('.confirm-input', 'Invoice');
        assert.equal(await confirm.isDisabled(), true);
        await page.fill('.confirm-input', 'Invoices');
        await confirm.click();
        await page.waitForSelector('.table-link[data-table=Invoices]', { state: 'detached' });
        const tables = s.engine.execute('ListTables', {}) as { TableNames: string[] };
        assert.deepEqual(tables.TableNames, ['Big', 'Orders']);
      });
    },
  );
});
