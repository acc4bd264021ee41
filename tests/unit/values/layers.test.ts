// DynamoDB's two value-checking layers (engine/values/layer.ts): which operation words a bad number
// or a duplicate set member which way, and where PutItem, UpdateItem and DeleteItem add the
// `1 validation error detected: ` envelope. The expected messages are DynamoDB's, as captured in
// four regions in October 2026.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import { normalizeItem, normalizeValue } from '../../../engine/values/attribute.js';
import { normalizeNumberValue } from '../../../engine/values/number.js';
import { assertError, call, createSimpleTable, errorOf, scratchEngine } from '../../support/engine.js';

const T = 'Tbl';
const one = (m: string) => `1 validation error detected: ${m}`;
const forKey = (m: string, k: string) =>
  `ExpressionAttributeValues contains invalid value: ${m} for key ${k}`;

const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW =
  'Number underflow. Attempting to store a number with magnitude smaller than supported range';
const NOT_NUMERIC = 'The parameter cannot be converted to a numeric value';

// Each number sent to every surface, with each layer's answer.
const SHAPES = ['abc', '', '1e126', '1e2147483647'];
const CURRENT = [`${NOT_NUMERIC}: abc`, `${NOT_NUMERIC}: `, OVERFLOW, OVERFLOW];
const OLDER = [`${NOT_NUMERIC}: abc`, NOT_NUMERIC, OVERFLOW, UNDERFLOW];

// Each set sent with a repeated member, out of order.
const INVALID = 'One or more parameter values were invalid: ';
const DUPES = [{ SS: ['b', 'a', 'b'] }, { BS: ['/w==', 'AA==', 'AA=='] }, { NS: ['2', '1', '2'] }];
const DUPE_CURRENT = [
  `${INVALID}Input collection ["a", "b", "b"] contains duplicates.`,
  `${INVALID}Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.`,
  `${INVALID}Input collection contains duplicates.`,
];
const DUPE_OLDER = [
  `${INVALID}Input collection [b, a, b] contains duplicates.`,
  `${INVALID}Input collection [/w==, AA==, AA==]of type BS contains duplicates.`,
  'Input collection contains duplicates',
];

function setup(): Engine {
  const e = scratchEngine();
  createSimpleTable(e, T);
  return e;
}

/** The message each bad value gets from `send`, in order. */
function messages(values: readonly unknown[], send: (v: unknown) => unknown): string[] {
  return values.map((v) => assertError(() => send(v), 'ValidationException').message);
}

const N = (n: string) => ({ N: n });
const S = (s: string) => ({ S: s });

