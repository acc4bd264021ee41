// Dropping a big table without freezing the endpoint. SQLite's DROP TABLE visits every page of the
// table to free it, one statement that cannot be split: 200k items took 0.4–0.9 s, a million
// several seconds, while every other request waited. So a table that goes away (a deleted table or
// index, a backup, a point-in-time base) is renamed into the trash inside the operation's own
// transaction, which costs the same at any size, and a control-plane job (engine/backups/jobs.ts,
// kind `purge`) then deletes its rows in short chunks and drops it once it is empty. Any process
// sharing the file may run the chunks, and one that stops half-way leaves the job to the next.
import { randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Database } from './database.js';

/** Names of tables in the trash (renamed away, their rows purged in chunks). */
export const TRASH_PREFIX = 'sk_trash_';
/** Tables whose items take at most this many bytes are dropped at once (tests lower it). */
export const trashSettings = { dropAtOnceBytes: 4 * 1024 * 1024 };

/** The sk_meta key of the job that purges the trash table `name`. */
export const purgeJobKey = (name: string): string => `job:purge:${name}`;

/** The statement that registers a purge job, prepared once per database. */
const jobInserts = new WeakMap<Database, Statement>();

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Runs `fn`, answering false when the table it names does not exist (any more). */
function ifTableExists(fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('no such table')) return false;
    throw e;
  }
}

/**
 * Removes table `name` at once for everyone (it no longer exists under that name) and leaves its
 * rows to the purge job, unless its items are known (`sizeBytes`) to be few. Call inside a write
 * transaction; the job starts when the engine next looks for unfinished jobs (ControlPlaneJobs.kick).
 */
export function discardTable(db: Database, name: string, sizeBytes?: number): void {
  if (sizeBytes !== undefined && sizeBytes <= trashSettings.dropAtOnceBytes) {
    // Small: DROP TABLE visits its few pages in no time, and a test suite's table churn is spared
    // the rename (SQLite re-reads the whole schema for it) and the purge's transaction.
    db.sqlite.exec(`DROP TABLE IF EXISTS ${quote(name)}`);
    return;
  }
  const trash = `${TRASH_PREFIX}${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
  // A table that is not there (never made, or already gone) leaves nothing to purge.
  if (!ifTableExists(() => db.sqlite.exec(`ALTER TABLE ${quote(name)} RENAME TO ${quote(trash)}`))) return;
  registerPurge(db, trash, { kind: 'purge', target: trash });
}

/**
 * Leaves the rows of shared table `table` whose `column` is `value` to a purge job (call inside a
 * write transaction): for rows nothing reads any more, whose key will never be used again (an id
 * of a deleted table or setting: ids are AUTOINCREMENT), so a late purge cannot meet new rows.
 * Deleting them in the operation's transaction cost 0.35 s for a 200k-item table's TTL rows.
 */
export function discardRows(db: Database, table: string, column: string, value: number): void {
  registerPurge(db, `${table}:${column}=${value}`, { kind: 'purge', target: table, where: [column, value] });
}

/** Writes the purge job's row (ControlPlaneJobs reads it), with a statement prepared once per database. */
function registerPurge(db: Database, id: string, job: object): void {
  let insert = jobInserts.get(db);
  if (!insert) {
    insert = db.sqlite.prepare('INSERT OR REPLACE INTO sk_meta (key, value) VALUES (?, ?)');
    jobInserts.set(db, insert);
  }
  insert.run(purgeJobKey(id), JSON.stringify(job));
}

/**
 * Deletes up to `rows` rows of the trash table `name`, and drops it once it is empty (then cheap:
 * its pages were freed by the deletes). True when the table is gone. Call inside a transaction.
 */
export function purgeChunk(
  db: Database,
  name: string,
  rows: number,
  where?: readonly [column: string, value: number],
): boolean {
  let deleted = 0;
  const run = (): void => {
    const statement = db.sqlite.prepare(purgeStatement(db, name, where?.[0]));
    deleted = (where ? statement.run(where[1], rows) : statement.run(rows)).changes;
  };
  // Gone already (it is dropped in the transaction that ends its job): nothing left to do.
  if (!ifTableExists(run)) return true;
  if (deleted >= rows) return false;
  // A shared table's rows are purged; a trash table itself goes too.
  if (!where) db.sqlite.exec(`DROP TABLE IF EXISTS ${quote(name)}`);
  return true;
}

/**
 * The statement that deletes the first `?` rows of table `name` (those whose `column` equals the
 * first `?`, when given), through its primary key.
 */
export function purgeStatement(db: Database, name: string, column?: string): string {
  const table = quote(name);
  // Read whole (a table's few columns), so the statement needs no WHERE of its own.
  const keys = (
    db.sqlite.prepare('SELECT name, pk FROM pragma_table_info(?)').all(name) as { name: string; pk: number }[]
  )
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => quote(c.name));
  // A rowid table's key is its rowid.
  const key = keys.length === 0 ? 'rowid' : `(${keys.join(', ')})`;
  const columns = keys.length === 0 ? 'rowid' : keys.join(', ');
  const filter = column === undefined ? '' : ` WHERE ${quote(column)} = ?`;
  return `DELETE FROM ${table} WHERE ${key} IN (SELECT ${columns} FROM ${table}${filter} LIMIT ?)`;
}
