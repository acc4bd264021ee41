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

describe('tags as DynamoDB checks them', () => {
  function withTable() {
    const e = scratchEngine();
    createSimpleTable(e, 'Things');
    const arn = call(e, 'DescribeTable', { TableName: 'Things' }).Table.TableArn as string;
    return { e, arn };
  }
  const tag = (Key: unknown, Value: unknown = 'v') => ({ Key, Value });
  function tagCount(e: ReturnType<typeof scratchEngine>, arn: string): number {
    let n = 0;
    let NextToken: string | undefined;
    do {
      const out = call(e, 'ListTagsOfResource', { ResourceArn: arn, ...(NextToken ? { NextToken } : {}) });
      n += out.Tags.length;
      NextToken = out.NextToken;
    } while (NextToken);
    return n;
  }

  it('refuses bad keys and values with their own messages', () => {
    const { e, arn } = withTable();
    const cases: [unknown[], string][] = [
      [[{}], 'The Tag Key provided is invalid, Key: null'],
      [[tag('k'.repeat(129))], `The Tag Key provided is invalid, Key: ${'k'.repeat(129)}`],
      [[tag('bad#key')], 'The Tag Key provided is invalid, Key: bad#key'],
      [[tag('k', 'v'.repeat(257))], `The Tag Value provided is invalid, Value: ${'v'.repeat(257)}`],
      [[{ Key: 'k' }], 'The Tag Value provided is invalid, Value: null'],
      [[tag('aws:foo')], 'Tag Key cannot be prefixed with aws:, Key: aws:foo'],
      [[tag('dup'), tag('dup')], 'Duplicate Tag Keys provided as input: Duplicate Tag Key found dup'],
    ];
    for (const [Tags, message] of cases) {
      assertError(() => call(e, 'TagResource', { ResourceArn: arn, Tags }), 'ValidationException', message);
    }
    assertError(
      () => call(e, 'UntagResource', { ResourceArn: arn, TagKeys: [''] }),
      'ValidationException',
      'The Tag Key provided is invalid, Key: ',
    );
    // Letters of any script, digits, spaces and + - = . _ : / @ are allowed; 128 and 256 characters too.
    call(e, 'TagResource', {
      ResourceArn: arn,
      Tags: [tag('Ünïcode kéy 1+-=._:/@', 'välue'), tag('k'.repeat(128), 'v'.repeat(256)), tag('empty', '')],
    });
    assert.equal(tagCount(e, arn), 3);
  });

  it('allows 50 tags on a resource; the 51st is a ValidationException, and nothing changes', () => {
    const { e, arn } = withTable();
    const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => tag(`${prefix}${i}`));
    call(e, 'TagResource', { ResourceArn: arn, Tags: many(40, 'a') });
    assertError(
      () => call(e, 'TagResource', { ResourceArn: arn, Tags: many(11, 'b') }),
      'ValidationException',
      'Number of Tags exceed the current limit for the provided ResourceArn',
    );
    assert.equal(tagCount(e, arn), 40);
    call(e, 'TagResource', { ResourceArn: arn, Tags: many(10, 'b') });
    assertError(
      () => call(e, 'UntagResource', { ResourceArn: arn, TagKeys: many(51, 'c').map((t) => t.Key) }),
      'ValidationException',
      'Number of Tags exceed the current limit for the provided ResourceArn',
    );
    assertError(
      () => createTable(e, 'Other', { Tags: many(51, 'd') }),
      'ValidationException',
      'Number of Tags exceed the current limit for the provided ResourceArn',
    );
    assertError(() => call(e, 'DescribeTable', { TableName: 'Other' }), 'ResourceNotFoundException');
  });

  it('words a ResourceArn that is not an ARN, a malformed one and an unknown table', () => {
    const { e } = withTable();
    assertError(
      () => call(e, 'TagResource', { ResourceArn: 'nonsense', Tags: [tag('k')] }),
      'ValidationException',
      "One or more parameter values were invalid: ARNs must start with 'arn:': nonsense",
    );
    assertError(
      () => call(e, 'UntagResource', { ResourceArn: 'Things', TagKeys: ['k'] }),
      'ValidationException',
      "One or more parameter values were invalid: ARNs must start with 'arn:': Things",
    );
    assertError(
      () =>
        call(e, 'TagResource', {
          ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:tablex/T',
          Tags: [tag('k')],
        }),
      'ValidationException',
      'Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:us-east-1:000000000000:tablex/T',
    );
    assertError(
      () =>
        call(e, 'TagResource', {
          ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Nope',
          Tags: [tag('k')],
        }),
      'ResourceNotFoundException',
      'Requested resource not found: ResourcArn: arn:aws:dynamodb:us-east-1:000000000000:table/Nope not found',
    );
  });
});

