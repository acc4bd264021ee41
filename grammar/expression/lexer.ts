// Tokens of DynamoDB's expression language. One vocabulary serves every expression kind; which
// words act as keywords depends on the kind (see `keywordsFor`), as in DynamoDB, where `ADD` is a
// keyword in an UpdateExpression but just a (reserved) attribute name in a ProjectionExpression.
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED });

/** Category for anything that can name a path element: a literal name or a `#name` placeholder. */
export const PathName = createToken({ name: 'PathName', pattern: Lexer.NA });
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z][A-Za-z0-9_]*/,
  categories: [PathName],
});
export const NameRef = createToken({ name: 'NameRef', pattern: /#[A-Za-z0-9_]+/, categories: [PathName] });
export const ValueRef = createToken({ name: 'ValueRef', pattern: /:[A-Za-z0-9_]+/ });
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /[0-9]+/ });

function keyword(word: string): TokenType {
  return createToken({
    name: word.charAt(0) + word.slice(1).toLowerCase() + 'Keyword',
    pattern: new RegExp(word, 'i'),
    longer_alt: Identifier,
    start_chars_hint: [word.charAt(0), word.charAt(0).toLowerCase()],
  });
}

export const AndKeyword = keyword('AND');
export const OrKeyword = keyword('OR');
export const NotKeyword = keyword('NOT');
export const BetweenKeyword = keyword('BETWEEN');
export const InKeyword = keyword('IN');
export const SetKeyword = keyword('SET');
export const RemoveKeyword = keyword('REMOVE');
export const AddKeyword = keyword('ADD');
export const DeleteKeyword = keyword('DELETE');

export const Comparator = createToken({ name: 'Comparator', pattern: Lexer.NA });
export const NotEqual = createToken({ name: 'NotEqual', pattern: '<>', categories: [Comparator] });
export const LessEqual = createToken({ name: 'LessEqual', pattern: '<=', categories: [Comparator] });
export const GreaterEqual = createToken({ name: 'GreaterEqual', pattern: '>=', categories: [Comparator] });
export const Less = createToken({ name: 'Less', pattern: '<', categories: [Comparator] });
export const Greater = createToken({ name: 'Greater', pattern: '>', categories: [Comparator] });
export const Equals = createToken({ name: 'Equals', pattern: '=', categories: [Comparator] });

export const ArithmeticOperator = createToken({ name: 'ArithmeticOperator', pattern: Lexer.NA });
export const Plus = createToken({ name: 'Plus', pattern: '+', categories: [ArithmeticOperator] });
export const Minus = createToken({ name: 'Minus', pattern: '-', categories: [ArithmeticOperator] });

export const LParen = createToken({ name: 'LParen', pattern: '(' });
export const RParen = createToken({ name: 'RParen', pattern: ')' });
export const LBracket = createToken({ name: 'LBracket', pattern: '[' });
export const RBracket = createToken({ name: 'RBracket', pattern: ']' });
export const Comma = createToken({ name: 'Comma', pattern: ',' });
export const Dot = createToken({ name: 'Dot', pattern: '.' });

/**
 * Any other single character. DynamoDB reports such a character as the offending token of a syntax
 * error (`token: "_"`), so it is kept as a token and left for the parser to reject.
 */
// A full character range rather than [^] or [\s\S], which defeat Chevrotain's first-char optimisation.
// eslint-disable-next-line no-control-regex
export const Unknown = createToken({ name: 'Unknown', pattern: /[\u0000-\uffff]/ });

const KEYWORDS = [
  AndKeyword,
  OrKeyword,
  NotKeyword,
  BetweenKeyword,
  InKeyword,
  SetKeyword,
  RemoveKeyword,
  AddKeyword,
  DeleteKeyword,
];

export const allTokens: TokenType[] = [
  WhiteSpace,
  PathName,
  Comparator,
  ArithmeticOperator,
  ...KEYWORDS,
  Identifier,
  NameRef,
  ValueRef,
  NumberLiteral,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Equals,
  Plus,
  Minus,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
  Unknown,
];

