// ExportTableToPointInTime without S3: the export is written synchronously into a local folder in
// DynamoDB's export layout. `S3Bucket` names a folder under the export root (the engine option
// `exportRoot`, else `$SORTKEY_HOME/exports`, else `~/.sortkey/exports`); `S3Prefix` is a
// sub-folder of it. The layout below `<bucket>/<prefix>/` is DynamoDB's:
//
//   AWSDynamoDB/<ExportId>/_started
//   AWSDynamoDB/<ExportId>/manifest-summary.json (+ .checksum)
//   AWSDynamoDB/<ExportId>/manifest-files.json   (+ .checksum)
//   AWSDynamoDB/<ExportId>/data/<random>.json.gz  one JSON object per line
//
// A full export writes `{"Item":{…}}` lines (DynamoDB JSON) of the table as it was at ExportTime;
// an incremental export writes one `{"Metadata":…,"Keys":…,"NewImage":…,"OldImage":…}` line per
// item changed in the period, from the point-in-time log.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Statement } from 'better-sqlite3';
import { validation } from '../errors.js';
import type { Database } from '../storage/database.js';
import { pickKey } from '../tables/schema.js';
import type { Table } from '../tables/table.js';
import type { Item, Sdk, Wire } from '../types.js';
import { resourceSuffix } from './backups.js';
import type { PitrConfig, PitrService } from './pitr.js';
import { createRowTable, dropRowTable } from './rows.js';

export type ExportDescription = Wire<Sdk.ExportDescription>;

/** Where exports go when the engine option `exportRoot` is not set. */
export function defaultExportRoot(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.SORTKEY_HOME ? resolve(env.SORTKEY_HOME) : join(homedir(), '.sortkey');
  return join(home, 'exports');
}

export interface ExportRequest {
  readonly table: Table;
  readonly pitr: PitrConfig;
  readonly exportTimeMs: number;
  readonly bucket: string;
  readonly prefix?: string;
  readonly bucketOwner?: string;
  readonly sseAlgorithm?: string;
  readonly sseKmsKeyId?: string;
  readonly clientToken?: string;
  readonly incremental?: { fromMs: number; toMs: number; viewType: string };
}

function md5(data: Buffer | string, encoding: 'hex' | 'base64'): string {
  return createHash('md5').update(data).digest(encoding);
}

