// evaluateCondition: DynamoDB's comparison and function semantics, type by type.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateCondition, parseCondition, type Condition } from '../../../engine/expressions/index.js';
import type { AttributeValue, Item } from '../../../engine/types.js';
import { attrs } from './helpers.js';

const b64 = (...bytes: number[]) => Buffer.from(bytes).toString('base64');

const ITEM: Item = {
  s: { S: 'hello' },
  s2: { S: 'hello' },
  n: { N: '10' },
  big: { N: '12345678901234567890123456789012345678' },
  big2: { N: '12345678901234567890123456789012345679' },
  b: { B: b64(1, 2, 3) },
  b127: { B: b64(127) },
  b128: { B: b64(128) },
  t: { BOOL: true },
  nul: { NULL: true },
  l: { L: [{ N: '2' }, { S: 'dog' }, { L: [{ N: '3' }] }, { SS: ['x', 'y'] }] },
  m: { M: { x: { N: '2' }, y: { M: { m: { N: '3' } } } } },
  ss: { SS: ['dog', 'cat'] },
  ss2: { SS: ['cat', 'dog'] },
  ns: { NS: ['2', '4', '7'] },
  bs: { BS: [b64(1), b64(2, 3)] },
  blank: { S: '' },
  uni: { S: 'é𝄞' },
  astral: { S: '\u{1F600}' },
  bmp: { S: '\uFFFD' },
  tn: { S: 'N' },
};

function check(
  text: string,
  values: Record<string, AttributeValue> = {},
  names?: Record<string, string>,
  item: Item | undefined = ITEM,
): boolean {
  const a = attrs(names, Object.keys(values).length ? values : undefined);
  return evaluateCondition(parseCondition(text, a, 'ConditionExpression'), item);
}

type Row = [string, Record<string, AttributeValue>, boolean];

function table(title: string, rows: Row[]): void {
  describe(title, () => {
    for (const [text, values, expected] of rows) {
      it(`${text} ${JSON.stringify(values)} is ${expected}`, () =>
        assert.equal(check(text, values), expected));
    }
  });
}

table('= and <>', [
  ['s = :v', { ':v': { S: 'hello' } }, true],
  ['s = s2', {}, true],
  ['s = :v', { ':v': { S: 'Hello' } }, false],
  ['n = :v', { ':v': { N: '10.000' } }, true],
  ['n = :v', { ':v': { S: '10' } }, false],
  ['b = :v', { ':v': { B: b64(1, 2, 3) } }, true],
  ['t = :v', { ':v': { BOOL: true } }, true],
  ['t = :v', { ':v': { BOOL: false } }, false],
  ['nul = :v', { ':v': { NULL: true } }, true],
  ['ss = ss2', {}, true],
  ['ss = :v', { ':v': { SS: ['cat', 'dog'] } }, true],
  ['ns = :v', { ':v': { NS: ['7', '2', '4'] } }, true],
  ['l = :v', { ':v': { L: [{ N: '2' }, { S: 'dog' }, { L: [{ N: '3' }] }, { SS: ['y', 'x'] }] } }, true],
  ['m = :v', { ':v': { M: { y: { M: { m: { N: '3' } } }, x: { N: '2' } } } }, true],
  ['absent = :v', { ':v': { S: 'x' } }, false],
  ['absent = nothing', {}, false],
  ['s <> :v', { ':v': { S: 'x' } }, true],
  ['s <> :v', { ':v': { S: 'hello' } }, false],
  ['n <> :v', { ':v': { S: '10' } }, true],
  ['absent <> :v', { ':v': { S: 'x' } }, true],
  ['absent <> nothing', {}, true],
]);

table('ordering', [
  ['n < :v', { ':v': { N: '10.5' } }, true],
  ['n < :v', { ':v': { N: '9' } }, false],
  ['n <= :v', { ':v': { N: '1e1' } }, true],
  ['n > :v', { ':v': { N: '-100' } }, true],
  ['big < big2', {}, true],
  ['big >= big2', {}, false],
  ['s > :v', { ':v': { S: 'hell' } }, true],
  ['s < :v', { ':v': { S: 'help' } }, true],
  ['s < :v', { ':v': { S: 'Z' } }, false],
  // UTF-8 byte order puts U+FFFD before an astral character; UTF-16 order would not.
  ['bmp < astral', {}, true],
  ['b127 < b128', {}, true],
  ['b128 > :v', { ':v': { B: b64(127, 255) } }, true],
  ['b >= :v', { ':v': { B: b64(1, 2) } }, true],
  ['n < :v', { ':v': { S: '100' } }, false],
  ['absent < :v', { ':v': { N: '1' } }, false],
  [':v < absent', { ':v': { N: '1' } }, false],
  ['l < :v', { ':v': { N: '1' } }, false],
  ['absent < nothing', {}, false],
]);

