// Request shapes that once answered InternalServerError (issue #16 point 6): wrong JSON types of
// members are DynamoDB's SerializationException (its deserializer's words, `Message` with a
// capital M), values nested thousands of levels deep a ValidationException, and null members count
// as absent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REQUEST_SHAPES, STRUCTURES } from '../../../engine/operations/requestShapes.js';
import { assertError, call, createSimpleTable, errorOf, scratchEngine } from '../../support/engine.js';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/Things';
const NESTING =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

function nestedMap(levels: number): unknown {
  let v: unknown = { S: 'x' };
  for (let i = 0; i < levels; i++) v = { M: { a: v } };
  return v;
}

describe('members of the wrong JSON type', () => {
  const e = scratchEngine();
  createSimpleTable(e, 'Things');

  it('TagResource with Tags as an object', () => {
    const err = assertError(
      () => call(e, 'TagResource', { ResourceArn: ARN, Tags: { a: 'b' } }),
      'SerializationException',
      'Start of structure or map found where not expected',
    );
    assert.deepEqual(err.extra, { Message: 'Start of structure or map found where not expected' });
  });

  it('TagResource with a tag that is not a structure, or a key that is not a string', () => {
    assertError(
      () => call(e, 'TagResource', { ResourceArn: ARN, Tags: ['x'] }),
      'SerializationException',
      'Unexpected field type',
    );
    assertError(
      () => call(e, 'TagResource', { ResourceArn: ARN, Tags: [{ Key: 7, Value: 'v' }] }),
      'SerializationException',
      'NUMBER_VALUE cannot be converted to String',
    );
    assertError(
      () => call(e, 'UntagResource', { ResourceArn: ARN, TagKeys: [true] }),
      'SerializationException',
      'TRUE_VALUE cannot be converted to String',
    );
  });

  it('UpdateTimeToLive with AttributeName [["x"]], Enabled "yes" or a scalar specification', () => {
    assertError(
      () =>
        call(e, 'UpdateTimeToLive', {
          TableName: 'Things',
          TimeToLiveSpecification: { Enabled: true, AttributeName: [['x']] },
        }),
      'SerializationException',
      'Unrecognized collection type class java.lang.String',
    );
    assertError(
      () =>
        call(e, 'UpdateTimeToLive', {
          TableName: 'Things',
          TimeToLiveSpecification: { Enabled: 'yes', AttributeName: 'ttl' },
        }),
      'SerializationException',
      'Unexpected token received from parser',
    );
    assertError(
      () => call(e, 'UpdateTimeToLive', { TableName: 'Things', TimeToLiveSpecification: 3.5 }),
      'SerializationException',
      'Unexpected field type',
    );
    // Still works afterwards.
    call(e, 'UpdateTimeToLive', {
      TableName: 'Things',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' },
    });
  });

  it('numbers and booleans where a string or an integer belongs', () => {
    assertError(
      () => call(e, 'CreateBackup', { TableName: 'Things', BackupName: 12.5 }),
      'SerializationException',
      'DECIMAL_VALUE cannot be converted to String',
    );
    assertError(
      () => call(e, 'Scan', { TableName: 'Things', Limit: '5' }),
      'SerializationException',
      'STRING_VALUE cannot be converted to Integer',
    );
    assertError(
      () => call(e, 'Scan', { TableName: 'Things', Limit: false }),
      'SerializationException',
      'FALSE_VALUE cannot be converted to Integer',
    );
  });
});

describe('ExecuteStatement with null members', () => {
  const e = scratchEngine();
  createSimpleTable(e, 'Things');
  call(e, 'PutItem', { TableName: 'Things', Item: { pk: { S: 'a' } } });
  call(e, 'PutItem', { TableName: 'Things', Item: { pk: { S: 'b' } } });

  it('"Limit": null is no limit, with IN on the partition key', () => {
    const out = call(e, 'ExecuteStatement', {
      Statement: `SELECT * FROM "Things" WHERE pk IN ['a', 'b']`,
      Limit: null,
    });
    assert.equal(out.Items.length, 2);
  });

  it('"Limit": null and "NextToken": null on a single-item read', () => {
    const out = call(e, 'ExecuteStatement', {
      Statement: `SELECT * FROM "Things" WHERE pk = 'a'`,
      Limit: null,
      NextToken: null,
    });
    assert.deepEqual(out.Items, [{ pk: { S: 'a' } }]);
  });
});

describe('Scan and Query with a null or fractional Limit', () => {
  const e = scratchEngine();
  createSimpleTable(e, 'Things');
  call(e, 'PutItem', { TableName: 'Things', Item: { pk: { S: 'a' } } });

  it('"Limit": null is no limit', () => {
    assert.equal(call(e, 'Scan', { TableName: 'Things', Limit: null }).Count, 1);
    const q = call(e, 'Query', {
      TableName: 'Things',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'a' } },
      Limit: null,
    });
    assert.equal(q.Count, 1);
  });

  it('"Limit": 1.5 is not an integer', () => {
    assertError(
      () => call(e, 'Scan', { TableName: 'Things', Limit: 1.5 }),
      'SerializationException',
      'DECIMAL_VALUE cannot be converted to Integer',
    );
    assertError(
      () =>
        call(e, 'Query', {
          TableName: 'Things',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'a' } },
          Limit: 2.5,
        }),
      'SerializationException',
      'DECIMAL_VALUE cannot be converted to Integer',
    );
  });
});

