// The partition maps of every table and GSI (model.ts), kept current from the engine's own work:
//   - every item write (a write listener) adds its item and size change to the partition of the
//     row's hash, for the table and each GSI it changes;
//   - the usage monitor adds the units each accessed key consumed (heat), and strict throttling
//     asks which partition a key is on;
//   - control-plane changes add partitions when provisioned throughput rises above its past high.
// Boundaries, sizes and recent splits are saved in sk_meta (one JSON value per table or index) when
// metrics are flushed and on close, so they survive a restart. Another process sharing the file
// keeps its own maps: at save, the boundaries on disk and in memory are united (partitions only
// split), and sizes are checked against the table's ItemCount/TableSizeBytes (sk_table_stats, kept
// exact by every process's writes): when they disagree (another process's writes, an import, a
// rolled-back transaction, a file from an older version) a survey recounts them in the background,
// in chunks of rows read in hash order, never on a request's path.
import type { Statement } from 'better-sqlite3';
import { ChunkTimer } from '../storage/chunk-timer.js';
import type { Database } from '../storage/database.js';
import { encodePartition, hasKey, keyAttributes } from '../tables/schema.js';
import type { Counters, Index, Table } from '../tables/table.js';
import { provisionedThroughput } from '../throttle/throughput.js';
import type { Item } from '../types.js';
import { itemSize } from '../values/size.js';
import {
  DEFAULT_PARTITION_SETTINGS,
  HASH_SPACE,
  Partition,
  PartitionMap,
  SUB_RANGES,
  partitionsForThroughput,
  savedMapKey,
} from './model.js';
import type { PartitionSettings, Split, SplitReason } from './model.js';

/** Rows a survey reads per chunk. */
export const SURVEY_CHUNK_ROWS = 2000;
/** A table with at most this many items is counted at once when its map is first loaded. */
const SURVEY_AT_ONCE_ITEMS = 2000;

/**
 * What the service needs of the engine (EngineContext provides it); narrow, so that this module
 * stays out of the engine's circle of imports round the context.
 */
export interface PartitionHost {
  readonly db: Database;
  readonly now: () => number;
  readonly catalog: {
    byId(id: number): Table | undefined;
    counters(table: Table): Counters;
    indexCounters(index: Index): Counters;
  };
}

/** What the service reads of an item write (engine/tables/write.ts's WriteEffect). */
export interface ItemWrite {
  readonly table: Table;
  readonly key: { readonly hash: number };
  readonly oldItem: Item | undefined;
  readonly newItem: Item | undefined;
  readonly oldSize: number;
  readonly newSize: number;
  readonly indexWrites: ReadonlyMap<string, number>;
}

/** The size of the row a GSI holds for `item`: its keys, the table's keys and projected attributes. */
function indexRowSize(index: Index, item: Item): number {
  const nonKey = index.projectedNonKey;
  if (nonKey === undefined) return itemSize(item);
  const row: Item = {};
  for (const a of keyAttributes(index.table.key)) if (item[a.name]) row[a.name] = item[a.name]!;
  for (const a of keyAttributes(index.key)) if (item[a.name]) row[a.name] = item[a.name]!;
  for (const name of nonKey) if (item[name] !== undefined) row[name] = item[name]!;
  return itemSize(row);
}

interface StoredMap {
  /** [start, createdAt, reason] per partition. */
  readonly parts: [number, number, string][];
  /** Items and bytes per sub-range per partition (rounded). */
  readonly sizes: number[][];
  readonly splits: Split[];
  readonly peak: number;
}

/** One table's or GSI's map, with what the survey needs. */
export interface Tracked {
  readonly map: PartitionMap;
  readonly table: Table;
  /** The GSI (undefined: the table; LSIs live on their table's partitions). */
  readonly index: Index | undefined;
  /** The TableId the map belongs to (a table of the same name created later starts afresh). */
  readonly tableUuid: string;
  /** The survey under way: the next hash to read, and the counts so far per partition. */
  survey: { next: number; counts: Float64Array[]; starts: string } | undefined;
  /** Whether sizes must be compared with the table's statistics before they are trusted. */
  check: boolean;
}

export class PartitionService {
  readonly settings: PartitionSettings;
  private readonly maps = new Map<string, Tracked>();
  private readonly timer: ChunkTimer;
  private readonly surveyStmts = new Map<string, { chunk: Statement; one: Statement }>();
  private loadStmt: Statement | undefined;
  private saveStmt: Statement | undefined;

