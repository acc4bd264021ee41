// Parse errors with DynamoDB's wording.
//
// DynamoDB answers a statement it cannot parse with a ValidationException whose message is
// `Statement wasn't well formed, can't be processed: <detail>`, the detail being the reference PartiQL
// parser's own text ("Unexpected term", "Unexpected keyword", …), or nothing at all for something the
// lexer cannot read (`#`, an unterminated comment). Other refusals (aliases, empty sets, functions in
// the wrong place) have messages of their own, some ending in ` at <line>:<column>:<length>`.
// Every error here also carries the position of the offending text, for editors.
import { EOF, tokenMatcher } from 'chevrotain';
import type { ILexingError, IRecognitionException, IToken } from 'chevrotain';
import * as T from './tokens.js';

export const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

/** ExecuteStatement's `Statement` is 1 to 8192 characters long. */
export const MAX_STATEMENT_LENGTH = 8192;

export interface PartiqlSyntaxError {
  /** The ValidationException message DynamoDB returns for this statement. */
  message: string;
  /**
   * 'syntax': the statement does not parse (message starts with NOT_WELL_FORMED).
   * 'validation': it parses, but DynamoDB refuses it (e.g. `Aliasing is not supported`).
   */
  kind: 'syntax' | 'validation';
  /** A plainer explanation for editors and the shell, e.g. "Expected FROM". */
  hint: string;
  /** Where the problem is: 0-based offset, 1-based line and column, length (0 at end of input). */
  offset: number;
  line: number;
  column: number;
  length: number;
}

/** Position of a token, or of the end of the text for EOF. */
export function tokenPosition(
  token: IToken | undefined,
  text: string,
): Pick<PartiqlSyntaxError, 'offset' | 'line' | 'column' | 'length'> {
  if (!token || token.tokenType === EOF || Number.isNaN(token.startOffset)) return endPosition(text);
  return {
    offset: token.startOffset,
    line: token.startLine ?? 1,
    column: token.startColumn ?? 1,
    length: (token.endOffset ?? token.startOffset) - token.startOffset + 1,
  };
}

function endPosition(text: string): Pick<PartiqlSyntaxError, 'offset' | 'line' | 'column' | 'length'> {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: text.length, line, column: text.length - lineStart + 1, length: 0 };
}

/** `<line>:<column>:<length>`, as DynamoDB appends it to some messages. */
export function positionSuffix(loc: { line: number; column: number; length: number }): string {
  return `${loc.line}:${loc.column}:${loc.length}`;
}

export function syntaxError(
  detail: string,
  hint: string,
  position: ReturnType<typeof tokenPosition>,
): PartiqlSyntaxError {
  return { message: NOT_WELL_FORMED + detail, kind: 'syntax', hint, ...position };
}

export function validationError(
  message: string,
  hint: string,
  position: ReturnType<typeof tokenPosition>,
): PartiqlSyntaxError {
  return { message, kind: 'validation', hint, ...position };
}

/** A character no token starts with. DynamoDB gives the envelope with nothing after it. */
export function fromLexingError(error: ILexingError, text: string): PartiqlSyntaxError {
  const ch = text.slice(error.offset, error.offset + error.length);
  return {
    message: NOT_WELL_FORMED,
    kind: 'syntax',
    hint: `Unexpected character ${JSON.stringify(ch)}`,
    offset: error.offset,
    line: error.line ?? 1,
    column: error.column ?? 1,
    length: error.length,
  };
}

/** An unterminated string, quoted identifier or block comment. */
export function fromInvalidToken(token: IToken, text: string): PartiqlSyntaxError {
  const what =
    token.tokenType === T.UnterminatedString
      ? 'Unterminated string: a closing single quote is missing'
      : token.tokenType === T.UnterminatedQuotedIdentifier
        ? 'Unterminated quoted identifier: a closing double quote is missing'
        : 'Unterminated comment: */ is missing';
  return { message: NOT_WELL_FORMED, kind: 'syntax', hint: what, ...tokenPosition(token, text) };
}

// ── Parser exceptions → DynamoDB's details ──────────────────────────────────────────────────────────

