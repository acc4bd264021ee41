// Which problem DynamoDB reports, and in what words, when a request has several: the two forms of
// the request-member checks (engine/operations/common.ts, `MemberRule`), BatchGetItem's member
// checks, Query's newer-form members and its key condition read clause by clause. The expected
// messages are DynamoDB's, as captured against real DynamoDB.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import { assertError, call, createSimpleTable, scratchEngine } from '../../support/engine.js';

type AttributeValue = Record<string, unknown>;

function setup(): Engine {
  const e = scratchEngine();
  createSimpleTable(e, 'Hash');
  createSimpleTable(e, 'Comp', true);
  return e;
}

/** `depth` single-key maps round a string leaf. */
function deep(depth: number): AttributeValue {
  let v: AttributeValue = { S: 'leaf' };
  for (let i = 0; i < depth; i++) v = { M: { n: v } };
  return v;
}

const one = (m: string) => `1 validation error detected: ${m}`;
const ABSENT = 'absent_table';
const S = (s: string) => ({ S: s });
const key = (pk: AttributeValue) => ({ pk, sk: S('1') });
const EMPTY_NAME =
  "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1";
const EMPTY_NAME_NEWER =
  "Value at 'TableName' failed to satisfy constraint: Member must have length greater than or equal to 1";
const NO_KEY = "Value null at 'key' failed to satisfy constraint: Member must not be null";
const NO_ITEM = "Value null at 'item' failed to satisfy constraint: Member must not be null";
const enumAt = (value: string, path: string, values: string) =>
  `Value '${value}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${values}]`;
const RCC = (v: string) => enumAt(v, 'returnConsumedCapacity', 'INDEXES, TOTAL, NONE');
// The new layer names neither the value nor the member, and misspells UPDATED_NEW.
const RV_NEWER = (_v: string) =>
  'Failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATE_NEW, NONE]';
