// DynamoDB's expression language: parse a ConditionExpression, FilterExpression,
// KeyConditionExpression, ProjectionExpression or UpdateExpression into an AST, or fail with
// DynamoDB's own error text. Pure TypeScript: it runs in the engine and in the studio's editor.
import { EOF, type CstNode, type IToken } from 'chevrotain';
import type { ConditionNode, PathNode, UpdateNode } from './ast.js';
import { AstBuilder } from './builder.js';
import { checkCondition, checkProjection, checkUpdate } from './checks.js';
import { ExpressionError, syntaxError, type ExpressionKind } from './errors.js';
import { fastParse } from './fast-parser.js';
import { tokenize, type GrammarKind } from './lexer.js';
import { checkNesting, nestingDepth, nestingError } from './nesting.js';
import { expressionParser, runEntryRule, type EntryRule } from './parser.js';

export type * from './ast.js';
export { ExpressionError, type ExpressionKind } from './errors.js';
export { RESERVED_WORDS, isReservedWord } from './reserved-words.js';
export { tokenize, type GrammarKind } from './lexer.js';
export { MAX_IN_OPERANDS, MAX_OPERATORS, MAX_PATH_DEPTH } from './checks.js';
export { MAX_EXPRESSION_NESTING } from './nesting.js';

export type ConditionKind = 'ConditionExpression' | 'FilterExpression' | 'KeyConditionExpression';

interface Parsed {
  readonly cst: CstNode;
  readonly builder: AstBuilder;
  readonly tokens: readonly IToken[];
}

function parseWith(text: string, kind: ExpressionKind, grammar: GrammarKind, rule: EntryRule): Parsed {
  if (text === '') throw new ExpressionError(kind, 'The expression can not be empty;');
  const tokens = tokenize(text, grammar);
  checkNesting(kind, tokens);
  // The hand-written recogniser first: the same CST for an expression that parses; the Chevrotain
  // parser (built on first use) for anything else, to find the error DynamoDB reports.
  const fast = fastParse(tokens, rule);
  if (fast) return { cst: fast, builder: new AstBuilder(kind, text, tokens), tokens };
  const parser = expressionParser();
  parser.input = tokens;
  let cst: CstNode;
  try {
    cst = runEntryRule(rule);
  } catch (e) {
    // Chevrotain spends several stack frames a level: near the nesting bound, a caller that is
    // itself deep in the stack can still run out. Refuse the expression as too deep; the next
    // parse resets the parser's state when it sets `input`.
    if (e instanceof RangeError) throw nestingError(kind, tokens, nestingDepth(tokens));
    throw e;
  }
  const error = parser.errors[0];
  if (error) throw syntaxError(kind, text, tokens, indexOfToken(tokens, error.token));
  return { cst, builder: new AstBuilder(kind, text, tokens), tokens };
}

function indexOfToken(tokens: readonly IToken[], token: IToken): number {
  if (token.tokenType === EOF) return tokens.length;
  const index = tokens.findIndex((t) => t.startOffset === token.startOffset);
  return index < 0 ? tokens.length : index;
}

function throwDeferred(builder: AstBuilder): void {
  if (builder.deferredError) throw builder.deferredError;
}

/**
 * Runs the AST builder and the checks, which recurse through the AST. Nesting is bounded before the
 * parse, but a chain of thousands of ANDs (beyond DynamoDB's 4 KB and 300 operators, so only a
 * direct caller of the grammar can send one) is a left-deep tree as deep as it is long: refused as
 * too deep rather than a stack overflow.
 */
function guarded<T>(kind: ExpressionKind, parsed: Parsed, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof RangeError) throw nestingError(kind, parsed.tokens, nestingDepth(parsed.tokens));
    throw e;
  }
}

/** Parses a condition-style expression; throws ExpressionError with DynamoDB's message. */
export function parseConditionExpression(
  text: string,
  kind: ConditionKind = 'ConditionExpression',
): ConditionNode {
  const parsed = parseWith(text, kind, 'condition', 'conditionExpression');
  return guarded(kind, parsed, () => {
    const condition = parsed.builder.condition(parsed.cst);
    throwDeferred(parsed.builder);
    checkCondition(kind, condition);
    return condition;
  });
}

export function parseProjectionExpression(text: string): PathNode[] {
  const parsed = parseWith(text, 'ProjectionExpression', 'projection', 'projectionExpression');
  return guarded('ProjectionExpression', parsed, () => {
    const paths = parsed.builder.projection(parsed.cst);
    checkProjection(paths);
    return paths;
  });
}

export function parseUpdateExpression(text: string): UpdateNode {
  const parsed = parseWith(text, 'UpdateExpression', 'update', 'updateExpression');
  return guarded('UpdateExpression', parsed, () => {
    const update = parsed.builder.update(parsed.cst);
    checkUpdate(update);
    return update;
  });
}

/** For editors: the first problem in an expression, or undefined when it parses. */
export function findExpressionError(text: string, kind: ExpressionKind): ExpressionError | undefined {
  try {
    if (kind === 'ProjectionExpression') parseProjectionExpression(text);
    else if (kind === 'UpdateExpression') parseUpdateExpression(text);
    else parseConditionExpression(text, kind);
    return undefined;
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
}
