// The studio's connections: switching between the embedded database and a remote endpoint (a
// second Sortkey server), read-only connections refused in the backend, features only the embedded
// engine has reported as unavailable, AWS profile names read from the shared files (names only).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../engine/index.js';
import type { StudioBackend } from '../../../renderer/src/backend/api.js';
import { createStudioBackend } from '../../../main/studio/index.js';
import {
  awsProfileNames,
  fileConnectionStore,
  memoryConnectionStore,
} from '../../../main/studio/connections.js';
import { startServer } from '../../../main/server/index.js';
import type { SortkeyServer } from '../../../main/server/index.js';

const TABLE = {
  TableName: 'Remote',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

describe('studio connections', () => {
  let engine: Engine;
  let server: SortkeyServer;
  let backend: StudioBackend;
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-studio-conn-'));

  before(async () => {
    engine = Engine.inMemory();
    server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true });
    backend = createStudioBackend({
      engine,
      info: () => ({ version: '1', mode: 'browser', region: 'us-east-1' }),
      connectionStore: memoryConnectionStore(),
    }) as unknown as StudioBackend;
  });
  after(async () => {
    await backend.connections({ op: 'list' });
    await server.close();
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the embedded database, adds an endpoint and switches to it', async () => {
    let state = await backend.connections({ op: 'list' });
    assert.equal(state.current, 'embedded');
    assert.deepEqual(
      state.connections.map((c) => [c.kind, c.remote]),
      [['embedded', false]],
    );
    state = await backend.connections({ op: 'add', name: 'Staging', endpoint: server.url });
    const staging = state.connections.find((c) => c.name === 'Staging')!;
    assert.equal(staging.kind, 'endpoint');
    assert.equal(staging.remote, true);
    state = await backend.connections({ op: 'use', id: staging.id });
    assert.equal(state.current, staging.id);
    assert.equal(state.connections.find((c) => c.id === staging.id)!.capabilities?.metrics, false);
    await backend.createTable(TABLE);
    assert.deepEqual(
      (await backend.listTables()).map((t) => t.name),
      ['Remote'],
    );
    // The table is on the remote server, not in the embedded engine.
    assert.deepEqual((engine.execute('ListTables', {}) as { TableNames: string[] }).TableNames, []);
    await backend.putItem({ table: 'Remote', item: { pk: { S: 'a' } }, expected: null } as never);
    const explain = (await backend.explain({ statement: `SELECT * FROM Remote WHERE pk = 'a'` })) as {
      Steps: { Operation: string }[];
      Note?: string;
    };
    assert.equal(explain.Steps[0]?.Operation, 'GetItem');
    assert.match(explain.Note ?? '', /planned from the remote table’s keys and indexes/);
    const scan = (await backend.explain({ statement: `SELECT * FROM Remote WHERE n = 1` })) as {
      Steps: { Operation: string }[];
    };
    assert.equal(scan.Steps[0]?.Operation, 'Scan');
  });

  it('reports what only the embedded engine has as unavailable', async () => {
    await assert.rejects(backend.describeThrottling({}), {
      message: /is not available here: only the embedded Sortkey database has it/,
    });
    await assert.rejects(backend.getHotKeys({ table: 'Remote' } as never), /not available here/);
  });

  it('refuses writes on a read-only connection in the backend, and still reads', async () => {
    const state = await backend.connections({ op: 'list' });
    await backend.connections({ op: 'setReadOnly', id: state.current, readOnly: true });
    await assert.rejects(
      backend.putItem({ table: 'Remote', item: { pk: { S: 'b' } }, expected: null } as never),
      {
        message: /The connection “Staging” is read-only: PutItem was not sent/,
      },
    );
    await assert.rejects(
      backend.executeStatement({ statement: `DELETE FROM Remote WHERE pk = 'a'` }),
      /read-only: ExecuteStatement was not sent/,
    );
    await assert.rejects(backend.deleteTable({ table: 'Remote' }), /read-only/);
    const read = await backend.executeStatement({ statement: `SELECT * FROM Remote` });
    assert.equal(read.items.length, 1);
    await backend.connections({ op: 'setReadOnly', id: state.current, readOnly: false });
    await backend.connections({ op: 'use', id: 'embedded' });
    assert.deepEqual(await backend.listTables(), []);
  });

  it('validates what is added and never keeps credentials', async () => {
    await assert.rejects(
      backend.connections({ op: 'add', name: 'x', endpoint: 'http://key:secret@localhost:8000' }),
      /Credentials do not belong in the URL/,
    );
    await assert.rejects(backend.connections({ op: 'add', name: 'x', endpoint: 'ftp://h' }), /http/);
    await assert.rejects(backend.connections({ op: 'add', name: '', endpoint: 'http://h' }), /needs a name/);
    await assert.rejects(backend.connections({ op: 'add', name: 'x', region: 'mars' }), /Not an AWS region/);
    const file = join(dir, 'connections.json');
    const store = fileConnectionStore(file);
    store.write({
      connections: [{ id: '1', name: 'Prod', profile: 'prod', region: 'eu-west-1', readOnly: true }],
    });
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), {
      connections: [{ id: '1', name: 'Prod', profile: 'prod', region: 'eu-west-1', readOnly: true }],
    });
  });

  it('reads AWS profile names (not their keys) from the config and credentials files', () => {
    writeFileSync(
      join(dir, 'config'),
      '[default]\nregion = us-east-1\n[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_region = us-east-1\n',
    );
    writeFileSync(
      join(dir, 'credentials'),
      '[default]\naws_access_key_id = AKIA\n[ci]\naws_secret_access_key = s\n',
    );
    const names = awsProfileNames({
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    });
    assert.deepEqual(names, ['ci', 'default', 'dev']);
  });
});
