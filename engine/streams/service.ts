// DynamoDB Streams storage. One shard per stream; every record gets the next value of one global
// AUTOINCREMENT sequence (sk_stream_records.seq), so sequence numbers increase within a shard and
// are never reused, even after trimming. A stream is registered (sk_streams) the first time it is
// seen — by a write, or by `sync()` after a control-plane operation — and is ENABLED exactly while
// its table still names it as the enabled LatestStreamArn; otherwise its shard is closed.
import { arnNamespace } from '../storage/regions.js';
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { DynamoError } from '../errors.js';
import type { Database } from '../storage/database.js';
import type { Catalog } from '../tables/catalog.js';
import type { Table } from '../tables/table.js';
import type { WriteEffect } from '../tables/write.js';
import { buildRecord, formatSequenceNumber } from './records.js';
import type { StoredRecord, StreamViewType } from './records.js';

/** DynamoDB keeps stream records for 24 hours. */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Shard iterators expire 15 minutes after they are handed out. */
export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

export interface StreamRow {
  readonly id: number;
  readonly arn: string;
  readonly tableName: string;
  readonly tableUuid: string;
  readonly label: string;
  readonly viewType: StreamViewType;
  readonly keySchema: { AttributeName: string; KeyType: string }[];
  readonly createdAt: number;
  readonly shardId: string;
  readonly startSeq: number;
  disabledAt: number | null;
  endSeq: number | null;
  trimmedThrough: number;
}

interface RawStreamRow {
  id: number;
  arn: string;
  table_name: string;
  table_uuid: string;
  label: string;
  view_type: string;
  key_schema: string;
  created_at: number;
  shard_id: string;
  start_seq: number;
  disabled_at: number | null;
  end_seq: number | null;
  trimmed_through: number;
}

function fromRaw(r: RawStreamRow): StreamRow {
  return {
    id: r.id,
    arn: r.arn,
    tableName: r.table_name,
    tableUuid: r.table_uuid,
    label: r.label,
    viewType: r.view_type as StreamViewType,
    keySchema: JSON.parse(r.key_schema) as { AttributeName: string; KeyType: string }[],
    createdAt: r.created_at,
    shardId: r.shard_id,
    startSeq: r.start_seq,
    disabledAt: r.disabled_at,
    endSeq: r.end_seq,
    trimmedThrough: r.trimmed_through,
  };
}

/** The key a table is known by in the stream, TTL and PITR bookkeeping: its TableId. */
export function tableUuid(table: Table): string {
  return table.description.TableId ?? table.arn;
}

export function streamNotFound(arn: string): DynamoError {
  return new DynamoError(
    'ResourceNotFoundException',
    `Requested resource not found: Stream: ${arn} not found`,
  );
}

export interface ReadRecord {
  readonly seq: number;
  readonly record: StoredRecord;
  readonly bytes: number;
}

/** What the stream service needs of the engine (EngineContext provides it), narrow. */
export interface StreamHost {
  readonly db: Database;
  readonly catalog: Pick<Catalog, 'all'>;
  readonly now: () => number;
  prepare(sql: string): Statement;
  /** Whether writes of origin 'import' append stream records (EngineContext.emitImportStreamRecords). */
  readonly emitImportStreamRecords: boolean;
  /** The region and ARN prefix of the current namespace. */
  readonly region: string;
  readonly arnPrefix: string;
}

export class StreamService {
  /** Registered streams by ARN (a cache of sk_streams; dropped when a transaction rolls back). */
  private byArn: Map<string, StreamRow> | undefined;
  private readonly insertRecord: Statement;

  constructor(private readonly ctx: StreamHost) {
    this.insertRecord = ctx.db.sqlite.prepare(
      'INSERT INTO sk_stream_records (stream_id, created_at, record) VALUES (?, ?, ?)',
    );
    ctx.db.rollbackListeners.push(() => {
      this.byArn = undefined;
    });
  }

  private streams(): Map<string, StreamRow> {
    if (!this.byArn) {
      const rows = this.ctx.prepare('SELECT * FROM sk_streams ORDER BY id').all() as RawStreamRow[];
      this.byArn = new Map(rows.map((r) => [r.arn, fromRaw(r)]));
    }
    return this.byArn;
  }

  /** Whether onWrite may need a write's old item on this table (a stream is on). */
  readonly readsOldItem = (table: Table): boolean => {
    const d = table.description;
    return d.StreamSpecification?.StreamEnabled === true && !!d.LatestStreamArn;
  };

  /** The write listener: appends the write's record to the table's enabled stream. */
  readonly onWrite = (effect: WriteEffect): void => {
    const d = effect.table.description;
    if (!d.StreamSpecification?.StreamEnabled || !d.LatestStreamArn) return;
    if (effect.origin === 'import' && !this.ctx.emitImportStreamRecords) return;
    // Copying items into a new global table replica is no change of the table's data.
    if (effect.origin === 'replica-fill') return;
    const now = this.ctx.now();
    const stream = this.streams().get(d.LatestStreamArn) ?? this.register(effect.table);
    if (stream.disabledAt !== null) return;
    const record = buildRecord(effect, stream.viewType, now);
    if (!record) return;
    this.insertRecord.run(stream.id, now, JSON.stringify(record));
  };

