// Copies of item rows kept outside the live tables: on-demand backups (sk_backup_<id>) and the base
// snapshots of point-in-time recovery (sk_pitr_base_<id>) share the item tables' layout
// (h, pk, sk, item, size), so copies in both directions are single INSERT … SELECT statements that
// SQLite runs in key order without decoding a row.
import type { Database } from '../storage/database.js';
import { discardTable } from '../storage/trash.js';

export function createRowTable(db: Database, name: string): void {
  db.sqlite.exec(`CREATE TABLE IF NOT EXISTS "${name}" (
    h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, item TEXT NOT NULL, size INTEGER NOT NULL,
    PRIMARY KEY (h, pk, sk)) WITHOUT ROWID`);
}

/** Removes a row table at once; its rows are purged in chunks afterwards (engine/storage/trash.ts). */
export function dropRowTable(db: Database, name: string): void {
  discardTable(db, name);
}

/** Copies every row of `from` into `to` (both item-shaped tables); call inside a transaction. */
export function copyRows(db: Database, from: string, to: string): void {
  db.sqlite.exec(
    `INSERT OR REPLACE INTO "${to}" (h, pk, sk, item, size) SELECT h, pk, sk, item, size FROM "${from}"`,
  );
}

/** Number of rows and total item size of an item-shaped table. */
export function measureRows(db: Database, name: string): { itemCount: number; sizeBytes: number } {
  const row = db.sqlite.prepare(`SELECT count(*) AS n, coalesce(sum(size), 0) AS s FROM "${name}"`).get() as {
    n: number;
    s: number;
  };
  return { itemCount: row.n, sizeBytes: row.s };
}

/**
 * Applies the point-in-time log of `pitrId` up to `atMs` (inclusive) to the item-shaped table
 * `into`, which holds the base snapshot: for each key, only its last logged write counts — an item
 * (stored) or null (deleted). Call inside a transaction.
 */
export function replayLog(db: Database, pitrId: number, atMs: number, into: string): void {
  const last = `SELECT h, pk, sk, item, size, max(seq) AS seq FROM sk_pitr_log WHERE pitr_id = ? AND at <= ? GROUP BY h, pk, sk`;
  db.sqlite
    .prepare(
      `DELETE FROM "${into}" WHERE (h, pk, sk) IN (SELECT h, pk, sk FROM (${last}) WHERE item IS NULL)`,
    )
    .run(pitrId, atMs);
  db.sqlite
    .prepare(
      `INSERT OR REPLACE INTO "${into}" (h, pk, sk, item, size) SELECT h, pk, sk, item, size FROM (${last}) WHERE item IS NOT NULL`,
    )
    .run(pitrId, atMs);
}
