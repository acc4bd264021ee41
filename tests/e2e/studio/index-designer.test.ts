// Browser mode, index designer: on a table where only some items carry the key attribute (and a few
// carry it with another type), the preview of a sparse GSI counts exactly the items it will hold and
// sizes it as the engine will; a saved query shows it would go from a Scan to a Query; creating the
// index follows its backfill to ACTIVE; the access-pattern view then picks it, and EXPLAIN/Query use
// it. An LSI is created with a new table through the create-table dialog, filled in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Studio } from './support.js';
import {
  openStudio,
  screenshotOnFailure,
  seedItems,
  setHash,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const OPEN_TICKETS = "SELECT * FROM Tickets WHERE status = 'open'";

describe('studio (browser mode): index designer', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    s.engine.execute('CreateTable', {
      TableName: 'Tickets',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    // 300 tickets: 100 with a string status (50 open), 4 with a numeric one, the rest without.
    seedItems(s.engine, 'Tickets', 300, (i) => ({
      id: { S: `ticket-${String(i).padStart(3, '0')}` },
      title: { S: `Ticket number ${i}` },
      body: { S: 'lorem ipsum '.repeat(1 + (i % 7)) },
      ...(i % 3 === 0
        ? { status: { S: i % 2 ? 'open' : 'closed' } }
        : i % 50 === 1
          ? { status: { N: '1' } }
          : {}),
      ...(i % 5 === 0 ? { assignee: { S: `dev-${i % 4}` } } : {}),
    }));
    s.engine.execute('CreateTable', {
      TableName: 'Orders',
      AttributeDefinitions: [
        { AttributeName: 'customer', AttributeType: 'S' },
        { AttributeName: 'orderId', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'customer', KeyType: 'HASH' },
        { AttributeName: 'orderId', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    seedItems(s.engine, 'Orders', 40, (i) => ({
      customer: { S: `c${i % 4}` },
      orderId: { S: `o${i}` },
      placedAt: { N: String(1_700_000_000 + i * 3600) },
    }));
    // A saved query and a history entry, kept beside the database as the PartiQL page keeps them.
    await s.api('queries', { op: 'save', name: 'open tickets', statement: OPEN_TICKETS });
    await s.api('queries', {
      op: 'addHistory',
      entry: { statement: "SELECT * FROM Tickets WHERE id = 'ticket-001'", at: 1, ok: true },
    });
    await openStudio(s, '#/query');
  });

  after(async () => {
    await s?.close();
  });

  it(
    'previews a sparse GSI exactly, creates it, and queries then use it',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await setHash(page, '#/indexes/Tickets');
        await waitForText(page, '[data-testid=designer-sample]', /whole table: 300 items/);
        // The attribute table shows each attribute's types and how many items carry them.
        await waitForText(
          page,
          '[data-testid=designer-attributes] tr[data-attribute=status]',
          /S 100.*N 4|S 100N 4/,
        );

        await page.selectOption('[data-testid=designer-pk]', 'status');
        await waitForText(page, '[data-testid=preview-count] .card-value', '100');
        await waitForText(page, '[data-testid=preview-count] .card-sub', /exact/);
        await page.waitForSelector('[data-testid=preview-wrong-type]');
        assert.equal(await page.inputValue('[data-testid=designer-name]'), 'status-index');

        await page.click('[data-testid=designer-projection-INCLUDE]');
        await page.check('[data-testid=include-title]');
        await waitForText(page, '[data-testid=preview-wcu] .card-value', '+1 WCU');
        const bytes = Number(await page.getAttribute('.preview-cards', 'data-bytes'));
        assert.ok(bytes > 0);
        // Sample rows show the projected attributes only.
        await page.waitForSelector('[data-testid=preview-rows] .ag-header-cell[col-id=title]');
        assert.equal(
          await page.locator('[data-testid=preview-rows] .ag-header-cell[col-id=body]').count(),
          0,
        );

        // The saved query reads the whole table today; on the index it would be a Query.
        await page.waitForSelector('[data-testid=impact-row][data-verdict=scan-to-query]');
        await waitForText(page, '[data-testid=impact-summary]', /turns 1 of your 2 queries/);
        await waitForText(page, '[data-testid=impact-row][data-verdict=scan-to-query] .code', OPEN_TICKETS);

        await page.click('[data-testid=designer-create]');
        await page.waitForSelector('[data-testid=backfill-status][data-status=ACTIVE]');
        await waitForText(page, '[data-testid=index-status-status-index]', 'ACTIVE');
        const described = s.engine.execute('DescribeTable', { TableName: 'Tickets' }) as {
          Table: {
            GlobalSecondaryIndexes: {
              IndexName: string;
              ItemCount: number;
              IndexSizeBytes: number;
              Projection: unknown;
            }[];
          };
        };
        const gsi = described.Table.GlobalSecondaryIndexes[0]!;
        assert.equal(gsi.IndexName, 'status-index');
        assert.equal(gsi.ItemCount, 100);
        assert.equal(gsi.IndexSizeBytes, bytes, 'the previewed size is the size the engine stores');
        assert.deepEqual(gsi.Projection, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] });

        // The access-pattern view: the statement as written scans; the new index serves it.
        await page.click('[data-testid=designer-tab-patterns]');
        await page.fill('[data-testid=pattern-input]', OPEN_TICKETS);
        await page.click('[data-testid=pattern-explain]');
        await page.waitForSelector('[data-testid=pattern-best][data-target=status-index]');
        assert.equal(
          await page.getAttribute('.pattern-row[data-target=status-index]', 'data-operation'),
          'Query',
        );
        assert.equal(await page.getAttribute('.pattern-row[data-target=""]', 'data-operation'), 'Scan');

        const plan = s.engine.explain(`SELECT id, title FROM "Tickets"."status-index" WHERE status = 'open'`);
        assert.equal(plan.Steps[0]!.Operation, 'Query');
        assert.equal(plan.Steps[0]!.IndexName, 'status-index');
        assert.equal(plan.FullTableScan, false);
        const rows = s.engine.execute('Query', {
          TableName: 'Tickets',
          IndexName: 'status-index',
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': { S: 'open' } },
        }) as { Count: number };
        assert.equal(rows.Count, 50);

        // Deleting asks for the index's name.
        await page.click('[data-testid=delete-index-status-index]');
        await page.waitForSelector('[data-testid=confirm-dialog]');
        await waitForText(page, '[data-testid=confirm-dialog] p strong', 'status-index');
        await page.fill('.confirm-input', 'status-index');
        await page.click('[data-testid=confirm-dialog] button.danger');
        await page.waitForSelector('[data-testid=delete-index-status-index]', { state: 'detached' });
        const after = s.engine.execute('DescribeTable', { TableName: 'Tickets' }) as {
          Table: { GlobalSecondaryIndexes?: unknown[] };
        };
        assert.equal(after.Table.GlobalSecondaryIndexes, undefined);
      });
    },
  );

  it(
    'creates a new table with a designed LSI through the create-table dialog',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await setHash(page, '#/indexes/Orders');
        await page.click('[data-testid=designer-tab-design]');
        await waitForText(page, '[data-testid=designer-sample]', /whole table: 40 items/);
        await page.click('[data-testid=designer-kind-LSI]');
        await page.selectOption('[data-testid=designer-sk]', 'placedAt');
        await waitForText(page, '[data-testid=preview-count] .card-value', '40');
        assert.equal(await page.inputValue('[data-testid=designer-name]'), 'customer-placedAt-index');
        await page.click('[data-testid=designer-create-table]');
        await page.waitForSelector('[data-testid=create-table]');
        assert.equal(await page.inputValue('[data-testid=table-name]'), 'Orders-v2');
        assert.equal(await page.inputValue('[data-testid=index-name-0]'), 'customer-placedAt-index');
        assert.equal(await page.inputValue('[data-testid=index-sk-0]'), 'placedAt');
        await page.click('[data-testid=create-submit]');
        await waitForText(page, '[data-testid=table-title]', 'Orders-v2');
        const d = s.engine.execute('DescribeTable', { TableName: 'Orders-v2' }) as {
          Table: { KeySchema: unknown; LocalSecondaryIndexes: { IndexName: string; KeySchema: unknown }[] };
        };
        assert.deepEqual(d.Table.KeySchema, [
          { AttributeName: 'customer', KeyType: 'HASH' },
          { AttributeName: 'orderId', KeyType: 'RANGE' },
        ]);
        assert.equal(d.Table.LocalSecondaryIndexes[0]!.IndexName, 'customer-placedAt-index');
        assert.deepEqual(d.Table.LocalSecondaryIndexes[0]!.KeySchema, [
          { AttributeName: 'customer', KeyType: 'HASH' },
          { AttributeName: 'placedAt', KeyType: 'RANGE' },
        ]);
      });
    },
  );
});
