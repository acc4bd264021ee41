// A first-in first-out buffer of text lines that stays in memory while small and moves to a
// temporary file once it grows, so an import of any size holds a bounded amount in memory. Reading
// back is synchronous: the local write phase runs inside one SQLite transaction, which is synchronous.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READ_BYTES = 4 * 1024 * 1024;

/** Bytes of one chunk of a spool's lines. */
const CHUNK_BYTES = 1024 * 1024;

export class Spool {
  /**
   * Lines are encoded as they arrive into chunks of bytes (no string outlives its append, so the
   * garbage stays young): full chunks kept while the spool is small, written to the file after.
   */
  private memory: Buffer[] = [];
  private memoryBytes = 0;
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private fd: number | undefined;
  private dir: string | undefined;
  private file: string | undefined;
  private unlinked = false;
  /** Lines appended. */
  count = 0;
  /** Bytes written to the temporary file (0 while everything fits in memory). */
  fileBytes = 0;

  constructor(
    /** Bytes kept in memory before spilling to a file. */
    private readonly memoryLimit = 4 * 1024 * 1024,
    private readonly tempDir = tmpdir(),
  ) {}

  /** Appends one line (which must not contain a newline). */
  append(line: string): void {
    const worst = line.length * 3 + 1;
    if (this.used + worst > this.chunk.length) this.nextChunk(worst);
    this.used += this.chunk.write(line, this.used, 'utf8');
    this.chunk[this.used++] = 10;
    this.count++;
    if (this.fd === undefined && this.memoryBytes + this.used > this.memoryLimit) this.flush();
  }

  /** Makes room for `bytes` more: the current chunk is kept (or written out) and a fresh one begun. */
  private nextChunk(bytes: number): void {
    if (this.fd !== undefined) this.flush();
    else if (this.used > 0) {
      this.memory.push(this.chunk.subarray(0, this.used));
      this.memoryBytes += this.used;
      this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      this.used = 0;
    }
    if (bytes > this.chunk.length) this.chunk = Buffer.allocUnsafe(bytes);
  }

  /** Everything in memory to the file (opened on the first call); the current chunk is reused. */
  private flush(): void {
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
    for (const buf of [...this.memory, this.chunk.subarray(0, this.used)]) {
      let off = 0;
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off, this.fileBytes + off);
      this.fileBytes += buf.length;
    }
    this.memory = [];
    this.memoryBytes = 0;
    this.used = 0;
  }

  /** Every line, in order. May be read more than once. */
  *lines(): Generator<string> {
    if (this.fd === undefined) {
      for (const buf of [...this.memory, this.chunk.subarray(0, this.used)]) {
        let start = 0;
        for (;;) {
          const nl = buf.indexOf(10, start);
          if (nl < 0) break;
          yield buf.toString('utf8', start, nl);
          start = nl + 1;
        }
      }
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
    this.memoryBytes = 0;
    this.used = 0;
  }
}

interface Run {
  readonly start: number;
  readonly end: number;
}

/**
 * One entry of a sorting spool as it is read back: a binary head and a UTF-8 body in `buf`. The
 * object and its buffer are reused for the next entry: copy what must outlive it.
 */
export interface SpoolEntry {
  buf: Buffer;
  /** The head is buf[headStart, bodyStart), the body buf[bodyStart, end). */
  headStart: number;
  bodyStart: number;
  end: number;
}

/** File layout of an entry in a run: key (f64), entry length (u32), head length (u16), head, body. */
const ENTRY_PREFIX = 8 + 4;
const HEAD_PREFIX = 2;

/** Reads the entries of one run of a spool file. */
class RunReader {
  private buf: Buffer;
  private filled = 0;
  private pos = 0;
  private next: number;
  /** False once the run is exhausted. */
  has = false;
  key = 0;
  readonly entry: SpoolEntry;

  constructor(
    private readonly fd: number,
    private readonly run: Run,
    bufferBytes: number,
    readonly index: number,
  ) {
    this.buf = Buffer.allocUnsafe(bufferBytes);
    this.next = run.start;
    this.entry = { buf: this.buf, headStart: 0, bodyStart: 0, end: 0 };
    this.advance();
  }

