// ExpressionAttributeNames / ExpressionAttributeValues handling and the request-level rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkExpressionParameters,
  checkExpressionSize,
  ExpressionAttributes,
  parseCondition,
  parseProjection,
  parseUpdate,
} from '../../../engine/expressions/index.js';
import { attrs, throwsValidation } from './helpers.js';

describe('ExpressionAttributes', () => {
  it('refuses empty maps', () => {
    throwsValidation(
      () => new ExpressionAttributes({}, undefined),
      'ExpressionAttributeNames must not be empty',
    );
    throwsValidation(
      () => new ExpressionAttributes(undefined, {}),
      'ExpressionAttributeValues must not be empty',
    );
  });

  it('refuses keys without their # or :', () => {
    throwsValidation(
      () => attrs({ name: 'x' }),
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "name"',
    );
    throwsValidation(
      () => attrs({ '#a-b': 'x' }),
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"',
    );
    throwsValidation(
      () => attrs(undefined, { value: { S: 'x' } }),
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "value"',
    );
  });

  it('validates and normalises values', () => {
    const a = attrs(undefined, { ':n': { N: '0042.500' } });
    assert.deepEqual(a.value(':n', 'ConditionExpression'), { N: '42.5' });
    throwsValidation(
      () => attrs(undefined, { ':s': { SS: [] } }),
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :s',
    );
  });

  it('reports a bad value inside the wrapper in the older layer and bare in the current one', () => {
    const values = { ':n': { N: '' } };
    throwsValidation(
      () => attrs(undefined, values),
      'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value for key :n',
    );
    throwsValidation(
      () => new ExpressionAttributes(undefined, values, 'current'),
      'The parameter cannot be converted to a numeric value: ',
    );
    assert.equal(new ExpressionAttributes(undefined, undefined, 'current').layer, 'current');
    assert.equal(attrs().layer, 'older');
  });

  it('reports undefined placeholders in the expression kind', () => {
    throwsValidation(
      () => parseCondition('#x = :v', attrs(undefined, { ':v': { S: 'a' } }), 'ConditionExpression'),
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x',
    );
    throwsValidation(
      () => parseUpdate('SET attr1 = :v', attrs()),
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v',
    );
    throwsValidation(
      () => parseProjection('#comment', attrs()),
      'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #comment',
    );
  });

  it('reports the first undefined placeholder in source order', () => {
    throwsValidation(
      () =>
        parseCondition('#a = :b AND #c = :d', attrs({ '#c': 'c' }, { ':d': { S: 'x' } }), 'FilterExpression'),
      'Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #a',
    );
    throwsValidation(
      () => parseCondition(':b = #a', attrs({ '#c': 'c' }, { ':d': { S: 'x' } }), 'FilterExpression'),
      'Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :b',
    );
  });

  it('reports unused names, then unused values', () => {
    const a = attrs({ '#a': 'a', '#b': 'b', '#c': 'c' }, { ':v': { S: 'x' }, ':w': { S: 'y' } });
    parseCondition('#a = :v', a, 'ConditionExpression');
    throwsValidation(
      () => a.assertAllUsed(),
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #c}',
    );
    parseProjection('#b, #c', a);
    throwsValidation(
      () => a.assertAllUsed(),
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}',
    );
  });

  it('counts a placeholder used anywhere in any expression of the request', () => {
    const a = attrs({ '#n1': 'a', '#n2': 'b' }, { ':v1': { N: '1' }, ':v2': { N: '2' }, ':v3': { N: '3' } });
    parseCondition('#n1 = :v1 OR #n2 = :v2', a, 'ConditionExpression');
    parseUpdate('SET #n1 = :v3', a);
    a.assertAllUsed();
  });
});

describe('checkExpressionParameters', () => {
  it('refuses names or values without an expression', () => {
    throwsValidation(
      () =>
        checkExpressionParameters({
          names: { '#a': 'a' },
          values: undefined,
          expressions: { ConditionExpression: undefined },
        }),
      'ExpressionAttributeNames can only be specified when using expressions',
    );
    throwsValidation(
      () =>
        checkExpressionParameters({
          names: undefined,
          values: { ':v': { S: 'x' } },
          expressions: { ConditionExpression: undefined },
        }),
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    );
    throwsValidation(
      () =>
        checkExpressionParameters({
          names: undefined,
          values: { ':v': { S: 'x' } },
          expressions: { UpdateExpression: undefined, ConditionExpression: undefined },
        }),
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null',
    );
  });

  it('names no expression when asked not to (the single-item writes)', () => {
    throwsValidation(
      () =>
        checkExpressionParameters({
          names: undefined,
          values: { ':v': { S: 'x' } },
          expressions: { UpdateExpression: undefined, ConditionExpression: undefined },
          nameAbsentExpressions: false,
        }),
      'ExpressionAttributeValues can only be specified when using expressions',
    );
  });

  it('does not count ProjectionExpression as a user of values', () => {
    throwsValidation(
      () =>
        checkExpressionParameters({
          names: undefined,
          values: { ':v': { S: 'x' } },
          expressions: {
            ProjectionExpression: 'a',
            FilterExpression: undefined,
            KeyConditionExpression: undefined,
          },
        }),
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null',
    );
    checkExpressionParameters({
      names: { '#a': 'a' },
      values: undefined,
      expressions: { ProjectionExpression: '#a' },
    });
  });

  it('refuses mixing expressions and legacy parameters', () => {
    throwsValidation(
      () =>
        checkExpressionParameters({
          names: undefined,
          values: undefined,
          expressions: { ConditionExpression: 'attribute_not_exists(pk)' },
          legacy: { Expected: { pk: { Exists: false } } },
        }),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
    );
  });
});

describe('expression size', () => {
  it('allows 4096 bytes and refuses 4097', () => {
    checkExpressionSize('a'.repeat(4096), 'UpdateExpression');
    throwsValidation(
      () => checkExpressionSize('a'.repeat(4097), 'FilterExpression'),
      'Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 4097',
    );
  });

  it('counts UTF-8 bytes, not characters', () => {
    throwsValidation(
      () => checkExpressionSize('é'.repeat(2049), 'ConditionExpression'),
      'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4098',
    );
  });

  it('is checked by the parsers', () => {
    const long = 'a = :v OR ' + 'b = :v OR '.repeat(410) + 'c = :v';
    throwsValidation(
      () => parseCondition(long, attrs(undefined, { ':v': { S: 'x' } }), 'ConditionExpression'),
      `Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: ${long.length}`,
    );
  });
});
