// The line editor of the interactive shell: a multi-line buffer with syntax colours, Emacs-style
// keys, history (up/down, Ctrl-R reverse search), Tab completion with a list of candidates, and
// bracketed paste. It draws itself with plain ANSI sequences below the output.
import type { Suggestion } from '../../grammar/partiql/index.js';
import type { History } from './history.js';
import type { Key, KeyReader } from './keys.js';
import { isCtrl } from './keys.js';
import type { Colors } from './text.js';
import { codePointWidth, displayWidth, truncate } from './text.js';

export interface EditorOutput {
  write(text: string): unknown;
  columns?: number;
}

export interface EditorOptions {
  keys: KeyReader;
  output: EditorOutput;
  colors: Colors;
  history: History;
  /** Plain-text prompts; the continuation prompt is shown on the second and later lines. */
  prompt: string;
  continuation: string;
  /** Colours the prompt text. */
  paintPrompt?: (prompt: string) => string;
  /** The buffer with colours, split into lines like `text.split('\n')`. */
  highlight?: (text: string) => string[];
  /** Whether Enter runs the buffer (true) or starts a new line (false). */
  isComplete: (text: string) => boolean;
  /** Completion candidates at `cursor`. */
  complete?: (text: string, cursor: number) => Promise<Suggestion[]>;
}

export type ReadResult = { kind: 'line'; text: string } | { kind: 'eof' } | { kind: 'interrupt' };

interface SearchState {
  query: string;
  /** History index of the match shown (entries.length: none yet). */
  index: number;
  failed: boolean;
  original: { buffer: string; cursor: number };
}

const WORD_CHAR = /[\p{L}\p{N}_$]/u;
/** Rows of candidates shown under the input before "… N more". */
const MAX_LIST_ROWS = 8;

export class LineEditor {
  buffer = '';
  cursor = 0;
  /** The row (from the top of the drawn input) the terminal cursor is on. */
  private cursorRow = 0;
  private footer: string[] = [];
  private search: SearchState | undefined;
  private historyIndex = 0;
  private draft = '';
  private lastAction: 'history' | 'tab' | 'kill' | 'other' = 'other';
  private killed = '';
  private pasting = false;
  private active = false;
  private hintedExit = false;
  prompt: string;

  constructor(private readonly options: EditorOptions) {
    this.prompt = options.prompt;
  }

  private get cols(): number {
    return Math.max(10, this.options.output.columns ?? 80);
  }

  private write(text: string): void {
    this.options.output.write(text);
  }

  /** Reads one input (Enter on a complete statement or meta-command), Ctrl-C or Ctrl-D. */
  async read(initial = ''): Promise<ReadResult> {
    this.buffer = initial;
    this.cursor = initial.length;
    this.cursorRow = 0;
    this.footer = [];
    this.search = undefined;
    this.historyIndex = this.options.history.entries.length;
    this.draft = '';
    this.lastAction = 'other';
    this.pasting = false;
    this.active = true;
    this.options.keys.setRawMode(true);
    this.write('\x1b[?2004h'); // bracketed paste: a pasted newline is not Enter
    this.render();
    try {
      for (;;) {
        const key = await this.options.keys.next();
        const result = await this.handle(key);
        if (result) return result;
      }
    } finally {
      this.active = false;
      this.write('\x1b[?2004l');
    }
  }

  /** Redraws the input (after a terminal resize). */
  redraw(): void {
    if (this.active) this.render();
  }

  // ── Keys ──────────────────────────────────────────────────────────────────────────────────────────

