// Token vocabulary of DynamoDB's PartiQL dialect.
//
// DynamoDB parses PartiQL with the reference PartiQL parser, whose lexer treats every SQL-92 word and
// every PartiQL addition as a reserved keyword. That is why `WHERE value = 1` or `m.inner` fail on
// DynamoDB while `"value"` and `m."inner"` work. The lexer here matches words with one Identifier
// pattern and then reclassifies reserved words (see lexer.ts): one token type per keyword the grammar
// uses, and four generic types for the rest, grouped by what the grammar may do with them.
import { createToken, Lexer } from 'chevrotain';
import type { TokenType } from 'chevrotain';

// ── Categories (never produced by the lexer directly) ───────────────────────────────────────────────

/** Any reserved word. */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA });
/** A plain or double-quoted identifier. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA });
/** Something that may be called: an identifier or a function-name keyword such as SIZE or EXISTS. */
export const CallableName = createToken({ name: 'CallableName', pattern: Lexer.NA });
/** A word that may follow IS: a type name such as NULL, MISSING, STRING, BOOL. */
export const TypeName = createToken({ name: 'TypeName', pattern: Lexer.NA });
/** Infix operators that take one right operand: comparisons, + and -, AND, OR. */
export const BinaryOperator = createToken({ name: 'BinaryOperator', pattern: Lexer.NA });
/** `+` and `-` between two operands. */
export const AdditiveOperator = createToken({ name: 'AdditiveOperator', pattern: Lexer.NA });
/** Prefix operators of an operand: NOT, `-`, `+`. */
export const PrefixOperator = createToken({ name: 'PrefixOperator', pattern: Lexer.NA });

// ── Trivia ──────────────────────────────────────────────────────────────────────────────────────────

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n\r]*/, group: 'comments' });
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: 'comments',
  line_breaks: true,
});
/** `/*` with no closing `*\/`: DynamoDB refuses the statement. Kept out of the parser's input. */
export const UnterminatedBlockComment = createToken({
  name: 'UnterminatedBlockComment',
  pattern: /\/\*[\s\S]*/,
  group: 'invalid',
  line_breaks: true,
});

// ── Literals and names ──────────────────────────────────────────────────────────────────────────────

export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /'(?:[^']|'')*'/,
  line_breaks: true,
});
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /'(?:[^']|'')*/,
  group: 'invalid',
  line_breaks: true,
});
export const QuotedIdentifier = createToken({
  name: 'QuotedIdentifier',
  pattern: /"(?:[^"]|"")*"/,
  categories: [Name, CallableName],
  line_breaks: true,
});
export const UnterminatedQuotedIdentifier = createToken({
  name: 'UnterminatedQuotedIdentifier',
  pattern: /"(?:[^"]|"")*/,
  group: 'invalid',
  line_breaks: true,
});
/** `1`, `1.5`, `1.`, `.5`, each with an optional exponent: `7.31E6`, `.73e1`, `731e+4`. No sign. */
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/,
});
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_$][A-Za-z0-9_$]*/,
  categories: [Name, CallableName],
});
export const Parameter = createToken({ name: 'Parameter', pattern: '?' });

// ── Operators and punctuation ───────────────────────────────────────────────────────────────────────

export const NotEquals = createToken({ name: 'NotEquals', pattern: /<>|!=/, categories: [BinaryOperator] });
export const LessOrEqual = createToken({ name: 'LessOrEqual', pattern: '<=', categories: [BinaryOperator] });
export const GreaterOrEqual = createToken({
  name: 'GreaterOrEqual',
  pattern: '>=',
  categories: [BinaryOperator],
});
export const LDoubleAngle = createToken({ name: 'LDoubleAngle', pattern: '<<' });
export const RDoubleAngle = createToken({ name: 'RDoubleAngle', pattern: '>>' });
export const Less = createToken({ name: 'Less', pattern: '<', categories: [BinaryOperator] });
export const Greater = createToken({ name: 'Greater', pattern: '>', categories: [BinaryOperator] });
export const Equals = createToken({ name: 'Equals', pattern: '=', categories: [BinaryOperator] });
export const Plus = createToken({
  name: 'Plus',
  pattern: '+',
  categories: [BinaryOperator, AdditiveOperator, PrefixOperator],
});
export const Minus = createToken({
  name: 'Minus',
  pattern: '-',
  categories: [BinaryOperator, AdditiveOperator, PrefixOperator],
});
export const Star = createToken({ name: 'Star', pattern: '*' });
/** `/`, `%` and `||`: PartiQL operators DynamoDB does not support. Lexed so errors name them. */
export const OtherOperator = createToken({ name: 'OtherOperator', pattern: /\|\||\/|%/ });
export const LParen = createToken({ name: 'LParen', pattern: '(' });
export const RParen = createToken({ name: 'RParen', pattern: ')' });
export const LBracket = createToken({ name: 'LBracket', pattern: '[' });
export const RBracket = createToken({ name: 'RBracket', pattern: ']' });
export const LCurly = createToken({ name: 'LCurly', pattern: '{' });
export const RCurly = createToken({ name: 'RCurly', pattern: '}' });
export const Comma = createToken({ name: 'Comma', pattern: ',' });
export const Colon = createToken({ name: 'Colon', pattern: ':' });
export const Semicolon = createToken({ name: 'Semicolon', pattern: ';' });
export const Dot = createToken({ name: 'Dot', pattern: '.' });

