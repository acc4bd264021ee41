// The binary head of an import spool entry (the body is the record's JSON): put (u8), target
// (u16), unit, line, size, partition hash (u32 each), then the encoded partition and sort keys
// (u16 length, bytes). Binary: nothing to format when reading, nothing to parse when writing.
// Written by the import's read (import.ts) and by its read threads (lineBatch.ts) alike.
import type { EncodedKey } from '../../tables/schema.js';

/** Bytes of a head around its two keys. */
export const HEAD_FIXED_BYTES = 25;

/** Writes a record's head into dst at `at` (which must have room: HEAD_FIXED_BYTES + keys); returns its end. */
export function writeHead(
  dst: Buffer,
  at: number,
  put: boolean,
  target: number,
  unit: number,
  line: number,
  size: number,
  key: EncodedKey,
): number {
  dst[at] = put ? 1 : 0;
  dst.writeUInt16LE(target, at + 1);
  dst.writeUInt32LE(unit, at + 3);
  dst.writeUInt32LE(line, at + 7);
  dst.writeUInt32LE(size, at + 11);
  dst.writeUInt32LE(key.hash, at + 15);
  dst.writeUInt16LE(key.pk.length, at + 19);
  const end = copyBytes(key.pk, dst, at + 21);
  dst.writeUInt16LE(key.sk.length, end);
  return copyBytes(key.sk, dst, end + 2);
}

/** Copies src into dst at `at`; returns the end. A loop for short keys: Buffer.copy's overhead is larger than the copy. */
export function copyBytes(src: Buffer, dst: Buffer, at: number): number {
  const n = src.length;
  if (n > 64) return at + src.copy(dst, at);
  for (let i = 0; i < n; i++) dst[at + i] = src[i]!;
  return at + n;
}