// Built on first use: constructing a Chevrotain lexer analyses every token pattern, which costs
// milliseconds that a process starting up (or one that never reads an expression) need not pay.
let lexer: Lexer | undefined;
/** The Chevrotain lexer (exported for the tests that hold the fast path to it). */
export function expressionLexer(): Lexer {
  return (lexer ??= new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true }));
}

/** Which grammar a text is read with. */
export type GrammarKind = 'condition' | 'update' | 'projection';

function keywordsFor(grammar: GrammarKind): readonly TokenType[] {
  if (grammar === 'condition') return [AndKeyword, OrKeyword, NotKeyword, BetweenKeyword, InKeyword];
  if (grammar === 'update') return [SetKeyword, RemoveKeyword, AddKeyword, DeleteKeyword];
  return [];
}

/**
 * Splits a text into tokens. Keywords that the given grammar does not use are turned back into
 * plain identifiers, so that they read as attribute names (and are then refused as reserved words).
 */
export function tokenize(text: string, grammar: GrammarKind): IToken[] {
  const active = new Set(keywordsFor(grammar));
  const tokens = fastTokenize(text) ?? expressionLexer().tokenize(text).tokens;
  return tokens.map((token): IToken => {
    if (!KEYWORDS.includes(token.tokenType) || active.has(token.tokenType)) return token;
    return { ...token, tokenType: Identifier, tokenTypeIdx: Identifier.tokenTypeIdx! };
  });
}

// ── The fast path ──────────────────────────────────────────────────────────────────────────────────
// A hand-written scanner giving the very tokens the Chevrotain lexer above gives (same objects:
// image, startOffset, tokenTypeIdx, tokenType), for texts made only of the characters an
// expression that parses can hold; on any other character (the lexer's Unknown token, which the
// parser always refuses) it gives up and the Chevrotain lexer runs. It saves building that lexer
// in a process that only ever reads well-formed expressions, and is faster per call.

const KEYWORD_BY_WORD = new Map<string, TokenType>(
  KEYWORDS.map((type) => [type.name.slice(0, -'Keyword'.length).toUpperCase(), type]),
);

/** Single-character tokens (the comparators of two characters are handled apart). */
const SINGLE = new Map<string, TokenType>([
  ['=', Equals],
  ['+', Plus],
  ['-', Minus],
  ['(', LParen],
  [')', RParen],
  ['[', LBracket],
  [']', RBracket],
  [',', Comma],
  ['.', Dot],
]);

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** [A-Za-z0-9_] */
function isWordChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95;
}

function token(image: string, startOffset: number, tokenType: TokenType): IToken {
  return { image, startOffset, tokenTypeIdx: tokenType.tokenTypeIdx!, tokenType } as IToken;
}

/** The Chevrotain lexer's tokens for `text`, or undefined where it would produce an Unknown token. */
export function fastTokenize(text: string): IToken[] | undefined {
  const tokens: IToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const start = i;
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (isLetter(c)) {
      // A keyword matches only as a whole word: a longer word is an Identifier (longer_alt).
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      const image = text.slice(start, i);
      const keyword = image.length <= 7 ? KEYWORD_BY_WORD.get(image.toUpperCase()) : undefined;
      tokens.push(token(image, start, keyword ?? Identifier));
      continue;
    }
    if (isDigit(c)) {
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      tokens.push(token(text.slice(start, i), start, NumberLiteral));
      continue;
    }
    if (c === 35 /* # */ || c === 58 /* : */) {
      i++;
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      if (i === start + 1) return undefined;
      tokens.push(token(text.slice(start, i), start, c === 35 ? NameRef : ValueRef));
      continue;
    }
    if (c === 60 /* < */ || c === 62 /* > */) {
      const next = text.charCodeAt(i + 1);
      let type: TokenType;
      if (c === 60 && next === 62) type = NotEqual;
      else if (next === 61) type = c === 60 ? LessEqual : GreaterEqual;
      else type = c === 60 ? Less : Greater;
      i += type === Less || type === Greater ? 1 : 2;
      tokens.push(token(text.slice(start, i), start, type));
      continue;
    }
    const single = SINGLE.get(text[i]!);
    if (single === undefined) return undefined;
    i++;
    tokens.push(token(text[start]!, start, single));
  }
  return tokens;
}
