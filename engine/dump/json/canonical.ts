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