describe('requests DynamoDB refuses', () => {
  const one = (message: string) => `1 validation error detected: ${message}`;

  it('ConditionalOperator needs a filter or Expected of two or more elements', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Things');
    const message = 'ConditionalOperator can only be used when Filter or Expected has two or more elements';
    const key = { pk: { S: 'a' } };
    assertError(
      () => call(e, 'Scan', { TableName: 'Things', ConditionalOperator: 'AND' }),
      'ValidationException',
      message,
    );
    assertError(
      () =>
        call(e, 'Scan', {
          TableName: 'Things',
          ConditionalOperator: 'OR',
          ScanFilter: { a: { ComparisonOperator: 'NULL' } },
        }),
      'ValidationException',
      message,
    );
    assertError(
      () =>
        call(e, 'Query', {
          TableName: 'Things',
          KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } },
          ConditionalOperator: 'OR',
        }),
      'ValidationException',
      message,
    );
    for (const [op, input] of [
      ['PutItem', { Item: key }],
      ['UpdateItem', { Key: key }],
      ['DeleteItem', { Key: key }],
    ] as const) {
      assertError(
        () => call(e, op, { TableName: 'Things', ...input, ConditionalOperator: 'AND' }),
        'ValidationException',
        one(message),
      );
    }
    // Two elements: fine.
    call(e, 'Scan', {
      TableName: 'Things',
      ConditionalOperator: 'OR',
      ScanFilter: { a: { ComparisonOperator: 'NULL' }, b: { ComparisonOperator: 'NULL' } },
    });
    call(e, 'PutItem', {
      TableName: 'Things',
      Item: key,
      ConditionalOperator: 'AND',
      Expected: { a: { Exists: false }, b: { Exists: false } },
    });
  });

  it('refuses repeated NonKeyAttributes', () => {
    const e = scratchEngine();
    assertError(
      () =>
        call(e, 'CreateTable', {
          TableName: 'Things',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'g', AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byG',
              KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x', 'y', 'x'] },
            },
          ],
        }),
      'ValidationException',
      'One or more parameter values were invalid: Duplicate element in NonKeyAttributes: x',
    );
  });

  it('UpdateTable with nothing to change lists what it could have had', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Things');
    assertError(
      () => call(e, 'UpdateTable', { TableName: 'Things' }),
      'ValidationException',
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required',
    );
    assertError(
      () => call(e, 'UpdateTable', { TableName: 'Things', BillingMode: 'PAY_PER_REQUEST' }),
      'ValidationException',
      'At least one of ProvisionedThroughput, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required',
    );
    assertError(
      () =>
        call(e, 'UpdateTable', {
          TableName: 'Things',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        }),
      'ValidationException',
      /^At least one of ProvisionedThroughput, BillingMode,/,
    );
  });

  it('refuses attribute names over 65,535 bytes, at any depth and through SET', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Things');
    const message = one('Attribute name is too large, must be less than 65536 bytes');
    const long = 'x'.repeat(65536);
    const key = { pk: { S: 'a' } };
    assertError(
      () => call(e, 'PutItem', { TableName: 'Things', Item: { ...key, [long]: { S: 'v' } } }),
      'ValidationException',
      message,
    );
    assertError(
      () => call(e, 'PutItem', { TableName: 'Things', Item: { ...key, m: { M: { [long]: { S: 'v' } } } } }),
      'ValidationException',
      message,
    );
    // Multi-byte characters count in bytes: 21,846 three-byte characters are 65,538 bytes.
    assertError(
      () => call(e, 'PutItem', { TableName: 'Things', Item: { ...key, ['€'.repeat(21846)]: { S: 'v' } } }),
      'ValidationException',
      message,
    );
    assertError(
      () =>
        call(e, 'UpdateItem', {
          TableName: 'Things',
          Key: key,
          UpdateExpression: 'SET #n = :v',
          ExpressionAttributeNames: { '#n': long },
          ExpressionAttributeValues: { ':v': { S: 'v' } },
        }),
      'ValidationException',
      message,
    );
    call(e, 'PutItem', { TableName: 'Things', Item: { ...key, ['x'.repeat(65535)]: { S: 'v' } } });
    assert.equal(call(e, 'DescribeTable', { TableName: 'Things' }).Table.ItemCount, 1);
  });

  it('refuses an empty AttributesToGet on Query and Scan', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Things');
    const message = one(
      "Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    assertError(
      () => call(e, 'Scan', { TableName: 'Things', AttributesToGet: [] }),
      'ValidationException',
      message,
    );
    assertError(
      () =>
        call(e, 'Query', {
          TableName: 'Things',
          AttributesToGet: [],
          KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } },
        }),
      'ValidationException',
      message,
    );
  });

  it('refuses a StreamViewType outside its four values', () => {
    const e = scratchEngine();
    const message = one(
      "Value 'ALL' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]",
    );
    assertError(
      () => createTable(e, 'Things', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'ALL' } }),
      'ValidationException',
      message,
    );
    createTable(e, 'Things');
    assertError(
      () =>
        call(e, 'UpdateTable', {
          TableName: 'Things',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'ALL' },
        }),
      'ValidationException',
      message,
    );
  });

  it("answers 'Invalid StreamArn' for anything not shaped like a stream ARN", () => {
    const e = scratchEngine();
    for (const arn of [
      'fake-stream',
      'fake-stream-arn-long-enough-37-chars-xxxxxxxx',
      'arn:aws:dynamodb:us-east-1:1:table/T',
    ]) {
      assertError(
        () => call(e, 'DescribeStream', { StreamArn: arn }),
        'ValidationException',
        'Invalid StreamArn',
      );
      assertError(
        () =>
          call(e, 'GetShardIterator', {
            StreamArn: arn,
            ShardId: 'shardId-00000000000000000000-00000000',
            ShardIteratorType: 'LATEST',
          }),
        'ValidationException',
        'Invalid StreamArn',
      );
      assertError(
        () => call(e, 'ListStreams', { ExclusiveStartStreamArn: arn }),
        'ValidationException',
        'Invalid StreamArn',
      );
    }
    assertError(
      () =>
        call(e, 'DescribeStream', {
          StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Things/stream/2020-01-01T00:00:00.000',
        }),
      'ResourceNotFoundException',
    );
  });
});

