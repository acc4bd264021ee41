// Set members are kept in UTF-8 byte order (values/set-order.ts); string sets below U+D800 are
// compared as JavaScript strings, which must give the same order.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sortSetMembers } from '../../../engine/values/set-order.js';

const byBytes = (members: string[]): string[] =>
  [...members].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));

it('orders string sets by their UTF-8 bytes, whatever characters they hold', () => {
  const alphabet = [
    'a',
    'b',
    'Z',
    '0',
    ' ',
    'é',
    'ÿ',
    'ā',
    '中',
    '\u07ff',
    '\u0800',
    '\ue000',
    '\ufffd',
    '😀',
    '𐀀',
  ];
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 500; round++) {
    const set = new Set<string>();
    const size = 1 + random(8);
    // Half the rounds stay below U+D800 (the fast path), half may not.
    const letters = round % 2 === 0 ? alphabet.slice(0, 10) : alphabet;
    while (set.size < size) {
      let s = '';
      for (let i = random(4); i >= 0; i--) s += letters[random(letters.length)];
      set.add(s);
    }
    const members = [...set];
    assert.deepEqual(sortSetMembers('SS', [...members]), byBytes(members), JSON.stringify(members));
  }
});

it('keeps a set that arrives sorted, and sorts one that does not', () => {
  assert.deepEqual(sortSetMembers('SS', ['a', 'b', 'c']), ['a', 'b', 'c']);
  assert.deepEqual(sortSetMembers('SS', ['c', 'a', 'b']), ['a', 'b', 'c']);
  // U+E000 sorts after U+1F600 by code units, before it by UTF-8 bytes.
  assert.deepEqual(sortSetMembers('SS', ['😀', '\ue000']), ['\ue000', '😀']);
  assert.deepEqual(sortSetMembers('SS', ['é', 'z', 'A']), ['A', 'z', 'é']);
});
