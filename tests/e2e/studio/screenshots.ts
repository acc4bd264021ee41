// Takes the README's screenshots of the studio (docs/screenshots/*.png) from a small sample
// database: node --import tsx tests/e2e/studio/screenshots.ts
// Not a test (no .test.ts): run it by hand after changing how the studio looks.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../../engine/engine.js';
import { startServer } from '../../../main/server/index.js';
import { ROOT, openStudio, setEditorText, setHash, startStudio, waitForText } from './support.js';

const out = join(ROOT, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });

const s = await startStudio();
try {
  const e = s.engine;
  e.execute('CreateTable', {
    TableName: 'Orders',
    AttributeDefinitions: [
      { AttributeName: 'customer', AttributeType: 'S' },
      { AttributeName: 'orderId', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'customer', KeyType: 'HASH' },
      { AttributeName: 'orderId', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byStatus',
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'orderId', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  });
  e.execute('CreateTable', {
    TableName: 'Customers',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const names = ['ada', 'grace', 'linus', 'margaret', 'ken', 'barbara', 'edsger'];
  const statuses = ['PLACED', 'SHIPPED', 'DELIVERED', 'RETURNED'];
  const products = ['keyboard', 'monitor', 'mouse', 'dock', 'cable', 'headset', 'lamp'];
  for (let i = 0; i < 240; i++) {
    const item: Record<string, unknown> = {
      customer: { S: `customer#${names[i % names.length]}` },
      orderId: { S: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1000 + i)}` },
      status: { S: statuses[i % statuses.length] },
      total: { N: `${(i * 37) % 900}.${String((i * 13) % 100).padStart(2, '0')}` },
      items: { L: [{ M: { sku: { S: products[i % products.length] }, qty: { N: String(1 + (i % 3)) } } }] },
      tags: { SS: i % 3 === 0 ? ['gift', 'priority'] : ['standard'] },
      trackingId: { N: `9${String(i).padStart(3, '0')}123456789012345678901234` },
      address: {
        M: { city: { S: ['Paris', 'Berlin', 'Lisbon', 'Oslo'][i % 4] }, zip: { S: String(10000 + i * 7) } },
      },
    };
    if (i % 5 === 0) item.giftWrap = { BOOL: true };
    if (i % 7 === 0) item.signature = { B: 'iVBORw0KGgoAAAANSUhEUg==' };
    e.execute('PutItem', { TableName: 'Orders', Item: item });
  }
  for (const n of names)
    e.execute('PutItem', { TableName: 'Customers', Item: { id: { S: n }, since: { N: '2019' } } });

  const page = s.page;
  await page.setViewportSize({ width: 1440, height: 880 });
  await openStudio(s);
  await page.waitForSelector('[data-testid=partiql-editor] .monaco-editor');
  await setEditorText(
    page,
    '[data-testid=partiql-editor]',
    '-- Ctrl+Enter runs the statement at the cursor; Ctrl+Shift+Enter shows its plan\nSELECT customer, orderId, status, total, tags, trackingId, address\nFROM Orders\nWHERE customer = \'customer#ada\' AND begins_with(orderId, \'2026-0\')\n\nSELECT * FROM "Orders"."byStatus" WHERE status = ?',
  );
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Control+Enter');
  await waitForText(page, '[data-testid=result-count]', /items/);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'editor.png') });
  await page.click('.results .tab[data-tab=json]');
  await page.waitForSelector('[data-testid=results-text] .text-line');
  await page.screenshot({ path: join(out, 'results-json.png') });
  await page.click('.results .tab[data-tab=table]');

  await setEditorText(
    page,
    '[data-testid=partiql-editor]',
    "SELECT * FROM Orders WHERE total > 500 AND contains(tags, 'gift')",
  );
  await page.click('[data-testid=explain]');
  await page.waitForSelector('[data-testid=full-scan-warning]');
  await page.screenshot({ path: join(out, 'explain.png') });

  await setHash(page, '#/tables/Orders');
  await waitForText(page, '[data-testid=loaded-count]', /items/);
  await page.click('[data-testid=mode-Query]');
  await page.fill('[data-testid=pk-value]', 'customer#grace');
  await page.selectOption('[data-testid=sk-op]', 'BETWEEN');
  await page.fill('[data-testid=sk-value]', '2026-03');
  await page.fill('[data-testid=sk-value2]', '2026-09');
  await page.click('[data-testid=add-filter]');
  await page.fill('[data-testid=filter-attr-0]', 'total');
  await page.selectOption('[data-testid=filter-op-0]', '>');
  await page.selectOption('[data-testid=filter-type-0]', 'N');
  await page.fill('[data-testid=filter-value-0]', '100');
  await page.click('[data-testid=browse-run]');
  await waitForText(page, '[data-testid=browse-status]', /matched/);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'table-browser.png') });

  await page.click('[data-testid=show-code]');
  await page.click('[data-testid=code-lang-js-document]');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'codegen.png') });
  await page.keyboard.press('Escape');

  e.execute('UpdateTable', {
    TableName: 'Orders',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  });
  e.execute('UpdateTimeToLive', {
    TableName: 'Orders',
    TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
  });
  e.execute('CreateBackup', { TableName: 'Orders', BackupName: 'Orders-before-migration' });
  e.execute('TagResource', {
    ResourceArn: (e.execute('DescribeTable', { TableName: 'Orders' }) as { Table: { TableArn: string } })
      .Table.TableArn,
    Tags: [
      { Key: 'team', Value: 'checkout' },
      { Key: 'env', Value: 'dev' },
    ],
  });
  await page.click('[data-testid=table-settings-open]');
  await page.waitForSelector('[data-testid=settings-backup-row]');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'table-settings.png') });
  await page.keyboard.press('Escape');

  await page.dblclick('.items-grid .ag-row[row-index="1"] .ag-cell[col-id=total]');
  await page.waitForSelector('[data-testid=item-editor-text] .monaco-editor');
  await waitForText(page, '[data-testid=item-source]', /read from the table/);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(out, 'item-editor.png') });
  await page.keyboard.press('Escape');

  // A remote connection: a second endpoint standing in for another DynamoDB.
  const remoteEngine = Engine.inMemory();
  remoteEngine.execute('CreateTable', {
    TableName: 'ProdOrders',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (const [pk, status, total] of [
    ['order#1041', 'shipped', '129.90'],
    ['order#1042', 'pending', '42.00'],
    ['order#1043', 'delivered', '310.25'],
  ])
    remoteEngine.execute('PutItem', {
      TableName: 'ProdOrders',
      Item: { pk: { S: pk }, status: { S: status }, total: { N: total } },
    });
  const remote = await startServer({ engine: remoteEngine, port: 0, host: '127.0.0.1' });
  try {
    const added = (await s.api('connections', {
      op: 'add',
      name: 'Staging (another Sortkey)',
      endpoint: remote.url,
    })) as { connections: { id: string; name: string }[] };
    await page.reload();
    await page.waitForSelector('.topbar');
    const id = added.connections.find((c) => c.name.startsWith('Staging'))!.id;
    await page.selectOption('[data-testid=connection-select]', id);
    await waitForText(page, '[data-testid=connection-badge]', 'REMOTE');
    await waitForText(page, '.table-list', /ProdOrders/);
    // The remote connection has tabs of its own (the embedded database's are put away).
    await page.click('a.table-link[data-table=ProdOrders]');
    await waitForText(page, '[data-testid=table-title]', 'ProdOrders');
    await waitForText(page, '[data-testid=loaded-count]', '3 items');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, 'remote-connection.png') });
  } finally {
    await remote.close();
    remoteEngine.close();
  }
  console.log(`screenshots written to ${out}`);
} finally {
  await s.close();
}
