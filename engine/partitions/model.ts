// DynamoDB's partitions, as its documentation and AWS's "Scaling DynamoDB" posts describe them, for
// one table or one global secondary index (GSIs have their own partitions):
//   - a partition is a range of the partition-key hash space (here the 32-bit hash every stored row
//     carries in its `h` column, keys/encoding.ts), holds up to 10 GB and serves up to 3,000 read
//     and 1,000 write units per second;
//   - a table starts with enough partitions for its throughput (one per 3,000 RCU + 1,000 WCU; a new
//     on-demand table serves 12,000 reads or 4,000 writes a second: four partitions) and gains more
//     when its provisioned throughput goes above any earlier high;
//   - a partition that nears 10 GB splits in two ("split for size"), one that runs near its
//     throughput ceiling for a while splits between its busy keys ("split for heat"), and when one
//     key carries most of the heat, adaptive capacity isolates it on a partition of its own (which
//     then serves that key alone up to 3,000/1,000 units: a single key never gets more);
//   - partitions are never merged.
// Everything here is bounded, in-memory work: a write adds its size change to the partition (and to
// one of its sixteen sub-ranges, so a size split knows both halves without reading rows), an access
// adds its units to a per-second ring and to a short list of the partition's busiest keys.
import type { Item } from '../types.js';

export const HASH_SPACE = 0x1_0000_0000;
/** A partition's documented storage limit. */
export const PARTITION_SIZE_LIMIT_BYTES = 10 * 1024 * 1024 * 1024;
export const PARTITION_READ_CEILING = 3000;
export const PARTITION_WRITE_CEILING = 1000;
/** Sub-ranges per partition whose item counts and sizes are kept (where a size split cuts). */
export const SUB_RANGES = 16;
/** Seconds of per-second consumed units kept per partition. */
export const HEAT_WINDOW_SECONDS = 60;
/**
 * A partition is "hot" in a second when it consumed at least this share of a ceiling. AWS documents
 * only "traffic near its throughput capacity limit"; the share and the default number of seconds
 * it must last are guesses.
 */
export const HEAT_SHARE = 0.8;
export const DEFAULT_HEAT_SECONDS = 30;
/**
 * A key carrying more than this share of a hot partition's recent units is isolated on a partition
 * of its own rather than the partition split between keys (a guess: AWS documents only that
 * "frequently accessed items" are isolated).
 */
export const ISOLATION_SHARE = 0.5;
/** Busiest keys remembered per partition. */
const TRACKED_KEYS = 8;
/** Splits remembered per table or index. */
export const SPLITS_KEPT = 100;

/** The sk_meta key a table's (indexName '') or GSI's partition map is saved under. */
export function savedMapKey(tableId: number, indexName: string): string {
  return `partitions:${tableId}:${indexName}`;
}

/** The range of sk_meta keys of one table's saved partition maps: [from, to). */
export function savedMapKeyRange(tableId: number): [string, string] {
  return [`partitions:${tableId}:`, `partitions:${tableId};`];
}

export type SplitReason = 'THROUGHPUT' | 'SIZE' | 'HEAT' | 'ISOLATION';

export interface PartitionSettings {
  /** Storage a partition holds before it splits (10 GB; tests use a few KB). */
  readonly sizeLimitBytes: number;
  /** Consecutive hot seconds before a partition splits for heat. */
  readonly heatSeconds: number;
}

export const DEFAULT_PARTITION_SETTINGS: PartitionSettings = {
  sizeLimitBytes: PARTITION_SIZE_LIMIT_BYTES,
  heatSeconds: DEFAULT_HEAT_SECONDS,
};

/** A key seen on a partition recently: its units decay by half every second. */
export interface TrackedKey {
  readonly hash: number;
  readonly id: string;
  readonly key: Item;
  read: number;
  write: number;
}

export class Partition {
  items = 0;
  bytes = 0;
  /** Items and bytes per sub-range: [items0, bytes0, items1, bytes1, …]. */
  readonly sub = new Float64Array(SUB_RANGES * 2);
  readonly readHeat = new Float64Array(HEAT_WINDOW_SECONDS);
  readonly writeHeat = new Float64Array(HEAT_WINDOW_SECONDS);
  readonly heatStamps = new Float64Array(HEAT_WINDOW_SECONDS).fill(-1);
  readonly keys: TrackedKey[] = [];
  /** The second the tracked keys' units were last decayed to. */
  keysSec = -1;
  /** Consecutive hot seconds ending at `hotThrough`. */
  hotSeconds = 0;
  hotThrough = -1;

