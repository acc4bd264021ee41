// Simulated throughput limits: token buckets per table and per global secondary index (provisioned
// capacity with DynamoDB's burst capacity), and per partition and per partition key (the
// per-partition ceilings, on the partitions of engine/partitions).
//
// A bucket fills at the provisioned rate (units per second) and holds at most 300 seconds of it: the
// unused capacity DynamoDB keeps for bursts. A request is admitted while the bucket is positive and
// its actual consumption is deducted after it ran, so a large request may leave the bucket in debt;
// the next request is throttled until the refill brings the bucket above zero again. Throughput is
// read from the table's description at every admission, so UpdateTable takes effect immediately.
import type { Table } from '../tables/table.js';
import type { CapacityKind, ThrottleCause } from './errors.js';
import { provisionedThroughput } from './throughput.js';
import type { Throughput } from './throughput.js';

export { provisionedThroughput };
export type { Throughput };

export type ThrottleMode = 'off' | 'provisioned' | 'strict';
export const THROTTLE_MODES: readonly ThrottleMode[] = ['off', 'provisioned', 'strict'];

/** Seconds of unused provisioned capacity a table keeps for bursts. */
export const BURST_SECONDS = 300;
/** DynamoDB's per-partition ceilings, in units per second (strict mode). */
export const PARTITION_READ_UNITS = 3000;
export const PARTITION_WRITE_UNITS = 1000;
/** Partition buckets kept before idle (full) ones are dropped. */
const MAX_PARTITION_BUCKETS = 10_000;

export class TokenBucket {
  /** Sequence number of the last operation admitted: an operation is admitted once per bucket. */
  admittedOp = -1;

  constructor(
    public tokens: number,
    public updatedAt: number,
    /** Units per second since `updatedAt`. */
    public rate: number,
  ) {}

  /**
   * Adds what the rate produced since the last refill, up to `burstSeconds` worth of `rate`, the
   * rate from now on (a throughput change counts from the refill that sees it).
   */
  refill(now: number, rate: number, burstSeconds: number): number {
    if (now > this.updatedAt) {
      this.tokens += (this.rate * (now - this.updatedAt)) / 1000;
      this.updatedAt = now;
    }
    this.rate = rate;
    const cap = rate * burstSeconds;
    if (this.tokens > cap) this.tokens = cap;
    return this.tokens;
  }
}

interface Buckets {
  readonly tableId: string | undefined;
  /** The table and GSI whose throughput the buckets follow (undefined: a partition's). */
  readonly table: Table | undefined;
  readonly gsi: string | undefined;
  readonly read: TokenBucket;
  readonly write: TokenBucket;
}

/** One bucket's state, for DescribeThrottling and the studio. */
export interface BucketState {
  readonly TableName: string;
  readonly IndexName?: string;
  readonly ProvisionedReadCapacityUnits: number;
  readonly ProvisionedWriteCapacityUnits: number;
  /** Units available now (negative: in debt after a large request). */
  readonly ReadTokens: number;
  readonly WriteTokens: number;
  /** The most a bucket holds: 300 seconds of the provisioned rate. */
  readonly ReadBurstCapacity: number;
  readonly WriteBurstCapacity: number;
}

export class Throttler {
  mode: ThrottleMode;
  private readonly resources = new Map<string, Buckets>();
  private readonly partitions = new Map<string, Buckets>();

  constructor(mode: ThrottleMode = 'off') {
    this.mode = mode;
  }

  get active(): boolean {
    return this.mode !== 'off';
  }

  /** The buckets of a table or GSI, created with the capacity saved since the table was created. */
  private buckets(table: Table, gsiName: string | undefined, tp: Throughput, now: number): Buckets {
    const key = gsiName === undefined ? table.name : `${table.name}\u0000${gsiName}`;
    const tableId = table.description.TableId;
    let b = this.resources.get(key);
    if (b === undefined || b.tableId !== tableId) {
      const createdMs = (table.description.CreationDateTime ?? now / 1000) * 1000;
      const saved = Math.min(BURST_SECONDS, Math.max(1, (now - createdMs) / 1000));
      b = {
        tableId,
        table,
        gsi: gsiName,
        read: new TokenBucket(tp.read * saved, now, tp.read),
        write: new TokenBucket(tp.write * saved, now, tp.write),
      };
      this.resources.set(key, b);
    }
    return b;
  }

  /**
   * Admits operation `op` to a provisioned table's (or GSI's) `kind` bucket: refused (the cause
   * returned) when the bucket is not positive. An operation is admitted once per bucket; what it
   * then consumes is deducted by `deduct`, however deep that takes the bucket: a request admitted
   * runs to its end.
   */
  admit(
    table: Table,
    gsiName: string | undefined,
    kind: CapacityKind,
    op: number,
    now: number,
  ): ThrottleCause | undefined {
    if (this.mode === 'off') return undefined;
    const tp = provisionedThroughput(table, gsiName);
    if (tp === undefined) return undefined;
    const buckets = this.buckets(table, gsiName, tp, now);
    const bucket = kind === 'read' ? buckets.read : buckets.write;
    if (bucket.admittedOp === op) return undefined;
    if (bucket.refill(now, kind === 'read' ? tp.read : tp.write, BURST_SECONDS) <= 0) {
      return {
        limit: 'provisioned',
        kind,
        tableName: table.name,
        indexName: gsiName,
        resource: gsiName === undefined ? table.arn : `${table.arn}/index/${gsiName}`,
        provisioned: true,
      };
    }
    bucket.admittedOp = op;
    return undefined;
  }

