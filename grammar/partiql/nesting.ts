// The nesting bound of PartiQL statements, checked on the tokens before the recursive parsers run:
// brackets of every kind and chains of NOT each nest the parser (and the AST, its validation, its
// lowering and evaluation) one level deeper, and an 8 KB statement could hold thousands. DynamoDB's
// answer to such a statement is not documented; the refusal below is a guess in its syntax-error
// form.
import type { IToken, TokenType } from 'chevrotain';
import { NOT_WELL_FORMED, tokenPosition, type PartiqlSyntaxError } from './errors.js';
import * as T from './tokens.js';

/** Deepest nesting accepted: open brackets plus the NOTs pending at each of them. */
export const MAX_STATEMENT_NESTING = 256;

/** What each token does to the nesting; tokens not listed do nothing (checked on every parse). */
const OPEN = 1;
const CLOSE = 2;
const NOT = 3;
const END_OF_OPERAND = 4;
const EFFECT: ReadonlyMap<TokenType, number> = new Map([
  [T.LParen, OPEN],
  [T.LBracket, OPEN],
  [T.LCurly, OPEN],
  [T.LDoubleAngle, OPEN],
  [T.RParen, CLOSE],
  [T.RBracket, CLOSE],
  [T.RCurly, CLOSE],
  [T.RDoubleAngle, CLOSE],
  [T.Not, NOT],
  [T.And, END_OF_OPERAND],
  [T.Or, END_OF_OPERAND],
  [T.Comma, END_OF_OPERAND],
]);

/** True when the tokens nest deeper than `limit` (brackets plus pending NOTs). */
export function nestsDeeperThan(tokens: readonly IToken[], limit: number): boolean {
  return tooDeepAt(tokens, limit) !== undefined;
}

/** The first token past the bound, or undefined when the statement nests no deeper than it. */
function tooDeepAt(tokens: readonly IToken[], limit: number): IToken | undefined {
  // NOTs pending at each open bracket level; a NOT's operand ends at AND, OR or `,`.
  const pending: number[] = [0];
  let depth = 0;
  for (const t of tokens) {
    const effect = EFFECT.get(t.tokenType);
    if (effect === undefined) continue;
    if (effect === OPEN) {
      pending.push(0);
      depth++;
    } else if (effect === CLOSE) {
      if (pending.length > 1) depth -= 1 + pending.pop()!;
    } else if (effect === NOT) {
      pending[pending.length - 1]!++;
      depth++;
    } else {
      depth -= pending[pending.length - 1]!;
      pending[pending.length - 1] = 0;
    }
    if (depth > limit) return t;
  }
  return undefined;
}

/** The refusal of a statement nested too deep, at `token` (or the end of the statement). */
export function nestingError(text: string, token: IToken | undefined): PartiqlSyntaxError {
  return {
    message: `${NOT_WELL_FORMED}nesting too deep`,
    kind: 'syntax',
    hint: `Nested more than ${MAX_STATEMENT_NESTING} levels deep (brackets and NOTs)`,
    ...tokenPosition(token, text),
  };
}

/** The refusal of a statement whose tokens nest past MAX_STATEMENT_NESTING, or undefined. */
export function checkNesting(text: string, tokens: readonly IToken[]): PartiqlSyntaxError | undefined {
  const at = tooDeepAt(tokens, MAX_STATEMENT_NESTING);
  return at ? nestingError(text, at) : undefined;
}