describe('value layers: the values module', () => {
  it('reads numbers in each layer', () => {
    const worded = (layer: 'current' | 'older') =>
      SHAPES.map((n) => errorOf(() => normalizeNumberValue(n, layer)).message);
    assert.deepEqual(worded('current'), CURRENT);
    assert.deepEqual(worded('older'), OLDER);
    // Past 32 bits the older (BigDecimal) reading cannot convert; the current one range-checks.
    assert.equal(errorOf(() => normalizeNumberValue('1e99999999999', 'current')).message, OVERFLOW);
    assert.equal(
      errorOf(() => normalizeNumberValue('1e99999999999', 'older')).message,
      `${NOT_NUMERIC}: 1e99999999999`,
    );
    assert.equal(errorOf(() => normalizeNumberValue('1e-99999999999', 'current')).message, UNDERFLOW);
    // Both layers accept the same numbers, in the same form.
    for (const layer of ['current', 'older'] as const) {
      assert.equal(normalizeNumberValue('0042.500e1', layer), '425');
      assert.equal(normalizeNumberValue('0e125', layer), '0');
    }
  });

  it('words duplicate set members in each layer, older by default', () => {
    const worded = (layer?: 'current' | 'older') =>
      DUPES.map((d) => errorOf(() => normalizeValue(d, layer)).message);
    assert.deepEqual(worded('current'), DUPE_CURRENT);
    assert.deepEqual(worded('older'), DUPE_OLDER);
    assert.deepEqual(worded(), DUPE_OLDER);
  });

  it('lists the current layer’s members in byte order up to the first repeat, then as sent', () => {
    const dupe = (set: unknown) => errorOf(() => normalizeValue(set, 'current')).message;
    assert.equal(
      dupe({ SS: ['d', 'c', 'b', 'c', 'a', 'z'] }),
      `${INVALID}Input collection ["b", "c", "d", "c", "a", "z"] contains duplicates.`,
    );
    // UTF-8 byte order: 'é' (C3 A9) after 'z'; an empty member first.
    assert.equal(
      dupe({ SS: ['é', 'z', '', 'z'] }),
      `${INVALID}Input collection ["", "z", "é", "z"] contains duplicates.`,
    );
    // Binary members by their bytes: AQ== (01) before /w== (FF) before the repeat.
    assert.equal(
      dupe({ BS: ['/w==', 'AQ==', '/w==', 'AA=='] }),
      `${INVALID}Input collection ["AQ==","/w==","/w==","AA=="]of type BS contains duplicates.`,
    );
    // Numbers repeat by value.
    assert.equal(dupe({ NS: ['1', '1.0'] }), `${INVALID}Input collection contains duplicates.`);
  });

  it('finds a value nested in a list, a map or a whole item in the same layer', () => {
    const nested = { M: { x: { L: [N('1'), { SS: ['b', 'a', 'b'] }] } } };
    assert.equal(errorOf(() => normalizeValue(nested, 'current')).message, DUPE_CURRENT[0]);
    assert.equal(errorOf(() => normalizeValue(nested, 'older')).message, DUPE_OLDER[0]);
    assert.equal(
      errorOf(() => normalizeItem({ a: { NS: ['1', ''] } }, 'Item', 'current')).message,
      CURRENT[1],
    );
    assert.equal(errorOf(() => normalizeItem({ a: { NS: ['1', ''] } })).message, OLDER[1]);
  });

  it('words the empty sets alike in both layers', () => {
    for (const layer of ['current', 'older'] as const) {
      const empty = (set: unknown) => errorOf(() => normalizeValue(set, layer)).message;
      assert.equal(empty({ SS: [] }), `${INVALID}An string set  may not be empty`);
      assert.equal(empty({ NS: [] }), `${INVALID}An number set  may not be empty`);
      assert.equal(empty({ BS: [] }), `${INVALID}Binary sets should not be empty`);
    }
  });
});

// Where each operation meets a value, as a request builder; each is sent every shape or set.
type Surface = [string, (v: unknown) => unknown];

function putSurfaces(e: Engine): Surface[] {
  const put = (input: Record<string, unknown>) => call(e, 'PutItem', { TableName: T, ...input });
  return [
    ['an item value', (v) => put({ Item: { pk: S('x'), a: v } })],
    ['a nested value', (v) => put({ Item: { pk: S('x'), a: { M: { x: { L: [v] } } } } })],
    [
      'a condition value',
      (v) =>
        put({
          Item: { pk: S('x') },
          ConditionExpression: 'attribute_not_exists(pk) OR a = :v',
          ExpressionAttributeValues: { ':v': v },
        }),
    ],
    ['an Expected value', (v) => put({ Item: { pk: S('x') }, Expected: { a: { Value: v } } })],
    [
      'an Expected AttributeValueList',
      (v) =>
        put({ Item: { pk: S('x') }, Expected: { a: { ComparisonOperator: 'EQ', AttributeValueList: [v] } } }),
    ],
  ];
}

function updateSurfaces(e: Engine): Surface[] {
  const update = (input: Record<string, unknown>) => call(e, 'UpdateItem', { TableName: T, ...input });
  return [
    [
      'an update value',
      (v) =>
        update({
          Key: { pk: S('x') },
          UpdateExpression: 'SET a = :v',
          ExpressionAttributeValues: { ':v': v },
        }),
    ],
    [
      'a condition value',
      (v) =>
        update({
          Key: { pk: S('x') },
          UpdateExpression: 'SET o = :o',
          ConditionExpression: 'attribute_not_exists(pk) OR a = :v',
          ExpressionAttributeValues: { ':o': N('1'), ':v': v },
        }),
    ],
    [
      'an AttributeUpdates value',
      (v) => update({ Key: { pk: S('x') }, AttributeUpdates: { a: { Action: 'PUT', Value: v } } }),
    ],
    [
      'an Expected value',
      (v) =>
        update({
          Key: { pk: S('x') },
          AttributeUpdates: { o: { Value: N('1') } },
          Expected: { a: { Value: v } },
        }),
    ],
    [
      'the key',
      (v) =>
        update({
          Key: { pk: v },
          UpdateExpression: 'SET o = :o',
          ExpressionAttributeValues: { ':o': N('1') },
        }),
    ],
  ];
}

