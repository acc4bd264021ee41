// Building a GSI that UpdateTable adds from the items already in its table: in chunks, each its own
// short write transaction, so no process ever holds the database's write lock for long and requests
// (of this process and of others sharing the file) run between chunks.
//
// Why the result is complete: the index definition commits first (IndexStatus CREATING,
// Backfilling true), together with a cursor in sk_meta. Every write transaction of every process
// catches up with the catalog right after it takes the write lock (EngineContext.catchUp), so every
// item write committed after the definition maintains the index. Each chunk then indexes the items
// after the cursor as they are at that moment, and moves the cursor, in one transaction. An item
// written before the definition is reached by a chunk; one written after is maintained by its
// writer, and a chunk that reaches it later writes the very same index row again.
//
// Any process may run the next chunk: the cursor lives in the file, so a backfill left unfinished
// by a process that stopped is finished by the next engine that opens the file.
import { ChunkTimer, adaptChunkRows } from '../storage/chunk-timer.js';
import type { Database } from '../storage/database.js';
import type { Item } from '../types.js';
import type { Index, Table } from './table.js';
import { addToIndex } from './write.js';
import type { StatisticsSink } from './write.js';

/** Items indexed per chunk (one transaction). */
export const BACKFILL_CHUNK_ROWS = 500;
/** Chunks UpdateTable runs before it answers; a larger table's index is answered CREATING. */
export const BACKFILL_SYNC_CHUNKS = 8;
/**
 * …and no more once this many milliseconds are spent (at least one chunk runs): 8 chunks of 500
 * items took 80–160 ms on a 200k-item table, a stall of every other client at UpdateTable.
 */
const BACKFILL_SYNC_BUDGET_MS = 20;
/**
 * The timer's chunks aim at this many milliseconds: a slower chunk halves the next one's rows (down
 * to 25), a quick one grows them again (up to BACKFILL_CHUNK_ROWS). Index rows land in another order
 * than the table's, so a chunk dirties about a page per item and its cost depends on the machine.
 */
const BACKFILL_CHUNK_TARGET_MS = 8;
const BACKFILL_MIN_ROWS = 25;

const PREFIX = 'backfill:';

/** The sk_meta key holding the cursor of an index's backfill. */
export function backfillKey(tableId: number, indexName: string): string {
  return `${PREFIX}${tableId}:${indexName}`;
}

/** The range of sk_meta keys of one table's backfills: [from, to). */
export function backfillKeyRange(tableId: number): [string, string] {
  return [`${PREFIX}${tableId}:`, `${PREFIX}${tableId};`];
}

/** Where a backfill stands: after this table key (hex), or at the start. */
interface Cursor {
  readonly after: TableKeyCursor;
}

/** A position in a table's key order, as saved between chunks: (hash, pk hex, sk hex), or the start. */
export type TableKeyCursor = [number, string, string] | null;

/** A stored row as a chunked copy reads it: hash, pk, sk, item JSON. */
export type KeyOrderRow = [number, Buffer, Buffer, string];

/**
 * The next `rows` rows of `sqlName` in key order after `after`: one seek on the primary key, so a
 * chunk late in a big table costs what the first one does. Index backfills and replica copies use it.
 */
export function rowsAfter(db: Database, sqlName: string, after: TableKeyCursor, rows: number): KeyOrderRow[] {
  return (
    after === null
      ? db.sqlite
          .prepare(`SELECT h, pk, sk, item FROM "${sqlName}" ORDER BY h, pk, sk LIMIT ?`)
          .raw()
          .all(rows)
      : db.sqlite
          .prepare(
            `SELECT h, pk, sk, item FROM "${sqlName}" WHERE (h, pk, sk) > (?, ?, ?) ORDER BY h, pk, sk LIMIT ?`,
          )
          .raw()
          .all(after[0], Buffer.from(after[1], 'hex'), Buffer.from(after[2], 'hex'), rows)
  ) as KeyOrderRow[];
}

/** The cursor after a stored row. */
export function cursorAfter(row: KeyOrderRow): [number, string, string] {
  return [row[0], row[1].toString('hex'), row[2].toString('hex')];
}

/**
 * What backfills need of the engine (EngineContext provides it): declared here, narrow, so that
 * this module (which the catalog imports) depends on neither the catalog nor the context.
 */
export interface BackfillHost {
  readonly db: Database;
  readonly catalog: StatisticsSink & {
    byId(id: number): Table | undefined;
    save(table: Table): void;
  };
  /** Deadlines of tables/indexes that are still CREATING or UPDATING. */
  readonly pending: ReadonlyMap<string, number>;
  readonly now: () => number;
}

export class Backfills {
  private readonly timer: ChunkTimer;

  constructor(private readonly ctx: BackfillHost) {
    this.timer = new ChunkTimer(ctx.db, 'while building a secondary index', () => this.timedStep());
  }

  /** Rows of the timer's next chunk, as the chunks' durations adapted them. */
  private rows = BACKFILL_CHUNK_ROWS;

  private timedStep(): boolean {
    const started = performance.now();
    const more = this.step(this.rows);
    const took = performance.now() - started;
    this.rows = adaptChunkRows(
      this.rows,
      took,
      BACKFILL_CHUNK_TARGET_MS,
      BACKFILL_MIN_ROWS,
      BACKFILL_CHUNK_ROWS,
    );
    return more;
  }

