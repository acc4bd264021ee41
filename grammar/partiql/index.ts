// DynamoDB's PartiQL dialect: parse a statement into an AST, or into DynamoDB's error messages.
// Pure TypeScript (Chevrotain only): runs in Node and in the studio's renderer.
import { AstBuilder } from './ast-builder.js';
import type { Statement } from './ast.js';
import { fromInvalidToken, fromLexingError, fromRecognitionException, PartiqlParseError } from './errors.js';
import type { PartiqlSyntaxError } from './errors.js';
import type { CstNode } from 'chevrotain';
import { fastTokenize } from './fast-lexer.js';
import { fastParse } from './fast-parser.js';
import { checkNesting, nestingError } from './nesting.js';
import { tokenize } from './lexer.js';
import { recoveringParser, strictParser } from './parser.js';
export { chevrotainParserBuilt } from './parser.js';
import { validateStatement } from './validate.js';

export type * from './ast.js';
export type { PartiqlSyntaxError } from './errors.js';
export { MAX_STATEMENT_LENGTH, NOT_WELL_FORMED, PartiqlParseError } from './errors.js';
export { MAX_STATEMENT_NESTING } from './nesting.js';
export { suggest } from './content-assist.js';
export type { SchemaProvider, Suggestion, SuggestionKind } from './content-assist.js';
export { highlightTokens } from './highlight.js';
export type { HighlightCategory, HighlightToken } from './highlight.js';
export { CONDITION_FUNCTIONS, UPDATE_FUNCTIONS, pathText } from './validate.js';
export { isPlainIdentifier } from './tokens.js';
export { tableOf } from './statement-table.js';

export type ParseResult =
  | {
      ok: true;
      statement: Statement;
      /** How many `?` the statement has (ExecuteStatement's Parameters must match). */
      parameterCount: number;
    }
  | {
      ok: false;
      /**
       * Every problem found, the one DynamoDB reports first. Syntax errors come before refusals of
       * well-formed statements, as DynamoDB parses before it validates.
       */
      errors: PartiqlSyntaxError[];
    };

function byOffset(a: PartiqlSyntaxError, b: PartiqlSyntaxError): number {
  return a.offset - b.offset;
}

export interface ParseOptions {
  /**
   * Try the fast path first (a hand-written lexer and recogniser, then Chevrotain's parser without
   * error recovery), falling back to the recovering parser only when the statement has a syntax
   * error. The result is the same either way.
   */
  readonly fast?: boolean;
}

/** Parses one statement. Never throws. */
export function parseStatement(text: string, options: ParseOptions = {}): ParseResult {
  try {
    return parseChecked(text, options);
  } catch (e) {
    // The recursive parsers and builders spend several stack frames a level: near the nesting
    // bound, a caller that is itself deep in the stack can still run out. The next parse resets the
    // Chevrotain parsers' state when it sets their `input`.
    if (e instanceof RangeError) return { ok: false, errors: [nestingError(text, undefined)] };
    throw e;
  }
}

function parseChecked(text: string, options: ParseOptions): ParseResult {
  if (options.fast) {
    // Hand-written lexer and recogniser (same tokens, same CST) for statements that parse.
    const tokens = fastTokenize(text);
    if (tokens) {
      const tooDeep = checkNesting(text, tokens);
      if (tooDeep) return { ok: false, errors: [tooDeep] };
    }
    const cst = tokens && fastParse(tokens);
    if (cst) return build(text, cst);
  }
  const lexed = tokenize(text);
  const tooDeep = checkNesting(text, lexed.tokens);
  if (tooDeep) return { ok: false, errors: [tooDeep] };
  const lexErrors: PartiqlSyntaxError[] = [];
  for (const e of lexed.errors) lexErrors.push(fromLexingError(e, text));
  for (const t of lexed.invalid) lexErrors.push(fromInvalidToken(t, text));

  let cst: CstNode | undefined;
  if (options.fast && lexErrors.length === 0) {
    const strict = strictParser();
    strict.input = lexed.tokens;
    cst = strict.statement();
    if (strict.errors.length > 0) cst = undefined;
  }
  let parseErrors: ReturnType<typeof recoveringParser>['errors'] = [];
  if (cst === undefined) {
    const parser = recoveringParser();
    parser.input = lexed.tokens;
    cst = parser.statement();
    parseErrors = parser.errors;
  }

  if (parseErrors.length > 0 || lexErrors.length > 0) {
    const errors = lexErrors.sort(byOffset);
    for (const e of parseErrors) errors.push(fromRecognitionException(e, text, lexed.tokens));
    return { ok: false, errors };
  }
  return build(text, cst);
}

/** The AST of a statement that parsed, or the refusals of it. */
function build(text: string, cst: CstNode): ParseResult {
  const builder = new AstBuilder(text);
  const statement = builder.statement(cst);
  if (builder.syntaxErrors.length > 0 || builder.validationErrors.length > 0 || !statement) {
    const errors = builder.syntaxErrors.sort(byOffset);
    const validation = builder.validationErrors;
    if (statement) validation.push(...validateStatement(statement));
    errors.push(...validation.sort(byOffset));
    return { ok: false, errors };
  }
  const validation = validateStatement(statement);
  if (validation.length > 0) return { ok: false, errors: validation.sort(byOffset) };
  return { ok: true, statement, parameterCount: builder.parameterCount };
}

/**
 * Builds the Chevrotain parser now (its grammar analysis costs about 0.1 s of CPU), so that the
 * first statement needing it does not pay inside a request while others wait.
 */
export function warmUpParser(): void {
  parseStatement('SELECT * FROM "warm-up"');
}

/** Parses one statement; throws PartiqlParseError (name 'ValidationException') if it does not parse. */
export function parseStatementOrThrow(text: string): Statement {
  const result = parseStatement(text);
  if (!result.ok) throw new PartiqlParseError(result.errors);
  return result.statement;
}

/**
 * The ValidationException DynamoDB's API gives a Statement longer than 8192 characters, or null.
 * (Kept apart from parseStatement: it is request validation, and it quotes the statement.)
 */
export function checkStatementLength(text: string): string | null {
  if (text.length <= 8192) return null;
  return `1 validation error detected: Value '${text}' at 'statement' failed to satisfy constraint: Member must have length less than or equal to 8192`;
}
