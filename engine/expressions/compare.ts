// How DynamoDB orders and inspects attribute values inside expressions: strings by UTF-8 bytes,
// numbers exactly, binary by unsigned bytes; only values of the same scalar type are ordered.
import type { AttributeType, AttributeValue } from '../types.js';
import { typeOf, valuesEqual } from '../values/attribute.js';
import { compareNumbers } from '../values/number.js';

/** Types the ordering operators (< <= > >= BETWEEN) accept. */
export const ORDERED_TYPES: ReadonlySet<AttributeType> = new Set(['S', 'N', 'B']);

export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function compareBinary(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'));
}

/** Orders two values of the same scalar type (S, N or B); undefined when they cannot be ordered. */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('S' in a && 'S' in b) return compareUtf8(a.S, b.S);
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('B' in a && 'B' in b) return compareBinary(a.B, b.B);
  return undefined;
}

export { valuesEqual, typeOf };

/**
 * What size() returns: UTF-16 code units of a string (as DynamoDB counts), bytes of a binary,
 * members of a set, elements of a list or map; undefined for other types.
 */
export function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return value.S.length;
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
}

export function beginsWith(value: AttributeValue, prefix: AttributeValue): boolean {
  if ('S' in value && 'S' in prefix) return value.S.startsWith(prefix.S);
  if ('B' in value && 'B' in prefix) {
    const bytes = Buffer.from(value.B, 'base64');
    const start = Buffer.from(prefix.B, 'base64');
    return bytes.length >= start.length && bytes.subarray(0, start.length).equals(start);
  }
  return false;
}

/** contains(): substring of a string or binary, member of a set, or element of a list. */
export function containsValue(haystack: AttributeValue, needle: AttributeValue): boolean {
  if ('S' in haystack) return 'S' in needle && haystack.S.includes(needle.S);
  if ('B' in haystack) {
    return 'B' in needle && Buffer.from(haystack.B, 'base64').includes(Buffer.from(needle.B, 'base64'));
  }
  if ('SS' in haystack) return 'S' in needle && haystack.SS.includes(needle.S);
  if ('NS' in haystack) return 'N' in needle && haystack.NS.some((n) => compareNumbers(n, needle.N) === 0);
  if ('BS' in haystack) return 'B' in needle && haystack.BS.some((b) => compareBinary(b, needle.B) === 0);
  if ('L' in haystack) return haystack.L.some((element) => valuesEqual(element, needle));
  return false;
}

/** `{N:5}` — how DynamoDB prints a value inside an error message. */
export function describeValue(value: AttributeValue): string {
  const type = typeOf(value);
  const inner = (value as Record<string, unknown>)[type];
  return `{${type}:${typeof inner === 'string' || typeof inner === 'boolean' ? String(inner) : JSON.stringify(inner)}}`;
}
