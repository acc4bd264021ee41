// Keys from a terminal in raw mode, one at a time, for whoever is listening: the line editor, the
// pager, or (while a statement runs) the Ctrl-C handler. Keys typed ahead wait in a queue.
import { emitKeypressEvents } from 'node:readline';
import type { Readable } from 'node:stream';

export interface Key {
  /** The characters the key produced ('' for most special keys). */
  sequence: string;
  /** readline's key name: 'a', 'return', 'up', 'paste-start', … */
  name?: string;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
}

/** Key input that ended: the stream closed. */
export const END: Key = { sequence: '', name: 'end-of-input', ctrl: false, meta: false, shift: false };

export function isCtrl(key: Key, name: string): boolean {
  return key.ctrl && !key.meta && key.name === name;
}

export interface KeyStream extends Readable {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export class KeyReader {
  private readonly queue: Key[] = [];
  private waiter: ((key: Key) => void) | undefined;
  private ended = false;
  /** While set, Ctrl-C calls it at once instead of waiting in the queue (a statement is running). */
  onInterrupt: (() => void) | undefined;

  private readonly onKeypress = (str: string | undefined, key: Partial<Key> | undefined): void => {
    const k: Key = {
      sequence: key?.sequence ?? str ?? '',
      ctrl: key?.ctrl === true,
      meta: key?.meta === true,
      shift: key?.shift === true,
    };
    if (key?.name !== undefined) k.name = key.name;
    if (this.onInterrupt && isCtrl(k, 'c')) {
      this.onInterrupt();
      return;
    }
    this.push(k);
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.push(END);
  };

  constructor(private readonly input: KeyStream) {
    // A lone Escape is a key after 50 ms (otherwise it waits for the next key to tell it apart).
    emitKeypressEvents(input, { escapeCodeTimeout: 50 } as never);
    input.on('keypress', this.onKeypress);
    input.on('end', this.onEnd);
    input.on('close', this.onEnd);
  }

  setRawMode(on: boolean): void {
    if (this.input.isTTY && typeof this.input.setRawMode === 'function') this.input.setRawMode(on);
  }

  private push(key: Key): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(key);
    } else {
      this.queue.push(key);
    }
  }

  /** The next key (END once input has ended). */
  next(): Promise<Key> {
    const k = this.queue.shift();
    if (k) return Promise.resolve(k);
    if (this.ended) return Promise.resolve(END);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Keys already waiting. */
  get pending(): number {
    return this.queue.length;
  }

  /** Drops keys typed ahead (after Ctrl-C: they were meant for what was cancelled). */
  clear(): void {
    this.queue.length = 0;
  }

  /** Stops reading the terminal for a while (an external pager reads it meanwhile). */
  pause(): void {
    this.setRawMode(false);
    this.input.pause();
  }

  resume(): void {
    this.input.resume();
    this.setRawMode(true);
  }

  close(): void {
    this.input.off('keypress', this.onKeypress);
    this.input.off('end', this.onEnd);
    this.input.off('close', this.onEnd);
    this.setRawMode(false);
    // Stop reading, so the terminal no longer keeps the process alive.
    this.input.pause();
  }
}
