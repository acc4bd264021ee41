// Hot keys, as CloudWatch Contributor Insights shows them: the partition keys a table (or index) is
// accessed and throttled on most. Memory stays bounded whatever the number of distinct keys: each
// 10-second slot of the last hour keeps a space-saving sketch of at most K keys (Metwally et al.):
// a key not in a full sketch replaces the one with the smallest count and inherits that count as
// its possible overestimate, so every key counted more often than total/K is in the sketch.
import type { Item } from '../types.js';

export const HOT_KEY_SLOT_SECONDS = 10;
/** Slots kept: one hour. */
export const HOT_KEY_SLOTS = 360;
/** Keys per slot's sketch. */
export const HOT_KEY_CAPACITY = 32;

export interface HotKeyCounts {
  /** The sketch's ranking weight: requests (accessed sketch) or throttled requests (throttled sketch). */
  count: number;
  /** How much of `count` may belong to keys this one replaced (space-saving's overestimate). */
  error: number;
  reads: number;
  writes: number;
  readUnits: number;
  writeUnits: number;
  throttled: number;
}

export interface SketchEntry extends HotKeyCounts {
  readonly id: string;
  /** The partition key attributes, as DynamoDB JSON. */
  readonly key: Item;
}

export class SpaceSaving {
  readonly entries = new Map<string, SketchEntry>();

  constructor(readonly capacity: number = HOT_KEY_CAPACITY) {}

  get(id: string): SketchEntry | undefined {
    return this.entries.get(id);
  }

  /** Adds a key not yet in the sketch, evicting the smallest one when full. */
  insert(id: string, key: Item): SketchEntry {
    let floor = 0;
    if (this.entries.size >= this.capacity) {
      let min: SketchEntry | undefined;
      for (const e of this.entries.values()) if (min === undefined || e.count < min.count) min = e;
      floor = min!.count;
      this.entries.delete(min!.id);
    }
    const entry: SketchEntry = {
      id,
      key,
      count: floor,
      error: floor,
      reads: 0,
      writes: 0,
      readUnits: 0,
      writeUnits: 0,
      throttled: 0,
    };
    this.entries.set(id, entry);
    return entry;
  }
}

/** One ranked key over a window: counts summed over the slots, and the summed overestimate. */
export interface HotKey {
  readonly Key: Item;
  readonly Count: number;
  /** Upper bound of the overcount (0: exact). */
  readonly MaxOvercount: number;
  readonly Reads: number;
  readonly Writes: number;
  readonly ConsumedReadCapacityUnits: number;
  readonly ConsumedWriteCapacityUnits: number;
  readonly ThrottledRequests: number;
}

/** Sketches per 10-second slot over the last hour. */
export class HotKeyWindow {
  private readonly sketches: (SpaceSaving | undefined)[] = new Array<SpaceSaving | undefined>(HOT_KEY_SLOTS);
  private readonly stamps = new Float64Array(HOT_KEY_SLOTS).fill(-1);

  /** The sketch of the slot holding second `sec`. */
  sketch(sec: number): SpaceSaving {
    const slot = Math.floor(sec / HOT_KEY_SLOT_SECONDS);
    const i = slot % HOT_KEY_SLOTS;
    let s = this.sketches[i];
    if (this.stamps[i] !== slot || s === undefined) {
      s = new SpaceSaving();
      this.sketches[i] = s;
      this.stamps[i] = slot;
    }
    return s;
  }

  /** The entry of key `id` in the slot of `sec`, added when absent (`key` builds its attributes). */
  entry(sec: number, id: string, key: () => Item): SketchEntry {
    const s = this.sketch(sec);
    return s.get(id) ?? s.insert(id, key());
  }

  /** The `limit` keys with the highest counts over slots overlapping [fromSec, toSec]. */
  top(fromSec: number, toSec: number, limit: number): HotKey[] {
    const merged = new Map<string, { key: Item; c: HotKeyCounts }>();
    const first = Math.floor(fromSec / HOT_KEY_SLOT_SECONDS);
    const last = Math.floor(toSec / HOT_KEY_SLOT_SECONDS);
    for (let slot = Math.max(first, last - HOT_KEY_SLOTS + 1); slot <= last; slot++) {
      const i = slot % HOT_KEY_SLOTS;
      const s = this.sketches[i];
      if (s === undefined || this.stamps[i] !== slot) continue;
      for (const e of s.entries.values()) {
        let m = merged.get(e.id);
        if (!m) {
          m = {
            key: e.key,
            c: { count: 0, error: 0, reads: 0, writes: 0, readUnits: 0, writeUnits: 0, throttled: 0 },
          };
          merged.set(e.id, m);
        }
        m.c.count += e.count;
        m.c.error += e.error;
        m.c.reads += e.reads;
        m.c.writes += e.writes;
        m.c.readUnits += e.readUnits;
        m.c.writeUnits += e.writeUnits;
        m.c.throttled += e.throttled;
      }
    }
    return [...merged.values()]
      .filter((m) => m.c.count > 0)
      .sort((a, b) => b.c.count - a.c.count)
      .slice(0, limit)
      .map((m) => ({
        Key: m.key,
        Count: m.c.count,
        MaxOvercount: m.c.error,
        Reads: m.c.reads,
        Writes: m.c.writes,
        ConsumedReadCapacityUnits: m.c.readUnits,
        ConsumedWriteCapacityUnits: m.c.writeUnits,
        ThrottledRequests: m.c.throttled,
      }));
  }
}