  constructor(
    /** First hash of the range. */
    readonly start: number,
    /** One past the last hash of the range. */
    readonly end: number,
    /** Epoch seconds. */
    readonly createdAt: number,
    readonly reason: SplitReason | 'INITIAL',
  ) {}

  get width(): number {
    return this.end - this.start;
  }

  subRange(hash: number): number {
    const i = Math.floor(((hash - this.start) * SUB_RANGES) / this.width);
    return i < 0 ? 0 : i >= SUB_RANGES ? SUB_RANGES - 1 : i;
  }

  /** The first hash of sub-range `i`. */
  subStart(i: number): number {
    return this.start + Math.ceil((this.width * i) / SUB_RANGES);
  }

  addSize(hash: number, items: number, bytes: number): void {
    this.items += items;
    this.bytes += bytes;
    const i = this.subRange(hash) * 2;
    this.sub[i]! += items;
    this.sub[i + 1]! += bytes;
  }

  /** Units consumed in second `sec` (0 when it has left the window). */
  heatAt(kind: 'read' | 'write', sec: number): number {
    const i = sec % HEAT_WINDOW_SECONDS;
    if (this.heatStamps[i] !== sec) return 0;
    return (kind === 'read' ? this.readHeat : this.writeHeat)[i]!;
  }

  /** Units consumed per second, averaged over the `seconds` seconds ending with `sec`. */
  heatOver(kind: 'read' | 'write', sec: number, seconds: number): number {
    let sum = 0;
    for (let s = sec - seconds + 1; s <= sec; s++) sum += this.heatAt(kind, s);
    return sum / seconds;
  }

  /** Ages the tracked keys to second `sec`: their units halve every second. */
  decayKeys(sec: number): void {
    if (this.keysSec >= sec) return;
    const steps = this.keysSec < 0 ? 0 : Math.min(sec - this.keysSec, 60);
    this.keysSec = sec;
    if (steps === 0) return;
    const f = Math.pow(0.5, steps);
    for (let i = this.keys.length - 1; i >= 0; i--) {
      const k = this.keys[i]!;
      k.read *= f;
      k.write *= f;
      if (k.read + k.write < 0.01) this.keys.splice(i, 1);
    }
  }

  /** Records units consumed on `key` in second `sec`. */
  addHeat(sec: number, kind: 'read' | 'write', units: number, hash: number, id: string, key: Item): void {
    const i = sec % HEAT_WINDOW_SECONDS;
    if (this.heatStamps[i] !== sec) {
      this.heatStamps[i] = sec;
      this.readHeat[i] = 0;
      this.writeHeat[i] = 0;
    }
    if (kind === 'read') this.readHeat[i]! += units;
    else this.writeHeat[i]! += units;
    this.decayKeys(sec);
    let k = this.keys.find((x) => x.id === id);
    if (k === undefined) {
      k = { hash, id, key, read: 0, write: 0 };
      if (this.keys.length >= TRACKED_KEYS) {
        // Space-saving: the newcomer replaces the coolest key and inherits its units.
        let min = 0;
        for (let j = 1; j < this.keys.length; j++)
          if (weight(this.keys[j]!) < weight(this.keys[min]!)) min = j;
        const old = this.keys[min]!;
        k.read = old.read;
        k.write = old.write;
        this.keys[min] = k;
      } else {
        this.keys.push(k);
      }
    }
    if (kind === 'read') k.read += units;
    else k.write += units;
  }

  /** Whether second `sec` was hot: near either ceiling. */
  hotIn(sec: number): boolean {
    return (
      this.heatAt('read', sec) >= HEAT_SHARE * PARTITION_READ_CEILING ||
      this.heatAt('write', sec) >= HEAT_SHARE * PARTITION_WRITE_CEILING
    );
  }

