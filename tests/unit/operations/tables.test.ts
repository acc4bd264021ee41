import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import { assertError, call, createSimpleTable, scratchEngine } from '../../support/engine.js';

const keyTable = {
  TableName: 'Orders',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
};

describe('CreateTable', () => {
  it('creates an ACTIVE table and describes it fully', () => {
    const e = scratchEngine({ now: () => 1_700_000_000_000 });
    const out = call(e, 'CreateTable', { ...keyTable, Tags: [{ Key: 'env', Value: 'dev' }] });
    const d = out.TableDescription;
    assert.equal(d.TableName, 'Orders');
    assert.equal(d.TableStatus, 'ACTIVE');
    assert.equal(d.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders');
    assert.equal(d.CreationDateTime, 1_700_000_000);
    assert.deepEqual(d.ProvisionedThroughput, {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: 5,
      WriteCapacityUnits: 5,
    });
    assert.equal(d.ItemCount, 0);
    assert.equal(d.TableSizeBytes, 0);
    assert.match(d.TableId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(call(e, 'DescribeTable', { TableName: 'Orders' }).Table, d);
  });

  it('describes pay-per-request billing, table class, SSE and deletion protection', () => {
    const e = scratchEngine();
    const d = call(e, 'CreateTable', {
      ...keyTable,
      ProvisionedThroughput: undefined,
      BillingMode: 'PAY_PER_REQUEST',
      TableClass: 'STANDARD_INFREQUENT_ACCESS',
      SSESpecification: { Enabled: true },
      DeletionProtectionEnabled: true,
    }).TableDescription;
    assert.equal(d.BillingModeSummary.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(d.ProvisionedThroughput, {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: 0,
      WriteCapacityUnits: 0,
    });
    assert.deepEqual(d.TableClassSummary, { TableClass: 'STANDARD_INFREQUENT_ACCESS' });
    assert.equal(d.SSEDescription.Status, 'ENABLED');
    assert.equal(d.DeletionProtectionEnabled, true);
  });

  const invalid: [string, Record<string, unknown>, string, string][] = [
    [
      'missing name',
      { ...keyTable, TableName: undefined },
      'ValidationException',
      "The parameter 'TableName' is required but was not present in the request",
    ],
    [
      'short name with bad characters',
      { ...keyTable, TableName: 'a!' },
      'ValidationException',
      "2 validation errors detected: Value 'a!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    ],
    [
      'bad attribute type',
      {
        ...keyTable,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'X' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
      },
      'ValidationException',
      "1 validation error detected: Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
    ],
    [
      'first key not HASH',
      {
        ...keyTable,
        KeySchema: [
          { AttributeName: 'sk', KeyType: 'RANGE' },
          { AttributeName: 'pk', KeyType: 'HASH' },
        ],
      },
      'ValidationException',
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    ],
    [
      'same name twice',
      {
        ...keyTable,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'pk', KeyType: 'RANGE' },
        ],
      },
      'ValidationException',
      'Invalid KeySchema: Both the Hash Key and the Range Key element in the KeySchema have the same name',
    ],
    [
      'key not defined',
      { ...keyTable, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] },
      'ValidationException',
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [sk], AttributeDefinitions: [pk]',
    ],
    [
      'extra definition',
      {
        ...keyTable,
        AttributeDefinitions: [...keyTable.AttributeDefinitions, { AttributeName: 'x', AttributeType: 'S' }],
      },
      'ValidationException',
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    ],
    [
      'provisioned without throughput',
      { ...keyTable, ProvisionedThroughput: undefined },
      'ValidationException',
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    ],
    [
      'on-demand with throughput',
      { ...keyTable, BillingMode: 'PAY_PER_REQUEST' },
      'ValidationException',
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    ],
    [
      'LSI without table range key',
      {
        ...keyTable,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'x', AttributeType: 'S' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'lsi',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'x', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
      'ValidationException',
      'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
    ],
    [
      'GSI without throughput on a provisioned table',
      {
        ...keyTable,
        AttributeDefinitions: [...keyTable.AttributeDefinitions, { AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
      'ValidationException',
      'One or more parameter values were invalid: ProvisionedThroughput must be specified for index: gsi',
    ],
  ];
  for (const [name, input, type, message] of invalid) {
    it(`rejects ${name}`, () => {
      const e = scratchEngine();
      assertError(() => call(e, 'CreateTable', input), type, message);
      assert.deepEqual(call(e, 'ListTables', {}).TableNames, []);
    });
  }

  // Two-character index names on a GSI and an LSI: the GSI's error is listed first, whichever
  // order the request lists them in and whatever the names sort to.
  const lsi = (IndexName: string) => ({
    IndexName,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'lr', KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  });
  const gsi = (IndexName: string) => ({
    IndexName,
    KeySchema: [{ AttributeName: 'gh', KeyType: 'HASH' }],
    Projection: { ProjectionType: 'ALL' },
  });
  const tooShort = (name: string, member: string) =>
    `Value '${name}' at '${member}.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3`;
  const indexNames: [string, Record<string, unknown>, string, string][] = [
    [
      'the LSI listed first',
      { LocalSecondaryIndexes: [lsi('l1')], GlobalSecondaryIndexes: [gsi('g1')] },
      'g1',
      'l1',
    ],
    [
      'the LSI name sorting first',
      { GlobalSecondaryIndexes: [gsi('zz')], LocalSecondaryIndexes: [lsi('aa')] },
      'zz',
      'aa',
    ],
  ];
  for (const [name, indexes, g, l] of indexNames) {
    it(`lists a GSI's name error before an LSI's, with ${name}`, () => {
      const e = scratchEngine();
      assertError(
        () => call(e, 'CreateTable', { ...keyTable, ...indexes }),
        'ValidationException',
        `2 validation errors detected: ${tooShort(g, 'globalSecondaryIndexes')}; ${tooShort(l, 'localSecondaryIndexes')}`,
      );
    });
  }

  it('refuses an existing table name', () => {
    const e = scratchEngine();
    call(e, 'CreateTable', keyTable);
    assertError(
      () => call(e, 'CreateTable', keyTable),
      'ResourceInUseException',
      'Table already exists: Orders',
    );
  });
});

describe('ListTables / DescribeTable / DeleteTable', () => {
  it('pages table names in order', () => {
    const e = scratchEngine();
    for (const n of ['ccc', 'aaa', 'bbb', 'ddd']) createSimpleTable(e, n);
    const first = call(e, 'ListTables', { Limit: 2 });
    assert.deepEqual(first, { TableNames: ['aaa', 'bbb'], LastEvaluatedTableName: 'bbb' });
    assert.deepEqual(call(e, 'ListTables', { ExclusiveStartTableName: 'bbb' }), {
      TableNames: ['ccc', 'ddd'],
    });
    assertError(
      () => call(e, 'ListTables', { Limit: 101 }),
      'ValidationException',
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });

  it('reports missing tables as DynamoDB does', () => {
    const e = scratchEngine();
    assertError(
      () => call(e, 'DescribeTable', { TableName: 'nope' }),
      'ResourceNotFoundException',
      'Requested resource not found: Table: nope not found',
    );
    assertError(
      () => call(e, 'DeleteTable', { TableName: 'nope' }),
      'ResourceNotFoundException',
      'Requested resource not found: Table: nope not found',
    );
  });

  it('deletes a table and its items', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Gone');
    call(e, 'PutItem', { TableName: 'Gone', Item: { pk: { S: 'a' } } });
    const d = call(e, 'DeleteTable', { TableName: 'Gone' }).TableDescription;
    assert.equal(d.TableStatus, 'DELETING');
    assert.equal(d.ItemCount, 1);
    assert.deepEqual(call(e, 'ListTables', {}).TableNames, []);
    createSimpleTable(e, 'Gone');
    assert.equal(call(e, 'Scan', { TableName: 'Gone' }).Count, 0);
  });

  it('deletion protection really blocks DeleteTable until disabled', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Kept', false, { DeletionProtectionEnabled: true });
    assertError(
      () => call(e, 'DeleteTable', { TableName: 'Kept' }),
      'ValidationException',
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
    call(e, 'UpdateTable', { TableName: 'Kept', DeletionProtectionEnabled: false });
    call(e, 'DeleteTable', { TableName: 'Kept' });
    assert.deepEqual(call(e, 'ListTables', {}).TableNames, []);
  });

  it('passes through CREATING/DELETING with transient statuses enabled', () => {
    let now = 1_000_000;
    const e = scratchEngine({ now: () => now, transientStatusMs: 500 });
    assert.equal(call(e, 'CreateTable', keyTable).TableDescription.TableStatus, 'CREATING');
    assert.equal(call(e, 'DescribeTable', { TableName: 'Orders' }).Table.TableStatus, 'CREATING');
    assertError(
      () => call(e, 'GetItem', { TableName: 'Orders', Key: { pk: { S: 'a' }, sk: { N: '1' } } }),
      'ResourceNotFoundException',
    );
    now += 600;
    assert.equal(call(e, 'DescribeTable', { TableName: 'Orders' }).Table.TableStatus, 'ACTIVE');
    call(e, 'DeleteTable', { TableName: 'Orders' });
    assert.equal(call(e, 'DescribeTable', { TableName: 'Orders' }).Table.TableStatus, 'DELETING');
    now += 600;
    assertError(() => call(e, 'DescribeTable', { TableName: 'Orders' }), 'ResourceNotFoundException');
  });
});

describe('UpdateTable', () => {
  it('changes throughput and records the change', () => {
    const e = scratchEngine({ now: () => 2_000_000 });
    call(e, 'CreateTable', keyTable);
    const d = call(e, 'UpdateTable', {
      TableName: 'Orders',
      ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 2 },
    }).TableDescription;
    assert.equal(d.ProvisionedThroughput.ReadCapacityUnits, 10);
    assert.equal(d.ProvisionedThroughput.WriteCapacityUnits, 2);
    assert.equal(d.ProvisionedThroughput.NumberOfDecreasesToday, 1);
    assert.equal(d.ProvisionedThroughput.LastIncreaseDateTime, 2000);
    assertError(
      () =>
        call(e, 'UpdateTable', {
          TableName: 'Orders',
          ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 2 },
        }),
      'ValidationException',
      /^The provisioned throughput for the table will not change/,
    );
  });

  it('switches billing mode both ways', () => {
    const e = scratchEngine();
    call(e, 'CreateTable', keyTable);
    let d = call(e, 'UpdateTable', { TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST' }).TableDescription;
    assert.equal(d.BillingModeSummary.BillingMode, 'PAY_PER_REQUEST');
    assertError(
      () => call(e, 'UpdateTable', { TableName: 'Orders', BillingMode: 'PROVISIONED' }),
      'ValidationException',
      'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED',
    );
    d = call(e, 'UpdateTable', {
      TableName: 'Orders',
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
    }).TableDescription;
    assert.equal(d.BillingModeSummary.BillingMode, 'PROVISIONED');
    assert.equal(d.ProvisionedThroughput.WriteCapacityUnits, 4);
  });

  it('needs something to update', () => {
    const e = scratchEngine();
    call(e, 'CreateTable', keyTable);
    assertError(
      () => call(e, 'UpdateTable', { TableName: 'Orders' }),
      'ValidationException',
      /^At least one of ProvisionedThroughput/,
    );
  });
});

describe('tags, limits, endpoints', () => {
  it('tags, lists and untags a table by ARN', () => {
    const e = scratchEngine();
    const arn = call(e, 'CreateTable', keyTable).TableDescription.TableArn;
    call(e, 'TagResource', {
      ResourceArn: arn,
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
      ],
    });
    call(e, 'TagResource', { ResourceArn: arn, Tags: [{ Key: 'a', Value: '3' }] });
    assert.deepEqual(call(e, 'ListTagsOfResource', { ResourceArn: arn }).Tags, [
      { Key: 'a', Value: '3' },
      { Key: 'b', Value: '2' },
    ]);
    call(e, 'UntagResource', { ResourceArn: arn, TagKeys: ['a'] });
    assert.deepEqual(call(e, 'ListTagsOfResource', { ResourceArn: arn }).Tags, [{ Key: 'b', Value: '2' }]);
    assertError(
      () => call(e, 'ListTagsOfResource', { ResourceArn: arn.replace('Orders', 'Other') }),
      'ResourceNotFoundException',
    );
  });

  it('describes limits and endpoints', () => {
    const e = scratchEngine();
    assert.equal(call(e, 'DescribeLimits', {}).TableMaxReadCapacityUnits, 40000);
    assert.equal(call(e, 'DescribeEndpoints', {}).Endpoints[0].CachePeriodInMinutes, 1440);
  });
});

describe('persistence', () => {
  it('reopens a database file with every table, index and item', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-'));
    try {
      const path = join(dir, 'db.sqlite');
      let e = new Engine({ path });
      call(e, 'CreateTable', {
        ...keyTable,
        AttributeDefinitions: [...keyTable.AttributeDefinitions, { AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        ],
      });
      call(e, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'a' }, sk: { N: '1' }, g: { S: 'x' } } });
      e.close();
      e = new Engine({ path });
      assert.equal(call(e, 'DescribeTable', { TableName: 'Orders' }).Table.ItemCount, 1);
      assert.deepEqual(
        call(e, 'GetItem', { TableName: 'Orders', Key: { pk: { S: 'a' }, sk: { N: '1' } } }).Item,
        {
          pk: { S: 'a' },
          sk: { N: '1' },
          g: { S: 'x' },
        },
      );
      assert.equal(
        call(e, 'Query', {
          TableName: 'Orders',
          IndexName: 'byG',
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: 'x' } },
        }).Count,
        1,
      );
      e.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('two processes on one file', () => {
  it('sees tables, items and counts written by another connection', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-shared-'));
    try {
      const path = join(dir, 'db.sqlite');
      const a = new Engine({ path });
      const b = new Engine({ path });
      assert.deepEqual(call(b, 'ListTables', {}).TableNames, []);
      createSimpleTable(a, 'Shared');
      assert.deepEqual(call(b, 'ListTables', {}).TableNames, ['Shared']);
      call(b, 'PutItem', { TableName: 'Shared', Item: { pk: { S: 'x' }, v: { N: '1' } } });
      assert.equal(call(a, 'DescribeTable', { TableName: 'Shared' }).Table.ItemCount, 1);
      assert.deepEqual(call(a, 'GetItem', { TableName: 'Shared', Key: { pk: { S: 'x' } } }).Item.v, {
        N: '1',
      });
      createSimpleTable(b, 'Second');
      createSimpleTable(a, 'Third');
      assert.deepEqual(call(b, 'ListTables', {}).TableNames, ['Second', 'Shared', 'Third']);
      call(a, 'PutItem', { TableName: 'Third', Item: { pk: { S: 'y' } } });
      assert.equal(call(b, 'Scan', { TableName: 'Third' }).Count, 1);
      assert.equal(call(b, 'Scan', { TableName: 'Second' }).Count, 0);
      call(a, 'DeleteTable', { TableName: 'Shared' });
      assertError(
        () => call(b, 'GetItem', { TableName: 'Shared', Key: { pk: { S: 'x' } } }),
        'ResourceNotFoundException',
      );
      a.close();
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