describe('GSI backfill', () => {
  it('leaves out items whose index key a write would refuse (empty, too long, wrong type), and counts the rest', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Things');
    const items = [
      { pk: { S: 'ok' }, g: { S: 'x' } },
      { pk: { S: 'empty' }, g: { S: '' } },
      { pk: { S: 'number' }, g: { N: '1' } },
      { pk: { S: 'long' }, g: { S: 'y'.repeat(2049) } },
      { pk: { S: 'longest' }, g: { S: 'z'.repeat(2048) } },
      { pk: { S: 'none' } },
    ];
    for (const Item of items) call(e, 'PutItem', { TableName: 'Things', Item });
    call(e, 'UpdateTable', {
      TableName: 'Things',
      AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        },
      ],
    });
    const indexed = call(e, 'Scan', { TableName: 'Things', IndexName: 'byG' })
      .Items.map((i: { pk: { S: string } }) => i.pk.S)
      .sort();
    assert.deepEqual(indexed, ['longest', 'ok']);
    const gsi = call(e, 'DescribeTable', { TableName: 'Things' }).Table.GlobalSecondaryIndexes[0];
    assert.equal(gsi.ItemCount, 2);
  });
});

describe('Scan capacity by partition', () => {
  it('charges each partition a page touches at least one unit: 4 RCU for a tiny on-demand table', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Things');
    call(e, 'PutItem', { TableName: 'Things', Item: { pk: { S: 'a' } } });
    const units = (input: Record<string, unknown>) =>
      call(e, 'Scan', { TableName: 'Things', ReturnConsumedCapacity: 'TOTAL', ...input }).ConsumedCapacity
        .CapacityUnits;
    assert.equal(units({ ConsistentRead: true }), 4);
    assert.equal(units({}), 2);
    // One segment of eight lies inside one of the four partitions.
    assert.equal(units({ Segment: 3, TotalSegments: 8, ConsistentRead: true }), 1);
    // A PartiQL SELECT that scans, and its EXPLAIN estimate, are charged the same way.
    const statement = "SELECT * FROM Things WHERE x = 'y'";
    assert.equal(
      call(e, 'ExecuteStatement', { Statement: statement, ReturnConsumedCapacity: 'TOTAL' }).ConsumedCapacity
        .CapacityUnits,
      2,
    );
    assert.equal(e.explain(statement).EstimatedReadCapacityUnits, 2);
  });

  it('a small provisioned table is one partition; big pages are charged by their bytes', () => {
    const e = scratchEngine();
    call(e, 'CreateTable', {
      TableName: 'Prov',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    });
    call(e, 'PutItem', { TableName: 'Prov', Item: { pk: { S: 'a' } } });
    const scan = () =>
      call(e, 'Scan', { TableName: 'Prov', ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true })
        .ConsumedCapacity.CapacityUnits;
    assert.equal(scan(), 1);
    for (let i = 0; i < 20; i++)
      call(e, 'PutItem', { TableName: 'Prov', Item: { pk: { S: `k${i}` }, body: { S: 'x'.repeat(3000) } } });
    // 20 × ~3 KB ≈ 60 KB: 15 units, more than the one partition's minimum.
    assert.equal(scan(), 15);
  });
});
