// The one path every item write takes: the item row, its index rows, the statistics and the
// write listeners (streams, TTL, point-in-time log) change together inside the caller's transaction.
import type { Item } from '../types.js';
import type { Database } from '../storage/database.js';
import { itemSize } from '../values/size.js';
import { encodeKey, hasKey, indexableKey, keyAttributes } from './schema.js';
import type { EncodedKey } from './schema.js';
import type { Index, Table } from './table.js';

/** What one item write did, for capacity accounting and stream records. */
export interface WriteEffect {
  readonly table: Table;
  readonly key: EncodedKey;
  readonly oldItem: Item | undefined;
  readonly newItem: Item | undefined;
  /** newItem's JSON text, as stored (listeners that keep the item reuse it). */
  readonly newJson: string | undefined;
  readonly oldSize: number;
  readonly newSize: number;
  /** Index name → write units consumed on that index by this write. */
  readonly indexWrites: ReadonlyMap<string, number>;
  /** Who wrote: a client request (the default), a bulk import, or TTL expiry. */
  readonly origin: WriteOrigin;
}

/** 'replication': a write another replica made (engine/replication); 'replica-fill': copying a table's items into a new replica. */
export type WriteOrigin = 'request' | 'import' | 'ttl' | 'restore' | 'replication' | 'replica-fill';

export type WriteListener = (effect: WriteEffect) => void;

/** Where a write counts its items and bytes (the Catalog); narrow, so this module imports no catalog. */
export interface StatisticsSink {
  addToStatistics(table: Table, index: Index | undefined, items: number, bytes: number): void;
}

export interface WriteContext {
  readonly db: Database;
  readonly catalog: StatisticsSink;
  readonly writeListeners: readonly WriteListener[];
}

/** The part of an item an index row holds: its keys, the table's keys, and the projected attributes. */
export function projectForIndex(index: Index, item: Item): Item {
  const nonKey = index.projectedNonKey;
  if (nonKey === undefined) return item;
  const out: Item = {};
  for (const a of keyAttributes(index.table.key)) out[a.name] = item[a.name]!;
  for (const a of keyAttributes(index.key)) out[a.name] = item[a.name]!;
  for (const name of nonKey) if (item[name] !== undefined) out[name] = item[name]!;
  return out;
}

const NO_INDEX_WRITES: Map<string, number> = new Map();

function writeUnits(size: number): number {
  return Math.max(1, Math.ceil(size / 1024));
}

function sameKey(a: EncodedKey, b: EncodedKey): boolean {
  return a.hash === b.hash && a.pk.equals(b.pk) && a.sk.equals(b.sk);
}

/**
 * Replaces (or with newItem undefined, deletes) the item at `key`. `oldItem`/`oldSize` describe what
 * is stored now (undefined/0 when nothing), as the caller already read it; `oldExists` says an item
 * is stored when the caller read only its size (a put into a table where nothing needs the old item:
 * no index, and no write listener that reads it, EngineContext.writeNeedsOldItem).
 */
export function writeItem(
  ctx: WriteContext,
  table: Table,
  key: EncodedKey,
  oldItem: Item | undefined,
  oldSize: number,
  newItem: Item | undefined,
  newSize = newItem ? itemSize(newItem) : 0,
  origin: WriteOrigin = 'request',
  oldExists = oldItem !== undefined,
): WriteEffect {
  const { db, catalog } = ctx;
  const newJson = newItem ? JSON.stringify(newItem) : undefined;
  if (newJson !== undefined) table.putRow(db, key, newJson, newSize);
  else if (oldExists) table.deleteRow(db, key);

  catalog.addToStatistics(table, undefined, (newItem ? 1 : 0) - (oldExists ? 1 : 0), newSize - oldSize);

  // A table without indexes (the common case) shares one empty map: nothing adds to it.
  let indexWrites = NO_INDEX_WRITES;
  for (const index of table.indexes.values()) {
    const units = maintainIndex(db, catalog, index, key, oldItem, newItem);
    if (units > 0) {
      if (indexWrites === NO_INDEX_WRITES) indexWrites = new Map();
      indexWrites.set(index.name, units);
    }
  }

  const effect: WriteEffect = {
    table,
    key,
    oldItem,
    newItem,
    newJson,
    oldSize,
    newSize,
    indexWrites,
    origin,
  };
  for (const listener of ctx.writeListeners) listener(effect);
  return effect;
}