  private async handle(key: Key): Promise<ReadResult | undefined> {
    if (key.name === 'end-of-input') {
      this.finish();
      return { kind: 'eof' };
    }
    if (key.name === 'paste-start') {
      this.pasting = true;
      return undefined;
    }
    if (key.name === 'paste-end') {
      this.pasting = false;
      this.render();
      return undefined;
    }
    if (this.pasting) {
      if (key.sequence === '\r' || key.sequence === '\n') {
        // \r\n pasted: one newline
        if (!(key.sequence === '\n' && this.buffer[this.cursor - 1] === '\n' && this.lastPasteCr))
          this.insert('\n', false);
        this.lastPasteCr = key.sequence === '\r';
        return undefined;
      }
      this.lastPasteCr = false;
      if (key.sequence === '\t') this.insert('    ', false);
      else if (isPrintable(key)) this.insert(key.sequence, false);
      return undefined;
    }

    const hadFooter = this.footer.length > 0;
    if (!this.search) this.footer = [];

    if (this.search) {
      const done = this.handleSearch(key);
      if (done === 'consumed') return undefined;
      // Otherwise the key leaves search mode and is handled as usual below.
      this.footer = [];
    }

    const action = this.lastAction;
    this.lastAction = 'other';

    if (isCtrl(key, 'c')) {
      this.cursor = this.buffer.length;
      this.render();
      const hint =
        this.buffer === '' && !this.hintedExit ? this.options.colors.dim('  (Ctrl-D or .quit to leave)') : '';
      if (hint) this.hintedExit = true;
      this.write(`${this.options.colors.dim('^C')}${hint}\r\n`);
      this.cursorRow = 0;
      return { kind: 'interrupt' };
    }
    if (isCtrl(key, 'd')) {
      if (this.buffer === '') {
        this.finish();
        return { kind: 'eof' };
      }
      this.deleteForward();
    } else if (key.name === 'return' || key.name === 'enter') {
      if (key.meta) {
        this.insert('\n');
      } else if (this.options.isComplete(this.buffer)) {
        const text = this.buffer;
        this.finish();
        return { kind: 'line', text };
      } else {
        this.insert('\n');
      }
      return undefined;
    } else if (key.name === 'tab' && !key.ctrl && !key.meta) {
      await this.completeAtCursor(action === 'tab');
      this.lastAction = 'tab';
      return undefined;
    } else if (isCtrl(key, 'r')) {
      this.startSearch();
    } else if (key.name === 'backspace' || isCtrl(key, 'h')) {
      if (key.meta) this.killWordBackward();
      else this.deleteBackward();
    } else if (key.name === 'delete') {
      this.deleteForward();
    } else if (key.name === 'left' || isCtrl(key, 'b')) {
      if (key.ctrl && key.name === 'left') this.cursor = this.wordLeft();
      else this.cursor = this.prevChar(this.cursor);
    } else if (key.name === 'right' || isCtrl(key, 'f')) {
      if (key.ctrl && key.name === 'right') this.cursor = this.wordRight();
      else this.cursor = this.nextChar(this.cursor);
    } else if (key.meta && key.name === 'b') {
      this.cursor = this.wordLeft();
    } else if (key.meta && key.name === 'f') {
      this.cursor = this.wordRight();
    } else if (key.meta && key.name === 'd') {
      const end = this.wordRight();
      this.kill(this.cursor, end, action === 'kill', false);
    } else if (key.name === 'home' || isCtrl(key, 'a')) {
      this.cursor = this.lineStart();
    } else if (key.name === 'end' || isCtrl(key, 'e')) {
      this.cursor = this.lineEnd();
    } else if (isCtrl(key, 'k')) {
      const end = this.lineEnd();
      this.kill(
        this.cursor,
        end === this.cursor && end < this.buffer.length ? end + 1 : end,
        action === 'kill',
        false,
      );
    } else if (isCtrl(key, 'u')) {
      const start = this.lineStart();
      this.kill(start === this.cursor && start > 0 ? start - 1 : start, this.cursor, action === 'kill', true);
    } else if (isCtrl(key, 'w')) {
      this.killWordBackward(action === 'kill');
    } else if (isCtrl(key, 'y')) {
      this.insert(this.killed);
    } else if (isCtrl(key, 'l')) {
      this.write('\x1b[2J\x1b[H');
      this.cursorRow = 0;
    } else if (key.name === 'up' || isCtrl(key, 'p')) {
      const line = this.currentLine();
      if (action !== 'history' && line > 0 && key.name === 'up') this.moveVertical(-1);
      else this.historyStep(-1);
    } else if (key.name === 'down' || isCtrl(key, 'n')) {
      const line = this.currentLine();
      const lines = this.buffer.split('\n').length;
      if (action !== 'history' && line < lines - 1 && key.name === 'down') this.moveVertical(1);
      else this.historyStep(1);
    } else if (key.meta && (key.name === '<' || key.sequence === '\x1b<')) {
      this.historyJump(0);
    } else if (key.meta && (key.name === '>' || key.sequence === '\x1b>')) {
      this.historyJump(this.options.history.entries.length);
    } else if (key.name === 'escape') {
      // nothing: closes the completion list
    } else if (isPrintable(key)) {
      this.insert(key.sequence);
      return undefined;
    } else if (!hadFooter) {
      return undefined;
    }
    this.render();
    return undefined;
  }

