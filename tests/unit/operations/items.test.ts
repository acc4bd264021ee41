import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertError, call, createSimpleTable, scratchEngine } from '../../support/engine.js';

function setup() {
  const e = scratchEngine();
  createSimpleTable(e, 'Tbl', true);
  return e;
}
const key = { pk: { S: 'p' }, sk: { S: 's' } };
/** PutItem, UpdateItem and DeleteItem report their request errors inside this envelope. */
const one = (message: string) => `1 validation error detected: ${message}`;

describe('PutItem / GetItem', () => {
  it('stores every attribute type and returns numbers normalised', () => {
    const e = setup();
    const item = {
      ...key,
      s: { S: '' },
      n: { N: '0042.1200' },
      big: { N: '12345678901234567890123456789012345678' },
      b: { B: 'AAEC' },
      t: { BOOL: true },
      z: { NULL: true },
      l: { L: [{ S: 'x' }, { N: '1.0' }] },
      m: { M: { inner: { M: { deep: { SS: ['a', 'b'] } } } } },
      ss: { SS: ['x', 'y'] },
      ns: { NS: ['1', '2.50'] },
      bs: { BS: ['AQ==', 'Ag=='] },
    };
    call(e, 'PutItem', { TableName: 'Tbl', Item: item });
    const got = call(e, 'GetItem', { TableName: 'Tbl', Key: key }).Item;
    assert.deepEqual(got, {
      ...item,
      n: { N: '42.12' },
      l: { L: [{ S: 'x' }, { N: '1' }] },
      ns: { NS: ['1', '2.5'] },
    });
  });

  it('returns nothing for a missing item and ALL_OLD on overwrite', () => {
    const e = setup();
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Tbl', Key: key }), {});
    assert.deepEqual(
      call(e, 'PutItem', { TableName: 'Tbl', Item: { ...key, v: { N: '1' } }, ReturnValues: 'ALL_OLD' }),
      {},
    );
    assert.deepEqual(
      call(e, 'PutItem', { TableName: 'Tbl', Item: { ...key, v: { N: '2' } }, ReturnValues: 'ALL_OLD' })
        .Attributes,
      {
        ...key,
        v: { N: '1' },
      },
    );
  });

  it('projects with ProjectionExpression and AttributesToGet', () => {
    const e = setup();
    call(e, 'PutItem', {
      TableName: 'Tbl',
      Item: { ...key, a: { S: 'A' }, m: { M: { x: { N: '1' }, y: { N: '2' } } } },
    });
    assert.deepEqual(
      call(e, 'GetItem', {
        TableName: 'Tbl',
        Key: key,
        ProjectionExpression: 'a, m.#y',
        ExpressionAttributeNames: { '#y': 'y' },
      }).Item,
      {
        a: { S: 'A' },
        m: { M: { y: { N: '2' } } },
      },
    );
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Tbl', Key: key, AttributesToGet: ['a'] }).Item, {
      a: { S: 'A' },
    });
    assertError(
      () =>
        call(e, 'GetItem', { TableName: 'Tbl', Key: key, AttributesToGet: ['a'], ProjectionExpression: 'a' }),
      'ValidationException',
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    );
  });

  // Values are refused inside the envelope; what needs the table (the key, sizes) is reported bare.
  const badItems: [string, unknown, string][] = [
    [
      'a missing key',
      { pk: { S: 'p' } },
      'One or more parameter values were invalid: Missing the key sk in the item',
    ],
    [
      'a key of the wrong type',
      { pk: { S: 'p' }, sk: { N: '1' } },
      'One or more parameter values were invalid: Type mismatch for key sk expected: S actual: N',
    ],
    [
      'an empty string key',
      { pk: { S: '' }, sk: { S: 's' } },
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    ],
    [
      'an empty set',
      { ...key, x: { SS: [] } },
      one('One or more parameter values were invalid: An string set  may not be empty'),
    ],
    [
      'a duplicate set member',
      { ...key, x: { SS: ['b', 'a', 'b'] } },
      one('One or more parameter values were invalid: Input collection ["a", "b", "b"] contains duplicates.'),
    ],
    [
      'a duplicate number set member (1 and 1.0)',
      { ...key, x: { NS: ['1', '1.0'] } },
      one('One or more parameter values were invalid: Input collection contains duplicates.'),
    ],
    [
      'an empty attribute value',
      { ...key, x: {} },
      one('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'),
    ],
    [
      'two types in one value',
      { ...key, x: { S: 'a', N: '1' } },
      one(
        'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
      ),
    ],
    [
      'NULL false',
      { ...key, x: { NULL: false } },
      one(
        'One or more parameter values were invalid: Null attribute value types must have the value of true',
      ),
    ],
    [
      'a bad number',
      { ...key, x: { N: '1e' } },
      one('The parameter cannot be converted to a numeric value: 1e'),
    ],
    [
      'an oversized partition key',
      { pk: { S: 'x'.repeat(2049) }, sk: { S: 's' } },
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    ],
    [
      'an oversized sort key',
      { pk: { S: 'p' }, sk: { S: 'x'.repeat(1025) } },
      'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
    ],
    [
      'an item over 400 KB',
      { ...key, big: { S: 'x'.repeat(400 * 1024) } },
      'Item size has exceeded the maximum allowed size',
    ],
  ];
  for (const [what, item, message] of badItems) {
    it(`rejects ${what}`, () => {
      const e = setup();
      assertError(() => call(e, 'PutItem', { TableName: 'Tbl', Item: item }), 'ValidationException', message);
      assert.equal(call(e, 'Scan', { TableName: 'Tbl' }).Count, 0);
    });
  }

  it('accepts nesting to 32 levels and refuses 33', () => {
    const e = setup();
    const nest = (depth: number): unknown => (depth === 1 ? { S: 'leaf' } : { M: { a: nest(depth - 1) } });
    call(e, 'PutItem', { TableName: 'Tbl', Item: { ...key, deep: nest(32) } });
    assertError(
      () => call(e, 'PutItem', { TableName: 'Tbl', Item: { ...key, deep: nest(33) } }),
      'ValidationException',
      one(
        'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
      ),
    );
  });

  it('accepts an item of exactly 400 KB', () => {
    const e = setup();
    // pk(2)+1 + sk(2)+1 + name "big"(3) = 9 bytes of overhead.
    call(e, 'PutItem', { TableName: 'Tbl', Item: { ...key, big: { S: 'x'.repeat(400 * 1024 - 9) } } });
    assertError(
      () =>
        call(e, 'PutItem', { TableName: 'Tbl', Item: { ...key, big: { S: 'x'.repeat(400 * 1024 - 8) } } }),
      'ValidationException',
    );
  });

  it('reports missing tables and bad keys on GetItem', () => {
    const e = setup();
    assertError(
      () => call(e, 'GetItem', { TableName: 'Nope', Key: key }),
      'ResourceNotFoundException',
      'Requested resource not found',
    );
    assertError(
      () => call(e, 'GetItem', { TableName: 'Tbl', Key: { pk: { S: 'p' } } }),
      'ValidationException',
      'The provided key element does not match the schema',
    );
    assertError(
      () => call(e, 'GetItem', { TableName: 'Tbl', Key: { ...key, extra: { S: 'x' } } }),
      'ValidationException',
      'The provided key element does not match the schema',
    );
  });
});

