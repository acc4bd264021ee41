// Point-in-time recovery. Enabling it copies the table into a base snapshot (sk_pitr_base_<id>,
// taken at `base_at`); from then on the write listener appends every item write of the table to
// sk_pitr_log (key, time, new item or null for a delete) inside the write's transaction. The state
// at time T is the base snapshot plus, for each key, its last logged write at or before T. Log
// entries older than the recovery window are folded into the base (compaction), which moves
// `base_at` forward; EarliestRestorableDateTime never precedes it. Everything is in SQLite, so the
// window survives restarts. The base copy runs in chunks (engine/backups/jobs.ts, a `snapshot` job):
// PointInTimeRecoveryStatus is ENABLING until it ends, and the base is the table as it was when
// recovery was turned on, whatever is written meanwhile (the job's copy-on-write).
import type { Statement } from 'better-sqlite3';
import { DynamoError } from '../errors.js';
import type { Database } from '../storage/database.js';
import { tableUuid } from '../streams/service.js';
import type { Catalog } from '../tables/catalog.js';
import type { Table, TableDescription } from '../tables/table.js';
import type { WriteEffect } from '../tables/write.js';
import type { Sdk, Wire } from '../types.js';
import { jobKey } from './jobs.js';
import type { ControlPlaneJobs } from './jobs.js';
import { copyRows, createRowTable, dropRowTable, replayLog } from './rows.js';

export const DEFAULT_RECOVERY_PERIOD_DAYS = 35;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PitrConfig {
  readonly id: number;
  readonly tableUuid: string;
  tableName: string;
  readonly enabledAt: number;
  recoveryDays: number;
  baseAt: number;
  /** The table's description as last seen (what a restore of the deleted table gets). */
  description: string;
}

export function baseTableName(id: number): string {
  return `sk_pitr_base_${id}`;
}

/** The sk_meta key of the job copying a config's base snapshot. */
export function pitrSnapshotKey(id: number): string {
  return jobKey('snapshot', `pitr-${id}`);
}

export function pitrUnavailable(tableName: string): DynamoError {
  return new DynamoError(
    'PointInTimeRecoveryUnavailableException',
    `Point in time recovery is not enabled for table '${tableName}'`,
  );
}

/** What point-in-time recovery needs of the engine (EngineContext provides it), narrow. */
export interface PitrHost {
  readonly db: Database;
  readonly catalog: Pick<Catalog, 'byTableId'>;
  readonly now: () => number;
  prepare(sql: string): Statement;
  readonly jobs: Pick<ControlPlaneJobs, 'begin' | 'has' | 'list' | 'readsPitr' | 'runNow' | 'runToEnd'>;
}

export class PitrService {
  private readonly configs = new Map<string, PitrConfig>();

  constructor(private readonly ctx: PitrHost) {
    const rows = ctx.db.sqlite.prepare('SELECT * FROM sk_pitr').all() as {
      id: number;
      table_uuid: string;
      table_name: string;
      enabled_at: number;
      recovery_days: number;
      base_at: number;
      description: string;
    }[];
    for (const r of rows) {
      this.configs.set(r.table_uuid, {
        id: r.id,
        tableUuid: r.table_uuid,
        tableName: r.table_name,
        enabledAt: r.enabled_at,
        recoveryDays: r.recovery_days,
        baseAt: r.base_at,
        description: r.description,
      });
    }
  }

  config(table: Table): PitrConfig | undefined {
    return this.configs.get(tableUuid(table));
  }

