import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertError, call, createSimpleTable, scratchEngine } from '../../support/engine.js';

const k = (id: string) => ({ pk: { S: id } });

describe('BatchWriteItem / BatchGetItem', () => {
  it('writes and reads across tables', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Aaa');
    createSimpleTable(e, 'Bbb');
    const w = call(e, 'BatchWriteItem', {
      RequestItems: {
        Aaa: [{ PutRequest: { Item: { ...k('1'), v: { N: '1' } } } }, { PutRequest: { Item: k('2') } }],
        Bbb: [{ PutRequest: { Item: k('x') } }],
      },
      ReturnConsumedCapacity: 'TOTAL',
    });
    assert.deepEqual(w.UnprocessedItems, {});
    assert.deepEqual(w.ConsumedCapacity, [
      { TableName: 'Aaa', CapacityUnits: 2, WriteCapacityUnits: 2 },
      { TableName: 'Bbb', CapacityUnits: 1, WriteCapacityUnits: 1 },
    ]);
    call(e, 'BatchWriteItem', { RequestItems: { Aaa: [{ DeleteRequest: { Key: k('2') } }] } });
    const r = call(e, 'BatchGetItem', {
      RequestItems: {
        Aaa: { Keys: [k('1'), k('2')], ProjectionExpression: 'v' },
        Bbb: { Keys: [k('x')], ConsistentRead: true },
      },
    });
    assert.deepEqual(r.Responses, { Aaa: [{ v: { N: '1' } }], Bbb: [k('x')] });
    assert.deepEqual(r.UnprocessedKeys, {});
  });

  it('rejects duplicates, too many requests, and bad items as a whole', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Aaa');
    assertError(
      () =>
        call(e, 'BatchWriteItem', {
          RequestItems: { Aaa: [{ PutRequest: { Item: k('1') } }, { DeleteRequest: { Key: k('1') } }] },
        }),
      'ValidationException',
      'Provided list of item keys contains duplicates',
    );
    assertError(
      () => call(e, 'BatchGetItem', { RequestItems: { Aaa: { Keys: [k('1'), k('1')] } } }),
      'ValidationException',
      'Provided list of item keys contains duplicates',
    );
    const many = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: k(String(i)) } }));
    assertError(
      () => call(e, 'BatchWriteItem', { RequestItems: { Aaa: many } }),
      'ValidationException',
      /length less than or equal to 25/,
    );
    const keys = Array.from({ length: 101 }, (_, i) => k(String(i)));
    assertError(
      () => call(e, 'BatchGetItem', { RequestItems: { Aaa: { Keys: keys } } }),
      'ValidationException',
      /length less than or equal to 100/,
    );
    assertError(
      () =>
        call(e, 'BatchWriteItem', {
          RequestItems: {
            Aaa: [{ PutRequest: { Item: k('ok') } }, { PutRequest: { Item: { pk: { N: '1' } } } }],
          },
        }),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
    );
    assert.equal(call(e, 'Scan', { TableName: 'Aaa' }).Count, 0);
    assertError(
      () => call(e, 'BatchGetItem', { RequestItems: { Missing: { Keys: [k('1')] } } }),
      'ResourceNotFoundException',
    );
  });
});

