// Import inputs: files, folders, streams and in-memory text, read in chunks (never whole), gunzipped
// when they start with gzip's magic bytes whatever their name, with a peek at the first bytes for
// format detection and a running count of bytes read for progress.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/** Where import data comes from. */
export type ImportSource =
  /** A file (plain or gzipped), or an export folder. */
  | string
  | { readonly path: string }
  /** Bytes from a stream (stdin, an upload); `size` only feeds the progress ETA. */
  | { readonly name: string; readonly stream: AsyncIterable<Uint8Array | string>; readonly size?: number }
  /** Text or bytes already in memory (a paste in the studio, tests). */
  | { readonly name: string; readonly text: string | Uint8Array };

export const CHUNK_BYTES = 1 << 20;
/** Text is decoded in pieces this big: large strings that live long get promoted and cost GC. */
const TEXT_BYTES = 256 * 1024;
const PEEK_BYTES = 64 * 1024;

/** Bytes read so far across every input of one import, for progress. */
export class ByteCounter {
  bytes = 0;
}

export function sourceName(source: ImportSource): string {
  if (typeof source === 'string') return source;
  if ('path' in source) return source.path;
  return source.name;
}

export function sourcePath(source: ImportSource): string | undefined {
  if (typeof source === 'string') return source;
  if ('path' in source) return source.path;
  return undefined;
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Size in bytes of what the source will read (before decompression), when known. */
export function sourceSize(source: ImportSource): number | undefined {
  const path = sourcePath(source);
  if (path !== undefined) {
    try {
      return statSync(path).size;
    } catch {
      return undefined;
    }
  }
  if (typeof source !== 'string' && 'text' in source) {
    return typeof source.text === 'string' ? Buffer.byteLength(source.text) : source.text.byteLength;
  }
  if (typeof source !== 'string' && 'stream' in source) return source.size;
  return undefined;
}

async function* rawChunks(
  source: ImportSource,
  counter: ByteCounter,
  hash: Hash | undefined,
): AsyncGenerator<Buffer> {
  const path = sourcePath(source);
  let iterable: AsyncIterable<Uint8Array | string>;
  if (path !== undefined) {
    const fd = openSync(path, 'r');
    let regular: boolean;
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: ${path} is a folder`), { code: 'EISDIR' });
      regular = st.isFile();
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    if (regular) {
      // Regular files are read synchronously: from the page cache that is faster than a round trip
      // through the thread pool for every chunk, and the caller's loop still yields between chunks.
      try {
        for (;;) {
          const buf = Buffer.allocUnsafe(CHUNK_BYTES);
          const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
          if (n <= 0) return;
          const part = n === CHUNK_BYTES ? buf : buf.subarray(0, n);
          counter.bytes += n;
          hash?.update(part);
          yield part;
        }
      } finally {
        closeSync(fd);
      }
    }
    // Pipes and devices (`<(command)`): read without blocking.
    iterable = createReadStream(path, { fd, highWaterMark: CHUNK_BYTES });
  } else if (typeof source !== 'string' && 'stream' in source) iterable = source.stream;
  else {
    const text = (source as { text: string | Uint8Array }).text;
    const buf =
      typeof text === 'string'
        ? Buffer.from(text, 'utf8')
        : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
    for (let i = 0; i < buf.length; i += CHUNK_BYTES) {
      const part = buf.subarray(i, Math.min(buf.length, i + CHUNK_BYTES));
      counter.bytes += part.length;
      hash?.update(part);
      yield part;
    }
    return;
  }
  for await (const chunk of iterable) {
    const buf =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk);
    counter.bytes += buf.length;
    hash?.update(buf);
    yield buf;
  }
}

/** True when the bytes start like a gzip member. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * An opened input: its decompressed bytes as chunks, with the first bytes available beforehand
 * for format detection.
 */
export class InputStream {
  private buffered: Buffer[] = [];
  private iterator: AsyncIterator<Buffer> | undefined;
  private done = false;
  /** A read error met while peeking: raised when the data reaches it, so detection still works. */
  private deferred: Error | undefined;
  gzipped = false;
  private readonly hash: Hash | undefined;

  private constructor(
    readonly name: string,
    private readonly source: ImportSource,
    private readonly counter: ByteCounter,
    md5: boolean,
  ) {
    this.hash = md5 ? createHash('md5') : undefined;
  }

  /** Opens a source; with `md5`, the raw bytes are hashed as they are read (see md5Base64). */
  static async open(
    source: ImportSource,
    counter: ByteCounter,
    options: { md5?: boolean } = {},
  ): Promise<InputStream> {
    const input = new InputStream(sourceName(source), source, counter, options.md5 === true);
    await input.start();
    return input;
  }

  /** MD5 of the raw bytes, base64 (as DynamoDB's export manifest gives it), once everything was read. */
  md5Base64(): string | undefined {
    return this.hash?.digest('base64');
  }

  private async start(): Promise<void> {
    const raw = rawChunks(this.source, this.counter, this.hash);
    const first = await raw.next(); // a missing or unreadable file fails here, at open
    if (first.done) {
      this.done = true;
      return;
    }
    let head = first.value;
    // Two bytes decide gzip; a stream may deliver a single byte first.
    let rawDone = false;
    while (head.length < 2) {
      const more = await raw.next();
      if (more.done) {
        rawDone = true;
        break;
      }
      head = Buffer.concat([head, more.value]);
    }
    async function* replay(): AsyncGenerator<Buffer> {
      yield head;
      if (rawDone) return;
      for (;;) {
        const r = await raw.next();
        if (r.done) return;
        yield r.value;
      }
    }
    if (isGzip(head)) {
      this.gzipped = true;
      const gunzip = createGunzip({ chunkSize: 256 * 1024 });
      // Errors (a truncated or corrupt gzip, a read error) surface through the iteration.
      pipeline(Readable.from(replay()), gunzip, () => undefined);
      this.iterator = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    } else {
      this.iterator = replay();
    }
    // Fill the peek buffer.
    let peeked = 0;
    try {
      while (peeked < PEEK_BYTES) {
        const r = await this.iterator.next();
        if (r.done) {
          this.done = true;
          break;
        }
        this.buffered.push(r.value);
        peeked += r.value.length;
      }
    } catch (e) {
      this.deferred = e as Error;
      this.done = true;
    }
  }

  /** The first (up to 64 KB, decompressed) bytes, without consuming them. */
  head(): Buffer {
    return Buffer.concat(this.buffered);
  }

  /** The first bytes as text (BOM removed). */
  headText(): string {
    const text = new StringDecoder('utf8').write(this.head());
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  /** Every decompressed chunk, the peeked ones first. Call once. */
  async *chunks(): AsyncGenerator<Buffer> {
    const buffered = this.buffered;
    this.buffered = [];
    for (const b of buffered) yield b;
    if (this.deferred) throw this.deferred;
    if (this.done || !this.iterator) return;
    for (;;) {
      const r = await this.iterator.next();
      if (r.done) return;
      yield r.value;
    }
  }

  /**
   * Every chunk decoded as UTF-8 text (split characters are joined; a leading BOM is dropped).
   * Bytes that are not UTF-8 stop the reading with an InvalidUtf8Error naming their line and byte
   * offset: replacing them with U+FFFD, as decoders do by default, would change keys silently.
   */
  async *texts(): AsyncGenerator<string> {
    let first = true;
    let offset = 0; // bytes before the current piece
    let lines = 1; // line number at `offset`
    let carry: Buffer | undefined; // the undecoded end of the previous piece (a split character)
    const fail = (piece: Buffer): never => {
      const bytes = carry ? Buffer.concat([carry, piece]) : piece;
      const start = offset - (carry?.length ?? 0);
      const at = firstInvalidUtf8(bytes);
      let line = lines;
      for (let i = bytes.indexOf(10); i >= 0 && i < at; i = bytes.indexOf(10, i + 1)) line++;
      throw new InvalidUtf8Error(start + at, line, bytes.subarray(at, at + 4));
    };
    for await (const chunk of this.chunks()) {
      for (let off = 0; off < chunk.length; off += TEXT_BYTES) {
        const piece = off === 0 && chunk.length <= TEXT_BYTES ? chunk : chunk.subarray(off, off + TEXT_BYTES);
        // Validated (isUtf8: strict, as a fatal TextDecoder) and decoded by Buffer, both much faster
        // than TextDecoder's streaming decode; a character split between pieces is kept back (at most
        // its 3 first bytes) and joined to the next.
        const bytes = carry ? Buffer.concat([carry, piece]) : piece;
        const kept = incompleteTail(bytes);
        const whole = kept > 0 ? bytes.subarray(0, bytes.length - kept) : bytes;
        if (!isUtf8(whole)) fail(piece);
        let text = whole.toString('utf8');
        for (let i = piece.indexOf(10); i >= 0; i = piece.indexOf(10, i + 1)) lines++;
        offset += piece.length;
        carry = kept > 0 ? Buffer.from(bytes.subarray(bytes.length - kept)) : undefined;
        if (first && text.length > 0) {
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
          first = false;
        }
        if (text.length > 0) yield text;
      }
    }
    // A character cut off by the end of the input.
    if (carry) fail(Buffer.alloc(0));
  }
}

/** Bytes that are not UTF-8 in an import input. */
export class InvalidUtf8Error extends Error {
  constructor(
    /** Offset of the first bad byte in the (decompressed) input. */
    readonly byteOffset: number,
    readonly line: number,
    bytes: Uint8Array,
  ) {
    super(
      `invalid UTF-8 at byte offset ${byteOffset} (line ${line}): the bytes there are ${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`,
    );
    this.name = 'InvalidUtf8Error';
  }
}

/** How many bytes at the end of `b` start a UTF-8 character that continues in the next piece. */
function incompleteTail(b: Buffer): number {
  for (let k = 1; k <= 3 && k <= b.length; k++) {
    const c = b[b.length - k]!;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/** Offset of the first byte that does not belong to a valid UTF-8 character (b.length if none). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    if (i + n >= b.length) return i; // cut off by the end of the input
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return b.length;
}

/** A line of text and its 1-based line number. */
export interface Line {
  readonly text: string;
  readonly line: number;
}

/** Splits text chunks into lines (LF or CRLF), in batches; the last line needs no newline. */
export async function* readLines(
  texts: AsyncIterable<string>,
  maxLineChars = 64 * 1024 * 1024,
): AsyncGenerator<Line[]> {
  let carry = '';
  let lineNo = 1;
  for await (const text of texts) {
    const out: Line[] = [];
    let pos = 0;
    let chunk = text;
    if (carry.length > 0) {
      const nl = text.indexOf('\n');
      if (nl < 0) {
        carry += text;
        if (carry.length > maxLineChars) throw new LineTooLongError(lineNo, maxLineChars);
        continue;
      }
      const line = carry + text.slice(0, nl);
      carry = '';
      out.push({ text: trimCR(line), line: lineNo++ });
      pos = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf('\n', pos);
      if (nl < 0) break;
      out.push({ text: trimCR(chunk.slice(pos, nl)), line: lineNo++ });
      pos = nl + 1;
    }
    if (pos < chunk.length) {
      carry = chunk.slice(pos);
      if (carry.length > maxLineChars) throw new LineTooLongError(lineNo, maxLineChars);
    }
    chunk = '';
    if (out.length > 0) yield out;
  }
  if (carry.length > 0) yield [{ text: trimCR(carry), line: lineNo }];
}

function trimCR(s: string): string {
  return s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}

export class LineTooLongError extends Error {
  constructor(
    readonly line: number,
    max: number,
  ) {
    super(
      `line ${line} is longer than ${Math.round(max / (1024 * 1024))} MB characters; is this really line-delimited JSON?`,
    );
  }
}