describe('conditions and atomicity', () => {
  it('applies ConditionExpression and leaves the item unchanged on failure', () => {
    const e = setup();
    call(e, 'PutItem', {
      TableName: 'Tbl',
      Item: { ...key, v: { N: '1' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const err = assertError(
      () =>
        call(e, 'PutItem', {
          TableName: 'Tbl',
          Item: { ...key, v: { N: '2' } },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    assert.deepEqual(err.extra, { Item: { ...key, v: { N: '1' } } });
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Tbl', Key: key }).Item.v, { N: '1' });
  });

  it('supports the legacy Expected parameter', () => {
    const e = setup();
    call(e, 'PutItem', { TableName: 'Tbl', Item: { ...key, v: { N: '1' } } });
    assertError(
      () =>
        call(e, 'PutItem', {
          TableName: 'Tbl',
          Item: { ...key, v: { N: '2' } },
          Expected: { v: { Value: { N: '5' } } },
        }),
      'ConditionalCheckFailedException',
    );
    call(e, 'PutItem', {
      TableName: 'Tbl',
      Item: { ...key, v: { N: '2' } },
      Expected: { v: { Value: { N: '1' } } },
    });
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Tbl', Key: key }).Item.v, { N: '2' });
  });

  it('rejects unused and undefined placeholders', () => {
    const e = setup();
    assertError(
      () =>
        call(e, 'PutItem', {
          TableName: 'Tbl',
          Item: key,
          ConditionExpression: 'attribute_not_exists(pk)',
          ExpressionAttributeNames: { '#x': 'x' },
        }),
      'ValidationException',
      one('Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}'),
    );
    assertError(
      () =>
        call(e, 'PutItem', { TableName: 'Tbl', Item: key, ExpressionAttributeValues: { ':x': { S: 'x' } } }),
      'ValidationException',
      one('ExpressionAttributeValues can only be specified when using expressions'),
    );
  });
});

describe('UpdateItem', () => {
  it('creates, increments exactly and returns the requested values', () => {
    const e = setup();
    const up = (expr: string, values: Record<string, unknown>, rv: string) =>
      call(e, 'UpdateItem', {
        TableName: 'Tbl',
        Key: key,
        UpdateExpression: expr,
        ExpressionAttributeValues: values,
        ReturnValues: rv,
      });
    assert.deepEqual(up('SET n = :v', { ':v': { N: '0.1' } }, 'ALL_NEW').Attributes, {
      ...key,
      n: { N: '0.1' },
    });
    assert.deepEqual(up('SET n = n + :v', { ':v': { N: '0.2' } }, 'UPDATED_NEW').Attributes, {
      n: { N: '0.3' },
    });
    assert.deepEqual(
      up('ADD n :v', { ':v': { N: '99999999999999999999999999999999999' } }, 'UPDATED_OLD').Attributes,
      { n: { N: '0.3' } },
    );
    assert.deepEqual(up('ADD tags :t', { ':t': { SS: ['a', 'b'] } }, 'ALL_OLD').Attributes, {
      ...key,
      n: { N: '99999999999999999999999999999999999.3' },
    });
    assert.deepEqual(up('DELETE tags :t', { ':t': { SS: ['a'] } }, 'UPDATED_NEW').Attributes, {
      tags: { SS: ['b'] },
    });
  });

  it('refuses to update key attributes', () => {
    const e = setup();
    assertError(
      () =>
        call(e, 'UpdateItem', {
          TableName: 'Tbl',
          Key: key,
          UpdateExpression: 'SET sk = :v',
          ExpressionAttributeValues: { ':v': { S: 'x' } },
        }),
      'ValidationException',
      'One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key',
    );
  });

  it('supports legacy AttributeUpdates', () => {
    const e = setup();
    call(e, 'UpdateItem', {
      TableName: 'Tbl',
      Key: key,
      AttributeUpdates: { n: { Action: 'ADD', Value: { N: '5' } }, s: { Action: 'PUT', Value: { S: 'x' } } },
    });
    call(e, 'UpdateItem', {
      TableName: 'Tbl',
      Key: key,
      AttributeUpdates: { n: { Action: 'ADD', Value: { N: '-2' } }, s: { Action: 'DELETE' } },
    });
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Tbl', Key: key }).Item, { ...key, n: { N: '3' } });
  });

  it('leaves the item unchanged when the condition fails', () => {
    const e = setup();
    call(e, 'PutItem', { TableName: 'Tbl', Item: { ...key, v: { N: '1' } } });
    assertError(
      () =>
        call(e, 'UpdateItem', {
          TableName: 'Tbl',
          Key: key,
          UpdateExpression: 'SET v = :n',
          ConditionExpression: 'v = :old',
          ExpressionAttributeValues: { ':n': { N: '3' }, ':old': { N: '2' } },
        }),
      'ConditionalCheckFailedException',
    );
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Tbl', Key: key }).Item.v, { N: '1' });
  });
});

describe('DeleteItem', () => {
  it('deletes, succeeds on a missing item, and honours conditions', () => {
    const e = setup();
    call(e, 'PutItem', { TableName: 'Tbl', Item: { ...key, v: { N: '1' } } });
    assertError(
      () =>
        call(e, 'DeleteItem', {
          TableName: 'Tbl',
          Key: key,
          ConditionExpression: 'v = :v',
          ExpressionAttributeValues: { ':v': { N: '2' } },
        }),
      'ConditionalCheckFailedException',
    );
    assert.deepEqual(
      call(e, 'DeleteItem', { TableName: 'Tbl', Key: key, ReturnValues: 'ALL_OLD' }).Attributes,
      { ...key, v: { N: '1' } },
    );
    assert.deepEqual(call(e, 'DeleteItem', { TableName: 'Tbl', Key: key, ReturnValues: 'ALL_OLD' }), {});
    assertError(
      () => call(e, 'DeleteItem', { TableName: 'Tbl', Key: key, ReturnValues: 'ALL_NEW' }),
      'ValidationException',
      one('ReturnValues can only be ALL_OLD or NONE'),
    );
  });
});

describe('consumed capacity', () => {
  it('charges reads per 4 KB (half when eventually consistent) and writes per 1 KB', () => {
    const e = setup();
    const item = { ...key, big: { S: 'x'.repeat(5000) } }; // 5009 bytes
    assert.deepEqual(
      call(e, 'PutItem', { TableName: 'Tbl', Item: item, ReturnConsumedCapacity: 'TOTAL' }).ConsumedCapacity,
      {
        TableName: 'Tbl',
        CapacityUnits: 5,
        WriteCapacityUnits: 5,
      },
    );
    assert.equal(
      call(e, 'GetItem', { TableName: 'Tbl', Key: key, ReturnConsumedCapacity: 'TOTAL' }).ConsumedCapacity
        .CapacityUnits,
      1,
    );
    assert.equal(
      call(e, 'GetItem', {
        TableName: 'Tbl',
        Key: key,
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }).ConsumedCapacity.CapacityUnits,
      2,
    );
    assert.equal(
      call(e, 'GetItem', {
        TableName: 'Tbl',
        Key: { pk: { S: 'none' }, sk: { S: 's' } },
        ReturnConsumedCapacity: 'TOTAL',
      }).ConsumedCapacity.CapacityUnits,
      0.5,
    );
    assert.deepEqual(
      call(e, 'DeleteItem', { TableName: 'Tbl', Key: key, ReturnConsumedCapacity: 'INDEXES' })
        .ConsumedCapacity,
      {
        TableName: 'Tbl',
        CapacityUnits: 5,
        WriteCapacityUnits: 5,
        Table: { CapacityUnits: 5 },
      },
    );
  });
});

describe('attribute names', () => {
  it('stores an attribute named __proto__ like any other', () => {
    const e = setup();
    const item = JSON.parse('{"pk":{"S":"p"},"sk":{"S":"s"},"__proto__":{"M":{"__proto__":{"S":"inner"}}}}');
    call(e, 'PutItem', { TableName: 'Tbl', Item: item });
    const got = call(e, 'GetItem', { TableName: 'Tbl', Key: key }).Item;
    assert.equal(JSON.stringify(got), JSON.stringify(item));
    assert.equal(Object.getPrototypeOf(got), Object.prototype);
  });
});
