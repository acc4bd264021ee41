// Unpacking an uploaded archive of an export folder (the studio's own `.tar` export, or a folder a
// user packed with `tar -cf` / `tar -czf`): a browser uploads files, not folders, so a DynamoDB
// export-to-S3 folder arrives as one archive and is unpacked into a job folder before the import
// reads it. node-tar reads the archive (ustar, GNU long names, pax; gzipped or not) as a stream:
// data files can be big. Only regular files and folders are written, and every path stays inside
// the target folder: anything else fails the whole unpacking.
import { closeSync, createReadStream, mkdirSync, openSync, readSync } from 'node:fs';
import { constants as zlib, gunzipSync } from 'node:zlib';
import { Header, Unpack } from 'tar';
import type { ReadEntry } from 'tar';

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

/** Whether `start` begins with a tar header (a block whose checksum holds). */
function isTarHeader(start: Buffer): boolean {
  if (start.length < 512) return false;
  try {
    const header = new Header(start.subarray(0, 512));
    return header.cksumValid && !header.nullBlock;
  } catch {
    return false;
  }
}

/** How the file at `path` is an archive: a tar, a gzipped tar, or not one (undefined). */
export function archiveKind(path: string): 'tar' | 'tar.gz' | undefined {
  const start = head(path, 64 * 1024);
  if (isTarHeader(start)) return 'tar';
  if (start.length < 2 || start[0] !== 0x1f || start[1] !== 0x8b) return undefined;
  try {
    // The start of the decompressed stream is enough to see a tar header.
    return isTarHeader(gunzipSync(start, { finishFlush: zlib.Z_SYNC_FLUSH })) ? 'tar.gz' : undefined;
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

/** What an entry of an archive is, in words, for an error that names it. */
function entryKind(entry: ReadEntry): string {
  switch (entry.type) {
    case 'SymbolicLink':
      return 'a symbolic link';
    case 'Link':
      return 'a hard link';
    case 'CharacterDevice':
    case 'BlockDevice':
      return 'a device';
    case 'FIFO':
      return 'a named pipe';
    default:
      return `a ${entry.type} entry`;
  }
}

/** node-tar's error for a damaged archive, said as the import reports it (without its codes). */
function unreadable(error: Error & { tarCode?: string; code?: string }): Error {
  const detail = error.message.replace(/^TAR_[A-Z_]+: /, '');
  if (error.tarCode === 'TAR_BAD_ARCHIVE')
    return new Error(
      /^Truncated/.test(detail)
        ? 'the archive ends in the middle of a file'
        : 'the archive is not a tar file',
    );
  if (error.tarCode === 'TAR_ENTRY_INVALID') return new Error(`the archive is damaged (${detail})`);
  if (error.code?.startsWith('Z_')) return new Error(`the archive's gzip data is damaged (${detail})`);
  return error;
}

/**
 * Unpacks the archive at `archive` (a tar, gzipped or not: node-tar tells them apart) into `into`;
 * returns how many files it wrote. A link, a device or a path that would leave `into` fails the
 * whole unpacking (files written before it stay inside `into`, which the caller removes).
 */
export async function untar(archive: string, into: string): Promise<number> {
  mkdirSync(into, { recursive: true });
  let files = 0;
  /** The entry that made the unpacking stop (a link, a path outside `into`). */
  let refused: Error | undefined;
  const source = createReadStream(archive, { highWaterMark: 1 << 20 });
  try {
    await new Promise<void>((resolve, reject) => {
      const unpack: Unpack = new Unpack({
        cwd: into,
        // Every warning (a bad checksum, a truncated archive, not a tar at all) is an error: an
        // import reads the whole folder or nothing.
        strict: true,
        // Running as root, node-tar would give files the archive's owners; they are the job's.
        preserveOwner: false,
        filter: (path, entry) => {
          const e = entry as ReadEntry;
          try {
            if (
              e.type !== 'File' &&
              e.type !== 'OldFile' &&
              e.type !== 'ContiguousFile' &&
              e.type !== 'Directory'
            )
              throw new Error(
                `${JSON.stringify(path)} is ${entryKind(e)}: only files and folders are unpacked`,
              );
            // node-tar refuses '..' and strips a leading '/' itself; this check is the studio's own
            // (the same as for a folder's uploaded files), and the path written is the one checked.
            e.path = safeRelativePath(path).join('/');
          } catch (error) {
            refused = error as Error;
            unpack.abort(refused);
            return false;
          }
          // The archive's permission bits are not kept: the job must read, and remove, what it wrote.
          e.mode = e.type === 'Directory' ? 0o755 : 0o644;
          if (e.type !== 'Directory') files++;
          return true;
        },
      });
      const fail = (error: Error) => {
        source.destroy();
        reject(refused ?? unreadable(error));
      };
      unpack.on('error', fail);
      unpack.on('close', () => resolve());
      source.on('error', fail);
      source.pipe(unpack);
    });
  } finally {
    source.destroy();
  }
  return files;
}
