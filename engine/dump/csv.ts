// CSV: an incremental RFC 4180 reader (quoted fields, doubled quotes, CRLF, newlines inside quotes)
// that reports the line each record starts on, and the cell formatting of CSV exports.

/** Delimiters DynamoDB's CSV import accepts. */
export const CSV_DELIMITERS = [',', '\t', ':', ';', '|', ' '] as const;

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line the record starts on. */
  readonly line: number;
}

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const AFTER_QUOTE = 3; // a quote inside a quoted field: the closing one, or the first of a doubled pair

/**
 * Feeds text in chunks of any size; returns the records completed so far. `end()` flushes the last
 * record (a file need not end with a newline). Blank lines are skipped.
 */
export class CsvReader {
  private state = FIELD_START;
  /** The current field's text from earlier chunks (and with doubled quotes resolved). */
  private field = '';
  private fields: string[] = [];
  private inRecord = false;
  private line = 1;
  private recordLine = 1;
  private pendingCR = false;
  private readonly delim: number;

  constructor(delimiter = ',') {
    if (delimiter.length !== 1) throw new Error('a CSV delimiter is one character');
    this.delim = delimiter.charCodeAt(0);
  }

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const d = this.delim;
    const n = text.length;
    let start = 0; // where the unconsumed part of the current field begins in `text`
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.pendingCR) {
        this.pendingCR = false;
        if (c === 10) {
          start = i + 1;
          continue;
        }
      }
      switch (this.state) {
        case QUOTED:
          if (c === 34) {
            this.field += text.slice(start, i);
            this.state = AFTER_QUOTE;
            start = i + 1;
          } else if (c === 10) {
            this.line++;
          }
          continue;
        case AFTER_QUOTE:
          if (c === 34) {
            this.field += '"';
            this.state = QUOTED;
            start = i + 1;
            continue;
          }
          if (c !== d && c !== 10 && c !== 13) {
            // Text after a closing quote: kept as written (lenient, as most readers are).
            this.state = UNQUOTED;
            start = i;
            continue;
          }
          break;
        case FIELD_START:
          if (c === 34) {
            this.state = QUOTED;
            this.inRecord = true;
            start = i + 1;
            continue;
          }
          break;
      }
      if (c === d) {
        this.fields.push(this.field + text.slice(start, i));
        this.field = '';
        this.state = FIELD_START;
        this.inRecord = true;
        start = i + 1;
      } else if (c === 10 || c === 13) {
        const value = this.field + text.slice(start, i);
        if (this.inRecord || value.length > 0) {
          this.fields.push(value);
          out.push({ fields: this.fields, line: this.recordLine });
        }
        this.fields = [];
        this.field = '';
        this.state = FIELD_START;
        this.inRecord = false;
        this.line++;
        this.recordLine = this.line;
        if (c === 13) this.pendingCR = true;
        start = i + 1;
      } else if (this.state === FIELD_START) {
        this.state = UNQUOTED;
        this.inRecord = true;
      }
    }
    if (this.state !== AFTER_QUOTE) this.field += text.slice(start, n);
    return out;
  }

  end(): CsvRecord[] {
    if (this.state === QUOTED) {
      throw new CsvSyntaxError(
        `a quoted field opened on line ${this.recordLine} is never closed`,
        this.recordLine,
      );
    }
    const out: CsvRecord[] = [];
    if (this.inRecord || this.field.length > 0) {
      this.fields.push(this.field);
      out.push({ fields: this.fields, line: this.recordLine });
    }
    this.fields = [];
    this.field = '';
    this.state = FIELD_START;
    this.inRecord = false;
    return out;
  }
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** One cell, quoted when it holds the delimiter, a quote, a line break or edge spaces. */
export function csvCell(value: string, delimiter = ','): string {
  if (value === '') return '';
  const quotes = value.includes('"');
  const needs =
    quotes ||
    value.charCodeAt(0) === 32 ||
    value.charCodeAt(value.length - 1) === 32 ||
    value.includes('\n') ||
    value.includes('\r') ||
    // A delimiter of one character: a longer one is never looked for inside a value.
    (delimiter.length === 1 && value.includes(delimiter));
  if (!needs) return value;
  return '"' + (quotes ? value.replaceAll('"', '""') : value) + '"';
}

export function csvLine(cells: readonly string[], delimiter = ','): string {
  let s = '';
  for (let i = 0; i < cells.length; i++) s += (i ? delimiter : '') + csvCell(cells[i]!, delimiter);
  return s + '\r\n';
}
