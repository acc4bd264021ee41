// The catalog: every table's description, persisted in sk_tables, and the live Table objects.
import { DynamoError } from '../errors.js';
import type { Statement } from 'better-sqlite3';
import type { Database } from '../storage/database.js';
import { discardRows, discardTable } from '../storage/trash.js';
import type { KeyType, Sdk, Wire } from '../types.js';
import type { KeySchema } from './schema.js';
import { savedMapKeyRange } from '../partitions/model.js';
import { backfillKey, backfillKeyRange } from './backfill.js';
import { Index, Table } from './table.js';
import { DEFAULT_NAMESPACE, namespaceKey } from './table.js';
import type { Counters, Namespace, Projection, TableDescription } from './table.js';

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
  /** Every table by namespace (namespaceKey) and then name. */
  private readonly namespaces = new Map<string, Map<string, Table>>();
  /** The tables of the namespace operations currently address (see `use`). */
  private current: Map<string, Table>;
  private currentNamespace: Namespace = DEFAULT_NAMESPACE;
  /** Each table's catalog row as last read (description and tags text) by table id, to see what changed. */
  private readonly rowText = new Map<number, string>();
  /** Every table by SQLite id (background work finds tables by id). */
  private readonly ids = new Map<number, Table>();
  private nextId = 1;
  /**
   * Counts changes of this catalog's tables (created, changed, dropped, reloaded differently). Read
   * connections on worker threads (engine/workers) reload theirs when the writer's count moves.
   */
  version = 0;

  /** Statements of fixed text, prepared once: a test suite creates and drops tables by the hundred. */
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {
    // Always the tables of currentNamespace (use() relies on it).
    this.current = this.tablesOf(this.currentNamespace);
    this.reload();
    this.measureUncounted();
  }

  /**
   * Makes `ns` the namespace that `get`, `list`, `size` and `create` address. The engine calls it
   * for each operation with the region the request was signed for (the default one otherwise).
   */
  use(ns: Namespace): void {
    if (ns === this.currentNamespace) return;
    const previous = this.currentNamespace;
    this.currentNamespace = ns;
    // A server's requests name their namespace with objects of their own, equal to the engine's:
    // looking the tables up again (a key built, a Map searched) twice per request is for nothing.
    if (ns.region !== previous.region || ns.accountId !== previous.accountId)
      this.current = this.tablesOf(ns);
  }

  get namespace(): Namespace {
    return this.currentNamespace;
  }

  private tablesOf(ns: Namespace): Map<string, Table> {
    const key = namespaceKey(ns);
    let tables = this.namespaces.get(key);
    if (!tables) {
      tables = new Map();
      this.namespaces.set(key, tables);
    }
    return tables;
  }

  /**
   * Reads the catalog from the database, keeping the Table objects of tables that still exist with
   * the same id (another process sharing the file may have created, changed or dropped tables).
   */
  reload(): void {
    const rows = this.db.sqlite
      .prepare('SELECT account, region, name, id, description, tags FROM sk_tables')
      .all() as {
      account: string;
      region: string;
      name: string;
      id: number;
      description: string;
      tags: string;
    }[];
    const previous = new Map(this.all().map((t) => [t.id, t]));
    const previousText = new Map(this.rowText);
    if (
      rows.length !== previous.size ||
      rows.some((r) => previousText.get(r.id) !== `${r.description}\n${r.tags}`)
    )
      this.version++;
    for (const tables of this.namespaces.values()) tables.clear();
    this.rowText.clear();
    this.ids.clear();
    for (const row of rows) {
      const text = `${row.description}\n${row.tags}`;
      const known = previous.get(row.id);
      this.rowText.set(row.id, text);
      const tables = this.tablesOf({ region: row.region, accountId: row.account });
      if (known && known.name === row.name && previousText.get(row.id) === text) {
        // Unchanged definition; only the items may have changed (their statistics are read from
        // sk_table_stats, which every process's writes keep current).
        tables.set(row.name, known);
        this.ids.set(row.id, known);
        this.nextId = Math.max(this.nextId, row.id + 1);
        continue;
      }
      const description = JSON.parse(row.description) as TableDescription;
      const tags = JSON.parse(row.tags) as { Key: string; Value: string }[];
      let table: Table;
      if (known && known.name === row.name) {
        table = known;
        table.description = description;
        table.tags = tags;
        this.attachIndexes(table);
      } else {
        table = this.build(row.id, description, tags);
      }
      table.namespace = { region: row.region, accountId: row.account };
      tables.set(row.name, table);
      this.ids.set(row.id, table);
      this.nextId = Math.max(this.nextId, row.id + 1);
    }
  }

  /**
   * Forgets what the catalog rows looked like, so the next reload parses every one again (after a
   * rolled-back transaction, in-memory descriptions may hold changes the file never got).
   */
  forgetRows(): void {
    this.version++;
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

  /** The table of that name in the current namespace. */
  get(name: string): Table | undefined {
    return this.current.get(name);
  }

  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.sqlite.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Tables of the current namespace in name order (ListTables' order). */
  list(): Table[] {
    return byName([...this.current.values()]);
  }

  get size(): number {
    return this.current.size;
  }

  /** Every table of every namespace (background work: TTL, backfills, streams, jobs). */
  all(): Table[] {
    const out: Table[] = [];
    for (const tables of this.namespaces.values()) out.push(...tables.values());
    return out;
  }

  /** The table with this SQLite id, in whichever namespace. */
  byId(id: number): Table | undefined {
    const table = this.ids.get(id);
    // The map may hold a table dropped by a rolled-back create; trust only what a namespace holds.
    return table && this.tablesOf(table.namespace).get(table.name) === table ? table : undefined;
  }

  /** The table with this TableId (UUID), in whichever namespace. */
  byTableId(tableId: string): Table | undefined {
    for (const tables of this.namespaces.values())
      for (const t of tables.values())
        if ((t.description.TableId ?? t.description.TableArn) === tableId) return t;
    return undefined;
  }

  /** Every namespace that holds tables, with how many, by region then account. */
  regions(): { region: string; accountId: string; tables: number }[] {
    const out: { region: string; accountId: string; tables: number }[] = [];
    for (const tables of this.namespaces.values()) {
      const first = tables.values().next().value;
      if (first) out.push({ ...first.namespace, tables: tables.size });
    }
    return out.sort((a, b) =>
      a.region !== b.region ? (a.region < b.region ? -1 : 1) : a.accountId < b.accountId ? -1 : 1,
    );
  }

  /** Creates the table's storage and catalog row; call inside a transaction. */
  create(description: TableDescription, tags: { Key: string; Value: string }[]): Table {
    // The transaction has caught up with other processes (Database.beginListeners): a table one of
    // them created since the caller looked is seen here.
    if (this.current.has(description.TableName!)) {
      throw new DynamoError('ResourceInUseException', `Table already exists: ${description.TableName}`);
    }
    // Ids come from the file itself, so two processes sharing it never pick the same one, and are
    // never reused (sk_meta keeps the next one): a process still holding a dropped table's object
    // must not reach a newer table through it.
    const maxId = (this.prepare('SELECT coalesce(max(id), 0) AS m FROM sk_tables').get() as { m: number }).m;
    const stored = this.prepare(`SELECT value FROM sk_meta WHERE key = 'next_table_id'`).pluck().get() as
      string | undefined;
    const id = Math.max(this.nextId, maxId + 1, stored === undefined ? 1 : Number(stored));
    this.nextId = id + 1;
    this.prepare(`INSERT OR REPLACE INTO sk_meta (key, value) VALUES ('next_table_id', ?)`).run(
      String(id + 1),
    );
    const table = this.build(id, description, tags);
    table.namespace = this.currentNamespace;
    // One exec for the item table and its indexes: each schema change costs a schema parse.
    this.db.sqlite.exec([table, ...table.indexes.values()].map((t) => `${t.createSql()};`).join('\n'));
    this.prepare(
      'INSERT INTO sk_tables (account, region, name, id, description, tags) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(
      table.namespace.accountId,
      table.namespace.region,
      table.name,
      id,
      JSON.stringify(description),
      JSON.stringify(tags),
    );
    this.current.set(table.name, table);
    this.ids.set(id, table);
    this.rowText.delete(id);
    this.version++;
    this.setStatistics(id, '', { itemCount: 0, sizeBytes: 0 });
    for (const index of table.indexes.values())
      this.setStatistics(id, index.name, { itemCount: 0, sizeBytes: 0 });
    return table;
  }

  /** Persists a changed description or tags; call inside a transaction. */
  save(table: Table): void {
    this.rowText.delete(table.id);
    this.version++;
    this.prepare('UPDATE sk_tables SET description = ?, tags = ? WHERE id = ?').run(
      JSON.stringify(table.description),
      JSON.stringify(table.tags),
      table.id,
    );
  }

  /** Creates storage for an index added by UpdateTable; call inside a transaction. */
  createIndexStorage(index: Index): void {
    this.db.sqlite.exec(index.createSql());
    this.setStatistics(index.table.id, index.name, { itemCount: 0, sizeBytes: 0 });
  }

  dropIndexStorage(index: Index): void {
    discardTable(this.db, index.sqlName, this.storedBytes(index.table.id, index.name));
    this.prepare('DELETE FROM sk_meta WHERE key = ?').run(backfillKey(index.table.id, index.name));
    this.prepare('DELETE FROM sk_table_stats WHERE table_id = ? AND index_name = ?').run(
      index.table.id,
      index.name,
    );
    index.resetStatements();
  }

  /** Removes the table and all its storage; call inside a transaction. */
  drop(table: Table): void {
    // A big table is renamed into the trash (the same cost at any size) and its rows purged in
    // chunks; a small one is dropped at once.
    for (const index of table.indexes.values())
      discardTable(this.db, index.sqlName, this.storedBytes(table.id, index.name));
    discardTable(this.db, table.sqlName, this.storedBytes(table.id, ''));
    this.prepare('DELETE FROM sk_tables WHERE id = ?').run(table.id);
    this.prepare('DELETE FROM sk_meta WHERE key >= ? AND key < ?').run(...backfillKeyRange(table.id));
    this.prepare('DELETE FROM sk_meta WHERE key >= ? AND key < ?').run(...savedMapKeyRange(table.id));
    this.prepare('DELETE FROM sk_table_stats WHERE table_id = ?').run(table.id);
    // A global table replica's item timestamps and unfinished copy (engine/replication).
    if (this.prepare('SELECT 1 FROM sk_item_clock WHERE table_id = ? LIMIT 1').get(table.id) !== undefined)
      discardRows(this.db, 'sk_item_clock', 'table_id', table.id);
    this.prepare('DELETE FROM sk_meta WHERE key = ?').run(`replica-fill:${table.id}`);
    this.tablesOf(table.namespace).delete(table.name);
    this.ids.delete(table.id);
    this.rowText.delete(table.id);
    this.version++;
    table.resetStatements();
  }

  // ItemCount and TableSizeBytes live in sk_table_stats (migration 5), one row per table (index
  // name '') and per index, changed by every item write inside its transaction: reading them costs
  // one primary-key lookup whatever the table's size, a rolled-back write takes its change back
  // with it, and every process sharing the file sees the same numbers.
  private statsStmts?: { get: Statement; add: Statement; set: Statement };

  private stats() {
    this.statsStmts ??= {
      get: this.db.sqlite
        .prepare('SELECT item_count, size_bytes FROM sk_table_stats WHERE table_id = ? AND index_name = ?')
        .raw(),
      add: this.db.sqlite.prepare(
        'UPDATE sk_table_stats SET item_count = item_count + ?, size_bytes = size_bytes + ? WHERE table_id = ? AND index_name = ?',
      ),
      set: this.db.sqlite.prepare(
        'INSERT OR REPLACE INTO sk_table_stats (table_id, index_name, item_count, size_bytes) VALUES (?, ?, ?, ?)',
      ),
    };
    return this.statsStmts;
  }

  private setStatistics(tableId: number, indexName: string, counters: Counters): void {
    this.stats().set.run(tableId, indexName, counters.itemCount, counters.sizeBytes);
  }

  private statistics(tableId: number, indexName: string, sqlName: string): Counters {
    const row = this.stats().get.get(tableId, indexName) as [number, number] | undefined;
    // Only a table no version with statistics has opened yet lacks its row (see measureUncounted).
    return row ? { itemCount: row[0], sizeBytes: row[1] } : this.measure(sqlName);
  }

  /** Counts the rows and sums the sizes of an item or index table: reads every row. */
  private measure(sqlName: string): Counters {
    const row = this.db.sqlite
      .prepare(`SELECT count(*) AS n, coalesce(sum(size), 0) AS s FROM "${sqlName}"`)
      .get() as { n: number; s: number };
    return { itemCount: row.n, sizeBytes: row.s };
  }

  /** The item bytes a table ('') or index holds by its statistics row, undefined without one. */
  private storedBytes(tableId: number, indexName: string): number | undefined {
    const row = this.stats().get.get(tableId, indexName) as [number, number] | undefined;
    return row?.[1];
  }

  /** Adds one write's change to a table's (or, with `index`, an index's) statistics; in its transaction. */
  addToStatistics(table: Table, index: Index | undefined, items: number, bytes: number): void {
    if (items !== 0 || bytes !== 0) this.stats().add.run(items, bytes, table.id, index?.name ?? '');
  }

  /** Recounts a table whose rows were copied in wholesale (restores); call inside a transaction. */
  remeasure(table: Table): void {
    this.setStatistics(table.id, '', this.measure(table.sqlName));
    for (const index of table.indexes.values())
      this.setStatistics(table.id, index.name, this.measure(index.sqlName));
  }

  /**
   * Measures, once, the tables and indexes of a file written before statistics were kept (a table
   * created by this version has its row from the start). Costs one read of those tables at open.
   */
  private measureUncounted(): void {
    const known = new Set(
      (
        this.db.sqlite.prepare('SELECT table_id, index_name FROM sk_table_stats').raw().all() as [
          number,
          string,
        ][]
      ).map(([id, name]) => `${id}\u0000${name}`),
    );
    const missing: [Table, Index | undefined][] = [];
    for (const table of this.all()) {
      if (!known.has(`${table.id}\u0000`)) missing.push([table, undefined]);
      for (const index of table.indexes.values())
        if (!known.has(`${table.id}\u0000${index.name}`)) missing.push([table, index]);
    }
    if (missing.length === 0) return;
    this.db.transaction(() => {
      for (const [table, index] of missing) {
        // INSERT OR IGNORE: another process opening the same file may have measured it first.
        const c = this.measure((index ?? table).sqlName);
        this.db.sqlite
          .prepare(
            'INSERT OR IGNORE INTO sk_table_stats (table_id, index_name, item_count, size_bytes) VALUES (?, ?, ?, ?)',
          )
          .run(table.id, index?.name ?? '', c.itemCount, c.sizeBytes);
      }
    });
  }

  /** The table's ItemCount and TableSizeBytes, as of the current transaction. */
  counters(table: Table): Counters {
    return this.statistics(table.id, '', table.sqlName);
  }

  indexCounters(index: Index): Counters {
    return this.statistics(index.table.id, index.name, index.sqlName);
  }
}

function byName(tables: Table[]): Table[] {
  return tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
