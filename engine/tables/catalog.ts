// The catalog: every table's description, persisted in sk_tables, and the live Table objects.
import { DynamoError } from '../errors.js';
import type { Database } from '../storage/database.js';
import type { KeyType, Sdk, Wire } from '../types.js';
import type { KeySchema } from './schema.js';
import { backfillKey, backfillKeyRange } from './backfill.js';
import { Index, Table } from './table.js';
import type { Projection, TableDescription } from './table.js';

type KeySchemaElement = Wire<Sdk.KeySchemaElement>;
type AttributeDefinition = Wire<Sdk.AttributeDefinition>;

export function toKeySchema(
  elements: readonly KeySchemaElement[],
  definitions: readonly AttributeDefinition[],
): KeySchema {
  const typeOf = (name: string): KeyType =>
    (definitions.find((d) => d.AttributeName === name)?.AttributeType ?? 'S') as KeyType;
  return {
    partition: elements
      .filter((e) => e.KeyType === 'HASH')
      .map((e) => ({ name: e.AttributeName!, type: typeOf(e.AttributeName!) })),
    sort: elements
      .filter((e) => e.KeyType === 'RANGE')
      .map((e) => ({ name: e.AttributeName!, type: typeOf(e.AttributeName!) })),
  };
}

export function toProjection(p: Wire<Sdk.Projection> | undefined): Projection {
  return {
    type: (p?.ProjectionType ?? 'ALL') as Projection['type'],
    nonKeyAttributes: p?.NonKeyAttributes ?? [],
  };
}

export class Catalog {
  private readonly tables = new Map<string, Table>();
  /** Each table's catalog row as last read (description and tags text), to see what changed. */
  private readonly rowText = new Map<string, string>();
  private nextId = 1;

  constructor(private readonly db: Database) {
    this.reload();
  }

  /**
   * Reads the catalog from the database, keeping the Table objects of tables that still exist with
   * the same id (another process sharing the file may have created, changed or dropped tables).
   */
  reload(): void {
    const rows = this.db.sqlite.prepare('SELECT name, id, description, tags FROM sk_tables').all() as {
      name: string;
      id: number;
      description: string;
      tags: string;
    }[];
    const previous = new Map(this.tables);
    const previousText = new Map(this.rowText);
    this.tables.clear();
    this.rowText.clear();
    for (const row of rows) {
      const text = `${row.description}\n${row.tags}`;
      const known = previous.get(row.name);
      this.rowText.set(row.name, text);
      if (known && known.id === row.id && previousText.get(row.name) === text) {
        // Unchanged definition; only the items may have changed.
        known.counters = undefined;
        for (const index of known.indexes.values()) index.counters = undefined;
        this.tables.set(row.name, known);
        this.nextId = Math.max(this.nextId, row.id + 1);
        continue;
      }
      const description = JSON.parse(row.description) as TableDescription;
      const tags = JSON.parse(row.tags) as { Key: string; Value: string }[];
      let table: Table;
      if (known && known.id === row.id) {
        table = known;
        table.description = description;
        table.tags = tags;
        table.counters = undefined;
        this.attachIndexes(table);
        for (const index of table.indexes.values()) index.counters = undefined;
      } else {
        table = this.build(row.id, description, tags);
      }
      this.tables.set(row.name, table);
      this.nextId = Math.max(this.nextId, row.id + 1);
    }
  }

  /**
   * Forgets what the catalog rows looked like, so the next reload parses every one again (after a
   * rolled-back transaction, in-memory descriptions may hold changes the file never got).
   */
  forgetRows(): void {
    this.rowText.clear();
  }

  private build(id: number, description: TableDescription, tags: { Key: string; Value: string }[]): Table {
    const defs = description.AttributeDefinitions ?? [];
    const table = new Table(
      id,
      description.TableName!,
      toKeySchema(description.KeySchema ?? [], defs),
      description,
      tags,
    );
    this.attachIndexes(table);
    return table;
  }

  /** (Re)builds the table's Index objects from its description. */
  attachIndexes(table: Table): void {
    const defs = table.description.AttributeDefinitions ?? [];
    const previous = new Map(table.indexes);
    table.indexes.clear();
    const add = (
      kind: 'GSI' | 'LSI',
      d: { IndexName?: string; KeySchema?: KeySchemaElement[]; Projection?: Wire<Sdk.Projection> },
    ) => {
      const name = d.IndexName!;
      const key = toKeySchema(d.KeySchema ?? [], defs);
      const projection = toProjection(d.Projection);
      const existing = previous.get(name);
      // An index dropped and created again under its name (by another process) is a new index.
      const same =
        existing !== undefined &&
        existing.kind === kind &&
        JSON.stringify([existing.key, existing.projection]) === JSON.stringify([key, projection]);
      const index = same ? existing : new Index(table, name, kind, key, projection, `i${table.id}_${name}`);
      table.indexes.set(name, index);
    };
    for (const d of table.description.LocalSecondaryIndexes ?? []) add('LSI', d);
    for (const d of table.description.GlobalSecondaryIndexes ?? []) add('GSI', d);
  }

