// Shared validation of the DynamoDB Streams operations.
import { DynamoError, validation } from '../errors.js';
import type { ConstraintErrors } from '../errors.js';
import { checkLength, checkRange } from '../operations/common.js';

export function checkStreamArn(c: ConstraintErrors, value: unknown, path: string, required: boolean): void {
  if (value === undefined || value === null) {
    if (required) c.add(null, path, 'Member must not be null');
    return;
  }
  // DynamoDB refuses anything not shaped like a stream ARN as such, before any length constraint.
  if (typeof value === 'string' && !STREAM_ARN.test(value)) throw validation('Invalid StreamArn');
  checkLength(c, value, path, 37, 1024);
}

const STREAM_ARN = /^arn:aws[\w-]*:dynamodb:[^:]*:[^:]*:table\/[A-Za-z0-9_.-]{3,255}\/stream\/.+$/;

export function checkShardId(c: ConstraintErrors, value: unknown, path: string, required: boolean): void {
  if (value === undefined || value === null) {
    if (required) c.add(null, path, 'Member must not be null');
    return;
  }
  checkLength(c, value, path, 28, 65);
}

export function checkLimit(c: ConstraintErrors, value: unknown, path: string, max: number): void {
  checkRange(c, value, path, 1, max);
}

export function shardNotFound(): DynamoError {
  return new DynamoError('ResourceNotFoundException', 'Requested resource not found: Shard does not exist');
}

export function trimmedDataAccess(): DynamoError {
  return new DynamoError(
    'TrimmedDataAccessException',
    'The operation attempted to read past the oldest stream record in a shard. Stream records are kept for 24 hours.',
  );
}
