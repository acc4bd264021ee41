// Asynchronous replication between the replicas of a global table (version 2019.11.21).
//
// Every write to a table that has replicas (its description lists them in `Replicas`) appends, in
// the write's own transaction, one row per other replica to `sk_replication`: the item's key, its
// new image (NULL for a delete), the write's timestamp and the time it becomes due (`written_at` +
// the replication delay). A write is acknowledged only after its commit, so an acknowledged write's
// replication is on disk even if the process is killed at once.
//
// The applier takes due rows in `seq` order (so each item's writes arrive in the order they were
// made) and applies them in short write transactions that also delete the rows they applied: only
// one process holds the write lock at a time, so each row is applied exactly once even when several
// processes share the file, and a process that stops leaves the rest for the next one to open it.
//
// Conflicts: each item of a replicated table keeps its last write's timestamp and region in
// `sk_item_clock` (DynamoDB keeps a hidden timestamp). A replicated write applies only when it is
// newer (last writer wins); a local write always applies and takes a timestamp newer than the
// item's. Two writes with the same timestamp are ordered by region name (DynamoDB does not document
// its tie-break; any fixed order makes replicas converge).
import type { Statement } from 'better-sqlite3';
import { ChunkTimer } from '../storage/chunk-timer.js';
import type { Catalog } from '../tables/catalog.js';
import type { Namespace, Table } from '../tables/table.js';
import type { WriteContext, WriteEffect } from '../tables/write.js';
import { writeItem } from '../tables/write.js';
import type { Item } from '../types.js';
import { itemSize } from '../values/size.js';
import { writeUnits } from '../capacity.js';

/** The version DescribeTable reports for global tables made through ReplicaUpdates. */
export const GLOBAL_TABLE_VERSION = '2019.11.21';
/** Default of `--replication-delay`: small but not zero, so code meets a replica that lags. */
export const DEFAULT_REPLICATION_DELAY_MS = 100;
/** Replicated writes applied per transaction. */
const APPLY_CHUNK_ROWS = 200;
/** Latency samples kept per (table, receiving region) for ReplicationLatency. */
const LATENCY_SAMPLES = 256;

interface QueueRow {
  seq: number;
  account: string;
  source: string;
  target: string;
  table_name: string;
  h: number;
  pk: Buffer;
  sk: Buffer;
  item: string | null;
  ts: number;
  written_at: number;
  due_at: number;
}

/** A replicated write's capacity: the receiving table, its write units, units per index. */
type Charge = [Table, number, ReadonlyMap<string, number>];

/** One replica's replication latency as seen from this process (the metric's samples). */
export interface LatencySample {
  readonly at: number;
  readonly ms: number;
}

/** The regions a table replicates to (the others of its global table), or none. */
export function replicaRegions(table: Table): string[] {
  return (table.description.Replicas ?? []).map((r) => r.RegionName!).filter(Boolean);
}

/** What replication needs of the engine (EngineContext provides it), narrow; it writes through writeItem. */
export interface ReplicationHost extends WriteContext {
  readonly catalog: Pick<Catalog, 'get' | 'addToStatistics'>;
  readonly now: () => number;
  prepare(sql: string): Statement;
  /** Runs `fn` with `ns` as the namespace tables are looked up in (EngineContext.inNamespace). */
  inNamespace<T>(ns: Namespace | undefined, fn: () => T): T;
  /** Charges the receiving replica for the writes applied (UsageMonitor.replicatedWrite). */
  readonly usage: {
    replicatedWrite(table: Table, units: number, indexWrites: ReadonlyMap<string, number>, now: number): void;
  };
}

export class ReplicationService {
  private readonly timer: ChunkTimer;
  private stmts?: {
    clock: Statement;
    setClock: Statement;
    enqueue: Statement;
    next: Statement;
    done: Statement;
    earliest: Statement;
  };
  /**
   * ReplicationLatency samples by `<account>:<source region>/<table>` then receiving region: kept in
   * memory by the process that applies (DynamoDB publishes the metric in the source region).
   */
  readonly latency = new Map<string, Map<string, LatencySample[]>>();

