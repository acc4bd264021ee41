// Global tables, version 2019.11.21 (issue 20): replicas made through UpdateTable's ReplicaUpdates,
// asynchronous replication after the replication delay, last writer wins, and DynamoDB's refusals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import type { Namespace } from '../../../engine/engine.js';
import { assertError } from '../../support/engine.js';

const EAST: Namespace = { region: 'us-east-1', accountId: '000000000000' };
const WEST: Namespace = { region: 'us-west-2', accountId: '000000000000' };
const EU: Namespace = { region: 'eu-west-1', accountId: '000000000000' };

function clockEngine(options: { transientStatusMs?: number } = {}) {
  let now = 1_700_000_000_000;
  const engine = Engine.inMemory({ now: () => now, replicationDelayMs: 100, ...options });
  return {
    engine,
    advance(ms: number) {
      now += ms;
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    run(op: string, input: unknown, ns: Namespace = EAST): any {
      return engine.execute(op, input, ns);
    },
  };
}

function createTable(t: ReturnType<typeof clockEngine>, extra: Record<string, unknown> = {}, ns = EAST) {
  t.run(
    'CreateTable',
    {
      TableName: 'Orders',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...extra,
    },
    ns,
  );
}

function addReplica(t: ReturnType<typeof clockEngine>, region: string, ns = EAST) {
  return t.run(
    'UpdateTable',
    { TableName: 'Orders', ReplicaUpdates: [{ Create: { RegionName: region } }] },
    ns,
  );
}

function get(t: ReturnType<typeof clockEngine>, pk: string, ns: Namespace) {
  return t.run('GetItem', { TableName: 'Orders', Key: { pk: { S: pk } }, ConsistentRead: true }, ns).Item;
}

describe('global tables: replicas', () => {
  it('creating a replica copies the existing items and lists it in Replicas', () => {
    const t = clockEngine();
    createTable(t);
    for (let i = 0; i < 30; i++)
      t.run('PutItem', { TableName: 'Orders', Item: { pk: { S: `k${i}` }, n: { N: String(i) } } });
    const answer = addReplica(t, 'us-west-2');
    assert.deepEqual(answer.TableDescription.Replicas, [
      { RegionName: 'us-west-2', ReplicaStatus: 'ACTIVE' },
    ]);
    assert.equal(answer.TableDescription.GlobalTableVersion, '2019.11.21');
    // DynamoDB turns on the stream (NEW_AND_OLD_IMAGES) of a table that had none.
    assert.deepEqual(answer.TableDescription.StreamSpecification, {
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    const west = t.run('DescribeTable', { TableName: 'Orders' }, WEST).Table;
    assert.equal(west.TableStatus, 'ACTIVE');
    assert.equal(west.ItemCount, 30);
    assert.equal(west.TableArn, 'arn:aws:dynamodb:us-west-2:000000000000:table/Orders');
    assert.deepEqual(west.Replicas, [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }]);
    assert.deepEqual(get(t, 'k7', WEST), { pk: { S: 'k7' }, n: { N: '7' } });
  });

  it('a replica is CREATING for the transient delay, then ACTIVE', () => {
    const t = clockEngine({ transientStatusMs: 1000 });
    createTable(t);
    t.advance(1000);
    t.run('DescribeTable', { TableName: 'Orders' });
    const answer = addReplica(t, 'us-west-2');
    assert.deepEqual(answer.TableDescription.Replicas, [
      { RegionName: 'us-west-2', ReplicaStatus: 'CREATING' },
    ]);
    assertError(() => get(t, 'x', WEST), 'ResourceNotFoundException');
    // A second replica action meanwhile is refused.
    assertError(() => addReplica(t, 'eu-west-1'), 'ResourceInUseException');
    t.advance(1000);
    const east = t.run('DescribeTable', { TableName: 'Orders' }).Table;
    assert.deepEqual(east.Replicas, [{ RegionName: 'us-west-2', ReplicaStatus: 'ACTIVE' }]);
    assert.equal(get(t, 'x', WEST), undefined);
  });

  it('a large table is copied in chunks after the answer', () => {
    const t = clockEngine();
    createTable(t);
    const items = 4500;
    for (let i = 0; i < items; i++) t.run('PutItem', { TableName: 'Orders', Item: { pk: { S: `k${i}` } } });
    const answer = addReplica(t, 'us-west-2');
    assert.equal(answer.TableDescription.Replicas[0].ReplicaStatus, 'CREATING');
    t.engine.ctx.replicaFills.runToEnd();
    const west = t.run('DescribeTable', { TableName: 'Orders' }, WEST).Table;
    assert.equal(west.TableStatus, 'ACTIVE');
    assert.equal(west.ItemCount, items);
  });

  it('deleting a replica drops its table and makes the others regional again', () => {
    const t = clockEngine();
    createTable(t);
    addReplica(t, 'us-west-2');
    const answer = t.run('UpdateTable', {
      TableName: 'Orders',
      ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }],
    });
    assert.equal(answer.TableDescription.Replicas, undefined);
    assert.equal(answer.TableDescription.GlobalTableVersion, undefined);
    assertError(() => t.run('DescribeTable', { TableName: 'Orders' }, WEST), 'ResourceNotFoundException');
  });

  it('DeleteTable of a replica takes it out of the group; queued writes to it are dropped', () => {
    const t = clockEngine();
    createTable(t);
    addReplica(t, 'us-west-2');
    t.run('PutItem', { TableName: 'Orders', Item: { pk: { S: 'a' } } });
    t.run('DeleteTable', { TableName: 'Orders' }, WEST);
    const east = t.run('DescribeTable', { TableName: 'Orders' }).Table;
    assert.equal(east.Replicas, undefined);
    t.advance(100);
    t.engine.replicateDue();
    assertError(() => get(t, 'a', WEST), 'ResourceNotFoundException');
    assert.equal(t.engine.ctx.db.sqlite.prepare('SELECT count(*) FROM sk_replication').pluck().get(), 0);
    // A new same-named table there is regional: nothing from us-east-1 reaches it.
    createTable(t, {}, WEST);
    t.run('PutItem', { TableName: 'Orders', Item: { pk: { S: 'b' } } });
    t.advance(100);
    t.engine.replicateDue();
    assert.equal(get(t, 'b', WEST), undefined);
  });

  it('a GSI created or deleted on one replica is created or deleted on the others, and filled', () => {
    const t = clockEngine();
    createTable(t);
    addReplica(t, 'us-west-2');
    t.run('PutItem', { TableName: 'Orders', Item: { pk: { S: 'a' }, status: { S: 'open' } } });
    t.advance(100);
    t.engine.replicateDue();
    t.run(
      'UpdateTable',
      {
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byStatus',
              KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      },
      WEST,
    );
    const east = t.run('DescribeTable', { TableName: 'Orders' }).Table;
    assert.equal(east.GlobalSecondaryIndexes[0].IndexName, 'byStatus');
    assert.equal(
      east.GlobalSecondaryIndexes[0].IndexArn,
      'arn:aws:dynamodb:us-east-1:000000000000:table/Orders/index/byStatus',
    );
    const query = (ns: Namespace) =>
      t.run(
        'Query',
        {
          TableName: 'Orders',
          IndexName: 'byStatus',
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': { S: 'open' } },
        },
        ns,
      ).Count;
    assert.equal(query(EAST), 1);
    assert.equal(query(WEST), 1);
    t.run('UpdateTable', {
      TableName: 'Orders',
      GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byStatus' } }],
    });
    assert.equal(
      t.run('DescribeTable', { TableName: 'Orders' }, WEST).Table.GlobalSecondaryIndexes,
      undefined,
    );
  });

  it('the TTL setting is the same on every replica', () => {
    const t = clockEngine();
    createTable(t);
    t.run('UpdateTimeToLive', {
      TableName: 'Orders',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
    });
    addReplica(t, 'us-west-2');
    const ttl = (ns: Namespace) =>
      t.run('DescribeTimeToLive', { TableName: 'Orders' }, ns).TimeToLiveDescription;
    assert.deepEqual(ttl(WEST), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
    addReplica(t, 'eu-west-1');
    // One change an hour, as DynamoDB allows.
    t.advance(3_600_000);
    t.run(
      'UpdateTimeToLive',
      { TableName: 'Orders', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } },
      EU,
    );
    assert.deepEqual(ttl(EAST), { TimeToLiveStatus: 'DISABLED' });
    assert.deepEqual(ttl(WEST), { TimeToLiveStatus: 'DISABLED' });
  });

  it('three regions: each replica lists the two others', () => {
    const t = clockEngine();
    createTable(t);
    addReplica(t, 'us-west-2');
    addReplica(t, 'eu-west-1', WEST);
    const regions = (ns: Namespace) =>
      t
        .run('DescribeTable', { TableName: 'Orders' }, ns)
        .Table.Replicas.map((r: { RegionName: string }) => r.RegionName)
        .sort();
    assert.deepEqual(regions(EAST), ['eu-west-1', 'us-west-2']);
    assert.deepEqual(regions(WEST), ['eu-west-1', 'us-east-1']);
    assert.deepEqual(regions(EU), ['us-east-1', 'us-west-2']);
    t.run('PutItem', { TableName: 'Orders', Item: { pk: { S: 'a' } } }, EU);
    t.advance(100);
    t.engine.replicateDue();
    assert.ok(get(t, 'a', EAST));
    assert.ok(get(t, 'a', WEST));
  });
});

