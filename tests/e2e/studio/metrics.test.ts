// Browser mode, metrics dashboards: while a load runs through the DynamoDB endpoint (the AWS SDK),
// the table's write-capacity chart moves from one poll to the next and the hot-key table names the
// hottest key; the overview lists the table; the settings panel turns throttling simulation on and
// injects faults, which the engine then reports and applies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Page } from 'playwright-core';
import type { Studio } from './support.js';
import {
  openStudio,
  screenshotOnFailure,
  setHash,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

interface ChartState {
  last: Record<string, number | null>;
  sums: Record<string, number>;
  lastX: number;
  updates: number;
}

async function chartState(page: Page, testId: string): Promise<ChartState> {
  const el = page.locator(`[data-testid=${testId}]`);
  const [last, sums, lastX, updates] = await Promise.all([
    el.getAttribute('data-last'),
    el.getAttribute('data-sums'),
    el.getAttribute('data-last-x'),
    el.getAttribute('data-updates'),
  ]);
  return {
    last: JSON.parse(last ?? '{}') as ChartState['last'],
    sums: JSON.parse(sums ?? '{}') as ChartState['sums'],
    lastX: Number(lastX),
    updates: Number(updates),
  };
}

/** Waits until the chart has been updated more than `after` times and `ok` holds. */
async function nextChartState(
  page: Page,
  testId: string,
  after: number,
  ok: (s: ChartState) => boolean = () => true,
  timeout = 15_000,
): Promise<ChartState> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const s = await chartState(page, testId);
    if (s.updates > after && ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`chart ${testId} did not update: ${JSON.stringify(s)}`);
    await page.waitForTimeout(100);
  }
}

