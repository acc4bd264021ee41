// Eventual consistency on request (`sortkey serve --consistency eventual[:MS]`) through the real
// AWS SDK: a stale read reproduced under a seed, GSI lag, ConsistentRead never stale, and the
// default mode never stale. The windows are long (minutes) where a read must be stale: the reads
// follow their writes within milliseconds, and seed 42's first delays are all seconds long.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  BatchGetItemCommand,
  CreateTableCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runStats } from '../../main/cli/stats.js';
import { hashTable, rawRequest, uniqueTableName, withServer } from './support.js';

const MINUTES = 600_000;

async function sortkey(url: string, op: string, body: object): Promise<Record<string, unknown>> {
  const res = await rawRequest(url, { target: `Sortkey_20250101.${op}`, body });
  assert.equal(res.status, 200, res.text);
  return res.json!;
}

async function table(client: DynamoDBClient): Promise<string> {
  const TableName = uniqueTableName('Ec');
  await client.send(new CreateTableCommand(hashTable(TableName)));
  return TableName;
}

async function read(client: DynamoDBClient, TableName: string, pk: string, consistent?: boolean) {
  const out = await client.send(
    new GetItemCommand({
      TableName,
      Key: { pk: { S: pk } },
      ...(consistent !== undefined ? { ConsistentRead: consistent } : {}),
    }),
  );
  return out.Item?.v?.S;
}

const put = (client: DynamoDBClient, TableName: string, pk: string, v: string) =>
  client.send(new PutItemCommand({ TableName, Item: { pk: { S: pk }, v: { S: v } } }));

/**
 * The bug the mode exists to catch: code that reads its own write without ConsistentRead. An
 * order placed before the window (while the mode is off), then updated, then read back; and a new
 * order read back right after it was placed. Returns what the two reads saw.
 */
async function readsOwnWrites(
  url: string,
  client: DynamoDBClient,
): Promise<[string | undefined, string | undefined]> {
  await sortkey(url, 'SetConsistency', { Mode: 'strong' });
  const TableName = await table(client);
  await put(client, TableName, 'order-1', 'v1');
  // Switching on restarts the delays from the seed.
  await sortkey(url, 'SetConsistency', { Mode: 'eventual', Seed: 42 });
  await client.send(
    new UpdateItemCommand({
      TableName,
      Key: { pk: { S: 'order-1' } },
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': { S: 'v2' } },
    }),
  );
  const updated = await read(client, TableName, 'order-1');
  assert.equal(await read(client, TableName, 'order-1', true), 'v2');
  await put(client, TableName, 'order-2', 'v1');
  const placed = await read(client, TableName, 'order-2');
  assert.equal(await read(client, TableName, 'order-2', true), 'v1');
  return [updated, placed];
}

