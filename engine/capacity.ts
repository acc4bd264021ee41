// Capacity arithmetic as DynamoDB does it: reads in 4 KB units (eventually consistent reads cost
// half), writes in 1 KB units, transactional operations double.
import type { Sdk, Wire } from './types.js';
import type { Table } from './tables/table.js';

export type ConsumedCapacity = Wire<Sdk.ConsumedCapacity>;
export type CapacityMode = 'INDEXES' | 'TOTAL' | 'NONE' | undefined;

/** Read units of `bytes` in 4 KB units, at least `minimum` (one read), halved when eventually consistent. */
export function readUnits(bytes: number, consistent: boolean, minimum = 1): number {
  const units = Math.max(minimum, Math.ceil(bytes / 4096));
  return consistent ? units : units / 2;
}

export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/**
 * Where every meter also reports what it records: the engine's usage monitor (engine/metrics), which
 * accounts capacity per table and index over time and charges the throttling buckets. The engine is
 * synchronous, so one module-level slot set by Engine.execute around each call is enough; outside a
 * call (EXPLAIN's estimates, tests of operations) it is undefined and meters only meter.
 */
export interface CapacitySink {
  read(table: Table, units: number, indexName: string | undefined): void;
  write(
    table: Table,
    units: number,
    indexWrites: ReadonlyMap<string, number> | undefined,
    multiplier: number,
  ): void;
}

let sink: CapacitySink | undefined;

/** Sets the sink meters report to (undefined: none) and returns the previous one. */
export function setCapacitySink(next: CapacitySink | undefined): CapacitySink | undefined {
  const previous = sink;
  sink = next;
  return previous;
}

/** What a meter has counted on one table (and its indexes). */
interface TableUnits {
  table: number;
  read: number;
  write: number;
  /** Made at the first index unit: most operations touch none. */
  indexes: Map<string, { units: number; gsi: boolean }> | undefined;
}

/** Accumulates one operation's capacity per table and index, and renders DynamoDB's shape. */
export class CapacityMeter {
  // Most operations meter one table: it is kept in fields, the others (batches, transactions) in a
  // Map made at the second table, so a GetItem or PutItem allocates no Map for its meter.
  private firstName: string | undefined;
  private first: TableUnits | undefined;
  private others: Map<string, TableUnits> | undefined;

  private entry(tableName: string): TableUnits {
    if (this.firstName === tableName) return this.first!;
    if (this.first === undefined) {
      this.firstName = tableName;
      return (this.first = { table: 0, read: 0, write: 0, indexes: undefined });
    }
    this.others ??= new Map();
    let e = this.others.get(tableName);
    if (!e) {
      e = { table: 0, read: 0, write: 0, indexes: undefined };
      this.others.set(tableName, e);
    }
    return e;
  }

  /** The tables metered, in the order they were first metered. */
  private names(): string[] {
    if (this.firstName === undefined) return [];
    return this.others ? [this.firstName, ...this.others.keys()] : [this.firstName];
  }

  private find(tableName: string): TableUnits | undefined {
    return this.firstName === tableName ? this.first : this.others?.get(tableName);
  }

  read(table: Table, units: number, indexName?: string): void {
    if (sink !== undefined) sink.read(table, units, indexName);
    const e = this.entry(table.name);
    e.read += units;
    if (indexName) this.addIndex(table, e, indexName, units);
    else e.table += units;
  }

  write(table: Table, units: number, indexWrites?: ReadonlyMap<string, number>, multiplier = 1): void {
    if (sink !== undefined) sink.write(table, units, indexWrites, multiplier);
    const e = this.entry(table.name);
    e.table += units * multiplier;
    e.write += units * multiplier;
    if (indexWrites) {
      for (const [name, u] of indexWrites) {
        e.write += u * multiplier;
        this.addIndex(table, e, name, u * multiplier);
      }
    }
  }

  private addIndex(table: Table, e: TableUnits, name: string, units: number): void {
    const gsi = table.indexes.get(name)?.kind !== 'LSI';
    const indexes = (e.indexes ??= new Map());
    const prev = indexes.get(name);
    indexes.set(name, { units: (prev?.units ?? 0) + units, gsi });
  }

  /** The ConsumedCapacity list for `mode` (BatchGetItem, BatchWriteItem, transactions). */
  list(mode: CapacityMode): ConsumedCapacity[] | undefined {
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
    return this.names().map((name) => this.render(name, mode)!);
  }

  /** The single ConsumedCapacity of a one-table operation. */
  one(tableName: string, mode: CapacityMode): ConsumedCapacity | undefined {
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
    this.entry(tableName);
    return this.render(tableName, mode);
  }

  private render(tableName: string, mode: 'TOTAL' | 'INDEXES'): ConsumedCapacity | undefined {
    const e = this.find(tableName);
    if (!e) return undefined;
    let total = e.table;
    if (e.indexes) for (const i of e.indexes.values()) total += i.units;
    const out: ConsumedCapacity = { TableName: tableName, CapacityUnits: total };
    if (e.read > 0) out.ReadCapacityUnits = e.read;
    if (e.write > 0) out.WriteCapacityUnits = e.write;
    if (mode === 'INDEXES') {
      out.Table = { CapacityUnits: e.table };
      for (const [name, i] of e.indexes ?? []) {
        const target = i.gsi ? (out.GlobalSecondaryIndexes ??= {}) : (out.LocalSecondaryIndexes ??= {});
        target[name] = { CapacityUnits: i.units };
      }
    }
    return out;
  }
}