// ── Keywords used by the grammar (produced by reclassifying Identifier tokens) ─────────────────────

function keyword(name: string, ...categories: TokenType[]): TokenType {
  return createToken({ name, pattern: Lexer.NA, categories: [Keyword, ...categories] });
}

export const Select = keyword('Select');
export const From = keyword('From');
export const Where = keyword('Where');
export const Order = keyword('Order');
export const By = keyword('By');
export const Asc = keyword('Asc');
export const Desc = keyword('Desc');
export const Insert = keyword('Insert');
export const Into = keyword('Into');
export const Value = keyword('Value');
export const Update = keyword('Update');
export const Set = keyword('Set');
export const Remove = keyword('Remove');
export const Delete = keyword('Delete');
export const Returning = keyword('Returning');
export const All = keyword('All');
export const Modified = keyword('Modified');
export const Old = keyword('Old');
export const New = keyword('New');
export const And = keyword('And', BinaryOperator);
export const Or = keyword('Or', BinaryOperator);
export const Not = keyword('Not', PrefixOperator);
export const Between = keyword('Between');
export const In = keyword('In');
export const Is = keyword('Is');
export const Like = keyword('Like');
export const As = keyword('As');
export const True = keyword('True');
export const False = keyword('False');
export const Null = keyword('Null', TypeName);
export const Missing = keyword('Missing', TypeName);
export const Exists = keyword('Exists', CallableName);
/** Reserved words that name a type (after IS) and may also be called: LIST, BAG, SEXP. */
export const TypeFunctionKeyword = keyword('TypeFunctionKeyword', TypeName, CallableName);
/** Reserved words that name a type only: STRING, BOOL, INT, DECIMAL, … */
export const TypeKeyword = keyword('TypeKeyword', TypeName);
/** Reserved words that are function names: SIZE, COUNT, UPPER, … */
export const FunctionKeyword = keyword('FunctionKeyword', CallableName);
/** Every other reserved word: KEY, INNER, GROUP, LIMIT, … */
export const ReservedWord = keyword('ReservedWord');

/**
 * EXPLAIN is a Sortkey extension, and not a PartiQL keyword: it is recognised only as the first word
 * of a statement (the lexer reclassifies it there), so an attribute may still be called `explain`.
 */
export const Explain = keyword('Explain');

// ── Reserved-word tables ────────────────────────────────────────────────────────────────────────────

/** SQL-92 reserved words, as the PartiQL lexer has them. */
const SQL92_WORDS =
  'absolute action add all allocate alter and any are as asc assertion at authorization avg begin between ' +
  'bit bit_length by cascade cascaded case cast catalog char char_length character character_length ' +
  'check close coalesce collate collation column commit connect connection constraint constraints continue ' +
  'convert corresponding count create cross current current_date current_time current_timestamp ' +
  'current_user cursor date deallocate dec decimal declare default deferrable deferred delete desc describe ' +
  'descriptor diagnostics disconnect distinct domain double drop else end end-exec escape except exception ' +
  'exec execute exists external extract date_add date_diff false fetch first float for foreign found from ' +
  'full get global go goto grant group having identity immediate in indicator initially inner input ' +
  'insensitive insert int integer intersect interval into is isolation join key language last left ' +
  'level like local lower match max min module names national natural nchar next no not null nullif ' +
  'numeric octet_length of on only open option or order outer output overlaps pad partial position ' +
  'precision prepare preserve primary prior privileges procedure public read real references relative ' +
  'restrict revoke right rollback rows schema scroll section select session session_user set size smallint ' +
  'some space sql sqlcode sqlerror sqlstate substring sum system_user table temporary then time timestamp ' +
  'to transaction translate translation trim true union unique unknown update upper usage user ' +
  'using value values varchar varying view when whenever where with work write zone';

/** Words PartiQL adds to SQL-92. */
const PARTIQL_WORDS =
  'can_cast can_lossless_cast missing pivot unpivot limit offset tuple remove index let integer2 int2 ' +
  'integer4 int4 integer8 int8 bigint conflict do nothing returning modified new old bool boolean string ' +
  'symbol clob blob struct list sexp bag';