describe('global tables: replication', () => {
  it('a write reaches the other replica after the replication delay, not before', () => {
    const t = clockEngine();
    createTable(t);
    addReplica(t, 'us-west-2');
    t.run('PutItem', { TableName: 'Orders', Item: { pk: { S: 'a' }, v: { S: '1' } } });
    t.engine.replicateDue();
    assert.equal(get(t, 'a', WEST), undefined);
    t.advance(99);
    t.engine.replicateDue();
    assert.equal(get(t, 'a', WEST), undefined);
    t.advance(1);
    t.engine.replicateDue();
    assert.deepEqual(get(t, 'a', WEST), { pk: { S: 'a' }, v: { S: '1' } });
    // Updates and deletes travel the same way, in order.
    t.run(
      'UpdateItem',
      {
        TableName: 'Orders',
        Key: { pk: { S: 'a' } },
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': { S: '2' } },
      },
      WEST,
    );
    t.run('DeleteItem', { TableName: 'Orders', Key: { pk: { S: 'a' } } }, WEST);
    t.advance(100);
    t.engine.replicateDue();
    assert.equal(get(t, 'a', EAST), undefined);
  });

  it('concurrent writes in two regions converge on the later one (last writer wins)', () => {
    const t = clockEngine();
    createTable(t);
    addReplica(t, 'us-west-2');
    t.run('PutItem', { TableName: 'Orders', Item: { pk: { S: 'x' }, v: { S: 'east' } } });
    t.advance(5);
    t.run('PutItem', { TableName: 'Orders', Item: { pk: { S: 'x' }, v: { S: 'west' } } }, WEST);
    t.advance(200);
    t.engine.replicateDue();
    assert.deepEqual(get(t, 'x', EAST), { pk: { S: 'x' }, v: { S: 'west' } });
    assert.deepEqual(get(t, 'x', WEST), { pk: { S: 'x' }, v: { S: 'west' } });
  });

  it('replicated writes appear in the receiving replica stream, without aws:rep attributes', () => {
    const t = clockEngine();
    createTable(t);
    addReplica(t, 'us-west-2');
    t.run('PutItem', { TableName: 'Orders', Item: { pk: { S: 'a' } } });
    t.advance(100);
    t.engine.replicateDue();
    const arn = t.run('DescribeTable', { TableName: 'Orders' }, WEST).Table.LatestStreamArn;
    const shard = t.run('DescribeStream', { StreamArn: arn }, WEST).StreamDescription.Shards[0].ShardId;
    const it = t.run(
      'GetShardIterator',
      { StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' },
      WEST,
    ).ShardIterator;
    const records = t.run('GetRecords', { ShardIterator: it }, WEST).Records;
    assert.equal(records.length, 1);
    assert.equal(records[0].eventName, 'INSERT');
    assert.deepEqual(records[0].dynamodb.NewImage, { pk: { S: 'a' } });
  });
});

describe('global tables: refusals', () => {
  it('answers DynamoDB texts', () => {
    const t = clockEngine();
    createTable(t);
    const update = (u: unknown, extra: Record<string, unknown> = {}) =>
      t.run('UpdateTable', { TableName: 'Orders', ReplicaUpdates: u, ...extra });
    assertError(
      () => update([{ Create: { RegionName: 'us-east-1' } }]),
      'ValidationException',
      'Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.',
    );
    assertError(
      () => update([{ Create: { RegionName: 'us-west-2' } }], { DeletionProtectionEnabled: true }),
      'ValidationException',
      'One or more parameter values were invalid: Replica modification must be the only operation in the request',
    );
    assertError(
      () => update([{ Create: { RegionName: 'us-west-2' } }, { Create: { RegionName: 'eu-west-1' } }]),
      'ValidationException',
      'Update table operation with more than one create or delete replica actions not allowed',
    );
    assertError(
      () => update([{ Delete: { RegionName: 'us-west-2' } }]),
      'ValidationException',
      'Update global table operation failed because one or more replicas were not part of the global table. Please retry the request without these replicas: [us-west-2].',
    );
    assertError(
      () => update([{ Create: { RegionName: 'us-west-2' } }], { MultiRegionConsistency: 'STRONG' }),
      'ValidationException',
      /MultiRegionConsistency STRONG is not supported by Sortkey/,
    );
    createTable(t, {}, WEST);
    assertError(
      () => update([{ Create: { RegionName: 'us-west-2' } }]),
      'ValidationException',
      "Failed to create a the new replica of table with name: 'Orders' because one or more replicas already existed as tables.",
    );
  });

  it('refuses provisioned tables, stream disabling and protected replicas', () => {
    const t = clockEngine();
    t.run('CreateTable', {
      TableName: 'Orders',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    });
    assertError(
      () => addReplica(t, 'us-west-2'),
      'ValidationException',
      'Table write capacity should either be Pay-Per-Request or AutoScaled.',
    );
    t.run('UpdateTable', { TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST' });
    addReplica(t, 'us-west-2');
    assertError(
      () => t.run('UpdateTable', { TableName: 'Orders', StreamSpecification: { StreamEnabled: false } }),
      'ValidationException',
      'Disabling Stream is not allowed for a Global Table replica',
    );
    assertError(
      () =>
        t.run('UpdateTable', {
          TableName: 'Orders',
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        }),
      'ValidationException',
      'Table write capacity should either be Pay-Per-Request or AutoScaled.',
    );
    t.run('UpdateTable', { TableName: 'Orders', DeletionProtectionEnabled: true }, WEST);
    assertError(
      () =>
        t.run('UpdateTable', {
          TableName: 'Orders',
          ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }],
        }),
      'ValidationException',
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
  });
});

describe('global tables: provisioned with auto scaling', () => {
  function provisionedWithIndex(t: ReturnType<typeof clockEngine>) {
    t.run('CreateTable', {
      TableName: 'Orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        },
      ],
    });
  }
  const policy = (dimension: string, index?: string) => ({
    TableName: 'Orders',
    ...(index !== undefined ? { IndexName: index } : {}),
    ScalableDimension: dimension,
    MinCapacity: 5,
    MaxCapacity: 100,
    TargetValue: 70,
  });
  const tableRefusal = 'Table write capacity should either be Pay-Per-Request or AutoScaled.';
  const gsiRefusal = 'GSI write capacity should either be Pay-Per-Request or AutoScaled.';

  it('counts write scaling policies on the table and every GSI as AutoScaled, and only those', () => {
    const t = clockEngine();
    provisionedWithIndex(t);
    assertError(() => addReplica(t, 'us-west-2'), 'ValidationException', tableRefusal);
    // Read capacity does not count.
    t.engine.executeSortkey('PutScalingPolicy', policy('ReadCapacityUnits'), EAST);
    t.engine.executeSortkey('PutScalingPolicy', policy('ReadCapacityUnits', 'byG'), EAST);
    assertError(() => addReplica(t, 'us-west-2'), 'ValidationException', tableRefusal);
    // The table's writes scale, the index's do not.
    t.engine.executeSortkey('PutScalingPolicy', policy('WriteCapacityUnits'), EAST);
    assertError(() => addReplica(t, 'us-west-2'), 'ValidationException', gsiRefusal);
    t.engine.executeSortkey('PutScalingPolicy', policy('WriteCapacityUnits', 'byG'), EAST);
    const answer = addReplica(t, 'us-west-2');
    assert.deepEqual(
      answer.TableDescription.Replicas.map((r: { RegionName: string }) => r.RegionName),
      ['us-west-2'],
    );
    const west = t.run('DescribeTable', { TableName: 'Orders' }, WEST).Table;
    assert.equal(west.ProvisionedThroughput.WriteCapacityUnits, 5);
    // The new replica scales as its source does.
    const copied = t.engine.executeSortkey('DescribeScalingPolicies', {}, WEST) as {
      ScalingPolicies: { IndexName?: string; ScalableDimension: string; MaxCapacity: number }[];
    };
    assert.deepEqual(
      copied.ScalingPolicies.map((p) => [p.IndexName ?? '', p.ScalableDimension, p.MaxCapacity]),
      [
        ['', 'ReadCapacityUnits', 100],
        ['', 'WriteCapacityUnits', 100],
        ['byG', 'ReadCapacityUnits', 100],
        ['byG', 'WriteCapacityUnits', 100],
      ],
    );
  });

  it('a GSI added to a provisioned global table gets write auto scaling in every replica', () => {
    const t = clockEngine();
    provisionedWithIndex(t);
    t.engine.executeSortkey('PutScalingPolicy', policy('WriteCapacityUnits'), EAST);
    t.engine.executeSortkey('PutScalingPolicy', policy('WriteCapacityUnits', 'byG'), EAST);
    addReplica(t, 'us-west-2');
    t.run('UpdateTable', {
      TableName: 'Orders',
      AttributeDefinitions: [{ AttributeName: 'h', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byH',
            KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
            ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
          },
        },
      ],
    });
    for (const ns of [EAST, WEST]) {
      const listed = t.engine.executeSortkey('DescribeScalingPolicies', { TableName: 'Orders' }, ns) as {
        ScalingPolicies: {
          IndexName?: string;
          ScalableDimension: string;
          MinCapacity: number;
          MaxCapacity: number;
          TargetValue: number;
        }[];
      };
      const byH = listed.ScalingPolicies.filter((p) => p.IndexName === 'byH');
      assert.deepEqual(
        byH.map((p) => [p.ScalableDimension, p.MinCapacity, p.MaxCapacity, p.TargetValue]),
        [['WriteCapacityUnits', 1, 10, 70]],
        ns.region,
      );
    }
    // So the table still qualifies for another replica.
    addReplica(t, 'eu-west-1');
  });

  it('refuses again once the write policy is gone', () => {
    const t = clockEngine();
    provisionedWithIndex(t);
    t.engine.executeSortkey('PutScalingPolicy', policy('WriteCapacityUnits'), EAST);
    t.engine.executeSortkey('PutScalingPolicy', policy('WriteCapacityUnits', 'byG'), EAST);
    t.engine.executeSortkey('DeleteScalingPolicy', { TableName: 'Orders', IndexName: 'byG' }, EAST);
    assertError(() => addReplica(t, 'us-west-2'), 'ValidationException', gsiRefusal);
    t.engine.executeSortkey('DeleteScalingPolicy', { TableName: 'Orders' }, EAST);
    t.engine.executeSortkey('PutScalingPolicy', policy('WriteCapacityUnits', 'byG'), EAST);
    assertError(() => addReplica(t, 'us-west-2'), 'ValidationException', tableRefusal);
  });
});

