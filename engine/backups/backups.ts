// On-demand backups. A backup is a row of sk_backups (the source table's description at backup
// time, with its counters and TTL setting) and a SQLite table sk_backup_<id> holding a copy of the
// item rows. The copy runs in chunks (engine/backups/jobs.ts, a `snapshot` job with copy-on-write, so
// it holds the table as it was at CreateBackup whatever is written meanwhile); the backup is
// CREATING until it ends. Secondary indexes are not copied; a restore rebuilds them.
import { randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { DynamoError } from '../errors.js';
import type { Database } from '../storage/database.js';
import type { Catalog } from '../tables/catalog.js';
import type { Table, TableDescription } from '../tables/table.js';
import type { TtlService } from '../ttl/service.js';
import type { Sdk, Wire } from '../types.js';
import { jobKey } from './jobs.js';
import type { ControlPlaneJobs } from './jobs.js';
import type { PitrConfig } from './pitr.js';
import { baseTableName } from './pitr.js';
import { createRowTable, dropRowTable, measureRows } from './rows.js';

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

/** The sk_meta key of the job copying a backup's rows (a live table's, or a deleted table's PITR data). */
export function backupJobKey(id: number, kind: 'snapshot' | 'fill'): string {
  return jobKey(kind, `backup-${id}`);
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

/** What the backup service needs of the engine (EngineContext provides it), narrow. */
export interface BackupHost {
  readonly db: Database;
  readonly catalog: Pick<Catalog, 'all' | 'counters'>;
  readonly now: () => number;
  prepare(sql: string): Statement;
  /** Milliseconds a new backup spends CREATING (EngineOptions.transientStatusMs). */
  readonly transientStatusMs: number;
  /** The ARN prefix of the current namespace, and a table's ARN in it. */
  readonly arnPrefix: string;
  tableArn(name: string): string;
  /** Moves a table whose transient status has run its time to its next status. */
  settle(table: Table): void;
  readonly jobs: Pick<ControlPlaneJobs, 'begin' | 'has' | 'runNow'>;
  readonly ttl: Pick<TtlService, 'describe'>;
}

export class BackupService {
  constructor(private readonly ctx: BackupHost) {}

  /**
   * Snapshots a live table; call outside a transaction (it opens its own). A small table is copied
   * before this returns; a larger one's backup stays CREATING while the copy goes on in chunks.
   */
  create(table: Table, name: string): BackupRow {
    const counters = this.ctx.catalog.counters(table);
    const description: TableDescription = {
      ...table.description,
      ItemCount: counters.itemCount,
      TableSizeBytes: counters.sizeBytes,
    };
    const id = this.ctx.db.transaction(() => {
      const id = this.record(description, name, 'USER', null, this.ctx.ttl.describe(table));
      const touched = `${backupDataTable(id)}_touched`;
      this.ctx.db.sqlite.exec(`CREATE TABLE IF NOT EXISTS "${touched}" (h INTEGER NOT NULL, pk BLOB NOT NULL,
        sk BLOB NOT NULL, PRIMARY KEY (h, pk, sk)) WITHOUT ROWID`);
      this.ctx.jobs.begin(backupJobKey(id, 'snapshot'), {
        kind: 'snapshot',
        purpose: 'backup',
        owner: id,
        tableId: table.id,
        target: backupDataTable(id),
        touched,
        after: null,
      });
      return id;
    });
    this.ctx.jobs.runNow(backupJobKey(id, 'snapshot'));
    return this.getById(id)!;
  }

  /**
   * Records a backup (its source description, empty data table); call inside a transaction. Its
   * rows come from a job, which calls completed() at its end.
   */
  private record(
    description: TableDescription,
    name: string,
    type: BackupType,
    expiresAt: number | null,
    ttl?: { TimeToLiveStatus: string; AttributeName?: string },
  ): number {
    const now = this.ctx.now();
    const tableName = description.TableName!;
    const arn = `${description.TableArn ?? this.ctx.tableArn(tableName)}/backup/${resourceSuffix(now)}`;
    const source = { table: description, ...(ttl ? { ttl } : {}) };
    const info = this.ctx.db.sqlite
      .prepare(
        `INSERT INTO sk_backups (arn, name, type, created_at, available_at, expires_at, table_name, table_uuid, table_arn, source, size_bytes, item_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
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
        JSON.stringify(source),
      );
    const id = Number(info.lastInsertRowid);
    createRowTable(this.ctx.db, backupDataTable(id));
    return id;
  }

  /** A backup's copy is complete: item count and size are measured from it. In the job's transaction. */
  completed(id: number): void {
    const b = this.getById(id);
    if (!b) return;
    const m = measureRows(this.ctx.db, backupDataTable(id));
    const source = {
      ...b.source,
      table: { ...b.source.table, ItemCount: m.itemCount, TableSizeBytes: m.sizeBytes },
    };
    this.ctx.db.sqlite
      .prepare('UPDATE sk_backups SET source = ?, size_bytes = ?, item_count = ? WHERE id = ?')
      .run(JSON.stringify(source), m.sizeBytes, m.itemCount, id);
  }

  /**
   * The SYSTEM backup DynamoDB keeps of a table deleted with point-in-time recovery on: the base
   * snapshot plus the whole log, copied by a `fill` job that then drops the recovery data. Call
   * inside a transaction; returns the job's key.
   */
  insertSystemBackup(cfg: PitrConfig, description: TableDescription): string {
    const id = this.record(description, `${description.TableName}$DeletedTableBackup`, 'SYSTEM', null);
    // The expiry counts from the backup's creation.
    this.ctx.db.sqlite
      .prepare('UPDATE sk_backups SET expires_at = created_at + ? WHERE id = ?')
      .run(SYSTEM_BACKUP_RETENTION_MS, id);
    const maxSeq = this.ctx.db.sqlite
      .prepare('SELECT coalesce(max(seq), 0) FROM sk_pitr_log')
      .pluck()
      .get() as number;
    const key = backupJobKey(id, 'fill');
    this.ctx.jobs.begin(key, {
      kind: 'fill',
      purpose: 'systemBackup',
      owner: id,
      source: baseTableName(cfg.id),
      target: backupDataTable(id),
      pitrId: cfg.id,
      at: Number.MAX_SAFE_INTEGER,
      maxSeq,
      dropPitr: true,
      phase: 'copy',
      after: null,
      afterSeq: 0,
    });
    return key;
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
    // A backup of another region (or account) is not there for this request.
    if (!b || !arn.startsWith(this.ctx.arnPrefix)) throw backupNotFound(arn);
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
    if (this.ctx.now() < b.availableAt) return 'CREATING';
    const copying =
      this.ctx.jobs.has(backupJobKey(b.id, 'snapshot')) || this.ctx.jobs.has(backupJobKey(b.id, 'fill'));
    return copying ? 'CREATING' : 'AVAILABLE';
  }

  /** True while a table restored from this backup is still being created. */
  restoring(b: BackupRow): boolean {
    for (const t of this.ctx.catalog.all()) {
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