function deleteSurfaces(e: Engine): Surface[] {
  const del = (input: Record<string, unknown>) => call(e, 'DeleteItem', { TableName: T, ...input });
  return [
    ['the key', (v) => del({ Key: { pk: v } })],
    [
      'a condition value',
      (v) =>
        del({ Key: { pk: S('x') }, ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': v } }),
    ],
    ['an Expected value', (v) => del({ Key: { pk: S('x') }, Expected: { a: { Value: v } } })],
  ];
}

/** GetItem, BatchGetItem and Query: the current wording, bare. */
function bareCurrentSurfaces(e: Engine): Surface[] {
  const query = (input: Record<string, unknown>) => call(e, 'Query', { TableName: T, ...input });
  return [
    ['GetItem: the key', (v) => call(e, 'GetItem', { TableName: T, Key: { pk: v } })],
    ['BatchGetItem: a key', (v) => call(e, 'BatchGetItem', { RequestItems: { [T]: { Keys: [{ pk: v }] } } })],
    [
      'Query: a key condition value',
      (v) => query({ KeyConditionExpression: 'pk = :t', ExpressionAttributeValues: { ':t': v } }),
    ],
    [
      'Query: a filter value',
      (v) =>
        query({
          KeyConditionExpression: 'pk = :p',
          FilterExpression: 'a = :t',
          ExpressionAttributeValues: { ':p': S('x'), ':t': v },
        }),
    ],
    [
      'Query: ExclusiveStartKey',
      (v) =>
        query({
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': S('x') },
          ExclusiveStartKey: { pk: v },
        }),
    ],
    [
      'Query: QueryFilter',
      (v) =>
        query({
          KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('x')] } },
          QueryFilter: { a: { ComparisonOperator: 'EQ', AttributeValueList: [v] } },
        }),
    ],
    [
      'Query: KeyConditions',
      (v) => query({ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [v] } } }),
    ],
  ];
}

describe('value layers: the current layer', () => {
  const enveloped: [string, (e: Engine) => Surface[]][] = [
    ['PutItem', putSurfaces],
    ['UpdateItem', updateSurfaces],
    ['DeleteItem', deleteSurfaces],
  ];
  for (const [operation, surfaces] of enveloped) {
    for (const [where, send] of surfaces(setup())) {
      it(`${operation} refuses a bad number or a duplicate in ${where} inside the envelope`, () => {
        assert.deepEqual(messages(SHAPES.map(N), send), CURRENT.map(one));
        assert.deepEqual(messages(DUPES, send), DUPE_CURRENT.map(one));
      });
    }
  }

  for (const [where, send] of bareCurrentSurfaces(setup())) {
    it(`${where}: a bad number or a duplicate, bare`, () => {
      assert.deepEqual(messages(SHAPES.map(N), send), CURRENT);
      assert.deepEqual(messages(DUPES, send), DUPE_CURRENT);
    });
  }

  it('PutItem refuses every malformed number of an item inside the envelope', () => {
    const e = setup();
    const cases: [string, string][] = [
      ['1e99999999999', OVERFLOW],
      ['-1e99999999999', OVERFLOW],
      ['1e-99999999999', UNDERFLOW],
      ['1e2147483648', OVERFLOW],
      ['1e-2147483648', UNDERFLOW],
      ['1e-131', UNDERFLOW],
      ['1.2.3', `${NOT_NUMERIC}: 1.2.3`],
      [' 1', `${NOT_NUMERIC}:  1`],
      ['1 ', `${NOT_NUMERIC}: 1 `],
      ['0x10', `${NOT_NUMERIC}: 0x10`],
      ['NaN', `${NOT_NUMERIC}: NaN`],
      ['Infinity', `${NOT_NUMERIC}: Infinity`],
      [
        '1234567890123456789012345678901234567890',
        'Attempting to store more than 38 significant digits in a Number',
      ],
    ];
    const got = messages(
      cases.map(([n]) => N(n)),
      (v) => call(e, 'PutItem', { TableName: T, Item: { pk: S('x'), n: v } }),
    );
    assert.deepEqual(
      got,
      cases.map(([, m]) => one(m)),
    );
  });

  it('PutItem checks a number set member inside the envelope and writes nothing for a bad Expected value', () => {
    const e = setup();
    const member = messages(SHAPES, (raw) =>
      call(e, 'PutItem', { TableName: T, Item: { pk: S('x'), n: { NS: ['1', raw] } } }),
    );
    assert.deepEqual(member, CURRENT.map(one));
    assert.deepEqual(call(e, 'GetItem', { TableName: T, Key: { pk: S('x') } }), {});
  });
});

