// Browser mode, regions: an application signed for eu-west-1 made its tables there, the studio
// starts in the server's region (us-east-1). It must not look empty without saying why: it lists
// the regions that hold tables, hints at the right one, and switching shows its tables.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Studio } from './support.js';
import { openStudio, screenshotOnFailure, skipBrowser, startStudio, waitForText } from './support.js';

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
});