  /** The tracked key with the most (weighted) units, and its share of all tracked units. */
  hottestKey(): { key: TrackedKey; share: number } | undefined {
    let best: TrackedKey | undefined;
    let total = 0;
    for (const k of this.keys) {
      total += weight(k);
      if (best === undefined || weight(k) > weight(best)) best = k;
    }
    return best && total > 0 ? { key: best, share: weight(best) / total } : undefined;
  }
}

/** A key's units with writes weighed as three reads (a partition serves 3,000 reads or 1,000 writes). */
function weight(k: TrackedKey): number {
  return k.read + 3 * k.write;
}

export interface Split {
  /** Epoch seconds. */
  readonly at: number;
  readonly reason: SplitReason;
  /** The range that split. */
  readonly start: number;
  readonly end: number;
  /** Where the new partitions start (the first is `start`). */
  readonly into: readonly number[];
  /** The key isolated (ISOLATION). */
  readonly key?: Item;
}

/** The partitions of one table or index: contiguous hash ranges covering [0, 2^32). */
export class PartitionMap {
  partitions: Partition[];
  readonly splits: Split[] = [];
  /** The highest throughput partitions were ever added for (they are never taken away). */
  peakPartitionsFor = 0;
  /** Whether something changed since the map was last saved. */
  dirty = false;
  /**
   * Whether some partition's size is an estimate: a split shared sub-ranges' items in proportion
   * to widths (the service then counts them again from the rows, between requests).
   */
  estimated = false;

  constructor(
    readonly settings: PartitionSettings,
    nowSec: number,
    starts: readonly number[] = [0],
  ) {
    this.partitions = fromStarts(starts, nowSec);
  }

  /** A new table's (or index's) partitions: `count` even ranges, none of them a split. */
  initialise(count: number, nowSec: number): void {
    this.ensureCount(count, nowSec);
    this.partitions = this.partitions.map((p) => new Partition(p.start, p.end, nowSec, 'INITIAL'));
    this.splits.length = 0;
    this.estimated = false;
  }

