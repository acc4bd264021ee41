// Splitting shell input into statements and meta-commands. Statements end at a `;` outside strings
// ('…'), quoted names ("…") and comments (-- …, /* … */); a line whose first non-blank character is
// `.` (at the start of a statement) is a meta-command that ends with the line.

/**
 * Meta-command names (with their aliases). A line starting with one of these also ends a statement
 * that is missing its `;`, so `SELECT … <newline> .mode json` does what it looks like.
 */
export const META_WORDS = [
  'help',
  'tables',
  'describe',
  'desc',
  'schema',
  'create',
  'explain',
  'mode',
  'timing',
  'capacity',
  'params',
  'parameters',
  'import',
  'export',
  'read',
  'quit',
  'exit',
  'count',
  'x',
  'expanded',
  'limit',
  'output',
  'once',
  'pager',
];

/** psql's backslash commands the shell knows (`\d`, `\dt`, `\x`, `\o`, `\i`, `\q`, `\?`, …). */
export const BACKSLASH_WORDS = ['d\\+?', 'dt', 'x', 'o', 'i', 'q', 'h', '\\?', 'timing'];

const META_LINE = new RegExp(
  `^[ \\t]*(\\.(${META_WORDS.join('|')})|\\\\(${BACKSLASH_WORDS.join('|')}))(?![A-Za-z0-9_])`,
  'i',
);

export interface ScriptPiece {
  kind: 'statement' | 'meta';
  /** The statement without its `;` (comments inside kept), or the meta-command line. */
  text: string;
  /** Where the text starts in the input: 0-based offset, 1-based line. */
  offset: number;
  line: number;
  /** A statement ended by `;` (false for the last one of an input that stops without one). */
  terminated: boolean;
}

export interface SplitResult {
  pieces: ScriptPiece[];
  /**
   * The input stops inside something unfinished: a statement without its `;`, a string, a quoted
   * name or a block comment. The interactive shell keeps reading lines while this is true.
   */
  incomplete: boolean;
}

function lineAt(text: string, offset: number, from: { offset: number; line: number }): number {
  let line = from.line;
  for (let i = from.offset; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Skips a quoted run starting at `i` (the quote); returns the index after it, or -1 if unterminated. */
function skipQuoted(text: string, i: number): number {
  const q = text[i]!;
  let j = i + 1;
  while (j < text.length) {
    if (text[j] === q) {
      if (text[j + 1] === q) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return -1;
}

/** Skips a comment starting at `i`; returns the index after it, -1 if an unterminated block comment. */
function skipComment(text: string, i: number): number {
  if (text[i] === '-') {
    const nl = text.indexOf('\n', i);
    return nl === -1 ? text.length : nl + 1;
  }
  const end = text.indexOf('*/', i + 2);
  return end === -1 ? -1 : end + 2;
}

function startsComment(text: string, i: number): boolean {
  return (text[i] === '-' && text[i + 1] === '-') || (text[i] === '/' && text[i + 1] === '*');
}

export function splitScript(text: string): SplitResult {
  const pieces: ScriptPiece[] = [];
  let i = 0;
  const n = text.length;
  let mark = { offset: 0, line: 1 };
  const at = (offset: number): number => {
    const line = lineAt(text, offset, mark);
    mark = { offset, line };
    return line;
  };

  for (;;) {
    // Blanks, comments and stray semicolons between statements.
    while (i < n) {
      const c = text[i]!;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ';' || c === '\f') {
        i++;
      } else if (startsComment(text, i)) {
        const next = skipComment(text, i);
        if (next === -1) return { pieces, incomplete: true };
        i = next;
      } else {
        break;
      }
    }
    if (i >= n) return { pieces, incomplete: false };

    if (text[i] === '.' || text[i] === '\\') {
      const lineStart = text.lastIndexOf('\n', i - 1) + 1;
      if (/^[ \t]*$/.test(text.slice(lineStart, i))) {
        // To the end of the line, or to a `;` outside quotes (`.mode json; SELECT …` on one line).
        let end = i;
        while (end < n && text[end] !== '\n' && text[end] !== ';') {
          const c = text[end]!;
          if (c === "'" || c === '"') {
            const close = text.indexOf(c, end + 1);
            const nl = text.indexOf('\n', end + 1);
            end = close === -1 || (nl !== -1 && nl < close) ? (nl === -1 ? n : nl) : close + 1;
          } else {
            end++;
          }
        }
        const raw = text.slice(i, end).replace(/\r$/, '');
        pieces.push({
          kind: 'meta',
          text: raw.replace(/\s+$/, ''),
          offset: i,
          line: at(i),
          terminated: true,
        });
        i = end < n && text[end] === ';' ? end + 1 : end;
        continue;
      }
    }

    const start = i;
    let incomplete = false;
    let end = -1;
    while (i < n) {
      const c = text[i]!;
      if (c === "'" || c === '"') {
        const next = skipQuoted(text, i);
        if (next === -1) {
          incomplete = true;
          i = n;
          break;
        }
        i = next;
      } else if (startsComment(text, i)) {
        const next = skipComment(text, i);
        if (next === -1) {
          incomplete = true;
          i = n;
          break;
        }
        i = next;
      } else if (c === ';') {
        end = i;
        break;
      } else if (c === '\n' && META_LINE.test(text.slice(i + 1, i + 40))) {
        break;
      } else {
        i++;
      }
    }
    const stop = end === -1 ? i : end;
    const body = text.slice(start, stop).replace(/\s+$/, '');
    pieces.push({ kind: 'statement', text: body, offset: start, line: at(start), terminated: end !== -1 });
    if (incomplete || (end === -1 && i >= n)) return { pieces, incomplete: true };
    if (end !== -1) i = end + 1;
  }
}

/** True when `text` is only blanks and comments. */
export function isBlank(text: string): boolean {
  const { pieces, incomplete } = splitScript(text);
  return pieces.length === 0 && !incomplete;
}
