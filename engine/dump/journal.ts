// The import journal: an import commits in short chunks (so other writers sharing the database
// file wait for one chunk at most, not for the whole import), and records in the same transactions
// what each chunk changed, so that an import that fails, is cancelled or is killed half-way can
// be undone and leave every table as it was.
//
//   sk_import_runs       one row per running import: its process (pid, host) and state.
//   sk_import_undo_<id>  one row per change of run <id>, in order: a table the import created
//                        (undo: drop it), or an item's image before the import first wrote it
//                        (undo: write it back; no image: delete the item).
//
// The run is marked 'done' in the transaction of its last chunk, which makes the import's success
// atomic; the undo table is dropped after that (or by the next engine that opens the file, when the
// process died in between). An engine opening the file undoes the runs whose process is gone
// (`recoverInterruptedImports`). Both tables are created on first use, not by a schema migration:
// a database that never imported is unchanged.
import { hostname } from 'node:os';
import type { Catalog } from '../tables/catalog.js';
import type { EncodedKey } from '../tables/schema.js';
import type { Table } from '../tables/table.js';
import { writeItem } from '../tables/write.js';
import type { WriteContext } from '../tables/write.js';
import type { Item } from '../types.js';

const RUNS_SQL = `CREATE TABLE IF NOT EXISTS sk_import_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  state TEXT NOT NULL
)`;

/** Undo rows applied per transaction: each transaction stays short for other writers. */
const UNDO_BATCH = 500;

type UndoRow = [
  seq: number,
  tableName: string,
  tableId: number,
  h: number | null,
  pk: Buffer | null,
  sk: Buffer | null,
  item: string | null,
  size: number,
];

function undoTableName(run: number): string {
  return `sk_import_undo_${run}`;
}

/** What the journal needs of the engine (EngineContext provides it), narrow; undoing writes through writeItem. */
export interface JournalHost extends WriteContext {
  readonly catalog: Pick<Catalog, 'byId' | 'drop' | 'addToStatistics'>;
  /** Reloads the catalog when another process has committed (EngineContext.refreshIfChanged). */
  refreshIfChanged(force?: boolean): void;
  /** Reconciles streams, TTL and PITR with the catalog (EngineContext.syncFeatures). */
  syncFeatures(): void;
}

export class ImportJournal {
  private readonly insert: { run(...args: unknown[]): unknown };
  private closed = false;

