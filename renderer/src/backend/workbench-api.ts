// The workbench's backend methods (table settings, bulk actions, streams viewer, import/export), kept apart from
// api.ts so each feature's types live together; api.ts's StudioBackend extends WorkbenchBackend.
import type { AuditEvent } from '../../../common/audit.js';
import type { AttributeValue, Item } from './api.js';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export type TableClass = 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';

export interface Tag {
  Key: string;
  Value: string;
}

export interface BackupSummary {
  arn: string;
  name: string;
  /** Epoch milliseconds. */
  created: number;
  status: string;
  sizeBytes?: number;
}

/** One table's settings, from DescribeTable, DescribeTimeToLive, DescribeContinuousBackups,
 * ListTagsOfResource and ListBackups. */
export interface TableSettings {
  table: string;
  arn: string;
  status: string;
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  readCapacity?: number;
  writeCapacity?: number;
  tableClass: TableClass;
  deletionProtection: boolean;
  stream: { enabled: boolean; viewType?: StreamViewType; arn?: string };
  ttl: { status: string; attribute?: string };
  pitr: { status: string; earliest?: number; latest?: number };
  tags: Tag[];
  backups: BackupSummary[];
}

/** One change, made through one DynamoDB operation (named in each comment). */
export type SettingsChange =
  /** UpdateTimeToLive */
  | { kind: 'ttl'; enabled: boolean; attribute: string }
  /** UpdateTable StreamSpecification */
  | { kind: 'stream'; enabled: boolean; viewType?: StreamViewType }
  /** UpdateContinuousBackups */
  | { kind: 'pitr'; enabled: boolean }
  /** UpdateTable BillingMode / ProvisionedThroughput */
  | { kind: 'billing'; mode: 'PAY_PER_REQUEST' | 'PROVISIONED'; read?: number; write?: number }
  /** UpdateTable DeletionProtectionEnabled */
  | { kind: 'deletionProtection'; enabled: boolean }
  /** UpdateTable TableClass */
  | { kind: 'tableClass'; tableClass: TableClass }
  /** TagResource and UntagResource */
  | { kind: 'tags'; set: Tag[]; remove: string[] }
  /** CreateBackup */
  | { kind: 'createBackup'; name: string }
  /** DeleteBackup */
  | { kind: 'deleteBackup'; arn: string }
  /** RestoreTableFromBackup (to a new table) */
  | { kind: 'restoreBackup'; arn: string; target: string }
  /** RestoreTableToPointInTime (to a new table, at the latest restorable time) */
  | { kind: 'restoreLatest'; target: string };

export interface WorkbenchBackend {
  tableSettings(args: { table: string }): Promise<TableSettings>;
  /** Makes one change; returns the settings after it. */
  changeTableSettings(args: { table: string; change: SettingsChange }): Promise<TableSettings>;
  /** BatchWriteItem DeleteRequests, 25 at a time, retrying unprocessed items with back-off. */
  bulkDelete(args: BulkDeleteRequest): Promise<BulkDeleteResult>;
  /** UpdateItem per item, conditional on its key existing. */
  bulkUpdate(args: BulkUpdateRequest): Promise<BulkUpdateResult>;
  /** The next stream records of a table (a live tail: call again with the returned cursor). */
  streamRead(args: StreamReadRequest): Promise<StreamReadResult>;
  /** Starts exporting a table, or a Query/Scan of it; the file is downloaded from dumpDownloadUrl(id). */
  dumpExport(args: DumpExportRequest): Promise<DumpJobView>;
  /**
   * Sends a piece of a file to import (both the browser and the desktop app upload this way, so the
   * dialog shows the bytes sent and can stop between pieces); `discard` drops an upload.
   */
  dumpUpload(args: DumpUploadRequest): Promise<DumpUploadResult>;
  /** Starts importing an uploaded file (or text) into a table: all-or-nothing, with a rejects report. */
  dumpImport(args: DumpImportRequest): Promise<DumpJobView>;
  /** Where an import or export job is. */
  dumpProgress(args: { id: string }): Promise<DumpJobView>;
  /** Stops a job; a cancelled import leaves the table as it was. */
  dumpCancel(args: { id: string }): Promise<DumpJobView>;
  /** A piece of an export's file (or of an import's rejects): the desktop app has no HTTP download. */
  dumpRead(args: DumpReadRequest): Promise<DumpReadResult>;
  /** The newest records of the endpoint's audit log (`sortkey serve --audit FILE`) that match. */
  auditRead(args: AuditReadRequest): Promise<AuditReadResult>;
}

