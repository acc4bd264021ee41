// Behaviours where Sortkey answered differently from DynamoDB (fidelity wave 2): updates that only
// remove, set order, stream settings, DeleteTable's short description and legacy key conditions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertError, call, createSimpleTable, scratchEngine } from '../../support/engine.js';
import { createTable, readStream, streamTable } from '../streams/helpers.js';

describe('UpdateItem that only removes', () => {
  const removals: [string, Record<string, unknown>][] = [
    ['REMOVE', { UpdateExpression: 'REMOVE x, y.z' }],
    [
      'DELETE from a set',
      { UpdateExpression: 'DELETE s :v', ExpressionAttributeValues: { ':v': { SS: ['a'] } } },
    ],
    [
      'REMOVE and DELETE',
      { UpdateExpression: 'REMOVE x DELETE s :v', ExpressionAttributeValues: { ':v': { NS: ['1'] } } },
    ],
    ['legacy DELETE', { AttributeUpdates: { x: { Action: 'DELETE' } } }],
  ];
  for (const [label, update] of removals) {
    it(`${label} on a missing item creates no item and no stream record`, () => {
      const e = scratchEngine();
      const arn = streamTable(e, 'Things');
      const out = call(e, 'UpdateItem', {
        TableName: 'Things',
        Key: { pk: { S: 'ghost' } },
        ReturnValues: 'ALL_NEW',
        ...update,
      });
      assert.equal(out.Attributes, undefined);
      assert.deepEqual(call(e, 'GetItem', { TableName: 'Things', Key: { pk: { S: 'ghost' } } }), {});
      assert.equal(call(e, 'DescribeTable', { TableName: 'Things' }).Table.ItemCount, 0);
      assert.deepEqual(readStream(e, arn), []);
    });
  }

  it('still creates the item when the update also sets something, or has no actions at all', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Things');
    call(e, 'UpdateItem', {
      TableName: 'Things',
      Key: { pk: { S: 'a' } },
      UpdateExpression: 'SET n = :one REMOVE x',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    });
    call(e, 'UpdateItem', { TableName: 'Things', Key: { pk: { S: 'b' } } });
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Things', Key: { pk: { S: 'a' } } }).Item, {
      pk: { S: 'a' },
      n: { N: '1' },
    });
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Things', Key: { pk: { S: 'b' } } }).Item, {
      pk: { S: 'b' },
    });
  });

  it('REMOVE a.b is ignored on a missing item, and an invalid path on an item without a', () => {
    // Observed on DynamoDB: the unreachable path is only an error when the item exists.
    const e = scratchEngine();
    createSimpleTable(e, 'Things');
    call(e, 'UpdateItem', {
      TableName: 'Things',
      Key: { pk: { S: 'ghost' } },
      UpdateExpression: 'REMOVE a.b',
    });
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Things', Key: { pk: { S: 'ghost' } } }), {});
    call(e, 'PutItem', { TableName: 'Things', Item: { pk: { S: 'real' } } });
    assertError(
      () =>
        call(e, 'UpdateItem', {
          TableName: 'Things',
          Key: { pk: { S: 'real' } },
          UpdateExpression: 'REMOVE a.b',
        }),
      'ValidationException',
      'The document path provided in the update expression is invalid for update',
    );
  });
});

