// The local database file a command works on. Opening a SQLite file that does not exist creates
// it (and its folders), so a mistyped --db would quietly become a new, empty database: commands
// that only read refuse a missing file, and commands that may create one say so on stderr.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureDatabaseDir } from '../defaults.js';

/** A missing database file for a command that only reads (exit status 2, as other usage errors). */
export class MissingDatabaseError extends Error {
  readonly exitCode = 2;
}

export interface LocalDatabaseOptions {
  /** The command, for messages (`dump`, `shell`, …). */
  command: string;
  /** The command only reads: a missing file is an error, never created. */
  mustExist: boolean;
  /** No "Created new database" line (`-q`). */
  quiet?: boolean;
  /** Where the "Created new database" line goes (default: process.stderr). */
  stderr?: { write(text: string): unknown };
}

/**
 * Checks the database file before a command opens it: `:memory:` and existing files pass; a missing
 * file throws MissingDatabaseError when the command only reads, otherwise its folder is created and
 * `Created new database PATH` is said on stderr. Returns the resolved path.
 */
export function prepareLocalDatabase(path: string, options: LocalDatabaseOptions): string {
  if (path === ':memory:') return path;
  const file = resolve(path);
  if (existsSync(file)) return file;
  if (options.mustExist) {
    throw new MissingDatabaseError(
      `no database file at ${file} (check --db; sortkey ${options.command} only reads and creates nothing)`,
    );
  }
  ensureDatabaseDir(file);
  if (!options.quiet) (options.stderr ?? process.stderr).write(`Created new database ${file}\n`);
  return file;
}
