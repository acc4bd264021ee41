// On-demand backups. A backup is a row of sk_backups (the source table's description at backup
// time, with its counters and TTL setting) and a SQLite table sk_backup_<id> holding a copy of the
// item rows, made with one INSERT … SELECT inside one transaction: a consistent snapshot that costs
// a B-tree copy, not a decode per item. Secondary indexes are not copied; a restore rebuilds them.
import { randomBytes } from 'node:crypto';
import type { EngineContext } from '../context.js';
import { DynamoError } from '../errors.js';
import type { Table, TableDescription } from '../tables/table.js';
import type { Sdk, Wire } from '../types.js';
import { copyRows, createRowTable, dropRowTable, measureRows } from './rows.js';

export type BackupType = 'USER' | 'SYSTEM' | 'AWS_BACKUP';

export interface BackupRow {
  readonly id: number;
  readonly arn: string;
  readonly name: string;
  readonly type: BackupType;
  readonly createdAt: number;
  /** Until then the backup is CREATING (only with transient statuses on). */
  readonly availableAt: number;
  readonly expiresAt: number | null;
  readonly tableName: string;
  readonly tableUuid: string;
  readonly tableArn: string;
  /** The source table's description at backup time, with `TimeToLiveDescription` beside it. */
  readonly source: { table: TableDescription; ttl?: { TimeToLiveStatus: string; AttributeName?: string } };
  readonly sizeBytes: number;
  readonly itemCount: number;
}

interface RawBackup {
  id: number;
  arn: string;
  name: string;
  type: string;
  created_at: number;
  available_at: number;
  expires_at: number | null;
  table_name: string;
  table_uuid: string;
  table_arn: string;
  source: string;
  size_bytes: number;
  item_count: number;
}

function fromRaw(r: RawBackup): BackupRow {
  return {
    id: r.id,
    arn: r.arn,
    name: r.name,
    type: r.type as BackupType,
    createdAt: r.created_at,
    availableAt: r.available_at,
    expiresAt: r.expires_at,
    tableName: r.table_name,
    tableUuid: r.table_uuid,
    tableArn: r.table_arn,
    source: JSON.parse(r.source) as BackupRow['source'],
    sizeBytes: r.size_bytes,
    itemCount: r.item_count,
  };
}

export function backupDataTable(id: number): string {
  return `sk_backup_${id}`;
}

export function backupNotFound(arn: string): DynamoError {
  return new DynamoError('BackupNotFoundException', `Backup not found: ${arn}`);
}

export function tableNotFoundException(name: string): DynamoError {
  return new DynamoError('TableNotFoundException', `Table not found: ${name}`);
}