  /** Index of the partition holding `hash` (binary search). */
  locate(hash: number): number {
    const p = this.partitions;
    let lo = 0;
    let hi = p.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (p[mid]!.start <= hash) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  partitionOf(hash: number): Partition {
    return this.partitions[this.locate(hash)]!;
  }

  /** A write's change of items and bytes at `hash`; splits the partition when it grew too large. */
  addSize(hash: number, items: number, bytes: number, nowSec: number): void {
    const i = this.locate(hash);
    const p = this.partitions[i]!;
    p.addSize(hash, items, bytes);
    if (bytes > 0 && p.bytes > this.settings.sizeLimitBytes) this.splitForSize(i, nowSec);
  }

  /**
   * Splits partition `i` in two where its bytes are halved, at a sub-range boundary (the halves'
   * sizes are then known exactly); a partition whose bytes sit in one sub-range splits in the
   * middle of that sub-range (its sub-ranges are then estimated as even).
   */
  splitForSize(i: number, nowSec: number): void {
    const p = this.partitions[i]!;
    if (p.width < 2) return;
    let acc = 0;
    let cut = 1;
    for (; cut < SUB_RANGES; cut++) {
      acc += p.sub[(cut - 1) * 2 + 1]!;
      if (acc * 2 >= p.bytes) break;
    }
    let at: number;
    if (cut >= SUB_RANGES || acc === p.bytes) {
      // Everything in the last (or first-cut) sub-range: cut inside it, in its middle.
      const k = cut >= SUB_RANGES ? SUB_RANGES - 1 : cut - 1;
      const s = p.subStart(k);
      const e = k + 1 < SUB_RANGES ? p.subStart(k + 1) : p.end;
      at = s + Math.floor((e - s) / 2);
    } else {
      at = p.subStart(cut);
    }
    if (at <= p.start || at >= p.end) at = p.start + Math.floor(p.width / 2);
    this.replace(i, [p.start, at], 'SIZE', nowSec);
  }

  /**
   * Records units consumed on a key at `hash` in second `sec`; after `heatSeconds` hot seconds in a
   * row the partition splits for heat (or isolates its hottest key).
   */
  addHeat(hash: number, id: string, key: Item, kind: 'read' | 'write', units: number, sec: number): void {
    let i = this.locate(hash);
    let p = this.partitions[i]!;
    // The previous second is complete once a later one begins: count it as hot or not, and split
    // on what the partition saw up to it, before this request's units are added.
    if (p.hotThrough < sec - 1) {
      const prev = sec - 1;
      if (p.hotIn(prev)) {
        p.hotSeconds = p.hotThrough === prev - 1 ? p.hotSeconds + 1 : 1;
        p.hotThrough = prev;
        if (p.hotSeconds >= this.settings.heatSeconds) {
          p.decayKeys(sec);
          this.splitForHeat(i, sec);
          i = this.locate(hash);
          p = this.partitions[i]!;
        }
      }
    }
    p.addHeat(sec, kind, units, hash, id, key);
  }

  /**
   * Splits a hot partition: the hottest key is isolated on a partition of its own when it carries
   * most of the recent units, otherwise the range is cut between its busy keys so each side gets
   * about half the heat.
   */
  splitForHeat(i: number, nowSec: number): void {
    const p = this.partitions[i]!;
    p.hotSeconds = 0;
    const hottest = p.hottestKey();
    if (p.width < 2 || hottest === undefined) return;
    if (hottest.share > ISOLATION_SHARE || p.keys.length === 1) {
      const h = hottest.key.hash;
      const starts = [p.start];
      if (h > p.start) starts.push(h);
      if (h + 1 < p.end) starts.push(h + 1);
      if (starts.length > 1) this.replace(i, starts, 'ISOLATION', nowSec, hottest.key.key);
      return;
    }
    const keys = [...p.keys].sort((a, b) => a.hash - b.hash);
    let total = 0;
    for (const k of keys) total += weight(k);
    let acc = 0;
    let at = -1;
    for (const k of keys) {
      if (acc * 2 >= total && k.hash > p.start) {
        at = k.hash;
        break;
      }
      acc += weight(k);
    }
    if (at < 0) at = keys[keys.length - 1]!.hash > p.start ? keys[keys.length - 1]!.hash : p.start + 1;
    this.replace(i, [p.start, at], 'HEAT', nowSec);
  }

  /**
   * Splits partitions until there are at least `count`: the widest first, each in the middle of its
   * range. Used for throughput (a table's partitions cover its highest provisioned throughput).
   */
  ensureCount(count: number, nowSec: number): void {
    while (this.partitions.length < count) {
      let widest = 0;
      for (let i = 1; i < this.partitions.length; i++)
        if (this.partitions[i]!.width > this.partitions[widest]!.width) widest = i;
      const p = this.partitions[widest]!;
      if (p.width < 2) return;
      this.replace(widest, [p.start, p.start + Math.floor(p.width / 2)], 'THROUGHPUT', nowSec);
    }
  }

  /** Replaces partition `i` by partitions starting at `starts` (the first is its own start). */
  private replace(
    i: number,
    starts: readonly number[],
    reason: SplitReason,
    nowSec: number,
    key?: Item,
  ): void {
    const old = this.partitions[i]!;
    const parts: Partition[] = [];
    for (let j = 0; j < starts.length; j++) {
      const end = j + 1 < starts.length ? starts[j + 1]! : old.end;
      parts.push(new Partition(starts[j]!, end, nowSec, reason));
    }
    // Sizes move with their sub-ranges, shared in proportion to widths where a sub-range is cut or
    // covers several of the new partition's (finer) sub-ranges: then they are estimates until counted.
    if (old.items !== 0 || old.bytes !== 0) this.estimated = true;
    for (let s = 0; s < SUB_RANGES; s++) {
      const from = old.subStart(s);
      const to = s + 1 < SUB_RANGES ? old.subStart(s + 1) : old.end;
      const items = old.sub[s * 2]!;
      const bytes = old.sub[s * 2 + 1]!;
      if ((items === 0 && bytes === 0) || to <= from) continue;
      for (const q of parts) {
        const lo = Math.max(from, q.start);
        const hi = Math.min(to, q.end);
        if (hi <= lo) continue;
        const f = (hi - lo) / (to - from);
        spread(q, lo, hi, items * f, bytes * f);
      }
    }
    // Heat and tracked keys go with the keys' hashes.
    for (const q of parts) {
      q.heatStamps.set(old.heatStamps);
      q.keysSec = old.keysSec;
    }
    let total = 0;
    for (const k of old.keys) total += weight(k);
    // Each part's share of the ring: its tracked keys' share of the weight (without keys, its width's).
    const shares = parts.map((q) => {
      if (total === 0) return q.width / old.width;
      let w = 0;
      for (const k of old.keys) if (k.hash >= q.start && k.hash < q.end) w += weight(k);
      return w / total;
    });
    for (let s = 0; s < HEAT_WINDOW_SECONDS; s++) {
      parts.forEach((q, j) => {
        q.readHeat[s] = old.readHeat[s]! * shares[j]!;
        q.writeHeat[s] = old.writeHeat[s]! * shares[j]!;
      });
    }
    for (const k of old.keys) {
      const q = parts.find((x) => k.hash >= x.start && k.hash < x.end);
      q?.keys.push({ ...k });
    }
    this.partitions.splice(i, 1, ...parts);
    this.splits.push({
      at: nowSec,
      reason,
      start: old.start,
      end: old.end,
      into: starts,
      ...(key ? { key } : {}),
    });
    if (this.splits.length > SPLITS_KEPT) this.splits.splice(0, this.splits.length - SPLITS_KEPT);
    this.dirty = true;
  }

  /** Adds the boundaries of `starts` this map lacks (another process's splits: splits never merge). */
  mergeStarts(starts: readonly number[], nowSec: number): boolean {
    let changed = false;
    for (const s of starts) {
      if (s <= 0 || s >= HASH_SPACE) continue;
      const i = this.locate(s);
      const p = this.partitions[i]!;
      if (p.start === s) continue;
      this.replace(i, [p.start, s], 'THROUGHPUT', nowSec);
      this.splits.pop();
      changed = true;
    }
    return changed;
  }

  /** Replaces every partition's sizes by a fresh count (see PartitionService's survey). */
  setSizes(counts: readonly Float64Array[]): void {
    this.estimated = false;
    this.partitions.forEach((p, i) => {
      const c = counts[i]!;
      p.sub.set(c);
      p.items = 0;
      p.bytes = 0;
      for (let s = 0; s < SUB_RANGES; s++) {
        p.items += c[s * 2]!;
        p.bytes += c[s * 2 + 1]!;
      }
    });
  }

  get starts(): number[] {
    return this.partitions.map((p) => p.start);
  }

  totals(): { items: number; bytes: number } {
    let items = 0;
    let bytes = 0;
    for (const p of this.partitions) {
      items += p.items;
      bytes += p.bytes;
    }
    return { items, bytes };
  }
}

/** Puts `items`/`bytes` known to lie in [lo, hi) into q's sub-ranges, in proportion to overlap. */
function spread(q: Partition, lo: number, hi: number, items: number, bytes: number): void {
  const width = hi - lo;
  for (let s = 0; s < SUB_RANGES; s++) {
    const from = q.subStart(s);
    const to = s + 1 < SUB_RANGES ? q.subStart(s + 1) : q.end;
    const a = Math.max(from, lo);
    const b = Math.min(to, hi);
    if (b <= a) continue;
    const f = (b - a) / width;
    q.sub[s * 2]! += items * f;
    q.sub[s * 2 + 1]! += bytes * f;
  }
  q.items += items;
  q.bytes += bytes;
}

function fromStarts(starts: readonly number[], nowSec: number): Partition[] {
  const sorted = [...new Set(starts)].filter((s) => s >= 0 && s < HASH_SPACE).sort((a, b) => a - b);
  if (sorted[0] !== 0) sorted.unshift(0);
  return sorted.map(
    (s, i) => new Partition(s, i + 1 < sorted.length ? sorted[i + 1]! : HASH_SPACE, nowSec, 'INITIAL'),
  );
}

/**
 * The partitions a table (or GSI) needs for its throughput: one per 3,000 read units plus 1,000
 * write units (DynamoDB's documented per-partition ceilings); on demand, the 12,000 reads or 4,000
 * writes a second a new on-demand table serves: four.
 */
export function partitionsForThroughput(read: number | undefined, write: number | undefined): number {
  if (read === undefined || write === undefined) return 4;
  return Math.max(1, Math.ceil(read / PARTITION_READ_CEILING + write / PARTITION_WRITE_CEILING));
}
