// DynamoDB's errors. Every failure the engine reports to a client is a DynamoError: its `type` is
// DynamoDB's exception name (what the SDKs turn into an error class), `message` DynamoDB's text.

import { jsonText } from './values/json.js';

export type DynamoErrorType =
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'ConditionalCheckFailedException'
  | 'TransactionCanceledException'
  | 'TransactionConflictException'
  | 'TransactionInProgressException'
  | 'IdempotentParameterMismatchException'
  | 'DuplicateItemException'
  | 'ItemCollectionSizeLimitExceededException'
  | 'ProvisionedThroughputExceededException'
  | 'ThrottlingException'
  | 'RequestLimitExceeded'
  | 'LimitExceededException'
  | 'BackupNotFoundException'
  | 'BackupInUseException'
  | 'ContinuousBackupsUnavailableException'
  | 'PointInTimeRecoveryUnavailableException'
  | 'TableAlreadyExistsException'
  | 'TableNotFoundException'
  | 'TableInUseException'
  | 'InvalidRestoreTimeException'
  | 'ExportNotFoundException'
  | 'InvalidExportTimeException'
  | 'ExportConflictException'
  | 'ExpiredIteratorException'
  | 'TrimmedDataAccessException'
  | 'MissingAuthenticationTokenException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  | 'AccessDeniedException'
  | 'PolicyNotFoundException'
  | 'InternalServerError';

export class DynamoError extends Error {
  constructor(
    readonly type: DynamoErrorType,
    message: string,
    /** Fields DynamoDB adds to the error body beside `message` (CancellationReasons, Item, …). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = type;
  }

  get statusCode(): number {
    return this.type === 'InternalServerError' ? 500 : 400;
  }
}

/** What a request member should have been, in the words of DynamoDB's (Java) deserializer. */
export type MemberType = 'string' | 'number' | 'boolean' | 'list' | 'map';

const JAVA_TYPE: Readonly<Record<'string' | 'number' | 'boolean', string>> = {
  string: 'String',
  number: 'Integer',
  boolean: 'Boolean',
};

/** The parser token DynamoDB names for a scalar JSON value (`NUMBER_VALUE`, `TRUE_VALUE`, …). */
function tokenName(value: unknown): string {
  if (value === true) return 'TRUE_VALUE';
  if (value === false) return 'FALSE_VALUE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  return 'STRING_VALUE';
}

/**
 * What DynamoDB's deserializer says of a JSON value of the wrong type (error-messages.md §7):
 * `NUMBER_VALUE cannot be converted to String`, `Unexpected field type`, …
 */
export function wrongTypeMessage(expected: MemberType, value: unknown): string {
  if (expected === 'list' || expected === 'map') {
    if (value === null || typeof value !== 'object') return 'Unexpected field type';
    // A list where a structure belongs, or a structure where a list belongs: DynamoDB's exact
    // words for these two are not documented; these follow its scalar-in-collection texts (guess).
    return Array.isArray(value)
      ? 'Start of list found where not expected'
      : 'Start of structure or map found where not expected';
  }
  const java = JAVA_TYPE[expected];
  if (Array.isArray(value)) return `Unrecognized collection type class java.lang.${java}`;
  if (value !== null && typeof value === 'object')
    return 'Start of structure or map found where not expected';
  if (expected === 'boolean' && typeof value === 'string') return 'Unexpected token received from parser';
  return `${tokenName(value)} cannot be converted to ${java}`;
}

export function validation(message: string): DynamoError {
  return new DynamoError('ValidationException', message);
}

/** The "One or more parameter values were invalid: …" family of ValidationExceptions. */
export function invalidParameter(detail: string): DynamoError {
  return validation(`One or more parameter values were invalid: ${detail}`);
}

const ENVELOPE = /^\d+ validation errors? detected: /;

/**
 * A ValidationException inside the envelope DynamoDB's request validation puts round its messages,
 * `1 validation error detected: …`; one already in it (ConstraintErrors) and other errors are
 * returned as they are.
 */
export function enveloped(error: unknown): unknown {
  if (!(error instanceof DynamoError) || error.type !== 'ValidationException') return error;
  if (ENVELOPE.test(error.message)) return error;
  return new DynamoError(error.type, `1 validation error detected: ${error.message}`, error.extra);
}

export function tableNotFound(): DynamoError {
  return new DynamoError('ResourceNotFoundException', 'Requested resource not found');
}

export function conditionalCheckFailed(item?: Record<string, unknown>): DynamoError {
  return new DynamoError(
    'ConditionalCheckFailedException',
    'The conditional request failed',
    item ? { Item: item } : undefined,
  );
}

/**
 * Collects "Value X at 'path' failed to satisfy constraint: …" problems and throws them the way
 * DynamoDB's request validation does: "N validation error(s) detected: a; b". `firstOnly` keeps just
 * the first problem, as DynamoDB's newer request validation reports it (operations/common.ts).
 */
export class ConstraintErrors {
  /** The problems found so far, each `Value … at '…' failed to satisfy constraint: …`. */
  readonly problems: string[] = [];
  /** The only problem is the newer validation's bare enum refusal (`addBareEnum`). */
  private bare = false;

  constructor(private readonly firstOnly = false) {}

  add(value: unknown, path: string, constraint: string): void {
    this.push(`Value ${describeValue(value)} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  /**
   * A problem in the newer validation's wording, which echoes no value and names the member as the
   * API does: `Value at 'RequestItems' failed to satisfy constraint: …`.
   */
  addUnechoed(path: string, constraint: string): void {
    this.push(`Value at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  /** A problem worded in full by the caller (a value echoed in its own way). */
  addText(problem: string): void {
    this.push(problem);
  }

  /**
   * The newer validation's enum refusal, which names neither the value nor the member and, when it
   * is the only problem, comes without the `1 validation error detected: ` envelope.
   */
  addBareEnum(values: readonly string[]): void {
    this.addBare(`Failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
  }

  /** A problem that, when it is the only one, comes without the envelope (a bespoke message). */
  addBare(problem: string): void {
    const first = this.problems.length === 0;
    if (this.push(problem)) this.bare = first;
  }

  get count(): number {
    return this.problems.length;
  }

  /** True once a first-only collection holds its problem: later checks need not run. */
  get full(): boolean {
    return this.firstOnly && this.problems.length > 0;
  }

  throwIfAny(): void {
    if (this.problems.length === 0) return;
    const n = this.problems.length;
    if (n === 1 && this.bare) throw validation(this.problems[0]!);
    throw validation(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.problems.join('; ')}`);
  }

  private push(problem: string): boolean {
    if (this.full) return false;
    this.problems.push(problem);
    return true;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  // Numbers are quoted like strings: `Value '0' at 'limit'` (error-messages.md §3).
  if (typeof value === 'number') return `'${value}'`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return `[${value.map((v) => (typeof v === 'string' ? v : jsonText(v))).join(', ')}]`;
  return jsonText(value);
}