const RV_OLDER = (v: string) => enumAt(v, 'returnValues', 'ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW');
const XOR_OLDER = enumAt('XOR', 'conditionalOperator', 'OR, AND');
const XOR_NEWER = 'Failed to satisfy constraint: Member must satisfy enum value set: [ALL, OR]';
const ONLY_OLD = 'ReturnValues can only be ALL_OLD or NONE';
const update = { UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': S('x') } };
const legacyUpdate = {
  AttributeUpdates: { x: { Action: 'PUT', Value: S('1') } },
  Expected: { a: { Exists: false }, b: { Exists: false } },
  ConditionalOperator: 'XOR',
};
const condition = (depth: number) => ({
  ConditionExpression: '#d = :deep',
  ExpressionAttributeNames: { '#d': 'd' },
  ExpressionAttributeValues: { ':deep': deep(depth) },
});

type Case = readonly [name: string, operation: string, input: Record<string, unknown>, message: string];

function runCases(cases: readonly Case[]): void {
  for (const [name, operation, input, message] of cases) {
    it(name, () => {
      assertError(() => call(setup(), operation, input), 'ValidationException', message);
    });
  }
}

describe('PutItem, UpdateItem and DeleteItem: the newer form reports the first member problem', () => {
  runCases([
    [
      'UpdateItem: an empty table name is only too short',
      'UpdateItem',
      { TableName: '', Key: {} },
      one(EMPTY_NAME_NEWER),
    ],
    [
      'PutItem: an empty table name is only too short',
      'PutItem',
      { TableName: '', Item: { pk: S('a') } },
      one(EMPTY_NAME_NEWER),
    ],
    [
      'DeleteItem: an empty table name is only too short',
      'DeleteItem',
      { TableName: '', Key: { pk: S('a') }, ReturnValues: 'BOGUS' },
      one(EMPTY_NAME_NEWER),
    ],
    [
      'UpdateItem: a bad pattern alone, not also the length',
      'UpdateItem',
      { TableName: 'x!', Key: {} },
      one(
        "Value 'x!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
      ),
    ],
    [
      'UpdateItem: ReturnValues before ReturnConsumedCapacity, alone',
      'UpdateItem',
      { TableName: ABSENT, Key: { pk: S('t') }, ReturnValues: 'INVALID', ReturnConsumedCapacity: 'INVALID' },
      one(RV_NEWER('INVALID')),
    ],
    [
      'PutItem: a missing table name',
      'PutItem',
      { Item: { pk: S('t') } },
      one("Value null at 'tableName' failed to satisfy constraint: Member must not be null"),
    ],
    [
      'PutItem: ConditionalOperator outside its enum, in the newer bare wording',
      'PutItem',
      {
        TableName: ABSENT,
        Item: key(S('a')),
        Expected: { a: { Exists: false }, b: { Exists: false } },
        ConditionalOperator: 'XOR',
      },
      one(XOR_NEWER),
    ],
    [
      'UpdateItem: ConditionalOperator before ReturnValues',
      'UpdateItem',
      { TableName: ABSENT, Key: key(S('a')), ...legacyUpdate, ReturnValues: 'BOGUS' },
      one(XOR_NEWER),
    ],
    [
      'PutItem: ReturnValues before ConditionalOperator',
      'PutItem',
      { TableName: ABSENT, Item: key(S('a')), ConditionalOperator: 'XOR', ReturnValues: 'BOGUS' },
      one(RV_NEWER('BOGUS')),
    ],
    [
      'PutItem: XOR ahead of an Expected value nested 40 levels',
      'PutItem',
      {
        TableName: ABSENT,
        Item: key(S('a')),
        Expected: { a: { Value: deep(40) }, b: { Exists: false } },
        ConditionalOperator: 'XOR',
      },
      one(XOR_NEWER),
    ],
    [
      'DeleteItem: an unknown ReturnValues with a condition value nested 40 levels',
      'DeleteItem',
      { TableName: ABSENT, Key: key(S('a')), ...condition(40), ReturnValues: 'BOGUS' },
      one(RV_NEWER('BOGUS')),
    ],
    [
      'DeleteItem: UPDATED_NEW inside the envelope',
      'DeleteItem',
      { TableName: ABSENT, Key: key(S('a')), ReturnValues: 'UPDATED_NEW' },
      one(ONLY_OLD),
    ],
  ]);
});

describe('PutItem, UpdateItem and DeleteItem: a request without its Key or Item reports every member problem', () => {
  runCases([
    [
      'an empty table name joined with the missing key',
      'UpdateItem',
      { TableName: '', ...update },
      `2 validation errors detected: ${EMPTY_NAME}; ${NO_KEY}`,
    ],
    [
      'the enums, an empty table name and the missing key in member order',
      'UpdateItem',
      { TableName: '', ...update, ReturnConsumedCapacity: 'INVALID', ReturnValues: 'INVALID' },
      `4 validation errors detected: ${RCC('INVALID')}; ${RV_OLDER('INVALID')}; ${EMPTY_NAME}; ${NO_KEY}`,
    ],
    [
      'XOR in the older wording, joined to the missing key',
      'UpdateItem',
      { TableName: ABSENT, ...legacyUpdate },
      `2 validation errors detected: ${XOR_OLDER}; ${NO_KEY}`,
    ],
    [
      'PutItem: the missing item comes last',
      'PutItem',
      { TableName: 'Hash', ReturnConsumedCapacity: 'BOGUS' },
      `2 validation errors detected: ${RCC('BOGUS')}; ${NO_ITEM}`,
    ],
    ['DeleteItem: the missing key alone', 'DeleteItem', { TableName: 'Hash' }, one(NO_KEY)],
  ]);
});

describe('PutItem, UpdateItem and DeleteItem: a request nested past about 62 levels reads the older way', () => {
  runCases([
    [
      'PutItem: XOR in the older wording ahead of an Expected value nested 100 levels',
      'PutItem',
      {
        TableName: ABSENT,
        Item: key(S('a')),
        Expected: { a: { Value: deep(100) }, b: { Exists: false } },
        ConditionalOperator: 'XOR',
      },
      one(XOR_OLDER),
    ],
    [
      'UpdateItem: XOR in the older wording ahead of an Expected value nested 100 levels',
      'UpdateItem',
      {
        TableName: ABSENT,
        Key: key(S('a')),
        ...legacyUpdate,
        Expected: { a: { Value: deep(100) }, b: { Exists: false } },
      },
      one(XOR_OLDER),
    ],
    [
      'DeleteItem: an unknown ReturnValues, condition value nested 63 levels',
      'DeleteItem',
      { TableName: ABSENT, Key: key(S('a')), ...condition(63), ReturnValues: 'BOGUS' },
      one(RV_OLDER('BOGUS')),
    ],
    [
      'DeleteItem: an unknown ReturnValues, Expected value nested 63 levels',
      'DeleteItem',
      { TableName: ABSENT, Key: key(S('a')), Expected: { d: { Value: deep(63) } }, ReturnValues: 'BOGUS' },
      one(RV_OLDER('BOGUS')),
    ],
    [
      'DeleteItem: an unknown ReturnValues, key nested 100 levels',
      'DeleteItem',
      { TableName: ABSENT, Key: key(deep(100)), ReturnValues: 'BOGUS' },
      one(RV_OLDER('BOGUS')),
    ],
    [
      'DeleteItem: UPDATED_NEW bare, ahead of a condition value nested 100 levels',
      'DeleteItem',
      { TableName: ABSENT, Key: key(S('a')), ...condition(100), ReturnValues: 'UPDATED_NEW' },
      ONLY_OLD,
    ],
    [
      'PutItem: ALL_NEW bare, ahead of an item nested 100 levels',
      'PutItem',
      { TableName: ABSENT, Item: { ...key(S('a')), d: deep(100) }, ReturnValues: 'ALL_NEW' },
      ONLY_OLD,
    ],
  ]);

  it('still refuses a deep request whose members are well formed for its depth', () => {
    assertError(
      () => call(setup(), 'PutItem', { TableName: 'Hash', Item: { pk: S('a'), d: deep(100) } }),
      'ValidationException',
      /Nesting Levels have exceeded supported limits/,
    );
  });
});

describe('BatchGetItem member checks', () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => ({ pk: S(`k${i}`) }));
  const MAP_KEYS =
    'Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]';
  runCases([
    [
      'an empty RequestItems',
      'BatchGetItem',
      { RequestItems: {} },
      one(
        "Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ),
    ],
    [
      '101 keys for one table',
      'BatchGetItem',
      { RequestItems: { Hash: { Keys: keys(101) } } },
      one(
        "Value at 'RequestItems.Hash.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100",
      ),
    ],
    [
      'an empty Keys list',
      'BatchGetItem',
      { RequestItems: { Hash: { Keys: [] } } },
      one(
        "Value at 'RequestItems.Hash.member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ),
    ],
    [
      'a malformed table name refuses the map, echoed as JSON',
      'BatchGetItem',
      { RequestItems: { 'bad!name': { Keys: [{ pk: S('a') }] } } },
      one(
        `Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' at 'requestItems' failed to satisfy constraint: ${MAP_KEYS}`,
      ),
    ],
    [
      'a malformed table name before an unknown ReturnConsumedCapacity',
      'BatchGetItem',
      { RequestItems: { 'bad!name': { Keys: [{ pk: S('a') }] } }, ReturnConsumedCapacity: 'BOGUS' },
      `2 validation errors detected: Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' at 'requestItems' failed to satisfy constraint: ${MAP_KEYS}; ${RCC('BOGUS')}`,
    ],
    [
      'an unknown ReturnConsumedCapacity ahead of a missing table',
      'BatchGetItem',
      { RequestItems: { [ABSENT]: { Keys: [{ pk: S('a') }] } }, ReturnConsumedCapacity: 'BOGUS' },
      one(RCC('BOGUS')),
    ],
    [
      'ProjectionExpression on one table and AttributesToGet on another',
      'BatchGetItem',
      {
        RequestItems: {
          Hash: { Keys: [{ pk: S('a') }], ProjectionExpression: 'pk' },
          Comp: { Keys: [{ pk: S('b'), sk: S('z') }], AttributesToGet: ['pk'] },
        },
      },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    ],
    [
      'both projections in one table',
      'BatchGetItem',
      {
        RequestItems: {
          Hash: { Keys: [{ pk: S('a') }], ProjectionExpression: 'pk', AttributesToGet: ['pk'] },
        },
      },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    ],
  ]);

  it('still reads with one projection kind per request', () => {
    const e = setup();
    call(e, 'PutItem', { TableName: 'Hash', Item: { pk: S('a'), x: S('1') } });
    call(e, 'PutItem', { TableName: 'Comp', Item: { pk: S('b'), sk: S('z'), x: S('2') } });
    const out = call(e, 'BatchGetItem', {
      RequestItems: {
        Hash: { Keys: [{ pk: S('a') }], AttributesToGet: ['x'] },
        Comp: { Keys: [{ pk: S('b'), sk: S('z') }], AttributesToGet: ['pk'] },
      },
    });
    assert.deepEqual(out.Responses, { Hash: [{ x: S('1') }], Comp: [{ pk: S('b') }] });
  });
});

describe('Query and Scan member checks', () => {
  const kce = {
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': 'pk' },
    ExpressionAttributeValues: { ':pk': S('t') },
  };
  runCases([
    [
      'Query: Limit 0 in the newer wording',
      'Query',
      { TableName: 'Hash', ...kce, Limit: 0 },
      one("Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1"),
    ],
    [
      'Query: XOR with two QueryFilter conditions, bare and before an unknown Select',
      'Query',
      {
        TableName: ABSENT,
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] } },
        QueryFilter: { b: { ComparisonOperator: 'NULL' }, c: { ComparisonOperator: 'NULL' } },
        ConditionalOperator: 'XOR',
        Select: 'BOGUS',
      },
      XOR_NEWER,
    ],
    [
      'Query: Select and ReturnConsumedCapacity together, in the older wording',
      'Query',
      { TableName: 'Hash', ...kce, Select: 'INVALID', ReturnConsumedCapacity: 'INVALID' },
      "2 validation errors detected: Value 'INVALID' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; " +
        RCC('INVALID'),
    ],
    [
      'Scan: Limit 0 in the newer wording too (Scan moved from September 2026)',
      'Scan',
      { TableName: 'Hash', Limit: 0 },
      one("Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1"),
    ],
    [
      'Scan: XOR keeps the older wording',
      'Scan',
      { TableName: 'Hash', ScanFilter: {}, ConditionalOperator: 'XOR' },
      one(enumAt('XOR', 'conditionalOperator', 'OR, AND')),
    ],
  ]);
});

