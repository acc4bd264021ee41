// Browser mode, regions: an application signed for eu-west-1 made its tables there, the studio
// starts in the server's region (us-east-1). It must not look empty without saying why: it lists
// the regions that hold tables, hints at the right one, and switching shows its tables. A table tab
// belongs to its region: two regions' same-named tables get a tab each, listed with their region.
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

const EU = { region: 'eu-west-1', accountId: '000000000000' };

describe('studio (browser mode): regions', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    for (const name of ['Orders', 'Users', 'Carts']) {
      s.engine.execute(
        'CreateTable',
        {
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
        EU,
      );
    }
    await openStudio(s, '#/tables');
  });

  after(async () => {
    await s?.close();
  });

  it(
    'lists the regions, hints at the one with tables, and switches to it',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await waitForText(page, '[data-testid=region-hint]', /No tables in us-east-1; eu-west-1 has 3/);
        const options = await page.$$eval('[data-testid=region-select] option', (os) =>
          os.map((o) => (o as unknown as { textContent: string }).textContent),
        );
        assert.deepEqual(options, ['eu-west-1 (3 tables)', 'us-east-1 (0 tables)']);

        await page.selectOption('[data-testid=region-select]', 'eu-west-1');
        await page.waitForSelector('.table-link[data-table=Orders]');
        const names = await page.$$eval('.table-link .table-name', (els) =>
          els.map((e) => (e as unknown as { textContent: string }).textContent),
        );
        assert.deepEqual(names, ['Carts', 'Orders', 'Users']);
        assert.equal(await page.$('[data-testid=region-hint]'), null);

        // The studio's calls now address eu-west-1: a table it creates lands there.
        await s.api('createTable', {
          TableName: 'FromStudio',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        });
        assert.deepEqual(s.engine.execute('ListTables', {}, EU), {
          TableNames: ['Carts', 'FromStudio', 'Orders', 'Users'],
        });
        assert.deepEqual(s.engine.execute('ListTables', {}), { TableNames: [] });

        // And back.
        await page.selectOption('[data-testid=region-select]', 'us-east-1');
        await waitForText(page, '[data-testid=region-hint]', /No tables in us-east-1; eu-west-1 has 4/);
        assert.deepEqual(s.errors, []);
      });
    },
  );

  it(
    'keeps the table tabs of each region apart, across switches and reloads',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        // An Orders table in each region, told apart by their items.
        createOrdersTable(s.engine, 'Orders');
        seedItems(s.engine, 'Orders', 2, (i) => ({ pk: { S: 'east' }, sk: { N: String(i) } }));
        s.engine.execute('PutItem', { TableName: 'Orders', Item: { pk: { S: 'west-item' } } }, EU);
        const titles = (): Promise<string[]> =>
          page.locator('[data-testid=open-tab][data-kind=table] .open-tab-title').allTextContents();

        await openStudio(s, '#/tables/Orders');
        await waitForText(page, '[data-testid=loaded-count]', '2 items');
        assert.deepEqual(await titles(), ['Orders']);

        // In eu-west-1 the us-east-1 tab is put away (the tables page shows the region's first
        // table); its Orders opens a tab of its own.
        await page.selectOption('[data-testid=region-select]', 'eu-west-1');
        await waitForText(page, '[data-testid=table-title]', 'Carts');
        assert.deepEqual(await titles(), ['Carts']);
        await page.click('a.table-link[data-table=Orders]');
        await waitForText(page, '[data-testid=loaded-count]', '1 item');
        await page.waitForSelector('text=west-item');
        assert.deepEqual(await titles(), ['Carts', 'Orders']);

        // Back in us-east-1: its own Orders tab is there again, showing its own items.
        await page.selectOption('[data-testid=region-select]', 'us-east-1');
        await waitForText(page, '[data-testid=loaded-count]', '2 items');
        assert.deepEqual(await titles(), ['Orders']);
        assert.equal(await page.locator('text=west-item').count(), 0);

        // The tabs are kept with their region (Carts opened in the test before), soon after.
        const expected = ['Carts eu-west-1', 'Orders us-east-1', 'Orders eu-west-1'];
        let kept: string[] = [];
        for (let i = 0; i < 100 && JSON.stringify(kept) !== JSON.stringify(expected); i++) {
          if (i > 0) await new Promise((r) => setTimeout(r, 100));
          const stored = (await s.api('queries', { op: 'list' })) as {
            tabs?: { tabs: { kind: string; table?: string; region?: string }[] };
          };
          kept = (stored.tabs?.tabs ?? [])
            .filter((t) => t.kind === 'table')
            .map((t) => `${t.table} ${t.region}`);
        }
        assert.deepEqual(kept, expected);
        await page.reload();
        await waitForText(page, '[data-testid=loaded-count]', '2 items');
        assert.deepEqual(await titles(), ['Orders']);
        await page.selectOption('[data-testid=region-select]', 'eu-west-1');
        await waitForText(page, '[data-testid=table-title]', 'Carts');
        assert.deepEqual(await titles(), ['Carts', 'Orders']);
        await page.click('[data-testid=open-tab][data-kind=table]:has(.open-tab-title:text-is("Orders"))');
        await waitForText(page, '[data-testid=loaded-count]', '1 item');
        await page.waitForSelector('text=west-item');
        assert.deepEqual(s.errors, []);
      });
    },
  );
});
