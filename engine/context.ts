// What every operation receives: the database, the catalog, the clock and the engine's settings.
import type { Statement } from 'better-sqlite3';
import { DynamoError, tableNotFound } from './errors.js';
import { Backfills } from './tables/backfill.js';
import { Catalog } from './tables/catalog.js';
import { DEFAULT_NAMESPACE, arnPrefixOf, tableKeyOf } from './tables/table.js';
import type { Namespace, Table } from './tables/table.js';
import type { WriteContext, WriteListener } from './tables/write.js';
import { Database } from './storage/database.js';
import { EventualConsistency } from './consistency/eventual.js';
import type { ConsistencySettings } from './consistency/eventual.js';
import { BackupService } from './backups/backups.js';
import { ExportService } from './backups/export.js';
import { PitrService } from './backups/pitr.js';
import { ControlPlaneJobs } from './backups/jobs.js';
import { StreamService } from './streams/service.js';
import { DEFAULT_REPLICATION_DELAY_MS, ReplicationService } from './replication/service.js';
import { ReplicaFills } from './replication/fill.js';
import { Background, DEFAULT_TTL_SWEEP_INTERVAL_MS } from './ttl/background.js';
import { DEFAULT_TTL_CHANGE_COOLDOWN_MS, TtlService } from './ttl/service.js';
import { UsageMonitor } from './metrics/monitor.js';
import { PartitionService } from './partitions/service.js';
import { recoverInterruptedImports } from './dump/journal.js';
import type { FaultRule } from './throttle/faults.js';
import type { ThrottleMode } from './throttle/throttler.js';
import { WORDINGS } from './wording.js';
import type { ErrorWording, Wording } from './wording.js';

/** How often an engine looks for commits by other processes sharing its database file. */
const VERSION_CHECK_INTERVAL_MS = 20;

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
  /**
   * Which of DynamoDB's two request-validation layers words the errors (engine/wording.ts): 'new'
   * (the default, most regions since 2026) or 'old' (DynamoDB Local and the remaining regions).
   */
  readonly errorWording?: ErrorWording;
  /**
   * Minimum time between two UpdateTimeToLive changes of one table. Default one hour, as DynamoDB;
   * 0 allows any number of changes (the server's `--ttl-any-time`).
   */
  readonly ttlChangeCooldownMs?: number;
  /**
   * How often the background sweeper deletes expired items (and trims stream records older than
   * 24 hours). 0: no timer (call `engine.sweepExpiredItems()`). Default 5000 ms on the real clock,
   * 0 when a clock is injected through `now` (the caller drives time, and so the sweeps).
   */
  readonly ttlSweepIntervalMs?: number;
  /** How long after its expiry time an item becomes eligible for deletion (DynamoDB's lag). Default 0. */
  readonly ttlDelayMs?: number;
  /**
   * Folder ExportTableToPointInTime writes into: `S3Bucket` is a sub-folder of it. Default
   * `$SORTKEY_HOME/exports` (or `~/.sortkey/exports`).
   */
  readonly exportRoot?: string;
  /** Whether writes of origin 'import' produce stream records (default false; see `emitImportStreamRecords`). */
  readonly importStreamRecords?: boolean;
  /**
   * Simulated throughput limits (engine/throttle): 'off' (the default) never throttles;
   * 'provisioned' throttles PROVISIONED tables and their GSIs at their provisioned throughput, with
   * DynamoDB's 300 seconds of burst capacity; 'strict' also applies the per-partition-key ceilings
   * (3,000 RCU / 1,000 WCU per second) to every table, on-demand ones included.
   */
  readonly throttle?: ThrottleMode;
  /** Fault injection rules (see SetFaults): throttling or internal errors, or added latency. */
  readonly faults?: readonly FaultRule[];
  /** Random numbers in [0, 1) for fault probabilities (default Math.random; tests fix them). */
  readonly random?: () => number;
  /**
   * How often metrics' minute aggregates are written to the database. Default 60000 ms on the real
   * clock, 0 when a clock is injected through `now` (then on close and `ctx.usage.flush()`).
   */
  readonly metricsFlushIntervalMs?: number;
  /** Whether accessed partition keys are counted for GetHotKeys (default true). */
  readonly hotKeys?: boolean;
  /**
   * The partition model (engine/partitions): the storage a partition holds before it splits
   * (default DynamoDB's 10 GB; tests use a few KB), and the consecutive seconds near a
   * throughput ceiling before a partition splits for heat (default 30).
   */
  readonly partitionSizeLimitBytes?: number;
  readonly partitionHeatSeconds?: number;
  /**
   * How long `executeWaiting` (the server) lets a write wait for another process's write lock
   * before answering ThrottlingException. Default 5000 ms.
   */
  readonly lockWaitMs?: number;
  /**
   * How long after a write to a global table replica the other replicas receive it (milliseconds).
   * Default 100 (`--replication-delay`): small but never zero, as DynamoDB's replication is not.
   */
  readonly replicationDelayMs?: number;
  /**
   * Auto scaling's clock runs this many times faster than real time (`serve --scaling-speed`):
   * one of SCALING_SPEEDS (engine/automation/scaling.ts). Default 1.
   */
  readonly scalingSpeed?: number;
  /**
   * How often the scaler and the alarm evaluator look for work (engine/automation/runner.ts).
   * 0, the default: no timer (call `engine.runAutomation()`); `sortkey serve` sets one.
   */
  readonly automationIntervalMs?: number;
  /**
   * Eventual consistency on request (engine/consistency): 'strong' (the default) makes every read
   * current; 'eventual' lets eventually consistent reads see items as they were up to `windowMs`
   * ago and GSIs see writes `windowMs` late, with delays drawn from `seed`.
   */
  readonly consistency?: Partial<ConsistencySettings>;
}

