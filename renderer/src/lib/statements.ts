// An editor holds several statements: they are separated by `;` or by a blank line (outside strings
// and comments). Ctrl/Cmd+Enter runs the one at the cursor. Pure TypeScript.
import { highlightTokens } from '../../../grammar/partiql/index.js';

export interface StatementRange {
  /** Offset of the first non-blank character. */
  start: number;
  /** Offset after the last non-blank character (before any `;`). */
  end: number;
  text: string;
}

/**
 * Characters `splitStatements` has tokenised so far. The editor must not re-read its whole buffer on
 * every keystroke; the e2e suite reads this to check it.
 */
export const splitWork = { characters: 0, calls: 0 };

/** The statements of `text`, in order, without empty ones. */
export function splitStatements(text: string): StatementRange[] {
  splitWork.characters += text.length;
  splitWork.calls++;
  const tokens = highlightTokens(text);
  // Offsets covered by tokens that may span lines (strings, comments, quoted names): no split inside.
  const covered: [number, number][] = [];
  const semicolons: number[] = [];
  for (const t of tokens) {
    if (t.length > 1) covered.push([t.offset, t.offset + t.length]);
    else if (text[t.offset] === ';') semicolons.push(t.offset);
  }
  const inside = (offset: number): boolean => covered.some(([a, b]) => offset > a && offset < b);

  const cuts: [number, number][] = [];
  for (const s of semicolons) cuts.push([s, s + 1]);
  // Blank lines: a newline, optional spaces, another newline.
  const blank = /\n[ \t\r]*\n/g;
  for (let m = blank.exec(text); m; m = blank.exec(text)) {
    if (!inside(m.index)) cuts.push([m.index, m.index + m[0].length]);
    blank.lastIndex = m.index + m[0].length - 1;
  }
  cuts.sort((a, b) => a[0] - b[0]);

  const out: StatementRange[] = [];
  let from = 0;
  const push = (a: number, b: number): void => {
    const chunk = text.slice(a, b);
    const lead = chunk.length - chunk.trimStart().length;
    const trimmed = chunk.trim();
    if (trimmed === '' || isOnlyComments(trimmed)) return;
    out.push({ start: a + lead, end: a + lead + trimmed.length, text: trimmed });
  };
  for (const [a, b] of cuts) {
    if (a < from) continue;
    push(from, a);
    from = b;
  }
  push(from, text.length);
  return out;
}

function isOnlyComments(text: string): boolean {
  const tokens = highlightTokens(text);
  return tokens.length > 0 && tokens.every((t) => t.category === 'comment');
}

/**
 * The statement to run for a cursor at `offset`: the one containing it, else the nearest one before
 * it (the cursor sits after a `;` or on the blank line below), else the first after it.
 */
export function statementAt(text: string, offset: number): StatementRange | undefined {
  const all = splitStatements(text);
  let before: StatementRange | undefined;
  for (const s of all) {
    if (offset >= s.start && offset <= s.end) return s;
    if (s.end < offset) before = s;
  }
  return before ?? all[0];
}

/**
 * The statement at `line`/`offsetInLine` of a text given line by line, reading only the block of
 * non-blank lines around the cursor (statements are separated by blank lines or `;`, so the one at
 * the cursor lies inside that block). On a blank line, the block above is used, as statementAt
 * prefers the statement before the cursor. Offsets are into the whole text, whose line starts
 * `lineStart(i)` gives. A string or comment with a blank line inside is cut at that line (rare).
 */
export function statementNear(
  lineCount: number,
  lineAt: (i: number) => string,
  lineStart: (i: number) => number,
  line: number,
  offsetInLine: number,
  eol = '\n',
): StatementRange | undefined {
  const blank = (i: number): boolean => lineAt(i).trim() === '';
  let cursorLine = line;
  let cursorOffset = offsetInLine;
  if (blank(cursorLine)) {
    let up = cursorLine;
    while (up > 1 && blank(up)) up--;
    if (blank(up)) {
      // Nothing above: the first statement after the cursor.
      let down = cursorLine;
      while (down < lineCount && blank(down)) down++;
      if (blank(down)) return undefined;
      cursorLine = down;
      cursorOffset = 0;
    } else {
      cursorLine = up;
      cursorOffset = lineAt(up).length;
    }
  }
  let first = cursorLine;
  while (first > 1 && !blank(first - 1)) first--;
  let last = cursorLine;
  while (last < lineCount && !blank(last + 1)) last++;
  const lines: string[] = [];
  for (let i = first; i <= last; i++) lines.push(lineAt(i));
  const chunk = lines.join(eol);
  const base = lineStart(first);
  const at = lineStart(cursorLine) - base + cursorOffset;
  const s = statementAt(chunk, at);
  return s && { start: base + s.start, end: base + s.end, text: s.text };
}

/** How many `?` parameters a statement has. */
export function countParameters(text: string): number {
  return highlightTokens(text).filter((t) => t.category === 'parameter').length;
}

/** True when a statement reads (SELECT or EXPLAIN … SELECT), as opposed to writing. */
export function isExplain(text: string): boolean {
  return /^\s*explain\b/i.test(stripLeadingComments(text));
}

function stripLeadingComments(text: string): string {
  let s = text;
  for (;;) {
    const t = s.trimStart();
    if (t.startsWith('--')) {
      const nl = t.indexOf('\n');
      s = nl < 0 ? '' : t.slice(nl + 1);
    } else if (t.startsWith('/*')) {
      const end = t.indexOf('*/');
      s = end < 0 ? '' : t.slice(end + 2);
    } else return t;
  }
}

/** The statement without a leading EXPLAIN keyword. */
export function withoutExplain(text: string): string {
  return stripLeadingComments(text).replace(/^explain\s+/i, '');
}

/**
 * A name for a saved query: the statement on one line, cut at a word boundary (with an ellipsis)
 * when longer than `max`.
 */
export function queryName(statement: string, max = 40): string {
  const line = statement.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space >= max / 3 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