function maintainIndex(
  db: Database,
  catalog: StatisticsSink,
  index: Index,
  tableKey: EncodedKey,
  oldItem: Item | undefined,
  newItem: Item | undefined,
): number {
  const oldIn = oldItem !== undefined && hasKey(index.key, oldItem);
  const newIn = newItem !== undefined && hasKey(index.key, newItem);
  if (!oldIn && !newIn) return 0;
  const oldKey = oldIn ? encodeKey(index.key, oldItem) : undefined;
  const newKey = newIn ? encodeKey(index.key, newItem) : undefined;
  const oldRow = oldIn ? projectForIndex(index, oldItem) : undefined;
  const newRow = newIn ? projectForIndex(index, newItem) : undefined;
  const oldJson = oldRow ? JSON.stringify(oldRow) : undefined;
  const newJson = newRow ? JSON.stringify(newRow) : undefined;
  if (oldKey && newKey && sameKey(oldKey, newKey) && oldJson === newJson) return 0;

  let units = 0;
  const oldSize = oldRow ? itemSize(oldRow) : 0;
  const newSize = newRow ? itemSize(newRow) : 0;
  if (oldKey && isBackfilling(index)) {
    // The backfill may not have reached the old item yet: count what the index really holds.
    const stored = index.rowSize(db, oldKey, tableKey);
    catalog.addToStatistics(
      index.table,
      index,
      (newKey ? 1 : 0) - (stored === undefined ? 0 : 1),
      newSize - (stored ?? 0),
    );
  } else {
    catalog.addToStatistics(index.table, index, (newKey ? 1 : 0) - (oldKey ? 1 : 0), newSize - oldSize);
  }
  if (oldKey && (!newKey || !sameKey(oldKey, newKey))) {
    index.deleteRow(db, oldKey, tableKey);
    units += writeUnits(oldSize);
    if (newKey) {
      index.putRow(db, newKey, tableKey, newJson!, newSize);
      units += writeUnits(newSize);
    }
    return units;
  }
  if (newKey) {
    index.putRow(db, newKey, tableKey, newJson!, newSize);
    return writeUnits(Math.max(oldSize, newSize));
  }
  return 0;
}

/** A GSI whose backfill is under way (UpdateTable added it; backfill.ts). */
function isBackfilling(index: Index): boolean {
  if (index.kind !== 'GSI') return false;
  const gsis = index.table.description.GlobalSecondaryIndexes;
  return gsis?.find((g) => g.IndexName === index.name)?.Backfilling === true;
}

/**
 * Writes the index row of an item (if the item belongs in the index), replacing an identical row
 * a writer may have put first, and counts only what it adds to the index's statistics. The chunked
 * GSI backfill (backfill.ts) uses it. Items whose index key DynamoDB would refuse in a write (empty,
 * too long) are left out, as the service's backfill leaves them out.
 */
export function addToIndex(
  db: Database,
  catalog: StatisticsSink,
  index: Index,
  tableKey: EncodedKey,
  item: Item,
): void {
  if (!indexableKey(index.key, item)) return;
  const row = projectForIndex(index, item);
  const key = encodeKey(index.key, item);
  const size = itemSize(row);
  const before = index.rowSize(db, key, tableKey);
  index.putRow(db, key, tableKey, JSON.stringify(row), size);
  catalog.addToStatistics(index.table, index, before === undefined ? 1 : 0, size - (before ?? 0));
}

/**
 * Fills a new index from every item already in the table, inside the caller's transaction (a
 * restored table, which nobody else can see before it commits). UpdateTable's GSIs use the
 * chunked backfill of backfill.ts instead.
 */
export function backfillIndex(ctx: WriteContext, table: Table, index: Index): void {
  // better-sqlite3 cannot write while a statement iterates, so read in keyset-paged batches.
  const first = ctx.db.sqlite
    .prepare(`SELECT h, pk, sk, item FROM "${table.sqlName}" ORDER BY h, pk, sk LIMIT 500`)
    .raw();
  const next = ctx.db.sqlite
    .prepare(
      `SELECT h, pk, sk, item FROM "${table.sqlName}" WHERE (h, pk, sk) > (?, ?, ?) ORDER BY h, pk, sk LIMIT 500`,
    )
    .raw();
  let batch = first.all() as [number, Buffer, Buffer, string][];
  while (batch.length > 0) {
    for (const [h, pk, sk, json] of batch) {
      addToIndex(ctx.db, ctx.catalog, index, { hash: h, pk, sk }, JSON.parse(json) as Item);
    }
    const last = batch[batch.length - 1]!;
    batch = next.all(last[0], last[1], last[2]) as [number, Buffer, Buffer, string][];
  }
}