export class EngineContext implements WriteContext {
  readonly db: Database;
  readonly catalog: Catalog;
  readonly writeListeners: WriteListener[] = [];
  /** The namespace of requests that name none (unsigned requests, the shell, the studio, tools). */
  defaultNamespace: Namespace;
  /** Whether some write listener needs the old item of a write to this table (writeNeedsOldItem). */
  private readonly oldItemReaders: ((table: Table) => boolean)[] = [];
  readonly transientStatusMs: number;
  endpointAddress: string;
  denyFullTableScan: boolean;
  /** The errors' wording (EngineOptions.errorWording), resolved from engine/wording.ts's table. */
  readonly wording: Wording;
  readonly now: () => number;
  /** Tables deleted with a transient status: gone once their deadline passes. */
  readonly deleting = new Map<string, { table: Table; until: number }>();
  /** Deadlines of tables/indexes that are still CREATING or UPDATING. */
  readonly pending = new Map<string, number>();
  private readonly statements = new Map<string, Statement>();
  /** Streams, TTL, backups, point-in-time recovery and exports (engine/streams, ttl, backups). */
  readonly streams: StreamService;
  readonly ttl: TtlService;
  readonly pitr: PitrService;
  readonly backups: BackupService;
  readonly exports: ExportService;
  readonly ttlChangeCooldownMs: number;
  readonly ttlDelayMs: number;
  readonly exportRoot: string | undefined;
  /** See EngineOptions.lockWaitMs. */
  readonly lockWaitMs: number;
  /** See EngineOptions.scalingSpeed. */
  readonly scalingSpeed: number;
  /**
   * Whether item writes of origin 'import' append stream records. Import code that was asked to
   * stream its writes sets this for the duration of the import (default: the `importStreamRecords`
   * option, false).
   */
  emitImportStreamRecords: boolean;
  private readonly background: Background;
  /** Chunked GSI backfills (engine/tables/backfill.ts). */
  readonly backfills: Backfills;
  /** Chunked TTL indexing, snapshots, backups and restores (engine/backups/jobs.ts). */
  readonly jobs: ControlPlaneJobs;
  /** Capacity accounting, throttling, fault injection and metrics of every operation (engine/metrics). */
  readonly usage: UsageMonitor;
  /** Global tables: the replication queue and its applier (engine/replication). */
  readonly replication: ReplicationService;
  /** Copies of tables into their new replicas, in chunks. */
  readonly replicaFills: ReplicaFills;
  /** The partition maps of every table and GSI (engine/partitions). */
  readonly partitions: PartitionService;
  /** Eventual consistency on request: the history of recent versions reads may see (engine/consistency). */
  readonly consistency: EventualConsistency;