  constructor(
    private readonly ctx: PartitionHost,
    settings: Partial<PartitionSettings> = {},
  ) {
    this.settings = { ...DEFAULT_PARTITION_SETTINGS, ...settings };
    this.timer = new ChunkTimer(ctx.db, 'while counting partition sizes', () => this.surveyStep());
    // A rolled-back write's size change was counted here: have the sizes checked.
    ctx.db.rollbackListeners.push(() => {
      for (const t of this.maps.values()) t.check = true;
    });
  }

  private nowSec(): number {
    return Math.floor(this.ctx.now() / 1000);
  }

  /** The map of a table (or GSI), loaded from the file or created at its first use. */
  tracked(table: Table, index?: Index): Tracked {
    const gsi = index !== undefined && index.kind === 'GSI' ? index : undefined;
    const key = `${table.id}\u0000${gsi?.name ?? ''}`;
    const uuid = table.description.TableId ?? '';
    let t = this.maps.get(key);
    if (t !== undefined && t.tableUuid === uuid && t.table === table) return t;
    if (t !== undefined && t.tableUuid === uuid) {
      // The catalog rebuilt the table object (another process changed it): keep the map.
      t = { ...t, table, index: gsi !== undefined ? table.indexes.get(gsi.name) : undefined };
      this.maps.set(key, t);
      return t;
    }
    const now = this.nowSec();
    const map = new PartitionMap(this.settings, now);
    t = { map, table, index: gsi, tableUuid: uuid, survey: undefined, check: false };
    this.maps.set(key, t);
    const stored = this.load(table, gsi);
    if (stored) {
      restore(map, stored, now);
      t.check = true;
    } else {
      this.fitThroughput(t, now, table, true);
      const c = gsi ? this.ctx.catalog.indexCounters(gsi) : this.ctx.catalog.counters(table);
      if (c.itemCount > 0) t.check = true;
    }
    // Sizes are checked later, between requests (checkAll): this may run inside a write whose own
    // change the statistics already hold and the map does not yet.
    return t;
  }

  /** The map of a table (or GSI). */
  mapOf(table: Table, index?: Index): PartitionMap {
    return this.tracked(table, index).map;
  }

  /** The hash of a partition key (`key` holds the partition attributes of the table or index). */
  hashOf(table: Table, index: Index | undefined, key: Item): number {
    return encodePartition((index ?? table).key, key).hash;
  }

  /** The partition holding the key, and its hash. */
  locate(table: Table, index: Index | undefined, key: Item): { partition: Partition; hash: number } {
    const hash = this.hashOf(table, index, key);
    return { partition: this.mapOf(table, index).partitionOf(hash), hash };
  }

  /** Units consumed on a key: the heat of its partition (`sec`: the request's second). */
  addHeat(
    table: Table,
    index: Index | undefined,
    id: string,
    key: Item,
    kind: 'read' | 'write',
    units: number,
    sec: number,
  ): void {
    if (units <= 0) return;
    const map = this.mapOf(table, index);
    map.addHeat(this.hashOf(table, index, key), id, key, kind, units, sec);
  }

  /** The write listener: sizes of the partitions of the table and of each GSI the write changes. */
  readonly onWrite = (effect: ItemWrite): void => {
    const { table, key } = effect;
    const now = this.nowSec();
    const items = (effect.newItem || effect.newSize > 0 ? 1 : 0) - (effect.oldSize > 0 ? 1 : 0);
    this.addSize(this.tracked(table), key.hash, items, effect.newSize - effect.oldSize, now);
    for (const index of table.indexes.values()) {
      if (index.kind !== 'GSI' || !effect.indexWrites.has(index.name)) continue;
      const t = this.tracked(table, index);
      const { oldItem, newItem } = effect;
      if (oldItem && hasKey(index.key, oldItem)) {
        const h = encodePartition(index.key, oldItem).hash;
        // With projection ALL the index row is the item: its size is known.
        const size = index.projectedNonKey === undefined ? effect.oldSize : indexRowSize(index, oldItem);
        this.addSize(t, h, -1, -size, now);
      }
      if (newItem && hasKey(index.key, newItem)) {
        const h = encodePartition(index.key, newItem).hash;
        const size = index.projectedNonKey === undefined ? effect.newSize : indexRowSize(index, newItem);
        this.addSize(t, h, 1, size, now);
      }
    }
  };

