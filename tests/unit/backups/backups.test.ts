import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import { assertError, call } from '../../support/engine.js';
import { clockEngine, N, S, T0 } from '../streams/helpers.js';

/** A table with a GSI and an LSI, provisioned, with a stream, SSE and TTL. */
function richTable(engine: Engine, name = 'Orders'): void {
  call(engine, 'CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'total', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byStatus',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
        ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byTotal',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'total', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    SSESpecification: { Enabled: true },
    Tags: [{ Key: 'team', Value: 'x' }],
  });
}

function fill(engine: Engine, name = 'Orders', n = 20): void {
  for (let i = 0; i < n; i++) {
    call(engine, 'PutItem', {
      TableName: name,
      Item: {
        pk: S(`c${i % 4}`),
        sk: N(i),
        status: S(i % 3 === 0 ? 'open' : 'done'),
        total: N(i * 10),
        note: S(`n${i}`),
      },
    });
  }
}

function scanAll(engine: Engine, name: string): unknown[] {
  const items = call(engine, 'Scan', { TableName: name }).Items as { pk: { S: string }; sk: { N: string } }[];
  return items.sort((a, b) => (a.pk.S + a.sk.N.padStart(5, '0') < b.pk.S + b.sk.N.padStart(5, '0') ? -1 : 1));
}

function queryIndex(engine: Engine, name: string, index: string, key: Record<string, unknown>): unknown[] {
  const [attr, value] = Object.entries(key)[0]!;
  return call(engine, 'Query', {
    TableName: name,
    IndexName: index,
    KeyConditionExpression: '#k = :v',
    ExpressionAttributeNames: { '#k': attr },
    ExpressionAttributeValues: { ':v': value },
  }).Items;
}

