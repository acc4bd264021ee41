// Browser mode, auto scaling and alarms on a table's dashboard: a policy set through the panel
// scales the table out while a load runs through the endpoint (the server's scaler at
// --scaling-speed 60: a scaled minute per second), and the panel shows the new capacity and the
// activity; an alarm added through the panel goes from INSUFFICIENT_DATA to ALARM under the load.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Studio } from './support.js';
import { openStudio, screenshotOnFailure, skipBrowser, startStudio, waitForText } from './support.js';

describe('studio (browser mode): auto scaling and alarms', () => {
  let s: Studio;
  let client: DynamoDBClient;
  let loading = false;
  let load: Promise<void> | undefined;

  function startLoad(): void {
    loading = true;
    load = (async () => {
      let i = 0;
      while (loading) {
        await client.send(new PutItemCommand({ TableName: 'Scaled', Item: { id: { S: `k${i % 20}` } } }));
        await client.send(
          new GetItemCommand({ TableName: 'Scaled', Key: { id: { S: `k${i % 20}` } }, ConsistentRead: true }),
        );
        i++;
      }
    })();
  }

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio({ scalingSpeed: 60, automationIntervalMs: 100 });
    client = new DynamoDBClient({
      endpoint: s.server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    s.engine.execute('CreateTable', {
      TableName: 'Scaled',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
    });
    await openStudio(s, '#/metrics/Scaled');
  });

  after(async () => {
    loading = false;
    await load?.catch(() => undefined);
    client?.destroy();
    await s?.close();
  });

  it(
    'sets a policy in the panel and shows the scale-out the load causes',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await waitForText(page, '[data-testid=metrics-title]', 'Metrics · Scaled');
        await page.selectOption('[data-testid=scaling-dimension]', 'ReadCapacityUnits');
        await page.fill('[data-testid=scaling-min]', '3');
        await page.fill('[data-testid=scaling-max]', '400');
        await page.fill('[data-testid=scaling-target]', '70');
        await page.click('[data-testid=scaling-save]');
        // Below the minimum: raised to it at the scaler's next turn.
        await waitForText(page, '[data-testid=scaling-capacity--ReadCapacityUnits]', ' · now 3');
        await waitForText(page, '[data-testid=scaling-activities]', /read 2 → 3 · Successful/);
        startLoad();
        // Two scaled minutes above 70 %: scale out, in DescribeTable and in the panel.
        await page.waitForFunction(
          () => {
            const doc = (
              globalThis as unknown as {
                document: { querySelector(s: string): { getAttribute(n: string): string | null } | null };
              }
            ).document;
            const el = doc.querySelector('[data-testid="scaling-policy--ReadCapacityUnits"]');
            return Number(el?.getAttribute('data-capacity') ?? 0) > 3;
          },
          null,
          { timeout: 20_000 },
        );
        const described = s.engine.execute('DescribeTable', { TableName: 'Scaled' }) as {
          Table: { ProvisionedThroughput: { ReadCapacityUnits: number } };
        };
        assert.ok(described.Table.ProvisionedThroughput.ReadCapacityUnits > 3);
        await waitForText(page, '[data-testid=scaling-activities]', /read 3 → \d+ · Successful/);
      });
    },
  );

  it(
    'adds an alarm that moves to ALARM under the load and can be removed',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        if (!loading) startLoad();
        await page.fill('[data-testid=alarm-name]', 'BusyWrites');
        await page.selectOption('[data-testid=alarm-metric]', 'ConsumedWriteCapacityUnits');
        await page.selectOption('[data-testid=alarm-statistic]', 'Sum');
        await page.selectOption('[data-testid=alarm-comparison]', 'GreaterThanThreshold');
        await page.fill('[data-testid=alarm-threshold]', '1');
        await page.fill('[data-testid=alarm-period]', '1');
        await page.fill('[data-testid=alarm-evaluations]', '2');
        await page.fill('[data-testid=alarm-datapoints]', '2');
        await page.click('[data-testid=alarm-save]');
        await waitForText(page, '[data-testid=alarm-state-BusyWrites]', /^(INSUFFICIENT_DATA|OK|ALARM)$/);
        await waitForText(page, '[data-testid=alarm-state-BusyWrites]', 'ALARM');
        await waitForText(
          page,
          '[data-testid=alarm-BusyWrites]',
          /Threshold Crossed: 2 out of the last 2 datapoints/,
        );
        loading = false;
        await load;
        await waitForText(page, '[data-testid=alarm-state-BusyWrites]', 'OK');
        await page.click('[data-testid=alarm-remove-BusyWrites]');
        await waitForText(page, '[data-testid=alarms]', 'No alarms.');
      });
    },
  );
});
