// The audit log page (issue #21, audit log): with `--audit`, the studio lists the endpoint's
// requests newest first, filters them by outcome, table, operation and access key, opens a record's
// CloudTrail JSON, and shows new requests while live. Without an audit log the page says how to
// get one and the navigation hides it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Studio } from './support.js';
import {
  createOrdersTable,
  openStudio,
  screenshotOnFailure,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const ROWS = '[data-testid=audit-row]';

describe('studio: audit log', () => {
  let s: Studio;
  let plain: Studio;
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-e2e-audit-'));
  const clients: DynamoDBClient[] = [];
  const client = (key: string): DynamoDBClient => {
    const c = new DynamoDBClient({
      endpoint: s.server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: key, secretAccessKey: 'x' },
    });
    clients.push(c);
    return c;
  };

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio({}, { audit: { file: join(dir, 'audit.log') } });
    createOrdersTable(s.engine);
  });

  after(async () => {
    for (const c of clients) c.destroy();
    await s?.close();
    await plain?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists, filters and opens the endpoint’s requests, live', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const alice = client('AKIDALICE');
      const bob = client('AKIDBOB');
      await alice.send(
        new PutItemCommand({
          TableName: 'Orders',
          Item: { pk: { S: 'c1' }, sk: { N: '1' }, card: { S: 'SECRET-CARD' } },
        }),
      );
      await bob.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'c1' }, sk: { N: '1' } } }));
      await assert.rejects(bob.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'c1' } } })));
      await assert.rejects(bob.send(new GetItemCommand({ TableName: 'Nope', Key: { pk: { S: 'x' } } })));

      const page = s.page;
      await openStudio(s, '#/query');
      await page.waitForSelector('[data-nav=audit]:not([hidden])');
      await page.click('[data-nav=audit]');
      await waitForText(page, '[data-testid=audit-status]', /4 records/);
      const names = await page
        .locator(ROWS)
        .evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { event: string } }).dataset.event));
      assert.deepEqual(names, ['GetItem', 'GetItem', 'GetItem', 'PutItem'], 'newest first');
      assert.equal(await page.getByText('SECRET-CARD').count(), 0, 'an item body is on the page');

      await page.selectOption('[data-testid=audit-outcome]', 'any');
      await waitForText(page, '[data-testid=audit-status]', /2 records/);
      const outcomes = await page.locator(`${ROWS} [data-testid=audit-outcome-cell]`).allTextContents();
      assert.deepEqual(outcomes, ['ResourceNotFoundException', 'ValidationException']);

      await page.selectOption('[data-testid=audit-table]', 'Orders');
      await waitForText(page, '[data-testid=audit-status]', /1 record\b/);
      await page.selectOption('[data-testid=audit-outcome]', '');
      await waitForText(page, '[data-testid=audit-status]', /3 records/);

      await page.fill('[data-testid=audit-key]', 'AKIDALICE');
      await page.press('[data-testid=audit-key]', 'Enter');
      await waitForText(page, '[data-testid=audit-status]', /1 record\b/);
      await page.click(ROWS);
      const json = await page.locator('[data-testid=audit-json]').textContent();
      const record = JSON.parse(json ?? '{}') as Record<string, unknown>;
      assert.equal(record.eventName, 'PutItem');
      assert.equal(record.eventSource, 'dynamodb.amazonaws.com');
      assert.deepEqual((record.requestParameters as { key: unknown }).key, { pk: 'c1', sk: '1' });

      // Live: another request by Alice shows up without touching the page.
      await alice.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'c2' }, sk: { N: '2' } } }));
      await waitForText(page, '[data-testid=audit-status]', /2 records/);
      assert.deepEqual(s.errors, []);
    });
  });

  it('hides the page when the endpoint keeps no audit log', { skip: skipBrowser }, async (t) => {
    plain = await startStudio();
    await screenshotOnFailure(t, plain.page, async () => {
      await openStudio(plain, '#/query');
      await plain.page.waitForSelector('.conn-info .version');
      assert.equal(await plain.page.locator('[data-nav=audit]').isHidden(), true);
      await openStudio(plain, '#/audit');
      await waitForText(plain.page, '[data-testid=audit-records]', /No audit log/);
    });
  });
});
