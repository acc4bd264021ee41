// applyUpdate: DynamoDB's semantics for SET, REMOVE, ADD and DELETE on an item.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyUpdate, parseUpdate, type UpdateActions } from '../../../engine/expressions/index.js';
import type { AttributeValue, Item } from '../../../engine/types.js';
import { attrs, throwsValidation } from './helpers.js';

const b64 = (...bytes: number[]) => Buffer.from(bytes).toString('base64');
const N = (n: string | number): AttributeValue => ({ N: String(n) });
const S = (s: string): AttributeValue => ({ S: s });
const L = (...items: AttributeValue[]): AttributeValue => ({ L: items });

function update(
  item: Item,
  text: string,
  values?: Record<string, unknown>,
  names?: Record<string, string>,
  itemExisted = true,
): Item {
  return applyUpdate(parseUpdate(text, attrs(names, values)), item, { itemExisted });
}

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';
const MISSING = 'The provided expression refers to an attribute that does not exist in the item';
const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';

describe('applyUpdate: SET', () => {
  it('sets and copies top-level attributes', () => {
    assert.deepEqual(update({ p: S('k'), a: S('hello') }, 'SET b = a, c = :v', { ':v': N(4) }), {
      p: S('k'),
      a: S('hello'),
      b: S('hello'),
      c: N(4),
    });
  });

  it('reads every operand before writing', () => {
    throwsValidation(() => update({ a: S('x') }, 'SET x = :v, y = x', { ':v': N(4) }), MISSING);
    assert.deepEqual(update({ a: S('x') }, 'REMOVE a SET b = a'), { b: S('x') });
    assert.deepEqual(update({ a: N(1), b: N(2) }, 'SET a = b, b = a'), { a: N(2), b: N(1) });
  });

  it('refuses to copy a missing attribute', () => {
    throwsValidation(() => update({}, 'SET c = z'), MISSING);
    throwsValidation(() => update({}, 'SET c = z + :n', { ':n': N(1) }), MISSING);
    throwsValidation(() => update({}, 'SET c = list_append(z, :l)', { ':l': L() }), MISSING);
  });

  it('adds and subtracts exactly', () => {
    assert.deepEqual(update({ a: N('0.1') }, 'SET a = a + :v', { ':v': N('0.2') }), { a: N('0.3') });
    assert.deepEqual(update({ a: N(2) }, 'SET a = :v - a', { ':v': N(7) }), { a: N(5) });
    assert.deepEqual(
      update({ a: N('99999999999999999999999999999999999999') }, 'SET a = a - :v', {
        ':v': N('99999999999999999999999999999999999998'),
      }),
      { a: N(1) },
    );
    assert.deepEqual(update({ a: N('1E+125') }, 'SET b = a - a'), { a: N('1E+125'), b: N(0) });
  });

  it('refuses arithmetic on non-numbers and beyond the number range', () => {
    throwsValidation(() => update({ a: S('x') }, 'SET a = a + :v', { ':v': N(1) }), WRONG_TYPE);
    throwsValidation(
      () => update({ a: N('9E+125') }, 'SET a = a + a'),
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
  });

  it('uses if_not_exists', () => {
    assert.deepEqual(update({}, 'SET a = if_not_exists(a, :v)', { ':v': N(2) }), { a: N(2) });
    assert.deepEqual(update({ a: N(5) }, 'SET a = if_not_exists(a, :v)', { ':v': N(2) }), { a: N(5) });
    assert.deepEqual(
      update({ c: N(9) }, 'SET b = if_not_exists(c, :v) + :one', { ':v': N(2), ':one': N(1) }),
      {
        c: N(9),
        b: N(10),
      },
    );
  });

  it('concatenates with list_append', () => {
    const values = { ':l': L(N(4), S('x')) };
    assert.deepEqual(update({ a: L(S('hi')) }, 'SET a = list_append(a, :l)', values), {
      a: L(S('hi'), N(4), S('x')),
    });
    assert.deepEqual(update({ a: L(S('hi')) }, 'SET a = list_append(:l, a)', values), {
      a: L(N(4), S('x'), S('hi')),
    });
    assert.deepEqual(update({}, 'SET a = list_append(if_not_exists(a, :e), :l)', { ...values, ':e': L() }), {
      a: L(N(4), S('x')),
    });
    throwsValidation(() => update({ a: S('x') }, 'SET a = list_append(a, :l)', values), WRONG_TYPE);
  });

  it('sets nested attributes in existing maps and lists', () => {
    const item: Item = {
      a: { M: { b: N(3), c: { L: [S('hi'), { M: { x: { M: { y: L(N(3), N(5), N(7)) } } } }] } } },
    };
    assert.deepEqual(
      update(item, 'SET a.c[1].#n.y[1] = :v, a.d = :w', { ':v': N(9), ':w': S('new') }, { '#n': 'x' }),
      {
        a: {
          M: { b: N(3), c: { L: [S('hi'), { M: { x: { M: { y: L(N(3), N(9), N(7)) } } } }] }, d: S('new') },
        },
      },
    );
  });

  it('keeps a name with a dot as one attribute', () => {
    assert.deepEqual(update({}, 'SET #a = :v', { ':v': N(3) }, { '#a': 'a.b' }), { 'a.b': N(3) });
  });

  it('refuses paths through missing or non-container attributes', () => {
    const item: Item = { a: S('hello'), b: L(S('hi')), m: { M: {} } };
    for (const text of [
      'SET a.c = :v',
      'SET b.c = :v',
      'SET c.c = :v',
      'SET a[0] = :v',
      'SET zz[0] = :v',
      'SET m.x.y = :v',
      'SET m[0] = :v',
    ]) {
      throwsValidation(() => update(item, text, { ':v': N(7) }), INVALID_PATH);
    }
    throwsValidation(() => update({}, 'SET c.c = :v', { ':v': N(7) }, undefined, false), INVALID_PATH);
  });

  it('appends past the end of a list, in index order', () => {
    const item: Item = { a: L(S('one'), S('two'), S('three')) };
    assert.deepEqual(update(item, 'SET a[7] = :v', { ':v': S('hello') }), {
      a: L(S('one'), S('two'), S('three'), S('hello')),
    });
    const values = { ':1': S('a1'), ':2': S('a2'), ':3': S('a3'), ':4': S('a4') };
    assert.deepEqual(update(item, 'SET a[84] = :1, a[37] = :2, a[17] = :3, a[50] = :4', values), {
      a: L(S('one'), S('two'), S('three'), S('a3'), S('a2'), S('a4'), S('a1')),
    });
    assert.deepEqual(update({ a: L() }, 'SET a[0] = :v', { ':v': S('first') }), { a: L(S('first')) });
  });
});

describe('applyUpdate: REMOVE', () => {
  it('removes attributes, map members and list elements', () => {
    const item: Item = {
      a: { M: { b: N(3), c: L(S('hi'), { M: { x: { M: { y: L(N(3), N(5), N(7)) } }, q: N(2) } }) } },
    };
    assert.deepEqual(update(item, 'REMOVE a.c[1].x.y[1], a.c[1].q'), {
      a: { M: { b: N(3), c: L(S('hi'), { M: { x: { M: { y: L(N(3), N(7)) } } } }) } },
    });
    assert.deepEqual(update({ a: S('x'), b: S('y') }, 'REMOVE a'), { b: S('y') });
  });

  it('uses the original indexes for every list action', () => {
    const item: Item = { a: L(N(2), N(3), N(4), N(5), N(6), N(7)) };
    assert.deepEqual(update(item, 'REMOVE a[1] SET a[3] = :v', { ':v': N(17) }), {
      a: L(N(2), N(4), N(17), N(6), N(7)),
    });
    assert.deepEqual(update(item, 'SET a[3] = :v REMOVE a[1]', { ':v': N(17) }), {
      a: L(N(2), N(4), N(17), N(6), N(7)),
    });
    assert.deepEqual(update(item, 'REMOVE a[0], a[2], a[4]'), { a: L(N(3), N(5), N(7)) });
    assert.deepEqual(update(item, 'REMOVE a[5], a[0]'), { a: L(N(3), N(4), N(5), N(6)) });
  });

  it('ignores indexes past the end and missing members', () => {
    assert.deepEqual(update({ a: L(N(4), N(5)) }, 'REMOVE a[17], z, a[1]'), { a: L(N(4)) });
    assert.deepEqual(update({ m: { M: { x: N(1) } } }, 'REMOVE m.y'), { m: { M: { x: N(1) } } });
  });

  it('leaves empty maps and lists in place', () => {
    assert.deepEqual(update({ a: { M: { b: N(1) } } }, 'REMOVE a.b'), { a: { M: {} } });
    assert.deepEqual(update({ a: L(N(1)) }, 'REMOVE a[0]'), { a: L() });
  });

  it('refuses unreachable paths on an existing item, but not on a new one', () => {
    const item: Item = { a: S('hello'), b: L(S('hi')) };
    for (const text of ['REMOVE a.c', 'REMOVE b.c', 'REMOVE c.c', 'REMOVE a[0]', 'REMOVE c[0]']) {
      throwsValidation(() => update(item, text), INVALID_PATH);
    }
    assert.deepEqual(update({ p: S('k') }, 'REMOVE x.y, z[0]', undefined, undefined, false), { p: S('k') });
  });
});

describe('applyUpdate: ADD and DELETE', () => {
  it('adds to numbers, starting from 0', () => {
    assert.deepEqual(update({ a: N(3) }, 'ADD a :v', { ':v': N(4) }), { a: N(7) });
    assert.deepEqual(update({}, 'ADD b :v', { ':v': N('-0.5') }), { b: N('-0.5') });
    assert.deepEqual(update({ m: { M: {} } }, 'ADD m.c :v', { ':v': N(1) }), { m: { M: { c: N(1) } } });
    throwsValidation(() => update({ b: S('hi') }, 'ADD b :v', { ':v': N(1) }), WRONG_TYPE);
  });

  it('adds members to sets', () => {
    assert.deepEqual(
      update({ a: { SS: ['dog', 'cat', 'mouse'] } }, 'ADD a :v', { ':v': { SS: ['pig', 'cat'] } }),
      {
        a: { SS: ['cat', 'dog', 'mouse', 'pig'] },
      },
    );
    assert.deepEqual(update({ a: { NS: ['1', '2'] } }, 'ADD a :v', { ':v': { NS: ['2.0', '3'] } }), {
      a: { NS: ['1', '2', '3'] },
    });
    assert.deepEqual(update({ a: { BS: [b64(1)] } }, 'ADD a :v', { ':v': { BS: [b64(1), b64(2)] } }), {
      a: { BS: [b64(1), b64(2)] },
    });
    assert.deepEqual(update({}, 'ADD b :v', { ':v': { SS: ['dog'] } }), { b: { SS: ['dog'] } });
    throwsValidation(() => update({ a: { SS: ['x'] } }, 'ADD a :v', { ':v': { NS: ['1'] } }), WRONG_TYPE);
    throwsValidation(() => update({ a: N(1) }, 'ADD a :v', { ':v': { NS: ['1'] } }), WRONG_TYPE);
  });

  it('deletes members from sets, removing an emptied set', () => {
    const item: Item = { p: S('k'), a: { SS: ['dog', 'cat', 'mouse'] }, b: S('hi') };
    assert.deepEqual(update(item, 'DELETE a :v', { ':v': { SS: ['cat', 'mouse'] } }), {
      p: S('k'),
      a: { SS: ['dog'] },
      b: S('hi'),
    });
    assert.deepEqual(update(item, 'DELETE a :v', { ':v': { SS: ['pig'] } }), item);
    assert.deepEqual(update(item, 'DELETE a :v', { ':v': { SS: ['dog', 'cat', 'mouse'] } }), {
      p: S('k'),
      b: S('hi'),
    });
    assert.deepEqual(update(item, 'DELETE zz :v', { ':v': { SS: ['dog'] } }), item);
    assert.deepEqual(update({ a: { NS: ['1', '20'] } }, 'DELETE a :v', { ':v': { NS: ['2E1'] } }), {
      a: { NS: ['1'] },
    });
    throwsValidation(() => update(item, 'DELETE b :v', { ':v': { SS: ['hi'] } }), WRONG_TYPE);
    throwsValidation(() => update(item, 'DELETE a :v', { ':v': { NS: ['1'] } }), WRONG_TYPE);
  });

  it('removes a set emptied inside a list, shifting the rest', () => {
    assert.deepEqual(update({ l: L({ SS: ['x'] }, N(1)) }, 'DELETE l[0] :v', { ':v': { SS: ['x'] } }), {
      l: L(N(1)),
    });
  });
});

describe('applyUpdate: general', () => {
  it('does not change the item it is given', () => {
    const item: Item = { a: L(N(1), N(2)), m: { M: { x: { SS: ['a'] } } }, n: N(1) };
    const before = structuredClone(item);
    const after = update(item, 'SET a[5] = :v, m.y = m.x REMOVE a[0] ADD n :one, m.x :ss', {
      ':v': N(9),
      ':one': N(1),
      ':ss': { SS: ['b'] },
    });
    assert.deepEqual(item, before);
    assert.deepEqual(after, {
      a: L(N(2), N(9)),
      m: { M: { x: { SS: ['a', 'b'] }, y: { SS: ['a'] } } },
      n: N(2),
    });
    // The copied value is independent of the source.
    assert.notEqual((after.m as { M: Item }).M.y, (after.m as { M: Item }).M.x);
  });

  it('applies PartiQL set_add and set_delete', () => {
    const actions = (kind: 'set_add' | 'set_delete', members: string[]): UpdateActions => ({
      set: [
        {
          path: ['s'],
          value: {
            kind,
            target: { kind: 'path', path: ['s'] },
            value: { kind: 'value', value: { SS: members } },
          },
        },
      ],
      remove: [],
      add: [],
      delete: [],
    });
    assert.deepEqual(applyUpdate(actions('set_add', ['b', 'c']), { s: { SS: ['a', 'b'] } }), {
      s: { SS: ['a', 'b', 'c'] },
    });
    assert.deepEqual(applyUpdate(actions('set_add', ['b']), {}), { s: { SS: ['b'] } });
    assert.deepEqual(applyUpdate(actions('set_delete', ['a']), { s: { SS: ['a', 'b'] } }), {
      s: { SS: ['b'] },
    });
    assert.deepEqual(applyUpdate(actions('set_delete', ['a', 'b']), { s: { SS: ['a', 'b'] }, t: N(1) }), {
      t: N(1),
    });
    throwsValidation(() => applyUpdate(actions('set_add', ['a']), { s: { NS: ['1'] } }), WRONG_TYPE);
  });
});

describe('applyUpdate: unusual names', () => {
  it('treats __proto__ and constructor as ordinary attribute names', () => {
    const names = { '#p': '__proto__', '#c': 'constructor' };
    const after = update({}, 'SET #p = :v, #c = :w', { ':v': S('x'), ':w': N(1) }, names);
    assert.deepEqual(Object.keys(after), ['__proto__', 'constructor']);
    assert.deepEqual(Object.getPrototypeOf(after), Object.prototype);
    throwsValidation(
      () => update({}, 'SET #c.x = :v', { ':v': S('x') }, { '#c': 'constructor' }),
      INVALID_PATH,
    );
  });
});