  advance(): void {
    for (;;) {
      const avail = this.filled - this.pos;
      if (avail >= ENTRY_PREFIX) {
        const length = this.buf.readUInt32LE(this.pos + 8);
        if (avail >= ENTRY_PREFIX + length) {
          this.key = this.buf.readDoubleLE(this.pos);
          const at = this.pos + ENTRY_PREFIX;
          const headLength = this.buf.readUInt16LE(at);
          const e = this.entry;
          e.buf = this.buf;
          e.headStart = at + HEAD_PREFIX;
          e.bodyStart = e.headStart + headLength;
          e.end = at + length;
          this.pos = e.end;
          this.has = true;
          return;
        }
        if (ENTRY_PREFIX + length > this.buf.length) {
          // An entry longer than the buffer: grow it.
          const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, ENTRY_PREFIX + length));
          this.buf.copy(bigger, 0, this.pos, this.filled);
          this.filled -= this.pos;
          this.pos = 0;
          this.buf = bigger;
        }
      }
      if (this.next >= this.run.end) {
        if (this.pos < this.filled) throw new Error('the import spool file ended early');
        this.has = false;
        return;
      }
      // Keep the partial entry, read more.
      if (this.pos > 0) {
        this.buf.copy(this.buf, 0, this.pos, this.filled);
        this.filled -= this.pos;
        this.pos = 0;
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
 * A spool that gives its entries back ordered by a numeric key (stable: entries with equal keys
 * keep the order they were appended in). Imports key items by table and partition hash, so the
 * write phase inserts in the B-tree's order — sequential page writes instead of random ones, which
 * is what keeps large imports fast. An entry is a small binary head (an import's encoded key and
 * line numbers: no text to format and parse again) and a text body. Entries are collected as bytes
 * in a run buffer outside the JavaScript heap (no long-lived strings for the garbage collector to
 * promote and sweep), sorted in runs, and runs that do not fit are written to a temporary file and
 * merged on reading (an external merge sort).
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

  /** Appends a text line (no head). */
  append(key: number, line: string): void {
    this.appendEntry(key, EMPTY, 0, line);
  }

  /** Appends an entry: head[0, headLength) (at most 65,535 bytes) and a text body. */
  appendEntry(key: number, head: Buffer, headLength: number, body: string): void {
    const worst = HEAD_PREFIX + headLength + body.length * 3;
    if (this.used + worst > this.run.length) {
      if (this.used > 0 && this.used + worst > this.runBytes) this.flushRun();
      if (this.used + worst > this.run.length) {
        // Grow (up to the run size, or to fit one long entry).
        let size = this.run.length * 2;
        while (size < this.used + worst) size *= 2;
        const bigger = Buffer.allocUnsafe(Math.max(Math.min(size, this.runBytes), this.used + worst));
        this.run.copy(bigger, 0, 0, this.used);
        this.run = bigger;
      }
    }
    const start = this.used;
    this.run.writeUInt16LE(headLength, start);
    const run = this.run;
    const at = start + HEAD_PREFIX;
    // Heads are short: a loop beats Buffer.copy's overhead.
    if (headLength > 64) head.copy(run, at, 0, headLength);
    else for (let i = 0; i < headLength; i++) run[at + i] = head[i]!;
    const n = this.run.write(body, start + HEAD_PREFIX + headLength, 'utf8');
    this.keys.push(key);
    this.starts.push(start);
    this.used = start + HEAD_PREFIX + headLength + n;
    this.ends.push(this.used);
    this.count++;
  }

  /**
   * Appends an entry already laid out as the spool keeps it — head length (u16), head, UTF-8 body —
   * from src[from, to): the read threads' batches (lineBatch.ts) arrive so, and are copied as bytes.
   */
  appendRaw(key: number, src: Buffer, from: number, to: number): void {
    const length = to - from;
    if (this.used + length > this.run.length) {
      if (this.used > 0 && this.used + length > this.runBytes) this.flushRun();
      if (this.used + length > this.run.length) {
        let size = this.run.length * 2;
        while (size < this.used + length) size *= 2;
        const bigger = Buffer.allocUnsafe(Math.max(Math.min(size, this.runBytes), this.used + length));
        this.run.copy(bigger, 0, 0, this.used);
        this.run = bigger;
      }
    }
    const start = this.used;
    src.copy(this.run, start, from, to);
    this.keys.push(key);
    this.starts.push(start);
    this.used = start + length;
    this.ends.push(this.used);
    this.count++;
  }

  /** Indexes of the in-memory entries in key order (stable). */
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
    const write = (from: Buffer, length: number) => {
      let off = 0;
      while (off < length) off += writeSync(this.fd!, from, off, length - off, this.fileBytes + off);
      this.fileBytes += length;
    };
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const from = this.starts[i]!;
      const to = this.ends[i]!;
      if (filled + ENTRY_PREFIX + (to - from) > out.length) {
        write(out, filled);
        filled = 0;
      }
      out.writeDoubleLE(this.keys[i]!, filled);
      out.writeUInt32LE(to - from, filled + 8);
      filled += ENTRY_PREFIX;
      if (ENTRY_PREFIX + (to - from) > out.length) {
        // An entry longer than the output buffer: written straight from the run buffer.
        write(out, filled);
        filled = 0;
        write(this.run.subarray(from, to), to - from);
        continue;
      }
      filled += this.run.copy(out, filled, from, to);
    }
    if (filled > 0) write(out, filled);
    this.runs.push({ start, end: this.fileBytes });
    this.keys = [];
    this.starts = [];
    this.ends = [];
    this.used = 0;
  }

  /** Every entry in key order (the object yielded is reused: see SpoolEntry). */
  *entries(): Generator<SpoolEntry> {
    if (this.fd === undefined) {
      const order = this.order();
      const e: SpoolEntry = { buf: this.run, headStart: 0, bodyStart: 0, end: 0 };
      for (let k = 0; k < order.length; k++) {
        const i = order[k]!;
        const at = this.starts[i]!;
        e.buf = this.run;
        e.headStart = at + HEAD_PREFIX;
        e.bodyStart = e.headStart + this.run.readUInt16LE(at);
        e.end = this.ends[i]!;
        yield e;
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
      if (reader.has) push(reader);
    });
    while (heap.length > 0) {
      const top = heap[0]!;
      yield top.entry;
      top.advance();
      if (!top.has) {
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

  /** Every body in key order. */
  *lines(): Generator<string> {
    for (const e of this.entries()) yield e.buf.toString('utf8', e.bodyStart, e.end);
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

const EMPTY = Buffer.alloc(0);
