// The parse fast path (fast-lexer.ts, fast-parser.ts) must agree with the Chevrotain lexer and
// parser on every statement: same tokens, same CST, same parse result. Each grammar test runs its
// statement through assertFastPathAgrees; fast-path.test.ts adds generated statements.
import assert from 'node:assert/strict';
import type { CstElement, CstNode, IToken } from 'chevrotain';
import { fastTokenize } from '../../../grammar/partiql/fast-lexer.js';
import { fastParse } from '../../../grammar/partiql/fast-parser.js';
import { parseStatement } from '../../../grammar/partiql/index.js';
import { tokenize } from '../../../grammar/partiql/lexer.js';
import { strictParser } from '../../../grammar/partiql/parser.js';

function tokenFields(t: IToken): unknown {
  return {
    image: t.image,
    type: t.tokenType.name,
    tokenTypeIdx: t.tokenTypeIdx,
    startOffset: t.startOffset,
    endOffset: t.endOffset,
    startLine: t.startLine,
    startColumn: t.startColumn,
    endLine: t.endLine,
    endColumn: t.endColumn,
  };
}

function isToken(e: CstElement): e is IToken {
  return 'tokenType' in e;
}

/** A CST as plain data: rule names, children keys (sorted) and tokens by their fields. */
function plainCst(e: CstElement): unknown {
  if (isToken(e)) return tokenFields(e);
  const n = e as CstNode;
  const children: Record<string, unknown> = {};
  for (const key of Object.keys(n.children).sort()) children[key] = n.children[key]!.map(plainCst);
  return { name: n.name, children };
}

export interface FastPathOutcome {
  /** The fast lexer produced tokens. */
  lexed: boolean;
  /** The fast parser produced a CST. */
  parsed: boolean;
}

/** Asserts that both paths agree on `text`; says how far the fast path went. */
export function assertFastPathAgrees(text: string): FastPathOutcome {
  const chevrotain = tokenize(text);
  const lexedCleanly = chevrotain.errors.length === 0 && chevrotain.invalid.length === 0;
  const fastTokens = fastTokenize(text);
  if (fastTokens) {
    assert.ok(lexedCleanly, `fast lexer accepted what the lexer refuses: ${JSON.stringify(text)}`);
    assert.deepEqual(fastTokens.map(tokenFields), chevrotain.tokens.map(tokenFields), 'tokens');
  }
  let parsed = false;
  if (lexedCleanly) {
    const strict = strictParser();
    strict.input = chevrotain.tokens;
    const cst = strict.statement();
    const chevrotainParsed = strict.errors.length === 0;
    const fastCst = fastParse(chevrotain.tokens);
    if (fastCst) {
      assert.ok(chevrotainParsed, `fast parser accepted what the parser refuses: ${JSON.stringify(text)}`);
      assert.deepEqual(plainCst(fastCst), plainCst(cst), 'CST');
      parsed = true;
    } else {
      assert.ok(!chevrotainParsed, `fast parser gave up on a statement that parses: ${JSON.stringify(text)}`);
    }
  }
  assert.deepEqual(parseStatement(text, { fast: true }), parseStatement(text), 'parse result');
  return { lexed: fastTokens !== undefined, parsed };
}
