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

/**
 * Parses a request body. NOT_JSON when it is not valid UTF-8, not JSON, or when a string (or an
 * object key) in it holds a lone surrogate — DynamoDB's parser refuses all three. A raw surrogate is
 * invalid UTF-8 already, so only `\uD800`…`\uDFFF` escapes are left to check, in the text: the
 * common body, with no `\u` at all, costs one UTF-8 validation and one indexOf on top of JSON.parse.
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
  return holdsLoneSurrogateEscape(text) ? NOT_JSON : value;
}

const BACKSLASH = 0x5c;
const LETTER_U = 0x75;

/** The code unit a `\uXXXX` escape at `at` (the backslash) stands for (-1 if not four hex digits). */
function escapedUnit(text: string, at: number): number {
  if (text.charCodeAt(at) !== BACKSLASH || text.charCodeAt(at + 1) !== LETTER_U) return -1;
  let unit = 0;
  for (let i = at + 2; i < at + 6; i++) {
    const c = text.charCodeAt(i);
    const digit =
      c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

/**
 * True when JSON text (already known to parse) has a `\u` escape of a high surrogate not followed
 * by one of a low surrogate, or of a low surrogate not preceded by a high one. A `\u` whose
 * backslash is itself escaped (`\\u…`, an odd run of backslashes before it) is text, not an escape.
 */
function holdsLoneSurrogateEscape(text: string): boolean {
  let at = text.indexOf('\\u');
  while (at !== -1) {
    let run = 0;
    while (at - run - 1 >= 0 && text.charCodeAt(at - run - 1) === BACKSLASH) run++;
    if (run % 2 === 0) {
      const unit = escapedUnit(text, at);
      if (unit >= 0xd800 && unit <= 0xdbff) {
        const next = escapedUnit(text, at + 6);
        if (next < 0xdc00 || next > 0xdfff) return true;
        at = text.indexOf('\\u', at + 12);
        continue;
      }
      if (unit >= 0xdc00 && unit <= 0xdfff) return true;
    }
    at = text.indexOf('\\u', at + 2);
  }
  return false;
}