  /** Registers the backfill of a new index; call inside the transaction that creates it. */
  begin(table: Table, index: Index): void {
    const cursor: Cursor = { after: null };
    this.ctx.db.sqlite
      .prepare('INSERT OR REPLACE INTO sk_meta (key, value) VALUES (?, ?)')
      .run(backfillKey(table.id, index.name), JSON.stringify(cursor));
  }

  /** Names of the table's indexes whose backfill is not finished. */
  pending(table: Table): Set<string> {
    const [from, to] = backfillKeyRange(table.id);
    const keys = this.ctx.db.sqlite
      .prepare('SELECT key FROM sk_meta WHERE key >= ? AND key < ?')
      .pluck()
      .all(from, to) as string[];
    return new Set(keys.map((k) => k.slice(from.length)));
  }

  private anyPending(): boolean {
    return (
      this.ctx.db.sqlite
        .prepare(`SELECT 1 FROM sk_meta WHERE key >= '${PREFIX}' AND key < 'backfill;' LIMIT 1`)
        .get() !== undefined
    );
  }

  /**
   * Runs one chunk of some unfinished backfill in its own transaction. Returns false when there is
   * nothing left to do. Throws DatabaseBusyError when another process holds the write lock (and
   * the database is not waiting for locks).
   */
  step(rows = BACKFILL_CHUNK_ROWS): boolean {
    const { db, catalog } = this.ctx;
    return db.transaction(() => {
      // The transaction has caught up with the catalog (its begin listener): tables and indexes
      // dropped by anyone are gone, and another process may have finished this backfill already.
      const next = db.sqlite
        .prepare(`SELECT key, value FROM sk_meta WHERE key >= '${PREFIX}' AND key < 'backfill;' LIMIT 1`)
        .get() as { key: string; value: string } | undefined;
      if (!next) return false;
      const rest = next.key.slice(PREFIX.length);
      const colon = rest.indexOf(':');
      const tableId = Number(rest.slice(0, colon));
      const indexName = rest.slice(colon + 1);
      const table = catalog.byId(tableId);
      const index = table?.indexes.get(indexName);
      if (!table || !index) {
        db.sqlite.prepare('DELETE FROM sk_meta WHERE key = ?').run(next.key);
        return true;
      }
      const cursor = JSON.parse(next.value) as Cursor;
      const batch = rowsAfter(db, table.sqlName, cursor.after, rows);
      for (const [h, pk, sk, json] of batch) {
        addToIndex(db, catalog, index, { hash: h, pk, sk }, JSON.parse(json) as Item);
      }
      if (batch.length === rows) {
        const last = batch[batch.length - 1]!;
        const moved: Cursor = { after: cursorAfter(last) };
        db.sqlite.prepare('UPDATE sk_meta SET value = ? WHERE key = ?').run(JSON.stringify(moved), next.key);
        return true;
      }
      db.sqlite.prepare('DELETE FROM sk_meta WHERE key = ?').run(next.key);
      this.finished(table, index);
      return true;
    });
  }

  /** The backfill is complete: the index becomes ACTIVE, unless a transient status still runs. */
  private finished(table: Table, index: Index): void {
    const until = this.ctx.pending.get(table.stateKey);
    // With transient statuses on, settle() makes the index ACTIVE once its time is up.
    if (until !== undefined && this.ctx.now() < until) return;
    const gsis = table.description.GlobalSecondaryIndexes;
    if (!gsis) return;
    table.description = {
      ...table.description,
      GlobalSecondaryIndexes: gsis.map((g) => {
        if (g.IndexName !== index.name) return g;
        const { Backfilling: _b, ...rest } = g;
        return { ...rest, IndexStatus: 'ACTIVE' };
      }),
    };
    this.ctx.catalog.save(table);
  }

  /**
   * Runs up to `chunks` chunks now (UpdateTable, before it answers), and no more once
   * BACKFILL_SYNC_BUDGET_MS are spent. Stops early, leaving the rest to the timer, when another
   * process holds the write lock. Returns true when nothing is left.
   */
  runNow(chunks: number): boolean {
    const started = performance.now();
    try {
      for (let i = 0; i < chunks; i++) {
        if (!this.step()) return true;
        if (performance.now() - started >= BACKFILL_SYNC_BUDGET_MS) break;
      }
      if (!this.anyPending()) return true;
    } catch {
      // The file is locked by another process (or a chunk failed and rolled back): the index was
      // created all the same, and the timer goes on with its backfill.
    }
    this.schedule();
    return false;
  }

  /** Runs every unfinished backfill to its end, waiting for locks (tests, command-line tools). */
  runToEnd(): void {
    while (this.step());
  }

  /**
   * Makes sure unfinished backfills (this process's, or ones another process left) go on: one
   * chunk per timer turn, never waiting for another process's lock while blocking the event loop.
   */
  schedule(delayMs = 0): void {
    this.timer.schedule(delayMs);
  }

  /** Schedules the timer when the file holds an unfinished backfill. */
  resume(): void {
    if (!this.timer.idle || !this.ctx.db.sqlite.open) return;
    if (this.anyPending()) this.schedule();
  }

  stop(): void {
    this.timer.stop();
  }
}
