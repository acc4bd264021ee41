// Long control-plane work in bounded chunks: indexing a table's items for TTL, the base snapshot of
// point-in-time recovery, on-demand backups, restores and the system backup of a table deleted
// with point-in-time recovery on. It follows engine/tables/backfill.ts: each job is a row of
// sk_meta (`job:<kind>:<id>`, JSON state with a cursor), each chunk is its own short write
// transaction that moves the cursor, chunks continue from a timer, and any process sharing the file
// may run the next chunk, so work left by a process that stopped is finished by the next engine
// that opens the file. The operation answers at once with the transitional status (ENABLING,
// CREATING); a small table finishes within the JOB_SYNC_CHUNKS chunks run before the answer.
//
// Kinds:
// - `ttl`: writes sk_ttl_expiry rows for the items after the cursor. Complete for the same reason
//   as a backfill: the TTL setting committed with the job, so every later write keeps its item's
//   row current itself, and a chunk indexes an item as it is when the chunk reaches it.
// - `snapshot` (PITR base, CreateBackup): copies a live table into a row table as it was when the
//   job began. A chunk copy alone is not a snapshot (a write between chunks would reach the copy),
//   so while the job runs, every write to a key the copy has not reached yet first saves the item's
//   old image (copy-on-write): its key goes into the job's `touched` table (only the first write of
//   a key counts) and its old item, if any, into the copy. Chunks skip touched keys. So each key of
//   the copy holds its value at the start: untouched keys are unchanged since then, touched ones hold
//   the image saved before their first change. Writes to keys the cursor passed change nothing.
// - `fill` (restores, system backups): copies an immutable row table (a backup, or a PITR base,
//   which compaction leaves alone while a fill reads it) into a target, then replays the PITR log
//   entries up to the restore time in log order (the last write of a key wins), then, for a restored
//   table, builds its secondary indexes; the table stays CREATING meanwhile, so no request reaches
//   its items before the end.
import type { Statement } from 'better-sqlite3';
import { ChunkTimer, adaptChunkRows } from '../storage/chunk-timer.js';
import type { Database } from '../storage/database.js';
import type { Catalog } from '../tables/catalog.js';
import type { EncodedKey } from '../tables/schema.js';
import type { Table } from '../tables/table.js';
import { addToIndex } from '../tables/write.js';
import type { WriteEffect } from '../tables/write.js';
import type { Item } from '../types.js';
import { expiryOf } from '../ttl/expiry.js';
import { purgeChunk } from '../storage/trash.js';
import { dropRowTable } from './rows.js';

/** Most rows per chunk (one transaction). */
export const JOB_CHUNK_ROWS = 1000;
/**
 * Chunks aim at this many milliseconds: a chunk that took longer halves the rows of the next one of
 * its kind (down to 25), a quick one grows them again. Writes that land in random places (TTL expiry
 * and index rows ordered otherwise than the table) dirty a page per row, so their chunks must be
 * smaller than copies, which write pages in order; the machine's speed decides the rest.
 */
const JOB_CHUNK_TARGET_MS = 8;
const JOB_CHUNK_MIN_ROWS = 25;
/**
 * Chunks an operation runs before it answers (at least the first, at most the second, and no more
 * once the budget's milliseconds are spent); larger work is answered with a transitional status.
 */
export const JOB_SYNC_CHUNKS = [1, 8] as const;
const JOB_SYNC_BUDGET_MS = 20;

const PREFIX = 'job:';

type KeyHex = [number, string, string];

interface TtlJob {
  kind: 'ttl';
  ttlId: number;
  tableId: number;
  attribute: string;
  after: KeyHex | null;
}

interface SnapshotJob {
  kind: 'snapshot';
  /** What the copy is for: the PITR base of config `owner`, or the data of backup `owner`. */
  purpose: 'pitr' | 'backup';
  owner: number;
  tableId: number;
  target: string;
  touched: string;
  after: KeyHex | null;
}