/** `01234567890123-abcdefgh`: 14 digits of epoch milliseconds and 8 random hex digits, as DynamoDB's. */
export function resourceSuffix(nowMs: number): string {
  return `${String(Math.floor(nowMs)).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
}

/** A system backup of a deleted table is kept 35 days. */
const SYSTEM_BACKUP_RETENTION_MS = 35 * 24 * 60 * 60 * 1000;

export class BackupService {
  constructor(private readonly ctx: EngineContext) {}

  /** Snapshots a live table; call outside a transaction (it opens its own). */
  create(table: Table, name: string): BackupRow {
    const counters = this.ctx.catalog.counters(table);
    const description: TableDescription = {
      ...table.description,
      ItemCount: counters.itemCount,
      TableSizeBytes: counters.sizeBytes,
    };
    return this.ctx.db.transaction(() =>
      this.insert(
        description,
        name,
        'USER',
        (into) => copyRows(this.ctx.db, table.sqlName, into),
        null,
        this.ctx.ttl.describe(table),
      ),
    );
  }

  /**
   * Records a backup whose rows `fill` writes into its data table; call inside a transaction.
   * Item count and size are measured from the copy.
   */
  insert(
    description: TableDescription,
    name: string,
    type: BackupType,
    fill: (into: string) => void,
    expiresAt: number | null,
    ttl?: { TimeToLiveStatus: string; AttributeName?: string },
  ): BackupRow {
    const now = this.ctx.now();
    const tableName = description.TableName!;
    const arn = `${description.TableArn ?? this.ctx.tableArn(tableName)}/backup/${resourceSuffix(now)}`;
    const db = this.ctx.db.sqlite;
    const info = db
      .prepare(
        `INSERT INTO sk_backups (arn, name, type, created_at, available_at, expires_at, table_name, table_uuid, table_arn, source, size_bytes, item_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', 0, 0)`,
      )
      .run(
        arn,
        name,
        type,
        now,
        now + this.ctx.transientStatusMs,
        expiresAt,
        tableName,
        description.TableId ?? arn,
        description.TableArn ?? this.ctx.tableArn(tableName),
      );
    const id = Number(info.lastInsertRowid);
    createRowTable(this.ctx.db, backupDataTable(id));
    fill(backupDataTable(id));
    const m = measureRows(this.ctx.db, backupDataTable(id));
    const source = {
      table: { ...description, ItemCount: m.itemCount, TableSizeBytes: m.sizeBytes },
      ...(ttl ? { ttl } : {}),
    };
    db.prepare('UPDATE sk_backups SET source = ?, size_bytes = ?, item_count = ? WHERE id = ?').run(
      JSON.stringify(source),
      m.sizeBytes,
      m.itemCount,
      id,
    );
    return this.getById(id)!;
  }

  /** The SYSTEM backup DynamoDB keeps of a table deleted with point-in-time recovery on. */
  insertSystemBackup(description: TableDescription, fill: (into: string) => void): BackupRow {
    return this.insert(
      description,
      `${description.TableName}$DeletedTableBackup`,
      'SYSTEM',
      fill,
      this.ctx.now() + SYSTEM_BACKUP_RETENTION_MS,
    );
  }

  private getById(id: number): BackupRow | undefined {
    const r = this.ctx.db.sqlite.prepare('SELECT * FROM sk_backups WHERE id = ?').get(id) as
      RawBackup | undefined;
    return r ? fromRaw(r) : undefined;
  }

  get(arn: string): BackupRow | undefined {
    const r = this.ctx.prepare('SELECT * FROM sk_backups WHERE arn = ?').get(arn) as RawBackup | undefined;
    return r ? fromRaw(r) : undefined;
  }

  require(arn: string): BackupRow {
    this.expire();
    const b = this.get(arn);
    if (!b) throw backupNotFound(arn);
    return b;
  }

  /** Backups in creation order. */
  list(): BackupRow[] {
    this.expire();
    return (
      this.ctx.db.sqlite.prepare('SELECT * FROM sk_backups ORDER BY created_at, id').all() as RawBackup[]
    ).map(fromRaw);
  }

  status(b: BackupRow): 'CREATING' | 'AVAILABLE' {
    return this.ctx.now() < b.availableAt ? 'CREATING' : 'AVAILABLE';
  }

  /** True while a table restored from this backup is still being created. */
  restoring(b: BackupRow): boolean {
    for (const t of this.ctx.catalog.list()) {
      if (t.description.RestoreSummary?.SourceBackupArn !== b.arn) continue;
      this.ctx.settle(t);
      if (t.status === 'CREATING') return true;
    }
    return false;
  }

  delete(b: BackupRow): void {
    this.ctx.db.transaction(() => {
      this.ctx.db.sqlite.prepare('DELETE FROM sk_backups WHERE id = ?').run(b.id);
      dropRowTable(this.ctx.db, backupDataTable(b.id));
    });
  }

  /** Drops SYSTEM backups past their expiry. */
  private expire(): void {
    const now = this.ctx.now();
    const due = this.ctx
      .prepare('SELECT id FROM sk_backups WHERE expires_at IS NOT NULL AND expires_at <= ?')
      .all(now) as { id: number }[];
    if (due.length === 0) return;
    this.ctx.db.transaction(() => {
      for (const { id } of due) {
        this.ctx.db.sqlite.prepare('DELETE FROM sk_backups WHERE id = ?').run(id);
        dropRowTable(this.ctx.db, backupDataTable(id));
      }
    });
  }

  details(b: BackupRow, status?: string): Wire<Sdk.BackupDetails> {
    const out: Wire<Sdk.BackupDetails> = {
      BackupArn: b.arn,
      BackupName: b.name,
      BackupSizeBytes: b.sizeBytes,
      BackupStatus: (status ?? this.status(b)) as Sdk.BackupStatus,
      BackupType: b.type,
      BackupCreationDateTime: b.createdAt / 1000,
    };
    if (b.expiresAt !== null) out.BackupExpiryDateTime = b.expiresAt / 1000;
    return out;
  }

  describe(b: BackupRow, status?: string): Wire<Sdk.BackupDescription> {
    const t = b.source.table;
    const billing = t.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
    const source: Wire<Sdk.SourceTableDetails> = {
      TableName: b.tableName,
      TableId: b.tableUuid,
      TableArn: b.tableArn,
      TableSizeBytes: b.sizeBytes,
      KeySchema: t.KeySchema,
      TableCreationDateTime: t.CreationDateTime,
      ProvisionedThroughput: {
        ReadCapacityUnits: t.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
        WriteCapacityUnits: t.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
      },
      ItemCount: b.itemCount,
      BillingMode: billing,
    };
    if (t.OnDemandThroughput) source.OnDemandThroughput = t.OnDemandThroughput;
    const features: Wire<Sdk.SourceTableFeatureDetails> = {};
    if (t.LocalSecondaryIndexes?.length) {
      features.LocalSecondaryIndexes = t.LocalSecondaryIndexes.map((l) => ({
        IndexName: l.IndexName,
        KeySchema: l.KeySchema,
        Projection: l.Projection,
      }));
    }
    if (t.GlobalSecondaryIndexes?.length) {
      features.GlobalSecondaryIndexes = t.GlobalSecondaryIndexes.map((g) => ({
        IndexName: g.IndexName,
        KeySchema: g.KeySchema,
        Projection: g.Projection,
        ProvisionedThroughput: {
          ReadCapacityUnits: g.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
          WriteCapacityUnits: g.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
        },
      }));
    }
    if (t.StreamSpecification?.StreamEnabled) features.StreamDescription = { ...t.StreamSpecification };
    if (b.source.ttl) features.TimeToLiveDescription = b.source.ttl as Wire<Sdk.TimeToLiveDescription>;
    if (t.SSEDescription) features.SSEDescription = t.SSEDescription;
    return {
      BackupDetails: this.details(b, status),
      SourceTableDetails: source,
      SourceTableFeatureDetails: features,
    };
  }

  summary(b: BackupRow): Wire<Sdk.BackupSummary> {
    const d = this.details(b);
    const out: Wire<Sdk.BackupSummary> = {
      TableName: b.tableName,
      TableId: b.tableUuid,
      TableArn: b.tableArn,
      BackupArn: b.arn,
      BackupName: b.name,
      BackupCreationDateTime: d.BackupCreationDateTime,
      BackupStatus: d.BackupStatus,
      BackupType: b.type,
      BackupSizeBytes: b.sizeBytes,
    };
    if (d.BackupExpiryDateTime !== undefined) out.BackupExpiryDateTime = d.BackupExpiryDateTime;
    return out;
  }
}