describe('items nested 3,000 levels deep', () => {
  const e = scratchEngine();
  createSimpleTable(e, 'Things');
  const deep = { pk: { S: 'deep' }, d: nestedMap(3_000) };

  it('BatchWriteItem refuses them as PutItem does', () => {
    assertError(
      () => call(e, 'BatchWriteItem', { RequestItems: { Things: [{ PutRequest: { Item: deep } }] } }),
      'ValidationException',
      NESTING,
    );
  });

  it('BatchWriteItem echoes them in a constraint message without exhausting the stack', () => {
    assertError(
      () =>
        call(e, 'BatchWriteItem', {
          RequestItems: { x: [{ PutRequest: { Item: deep } }] },
        }),
      'ValidationException',
      /^1 validation error detected: Value '\{x=\[WriteRequest\(putRequest=PutRequest/,
    );
  });

  it('BatchGetItem echoes them in a constraint message without exhausting the stack', () => {
    assertError(
      () => call(e, 'BatchGetItem', { RequestItems: { x: { Keys: [deep] } } }),
      'ValidationException',
      /at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint/,
    );
  });

  it('TransactWriteItems refuses them, with or without a ClientRequestToken', () => {
    for (const token of [{}, { ClientRequestToken: 'tok' }]) {
      assertError(
        () =>
          call(e, 'TransactWriteItems', {
            TransactItems: [{ Put: { TableName: 'Things', Item: deep } }],
            ...token,
          }),
        'ValidationException',
        NESTING,
      );
    }
  });

  it('a TransactWriteItems ConditionCheck value nested that deep is a client error', () => {
    const err = errorOf(() =>
      call(e, 'TransactWriteItems', {
        ClientRequestToken: 'tok2',
        TransactItems: [
          {
            ConditionCheck: {
              TableName: 'Things',
              Key: { pk: { S: 'a' } },
              ConditionExpression: 'a = :v',
              ExpressionAttributeValues: { ':v': nestedMap(3_000) },
            },
          },
        ],
      }),
    );
    assert.equal(err.statusCode, 400);
  });
});

describe('every scalar member of every operation, with the wrong JSON type', () => {
  const e = scratchEngine();
  createSimpleTable(e, 'Things');
  // What DynamoDB's deserializer says of each JSON value where a string, number or boolean belongs.
  const expected: Record<string, [unknown, string][]> = {
    s: [
      [5, 'NUMBER_VALUE cannot be converted to String'],
      [true, 'TRUE_VALUE cannot be converted to String'],
      [['x'], 'Unrecognized collection type class java.lang.String'],
      [{}, 'Start of structure or map found where not expected'],
    ],
    n: [
      ['5', 'STRING_VALUE cannot be converted to Integer'],
      [false, 'FALSE_VALUE cannot be converted to Integer'],
      [[1], 'Unrecognized collection type class java.lang.Integer'],
    ],
    b: [
      [1, 'NUMBER_VALUE cannot be converted to Boolean'],
      ['true', 'Unexpected token received from parser'],
      [[true], 'Unrecognized collection type class java.lang.Boolean'],
    ],
  };
  let tried = 0;
  for (const [operation, input] of Object.entries(REQUEST_SHAPES)) {
    if (!e.has(operation)) continue;
    for (const [name, type] of Object.entries(STRUCTURES[input]!)) {
      for (const [value, message] of expected[type] ?? []) {
        tried++;
        it(`${operation} ${name}: ${JSON.stringify(value)}`, () => {
          assertError(() => call(e, operation, { [name]: value }), 'SerializationException', message);
        });
      }
    }
  }
  it('covers the operations', () => assert.ok(tried > 300, `${tried} cases`));
});

describe('structures, lists and maps of the wrong JSON type', () => {
  const e = scratchEngine();
  createSimpleTable(e, 'Things');
  it('a scalar where a list, map or structure belongs', () => {
    for (const [op, input] of [
      ['BatchWriteItem', { RequestItems: 5 }],
      ['CreateTable', { TableName: 'New', KeySchema: 'x' }],
      ['Query', { TableName: 'Things', ExclusiveStartKey: true }],
      ['UpdateTable', { TableName: 'Things', ProvisionedThroughput: 'x' }],
    ] as const)
      assertError(() => call(e, op, input), 'SerializationException', 'Unexpected field type');
  });
  it('a list where an attribute map belongs, and members nested inside structures', () => {
    assertError(
      () => call(e, 'PutItem', { TableName: 'Things', Item: [] }),
      'SerializationException',
      'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
    );
    assertError(
      () =>
        call(e, 'CreateTable', {
          TableName: 'New',
          KeySchema: [{ AttributeName: 'pk', KeyType: 1 }],
          AttributeDefinitions: [],
        }),
      'SerializationException',
      'NUMBER_VALUE cannot be converted to String',
    );
    assertError(
      () =>
        call(e, 'TransactWriteItems', {
          TransactItems: [
            {
              Put: { TableName: 'Things', Item: { pk: { S: 'a' } }, ReturnValuesOnConditionCheckFailure: 1 },
            },
          ],
        }),
      'SerializationException',
      'NUMBER_VALUE cannot be converted to String',
    );
  });
  it('a SerializationException comes before every ValidationException of the request', () => {
    assertError(
      () => call(e, 'PutItem', { TableName: '', ReturnValues: 'BOGUS', ConditionExpression: 7 }),
      'SerializationException',
      'NUMBER_VALUE cannot be converted to String',
    );
  });
});
