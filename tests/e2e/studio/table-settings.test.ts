// Table settings in the studio (issue #19, point 5): Create Table offers class, deletion protection,
// stream, TTL, point-in-time recovery and tags; the settings dialog shows and changes each of them,
// and creates, lists and restores on-demand backups to a new table. Checked in the engine itself.
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

type AnyRecord = Record<string, unknown>;

describe('studio: table settings', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    createOrdersTable(s.engine);
    seedItems(s.engine, 'Orders', 12, (i) => ({ pk: { S: `c${i % 3}` }, sk: { N: String(i) } }));
  });

  after(async () => {
    await s?.close();
  });

  const describeTable = (name: string): AnyRecord =>
    (s.engine.execute('DescribeTable', { TableName: name }) as { Table: AnyRecord }).Table;
  const ttlOf = (name: string): AnyRecord =>
    (s.engine.execute('DescribeTimeToLive', { TableName: name }) as { TimeToLiveDescription: AnyRecord })
      .TimeToLiveDescription;
  const pitrOf = (name: string): unknown =>
    (
      s.engine.execute('DescribeContinuousBackups', { TableName: name }) as {
        ContinuousBackupsDescription: {
          PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: string };
        };
      }
    ).ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus;
  const tagsOf = (name: string): unknown =>
    (
      s.engine.execute('ListTagsOfResource', { ResourceArn: describeTable(name).TableArn }) as {
        Tags: unknown;
      }
    ).Tags;

  it(
    'Create Table sets class, protection, stream, TTL, recovery and tags',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await openStudio(s, '#/tables/Orders');
        await page.click('[data-testid=new-table]');
        await page.fill('[data-testid=table-name]', 'Events');
        await page.fill('[data-testid=create-table] [data-testid=pk-name]', 'id');
        await page.click('[data-testid=create-more] summary');
        await page.selectOption('[data-testid=create-table-class]', 'STANDARD_INFREQUENT_ACCESS');
        await page.check('[data-testid=create-deletion-protection]');
        await page.selectOption('[data-testid=create-stream]', 'NEW_IMAGE');
        await page.fill('[data-testid=create-ttl]', 'expiresAt');
        await page.check('[data-testid=create-pitr]');
        await page.fill('[data-testid=create-tags]', 'team=data, env=dev');
        await page.click('[data-testid=create-submit]');
        await waitForText(page, '[data-testid=table-title]', 'Events');

        const table = describeTable('Events');
        assert.deepEqual(table.TableClassSummary, { TableClass: 'STANDARD_INFREQUENT_ACCESS' });
        assert.equal(table.DeletionProtectionEnabled, true);
        assert.deepEqual(table.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
        assert.deepEqual(ttlOf('Events'), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
        assert.equal(pitrOf('Events'), 'ENABLED');
        assert.deepEqual(tagsOf('Events'), [
          { Key: 'team', Value: 'data' },
          { Key: 'env', Value: 'dev' },
        ]);
      });
    },
  );

  it(
    'shows and changes every setting of a table, and restores a backup to a new table',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await openStudio(s, '#/tables/Orders');
        await page.click('[data-testid=table-settings-open]');
        await waitForText(page, '[data-testid=settings-ttl-status]', 'DISABLED');
        const settled = async (): Promise<void> => {
          await page.waitForSelector('[data-testid=table-settings] .settings:not(.busy)');
          assert.equal(await page.locator('[data-testid=settings-error]').textContent(), '');
        };

        await page.selectOption('[data-testid=settings-billing-mode]', 'PROVISIONED');
        await page.fill('[data-testid=settings-rcu]', '4');
        await page.fill('[data-testid=settings-wcu]', '2');
        await page.click('[data-testid=settings-billing-save]');
        await settled();
        const throughput = describeTable('Orders').ProvisionedThroughput as AnyRecord;
        assert.deepEqual([throughput.ReadCapacityUnits, throughput.WriteCapacityUnits], [4, 2]);

        await page.selectOption('[data-testid=settings-table-class]', 'STANDARD_INFREQUENT_ACCESS');
        await settled();
        assert.equal(
          (describeTable('Orders').TableClassSummary as AnyRecord).TableClass,
          'STANDARD_INFREQUENT_ACCESS',
        );

        await page.check('[data-testid=settings-deletion-protection]');
        await settled();
        assert.equal(describeTable('Orders').DeletionProtectionEnabled, true);

        await page.fill('[data-testid=settings-ttl-attribute]', 'expiresAt');
        await page.click('[data-testid=settings-ttl-toggle]');
        await waitForText(page, '[data-testid=settings-ttl-status]', 'ENABLED');
        assert.deepEqual(ttlOf('Orders'), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });

        await page.selectOption('[data-testid=settings-stream-view]', 'KEYS_ONLY');
        await page.click('[data-testid=settings-stream-toggle]');
        await waitForText(page, '[data-testid=settings-stream-status]', 'ENABLED · KEYS_ONLY');
        assert.deepEqual(describeTable('Orders').StreamSpecification, {
          StreamEnabled: true,
          StreamViewType: 'KEYS_ONLY',
        });

        await page.click('[data-testid=settings-pitr-toggle]');
        await waitForText(page, '[data-testid=settings-pitr-status]', 'ENABLED');
        assert.equal(pitrOf('Orders'), 'ENABLED');

        await page.fill('[data-testid=settings-backup-name]', 'nightly');
        await page.click('[data-testid=settings-backup-create]');
        await page.waitForSelector('[data-testid=settings-backup-row]');
        assert.match(
          (await page.locator('[data-testid=settings-backup-row]').textContent()) ?? '',
          /nightly/,
        );
        await page.click('[data-testid=settings-backup-restore]');
        await page.fill('[data-testid=prompt-dialog] input', 'OrdersCopy');
        await page.click('[data-testid=prompt-dialog] button:has-text("OK")');
        await settled();
        const copy = s.engine.execute('Scan', { TableName: 'OrdersCopy', Select: 'COUNT' }) as {
          Count: number;
        };
        assert.equal(copy.Count, 12);
        await page.waitForSelector('.table-list [data-table=OrdersCopy]');

        await page.click('[data-testid=settings-tag-add]');
        await page.fill('[data-testid=settings-tag-key-0]', 'owner');
        await page.fill('[data-testid=settings-tag-value-0]', 'ada');
        await page.click('[data-testid=settings-tags-save]');
        await settled();
        assert.deepEqual(tagsOf('Orders'), [{ Key: 'owner', Value: 'ada' }]);
        await page.click('[data-testid=settings-tags] [aria-label="Remove tag"]');
        await page.click('[data-testid=settings-tags-save]');
        await page.waitForSelector('[data-testid=settings-tags] [aria-label="Tag key"]', {
          state: 'detached',
        });
        await settled();
        assert.deepEqual(tagsOf('Orders'), []);

        // DynamoDB's own refusal is shown in the dialog: the table is protected from deletion.
        await page.keyboard.press('Escape');
        await page.click('[data-testid=delete-table]');
        await page.fill('.confirm-input', 'Orders');
        await page.click('[data-testid=confirm-dialog] button.danger');
        await page.waitForSelector('.toast-error');
        assert.match(
          (await page.locator('.toast-error').first().textContent()) ?? '',
          /deletion protection/i,
        );
        assert.ok(describeTable('Orders'));
      });
    },
  );
});
