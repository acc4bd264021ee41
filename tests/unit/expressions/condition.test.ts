// ConditionExpression / FilterExpression: checks that need the request's values, and the IR.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCondition } from '../../../engine/expressions/index.js';
import { attrs, throwsValidation } from './helpers.js';

const VALUES = {
  ':s': { S: 'abc' },
  ':n': { N: '5' },
  ':n3': { N: '3' },
  ':b': { B: 'AQI=' },
  ':l': { L: [{ N: '1' }] },
  ':m': { M: {} },
  ':bool': { BOOL: true },
  ':null': { NULL: true },
  ':ss': { SS: ['a'] },
  ':t': { S: 'N' },
  ':bad': { S: 'STRING' },
  ':z': { S: 'z' },
  ':a': { S: 'a' },
};

function parse(text: string, names?: Record<string, string>) {
  return parseCondition(text, attrs(names, VALUES), 'ConditionExpression');
}

function fails(text: string, detail: string, names?: Record<string, string>) {
  throwsValidation(() => parse(text, names), `Invalid ConditionExpression: ${detail}`);
}

describe('parseCondition: checks on operands', () => {
  it('requires distinct operands for contains and comparisons', () => {
    fails(
      'contains(#a, #a)',
      'The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [data]',
      { '#a': 'data' },
    );
    fails(
      'contains(name1, name1)',
      'The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [name1]',
    );
    fails(
      'a.b[1] = a.#x[1]',
      'The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a, b, [1]]',
      { '#x': 'b' },
    );
    parse('contains(a, a1)');
  });

  it('refuses constants that cannot be ordered in < <= > >= BETWEEN', () => {
    fails(
      'a < :l',
      'Incorrect operand type for operator or function; operator or function: <, operand type: L',
    );
    fails(
      ':bool >= a',
      'Incorrect operand type for operator or function; operator or function: >=, operand type: BOOL',
    );
    fails(
      'a > :ss',
      'Incorrect operand type for operator or function; operator or function: >, operand type: SS',
    );
    fails(
      'a BETWEEN :m AND :m',
      'Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: M',
    );
    parse('a = :l AND b <> :m AND c IN (:null, :bool)');
    parse('a < :s AND b <= :n AND c > :b AND size(d) >= :n');
  });

  it('checks BETWEEN bounds that are both constants', () => {
    fails(
      'a BETWEEN :n AND :n3',
      'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:3}',
    );
    fails(
      'a BETWEEN :z AND :a',
      'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:z}, upper bound operand: AttributeValue: {S:a}',
    );
    fails(
      'a BETWEEN :n AND :s',
      'The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {S:abc}',
    );
    parse('a BETWEEN :n AND :n');
    parse('a BETWEEN b AND :n3');
  });

  it('checks function operand types', () => {
    fails(
      'begins_with(a, :n)',
      'Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
    fails(
      'begins_with(a, size(b))',
      'Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
    fails(
      'attribute_type(a, :n)',
      'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N',
    );
    fails(
      'attribute_type(a, b)',
      'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {S,SS,N,NS,B,BS,BOOL,NULL,L,M,HD,DOUBLE,FLOAT,HDS,FS,DOUBLESET,DICT,DECIMAL,INT,DECIMALSET,INTSET}',
    );
    fails(
      'attribute_type(a, :bad)',
      'Invalid attribute type name found; type: STRING, valid types: {S,SS,N,NS,B,BS,BOOL,NULL,L,M}',
    );
    fails(
      'size(:n) = :n',
      'Incorrect operand type for operator or function; operator or function: size, operand type: N',
    );
    fails(
      'size(size(a)) = :n',
      'Incorrect operand type for operator or function; operator or function: size, operand type: N',
    );
    parse('begins_with(:s, a) AND begins_with(a, :b) AND contains(a, :l)');
  });

  it('reports distinct operands before operand types', () => {
    fails(
      'a < :l AND contains(b, b)',
      'The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [b]',
    );
  });

  it('reports the kind it was asked for', () => {
    throwsValidation(
      () => parseCondition('a < :l', attrs(undefined, VALUES), 'FilterExpression'),
      'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: <, operand type: L',
    );
  });
});

describe('parseCondition: IR', () => {
  it('resolves names and values', () => {
    const c = parseCondition(
      '#a.b[2] = :v',
      attrs({ '#a': 'x.y' }, { ':v': { N: '01.50' } }),
      'ConditionExpression',
    );
    assert.deepEqual(c, {
      kind: 'compare',
      op: '=',
      left: { kind: 'path', path: ['x.y', 'b', 2] },
      right: { kind: 'value', value: { N: '1.5' } },
    });
  });

  it('lowers functions', () => {
    assert.deepEqual(parse('attribute_not_exists(a) OR NOT size(b) > :n'), {
      kind: 'or',
      left: { kind: 'attribute_not_exists', path: ['a'] },
      right: {
        kind: 'not',
        operand: {
          kind: 'compare',
          op: '>',
          left: { kind: 'size', path: ['b'] },
          right: { kind: 'value', value: { N: '5' } },
        },
      },
    });
    assert.deepEqual(parse('attribute_type(a, :t)'), {
      kind: 'attribute_type',
      path: ['a'],
      type: { kind: 'value', value: { S: 'N' } },
    });
  });

  it('folds functions of constants', () => {
    assert.deepEqual(parse('attribute_type(:n, :t)'), { kind: 'literal', value: true });
    assert.deepEqual(parse('size(:s) = :n3'), {
      kind: 'compare',
      op: '=',
      left: { kind: 'value', value: { N: '3' } },
      right: { kind: 'value', value: { N: '3' } },
    });
  });
});
