// Copying a table's items into its new global table replicas (engine/replication/replicas.ts).
import type { Statement } from 'better-sqlite3';
import { ChunkTimer } from '../storage/chunk-timer.js';
import { cursorAfter, rowsAfter } from '../tables/backfill.js';
import type { TableKeyCursor } from '../tables/backfill.js';
import type { Catalog } from '../tables/catalog.js';
import type { Table, TableDescription } from '../tables/table.js';
import { writeItem } from '../tables/write.js';
import type { WriteContext } from '../tables/write.js';
import type { Item } from '../types.js';
import { newer } from './service.js';
import type { ReplicationService } from './service.js';

/** Items copied into a new replica per chunk (one transaction). */
const FILL_CHUNK_ROWS = 500;
/** sk_meta keys `replica-fill:<replica table id>` hold the cursors of unfinished copies. */
export const FILL_PREFIX = 'replica-fill:';

export interface FillCursor {
  /** SQLite id of the table copied from. */
  readonly source: number;
  /** After this key of the source (hash, pk hex, sk hex), or from the start. */
  readonly after: TableKeyCursor;
}

/** What replica copies need of the engine (EngineContext provides it), narrow; they write through writeItem. */
export interface ReplicaFillHost extends WriteContext {
  readonly catalog: Pick<Catalog, 'byId' | 'save' | 'addToStatistics'>;
  /** Deadlines of tables/indexes that are still CREATING or UPDATING. */
  readonly pending: Map<string, number>;
  readonly now: () => number;
  prepare(sql: string): Statement;
  readonly replication: Pick<ReplicationService, 'clockOf' | 'setClock'>;
}

/**
 * Copies a table's items into its new replicas, chunk by chunk, each chunk one short transaction
 * (the pattern of the GSI backfill, engine/tables/backfill.ts). The cursor lives in sk_meta, so any
 * process sharing the file may go on with a copy another one left unfinished. An item the replica
 * already holds a newer write of (a replicated write from a third region) is left as it is.
 */
export class ReplicaFills {
  private readonly timer: ChunkTimer;

  constructor(private readonly ctx: ReplicaFillHost) {
    this.timer = new ChunkTimer(ctx.db, 'while copying items into a new global table replica', () =>
      this.step(),
    );
  }

  /** Whether the table is a replica whose copy is not finished. */
  filling(table: Table): boolean {
    return (
      this.ctx.prepare('SELECT 1 FROM sk_meta WHERE key = ?').get(`${FILL_PREFIX}${table.id}`) !== undefined
    );
  }

  private anyPending(): boolean {
    return (
      this.ctx
        .prepare(`SELECT 1 FROM sk_meta WHERE key >= '${FILL_PREFIX}' AND key < 'replica-fill;' LIMIT 1`)
        .get() !== undefined
    );
  }

  /** Copies one chunk of some unfinished fill. Returns false when none is left. */
  step(rows = FILL_CHUNK_ROWS): boolean {
    const { db, catalog } = this.ctx;
    const replication = this.ctx.replication;
    return db.transaction(() => {
      const next = this.ctx
        .prepare(
          `SELECT key, value FROM sk_meta WHERE key >= '${FILL_PREFIX}' AND key < 'replica-fill;' LIMIT 1`,
        )
        .get() as { key: string; value: string } | undefined;
      if (!next) return false;
      const cursor = JSON.parse(next.value) as FillCursor;
      const target = catalog.byId(Number(next.key.slice(FILL_PREFIX.length)));
      const source = catalog.byId(cursor.source);
      if (!target || !source) {
        // The source or the replica was dropped meanwhile: nothing left to copy.
        db.sqlite.prepare('DELETE FROM sk_meta WHERE key = ?').run(next.key);
        if (target) this.finished(target);
        return true;
      }
      const batch = rowsAfter(db, source.sqlName, cursor.after, rows);
      for (const [h, pk, sk, json] of batch) {
        const key = { hash: h, pk, sk };
        const written = replication.clockOf(source.id, key) ?? { ts: 0, region: source.namespace.region };
        const there = replication.clockOf(target.id, key);
        if (there && !newer(written.ts, written.region, there.ts, there.region)) continue;
        const stored = target.getRow(db, key);
        const item = JSON.parse(json) as Item;
        writeItem(
          this.ctx,
          target,
          key,
          stored ? (JSON.parse(stored.json) as Item) : undefined,
          stored?.size ?? 0,
          item,
          undefined,
          'replica-fill',
        );
        replication.setClock(target.id, key, written.ts, written.region);
      }
      if (batch.length === rows) {
        const last = batch[batch.length - 1]!;
        const moved: FillCursor = {
          source: cursor.source,
          after: cursorAfter(last),
        };
        db.sqlite.prepare('UPDATE sk_meta SET value = ? WHERE key = ?').run(JSON.stringify(moved), next.key);
        return true;
      }
      db.sqlite.prepare('DELETE FROM sk_meta WHERE key = ?').run(next.key);
      this.finished(target);
      return true;
    });
  }

  /** The copy is complete: the replica becomes ACTIVE, unless its transient status still runs. */
  private finished(table: Table): void {
    const until = this.ctx.pending.get(table.stateKey);
    if (until !== undefined && this.ctx.now() < until) return;
    this.ctx.pending.delete(table.stateKey);
    table.description = activeDescription(table.description);
    this.ctx.catalog.save(table);
  }

  /** Runs up to `chunks` chunks now; the timer does the rest. */
  runNow(chunks: number): void {
    try {
      for (let i = 0; i < chunks; i++) if (!this.step()) return;
      if (!this.anyPending()) return;
    } catch {
      // Locked by another process: the timer goes on.
    }
    this.timer.schedule(0);
  }

  /** Every unfinished fill to its end (tests, tools). */
  runToEnd(): void {
    while (this.step());
  }

  /** Goes on with fills left unfinished (by this process or another that stopped). */
  resume(): void {
    if (!this.timer.idle || !this.ctx.db.sqlite.open) return;
    try {
      if (this.anyPending()) this.timer.schedule(0);
    } catch {
      // A file too old for global tables has none.
    }
  }

  stop(): void {
    this.timer.stop();
  }
}

/** A replica's description once it is ready: the table and its indexes ACTIVE. */
export function activeDescription(d: TableDescription): TableDescription {
  return {
    ...d,
    TableStatus: 'ACTIVE',
    ...(d.GlobalSecondaryIndexes
      ? { GlobalSecondaryIndexes: d.GlobalSecondaryIndexes.map((g) => ({ ...g, IndexStatus: 'ACTIVE' })) }
      : {}),
  };
}
