// Global tables, version 2019.11.21 (issue 20), through the AWS SDK: replicas made and removed with
// UpdateTable's ReplicaUpdates, used through clients signed for their regions; asynchronous
// replication; last-writer-wins convergence under concurrent writes in two regions; DynamoDB's
// refusals; and replication that survives a SIGKILL of the server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { TEST_CREDENTIALS, expectAwsError, hashTable, uniqueTableName, withServer } from './support.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'sortkey.js');

/** Polls `check` until it holds (replication is asynchronous); fails after `ms`. */
async function eventually(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function itemOf(
  client: DynamoDBClient,
  TableName: string,
  pk: string,
): Promise<Record<string, AttributeValue> | undefined> {
  return (await client.send(new GetItemCommand({ TableName, Key: { pk: { S: pk } }, ConsistentRead: true })))
    .Item;
}

async function replicaStatuses(client: DynamoDBClient, TableName: string): Promise<string[]> {
  const t = (await client.send(new DescribeTableCommand({ TableName }))).Table!;
  return (t.Replicas ?? []).map((r) => `${r.RegionName}:${r.ReplicaStatus}`);
}

describe('global tables through the SDK', () => {
  const s = withServer({ engineOptions: { replicationDelayMs: 30 } });
  const east = (): DynamoDBClient => s.client;
  const west = (): DynamoDBClient => s.makeClient({ region: 'us-west-2' });

  it('creates a replica with the existing items, usable through its region, and deletes it', async () => {
    const TableName = uniqueTableName('Global');
    await east().send(new CreateTableCommand(hashTable(TableName)));
    await east().send(new PutItemCommand({ TableName, Item: { pk: { S: 'before' }, v: { N: '1' } } }));
    const answer = await east().send(
      new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }),
    );
    assert.equal(answer.TableDescription?.GlobalTableVersion, '2019.11.21');
    await eventually('the replica is ACTIVE', async () =>
      (await replicaStatuses(east(), TableName)).includes('us-west-2:ACTIVE'),
    );
    const w = west();
    const described = (await w.send(new DescribeTableCommand({ TableName }))).Table!;
    assert.equal(described.TableArn, `arn:aws:dynamodb:us-west-2:000000000000:table/${TableName}`);
    assert.deepEqual(await replicaStatuses(w, TableName), ['us-east-1:ACTIVE']);
    assert.deepEqual(await itemOf(w, TableName, 'before'), { pk: { S: 'before' }, v: { N: '1' } });

    // Writes travel both ways.
    await east().send(new PutItemCommand({ TableName, Item: { pk: { S: 'e' } } }));
    await w.send(new PutItemCommand({ TableName, Item: { pk: { S: 'w' } } }));
    await eventually('east → west', async () => (await itemOf(w, TableName, 'e')) !== undefined);
    await eventually('west → east', async () => (await itemOf(east(), TableName, 'w')) !== undefined);
    await w.send(new DeleteItemCommand({ TableName, Key: { pk: { S: 'before' } } }));
    await eventually(
      'a delete replicates',
      async () => (await itemOf(east(), TableName, 'before')) === undefined,
    );

    await east().send(
      new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }] }),
    );
    await expectAwsError(w.send(new DescribeTableCommand({ TableName })), 'ResourceNotFoundException');
    const regional = (await east().send(new DescribeTableCommand({ TableName }))).Table!;
    assert.equal(regional.Replicas, undefined);
    assert.equal(regional.GlobalTableVersion, undefined);
  });

  it('concurrent writes to the same items in two regions converge (last writer wins)', async () => {
    const TableName = uniqueTableName('Lww');
    await east().send(new CreateTableCommand(hashTable(TableName)));
    await east().send(
      new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }),
    );
    const w = west();
    await eventually('the replica is ACTIVE', async () =>
      (await replicaStatuses(east(), TableName)).includes('us-west-2:ACTIVE'),
    );
    const keys = ['a', 'b', 'c', 'd'];
    const writes: Promise<unknown>[] = [];
    for (let round = 0; round < 5; round++) {
      for (const pk of keys) {
        writes.push(
          east().send(new PutItemCommand({ TableName, Item: { pk: { S: pk }, by: { S: `east${round}` } } })),
        );
        writes.push(
          w.send(new PutItemCommand({ TableName, Item: { pk: { S: pk }, by: { S: `west${round}` } } })),
        );
      }
    }
    await Promise.all(writes);
    for (const pk of keys) {
      await eventually(`both regions agree on ${pk}`, async () => {
        const [a, b] = await Promise.all([itemOf(east(), TableName, pk), itemOf(w, TableName, pk)]);
        return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
      });
    }
  });

  it('refuses what DynamoDB refuses, in its words', async () => {
    const TableName = uniqueTableName('Refused');
    await east().send(
      new CreateTableCommand({
        ...hashTable(TableName),
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }),
    );
    await expectAwsError(
      east().send(
        new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }),
      ),
      'ValidationException',
      'Table write capacity should either be Pay-Per-Request or AutoScaled.',
    );
    await expectAwsError(
      east().send(
        new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Create: { RegionName: 'us-east-1' } }] }),
      ),
      'ValidationException',
      'Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.',
    );
    await expectAwsError(
      east().send(
        new UpdateTableCommand({
          TableName,
          ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      ),
      'ValidationException',
      'One or more parameter values were invalid: Replica modification must be the only operation in the request',
    );
    await expectAwsError(
      east().send(
        new UpdateTableCommand({
          TableName,
          ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }, { Create: { RegionName: 'us-east-2' } }],
          MultiRegionConsistency: 'STRONG',
        }),
      ),
      'ValidationException',
      /MultiRegionConsistency STRONG is not supported by Sortkey/,
    );
    await expectAwsError(
      east().send(
        new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] }),
      ),
      'ValidationException',
      'Update global table operation failed because one or more replicas were not part of the global table. Please retry the request without these replicas: [eu-west-1].',
    );
  });
});

