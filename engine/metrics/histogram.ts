// Latency histograms in microseconds: one bucket per microsecond up to 16 µs, then 8 buckets per
// doubling (each 1/16 to 1/8 of its value wide) up to ~35 minutes; computing a bucket is a
// count-leading-zeros and two shifts. One second's counts are kept dense while the second is
// current, then compacted to the non-empty buckets only; any number of them merge into percentiles
// over a longer period.

/** Largest latency with its own bucket, in microseconds (2^31 - 1: about 35 minutes). */
const MAX_MICROS = 0x7fffffff;
export const BUCKETS = (30 - 2) * 8 + 8;

/** The bucket of a latency in microseconds. */
export function bucketOf(micros: number): number {
  if (!(micros >= 1)) return 0;
  const v = micros >= MAX_MICROS ? MAX_MICROS : micros | 0;
  if (v < 16) return v;
  const octave = 31 - Math.clz32(v);
  return (octave - 2) * 8 + ((v >>> (octave - 3)) & 7);
}

/** Lower bound, in microseconds, of bucket `b` (and upper bound of `b - 1`). */
export function bucketLow(b: number): number {
  if (b < 16) return b;
  const octave = (b >> 3) + 2;
  return (8 + (b & 7)) * 2 ** (octave - 3);
}

/** The non-empty buckets of a dense histogram as [bucket, count, bucket, count, …]; undefined when empty. */
export function compact(dense: Uint32Array): Uint32Array | undefined {
  let n = 0;
  for (let i = 0; i < dense.length; i++) if (dense[i] !== 0) n++;
  if (n === 0) return undefined;
  const out = new Uint32Array(n * 2);
  let j = 0;
  for (let i = 0; i < dense.length; i++) {
    if (dense[i] !== 0) {
      out[j++] = i;
      out[j++] = dense[i]!;
    }
  }
  return out;
}

/** Adds a compact histogram into a dense accumulator. */
export function addCompact(into: Float64Array, pairs: Uint32Array): void {
  for (let j = 0; j < pairs.length; j += 2) into[pairs[j]!]! += pairs[j + 1]!;
}

/** Adds a dense histogram into a dense accumulator. */
export function addDense(into: Float64Array, dense: Uint32Array | Float64Array): void {
  for (let i = 0; i < dense.length; i++) if (dense[i] !== 0) into[i]! += dense[i]!;
}

/**
 * The `q` quantile (0..1) of a dense histogram, in microseconds: the bucket holding the rank,
 * interpolated linearly inside it, and clamped to the largest latency actually seen.
 */
export function quantile(
  hist: Float64Array,
  total: number,
  q: number,
  maxMicros: number,
): number | undefined {
  if (total <= 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    const c = hist[b]!;
    if (c === 0) continue;
    if (seen + c >= rank) {
      const low = bucketLow(b);
      const high = bucketLow(b + 1);
      const value = low + (high - low) * ((rank - seen) / c);
      return Math.min(value, maxMicros);
    }
    seen += c;
  }
  return maxMicros;
}

/** Serialises a compact histogram for storage (little-endian u32 pairs). */
export function toBlob(pairs: Uint32Array | undefined): Buffer | null {
  if (!pairs || pairs.length === 0) return null;
  return Buffer.from(pairs.buffer, pairs.byteOffset, pairs.byteLength);
}

export function fromBlob(blob: Buffer | null | undefined): Uint32Array | undefined {
  if (!blob || blob.length === 0) return undefined;
  const copy = new Uint32Array(blob.length / 4);
  Buffer.from(copy.buffer).set(blob);
  return copy;
}
