// A DynamoDB table as stored in SQLite: one SQLite table of items ordered by (partition hash,
// partition key, sort key), plus one SQLite table per secondary index.
import type { Statement } from 'better-sqlite3';
import type { Database } from '../storage/database.js';
import type { Item, Sdk, Wire } from '../types.js';
import type { EncodedKey, KeySchema } from './schema.js';

export type TableDescription = Wire<Sdk.TableDescription>;

/**
 * The namespace a table lives in: each region a request is signed for (and, with
 * `--accounts-by-key`, each account) has its own tables, as in DynamoDB.
 */
export interface Namespace {
  readonly region: string;
  readonly accountId: string;
}

export const DEFAULT_NAMESPACE: Namespace = { region: 'us-east-1', accountId: '000000000000' };

/** A namespace as one string (the catalog's map key). */
export function namespaceKey(ns: Namespace): string {
  return `${ns.accountId}:${ns.region}`;
}

/** What every ARN of a namespace starts with (`arn:aws:dynamodb:<region>:<account>:`). */
export function arnPrefixOf(ns: Namespace): string {
  return `arn:aws:dynamodb:${ns.region}:${ns.accountId}:`;
}

/** The key of a table's in-memory state (transient statuses): its namespace and name. */
export function tableKeyOf(ns: Namespace, name: string): string {
  return `${namespaceKey(ns)}/${name}`;
}

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';

export interface Projection {
  readonly type: ProjectionType;
  readonly nonKeyAttributes: readonly string[];
}

/** A row of an item table or index table: the item's JSON text and its DynamoDB size. */
export interface StoredRow {
  readonly json: string;
  readonly size: number;
}

/** ItemCount and TableSizeBytes of a table or index (the catalog keeps them, see catalog.ts). */
export interface Counters {
  itemCount: number;
  sizeBytes: number;
}

export class Index {
  /** Prepared on first use, each on its own: a table a test creates and drops may never need some. */
  private stmts: { insert?: Statement; delete?: Statement; size?: Statement } = {};

  constructor(
    readonly table: Table,
    readonly name: string,
    readonly kind: 'GSI' | 'LSI',
    readonly key: KeySchema,
    readonly projection: Projection,
    /** SQLite table holding the index rows. */
    readonly sqlName: string,
  ) {}

  /** Names of the attributes an index row carries beyond its keys (undefined: all of them). */
  get projectedNonKey(): readonly string[] | undefined {
    return this.projection.type === 'ALL' ? undefined : this.projection.nonKeyAttributes;
  }

  createSql(): string {
    return `CREATE TABLE IF NOT EXISTS "${this.sqlName}" (
      h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, tpk BLOB NOT NULL, tsk BLOB NOT NULL,
      size INTEGER NOT NULL, item TEXT NOT NULL,
      PRIMARY KEY (h, pk, sk, tpk, tsk)) WITHOUT ROWID`;
  }

