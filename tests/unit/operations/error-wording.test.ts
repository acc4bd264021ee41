// Every case error-messages.md records in two wordings, run in both: the engine's default (DynamoDB's
// new request validation) and `errorWording: 'old'` (the old one, which DynamoDB Local and the
// remaining regions answer with). Cases worded alike in both layers are run in both too, to show the
// switch leaves them alone. Section numbers are those of shared/reference/error-messages.md.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import type { ErrorWording } from '../../../engine/wording.js';
import { call, createSimpleTable, errorOf, scratchEngine } from '../../support/engine.js';

type Answer = readonly [type: string, message: string];
interface Case {
  readonly name: string;
  readonly operation: string;
  readonly input: Record<string, unknown>;
  readonly new: Answer;
  /** Omitted: the same as `new`. */
  readonly old?: Answer;
}

const V = 'ValidationException';
const one = (m: string) => `1 validation error detected: ${m}`;
const S = (s: string) => ({ S: s });
const item = { pk: S('a') };
const enumAt = (value: string, path: string, values: string) =>
  `Value '${value}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${values}]`;
const RCC = enumAt('INVALID', 'returnConsumedCapacity', 'INDEXES, TOTAL, NONE');
const RICM = enumAt('INVALID', 'returnItemCollectionMetrics', 'SIZE, NONE');
const RV_NEW =
  'Failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATE_NEW, NONE]';
const RV_OLD = enumAt('INVALID', 'returnValues', 'ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW');
const AT_LEAST_ONE = 'failed to satisfy constraint: Member must have length greater than or equal to 1';
const LIMIT_1 = 'failed to satisfy constraint: Member must have value greater than or equal to 1';

/** The new layer envelopes what the old one leaves bare (§1, rules 2 and 3). */
const bespoke = (message: string) => ({ new: [V, one(message)] as Answer, old: [V, message] as Answer });

