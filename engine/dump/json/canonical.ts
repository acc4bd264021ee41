// An imported item whose text is already what the table would store. Import lines written by an
// export (or by any tool that writes DynamoDB JSON compactly) hold items that normalisation would
// not change: for those, normalising (a copy of every value) and JSON.stringify again (a second
// copy) was most of an import's cost. This check walks the item JSON.parse gave once, without
// building anything: it proves that normalizeItem would return the same values in the same order,
// computes the item's size, and counts the characters JSON.stringify would write. When the count
// equals the text's length, the text is that JSON.stringify output (see `canonicalItemSize`), and
// the import stores the text as it is.
//
// Anything unusual (a number not in canonical form, a set out of order, a member normalisation
// drops, an attribute name an object would list first) gives up: the caller then takes the normal
// path, which also gives the exact error for invalid items. The two paths must agree on every
// item the check accepts (tests/unit/dump/canonical.test.ts compares them on generated items).
import { isBase64, MAX_ATTRIBUTE_NAME_BYTES, MAX_NESTING_DEPTH } from '../../values/attribute.js';
import { compareNumbers, normalizeNumberValue, numberSize } from '../../values/number.js';
import { base64ByteLength, utf8Length } from '../../values/size.js';
import type { Item } from '../../types.js';

/** Thrown inside the walk: the item is not in stored form (not an error of the item). */
class NotStored {}
const NOT_STORED = new NotStored();

/** Characters JSON.stringify writes, added up by the walk. */
let chars = 0;

/**
 * The size (by DynamoDB's rules) of `raw`, JSON.parse's result for `text`, when `text` is exactly
 * `JSON.stringify(normalizeItem(raw))`; undefined when it is not (or may not be).
 *
 * Why counting characters is enough: `text` has no backslash, so no string in it has an escape,
 * and (JSON.parse refuses raw control characters) no parsed string needs one: each is written back
 * as its characters between quotes. The walk refuses numbers outside strings (DynamoDB JSON has
 * none that normalisation keeps) and names objects reorder (array indexes), so JSON.stringify(raw)
 * is `text` without its whitespace and without members a repeated name overwrote; both only
 * lengthen the text. Equal lengths: equal texts.
 */