describe('CreateBackup / DescribeBackup', () => {
  it('snapshots the table and describes it with the source settings', () => {
    const { engine, clock } = clockEngine();
    richTable(engine);
    fill(engine);
    call(engine, 'UpdateTimeToLive', {
      TableName: 'Orders',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' },
    });
    clock.advance(5000);
    const details = call(engine, 'CreateBackup', {
      TableName: 'Orders',
      BackupName: 'nightly',
    }).BackupDetails;
    assert.match(
      details.BackupArn,
      /^arn:aws:dynamodb:us-east-1:000000000000:table\/Orders\/backup\/\d{14}-[0-9a-f]{8}$/,
    );
    assert.equal(details.BackupName, 'nightly');
    assert.equal(details.BackupStatus, 'AVAILABLE');
    assert.equal(details.BackupType, 'USER');
    assert.equal(details.BackupCreationDateTime, (T0 + 5000) / 1000);
    assert.ok(details.BackupSizeBytes > 0);
    assert.equal(details.BackupExpiryDateTime, undefined);

    const d = call(engine, 'DescribeBackup', { BackupArn: details.BackupArn }).BackupDescription;
    assert.deepEqual(d.BackupDetails, details);
    const table = call(engine, 'DescribeTable', { TableName: 'Orders' }).Table;
    assert.deepEqual(d.SourceTableDetails, {
      TableName: 'Orders',
      TableId: table.TableId,
      TableArn: table.TableArn,
      TableSizeBytes: table.TableSizeBytes,
      KeySchema: table.KeySchema,
      TableCreationDateTime: T0 / 1000,
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
      ItemCount: 20,
      BillingMode: 'PROVISIONED',
    });
    const f = d.SourceTableFeatureDetails;
    assert.deepEqual(f.GlobalSecondaryIndexes, [
      {
        IndexName: 'byStatus',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
        ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      },
    ]);
    assert.equal(f.LocalSecondaryIndexes[0].IndexName, 'byTotal');
    assert.deepEqual(f.StreamDescription, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    assert.deepEqual(f.TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' });
    assert.equal(f.SSEDescription.Status, 'ENABLED');
  });

  it('reports DynamoDB errors', () => {
    const { engine } = clockEngine();
    assertError(
      () => call(engine, 'CreateBackup', { TableName: 'Missing', BackupName: 'b1b' }),
      'TableNotFoundException',
      'Table not found: Missing',
    );
    assertError(
      () => call(engine, 'CreateBackup', { TableName: 'Missing' }),
      'ValidationException',
      "1 validation error detected: Value null at 'backupName' failed to satisfy constraint: Member must not be null",
    );
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders/backup/01700000000000-abcdef12';
    assertError(
      () => call(engine, 'DescribeBackup', { BackupArn: arn }),
      'BackupNotFoundException',
      `Backup not found: ${arn}`,
    );
    assertError(
      () => call(engine, 'DeleteBackup', { BackupArn: arn }),
      'BackupNotFoundException',
      `Backup not found: ${arn}`,
    );
    assertError(
      () => call(engine, 'RestoreTableFromBackup', { BackupArn: arn, TargetTableName: 'New' }),
      'BackupNotFoundException',
      `Backup not found: ${arn}`,
    );
  });
});

describe('ListBackups', () => {
  it('filters by table, time range (lower inclusive, upper exclusive) and type, and pages', () => {
    const { engine, clock } = clockEngine();
    call(engine, 'CreateTable', {
      TableName: 'Aaa',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    call(engine, 'CreateTable', {
      TableName: 'Bbb',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    const made: string[] = [];
    for (const [table, name] of [
      ['Aaa', 'one'],
      ['Bbb', 'two'],
      ['Aaa', 'three'],
    ]) {
      clock.advance(1000);
      made.push(call(engine, 'CreateBackup', { TableName: table, BackupName: name }).BackupDetails.BackupArn);
    }
    const arns = (out: { BackupSummaries: { BackupArn: string }[] }) =>
      out.BackupSummaries.map((b) => b.BackupArn);
    assert.deepEqual(arns(call(engine, 'ListBackups', {})), made);
    assert.deepEqual(arns(call(engine, 'ListBackups', { TableName: 'Aaa' })), [made[0], made[2]]);
    assert.deepEqual(
      arns(
        call(engine, 'ListBackups', {
          TimeRangeLowerBound: (T0 + 2000) / 1000,
          TimeRangeUpperBound: (T0 + 3000) / 1000,
        }),
      ),
      [made[1]],
    );
    assert.deepEqual(arns(call(engine, 'ListBackups', { BackupType: 'SYSTEM' })), []);
    assert.deepEqual(arns(call(engine, 'ListBackups', { BackupType: 'ALL' })), made);
    const p1 = call(engine, 'ListBackups', { Limit: 2 });
    assert.deepEqual(arns(p1), made.slice(0, 2));
    assert.equal(p1.LastEvaluatedBackupArn, made[1]);
    const p2 = call(engine, 'ListBackups', { Limit: 2, ExclusiveStartBackupArn: p1.LastEvaluatedBackupArn });
    assert.deepEqual(arns(p2), [made[2]]);
    assert.equal(p2.LastEvaluatedBackupArn, undefined);
    const s = call(engine, 'ListBackups', { TableName: 'Bbb' }).BackupSummaries[0];
    assert.deepEqual(Object.keys(s).sort(), [
      'BackupArn',
      'BackupCreationDateTime',
      'BackupName',
      'BackupSizeBytes',
      'BackupStatus',
      'BackupType',
      'TableArn',
      'TableId',
      'TableName',
    ]);
    assertError(
      () => call(engine, 'ListBackups', { BackupType: 'OTHER' }),
      'ValidationException',
      /enum value set: \[USER, SYSTEM, AWS_BACKUP, ALL\]/,
    );
  });
});

describe('DeleteBackup', () => {
  it('deletes and describes the backup as DELETED', () => {
    const { engine } = clockEngine();
    richTable(engine);
    const arn = call(engine, 'CreateBackup', { TableName: 'Orders', BackupName: 'gone' }).BackupDetails
      .BackupArn;
    const out = call(engine, 'DeleteBackup', { BackupArn: arn }).BackupDescription;
    assert.equal(out.BackupDetails.BackupStatus, 'DELETED');
    assert.equal(out.SourceTableDetails.TableName, 'Orders');
    assertError(() => call(engine, 'DescribeBackup', { BackupArn: arn }), 'BackupNotFoundException');
    assert.deepEqual(call(engine, 'ListBackups', {}).BackupSummaries, []);
  });

  it('is BackupInUseException while the backup is being created or restored', () => {
    const { engine, clock } = clockEngine({ transientStatusMs: 1000 });
    richTable(engine);
    clock.advance(1000);
    const arn = call(engine, 'CreateBackup', { TableName: 'Orders', BackupName: 'slow' }).BackupDetails
      .BackupArn;
    assert.equal(
      call(engine, 'DescribeBackup', { BackupArn: arn }).BackupDescription.BackupDetails.BackupStatus,
      'CREATING',
    );
    assertError(() => call(engine, 'DeleteBackup', { BackupArn: arn }), 'BackupInUseException');
    assertError(
      () => call(engine, 'RestoreTableFromBackup', { BackupArn: arn, TargetTableName: 'Copy' }),
      'BackupInUseException',
    );
    clock.advance(1000);
    const restored = call(engine, 'RestoreTableFromBackup', {
      BackupArn: arn,
      TargetTableName: 'Copy',
    }).TableDescription;
    assert.equal(restored.TableStatus, 'CREATING');
    assert.equal(restored.RestoreSummary.RestoreInProgress, true);
    assertError(() => call(engine, 'DeleteBackup', { BackupArn: arn }), 'BackupInUseException');
    clock.advance(1000);
    assert.equal(call(engine, 'DescribeTable', { TableName: 'Copy' }).Table.TableStatus, 'ACTIVE');
    call(engine, 'DeleteBackup', { BackupArn: arn });
  });
});

describe('RestoreTableFromBackup', () => {
  it('restores the items as they were at backup time, with the indexes rebuilt', () => {
    const { engine, clock } = clockEngine();
    richTable(engine);
    fill(engine);
    const before = scanAll(engine, 'Orders');
    const openBefore = queryIndex(engine, 'Orders', 'byStatus', { status: S('open') });
    const arn = call(engine, 'CreateBackup', { TableName: 'Orders', BackupName: 'snap' }).BackupDetails
      .BackupArn;
    // Writes after the backup are not in it.
    call(engine, 'PutItem', {
      TableName: 'Orders',
      Item: { pk: S('late'), sk: N(1), status: S('open'), total: N(1) },
    });
    call(engine, 'DeleteItem', { TableName: 'Orders', Key: { pk: S('c0'), sk: N(0) } });
    clock.advance(10_000);

    const d = call(engine, 'RestoreTableFromBackup', {
      BackupArn: arn,
      TargetTableName: 'Restored',
    }).TableDescription;
    assert.equal(d.TableName, 'Restored');
    assert.equal(d.TableStatus, 'ACTIVE');
    assert.equal(d.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/Restored');
    assert.equal(d.CreationDateTime, (T0 + 10_000) / 1000);
    assert.deepEqual(d.RestoreSummary, {
      SourceBackupArn: arn,
      SourceTableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders',
      RestoreDateTime: T0 / 1000,
      RestoreInProgress: false,
    });
    assert.equal(d.ItemCount, 20);
    assert.deepEqual(d.ProvisionedThroughput.ReadCapacityUnits, 5);
    assert.deepEqual(d.KeySchema, call(engine, 'DescribeTable', { TableName: 'Orders' }).Table.KeySchema);
    assert.equal(d.GlobalSecondaryIndexes[0].ItemCount, 20);
    assert.equal(d.GlobalSecondaryIndexes[0].ProvisionedThroughput.WriteCapacityUnits, 3);
    assert.equal(d.LocalSecondaryIndexes[0].ItemCount, 20);
    assert.equal(d.SSEDescription.Status, 'ENABLED');
    // Not restored, as in DynamoDB: stream, TTL, tags, point-in-time recovery.
    assert.equal(d.StreamSpecification, undefined);
    assert.equal(d.LatestStreamArn, undefined);
    assert.equal(
      call(engine, 'DescribeTimeToLive', { TableName: 'Restored' }).TimeToLiveDescription.TimeToLiveStatus,
      'DISABLED',
    );
    assert.deepEqual(call(engine, 'ListTagsOfResource', { ResourceArn: d.TableArn }).Tags, []);

    assert.deepEqual(scanAll(engine, 'Restored'), before);
    assert.deepEqual(queryIndex(engine, 'Restored', 'byStatus', { status: S('open') }), openBefore);
    assert.deepEqual(queryIndex(engine, 'Restored', 'byTotal', { pk: S('c1') }), [
      { pk: S('c1'), sk: N(1), total: N(10), note: S('n1') },
      { pk: S('c1'), sk: N(5), total: N(50), note: S('n5') },
      { pk: S('c1'), sk: N(9), total: N(90), note: S('n9') },
      { pk: S('c1'), sk: N(13), total: N(130), note: S('n13') },
      { pk: S('c1'), sk: N(17), total: N(170), note: S('n17') },
    ]);
    // The restored table is an ordinary table.
    call(engine, 'PutItem', {
      TableName: 'Restored',
      Item: { pk: S('new'), sk: N(0), status: S('open'), total: N(0) },
    });
    assert.equal(call(engine, 'DescribeTable', { TableName: 'Restored' }).Table.ItemCount, 21);
  });

  it('applies overrides: billing mode, throughput, a subset of indexes, SSE', () => {
    const { engine } = clockEngine();
    richTable(engine);
    fill(engine);
    const arn = call(engine, 'CreateBackup', { TableName: 'Orders', BackupName: 'snap' }).BackupDetails
      .BackupArn;
    const onDemand = call(engine, 'RestoreTableFromBackup', {
      BackupArn: arn,
      TargetTableName: 'OnDemand',
      BillingModeOverride: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexOverride: [],
      LocalSecondaryIndexOverride: [],
      SSESpecificationOverride: { Enabled: false },
    }).TableDescription;
    assert.equal(onDemand.BillingModeSummary.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(onDemand.ProvisionedThroughput.ReadCapacityUnits, 0);
    assert.equal(onDemand.GlobalSecondaryIndexes, undefined);
    assert.equal(onDemand.LocalSecondaryIndexes, undefined);
    assert.equal(onDemand.SSEDescription, undefined);
    assert.deepEqual(
      onDemand.AttributeDefinitions.map((a: { AttributeName: string }) => a.AttributeName).sort(),
      ['pk', 'sk'],
    );
    assert.equal(onDemand.ItemCount, 20);

    const bigger = call(engine, 'RestoreTableFromBackup', {
      BackupArn: arn,
      TargetTableName: 'Bigger',
      ProvisionedThroughputOverride: { ReadCapacityUnits: 50, WriteCapacityUnits: 60 },
      GlobalSecondaryIndexOverride: [
        {
          IndexName: 'byStatus',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 8 },
        },
      ],
    }).TableDescription;
    assert.equal(bigger.ProvisionedThroughput.WriteCapacityUnits, 60);
    assert.equal(bigger.GlobalSecondaryIndexes[0].ProvisionedThroughput.ReadCapacityUnits, 7);
    assert.deepEqual(bigger.GlobalSecondaryIndexes[0].Projection, { ProjectionType: 'ALL' });
    assert.equal(queryIndex(engine, 'Bigger', 'byStatus', { status: S('open') }).length, 7);
    assert.equal(
      (queryIndex(engine, 'Bigger', 'byStatus', { status: S('open') })[0] as { note?: unknown }).note !==
        undefined,
      true,
    );

    assertError(
      () =>
        call(engine, 'RestoreTableFromBackup', {
          BackupArn: arn,
          TargetTableName: 'Bad',
          BillingModeOverride: 'PAY_PER_REQUEST',
          ProvisionedThroughputOverride: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        }),
      'ValidationException',
      /Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST/,
    );
    assertError(
      () =>
        call(engine, 'RestoreTableFromBackup', {
          BackupArn: arn,
          TargetTableName: 'Bad',
          GlobalSecondaryIndexOverride: [
            {
              IndexName: 'byNothing',
              KeySchema: [{ AttributeName: 'nothing', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
              ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
            },
          ],
        }),
      'ValidationException',
      /Some index key attributes are not defined in AttributeDefinitions/,
    );
    assert.equal(call(engine, 'ListTables', {}).TableNames.includes('Bad'), false);
  });

  it('refuses an existing target table', () => {
    const { engine } = clockEngine();
    richTable(engine);
    const arn = call(engine, 'CreateBackup', { TableName: 'Orders', BackupName: 'snap' }).BackupDetails
      .BackupArn;
    assertError(
      () => call(engine, 'RestoreTableFromBackup', { BackupArn: arn, TargetTableName: 'Orders' }),
      'TableAlreadyExistsException',
      'Table already exists: Orders',
    );
  });

  it('keeps backups of a deleted table restorable', () => {
    const { engine } = clockEngine();
    richTable(engine);
    fill(engine, 'Orders', 5);
    const before = scanAll(engine, 'Orders');
    const arn = call(engine, 'CreateBackup', { TableName: 'Orders', BackupName: 'snap' }).BackupDetails
      .BackupArn;
    call(engine, 'DeleteTable', { TableName: 'Orders' });
    call(engine, 'RestoreTableFromBackup', { BackupArn: arn, TargetTableName: 'Orders' });
    assert.deepEqual(scanAll(engine, 'Orders'), before);
  });
});