  /** Deducts consumed units from a provisioned table's (or GSI's) bucket. */
  deduct(table: Table, gsiName: string | undefined, kind: CapacityKind, units: number, now: number): void {
    if (this.mode === 'off') return;
    const tp = provisionedThroughput(table, gsiName);
    if (tp === undefined) return;
    const buckets = this.buckets(table, gsiName, tp, now);
    const bucket = kind === 'read' ? buckets.read : buckets.write;
    bucket.refill(now, kind === 'read' ? tp.read : tp.write, BURST_SECONDS);
    bucket.tokens -= units;
  }

  private partition(table: Table, indexName: string | undefined, bucketId: string, now: number): Buckets {
    const key = `${table.name}\u0000${indexName ?? ''}\u0000${bucketId}`;
    let b = this.partitions.get(key);
    if (b === undefined) {
      if (this.partitions.size >= MAX_PARTITION_BUCKETS) this.prunePartitions(now);
      b = {
        tableId: undefined,
        table: undefined,
        gsi: undefined,
        read: new TokenBucket(PARTITION_READ_UNITS, now, PARTITION_READ_UNITS),
        write: new TokenBucket(PARTITION_WRITE_UNITS, now, PARTITION_WRITE_UNITS),
      };
      this.partitions.set(key, b);
    }
    return b;
  }

  /**
   * The per-partition ceilings (strict mode only): 3,000 read and 1,000 write units per second for
   * the partition a key is on (`partitionId`: its hash range in the partition model,
   * engine/partitions), shared by every key on it, and the same ceiling for the key itself, which
   * never gets more even on a partition of its own. No burst. Same admission rule as `admit`.
   */
  admitPartition(
    table: Table,
    indexName: string | undefined,
    keyId: string,
    partitionId: string,
    kind: CapacityKind,
    op: number,
    now: number,
  ): ThrottleCause | undefined {
    if (this.mode !== 'strict') return undefined;
    const rate = kind === 'read' ? PARTITION_READ_UNITS : PARTITION_WRITE_UNITS;
    for (const id of [`k${keyId}`, `p${partitionId}`]) {
      const b = this.partition(table, indexName, id, now);
      const bucket = kind === 'read' ? b.read : b.write;
      if (bucket.admittedOp === op) continue;
      if (bucket.refill(now, rate, 1) <= 0) {
        return {
          limit: 'partition',
          kind,
          tableName: table.name,
          indexName,
          resource: indexName === undefined ? table.arn : `${table.arn}/index/${indexName}`,
          provisioned: provisionedThroughput(table) !== undefined,
        };
      }
    }
    for (const id of [`k${keyId}`, `p${partitionId}`]) {
      const b = this.partition(table, indexName, id, now);
      (kind === 'read' ? b.read : b.write).admittedOp = op;
    }
    return undefined;
  }

  deductPartition(
    table: Table,
    indexName: string | undefined,
    keyId: string,
    partitionId: string,
    kind: CapacityKind,
    units: number,
    now: number,
  ): void {
    if (this.mode !== 'strict') return;
    const rate = kind === 'read' ? PARTITION_READ_UNITS : PARTITION_WRITE_UNITS;
    for (const id of [`k${keyId}`, `p${partitionId}`]) {
      const b = this.partition(table, indexName, id, now);
      const bucket = kind === 'read' ? b.read : b.write;
      bucket.refill(now, rate, 1);
      bucket.tokens -= units;
    }
  }

  /** Drops partition buckets that have refilled completely (they hold no state worth keeping). */
  private prunePartitions(now: number): void {
    for (const [key, b] of this.partitions) {
      if (
        b.read.refill(now, PARTITION_READ_UNITS, 1) >= PARTITION_READ_UNITS &&
        b.write.refill(now, PARTITION_WRITE_UNITS, 1) >= PARTITION_WRITE_UNITS
      ) {
        this.partitions.delete(key);
      }
    }
    if (this.partitions.size >= MAX_PARTITION_BUCKETS) this.partitions.clear();
  }

  /**
   * Brings every table and GSI bucket up to `now` at the rate it had, then takes the throughput in
   * effect now: called right after a control-plane change, so a new throughput counts from the
   * change on.
   */
  settle(now: number): void {
    for (const b of this.resources.values()) {
      b.read.refill(now, b.read.rate, BURST_SECONDS);
      b.write.refill(now, b.write.rate, BURST_SECONDS);
      const tp = b.table ? provisionedThroughput(b.table, b.gsi) : undefined;
      if (tp) {
        b.read.rate = tp.read;
        b.write.rate = tp.write;
      }
    }
  }

  /** Forgets every bucket: they start again from the capacity saved since each table's creation. */
  reset(): void {
    this.resources.clear();
    this.partitions.clear();
  }

  /** The buckets of the provisioned tables and GSIs among `tables`, refilled to `now`. */
  describe(tables: readonly Table[], now: number): BucketState[] {
    const out: BucketState[] = [];
    const one = (table: Table, gsiName: string | undefined) => {
      const tp = provisionedThroughput(table, gsiName);
      if (!tp) return;
      const b = this.buckets(table, gsiName, tp, now);
      out.push({
        TableName: table.name,
        ...(gsiName !== undefined ? { IndexName: gsiName } : {}),
        ProvisionedReadCapacityUnits: tp.read,
        ProvisionedWriteCapacityUnits: tp.write,
        ReadTokens: b.read.refill(now, tp.read, BURST_SECONDS),
        WriteTokens: b.write.refill(now, tp.write, BURST_SECONDS),
        ReadBurstCapacity: tp.read * BURST_SECONDS,
        WriteBurstCapacity: tp.write * BURST_SECONDS,
      });
    };
    for (const table of tables) {
      one(table, undefined);
      for (const g of table.description.GlobalSecondaryIndexes ?? []) one(table, g.IndexName);
    }
    return out;
  }
}
