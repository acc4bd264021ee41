// Sortkey_20250101.DescribePartitions: the partition map of a table (or GSI) as the partition model
// keeps it (engine/partitions): each partition's hash range with a few sample keys, its size and
// heat, the splits so far, and how adaptive capacity isolates (or would isolate) the hottest key.
//   in:  { TableName, IndexName?, HeatSeconds? = 10 (1..60), SampleKeys? = 3 (0..10) }
//   out: DescribePartitionsOutput
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import {
  HEAT_WINDOW_SECONDS,
  ISOLATION_SHARE,
  PARTITION_READ_CEILING,
  PARTITION_WRITE_CEILING,
} from '../partitions/model.js';
import type { Partition } from '../partitions/model.js';
import { keyAttributes } from '../tables/schema.js';
import type { Item } from '../types.js';
import { asRecord } from './common.js';

export interface PartitionKeyHeat {
  readonly Key: Item;
  /** The key's share of its partition's recent units (reads, writes weighed as three reads). */
  readonly Share: number;
  /** Units per second, estimated from the key's recent (decaying) units. */
  readonly ReadUnitsPerSecond: number;
  readonly WriteUnitsPerSecond: number;
}

export interface PartitionDescription {
  /** Hash range [HashRangeStart, HashRangeEnd), as 8 hex digits (HashRangeEnd may be 100000000). */
  readonly HashRangeStart: string;
  readonly HashRangeEnd: string;
  /** Share of the hash space, 0..1. */
  readonly HashSpaceShare: number;
  readonly ItemCount: number;
  readonly SizeBytes: number;
  /** Units per second over the last HeatSeconds. */
  readonly ConsumedReadCapacityUnits: number;
  readonly ConsumedWriteCapacityUnits: number;
  /** The larger of read and write use as a share of the partition's ceilings. */
  readonly Utilization: number;
  /** Epoch seconds; why the partition exists (INITIAL, THROUGHPUT, SIZE, HEAT, ISOLATION). */
  readonly CreatedAt: number;
  readonly CreatedBy: string;
  /** A partition of one hash: the key on it is isolated. */
  readonly Isolated: boolean;
  readonly SampleKeys: Item[];
  readonly HotKeys: PartitionKeyHeat[];
}

export interface PartitionSplitDescription {
  readonly Time: number;
  readonly Reason: string;
  readonly HashRangeStart: string;
  readonly HashRangeEnd: string;
  /** Where the new partitions start. */
  readonly Into: string[];
  readonly Key?: Item;
}

export interface AdaptiveCapacityDescription {
  /** The hottest key of the table (or index) and the partition it is on (its position). */
  readonly Key: Item;
  readonly Partition: number;
  readonly Share: number;
  /** Whether the key already has a partition of its own. */
  readonly Isolated: boolean;
  /** The ranges its partition would split into to isolate it (absent once isolated). */
  readonly WouldSplitInto?: { HashRangeStart: string; HashRangeEnd: string }[];
  readonly Explanation: string;
}

export interface DescribePartitionsOutput {
  readonly TableName: string;
  readonly IndexName?: string;
  readonly PartitionSizeLimitBytes: number;
  readonly PartitionReadCeiling: number;
  readonly PartitionWriteCeiling: number;
  readonly HeatSeconds: number;
  readonly ItemCount: number;
  readonly SizeBytes: number;
  /** Sizes are being recounted (another process wrote, or the file is older): shown as last known. */
  readonly SizesPending: boolean;
  readonly Partitions: PartitionDescription[];
  readonly Splits: PartitionSplitDescription[];
  readonly AdaptiveCapacity?: AdaptiveCapacityDescription;
}

export function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function weight(k: { read: number; write: number }): number {
  return k.read + 3 * k.write;
}

