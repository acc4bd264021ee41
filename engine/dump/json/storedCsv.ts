// CSV from stored item text in one walk per item. A CSV export is two passes: the attribute names
// of every item (the columns), then one line per item. Both walk the stored JSON text once, left
// to right, and allocate almost nothing per item: items of a table mostly share their attribute
// names in the same order, so each walk checks the names against the previous item's (in place,
// no string made), and a line is joined from slices of the stored text. Values that are strings or
// numbers are the text between their quotes; the text has no backslash (else NotCanonical), so a
// value holds no quote and no line break, and only the delimiter or an edge space makes it quoted.
//
// The output must be exactly what the object path (JSON.parse, then csvValue and csvLine) writes;
// whatever this walk does not accept throws NotCanonical and the caller takes the object path.
import { csvCell } from '../csv.js';
import type { PlainOptions } from './plain.js';
import { DEFAULT_BINARY_PREFIX } from './plain.js';
import { NotCanonical, skipValue, storedCsvValue } from './stored.js';

const NOT_CANONICAL = new NotCanonical('not canonical stored JSON');
const QUOTE = 34;
const OPEN = 123; // {
const CLOSE = 125; // }
const COMMA = 44;
const COLON = 58;
const SPACE = 32;

/** Text without a backslash, that starts with `{`: else NotCanonical. */
function checked(s: string): string {
  if (s.charCodeAt(0) !== OPEN || s.includes('\\')) throw NOT_CANONICAL;
  return s;
}

/**
 * The names of the top-level attributes in text order, remembered from the last item walked: a
 * name equal to the one at the same place in the previous item is recognised without making a
 * string of it.
 */
class Shape {
  names: string[] = [];

  /** True when s[from, to) is the name at `place` in the previous item. */
  same(place: number, s: string, from: number, to: number): boolean {
    const name = this.names[place];
    return name !== undefined && name.length === to - from && s.startsWith(name, from);
  }
}

/** The end (past its quote) of the name whose opening quote is at i. */
function nameEnd(s: string, i: number): number {
  if (s.charCodeAt(i) !== QUOTE) throw NOT_CANONICAL;
  const close = s.indexOf('"', i + 1);
  if (close < 0 || s.charCodeAt(close + 1) !== COLON) throw NOT_CANONICAL;
  return close;
}

/**
 * The end of the attribute value `{"T":…}` that starts at i, and for the types whose payload is
 * one string (S, N, B), the payload's quote positions in `payload` (else payload[0] is -1).
 */
function valueEnd(s: string, i: number, payload: [number, number]): number {
  if (s.charCodeAt(i) !== OPEN || s.charCodeAt(i + 1) !== QUOTE) throw NOT_CANONICAL;
  const t = s.charCodeAt(i + 2);
  // {"S":"…"}: the type is one letter and its payload a string.
  if ((t === 83 || t === 78 || t === 66) && s.charCodeAt(i + 3) === QUOTE) {
    if (s.charCodeAt(i + 4) !== COLON || s.charCodeAt(i + 5) !== QUOTE) throw NOT_CANONICAL;
    const close = s.indexOf('"', i + 6);
    if (close < 0 || s.charCodeAt(close + 1) !== CLOSE) throw NOT_CANONICAL;
    payload[0] = i + 6;
    payload[1] = close;
    return close + 2;
  }
  payload[0] = -1;
  return skipValue(s, i);
}

/** The end of the list of string literals (`["…",…]`) that starts at i. */
function stringListEnd(s: string, i: number): number {
  if (s.charCodeAt(i) !== 91 /* [ */) throw NOT_CANONICAL;
  i++;
  if (s.charCodeAt(i) === 93 /* ] */) return i + 1;
  for (;;) {
    if (s.charCodeAt(i) !== QUOTE) throw NOT_CANONICAL;
    const close = s.indexOf('"', i + 1);
    if (close < 0) throw NOT_CANONICAL;
    i = close + 1;
    const c = s.charCodeAt(i);
    if (c === 93) return i + 1;
    if (c !== COMMA) throw NOT_CANONICAL;
    i++;
  }
}

/** The attribute names of stored items, collected item after item (the CSV columns). */
export class StoredNames {
  readonly seen = new Set<string>();
  private readonly shape = new Shape();
  private readonly payload: [number, number] = [-1, -1];

  /** Adds the names of the item stored as `json`. Throws NotCanonical (names added may remain). */
  add(json: string): void {
    const s = checked(json);
    const names = this.shape.names;
    let i = 1;
    if (s.charCodeAt(i) === CLOSE) {
      if (s.length !== 2) throw NOT_CANONICAL;
      return;
    }
    for (let place = 0; ; place++) {
      const close = nameEnd(s, i);
      if (!this.shape.same(place, s, i + 1, close)) {
        const name = s.slice(i + 1, close);
        this.seen.add(name);
        names[place] = name;
      }
      i = valueEnd(s, close + 2, this.payload);
      const c = s.charCodeAt(i);
      if (c === CLOSE) {
        if (i + 1 !== s.length) throw NOT_CANONICAL;
        return;
      }
      if (c !== COMMA) throw NOT_CANONICAL;
      i++;
    }
  }
}