/** PartiQL's names for the tokens a "Expected <TOKEN>" detail mentions. */
const PARTIQL_TOKEN_NAMES: Record<string, string> = {
  RParen: 'RIGHT_PAREN',
  LParen: 'LEFT_PAREN',
  RBracket: 'RIGHT_BRACKET',
  RCurly: 'RIGHT_CURLY',
  RDoubleAngle: 'RIGHT_DOUBLE_ANGLE_BRACKET',
  Colon: 'COLON',
  Comma: 'COMMA',
  Star: 'STAR',
  By: 'BY',
};

const PUNCTUATION_TEXT: Record<string, string> = {
  RParen: ')',
  LParen: '(',
  RBracket: ']',
  RCurly: '}',
  RDoubleAngle: '>>',
  Colon: ':',
  Comma: ',',
  Star: '*',
};

const RETURNING_SHAPE = 'Expected ( MODIFIED | ALL ) ( NEW | OLD ) in each returning element.';

function isEof(token: IToken | undefined): boolean {
  return !token || token.tokenType === EOF;
}

function describe(token: IToken | undefined): string {
  return isEof(token) ? 'the end of the statement' : `'${token!.image}'`;
}

/**
 * What the reference parser says when a term (an operand) should start at `token`:
 * an operator → "Unexpected operator", a keyword → "Unexpected keyword", anything else (including the
 * end of the statement) → "Unexpected term".
 */
function unexpectedTermDetail(token: IToken | undefined): string {
  if (isEof(token)) return 'Unexpected term';
  const tok = token!;
  if (tokenMatcher(tok, T.Keyword)) {
    return T.OPERATOR_WORDS.has(tok.image.toLowerCase()) ? 'Unexpected operator' : 'Unexpected keyword';
  }
  if (tokenMatcher(tok, T.BinaryOperator) || tokenMatcher(tok, T.OtherOperator)) return 'Unexpected operator';
  return 'Unexpected term';
}

function isInfixOperator(token: IToken | undefined): boolean {
  return (
    !!token &&
    (tokenMatcher(token, T.BinaryOperator) || tokenMatcher(token, T.In) || tokenMatcher(token, T.Between))
  );
}

interface ExceptionShape extends IRecognitionException {
  previousToken?: IToken;
}

/**
 * Turns one Chevrotain recognition exception into DynamoDB's message. `tokens` is the parser input,
 * used to look one token past the failure where the reference parser would have.
 */