describe('TransactWriteItems / TransactGetItems', () => {
  function bank() {
    const e = scratchEngine();
    createSimpleTable(e, 'Accounts');
    call(e, 'PutItem', { TableName: 'Accounts', Item: { ...k('alice'), balance: { N: '100' } } });
    call(e, 'PutItem', { TableName: 'Accounts', Item: { ...k('bob'), balance: { N: '0' } } });
    call(e, 'PutItem', {
      TableName: 'Accounts',
      Item: { ...k('bank'), open: { BOOL: true }, label: { S: 'x' } },
    });
    return e;
  }
  const transfer = (amount: string) => ({
    TransactItems: [
      {
        Update: {
          TableName: 'Accounts',
          Key: k('alice'),
          UpdateExpression: 'SET balance = balance - :a',
          ConditionExpression: 'balance >= :a',
          ExpressionAttributeValues: { ':a': { N: amount } },
        },
      },
      {
        Update: {
          TableName: 'Accounts',
          Key: k('bob'),
          UpdateExpression: 'SET balance = balance + :a',
          ExpressionAttributeValues: { ':a': { N: amount } },
        },
      },
      { Put: { TableName: 'Accounts', Item: { ...k(`log-${amount}`), amount: { N: amount } } } },
      {
        ConditionCheck: {
          TableName: 'Accounts',
          Key: k('bank'),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    ],
  });
  const balance = (e: ReturnType<typeof bank>, who: string) =>
    call(e, 'GetItem', { TableName: 'Accounts', Key: k(who) }).Item.balance.N;

  it('applies every action or none', () => {
    const e = bank();
    const out = call(e, 'TransactWriteItems', { ...transfer('30'), ReturnConsumedCapacity: 'TOTAL' });
    assert.equal(balance(e, 'alice'), '70');
    assert.equal(balance(e, 'bob'), '30');
    // Transactional writes cost double: 3 writes × 2 + one condition check read × 2.
    assert.equal(out.ConsumedCapacity[0].CapacityUnits, 8);
    const err = assertError(
      () => call(e, 'TransactWriteItems', transfer('500')),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, None, None]',
    );
    assert.deepEqual(err.extra?.CancellationReasons, [
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
      { Code: 'None' },
      { Code: 'None' },
    ]);
    assert.equal(balance(e, 'alice'), '70');
    assert.equal(balance(e, 'bob'), '30');
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Accounts', Key: k('log-500') }), {});
  });

  it('fails on the last condition and leaves nothing changed, reporting the old item when asked', () => {
    const e = bank();
    const items = transfer('10').TransactItems;
    items[3] = {
      ConditionCheck: {
        TableName: 'Accounts',
        Key: k('bank'),
        ConditionExpression: '#o = :no',
        ExpressionAttributeNames: { '#o': 'open' },
        ExpressionAttributeValues: { ':no': { BOOL: false } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      } as never,
    };
    const err = assertError(
      () => call(e, 'TransactWriteItems', { TransactItems: items }),
      'TransactionCanceledException',
    );
    assert.deepEqual((err.extra?.CancellationReasons as unknown[])[3], {
      Code: 'ConditionalCheckFailed',
      Message: 'The conditional request failed',
      Item: { ...k('bank'), open: { BOOL: true }, label: { S: 'x' } },
    });
    assert.equal(balance(e, 'alice'), '100');
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Accounts', Key: k('log-10') }), {});
  });

  it('reports a ValidationError reason for an update that cannot apply', () => {
    const e = bank();
    const err = assertError(
      () =>
        call(e, 'TransactWriteItems', {
          TransactItems: [
            { Put: { TableName: 'Accounts', Item: k('carol') } },
            {
              Update: {
                TableName: 'Accounts',
                Key: k('bank'),
                UpdateExpression: 'SET #l = #l + :one',
                ExpressionAttributeNames: { '#l': 'label' },
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
          ],
        }),
      'TransactionCanceledException',
    );
    const reasons = err.extra?.CancellationReasons as { Code: string }[];
    assert.deepEqual(
      reasons.map((r) => r.Code),
      ['None', 'ValidationError'],
    );
    assert.deepEqual(call(e, 'GetItem', { TableName: 'Accounts', Key: k('carol') }), {});
  });

  it('refuses two actions on one item', () => {
    const e = bank();
    assertError(
      () =>
        call(e, 'TransactWriteItems', {
          TransactItems: [
            { Put: { TableName: 'Accounts', Item: k('alice') } },
            { Delete: { TableName: 'Accounts', Key: k('alice') } },
          ],
        }),
      'ValidationException',
      'Transaction request cannot include multiple operations on one item',
    );
  });

  it('is idempotent with a ClientRequestToken', () => {
    const e = bank();
    call(e, 'TransactWriteItems', { ...transfer('10'), ClientRequestToken: 'tok-1' });
    call(e, 'TransactWriteItems', { ...transfer('10'), ClientRequestToken: 'tok-1' });
    assert.equal(balance(e, 'alice'), '90');
    assertError(
      () => call(e, 'TransactWriteItems', { ...transfer('20'), ClientRequestToken: 'tok-1' }),
      'IdempotentParameterMismatchException',
    );
    assert.equal(balance(e, 'alice'), '90');
  });

  it('answers a retry with a ClientRequestToken with read capacity, and only when asked', () => {
    const e = bank();
    const first = call(e, 'TransactWriteItems', {
      ...transfer('10'),
      ClientRequestToken: 'tok-2',
      ReturnConsumedCapacity: 'TOTAL',
    });
    assert.deepEqual(first.ConsumedCapacity, [
      { TableName: 'Accounts', CapacityUnits: 8, ReadCapacityUnits: 2, WriteCapacityUnits: 6 },
    ]);
    // The retry writes nothing: it reads the four items (1 RCU each, strongly consistent).
    const retry = call(e, 'TransactWriteItems', {
      ...transfer('10'),
      ClientRequestToken: 'tok-2',
      ReturnConsumedCapacity: 'TOTAL',
    });
    assert.deepEqual(retry.ConsumedCapacity, [
      { TableName: 'Accounts', CapacityUnits: 4, ReadCapacityUnits: 4 },
    ]);
    const quiet = call(e, 'TransactWriteItems', { ...transfer('10'), ClientRequestToken: 'tok-2' });
    assert.deepEqual(quiet, {});
    assert.equal(balance(e, 'alice'), '90');
  });

  it('reads a consistent set of items at double cost', () => {
    const e = bank();
    const out = call(e, 'TransactGetItems', {
      TransactItems: [
        { Get: { TableName: 'Accounts', Key: k('alice') } },
        { Get: { TableName: 'Accounts', Key: k('nobody') } },
        { Get: { TableName: 'Accounts', Key: k('bob'), ProjectionExpression: 'balance' } },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    });
    assert.deepEqual(out.Responses, [
      { Item: { ...k('alice'), balance: { N: '100' } } },
      {},
      { Item: { balance: { N: '0' } } },
    ]);
    assert.equal(out.ConsumedCapacity[0].CapacityUnits, 6);
  });
});