export const WORKBENCH_METHODS = [
  'tableSettings',
  'changeTableSettings',
  'bulkDelete',
  'bulkUpdate',
  'streamRead',
  'dumpExport',
  'dumpUpload',
  'dumpImport',
  'dumpProgress',
  'dumpCancel',
  'dumpRead',
  'auditRead',
] as const satisfies readonly (keyof WorkbenchBackend)[];
/** Fails to compile when a WorkbenchBackend method is missing from WORKBENCH_METHODS. */
export const WORKBENCH_METHODS_LISTED: [
  Exclude<keyof WorkbenchBackend, (typeof WORKBENCH_METHODS)[number]>,
] extends [never]
  ? true
  : never = true;

// ---- Bulk actions on selected rows ----

export interface BulkDeleteRequest {
  table: string;
  /** The items' keys (at most BULK_MAX_KEYS per call: the UI sends chunks and shows progress). */
  keys: Item[];
}

export interface BulkDeleteResult {
  deleted: number;
  /** Keys still unprocessed after every retry (DynamoDB kept returning them). */
  unprocessed: Item[];
}

export type BulkUpdateAction =
  { kind: 'set'; attribute: string; value: AttributeValue } | { kind: 'remove'; attribute: string };

export interface BulkUpdateRequest {
  table: string;
  keys: Item[];
  action: BulkUpdateAction;
}

export interface BulkUpdateResult {
  /** The items as they are after the update (UpdateItem's ALL_NEW). */
  updated: Item[];
  /** Keys of items that no longer existed (the condition on the key failed): nothing was written. */
  missing: Item[];
}

/** Keys per bulk call. */
export const BULK_MAX_KEYS = 100;

// ---- Streams viewer ----

export interface StreamReadRequest {
  table: string;
  /** From the previous answer; absent on the first call. */
  cursor?: string;
  /** Where a first call starts: new records only (default), or the oldest the stream keeps. */
  from?: 'latest' | 'oldest';
}

export interface StreamRecordView {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  sequenceNumber: string;
  /** Epoch milliseconds. */
  at: number;
  keys: Item;
  newImage?: Item;
  oldImage?: Item;
}

export interface StreamReadResult {
  /** False when the table has no stream (records is then empty). */
  enabled: boolean;
  viewType?: StreamViewType;
  streamArn?: string;
  records: StreamRecordView[];
  /** Pass back to read on from here. */
  cursor?: string;
}

// ---- Audit log ----

export interface AuditReadRequest {
  table?: string;
  /** Operation names, any of them. */
  eventNames?: string[];
  /** An error code, `any` (failures) or `none` (successes). */
  errorCode?: string;
  accessKey?: string;
  /** Epoch milliseconds. */
  since?: number;
  /** Text the record contains. */
  text?: string;
  /** Records at most (default 200, at most 1000). */
  limit?: number;
}

/** One CloudTrail record of the audit log, as written (common/audit.ts). */
export type AuditRecordView = AuditEvent;

export interface AuditReadResult {
  /** False when the endpoint keeps no audit log (records is then empty). */
  enabled: boolean;
  file?: string;
  /** Newest first. */
  records: AuditRecordView[];
  /** False when older records may match too (the limit was reached, or the search stopped). */
  complete: boolean;
}

// ---- Import and export ----

/** Formats export writes (engine/dump/types.ts EXPORT_FORMATS), with what the dialog says of each. */
export const DUMP_EXPORT_FORMATS = [
  { id: 'ddb-jsonl', label: 'DynamoDB JSON lines (.jsonl)' },
  { id: 'ddb-jsonl-gz', label: 'DynamoDB JSON lines, gzipped (.jsonl.gz)' },
  { id: 'scan-json', label: 'aws dynamodb scan output (.json)' },
  { id: 'json', label: 'Plain JSON array (.json)' },
  { id: 'ndjson', label: 'Plain JSON lines (.ndjson)' },
  { id: 'csv', label: 'CSV (.csv)' },
  { id: 'batch-write', label: 'BatchWriteItem request items (.json)' },
  { id: 'export-folder', label: 'DynamoDB export-to-S3 folder (.tar)' },
  { id: 'sortkey-dump', label: 'Sortkey dump with the table definition (.skdump)' },
] as const;
export type DumpExportFormat = (typeof DUMP_EXPORT_FORMATS)[number]['id'];

