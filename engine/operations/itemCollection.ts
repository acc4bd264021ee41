// Item collections: on a table with local secondary indexes, all items sharing a partition key and
// their LSI rows. DynamoDB reports their size estimate and caps them at 10 GB.
import { DynamoError } from '../errors.js';
import type { Database } from '../storage/database.js';
import { encodePartition, pickKey } from '../tables/schema.js';
import type { Table } from '../tables/table.js';
import type { Item, Sdk, Wire } from '../types.js';

/** What measuring item collections needs of the engine: its database (EngineContext provides it). */
export interface ItemCollectionHost {
  readonly db: Database;
}

export const MAX_ITEM_COLLECTION_BYTES = 10 * 1024 ** 3;
const GB = 1024 ** 3;

function hasLsi(table: Table): boolean {
  for (const index of table.indexes.values()) if (index.kind === 'LSI') return true;
  return false;
}

/** Bytes of the item collection of `item`'s partition key: base items plus their LSI rows. */
export function itemCollectionBytes(ctx: ItemCollectionHost, table: Table, item: Item): number {
  const { hash, pk } = encodePartition(table.key, item);
  let total = (
    ctx.db.sqlite
      .prepare(`SELECT coalesce(sum(size), 0) AS s FROM "${table.sqlName}" WHERE h = ? AND pk = ?`)
      .get(hash, pk) as {
      s: number;
    }
  ).s;
  for (const index of table.indexes.values()) {
    if (index.kind !== 'LSI') continue;
    total += (
      ctx.db.sqlite
        .prepare(`SELECT coalesce(sum(size), 0) AS s FROM "${index.sqlName}" WHERE h = ? AND pk = ?`)
        .get(hash, pk) as {
        s: number;
      }
    ).s;
  }
  return total;
}

/** ItemCollectionMetrics for a write to a table with LSIs (undefined for tables without them). */
export function itemCollectionMetrics(
  ctx: ItemCollectionHost,
  table: Table,
  item: Item,
): Wire<Sdk.ItemCollectionMetrics> | undefined {
  if (!hasLsi(table)) return undefined;
  const gb = itemCollectionBytes(ctx, table, item) / GB;
  const partitionKey = pickKey({ partition: table.key.partition, sort: [] }, item);
  return { ItemCollectionKey: partitionKey, SizeEstimateRangeGB: [Math.floor(gb), Math.floor(gb) + 1] };
}

/** Refuses a write that would grow an item collection past DynamoDB's 10 GB limit. */
export function checkItemCollectionSize(
  ctx: ItemCollectionHost,
  table: Table,
  item: Item,
  growth: number,
): void {
  if (!hasLsi(table) || growth <= 0) return;
  if (itemCollectionBytes(ctx, table, item) + growth > MAX_ITEM_COLLECTION_BYTES) {
    throw new DynamoError('ItemCollectionSizeLimitExceededException', 'Collection size exceeded.');
  }
}

/** ItemCollectionMetrics of a multi-item write, grouped by table (tables with LSIs only). */
export function itemCollectionMetricsByTable(
  ctx: ItemCollectionHost,
  writes: readonly { table: Table; keyValues: Item }[],
): Record<string, Wire<Sdk.ItemCollectionMetrics>[]> {
  const metrics: Record<string, Wire<Sdk.ItemCollectionMetrics>[]> = {};
  for (const w of writes) {
    const m = itemCollectionMetrics(ctx, w.table, w.keyValues);
    if (m) (metrics[w.table.name] ??= []).push(m);
  }
  return metrics;
}
