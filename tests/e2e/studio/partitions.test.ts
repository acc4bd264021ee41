// Browser mode, the partition map on a table's metrics page: the hash space cut into partitions
// (three for 6,000 RCU / 1,000 WCU, more once items outgrow a small partition size), each with its
// hash range, sample keys, size and heat; the splits; and, while one key takes most of the writes,
// how adaptive capacity would isolate it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DescribePartitionsOutput } from '../../../engine/operations/describePartitions.js';
import type { Studio } from './support.js';
import { openStudio, screenshotOnFailure, skipBrowser, startStudio, waitForText } from './support.js';

describe('studio (browser mode): partition map', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio({ partitionSizeLimitBytes: 8 * 1024 });
    s.engine.execute('CreateTable', {
      TableName: 'Parts',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 6000, WriteCapacityUnits: 1000 },
    });
    for (let i = 0; i < 40; i++) {
      s.engine.execute('PutItem', {
        TableName: 'Parts',
        Item: { id: { S: `item-${i}` }, pad: { S: 'x'.repeat(600) } },
      });
    }
    await openStudio(s, '#/metrics/Parts');
  });

  after(async () => {
    await s?.close();
  });

  it(
    'shows the partitions with hash ranges, sample keys, sizes and splits, and the hot key adaptive capacity would isolate',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await waitForText(page, '[data-testid=metrics-title]', 'Metrics · Parts');
        const map = s.engine.executeSortkey('DescribePartitions', {
          TableName: 'Parts',
        }) as DescribePartitionsOutput;
        assert.ok(map.Partitions.length > 3, `${map.Partitions.length} partitions`);
        await page.waitForSelector(`[data-testid=partition-map][data-partitions="${map.Partitions.length}"]`);
        assert.equal(await page.locator('[data-testid=partition-seg]').count(), map.Partitions.length);
        const rows = page.locator('[data-testid=partition-row]');
        assert.equal(await rows.count(), map.Partitions.length);
        // Each row: its hash range, sample keys, items and size as the engine has them.
        for (let i = 0; i < map.Partitions.length; i++) {
          const p = map.Partitions[i]!;
          const cells = await rows.nth(i).locator('td').allTextContents();
          assert.equal(cells[1], `${p.HashRangeStart}–${p.HashRangeEnd}`);
          if (p.ItemCount > 0) assert.match(cells[2]!, /^id = item-\d+/);
          assert.equal(cells[3], String(p.ItemCount));
        }
        assert.equal(
          map.Partitions.reduce((n, p) => n + p.ItemCount, 0),
          40,
        );
        await waitForText(
          page,
          '[data-testid=partition-splits] tbody tr:first-child td:nth-child(2)',
          'size',
        );

        // One key takes most of the writes: the adaptive-capacity panel names it.
        let writing = true;
        const load = (async () => {
          let i = 0;
          while (writing) {
            s.engine.execute('PutItem', {
              TableName: 'Parts',
              Item: { id: { S: i % 8 === 0 ? `item-${i % 40}` : 'hot' } },
            });
            i++;
            if (i % 50 === 0) await new Promise((r) => setTimeout(r, 20));
          }
        })();
        try {
          await waitForText(page, '[data-testid=adaptive-key]', 'id = hot');
          await waitForText(
            page,
            '[data-testid=adaptive-explanation]',
            /isolates the key on a partition of its own/,
          );
          const heat = await page
            .locator('[data-testid=partition-row].partition-row td:nth-child(7)')
            .allTextContents();
          assert.ok(
            heat.some((v) => Number(v) > 0),
            `write heat shown: ${heat.join(' ')}`,
          );
        } finally {
          writing = false;
          await load;
        }
      });
    },
  );
});
