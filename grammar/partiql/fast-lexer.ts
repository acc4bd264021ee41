// A hand-written scanner for the parse fast path: the same tokens as the Chevrotain lexer
// (lexer.ts) for every statement that lexes cleanly, several times faster. Anything it is not sure
// of — a character no token matches, an unterminated string or comment, an operator the grammar
// does not use — makes it give up (undefined), and parseStatement goes the Chevrotain way, which
// also produces the error. tests/unit/grammar/partiql-fast-path.test.ts compares the two lexers.
import type { IToken, TokenType } from 'chevrotain';
import * as T from './tokens.js';

// Character codes used below.
const TAB = 9;
const LF = 10;
const VT = 11;
const FF = 12;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const DOLLAR = 36;
const QUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const COLON = 58;
const SEMICOLON = 59;
const LESS = 60;
const EQUALS = 61;
const GREATER = 62;
const QUESTION = 63;
const UPPER_E = 69;
const LBRACKET = 91;
const RBRACKET = 93;
const UNDERSCORE = 95;
const LOWER_E = 101;
const LCURLY = 123;
const RCURLY = 125;

/** One-character tokens, by character code. */
const SINGLE: (TokenType | undefined)[] = [];
SINGLE[QUESTION] = T.Parameter;
SINGLE[EQUALS] = T.Equals;
SINGLE[PLUS] = T.Plus;
SINGLE[STAR] = T.Star;
SINGLE[LPAREN] = T.LParen;
SINGLE[RPAREN] = T.RParen;
SINGLE[LBRACKET] = T.LBracket;
SINGLE[RBRACKET] = T.RBracket;
SINGLE[LCURLY] = T.LCurly;
SINGLE[RCURLY] = T.RCurly;
SINGLE[COMMA] = T.Comma;
SINGLE[COLON] = T.Colon;
SINGLE[SEMICOLON] = T.Semicolon;
SINGLE[LESS] = T.Less;
SINGLE[GREATER] = T.Greater;
SINGLE[MINUS] = T.Minus;
SINGLE[DOT] = T.Dot;

/**
 * Two-character operators, by (first code × 256 + second code). They are tried before the
 * one-character tokens, as the Chevrotain lexer tries `<>`, `<=`, `>=`, `<<`, `>>` before `<`, `>`.
 */
const PAIRS = new Map<number, TokenType>([
  [LESS * 256 + GREATER, T.NotEquals],
  [BANG * 256 + EQUALS, T.NotEquals],
  [LESS * 256 + EQUALS, T.LessOrEqual],
  [GREATER * 256 + EQUALS, T.GreaterOrEqual],
  [LESS * 256 + LESS, T.LDoubleAngle],
  [GREATER * 256 + GREATER, T.RDoubleAngle],
]);

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === UNDERSCORE || c === DOLLAR;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || isDigit(c);
}

// Scanner state for the statement being tokenised (module-level rather than closures: transpilers
// that keep function names would otherwise wrap each closure on every call).
let source = '';
let line = 1;
/** Offset of the first character of the current line. */
let lineStart = 0;
let out: IToken[] = [];

/** Counts the line breaks in source[from, to) (\n, \r\n and a lone \r each end a line). */
function countLines(from: number, to: number): void {
  for (let k = from; k < to; k++) {
    const c = source.charCodeAt(k);
    if (c === LF || (c === CR && source.charCodeAt(k + 1) !== LF)) {
      line++;
      lineStart = k + 1;
    }
  }
}

/** Adds the token source[start, end); `multiline` when it may contain line breaks. */
function push(type: TokenType, start: number, end: number, multiline: boolean): void {
  const startLine = line;
  const startColumn = start - lineStart + 1;
  if (multiline) countLines(start, end);
  out.push({
    image: source.slice(start, end),
    startOffset: start,
    endOffset: end - 1,
    startLine,
    endLine: line,
    startColumn,
    endColumn: end - lineStart,
    tokenTypeIdx: type.tokenTypeIdx!,
    tokenType: type,
  });
}

/**
 * Tokens of `text` (keywords reclassified as tokenize() does), or undefined when the statement has
 * anything the Chevrotain lexer should handle. Comments are skipped: the parser never sees them.
 */
export function fastTokenize(text: string): IToken[] | undefined {
  source = text;
  line = 1;
  lineStart = 0;
  const tokens: IToken[] = (out = []);
  const n = text.length;
  let i = 0;

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === LF || c === CR || c === FF || c === VT) {
      let j = i + 1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d !== SPACE && d !== TAB && d !== LF && d !== CR && d !== FF && d !== VT) break;
      }
      countLines(i, j);
      i = j;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(text.charCodeAt(j))) j++;
      const image = text.slice(i, j);
      let type: TokenType =
        T.KEYWORD_TOKENS.get(image) ?? T.KEYWORD_TOKENS.get(image.toLowerCase()) ?? T.Identifier;
      if (
        tokens.length === 0 &&
        type === T.Identifier &&
        image.length === 7 &&
        image.toLowerCase() === 'explain'
      )
        type = T.Explain;
      tokens.push({
        image,
        startOffset: i,
        endOffset: j - 1,
        startLine: line,
        endLine: line,
        startColumn: i - lineStart + 1,
        endColumn: j - lineStart,
        tokenTypeIdx: type.tokenTypeIdx!,
        tokenType: type,
      });
      i = j;
      continue;
    }
    if (isDigit(c) || (c === DOT && isDigit(text.charCodeAt(i + 1)))) {
      // (?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?
      let j = i;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === DOT) {
        j++;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      const e = text.charCodeAt(j);
      if (e === LOWER_E || e === UPPER_E) {
        let k = j + 1;
        const sign = text.charCodeAt(k);
        if (sign === PLUS || sign === MINUS) k++;
        if (isDigit(text.charCodeAt(k))) {
          while (k < n && isDigit(text.charCodeAt(k))) k++;
          j = k;
        }
      }
      push(T.NumberLiteral, i, j, false);
      i = j;
      continue;
    }
    if (c === QUOTE || c === DQUOTE) {
      // '…' or "…", the quote doubled inside; unterminated ones are the Chevrotain lexer's to report.
      let j = i + 1;
      for (;;) {
        if (j >= n) return undefined;
        if (text.charCodeAt(j) === c) {
          if (text.charCodeAt(j + 1) === c) j += 2;
          else break;
        } else j++;
      }
      push(c === QUOTE ? T.StringLiteral : T.QuotedIdentifier, i, j + 1, true);
      i = j + 1;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    const pair = PAIRS.get(c * 256 + next);
    if (pair !== undefined) {
      push(pair, i, i + 2, false);
      i += 2;
      continue;
    }
    if (c === MINUS && next === MINUS) {
      // A line comment, up to (not including) the line break.
      let j = i + 2;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === LF || d === CR) break;
        j++;
      }
      i = j;
      continue;
    }
    if (c === SLASH && next === STAR) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      countLines(i, end + 2);
      i = end + 2;
      continue;
    }
    const single = SINGLE[c];
    if (single !== undefined) {
      push(single, i, i + 1, false);
      i++;
      continue;
    }
    // `/`, `%`, `||`, a lone `!`, anything else: the Chevrotain lexer's to lex or report.
    return undefined;
  }
  out = [];
  source = '';
  return tokens;
}
