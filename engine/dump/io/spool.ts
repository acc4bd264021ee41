// A first-in first-out buffer of text lines that stays in memory while small and moves to a
// temporary file once it grows, so an import of any size holds a bounded amount in memory. Reading
// back is synchronous: the local write phase runs inside one SQLite transaction, which is synchronous.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READ_BYTES = 4 * 1024 * 1024;

export class Spool {
  private memory: string[] = [];
  private memoryChars = 0;
  private fd: number | undefined;
  private dir: string | undefined;
  private file: string | undefined;
  private unlinked = false;
  /** Lines appended. */
  count = 0;
  /** Bytes written to the temporary file (0 while everything fits in memory). */
  fileBytes = 0;

  constructor(
    /** Characters kept in memory before spilling to a file. */
    private readonly memoryLimit = 4 * 1024 * 1024,
    private readonly tempDir = tmpdir(),
  ) {}

  /** Appends one line (which must not contain a newline). */
  append(line: string): void {
    this.memory.push(line);
    this.memoryChars += line.length + 1;
    this.count++;
    if (this.memoryChars > this.memoryLimit) this.flush();
  }

  private flush(): void {
    if (this.memory.length === 0) return;
    if (this.fd === undefined) {
      this.dir = mkdtempSync(join(this.tempDir, 'sortkey-import-'));
      this.file = join(this.dir, 'spool.jsonl');
      this.fd = openSync(this.file, 'w+', 0o600);
      // Unlinked while open (POSIX): the data vanishes with the process whatever way it ends.
      try {
        unlinkSync(this.file);
        rmSync(this.dir, { recursive: true, force: true });
        this.unlinked = true;
      } catch {
        this.unlinked = false;
      }
    }
    const buf = Buffer.from(this.memory.join('\n') + '\n', 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off, this.fileBytes + off);
    this.fileBytes += buf.length;
    this.memory = [];
    this.memoryChars = 0;
  }

  /** Every line, in order. May be read more than once. */
  *lines(): Generator<string> {
    if (this.fd === undefined) {
      for (const l of this.memory) yield l;
      return;
    }
    this.flush();
    // Lines are decoded one by one from the bytes: no large string outlives its lines, so the
    // garbage stays young and cheap.
    let buf = Buffer.allocUnsafe(READ_BYTES);
    let filled = 0; // bytes in buf[0, filled)
    let position = 0;
    for (;;) {
      if (position < this.fileBytes) {
        const n = readSync(
          this.fd,
          buf,
          filled,
          Math.min(buf.length - filled, this.fileBytes - position),
          position,
        );
        position += n;
        filled += n;
      }
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0 || nl >= filled) break;
        yield buf.toString('utf8', start, nl);
        start = nl + 1;
      }
      if (position >= this.fileBytes) {
        if (start < filled) yield buf.toString('utf8', start, filled);
        return;
      }
      if (start === 0 && filled === buf.length) {
        // A line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
        continue;
      }
      buf.copy(buf, 0, start, filled);
      filled -= start;
    }
  }

  close(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
      if (!this.unlinked && this.dir) rmSync(this.dir, { recursive: true, force: true });
    }
    this.memory = [];
  }
}

interface Run {
  readonly start: number;
  readonly end: number;
}

/** Reads the lines of one run of a spool file, decoding each line on its own. */
class RunReader {
  private buf: Buffer;
  private filled = 0;
  private pos = 0;
  private next: number;
  /** The current line (without its key) and its key; undefined once the run is exhausted. */
  line: string | undefined;
  key = 0;

  constructor(
    private readonly fd: number,
    private readonly run: Run,
    bufferBytes: number,
    readonly index: number,
  ) {
    this.buf = Buffer.allocUnsafe(bufferBytes);
    this.next = run.start;
    this.advance();
  }

  advance(): void {
    for (;;) {
      const nl = this.buf.indexOf(10, this.pos);
      if (nl >= 0 && nl < this.filled) {
        const tab = this.buf.indexOf(9, this.pos);
        this.key = Number(this.buf.toString('latin1', this.pos, tab));
        this.line = this.buf.toString('utf8', tab + 1, nl);
        this.pos = nl + 1;
        return;
      }
      if (this.next >= this.run.end) {
        this.line = undefined;
        return;
      }
      // Keep the partial line, read more.
      if (this.pos > 0) {
        this.buf.copy(this.buf, 0, this.pos, this.filled);
        this.filled -= this.pos;
        this.pos = 0;
      }
      if (this.filled === this.buf.length) {
        const bigger = Buffer.allocUnsafe(this.buf.length * 2);
        this.buf.copy(bigger, 0, 0, this.filled);
        this.buf = bigger;
      }
      const n = readSync(
        this.fd,
        this.buf,
        this.filled,
        Math.min(this.buf.length - this.filled, this.run.end - this.next),
        this.next,
      );
      if (n <= 0) throw new Error('the import spool file ended early');
      this.next += n;
      this.filled += n;
    }
  }
}

