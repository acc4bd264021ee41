// jsonText: JSON.stringify's text for request data, at any nesting depth.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { jsonText } from '../../../engine/values/json.js';

it('gives JSON.stringify’s text for plain JSON data', () => {
  for (const v of [
    null,
    true,
    0,
    -1.5e300,
    '',
    'a"b\\c\u0000💥\ud800',
    [],
    {},
    [1, [2, [3, {}]], { a: [] }],
    { a: 1, b: { c: [null, 'x'] }, '"k"': { '': true } },
    { S: 'x', skip: undefined, list: [undefined, 1] },
    [Infinity, NaN],
  ])
    assert.equal(jsonText(v), JSON.stringify(v));
});

it('serialises values nested 100,000 levels without exhausting the stack', () => {
  let v: unknown = { S: 'x' };
  for (let i = 0; i < 100_000; i++) v = i % 2 ? { M: { a: v } } : [v];
  const text = jsonText(v);
  assert.ok(text.startsWith('{"M":{"a":[{"M"'));
  // Each map level adds `{"M":{"a":` and `}}`, each list level `[` and `]`, around `{"S":"x"}`.
  assert.equal(text.length, 50_000 * 12 + 50_000 * 2 + 9);
});