  private insert(db: Database): Statement {
    return (this.stmts.insert ??= db.sqlite.prepare(
      `INSERT OR REPLACE INTO "${this.sqlName}" (h, pk, sk, tpk, tsk, item, size) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ));
  }

  putRow(db: Database, key: EncodedKey, tableKey: EncodedKey, json: string, size: number): void {
    this.insert(db).run(key.hash, key.pk, key.sk, tableKey.pk, tableKey.sk, json, size);
  }

  deleteRow(db: Database, key: EncodedKey, tableKey: EncodedKey): void {
    this.stmts.delete ??= db.sqlite.prepare(
      `DELETE FROM "${this.sqlName}" WHERE h = ? AND pk = ? AND sk = ? AND tpk = ? AND tsk = ?`,
    );
    this.stmts.delete.run(key.hash, key.pk, key.sk, tableKey.pk, tableKey.sk);
  }

  /** The stored size of one index row, or undefined when there is none. */
  rowSize(db: Database, key: EncodedKey, tableKey: EncodedKey): number | undefined {
    this.stmts.size ??= db.sqlite
      .prepare(`SELECT size FROM "${this.sqlName}" WHERE h = ? AND pk = ? AND sk = ? AND tpk = ? AND tsk = ?`)
      .pluck();
    return this.stmts.size.get(key.hash, key.pk, key.sk, tableKey.pk, tableKey.sk) as number | undefined;
  }

  resetStatements(): void {
    this.stmts = {};
  }
}

export class Table {
  /** Prepared on first use, each on its own (see Index). */
  private stmts: { get?: Statement; size?: Statement; upsert?: Statement; delete?: Statement } = {};
  readonly indexes = new Map<string, Index>();
  /** The region (and account) the table belongs to; the catalog sets it. */
  namespace: Namespace = DEFAULT_NAMESPACE;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly key: KeySchema,
    /** DescribeTable's answer without the live counters, persisted in the catalog. */
    public description: TableDescription,
    public tags: { Key: string; Value: string }[],
  ) {}

  get sqlName(): string {
    return `t${this.id}`;
  }

  /**
   * `size` comes before `item`: SQLite stores a row's columns in order and spills a large item onto
   * overflow pages, so a size written after it could only be read by walking the item's pages.
   * Tables created before this order keep theirs; every statement names its columns.
   */
  createSql(): string {
    return `CREATE TABLE IF NOT EXISTS "${this.sqlName}" (
      h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, size INTEGER NOT NULL, item TEXT NOT NULL,
      PRIMARY KEY (h, pk, sk)) WITHOUT ROWID`;
  }

  getRow(db: Database, key: EncodedKey): StoredRow | undefined {
    this.stmts.get ??= db.sqlite
      .prepare(`SELECT item, size FROM "${this.sqlName}" WHERE h = ? AND pk = ? AND sk = ?`)
      .raw();
    const row = this.stmts.get.get(key.hash, key.pk, key.sk) as [string, number] | undefined;
    return row ? { json: row[0], size: row[1] } : undefined;
  }

  /** The stored size of the item at `key` (undefined when there is none), without reading the item. */
  getSize(db: Database, key: EncodedKey): number | undefined {
    this.stmts.size ??= db.sqlite
      .prepare(`SELECT size FROM "${this.sqlName}" WHERE h = ? AND pk = ? AND sk = ?`)
      .pluck();
    return this.stmts.size.get(key.hash, key.pk, key.sk) as number | undefined;
  }

  getItem(db: Database, key: EncodedKey): Item | undefined {
    const row = this.getRow(db, key);
    return row ? (JSON.parse(row.json) as Item) : undefined;
  }

  putRow(db: Database, key: EncodedKey, json: string, size: number): void {
    this.stmts.upsert ??= db.sqlite.prepare(
      `INSERT OR REPLACE INTO "${this.sqlName}" (h, pk, sk, item, size) VALUES (?, ?, ?, ?, ?)`,
    );
    this.stmts.upsert.run(key.hash, key.pk, key.sk, json, size);
  }

  deleteRow(db: Database, key: EncodedKey): void {
    this.stmts.delete ??= db.sqlite.prepare(
      `DELETE FROM "${this.sqlName}" WHERE h = ? AND pk = ? AND sk = ?`,
    );
    this.stmts.delete.run(key.hash, key.pk, key.sk);
  }

  /** Drops cached statements (after the table's SQLite schema changed). */
  resetStatements(): void {
    this.stmts = {};
    for (const index of this.indexes.values()) index.resetStatements();
  }

  get status(): string {
    return this.description.TableStatus ?? 'ACTIVE';
  }

  get arn(): string {
    return this.description.TableArn!;
  }

  /** Unique over every namespace: keys per-table state kept in memory (transient statuses). */
  get stateKey(): string {
    return tableKeyOf(this.namespace, this.name);
  }
}