describe('replication survives a SIGKILL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-global-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'db.sqlite');

  async function serve(): Promise<{ url: string; kill: (signal: NodeJS.Signals) => Promise<void> }> {
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--db', file, '--port', '0', '--no-studio', '--replication-delay', '2000'],
      {
        cwd: dir,
        env: { ...process.env, SORTKEY_HOME: dir, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const deadline = Date.now() + 60_000;
    let match: RegExpMatchArray | null;
    while (!(match = /http:\/\/127\.0\.0\.1:\d+/.exec(out))) {
      if (Date.now() > deadline || child.exitCode !== null) assert.fail(`serve did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return {
      url: match[0],
      kill: async (signal) => {
        const closed = new Promise((r) => child.once('close', r));
        child.kill(signal);
        await closed;
      },
    };
  }

  function client(url: string, region: string): DynamoDBClient {
    return new DynamoDBClient({ endpoint: url, region, credentials: TEST_CREDENTIALS });
  }

  it('a write acknowledged before the kill reaches the other replica after a restart', async () => {
    const TableName = 'Survivor';
    const first = await serve();
    const east = client(first.url, 'us-east-1');
    try {
      await east.send(new CreateTableCommand(hashTable(TableName)));
      await east.send(
        new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }),
      );
      await east.send(new PutItemCommand({ TableName, Item: { pk: { S: 'acked' }, v: { S: 'kept' } } }));
    } finally {
      east.destroy();
      await first.kill('SIGKILL');
    }
    // The write's replication was committed with it: it is in the file, not yet applied.
    const raw = new Database(file, { readonly: true });
    try {
      const pending = raw
        .prepare('SELECT count(*) FROM sk_replication WHERE target = ?')
        .pluck()
        .get('eu-west-1');
      assert.equal(pending, 1);
    } finally {
      raw.close();
    }
    const second = await serve();
    const eu = client(second.url, 'eu-west-1');
    try {
      await eventually(
        'the replicated write arrives after the restart',
        async () =>
          JSON.stringify(await itemOf(eu, TableName, 'acked')) ===
          JSON.stringify({ pk: { S: 'acked' }, v: { S: 'kept' } }),
      );
    } finally {
      eu.destroy();
      await second.kill('SIGTERM');
    }
  });
});
