// Results as text: aligned tables (vertical records when the columns cannot fit), CSV, JSON lines,
// DynamoDB JSON; the footer under a result.
import type { Item } from '../../engine/types.js';
import type { ConsumedCapacity } from './backend.js';
import type { Colors } from './text.js';
import { displayWidth, escapeControl, padEnd, padStart, plural, truncate } from './text.js';
import type { CellKind } from './values.js';
import type { NumberStyle } from './values.js';
import { cellText, dynamoItemJson, plainItemJson } from './values.js';

/** `line`: expanded display, one attribute per line (psql's `\x`, sqlite3's `.mode line`). */
export type OutputMode = 'table' | 'line' | 'json' | 'ndjson' | 'ddbjson' | 'csv';
export const OUTPUT_MODES: readonly OutputMode[] = ['table', 'line', 'json', 'ndjson', 'ddbjson', 'csv'];

/**
 * Columns for items: `first` (key attributes, or a SELECT's list) in order, then every other
 * attribute any item has, alphabetically.
 */
export function columnsFor(
  items: readonly Item[],
  first: readonly string[] = [],
  previous: readonly string[] = [],
): string[] {
  const cols = [...previous];
  const seen = new Set(cols);
  const present = new Set<string>();
  for (const item of items) for (const name of Object.keys(item)) present.add(name);
  for (const name of first) {
    if (!seen.has(name) && present.has(name)) {
      cols.push(name);
      seen.add(name);
    }
  }
  return cols.concat([...present].filter((n) => !seen.has(n)).sort(compareNames));
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Cell {
  text: string;
  kind: CellKind | 'missing';
}

function cellOf(item: Item, column: string): Cell {
  const v = item[column];
  if (v === undefined) return { text: '', kind: 'missing' };
  const c = cellText(v);
  return { text: escapeControl(c.text), kind: c.kind };
}

function paint(c: Colors, cell: Cell, text: string): string {
  switch (cell.kind) {
    case 'number':
      return c.cyan(text);
    case 'bool':
      return c.yellow(text);
    case 'null':
      return c.dim(text);
    case 'binary':
      return c.magenta(text);
    case 'set':
    case 'document':
      return c.blue(text);
    default:
      return text;
  }
}

export interface TableLayout {
  columns: string[];
  widths: number[];
  rightAlign: boolean[];
}

export interface TableOptions {
  colors: Colors;
  /** Terminal width; columns shrink to fit it (undefined: never cut). */
  maxWidth?: number;
  /** Key attribute names, shown in a different colour. */
  keys?: ReadonlySet<string>;
  /** The previous chunk's layout: reused (widened if needed) so pages line up. */
  previous?: TableLayout;
}

/** Smallest width a column is shrunk to. */
const MIN_COLUMN = 6;

/** Natural layout of a set of rows. */
export function layoutTable(columns: string[], rows: readonly Item[], previous?: TableLayout): TableLayout {
  const widths = columns.map((name) => displayWidth(escapeControl(name)));
  const numeric = columns.map(() => true);
  const present = columns.map(() => false);
  for (const row of rows) {
    columns.forEach((name, i) => {
      const cell = cellOf(row, name);
      if (cell.kind === 'missing') return;
      present[i] = true;
      if (cell.kind !== 'number') numeric[i] = false;
      widths[i] = Math.max(widths[i]!, displayWidth(cell.text));
    });
  }
  const rightAlign = columns.map((_, i) => present[i]! && numeric[i]!);
  if (previous) {
    columns.forEach((name, i) => {
      const j = previous.columns.indexOf(name);
      if (j >= 0) {
        widths[i] = Math.max(widths[i]!, previous.widths[j]!);
        if (!present[i]) rightAlign[i] = previous.rightAlign[j]!;
      }
    });
  }
  return { columns, widths, rightAlign };
}

function tableWidth(widths: readonly number[]): number {
  return widths.reduce((a, b) => a + b, 0) + 3 * Math.max(0, widths.length - 1) + 2;
}

/**
 * Shrinks the widest columns until the table fits `maxWidth`; null if it cannot. A column holding
 * numbers is never shrunk below its widest number: a cut number reads as a different number.
 */
function fit(layout: TableLayout, maxWidth: number, numberWidths: readonly number[]): TableLayout | null {
  const widths = [...layout.widths];
  const floor = widths.map((w, i) => Math.max(Math.min(w, MIN_COLUMN), numberWidths[i] ?? 0));
  while (tableWidth(widths) > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) return null;
    const over = tableWidth(widths) - maxWidth;
    const second = Math.max(floor[widest]!, ...widths.filter((_, i) => i !== widest));
    widths[widest] = Math.max(
      floor[widest]!,
      Math.min(widths[widest]! - 1, Math.max(second, widths[widest]! - over)),
    );
  }
  return { ...layout, widths };
}