  constructor(options: EngineOptions) {
    this.db = new Database({ path: options.path });
    // The version is read before the catalog: a commit by another process in between is then
    // seen as a change at the first request, never lost (a table imported before it, say).
    this.dataVersion = this.readDataVersion();
    this.catalog = new Catalog(this.db);
    // Every write transaction first catches up with other processes' commits, with the write lock
    // held: nothing can change between that look and the write.
    this.db.beginListeners.push(() => this.catchUp());
    this.defaultNamespace = {
      region: options.region ?? DEFAULT_NAMESPACE.region,
      accountId: options.accountId ?? DEFAULT_NAMESPACE.accountId,
    };
    this.catalog.use(this.defaultNamespace);
    this.now = options.now ?? Date.now;
    this.transientStatusMs = options.transientStatusMs ?? 0;
    this.endpointAddress = options.endpointAddress ?? 'localhost:8000';
    this.denyFullTableScan = options.denyFullTableScan ?? false;
    this.wording = WORDINGS[options.errorWording ?? 'new'];
    // A rolled-back transaction may leave in-memory descriptions the file never got.
    this.db.rollbackListeners.push(() => this.catalog.forgetRows());
    this.ttlChangeCooldownMs = options.ttlChangeCooldownMs ?? DEFAULT_TTL_CHANGE_COOLDOWN_MS;
    this.ttlDelayMs = options.ttlDelayMs ?? 0;
    this.exportRoot = options.exportRoot;
    this.lockWaitMs = options.lockWaitMs ?? 5_000;
    this.scalingSpeed = options.scalingSpeed ?? 1;
    this.emitImportStreamRecords = options.importStreamRecords ?? false;
    this.streams = new StreamService(this);
    this.ttl = new TtlService(this);
    this.pitr = new PitrService(this);
    this.backups = new BackupService(this);
    this.exports = new ExportService(this);
    this.jobs = new ControlPlaneJobs(this);
    this.replication = new ReplicationService(
      this,
      options.replicationDelayMs ?? DEFAULT_REPLICATION_DELAY_MS,
    );
    this.replicaFills = new ReplicaFills(this);
    this.consistency = new EventualConsistency(this.now, options.consistency);
    this.writeListeners.push(
      this.streams.onWrite,
      this.ttl.onWrite,
      this.pitr.onWrite,
      this.jobs.onWrite,
      this.replication.onWrite,
      this.consistency.onWrite,
    );
    // Of these, the ones that look at what a write replaced (point-in-time recovery logs new items only).
    this.oldItemReaders.push(
      this.streams.readsOldItem,
      this.ttl.readsOldItem,
      this.jobs.readsOldItem,
      this.consistency.readsOldItem,
    );
    this.syncFeatures();
    // An import killed half-way committed some of its chunks: its journal writes them back.
    this.recoverImports();
    this.partitions = new PartitionService(this, {
      ...(options.partitionSizeLimitBytes !== undefined
        ? { sizeLimitBytes: options.partitionSizeLimitBytes }
        : {}),
      ...(options.partitionHeatSeconds !== undefined ? { heatSeconds: options.partitionHeatSeconds } : {}),
    });
    this.writeListeners.push(this.partitions.onWrite);
    this.usage = new UsageMonitor(this, {
      ...(options.throttle !== undefined ? { throttle: options.throttle } : {}),
      ...(options.faults !== undefined ? { faults: options.faults } : {}),
      ...(options.random !== undefined ? { random: options.random } : {}),
      ...(options.hotKeys !== undefined ? { hotKeys: options.hotKeys } : {}),
      flushIntervalMs: options.metricsFlushIntervalMs ?? (options.now ? 0 : 60_000),
    });
    this.backfills = new Backfills(this);
    // A backfill another process left unfinished (it stopped, or is still at it) goes on here too.
    this.backfills.resume();
    // So do TTL indexing, snapshots and restores left unfinished (engine/backups/jobs.ts).
    this.jobs.resume();
    // Replicated writes another process queued (or left when it stopped) are applied here too.
    this.replicaFills.resume();
    this.replication.schedule();
    this.background = new Background(
      this,
      options.ttlSweepIntervalMs ?? (options.now ? 0 : DEFAULT_TTL_SWEEP_INTERVAL_MS),
    );
  }

