// The nesting bound of the expression language, checked on the tokens before the recursive parser
// runs: parentheses and chains of NOT each nest the parser (and the AST, its lowering and its
// evaluation) one level deeper, and enough of them would exhaust the stack. A 4 KB expression can
// hold about 2,000 parentheses; DynamoDB's answer to one nested deeper than this bound is not
// documented beyond the redundant-parentheses refusal, which is given where it applies.
import { tokenMatcher, type IToken } from 'chevrotain';
import { ExpressionError, type ExpressionKind } from './errors.js';
import { AndKeyword, Comma, Identifier, LParen, NotKeyword, OrKeyword, RParen } from './lexer.js';

/**
 * Deepest nesting accepted: parentheses plus the NOTs pending at each of them. Far beyond what
 * hand-written or SDK-built expressions use, and well within what the parser, the AST builder,
 * the checks, the lowering and the evaluator can recurse through on Node's default stack.
 */
export const MAX_EXPRESSION_NESTING = 256;

/** How deep the tokens nest (parentheses and pending NOTs), scanning without recursion. */
export function nestingDepth(tokens: readonly IToken[]): number {
  // NOTs pending at each open parenthesis level; a NOT's operand ends at AND, OR, `,` or `)`.
  const pending: number[] = [0];
  let depth = 0;
  let max = 0;
  for (const t of tokens) {
    const type = t.tokenType;
    if (type === LParen) {
      pending.push(0);
      depth++;
    } else if (type === RParen) {
      if (pending.length > 1) depth -= 1 + pending.pop()!;
    } else if (type === NotKeyword) {
      pending[pending.length - 1]!++;
      depth++;
    } else if (type === AndKeyword || type === OrKeyword || type === Comma) {
      depth -= pending[pending.length - 1]!;
      pending[pending.length - 1] = 0;
    }
    if (depth > max) max = depth;
  }
  return max;
}

/**
 * True when a parenthesised group holds nothing but another parenthesised group, `((…))`, which
 * DynamoDB refuses as redundant (a function call's own parentheses do not count).
 */
export function hasDoubledParentheses(tokens: readonly IToken[]): boolean {
  const match = new Int32Array(tokens.length).fill(-1);
  const open: number[] = [];
  tokens.forEach((t, i) => {
    if (tokenMatcher(t, LParen)) open.push(i);
    else if (tokenMatcher(t, RParen) && open.length > 0) {
      const o = open.pop()!;
      match[o] = i;
    }
  });
  for (let i = 0; i + 1 < tokens.length; i++) {
    const close = match[i]!;
    if (close < 0 || !tokenMatcher(tokens[i + 1]!, LParen)) continue;
    if (i > 0 && tokenMatcher(tokens[i - 1]!, Identifier)) continue;
    if (match[i + 1] === close - 1) return true;
  }
  return false;
}

/** Refuses tokens nested past MAX_EXPRESSION_NESTING before they reach the recursive parser. */
export function checkNesting(kind: ExpressionKind, tokens: readonly IToken[]): void {
  const depth = nestingDepth(tokens);
  if (depth > MAX_EXPRESSION_NESTING) throw nestingError(kind, tokens, depth);
}

/** The refusal of an expression nested too deep (`depth` levels). */
export function nestingError(
  kind: ExpressionKind,
  tokens: readonly IToken[],
  depth: number,
): ExpressionError {
  const condition = kind !== 'UpdateExpression' && kind !== 'ProjectionExpression';
  if (condition && hasDoubledParentheses(tokens))
    return new ExpressionError(kind, 'The expression has redundant parentheses;');
  // DynamoDB's wording for this is unknown: modelled on its document-path nesting refusal (guess).
  return new ExpressionError(kind, `The expression has too many nesting levels; nesting levels: ${depth}`);
}