  constructor(
    private readonly ctx: ReplicationHost,
    /** Milliseconds between a write and its application to the other replicas. */
    public delayMs: number,
  ) {
    this.timer = new ChunkTimer(ctx.db, 'while replicating writes to global table replicas', () =>
      this.step(),
    );
  }

  private statements() {
    const sqlite = this.ctx.db.sqlite;
    this.stmts ??= {
      clock: sqlite.prepare(
        'SELECT ts, region FROM sk_item_clock WHERE table_id = ? AND h = ? AND pk = ? AND sk = ?',
      ),
      setClock: sqlite.prepare(
        'INSERT OR REPLACE INTO sk_item_clock (table_id, h, pk, sk, ts, region) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      enqueue: sqlite.prepare(
        `INSERT INTO sk_replication (account, source, target, table_name, h, pk, sk, item, ts, written_at, due_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      next: sqlite.prepare(`SELECT * FROM sk_replication ORDER BY seq LIMIT ${APPLY_CHUNK_ROWS}`),
      done: sqlite.prepare('DELETE FROM sk_replication WHERE seq <= ?'),
      earliest: sqlite.prepare('SELECT due_at FROM sk_replication ORDER BY seq LIMIT 1').pluck(),
    };
    return this.stmts;
  }

  /** The item's last write (timestamp in microseconds, region), if it was ever written as replicated. */
  clockOf(
    tableId: number,
    key: { hash: number; pk: Buffer; sk: Buffer },
  ): { ts: number; region: string } | undefined {
    return this.statements().clock.get(tableId, key.hash, key.pk, key.sk) as
      { ts: number; region: string } | undefined;
  }

  setClock(tableId: number, key: { hash: number; pk: Buffer; sk: Buffer }, ts: number, region: string): void {
    this.statements().setClock.run(tableId, key.hash, key.pk, key.sk, ts, region);
  }

  /** The write listener: queues a local write of a replicated table for every other replica. */
  readonly onWrite = (effect: WriteEffect): void => {
    if (effect.origin === 'replication' || effect.origin === 'replica-fill') return;
    const table = effect.table;
    const targets = replicaRegions(table);
    if (targets.length === 0) return;
    const now = this.ctx.now();
    const previous = this.clockOf(table.id, effect.key);
    // Microseconds, and always newer than the item's last write (two writes in one millisecond).
    const ts = Math.max(now * 1000, (previous?.ts ?? 0) + 1);
    const region = table.namespace.region;
    this.setClock(table.id, effect.key, ts, region);
    const json = effect.newJson ?? null;
    const { enqueue } = this.statements();
    for (const target of targets) {
      enqueue.run(
        table.namespace.accountId,
        region,
        target,
        table.name,
        effect.key.hash,
        effect.key.pk,
        effect.key.sk,
        json,
        ts,
        now,
        now + this.delayMs,
      );
    }
    this.scheduleAfterCommit = true;
  };

  private scheduleAfterCommit = false;

  /** After an operation: wakes the applier if that operation queued replicated writes. */
  afterOperation(): void {
    if (!this.scheduleAfterCommit) return;
    this.scheduleAfterCommit = false;
    this.schedule();
  }

  /**
   * Applies the due replicated writes of one chunk in one transaction. Returns true when more rows
   * are due now (the timer goes on at once); otherwise the timer is set for the next due row.
   */
  step(now = this.ctx.now()): boolean {
    const { next, done } = this.statements();
    let more = false;
    const charges: Charge[] = [];
    this.ctx.db.transaction(() => {
      const rows = next.all() as QueueRow[];
      let last = -1;
      for (const row of rows) {
        if (row.due_at > now) break;
        this.apply(row, now, charges);
        last = row.seq;
      }
      if (last >= 0) done.run(last);
      more = last >= 0 && last === rows[rows.length - 1]?.seq && rows.length === APPLY_CHUNK_ROWS;
    });
    for (const [table, units, indexWrites] of charges) {
      this.ctx.usage.replicatedWrite(table, units, indexWrites, now);
    }
    if (!more) this.scheduleNextDue(now);
    return more;
  }

  /** Applies one replicated write to its target replica, unless a newer write is there already. */
  private apply(row: QueueRow, now: number, charges: Charge[]): void {
    const ctx = this.ctx;
    const table = ctx.inNamespace({ accountId: row.account, region: row.target }, () =>
      ctx.catalog.get(row.table_name),
    );
    // The replica was removed meanwhile (or the source left the group): nothing to apply.
    if (!table || !replicaRegions(table).includes(row.source)) return;
    const key = { hash: row.h, pk: row.pk, sk: row.sk };
    const clock = this.clockOf(table.id, key);
    if (clock && !newer(row.ts, row.source, clock.ts, clock.region)) {
      this.recordLatency(row, now);
      return;
    }
    const stored = table.getRow(ctx.db, key);
    const oldItem = stored ? (JSON.parse(stored.json) as Item) : undefined;
    const newItem = row.item === null ? undefined : (JSON.parse(row.item) as Item);
    const oldSize = stored?.size ?? 0;
    const newSize = newItem ? itemSize(newItem) : 0;
    const effect = writeItem(ctx, table, key, oldItem, oldSize, newItem, newSize, 'replication');
    // The receiving replica pays for it, as a local write of the item would (monitor.ts): charged
    // once the chunk has committed, so a chunk that rolls back and runs again counts once.
    charges.push([table, writeUnits(Math.max(oldSize, newSize)), effect.indexWrites]);
    this.setClock(table.id, key, row.ts, row.source);
    this.recordLatency(row, now);
  }

  private recordLatency(row: QueueRow, now: number): void {
    const key = `${row.account}:${row.source}/${row.table_name}`;
    let byTarget = this.latency.get(key);
    if (!byTarget) this.latency.set(key, (byTarget = new Map()));
    let samples = byTarget.get(row.target);
    if (!samples) byTarget.set(row.target, (samples = []));
    samples.push({ at: now, ms: Math.max(0, now - row.written_at) });
    if (samples.length > LATENCY_SAMPLES) samples.splice(0, samples.length - LATENCY_SAMPLES);
  }

  /** ReplicationLatency samples of a table (in its namespace) towards one receiving region. */
  latencySamples(table: Table, receivingRegion: string): readonly LatencySample[] {
    const key = `${table.namespace.accountId}:${table.namespace.region}/${table.name}`;
    return this.latency.get(key)?.get(receivingRegion) ?? [];
  }

  /** Replicated writes of a table not yet applied to one of its replicas. */
  pendingCount(table: Table, target: string): number {
    return this.ctx
      .prepare(
        'SELECT count(*) FROM sk_replication WHERE account = ? AND source = ? AND target = ? AND table_name = ?',
      )
      .pluck()
      .get(table.namespace.accountId, table.namespace.region, target, table.name) as number;
  }

  /** Every due replicated write, applied now (tests with an injected clock, tools). */
  runDue(now = this.ctx.now()): void {
    while (this.step(now));
  }

  private scheduleNextDue(now: number): void {
    const due = this.statements().earliest.get() as number | undefined;
    if (due === undefined) return;
    // An injected clock (tests) does not move with timers: they call runDue.
    this.timer.schedule(Math.max(0, due - now));
  }

  /** Wakes the applier (after a write queued rows, or when the file holds a queue left by others). */
  schedule(): void {
    if (!this.timer.idle || !this.ctx.db.sqlite.open) return;
    try {
      this.scheduleNextDue(this.ctx.now());
    } catch {
      // A file too old to hold the queue (read-only tools) has nothing to replicate.
    }
  }

  /** Forgets what is kept of a dropped table; call inside the transaction that drops it. */
  dropTable(table: Table): void {
    this.ctx.prepare('DELETE FROM sk_item_clock WHERE table_id = ?').run(table.id);
  }

  stop(): void {
    this.timer.stop();
  }
}

/** Whether a write stamped (ts, region) is newer than one stamped (otherTs, otherRegion). */
export function newer(ts: number, region: string, otherTs: number, otherRegion: string): boolean {
  return ts > otherTs || (ts === otherTs && region > otherRegion);
}