  /**
   * Reconciles streams, TTL and point-in-time recovery with the catalog after control-plane changes:
   * registers new streams, closes the shards of disabled ones, and forgets (or, for point-in-time
   * recovery, backs up) the settings of deleted tables.
   */
  syncFeatures(): void {
    this.streams.sync();
    this.ttl.cleanup();
    const systemBackups: string[] = [];
    this.pitr.sync((cfg, description) => {
      systemBackups.push(this.backups.insertSystemBackup(cfg, description));
    });
    // A small table's system backup is complete before DeleteTable answers; a larger one's is copied
    // in chunks (CREATING meanwhile). Inside a transaction (a catch-up), the timer does it all.
    for (const key of systemBackups) {
      if (this.db.inTransaction) this.jobs.schedule();
      else this.jobs.runNow(key);
    }
    // Tables the operation dropped went to the trash, purged by a job (engine/storage/trash.ts).
    this.jobs.kick();
  }

  /**
   * Undoes imports whose process died half-way (engine/dump/journal.ts): when the file is opened,
   * and from the background task of a long-running engine. Best effort: another engine may be
   * undoing the same run, and the next call tries again.
   */
  recoverImports(): void {
    try {
      recoverInterruptedImports(this);
    } catch {
      // See above: left for the next call.
    }
  }

  private dataVersion: number | undefined;
  private lastVersionCheck = -Infinity;
  private dataVersionStmt: Statement | undefined;

  private readDataVersion(): number | undefined {
    if (this.db.path === ':memory:') return undefined;
    this.dataVersionStmt ??= this.db.sqlite.prepare('PRAGMA data_version').pluck();
    return this.dataVersionStmt.get() as number;
  }

  /**
   * Another process sharing the database file (a `sortkey shell` beside `sortkey serve`) may have
   * committed: SQLite's data_version changes only for other connections' commits. When it has, the
   * catalog and every cache derived from the file are reloaded before the next operation.
   */
  refreshIfChanged(force = false): void {
    if (this.db.inTransaction || this.db.path === ':memory:') return;
    // Asking SQLite costs about a microsecond: do it at most every few milliseconds (and whenever
    // a table seems missing, see table()), which is instant for people and cheap for benchmarks.
    // Writes do not depend on this: they always look inside their transaction (catchUp).
    const now = performance.now();
    if (!force && now - this.lastVersionCheck < VERSION_CHECK_INTERVAL_MS) return;
    this.lastVersionCheck = now;
    this.catchUp();
  }

  /** Reloads what is derived from the file when another process has committed since the last look. */
  private catchUp(): void {
    // syncFeatures() below may begin a transaction, whose begin listener lands here again.
    if (this.catchingUp) return;
    const version = this.readDataVersion();
    if (version === undefined || version === this.dataVersion) return;
    this.catchingUp = true;
    try {
      this.catalog.reload();
      this.statements.clear();
      // Streams, TTL and PITR keep in-memory state derived from the file.
      this.syncFeatures();
      // Another process may have created an index: help build it (and finish it if that process stops).
      this.backfills?.resume();
      this.jobs?.resume();
      this.replicaFills?.resume();
      this.replication?.schedule();
      // Only now: if anything above failed (the file was locked), the next look does it all again.
      this.dataVersion = version;
    } finally {
      this.catchingUp = false;
    }
  }

