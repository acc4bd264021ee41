// Stored item JSON → export text without building the item. A local table keeps each item as the
// JSON.stringify text of its DynamoDB JSON; plain JSON and CSV exports need each value in another
// shape, and parsing every item into objects first (then writing them out again) was most of their
// cost. These readers walk the stored text once and copy its pieces: string literals produced by
// JSON.stringify are already the JSON.stringify of their value, so they are spliced as they are.
//
// The output must be exactly what the object path (JSON.parse, then valueToPlainJson / csvValue)
// writes. Whatever could make the two differ (whitespace, escapes, an attribute name that is an
// array index, which objects list first) makes these readers give up (NotCanonical) and the
// caller takes the object path for that item.
import type { PlainOptions } from './plain.js';
import { DEFAULT_BINARY_PREFIX } from './plain.js';

/** The text is not in the shape these readers copy from; use the object path. */
export class NotCanonical extends Error {}

const NOT_CANONICAL = new NotCanonical('not canonical stored JSON');
const QUOTE = 34;

/**
 * The index just past the string literal that starts (with its quote) at `i`. The text has no
 * backslash at all (checked once per item by `withoutEscapes`), so the next quote closes it.
 */
function stringEnd(s: string, i: number): number {
  if (s.charCodeAt(i) !== QUOTE) throw NOT_CANONICAL;
  const close = s.indexOf('"', i + 1);
  if (close < 0) throw NOT_CANONICAL;
  return close + 1;
}

/**
 * Escapes (a backslash anywhere) mean a literal may not be spelled as JSON.stringify spells its
 * value (`\u0041` for `A`); such items, rare, take the object path whole.
 */
function withoutEscapes(s: string): string {
  if (s.includes('\\')) throw NOT_CANONICAL;
  return s;
}