describe('value layers: the older layer', () => {
  const e = setup();
  const scan = (input: Record<string, unknown>) => call(e, 'Scan', { TableName: T, ...input });
  const batchWrite = (request: unknown) => call(e, 'BatchWriteItem', { RequestItems: { [T]: [request] } });
  const surfaces: [string, (v: unknown) => unknown, (m: string) => string][] = [
    [
      'Scan: a filter value, wrapped',
      (v) => scan({ FilterExpression: 'a = :t', ExpressionAttributeValues: { ':t': v } }),
      (m) => forKey(m, ':t'),
    ],
    [
      'Scan: ScanFilter',
      (v) => scan({ ScanFilter: { a: { ComparisonOperator: 'EQ', AttributeValueList: [v] } } }),
      (m) => m,
    ],
    ['Scan: ExclusiveStartKey', (v) => scan({ ExclusiveStartKey: { pk: v } }), (m) => m],
    [
      'BatchWriteItem: a put item',
      (v) => batchWrite({ PutRequest: { Item: { pk: S('x'), a: v } } }),
      (m) => m,
    ],
    ['BatchWriteItem: a delete key', (v) => batchWrite({ DeleteRequest: { Key: { pk: v } } }), (m) => m],
  ];
  for (const [where, send, wrap] of surfaces) {
    it(`${where}: a bad number or a duplicate in the older wording`, () => {
      assert.deepEqual(messages(SHAPES.map(N), send), OLDER.map(wrap));
      assert.deepEqual(messages(DUPES, send), DUPE_OLDER.map(wrap));
    });
  }

  it('BatchWriteItem reads an exponent past 32 bits as one it cannot convert', () => {
    assertError(
      () => batchWrite({ PutRequest: { Item: { pk: S('x'), a: N('1e99999999999') } } }),
      'ValidationException',
      `${NOT_NUMERIC}: 1e99999999999`,
    );
  });
});

