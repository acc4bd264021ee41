// Regions are separate namespaces of tables (issue 23, point 4): each region a request is signed
// for has its own tables in the one database file, and ARNs name it, as in DynamoDB; --shared-db
// keeps one namespace (DynamoDB Local's -sharedDb), --accounts-by-key separates access keys.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateBackupCommand,
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListBackupsCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  TagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { Engine } from '../../engine/index.js';
import {
  TEST_CREDENTIALS,
  expectAwsError,
  hashTable,
  rawRequest,
  startTestServer,
  uniqueTableName,
  withServer,
} from './support.js';

async function names(client: DynamoDBClient): Promise<string[]> {
  return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
}

describe('regions are separate namespaces', () => {
  const s = withServer();
  const east = (): DynamoDBClient => s.client;
  const west = (): DynamoDBClient => s.makeClient({ region: 'us-west-1' });

  it('a table created through us-west-1 is listed there only', async () => {
    const TableName = uniqueTableName('West');
    const w = west();
    await w.send(new CreateTableCommand(hashTable(TableName)));
    assert.ok((await names(w)).includes(TableName));
    assert.ok(!(await names(east())).includes(TableName));
    await expectAwsError(east().send(new DescribeTableCommand({ TableName })), 'ResourceNotFoundException');
  });

  it('one name exists in both regions, with its own items and ARNs naming the region', async () => {
    const TableName = uniqueTableName('Both');
    const w = west();
    const input = {
      ...hashTable(TableName),
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' as const },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byPk',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
          Projection: { ProjectionType: 'ALL' as const },
        },
      ],
    };
    const inWest = (await w.send(new CreateTableCommand(input))).TableDescription!;
    const inEast = (await east().send(new CreateTableCommand(input))).TableDescription!;
    assert.equal(inWest.TableArn, `arn:aws:dynamodb:us-west-1:000000000000:table/${TableName}`);
    assert.equal(inEast.TableArn, `arn:aws:dynamodb:us-east-1:000000000000:table/${TableName}`);
    assert.ok(inWest.LatestStreamArn!.startsWith(`${inWest.TableArn}/stream/`));
    assert.equal(inWest.GlobalSecondaryIndexes![0]!.IndexArn, `${inWest.TableArn}/index/byPk`);
    assert.notEqual(inWest.TableId, inEast.TableId);

    await w.send(new PutItemCommand({ TableName, Item: { pk: { S: 'a' }, v: { S: 'west' } } }));
    await east().send(new PutItemCommand({ TableName, Item: { pk: { S: 'a' }, v: { S: 'east' } } }));
    const got = async (c: DynamoDBClient) =>
      (await c.send(new GetItemCommand({ TableName, Key: { pk: { S: 'a' } } }))).Item?.v?.S;
    assert.equal(await got(w), 'west');
    assert.equal(await got(east()), 'east');
    const described = (await w.send(new DescribeTableCommand({ TableName }))).Table!;
    assert.equal(described.TableArn, inWest.TableArn);
    assert.equal(described.ItemCount, 1);

    // Streams: each region lists its own.
    const streams = (region: string) =>
      new DynamoDBStreamsClient({ endpoint: s.url, region, credentials: TEST_CREDENTIALS });
    const westStreams = streams('us-west-1');
    const eastStreams = streams('us-east-1');
    try {
      const listed = (await westStreams.send(new ListStreamsCommand({ TableName }))).Streams ?? [];
      assert.deepEqual(
        listed.map((x) => x.StreamArn),
        [inWest.LatestStreamArn],
      );
      const other = (await eastStreams.send(new ListStreamsCommand({ TableName }))).Streams ?? [];
      assert.deepEqual(
        other.map((x) => x.StreamArn),
        [inEast.LatestStreamArn],
      );
    } finally {
      westStreams.destroy();
      eastStreams.destroy();
    }

    // Tags by ARN: a region's ARN is found through that region only.
    await w.send(new TagResourceCommand({ ResourceArn: inWest.TableArn, Tags: [{ Key: 'k', Value: 'w' }] }));
    assert.deepEqual((await w.send(new ListTagsOfResourceCommand({ ResourceArn: inWest.TableArn }))).Tags, [
      { Key: 'k', Value: 'w' },
    ]);
    await expectAwsError(
      east().send(new ListTagsOfResourceCommand({ ResourceArn: inWest.TableArn })),
      'ResourceNotFoundException',
    );

    // Backups carry the region and are listed by it.
    const backup = (await w.send(new CreateBackupCommand({ TableName, BackupName: 'bk1' }))).BackupDetails!;
    assert.ok(backup.BackupArn!.startsWith(`${inWest.TableArn}/backup/`));
    const westBackups = (await w.send(new ListBackupsCommand({ TableName }))).BackupSummaries ?? [];
    assert.deepEqual(
      westBackups.map((b) => b.BackupArn),
      [backup.BackupArn],
    );
    assert.deepEqual((await east().send(new ListBackupsCommand({ TableName }))).BackupSummaries, []);
  });

  it('an unsigned request addresses the default region', async () => {
    const TableName = uniqueTableName('Unsigned');
    await s.makeClient({ region: 'eu-west-1' }).send(new CreateTableCommand(hashTable(TableName)));
    const res = await rawRequest(s.url, { target: 'ListTables', body: {} });
    assert.equal(res.status, 200);
    assert.ok(!(res.json!.TableNames as string[]).includes(TableName));
    await east().send(new CreateTableCommand(hashTable(TableName)));
    const again = await rawRequest(s.url, { target: 'ListTables', body: {} });
    assert.ok((again.json!.TableNames as string[]).includes(TableName));
  });
});