  private lastPasteCr = false;

  // ── Editing ───────────────────────────────────────────────────────────────────────────────────────

  private insert(text: string, render = true): void {
    if (!text) return;
    this.buffer = this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor);
    this.cursor += text.length;
    if (render) this.render();
  }

  private prevChar(i: number): number {
    if (i <= 0) return 0;
    const code = this.buffer.charCodeAt(i - 1);
    return code >= 0xdc00 && code <= 0xdfff && i >= 2 ? i - 2 : i - 1;
  }

  private nextChar(i: number): number {
    if (i >= this.buffer.length) return this.buffer.length;
    const code = this.buffer.charCodeAt(i);
    return code >= 0xd800 && code <= 0xdbff && i + 1 < this.buffer.length ? i + 2 : i + 1;
  }

  private deleteBackward(): void {
    const start = this.prevChar(this.cursor);
    this.buffer = this.buffer.slice(0, start) + this.buffer.slice(this.cursor);
    this.cursor = start;
  }

  private deleteForward(): void {
    const end = this.nextChar(this.cursor);
    this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(end);
  }

  private kill(start: number, end: number, append: boolean, before: boolean): void {
    if (end <= start) return;
    const text = this.buffer.slice(start, end);
    this.killed = append ? (before ? text + this.killed : this.killed + text) : text;
    this.buffer = this.buffer.slice(0, start) + this.buffer.slice(end);
    this.cursor = start;
    this.lastAction = 'kill';
  }

  private killWordBackward(append = false): void {
    this.kill(this.wordLeft(), this.cursor, append, true);
  }

  private isWord(i: number): boolean {
    const ch = this.buffer[i];
    return ch !== undefined && WORD_CHAR.test(ch);
  }

  private wordLeft(): number {
    let i = this.cursor;
    while (i > 0 && !this.isWord(i - 1)) i--;
    while (i > 0 && this.isWord(i - 1)) i--;
    return i;
  }

  private wordRight(): number {
    let i = this.cursor;
    const n = this.buffer.length;
    while (i < n && !this.isWord(i)) i++;
    while (i < n && this.isWord(i)) i++;
    return i;
  }

  private lineStart(): number {
    return this.buffer.lastIndexOf('\n', this.cursor - 1) + 1;
  }

  private lineEnd(): number {
    const nl = this.buffer.indexOf('\n', this.cursor);
    return nl === -1 ? this.buffer.length : nl;
  }

  private currentLine(): number {
    let n = 0;
    for (let i = 0; i < this.cursor; i++) if (this.buffer.charCodeAt(i) === 10) n++;
    return n;
  }

  private moveVertical(delta: -1 | 1): void {
    const lines = this.buffer.split('\n');
    const line = this.currentLine();
    const start = this.lineStart();
    const column = displayWidth(this.buffer.slice(start, this.cursor));
    const target = line + delta;
    let offset = 0;
    for (let i = 0; i < target; i++) offset += lines[i]!.length + 1;
    const text = lines[target]!;
    let w = 0;
    let j = 0;
    for (const ch of text) {
      const cw = codePointWidth(ch.codePointAt(0)!);
      if (w + cw > column) break;
      w += cw;
      j += ch.length;
    }
    this.cursor = offset + j;
  }

  // ── History ───────────────────────────────────────────────────────────────────────────────────────

  private historyStep(delta: -1 | 1): void {
    const entries = this.options.history.entries;
    const target = this.historyIndex + delta;
    if (target < 0 || target > entries.length) return;
    this.historyJump(target);
  }

  private historyJump(target: number): void {
    const entries = this.options.history.entries;
    if (this.historyIndex === entries.length) this.draft = this.buffer;
    this.historyIndex = target;
    this.buffer = target === entries.length ? this.draft : entries[target]!;
    this.cursor = this.buffer.length;
    this.lastAction = 'history';
  }

  private startSearch(): void {
    this.search = {
      query: '',
      index: this.options.history.entries.length,
      failed: false,
      original: { buffer: this.buffer, cursor: this.cursor },
    };
    this.updateSearchFooter();
  }

  private findMatch(from: number, backward: boolean): void {
    const s = this.search!;
    const history = this.options.history;
    const found = backward ? history.searchBackward(s.query, from) : history.searchForward(s.query, from);
    if (found < 0) {
      s.failed = true;
    } else {
      s.failed = false;
      s.index = found;
      this.buffer = history.entries[found]!;
      const at = this.buffer.toLowerCase().indexOf(s.query.toLowerCase());
      this.cursor = at < 0 ? this.buffer.length : at;
      this.historyIndex = found;
    }
  }

  /** 'consumed', or 'leave' when the key ends the search and should be handled normally. */
  private handleSearch(key: Key): 'consumed' | 'leave' {
    const s = this.search!;
    if (isCtrl(key, 'r')) {
      if (s.query === '') {
        // Ctrl-R Ctrl-R: search again for the last query
        s.query = this.lastSearch;
      }
      this.findMatch(s.index, true);
    } else if (isCtrl(key, 's')) {
      this.findMatch(s.index, false);
    } else if (isCtrl(key, 'g') || isCtrl(key, 'c') || key.name === 'escape') {
      this.buffer = s.original.buffer;
      this.cursor = s.original.cursor;
      this.search = undefined;
      this.footer = [];
      this.render();
      return 'consumed';
    } else if (key.name === 'backspace') {
      s.query = s.query.slice(0, -1);
      if (s.query === '') {
        s.failed = false;
      } else {
        this.findMatch(this.options.history.entries.length, true);
      }
    } else if (isPrintable(key)) {
      s.query += key.sequence;
      this.findMatch(Math.min(s.index + 1, this.options.history.entries.length), true);
    } else {
      this.lastSearch = s.query || this.lastSearch;
      this.search = undefined;
      if (key.name === 'return' || key.name === 'enter') return 'leave';
      if (key.name === 'escape') return 'consumed';
      return 'leave';
    }
    this.lastSearch = s.query || this.lastSearch;
    this.updateSearchFooter();
    this.render();
    return 'consumed';
  }

  private lastSearch = '';

  private updateSearchFooter(): void {
    const s = this.search!;
    const c = this.options.colors;
    const label = s.failed ? c.yellow('failing bck-i-search:') : c.dim('bck-i-search:');
    this.footer = [`${label} ${s.query}${c.inverse(' ')}`];
  }

  // ── Completion ────────────────────────────────────────────────────────────────────────────────────

  private async completeAtCursor(again: boolean): Promise<void> {
    if (!this.options.complete) return;
    let suggestions: Suggestion[];
    try {
      suggestions = await this.options.complete(this.buffer, this.cursor);
    } catch {
      suggestions = [];
    }
    if (suggestions.length === 0) {
      this.render();
      return;
    }
    const first = suggestions[0]!;
    const { offset, length } = first.replace;
    const typed = this.buffer.slice(offset, offset + length);
    if (suggestions.length === 1) {
      let text = first.insertText;
      const next = this.buffer[offset + length];
      if ((first.kind === 'keyword' || first.kind === 'table') && (next === undefined || !/\s/.test(next)))
        text += ' ';
      this.replaceRange(offset, length, text);
      this.render();
      return;
    }
    const common = commonPrefix(suggestions.map((s) => s.insertText));
    if (common.length > typed.length && common.toLowerCase().startsWith(typed.toLowerCase())) {
      this.replaceRange(offset, length, common);
      if (!again) {
        this.render();
        return;
      }
    }
    this.footer = this.candidateList(suggestions);
    this.render();
  }

  private replaceRange(offset: number, length: number, text: string): void {
    this.buffer = this.buffer.slice(0, offset) + text + this.buffer.slice(offset + length);
    this.cursor = offset + text.length;
  }

  private candidateList(suggestions: Suggestion[]): string[] {
    const c = this.options.colors;
    const paint = (s: Suggestion): string => {
      switch (s.kind) {
        case 'table':
          return c.green(s.label);
        case 'index':
          return c.cyan(s.label);
        case 'keyword':
          return c.blue(s.label);
        case 'function':
          return c.yellow(s.label);
        default:
          return s.label;
      }
    };
    const width = Math.min(this.cols - 1, Math.max(...suggestions.map((s) => displayWidth(s.label))) + 2);
    const perRow = Math.max(1, Math.floor((this.cols - 1) / width));
    const rows: string[] = [];
    let shown = 0;
    for (let i = 0; i < suggestions.length && rows.length < MAX_LIST_ROWS; i += perRow) {
      const cells = suggestions.slice(i, i + perRow).map((s) => {
        const label = truncate(s.label, width - 2);
        return paint({ ...s, label }) + ' '.repeat(Math.max(0, width - displayWidth(label)));
      });
      shown += cells.length;
      rows.push(cells.join('').trimEnd());
    }
    if (shown < suggestions.length) rows.push(c.dim(`… ${suggestions.length - shown} more`));
    return rows;
  }

  // ── Drawing ───────────────────────────────────────────────────────────────────────────────────────

  private finish(): void {
    this.footer = [];
    this.search = undefined;
    this.cursor = this.buffer.length;
    this.render();
    this.write('\r\n');
    this.cursorRow = 0;
  }

  /** Draws prompt + buffer (+ footer) from the top of the input area, and places the cursor. */
  private render(): void {
    const cols = this.cols;
    const lines = this.buffer.split('\n');
    const painted = this.options.highlight ? this.options.highlight(this.buffer) : lines;
    const paintPrompt = this.options.paintPrompt ?? ((p: string) => p);
    let out = '\x1b[?25l';
    if (this.cursorRow > 0) out += `\x1b[${this.cursorRow}A`;
    out += '\r\x1b[J';
    const cursorLine = this.currentLine();
    const cursorColText = this.buffer.slice(this.lineStart(), this.cursor);
    let row = 0;
    let cursorRow = 0;
    let cursorCol = 0;
    let endRow = 0;
    let endCol = 0;
    for (let i = 0; i < lines.length; i++) {
      const prompt = i === 0 ? this.prompt : this.options.continuation;
      const pw = displayWidth(prompt);
      const w = pw + displayWidth(lines[i]!);
      if (i > 0) out += '\r\n';
      out += paintPrompt(prompt) + (painted[i] ?? lines[i]!);
      const last = i === lines.length - 1;
      if (i === cursorLine) {
        const x = pw + displayWidth(cursorColText);
        cursorRow = row + Math.floor(x / cols);
        cursorCol = x % cols;
        if (!last && x === w && w % cols === 0) {
          cursorRow--;
          cursorCol = cols - 1;
        }
      }
      if (last) {
        if (w > 0 && w % cols === 0) out += '\r\n';
        endRow = row + Math.floor(w / cols);
        endCol = w % cols;
      } else {
        row += Math.max(1, Math.ceil(w / cols));
      }
    }
    for (const line of this.footer) {
      out += `\r\n${line}`;
      endRow++;
      endCol = Math.min(displayWidth(line), cols - 1);
    }
    if (endRow > cursorRow) out += `\x1b[${endRow - cursorRow}A`;
    out += '\r';
    if (cursorCol > 0) out += `\x1b[${cursorCol}C`;
    void endCol;
    out += '\x1b[?25h';
    this.cursorRow = cursorRow;
    this.write(out);
  }
}

function isPrintable(key: Key): boolean {
  if (key.ctrl || key.meta) return false;
  const s = key.sequence;
  // eslint-disable-next-line no-control-regex
  return s.length > 0 && !/[\x00-\x1f\x7f]/.test(s) && !s.startsWith('\x1b');
}

function commonPrefix(texts: string[]): string {
  if (texts.length === 0) return '';
  let prefix = texts[0]!;
  for (const t of texts) {
    let i = 0;
    while (i < prefix.length && i < t.length && prefix[i]!.toLowerCase() === t[i]!.toLowerCase()) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}
