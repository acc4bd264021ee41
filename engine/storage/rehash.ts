// Migration 5: recomputes the stored scan hash after partitionHash changed. Every item-shaped table
// (tables t<id>, indexes i<id>_<name>, backups, point-in-time bases) and the TTL and point-in-time
// logs keep `h` = partitionHash(pk) beside the encoded partition key `pk`, so one statement per
// table that has both columns brings a file up to date, whatever tables it holds.
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { partitionHash } from '../keys/encoding.js';

export function rehashPartitions(sqlite: SqliteDatabase): void {
  sqlite.function('sk_partition_hash', { deterministic: true }, (pk: unknown) =>
    partitionHash(Buffer.isBuffer(pk) ? pk : Buffer.from(String(pk))),
  );
  const tables = sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .pluck()
    .all() as string[];
  for (const name of tables) {
    const columns = new Set(
      (sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[]).map(String),
    );
    if (!columns.has('h') || !columns.has('pk')) continue;
    // h is a function of pk, so no two rows can meet on the new (h, pk, …) key mid-update.
    sqlite.exec(`UPDATE "${name.replaceAll('"', '""')}" SET h = sk_partition_hash(pk)`);
  }
}
