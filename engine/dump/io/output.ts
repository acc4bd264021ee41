// Export outputs: a file (written under a temporary name and renamed when complete, so an interrupted
// export never leaves a truncated file under the real name), or any writable stream (stdout), with
// optional gzip, buffered writes and backpressure.
import { closeSync, createWriteStream, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';

/** Where an export goes: a file path, or a stream such as process.stdout. */
export type ExportDestination = string | NodeJS.WritableStream;

const FLUSH_CHARS = 256 * 1024;

export class OutputSink {
  private parts: string[] = [];
  private chars = 0;
  /** Uncompressed bytes handed to the output. */
  bytes = 0;
  private failed: Error | undefined;
  private closed = false;

  private constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly finalStream: NodeJS.WritableStream,
    private readonly ownsStream: boolean,
    private readonly tempPath?: string,
    private readonly finalPath?: string,
  ) {
    const onError = (e: Error) => {
      this.failed ??= e;
    };
    stream.on('error', onError);
    if (finalStream !== stream) finalStream.on('error', onError);
  }

  static open(destination: ExportDestination, options: { gzip?: boolean } = {}): OutputSink {
    let target: NodeJS.WritableStream;
    let owns = false;
    let tempPath: string | undefined;
    let finalPath: string | undefined;
    if (typeof destination === 'string') {
      mkdirSync(dirname(destination) || '.', { recursive: true });
      finalPath = destination;
      tempPath = join(dirname(destination), `.${basename(destination)}.${process.pid}.partial`);
      target = createWriteStream(tempPath, { highWaterMark: 1 << 20 });
      owns = true;
    } else {
      target = destination;
    }
    if (options.gzip) {
      const gz = createGzip({ level: 6 });
      gz.pipe(target as Writable, { end: owns });
      return new OutputSink(gz, target, owns, tempPath, finalPath);
    }
    return new OutputSink(target, target, owns, tempPath, finalPath);
  }

  /** Queues text; resolves at once unless the output is saturated. */
  write(text: string): Promise<void> | void {
    if (this.failed) throw this.failed;
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= FLUSH_CHARS) return this.flush();
  }

  private flush(): Promise<void> | void {
    if (this.parts.length === 0) return;
    const data = Buffer.from(this.parts.length === 1 ? this.parts[0]! : this.parts.join(''), 'utf8');
    this.parts = [];
    this.chars = 0;
    this.bytes += data.length;
    const ok = this.stream.write(data);
    if (!ok) {
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          this.stream.removeListener('drain', done);
          this.stream.removeListener('error', fail);
          resolve();
        };
        const fail = (e: Error) => {
          this.stream.removeListener('drain', done);
          reject(e);
        };
        this.stream.once('drain', done);
        this.stream.once('error', fail);
      });
    }
  }

  /** Flushes, ends the output and (for files) moves it to its final name. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.finish();
    } catch (e) {
      // A failed close (disk full, the final name taken by a folder) leaves no temporary file.
      this.closed = false;
      this.abort();
      throw e;
    }
  }

  private async finish(): Promise<void> {
    this.closed = true;
    await this.flush();
    if (this.failed) throw this.failed;
    const gzipped = this.stream !== this.finalStream;
    if (gzipped || this.ownsStream) {
      await new Promise<void>((resolve, reject) => {
        this.finalStream.once('error', reject);
        this.stream.once('error', reject);
        if (this.ownsStream) this.finalStream.once('close', () => resolve());
        else this.stream.once('end', () => resolve()); // gzip to a stream we leave open
        this.stream.end();
      });
    }
    if (this.failed) throw this.failed;
    if (this.tempPath && this.finalPath) renameSync(this.tempPath, this.finalPath);
  }

  /** Abandons the output: a file destination is removed, a stream is left open. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsStream) {
      (this.stream as Writable).destroy();
      (this.finalStream as Writable).destroy();
      if (this.tempPath) rmSync(this.tempPath, { force: true });
    }
  }
}

/**
 * A file written synchronously through a small buffer (the import's rejects file: written from the
 * synchronous write phase too, so it must not queue data in memory), under a temporary name until
 * `close()`; `abort()` removes it.
 */
export class SyncFileWriter {
  private fd: number | undefined;
  private readonly tempPath: string;
  private parts: string[] = [];
  private chars = 0;
  lines = 0;

  constructor(private readonly path: string) {
    mkdirSync(dirname(path) || '.', { recursive: true });
    this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  }

  writeLine(line: string): void {
    this.parts.push(line, '\n');
    this.chars += line.length + 1;
    this.lines++;
    if (this.chars >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    this.fd ??= openSync(this.tempPath, 'w', 0o644);
    const data = Buffer.from(this.parts.join(''), 'utf8');
    let off = 0;
    while (off < data.length) off += writeSync(this.fd, data, off);
    this.parts = [];
    this.chars = 0;
  }

  /** Finishes the file under its name (or leaves no file when nothing was written). */
  close(): void {
    this.flush();
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    renameSync(this.tempPath, this.path);
  }

  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.parts = [];
    rmSync(this.tempPath, { force: true });
  }
}
