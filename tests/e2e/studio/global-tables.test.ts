// Browser mode, global tables (issue 20): the table view lists a global table's replicas with their
// status and replication lag, and an item written in one region appears in the replica's region.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Studio } from './support.js';
import {
  openStudio,
  screenshotOnFailure,
  setHash,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const WEST = { region: 'us-west-2', accountId: '000000000000' };

describe('studio (browser mode): global tables', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    s.engine.execute('CreateTable', {
      TableName: 'Orders',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    s.engine.execute('UpdateTable', {
      TableName: 'Orders',
      ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }],
    });
    await openStudio(s, '#/tables/Orders');
  });

  after(async () => {
    await s?.close();
  });

  it(
    'shows the replicas and their lag; a write in one region appears in the other',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await waitForText(page, '[data-testid=replica-us-west-2]', /us-west-2 ACTIVE/);

        // The replica's region: its table, empty for now.
        await page.selectOption('[data-testid=region-select]', 'us-west-2');
        await page.waitForSelector('.table-link[data-table=Orders]');
        await page.click('.table-link[data-table=Orders]');
        await waitForText(page, '[data-testid=replica-us-east-1]', /us-east-1 ACTIVE/);
        await waitForText(page, '[data-testid=table-facts]', /^0 items/);

        // A write in us-east-1 (an application's) is replicated after the replication delay.
        s.engine.execute('PutItem', { TableName: 'Orders', Item: { pk: { S: 'from-east' } } });
        await waitForText(page, '[data-testid=table-facts]', /^1 item\b/);
        await page.click('[data-testid=browse-run]');
        await waitForText(page, '[data-testid=items-grid]', /from-east/);
        assert.deepEqual(
          s.engine.execute('GetItem', { TableName: 'Orders', Key: { pk: { S: 'from-east' } } }, WEST),
          {
            Item: { pk: { S: 'from-east' } },
          },
        );

        // Back in us-east-1, the replica's chip gains its replication lag.
        await page.selectOption('[data-testid=region-select]', 'us-east-1');
        await page.waitForSelector('.table-link[data-table=Orders]');
        await page.click('.table-link[data-table=Orders]');
        await waitForText(page, '[data-testid=replica-us-west-2]', /us-west-2 ACTIVE · lag \d/);

        // The table's metrics dashboard charts ReplicationLatency per receiving region.
        await setHash(page, '#/metrics/Orders');
        const chart = page.locator('[data-testid=chart-replication]');
        await chart.waitFor({ state: 'visible' });
        // Each poll (every second) redraws it; wait for one that holds the replicated write.
        const deadline = Date.now() + 15_000;
        for (;;) {
          const sums = JSON.parse((await chart.getAttribute('data-sums')) ?? '{}') as Record<string, number>;
          if ((sums['us-west-2'] ?? 0) > 0) break;
          if (Date.now() > deadline) assert.fail(`no replication latency charted: ${JSON.stringify(sums)}`);
          await page.waitForTimeout(100);
        }
        assert.deepEqual(s.errors, []);
      });
    },
  );
});