const CASES: readonly Case[] = [
  // §1: bespoke checks of PutItem, UpdateItem and DeleteItem.
  {
    name: 'PutItem with an empty string set',
    operation: 'PutItem',
    input: { TableName: 'Things', Item: { ...item, s: { SS: [] } } },
    ...bespoke('One or more parameter values were invalid: An string set  may not be empty'),
  },
  {
    name: 'UpdateItem with a syntax error',
    operation: 'UpdateItem',
    input: { TableName: 'Things', Key: item, UpdateExpression: 'INVALID SYNTAX' },
    ...bespoke('Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"'),
  },
  {
    name: 'UpdateItem with the reserved word pad',
    operation: 'UpdateItem',
    input: {
      TableName: 'Things',
      Key: item,
      UpdateExpression: 'SET pad = :v',
      ExpressionAttributeValues: { ':v': S('x') },
    },
    ...bespoke('Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: pad'),
  },
  {
    name: 'PutItem with redundant parentheses',
    operation: 'PutItem',
    input: { TableName: 'Things', Item: item, ConditionExpression: '((attribute_not_exists(pk)))' },
    ...bespoke('Invalid ConditionExpression: The expression has redundant parentheses;'),
  },
  {
    name: 'UpdateItem with an unused name',
    operation: 'UpdateItem',
    input: {
      TableName: 'Things',
      Key: item,
      UpdateExpression: 'SET a = :v',
      ExpressionAttributeNames: { '#unused': 'x' },
      ExpressionAttributeValues: { ':v': S('x') },
    },
    ...bespoke('Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}'),
  },
  {
    name: 'Query with an unused name: bare in both',
    operation: 'Query',
    input: {
      TableName: 'Things',
      KeyConditionExpression: 'pk = :v',
      ExpressionAttributeNames: { '#unused': 'x' },
      ExpressionAttributeValues: { ':v': S('x') },
    },
    new: [V, 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}'],
  },
  {
    name: 'PutItem with ExpressionAttributeValues and no expression',
    operation: 'PutItem',
    input: { TableName: 'Things', Item: item, ExpressionAttributeValues: { ':v': S('x') } },
    new: [V, one('ExpressionAttributeValues can only be specified when using expressions')],
    old: [
      V,
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    ],
  },
  {
    name: 'PutItem with an empty number',
    operation: 'PutItem',
    input: { TableName: 'Things', Item: { ...item, n: { N: '' } } },
    new: [V, one('The parameter cannot be converted to a numeric value: ')],
    old: [V, 'The parameter cannot be converted to a numeric value'],
  },
  {
    name: 'GetItem with an empty number: bare in both, worded by the layer',
    operation: 'GetItem',
    input: { TableName: 'Things', Key: { pk: { N: '' } } },
    new: [V, 'The parameter cannot be converted to a numeric value: '],
    old: [V, 'The parameter cannot be converted to a numeric value'],
  },
  {
    name: 'PutItem with a duplicate in a string set',
    operation: 'PutItem',
    input: { TableName: 'Things', Item: { ...item, s: { SS: ['b', 'a', 'b'] } } },
    new: [
      V,
      one('One or more parameter values were invalid: Input collection ["a", "b", "b"] contains duplicates.'),
    ],
    old: [V, 'One or more parameter values were invalid: Input collection [b, a, b] contains duplicates.'],
  },
  {
    name: 'Query choosing SPECIFIC_ATTRIBUTES without a projection',
    operation: 'Query',
    input: {
      TableName: 'Things',
      KeyConditionExpression: 'pk = :v',
      ExpressionAttributeValues: { ':v': S('x') },
      Select: 'SPECIFIC_ATTRIBUTES',
    },
    ...bespoke(
      'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
    ),
  },
  {
    name: 'Scan choosing SPECIFIC_ATTRIBUTES without a projection',
    operation: 'Scan',
    input: { TableName: 'Things', Select: 'SPECIFIC_ATTRIBUTES' },
    ...bespoke(
      'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
    ),
  },
  // §2: several invalid enum members.
  {
    name: 'PutItem with three invalid enums',
    operation: 'PutItem',
    input: {
      TableName: 'Things',
      Item: item,
      ReturnConsumedCapacity: 'INVALID',
      ReturnItemCollectionMetrics: 'INVALID',
      ReturnValues: 'INVALID',
    },
    new: [V, `3 validation errors detected: ${RCC}; ${RV_NEW}; ${RICM}`],
    old: [V, `3 validation errors detected: ${RCC}; ${RV_OLD}; ${RICM}`],
  },
  {
    name: 'DeleteItem with invalid ReturnValues and ReturnConsumedCapacity',
    operation: 'DeleteItem',
    input: { TableName: 'Things', Key: item, ReturnConsumedCapacity: 'INVALID', ReturnValues: 'INVALID' },
    new: [V, `2 validation errors detected: ${RCC}; ${RV_NEW}`],
    old: [V, `2 validation errors detected: ${RCC}; ${RV_OLD}`],
  },
  {
    name: 'UpdateItem with invalid ReturnValues and ReturnConsumedCapacity',
    operation: 'UpdateItem',
    input: { TableName: 'Things', Key: item, ReturnConsumedCapacity: 'INVALID', ReturnValues: 'INVALID' },
    new: [V, one(RV_NEW)],
    old: [V, `2 validation errors detected: ${RCC}; ${RV_OLD}`],
  },
  {
    name: 'PutItem with an empty TableName and an invalid ReturnValues',
    operation: 'PutItem',
    input: { TableName: '', Item: item, ReturnValues: 'INVALID' },
    new: [V, one(`Value at 'TableName' ${AT_LEAST_ONE}`)],
    old: [V, `2 validation errors detected: ${RV_OLD}; Value '' at 'tableName' ${AT_LEAST_ONE}`],
  },
  {
    name: 'DeleteItem with ReturnValues UPDATED_NEW',
    operation: 'DeleteItem',
    input: { TableName: 'Things', Key: item, ReturnValues: 'UPDATED_NEW' },
    ...bespoke('ReturnValues can only be ALL_OLD or NONE'),
  },
  // §3 and §4: constraint values, missing and empty members.
  {
    name: 'Query with Limit 0',
    operation: 'Query',
    input: {
      TableName: 'Things',
      KeyConditionExpression: 'pk = :v',
      ExpressionAttributeValues: { ':v': S('x') },
      Limit: 0,
    },
    new: [V, one(`Value at 'Limit' ${LIMIT_1}`)],
    old: [V, one(`Value '0' at 'limit' ${LIMIT_1}`)],
  },
  {
    name: 'Scan with Limit 0',
    operation: 'Scan',
    input: { TableName: 'Things', Limit: 0 },
    new: [V, one(`Value at 'Limit' ${LIMIT_1}`)],
    old: [V, one(`Value '0' at 'limit' ${LIMIT_1}`)],
  },
  {
    name: 'BatchGetItem with no tables',
    operation: 'BatchGetItem',
    input: { RequestItems: {} },
    new: [V, one(`Value at 'RequestItems' ${AT_LEAST_ONE}`)],
    old: [V, 'The requestItems parameter is required for BatchGetItem'],
  },
  {
    name: 'BatchGetItem with an empty Keys list',
    operation: 'BatchGetItem',
    input: { RequestItems: { Things: { Keys: [] } } },
    new: [V, one(`Value at 'RequestItems.Things.member.Keys' ${AT_LEAST_ONE}`)],
    old: [V, one(`Value '[]' at 'requestItems.Things.member.keys' ${AT_LEAST_ONE}`)],
  },
  {
    name: 'BatchWriteItem with no tables: alike in both',
    operation: 'BatchWriteItem',
    input: { RequestItems: {} },
    new: [V, 'The requestItems parameter is required for BatchWriteItem'],
  },
  {
    name: 'TransactWriteItems with no actions',
    operation: 'TransactWriteItems',
    input: { TransactItems: [] },
    new: [V, one(`Value at 'TransactItems' ${AT_LEAST_ONE}`)],
    old: [V, one(`Value '[]' at 'transactItems' ${AT_LEAST_ONE}`)],
  },
  {
    name: 'TransactGetItems with no gets',
    operation: 'TransactGetItems',
    input: { TransactItems: [] },
    new: [V, one(`Value at 'TransactItems' ${AT_LEAST_ONE}`)],
    old: [V, one(`Value '[]' at 'transactItems' ${AT_LEAST_ONE}`)],
  },
  {
    name: 'PutItem without a TableName: alike in both',
    operation: 'PutItem',
    input: { Item: item },
    new: [V, one("Value null at 'tableName' failed to satisfy constraint: Member must not be null")],
  },
  {
    name: 'DescribeTable without a TableName: alike in both',
    operation: 'DescribeTable',
    input: {},
    new: [V, "The parameter 'TableName' is required but was not present in the request"],
  },
  {
    name: 'Scan with Segment not below TotalSegments: alike in both',
    operation: 'Scan',
    input: { TableName: 'Things', Segment: 5, TotalSegments: 5 },
    new: [
      V,
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less than TotalSegments: 5',
    ],
  },
  // §7 and §8: the deserializer runs first; attribute value shapes.
  {
    name: 'PutItem with an empty TableName and a boolean string: SerializationException first',
    operation: 'PutItem',
    input: { TableName: '', Item: { pk: { S: true } } },
    new: ['SerializationException', 'TRUE_VALUE cannot be converted to String'],
  },
  {
    name: 'GetItem with a number for a string',
    operation: 'GetItem',
    input: { TableName: 'Things', Key: { pk: { S: 23 } } },
    new: ['SerializationException', 'NUMBER_VALUE cannot be converted to String'],
  },
  {
    name: 'Query with a string Limit',
    operation: 'Query',
    input: { TableName: 'Things', Limit: '5' },
    new: ['SerializationException', 'STRING_VALUE cannot be converted to Integer'],
  },
  {
    name: 'PutItem with an unknown type key',
    operation: 'PutItem',
    input: { TableName: 'Things', Item: { ...item, x: { dog: 'cat' } } },
    ...bespoke('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'),
  },
  {
    name: 'PutItem with an empty attribute value',
    operation: 'PutItem',
    input: { TableName: 'Things', Item: { ...item, x: {} } },
    ...bespoke('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'),
  },
  {
    name: 'PutItem with two type keys',
    operation: 'PutItem',
    input: { TableName: 'Things', Item: { ...item, x: { S: 'a', N: '1' } } },
    ...bespoke(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    ),
  },
  // §3 and §6: CreateTable's echoed key schema and unused definitions.
  {
    name: 'CreateTable with three key schema elements',
    operation: 'CreateTable',
    input: {
      TableName: 'Three',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
        { AttributeName: 'extra', KeyType: 'RANGE' },
      ],
    },
    new: [
      V,
      one(
        "Value '[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=extra, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
      ),
    ],
  },
  {
    name: 'CreateTable with an unused definition and no index',
    operation: 'CreateTable',
    input: {
      TableName: 'Unused',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'zz', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    },
    new: [
      V,
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    ],
  },
  {
    name: 'CreateTable with an unused definition and a GSI',
    operation: 'CreateTable',
    input: {
      TableName: 'UnusedGsi',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'Artist', AttributeType: 'S' },
        { AttributeName: 'Album', AttributeType: 'S' },
        { AttributeName: 'Sales', AttributeType: 'N' },
      ],
      KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byAlbum',
          KeySchema: [{ AttributeName: 'Album', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    },
    new: [
      V,
      'One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [Album, Artist, Sales], keys used: [Album, Artist]',
    ],
  },
  {
    name: 'CreateTable with a bad ProjectionType: its enum order',
    operation: 'CreateTable',
    input: {
      TableName: 'BadProjection',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byPk',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'X' },
        },
      ],
    },
    new: [
      V,
      one(
        "Value 'X' at 'globalSecondaryIndexes.1.member.projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]",
      ),
    ],
  },
  // §5: key conditions are never enveloped.
  {
    name: 'Query without a partition-key condition: alike in both',
    operation: 'Query',
    input: {
      TableName: 'Things',
      KeyConditionExpression: 'a = :v',
      ExpressionAttributeValues: { ':v': S('x') },
    },
    new: [V, 'Query condition missed key schema element: pk'],
  },
];

