// Compressed responses, as DynamoDB sends them: a body of at least 4 KB goes out gzip- or
// deflate-compressed when the request's Accept-Encoding allows it, and `x-amz-crc32` is then the
// CRC-32 of the compressed bytes (what travels), as DynamoDB computes it.
import { constants, deflate, deflateSync, gzip, gzipSync } from 'node:zlib';

/** DynamoDB compresses responses from 4 KB on (a guess whether exactly 4096 bytes qualifies). */
export const COMPRESSION_THRESHOLD = 4096;

/**
 * Bodies below this are compressed on the request thread (microseconds); larger ones on the
 * thread pool, so a megabyte Query result never holds up other requests.
 */
const SYNC_COMPRESSION_LIMIT = 64 * 1024;

/** A local endpoint's bottleneck is CPU, not bandwidth: the fastest level is the right trade. */
const OPTIONS = { level: constants.Z_BEST_SPEED };

export type ResponseEncoding = 'gzip' | 'deflate';

let lastHeader: string | undefined;
let lastChoice: ResponseEncoding | undefined;

/**
 * The encoding an Accept-Encoding header asks for, following what DynamoDB does with it: the
 * highest quality wins (a quality above 1 counts as 1, a negative one as 0, one that does not
 * parse is ignored and the coding counts as 1); among equals, a coding named outright beats `*`,
 * then the one listed first; `*` alone means gzip; `identity` and codings DynamoDB does not offer
 * (br, zstd, x-gzip) never count; a coding listed several times takes its best quality.
 */
export function responseEncoding(header: string | undefined): ResponseEncoding | undefined {
  if (header === undefined || header === '') return undefined;
  if (header === lastHeader) return lastChoice;
  let best: ResponseEncoding | undefined;
  let bestQuality = 0;
  let wildcard = -1;
  const explicit = new Map<ResponseEncoding, number>();
  for (const entry of header.split(',')) {
    const parts = entry.split(';');
    const name = parts[0]!.trim().toLowerCase();
    if (name !== 'gzip' && name !== 'deflate' && name !== '*') continue;
    const quality = qualityOf(parts);
    if (name === '*') {
      wildcard = Math.max(wildcard, quality);
    } else {
      explicit.set(name, Math.max(explicit.get(name) ?? -1, quality));
    }
  }
  for (const [name, quality] of explicit) {
    if (quality > bestQuality) {
      best = name;
      bestQuality = quality;
    }
  }
  if (wildcard > 0) {
    for (const name of ['gzip', 'deflate'] as const) {
      if (explicit.has(name)) continue;
      // Strictly greater: at equal quality a coding named outright wins over `*`.
      if (wildcard > bestQuality) {
        best = name;
        bestQuality = wildcard;
      }
    }
  }
  lastHeader = header;
  lastChoice = best;
  return best;
}

/** The `q` of one Accept-Encoding entry (its first `q` parameter), clamped to 0…1; 1 when absent. */
function qualityOf(parts: readonly string[]): number {
  for (let i = 1; i < parts.length; i++) {
    const eq = parts[i]!.indexOf('=');
    if (eq < 0 || parts[i]!.slice(0, eq).trim().toLowerCase() !== 'q') continue;
    const text = parts[i]!.slice(eq + 1).trim();
    if (!/^-?(\d+\.?\d*|\.\d+)$/.test(text)) return 1;
    return Math.min(1, Math.max(0, Number(text)));
  }
  return 1;
}

/**
 * Compresses a response body; `done` gets the compressed bytes, or undefined when compression
 * failed (the caller then sends the body as it is).
 */
export function compressBody(
  body: Buffer,
  encoding: ResponseEncoding,
  done: (compressed: Buffer | undefined) => void,
): void {
  if (body.length < SYNC_COMPRESSION_LIMIT) {
    let out: Buffer | undefined;
    try {
      out = encoding === 'gzip' ? gzipSync(body, OPTIONS) : deflateSync(body, OPTIONS);
    } catch {
      out = undefined;
    }
    done(out);
    return;
  }
  (encoding === 'gzip' ? gzip : deflate)(body, OPTIONS, (err, out) => done(err ? undefined : out));
}
