// PartiQL statements nested deep (issue #23): refused as not well formed at any depth, by the fast
// path and by the Chevrotain parsers alike, never a stack overflow. The bound (brackets of every
// kind plus pending NOTs) is MAX_STATEMENT_NESTING; 100,000 levels are refused the same way.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_STATEMENT_NESTING, parseStatement, suggest } from '../../../grammar/partiql/index.js';
import { assertError, call, createSimpleTable, scratchEngine } from '../../support/engine.js';

const DEEP = 100_000;
const N = MAX_STATEMENT_NESTING;
const TOO_DEEP = "Statement wasn't well formed, can't be processed: nesting too deep";

const shapes: [string, (n: number) => string][] = [
  ['parentheses', (n) => `SELECT * FROM "T" WHERE ${'('.repeat(n)}pk = 'a'${')'.repeat(n)}`],
  ['nested conditions', (n) => `SELECT * FROM "T" WHERE ${'a = 1 AND ('.repeat(n)}pk = 'a'${')'.repeat(n)}`],
  ['NOTs', (n) => `SELECT * FROM "T" WHERE pk = 'a' AND ${'NOT '.repeat(n)}a = 1`],
  ['lists', (n) => `SELECT * FROM "T" WHERE pk = ${'['.repeat(n)}1${']'.repeat(n)}`],
  ['bags', (n) => `SELECT * FROM "T" WHERE pk = ${'<<'.repeat(n)}1${'>>'.repeat(n)}`],
  ['tuples', (n) => `INSERT INTO "T" VALUE ${"{'a': ".repeat(n)}1${'}'.repeat(n)}`],
];

describe('PartiQL nesting in the grammar', () => {
  for (const [name, make] of shapes) {
    it(`${name} 100,000 levels deep: not well formed, fast path or not`, () => {
      const text = make(DEEP);
      for (const fast of [true, false]) {
        const r = parseStatement(text, { fast });
        assert.equal(r.ok, false);
        if (!r.ok) assert.equal(r.errors[0]!.message, TOO_DEEP);
      }
    });
    it(`${name} ${N + 1} levels deep: refused at the token past the bound`, () => {
      const r = parseStatement(make(N + 1), { fast: true });
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.errors[0]!.message, TOO_DEEP);
        assert.ok(r.errors[0]!.offset > 0);
      }
    });
  }

  it(`${N} levels still parse`, () => {
    for (const [, make] of shapes.slice(0, 3)) {
      assert.equal(parseStatement(make(N), { fast: true }).ok, true);
      assert.equal(parseStatement(make(N)).ok, true);
    }
  });
});

describe('PartiQL nesting through the engine', () => {
  const e = scratchEngine();
  createSimpleTable(e, 'Things');
  call(e, 'PutItem', { TableName: 'Things', Item: { pk: { S: 'a' } } });

  it('4,000 parentheses (within 8 KB) are a ValidationException, and the engine keeps serving', () => {
    assertError(
      () =>
        call(e, 'ExecuteStatement', {
          Statement: `SELECT * FROM "Things" WHERE ${'('.repeat(4_000)}pk = 'a'${')'.repeat(4_000)}`,
        }),
      'ValidationException',
      TOO_DEEP,
    );
    assertError(
      () =>
        call(e, 'ExecuteStatement', {
          Statement: `SELECT * FROM "Things" WHERE pk = 'a' AND ${'NOT '.repeat(2_000)}a = 1`,
        }),
      'ValidationException',
      TOO_DEEP,
    );
    const out = call(e, 'ExecuteStatement', {
      Statement: `SELECT * FROM "Things" WHERE ${'('.repeat(N)}pk = 'a'${')'.repeat(N)}`,
    });
    assert.deepEqual(out.Items, [{ pk: { S: 'a' } }]);
  });
});

describe('PartiQL content assist on deep nesting', () => {
  const schema = { tables: () => ['T'], indexes: () => [], attributes: () => ['pk'] } as never;

  it('offers nothing past its bound, even 100,000 levels deep, instead of working for minutes', () => {
    const text = `SELECT * FROM "T" WHERE ${'('.repeat(DEEP)}`;
    assert.deepEqual(suggest(text, text.length, schema), []);
  });

  it('still offers suggestions inside a few parentheses', () => {
    const text = `SELECT * FROM "T" WHERE ${'('.repeat(3)}`;
    assert.ok(suggest(text, text.length, schema).length > 0);
  });
});