  private catchingUp = false;

  /** A prepared statement, cached by its SQL text (table names in SQL are never reused in a process). */
  prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.sqlite.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** The region of the current operation (its namespace's): what its ARNs name. */
  get region(): string {
    return this.catalog.namespace.region;
  }

  get accountId(): string {
    return this.catalog.namespace.accountId;
  }

  /**
   * Runs `fn` with `ns` as the namespace tables are looked up and created in (then the previous
   * one again). Synchronous, as every operation is.
   */
  inNamespace<T>(ns: Namespace | undefined, fn: () => T): T {
    const previous = this.catalog.namespace;
    this.catalog.use(ns ?? this.defaultNamespace);
    try {
      return fn();
    } finally {
      this.catalog.use(previous);
    }
  }

  /** Per-table in-memory state (transient statuses) is keyed by namespace and name. */
  tableKey(name: string): string {
    return tableKeyOf(this.catalog.namespace, name);
  }

  /** What every ARN of the current namespace starts with (`arn:aws:dynamodb:<region>:<account>:`). */
  get arnPrefix(): string {
    return arnPrefixOf(this.catalog.namespace);
  }

  tableArn(name: string): string {
    return `${this.arnPrefix}table/${name}`;
  }

  /**
   * Whether a write to this table needs the item it replaces: to maintain an index, or for a write
   * listener (a stream, TTL, a backup being taken). When neither does, a write that needs nothing
   * else of it reads only its size. Asked inside the write's transaction, after it caught up with
   * other processes' changes (an index one of them added).
   */
  writeNeedsOldItem(table: Table): boolean {
    if (table.indexes.size > 0) return true;
    for (const reads of this.oldItemReaders) if (reads(table)) return true;
    return false;
  }

  /** The table a data-plane operation addresses; DynamoDB's ResourceNotFoundException when absent. */
  table(name: string): Table {
    let table = this.catalog.get(name);
    if (!table) {
      // Perhaps another process sharing the file has just created it.
      this.refreshIfChanged(true);
      table = this.catalog.get(name);
    }
    if (!table) throw tableNotFound();
    if (table.status !== 'ACTIVE') this.settle(table);
    if (table.status === 'CREATING') throw tableNotFound();
    return table;
  }

  /** Moves a table whose transient status has run its time to its next status. */
  settle(table: Table): void {
    const until = this.pending.get(table.stateKey);
    if (until !== undefined && this.now() >= until) {
      // A restore still copying keeps its table CREATING; the job makes it ACTIVE when it ends.
      if (table.description.RestoreSummary?.RestoreInProgress) return;
      // So does a global table replica whose items are still being copied (replication/fill.ts).
      if (table.status === 'CREATING' && this.replicaFills.filling(table)) return;
      this.pending.delete(table.stateKey);
      this.db.transaction(() => {
        table.description = { ...table.description, TableStatus: 'ACTIVE' };
        const gsis = table.description.GlobalSecondaryIndexes;
        if (gsis) {
          // An index whose backfill is still running stays CREATING until the backfill ends.
          const building = this.backfills.pending(table);
          table.description.GlobalSecondaryIndexes = gsis.map((g) => {
            if (building.has(g.IndexName!)) return g;
            const { Backfilling: _b, ...rest } = g;
            return { ...rest, IndexStatus: 'ACTIVE' };
          });
        }
        this.catalog.save(table);
      });
    }
  }

  close(): void {
    if (this.db.sqlite.open) this.usage.close();
    if (this.db.sqlite.open) this.partitions.close();
    this.background.stop();
    this.backfills.stop();
    this.jobs.stop();
    this.replicaFills.stop();
    this.replication.stop();
    this.db.close();
  }
}

export function resourceInUse(message: string): DynamoError {
  return new DynamoError('ResourceInUseException', message);
}
