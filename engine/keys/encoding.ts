// Order-preserving key encoding: SQLite compares BLOBs with memcmp, so each key value is turned into
// bytes whose byte order is DynamoDB's order — S by UTF-8 bytes, B by bytes, N numerically.
import type { AttributeValue, KeyType } from '../types.js';
import { parseDecimal } from '../values/number.js';

const NEGATIVE = 0x01;
const ZERO = 0x02;
const POSITIVE = 0x03;
const EXPONENT_BIAS = 130; // DynamoDB exponents run from -130 to 125: one byte after the bias

/**
 * Numbers: a sign class byte, then for positives the biased exponent, one byte per digit (digit + 1)
 * and a 0x00 terminator (so 1.5 < 1.55); negatives are the same bytes complemented, which reverses
 * their order.
 */
export function encodeNumber(text: string): Buffer {
  const p = parseDecimal(text);
  if (!p) throw new Error(`not a number: ${text}`);
  if (p.digits === '') return Buffer.from([ZERO]);
  const out = Buffer.allocUnsafe(p.digits.length + 3);
  out[0] = p.negative ? NEGATIVE : POSITIVE;
  out[1] = p.exponent + EXPONENT_BIAS;
  for (let i = 0; i < p.digits.length; i++) out[i + 2] = p.digits.charCodeAt(i) - 47;
  out[p.digits.length + 2] = 0;
  if (p.negative) for (let i = 1; i < out.length; i++) out[i] = ~out[i]! & 0xff;
  return out;
}

export function encodeKeyValue(value: AttributeValue, type: KeyType): Buffer {
  switch (type) {
    case 'S':
      return Buffer.from((value as { S: string }).S, 'utf8');
    case 'B':
      return Buffer.from((value as { B: string }).B, 'base64');
    case 'N':
      return encodeNumber((value as { N: string }).N);
  }
}

/**
 * Several key values as one BLOB that orders like the tuple of values (for keys made of several
 * attributes): each part's 0x00 bytes are escaped as 00 FF and the part ends with 00 01.
 */
export function encodeComposite(parts: readonly Buffer[]): Buffer {
  if (parts.length === 1) return parts[0]!;
  return encodeCompositeParts(parts, true);
}
/** One part of a composite key: 0x00 escaped as 00 FF, and (unless a prefix) ended by 00 01. */
export function encodeCompositePart(part: Buffer, terminate: boolean): Buffer {
  return encodeCompositeParts([part], terminate);
}

function encodeCompositeParts(parts: readonly Buffer[], terminateLast: boolean): Buffer {
  const chunks: Buffer[] = [];
  parts.forEach((part, n) => {
    let start = 0;
    for (let i = 0; i < part.length; i++) {
      if (part[i] === 0) {
        chunks.push(part.subarray(start, i + 1), ESCAPE);
        start = i + 1;
      }
    }
    chunks.push(part.subarray(start));
    if (terminateLast || n < parts.length - 1) chunks.push(TERMINATOR);
  });
  return Buffer.concat(chunks);
}
const ESCAPE = Buffer.from([0xff]);
const TERMINATOR = Buffer.from([0x00, 0x01]);

/**
 * The hash that orders a Scan: 32-bit FNV-1a of the encoded partition key, then MurmurHash3's
 * 32-bit finaliser. FNV-1a alone changes mostly the low bits for a change in the last bytes, so
 * keys like `USER#1`…`USER#100` crowded into a few parallel-scan segments (ranges of the high
 * bits); the finaliser spreads every input bit over the whole word. Stored in every item-shaped
 * table's `h` column: changing it needs a migration that recomputes them (storage/database.ts).
 */
export function partitionHash(encodedPartitionKey: Buffer): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < encodedPartitionKey.length; i++) {
    h ^= encodedPartitionKey[i]!;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export const HASH_SPACE = 0x1_0000_0000;