export function canonicalItemSize(raw: unknown, text: string): number | undefined {
  if (text.includes('\\')) return undefined;
  chars = 0;
  try {
    const size = itemSize(raw);
    return chars === text.length ? size : undefined;
  } catch {
    // NOT_STORED, or a number normalisation refuses: the normal path reports that.
    return undefined;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Names normalisation keeps as they are and objects list in insertion order. */
function checkName(name: string): void {
  if (name.length === 0 || name.length > MAX_ATTRIBUTE_NAME_BYTES / 3 || name === '__proto__')
    throw NOT_STORED;
  // An array index (a name of digits) is listed before other names: conservatively, any name
  // starting with a digit.
  const c = name.charCodeAt(0);
  if (c >= 48 && c <= 57) throw NOT_STORED;
}

function itemSize(raw: unknown): number {
  if (!isPlainObject(raw)) throw NOT_STORED;
  let size = 0;
  let members = 0;
  for (const name in raw) {
    checkName(name);
    members++;
    chars += name.length + 3; // "name":
    size += utf8Length(name) + valueSize(raw[name], 1);
  }
  if (members === 0) throw NOT_STORED;
  chars += 2 + (members - 1); // braces and commas
  return size;
}

function valueSize(raw: unknown, depth: number): number {
  if (!isPlainObject(raw) || depth > MAX_NESTING_DEPTH) throw NOT_STORED;
  let type: string | undefined;
  for (const k in raw) {
    if (type !== undefined) throw NOT_STORED;
    type = k;
  }
  if (type === undefined) throw NOT_STORED;
  const v = raw[type];
  // {"T":value}
  chars += type.length + 5;
  switch (type) {
    case 'S':
      if (typeof v !== 'string') throw NOT_STORED;
      chars += v.length + 2;
      return utf8Length(v);
    case 'N': {
      if (typeof v !== 'string') throw NOT_STORED;
      chars += v.length + 2;
      const size = integerSize(v);
      if (size > 0) return size;
      if (normalizeNumberValue(v, 'older') !== v) throw NOT_STORED;
      return numberSize(v);
    }
    case 'B':
      if (typeof v !== 'string' || !isBase64(v)) throw NOT_STORED;
      chars += v.length + 2;
      return base64ByteLength(v);
    case 'BOOL':
      if (typeof v !== 'boolean') throw NOT_STORED;
      chars += v ? 4 : 5;
      return 1;
    case 'NULL':
      if (v !== true) throw NOT_STORED;
      chars += 4;
      return 1;
    case 'L': {
      if (!Array.isArray(v)) throw NOT_STORED;
      let size = 3;
      for (let i = 0; i < v.length; i++) size += valueSize(v[i], depth + 1) + 1;
      chars += 2 + Math.max(0, v.length - 1);
      return size;
    }
    case 'M': {
      if (!isPlainObject(v)) throw NOT_STORED;
      let size = 3;
      let members = 0;
      for (const name in v) {
        // Nested names: normalisation allows the empty name here.
        if (name.length > MAX_ATTRIBUTE_NAME_BYTES / 3 || name === '__proto__') throw NOT_STORED;
        const c = name.charCodeAt(0);
        if (c >= 48 && c <= 57) throw NOT_STORED;
        members++;
        chars += name.length + 3;
        size += utf8Length(name) + valueSize(v[name], depth + 1) + 1;
      }
      chars += 2 + Math.max(0, members - 1);
      return size;
    }
    case 'SS':
    case 'NS':
    case 'BS':
      return setSize(type, v);
    default:
      throw NOT_STORED;
  }
}

/**
 * The size of `v` when it is an integer of at most 38 digits written canonically (no sign but a
 * leading minus, no leading zero: normalisation keeps it as it is), without parsing it as a decimal;
 * 0 when it is not one (the general path decides). The size is numberSize's: the digits from the
 * first to the last non-zero one, in base-100 pairs aligned on the decimal point, plus one byte,
 * plus one for a minus.
 */
function integerSize(v: string): number {
  const minus = v.charCodeAt(0) === 45 ? 1 : 0;
  const digits = v.length - minus;
  if (digits === 0 || digits > 38) return 0;
  const first = v.charCodeAt(minus);
  if (first < 49 || first > 57) return 0;
  let zeros = 0;
  for (let i = minus + 1; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return 0;
    zeros = c === 48 ? zeros + 1 : 0;
  }
  // The first digit is 10^(digits-1), the last non-zero one 10^zeros.
  return 2 + Math.floor((digits - 1) / 2) - Math.floor(zeros / 2) + minus;
}

/** A set in stored form: non-empty, valid members, strictly increasing in the stored order. */
function setSize(type: 'SS' | 'NS' | 'BS', v: unknown): number {
  if (!Array.isArray(v) || v.length === 0) throw NOT_STORED;
  let size = 0;
  let previous: string | undefined;
  for (let i = 0; i < v.length; i++) {
    const m: unknown = v[i];
    if (typeof m !== 'string') throw NOT_STORED;
    switch (type) {
      case 'SS':
        if (previous !== undefined && compareUtf8(previous, m) >= 0) throw NOT_STORED;
        size += utf8Length(m);
        break;
      case 'NS':
        if (normalizeNumberValue(m, 'older') !== m) throw NOT_STORED;
        if (previous !== undefined && compareNumbers(previous, m) >= 0) throw NOT_STORED;
        size += numberSize(m);
        break;
      case 'BS':
        if (!isBase64(m)) throw NOT_STORED;
        if (
          previous !== undefined &&
          Buffer.compare(Buffer.from(previous, 'base64'), Buffer.from(m, 'base64')) >= 0
        )
          throw NOT_STORED;
        size += base64ByteLength(m);
        break;
    }
    chars += m.length + 2;
    previous = m;
  }
  chars += 2 + (v.length - 1);
  return size;
}

/** Orders two strings by their UTF-8 bytes (the stored order of string sets). */
function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Below the surrogates, UTF-16 units order as code points, so as UTF-8 bytes.
    if (x < 0xd800 && y < 0xd800) return x - y;
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  return a.length - b.length;
}

// ── the same check on the text alone ────────────────────────────────────────────────────────────
//
// `JSON.parse` builds an object for every attribute value (most of an import's CPU went there) only
// for the walk above to look at it once. `scanStoredItem` makes the same decision reading the text
// itself: it accepts exactly the texts `canonicalItemSize` accepts (tests/unit/dump/canonical.test.ts
// compares the two on generated items and mutated texts) and returns the same size, and it picks
// out the attributes the key checks need. Whatever it does not accept goes to JSON.parse and the
// walk as before, which also word the errors. Stored form has no whitespace and no escape, so
// every string is the text between two quotes, and its UTF-8 length is counted on the way.

/** The text being scanned and the position in it (module state: the scan never re-enters). */
let src = '';
let at = 0;
/** Where the string `scanString` last read starts (after its quote), and its UTF-8 bytes. */
let strStart = 0;
let strBytes = 0;

/** What `scanStoredItem` found: the item's size and the attributes asked for (S, N or B values). */
export interface ScannedItem {
  readonly size: number;
  readonly picked: Item;
}

/**
 * When `text[from, to)` is an item in stored form (what `canonicalItemSize` accepts), its size and
 * its top-level attributes named in `wanted`; undefined otherwise (and when one of those is not an
 * S, N or B value: the key checks refuse that, on the normal path).
 */
export function scanStoredItem(
  text: string,
  from: number,
  to: number,
  wanted: readonly string[],
): ScannedItem | undefined {
  src = text;
  at = from;
  const picked: Item = {};
  try {
    if (text.charCodeAt(at++) !== 123 /* { */) return undefined;
    const names: string[] = [];
    let size = 0;
    for (;;) {
      // Top-level names: never empty.
      const nameBytes = scanName(names, false);
      if (nameBytes < 0) return undefined;
      const name = names[names.length - 1]!;
      const valueAt = at;
      const s = scanValue(1);
      if (s < 0) return undefined;
      size += nameBytes + s;
      if (wanted.includes(name) && !pick(picked, name, valueAt)) return undefined;
      const next = text.charCodeAt(at++);
      if (next === 125 /* } */) break;
      if (next !== 44 /* , */) return undefined;
    }
    return at === to ? { size, picked } : undefined;
  } catch {
    // A number normalisation refuses: the normal path reports it.
    return undefined;
  } finally {
    src = '';
  }
}

/** Records the S, N or B value scanned at `valueAt` as picked[name]; false for other types. */
function pick(picked: Item, name: string, valueAt: number): boolean {
  // {"S":"…"}: the type is one character; its value starts six characters in.
  if (src.charCodeAt(valueAt + 3) !== 34 /* " */) return false;
  const type = src.charCodeAt(valueAt + 2);
  const value = src.slice(valueAt + 6, at - 2);
  if (type === 83 /* S */) picked[name] = { S: value };
  else if (type === 78 /* N */) picked[name] = { N: value };
  else if (type === 66 /* B */) picked[name] = { B: value };
  else return false;
  return true;
}

/**
 * A string at `at` with no escape and no control character: the index of its closing quote (`at`
 * moves past it), with `strStart` and `strBytes` set; -1 otherwise.
 */
function scanString(): number {
  if (src.charCodeAt(at) !== 34 /* " */) return -1;
  const n = src.length;
  let bytes = 0;
  for (let i = at + 1; i < n; i++) {
    const c = src.charCodeAt(i);
    if (c < 0x80) {
      if (c === 34 /* " */) {
        strStart = at + 1;
        strBytes = bytes;
        at = i + 1;
        return i;
      }
      // A backslash starts an escape (never in stored form); JSON refuses raw control characters.
      if (c === 92 || c < 32) return -1;
      bytes++;
    } else if (c < 0x800) {
      bytes += 2;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      // A surrogate pair is one 4-byte character; a lone surrogate is written as U+FFFD (3 bytes),
      // as Buffer.byteLength counts it.
      const d = src.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    } else {
      bytes += 3;
    }
  }
  return -1;
}

/**
 * An attribute name at `at` and its colon, new among `names` (to which it is added): its UTF-8
 * bytes, or -1. A name starting with a digit is left to the walk above (an index-like name is one
 * JSON.parse would move to the front).
 */
function scanName(names: string[], emptyAllowed: boolean): number {
  const end = scanString();
  if (end < 0 || (end === strStart && !emptyAllowed) || end - strStart > MAX_ATTRIBUTE_NAME_BYTES / 3)
    return -1;
  const c = src.charCodeAt(strStart);
  if (c >= 48 && c <= 57) return -1;
  const name = lastString(end);
  if (name === '__proto__' || names.includes(name)) return -1;
  names.push(name);
  const bytes = strBytes;
  return src.charCodeAt(at++) === 58 /* : */ ? bytes : -1;
}

/** The string `scanString` last read. */
function lastString(end: number): string {
  return src.slice(strStart, end);
}

/** Scans `literal` at `at`; false when the text has something else. */
function scanLiteral(literal: string): boolean {
  if (!src.startsWith(literal, at)) return false;
  at += literal.length;
  return true;
}

/** The size of the attribute value at `at` (as `valueSize` above), or -1 when not in stored form. */
function scanValue(depth: number): number {
  // {"T":value}, T one of S N B L M (one character), SS NS BS, BOOL NULL.
  if (depth > MAX_NESTING_DEPTH || src.charCodeAt(at) !== 123 /* { */ || src.charCodeAt(at + 1) !== 34)
    return -1;
  const t0 = src.charCodeAt(at + 2);
  let size: number;
  if (src.charCodeAt(at + 3) === 34 /* " */) {
    if (src.charCodeAt(at + 4) !== 58 /* : */) return -1;
    at += 5;
    switch (t0) {
      case 83 /* S */:
        if (scanString() < 0) return -1;
        size = strBytes;
        break;
      case 78 /* N */: {
        const end = scanString();
        if (end < 0) return -1;
        const v = lastString(end);
        size = integerSize(v);
        if (size === 0) {
          if (normalizeNumberValue(v, 'older') !== v) return -1;
          size = numberSize(v);
        }
        break;
      }
      case 66 /* B */: {
        const end = scanString();
        if (end < 0) return -1;
        const v = lastString(end);
        if (!isBase64(v)) return -1;
        size = base64ByteLength(v);
        break;
      }
      case 76 /* L */:
        size = scanList(depth);
        break;
      case 77 /* M */:
        size = scanMap(depth);
        break;
      default:
        return -1;
    }
  } else if (src.charCodeAt(at + 3) === 83 /* S */ && src.charCodeAt(at + 4) === 34) {
    if (src.charCodeAt(at + 5) !== 58 /* : */) return -1;
    at += 6;
    if (t0 === 83 /* S */) size = scanSet('SS');
    else if (t0 === 78 /* N */) size = scanSet('NS');
    else if (t0 === 66 /* B */) size = scanSet('BS');
    else return -1;
  } else if (scanLiteral('{"BOOL":')) {
    if (!scanLiteral('true') && !scanLiteral('false')) return -1;
    size = 1;
  } else if (scanLiteral('{"NULL":')) {
    if (!scanLiteral('true')) return -1;
    size = 1;
  } else {
    return -1;
  }
  // One member: the type.
  return size >= 0 && src.charCodeAt(at++) === 125 /* } */ ? size : -1;
}

function scanList(depth: number): number {
  if (src.charCodeAt(at++) !== 91 /* [ */) return -1;
  let size = 3;
  if (src.charCodeAt(at) === 93 /* ] */) {
    at++;
    return size;
  }
  for (;;) {
    const s = scanValue(depth + 1);
    if (s < 0) return -1;
    size += s + 1;
    const next = src.charCodeAt(at++);
    if (next === 93 /* ] */) return size;
    if (next !== 44 /* , */) return -1;
  }
}

function scanMap(depth: number): number {
  if (src.charCodeAt(at++) !== 123 /* { */) return -1;
  let size = 3;
  if (src.charCodeAt(at) === 125 /* } */) {
    at++;
    return size;
  }
  const names: string[] = [];
  for (;;) {
    // Nested names: normalisation allows the empty name here.
    const nameBytes = scanName(names, true);
    if (nameBytes < 0) return -1;
    const s = scanValue(depth + 1);
    if (s < 0) return -1;
    size += nameBytes + s + 1;
    const next = src.charCodeAt(at++);
    if (next === 125 /* } */) return size;
    if (next !== 44 /* , */) return -1;
  }
}

function scanSet(type: 'SS' | 'NS' | 'BS'): number {
  if (src.charCodeAt(at++) !== 91 /* [ */) return -1;
  const members: string[] = [];
  for (;;) {
    const end = scanString();
    if (end < 0) return -1;
    members.push(lastString(end));
    const next = src.charCodeAt(at++);
    if (next === 93 /* ] */) break;
    if (next !== 44 /* , */) return -1;
  }
  try {
    return setSize(type, members);
  } catch {
    return -1;
  }
}