interface FillJob {
  kind: 'fill';
  purpose: 'restore' | 'systemBackup';
  /** The restored table's id, or the system backup's id. */
  owner: number;
  source: string;
  target: string;
  /** The PITR log to replay after the copy (entries with seq ≤ maxSeq and at ≤ at). */
  pitrId: number | null;
  at: number;
  maxSeq: number;
  /** Drop the PITR base and log when done (the system backup of a deleted table). */
  dropPitr: boolean;
  phase: 'copy' | 'log' | 'index';
  after: KeyHex | null;
  afterSeq: number;
}

/** Deleting the rows of a table in the trash, then dropping it (engine/storage/trash.ts). */
interface PurgeJob {
  kind: 'purge';
  target: string;
  /** Only the rows whose column has this value (a shared table, kept), else all (then dropped). */
  where?: [string, number];
}

export type Job = TtlJob | SnapshotJob | FillJob | PurgeJob;

function hex(k: EncodedKey | [number, Buffer, Buffer]): KeyHex {
  return Array.isArray(k)
    ? [k[0], k[1].toString('hex'), k[2].toString('hex')]
    : [k.hash, k.pk.toString('hex'), k.sk.toString('hex')];
}

function params(k: KeyHex): [number, Buffer, Buffer] {
  return [k[0], Buffer.from(k[1], 'hex'), Buffer.from(k[2], 'hex')];
}

/** SQLite's order of (h, pk, sk): integer, then BLOBs by memcmp then length, as Buffer.compare. */
function compareKey(a: EncodedKey, b: KeyHex): number {
  if (a.hash !== b[0]) return a.hash < b[0] ? -1 : 1;
  const p = Buffer.compare(a.pk, Buffer.from(b[1], 'hex'));
  if (p !== 0) return p;
  return Buffer.compare(a.sk, Buffer.from(b[2], 'hex'));
}

export function jobKey(kind: Job['kind'], id: number | string): string {
  return `${PREFIX}${kind}:${id}`;
}

/**
 * What the jobs need of the engine (EngineContext provides it): declared here, narrow, so that this
 * module depends on neither the context nor the backup and PITR services it reports to.
 */
export interface JobsHost {
  readonly db: Database;
  readonly catalog: Pick<Catalog, 'byId' | 'save' | 'remeasure' | 'addToStatistics'>;
  /** Deadlines of tables/indexes that are still CREATING or UPDATING. */
  readonly pending: ReadonlyMap<string, number>;
  readonly now: () => number;
  prepare(sql: string): Statement;
  /** A backup's data is complete (BackupService). */
  readonly backups: { completed(id: number): void };
  /** A deleted table's PITR base and log are no longer needed (PitrService). */
  readonly pitr: { dropData(id: number): void };
}

export class ControlPlaneJobs {
  private readonly timer: ChunkTimer;
  /** Most rows per chunk (tests make it small). */
  chunkRows = JOB_CHUNK_ROWS;
  /** Rows per chunk now, by kind and phase, as the chunks' durations adapted them. */
  private readonly adapted = new Map<string, number>();
  /** Rows of the running chunk. */
  private rows = JOB_CHUNK_ROWS;
  /** Snapshot jobs by source table id, as the file last said (the write listener reads them). */
  private snapshots = new Map<number, { key: string; job: SnapshotJob }[]>();

  constructor(private readonly ctx: JobsHost) {
    // A slow chunk (a WAL checkpoint, a busy disk) is followed by as long a pause, so a job takes
    // at most about half of the event loop while its chunks are slow.
    this.timer = new ChunkTimer(
      ctx.db,
      'in background control-plane work',
      () => this.step(),
      (took) => (took > JOB_CHUNK_TARGET_MS ? Math.min(took, 100) : 0),
    );
    this.reload();
  }