describe('value layers: the request envelope of the single-item writes', () => {
  const e = setup();
  const Item = { pk: S('env') };
  const Key = Item;
  const put = (input: Record<string, unknown>) => () => call(e, 'PutItem', { TableName: T, Item, ...input });
  const del = (input: Record<string, unknown>) => () =>
    call(e, 'DeleteItem', { TableName: T, Key, ...input });
  const update = (input: Record<string, unknown>) => () =>
    call(e, 'UpdateItem', { TableName: T, Key, ...input });

  const cases: [string, () => unknown, string][] = [
    [
      'PutItem: ExpressionAttributeValues without an expression',
      put({ ExpressionAttributeValues: { ':v': S('x') } }),
      'ExpressionAttributeValues can only be specified when using expressions',
    ],
    [
      'PutItem: ExpressionAttributeNames without an expression',
      put({ ExpressionAttributeNames: { '#a': 'a' } }),
      'ExpressionAttributeNames can only be specified when using expressions',
    ],
    [
      'PutItem: an empty ConditionExpression',
      put({ ConditionExpression: '' }),
      'Invalid ConditionExpression: The expression can not be empty;',
    ],
    [
      'PutItem: Exists true without a Value',
      put({ Expected: { a: { Exists: true } } }),
      `${INVALID}Value must be provided when Exists is true for Attribute: a`,
    ],
    [
      'PutItem: a ComparisonOperator without values',
      put({ Expected: { a: { ComparisonOperator: 'EQ' } } }),
      `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a`,
    ],
    [
      'DeleteItem: ExpressionAttributeValues without an expression',
      del({ ExpressionAttributeValues: { ':v': S('x') } }),
      'ExpressionAttributeValues can only be specified when using expressions',
    ],
    [
      'DeleteItem: ExpressionAttributeNames beside Expected',
      del({ Expected: { a: { Exists: false } }, ExpressionAttributeNames: { '#a': 'a' } }),
      'ExpressionAttributeNames can only be specified when using expressions',
    ],
    [
      'DeleteItem: an empty ExpressionAttributeValues',
      del({ ConditionExpression: 'attribute_exists(a)', ExpressionAttributeValues: {} }),
      'ExpressionAttributeValues must not be empty',
    ],
    [
      'DeleteItem: an empty ExpressionAttributeNames',
      del({ ConditionExpression: 'attribute_exists(a)', ExpressionAttributeNames: {} }),
      'ExpressionAttributeNames must not be empty',
    ],
    [
      'DeleteItem: an empty ConditionExpression',
      del({ ConditionExpression: '' }),
      'Invalid ConditionExpression: The expression can not be empty;',
    ],
    [
      'DeleteItem: ReturnValues ALL_NEW',
      del({ ReturnValues: 'ALL_NEW' }),
      'ReturnValues can only be ALL_OLD or NONE',
    ],
    [
      'DeleteItem: ReturnValues UPDATED_NEW',
      del({ ReturnValues: 'UPDATED_NEW' }),
      'ReturnValues can only be ALL_OLD or NONE',
    ],
    [
      'DeleteItem: Exists false with a Value',
      del({ Expected: { a: { Exists: false, Value: S('x') } } }),
      `${INVALID}Value cannot be used when Exists is false for Attribute: a`,
    ],
    [
      'DeleteItem: Value with AttributeValueList',
      del({ Expected: { a: { Value: S('x'), ComparisonOperator: 'EQ', AttributeValueList: [S('x')] } } }),
      `${INVALID}Value and AttributeValueList cannot be used together for Attribute: a`,
    ],
    [
      'DeleteItem: BETWEEN with one value',
      del({ Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [S('x')] } } }),
      `${INVALID}Invalid number of argument(s) for the BETWEEN ComparisonOperator`,
    ],
    [
      'UpdateItem: an undefined value in the ConditionExpression',
      update({
        UpdateExpression: 'SET b = :w',
        ConditionExpression: 'a = :v',
        ExpressionAttributeValues: { ':w': S('x') },
      }),
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v',
    ],
    [
      'UpdateItem: ExpressionAttributeValues without an expression',
      update({ AttributeUpdates: { a: { Value: S('x') } }, ExpressionAttributeValues: { ':v': S('x') } }),
      'ExpressionAttributeValues can only be specified when using expressions',
    ],
    [
      'PutItem: an empty binary set',
      put({ Item: { pk: S('env'), b: { BS: [] } } }),
      `${INVALID}Binary sets should not be empty`,
    ],
  ];
  for (const [what, send, message] of cases) {
    it(what, () => {
      assertError(send, 'ValidationException', one(message));
    });
  }

  it('reports the ReturnValues refusal before the table is looked up', () => {
    assertError(
      () => call(e, 'DeleteItem', { TableName: 'Missing', Key, ReturnValues: 'ALL_NEW' }),
      'ValidationException',
      one('ReturnValues can only be ALL_OLD or NONE'),
    );
  });

  it('does not put what needs the table inside the envelope', () => {
    const bare: [string, () => unknown, string][] = [
      [
        'a key that does not match the schema',
        () => call(e, 'DeleteItem', { TableName: T, Key: { pk: S('a'), sk: S('b') } }),
        'The provided key element does not match the schema',
      ],
      [
        'an empty key value',
        () => call(e, 'PutItem', { TableName: T, Item: { pk: S('') } }),
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
      ],
      [
        'an update of a key attribute',
        update({ UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': S('y') } }),
        `${INVALID}Cannot update attribute pk. This attribute is part of the key`,
      ],
    ];
    for (const [, send, message] of bare) assertError(send, 'ValidationException', message);
    assertError(() => call(e, 'PutItem', { TableName: 'Missing', Item }), 'ResourceNotFoundException');
  });

  it('leaves the messages already in the envelope and the serialization errors alone', () => {
    const enumError = assertError(put({ ReturnValues: 'BOGUS' }), 'ValidationException');
    assert.match(enumError.message, /^1 validation error detected: Failed to satisfy constraint: /);
    assertError(
      put({ Item: { pk: S('env'), a: { S: 1 } } }),
      'SerializationException',
      'NUMBER_VALUE cannot be converted to String',
    );
  });

  it('keeps the older wording for the same checks of BatchWriteItem and Scan', () => {
    assertError(
      () => call(e, 'Scan', { TableName: T, FilterExpression: 'a = :v' }),
      'ValidationException',
      'Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :v',
    );
    assertError(
      () => call(e, 'Scan', { TableName: T, ExpressionAttributeValues: { ':v': S('x') } }),
      'ValidationException',
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null',
    );
    assertError(
      () =>
        call(e, 'BatchWriteItem', {
          RequestItems: { [T]: [{ PutRequest: { Item: { pk: S('x'), b: { BS: [] } } } }] },
        }),
      'ValidationException',
      `${INVALID}Binary sets should not be empty`,
    );
  });
});
