// DynamoDB's errors. Every failure the engine reports to a client is a DynamoError: its `type` is
// DynamoDB's exception name (what the SDKs turn into an error class), `message` DynamoDB's text.

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
 * DynamoDB's request validation does: "N validation error(s) detected: a; b".
 */
export class ConstraintErrors {
  private readonly problems: string[] = [];

  add(value: unknown, path: string, constraint: string): void {
    this.problems.push(
      `Value ${describeValue(value)} at '${path}' failed to satisfy constraint: ${constraint}`,
    );
  }

  get count(): number {
    return this.problems.length;
  }

  throwIfAny(): void {
    if (this.problems.length === 0) return;
    const n = this.problems.length;
    throw validation(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.problems.join('; ')}`);
  }
}

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return `[${value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}]`;
  return JSON.stringify(value);
}
