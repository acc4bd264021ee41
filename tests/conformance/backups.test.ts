// On-demand backups, point-in-time recovery and exports through the AWS SDK against the HTTP
// endpoint, including a restore to a point in time after the server (and its engine) restarted on
// the same database file.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateBackupCommand,
  CreateTableCommand,
  DeleteBackupCommand,
  DescribeBackupCommand,
  DescribeContinuousBackupsCommand,
  DescribeExportCommand,
  DescribeTableCommand,
  ExportTableToPointInTimeCommand,
  ListBackupsCommand,
  ListExportsCommand,
  QueryCommand,
  RestoreTableFromBackupCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Engine } from '../../engine/engine.js';
import {
  expectAwsError,
  requiresOperations,
  startTestServer,
  uniqueTableName,
  withServer,
} from './support.js';

const skip = requiresOperations(
  'CreateBackup',
  'RestoreTableFromBackup',
  'UpdateContinuousBackups',
  'RestoreTableToPointInTime',
);

function indexedTable(TableName: string): CreateTableCommandInput {
  return {
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'kind', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byKind',
        KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

async function contents(
  client: DynamoDBClient,
  TableName: string,
): Promise<{ items: string[]; byKind: string[] }> {
  const items = ((await client.send(new ScanCommand({ TableName }))).Items ?? [])
    .map((i) => JSON.stringify(i))
    .sort();
  const byKind: string[] = [];
  for (const kind of ['a', 'b']) {
    const out = await client.send(
      new QueryCommand({
        TableName,
        IndexName: 'byKind',
        KeyConditionExpression: 'kind = :k',
        ExpressionAttributeValues: { ':k': { S: kind } },
      }),
    );
    byKind.push(...(out.Items ?? []).map((i) => JSON.stringify(i)).sort());
  }
  return { items, byKind };
}

describe('on-demand backups through the AWS SDK', { skip }, () => {
  const s = withServer();

  it('creates, describes, lists, restores and deletes a backup', async () => {
    const TableName = uniqueTableName('Bk');
    await s.client.send(new CreateTableCommand(indexedTable(TableName)));
    for (let i = 0; i < 10; i++)
      await s.doc.send(
        new PutCommand({ TableName, Item: { pk: `p${i % 3}`, sk: i, kind: i % 2 ? 'a' : 'b' } }),
      );
    const before = await contents(s.client, TableName);

    const details = (await s.client.send(new CreateBackupCommand({ TableName, BackupName: 'first' })))
      .BackupDetails!;
    assert.match(details.BackupArn!, new RegExp(`:table/${TableName}/backup/\\d{14}-[0-9a-f]{8}$`));
    assert.equal(details.BackupStatus, 'AVAILABLE');
    assert.ok(details.BackupCreationDateTime instanceof Date);
    await s.doc.send(new DeleteCommand({ TableName, Key: { pk: 'p0', sk: 0 } }));

    const d = (await s.client.send(new DescribeBackupCommand({ BackupArn: details.BackupArn! })))
      .BackupDescription!;
    assert.equal(d.SourceTableDetails!.ItemCount, 10);
    assert.equal(d.SourceTableDetails!.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(d.SourceTableFeatureDetails!.GlobalSecondaryIndexes![0]!.IndexName, 'byKind');

    const listed = await s.client.send(new ListBackupsCommand({ TableName }));
    assert.deepEqual(
      listed.BackupSummaries!.map((b) => b.BackupArn),
      [details.BackupArn],
    );

    const Target = `${TableName}-restored`;
    const restored = (
      await s.client.send(
        new RestoreTableFromBackupCommand({ BackupArn: details.BackupArn!, TargetTableName: Target }),
      )
    ).TableDescription!;
    assert.equal(restored.RestoreSummary!.SourceBackupArn, details.BackupArn);
    assert.equal(restored.RestoreSummary!.RestoreInProgress, false);
    assert.ok(restored.RestoreSummary!.RestoreDateTime instanceof Date);
    assert.deepEqual(await contents(s.client, Target), before);

    await expectAwsError(
      s.client.send(
        new RestoreTableFromBackupCommand({ BackupArn: details.BackupArn!, TargetTableName: Target }),
      ),
      'TableAlreadyExistsException',
      `Table already exists: ${Target}`,
    );
    const deleted = await s.client.send(new DeleteBackupCommand({ BackupArn: details.BackupArn! }));
    assert.equal(deleted.BackupDescription!.BackupDetails!.BackupStatus, 'DELETED');
    await expectAwsError(
      s.client.send(new DescribeBackupCommand({ BackupArn: details.BackupArn! })),
      'BackupNotFoundException',
    );
    await expectAwsError(
      s.client.send(new CreateBackupCommand({ TableName: `${TableName}-x`, BackupName: 'nope' })),
      'TableNotFoundException',
    );
  });
});

describe('point-in-time recovery through the AWS SDK, across a server restart', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-pitr-conf-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('restores the table exactly as it was at each second, before and after a restart', async () => {
    const path = join(dir, 'db.sqlite');
    let now = 1_700_000_000_000;
    const clock = () => now;
    const TableName = uniqueTableName('Pitr');
    const states: { at: number; state: Awaited<ReturnType<typeof contents>> }[] = [];

    let server = await startTestServer({
      engine: new Engine({ path, now: clock, ttlSweepIntervalMs: 0 }),
      closeEngine: true,
    });
    try {
      await server.client.send(new CreateTableCommand(indexedTable(TableName)));
      await server.doc.send(new PutCommand({ TableName, Item: { pk: 'base', sk: 0, kind: 'a' } }));
      const enabled = await server.client.send(
        new UpdateContinuousBackupsCommand({
          TableName,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      );
      assert.equal(
        enabled.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!.PointInTimeRecoveryStatus,
        'ENABLED',
      );
      assert.equal(
        enabled.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!.RecoveryPeriodInDays,
        35,
      );
      for (let second = 1; second <= 4; second++) {
        now += 1000;
        await server.doc.send(
          new PutCommand({ TableName, Item: { pk: `p${second}`, sk: second, kind: second % 2 ? 'a' : 'b' } }),
        );
        await server.doc.send(
          new UpdateCommand({
            TableName,
            Key: { pk: 'base', sk: 0 },
            UpdateExpression: 'SET kind = :k, n = :n',
            ExpressionAttributeValues: { ':k': second % 2 ? 'b' : 'a', ':n': second },
          }),
        );
        if (second === 3) await server.doc.send(new DeleteCommand({ TableName, Key: { pk: 'p1', sk: 1 } }));
        states.push({ at: now, state: await contents(server.client, TableName) });
      }
    } finally {
      await server.close();
    }

    now += 1000;
    server = await startTestServer({
      engine: new Engine({ path, now: clock, ttlSweepIntervalMs: 0 }),
      closeEngine: true,
    });
    try {
      await server.doc.send(new DeleteCommand({ TableName, Key: { pk: 'base', sk: 0 } }));
      states.push({ at: now, state: await contents(server.client, TableName) });
      const window = (await server.client.send(new DescribeContinuousBackupsCommand({ TableName })))
        .ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
      assert.equal(window.EarliestRestorableDateTime!.getTime(), 1_700_000_000_000);
      assert.equal(window.LatestRestorableDateTime!.getTime(), now);
      for (const [i, s] of states.entries()) {
        const Target = `${TableName}-at${i}`;
        const out = await server.client.send(
          new RestoreTableToPointInTimeCommand({
            SourceTableName: TableName,
            TargetTableName: Target,
            RestoreDateTime: new Date(s.at),
          }),
        );
        assert.equal(out.TableDescription!.RestoreSummary!.RestoreDateTime!.getTime(), s.at);
        assert.deepEqual(await contents(server.client, Target), s.state, `state ${i}`);
      }
      await expectAwsError(
        server.client.send(
          new RestoreTableToPointInTimeCommand({
            SourceTableName: TableName,
            TargetTableName: `${TableName}-early`,
            RestoreDateTime: new Date(1_600_000_000_000),
          }),
        ),
        'InvalidRestoreTimeException',
      );
      const latest = await server.client.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: TableName,
          TargetTableName: `${TableName}-latest`,
          UseLatestRestorableTime: true,
        }),
      );
      assert.equal(latest.TableDescription!.TableStatus, 'ACTIVE');
      assert.deepEqual(
        await contents(server.client, `${TableName}-latest`),
        states[states.length - 1]!.state,
      );
      const count = (await server.client.send(new DescribeTableCommand({ TableName: `${TableName}-latest` })))
        .Table!.ItemCount;
      assert.equal(count, states[states.length - 1]!.state.items.length);
    } finally {
      await server.close();
    }
  });

  it('reports PointInTimeRecoveryUnavailableException and TableNotFoundException', async () => {
    const server = await startTestServer();
    try {
      const TableName = uniqueTableName('NoPitr');
      await server.client.send(new CreateTableCommand(indexedTable(TableName)));
      await expectAwsError(
        server.client.send(
          new RestoreTableToPointInTimeCommand({
            SourceTableName: TableName,
            TargetTableName: `${TableName}-x`,
            UseLatestRestorableTime: true,
          }),
        ),
        'PointInTimeRecoveryUnavailableException',
        `Point in time recovery is not enabled for table '${TableName}'`,
      );
      await expectAwsError(
        server.client.send(new DescribeContinuousBackupsCommand({ TableName: `${TableName}-missing` })),
        'TableNotFoundException',
        `Table not found: ${TableName}-missing`,
      );
    } finally {
      await server.close();
    }
  });
});

describe(
  'ExportTableToPointInTime through the AWS SDK',
  { skip: requiresOperations('ExportTableToPointInTime') },
  () => {
    const root = mkdtempSync(join(tmpdir(), 'sortkey-export-conf-'));
    after(() => rmSync(root, { recursive: true, force: true }));
    const s = withServer({
      engine: Engine.inMemory({ exportRoot: root, ttlSweepIntervalMs: 0 }),
      closeEngine: true,
    });

    it('exports into <exportRoot>/<bucket>/<prefix>/AWSDynamoDB/<id>/ and describes the export', async () => {
      const TableName = uniqueTableName('Exp');
      const created = await s.client.send(new CreateTableCommand(indexedTable(TableName)));
      await s.client.send(
        new UpdateContinuousBackupsCommand({
          TableName,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      );
      await s.doc.send(new PutCommand({ TableName, Item: { pk: 'a', sk: 1, kind: 'a' } }));
      const d = (
        await s.client.send(
          new ExportTableToPointInTimeCommand({
            TableArn: created.TableDescription!.TableArn!,
            S3Bucket: 'local-bucket',
            S3Prefix: 'dumps',
          }),
        )
      ).ExportDescription!;
      assert.equal(d.ExportStatus, 'COMPLETED');
      assert.equal(d.ItemCount, 1);
      assert.ok(d.ExportTime instanceof Date);
      const manifest = join(root, 'local-bucket', d.ExportManifest!);
      assert.ok(existsSync(manifest));
      const summary = JSON.parse(readFileSync(manifest, 'utf8')) as { exportArn: string; itemCount: number };
      assert.equal(summary.exportArn, d.ExportArn);
      assert.equal(summary.itemCount, 1);
      assert.deepEqual(
        (await s.client.send(new DescribeExportCommand({ ExportArn: d.ExportArn! }))).ExportDescription!
          .ExportArn,
        d.ExportArn,
      );
      const list = await s.client.send(
        new ListExportsCommand({ TableArn: created.TableDescription!.TableArn! }),
      );
      assert.deepEqual(list.ExportSummaries, [
        { ExportArn: d.ExportArn, ExportStatus: 'COMPLETED', ExportType: 'FULL_EXPORT' },
      ]);
    });
  },
);
