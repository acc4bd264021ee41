// The desktop app's engine host (main/electron/engine-host.ts), started by the main process's
// client (engine-client.ts) as a worker thread, exactly as Electron's main process starts it: the
// studio's calls and their errors cross the message protocol, the DynamoDB endpoint is served from
// the worker, the database is opened and closed there, and a database that cannot be opened is
// reported instead of starting.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { threadId } from 'node:worker_threads';
import { startEngineHost } from '../../../main/electron/engine-client.js';
import type { EngineHost } from '../../../main/electron/engine-client.js';
import type { EngineHostOptions } from '../../../main/electron/engine-host.js';

/** The host module, loaded through tsx in the worker (see the fixture). */
const HOST = new URL('./fixtures/engine-host-tsx.mjs', import.meta.url);
const start = (options: EngineHostOptions): Promise<EngineHost> => startEngineHost(options, HOST);

const dir = mkdtempSync(join(tmpdir(), 'sortkey-engine-host-'));

// Signed for the host's region (eu-west-1): each region a request is signed for has its own tables.
async function dynamo(endpoint: string, operation: string, input: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${operation}`,
      Authorization:
        'AWS4-HMAC-SHA256 Credential=x/20250101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(input),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('desktop engine host (worker thread)', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers studio calls from its own thread, serves the endpoint there, and closes the database', async () => {
    const db = join(dir, 'app.sqlite');
    let host: EngineHost | undefined = await start({
      db,
      region: 'eu-west-1',
      endpointPort: 0,
      version: '9.9.9',
    });
    try {
      assert.notEqual(host.threadId, threadId, 'the engine runs on another thread');
      assert.ok(host.endpoint?.startsWith('http://127.0.0.1:'), host.endpoint);
      const info = await host.call('info', {});
      assert.deepEqual(info, {
        ok: true,
        value: {
          version: '9.9.9',
          mode: 'electron',
          region: 'eu-west-1',
          endpoint: host.endpoint,
          database: db,
        },
      });
      const created = await host.call('createTable', {
        TableName: 'Notes',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      });
      assert.equal(created.ok, true);
      // A write through the endpoint (served by the worker) is seen by the studio's calls.
      await dynamo(host.endpoint!, 'PutItem', {
        TableName: 'Notes',
        Item: { id: { S: 'n1' }, text: { S: 'hi' } },
      });
      const read = await host.call('getItem', { table: 'Notes', key: { id: { S: 'n1' } } });
      assert.deepEqual(read, { ok: true, value: { item: { id: { S: 'n1' }, text: { S: 'hi' } } } });
      // Calls in flight at once get their own answers.
      const [a, b] = await Promise.all([
        host.call('executeStatement', { statement: "SELECT * FROM Notes WHERE id = 'n1'" }),
        host.call('explain', { statement: "SELECT * FROM Notes WHERE id = 'n1'" }),
      ]);
      assert.equal(a.ok && (a.value as { items: unknown[] }).items.length, 1);
      assert.equal(b.ok && (b.value as { Steps: { Operation: string }[] }).Steps[0]!.Operation, 'GetItem');
      // Errors cross as the UI's { type, message }.
      assert.deepEqual(await host.call('nope', {}), {
        ok: false,
        error: { type: 'UnknownOperationException', message: 'Unknown studio method: nope' },
      });
      const bad = await host.call('getItem', { table: 'Missing', key: { id: { S: 'x' } } });
      assert.equal(bad.ok, false);
      assert.equal(!bad.ok && bad.error.type, 'ResourceNotFoundException');

      await host.close();
      const afterClose = await host.call('info', {});
      assert.equal(afterClose.ok, false);
      await assert.rejects(fetch(host.endpoint!), 'the endpoint closed with the host');
      host = undefined;

      // The database was closed cleanly: another host opens it and finds the item.
      host = await start({ db, region: 'eu-west-1', endpointPort: null, version: '9.9.9' });
      assert.equal(host.endpoint, undefined);
      const again = await host.call('getItem', { table: 'Notes', key: { id: { S: 'n1' } } });
      assert.equal(again.ok && (again.value as { item?: unknown }).item !== undefined, true);
    } finally {
      await host?.close();
    }
  });

  it('reports a database it cannot open instead of starting', async () => {
    const notADatabase = join(dir, 'garbage.sqlite');
    writeFileSync(
      notADatabase,
      'this is not a SQLite file, not at all, and long enough to be read '.repeat(20),
    );
    await assert.rejects(
      start({ db: notADatabase, region: 'us-east-1', endpointPort: null, version: '1' }),
      /not a database|file is not a database/i,
    );
  });

  it('starts without the endpoint when its port is taken, and says why', async () => {
    const first = await start({
      db: ':memory:',
      region: 'us-east-1',
      endpointPort: 0,
      version: '1',
    });
    try {
      const port = Number(new URL(first.endpoint!).port);
      const second = await start({
        db: ':memory:',
        region: 'us-east-1',
        endpointPort: port,
        version: '1',
      });
      try {
        assert.equal(second.endpoint, undefined);
        assert.match(second.endpointError ?? '', /EADDRINUSE|in use/i);
        assert.equal((await second.call('listTables', {})).ok, true);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });
});