function engineFor(wording: ErrorWording | undefined): Engine {
  const e = scratchEngine(wording === undefined ? {} : { errorWording: wording });
  createSimpleTable(e);
  return e;
}

for (const wording of ['new', 'old'] as const) {
  describe(`errors in the ${wording} wording`, () => {
    const e = engineFor(wording);
    for (const c of CASES) {
      it(c.name, () => {
        const [type, message] = wording === 'old' ? (c.old ?? c.new) : c.new;
        const error = errorOf(() => call(e, c.operation, c.input));
        assert.equal(error.type, type);
        assert.equal(error.message, message);
      });
    }
  });
}

describe('error wording', () => {
  it('is the new one by default', () => {
    const e = engineFor(undefined);
    const error = errorOf(() => call(e, 'BatchGetItem', { RequestItems: {} }));
    assert.equal(error.message, one(`Value at 'RequestItems' ${AT_LEAST_ONE}`));
  });

  it('old: a PutItem item nested deep still refused, bare', () => {
    let v: Record<string, unknown> = S('leaf');
    for (let i = 0; i < 40; i++) v = { M: { n: v } };
    const error = errorOf(() =>
      call(engineFor('old'), 'PutItem', {
        TableName: 'Things',
        Item: item,
        ReturnValues: 'ALL_NEW',
        ConditionExpression: 'a = :d',
        ExpressionAttributeValues: { ':d': v },
      }),
    );
    assert.equal(error.message, 'ReturnValues can only be ALL_OLD or NONE');
  });
});
