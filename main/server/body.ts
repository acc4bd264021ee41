// A request body on its way to the engine: Content-Encoding (gzip, deflate) undone within the size
// bound, then read as JSON that is strictly UTF-8 and holds no lone surrogate. Anything else is a
// SerializationException: a key DynamoDB would refuse must never be transcoded into another key
// (`x\ud800` and `x\udbff` both turning into `x\ufffd` would make three keys one).
import { isUtf8 } from 'node:buffer';
import { inflate, gunzip } from 'node:zlib';

/** A request's Content-Encoding, as the endpoint understands it. */
export type RequestEncoding = 'identity' | 'gzip' | 'deflate';

/**
 * The encoding a Content-Encoding header names, or undefined when it is one the endpoint cannot
 * decode (`br`, a list of several, garbage).
 */
export function requestEncoding(header: string | undefined): RequestEncoding | undefined {
  if (header === undefined) return 'identity';
  const value = header.trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate') return 'deflate';
  return undefined;
}

/** Why a body could not be decoded. */
export type DecodeFailure = 'too-large' | 'corrupt';

/**
 * Decodes a gzip or deflate (zlib-wrapped, as HTTP means it) body on the thread pool, producing at
 * most `maxBytes`: a body that would inflate beyond that stops there and is reported 'too-large',
 * so a small "zip bomb" never grows into memory. Truncated, empty or foreign data is 'corrupt'.
 */
export function decodeBody(
  body: Buffer,
  encoding: Exclude<RequestEncoding, 'identity'>,
  maxBytes: number,
  done: (result: Buffer | DecodeFailure) => void,
): void {
  const decode = encoding === 'gzip' ? gunzip : inflate;
  decode(body, { maxOutputLength: maxBytes }, (err, out) => {
    if (!err) done(out);
    else done((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'corrupt');
  });
}

/** Returned by parseJsonBody for a body that is not JSON (answered without a message, as DynamoDB). */
export const NOT_JSON: unique symbol = Symbol('not JSON');

// A `\uD800`…`\uDFFF` escape: only a body holding one can parse into a string with a lone surrogate
// (a raw, UTF-8 encoded surrogate is invalid UTF-8, which isUtf8 already refuses).
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
// In a `u` regex a well-formed pair is one code point; only a lone surrogate is category Cs.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Parses a request body. NOT_JSON when it is not valid UTF-8, not JSON, or when a string (or an
 * object key) in it holds a lone surrogate — DynamoDB's parser refuses all three. The common body,
 * with no `\u` escape at all, costs one UTF-8 validation and one indexOf on top of JSON.parse.
 */
export function parseJsonBody(body: Buffer): unknown {
  if (!isUtf8(body)) return NOT_JSON;
  const text = body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
  if (text.indexOf('\\u') !== -1 && SURROGATE_ESCAPE.test(text) && holdsLoneSurrogate(value)) {
    return NOT_JSON;
  }
  return value;
}

/** True when a string anywhere in a parsed JSON value (keys included) has a lone surrogate. */
function holdsLoneSurrogate(root: unknown): boolean {
  // An explicit stack: a deeply nested body must not overflow the call stack.
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return true;
    } else if (Array.isArray(value)) {
      for (const element of value) stack.push(element);
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        if (LONE_SURROGATE.test(key)) return true;
        stack.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}