  /** Reloads the in-memory view of snapshot jobs (after another process's commit, or our own). */
  reload(): void {
    if (!this.ctx.db.sqlite.open) return;
    const rows = this.ctx.db.sqlite
      .prepare(`SELECT key, value FROM sk_meta WHERE key >= 'job:snapshot:' AND key < 'job:snapshot;'`)
      .all() as { key: string; value: string }[];
    const map = new Map<number, { key: string; job: SnapshotJob }[]>();
    for (const r of rows) {
      const job = JSON.parse(r.value) as SnapshotJob;
      const list = map.get(job.tableId) ?? [];
      list.push({ key: r.key, job });
      map.set(job.tableId, list);
    }
    this.snapshots = map;
  }

  /** Registers a job; call inside the transaction that makes its owner. */
  begin(key: string, job: Job): void {
    this.ctx.db.sqlite
      .prepare('INSERT OR REPLACE INTO sk_meta (key, value) VALUES (?, ?)')
      .run(key, JSON.stringify(job));
    if (job.kind === 'snapshot') {
      const list = this.snapshots.get(job.tableId) ?? [];
      list.push({ key, job });
      this.snapshots.set(job.tableId, list);
    }
  }

  /** Whether the job is still running (read from the file). */
  has(key: string): boolean {
    return this.ctx.prepare('SELECT 1 FROM sk_meta WHERE key = ?').get(key) !== undefined;
  }

  /** The unfinished jobs, by key. */
  list(): { key: string; job: Job }[] {
    return (
      this.ctx
        .prepare(`SELECT key, value FROM sk_meta WHERE key >= '${PREFIX}' AND key < 'job;' ORDER BY key`)
        .all() as { key: string; value: string }[]
    ).map((r) => ({ key: r.key, job: JSON.parse(r.value) as Job }));
  }

  /** Whether an unfinished fill job reads the PITR data of `pitrId` (compaction must wait). */
  readsPitr(pitrId: number): boolean {
    return this.list().some((j) => j.job.kind === 'fill' && j.job.pitrId === pitrId);
  }

  /** Whether onWrite may need a write's old item on this table (a snapshot of it is under way). */
  readonly readsOldItem = (table: Table): boolean => this.snapshots.size > 0 && this.snapshots.has(table.id);

  /**
   * The write listener: copy-on-write for snapshot jobs of the written table. Runs inside the
   * write's transaction, after it caught up with the file, so the cursor read here is current.
   */
  readonly onWrite = (effect: WriteEffect): void => {
    if (this.snapshots.size === 0) return;
    const jobs = this.snapshots.get(effect.table.id);
    if (!jobs) return;
    for (const { key } of jobs) {
      const raw = this.ctx.prepare('SELECT value FROM sk_meta WHERE key = ?').pluck().get(key) as
        string | undefined;
      if (raw === undefined) continue;
      const job = JSON.parse(raw) as SnapshotJob;
      const k = effect.key;
      if (job.after !== null && compareKey(k, job.after) <= 0) continue;
      const first = this.ctx
        .prepare(`INSERT OR IGNORE INTO "${job.touched}" (h, pk, sk) VALUES (?, ?, ?)`)
        .run(k.hash, k.pk, k.sk);
      if (first.changes === 0 || !effect.oldItem) continue;
      this.ctx
        .prepare(`INSERT OR REPLACE INTO "${job.target}" (h, pk, sk, item, size) VALUES (?, ?, ?, ?, ?)`)
        .run(k.hash, k.pk, k.sk, JSON.stringify(effect.oldItem), effect.oldSize);
    }
  };