export function fromRecognitionException(
  e: IRecognitionException,
  text: string,
  tokens: IToken[],
): PartiqlSyntaxError {
  const ex = e as ExceptionShape;
  const token = ex.token;
  const previous = ex.previousToken;
  const stack = ex.context?.ruleStack ?? [];
  const rule = stack[stack.length - 1] ?? '';
  const parent = stack[stack.length - 2] ?? '';
  const at = tokenPosition(token, text);
  const got = describe(token);

  if (ex.message === 'leftover') {
    // `SLECT * FROM t WHERE …`: the reference parser reads `SLECT * (FROM t WHERE …)`, the FROM-first
    // form, and fails for want of SET or REMOVE.
    if (tokenMatcher(token, T.Star) && stack.length <= 1) {
      const next = tokens[tokens.indexOf(token) + 1];
      const first = tokens[0];
      if (next && tokenMatcher(next, T.From) && first && !tokenMatcher(first, T.Keyword)) {
        return syntaxError(
          'Expected data manipulation',
          'A statement starts with SELECT, INSERT, UPDATE or DELETE',
          at,
        );
      }
    }
    return syntaxError(
      'Unexpected token after expression',
      `Unexpected ${got}: the statement should end here`,
      at,
    );
  }

  if (ex.message === 'earlyexit') {
    if (rule === 'updateStatement' || rule === 'fromFirstStatement') {
      return syntaxError('Expected data manipulation', `Expected SET or REMOVE but found ${got}`, at);
    }
    if (rule === 'returningClause')
      return syntaxError(RETURNING_SHAPE, `Expected ALL or MODIFIED but found ${got}`, at);
    if (rule === 'inList')
      return syntaxError(unexpectedTermDetail(token), `Expected a value but found ${got}`, at);
    return syntaxError(unexpectedTermDetail(token), `Expected an expression but found ${got}`, at);
  }

  if (ex.message.startsWith('mismatch:')) {
    const expected = ex.message.slice('mismatch:'.length);
    switch (expected) {
      case 'Name':
        if (previous && tokenMatcher(previous, T.Dot)) {
          return syntaxError('Invalid path dot component', `Expected a name after '.' but found ${got}`, at);
        }
        if (rule === 'tableRef') {
          return syntaxError(unexpectedTermDetail(token), `Expected a table name but found ${got}`, at);
        }
        if (rule === 'alias')
          return syntaxError('Expected identifier for alias', `Expected an alias but found ${got}`, at);
        return syntaxError(
          'Expected identifier for simple path',
          rule === 'simpleTableRef'
            ? `Expected a table name but found ${got}`
            : `Expected an attribute name but found ${got}`,
          at,
        );
      case 'From':
        if (rule === 'deleteStatement')
          return syntaxError('Expected FROM after DELETE', `Expected FROM but found ${got}`, at);
        return syntaxError('Expected FROM after SELECT list', `Expected FROM but found ${got}`, at);
      case 'Into':
        // The reference lexer only knows INSERT as part of `INSERT INTO`; a lone INSERT is a keyword term.
        return syntaxError('Unexpected keyword', 'Expected INTO after INSERT', tokenPosition(previous, text));
      case 'Equals':
        return syntaxError("Expected '='", `Expected '=' but found ${got}`, at);
      case 'And':
        return syntaxError('Expected AND keyword', `Expected AND but found ${got}`, at);
      case 'TypeName':
        return syntaxError(
          'Expected type name',
          `Expected a type name (NULL, MISSING, STRING, …) but found ${got}`,
          at,
        );
      case 'Old':
      case 'New':
        return syntaxError(RETURNING_SHAPE, `Expected OLD or NEW but found ${got}`, at);
      case 'NumberLiteral':
        return syntaxError(
          'Type parameter must be an unsigned integer literal',
          `Expected a number but found ${got}`,
          at,
        );
      case 'Where':
        return syntaxError('Unexpected keyword', `Expected WHERE but found ${got}`, at);
      default: {
        const name = PARTIQL_TOKEN_NAMES[expected] ?? expected.toUpperCase();
        const shown = PUNCTUATION_TEXT[expected] ?? expected.toUpperCase();
        return syntaxError(`Expected ${name}`, `Expected '${shown}' but found ${got}`, at);
      }
    }
  }

  // No viable alternative: the parser needed one of several things and found none of them.
  if (rule === 'pathStep' && previous && tokenMatcher(previous, T.Dot)) {
    return syntaxError('Invalid path dot component', `Expected a name after '.' but found ${got}`, at);
  }
  if (rule === 'simplePathStep') {
    if (previous && tokenMatcher(previous, T.Dot)) {
      return syntaxError('Invalid path dot component', `Expected a name after '.' but found ${got}`, at);
    }
    return syntaxError(
      'Invalid path component for simple path',
      `Expected a list index or a quoted key but found ${got}`,
      at,
    );
  }
  if (
    rule === 'returningItem' &&
    previous &&
    !tokenMatcher(previous, T.Old) &&
    !tokenMatcher(previous, T.New)
  ) {
    // The reference lexer reads ALL OLD, MODIFIED NEW, … as single tokens: half of one is no mapping.
    return syntaxError(
      RETURNING_SHAPE,
      `Expected ALL OLD, ALL NEW, MODIFIED OLD or MODIFIED NEW but found ${got}`,
      at,
    );
  }
  if (isEof(token) && previous) {
    if (tokenMatcher(previous, T.And) && parent === 'additive') {
      return syntaxError('Expected expression after AND', 'Expected the upper bound of BETWEEN', at);
    }
    if (isInfixOperator(previous) && (rule === 'operand' || rule === 'inList')) {
      return syntaxError(
        'Missing right-hand side expression of infix operator',
        `Expected a value after '${previous.image}'`,
        at,
      );
    }
  }
  const detail = unexpectedTermDetail(token);
  const hint =
    rule === 'dmlStatement' && !isEof(token)
      ? `Expected SELECT, INSERT, UPDATE or DELETE but found ${got}`
      : `Expected a value, attribute path or function call but found ${got}`;
  return syntaxError(detail, hint, at);
}

/** Thrown by parseStatementOrThrow. */
export class PartiqlParseError extends Error {
  readonly errors: PartiqlSyntaxError[];
  constructor(errors: PartiqlSyntaxError[]) {
    super(errors[0]?.message ?? NOT_WELL_FORMED);
    this.name = 'ValidationException';
    this.errors = errors;
  }
}
