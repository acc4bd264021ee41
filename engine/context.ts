// What every operation receives: the database, the catalog, the clock and the engine's settings.
import type { Statement } from 'better-sqlite3';
import { DynamoError, tableNotFound } from './errors.js';
import { Catalog } from './tables/catalog.js';
import type { Table } from './tables/table.js';
import type { WriteContext, WriteListener } from './tables/write.js';
import { Database } from './storage/database.js';

export interface EngineOptions {
  /** SQLite file of this local account, or ':memory:'. */
  readonly path: string;
  readonly region?: string;
  readonly accountId?: string;
  /** The clock, in epoch milliseconds (tests move it). */
  readonly now?: () => number;
  /**
   * Milliseconds tables and indexes spend CREATING/UPDATING/DELETING, as DynamoDB's do; 0 (the
   * default) makes every change take effect at once.
   */
  readonly transientStatusMs?: number;
  /** Address DescribeEndpoints reports (the server sets its own). */
  readonly endpointAddress?: string;
  /** The scan guard: refuse PartiQL statements that would scan a whole table or index. */
  readonly denyFullTableScan?: boolean;
}

export class EngineContext implements WriteContext {
  readonly db: Database;
  readonly catalog: Catalog;
  readonly writeListeners: WriteListener[] = [];
  readonly region: string;
  readonly accountId: string;
  readonly transientStatusMs: number;
  endpointAddress: string;
  denyFullTableScan: boolean;
  readonly now: () => number;
  /** Tables deleted with a transient status: gone once their deadline passes. */
  readonly deleting = new Map<string, { table: Table; until: number }>();
  /** Deadlines of tables/indexes that are still CREATING or UPDATING. */
  readonly pending = new Map<string, number>();
  private readonly statements = new Map<string, Statement>();

  constructor(options: EngineOptions) {
    this.db = new Database({ path: options.path });
    this.catalog = new Catalog(this.db);
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.now = options.now ?? Date.now;
    this.transientStatusMs = options.transientStatusMs ?? 0;
    this.endpointAddress = options.endpointAddress ?? 'localhost:8000';
    this.denyFullTableScan = options.denyFullTableScan ?? false;
    // Counters are updated in place during a write; a rolled-back transaction makes them unknown.
    this.db.rollbackListeners.push(() => {
      for (const t of this.catalog.list()) {
        t.counters = undefined;
        for (const i of t.indexes.values()) i.counters = undefined;
      }
    });
  }

  /** A prepared statement, cached by its SQL text (table names in SQL are never reused in a process). */
  prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.sqlite.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  tableArn(name: string): string {
    return `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${name}`;
  }

  /** The table a data-plane operation addresses; DynamoDB's ResourceNotFoundException when absent. */
  table(name: string): Table {
    const table = this.catalog.get(name);
    if (!table) throw tableNotFound();
    if (table.status !== 'ACTIVE') this.settle(table);
    if (table.status === 'CREATING') throw tableNotFound();
    return table;
  }

  /** Moves a table whose transient status has run its time to its next status. */
  settle(table: Table): void {
    const until = this.pending.get(table.name);
    if (until !== undefined && this.now() >= until) {
      this.pending.delete(table.name);
      this.db.transaction(() => {
        table.description = { ...table.description, TableStatus: 'ACTIVE' };
        const gsis = table.description.GlobalSecondaryIndexes;
        if (gsis) {
          table.description.GlobalSecondaryIndexes = gsis.map((g) => {
            const { Backfilling: _b, ...rest } = g;
            return { ...rest, IndexStatus: 'ACTIVE' };
          });
        }
        this.catalog.save(table);
      });
    }
  }

  close(): void {
    this.db.close();
  }
}

export function resourceInUse(message: string): DynamoError {
  return new DynamoError('ResourceInUseException', message);
}