export function describePartitions(ctx: EngineContext, input: unknown): DescribePartitionsOutput {
  const raw = asRecord(input);
  if (typeof raw.TableName !== 'string' || raw.TableName === '') throw validation('TableName is required');
  if (raw.IndexName !== undefined && typeof raw.IndexName !== 'string')
    throw validation('IndexName must be a string');
  const heatSeconds = raw.HeatSeconds ?? 10;
  if (
    typeof heatSeconds !== 'number' ||
    !Number.isInteger(heatSeconds) ||
    heatSeconds < 1 ||
    heatSeconds > HEAT_WINDOW_SECONDS
  ) {
    throw validation(`HeatSeconds must be a whole number from 1 to ${HEAT_WINDOW_SECONDS}`);
  }
  const samples = raw.SampleKeys ?? 3;
  if (typeof samples !== 'number' || !Number.isInteger(samples) || samples < 0 || samples > 10)
    throw validation('SampleKeys must be a whole number from 0 to 10');
  const table = ctx.catalog.get(raw.TableName);
  if (!table) {
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${raw.TableName} not found`,
    );
  }
  const indexName = raw.IndexName as string | undefined;
  const index = indexName !== undefined ? table.indexes.get(indexName) : undefined;
  if (indexName !== undefined && index === undefined) {
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: Index: ${indexName} not found`,
    );
  }
  if (index !== undefined && index.kind === 'LSI') {
    throw validation(
      `Index ${indexName} is a local secondary index: its items live on the table's partitions`,
    );
  }
  const tracked = ctx.partitions.tracked(table, index);
  // Another process's writes show as a difference from the table's statistics: recounted.
  ctx.partitions.checkSizes(tracked);
  const map = tracked.map;
  const nowSec = Math.floor(ctx.now() / 1000);
  const stored = index ?? table;
  const partitionAttrs = keyAttributes(stored.key).filter((a) => stored.key.partition.includes(a));
  const sampleStmt =
    samples > 0
      ? ctx.db.sqlite
          .prepare(`SELECT item FROM "${stored.sqlName}" WHERE h >= ? AND h < ? ORDER BY h LIMIT ?`)
          .pluck()
      : undefined;
  const sampleKeys = (p: Partition): Item[] => {
    if (!sampleStmt) return [];
    const out: Item[] = [];
    const seen = new Set<string>();
    // A few rows more than asked: rows of one partition key sit together.
    for (const text of sampleStmt.all(p.start, p.end, samples * 4) as string[]) {
      const item = JSON.parse(text) as Item;
      const key: Item = {};
      for (const a of partitionAttrs) if (item[a.name] !== undefined) key[a.name] = item[a.name]!;
      const id = JSON.stringify(key);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(key);
      if (out.length >= samples) break;
    }
    return out;
  };

  let hottest: { key: Item; hash: number; partition: number; share: number; w: number } | undefined;
  const partitions = map.partitions.map((p, i): PartitionDescription => {
    p.decayKeys(nowSec);
    let total = 0;
    for (const k of p.keys) total += weight(k);
    const hot = [...p.keys].sort((a, b) => weight(b) - weight(a)).slice(0, 3);
    for (const k of hot) {
      if (hottest === undefined || weight(k) > hottest.w) {
        hottest = {
          key: k.key,
          hash: k.hash,
          partition: i,
          share: total > 0 ? weight(k) / total : 0,
          w: weight(k),
        };
      }
    }
    const read = p.heatOver('read', nowSec, heatSeconds);
    const write = p.heatOver('write', nowSec, heatSeconds);
    return {
      HashRangeStart: hex(p.start),
      HashRangeEnd: hex(p.end),
      HashSpaceShare: p.width / 0x1_0000_0000,
      ItemCount: Math.round(p.items),
      SizeBytes: Math.round(p.bytes),
      ConsumedReadCapacityUnits: read,
      ConsumedWriteCapacityUnits: write,
      Utilization: Math.max(read / PARTITION_READ_CEILING, write / PARTITION_WRITE_CEILING),
      CreatedAt: p.createdAt,
      CreatedBy: p.reason,
      Isolated: p.width === 1,
      SampleKeys: sampleKeys(p),
      // A key's decaying units (halved every second) add up to about twice its rate per second.
      HotKeys: hot.map((k) => ({
        Key: k.key,
        Share: total > 0 ? weight(k) / total : 0,
        ReadUnitsPerSecond: k.read / 2,
        WriteUnitsPerSecond: k.write / 2,
      })),
    };
  });
  const totals = map.totals();
  const out: DescribePartitionsOutput = {
    TableName: table.name,
    ...(indexName !== undefined ? { IndexName: indexName } : {}),
    PartitionSizeLimitBytes: ctx.partitions.settings.sizeLimitBytes,
    PartitionReadCeiling: PARTITION_READ_CEILING,
    PartitionWriteCeiling: PARTITION_WRITE_CEILING,
    HeatSeconds: heatSeconds,
    ItemCount: Math.round(totals.items),
    SizeBytes: Math.round(totals.bytes),
    SizesPending: tracked.survey !== undefined,
    Partitions: partitions,
    Splits: map.splits.map((s) => ({
      Time: s.at,
      Reason: s.reason,
      HashRangeStart: hex(s.start),
      HashRangeEnd: hex(s.end),
      Into: s.into.map(hex),
      ...(s.key ? { Key: s.key } : {}),
    })),
  };
  if (hottest === undefined) return out;
  const h = hottest as { key: Item; hash: number; partition: number; share: number };
  const p = map.partitions[h.partition]!;
  const isolated = p.width === 1;
  const into: { HashRangeStart: string; HashRangeEnd: string }[] = [];
  if (!isolated) {
    const cuts = [p.start];
    if (h.hash > p.start) cuts.push(h.hash);
    if (h.hash + 1 < p.end) cuts.push(h.hash + 1);
    cuts.forEach((c, j) =>
      into.push({ HashRangeStart: hex(c), HashRangeEnd: hex(j + 1 < cuts.length ? cuts[j + 1]! : p.end) }),
    );
  }
  const pct = Math.round(h.share * 100);
  return {
    ...out,
    AdaptiveCapacity: {
      Key: h.key,
      Partition: h.partition,
      Share: h.share,
      Isolated: isolated,
      ...(isolated ? {} : { WouldSplitInto: into }),
      Explanation: isolated
        ? `The key has a partition of its own: it may use the whole partition's ${PARTITION_READ_CEILING} RCU / ${PARTITION_WRITE_CEILING} WCU per second, and never more.`
        : `The key carries ${pct}% of its partition's recent traffic. If the partition stays near its ceiling for ${ctx.partitions.settings.heatSeconds} seconds, adaptive capacity ${
            h.share >= ISOLATION_SHARE
              ? `isolates the key on a partition of its own (hash ${hex(h.hash)})`
              : 'splits the partition between its busiest keys'
          }; a single key never gets more than ${PARTITION_READ_CEILING} RCU / ${PARTITION_WRITE_CEILING} WCU per second.`,
    },
  };
}
