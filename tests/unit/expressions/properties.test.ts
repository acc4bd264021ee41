// Property-based checks: precedence of parsed conditions, number and string ordering, and that
// updates and projections leave their input alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  applyUpdate,
  compareValues,
  evaluateCondition,
  parseCondition,
  parseUpdate,
  projectItem,
} from '../../../engine/expressions/index.js';
import type { Item } from '../../../engine/types.js';
import { attrs } from './helpers.js';

/** A boolean formula over the leaves t (true: `x = :one`) and f (false: `x = :two`). */
type Formula =
  | { op: 'leaf'; value: boolean }
  | { op: 'not'; arg: Formula }
  | { op: 'and' | 'or'; left: Formula; right: Formula };

const formula: fc.Arbitrary<Formula> = fc.letrec<{ f: Formula }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.boolean().map((value): Formula => ({ op: 'leaf', value })),
    tie('f').map((arg): Formula => ({ op: 'not', arg })),
    fc.record({ op: fc.constantFrom('and' as const, 'or' as const), left: tie('f'), right: tie('f') }),
  ),
})).f;

function truth(f: Formula): boolean {
  if (f.op === 'leaf') return f.value;
  if (f.op === 'not') return !truth(f.arg);
  return f.op === 'and' ? truth(f.left) && truth(f.right) : truth(f.left) || truth(f.right);
}

/** Prints with the fewest parentheses DynamoDB's precedence allows (never doubled). */
function print(f: Formula, parent: 'top' | 'or' | 'and' | 'not'): string {
  if (f.op === 'leaf') return f.value ? 'x = :one' : 'x = :two';
  if (f.op === 'not') return `NOT ${print(f.arg, 'not')}`;
  const text = `${print(f.left, f.op)} ${f.op.toUpperCase()} ${print(f.right, f.op)}`;
  const needsParens = parent === 'not' || (parent === 'and' && f.op === 'or') || parent === f.op;
  return needsParens ? `(${text})` : text;
}

describe('properties', () => {
  it('parses AND, OR and NOT with DynamoDB precedence', () => {
    const item: Item = { x: { N: '1' } };
    fc.assert(
      fc.property(formula, (f) => {
        const text = print(f, 'top');
        fc.pre(text.includes(':one') && text.includes(':two') && text.length < 4000);
        const values = { ':one': { N: '1' }, ':two': { N: '2' } };
        const condition = parseCondition(text, attrs(undefined, values), 'ConditionExpression');
        assert.equal(evaluateCondition(condition, item), truth(f), text);
      }),
      { numRuns: 300 },
    );
  });

  it('orders equal negative numbers as equal (0, not -0)', () => {
    assert.equal(compareValues({ N: '-0.002' }, { N: '-0.0020' }), 0);
    assert.equal(compareValues({ N: '-5' }, { N: '-5' }), 0);
  });

  it('orders numbers exactly', () => {
    const decimal = fc
      .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 8 }))
      .map(([digits, scale]) => ({ digits, scale }));
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const text = (d: { digits: bigint; scale: number }) => {
          const negative = d.digits < 0n;
          const s = (negative ? -d.digits : d.digits).toString().padStart(d.scale + 1, '0');
          const body = d.scale ? `${s.slice(0, -d.scale)}.${s.slice(-d.scale)}` : s;
          return negative ? `-${body}` : body;
        };
        const scaled = (d: { digits: bigint; scale: number }) => d.digits * 10n ** BigInt(8 - d.scale);
        const expected = Math.sign(Number(scaled(a) - scaled(b)));
        assert.equal(Math.sign(compareValues({ N: text(a) }, { N: text(b) })!), expected);
      }),
      { numRuns: 500 },
    );
  });

  it('orders strings by UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const expected = Buffer.compare(Buffer.from(a), Buffer.from(b));
        assert.equal(Math.sign(compareValues({ S: a }, { S: b })!), expected);
      }),
    );
  });

  it('never changes the item given to applyUpdate or projectItem', () => {
    const value = fc.oneof(
      fc.string().map((S) => ({ S })),
      fc.integer().map((n) => ({ N: String(n) })),
      fc
        .array(
          fc.integer().map((n) => ({ N: String(n) })),
          { maxLength: 4 },
        )
        .map((L) => ({ L })),
    );
    const item = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), value, { noNullPrototype: true });
    fc.assert(
      fc.property(item, (it) => {
        const before = structuredClone(it);
        try {
          applyUpdate(
            parseUpdate('SET a = :v, e = b REMOVE c, d[0]', attrs(undefined, { ':v': { S: 'new' } })),
            it,
          );
        } catch {
          // Invalid paths or missing operands are fine; only mutation matters here.
        }
        projectItem(it, [['a'], ['d', 1], ['b']]);
        assert.deepEqual(it, before);
      }),
    );
  });
});
