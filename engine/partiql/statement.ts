// Parsing a request's Statement and Parameters, with DynamoDB's request errors.
import { checkStatementLength, parseStatement } from '../../grammar/partiql/index.js';
import type { Statement } from '../../grammar/partiql/index.js';
import { validation } from '../errors.js';
import type { AttributeValue } from '../types.js';
import { normalizeValue } from '../values/attribute.js';

export interface ParsedStatement {
  readonly statement: Statement;
  readonly parameters: AttributeValue[];
}

export function parseRequestStatement(text: unknown, parameters: unknown): ParsedStatement {
  checkStatementText(text);
  return parseBound(text as string, bindParameters(parameters));
}

/**
 * A request's Parameters as attribute values, checked as DynamoDB checks them before it looks at
 * the statement (ExecuteTransaction reports these failures without naming the statement).
 */
export function bindParameters(parameters: unknown): AttributeValue[] {
  if (parameters === undefined || parameters === null) return [];
  if (!Array.isArray(parameters) || parameters.length === 0) {
    throw validation(
      "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  // The older value layer (the default) reads numbers as PartiQL does, as Java BigDecimals.
  return parameters.map((p) => normalizeValue(p));
}

/** The Statement member's own constraints. */
function checkStatementText(text: unknown): asserts text is string {
  if (typeof text !== 'string') {
    throw validation(
      "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null",
    );
  }
  if (text.length === 0) {
    throw validation(
      "1 validation error detected: Value '' at 'statement' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  const tooLong = checkStatementLength(text);
  if (tooLong) throw validation(tooLong);
}

/** Parses a statement whose parameters are already bound. */
export function parseStatementWith(text: unknown, parameters: AttributeValue[]): ParsedStatement {
  checkStatementText(text);
  return parseBound(text, parameters);
}

function parseBound(text: string, parameters: AttributeValue[]): ParsedStatement {
  const parsed = parseCached(text);
  if (!parsed.ok) throw validation(parsed.errors[0]!.message);
  if (parsed.parameterCount !== parameters.length) {
    throw validation("Number of parameters in request and statement don't match.");
  }
  return { statement: parsed.statement, parameters };
}

// Applications run the same statements again and again with new `?` values: parsed statements
// (immutable ASTs) are kept in a small LRU cache, like prepared statements.
const STATEMENT_CACHE_SIZE = 1000;
const statementCache = new Map<string, ReturnType<typeof parseStatement>>();

function parseCached(text: string): ReturnType<typeof parseStatement> {
  const cached = statementCache.get(text);
  if (cached) {
    statementCache.delete(text);
    statementCache.set(text, cached);
    return cached;
  }
  let parsed: ReturnType<typeof parseStatement>;
  try {
    parsed = parseStatement(text, { fast: true });
  } catch (e) {
    // Thousands of nested brackets exhaust the parser's stack: refuse the statement, not the process.
    if (e instanceof RangeError)
      throw validation("Statement wasn't well formed, can't be processed: nesting too deep");
    throw e;
  }
  if (parsed.ok) {
    statementCache.set(text, parsed);
    if (statementCache.size > STATEMENT_CACHE_SIZE)
      statementCache.delete(statementCache.keys().next().value!);
  }
  return parsed;
}
