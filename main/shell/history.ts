// Shell history: `<SORTKEY_HOME>/shell_history`, one entry per line. An entry that spans lines (a
// multi-line statement) is stored as a JSON string; other lines are taken as written.
import { appendFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sortkeyHome } from '../defaults.js';

export const HISTORY_FILE = 'shell_history';
export const HISTORY_LIMIT = 1000;

export function defaultHistoryPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(sortkeyHome(env), HISTORY_FILE);
}

function decode(line: string): string {
  if (line.startsWith('"')) {
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v === 'string') return v;
    } catch {
      // written by hand: take it as it is
    }
  }
  return line;
}

function encode(entry: string): string {
  return /[\r\n]/.test(entry) || entry.startsWith('"') ? JSON.stringify(entry) : entry;
}

export class History {
  /** Oldest first. */
  readonly entries: string[] = [];

  /** `path` undefined: history kept in memory only. */
  constructor(
    private readonly path?: string,
    private readonly limit = HISTORY_LIMIT,
  ) {
    if (!path) return;
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) if (line.trim()) this.entries.push(decode(line));
    if (this.entries.length > limit) {
      this.entries.splice(0, this.entries.length - limit);
      this.rewrite();
    }
  }

  /** Adds an entry (not a repeat of the last one), and appends it to the file. */
  add(entry: string): void {
    const text = entry.trim();
    if (!text || this.entries[this.entries.length - 1] === text) return;
    this.entries.push(text);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    if (!this.path) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      appendFileSync(this.path, `${encode(text)}\n`, { mode: 0o600 });
    } catch {
      // history is a convenience: a read-only home must not break the shell
    }
  }

  private rewrite(): void {
    if (!this.path) return;
    try {
      writeFileSync(this.path, this.entries.map((e) => `${encode(e)}\n`).join(''), { mode: 0o600 });
      chmodSync(this.path, 0o600);
    } catch {
      // as above
    }
  }

  /**
   * The newest entry before position `from` (exclusive; entries.length to start at the newest)
   * containing `query` (case-insensitive); -1 if none.
   */
  searchBackward(query: string, from: number): number {
    const q = query.toLowerCase();
    for (let i = Math.min(from, this.entries.length) - 1; i >= 0; i--) {
      if (this.entries[i]!.toLowerCase().includes(q)) return i;
    }
    return -1;
  }

  /** The oldest entry after position `from` (exclusive) containing `query`; -1 if none. */
  searchForward(query: string, from: number): number {
    const q = query.toLowerCase();
    for (let i = Math.max(from + 1, 0); i < this.entries.length; i++) {
      if (this.entries[i]!.toLowerCase().includes(q)) return i;
    }
    return -1;
  }
}
