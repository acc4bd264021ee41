// The audit log file (`sortkey serve --audit FILE`): CloudTrail records (record.ts), one JSON line
// per request, kept off the request thread's path. A request only leaves a few references in a
// queue; the records are made a turn of the event loop later, many at a time, and appended with
// asynchronous writes (the thread pool), one write in flight at a time, each holding whole lines,
// so lines are never interleaved or torn. The file is rotated by size: FILE → FILE.1 → FILE.2 …,
// the oldest beyond `keep` deleted (logrotate's naming; FILE.1 is the newest of the rotated files).
import { closeSync, fstatSync, mkdirSync, openSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditedRequest } from '../server/handler.js';
import { DEFAULT_AUDIT_KEEP, DEFAULT_AUDIT_MAX_BYTES } from '../server/config.js';
import { buildAuditEvent, captureRequest } from './record.js';
import type { CapturedRequest, RecordContext } from './record.js';

export { DEFAULT_AUDIT_KEEP, DEFAULT_AUDIT_MAX_BYTES } from '../server/config.js';

/** The name of the `n`th rotated file of `file` (1: the newest), logrotate's naming. */
export function rotatedName(file: string, n: number): string {
  return `${file}.${n}`;
}

/**
 * Lines waiting for the disk beyond which new ones are dropped (and the drop reported): a disk that
 * stalls must not grow the server's memory without bound, nor block requests.
 */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

export interface AuditLogOptions extends Omit<RecordContext, 'items'> {
  readonly file: string;
  readonly maxBytes?: number;
  readonly keep?: number;
  readonly items?: boolean;
  /** Operational messages (a failed write, dropped lines). Default: console.warn. */
  readonly onLog?: (line: string) => void;
  /** Clock (tests). */
  readonly now?: () => number;
}

export class AuditLog {
  readonly file: string;
  readonly maxBytes: number;
  readonly keep: number;
  readonly items: boolean;
  /** Lines that could not be kept (the disk too slow, or failing). */
  dropped = 0;
  private readonly ctx: RecordContext;
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private captured: CapturedRequest[] = [];
  private scheduled = false;
  /** Text made from records, waiting for the writer. */
  private chunks: string[] = [];
  private pendingBytes = 0;
  private handle: Promise<FileHandle> | undefined;
  private size: number;
  private writing: Promise<void> | undefined;
  private closed = false;
  private lastError = 0;

  /** Opens (creating) the file at once, so that a path that cannot be written fails at start. */
  constructor(options: AuditLogOptions) {
    this.file = options.file;
    this.maxBytes = Math.max(1, options.maxBytes ?? DEFAULT_AUDIT_MAX_BYTES);
    this.keep = Math.max(0, options.keep ?? DEFAULT_AUDIT_KEEP);
    this.items = options.items ?? false;
    this.ctx = {
      items: this.items,
      defaultNamespace: options.defaultNamespace,
      keyNamesOf: options.keyNamesOf,
    };
    this.log = options.onLog ?? ((line) => console.warn(line));
    this.now = options.now ?? Date.now;
    mkdirSync(dirname(this.file), { recursive: true });
    const fd = openSync(this.file, 'a');
    try {
      this.size = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  }

  /** Called by the request handler for every answered request: cheap, never throws, never waits. */
  record(entry: AuditedRequest): void {
    if (this.closed) return;
    this.captured.push(captureRequest(entry, this.now()));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.build());
    }
  }

  /** Makes the lines of the requests queued since the last turn, and hands them to the writer. */
  private build(): void {
    this.scheduled = false;
    const batch = this.captured;
    this.captured = [];
    let text = '';
    for (const c of batch) {
      let line: string;
      try {
        line = JSON.stringify(buildAuditEvent(c, this.ctx));
      } catch (e) {
        // A record that cannot be made (a bug): say so rather than lose the request silently.
        this.report(`sortkey: could not make an audit record: ${(e as Error).message}`);
        this.dropped++;
        continue;
      }
      text += line + '\n';
    }
    if (text === '') return;
    if (this.pendingBytes + text.length > MAX_PENDING_BYTES) {
      this.dropped += batch.length;
      this.report(`sortkey: the audit log's disk is behind: ${this.dropped} records dropped so far`);
      return;
    }
    this.pendingBytes += text.length;
    this.chunks.push(text);
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
    });
  }

  private report(line: string): void {
    const now = Date.now();
    if (now - this.lastError < 60_000) return;
    this.lastError = now;
    try {
      this.log(line);
    } catch {
      // as the handler's loggers: never fatal
    }
  }

  /**
   * Writes what is queued, one write at a time. A file is rotated before it would pass `maxBytes`:
   * the lines that still fit end it, the rest start the next (a single line longer than the limit
   * gets a file of its own).
   */
  private async drain(): Promise<void> {
    while (this.chunks.length > 0) {
      const text = this.chunks.join('');
      this.chunks = [];
      let bytes = Buffer.from(text, 'utf8');
      try {
        while (bytes.length > 0) {
          const room = this.maxBytes - this.size;
          let part = bytes;
          if (bytes.length > room) {
            // The whole lines that fit: up to the last newline within the room left.
            const cut = room > 0 ? bytes.lastIndexOf(0x0a, room - 1) + 1 : 0;
            if (cut === 0 && this.size > 0) {
              await this.rotate();
              continue;
            }
            // An empty file takes at least one line, however long.
            part = bytes.subarray(0, cut > 0 ? cut : bytes.indexOf(0x0a) + 1 || bytes.length);
          }
          await this.append(part);
          bytes = bytes.subarray(part.length);
        }
      } catch (e) {
        this.dropped += countLines(bytes.toString('utf8'));
        this.report(`sortkey: could not write the audit log ${this.file}: ${(e as Error).message}`);
        await this.reopen();
      } finally {
        this.pendingBytes -= text.length;
      }
    }
  }

  private async append(bytes: Buffer): Promise<void> {
    const handle = await (this.handle ??= open(this.file, 'a'));
    let offset = 0;
    // A short write (a full disk, say) goes on from where it stopped: the line stays whole.
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
      if (bytesWritten <= 0) throw new Error('nothing was written');
      offset += bytesWritten;
    }
    this.size += bytes.length;
  }

  /** FILE → FILE.1, FILE.1 → FILE.2 … (the oldest beyond `keep` removed); a new FILE is started. */
  private async rotate(): Promise<void> {
    await this.reopen();
    if (this.keep === 0) {
      await rm(this.file, { force: true });
    } else {
      await rm(rotatedName(this.file, this.keep), { force: true });
      for (let n = this.keep - 1; n >= 1; n--) {
        await rename(rotatedName(this.file, n), rotatedName(this.file, n + 1)).catch(ignoreMissing);
      }
      await rename(this.file, rotatedName(this.file, 1)).catch(ignoreMissing);
    }
    this.size = 0;
  }

  private async reopen(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await handle.then((h) => h.close()).catch(() => undefined);
  }

  /** Resolves once every request recorded so far is on disk (tests, shutdown). */
  async flushed(): Promise<void> {
    if (this.scheduled || this.captured.length > 0) {
      this.scheduled = false;
      this.build();
    }
    while (this.writing) await this.writing;
  }

  /** Writes what is left and closes the file; later requests are not recorded. */
  async close(): Promise<void> {
    await this.flushed();
    this.closed = true;
    await this.reopen();
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function ignoreMissing(e: NodeJS.ErrnoException): void {
  if (e.code !== 'ENOENT') throw e;
}