describe('global tables: processes sharing the file', () => {
  it('each replicated write is applied once, by whichever process gets to it first', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-replication-'));
    let now = 1_700_000_000_000;
    const open = () => new Engine({ path: join(dir, 'db.sqlite'), now: () => now, replicationDelayMs: 100 });
    const a = open();
    const b = open();
    try {
      a.execute('CreateTable', {
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      });
      a.execute('UpdateTable', {
        TableName: 'Orders',
        ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }],
      });
      for (let i = 0; i < 5; i++) b.execute('PutItem', { TableName: 'Orders', Item: { pk: { S: `k${i}` } } });
      now += 100;
      a.replicateDue();
      b.replicateDue();
      a.replicateDue();
      const arn = (
        a.execute('DescribeTable', { TableName: 'Orders' }, WEST) as { Table: { LatestStreamArn: string } }
      ).Table.LatestStreamArn;
      const records = a.ctx.db.sqlite
        .prepare(
          'SELECT count(*) FROM sk_stream_records r JOIN sk_streams s ON s.id = r.stream_id WHERE s.arn = ?',
        )
        .pluck()
        .get(arn);
      assert.equal(records, 5);
      const count = (b.execute('Scan', { TableName: 'Orders', Select: 'COUNT' }, WEST) as { Count: number })
        .Count;
      assert.equal(count, 5);
    } finally {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