  /**
   * Runs one chunk of some job (or of the job `only`) in its own transaction. Returns false when
   * there is nothing left to do.
   */
  step(only?: string): boolean {
    const { db } = this.ctx;
    let kind = '';
    const started = performance.now();
    const more = db.transaction(() => {
      const next = (
        only === undefined
          ? db.sqlite
              .prepare(`SELECT key, value FROM sk_meta WHERE key >= '${PREFIX}' AND key < 'job;' LIMIT 1`)
              .get()
          : db.sqlite.prepare('SELECT key, value FROM sk_meta WHERE key = ?').get(only)
      ) as { key: string; value: string } | undefined;
      if (!next) return false;
      const job = JSON.parse(next.value) as Job;
      kind = job.kind === 'fill' ? `fill:${job.phase}` : job.kind;
      this.rows = Math.min(this.chunkRows, this.adapted.get(kind) ?? this.chunkRows);
      const done = this.run(job);
      if (done) {
        db.sqlite.prepare('DELETE FROM sk_meta WHERE key = ?').run(next.key);
        this.finish(job);
      } else {
        db.sqlite.prepare('UPDATE sk_meta SET value = ? WHERE key = ?').run(JSON.stringify(job), next.key);
      }
      return true;
    });
    this.reload();
    if (kind) this.adapt(kind, performance.now() - started);
    return more;
  }

  private adapt(kind: string, ms: number): void {
    const min = Math.min(JOB_CHUNK_MIN_ROWS, this.chunkRows);
    const next = adaptChunkRows(this.rows, ms, JOB_CHUNK_TARGET_MS, min, this.chunkRows);
    if (next !== this.rows) this.adapted.set(kind, next);
  }

  /** The next `chunkRows` keys of `table` after `after`: the last one, or null past the end. */
  private chunkEnd(table: string, after: KeyHex | null): [number, Buffer, Buffer] | null {
    const n = this.rows;
    const row = (
      after === null
        ? this.ctx.db.sqlite
            .prepare(`SELECT h, pk, sk FROM "${table}" ORDER BY h, pk, sk LIMIT 1 OFFSET ?`)
            .raw()
            .get(n - 1)
        : this.ctx.db.sqlite
            .prepare(
              `SELECT h, pk, sk FROM "${table}" WHERE (h, pk, sk) > (?, ?, ?) ORDER BY h, pk, sk LIMIT 1 OFFSET ?`,
            )
            .raw()
            .get(...params(after), n - 1)
    ) as [number, Buffer, Buffer] | undefined;
    return row ?? null;
  }

  /** `WHERE` text and parameters of the key range (after, until]. */
  private range(
    after: KeyHex | null,
    until: [number, Buffer, Buffer] | null,
    alias = '',
  ): [string, unknown[]] {
    const a = alias ? `${alias}.` : '';
    const parts: string[] = [];
    const args: unknown[] = [];
    if (after !== null) {
      parts.push(`(${a}h, ${a}pk, ${a}sk) > (?, ?, ?)`);
      args.push(...params(after));
    }
    if (until !== null) {
      parts.push(`(${a}h, ${a}pk, ${a}sk) <= (?, ?, ?)`);
      args.push(...until);
    }
    if (parts.length === 0) {
      // The whole table in one chunk: still a range, so SQLite searches the key instead of scanning.
      parts.push(`${a}h >= ?`);
      args.push(-(2n ** 63n));
    }
    return [`WHERE ${parts.join(' AND ')}`, args];
  }