  private addSize(t: Tracked, hash: number, items: number, bytes: number, now: number): void {
    const before = t.map.partitions.length;
    t.map.addSize(hash, items, bytes, now);
    // A survey that has passed this hash already must count the change itself.
    const s = t.survey;
    if (s !== undefined) {
      if (t.map.partitions.length !== before) t.survey = undefined;
      else if (hash < s.next) {
        const i = t.map.locate(hash);
        const p = t.map.partitions[i]!;
        const c = s.counts[i]!;
        c[p.subRange(hash) * 2]! += items;
        c[p.subRange(hash) * 2 + 1]! += bytes;
      }
    }
  }

  /**
   * After a control-plane change: tables whose provisioned throughput rose above its past high get
   * the partitions it needs, and maps of deleted tables are forgotten.
   */
  syncThroughput(): void {
    const now = this.nowSec();
    for (const [key, t] of this.maps) {
      const current = this.current(t);
      if (!current) {
        this.maps.delete(key);
        continue;
      }
      this.fitThroughput(t, now, current);
    }
  }

  private fitThroughput(t: Tracked, now: number, table = t.table, initial = false): void {
    const tp = provisionedThroughput(table, t.index?.name);
    const onDemand = table.description.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST';
    const need =
      onDemand || !tp
        ? partitionsForThroughput(undefined, undefined)
        : partitionsForThroughput(tp.read, tp.write);
    if (need > t.map.peakPartitionsFor) {
      t.map.peakPartitionsFor = need;
      if (initial) t.map.initialise(need, now);
      else t.map.ensureCount(need, now);
      t.map.dirty = true;
    }
  }

  // ---- sizes: checks and surveys ---------------------------------------------------------------

  /** Compares a map's sizes with the table's statistics; a survey recounts them when they differ. */
  checkSizes(t: Tracked): void {
    t.check = false;
    if (t.survey || !this.current(t)) return;
    const c = t.index ? this.ctx.catalog.indexCounters(t.index) : this.ctx.catalog.counters(t.table);
    const sums = t.map.totals();
    const agree = Math.round(sums.items) === c.itemCount && Math.round(sums.bytes) === c.sizeBytes;
    if (agree && !t.map.estimated) return;
    this.startSurvey(t);
    if (c.itemCount <= SURVEY_AT_ONCE_ITEMS) this.finishSurvey(t);
    else this.timer.schedule();
  }

  /** The map's table as the catalog has it now, if it (and the map's index) still exist. */
  private current(t: Tracked): Table | undefined {
    const table = this.ctx.catalog.byId(t.table.id);
    if (!table || (table.description.TableId ?? '') !== t.tableUuid) return undefined;
    if (t.index && !table.indexes.has(t.index.name)) return undefined;
    return table;
  }

  /** Checks the sizes of every map (at each metrics flush): one statistics lookup each. */
  checkAll(): void {
    for (const t of this.maps.values()) this.checkSizes(t);
  }

  private startSurvey(t: Tracked): void {
    t.survey = {
      next: 0,
      counts: t.map.partitions.map(() => new Float64Array(SUB_RANGES * 2)),
      starts: t.map.starts.join(','),
    };
  }

  /** Runs a survey to its end (small tables, and tests). */
  finishSurvey(t: Tracked): void {
    while (t.survey && this.surveyChunk(t));
  }

  private statements(sqlName: string): { chunk: Statement; one: Statement } {
    let s = this.surveyStmts.get(sqlName);
    if (!s) {
      s = {
        chunk: this.ctx.db.sqlite
          .prepare(`SELECT h, size FROM "${sqlName}" WHERE h >= ? ORDER BY h LIMIT ${SURVEY_CHUNK_ROWS}`)
          .raw(),
        one: this.ctx.db.sqlite
          .prepare(`SELECT count(*), coalesce(sum(size), 0) FROM "${sqlName}" WHERE h = ?`)
          .raw(),
      };
      this.surveyStmts.set(sqlName, s);
    }
    return s;
  }