/** Per column, the width of its widest number cell (0 without numbers). */
function numberWidths(columns: readonly string[], rows: readonly Item[]): number[] {
  return columns.map((name) => {
    let w = 0;
    for (const row of rows) {
      const cell = cellOf(row, name);
      if (cell.kind === 'number') w = Math.max(w, displayWidth(cell.text));
    }
    return w;
  });
}

export interface RenderedTable {
  lines: string[];
  layout: TableLayout;
  /** The header was printed (the layout changed since the previous chunk). */
  header: boolean;
  /** The rows could not fit without cutting a value: `lines` is the expanded display instead. */
  vertical?: boolean;
}

/**
 * An aligned table:
 *
 *     pk │ sk │ total
 *    ────┼────┼──────
 *     a  │ 1  │ 19.99
 *
 * With `previous` of the same shape, rows only (the previous header still applies).
 */
export function renderTable(columns: string[], rows: readonly Item[], options: TableOptions): RenderedTable {
  const c = options.colors;
  const natural = layoutTable(columns, rows, options.previous);
  let layout = natural;
  if (options.maxWidth !== undefined && tableWidth(natural.widths) > options.maxWidth) {
    const fitted = fit(natural, options.maxWidth, numberWidths(natural.columns, rows));
    if (!fitted)
      return { lines: renderVertical(columns, rows, options), layout: natural, header: true, vertical: true };
    layout = fitted;
  }
  const same =
    options.previous !== undefined &&
    options.previous.columns.length === layout.columns.length &&
    options.previous.columns.every(
      (n, i) => n === layout.columns[i] && options.previous!.widths[i] === layout.widths[i],
    );
  const lines: string[] = [];
  const sep = c.dim(' │ ');
  if (!same) {
    lines.push(
      (
        ' ' +
        layout.columns
          .map((name, i) => {
            const text = truncate(escapeControl(name), layout.widths[i]!);
            const padded = layout.rightAlign[i]
              ? padStart(text, layout.widths[i]!)
              : padEnd(text, layout.widths[i]!);
            return options.keys?.has(name) ? c.bold(c.green(padded)) : c.bold(padded);
          })
          .join(sep)
      ).trimEnd(),
    );
    lines.push(c.dim(layout.widths.map((w) => '─'.repeat(w + 2)).join('┼')));
  }
  for (const row of rows) {
    const cells = layout.columns.map((name, i) => {
      const cell = cellOf(row, name);
      const text = truncate(cell.text, layout.widths[i]!);
      const padded = layout.rightAlign[i]
        ? padStart(text, layout.widths[i]!)
        : padEnd(text, layout.widths[i]!);
      return paint(c, cell, padded);
    });
    lines.push((' ' + cells.join(sep)).trimEnd());
  }
  return { lines, layout, header: !same };
}

/** Splits plain text into pieces of at most `width` columns (long values wrap, never cut). */
export function wrapCell(text: string, width: number): string[] {
  if (width < 1 || displayWidth(text) <= width) return [text];
  const out: string[] = [];
  let line = '';
  let w = 0;
  for (const ch of text) {
    const cw = displayWidth(ch);
    if (w + cw > width && line !== '') {
      out.push(line);
      line = '';
      w = 0;
    }
    line += ch;
    w += cw;
  }
  if (line !== '') out.push(line);
  return out;
}