describe('sets come back sorted', () => {
  const stored = {
    pk: { S: 'k' },
    ss: { SS: ['pear', 'Apple', 'apple', 'é', 'z'] },
    ns: { NS: ['10', '9', '-1', '1.5', '-20', '0'] },
    bs: { BS: ['/w==', 'AA==', 'gA==', 'AQI='] },
  };
  const sorted = {
    pk: { S: 'k' },
    ss: { SS: ['Apple', 'apple', 'pear', 'z', 'é'] },
    ns: { NS: ['-20', '-1', '0', '1.5', '9', '10'] },
    bs: { BS: ['AA==', 'AQI=', 'gA==', '/w=='] },
  };

  it('strings by UTF-8 bytes, numbers by value, binaries by bytes: GetItem, Query, Scan, PartiQL, streams', () => {
    const e = scratchEngine();
    const arn = streamTable(e, 'Things');
    call(e, 'PutItem', { TableName: 'Things', Item: stored });
    const key = { pk: { S: 'k' } };
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Things', Key: key }).Item, sorted);
    assert.deepEqual(call(e, 'Scan', { TableName: 'Things' }).Items, [sorted]);
    assert.deepEqual(
      call(e, 'Query', {
        TableName: 'Things',
        KeyConditionExpression: 'pk = :k',
        ExpressionAttributeValues: { ':k': { S: 'k' } },
      }).Items,
      [sorted],
    );
    assert.deepEqual(
      call(e, 'ExecuteStatement', { Statement: "SELECT * FROM Things WHERE pk = 'k'" }).Items,
      [sorted],
    );
    assert.deepEqual(readStream(e, arn)[0].dynamodb.NewImage, sorted);
  });

  it('stays sorted after ADD, set_add and PartiQL set literals', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Things');
    call(e, 'ExecuteStatement', {
      Statement: "INSERT INTO Things VALUE {'pk': 'k', 's': <<'m', 'c'>>, 'n': <<3, 1>>}",
    });
    call(e, 'UpdateItem', {
      TableName: 'Things',
      Key: { pk: { S: 'k' } },
      UpdateExpression: 'ADD s :s, n :n',
      ExpressionAttributeValues: { ':s': { SS: ['a', 'z'] }, ':n': { NS: ['2', '-5'] } },
    });
    call(e, 'ExecuteStatement', { Statement: "UPDATE Things SET s = set_add(s, <<'b'>>) WHERE pk = 'k'" });
    const item = call(e, 'GetItem', { TableName: 'Things', Key: { pk: { S: 'k' } } }).Item;
    assert.deepEqual(item.s, { SS: ['a', 'b', 'c', 'm', 'z'] });
    assert.deepEqual(item.n, { NS: ['-5', '1', '2', '3'] });
  });
});