describe('Query: KeyConditionExpression clauses are checked in written order', () => {
  const OPERAND =
    'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N';
  const UNDEFINED =
    'Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing';
  const cases: readonly (readonly [string, string, Record<string, AttributeValue>, string])[] = [
    ['pk = :missing AND begins_with(sk, :n)', 'Comp', { ':n': { N: '1' } }, UNDEFINED],
    ['begins_with(sk, :n) AND pk = :missing', 'Comp', { ':n': { N: '1' } }, OPERAND],
    [
      'pk = :p AND begins_with(sk, :n) AND sk = :missing',
      'Comp',
      { ':p': S('q'), ':n': { N: '1' } },
      OPERAND,
    ],
    ['(begins_with(sk, :n)) AND (pk = :missing)', 'Comp', { ':n': { N: '1' } }, OPERAND],
    [
      'pk = :p AND begins_with(sk, :n) AND sk > :s',
      'Comp',
      { ':p': S('q'), ':n': { N: '1' }, ':s': S('a') },
      OPERAND,
    ],
    ['pk = :p AND begins_with(sk, :n)', ABSENT, { ':p': S('q'), ':n': { N: '1' } }, OPERAND],
    ['begins_with(sk, :n) AND #missing = :p', 'Comp', { ':p': S('q'), ':n': { N: '1' } }, OPERAND],
    [
      '#missing = :p AND begins_with(sk, :n)',
      'Comp',
      { ':p': S('q'), ':n': { N: '1' } },
      'Invalid KeyConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #missing',
    ],
  ];
  for (const [expression, table, values, message] of cases) {
    it(`${expression} on ${table}`, () => {
      const input = {
        TableName: table,
        KeyConditionExpression: expression,
        ExpressionAttributeValues: values,
      };
      assertError(() => call(setup(), 'Query', input), 'ValidationException', message);
    });
  }

  it('a well-formed key condition on a missing table reports the table', () => {
    assertError(
      () =>
        call(setup(), 'Query', {
          TableName: ABSENT,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':p': S('q'), ':s': S('a') },
        }),
      'ResourceNotFoundException',
    );
  });
});