describe('--consistency eventual through the SDK', () => {
  const s = withServer({ engineOptions: { consistency: { mode: 'eventual', windowMs: MINUTES, seed: 42 } } });

  it('reads its own write stale without ConsistentRead, the same way again under the same seed', async () => {
    // The updated order still has its old version; the new one is not there yet.
    assert.deepEqual(await readsOwnWrites(s.url, s.client), ['v1', undefined]);
    // The same seed, the same steps on a fresh table: the same answers.
    assert.deepEqual(await readsOwnWrites(s.url, s.client), ['v1', undefined]);
    const described = await sortkey(s.url, 'DescribeConsistency', {});
    assert.deepEqual(described, { Mode: 'eventual', WindowMs: MINUTES, Seed: 42, TrackedVersions: 2 });
  });

  it('Query, Scan, BatchGetItem and PartiQL without ConsistentRead are stale too; with it, never', async () => {
    const TableName = await table(s.client);
    await put(s.client, TableName, 'k', 'v1');
    const byKey = { ':k': { S: 'k' } };
    const eventual = {
      query: (
        await s.client.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :k',
            ExpressionAttributeValues: byKey,
          }),
        )
      ).Items,
      scan: (await s.client.send(new ScanCommand({ TableName }))).Items,
      batch: (
        await s.client.send(
          new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: [{ pk: { S: 'k' } }] } } }),
        )
      ).Responses?.[TableName],
      partiql: (
        await s.client.send(
          new ExecuteStatementCommand({ Statement: `SELECT * FROM "${TableName}" WHERE pk = 'k'` }),
        )
      ).Items,
    };
    assert.deepEqual(eventual, { query: [], scan: [], batch: [], partiql: [] });

    for (let i = 0; i < 10; i++) {
      const q = await s.client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :k',
          ExpressionAttributeValues: byKey,
          ConsistentRead: true,
        }),
      );
      assert.equal(q.Items?.length, 1);
      assert.equal(
        (await s.client.send(new ScanCommand({ TableName, ConsistentRead: true }))).Items?.length,
        1,
      );
      const p = await s.client.send(
        new ExecuteStatementCommand({
          Statement: `SELECT * FROM "${TableName}" WHERE pk = 'k'`,
          ConsistentRead: true,
        }),
      );
      assert.equal(p.Items?.length, 1);
      const tx = await s.client.send(
        new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName, Key: { pk: { S: 'k' } } } }] }),
      );
      assert.equal(tx.Responses?.[0]?.Item?.v?.S, 'v1');
      assert.equal(await read(s.client, TableName, 'k', true), 'v1');
    }
  });

  it('a GSI sees a write only after the lag, then for good', async () => {
    await sortkey(s.url, 'SetConsistency', { Mode: 'eventual', WindowMs: 1500, Seed: 42 });
    const TableName = uniqueTableName('EcGsi');
    await s.client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    const byStatus = async () =>
      (
        await s.client.send(
          new QueryCommand({
            TableName,
            IndexName: 'byStatus',
            KeyConditionExpression: '#s = :s',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': { S: 'NEW' } },
          }),
        )
      ).Items?.length;
    await s.client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'o1' }, status: { S: 'NEW' } } }));
    assert.equal(await byStatus(), 0, 'the index lags behind the write');
    assert.equal(
      (await s.client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'o1' } }, ConsistentRead: true })))
        .Item?.pk?.S,
      'o1',
    );
    // Poll as an application would; the lag is 1.5 s, the deadline far beyond it.
    let seen = 0;
    for (let i = 0; i < 200 && seen === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = (await byStatus()) ?? 0;
    }
    assert.equal(seen, 1, 'the index caught up');
    assert.equal(await byStatus(), 1);
  });

  it('back to strong at run time: every read is current', async () => {
    await sortkey(s.url, 'SetConsistency', { Mode: 'strong' });
    const TableName = await table(s.client);
    for (let i = 0; i < 10; i++) {
      await put(s.client, TableName, 'k', `v${i}`);
      assert.equal(await read(s.client, TableName, 'k'), `v${i}`);
    }
  });
});

describe('default consistency through the SDK', () => {
  const s = withServer();

  it('is strong: eventually consistent reads always see the last write', async () => {
    assert.equal((await sortkey(s.url, 'DescribeConsistency', {})).Mode, 'strong');
    const TableName = await table(s.client);
    for (let i = 0; i < 20; i++) {
      await put(s.client, TableName, 'k', `v${i}`);
      assert.equal(await read(s.client, TableName, 'k'), `v${i}`);
    }
  });
});

describe('--consistency eventual with read workers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-ec-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const s = withServer({
    db: join(dir, 'db.sqlite'),
    readWorkers: 2,
    engineOptions: { consistency: { mode: 'eventual', windowMs: MINUTES, seed: 42 } },
  });

  it('serves reads on the main thread, where the history is, while the mode is on', async () => {
    const TableName = await table(s.client);
    await put(s.client, TableName, 'k', 'v1');
    const scan = await s.client.send(new ScanCommand({ TableName }));
    assert.deepEqual(scan.Items, []);
    const counts = s.server.readWorkers!.counts;
    const served = counts.served;
    await sortkey(s.url, 'SetConsistency', { Mode: 'strong' });
    assert.equal((await s.client.send(new ScanCommand({ TableName }))).Items?.length, 1);
    assert.equal(counts.served, served + 1, 'with the mode off, the workers serve reads again');
  });
});

describe('sortkey stats --consistency', () => {
  const s = withServer();

  it('switches a running server, and its header says so', async () => {
    const TableName = await table(s.client);
    const printed: string[] = [];
    const log = console.log;
    console.log = (text: string) => printed.push(text);
    try {
      const status = await runStats(TableName, {
        endpoint: s.url,
        consistency: { mode: 'eventual', windowMs: 2500 },
        consistencySeed: 4,
      });
      assert.equal(status, 0);
    } finally {
      console.log = log;
    }
    assert.deepEqual(await sortkey(s.url, 'DescribeConsistency', {}), {
      Mode: 'eventual',
      WindowMs: 2500,
      Seed: 4,
      TrackedVersions: 0,
    });
    assert.match(printed.join('\n'), /reads: eventual, up to 2,500 ms stale/);
  });
});