  /**
   * Reads the next rows of a survey (at most SURVEY_CHUNK_ROWS, or one partition key's rows) and
   * counts them; returns whether more remain. At the end the counts replace the map's sizes.
   */
  private surveyChunk(t: Tracked): boolean {
    const s = t.survey;
    if (!s) return false;
    if (s.starts !== t.map.starts.join(',')) {
      // The map split meanwhile: count again with the new boundaries.
      this.startSurvey(t);
      return true;
    }
    const sqlName = (t.index ?? t.table).sqlName;
    const stmts = this.statements(sqlName);
    const rows = this.ctx.db.snapshot(() => stmts.chunk.all(s.next)) as [number, number][];
    const count = (h: number, items: number, bytes: number) => {
      const i = t.map.locate(h);
      const p = t.map.partitions[i]!;
      const c = s.counts[i]!;
      c[p.subRange(h) * 2]! += items;
      c[p.subRange(h) * 2 + 1]! += bytes;
    };
    if (rows.length < SURVEY_CHUNK_ROWS) {
      for (const [h, size] of rows) count(h, 1, size);
      t.map.setSizes(s.counts);
      t.map.dirty = true;
      t.survey = undefined;
      this.surveyStmts.delete(sqlName);
      return false;
    }
    const last = rows[rows.length - 1]![0];
    if (rows[0]![0] === last) {
      // One partition key with more rows than a chunk: counted in one aggregate over its hash.
      const [n, bytes] = this.ctx.db.snapshot(() => stmts.one.get(last)) as [number, number];
      count(last, n, bytes);
      s.next = last + 1;
    } else {
      for (const [h, size] of rows) if (h < last) count(h, 1, size);
      s.next = last;
    }
    if (s.next >= HASH_SPACE) {
      t.map.setSizes(s.counts);
      t.map.dirty = true;
      t.survey = undefined;
      this.surveyStmts.delete(sqlName);
      return false;
    }
    return true;
  }

  /** One background chunk: the first map with a survey under way. */
  private surveyStep(): boolean {
    for (const t of this.maps.values()) {
      if (!t.survey) continue;
      this.surveyChunk(t);
      return true;
    }
    return false;
  }

  // ---- persistence ---------------------------------------------------------------------------

  private load(table: Table, index: Index | undefined): StoredMap | undefined {
    // Prepared once: tables come and go (test suites create and drop one per test).
    this.loadStmt ??= this.ctx.db.sqlite.prepare('SELECT value FROM sk_meta WHERE key = ?').pluck();
    const row = this.loadStmt.get(savedMapKey(table.id, index?.name ?? '')) as string | undefined;
    if (row === undefined) return undefined;
    try {
      return JSON.parse(row) as StoredMap;
    } catch {
      return undefined;
    }
  }

  /**
   * Saves the maps that changed, united with what other processes saved (partitions only split);
   * forgets those of deleted tables and removes their saved maps. Runs between requests.
   */
  save(): void {
    if (!this.ctx.db.sqlite.open) return;
    this.checkAll();
    const dirty = [...this.maps.values()].filter((t) => t.map.dirty);
    if (dirty.length === 0) return;
    const now = this.nowSec();
    this.ctx.db.transaction(() => {
      this.saveStmt ??= this.ctx.db.sqlite.prepare(
        'INSERT OR REPLACE INTO sk_meta (key, value) VALUES (?, ?)',
      );
      const put = this.saveStmt;
      for (const t of dirty) {
        if (!this.current(t)) continue;
        const stored = this.load(t.table, t.index);
        if (
          stored &&
          t.map.mergeStarts(
            stored.parts.map((p) => p[0]),
            now,
          )
        )
          t.check = true;
        put.run(savedMapKey(t.table.id, t.index?.name ?? ''), JSON.stringify(serialise(t.map)));
        t.map.dirty = false;
      }
    });
  }

  close(): void {
    this.timer.stop();
    try {
      this.save();
    } catch {
      // Closing must not fail because of the partition maps: they are rebuilt.
    }
  }
}

function serialise(map: PartitionMap): StoredMap {
  return {
    parts: map.partitions.map((p) => [p.start, p.createdAt, p.reason]),
    sizes: map.partitions.map((p) => Array.from(p.sub, (v) => Math.round(v))),
    splits: map.splits,
    peak: map.peakPartitionsFor,
  };
}

function restore(map: PartitionMap, stored: StoredMap, now: number): void {
  const parts = stored.parts.filter((p) => Array.isArray(p) && Number.isInteger(p[0]));
  if (parts.length === 0 || parts[0]![0] !== 0) return;
  map.partitions = parts.map(
    ([start, createdAt, reason], i) =>
      new Partition(
        start,
        i + 1 < parts.length ? parts[i + 1]![0] : HASH_SPACE,
        typeof createdAt === 'number' ? createdAt : now,
        reason as SplitReason | 'INITIAL',
      ),
  );
  const sizes = stored.sizes;
  if (Array.isArray(sizes) && sizes.length === parts.length)
    map.setSizes(
      sizes.map((s) =>
        Float64Array.from(s.length === SUB_RANGES * 2 ? s : new Array(SUB_RANGES * 2).fill(0)),
      ),
    );
  if (Array.isArray(stored.splits)) map.splits.push(...stored.splits);
  map.peakPartitionsFor = typeof stored.peak === 'number' ? stored.peak : map.partitions.length;
}
