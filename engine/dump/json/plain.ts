// Plain JSON documents ↔ DynamoDB attribute values. Plain JSON has no sets and no binary, so both
// directions take options saying how those map; numbers are always carried as their exact text.
//
//   plain JSON               attribute value
//   "text"                   S   (or B, with binary 'prefix' and the prefix: "base64:AAEC")
//   12.50 (any number)       N   exactly as written (normalised by DynamoDB's rules on import)
//   true / false             BOOL
//   null                     NULL
//   [ … ]                    L   (or SS/NS/BS with sets 'auto', when the members allow)
//   { … }                    M
import { validation } from '../../errors.js';
import type { AttributeValue, Item } from '../../types.js';
import { MAX_NESTING_DEPTH } from '../../values/attribute.js';
import { normalizeNumber } from '../../values/number.js';
import { JsonNumber } from './exact.js';

export interface PlainOptions {
  /**
   * JSON arrays on import: 'list' (default) always makes L; 'auto' makes SS from non-empty arrays of
   * distinct strings, NS from distinct numbers, BS from distinct prefixed binaries, L otherwise.
   * On export every set is written as a JSON array.
   */
  readonly sets?: 'list' | 'auto';
  /**
   * Binary values: 'base64' (default) exports B as a bare base64 string and never makes B on import;
   * 'prefix' writes and reads B as the string `binaryPrefix + base64` (lossless round trip).
   */
  readonly binary?: 'base64' | 'prefix';
  /** The marker of binary strings for binary 'prefix'. Default `base64:`. */
  readonly binaryPrefix?: string;
}

export const DEFAULT_BINARY_PREFIX = 'base64:';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const TYPES: ReadonlySet<string> = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'L', 'M', 'SS', 'NS', 'BS']);

/** A record that cannot become an item (not an object, a number JSON cannot hold, …). */
export class PlainConversionError extends Error {}

function nestingError(): Error {
  return validation(
    'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
  );
}

function numberText(v: unknown): string | undefined {
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PlainConversionError(`${v} is not a number DynamoDB can store`);
    return String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  return undefined;
}

function binaryOf(v: unknown, opts: PlainOptions): string | undefined {
  if (opts.binary !== 'prefix' || typeof v !== 'string') return undefined;
  const prefix = opts.binaryPrefix ?? DEFAULT_BINARY_PREFIX;
  if (!v.startsWith(prefix)) return undefined;
  const b64 = v.slice(prefix.length);
  return BASE64.test(b64) ? b64 : undefined;
}

function asSet(arr: readonly unknown[], opts: PlainOptions): AttributeValue | undefined {
  if (arr.length === 0) return undefined;
  const first = arr[0];
  if (binaryOf(first, opts) !== undefined) {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const m of arr) {
      const b = binaryOf(m, opts);
      if (b === undefined) return undefined;
      const id = Buffer.from(b, 'base64').toString('base64');
      if (seen.has(id)) return undefined;
      seen.add(id);
      out.push(b);
    }
    return { BS: out };
  }
  if (typeof first === 'string') {
    const seen = new Set<string>();
    for (const m of arr) {
      if (typeof m !== 'string' || binaryOf(m, opts) !== undefined || seen.has(m)) return undefined;
      seen.add(m);
    }
    return { SS: arr as string[] };
  }
  if (numberText(first) !== undefined) {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const m of arr) {
      const text = numberText(m);
      if (text === undefined) return undefined;
      let canonical: string;
      try {
        canonical = normalizeNumber(text);
      } catch {
        return undefined; // leave it a list: the member's own error is reported by validation
      }
      if (seen.has(canonical)) return undefined;
      seen.add(canonical);
      out.push(text);
    }
    return { NS: out };
  }
  return undefined;
}

