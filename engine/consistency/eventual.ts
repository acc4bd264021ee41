// Eventual consistency on request (`--consistency eventual[:MS]`, Sortkey_20250101.SetConsistency):
// eventually consistent reads may see an item as it was up to MS milliseconds ago, and GSIs see
// writes MS milliseconds late, as DynamoDB allows them to. Off by default: every read is current.
//
// While the mode is on, every item write records the version it replaces (its old image, which
// the write then always reads: `readsOldItem`) with the time of the write, in memory. A read then
// picks a moment: strongly consistent reads (and TransactGetItems) the present; an eventually
// consistent read `now − delay`, the delay drawn in [0, MS] from a seeded generator; a GSI read
// `now − MS`. What the read returns for a key is the version current at that moment: the version
// replaced by the first write after it, or (no write since) what is stored. So items inserted
// since are absent, deleted ones reappear, and updated ones show their earlier attributes.
//
// The history lives in this process's memory, beside the writer: read workers never see it, so
// the endpoint serves every read on the main thread while the mode is on (workers/reads.ts).
// Writes made by another process sharing the database file are seen at once (no history of them).
import { prng } from './prng.js';
import type { Database } from '../storage/database.js';
import type { StoredRow, Table } from '../tables/table.js';
import type { EncodedKey } from '../tables/schema.js';
import type { Item } from '../types.js';
import { DEFAULT_EVENTUAL_WINDOW_MS, MAX_TRACKED_VERSIONS } from './settings.js';
import type { ConsistencySettings } from './settings.js';

export type { ConsistencyMode, ConsistencySettings } from './settings.js';
export { CONSISTENCY_MODES, MAX_EVENTUAL_WINDOW_MS } from './settings.js';

/** A version of one item, replaced at `at` (epoch ms); `row` undefined: the key held no item. */
interface Version {
  readonly at: number;
  readonly row: StoredRow | undefined;
}

interface KeyHistory {
  /** Oldest first. */
  readonly versions: Version[];
}

/** One table's recent writes: key id → the versions its writes replaced. */
type TableHistory = Map<string, KeyHistory>;

/** A key as one string (a map key). */
export function keyId(key: { readonly pk: Buffer; readonly sk: Buffer }): string {
  // The partition bytes' length first, so that no two (pk, sk) pairs make the same string; the
  // hash is left out (it follows from pk). latin1 maps each byte to one character.
  return `${key.pk.length}:${key.pk.toString('latin1')}${key.sk.toString('latin1')}`;
}

/**
 * A read's view of one table at one moment in the past: for each key written since, the version
 * current then. Built by EventualConsistency.view; empty views are never built (undefined instead).
 */
export class StaleView {
  private changedRows: Map<string, StoredRow | undefined> | undefined;
  private pastRows: ViewRow[] | undefined;

  constructor(
    readonly table: Table,
    /** Epoch ms: the reader sees the table as it was then. */
    readonly moment: number,
    private readonly history: TableHistory,
  ) {}

  /** The version of `key` at the moment, or `current` when no write touched it since. */
  row(key: EncodedKey, current: () => StoredRow | undefined): StoredRow | undefined {
    const h = this.history.get(keyId(key));
    if (h) {
      const v = h.versions.find((x) => x.at > this.moment);
      if (v) return v.row;
    }
    return current();
  }

  /** Key id → version at the moment, for every key written since (what a range read replaces). */
  get changed(): Map<string, StoredRow | undefined> {
    if (!this.changedRows) {
      this.changedRows = new Map();
      for (const [id, h] of this.history) {
        const v = h.versions.find((x) => x.at > this.moment);
        if (v) this.changedRows.set(id, v.row);
      }
    }
    return this.changedRows;
  }

  /** Whether the moment's table differs from the stored one (else a read may ignore the view). */
  get anyChanged(): boolean {
    return this.changed.size > 0;
  }

  /**
   * The items the table held at the moment under the keys written since (the reader projects them
   * for an index). In no particular order.
   */
  get pastItems(): ViewRow[] {
    if (!this.pastRows) {
      this.pastRows = [];
      for (const row of this.changed.values()) {
        if (row) this.pastRows.push({ item: JSON.parse(row.json) as Item, size: row.size, json: row.json });
      }
    }
    return this.pastRows;
  }

  /**
   * Whether a row read from storage belongs to a key written since the moment (the view replaces
   * it): `pk` and `sk` are the table key's stored bytes (an index row's tpk and tsk).
   */
  replaces(pk: Buffer, sk: Buffer): boolean {
    return this.changed.has(keyId({ pk, sk }));
  }
}