/** Type names accepted after IS (aliases included). DOUBLE and CHARACTER take a second word. */
export const TYPE_NAMES: ReadonlyMap<string, string> = new Map([
  ['missing', 'MISSING'],
  ['null', 'NULL'],
  ['boolean', 'BOOLEAN'],
  ['bool', 'BOOLEAN'],
  ['smallint', 'SMALLINT'],
  ['int2', 'SMALLINT'],
  ['integer2', 'SMALLINT'],
  ['integer4', 'INTEGER4'],
  ['int4', 'INTEGER4'],
  ['integer8', 'INTEGER8'],
  ['int8', 'INTEGER8'],
  ['bigint', 'INTEGER8'],
  ['integer', 'INTEGER'],
  ['int', 'INTEGER'],
  ['float', 'FLOAT'],
  ['real', 'REAL'],
  ['double', 'DOUBLE PRECISION'],
  ['decimal', 'DECIMAL'],
  ['dec', 'DECIMAL'],
  ['numeric', 'NUMERIC'],
  ['timestamp', 'TIMESTAMP'],
  ['date', 'DATE'],
  ['time', 'TIME'],
  ['character', 'CHARACTER'],
  ['char', 'CHARACTER'],
  ['varchar', 'CHARACTER VARYING'],
  ['string', 'STRING'],
  ['symbol', 'SYMBOL'],
  ['clob', 'CLOB'],
  ['blob', 'BLOB'],
  ['struct', 'STRUCT'],
  ['tuple', 'TUPLE'],
  ['list', 'LIST'],
  ['sexp', 'SEXP'],
  ['bag', 'BAG'],
  ['any', 'ANY'],
]);

/** How many parenthesised integer parameters each type takes (min, max). */
export const TYPE_ARITY: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['FLOAT', [0, 1]],
  ['DECIMAL', [0, 2]],
  ['NUMERIC', [0, 2]],
  ['TIME', [0, 1]],
  ['CHARACTER', [0, 1]],
  ['CHARACTER VARYING', [0, 1]],
]);

/** Reserved words PartiQL lets you call like functions. */
const FUNCTION_WORDS = new globalThis.Set([
  'exists',
  'count',
  'avg',
  'max',
  'min',
  'sum',
  'substring',
  'char_length',
  'character_length',
  'octet_length',
  'bit_length',
  'upper',
  'lower',
  'size',
  'sexp',
  'list',
  'bag',
  'cast',
  'trim',
  'extract',
  'coalesce',
  'nullif',
  'date_add',
  'date_diff',
]);

/** Keywords with a token of their own. */
const GRAMMAR_KEYWORDS: Record<string, TokenType> = {
  select: Select,
  from: From,
  where: Where,
  order: Order,
  by: By,
  asc: Asc,
  desc: Desc,
  insert: Insert,
  into: Into,
  value: Value,
  update: Update,
  set: Set,
  remove: Remove,
  delete: Delete,
  returning: Returning,
  all: All,
  modified: Modified,
  old: Old,
  new: New,
  and: And,
  or: Or,
  not: Not,
  between: Between,
  in: In,
  is: Is,
  like: Like,
  as: As,
  true: True,
  false: False,
  null: Null,
  missing: Missing,
  exists: Exists,
};

/** Lower-case word → the token type it lexes as. Words not in the map are identifiers. */
export const KEYWORD_TOKENS: ReadonlyMap<string, TokenType> = (() => {
  const map = new Map<string, TokenType>();
  for (const word of `${SQL92_WORDS} ${PARTIQL_WORDS}`.split(' ')) {
    if (word.includes('-')) continue; // `end-exec` can never lex as one word
    const own = GRAMMAR_KEYWORDS[word];
    if (own) map.set(word, own);
    else if (TYPE_NAMES.has(word) && FUNCTION_WORDS.has(word)) map.set(word, TypeFunctionKeyword);
    else if (TYPE_NAMES.has(word)) map.set(word, TypeKeyword);
    else if (FUNCTION_WORDS.has(word)) map.set(word, FunctionKeyword);
    else map.set(word, ReservedWord);
  }
  // Upper-case spellings too, so the usual SELECT/select needs one lookup.
  for (const [word, type] of [...map]) map.set(word.toUpperCase(), type);
  return map;
})();

/** Words that are infix operators in PartiQL: at the start of an operand they are "Unexpected operator". */
export const OPERATOR_WORDS: ReadonlySet<string> = new globalThis.Set([
  'and',
  'or',
  'is',
  'in',
  'like',
  'between',
  'union',
  'except',
  'intersect',
]);

/** Is `name` usable as a bare identifier, i.e. without double quotes? */
export function isPlainIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !KEYWORD_TOKENS.has(name.toLowerCase());
}

/** The tokens the lexer matches, in priority order. */
export const lexerTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  StringLiteral,
  UnterminatedString,
  QuotedIdentifier,
  UnterminatedQuotedIdentifier,
  NumberLiteral,
  Identifier,
  Parameter,
  NotEquals,
  LessOrEqual,
  GreaterOrEqual,
  LDoubleAngle,
  RDoubleAngle,
  Less,
  Greater,
  Equals,
  Plus,
  Minus,
  Star,
  OtherOperator,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  Comma,
  Colon,
  Semicolon,
  Dot,
];

/** Every token type the parser knows: what the lexer matches plus keywords and categories. */
export const allTokens: TokenType[] = [
  ...lexerTokens,
  Keyword,
  Name,
  CallableName,
  TypeName,
  BinaryOperator,
  AdditiveOperator,
  PrefixOperator,
  ...Object.values(GRAMMAR_KEYWORDS),
  TypeFunctionKeyword,
  TypeKeyword,
  FunctionKeyword,
  ReservedWord,
  Explain,
];
