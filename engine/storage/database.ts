// One SQLite file is one local DynamoDB "account". This module opens it, applies schema migrations
// and runs each DynamoDB operation in exactly one SQLite transaction.
import BetterSqlite3 from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Schema migrations, applied in order; PRAGMA user_version records how many have run. A database
 * written by one version opens in the next: append here, never edit an entry that has shipped.
 */
const MIGRATIONS: readonly string[] = [
  // 1: the catalog of tables. `description` is the stored part of DynamoDB's TableDescription.
  `CREATE TABLE sk_tables (
     name TEXT PRIMARY KEY,
     id INTEGER NOT NULL UNIQUE,
     description TEXT NOT NULL,
     tags TEXT NOT NULL DEFAULT '[]'
   );
   CREATE TABLE sk_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // 2: idempotency tokens of TransactWriteItems / ExecuteTransaction (kept 10 minutes).
  `CREATE TABLE sk_client_tokens (
     token TEXT PRIMARY KEY,
     request_hash TEXT NOT NULL,
     response TEXT NOT NULL,
     created_at REAL NOT NULL
   );`,
  // 3: streams, TTL, on-demand backups, point-in-time recovery and exports (engine/streams,
  // engine/ttl, engine/backups). Tables are referred to by their TableId (a UUID), never by name or
  // SQLite id, both of which a later table can reuse.
  `CREATE TABLE sk_streams (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     arn TEXT NOT NULL UNIQUE,
     table_name TEXT NOT NULL,
     table_uuid TEXT NOT NULL,
     label TEXT NOT NULL,
     view_type TEXT NOT NULL,
     key_schema TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     shard_id TEXT NOT NULL,
     start_seq INTEGER NOT NULL,
     disabled_at INTEGER,
     end_seq INTEGER,
     trimmed_through INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE sk_stream_records (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     stream_id INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX sk_stream_records_by_stream ON sk_stream_records (stream_id, seq);
   CREATE TABLE sk_ttl (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     table_uuid TEXT NOT NULL UNIQUE,
     table_name TEXT NOT NULL,
     attribute TEXT,
     enabled INTEGER NOT NULL,
     changed_at INTEGER
   );
   CREATE TABLE sk_ttl_expiry (
     ttl_id INTEGER NOT NULL,
     expires_at REAL NOT NULL,
     h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,
     PRIMARY KEY (ttl_id, h, pk, sk)
   ) WITHOUT ROWID;
   CREATE INDEX sk_ttl_expiry_due ON sk_ttl_expiry (ttl_id, expires_at);
   CREATE TABLE sk_pitr (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     table_uuid TEXT NOT NULL UNIQUE,
     table_name TEXT NOT NULL,
     enabled_at INTEGER NOT NULL,
     recovery_days INTEGER NOT NULL,
     base_at INTEGER NOT NULL,
     description TEXT NOT NULL
   );
   CREATE TABLE sk_pitr_log (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     pitr_id INTEGER NOT NULL,
     at INTEGER NOT NULL,
     h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,
     item TEXT,
     size INTEGER NOT NULL
   );
   CREATE INDEX sk_pitr_log_by_time ON sk_pitr_log (pitr_id, at);
   CREATE TABLE sk_backups (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     arn TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     type TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     available_at INTEGER NOT NULL,
     expires_at INTEGER,
     table_name TEXT NOT NULL,
     table_uuid TEXT NOT NULL,
     table_arn TEXT NOT NULL,
     source TEXT NOT NULL,
     size_bytes INTEGER NOT NULL,
     item_count INTEGER NOT NULL
   );
   CREATE TABLE sk_exports (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     arn TEXT NOT NULL UNIQUE,
     table_arn TEXT NOT NULL,
     client_token TEXT,
     request_hash TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     description TEXT NOT NULL
   );`,
  // 4: minute aggregates of the capacity, throttling and latency metrics, kept a day (engine/metrics).
  `CREATE TABLE sk_metrics (
     table_name TEXT NOT NULL,
     index_name TEXT NOT NULL,
     dimension TEXT NOT NULL,
     metric TEXT NOT NULL,
     minute INTEGER NOT NULL,
     sum REAL NOT NULL,
     count REAL NOT NULL,
     max REAL NOT NULL,
     min REAL NOT NULL,
     hist BLOB,
     PRIMARY KEY (table_name, index_name, dimension, metric, minute)
   ) WITHOUT ROWID;
   CREATE INDEX sk_metrics_by_minute ON sk_metrics (minute, metric);`,
  // 5: ItemCount and TableSizeBytes of every table (index_name '') and index, kept current by each
  // item write in its transaction (engine/tables/catalog.ts), so DescribeTable never counts rows.
  // Tables of older files are measured once when a newer version first opens them.
  `CREATE TABLE sk_table_stats (
     table_id INTEGER NOT NULL,
     index_name TEXT NOT NULL,
     item_count INTEGER NOT NULL,
     size_bytes INTEGER NOT NULL,
     PRIMARY KEY (table_id, index_name)
   ) WITHOUT ROWID;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export interface DatabaseOptions {
  /** A file path, or ':memory:' for a scratch database. */
  readonly path: string;
}

export class Database {
  readonly sqlite: SqliteDatabase;
  readonly path: string;
  private depth = 0;
  /** Called after a transaction rolled back, so caches of derived state can be dropped. */
  readonly rollbackListeners: (() => void)[] = [];
  private readonly begin: { run(): unknown };
  private readonly beginRead: { run(): unknown };
  private readonly commit: { run(): unknown };
  private readonly rollback: { run(): unknown };

  constructor(options: DatabaseOptions) {
    this.path = options.path;
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.sqlite = new BetterSqlite3(options.path);
    this.sqlite.pragma('journal_mode = WAL');
    // NORMAL in WAL mode loses no committed transaction on a process crash, only on power loss.
    this.sqlite.pragma('synchronous = NORMAL');
    this.sqlite.pragma('foreign_keys = OFF');
    this.sqlite.pragma('busy_timeout = 5000');
    this.migrate();
    this.begin = this.sqlite.prepare('BEGIN IMMEDIATE');
    this.beginRead = this.sqlite.prepare('BEGIN DEFERRED');
    this.commit = this.sqlite.prepare('COMMIT');
    this.rollback = this.sqlite.prepare('ROLLBACK');
  }

  private migrate(): void {
    const current = this.sqlite.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `This database was written by a newer Sortkey (schema ${current}; this version knows ${SCHEMA_VERSION}).`,
      );
    }
    for (let v = current; v < SCHEMA_VERSION; v++) {
      this.sqlite.transaction(() => {
        this.sqlite.exec(MIGRATIONS[v]!);
        this.sqlite.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  /**
   * Runs `fn` inside one IMMEDIATE transaction (or inside the enclosing one when nested), so that
   * everything an operation writes commits together or not at all.
   */
  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.begin.run();
    this.depth++;
    try {
      const result = fn();
      this.commit.run();
      return result;
    } catch (e) {
      if (this.sqlite.inTransaction) this.rollback.run();
      for (const listener of this.rollbackListeners) listener();
      throw e;
    } finally {
      this.depth--;
    }
  }

  /** A read-only snapshot: every read inside sees the same committed state. */
  snapshot<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.beginRead.run();
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      if (this.sqlite.inTransaction) this.commit.run();
    }
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  close(): void {
    if (this.sqlite.open) this.sqlite.close();
  }
}
