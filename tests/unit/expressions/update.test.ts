// UpdateExpression: checks that need the request's names and values, and the IR it lowers to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUpdate } from '../../../engine/expressions/index.js';
import { attrs, throwsValidation } from './helpers.js';

const VALUES = {
  ':v': { S: 'x' },
  ':n': { N: '1' },
  ':l': { L: [{ N: '1' }] },
  ':m': { M: {} },
  ':ss': { SS: ['a'] },
  ':ns': { NS: ['1'] },
  ':b': { B: 'AQ==' },
  ':bool': { BOOL: false },
};

function parse(text: string, names?: Record<string, string>) {
  return parseUpdate(text, attrs(names, VALUES));
}

function fails(text: string, detail: string, names?: Record<string, string>) {
  throwsValidation(() => parse(text, names), `Invalid UpdateExpression: ${detail}`);
}

const overlap = (one: string, two: string) =>
  `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`;
const conflict = (one: string, two: string) =>
  `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`;

describe('parseUpdate: overlapping and conflicting paths', () => {
  const overlapping: [string, string, string][] = [
    ['SET a = :v REMOVE a', '[a]', '[a]'],
    ['REMOVE a SET a = :v', '[a]', '[a]'],
    ['SET fieldx = :v, fieldx = :n', '[fieldx]', '[fieldx]'],
    ['SET mapx = :m, mapx.num = :n', '[mapx]', '[mapx, num]'],
    ['SET a.b = :v, a = :n', '[a, b]', '[a]'],
    ['SET a.b = :v, a.b.c.d.e = :n', '[a, b]', '[a, b, c, d, e]'],
    ['SET lst[0] = :v, lst[0].ok = :v', '[lst, [0]]', '[lst, [0], ok]'],
    ['SET a[1][1][1][1] = :v, a[1][1] = :n', '[a, [1], [1], [1], [1]]', '[a, [1], [1]]'],
    ['ADD n :n DELETE n :ss', '[n]', '[n]'],
    ['SET a = :v ADD b :n REMOVE a.c', '[a]', '[a, c]'],
  ];
  for (const [text, one, two] of overlapping) {
    it(text, () => fails(text, overlap(one, two)));
  }

  it('compares paths after resolving names', () => {
    fails('SET #a1 = :v, #a2 = :n', overlap('[a]', '[a]'), { '#a1': 'a', '#a2': 'a' });
    fails('SET #attribute = :v, fieldx = :v', overlap('[fieldx]', '[fieldx]'), { '#attribute': 'fieldx' });
  });

  it('refuses a map and a list use of the same element', () => {
    fails('SET a.b = :v, a[1] = :n', conflict('[a, b]', '[a, [1]]'));
    fails('SET a.b.c = :v, a.b[2] = :n', conflict('[a, b, c]', '[a, b, [2]]'));
  });

  it('accepts paths that only share a prefix', () => {
    parse('SET a.b = :v, a.c.d = :n, b.x = :v REMOVE a.x, b.y');
    parse('SET a[1] = :v, a[2] = :n REMOVE a[3]');
    parse('REMOVE a SET b = a');
  });
});

describe('parseUpdate: operand types', () => {
  it('refuses ADD and DELETE operands of the wrong type', () => {
    fails(
      'ADD numx :l',
      'Incorrect operand type for operator or function; operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND',
    );
    fails(
      'ADD a :v',
      'Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND',
    );
    fails(
      'ADD a :m',
      'Incorrect operand type for operator or function; operator: ADD, operand type: MAP, typeSet: ALLOWED_FOR_ADD_OPERAND',
    );
    fails(
      'DELETE setx :v',
      'Incorrect operand type for operator or function; operator: DELETE, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND',
    );
    fails(
      'DELETE setx :n',
      'Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_ADD_OPERAND',
    );
    parse('ADD a :n, b :ss, c :ns DELETE d :ss');
  });

  it('refuses constants of the wrong type in + - and list_append', () => {
    fails(
      'SET a = :v + :n',
      'Incorrect operand type for operator or function; operator or function: +, operand type: S',
    );
    fails(
      'SET a = b - :l',
      'Incorrect operand type for operator or function; operator or function: -, operand type: L',
    );
    fails(
      'SET a = if_not_exists(b, :v) + :n',
      'Incorrect operand type for operator or function; operator or function: +, operand type: S',
    );
    fails(
      'SET a = list_append(:l, :v)',
      'Incorrect operand type for operator or function; operator or function: list_append, operand type: S',
    );
    parse('SET a = b + c, d = list_append(e, :l), f = if_not_exists(g, :n) - :n');
  });

  it('reports path problems before operand types', () => {
    fails('SET a = :v + :n, a = :n', overlap('[a]', '[a]'));
  });
});

describe('parseUpdate: IR', () => {
  it('lowers each clause', () => {
    const actions = parse(
      'SET #a[2] = if_not_exists(b, :n) + :n, c = list_append(c, :l) REMOVE d.e, f[0] ADD g :n DELETE h :ss',
      {
        '#a': 'x.y',
      },
    );
    assert.deepEqual(actions, {
      set: [
        {
          path: ['x.y', 2],
          value: {
            kind: 'arithmetic',
            op: '+',
            left: { kind: 'if_not_exists', path: ['b'], fallback: { kind: 'value', value: { N: '1' } } },
            right: { kind: 'value', value: { N: '1' } },
          },
        },
        {
          path: ['c'],
          value: {
            kind: 'list_append',
            left: { kind: 'path', path: ['c'] },
            right: { kind: 'value', value: { L: [{ N: '1' }] } },
          },
        },
      ],
      remove: [
        ['d', 'e'],
        ['f', 0],
      ],
      add: [{ path: ['g'], value: { kind: 'value', value: { N: '1' } } }],
      delete: [{ path: ['h'], value: { kind: 'value', value: { SS: ['a'] } } }],
    });
  });
});
