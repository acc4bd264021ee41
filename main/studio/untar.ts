// Unpacking an uploaded archive of an export folder (the studio's own `.tar` export, or a folder a
// user packed with `tar -cf` / `tar -czf`): a browser uploads files, not folders, so a DynamoDB
// export-to-S3 folder arrives as one archive and is unpacked into a job folder before the import
// reads it. Streamed (data files can be big); only regular files and folders are written, and every
// path stays inside the target folder.
import { closeSync, createReadStream, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { constants as zlib, createGunzip, gunzipSync } from 'node:zlib';

const BLOCK = 512;

/** The first bytes of a file (at most `n`). */
function head(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

function isUstar(block: Buffer): boolean {
  // POSIX ustar ("ustar\0") and GNU tar ("ustar  ") both start the magic with "ustar" at 257.
  return block.length >= 263 && block.subarray(257, 262).toString('latin1') === 'ustar';
}

/** How the file at `path` is an archive: a tar, a gzipped tar, or not one (undefined). */
export function archiveKind(path: string): 'tar' | 'tar.gz' | undefined {
  const start = head(path, 64 * 1024);
  if (isUstar(start)) return 'tar';
  if (start.length < 2 || start[0] !== 0x1f || start[1] !== 0x8b) return undefined;
  try {
    // The start of the decompressed stream is enough to see a tar header.
    return isUstar(gunzipSync(start, { finishFlush: zlib.Z_SYNC_FLUSH })) ? 'tar.gz' : undefined;
  } catch {
    return undefined;
  }
}

/** A path inside the target folder, or an Error for one that would leave it. */
export function safeRelativePath(name: string): string[] {
  const parts = name
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..' || p.includes('\0') || /^[A-Za-z]:$/.test(p)))
    throw new Error(`${JSON.stringify(name)} is not a path inside the folder`);
  return parts;
}

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number): number {
  // GNU tar writes sizes of 8 GiB and more in base-256 (the first byte's high bit set).
  if (block[start]! & 0x80) {
    let n = 0;
    for (let i = start + 1; i < start + length; i++) n = n * 256 + block[i]!;
    return n;
  }
  const text = field(block, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** The `path` record of a pax extended header (POSIX.1-2001: "<len> key=value\n" records). */
function paxPath(data: Buffer): string | undefined {
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const length = parseInt(data.subarray(i, space).toString('latin1'), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, i + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0 && record.slice(0, eq) === 'path') return record.slice(eq + 1);
    i += length;
  }
  return undefined;
}

/**
 * Unpacks the archive at `archive` into `into`; returns how many files it wrote. Links, devices and
 * other entries are skipped; a path that would leave `into` fails the whole unpacking.
 */
export async function untar(archive: string, kind: 'tar' | 'tar.gz', into: string): Promise<number> {
  mkdirSync(into, { recursive: true });
  const source = createReadStream(archive, { highWaterMark: 1 << 20 });
  const input = kind === 'tar.gz' ? source.pipe(createGunzip()) : source;
  let pending: Buffer = Buffer.alloc(0);
  let files = 0;
  /** The entry whose data is being read: a file being written, or a long name / pax header. */
  let entry: { remaining: number; padding: number; fd?: number; meta?: Buffer[] } | undefined;
  let metaKind: 'L' | 'x' | undefined;
  let nextName: string | undefined;
  let ended = false;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let at = 0;
      while (!ended) {
        if (entry) {
          const take = Math.min(entry.remaining, pending.length - at);
          if (take > 0) {
            const piece = pending.subarray(at, at + take);
            if (entry.fd !== undefined) writeSync(entry.fd, piece);
            else entry.meta?.push(Buffer.from(piece));
            entry.remaining -= take;
            at += take;
          }
          if (entry.remaining > 0) break;
          if (pending.length - at < entry.padding) break;
          at += entry.padding;
          if (entry.fd !== undefined) closeSync(entry.fd);
          if (entry.meta) {
            const data = Buffer.concat(entry.meta);
            nextName = metaKind === 'L' ? field(data, 0, data.length) : (paxPath(data) ?? nextName);
          }
          entry = undefined;
          continue;
        }
        if (pending.length - at < BLOCK) break;
        const block = pending.subarray(at, at + BLOCK);
        at += BLOCK;
        if (block.every((b) => b === 0)) {
          // Two zero blocks end the archive; one is enough to stop reading.
          ended = true;
          break;
        }
        if (!isUstar(block) && files === 0 && nextName === undefined)
          throw new Error('the archive is not a tar file');
        const size = octal(block, 124, 12);
        const type = String.fromCharCode(block[156]!);
        const padding = (BLOCK - (size % BLOCK)) % BLOCK;
        if (type === 'L' || type === 'x') {
          metaKind = type;
          entry = { remaining: size, padding, meta: [] };
          continue;
        }
        const prefix = field(block, 345, 155);
        const name = nextName ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
        nextName = undefined;
        if (type === '5') {
          mkdirSync(join(into, ...safeRelativePath(name)), { recursive: true });
          entry = { remaining: 0, padding: 0 };
        } else if (type === '0' || type === '\0' || type === '7') {
          const parts = safeRelativePath(name);
          mkdirSync(join(into, ...parts.slice(0, -1)), { recursive: true });
          entry = { remaining: size, padding, fd: openSync(join(into, ...parts), 'w') };
          files++;
        } else {
          // A link, device, global pax header…: its data (if any) is skipped.
          entry = { remaining: size, padding };
        }
      }
      pending = pending.subarray(at);
      if (ended) break;
    }
    if (!ended && (entry || pending.length)) throw new Error('the archive ends in the middle of a file');
  } finally {
    if (entry?.fd !== undefined) closeSync(entry.fd);
    source.destroy();
  }
  return files;
}
