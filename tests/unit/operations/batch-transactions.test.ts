import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertError, call, createSimpleTable, scratchEngine } from '../../support/engine.js';

const k = (id: string) => ({ pk: { S: id } });
const S = (s: string) => ({ S: s });

/** A string leaf inside `depth` single-key maps. */
function deep(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = S('leaf');
  for (let i = 0; i < depth; i++) v = { M: { n: v } };
  return v;
}

const MISMATCH = 'The provided key element does not match the schema';
const EMPTY_KEY =
  'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk';
const NEST =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
const SYNTAX_EOF = 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("';
const SYNTAX_EQ = 'Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"';
const UNUSED = (key: string) =>
  `Value provided in ExpressionAttributeValues unused in expressions: keys: {${key}}`;
const CANCELLED = (codes: string[]) =>
  `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`;

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
      'The provided key element does not match the schema',
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

describe('BatchWriteItem refusals', () => {
  // A PutRequest's key is checked as a DeleteRequest's: a key attribute missing or of the wrong type
  // is a schema mismatch, where PutItem names the attribute.
  const keyCases: [string, Record<string, unknown>, string][] = [
    ['a wrong-typed key in a PutRequest', { PutRequest: { Item: { pk: { N: '5' } } } }, MISMATCH],
    ['a list key in a PutRequest', { PutRequest: { Item: { pk: { L: [S('x')] } } } }, MISMATCH],
    ['a PutRequest item without the key', { PutRequest: { Item: { other: S('x') } } }, MISMATCH],
    ['a DeleteRequest key without the key', { DeleteRequest: { Key: { other: S('x') } } }, MISMATCH],
    ['an empty-string key in a PutRequest', { PutRequest: { Item: { pk: S('') } } }, EMPTY_KEY],
  ];
  for (const [name, request, message] of keyCases) {
    it(`refuses ${name}`, () => {
      const e = scratchEngine();
      createSimpleTable(e, 'Aaa');
      assertError(
        () =>
          call(e, 'BatchWriteItem', { RequestItems: { Aaa: [{ PutRequest: { Item: k('ok') } }, request] } }),
        'ValidationException',
        message,
      );
      assert.equal(call(e, 'Scan', { TableName: 'Aaa' }).Count, 0);
    });
  }

  const BOTH_BOUNDS =
    'Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]';
  const constraintCases: [string, Record<string, unknown>, string | RegExp][] = [
    [
      'an empty request list, echoing the map',
      { Aaa: [] },
      `1 validation error detected: Value '{Aaa=[]}' at 'requestItems' failed to satisfy constraint: ${BOTH_BOUNDS}`,
    ],
    [
      '26 requests for a table, echoing them in Java form',
      { Aaa: Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: k(`i${i}`) } })) },
      new RegExp(
        String.raw`^1 validation error detected: Value '\{Aaa=\[WriteRequest\(putRequest=PutRequest\(item=\{pk=AttributeValue\(s=i0\)\}\)\), .+\]\}' at 'requestItems' failed to satisfy constraint: ` +
          BOTH_BOUNDS.replace(/[[\]]/g, '\\$&') +
          '$',
      ),
    ],
    [
      'a malformed table name, listing every constraint of the map keys',
      { 'bad!name': [{ PutRequest: { Item: k('x') } }] },
      "1 validation error detected: Value '{bad!name=[WriteRequest(putRequest=PutRequest(item={pk=AttributeValue(s=x)}))]}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]",
    ],
    ['no table at all', {}, 'The requestItems parameter is required for BatchWriteItem'],
  ];
  for (const [name, requestItems, message] of constraintCases) {
    it(`refuses ${name}`, () => {
      const e = scratchEngine();
      createSimpleTable(e, 'Aaa');
      assertError(
        () => call(e, 'BatchWriteItem', { RequestItems: requestItems }),
        'ValidationException',
        message,
      );
    });
  }
});