/**
 * A spool that gives its lines back ordered by a numeric key (stable: lines with equal keys keep
 * the order they were appended in). Imports key items by table and partition hash, so the write
 * phase inserts in the B-tree's order — sequential page writes instead of random ones, which is
 * what keeps large imports fast. Lines are collected as UTF-8 bytes in a run buffer outside the
 * JavaScript heap (no long-lived strings for the garbage collector to promote and sweep), sorted
 * in runs, and runs that do not fit are written to a temporary file and merged on reading (an
 * external merge sort).
 */
export class SortingSpool {
  private run: Buffer;
  private used = 0;
  private keys: number[] = [];
  private starts: number[] = [];
  private ends: number[] = [];
  private fd: number | undefined;
  private dir: string | undefined;
  private unlinked = false;
  private readonly runs: Run[] = [];
  private fileBytes = 0;
  count = 0;

  constructor(
    /** Bytes of one in-memory run. */
    private readonly runBytes = 8 * 1024 * 1024,
    private readonly tempDir = tmpdir(),
  ) {
    this.run = Buffer.allocUnsafe(Math.min(runBytes, 64 * 1024));
  }

  append(key: number, line: string): void {
    const worst = line.length * 3;
    if (this.used + worst > this.run.length) {
      if (this.used > 0 && this.used + worst > this.runBytes) this.flushRun();
      if (this.used + worst > this.run.length) {
        // Grow (up to the run size, or to fit one long line).
        let size = this.run.length * 2;
        while (size < this.used + worst) size *= 2;
        const bigger = Buffer.allocUnsafe(Math.max(Math.min(size, this.runBytes), this.used + worst));
        this.run.copy(bigger, 0, 0, this.used);
        this.run = bigger;
      }
    }
    const n = this.run.write(line, this.used, 'utf8');
    this.keys.push(key);
    this.starts.push(this.used);
    this.used += n;
    this.ends.push(this.used);
    this.count++;
  }

  /** Indexes of the in-memory lines in key order (stable). */
  private order(): Uint32Array {
    const keys = this.keys;
    const idx = new Uint32Array(keys.length);
    for (let i = 0; i < idx.length; i++) idx[i] = i;
    return idx.sort((a, b) => keys[a]! - keys[b]! || a - b);
  }

  private flushRun(): void {
    if (this.keys.length === 0) return;
    if (this.fd === undefined) {
      this.dir = mkdtempSync(join(this.tempDir, 'sortkey-import-'));
      const file = join(this.dir, 'spool');
      this.fd = openSync(file, 'w+', 0o600);
      try {
        unlinkSync(file);
        rmSync(this.dir, { recursive: true, force: true });
        this.unlinked = true;
      } catch {
        this.unlinked = false;
      }
    }
    const order = this.order();
    const start = this.fileBytes;
    const out = Buffer.allocUnsafe(1 << 20);
    let filled = 0;
    const write = () => {
      let off = 0;
      while (off < filled) off += writeSync(this.fd!, out, off, filled - off, this.fileBytes + off);
      this.fileBytes += filled;
      filled = 0;
    };
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const from = this.starts[i]!;
      const to = this.ends[i]!;
      const key = String(this.keys[i]);
      if (filled + key.length + 2 + (to - from) > out.length) write();
      if (key.length + 2 + (to - from) > out.length) {
        // A line longer than the output buffer: write it straight from the run buffer.
        filled += out.write(key + '\t', filled, 'latin1');
        write();
        let off = from;
        while (off < to) off += writeSync(this.fd!, this.run, off, to - off, this.fileBytes + (off - from));
        this.fileBytes += to - from;
        out[0] = 10;
        filled = 1;
        continue;
      }
      filled += out.write(key, filled, 'latin1');
      out[filled++] = 9;
      filled += this.run.copy(out, filled, from, to);
      out[filled++] = 10;
    }
    if (filled > 0) write();
    this.runs.push({ start, end: this.fileBytes });
    this.keys = [];
    this.starts = [];
    this.ends = [];
    this.used = 0;
  }

  /** Every line in key order. */
  *lines(): Generator<string> {
    if (this.fd === undefined) {
      const order = this.order();
      for (let k = 0; k < order.length; k++) {
        const i = order[k]!;
        yield this.run.toString('utf8', this.starts[i]!, this.ends[i]!);
      }
      return;
    }
    this.flushRun();
    const bufferBytes = Math.max(64 * 1024, Math.min(1 << 20, Math.floor((16 << 20) / this.runs.length)));
    const heap: RunReader[] = [];
    const less = (a: RunReader, b: RunReader) => a.key < b.key || (a.key === b.key && a.index < b.index);
    const push = (r: RunReader) => {
      heap.push(r);
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(heap[i]!, heap[p]!)) break;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    };
    const siftDown = () => {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    };
    this.runs.forEach((run, i) => {
      const reader = new RunReader(this.fd!, run, bufferBytes, i);
      if (reader.line !== undefined) push(reader);
    });
    while (heap.length > 0) {
      const top = heap[0]!;
      yield top.line!;
      top.advance();
      if (top.line === undefined) {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          siftDown();
        }
      } else {
        siftDown();
      }
    }
  }

  close(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
      if (!this.unlinked && this.dir) rmSync(this.dir, { recursive: true, force: true });
    }
    this.keys = [];
    this.starts = [];
    this.ends = [];
    this.used = 0;
  }
}