  /** Runs one chunk of `job` (mutating its cursor); true when the job is complete. */
  private run(job: Job): boolean {
    const sqlite = this.ctx.db.sqlite;
    if (job.kind === 'purge') return purgeChunk(this.ctx.db, job.target, this.rows, job.where);
    const table = (id: number): Table | undefined => this.ctx.catalog.byId(id);
    if (job.kind === 'ttl') {
      const t = table(job.tableId);
      if (!t) return true;
      const until = this.chunkEnd(t.sqlName, job.after);
      const [where, args] = this.range(job.after, until);
      if (!/["\\]/.test(job.attribute)) {
        // SQLite reads the attribute's N straight from the stored JSON: no item is decoded here.
        sqlite
          .prepare(
            `INSERT OR REPLACE INTO sk_ttl_expiry (ttl_id, expires_at, h, pk, sk)
             SELECT ?, CAST(e AS REAL), h, pk, sk FROM (SELECT h, pk, sk, item ->> ? AS e FROM "${t.sqlName}" ${where})
             WHERE e IS NOT NULL`,
          )
          .run(job.ttlId, `$."${job.attribute}".N`, ...args);
      } else {
        const rows = sqlite
          .prepare(`SELECT h, pk, sk, item FROM "${t.sqlName}" ${where} ORDER BY h, pk, sk`)
          .raw()
          .all(...args) as [number, Buffer, Buffer, string][];
        const insert = sqlite.prepare(
          'INSERT OR REPLACE INTO sk_ttl_expiry (ttl_id, expires_at, h, pk, sk) VALUES (?, ?, ?, ?, ?)',
        );
        for (const [h, pk, sk, json] of rows) {
          const at = expiryOf(JSON.parse(json) as Item, job.attribute);
          if (at !== undefined) insert.run(job.ttlId, at, h, pk, sk);
        }
      }
      if (until === null) return true;
      job.after = hex(until);
      return false;
    }
    if (job.kind === 'snapshot') {
      const t = table(job.tableId);
      if (t) {
        const until = this.chunkEnd(t.sqlName, job.after);
        const [where, args] = this.range(job.after, until, 't');
        sqlite
          .prepare(
            `INSERT OR REPLACE INTO "${job.target}" (h, pk, sk, item, size)
             SELECT t.h, t.pk, t.sk, t.item, t.size FROM "${t.sqlName}" t ${where}
             AND NOT EXISTS (SELECT 1 FROM "${job.touched}" x WHERE x.h = t.h AND x.pk = t.pk AND x.sk = t.sk)`,
          )
          .run(...args);
        if (until !== null) {
          job.after = hex(until);
          return false;
        }
      }
      // Complete (or the table is gone, which DeleteTable avoids by finishing the job first).
      dropRowTable(this.ctx.db, job.touched);
      return true;
    }
    if (job.phase === 'copy') {
      const until = this.chunkEnd(job.source, job.after);
      const [where, args] = this.range(job.after, until);
      sqlite
        .prepare(
          `INSERT OR REPLACE INTO "${job.target}" (h, pk, sk, item, size) SELECT h, pk, sk, item, size FROM "${job.source}" ${where}`,
        )
        .run(...args);
      if (until !== null) {
        job.after = hex(until);
        return false;
      }
      job.after = null;
      job.phase = job.pitrId === null ? 'index' : 'log';
      // The copy ended in a partial chunk: the next phase starts in the same transaction.
      return this.run(job);
    }
    if (job.phase === 'log') {
      const entries = sqlite
        .prepare(
          `SELECT seq, h, pk, sk, item, size FROM sk_pitr_log WHERE seq > ? AND seq <= ? AND pitr_id = ? AND at <= ?
           ORDER BY seq LIMIT ?`,
        )
        .raw()
        .all(job.afterSeq, job.maxSeq, job.pitrId, job.at, this.rows) as [
        number,
        number,
        Buffer,
        Buffer,
        string | null,
        number,
      ][];
      const put = sqlite.prepare(
        `INSERT OR REPLACE INTO "${job.target}" (h, pk, sk, item, size) VALUES (?, ?, ?, ?, ?)`,
      );
      const del = sqlite.prepare(`DELETE FROM "${job.target}" WHERE h = ? AND pk = ? AND sk = ?`);
      for (const [, h, pk, sk, item, size] of entries) {
        if (item === null) del.run(h, pk, sk);
        else put.run(h, pk, sk, item, size);
      }
      if (entries.length === this.rows) {
        job.afterSeq = entries[entries.length - 1]![0];
        return false;
      }
      job.phase = 'index';
      if (job.purpose === 'restore') {
        const t = table(job.owner);
        if (t) this.ctx.catalog.remeasure(t);
      }
      return this.run(job);
    }
    // phase 'index'
    if (job.purpose === 'systemBackup') return this.finishSystemBackup(job);
    const t = table(job.owner);
    if (!t) return true;
    if (job.after === null && job.pitrId === null) this.ctx.catalog.remeasure(t);
    if (t.indexes.size === 0) return this.finishRestore(t);
    const until = this.chunkEnd(t.sqlName, job.after);
    const [where, args] = this.range(job.after, until);
    const rows = sqlite
      .prepare(`SELECT h, pk, sk, item FROM "${t.sqlName}" ${where} ORDER BY h, pk, sk`)
      .raw()
      .all(...args) as [number, Buffer, Buffer, string][];
    for (const [h, pk, sk, json] of rows) {
      const item = JSON.parse(json) as Item;
      for (const index of t.indexes.values())
        addToIndex(this.ctx.db, this.ctx.catalog, index, { hash: h, pk, sk }, item);
    }
    if (until !== null) {
      job.after = hex(until);
      return false;
    }
    return this.finishRestore(t);
  }

  /** The restored table is complete: ACTIVE (unless a configured transient status still runs). */
  private finishRestore(t: Table): boolean {
    const until = this.ctx.pending.get(t.stateKey);
    if (until !== undefined && this.ctx.now() < until) {
      // settle() makes it ACTIVE when the transient status's time is up.
      t.description = {
        ...t.description,
        RestoreSummary: { ...t.description.RestoreSummary!, RestoreInProgress: false },
      };
    } else {
      t.description = {
        ...t.description,
        TableStatus: 'ACTIVE',
        ...(t.description.RestoreSummary
          ? { RestoreSummary: { ...t.description.RestoreSummary, RestoreInProgress: false } }
          : {}),
        ...(t.description.GlobalSecondaryIndexes
          ? {
              GlobalSecondaryIndexes: t.description.GlobalSecondaryIndexes.map((g) => ({
                ...g,
                IndexStatus: 'ACTIVE' as const,
              })),
            }
          : {}),
      };
    }
    this.ctx.catalog.save(t);
    return true;
  }

  private finishSystemBackup(job: FillJob): boolean {
    this.ctx.backups.completed(job.owner);
    if (job.dropPitr && job.pitrId !== null) this.ctx.pitr.dropData(job.pitrId);
    return true;
  }

  /** What a finished job leaves to its owner. */
  private finish(job: Job): void {
    if (job.kind === 'snapshot' && job.purpose === 'backup') this.ctx.backups.completed(job.owner);
  }

  /**
   * Runs up to `chunks` chunks of job `key` now (the operation, before it answers), then leaves the
   * rest to the timer. Returns true when the job is complete. A busy file leaves it all to the timer.
   */
  runNow(key: string): boolean {
    const [least, most] = JOB_SYNC_CHUNKS;
    const started = performance.now();
    try {
      for (let i = 0; i < most; i++) {
        if (!this.step(key)) return true;
        if (i + 1 >= least && performance.now() - started >= JOB_SYNC_BUDGET_MS) break;
      }
      if (!this.has(key)) return true;
    } catch {
      // Another process holds the write lock (or a chunk failed and rolled back): the timer goes on.
    }
    this.schedule();
    return false;
  }

  /** Runs job `key` (or every job) to its end, waiting for locks. */
  runToEnd(key?: string): void {
    while (this.step(key));
  }

  schedule(delayMs = 0): void {
    this.timer.schedule(delayMs);
  }

  /** Schedules the timer when the file holds an unfinished job (at open, after others' commits). */
  resume(): void {
    if (!this.ctx.db.sqlite.open) return;
    this.reload();
    this.kick();
  }

  /**
   * Schedules the timer when a job waits (after a control-plane operation, which may have left
   * one, such as the purge of a dropped table): one cached statement, no reload.
   */
  kick(): void {
    if (!this.timer.idle || !this.ctx.db.sqlite.open) return;
    const any = this.ctx
      .prepare(`SELECT 1 FROM sk_meta WHERE key >= '${PREFIX}' AND key < 'job;' LIMIT 1`)
      .get();
    if (any !== undefined) this.schedule();
  }

  stop(): void {
    this.timer.stop();
  }
}