describe('TransactWriteItems / TransactGetItems refusals', () => {
  function table() {
    const e = scratchEngine();
    createSimpleTable(e, 'Things');
    return e;
  }
  const put = (Item: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    Put: { TableName: 'Things', Item, ...extra },
  });
  const update = (Key: Record<string, unknown>) => ({
    Update: {
      TableName: 'Things',
      Key,
      UpdateExpression: 'SET attr1 = :v',
      ExpressionAttributeValues: { ':v': S('x') },
    },
  });
  const del = (Key: Record<string, unknown>) => ({ Delete: { TableName: 'Things', Key } });
  const check = (Key: Record<string, unknown>) => ({
    ConditionCheck: { TableName: 'Things', Key, ConditionExpression: 'attribute_not_exists(pk)' },
  });
  const TYPE_N = 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N';
  const TYPE_L = 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: L';

  // A key that does not fit the table's schema cancels the transaction: a ValidationError reason for
  // that action, None for the one before it, and nothing written.
  const rejected: [string, Record<string, unknown>, string][] = [
    ['a Put with a wrong-typed key', put({ pk: { N: '5' } }), TYPE_N],
    ['a Put with a list key', put({ pk: { L: [S('x')] } }), TYPE_L],
    [
      'a Put without its key',
      put({ other: S('x') }),
      'One or more parameter values were invalid: Missing the key pk in the item',
    ],
    ['an Update with a wrong-typed key', update({ pk: { N: '5' } }), MISMATCH],
    ['an Update with a list key', update({ pk: { L: [S('x')] } }), MISMATCH],
    ['a Delete with a wrong-typed key', del({ pk: { N: '5' } }), MISMATCH],
    ['a Delete with a list key', del({ pk: { L: [S('x')] } }), MISMATCH],
    ['a ConditionCheck with a wrong-typed key', check({ pk: { N: '5' } }), MISMATCH],
    ['a ConditionCheck with a list key', check({ pk: { L: [S('x')] } }), MISMATCH],
  ];
  for (const [name, action, message] of rejected) {
    it(`cancels ${name} with a ValidationError reason`, () => {
      const e = table();
      const err = assertError(
        () => call(e, 'TransactWriteItems', { TransactItems: [put(k('first')), action] }),
        'TransactionCanceledException',
        CANCELLED(['None', 'ValidationError']),
      );
      assert.deepEqual(err.extra?.CancellationReasons, [
        { Code: 'None' },
        { Code: 'ValidationError', Message: message },
      ]);
      assert.equal(call(e, 'Scan', { TableName: 'Things' }).Count, 0);
    });
  }

  // An empty key value is the request's own ValidationException, not a cancellation.
  for (const [name, action] of [
    ['Put', put({ pk: S('') })],
    ['Update', update({ pk: S('') })],
    ['Delete', del({ pk: S('') })],
    ['ConditionCheck', check({ pk: S('') })],
  ] as const) {
    it(`refuses a ${name} with an empty-string key outright`, () => {
      assertError(
        () => call(table(), 'TransactWriteItems', { TransactItems: [action] }),
        'ValidationException',
        EMPTY_KEY,
      );
    });
  }

  const getRejected: [string, Record<string, unknown>][] = [
    ['an empty key', {}],
    ['a wrong-typed key', { pk: { N: '1' } }],
    ['a key with an extra attribute', { ...k('a'), other: S('x') }],
  ];
  for (const [name, Key] of getRejected) {
    it(`cancels a TransactGetItems Get with ${name}`, () => {
      const err = assertError(
        () =>
          call(table(), 'TransactGetItems', {
            TransactItems: [
              { Get: { TableName: 'Things', Key: k('a') } },
              { Get: { TableName: 'Things', Key } },
            ],
          }),
        'TransactionCanceledException',
        CANCELLED(['None', 'ValidationError']),
      );
      assert.deepEqual(err.extra?.CancellationReasons, [
        { Code: 'None' },
        { Code: 'ValidationError', Message: MISMATCH },
      ]);
    });
  }

  const items = (n: number) => Array.from({ length: n }, (_, i) => put(k(`i${i}`)));
  const gets = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ Get: { TableName: 'Things', Key: k(`i${i}`) } }));
  const TOKEN = 'x'.repeat(37);
  const requestCases: [string, string, Record<string, unknown>, string | RegExp][] = [
    // The new layer's wording (engine/wording.ts); the old layer's echoed lists are in
    // tests/unit/operations/error-wording.test.ts.
    [
      'an empty TransactItems',
      'TransactWriteItems',
      { TransactItems: [] },
      "1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      '101 actions',
      'TransactWriteItems',
      { TransactItems: items(101) },
      "1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: Member must have length less than or equal to 100",
    ],
    [
      'an empty TransactGetItems list',
      'TransactGetItems',
      { TransactItems: [] },
      "1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      '101 gets',
      'TransactGetItems',
      { TransactItems: gets(101) },
      "1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: Member must have length less than or equal to 100",
    ],
    [
      'an action with no operation',
      'TransactWriteItems',
      { TransactItems: [{}] },
      'Invalid Request: TransactWriteRequest should contain Delete or Put or Update request',
    ],
    [
      'an action with two operations',
      'TransactWriteItems',
      { TransactItems: [{ ...put(k('a')), ...del(k('a')) }] },
      'TransactItems can only contain one of Check, Put, Update or Delete',
    ],
    [
      'a too-long ClientRequestToken ahead of an unknown ReturnConsumedCapacity',
      'TransactWriteItems',
      { TransactItems: items(1), ClientRequestToken: TOKEN, ReturnConsumedCapacity: 'BOGUS' },
      `2 validation errors detected: Value '${TOKEN}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36; Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]`,
    ],
    [
      "the actions' member constraints with the request's",
      'TransactWriteItems',
      {
        TransactItems: [{ Delete: { TableName: 'bad!name', Key: k('a') } }],
        ReturnItemCollectionMetrics: 'BOGUS',
      },
      "2 validation errors detected: Value 'BOGUS' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]; Value 'bad!name' at 'transactItems.1.member.delete.tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    ],
  ];
  for (const [name, op, input, message] of requestCases) {
    it(`refuses ${name}`, () => {
      const e = table();
      assertError(() => call(e, op, input), 'ValidationException', message);
      assert.equal(call(e, 'Scan', { TableName: 'Things' }).Count, 0);
    });
  }

  // Every action's own checks come first, one action at a time in request order; only then are the
  // tables looked up. 'Absent' does not exist.
  const inAbsent = (action: Record<string, Record<string, unknown>>) => {
    const [kind, body] = Object.entries(action)[0]!;
    return { [kind]: { ...body, TableName: 'Absent' } };
  };
  const key2 = (pk: Record<string, unknown>) => ({ pk, sk: S('1') });
  const malformedCheck = {
    ConditionCheck: { TableName: 'Things', Key: k('c'), ConditionExpression: 'attribute_not_exists(' },
  };
  const unusedCheck = {
    ConditionCheck: {
      TableName: 'Things',
      Key: k('c'),
      ConditionExpression: 'attribute_not_exists(pk)',
      ExpressionAttributeValues: { ':v': S('x') },
    },
  };
  const ordering: [string, unknown[], string][] = [
    [
      'a later malformed condition ahead of a missing table',
      [inAbsent(put(k('a'))), malformedCheck],
      SYNTAX_EOF,
    ],
    [
      'a malformed condition ahead of a later too-deep item',
      [malformedCheck, put({ ...k('d'), data: deep(32) })],
      SYNTAX_EOF,
    ],
    [
      'a too-deep item ahead of a later malformed condition',
      [put({ ...k('d'), data: deep(32) }), malformedCheck],
      NEST,
    ],
    ['a later unused value ahead of a missing table', [inAbsent(put(k('a'))), unusedCheck], UNUSED(':v')],
    ['an unused value ahead of a later missing table', [unusedCheck, inAbsent(put(k('a')))], UNUSED(':v')],
    ['an unused value ahead of a duplicate target', [put(k('c')), unusedCheck], UNUSED(':v')],
    [
      'a too-deep item ahead of a later empty attribute name',
      [inAbsent(put({ ...key2(S('b')), d: deep(40) })), inAbsent(put({ ...key2(S('a')), '': S('x') }))],
      NEST,
    ],
    [
      'an empty attribute name ahead of a later too-deep item',
      [inAbsent(put({ ...key2(S('a')), '': S('x') })), inAbsent(put({ ...key2(S('b')), d: deep(100) }))],
      'Empty attribute name',
    ],
    [
      'an empty attribute name ahead of a too-deep value listed before it',
      [inAbsent(put({ ...key2(S('a')), d: deep(100), '': S('x') }))],
      'Empty attribute name',
    ],
    [
      'an empty attribute name ahead of a too-deep value listed after it',
      [inAbsent(put({ ...key2(S('a')), '': S('x'), d: deep(100) }))],
      'Empty attribute name',
    ],
    [
      'a too-deep Delete key ahead of a later malformed condition',
      [inAbsent(del(key2(deep(40)))), inAbsent(put(key2(S('a')), { ConditionExpression: 'a = = b' }))],
      NEST,
    ],
    [
      'a malformed condition ahead of a too-deep key in the same Delete',
      [{ Delete: { TableName: 'Absent', Key: key2(deep(100)), ConditionExpression: 'a = = b' } }],
      SYNTAX_EQ,
    ],
    [
      'an oversized condition ahead of a too-deep key in the same Delete',
      [
        {
          Delete: {
            TableName: 'Absent',
            Key: key2(deep(100)),
            ConditionExpression: 'a = :v' + ' AND a = :v'.repeat(373),
            ExpressionAttributeValues: { ':v': S('x') },
          },
        },
      ],
      'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4109',
    ],
    [
      'an oversized UpdateExpression, without its size, ahead of a later too-deep key',
      [
        {
          Update: {
            TableName: 'Absent',
            Key: key2(S('a')),
            UpdateExpression: 'SET ' + Array.from({ length: 500 }, (_, i) => `a${i} = :v`).join(', '),
            ExpressionAttributeValues: { ':v': S('x') },
          },
        },
        inAbsent(check(key2(deep(100)))),
      ],
      'Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;',
    ],
  ];
  for (const [name, transactItems, message] of ordering) {
    it(`reports ${name}`, () => {
      const e = table();
      assertError(
        () => call(e, 'TransactWriteItems', { TransactItems: transactItems }),
        'ValidationException',
        message,
      );
      assert.equal(call(e, 'Scan', { TableName: 'Things' }).Count, 0);
    });
  }
});