  /** The write listener: logs the write of a table with point-in-time recovery on. */
  readonly onWrite = (effect: WriteEffect): void => {
    if (this.configs.size === 0) return;
    const cfg = this.configs.get(tableUuid(effect.table));
    if (!cfg) return;
    const k = effect.key;
    this.ctx
      .prepare('INSERT INTO sk_pitr_log (pitr_id, at, h, pk, sk, item, size) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(cfg.id, this.ctx.now(), k.hash, k.pk, k.sk, effect.newJson ?? null, effect.newSize);
  };

  /** DescribeContinuousBackups' ContinuousBackupsDescription. */
  describe(table: Table): Wire<Sdk.ContinuousBackupsDescription> {
    const cfg = this.config(table);
    if (!cfg)
      return {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      };
    if (this.enabling(cfg)) {
      return {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: {
          PointInTimeRecoveryStatus: 'ENABLING' as Sdk.PointInTimeRecoveryStatus,
          RecoveryPeriodInDays: cfg.recoveryDays,
        },
      };
    }
    const w = this.window(cfg);
    return {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: {
        PointInTimeRecoveryStatus: 'ENABLED',
        RecoveryPeriodInDays: cfg.recoveryDays,
        EarliestRestorableDateTime: w.earliest / 1000,
        LatestRestorableDateTime: w.latest / 1000,
      },
    };
  }

  /** True while the base snapshot is still being copied (ENABLING). */
  enabling(cfg: PitrConfig): boolean {
    return this.ctx.jobs.has(pitrSnapshotKey(cfg.id));
  }

  /**
   * Turns point-in-time recovery on: the base snapshot is the table as it is now. A small table is
   * copied before this returns; a larger one stays ENABLING while the copy goes on in chunks.
   */
  enable(table: Table, days: number): PitrConfig {
    const cfg = this.begin(table, days);
    this.ctx.jobs.runNow(pitrSnapshotKey(cfg.id));
    return cfg;
  }

  private begin(table: Table, days: number): PitrConfig {
    const now = this.ctx.now();
    const uuid = tableUuid(table);
    return this.ctx.db.transaction(() => {
      const db = this.ctx.db.sqlite;
      const info = db
        .prepare(
          'INSERT INTO sk_pitr (table_uuid, table_name, enabled_at, recovery_days, base_at, description) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(uuid, table.name, now, days, now, JSON.stringify(table.description));
      const id = Number(info.lastInsertRowid);
      createRowTable(this.ctx.db, baseTableName(id));
      const touched = `${baseTableName(id)}_touched`;
      db.exec(`CREATE TABLE IF NOT EXISTS "${touched}" (h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,
        PRIMARY KEY (h, pk, sk)) WITHOUT ROWID`);
      this.ctx.jobs.begin(pitrSnapshotKey(id), {
        kind: 'snapshot',
        purpose: 'pitr',
        owner: id,
        tableId: table.id,
        target: baseTableName(id),
        touched,
        after: null,
      });
      const cfg: PitrConfig = {
        id,
        tableUuid: uuid,
        tableName: table.name,
        enabledAt: now,
        recoveryDays: days,
        baseAt: now,
        description: JSON.stringify(table.description),
      };
      this.configs.set(uuid, cfg);
      return cfg;
    });
  }

  setRecoveryDays(cfg: PitrConfig, days: number): void {
    this.ctx.db.transaction(() => {
      this.ctx.db.sqlite.prepare('UPDATE sk_pitr SET recovery_days = ? WHERE id = ?').run(days, cfg.id);
    });
    cfg.recoveryDays = days;
    this.compact(cfg);
  }

  /** Turns point-in-time recovery off and drops its snapshot and log. */
  disable(cfg: PitrConfig): void {
    // A restore still reading this recovery data finishes first.
    this.finishReaders(cfg.id);
    this.ctx.db.transaction(() => this.drop(cfg));
  }

  /** Runs to their end the restores reading the recovery data of config `id`. */
  finishReaders(id: number): void {
    for (const { key, job } of this.ctx.jobs.list())
      if (job.kind === 'fill' && job.pitrId === id) this.ctx.jobs.runToEnd(key);
  }

  private drop(cfg: PitrConfig): void {
    this.forget(cfg);
    this.dropData(cfg.id);
  }

  /** Forgets the config (its data stays, for a job that still reads it). */
  private forget(cfg: PitrConfig): void {
    const db = this.ctx.db.sqlite;
    db.prepare('DELETE FROM sk_pitr WHERE id = ?').run(cfg.id);
    // An unfinished base copy is abandoned.
    db.prepare('DELETE FROM sk_meta WHERE key = ?').run(pitrSnapshotKey(cfg.id));
    dropRowTable(this.ctx.db, `${baseTableName(cfg.id)}_touched`);
    this.configs.delete(cfg.tableUuid);
  }

  /** Drops the base snapshot and log of config `id`; call inside a transaction. */
  dropData(id: number): void {
    this.ctx.db.sqlite.prepare('DELETE FROM sk_pitr_log WHERE pitr_id = ?').run(id);
    dropRowTable(this.ctx.db, baseTableName(id));
  }

  /** The restorable window, in epoch milliseconds: [earliest, latest]. */
  window(cfg: PitrConfig, now = this.ctx.now()): { earliest: number; latest: number } {
    const earliest = Math.max(cfg.enabledAt, cfg.baseAt, now - cfg.recoveryDays * DAY_MS);
    return { earliest: Math.min(earliest, now), latest: now };
  }

  /**
   * Folds log entries older than the window into the base snapshot. (With nothing to fold, the base
   * stays where it is: the window's start is computed from the clock, never earlier than the base.)
   */
  compact(cfg: PitrConfig, now = this.ctx.now()): void {
    const cutoff = now - cfg.recoveryDays * DAY_MS;
    if (cutoff <= cfg.baseAt) return;
    // The base is still being copied, or a restore is reading it: it must not move meanwhile.
    if (this.enabling(cfg) || this.ctx.jobs.readsPitr(cfg.id)) return;
    const old = this.ctx
      .prepare('SELECT 1 FROM sk_pitr_log WHERE pitr_id = ? AND at <= ? LIMIT 1')
      .get(cfg.id, cutoff);
    if (!old) return;
    this.ctx.db.transaction(() => {
      replayLog(this.ctx.db, cfg.id, cutoff, baseTableName(cfg.id));
      this.ctx.db.sqlite.prepare('DELETE FROM sk_pitr_log WHERE pitr_id = ? AND at <= ?').run(cfg.id, cutoff);
      this.ctx.db.sqlite.prepare('UPDATE sk_pitr SET base_at = ? WHERE id = ?').run(cutoff, cfg.id);
    });
    cfg.baseAt = cutoff;
  }

  compactAll(now = this.ctx.now()): void {
    for (const cfg of this.configs.values()) this.compact(cfg, now);
  }

  /**
   * Writes the table's state at `atMs` into the item-shaped SQLite table `into` (which must exist
   * and be empty). Call inside a transaction.
   */
  materialize(cfg: PitrConfig, atMs: number, into: string): void {
    copyRows(this.ctx.db, baseTableName(cfg.id), into);
    replayLog(this.ctx.db, cfg.id, atMs, into);
  }

  /**
   * Keeps the stored descriptions current and handles tables that were deleted with recovery on:
   * DynamoDB keeps a SYSTEM backup of such a table (`<name>$DeletedTableBackup`), made here from the
   * base snapshot and the complete log; the job that copies it drops the recovery data when done.
   */
  sync(makeSystemBackup: (cfg: PitrConfig, description: TableDescription) => void): void {
    for (const cfg of [...this.configs.values()]) {
      const table = this.ctx.catalog.byTableId(cfg.tableUuid);
      if (table && tableUuid(table) === cfg.tableUuid) {
        const json = JSON.stringify(table.description);
        if (json !== cfg.description) {
          this.ctx.db.transaction(() => {
            this.ctx.db.sqlite.prepare('UPDATE sk_pitr SET description = ? WHERE id = ?').run(json, cfg.id);
          });
          cfg.description = json;
        }
        continue;
      }
      this.ctx.db.transaction(() => {
        // Another process sharing the file may have made the system backup already.
        const still = this.ctx.db.sqlite.prepare('SELECT 1 FROM sk_pitr WHERE id = ?').get(cfg.id);
        if (still) makeSystemBackup(cfg, JSON.parse(cfg.description) as TableDescription);
        this.forget(cfg);
      });
    }
  }
}