describe('stream settings in DynamoDB words', () => {
  it('refuses enabling an enabled stream and disabling a disabled one, naming the table', () => {
    const e = scratchEngine();
    streamTable(e, 'Things');
    assertError(
      () =>
        call(e, 'UpdateTable', {
          TableName: 'Things',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        }),
      'ValidationException',
      'Table already has an enabled stream: TableName: Things',
    );
    assertError(
      () =>
        call(e, 'UpdateTable', {
          TableName: 'Things',
          StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' },
        }),
      'ValidationException',
      'One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified',
    );
    call(e, 'UpdateTable', { TableName: 'Things', StreamSpecification: { StreamEnabled: false } });
    const table = call(e, 'DescribeTable', { TableName: 'Things' }).Table;
    assert.equal(table.StreamSpecification, undefined);
    assert.match(table.LatestStreamArn, /\/stream\//);
    assertError(
      () => call(e, 'UpdateTable', { TableName: 'Things', StreamSpecification: { StreamEnabled: false } }),
      'ValidationException',
      'Table has no stream to disable: TableName: Things',
    );
    assertError(
      () => call(e, 'UpdateTable', { TableName: 'Things', StreamSpecification: { StreamEnabled: true } }),
      'ValidationException',
      'One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required',
    );
  });

  it('CreateTable words a stream without a view type, and a disabled one with a view type', () => {
    const e = scratchEngine();
    assertError(
      () => createTable(e, 'Things', { StreamSpecification: { StreamEnabled: true } }),
      'ValidationException',
      'One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required',
    );
    assertError(
      () =>
        createTable(e, 'Things', {
          StreamSpecification: { StreamEnabled: false, StreamViewType: 'NEW_IMAGE' },
        }),
      'ValidationException',
      'One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified',
    );
  });

  it("GetShardIterator accepts the shard's StartingSequenceNumber before its first record", () => {
    const e = scratchEngine();
    // Another table's records move the global sequence on, so the new shard starts past them.
    streamTable(e, 'Other');
    call(e, 'PutItem', { TableName: 'Other', Item: { pk: { S: 'o' } } });
    createTable(e, 'Things');
    const arn = call(e, 'UpdateTable', {
      TableName: 'Things',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    }).TableDescription.LatestStreamArn;
    const shard = call(e, 'DescribeStream', { StreamArn: arn }).StreamDescription.Shards[0];
    const start = shard.SequenceNumberRange.StartingSequenceNumber;
    const at = call(e, 'GetShardIterator', {
      StreamArn: arn,
      ShardId: shard.ShardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: start,
    }).ShardIterator;
    call(e, 'GetShardIterator', {
      StreamArn: arn,
      ShardId: shard.ShardId,
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
      SequenceNumber: start,
    });
    call(e, 'PutItem', { TableName: 'Things', Item: { pk: { S: 'new' } } });
    const records = call(e, 'GetRecords', { ShardIterator: at }).Records;
    assert.deepEqual(
      records.map((r: { dynamodb: { Keys: unknown } }) => r.dynamodb.Keys),
      [{ pk: { S: 'new' } }],
    );
  });
});

describe('DeleteTable', () => {
  it("answers DynamoDB's short description: no schema, no creation time, no indexes", () => {
    const e = scratchEngine();
    call(e, 'CreateTable', {
      TableName: 'Things',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
    call(e, 'PutItem', { TableName: 'Things', Item: { pk: { S: 'a' }, g: { S: 'x' } } });
    const d = call(e, 'DeleteTable', { TableName: 'Things' }).TableDescription;
    assert.deepEqual(Object.keys(d).sort(), [
      'BillingModeSummary',
      'ItemCount',
      'LatestStreamArn',
      'LatestStreamLabel',
      'ProvisionedThroughput',
      'StreamSpecification',
      'TableArn',
      'TableId',
      'TableName',
      'TableSizeBytes',
      'TableStatus',
    ]);
    assert.equal(d.TableStatus, 'DELETING');
    assert.equal(d.ItemCount, 1);
    assert.equal(d.BillingModeSummary.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(d.ProvisionedThroughput.NumberOfDecreasesToday, 0);
  });
});

describe('Query with legacy KeyConditions', () => {
  function table() {
    const e = scratchEngine();
    createSimpleTable(e, 'Things', true);
    call(e, 'PutItem', {
      TableName: 'Things',
      Item: { pk: { S: 'p' }, sk: { S: '1' }, a: { N: '1' }, b: { S: 'x' } },
    });
    call(e, 'PutItem', {
      TableName: 'Things',
      Item: { pk: { S: 'p' }, sk: { S: '2' }, a: { N: '2' }, b: { S: 'y' } },
    });
    return e;
  }
  const keyConditions = { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } };

  it('goes with a ProjectionExpression and a FilterExpression', () => {
    const e = table();
    const out = call(e, 'Query', {
      TableName: 'Things',
      KeyConditions: keyConditions,
      FilterExpression: 'a > :one',
      ProjectionExpression: 'b',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    });
    assert.deepEqual(out.Items, [{ b: { S: 'y' } }]);
    assert.equal(out.ScannedCount, 2);
  });

  it('is still refused beside a KeyConditionExpression, and QueryFilter beside a FilterExpression', () => {
    const e = table();
    assertError(
      () =>
        call(e, 'Query', {
          TableName: 'Things',
          KeyConditions: keyConditions,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'p' } },
        }),
      'ValidationException',
      /Can not use both expression and non-expression parameters in the same request: Non-expression parameters: \{KeyConditions\}/,
    );
    assertError(
      () =>
        call(e, 'Query', {
          TableName: 'Things',
          KeyConditions: keyConditions,
          QueryFilter: { a: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '1' }] } },
          FilterExpression: 'a > :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      'ValidationException',
      /Non-expression parameters: \{QueryFilter\} Expression parameters: \{FilterExpression\}/,
    );
  });
});
