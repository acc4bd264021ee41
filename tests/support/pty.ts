// Interactive programs under a pseudo-terminal, for tests that check what a person would see.
// A small Python relay (pty_relay.py, standard library only) owns the terminal; this side feeds it
// keys and replays its output on an emulated screen (cursor moves, erases, line wrap, scrolling),
// so assertions read the screen rather than raw escape sequences.
//
//   const term = spawnPty(process.execPath, ['--import', 'tsx', 'main/cli.ts', 'shell'], { cwd });
//   await term.waitFor(/> $/m);
//   term.write('SELECT 1;\r');
//   await term.waitFor('(1 row');
//   assert.match(term.screen(), /…/);
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RELAY = join(dirname(fileURLToPath(import.meta.url)), 'pty_relay.py');

/** Keys as a terminal sends them. */
export const KEYS = {
  enter: '\r',
  tab: '\t',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  backspace: '\x7f',
  ctrlA: '\x01',
  ctrlC: '\x03',
  ctrlD: '\x04',
  ctrlE: '\x05',
  ctrlK: '\x0b',
  ctrlR: '\x12',
  ctrlU: '\x15',
  ctrlW: '\x17',
  ctrlY: '\x19',
  escape: '\x1b',
  altEnter: '\x1b\r',
  pasteStart: '\x1b[200~',
  pasteEnd: '\x1b[201~',
} as const;

/** A minimal VT100 screen: enough for line editors and pagers. */
export class Screen {
  readonly lines: string[][];
  readonly scrollback: string[] = [];
  row = 0;
  col = 0;
  private pendingWrap = false;

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.lines = Array.from({ length: rows }, () => this.blank());
  }

  private blank(): string[] {
    return new Array<string>(this.cols).fill(' ');
  }

  private lineFeed(): void {
    if (this.row === this.rows - 1) {
      this.scrollback.push(this.lines.shift()!.join('').trimEnd());
      this.lines.push(this.blank());
    } else {
      this.row++;
    }
  }

  private put(ch: string): void {
    if (this.pendingWrap) {
      this.col = 0;
      this.lineFeed();
      this.pendingWrap = false;
    }
    this.lines[this.row]![this.col] = ch;
    if (this.col === this.cols - 1) this.pendingWrap = true;
    else this.col++;
  }

  write(text: string): void {
    let i = 0;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '\x1b') {
        const next = text[i + 1];
        if (next === '[') {
          // eslint-disable-next-line no-control-regex
          const m = /^\x1b\[([?>=]?)([0-9;]*)([ -/]*)([@-~])/.exec(text.slice(i));
          if (!m) break; // incomplete sequence at the end of a chunk: caller re-feeds
          this.csi(m[1]!, m[2]!, m[4]!);
          i += m[0].length;
          continue;
        }
        if (next === ']') {
          const end = text.indexOf('\x07', i);
          i = end === -1 ? text.length : end + 1;
          continue;
        }
        i += 2;
        continue;
      }
      if (ch === '\r') {
        this.col = 0;
        this.pendingWrap = false;
      } else if (ch === '\n') {
        this.pendingWrap = false;
        this.lineFeed();
      } else if (ch === '\b') {
        this.col = Math.max(0, this.col - 1);
        this.pendingWrap = false;
      } else if (ch >= ' ' && ch !== '\x7f') {
        const cp = text.codePointAt(i)!;
        const s = String.fromCodePoint(cp);
        this.put(s);
        i += s.length;
        continue;
      }
      i++;
    }
  }

  private csi(priv: string, params: string, final: string): void {
    const nums = params.split(';').map((p) => (p === '' ? undefined : Number(p)));
    const n = nums[0] ?? 1;
    if (priv !== '') return; // private modes (cursor visibility, bracketed paste)
    switch (final) {
      case 'A':
        this.row = Math.max(0, this.row - n);
        break;
      case 'B':
        this.row = Math.min(this.rows - 1, this.row + n);
        break;
      case 'C':
        this.col = Math.min(this.cols - 1, this.col + n);
        break;
      case 'D':
        this.col = Math.max(0, this.col - n);
        break;
      case 'G':
        this.col = Math.min(this.cols - 1, n - 1);
        break;
      case 'H':
      case 'f':
        this.row = Math.min(this.rows - 1, (nums[0] ?? 1) - 1);
        this.col = Math.min(this.cols - 1, (nums[1] ?? 1) - 1);
        break;
      case 'J': {
        const mode = nums[0] ?? 0;
        if (mode === 2 || mode === 3) {
          for (let r = 0; r < this.rows; r++) this.lines[r] = this.blank();
        } else if (mode === 0) {
          for (let c = this.col; c < this.cols; c++) this.lines[this.row]![c] = ' ';
          for (let r = this.row + 1; r < this.rows; r++) this.lines[r] = this.blank();
        }
        break;
      }
      case 'K': {
        const mode = nums[0] ?? 0;
        const line = this.lines[this.row]!;
        if (mode === 0) for (let c = this.col; c < this.cols; c++) line[c] = ' ';
        else if (mode === 2) this.lines[this.row] = this.blank();
        else if (mode === 1) for (let c = 0; c <= this.col; c++) line[c] = ' ';
        break;
      }
      default:
        // SGR (colours) and anything else: no effect on the text
        return;
    }
    this.pendingWrap = false;
  }

  /** The visible screen, trailing blanks trimmed. */
  text(): string {
    return this.lines
      .map((l) => l.join('').trimEnd())
      .join('\n')
      .replace(/\n+$/, '');
  }

  /** Everything shown so far: scrolled-off lines, then the screen. */
  all(): string {
    return [...this.scrollback, this.text()].join('\n');
  }

  /** The line the cursor is on. */
  cursorLine(): string {
    return this.lines[this.row]!.join('').trimEnd();
  }
}

