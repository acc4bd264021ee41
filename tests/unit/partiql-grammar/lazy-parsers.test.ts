// Chevrotain parsers are built on first use, not when the grammar modules load: building one runs
// Chevrotain's grammar analysis (tens of milliseconds), which a server starting up or a statement
// taking the hand-written fast path should not pay for. Each construction is seen by wrapping
// performSelfAnalysis before the grammar modules are imported (node --test runs each file in a
// process of its own, so nothing has built them yet).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CstParser } from 'chevrotain';

const built: string[] = [];
const analyse = CstParser.prototype['performSelfAnalysis'] as (this: CstParser) => void;
CstParser.prototype['performSelfAnalysis'] = function (this: CstParser): void {
  built.push(this.constructor.name);
  analyse.call(this);
};

const partiql = await import('../../../grammar/partiql/index.js');
const expression = await import('../../../grammar/expression/index.js');
await import('../../../engine/index.js');

describe('lazy Chevrotain parsers', () => {
  it('importing the grammars and the engine builds no parser', () => {
    assert.deepEqual(built, []);
  });

  it('a statement the fast path parses builds no parser', () => {
    const result = partiql.parseStatement(`SELECT * FROM "Orders" WHERE pk = 'a' AND sk > 3`, { fast: true });
    assert.equal(result.ok, true);
    assert.deepEqual(built, []);
  });

  it('a statement with a syntax error builds the parsers once, and they are reused', () => {
    for (let i = 0; i < 3; i++) {
      const result = partiql.parseStatement('SELECT * FORM t', { fast: true });
      assert.equal(result.ok, false);
    }
    assert.deepEqual(built, ['PartiqlParser', 'PartiqlParser']);
  });

  it('content assist reuses the recovering parser', () => {
    const schema = { tables: () => ['Orders'], indexes: () => [], attributes: () => [] };
    assert.ok(partiql.suggest('SELECT * FROM ', 14, schema).some((s) => s.label === 'Orders'));
    assert.equal(built.filter((n) => n === 'PartiqlParser').length, 2);
  });

  it('expressions that parse build no parser (the fast path); the first that does not builds it once', () => {
    expression.parseConditionExpression('a = :b AND attribute_exists(c)');
    expression.parseUpdateExpression('SET a = :b, c = c + :d REMOVE x');
    expression.parseProjectionExpression('a, b.c[1], #d');
    assert.equal(built.includes('ExpressionParser'), false);
    for (let i = 0; i < 3; i++)
      assert.throws(() => expression.parseConditionExpression('a = = :b'), /Syntax error; token: "="/);
    assert.equal(built.filter((n) => n === 'ExpressionParser').length, 1);
  });
});
