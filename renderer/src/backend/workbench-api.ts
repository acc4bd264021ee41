// The workbench's backend methods (table settings, bulk actions, streams viewer), kept apart from
// api.ts so each feature's types live together; api.ts's StudioBackend extends WorkbenchBackend.
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
}

export const WORKBENCH_METHODS = [
  'tableSettings',
  'changeTableSettings',
  'bulkDelete',
  'bulkUpdate',
  'streamRead',
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
