// ProjectionExpression parsing and projectItem.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProjection, projectItem } from '../../../engine/expressions/index.js';
import type { AttributeValue, Item } from '../../../engine/types.js';
import { attrs, throwsValidation } from './helpers.js';

const THIRD: AttributeValue = { M: { x: { S: 'hi' }, y: { S: 'yo' } } };
const B: AttributeValue = { L: [{ N: '2' }, { N: '4' }, THIRD] };
const A: Item = { b: B, c: { N: '5' } };
const ITEM: Item = {
  p: { S: 'k' },
  a: { M: A },
  b: { S: 'hello' },
  'a.b': { S: 'dotted' },
};

function project(text: string, names?: Record<string, string>, item: Item = ITEM): Item {
  return projectItem(item, parseProjection(text, attrs(names)));
}

describe('parseProjection', () => {
  it('resolves names into paths', () => {
    assert.deepEqual(parseProjection('#a.b[2], c', attrs({ '#a': 'x.y' })), [['x.y', 'b', 2], ['c']]);
  });

  const overlap = (one: string, two: string) =>
    `Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`;
  const conflict = (one: string, two: string) =>
    `Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`;

  it('refuses overlapping paths', () => {
    throwsValidation(() => parseProjection('a, a', attrs()), overlap('[a]', '[a]'));
    throwsValidation(() => parseProjection('a.b[0],a.b[0]', attrs()), overlap('[a, b, [0]]', '[a, b, [0]]'));
    throwsValidation(() => parseProjection('a, a.b[2].c', attrs()), overlap('[a]', '[a, b, [2], c]'));
    throwsValidation(() => parseProjection('a.b.d.e, a.b', attrs()), overlap('[a, b, d, e]', '[a, b]'));
    throwsValidation(() => parseProjection('#x, a', attrs({ '#x': 'a' })), overlap('[a]', '[a]'));
  });

  it('refuses conflicting paths', () => {
    throwsValidation(() => parseProjection('a.b, a[1]', attrs()), conflict('[a, b]', '[a, [1]]'));
    throwsValidation(() => parseProjection('a.b.c, a.b[1]', attrs()), conflict('[a, b, c]', '[a, b, [1]]'));
  });

  it('accepts paths sharing a prefix', () => {
    for (const text of ['a, b', 'a.b, a.c', 'a.b.d, a.b.e', 'a[1], a[2]', 'a.b, a.c[2]', 'l[0].x, l[0].y'])
      parseProjection(text, attrs());
  });
});

describe('projectItem', () => {
  it('keeps top-level attributes', () => {
    assert.deepEqual(project('p, b'), { p: { S: 'k' }, b: { S: 'hello' } });
    assert.deepEqual(project('#d', { '#d': 'a.b' }), { 'a.b': { S: 'dotted' } });
  });

  it('keeps the structure around nested values', () => {
    assert.deepEqual(project('a.b'), { a: { M: { b: B } } });
    assert.deepEqual(project('a.b[2].y'), { a: { M: { b: { L: [{ M: { y: { S: 'yo' } } }] } } } });
    assert.deepEqual(project('a.b[0],a.c'), { a: { M: { b: { L: [{ N: '2' }] }, c: { N: '5' } } } });
    assert.deepEqual(project('a.c, b'), { a: { M: { c: { N: '5' } } }, b: { S: 'hello' } });
  });

  it('compacts list elements in index order', () => {
    assert.deepEqual(project('a.b[2], a.b[0]'), {
      a: { M: { b: { L: [{ N: '2' }, THIRD] } } },
    });
    assert.deepEqual(project('a.b[2].x, a.b[2].y'), {
      a: { M: { b: { L: [{ M: { x: { S: 'hi' }, y: { S: 'yo' } } }] } } },
    });
  });

  it('skips what the item does not have', () => {
    for (const text of [
      'x',
      'a.b[3]',
      'a.x',
      'a.x.y',
      'a.b[3].x',
      'a.b.x',
      'a[0]',
      'a.b[0].x',
      'a.b[0][0]',
    ]) {
      assert.deepEqual(project(text), {}, text);
    }
    assert.deepEqual(project('a.x, a.b[0], x, a.b[3].x'), { a: { M: { b: { L: [{ N: '2' }] } } } });
  });

  it('returns new containers, leaving the item alone', () => {
    const out = project('a.c');
    assert.notEqual(out.a, ITEM.a);
    assert.equal(Object.keys(A).length, 2);
  });
});