  private constructor(
    private readonly ctx: JournalHost,
    readonly run: number,
  ) {
    this.insert = ctx.db.sqlite.prepare(
      `INSERT INTO "${undoTableName(run)}" (table_name, table_id, h, pk, sk, item, size) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Registers a new run (in its own transaction, before the first chunk). */
  static start(ctx: JournalHost): ImportJournal {
    const db = ctx.db;
    const run = db.transaction(() => {
      db.sqlite.exec(RUNS_SQL);
      const id = Number(
        db.sqlite
          .prepare("INSERT INTO sk_import_runs (pid, host, started_at, state) VALUES (?, ?, ?, 'running')")
          .run(process.pid, hostname(), Date.now()).lastInsertRowid,
      );
      db.sqlite.exec(`CREATE TABLE "${undoTableName(id)}" (
        seq INTEGER PRIMARY KEY,
        table_name TEXT NOT NULL, table_id INTEGER NOT NULL,
        h INTEGER, pk BLOB, sk BLOB, item TEXT, size INTEGER NOT NULL)`);
      return id;
    });
    return new ImportJournal(ctx, run);
  }

  /** The import created `table` (call in the transaction that created it). */
  created(table: Table): void {
    this.insert.run(table.name, table.id, null, null, null, null, 0);
  }

  /** The item at `key` is about to be written; `json`/`size` is what is there now (none: absent). */
  before(table: Table, key: EncodedKey, json: string | undefined, size: number): void {
    this.insert.run(table.name, table.id, key.hash, key.pk, key.sk, json ?? null, size);
  }

  /** Marks the run as succeeded: call inside the transaction of the last chunk. */
  succeed(): void {
    this.ctx.db.sqlite.prepare("UPDATE sk_import_runs SET state = 'done' WHERE id = ?").run(this.run);
  }

  /** Drops the journal of a succeeded run (its own transaction). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    forget(this.ctx, this.run);
  }

  /** Undoes every committed change of this run, newest first, then forgets the run. */
  undo(): void {
    if (this.closed) return;
    this.closed = true;
    undoRun(this.ctx, this.run);
  }
}

function forget(ctx: JournalHost, run: number): void {
  ctx.db.transaction(() => {
    ctx.db.sqlite.exec(`DROP TABLE IF EXISTS "${undoTableName(run)}"`);
    ctx.db.sqlite.prepare('DELETE FROM sk_import_runs WHERE id = ?').run(run);
  });
}

/**
 * Writes back what run `run` changed, newest change first, in transactions of UNDO_BATCH changes,
 * through the engine's write path (indexes, counters, TTL, point-in-time log follow). A table the run
 * created is dropped. Changes to a table that has since been deleted (or replaced by another of the
 * same name) are ignored.
 */
function undoRun(ctx: JournalHost, run: number): void {
  const db = ctx.db;
  const name = undoTableName(run);
  const exists = db.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
  if (exists) {
    const page = db.sqlite
      .prepare(
        `SELECT seq, table_name, table_id, h, pk, sk, item, size FROM "${name}" WHERE seq < ? ORDER BY seq DESC LIMIT ${UNDO_BATCH}`,
      )
      .raw();
    const drop = db.sqlite.prepare(`DELETE FROM "${name}" WHERE seq >= ?`);
    let below = Number.MAX_SAFE_INTEGER;
    let droppedTables = false;
    for (;;) {
      ctx.refreshIfChanged(true);
      const done = db.transaction(() => {
        const rows = page.all(below) as UndoRow[];
        if (rows.length === 0) return true;
        for (const [, tableName, tableId, h, pk, sk, json, size] of rows) {
          // By id: the run may have imported into any region's tables.
          const table = ctx.catalog.byId(tableId);
          if (!table || table.name !== tableName) continue;
          if (h === null || pk === null || sk === null) {
            ctx.catalog.drop(table);
            droppedTables = true;
            continue;
          }
          const key: EncodedKey = { hash: h, pk, sk };
          const now = table.getRow(db, key);
          if (json === null && !now) continue;
          writeItem(
            ctx,
            table,
            key,
            now ? (JSON.parse(now.json) as Item) : undefined,
            now?.size ?? 0,
            json === null ? undefined : (JSON.parse(json) as Item),
            size,
            'import',
          );
        }
        below = rows[rows.length - 1]![0];
        // Applied changes leave the journal with the transaction that applied them: an undo that is
        // itself interrupted resumes where it stopped.
        drop.run(below);
        return false;
      });
      if (done) break;
    }
    if (droppedTables) {
      // Counters of the remaining tables are still right; the dropped ones' features go.
      ctx.syncFeatures();
    }
  }
  forget(ctx, run);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Undoes imports whose process died half-way (SIGKILL, a crash, a power cut) and drops the journals
 * of succeeded ones. Called when an engine opens a file; cheap when no import ever ran. Runs of a
 * process that is still alive, or on another host, are left alone.
 */
export function recoverInterruptedImports(ctx: JournalHost): number {
  const db = ctx.db;
  if (db.path === ':memory:') return 0;
  const known = db.sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sk_import_runs'")
    .get();
  if (!known) return 0;
  const runs = db.sqlite
    .prepare('SELECT id, pid, host, state FROM sk_import_runs ORDER BY id DESC')
    .all() as {
    id: number;
    pid: number;
    host: string;
    state: string;
  }[];
  let undone = 0;
  for (const r of runs) {
    if (r.state === 'done') {
      forget(ctx, r.id);
      continue;
    }
    if (r.host !== hostname() || (r.pid !== process.pid && alive(r.pid))) continue;
    if (r.pid === process.pid) continue; // this process's own import is running
    undoRun(ctx, r.id);
    undone++;
  }
  return undone;
}
