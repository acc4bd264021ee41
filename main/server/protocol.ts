// DynamoDB's JSON 1.0 wire protocol, server side: which X-Amz-Target prefixes exist, how errors are
// named on the wire, and what a response looks like.
//
// Error `__type` prefixes follow the real service (the SDKs keep only the part after `#`, so these
// matter to hand-written clients and to anyone diffing responses against DynamoDB's):
//   com.amazon.coral.validate#ValidationException
//   com.amazon.coral.service#<protocol and authentication errors> (SerializationException,
//     UnknownOperationException, the signature errors, AccessDeniedException, RequestEntityTooLarge)
//   com.amazon.coral.availability#ThrottlingException
//   com.amazonaws.dynamodb.v20120810#<everything the database itself reports>
import { randomBytes } from 'node:crypto';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** DynamoDB's limit on a request body (BatchWriteItem may carry up to 16 MB). */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** X-Amz-Target service prefixes the endpoint answers. */
export const DYNAMODB_TARGET = 'DynamoDB_20120810';
export const STREAMS_TARGET = 'DynamoDBStreams_20120810';
/** Sortkey's own calls (EXPLAIN and the like) that DynamoDB does not have. */
export const SORTKEY_TARGET = 'Sortkey_20250101';

/** The operations of the DynamoDB Streams API: only reachable under STREAMS_TARGET. */
export const STREAMS_OPERATIONS: ReadonlySet<string> = new Set([
  'DescribeStream',
  'GetRecords',
  'GetShardIterator',
  'ListStreams',
]);

const CORAL_SERVICE_ERRORS: ReadonlySet<string> = new Set([
  'SerializationException',
  'UnknownOperationException',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'InvalidSignatureException',
  'UnrecognizedClientException',
  'AccessDeniedException',
  'RequestEntityTooLarge',
]);

const typeIds = new Map<string, string>();

/** The wire `__type` of an error named `type` (memoised: the set of names is small). */
export function errorTypeId(type: string): string {
  let id = typeIds.get(type);
  if (id === undefined) {
    if (type === 'ValidationException') id = 'com.amazon.coral.validate#ValidationException';
    else if (type === 'ThrottlingException') id = 'com.amazon.coral.availability#ThrottlingException';
    else if (CORAL_SERVICE_ERRORS.has(type)) id = `com.amazon.coral.service#${type}`;
    else id = `com.amazonaws.dynamodb.v20120810#${type}`;
    if (typeIds.size < 1000) typeIds.set(type, id);
  }
  return id;
}

/** An error as the endpoint sends it: DynamoDB's name, message, HTTP status and extra body fields. */
export interface WireError {
  readonly type: string;
  readonly message: string;
  readonly status: number;
  readonly extra?: Record<string, unknown> | undefined;
}

/**
 * Errors whose message DynamoDB sends as `Message` (capital M) rather than `message`
 * (shared/reference/error-messages.md §0 and §7).
 */
const CAPITAL_MESSAGE_ERRORS: ReadonlySet<string> = new Set([
  'SerializationException',
  'AccessDeniedException',
]);

/** Serialises an error body: `{"__type": …, "message": …, …extra}`. */
export function errorBody(err: WireError): string {
  const body: Record<string, unknown> = { __type: errorTypeId(err.type) };
  const extra = err.extra;
  // Some errors (TransactionCanceledException) carry `Message`; the engine can supply it in `extra`.
  // An empty message is left out, as DynamoDB does for UnknownOperationException and for a
  // SerializationException about a body that is not JSON at all.
  if (err.message !== '' && (!extra || !('Message' in extra))) {
    body[CAPITAL_MESSAGE_ERRORS.has(err.type) ? 'Message' : 'message'] = err.message;
  }
  if (extra) {
    for (const key of Object.keys(extra)) {
      if (key !== '__type' && key !== 'message') body[key] = extra[key];
    }
  }
  return JSON.stringify(body);
}

/**
 * Recognises the engine's DynamoError without importing its class (an injected engine, or one
 * loaded from another copy of the module, still qualifies): an Error with a string `type` and a
 * numeric `statusCode`.
 */
export function asDynamoError(e: unknown): WireError | undefined {
  if (!(e instanceof Error)) return undefined;
  const err = e as Error & { type?: unknown; statusCode?: unknown; extra?: unknown };
  if (typeof err.type !== 'string' || typeof err.statusCode !== 'number') return undefined;
  const extra =
    err.extra && typeof err.extra === 'object' ? (err.extra as Record<string, unknown>) : undefined;
  return { type: err.type, message: err.message, status: err.statusCode, extra };
}

// Request IDs look like DynamoDB's: 52 characters of [0-9A-Z]. A random per-process prefix and a
// counter make them unique without a random draw per request.
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const REQUEST_ID_PREFIX = Array.from(randomBytes(40), (b) => ALPHABET[b % 36]).join('');
let requestCounter = 0;

export function nextRequestId(): string {
  requestCounter++;
  return REQUEST_ID_PREFIX + requestCounter.toString(36).toUpperCase().padStart(12, '0');
}
