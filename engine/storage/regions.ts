// Migration 7: regions (and, opt-in, accounts) are separate namespaces of tables. The catalog
// sk_tables was keyed by name alone; it becomes keyed by (account, region, name). SQLite cannot
// change a primary key in place, so the table is rebuilt. A table of an older file belongs to the
// region and account its stored TableArn names: the ones its creator answered with, which is the
// server's --region (us-east-1 unless set), so nothing moves out of sight of the client that made it.
import type { Database as SqliteDatabase } from 'better-sqlite3';

/** Where a table lives when its ARN says nothing usable (never written by Sortkey; a safe default). */
const FALLBACK_REGION = 'us-east-1';
const FALLBACK_ACCOUNT = '000000000000';

/** The region and account an `arn:aws:dynamodb:<region>:<account>:table/…` ARN names. */
export function arnNamespace(arn: string | undefined): { region: string; accountId: string } | undefined {
  const m = /^arn:[^:]*:dynamodb:([^:]+):([^:]+):table\//.exec(arn ?? '');
  return m ? { region: m[1]!, accountId: m[2]! } : undefined;
}

export function separateRegions(sqlite: SqliteDatabase): void {
  sqlite.exec(`CREATE TABLE sk_tables_by_region (
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     name TEXT NOT NULL,
     id INTEGER NOT NULL UNIQUE,
     description TEXT NOT NULL,
     tags TEXT NOT NULL DEFAULT '[]',
     PRIMARY KEY (account, region, name)
   );`);
  const rows = sqlite.prepare('SELECT name, id, description, tags FROM sk_tables').all() as {
    name: string;
    id: number;
    description: string;
    tags: string;
  }[];
  const insert = sqlite.prepare(
    'INSERT INTO sk_tables_by_region (account, region, name, id, description, tags) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const row of rows) {
    let arn: string | undefined;
    try {
      arn = (JSON.parse(row.description) as { TableArn?: string }).TableArn;
    } catch {
      arn = undefined;
    }
    const ns = arnNamespace(arn);
    insert.run(
      ns?.accountId ?? FALLBACK_ACCOUNT,
      ns?.region ?? FALLBACK_REGION,
      row.name,
      row.id,
      row.description,
      row.tags,
    );
  }
  sqlite.exec('DROP TABLE sk_tables; ALTER TABLE sk_tables_by_region RENAME TO sk_tables;');
}
