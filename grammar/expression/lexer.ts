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
function expressionLexer(): Lexer {
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
  return expressionLexer()
    .tokenize(text)
    .tokens.map((token): IToken => {
      if (!KEYWORDS.includes(token.tokenType) || active.has(token.tokenType)) return token;
      return { ...token, tokenType: Identifier, tokenTypeIdx: Identifier.tokenTypeIdx! };
    });
}
