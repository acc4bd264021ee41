// Where Sortkey keeps its data when no database file is named: one embedded default database,
// shared by `sortkey serve` and `sortkey shell`. `$SORTKEY_HOME` moves the folder (tests, CI).
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const DEFAULT_DATABASE_FILE = 'default.sqlite';

/** Sortkey's folder: `$SORTKEY_HOME`, else `~/.sortkey`. */
export function sortkeyHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SORTKEY_HOME;
  return fromEnv ? resolve(fromEnv) : join(homedir(), '.sortkey');
}

/** The embedded default database: `<sortkeyHome>/default.sqlite`. */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(sortkeyHome(env), DEFAULT_DATABASE_FILE);
}

/** Creates the folder a database file lives in (private to the user when Sortkey creates it). */
export function ensureDatabaseDir(file: string): void {
  if (file === ':memory:') return;
  mkdirSync(dirname(resolve(file)), { recursive: true, mode: 0o700 });
}