/** True for names an object lists first, in numeric order (array indexes): text order ≠ key order. */
function isIndexName(s: string, from: number, to: number): boolean {
  if (to - from > 10 || to === from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (to - from > 1 && s.charCodeAt(from) === 48) return false;
  return Number(s.slice(from, to)) < 4294967295;
}

function expect(s: string, i: number, text: string): number {
  if (!s.startsWith(text, i)) throw NOT_CANONICAL;
  return i + text.length;
}

function binaryText(b64: string, opts: PlainOptions): string {
  return JSON.stringify(opts.binary === 'prefix' ? (opts.binaryPrefix ?? DEFAULT_BINARY_PREFIX) + b64 : b64);
}

/** A JSON number followed by the closing quote of the literal it sits in (tried at lastIndex). */
const JSON_NUMBER_IN_QUOTES = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?"/y;

/**
 * Writes plain JSON from stored DynamoDB JSON text. Most of the output is the stored text itself
 * minus the type wrappers (`{"S":` … `}`): it is copied in runs — the text between two cuts — so
 * an item becomes a few slices instead of a piece per token.
 */
class PlainConverter {
  out = '';
  /** s[mark, …) is stored text still to be copied as it is. */
  private mark: number;
  private readonly binaryAsIs: boolean;
  constructor(
    private readonly s: string,
    private readonly opts: PlainOptions,
    from = 0,
  ) {
    this.mark = from;
    // Base64 text is its own JSON string literal (no character to escape): copied as it is.
    this.binaryAsIs = opts.binary !== 'prefix';
  }

  /** Copies s[mark, to) and skips on to `next`. */
  private cut(to: number, next: number): void {
    if (to > this.mark) this.out += this.s.slice(this.mark, to);
    this.mark = next;
  }

  /** The output, with the stored text up to `end` copied. */
  finish(end: number): string {
    this.cut(end, end);
    return this.out;
  }

  /** A map (`{"name":value,…}`) starting at i; returns the index past it. */
  map(i: number): number {
    const s = this.s;
    if (s.charCodeAt(i) !== 123 /* { */) throw NOT_CANONICAL;
    i++;
    if (s.charCodeAt(i) === 125 /* } */) return i + 1;
    for (;;) {
      const end = stringEnd(s, i);
      if (isIndexName(s, i + 1, end - 1)) throw NOT_CANONICAL;
      i = this.value(expect(s, end, ':'));
      const c = s.charCodeAt(i);
      if (c === 125) return i + 1;
      if (c !== 44 /* , */) throw NOT_CANONICAL;
      i++;
    }
  }

  /** A number literal starting at i: unquoted when it is a JSON number, else kept as a string. */
  private number(i: number): number {
    const s = this.s;
    const end = stringEnd(s, i);
    JSON_NUMBER_IN_QUOTES.lastIndex = i + 1;
    if (JSON_NUMBER_IN_QUOTES.test(s) && JSON_NUMBER_IN_QUOTES.lastIndex === end) {
      this.cut(i, i + 1);
      this.cut(end - 1, end);
    }
    return end;
  }

  private binary(i: number): number {
    const end = stringEnd(this.s, i);
    if (!this.binaryAsIs) {
      this.cut(i, end);
      this.out += binaryText(this.s.slice(i + 1, end - 1), this.opts);
    }
    return end;
  }

  /** An attribute value (`{"T":payload}`) starting at i; returns the index past it. */
  value(i: number): number {
    const s = this.s;
    const wrapper = i;
    i = expect(s, i, '{"');
    const typeEnd = s.indexOf('"', i);
    if (typeEnd < 0) throw NOT_CANONICAL;
    const type = s.slice(i, typeEnd);
    i = expect(s, typeEnd + 1, ':');
    this.cut(wrapper, i);
    switch (type) {
      case 'S':
        i = stringEnd(s, i);
        break;
      case 'N':
        i = this.number(i);
        break;
      case 'B':
        i = this.binary(i);
        break;
      case 'BOOL':
        if (s.startsWith('true', i)) i += 4;
        else i = expect(s, i, 'false');
        break;
      case 'NULL':
        i = expect(s, i, 'true');
        this.cut(i - 4, i);
        this.out += 'null';
        break;
      case 'M':
        i = this.map(i);
        break;
      case 'L':
        i = this.list(i, (at) => this.value(at));
        break;
      case 'SS':
        i = this.list(i, (at) => stringEnd(s, at));
        break;
      case 'NS':
        i = this.list(i, (at) => this.number(at));
        break;
      case 'BS':
        i = this.list(i, (at) => this.binary(at));
        break;
      default:
        throw NOT_CANONICAL;
    }
    const end = expect(s, i, '}');
    this.cut(i, end);
    return end;
  }

  private list(i: number, member: (at: number) => number): number {
    const s = this.s;
    i = expect(s, i, '[');
    if (s.charCodeAt(i) === 93 /* ] */) return i + 1;
    for (;;) {
      i = member(i);
      const c = s.charCodeAt(i);
      if (c === 93) return i + 1;
      if (c !== 44) throw NOT_CANONICAL;
      i++;
    }
  }
}

/**
 * The plain JSON text of a stored item (what itemToPlainJson writes for its parsed object).
 * Throws NotCanonical when the text is not in the shape this reader copies from.
 */
export function storedToPlainJson(json: string, opts: PlainOptions): string {
  const c = new PlainConverter(withoutEscapes(json), opts);
  const end = c.map(0);
  if (end !== json.length) throw NOT_CANONICAL;
  return c.finish(end);
}

/** The index past the value (any JSON value in stored form) starting at i: skips it. */
export function skipValue(s: string, i: number): number {
  let depth = 0;
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) i = stringEnd(s, i);
    else {
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) depth--;
      else if (Number.isNaN(c)) throw NOT_CANONICAL;
      i++;
    }
    if (depth === 0) return i;
  }
}

/**
 * A CSV cell's text for the attribute value stored at json[start, end) (what csvValue gives for
 * the parsed value): strings as they are, numbers as written, everything else as plain JSON. The
 * caller has checked the text has no escapes (storedCsv.ts).
 */
export function storedCsvValue(json: string, start: number, end: number, opts: PlainOptions): string {
  const s = json;
  let i = expect(s, start, '{"');
  const typeEnd = s.indexOf('"', i);
  if (typeEnd < 0 || typeEnd >= end) throw NOT_CANONICAL;
  const type = s.slice(i, typeEnd);
  i = expect(s, typeEnd + 1, ':');
  switch (type) {
    case 'S':
    case 'N':
    case 'B': {
      const close = stringEnd(s, i);
      if (close + 1 !== end) throw NOT_CANONICAL;
      const text = s.slice(i + 1, close - 1);
      if (type === 'B' && opts.binary === 'prefix')
        return (opts.binaryPrefix ?? DEFAULT_BINARY_PREFIX) + text;
      return text;
    }
    case 'BOOL':
      return s.startsWith('true', i) ? 'true' : 'false';
    case 'NULL':
      return '';
    default: {
      const c = new PlainConverter(s, opts, start);
      if (c.value(start) !== end) throw NOT_CANONICAL;
      return c.finish(end);
    }
  }
}