/** CSV lines (with their CRLF) for a fixed list of columns, from stored item text. */
export class StoredCsvLines {
  private readonly columnOf = new Map<string, number>();
  private readonly shape = new Shape();
  /** The column of each name in `shape`, -1 for names that are no column. */
  private shapeColumns: number[] = [];
  private readonly payload: [number, number] = [-1, -1];
  // Per column, this item's cell: a range of the text, or (text[c] set) a string made apart.
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly quoted: Uint8Array;
  private readonly text: (string | undefined)[];
  /** The item each column's cell belongs to (cells of older items are empty cells). */
  private readonly stamp: Uint32Array;
  private item = 0;
  private readonly delimiterCode: number;

  constructor(
    private readonly columns: readonly string[],
    private readonly delimiter: string,
    private readonly plain: PlainOptions,
  ) {
    columns.forEach((name, c) => {
      if (!this.columnOf.has(name)) this.columnOf.set(name, c);
    });
    const n = columns.length;
    this.from = new Int32Array(n);
    this.to = new Int32Array(n);
    this.quoted = new Uint8Array(n);
    this.text = new Array<string | undefined>(n).fill(undefined);
    this.stamp = new Uint32Array(n);
    // csvCell compares one character with the delimiter: a longer one never matches.
    this.delimiterCode = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  }

  /** The CSV line of the item stored as `json`. Throws NotCanonical. */
  line(json: string): string {
    const s = checked(json);
    const item = ++this.item;
    if (item === 0xffffffff) {
      this.stamp.fill(0);
      this.item = 1;
    }
    const stamp = this.stamp;
    let i = 1;
    if (s.charCodeAt(i) === CLOSE) {
      if (s.length !== 2) throw NOT_CANONICAL;
    } else {
      // Where the next delimiter at or after a cell's start is (its search moves left to right).
      let delimiterAt = -1;
      const names = this.shape.names;
      for (let place = 0; ; place++) {
        const close = nameEnd(s, i);
        let c: number;
        if (this.shape.same(place, s, i + 1, close)) c = this.shapeColumns[place]!;
        else {
          const name = s.slice(i + 1, close);
          c = this.columnOf.get(name) ?? -1;
          names[place] = name;
          this.shapeColumns[place] = c;
        }
        const start = close + 2;
        i = valueEnd(s, start, this.payload);
        if (c >= 0) {
          // A name twice: JSON.parse keeps the last value; leave such text to it.
          if (stamp[c] === this.item) throw NOT_CANONICAL;
          stamp[c] = this.item;
          const a = this.payload[0];
          if (a >= 0 && !(s.charCodeAt(start + 2) === 66 && this.plain.binary === 'prefix')) {
            const b = this.payload[1];
            this.from[c] = a;
            this.to[c] = b;
            this.text[c] = undefined;
            let quote = a < b && (s.charCodeAt(a) === SPACE || s.charCodeAt(b - 1) === SPACE);
            if (!quote && this.delimiterCode >= 0 && a < b) {
              if (delimiterAt < a) {
                delimiterAt = s.indexOf(this.delimiter, a);
                // None left: no later cell searches again.
                if (delimiterAt < 0) delimiterAt = s.length;
              }
              quote = delimiterAt < b;
            }
            this.quoted[c] = quote ? 1 : 0;
          } else {
            this.text[c] = csvCell(this.cellText(s, start, i), this.delimiter);
          }
        }
        const next = s.charCodeAt(i);
        if (next === CLOSE) {
          if (i + 1 !== s.length) throw NOT_CANONICAL;
          break;
        }
        if (next !== COMMA) throw NOT_CANONICAL;
        i++;
      }
    }
    let out = '';
    const n = this.columns.length;
    for (let c = 0; c < n; c++) {
      if (c > 0) out += this.delimiter;
      if (stamp[c] !== this.item) continue;
      const t = this.text[c];
      if (t !== undefined) out += t;
      else if (this.quoted[c] === 1) out += '"' + s.slice(this.from[c], this.to[c]) + '"';
      else out += s.slice(this.from[c], this.to[c]);
    }
    return out + '\r\n';
  }

  /** The cell of a value that is not a plain string or number (what csvValue gives for it). */
  private cellText(s: string, start: number, end: number): string {
    const t = s.charCodeAt(start + 2);
    if (t === 66 && s.charCodeAt(start + 3) === QUOTE) {
      // B with a prefix (no prefix is spliced as a range).
      return (this.plain.binaryPrefix ?? DEFAULT_BINARY_PREFIX) + s.slice(start + 6, end - 2);
    }
    if (t === 83 && s.startsWith('S":[', start + 3)) {
      // SS: the stored list of string literals is its plain JSON as it is.
      const listEnd = stringListEnd(s, start + 6);
      if (listEnd + 1 !== end) throw NOT_CANONICAL;
      return s.slice(start + 6, listEnd);
    }
    return storedCsvValue(s, start, end, this.plain);
  }
}