/** What the history needs of a write (tables/write.ts's WriteEffect, not imported: it is below). */
export interface RecordedWrite {
  readonly table: Table;
  readonly key: EncodedKey;
  readonly oldItem: Item | undefined;
  readonly oldSize: number;
}

export interface ViewRow {
  readonly item: Item;
  readonly size: number;
  /** The item's JSON text, as stored (a page of these may be spliced into a response). */
  readonly json: string;
}

export class EventualConsistency {
  private current: ConsistencySettings;
  private random: () => number;
  /** Table id → its history (ids are never reused within a database file). */
  private readonly tables = new Map<number, TableHistory>();
  /** Every recorded version in write order, to forget the oldest first. */
  private readonly queue: { table: number; id: string; at: number }[] = [];
  private queueHead = 0;

  constructor(
    private readonly now: () => number,
    settings: Partial<ConsistencySettings> = {},
  ) {
    this.current = {
      mode: settings.mode ?? 'strong',
      windowMs: settings.windowMs ?? DEFAULT_EVENTUAL_WINDOW_MS,
      seed: settings.seed ?? 0,
    };
    this.random = prng(this.current.seed);
  }

  get settings(): ConsistencySettings {
    return this.current;
  }

  get active(): boolean {
    return this.current.mode === 'eventual';
  }

  /** Versions held now (DescribeConsistency; tests). */
  get trackedVersions(): number {
    return this.queue.length - this.queueHead;
  }

  /**
   * Changes the settings at run time. The generator restarts from the seed (so a test that sets
   * a seed gets its sequence from that point); switching to strong forgets the history.
   */
  set(settings: Partial<ConsistencySettings>): ConsistencySettings {
    this.current = { ...this.current, ...settings };
    this.random = prng(this.current.seed);
    if (!this.active) this.forget();
    return this.current;
  }

  private forget(): void {
    this.tables.clear();
    this.queue.length = 0;
    this.queueHead = 0;
  }

  /** For EngineContext.writeNeedsOldItem: a write must read the version it replaces to record it. */
  readonly readsOldItem = (): boolean => this.active;

  /** The write listener (tables/write.ts's WriteEffect): records the version a write replaced. */
  readonly onWrite = (effect: RecordedWrite): void => {
    if (!this.active) return;
    // Only a size was read (the mode went on while the write was planned): nothing to record.
    if (effect.oldItem === undefined && effect.oldSize > 0) return;
    const at = this.now();
    this.prune(at);
    const row: StoredRow | undefined = effect.oldItem
      ? { json: JSON.stringify(effect.oldItem), size: effect.oldSize }
      : undefined;
    const tableId = effect.table.id;
    let history = this.tables.get(tableId);
    if (!history) this.tables.set(tableId, (history = new Map()));
    const id = keyId(effect.key);
    let h = history.get(id);
    if (!h) history.set(id, (h = { versions: [] }));
    h.versions.push({ at, row });
    this.queue.push({ table: tableId, id, at });
  };

  /**
   * Forgets versions no read can ask for any more (replaced before now − window: every read's
   * moment is later), and the oldest beyond MAX_TRACKED_VERSIONS.
   */
  private prune(now: number): void {
    const horizon = now - this.current.windowMs;
    while (this.queueHead < this.queue.length) {
      const first = this.queue[this.queueHead]!;
      if (first.at > horizon && this.trackedVersions < MAX_TRACKED_VERSIONS) break;
      this.queueHead++;
      const history = this.tables.get(first.table);
      const h = history?.get(first.id);
      if (h) {
        // The queue is in write order, so a key's first version is the one the queue names.
        h.versions.shift();
        if (h.versions.length === 0) history!.delete(first.id);
        if (history!.size === 0) this.tables.delete(first.table);
      }
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  /**
   * The view a read of `table` gets, or undefined when it reads the present: the mode is off, the
   * read is strongly consistent, or nothing was written to the table within the window. A GSI
   * read lags by the whole window; any other eventually consistent read by a seeded random delay.
   */
  view(table: Table, consistent: boolean, gsi = false): StaleView | undefined {
    if (!this.active || consistent) return undefined;
    const now = this.now();
    // Drawn even when the table has no history: the sequence of delays depends only on the reads.
    const delay = gsi ? this.current.windowMs : Math.floor(this.random() * (this.current.windowMs + 1));
    this.prune(now);
    const history = this.tables.get(table.id);
    if (!history || delay === 0) return undefined;
    return new StaleView(table, now - delay, history);
  }
}

/** The stored row at `key`, or with a view the row it held at the view's moment. */
export function readRow(
  db: Database,
  table: Table,
  key: EncodedKey,
  view: StaleView | undefined,
): StoredRow | undefined {
  return view ? view.row(key, () => table.getRow(db, key)) : table.getRow(db, key);
}