describe('studio (browser mode): metrics dashboards', () => {
  let s: Studio;
  let client: DynamoDBClient;
  let loading = false;
  let load: Promise<void> | undefined;

  /** Puts and gets through the endpoint until stopped; key "hot" gets most of the traffic. */
  function startLoad(): void {
    loading = true;
    load = (async () => {
      let i = 0;
      while (loading) {
        const id = i % 4 === 0 ? `k${i % 40}` : 'hot';
        await client.send(
          new PutItemCommand({
            TableName: 'Load',
            Item: { id: { S: id }, n: { N: String(i) }, pad: { S: 'x'.repeat(600) } },
          }),
        );
        await client.send(new GetItemCommand({ TableName: 'Load', Key: { id: { S: id } } }));
        i++;
      }
    })();
  }

  async function stopLoad(): Promise<void> {
    loading = false;
    await load;
  }

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    client = new DynamoDBClient({
      endpoint: s.server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    s.engine.execute('CreateTable', {
      TableName: 'Load',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 50, WriteCapacityUnits: 40 },
    });
    await openStudio(s, '#/metrics/Load');
  });

  after(async () => {
    loading = false;
    await load?.catch(() => undefined);
    client?.destroy();
    await s?.close();
  });

  it(
    'plots write capacity that moves while a load runs, and the hot key',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await waitForText(page, '[data-testid=metrics-title]', 'Metrics · Load');
        const idle = await nextChartState(page, 'chart-write', 0);
        assert.equal(idle.last.Provisioned, 40);
        startLoad();
        // Two polls with consumed write capacity: the plotted series moves on with the clock and the load.
        const first = await nextChartState(
          page,
          'chart-write',
          idle.updates,
          (c) => (c.last.Consumed ?? 0) > 0,
        );
        const second = await nextChartState(
          page,
          'chart-write',
          first.updates + 1,
          (c) => c.lastX > first.lastX,
        );
        assert.ok(second.lastX > first.lastX, 'the chart advances in time');
        assert.ok((second.last.Consumed ?? 0) > 0, 'the newest consumed-WCU point is from the load');
        // The window slides over idle seconds on the left and loaded ones on the right: the plotted
        // consumed capacity only grows while the load runs.
        assert.ok(
          second.sums.Consumed! > first.sums.Consumed!,
          `${second.sums.Consumed} > ${first.sums.Consumed}`,
        );
        // Each put of a ~620-byte item is one WCU; reads are half an RCU (eventually consistent).
        const reads = await nextChartState(page, 'chart-read', 0, (c) => (c.last.Consumed ?? 0) > 0);
        assert.equal(reads.last.Provisioned, 50);
        const latency = await nextChartState(page, 'chart-latency', 0, (c) => c.last.p99 !== null);
        assert.ok((latency.last.p50 ?? 0) <= (latency.last.p99 ?? 0));
        await waitForText(page, '[data-testid=hot-accessed] tbody tr:first-child td:first-child', 'id = hot');
        await stopLoad();
      });
    },
  );

  it('lists every table in the overview', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await setHash(page, '#/metrics');
      await waitForText(page, '[data-testid=metrics-title]', 'Metrics · all tables');
      await page.waitForSelector('[data-testid=overview-row][data-table=Load]');
      const write = await page
        .locator('[data-testid=overview-row][data-table=Load] td[data-metric=write]')
        .textContent();
      assert.ok(Number(write) > 0, `Load consumed write capacity over the range: ${write}`);
      const state = await nextChartState(page, 'chart-write', 0, (c) => c.last.Load !== undefined);
      assert.ok('Load' in state.last);
    });
  });

  it('turns throttling simulation on and injects faults', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await setHash(page, '#/metrics/Load');
      await waitForText(page, '[data-testid=metrics-title]', 'Metrics · Load');
      await page.selectOption('[data-testid=throttle-mode]', 'provisioned');
      await waitForText(page, '[data-testid=buckets]', /Load read .*\(50 RCU\)/);
      const mode = s.engine.executeSortkey('DescribeThrottling', {}) as { Mode: string };
      assert.equal(mode.Mode, 'provisioned');

      await page.click('[data-testid=faults-toggle]');
      await page.selectOption('[data-testid=fault-type-0]', 'InternalServerError');
      await page.fill('[data-testid=fault-prob-0]', '100');
      await page.fill('[data-testid=fault-ops-0]', 'GetItem');
      await page.click('[data-testid=fault-add]');
      await page.selectOption('[data-testid=fault-type-1]', 'Latency');
      await page.fill('[data-testid=fault-prob-1]', '25');
      await page.fill('[data-testid=fault-latency-1]', '150');
      await page.fill('[data-testid=fault-tables-1]', '');
      await page.click('[data-testid=faults-apply]');
      await waitForText(page, '[data-testid=faults-summary]', /2 fault rules/);
      const faults = s.engine.executeSortkey('DescribeThrottling', {}) as { Faults: unknown[] };
      assert.deepEqual(faults.Faults, [
        { Type: 'InternalServerError', Probability: 1, Operations: ['GetItem'], Tables: ['Load'] },
        { Type: 'Latency', Probability: 0.25, LatencyMs: 150 },
      ]);
      await assert.rejects(
        client.send(new GetItemCommand({ TableName: 'Load', Key: { id: { S: 'hot' } } })),
        (e: Error) => e.name === 'InternalServerError',
      );

      await page.click('[data-testid=faults-clear]');
      await waitForText(page, '[data-testid=faults-summary]', 'No faults injected');
      await page.selectOption('[data-testid=throttle-mode]', 'off');
      await page.waitForFunction(
        () =>
          (
            globalThis as unknown as {
              document: { querySelector(s: string): { textContent: string } | null };
            }
          ).document.querySelector('[data-testid=buckets]')?.textContent === '',
      );
      const cleared = s.engine.executeSortkey('DescribeThrottling', {}) as {
        Mode: string;
        Faults: unknown[];
      };
      assert.deepEqual([cleared.Mode, cleared.Faults], ['off', []]);
    });
  });
  it('switches reads to eventually consistent and back', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await setHash(page, '#/metrics/Load');
      await waitForText(page, '[data-testid=metrics-title]', 'Metrics · Load');
      // A seed whose first delays are long (seconds): the read below is reliably stale.
      s.engine.executeSortkey('SetConsistency', { Mode: 'strong', Seed: 42 });
      await page.waitForSelector('[data-testid=consistency-line]:not([hidden])');
      const consistency = () =>
        s.engine.executeSortkey('DescribeConsistency', {}) as { Mode: string; WindowMs: number };
      const until = async (ok: () => boolean) => {
        for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
        assert.ok(ok());
      };
      await page.fill('[data-testid=consistency-window]', '60000');
      await page.dispatchEvent('[data-testid=consistency-window]', 'change');
      await until(() => consistency().WindowMs === 60000);
      await page.selectOption('[data-testid=consistency-mode]', 'eventual');
      await until(() => consistency().Mode === 'eventual');
      const on = s.engine.executeSortkey('DescribeConsistency', {}) as { Mode: string; WindowMs: number };
      assert.deepEqual([on.Mode, on.WindowMs], ['eventual', 60000]);
      // Read one's own write without ConsistentRead: not there yet; with it, there.
      await client.send(new PutItemCommand({ TableName: 'Load', Item: { id: { S: 'fresh' } } }));
      const stale = await client.send(new GetItemCommand({ TableName: 'Load', Key: { id: { S: 'fresh' } } }));
      assert.equal(stale.Item, undefined);
      const strong = await client.send(
        new GetItemCommand({ TableName: 'Load', Key: { id: { S: 'fresh' } }, ConsistentRead: true }),
      );
      assert.equal(strong.Item?.id?.S, 'fresh');

      await page.selectOption('[data-testid=consistency-mode]', 'strong');
      await until(() => consistency().Mode === 'strong');
      const off = s.engine.executeSortkey('DescribeConsistency', {}) as { Mode: string };
      assert.equal(off.Mode, 'strong');
      const current = await client.send(
        new GetItemCommand({ TableName: 'Load', Key: { id: { S: 'fresh' } } }),
      );
      assert.equal(current.Item?.id?.S, 'fresh');
    });
  });
});
