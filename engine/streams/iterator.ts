// Shard iterators: opaque strings naming a stream, its shard, the next sequence number to read and
// when the iterator was handed out (iterators expire after 15 minutes, as DynamoDB's do).
import { DynamoError, validation } from '../errors.js';
import { ITERATOR_LIFETIME_MS } from './service.js';

export interface ShardIterator {
  /** Stream ARN. */
  readonly arn: string;
  readonly shardId: string;
  /** The next sequence number to read (records with seq ≥ position). */
  readonly position: number;
  /** When the iterator was issued, in epoch milliseconds. */
  readonly issuedAt: number;
}

const PREFIX = 'sk1.';

export function encodeIterator(it: ShardIterator): string {
  const body = JSON.stringify([it.arn, it.shardId, it.position, it.issuedAt]);
  return PREFIX + Buffer.from(body, 'utf8').toString('base64url');
}

export function decodeIterator(text: string): ShardIterator {
  if (!text.startsWith(PREFIX)) throw validation('Invalid ShardIterator');
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw validation('Invalid ShardIterator');
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== 4 ||
    typeof parts[0] !== 'string' ||
    typeof parts[1] !== 'string' ||
    !Number.isSafeInteger(parts[2]) ||
    !Number.isSafeInteger(parts[3])
  ) {
    throw validation('Invalid ShardIterator');
  }
  return { arn: parts[0], shardId: parts[1], position: parts[2] as number, issuedAt: parts[3] as number };
}

function describeTime(ms: number): string {
  return new Date(ms).toUTCString();
}

/** ExpiredIteratorException once 15 minutes have passed since the iterator was issued. */
export function checkNotExpired(it: ShardIterator, now: number): void {
  if (now - it.issuedAt > ITERATOR_LIFETIME_MS) {
    throw new DynamoError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${describeTime(it.issuedAt)} while right now it is ${describeTime(now)} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`,
    );
  }
}