/**
 * Expanded display: one record per block, one `name │ value` line per attribute (`.mode line`,
 * and tables too wide for the terminal). Values wider than the terminal wrap onto more lines.
 */
export function renderVertical(
  columns: string[],
  rows: readonly Item[],
  options: TableOptions & { start?: number },
): string[] {
  const c = options.colors;
  const nameWidth = Math.max(...columns.map((n) => displayWidth(escapeControl(n))));
  const valueWidth =
    options.maxWidth !== undefined ? Math.max(10, options.maxWidth - nameWidth - 3) : undefined;
  const lines: string[] = [];
  rows.forEach((row, r) => {
    const title = `-[ ${(options.start ?? 0) + r + 1} ]`;
    lines.push(c.dim(title + '─'.repeat(Math.max(0, Math.min(options.maxWidth ?? 40, 40) - title.length))));
    for (const name of columns) {
      const cell = cellOf(row, name);
      if (cell.kind === 'missing') continue;
      const pieces = valueWidth !== undefined ? wrapCell(cell.text, valueWidth) : [cell.text];
      const label = padEnd(escapeControl(name), nameWidth);
      lines.push(
        `${options.keys?.has(name) ? c.bold(c.green(label)) : c.bold(label)}${c.dim(' │ ')}${paint(c, cell, pieces[0]!)}`,
      );
      for (const piece of pieces.slice(1))
        lines.push(`${' '.repeat(nameWidth)}${c.dim(' │ ')}${paint(c, cell, piece)}`);
    }
  });
  return lines;
}

/** One CSV field (RFC 4180 quoting). */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(columns: readonly string[]): string {
  return columns.map(csvField).join(',');
}

export function csvRow(columns: readonly string[], item: Item): string {
  return columns
    .map((name) => {
      const v = item[name];
      return v === undefined ? '' : csvField(cellText(v).text);
    })
    .join(',');
}

/** An item as one line of the given JSON mode. */
export function jsonLine(
  mode: 'json' | 'ndjson' | 'ddbjson',
  item: Item,
  order?: readonly string[],
  numbers: NumberStyle = 'exact',
): string {
  return mode === 'ddbjson'
    ? dynamoItemJson(item, order)
    : plainItemJson(item, order ? orderFor(item, order) : undefined, numbers);
}

function orderFor(item: Item, order: readonly string[]): string[] {
  const names = order.filter((n) => item[n] !== undefined);
  for (const n of Object.keys(item)) if (!names.includes(n)) names.push(n);
  return names;
}

/** Adds up consumed capacity over pages. */
export class CapacityTotal {
  read = 0;
  write = 0;
  other = 0;
  seen = false;

  add(c: ConsumedCapacity | undefined): void {
    if (!c) return;
    this.seen = true;
    if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
      this.read += c.ReadCapacityUnits ?? 0;
      this.write += c.WriteCapacityUnits ?? 0;
    } else {
      this.other += c.CapacityUnits ?? 0;
    }
  }

  toString(): string {
    if (!this.seen) return '';
    const parts: string[] = [];
    if (this.read > 0 || (this.write === 0 && this.other === 0)) parts.push(`${units(this.read)} RCU`);
    if (this.write > 0) parts.push(`${units(this.write)} WCU`);
    if (this.other > 0) parts.push(`${units(this.other)} capacity units`);
    return parts.join(' + ');
  }
}

export function units(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** "3 rows · 4.2 ms · 0.5 RCU". */
export function footer(parts: { rows?: string; ms?: number; capacity?: string }): string {
  const out: string[] = [];
  if (parts.rows) out.push(parts.rows);
  if (parts.ms !== undefined) out.push(formatMs(parts.ms));
  if (parts.capacity) out.push(parts.capacity);
  return out.join(' · ');
}

export function rowCount(n: number): string {
  return plural(n, 'row');
}