table('BETWEEN', [
  ['n BETWEEN :a AND :b', { ':a': { N: '0' }, ':b': { N: '10' } }, true],
  ['n BETWEEN :a AND :b', { ':a': { N: '10' }, ':b': { N: '10' } }, true],
  ['n BETWEEN :a AND :b', { ':a': { N: '11' }, ':b': { N: '20' } }, false],
  ['s BETWEEN :a AND :b', { ':a': { S: 'a' }, ':b': { S: 'z' } }, true],
  ['b BETWEEN :a AND :b', { ':a': { B: b64(1) }, ':b': { B: b64(2) } }, true],
  ['n BETWEEN :a AND :b', { ':a': { S: '0' }, ':b': { S: '9' } }, false],
  ['absent BETWEEN :a AND :b', { ':a': { N: '0' }, ':b': { N: '9' } }, false],
  ['n BETWEEN :a AND big', { ':a': { N: '0' } }, true],
  ['n BETWEEN absent AND big', {}, false],
]);

table('IN', [
  ['n IN (:a, :b)', { ':a': { S: 'x' }, ':b': { N: '10' } }, true],
  ['n IN (:a)', { ':a': { N: '11' } }, false],
  ['ss IN (ss2)', {}, true],
  ['absent IN (:a)', { ':a': { N: '1' } }, false],
  ['s IN (absent, s2)', {}, true],
]);

table('attribute_exists, attribute_not_exists, attribute_type', [
  ['attribute_exists(s)', {}, true],
  ['attribute_exists(m.y.m)', {}, true],
  ['attribute_exists(l[2][0])', {}, true],
  ['attribute_exists(l[9])', {}, false],
  ['attribute_exists(m.z)', {}, false],
  ['attribute_exists(s.x)', {}, false],
  ['attribute_exists(nul)', {}, true],
  ['attribute_not_exists(absent)', {}, true],
  ['attribute_not_exists(n)', {}, false],
  ['attribute_type(n, :t)', { ':t': { S: 'N' } }, true],
  ['attribute_type(n, :t)', { ':t': { S: 'S' } }, false],
  ['attribute_type(ss, :t)', { ':t': { S: 'SS' } }, true],
  ['attribute_type(nul, :t)', { ':t': { S: 'NULL' } }, true],
  ['attribute_type(m.y, :t)', { ':t': { S: 'M' } }, true],
  ['attribute_type(absent, :t)', { ':t': { S: 'S' } }, false],
  ['attribute_type(:v, :t)', { ':v': { N: '0' }, ':t': { S: 'N' } }, true],
  ['attribute_type(size(s), :t)', { ':t': { S: 'N' } }, true],
  ['attribute_type(size(absent), :t)', { ':t': { S: 'N' } }, false],
]);

table('begins_with', [
  ['begins_with(s, :p)', { ':p': { S: 'hel' } }, true],
  ['begins_with(s, :p)', { ':p': { S: '' } }, true],
  ['begins_with(s, :p)', { ':p': { S: 'ello' } }, false],
  ['begins_with(b, :p)', { ':p': { B: b64(1, 2) } }, true],
  ['begins_with(b, :p)', { ':p': { B: b64(2) } }, false],
  ['begins_with(n, :p)', { ':p': { S: '1' } }, false],
  ['begins_with(s, :p)', { ':p': { B: b64(104) } }, false],
  ['begins_with(absent, :p)', { ':p': { S: 'x' } }, false],
  ['begins_with(:v, s)', { ':v': { S: 'hello world' } }, true],
]);

table('contains', [
  ['contains(s, :v)', { ':v': { S: 'ell' } }, true],
  ['contains(s, :v)', { ':v': { S: 'xyz' } }, false],
  ['contains(b, :v)', { ':v': { B: b64(2, 3) } }, true],
  ['contains(b, :v)', { ':v': { B: b64(3, 2) } }, false],
  ['contains(ss, :v)', { ':v': { S: 'cat' } }, true],
  ['contains(ss, :v)', { ':v': { S: 'ca' } }, false],
  ['contains(ns, :v)', { ':v': { N: '4.0' } }, true],
  ['contains(ns, :v)', { ':v': { S: '4' } }, false],
  ['contains(bs, :v)', { ':v': { B: b64(2, 3) } }, true],
  ['contains(l, :v)', { ':v': { N: '2' } }, true],
  ['contains(l, :v)', { ':v': { S: 'dog' } }, true],
  ['contains(l, :v)', { ':v': { L: [{ N: '3' }] } }, true],
  ['contains(l, :v)', { ':v': { SS: ['y', 'x'] } }, true],
  ['contains(l, :v)', { ':v': { S: 'cat' } }, false],
  ['contains(m, :v)', { ':v': { S: 'x' } }, false],
  ['contains(n, :v)', { ':v': { N: '1' } }, false],
  ['contains(absent, :v)', { ':v': { S: 'x' } }, false],
  ['contains(s, s2)', {}, true],
]);