describe('--shared-db', () => {
  const s = withServer({ sharedDb: true, region: 'eu-central-1' });

  it('keeps one namespace for every region, named by --region in ARNs', async () => {
    const TableName = uniqueTableName('Shared');
    const created = (
      await s.makeClient({ region: 'us-west-1' }).send(new CreateTableCommand(hashTable(TableName)))
    ).TableDescription!;
    assert.equal(created.TableArn, `arn:aws:dynamodb:eu-central-1:000000000000:table/${TableName}`);
    assert.ok((await names(s.client)).includes(TableName));
    assert.ok((await names(s.makeClient({ region: 'ap-south-1' }))).includes(TableName));
  });
});

describe('--accounts-by-key', () => {
  const s = withServer({ accountsByKey: true });

  it('gives each access key its own tables and account in ARNs', async () => {
    const TableName = uniqueTableName('Acct');
    const alice = s.makeClient({ credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } });
    const bob = s.makeClient({ credentials: { accessKeyId: 'BOBKEY', secretAccessKey: 'x' } });
    const created = (await alice.send(new CreateTableCommand(hashTable(TableName)))).TableDescription!;
    assert.equal(created.TableArn, `arn:aws:dynamodb:us-east-1:111122223333:table/${TableName}`);
    assert.ok((await names(alice)).includes(TableName));
    assert.ok(!(await names(bob)).includes(TableName));
    const again = (await bob.send(new CreateTableCommand(hashTable(TableName)))).TableDescription!;
    assert.match(again.TableArn!, /^arn:aws:dynamodb:us-east-1:\d{12}:table\//);
    assert.notEqual(again.TableArn, created.TableArn);
  });
});

describe('without --accounts-by-key', () => {
  const s = withServer();

  it('every access key sees the same tables', async () => {
    const TableName = uniqueTableName('Keys');
    const alice = s.makeClient({ credentials: { accessKeyId: 'ALICE', secretAccessKey: 'x' } });
    const bob = s.makeClient({ credentials: { accessKeyId: 'BOB', secretAccessKey: 'x' } });
    await alice.send(new CreateTableCommand(hashTable(TableName)));
    assert.ok((await names(bob)).includes(TableName));
  });
});

describe('a database file written before regions were separate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-regions-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('opens with its tables in the region their ARNs name (the default one)', async () => {
    const path = join(dir, 'old.sqlite');
    const old = new Engine({ path });
    old.execute('CreateTable', hashTable('Legacy'));
    old.execute('PutItem', { TableName: 'Legacy', Item: { pk: { S: 'x' } } });
    // Back to the catalog of version 6: keyed by name alone, no region or account.
    old.ctx.db.sqlite.exec(`
      CREATE TABLE sk_tables_v6 (name TEXT PRIMARY KEY, id INTEGER NOT NULL UNIQUE,
        description TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '[]');
      INSERT INTO sk_tables_v6 SELECT name, id, description, tags FROM sk_tables;
      DROP TABLE sk_tables; ALTER TABLE sk_tables_v6 RENAME TO sk_tables;
      PRAGMA user_version = 6;`);
    old.close();

    const t = await startTestServer({ db: path });
    try {
      assert.deepEqual(await names(t.client), ['Legacy']);
      assert.deepEqual(await names(t.makeClient({ region: 'us-west-1' })), []);
      const item = await t.client.send(new GetItemCommand({ TableName: 'Legacy', Key: { pk: { S: 'x' } } }));
      assert.deepEqual(item.Item, { pk: { S: 'x' } });
      // The same name can now be created in another region beside it.
      await t.makeClient({ region: 'us-west-1' }).send(new CreateTableCommand(hashTable('Legacy')));
    } finally {
      await t.close();
    }
  });
});