/** One plain JSON value as an attribute value (not yet validated: normalizeItem does that). */
export function plainToValue(v: unknown, opts: PlainOptions, depth = 1): AttributeValue {
  if (depth > MAX_NESTING_DEPTH + 1) throw nestingError();
  if (v === null || v === undefined) return { NULL: true };
  if (typeof v === 'string') {
    const b = binaryOf(v, opts);
    return b !== undefined ? { B: b } : { S: v };
  }
  if (typeof v === 'boolean') return { BOOL: v };
  const n = numberText(v);
  if (n !== undefined) return { N: n };
  if (Array.isArray(v)) {
    if (opts.sets === 'auto') {
      const set = asSet(v, opts);
      if (set) return set;
    }
    const out = new Array<AttributeValue>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = plainToValue(v[i], opts, depth + 1);
    return { L: out };
  }
  if (typeof v === 'object') {
    const out: Record<string, AttributeValue> = {};
    for (const k in v as object) {
      const member = (v as Record<string, unknown>)[k];
      if (member === undefined) continue;
      defineMember(out, k, plainToValue(member, opts, depth + 1));
    }
    return { M: out };
  }
  throw new PlainConversionError(`cannot store a ${typeof v} value`);
}

function defineMember(target: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A plain JSON record (an object) as an item in DynamoDB JSON, ready for validation. */
export function plainToItem(v: unknown, opts: PlainOptions): Item {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof JsonNumber) {
    throw new PlainConversionError(`expected a JSON object, found ${describeJson(v)}`);
  }
  const out: Item = {};
  for (const k in v as object) {
    const member = (v as Record<string, unknown>)[k];
    if (member === undefined) continue;
    defineMember(out, k, plainToValue(member, opts, 1));
  }
  return out;
}

export function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof JsonNumber || typeof v === 'number') return 'a number';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'boolean') return 'a boolean';
  return `a ${typeof v}`;
}

/**
 * True when every top-level attribute of the object is a DynamoDB JSON attribute value
 * (`{"S": "x"}`, `{"N": "1"}`, …): how import tells DynamoDB JSON from plain JSON.
 */
export function looksLikeDynamoItem(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  let any = false;
  for (const k in v as object) {
    any = true;
    const a = (v as Record<string, unknown>)[k];
    if (a === null || typeof a !== 'object' || Array.isArray(a)) return false;
    const keys = Object.keys(a);
    if (keys.length !== 1 || !TYPES.has(keys[0]!)) return false;
    const inner = (a as Record<string, unknown>)[keys[0]!];
    switch (keys[0]) {
      case 'S':
      case 'N':
      case 'B':
        if (typeof inner !== 'string') return false;
        break;
      case 'BOOL':
      case 'NULL':
        if (typeof inner !== 'boolean') return false;
        break;
      case 'M':
        if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return false;
        break;
      default:
        if (!Array.isArray(inner)) return false;
    }
  }
  return any;
}

function binaryText(b64: string, opts: PlainOptions): string {
  return JSON.stringify(opts.binary === 'prefix' ? (opts.binaryPrefix ?? DEFAULT_BINARY_PREFIX) + b64 : b64);
}

function numberJson(n: string): string {
  return JSON_NUMBER.test(n) ? n : JSON.stringify(n);
}

/** One attribute value as plain JSON text. Numbers are written digit for digit. */
export function valueToPlainJson(v: AttributeValue, opts: PlainOptions): string {
  if ('S' in v) return JSON.stringify(v.S);
  if ('N' in v) return numberJson(v.N);
  if ('BOOL' in v) return v.BOOL ? 'true' : 'false';
  if ('NULL' in v) return 'null';
  if ('B' in v) return binaryText(v.B, opts);
  if ('M' in v) return itemToPlainJson(v.M, opts);
  if ('L' in v) {
    let s = '[';
    for (let i = 0; i < v.L.length; i++) s += (i ? ',' : '') + valueToPlainJson(v.L[i]!, opts);
    return s + ']';
  }
  if ('SS' in v) return JSON.stringify(v.SS);
  if ('NS' in v) return '[' + v.NS.map(numberJson).join(',') + ']';
  if ('BS' in v) return '[' + v.BS.map((b) => binaryText(b, opts)).join(',') + ']';
  throw new Error(`unknown attribute value ${JSON.stringify(v)}`);
}

/** An item (or map) as a plain JSON object's text. */
export function itemToPlainJson(item: Record<string, AttributeValue>, opts: PlainOptions): string {
  let s = '{';
  let first = true;
  for (const k in item) {
    s += (first ? '' : ',') + JSON.stringify(k) + ':' + valueToPlainJson(item[k]!, opts);
    first = false;
  }
  return s + '}';
}
