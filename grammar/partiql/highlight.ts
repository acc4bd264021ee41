// Token categories for syntax highlighting (shell and Monaco).
import { tokenMatcher } from 'chevrotain';
import type { IToken } from 'chevrotain';
import { tokenize } from './lexer.js';
import * as T from './tokens.js';

export type HighlightCategory =
  | 'keyword'
  | 'string'
  | 'number'
  | 'identifier'
  | 'quotedIdentifier'
  | 'operator'
  | 'comment'
  | 'parameter'
  | 'punctuation'
  | 'function';

export interface HighlightToken {
  offset: number;
  length: number;
  category: HighlightCategory;
}

function categoryOf(token: IToken, next: IToken | undefined): HighlightCategory {
  const type = token.tokenType;
  if (type === T.StringLiteral || type === T.UnterminatedString) return 'string';
  if (type === T.NumberLiteral) return 'number';
  if (type === T.Parameter) return 'parameter';
  if (type === T.LineComment || type === T.BlockComment || type === T.UnterminatedBlockComment)
    return 'comment';
  const callee = next !== undefined && next.tokenType === T.LParen;
  if (type === T.QuotedIdentifier || type === T.UnterminatedQuotedIdentifier) return 'quotedIdentifier';
  if (type === T.Identifier) return callee ? 'function' : 'identifier';
  if (tokenMatcher(token, T.Keyword)) {
    if (callee && (tokenMatcher(token, T.FunctionKeyword) || tokenMatcher(token, T.TypeFunctionKeyword))) {
      return 'function';
    }
    return 'keyword';
  }
  if (tokenMatcher(token, T.BinaryOperator) || type === T.Star || type === T.OtherOperator) return 'operator';
  if (type === T.LDoubleAngle || type === T.RDoubleAngle) return 'punctuation';
  return 'punctuation';
}

/**
 * Every token of `text` (comments and unterminated literals included) in source order, with a
 * highlighting category. Characters no token matches are left out. Never throws.
 */
export function highlightTokens(text: string): HighlightToken[] {
  const lexed = tokenize(text);
  const all = lexed.tokens.concat(lexed.comments, lexed.invalid);
  if (lexed.comments.length || lexed.invalid.length) all.sort((a, b) => a.startOffset - b.startOffset);
  // A function name is a word followed by '(' (comments in between do not count).
  const code = lexed.tokens;
  const out: HighlightToken[] = new Array(all.length);
  let ci = 0;
  for (let i = 0; i < all.length; i++) {
    const token = all[i]!;
    let next: IToken | undefined;
    if (ci < code.length && code[ci] === token) {
      next = code[ci + 1];
      ci++;
    }
    out[i] = {
      offset: token.startOffset,
      length: (token.endOffset ?? token.startOffset) - token.startOffset + 1,
      category: categoryOf(token, next),
    };
  }
  return out;
}