  /** The next sequence number the global sequence will hand out. */
  private nextSeq(): number {
    const row = this.ctx.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'sk_stream_records'").get() as
      { seq: number } | undefined;
    return (row?.seq ?? 0) + 1;
  }

  /**
   * Registers the table's current stream; call inside a transaction. INSERT OR IGNORE: another
   * engine on the same file may have registered it first.
   */
  private register(table: Table): StreamRow {
    const d = table.description;
    const arn = d.LatestStreamArn!;
    const existing = this.streams().get(arn);
    if (existing) return existing;
    const label = d.LatestStreamLabel ?? arn.slice(arn.lastIndexOf('/') + 1);
    const parsed = Date.parse(`${label}Z`);
    const createdAt = Number.isFinite(parsed) ? parsed : this.ctx.now();
    const hash = createHash('sha256').update(arn).digest('hex').slice(0, 8);
    const shardId = `shardId-${String(createdAt).padStart(20, '0')}-${hash}`;
    const keySchema = (d.KeySchema ?? []).map((k) => ({
      AttributeName: k.AttributeName!,
      KeyType: k.KeyType!,
    }));
    const viewType = (d.StreamSpecification?.StreamViewType ?? 'KEYS_ONLY') as StreamViewType;
    this.ctx.db.sqlite
      .prepare(
        `INSERT OR IGNORE INTO sk_streams (arn, table_name, table_uuid, label, view_type, key_schema, created_at, shard_id, start_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        arn,
        table.name,
        tableUuid(table),
        label,
        viewType,
        JSON.stringify(keySchema),
        createdAt,
        shardId,
        this.nextSeq(),
      );
    return this.load(arn)!;
  }

  /** Reads one stream's row afresh (and refreshes the cache). */
  private load(arn: string): StreamRow | undefined {
    const raw = this.ctx.prepare('SELECT * FROM sk_streams WHERE arn = ?').get(arn) as
      RawStreamRow | undefined;
    if (!raw) {
      this.streams().delete(arn);
      return undefined;
    }
    const row = fromRaw(raw);
    this.streams().set(arn, row);
    return row;
  }

  /**
   * True when the stream is still its table's enabled stream. Reads the table's stored description
   * rather than the in-memory catalog, so that an engine that opened the file earlier never closes
   * a stream another engine enabled since.
   */
  private isActive(stream: StreamRow): boolean {
    const ns = arnNamespace(stream.arn);
    if (!ns) return false;
    const row = this.ctx
      .prepare('SELECT description FROM sk_tables WHERE account = ? AND region = ? AND name = ?')
      .get(ns.accountId, ns.region, stream.tableName) as { description: string } | undefined;
    if (!row) return false;
    const d = JSON.parse(row.description) as Table['description'];
    if ((d.TableId ?? d.TableArn) !== stream.tableUuid) return false;
    return d.StreamSpecification?.StreamEnabled === true && d.LatestStreamArn === stream.arn;
  }

  /**
   * Brings sk_streams in line with the catalog: registers every enabled stream, closes the shard
   * of every stream whose table disabled it (or was deleted), and forgets streams whose records
   * have all aged out. Cheap; runs after control-plane operations and before stream reads.
   */
  sync(): void {
    const now = this.ctx.now();
    const toRegister = this.ctx.catalog.all().filter((t) => {
      const d = t.description;
      return (
        d.StreamSpecification?.StreamEnabled === true &&
        d.LatestStreamArn &&
        !this.streams().has(d.LatestStreamArn)
      );
    });
    const known = this.list();
    const toClose = known.filter((s) => s.disabledAt === null && !this.isActive(s));
    const toForget = known.filter((s) => s.disabledAt !== null && now - s.disabledAt > STREAM_RETENTION_MS);
    if (toRegister.length === 0 && toClose.length === 0 && toForget.length === 0) return;
    this.ctx.db.transaction(() => {
      for (const t of toRegister) this.register(t);
      for (const s of toClose) {
        const last = this.ctx.db.sqlite
          .prepare('SELECT max(seq) AS m FROM sk_stream_records WHERE stream_id = ?')
          .get(s.id) as {
          m: number | null;
        };
        const end = Math.max(last.m ?? s.startSeq, s.startSeq);
        this.ctx.db.sqlite
          .prepare('UPDATE sk_streams SET disabled_at = ?, end_seq = ? WHERE id = ? AND disabled_at IS NULL')
          .run(now, end, s.id);
        s.disabledAt = now;
        s.endSeq = end;
      }
      for (const s of toForget) {
        const left = this.ctx.db.sqlite
          .prepare('SELECT 1 FROM sk_stream_records WHERE stream_id = ? AND created_at >= ? LIMIT 1')
          .get(s.id, now - STREAM_RETENTION_MS);
        if (left) continue;
        this.ctx.db.sqlite.prepare('DELETE FROM sk_stream_records WHERE stream_id = ?').run(s.id);
        this.ctx.db.sqlite.prepare('DELETE FROM sk_streams WHERE id = ?').run(s.id);
        this.streams().delete(s.arn);
      }
    });
  }

  /** Streams in creation order, optionally of one table (read afresh from the database). */
  list(tableName?: string): StreamRow[] {
    const rows = (this.ctx.prepare('SELECT * FROM sk_streams ORDER BY id').all() as RawStreamRow[]).map(
      fromRaw,
    );
    this.byArn = new Map(rows.map((r) => [r.arn, r]));
    return rows.filter((s) => tableName === undefined || s.tableName === tableName);
  }

  get(arn: string): StreamRow | undefined {
    return this.load(arn);
  }

  require(arn: string): StreamRow {
    const s = this.get(arn);
    // A stream of another region (or account) is not there for this request, as in DynamoDB.
    if (!s || !arn.startsWith(this.ctx.arnPrefix)) throw streamNotFound(arn);
    return s;
  }

  /** Highest sequence number written to the stream so far (undefined when none is retained). */
  lastSeq(stream: StreamRow): number | undefined {
    const row = this.ctx
      .prepare('SELECT max(seq) AS m FROM sk_stream_records WHERE stream_id = ?')
      .get(stream.id) as {
      m: number | null;
    };
    return row.m ?? undefined;
  }

  /** The sequence number the next record (of any stream) will get. */
  latestPosition(): number {
    return this.nextSeq();
  }

  /** Deletes the stream's records older than 24 hours and remembers the trim point. */
  trim(stream: StreamRow, now = this.ctx.now()): void {
    const cutoff = now - STREAM_RETENTION_MS;
    const oldest = this.ctx
      .prepare('SELECT seq, created_at FROM sk_stream_records WHERE stream_id = ? ORDER BY seq LIMIT 1')
      .get(stream.id) as { seq: number; created_at: number } | undefined;
    if (!oldest || oldest.created_at >= cutoff) return;
    this.ctx.db.transaction(() => {
      const keep = this.ctx.db.sqlite
        .prepare(
          'SELECT seq FROM sk_stream_records WHERE stream_id = ? AND created_at >= ? ORDER BY seq LIMIT 1',
        )
        .get(stream.id, cutoff) as { seq: number } | undefined;
      const through = keep
        ? keep.seq - 1
        : (
            this.ctx.db.sqlite
              .prepare('SELECT max(seq) AS m FROM sk_stream_records WHERE stream_id = ?')
              .get(stream.id) as { m: number }
          ).m;
      this.ctx.db.sqlite
        .prepare('DELETE FROM sk_stream_records WHERE stream_id = ? AND seq <= ?')
        .run(stream.id, through);
      const trimmed = Math.max(stream.trimmedThrough, through);
      this.ctx.db.sqlite
        .prepare('UPDATE sk_streams SET trimmed_through = ? WHERE id = ?')
        .run(trimmed, stream.id);
      stream.trimmedThrough = trimmed;
    });
  }

  /** Trims every stream (the background task). */
  trimAll(now = this.ctx.now()): void {
    for (const s of this.streams().values()) this.trim(s, now);
  }

  /** Records of the stream with sequence numbers ≥ `from`, at most `limit` of them and about 1 MB. */
  read(stream: StreamRow, from: number, limit: number): ReadRecord[] {
    const rows = this.ctx
      .prepare(
        'SELECT seq, record FROM sk_stream_records WHERE stream_id = ? AND seq >= ? ORDER BY seq LIMIT ?',
      )
      .all(stream.id, from, limit) as { seq: number; record: string }[];
    const out: ReadRecord[] = [];
    let bytes = 0;
    for (const r of rows) {
      const size = r.record.length;
      if (out.length > 0 && bytes + size > 1024 * 1024) break;
      bytes += size;
      out.push({ seq: r.seq, record: JSON.parse(r.record) as StoredRecord, bytes: size });
    }
    return out;
  }

  /** The `dynamodb` part of a record, in DynamoDB's field order, with its sequence number. */
  private streamRecord(r: ReadRecord): Record<string, unknown> {
    const d = r.record.dynamodb;
    const out: Record<string, unknown> = {
      ApproximateCreationDateTime: d.ApproximateCreationDateTime,
      Keys: d.Keys,
    };
    if (d.NewImage) out.NewImage = d.NewImage;
    if (d.OldImage) out.OldImage = d.OldImage;
    out.SequenceNumber = formatSequenceNumber(r.seq);
    out.SizeBytes = d.SizeBytes;
    out.StreamViewType = d.StreamViewType;
    return out;
  }

  /** A stored record as GetRecords returns it. */
  toWire(r: ReadRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {
      eventID: r.record.eventID,
      eventName: r.record.eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.ctx.region,
      dynamodb: this.streamRecord(r),
    };
    if (r.record.userIdentity) out.userIdentity = r.record.userIdentity;
    return out;
  }
}
