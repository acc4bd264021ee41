// The streams viewer (issue #19, point 6): a table without a stream offers to enable one; then the
// viewer tails INSERT, MODIFY and REMOVE records as other clients write, shows old and new images,
// and filters by key and by event.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Studio } from './support.js';
import {
  createOrdersTable,
  openStudio,
  screenshotOnFailure,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const RECORDS = '[data-testid=stream-viewer] [data-testid=stream-record]';

describe('studio: streams viewer', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    createOrdersTable(s.engine);
  });

  after(async () => {
    await s?.close();
  });

  it('tails the stream live, with images, filtered by key and event', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await openStudio(s, '#/tables/Orders');
      await page.click('[data-testid=stream-open]');
      await page.click('[data-testid=stream-enable]');
      await waitForText(page, '[data-testid=stream-status]', /NEW_AND_OLD_IMAGES · 0 records · live/);

      // Writes by another client (the SDK, the shell) while the viewer is open.
      const put = (pk: string, sk: number, v: string): void =>
        void s.engine.execute('PutItem', {
          TableName: 'Orders',
          Item: { pk: { S: pk }, sk: { N: String(sk) }, v: { S: v } },
        });
      put('c1', 1, 'first');
      put('c2', 1, 'other');
      put('c1', 1, 'second');
      s.engine.execute('DeleteItem', { TableName: 'Orders', Key: { pk: { S: 'c1' }, sk: { N: '1' } } });
      await waitForText(page, '[data-testid=stream-status]', /4 records/);
      const events = await page
        .locator(RECORDS)
        .evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { event: string } }).dataset.event));
      assert.deepEqual(events, ['REMOVE', 'MODIFY', 'INSERT', 'INSERT'], 'newest first');

      const modify = page.locator(`${RECORDS}[data-event=MODIFY]`);
      await modify.locator('summary').click();
      const images = await modify.locator('.stream-image pre').allTextContents();
      assert.equal(images.length, 2);
      assert.match(images[0]!, /"v": "first"/);
      assert.match(images[1]!, /"v": "second"/);
      assert.match((await modify.locator('.stream-key').textContent()) ?? '', /pk = "c1", sk = 1/);

      await page.fill('[data-testid=stream-filter]', 'c2');
      await page.waitForFunction(
        (sel) =>
          (
            globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
          ).document.querySelectorAll(sel).length === 1,
        RECORDS,
      );
      await page.fill('[data-testid=stream-filter]', '');
      await page.selectOption('[data-testid=stream-event]', 'REMOVE');
      assert.equal(await page.locator(RECORDS).count(), 1);
      assert.equal(await page.locator(`${RECORDS}[data-event=REMOVE]`).count(), 1);
      await page.selectOption('[data-testid=stream-event]', '');

      // Paused: new records wait; resumed: they arrive.
      await page.click('[data-testid=stream-pause]');
      put('c3', 1, 'while paused');
      await page.waitForTimeout(1500); // longer than a poll: nothing may arrive while paused
      assert.equal(await page.locator(RECORDS).count(), 4);
      await page.click('[data-testid=stream-pause]');
      await waitForText(page, '[data-testid=stream-status]', /5 records/);
      await page.keyboard.press('Escape');
    });
  });
});