table('size', [
  ['size(s) = :v', { ':v': { N: '5' } }, true],
  // UTF-16 code units, as DynamoDB counts: é is 1, 𝄞 is 2.
  ['size(uni) = :v', { ':v': { N: '3' } }, true],
  ['size(blank) = :v', { ':v': { N: '0' } }, true],
  ['size(b) = :v', { ':v': { N: '3' } }, true],
  ['size(ss) = :v', { ':v': { N: '2' } }, true],
  ['size(ns) = :v', { ':v': { N: '3' } }, true],
  ['size(l) = :v', { ':v': { N: '4' } }, true],
  ['size(m) = :v', { ':v': { N: '2' } }, true],
  ['size(m.y) = :v', { ':v': { N: '1' } }, true],
  ['size(n) = :v', { ':v': { N: '2' } }, false],
  ['size(t) = :v', { ':v': { N: '1' } }, false],
  ['size(nul) = :v', { ':v': { N: '1' } }, false],
  ['size(absent) = :v', { ':v': { N: '0' } }, false],
  ['size(absent) <> :v', { ':v': { N: '0' } }, true],
  ['size(s) = :v', { ':v': { S: '5' } }, false],
  ['size(s) > size(ss)', {}, true],
  ['size(s) BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '5' } }, true],
  ['size(s) < n', {}, true],
]);

table('AND, OR, NOT and precedence', [
  ['n = :a AND s = :b', { ':a': { N: '10' }, ':b': { S: 'hello' } }, true],
  ['n = :a AND s = :b', { ':a': { N: '10' }, ':b': { S: 'x' } }, false],
  ['n = :a OR s = :b', { ':a': { N: '1' }, ':b': { S: 'hello' } }, true],
  ['NOT n = :a', { ':a': { N: '1' } }, true],
  ['NOT NOT n = :a', { ':a': { N: '1' } }, false],
  ['NOT absent = :a', { ':a': { N: '1' } }, true],
  ['n = :a OR n = :b AND n = :c', { ':a': { N: '10' }, ':b': { N: '1' }, ':c': { N: '2' } }, true],
  ['(n = :a OR n = :b) AND n = :c', { ':a': { N: '10' }, ':b': { N: '1' }, ':c': { N: '2' } }, false],
  ['NOT n = :a AND n = :b', { ':a': { N: '10' }, ':b': { N: '2' } }, false],
  ['n BETWEEN :a AND :b AND n = :c', { ':a': { N: '1' }, ':b': { N: '20' }, ':c': { N: '10' } }, true],
]);

describe('evaluateCondition', () => {
  it('treats a absent item as an item without attributes', () => {
    assert.equal(check('attribute_not_exists(pk)', {}, undefined, undefined), true);
    assert.equal(check('pk <> :p', { ':p': { S: 'x' } }, undefined, undefined), true);
    assert.equal(check('pk = :p', { ':p': { S: 'x' } }, undefined, undefined), false);
  });

  it('resolves #names, including names with dots', () => {
    assert.equal(
      check('#a = :v', { ':v': { S: 'dotted' } }, { '#a': 'x.y' }, { 'x.y': { S: 'dotted' } }),
      true,
    );
    assert.equal(check('#a.#b = :v', { ':v': { N: '2' } }, { '#a': 'm', '#b': 'x' }), true);
  });

  it('evaluates PartiQL IS tests', () => {
    const is = (path: string, test: Extract<Condition, { kind: 'is' }>['test'], negated = false): boolean =>
      evaluateCondition({ kind: 'is', operand: { kind: 'path', path: [path] }, test, negated }, ITEM);
    assert.equal(is('absent', 'MISSING'), true);
    assert.equal(is('s', 'MISSING'), false);
    assert.equal(is('s', 'MISSING', true), true);
    assert.equal(is('nul', 'NULL'), true);
    assert.equal(is('absent', 'NULL'), false);
    assert.equal(is('absent', 'NULL', true), true);
    assert.equal(is('ss', 'SS'), true);
    assert.equal(is('m', 'M'), true);
    assert.equal(is('n', 'S'), false);
  });

  it('evaluates literals and update-style operands leniently', () => {
    assert.equal(evaluateCondition({ kind: 'literal', value: true }, undefined), true);
    assert.equal(evaluateCondition({ kind: 'literal', value: false }, ITEM), false);
    const sum: Condition = {
      kind: 'compare',
      op: '=',
      left: {
        kind: 'arithmetic',
        op: '+',
        left: { kind: 'path', path: ['n'] },
        right: { kind: 'value', value: { N: '0.5' } },
      },
      right: { kind: 'value', value: { N: '10.5' } },
    };
    assert.equal(evaluateCondition(sum, ITEM), true);
    const broken: Condition = {
      ...sum,
      left: { ...sum.left, left: { kind: 'path', path: ['s'] } },
    } as Condition;
    assert.equal(evaluateCondition(broken, ITEM), false);
  });
});