function randomName(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(26);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** What the export service needs of the engine (EngineContext provides it), narrow. */
export interface ExportHost {
  readonly db: Database;
  readonly now: () => number;
  prepare(sql: string): Statement;
  /** See EngineOptions.exportRoot. */
  readonly exportRoot: string | undefined;
  readonly pitr: Pick<PitrService, 'materialize'>;
}

export class ExportService {
  constructor(private readonly ctx: ExportHost) {}

  root(): string {
    return resolve(this.ctx.exportRoot ?? defaultExportRoot());
  }

  /** The folder a bucket and prefix map to; refuses prefixes that would leave the bucket folder. */
  folder(bucket: string, prefix: string | undefined): string {
    const bucketDir = join(this.root(), bucket);
    const dir = prefix ? resolve(bucketDir, prefix.replace(/^\/+/, '')) : bucketDir;
    if (dir !== bucketDir && !dir.startsWith(bucketDir + sep))
      throw validation(`Invalid S3Prefix: ${prefix}`);
    return dir;
  }

  /** Writes the export and records it; returns its description (COMPLETED, or FAILED with the reason). */
  run(req: ExportRequest, requestHash: string): ExportDescription {
    const start = this.ctx.now();
    const exportId = resourceSuffix(start);
    const arn = `${req.table.arn}/export/${exportId}`;
    const prefix = req.prefix ? req.prefix.replace(/^\/+/, '').replace(/\/+$/, '') : '';
    const keyBase = `${prefix ? `${prefix}/` : ''}AWSDynamoDB/${exportId}`;
    const description: ExportDescription = {
      ExportArn: arn,
      ExportStatus: 'COMPLETED',
      StartTime: start / 1000,
      ExportManifest: `${keyBase}/manifest-summary.json`,
      TableArn: req.table.arn,
      TableId: req.table.description.TableId,
      ExportTime: req.exportTimeMs / 1000,
      S3Bucket: req.bucket,
      S3SseAlgorithm: (req.sseAlgorithm ?? 'AES256') as Sdk.S3SseAlgorithm,
      ExportFormat: 'DYNAMODB_JSON',
      ExportType: req.incremental ? 'INCREMENTAL_EXPORT' : 'FULL_EXPORT',
    };
    if (req.clientToken) description.ClientToken = req.clientToken;
    if (req.bucketOwner) description.S3BucketOwner = req.bucketOwner;
    if (req.prefix) description.S3Prefix = req.prefix;
    if (req.sseKmsKeyId) description.S3SseKmsKeyId = req.sseKmsKeyId;
    if (req.incremental) {
      description.IncrementalExportSpecification = {
        ExportFromTime: req.incremental.fromMs / 1000,
        ExportToTime: req.incremental.toMs / 1000,
        ExportViewType: req.incremental.viewType as Sdk.ExportViewType,
      };
      delete description.ExportTime;
    }

    try {
      const lines = req.incremental ? this.incrementalLines(req) : this.fullLines(req);
      const dir = join(this.folder(req.bucket, req.prefix), 'AWSDynamoDB', exportId);
      mkdirSync(join(dir, 'data'), { recursive: true });
      writeFileSync(join(dir, '_started'), '');
      const dataName = `${randomName()}.json.gz`;
      const gz = gzipSync(Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8'));
      writeFileSync(join(dir, 'data', dataName), gz);
      const billed = gz.length;
      const files = `${JSON.stringify({
        itemCount: lines.length,
        md5Checksum: md5(gz, 'base64'),
        etag: md5(gz, 'hex'),
        dataFileS3Key: `${keyBase}/data/${dataName}`,
      })}\n`;
      writeFileSync(join(dir, 'manifest-files.json'), files);
      writeFileSync(join(dir, 'manifest-files.checksum'), md5(files, 'hex'));
      const end = Math.max(this.ctx.now(), start);
      description.EndTime = end / 1000;
      description.ItemCount = lines.length;
      description.BilledSizeBytes = billed;
      const summary = `${JSON.stringify(
        {
          version: req.incremental ? '2023-08-01' : '2020-06-30',
          exportArn: arn,
          startTime: iso(start),
          endTime: iso(end),
          tableArn: req.table.arn,
          tableId: req.table.description.TableId,
          ...(req.incremental
            ? { exportFromTime: iso(req.incremental.fromMs), exportToTime: iso(req.incremental.toMs) }
            : { exportTime: iso(req.exportTimeMs) }),
          s3Bucket: req.bucket,
          s3Prefix: req.prefix ?? null,
          s3SseAlgorithm: req.sseAlgorithm ?? 'AES256',
          s3SseKmsKeyId: req.sseKmsKeyId ?? null,
          manifestFilesS3Key: `${keyBase}/manifest-files.json`,
          billedSizeBytes: billed,
          itemCount: lines.length,
          outputFormat: 'DYNAMODB_JSON',
          ...(req.incremental ? { outputView: req.incremental.viewType } : {}),
          exportType: description.ExportType,
        },
        null,
        2,
      )}\n`;
      writeFileSync(join(dir, 'manifest-summary.json'), summary);
      writeFileSync(join(dir, 'manifest-summary.checksum'), md5(summary, 'hex'));
    } catch (e) {
      if (e instanceof Error && 'type' in e) throw e;
      description.ExportStatus = 'FAILED';
      description.FailureCode = 'S3NoSuchBucket';
      description.FailureMessage = e instanceof Error ? e.message : String(e);
      description.EndTime = this.ctx.now() / 1000;
    }
    this.ctx.db.transaction(() => {
      this.ctx.db.sqlite
        .prepare(
          'INSERT INTO sk_exports (arn, table_arn, client_token, request_hash, created_at, description) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(arn, req.table.arn, req.clientToken ?? null, requestHash, start, JSON.stringify(description));
    });
    return description;
  }

  /** `{"Item":…}` lines of the table at the export time. */
  private fullLines(req: ExportRequest): string[] {
    const tmp = `sk_export_tmp_${process.pid}`;
    return this.ctx.db.transaction(() => {
      createRowTable(this.ctx.db, tmp);
      try {
        this.ctx.pitr.materialize(req.pitr, req.exportTimeMs, tmp);
        const rows = this.ctx.db.sqlite
          .prepare(`SELECT item FROM "${tmp}" ORDER BY h, pk, sk`)
          .raw()
          .all() as [string][];
        return rows.map(([item]) => `{"Item":${item}}`);
      } finally {
        dropRowTable(this.ctx.db, tmp);
      }
    });
  }

  /** One line per key written in (from, to]: its image before the period and after it. */
  private incrementalLines(req: ExportRequest): string[] {
    const inc = req.incremental!;
    const tmp = `sk_export_tmp_${process.pid}`;
    return this.ctx.db.transaction(() => {
      createRowTable(this.ctx.db, tmp);
      try {
        this.ctx.pitr.materialize(req.pitr, inc.fromMs, tmp);
        const changed = this.ctx.db.sqlite
          .prepare(
            `SELECT l.item AS item, l.at AS at, o.item AS old, max(l.seq) AS seq FROM sk_pitr_log l
             LEFT JOIN "${tmp}" o ON o.h = l.h AND o.pk = l.pk AND o.sk = l.sk
             WHERE l.pitr_id = ? AND l.at > ? AND l.at <= ? GROUP BY l.h, l.pk, l.sk ORDER BY seq`,
          )
          .all(req.pitr.id, inc.fromMs, inc.toMs) as {
          item: string | null;
          at: number;
          old: string | null;
        }[];
        const lines: string[] = [];
        for (const c of changed) {
          const newImage = c.item ? (JSON.parse(c.item) as Item) : undefined;
          const oldImage = c.old ? (JSON.parse(c.old) as Item) : undefined;
          const any = newImage ?? oldImage;
          if (!any) continue;
          const line: Record<string, unknown> = {
            Metadata: { WriteTimestampMicros: { N: String(c.at * 1000) } },
            Keys: pickKey(req.table.key, any),
          };
          if (newImage) line.NewImage = newImage;
          if (oldImage && inc.viewType === 'NEW_AND_OLD_IMAGES') line.OldImage = oldImage;
          lines.push(JSON.stringify(line));
        }
        return lines;
      } finally {
        dropRowTable(this.ctx.db, tmp);
      }
    });
  }

  get(arn: string): { description: ExportDescription; requestHash: string } | undefined {
    const r = this.ctx.prepare('SELECT description, request_hash FROM sk_exports WHERE arn = ?').get(arn) as
      { description: string; request_hash: string } | undefined;
    return r
      ? { description: JSON.parse(r.description) as ExportDescription, requestHash: r.request_hash }
      : undefined;
  }

  byClientToken(token: string): { description: ExportDescription; requestHash: string } | undefined {
    const r = this.ctx
      .prepare('SELECT arn FROM sk_exports WHERE client_token = ? ORDER BY id DESC LIMIT 1')
      .get(token) as { arn: string } | undefined;
    return r ? this.get(r.arn) : undefined;
  }

  list(tableArn?: string): ExportDescription[] {
    const rows = (
      tableArn === undefined
        ? this.ctx.prepare('SELECT description FROM sk_exports ORDER BY id').all()
        : this.ctx.prepare('SELECT description FROM sk_exports WHERE table_arn = ? ORDER BY id').all(tableArn)
    ) as { description: string }[];
    return rows.map((r) => JSON.parse(r.description) as ExportDescription);
  }
}
