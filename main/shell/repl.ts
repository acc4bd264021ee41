// The interactive shell: read a statement with the line editor, run it, page its results, repeat.
// The terminal stays in raw mode for the whole session, so Ctrl-C is a key: it clears the input, or
// cancels the statement that is running, and never ends the shell (Ctrl-D and .quit do).
import type { Suggestion } from '../../grammar/partiql/index.js';
import { completeInput } from './complete.js';
import { LineEditor } from './editor.js';
import type { EditorOutput } from './editor.js';
import { highlightLines } from './highlight.js';
import type { History } from './history.js';
import type { KeyStream } from './keys.js';
import { isCtrl, KeyReader } from './keys.js';
import type { Session } from './session.js';
import { splitScript } from './split.js';
import type { Colors } from './text.js';
import { displayWidth } from './text.js';

/**
 * Shows `text` in the user's pager (`$PAGER`, run by the shell as git and psql do). The terminal
 * leaves raw mode and this process stops reading it, so the pager gets the keys; Ctrl-C belongs
 * to the pager meanwhile.
 */
async function runPager(
  command: string,
  text: string,
  keys: KeyReader,
  output: ReplOutput,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const { spawn } = await import('node:child_process');
  keys.pause();
  output.write('\x1b[?2004l');
  const ignore = (): void => {};
  process.on('SIGINT', ignore);
  try {
    await new Promise<void>((resolve) => {
      const child = spawn(command, {
        shell: true,
        stdio: ['pipe', 'inherit', 'inherit'],
        // less: colours as they are, quit at once when it fits, leave the screen as it was.
        env: { ...env, LESS: env.LESS ?? 'FRX' },
      });
      child.on('error', () => {
        output.write(text);
        resolve();
      });
      // The pager may quit before reading everything.
      child.stdin.on('error', () => {});
      child.stdin.end(text);
      child.on('close', () => resolve());
    });
  } finally {
    process.off('SIGINT', ignore);
    keys.resume();
    output.write('\x1b[?2004h');
  }
}

export interface ReplOutput extends EditorOutput {
  rows?: number;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

export interface ReplOptions {
  session: Session;
  input: KeyStream;
  /** Where the editor and the pager draw (the terminal). */
  output: ReplOutput;
  colors: Colors;
  history: History;
  banner?: string[];
  cwd?: string;
  /** For $PAGER (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

const BARE_WORDS = /^(exit|quit|help|\\q|\\\?)\s*;?\s*$/i;

/** Whether Enter should run `text`: complete statements, meta-commands, or nothing at all. */
export function inputComplete(text: string): boolean {
  if (BARE_WORDS.test(text.trim())) return true;
  return !splitScript(text).incomplete;
}

export async function runRepl(options: ReplOptions): Promise<void> {
  const { session, output, colors: c, history } = options;
  const keys = new KeyReader(options.input);
  const name = session.backend.promptName;
  const prompt = `${name}> `;
  const continuation = `${' '.repeat(Math.max(0, displayWidth(prompt) - 4))}..> `;
  const cwd = options.cwd ?? process.cwd();

  const editor = new LineEditor({
    keys,
    output,
    colors: c,
    history,
    prompt,
    continuation,
    paintPrompt: (p) => c.bold(c.cyan(p)),
    highlight: c.isColorSupported ? (text) => highlightLines(text, c) : undefined,
    isComplete: inputComplete,
    complete: (text: string, cursor: number): Promise<Suggestion[]> =>
      completeInput(text, cursor, { schema: session.schema, cwd }),
  });

  const onResize = (): void => editor.redraw();
  output.on?.('resize', onResize);

  const restore = (): void => {
    keys.setRawMode(false);
    output.write('\x1b[?2004l\x1b[?25h');
  };
  process.once('exit', restore);

  // Screen lines per page: all but the last row, where the question goes.
  session.io.pageRows = () => Math.max(5, (output.rows ?? 24) - 1);
  session.io.more = async (shown: number): Promise<boolean> => {
    const interrupt = keys.onInterrupt;
    keys.onInterrupt = undefined;
    try {
      output.write(
        `${c.inverse(' -- more -- ')} ${c.dim(`${shown} rows so far · space/enter: next page · q: stop`)}`,
      );
      for (;;) {
        const key = await keys.next();
        if (
          key.name === 'space' ||
          key.sequence === ' ' ||
          key.name === 'return' ||
          key.name === 'enter' ||
          key.name === 'down' ||
          key.name === 'pagedown' ||
          key.sequence === 'j'
        ) {
          output.write('\r\x1b[K');
          return true;
        }
        if (
          key.sequence === 'q' ||
          key.sequence === 'Q' ||
          key.name === 'escape' ||
          isCtrl(key, 'c') ||
          isCtrl(key, 'd') ||
          key.name === 'end-of-input'
        ) {
          output.write('\r\x1b[K');
          return false;
        }
      }
    } finally {
      keys.onInterrupt = interrupt;
    }
  };

  const pagerCommand = (options.env ?? process.env).PAGER?.trim();
  if (pagerCommand) {
    session.io.externalPager = (text) =>
      runPager(pagerCommand, text, keys, output, options.env ?? process.env);
  }

  session.io.status = (text) => output.write(text === null ? '\r\x1b[K' : `\r\x1b[K${c.dim(text)}`);

  for (const line of options.banner ?? []) output.write(`${line}\n`);
  keys.setRawMode(true);
  try {
    for (;;) {
      const queued = session.queued;
      editor.prompt = queued
        ? `${name}(${queued.kind === 'batch' ? 'batch' : 'tx'} ${queued.count})> `
        : prompt;
      const read = await editor.read();
      if (read.kind === 'eof') break;
      if (read.kind === 'interrupt') continue;
      const text = read.text;
      if (text.trim() === '') continue;
      history.add(text);
      const bare = BARE_WORDS.exec(text.trim())?.[1]?.toLowerCase();
      if (bare === 'exit' || bare === 'quit' || bare === '\\q') break;
      const controller = new AbortController();
      keys.onInterrupt = () => controller.abort();
      let quit = false;
      try {
        if (bare === 'help' || bare === '\\?') await session.runMeta('.help');
        else quit = (await session.run(text, { signal: controller.signal })).quit;
      } finally {
        keys.onInterrupt = undefined;
      }
      if (controller.signal.aborted) keys.clear();
      if (quit) break;
    }
  } finally {
    output.off?.('resize', onResize);
    process.off('exit', restore);
    restore();
    keys.close();
  }
}