  get(name: string): Table | undefined {
    return this.tables.get(name);
  }

  /** Tables in name order (ListTables' order). */
  list(): Table[] {
    return [...this.tables.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get size(): number {
    return this.tables.size;
  }

  /** Creates the table's storage and catalog row; call inside a transaction. */
  create(description: TableDescription, tags: { Key: string; Value: string }[]): Table {
    // The transaction has caught up with other processes (Database.beginListeners): a table one of
    // them created since the caller looked is seen here.
    if (this.tables.has(description.TableName!)) {
      throw new DynamoError('ResourceInUseException', `Table already exists: ${description.TableName}`);
    }
    // Ids come from the file itself, so two processes sharing it never pick the same one, and are
    // never reused (sk_meta keeps the next one): a process still holding a dropped table's object
    // must not reach a newer table through it.
    const maxId = (
      this.db.sqlite.prepare('SELECT coalesce(max(id), 0) AS m FROM sk_tables').get() as { m: number }
    ).m;
    const stored = this.db.sqlite
      .prepare(`SELECT value FROM sk_meta WHERE key = 'next_table_id'`)
      .pluck()
      .get() as string | undefined;
    const id = Math.max(this.nextId, maxId + 1, stored === undefined ? 1 : Number(stored));
    this.nextId = id + 1;
    this.db.sqlite
      .prepare(`INSERT OR REPLACE INTO sk_meta (key, value) VALUES ('next_table_id', ?)`)
      .run(String(id + 1));
    const table = this.build(id, description, tags);
    this.db.sqlite.exec(table.createSql());
    for (const index of table.indexes.values()) this.db.sqlite.exec(index.createSql());
    this.db.sqlite
      .prepare('INSERT INTO sk_tables (name, id, description, tags) VALUES (?, ?, ?, ?)')
      .run(table.name, id, JSON.stringify(description), JSON.stringify(tags));
    this.tables.set(table.name, table);
    this.rowText.delete(table.name);
    table.counters = { itemCount: 0, sizeBytes: 0 };
    for (const index of table.indexes.values()) index.counters = { itemCount: 0, sizeBytes: 0 };
    return table;
  }

  /** Persists a changed description or tags; call inside a transaction. */
  save(table: Table): void {
    this.rowText.delete(table.name);
    this.db.sqlite
      .prepare('UPDATE sk_tables SET description = ?, tags = ? WHERE name = ?')
      .run(JSON.stringify(table.description), JSON.stringify(table.tags), table.name);
  }

  /** Creates storage for an index added by UpdateTable; call inside a transaction. */
  createIndexStorage(index: Index): void {
    this.db.sqlite.exec(index.createSql());
    index.counters = { itemCount: 0, sizeBytes: 0 };
  }

  dropIndexStorage(index: Index): void {
    this.db.sqlite.exec(`DROP TABLE IF EXISTS "${index.sqlName}"`);
    this.db.sqlite.prepare('DELETE FROM sk_meta WHERE key = ?').run(backfillKey(index.table.id, index.name));
    index.resetStatements();
  }

  /** Removes the table and all its storage; call inside a transaction. */
  drop(table: Table): void {
    for (const index of table.indexes.values())
      this.db.sqlite.exec(`DROP TABLE IF EXISTS "${index.sqlName}"`);
    this.db.sqlite.exec(`DROP TABLE IF EXISTS "${table.sqlName}"`);
    this.db.sqlite.prepare('DELETE FROM sk_tables WHERE name = ?').run(table.name);
    this.db.sqlite
      .prepare('DELETE FROM sk_meta WHERE key >= ? AND key < ?')
      .run(...backfillKeyRange(table.id));
    this.tables.delete(table.name);
    this.rowText.delete(table.name);
    table.resetStatements();
  }

  /** Live item count and size, computed once from storage and then maintained by writes. */
  counters(table: Table): { itemCount: number; sizeBytes: number } {
    if (!table.counters) {
      const row = this.db.sqlite
        .prepare(`SELECT count(*) AS n, coalesce(sum(size), 0) AS s FROM "${table.sqlName}"`)
        .get() as {
        n: number;
        s: number;
      };
      table.counters = { itemCount: row.n, sizeBytes: row.s };
    }
    return table.counters;
  }

  indexCounters(index: Index): { itemCount: number; sizeBytes: number } {
    if (!index.counters) {
      const row = this.db.sqlite
        .prepare(`SELECT count(*) AS n, coalesce(sum(size), 0) AS s FROM "${index.sqlName}"`)
        .get() as {
        n: number;
        s: number;
      };
      index.counters = { itemCount: row.n, sizeBytes: row.s };
    }
    return index.counters;
  }
}
