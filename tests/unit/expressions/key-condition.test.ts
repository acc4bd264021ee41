// KeyConditionExpression: the syntax-level restrictions and the terms handed to Query.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKeyCondition } from '../../../engine/expressions/index.js';
import { attrs, throwsValidation } from './helpers.js';

const VALUES = { ':a': { S: 'a' }, ':b': { S: 'b' }, ':n': { N: '1' }, ':p': { S: 'x' } };

function parse(text: string, values: Record<string, unknown> = VALUES) {
  return parseKeyCondition(text, attrs(undefined, values));
}

describe('parseKeyCondition: terms', () => {
  it('reads equality, ranges, BETWEEN and begins_with', () => {
    assert.deepEqual(parse('pk = :a'), [{ name: 'pk', op: '=', value: { S: 'a' } }]);
    assert.deepEqual(parse('pk = :a AND sk < :b'), [
      { name: 'pk', op: '=', value: { S: 'a' } },
      { name: 'sk', op: '<', value: { S: 'b' } },
    ]);
    assert.deepEqual(parse('pk = :a AND sk BETWEEN :a AND :b'), [
      { name: 'pk', op: '=', value: { S: 'a' } },
      { name: 'sk', op: 'between', low: { S: 'a' }, high: { S: 'b' } },
    ]);
    assert.deepEqual(parse('begins_with(sk, :p) AND pk = :a'), [
      { name: 'sk', op: 'begins_with', prefix: { S: 'x' } },
      { name: 'pk', op: '=', value: { S: 'a' } },
    ]);
  });

  it('mirrors a comparison written value first', () => {
    assert.deepEqual(parse(':a = pk AND :n < sk'), [
      { name: 'pk', op: '=', value: { S: 'a' } },
      { name: 'sk', op: '>', value: { N: '1' } },
    ]);
    assert.deepEqual(parse(':n >= sk')[0], { name: 'sk', op: '<=', value: { N: '1' } });
  });

  it('accepts names, case-insensitive keywords and parentheses', () => {
    const terms = parseKeyCondition(
      '(#pk = :a) AnD (#sk BeTwEeN :a aNd :b)',
      attrs({ '#pk': 'p', '#sk': 's' }, VALUES),
    );
    assert.deepEqual(
      terms.map((t) => [t.name, t.op]),
      [
        ['p', '='],
        ['s', 'between'],
      ],
    );
    parse('((c = :a) AND (p = :b))');
    parse('(#pk = :a AND (#sk = :b))'.replace(/#pk/, 'pk').replace(/#sk/, 'sk'));
  });
});

describe('parseKeyCondition: more than two terms', () => {
  it('leaves the number of terms to Query, for multi-attribute keys', () => {
    assert.deepEqual(
      parse(':a = a and b = :a and :a = c').map((t) => t.name),
      ['a', 'b', 'c'],
    );
    assert.equal(parse('p = :p AND c < :a AND x < :b AND y = :n').length, 4);
  });
});

describe('parseKeyCondition: errors', () => {
  const cases: [string, string][] = [
    ['a > b and size(b) > c or a > c', 'Invalid operator used in KeyConditionExpression: OR'],
    ['c = :a OR p = :b', 'Invalid operator used in KeyConditionExpression: OR'],
    ['NOT c = :a AND p = :b', 'Invalid operator used in KeyConditionExpression: NOT'],
    ['a in (b, size(c), d)', 'Invalid operator used in KeyConditionExpression: IN'],
    ['p = :a AND c <> :b', 'Invalid operator used in KeyConditionExpression: <>'],
    ['attribute_exists(a)', 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    ['attribute_not_exists(a)', 'Invalid operator used in KeyConditionExpression: attribute_not_exists'],
    ['contains(a.d, b)', 'Invalid operator used in KeyConditionExpression: contains'],
    [
      ':a between size(b) and size(a) and b > :b',
      'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand',
    ],
    [
      'begins_with(:a, b) and a > :b',
      'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand',
    ],
    ['size(b) > a AND a.b > b AND b > c', 'KeyConditionExpressions cannot contain nested operations'],
    ['a > size(b.d)', 'KeyConditionExpressions cannot contain nested operations'],
    ['a between size(b) and size(a)', 'KeyConditionExpressions cannot contain nested operations'],
    [
      'b > a.b',
      'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
    ],
    [
      'b between c[1] and d',
      'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
    ],
    [
      'begins_with(a, b)',
      'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
    ],
    ['p = c', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    ['b.d > a AND c.d > e.f', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['a.d > c', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['b[0] > a', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    [':b > :a AND a < :b', 'Invalid condition in KeyConditionExpression: No key attribute specified'],
    [':a > b AND :a < :b', 'Invalid condition in KeyConditionExpression: No key attribute specified'],
    [
      'b > :a AND b < :a and c = :a and d = :a',
      'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key',
    ],
    [
      'p=:p AND p=:p',
      'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key',
    ],
    [
      '(a > :a and b > :a) and (b > :a and c > :a)',
      'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key',
    ],
    ['p = :p AND dog(c, :a)', 'Invalid KeyConditionExpression: Invalid function name; function: dog'],
    [
      'attribute_type(a, b)',
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {S,SS,N,NS,B,BS,BOOL,NULL,L,M,HD,DOUBLE,FLOAT,HDS,FS,DOUBLESET,DICT,DECIMAL,INT,DECIMALSET,INTSET}',
    ],
    [
      'attribute_type(a, :n)',
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N',
    ],
    ['attribute_type(a, :a)', 'Invalid operator used in KeyConditionExpression: attribute_type'],
    [
      'a between :n and :a',
      'Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}',
    ],
    [
      'a between :b and :a',
      'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}',
    ],
    ['a > 4', 'Invalid KeyConditionExpression: Syntax error; token: "4", near: "> 4"'],
    ['(size(a))[0] > a', 'Invalid KeyConditionExpression: Syntax error; token: "[", near: ")[0"'],
    ['p = :p AND c != :a', 'Invalid KeyConditionExpression: Syntax error; token: "!", near: "c !="'],
    ['', 'Invalid KeyConditionExpression: The expression can not be empty;'],
    [
      'p = :missing',
      'Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing',
    ],
    ['((p = :p))', 'Invalid KeyConditionExpression: The expression has redundant parentheses;'],
  ];
  for (const [text, message] of cases) {
    it(JSON.stringify(text), () => {
      const values: Record<string, unknown> = { ...VALUES };
      if (text === 'attribute_type(a, :a)') values[':a'] = { S: 'S' };
      throwsValidation(() => parse(text, values), message);
    });
  }
});