export interface PtyOptions {
  cols?: number;
  rows?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The relay kills the program after this long. Default 20 s. */
  timeoutMs?: number;
}

export class PtySession {
  readonly screen: Screen;
  raw = '';
  private pending = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<number>;
  private listeners: (() => void)[] = [];

  constructor(command: string, args: string[], options: PtyOptions = {}) {
    const cols = options.cols ?? 100;
    const rows = options.rows ?? 30;
    this.screen = new Screen(cols, rows);
    const timeout = (options.timeoutMs ?? 20000) / 1000;
    this.child = spawn(
      'python3',
      [RELAY, String(cols), String(rows), String(timeout), '--', command, ...args],
      {
        cwd: options.cwd,
        env: { TERM: 'xterm-256color', ...(options.env ?? process.env) },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => {
      this.raw += chunk;
      this.pending += chunk;
      // Keep an escape sequence cut at the chunk's end for the next chunk.
      // eslint-disable-next-line no-control-regex
      const cut = this.pending.search(/\x1b(\[[0-9;?>=]*[ -/]*)?$/);
      const now = cut === -1 ? this.pending : this.pending.slice(0, cut);
      this.pending = cut === -1 ? '' : this.pending.slice(cut);
      this.screen.write(now);
      for (const l of this.listeners) l();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code) => {
        for (const l of this.listeners) l();
        resolve(code ?? -1);
      });
    });
  }

  /** Types text (keys as bytes: use KEYS for special keys). */
  write(text: string): void {
    this.child.stdin!.write(text);
  }

  /** The visible screen. */
  text(): string {
    return this.screen.text();
  }

  /** Everything shown so far. */
  all(): string {
    return this.screen.all();
  }

  /** Waits until the screen (with scrollback) shows `pattern`; throws with the screen after `timeoutMs`. */
  waitFor(pattern: RegExp | string, timeoutMs = 8000): Promise<void> {
    const test = (): boolean => {
      const shown = this.screen.all();
      return typeof pattern === 'string' ? shown.includes(pattern) : pattern.test(shown);
    };
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(
          new Error(`timed out waiting for ${String(pattern)}; the screen shows:\n${this.screen.all()}`),
        );
      }, timeoutMs);
      const check = (): void => {
        if (!test()) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  /** Waits until nothing new has been drawn for `quietMs`. */
  async settle(quietMs = 150, timeoutMs = 5000): Promise<void> {
    const start = Date.now();
    let last = this.raw.length;
    for (;;) {
      await new Promise((r) => setTimeout(r, quietMs));
      if (this.raw.length === last || Date.now() - start > timeoutMs) return;
      last = this.raw.length;
    }
  }

  /** Resolves to the exit status once the program has ended. */
  exit(): Promise<number> {
    return this.exited;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

export function spawnPty(command: string, args: string[], options: PtyOptions = {}): PtySession {
  return new PtySession(command, args, options);
}
