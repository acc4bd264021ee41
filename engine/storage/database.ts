// One SQLite file holds a local DynamoDB's tables, every region's (and, with --accounts-by-key,
// every account's: see migration 7). This module opens it, applies schema migrations
// and runs each DynamoDB operation in exactly one SQLite transaction.
import BetterSqlite3 from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { rehashPartitions } from './rehash.js';
import { separateRegions } from './regions.js';
import { sortStoredSets } from './sort-sets.js';
import { TurnSharing } from './turn-sharing.js';

/**
 * A migration: SQL, a function that changes the schema (run on every file), or a function that only
 * converts rows an older version wrote (`{ convertsRows }`: a new file has none, so it is skipped).
 */
type Migration =
  string | ((sqlite: SqliteDatabase) => void) | { readonly convertsRows: (sqlite: SqliteDatabase) => void };

/**
 * Schema migrations, applied in order; PRAGMA user_version records how many have run. A database
 * written by one version opens in the next: append here, never edit an entry that has shipped.
 */
const MIGRATIONS: readonly Migration[] = [
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
  // 5: the scan hash gained a finaliser (keys/encoding.ts, partitionHash): recompute every `h`.
  { convertsRows: rehashPartitions },
  // 6: ItemCount and TableSizeBytes of every table (index_name '') and index, kept current by each
  // item write in its transaction (engine/tables/catalog.ts), so DescribeTable never counts rows.
  // Tables of older files are measured once when a newer version first opens them.
  `CREATE TABLE sk_table_stats (
     table_id INTEGER NOT NULL,
     index_name TEXT NOT NULL,
     item_count INTEGER NOT NULL,
     size_bytes INTEGER NOT NULL,
     PRIMARY KEY (table_id, index_name)
   ) WITHOUT ROWID;`,
  // 7: each (account, region) is its own namespace of tables: the catalog's key becomes
  // (account, region, name). Existing tables keep the region and account their TableArn names.
  separateRegions,
  // 8: sets are sorted at write (values/set-order.ts); sort those older versions stored as sent.
  { convertsRows: sortStoredSets },
  // 9: resource-based policies of tables and streams (PutResourcePolicy). `table_uuid` ties a policy
  // to the table it was put on: a later table of the same name does not inherit it.
  `CREATE TABLE IF NOT EXISTS sk_resource_policies (
     arn TEXT PRIMARY KEY,
     table_uuid TEXT NOT NULL,
     policy TEXT NOT NULL,
     revision TEXT NOT NULL
   ) WITHOUT ROWID;`,
  // 10: global tables (engine/replication): the queue of replicated writes not yet applied, written in
  // the transaction of the write it carries (so a crash loses none), and each replicated item's
  // last-write timestamp and region, which decide conflicts (last writer wins).
  `CREATE TABLE IF NOT EXISTS sk_replication (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     account TEXT NOT NULL,
     source TEXT NOT NULL,
     target TEXT NOT NULL,
     table_name TEXT NOT NULL,
     h INTEGER NOT NULL,
     pk BLOB NOT NULL,
     sk BLOB NOT NULL,
     item TEXT,
     ts INTEGER NOT NULL,
     written_at INTEGER NOT NULL,
     due_at INTEGER NOT NULL
   );
   CREATE TABLE IF NOT EXISTS sk_item_clock (
     table_id INTEGER NOT NULL,
     h INTEGER NOT NULL,
     pk BLOB NOT NULL,
     sk BLOB NOT NULL,
     ts INTEGER NOT NULL,
     region TEXT NOT NULL,
     PRIMARY KEY (table_id, h, pk, sk)
   ) WITHOUT ROWID;`,
  // 11: auto scaling policies and their activities, alarms and their state changes
  // (engine/automation), per account and region as Application Auto Scaling and CloudWatch keep them.
  // IF NOT EXISTS: a file whose user_version was set back (tests of older versions) runs it again.
  `CREATE TABLE IF NOT EXISTS sk_scaling_policies (
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     table_name TEXT NOT NULL,
     index_name TEXT NOT NULL,
     dimension TEXT NOT NULL,
     policy TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     evaluation TEXT,
     evaluated_at INTEGER,
     PRIMARY KEY (account, region, table_name, index_name, dimension)
   ) WITHOUT ROWID;
   CREATE TABLE IF NOT EXISTS sk_scaling_activities (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     table_name TEXT NOT NULL,
     index_name TEXT NOT NULL,
     dimension TEXT NOT NULL,
     at INTEGER NOT NULL,
     from_capacity INTEGER NOT NULL,
     to_capacity INTEGER NOT NULL,
     status TEXT NOT NULL,
     cause TEXT NOT NULL,
     message TEXT
   );
   CREATE INDEX IF NOT EXISTS sk_scaling_activities_by_resource
     ON sk_scaling_activities (account, region, table_name, index_name, at);
   CREATE TABLE IF NOT EXISTS sk_alarms (
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     name TEXT NOT NULL,
     definition TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     state TEXT NOT NULL,
     reason TEXT NOT NULL,
     state_at INTEGER NOT NULL,
     PRIMARY KEY (account, region, name)
   ) WITHOUT ROWID;
   CREATE TABLE IF NOT EXISTS sk_alarm_history (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     name TEXT NOT NULL,
     at INTEGER NOT NULL,
     old_state TEXT NOT NULL,
     new_state TEXT NOT NULL,
     reason TEXT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS sk_alarm_history_by_alarm ON sk_alarm_history (account, region, name, id);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * How long a connection that must wait for another process's write lock sleeps inside SQLite
 * before it gives up, when it is told to wait (`waitForLocks`, the default): the old behaviour of
 * synchronous callers (the shell, imports, tests). The server waits without blocking instead
 * (`Engine.executeWaiting`), with `waitForLocks` off and a busy timeout of a few milliseconds.
 */
const BLOCKING_BUSY_TIMEOUT_MS = 5_000;

/** Consecutive held turns of a single read after which reads stop holding (holdReadsForTurn). */
const TURNS_OF_ONE_TO_STOP = 8;
/** Reads run on their own between two looks at whether several reads share a turn. */
const READS_BETWEEN_PROBES = 64;
const SHORT_BUSY_TIMEOUT_MS = 2;

/**
 * Thrown when a write transaction could not begin because another process holds the database's
 * write lock. Nothing was written; the operation can simply be run again a little later.
 */
export class DatabaseBusyError extends Error {
  constructor() {
    super('database is locked by another process');
    this.name = 'DatabaseBusyError';
  }
}

/** Is `e` SQLite's "the database is locked / busy" error? */
export function isBusyError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/** Is `e` SQLite's "database or disk is full" error? */
export function isDiskFullError(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'SQLITE_FULL';
}

/** Atomics.wait on this is a synchronous sleep. */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps synchronously (at open time, and between a blocking writer's lock attempts). */
function sleepSync(ms: number): void {
  Atomics.wait(SLEEPER, 0, 0, ms);
}

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
  /**
   * Called right after a write transaction has begun (the write lock is held), before the
   * operation's own statements: the engine catches up with other processes' commits there, so a
   * write never works from a stale catalog (a GSI another process has just created, say).
   */
  readonly beginListeners: (() => void)[] = [];
  private readonly begin: { run(): unknown };
  private readonly beginRead: { run(): unknown };
  private readonly commit: { run(): unknown };
  private readonly rollback: { run(): unknown };
  private readonly noWait: { run(): unknown };
  private readonly busyBlocking: { run(): unknown };
  private readonly busyShort: { run(): unknown };
  private waiting = true;
  /** Whether SQLite's busy timeout is the blocking one now (it is at open). */
  private blockingTimeoutSet = true;
  /** `blocking` calls under way. */
  private blockingCalls = 0;
  /** Whether a read transaction is held until the event loop's next check phase (holdReadsForTurn). */
  private turnHeld = false;
  /** Reads that asked for the held turn's transaction (1: it paid for nothing). */
  private turnReads = 0;
  /** Whether holding pays: several reads share a turn. */
  private readonly turnReadSharing = new TurnSharing(TURNS_OF_ONE_TO_STOP, READS_BETWEEN_PROBES);
  private readonly endTurn = (): void => {
    if (!this.turnHeld) return;
    this.turnReadSharing.turnEnded(this.turnReads);
    this.releaseReads();
  };

  constructor(options: DatabaseOptions) {
    this.path = options.path;
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.sqlite = new BetterSqlite3(options.path);
    // First of all: every statement below may meet another process opening the same new file.
    this.sqlite.pragma(`busy_timeout = ${BLOCKING_BUSY_TIMEOUT_MS}`);
    this.atOpen(() => this.sqlite.pragma('journal_mode = WAL'));
    // NORMAL in WAL mode loses no committed transaction on a process crash, only on power loss.
    this.sqlite.pragma('synchronous = NORMAL');
    this.sqlite.pragma('foreign_keys = OFF');
    this.atOpen(() => this.migrate());
    this.begin = this.sqlite.prepare('BEGIN IMMEDIATE');
    this.noWait = this.sqlite.prepare('PRAGMA busy_timeout = 0');
    this.beginRead = this.sqlite.prepare('BEGIN DEFERRED');
    this.commit = this.sqlite.prepare('COMMIT');
    this.rollback = this.sqlite.prepare('ROLLBACK');
    this.busyBlocking = this.sqlite.prepare(`PRAGMA busy_timeout = ${BLOCKING_BUSY_TIMEOUT_MS}`);
    this.busyShort = this.sqlite.prepare(`PRAGMA busy_timeout = ${SHORT_BUSY_TIMEOUT_MS}`);
  }

  /**
   * Runs a step of opening the file, retrying while another process holds a lock it needs (a new
   * file's switch to WAL needs an exclusive lock that SQLite's busy handler does not always wait for).
   */
  private atOpen<T>(step: () => T): T {
    for (let attempt = 0; ; attempt++) {
      try {
        return step();
      } catch (e) {
        if (!isBusyError(e) || attempt >= 200) throw e;
        sleepSync(5 + Math.floor(Math.random() * 20));
      }
    }
  }

  /**
   * Applies the migrations this file has not seen. The version is read inside the same IMMEDIATE
   * transaction that applies them, so processes opening a new file together cannot both create
   * the schema: the second waits for the lock, then finds the work done.
   */
  private migrate(): void {
    const read = () => this.sqlite.pragma('user_version', { simple: true }) as number;
    const check = (current: number) => {
      if (current > SCHEMA_VERSION) {
        throw new Error(
          `This database was written by a newer Sortkey (schema ${current}; this version knows ${SCHEMA_VERSION}).`,
        );
      }
    };
    const seen = read();
    check(seen);
    if (seen === SCHEMA_VERSION) return;
    this.sqlite.exec('BEGIN IMMEDIATE');
    try {
      const current = read();
      check(current);
      for (let v = current; v < SCHEMA_VERSION; v++) {
        const migration = MIGRATIONS[v]!;
        if (typeof migration === 'string') this.sqlite.exec(migration);
        else if (typeof migration === 'function') migration(this.sqlite);
        // Converts rows a file already holds; a new file (an in-memory database at every start)
        // has none, so it is skipped rather than searching for them.
        else if (current > 0) migration.convertsRows(this.sqlite);
        this.sqlite.pragma(`user_version = ${v + 1}`);
      }
      this.sqlite.exec('COMMIT');
    } catch (e) {
      if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
      throw e;
    }
  }

  /**
   * Whether beginning a write transaction waits (blocking, up to 5 s) for another process's write
   * lock, or gives up after a few milliseconds with a DatabaseBusyError. Returns the old setting.
   */
  setWaitForLocks(wait: boolean): boolean {
    const old = this.waiting;
    this.waiting = wait;
    this.applyBusyTimeout();
    return old;
  }

  /** Sets SQLite's busy timeout to what `waitForLocks` asks for, if it is not set so already. */
  applyBusyTimeout(): void {
    if (this.blockingTimeoutSet === this.waiting) return;
    (this.waiting ? this.busyBlocking : this.busyShort).run();
    this.blockingTimeoutSet = this.waiting;
  }

  /**
   * Runs `fn` with `waitForLocks` off: a write that finds the file locked fails at once. Setting
   * the busy timeout is a statement of its own; a server calls this for every request, so the
   * timeout it leaves behind is put back only when a waiting caller next needs it: at once inside
   * `blocking` (an `Engine.execute` under way), else when the next `blocking` call, snapshot or
   * waiting write transaction begins.
   */
  withoutWaiting<T>(fn: () => T): T {
    const old = this.waiting;
    this.waiting = false;
    this.applyBusyTimeout();
    try {
      return fn();
    } finally {
      this.waiting = old;
      if (this.blockingCalls > 0) this.applyBusyTimeout();
    }
  }

  /** Runs `fn`, a caller's work that waits for locks as `waitForLocks` says (Engine.execute). */
  blocking<T>(fn: () => T): T {
    this.applyBusyTimeout();
    this.blockingCalls++;
    try {
      return fn();
    } finally {
      this.blockingCalls--;
    }
  }

  /**
   * Lets the reads of the rest of this turn of the event loop share one read transaction, ended
   * from a setImmediate (or before anything else begins a transaction): a server's reads call it.
   *
   * Why: outside a transaction each statement on a file in WAL mode takes and drops SQLite's read
   * locks (fcntl calls on the file and its -shm), which cost a GetItem a third of its server time
   * at 16 requests in flight. The requests a turn reads arrived together, before the transaction
   * began, so each still sees every write committed before it was sent; a write of this process
   * ends the held transaction first (transaction()), so later reads see it too.
   *
   * At one request per turn there is no one to share with, and BEGIN and COMMIT are two more
   * statements: after TURNS_OF_ONE_TO_STOP turns of one read the reads run on their own again, and
   * every READS_BETWEEN_PROBES reads one turn is watched to see whether several reads meet in it
   * (turn-sharing.ts).
   * A database in memory has no locks to save.
   */
  holdReadsForTurn(): void {
    if (this.turnHeld) {
      this.turnReads++;
      return;
    }
    if (this.depth > 0 || this.path === ':memory:' || this.sqlite.inTransaction) return;
    if (!this.turnReadSharing.active) {
      this.turnReadSharing.alone();
      return;
    }
    this.applyBusyTimeout();
    this.beginRead.run();
    this.turnHeld = true;
    this.turnReads = 1;
    setImmediate(this.endTurn);
  }

  /** Whether reads share a held read transaction now (holdReadsForTurn). */
  get holdingReads(): boolean {
    return this.turnHeld;
  }

  /** Ends the read transaction holdReadsForTurn began, if it is still held. */
  releaseReads(): void {
    if (!this.turnHeld) return;
    this.turnHeld = false;
    if (this.sqlite.open && this.sqlite.inTransaction) this.commit.run();
  }

  /**
   * Runs `fn` inside one IMMEDIATE transaction (or inside the enclosing one when nested), so that
   * everything an operation writes commits together or not at all.
   */
  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    // A write begins from the newest state, never from the turn's read snapshot.
    this.releaseReads();
    this.beginImmediate();
    this.depth++;
    try {
      for (const listener of this.beginListeners) listener();
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

  /**
   * BEGIN IMMEDIATE. Without `waitForLocks` (the server) a busy file fails at once with a
   * DatabaseBusyError, which the caller retries from a timer. With it (the shell, imports, tests)
   * the lock is polled every millisecond for up to 5 s: SQLite's own busy handler sleeps ever
   * longer (1, 2, 5, 10, … 100 ms) between tries and could miss the short gaps a long-running
   * writer leaves between its transactions (a chunked import or backfill); polling takes the first.
   */
  private beginImmediate(): void {
    if (!this.waiting) {
      try {
        this.begin.run();
      } catch (e) {
        if (isBusyError(e)) throw new DatabaseBusyError();
        throw e;
      }
      return;
    }
    this.noWait.run();
    try {
      const deadline = performance.now() + BLOCKING_BUSY_TIMEOUT_MS;
      for (;;) {
        try {
          this.begin.run();
          return;
        } catch (e) {
          if (!isBusyError(e) || performance.now() >= deadline) throw e;
          sleepSync(1);
        }
      }
    } finally {
      this.busyBlocking.run();
      this.blockingTimeoutSet = true;
    }
  }

  /** A read-only snapshot: every read inside sees the same committed state. */
  snapshot<T>(fn: () => T): T {
    // The turn's held read transaction is a snapshot already.
    if (this.depth > 0 || this.turnHeld) return fn();
    this.applyBusyTimeout();
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
    this.releaseReads();
    if (this.sqlite.open) this.sqlite.close();
  }
}
