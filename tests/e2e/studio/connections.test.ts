// Browser mode, connections (issue #19, "In the studio" point 1): a second Sortkey server stands
// in for a remote endpoint and, through an AWS profile and region whose DynamoDB endpoint the SDK's
// standard AWS_ENDPOINT_URL_DYNAMODB setting points at it, for a region; a dynalite instance is a service without PartiQL. Remote writes ask first and the frame
// says where they go; read-only connections are refused by the backend; PartiQL views explain what
// the service lacks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RemoteConnection } from '../../../engine/connection/index.js';
import { Engine } from '../../../engine/engine.js';
import { startServer } from '../../../main/server/index.js';
import type { SortkeyServer } from '../../../main/server/index.js';
import type { ConnectionsState } from '../../../renderer/src/backend/api.js';
import type { Studio } from './support.js';
import {
  openStudio,
  screenshotOnFailure,
  setEditorText,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const EDITOR = '[data-testid=partiql-editor]';

function table(name: string) {
  return {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

describe('studio (browser mode): connections', { skip: skipBrowser }, () => {
  let s: Studio;
  let remoteEngine: Engine;
  let remote: SortkeyServer;
  let dynalite: Server;
  let dynaliteUrl: string;
  const awsDir = mkdtempSync(join(tmpdir(), 'sortkey-aws-'));
  const savedEnv = { ...process.env };

  before(async () => {
    if (skipBrowser) return;
    remoteEngine = Engine.inMemory();
    remoteEngine.execute('CreateTable', table('Far'));
    // One namespace for every region (--shared-db): the endpoint and the profile's region
    // (eu-west-1) both reach the same tables, as two ways into one remote service.
    remote = await startServer({ engine: remoteEngine, port: 0, host: '127.0.0.1', sharedDb: true });
    // An AWS profile and region whose DynamoDB is the second server: "DynamoDB in a region"
    // without AWS (the SDK's service-specific endpoint setting; explicit endpoints still win).
    writeFileSync(join(awsDir, 'config'), `[profile staging]\nregion = eu-west-1\n`);
    process.env.AWS_ENDPOINT_URL_DYNAMODB = remote.url;
    writeFileSync(
      join(awsDir, 'credentials'),
      '[staging]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n',
    );
    process.env.AWS_CONFIG_FILE = join(awsDir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(awsDir, 'credentials');
    const make = createRequire(import.meta.url)('dynalite') as (o?: object) => Server;
    dynalite = make({ createTableMs: 0 });
    await new Promise<void>((r) => dynalite.listen(0, '127.0.0.1', r));
    dynaliteUrl = `http://127.0.0.1:${(dynalite.address() as AddressInfo).port}`;
    const d = new RemoteConnection({ endpoint: dynaliteUrl });
    await d.callAny('CreateTable', table('Legacy'));
    await d.callAny('PutItem', { TableName: 'Legacy', Item: { pk: { S: 'old' } } });
    await d.close();
    s = await startStudio();
  });
  after(async () => {
    process.env = savedEnv;
    await s?.close();
    await remote?.close();
    remoteEngine?.close();
    dynalite?.close();
    rmSync(awsDir, { recursive: true, force: true });
  });

  const state = () => s.api('connections', { op: 'list' }) as Promise<ConnectionsState>;
  const idOf = async (name: string) => (await state()).connections.find((c) => c.name === name)!.id;
  const remoteItems = () =>
    (
      remoteEngine.execute('Scan', { TableName: 'Far' }) as { Items: Record<string, { S: string }>[] }
    ).Items.map((i) => i.pk!.S).sort();

  it('adds an endpoint, switches to it, and marks the frame as remote', async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await openStudio(s);
      await page.click('[data-testid=manage-connections]');
      await page.fill('[data-testid=new-connection-name]', 'Staging server');
      await page.fill('[data-testid=new-connection-endpoint]', remote.url);
      await page.click('[data-testid=add-endpoint]');
      await page.waitForSelector('[data-connection="Staging server"]');
      await page.click('[data-testid=connections-dialog] .modal-footer button');
      await page.selectOption('[data-testid=connection-select]', await idOf('Staging server'));
      await waitForText(page, '[data-testid=connection-badge]', 'REMOTE');
      assert.equal(await page.evaluate('document.body.classList.contains("remote-connection")'), true);
      // The region picker is the embedded database's: hidden while a remote connection is in use.
      assert.equal(await page.evaluate('document.querySelector(".region-box").hidden'), true);
      await waitForText(page, '.table-list', /Far/);
    });
  });

  it('asks before a remote write, sends nothing when declined, writes when confirmed', async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await setEditorText(page, EDITOR, `INSERT INTO Far VALUE {'pk': 'one'}`);
      await page.click('[data-testid=run]');
      await waitForText(
        page,
        '[data-testid=remote-write-confirm]',
        /Write to Staging server\?.*Staging server/s,
      );
      await page.click('[data-testid=remote-write-cancel]');
      await waitForText(page, '[data-testid=results-error]', /Nothing was sent to Staging server/);
      assert.deepEqual(remoteItems(), []);
      await page.click('[data-testid=run]');
      await page.click('[data-testid=remote-write-ok]');
      await page.waitForSelector('[data-testid=write-result]');
      assert.deepEqual(remoteItems(), ['one']);
    });
  });

  it('refuses writes on a read-only connection in the backend, without asking', async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await page.click('[data-testid=manage-connections]');
      await page.check('[data-testid="read-only-Staging server"]');
      await page.click('[data-testid=connections-dialog] .modal-footer button');
      await waitForText(page, '[data-testid=connection-badge]', 'REMOTE · READ-ONLY');
      await setEditorText(page, EDITOR, `INSERT INTO Far VALUE {'pk': 'two'}`);
      await page.click('[data-testid=run]');
      await waitForText(page, '[data-testid=results-error]', /read-only: ExecuteStatement was not sent/);
      assert.equal(await page.$('[data-testid=remote-write-confirm]'), null);
      assert.deepEqual(remoteItems(), ['one']);
      // Direct calls are refused too: the UI is not the guard.
      await assert.rejects(
        s.api('putItem', { table: 'Far', item: { pk: { S: 'three' } } }),
        /AccessDeniedException/,
      );
      assert.deepEqual(remoteItems(), ['one']);
    });
  });

  it('reaches a region through an AWS profile (names only in the UI) and plans EXPLAIN from DescribeTable', async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      const listed = await state();
      assert.deepEqual(listed.awsProfiles, ['staging']);
      assert.doesNotMatch(JSON.stringify(listed), /AKIDEXAMPLE|secret/);
      await s.api('connections', {
        op: 'add',
        name: 'Staging account',
        profile: 'staging',
        region: 'eu-west-1',
      });
      await page.reload();
      await page.waitForSelector('.topbar');
      await page.selectOption('[data-testid=connection-select]', await idOf('Staging account'));
      await waitForText(page, '.table-list', /Far/);
      await setEditorText(page, EDITOR, `SELECT * FROM Far WHERE pk = 'one'`);
      await page.click('[data-testid=explain]');
      await waitForText(page, '[data-testid=plan]', /GetItem/);
      await waitForText(page, '[data-testid=plan]', /planned from the remote table’s keys and indexes/);
    });
  });

  it('explains that a service without PartiQL (dynalite) lacks it, and still lists its tables', async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await s.api('connections', { op: 'add', name: 'Dynalite', endpoint: dynaliteUrl });
      await page.reload();
      await page.waitForSelector('.topbar');
      await page.selectOption('[data-testid=connection-select]', await idOf('Dynalite'));
      await waitForText(page, '.table-list', /Legacy/);
      await setEditorText(page, EDITOR, `SELECT * FROM Legacy`);
      await page.click('[data-testid=run]');
      await waitForText(
        page,
        '[data-testid=results-error]',
        /PartiQL is not available on “Dynalite”.*does not implement ExecuteStatement.*Tables view/,
      );
      // EXPLAIN needs no PartiQL from the service: the plan comes from DescribeTable.
      await setEditorText(page, EDITOR, `SELECT * FROM Legacy WHERE pk = 'x'`);
      await page.click('[data-testid=explain]');
      await waitForText(page, '[data-testid=plan]', /GetItem/);
      await waitForText(page, '[data-testid=plan]', /planned from the remote table’s keys and indexes/);
      // The table browser reads through Scan and Query, which dynalite has.
      await page.evaluate(`location.hash = '#/tables/Legacy'`);
      await waitForText(page, '[data-testid=table-title]', 'Legacy');
      await waitForText(page, '[data-testid=loaded-count]', '1 item');
      // Metrics are the embedded engine's: the dashboard says so instead of failing.
      await page.evaluate(`location.hash = '#/metrics'`);
      await waitForText(
        page,
        '[data-testid=metrics-status]',
        /GetMetrics is not available here: only the embedded Sortkey database has it/,
      );
      assert.deepEqual(s.errors, []);
    });
  });
});
