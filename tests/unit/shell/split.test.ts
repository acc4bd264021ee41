import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBlank, splitScript } from '../../../main/shell/split.js';

const texts = (input: string) => splitScript(input).pieces.map((p) => [p.kind, p.text]);

describe('splitScript', () => {
  it('splits statements at semicolons and drops the semicolon', () => {
    assert.deepEqual(texts('SELECT * FROM a; SELECT * FROM b;'), [
      ['statement', 'SELECT * FROM a'],
      ['statement', 'SELECT * FROM b'],
    ]);
  });

  it('keeps semicolons inside strings, quoted names and comments', () => {
    const input = `SELECT * FROM "a;b" WHERE x = 'it''s; fine' -- c;omment\n AND y = 1 /* ; */;\nSELECT 1`;
    const { pieces, incomplete } = splitScript(input);
    assert.equal(pieces.length, 2);
    assert.equal(
      pieces[0]!.text,
      `SELECT * FROM "a;b" WHERE x = 'it''s; fine' -- c;omment\n AND y = 1 /* ; */`,
    );
    assert.equal(pieces[1]!.text, 'SELECT 1');
    assert.equal(pieces[1]!.terminated, false);
    assert.equal(incomplete, true);
  });

  it('reads a line starting with . as a meta-command, up to the line end or a ;', () => {
    assert.deepEqual(texts('.mode json\nSELECT 1;\n  .timing on; SELECT 2;'), [
      ['meta', '.mode json'],
      ['statement', 'SELECT 1'],
      ['meta', '.timing on'],
      ['statement', 'SELECT 2'],
    ]);
    assert.deepEqual(texts(".params 'a;b' 2"), [['meta', ".params 'a;b' 2"]]);
  });

  it('does not take a . inside a statement for a meta-command', () => {
    assert.deepEqual(texts('SELECT a\n.b FROM t;'), [['statement', 'SELECT a\n.b FROM t']]);
  });

  it('reports unfinished input: no semicolon, open string, open comment', () => {
    assert.equal(splitScript('SELECT 1').incomplete, true);
    assert.equal(splitScript("SELECT 'abc;").incomplete, true);
    assert.equal(splitScript('SELECT 1; /* open').incomplete, true);
    assert.equal(splitScript('SELECT 1;').incomplete, false);
    assert.equal(splitScript('.tables').incomplete, false);
    assert.equal(splitScript('  -- only a comment\n').incomplete, false);
  });

  it('skips empty statements and gives each piece its line', () => {
    const { pieces } = splitScript('\n\n;;SELECT 1;\n-- note\n\nSELECT\n 2;');
    assert.deepEqual(
      pieces.map((p) => [p.text, p.line]),
      [
        ['SELECT 1', 3],
        ['SELECT\n 2', 6],
      ],
    );
  });

  it('isBlank: only blanks and comments', () => {
    assert.equal(isBlank('  -- x\n /* y */ '), true);
    assert.equal(isBlank(' ; '), true);
    assert.equal(isBlank('SELECT'), false);
  });
});