/**
 * Formats import reads from an upload: one file, or a DynamoDB export folder (chosen as a folder, or
 * as a `.tar` / `.tar.gz` of it such as the studio's export-folder download).
 */
export const DUMP_IMPORT_FORMATS = [
  { id: 'auto', label: 'Detect from the content' },
  { id: 'export-folder', label: 'DynamoDB export-to-S3 folder (a folder, .tar or .tar.gz)' },
  { id: 'ddb-jsonl', label: 'DynamoDB JSON lines' },
  { id: 'ddb-json', label: 'DynamoDB JSON array' },
  { id: 'scan-json', label: 'aws dynamodb scan output' },
  { id: 'batch-write', label: 'BatchWriteItem request items' },
  { id: 'json', label: 'Plain JSON' },
  { id: 'ndjson', label: 'Plain JSON lines' },
  { id: 'csv', label: 'CSV with a header row' },
  { id: 'sortkey-dump', label: 'Sortkey dump' },
] as const;
export type DumpImportFormat = (typeof DUMP_IMPORT_FORMATS)[number]['id'];

export interface DumpExportRequest {
  table: string;
  format: DumpExportFormat;
  /** Export what this Query or Scan reads (the table browser's builder) instead of the whole table. */
  read?: { operation: 'Query' | 'Scan'; input: Record<string, unknown> };
}

/** Bytes of a file per dumpUpload call (sent as base64). */
export const DUMP_UPLOAD_BYTES = 2 * 1024 * 1024;

export interface DumpUploadRequest {
  /** The upload to add to (absent: a new one, at offset 0). */
  upload?: string;
  /** The file's name; for a file of a folder, its path inside the folder (`export/data/x.json.gz`). */
  name?: string;
  /** Where this piece goes: the bytes received so far (a piece sent twice is refused). */
  offset?: number;
  /** Base64 of at most DUMP_UPLOAD_BYTES bytes. */
  data?: string;
  /** Drop the upload (the dialog was cancelled while sending). */
  discard?: boolean;
}

export interface DumpUploadResult {
  upload: string;
  /** Bytes received so far. */
  size: number;
}

export interface DumpImportRequest {
  table: string;
  format?: DumpImportFormat;
  /** The id dumpUpload (or POST /studio/api/dump-upload) answered with. */
  upload?: string;
  /** The uploads of a folder's files (each named by its path in the folder): imported as one folder. */
  uploads?: string[];
  /** Or the input itself (small inputs, the desktop app). */
  text?: string;
  onConflict?: 'overwrite' | 'skip' | 'fail';
  /** Write the good records and set the bad ones aside (default: nothing is written). */
  continueOnError?: boolean;
}

export interface DumpImportSummary {
  format: string;
  records: number;
  written: number;
  skipped: number;
  rejected: number;
  /** False when nothing was written (a bad record with all-or-nothing, or conflicts). */
  committed: boolean;
  created: boolean;
  /** The first bad records: line and reason. */
  problems: { line: number; reason: string }[];
  warnings: string[];
}

export interface DumpJobView {
  id: string;
  kind: 'export' | 'import';
  state: 'running' | 'done' | 'failed' | 'cancelled';
  phase?: 'read' | 'write' | 'export';
  items: number;
  bytes: number;
  totalBytes?: number;
  totalItems?: number;
  rejected: number;
  error?: string;
  /** Export: the name the downloaded file gets. */
  fileName?: string;
  /** Import: every rejected record is in a file at dumpDownloadUrl(id, 'rejects'). */
  rejectsFile?: boolean;
  report?: DumpImportSummary;
}

export interface DumpReadRequest {
  id: string;
  which?: 'result' | 'rejects';
  /** Byte offset to read from (default 0). */
  offset?: number;
}

export interface DumpReadResult {
  /** Base64 of up to DUMP_READ_BYTES bytes from `offset`. */
  data: string;
  /** Where the next piece starts; equal to `size` at the end. */
  next: number;
  size: number;
}

/** Bytes per dumpRead answer. */
export const DUMP_READ_BYTES = 4 * 1024 * 1024;
