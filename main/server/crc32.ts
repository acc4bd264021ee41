// CRC-32 (IEEE 802.3, the checksum DynamoDB puts in `x-amz-crc32`). Node 20.15+ has zlib.crc32, a
// native implementation; older runtimes fall back to a table-driven one written here.
import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** Table-driven CRC-32 of `bytes` (exported for tests; prefer `crc32`). */
export function crc32Portable(bytes: Uint8Array): number {
  const t = crcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC-32 of a byte buffer, as an unsigned 32-bit integer. */
export const crc32: (bytes: Uint8Array) => number =
  typeof native === 'function' ? (b) => native(b) >>> 0 : crc32Portable;

const nativeOfText = native as ((data: string) => number) | undefined;

/**
 * CRC-32 of a text's UTF-8 bytes. zlib.crc32 encodes a string itself, without a Buffer made for it
 * in JavaScript first.
 */
export const crc32OfText: (text: string) => number =
  typeof nativeOfText === 'function'
    ? (t) => nativeOfText(t) >>> 0
    : (t) => crc32Portable(Buffer.from(t, 'utf8'));
