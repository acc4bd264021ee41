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
