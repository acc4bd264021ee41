// What the shell talks to: the embedded engine or a DynamoDB-compatible service over the AWS SDK.
// The REPL only sees this interface; items always travel as DynamoDB JSON (binary as base64).
import type { Connection } from '../../engine/connection/index.js';
import type { IndexDescription, KeySchemaElement } from '../../engine/connection/types.js';
import type { ExplainResult } from '../../engine/partiql/index.js';
import type { AttributeValue, Item } from '../../engine/types.js';

export interface ConsumedCapacity {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export interface StatementPage {
  Items: Item[];
  NextToken?: string;
  ConsumedCapacity?: ConsumedCapacity;
}

export interface StatementRequest {
  statement: string;
  parameters?: AttributeValue[];
  nextToken?: string;
  limit?: number;
}

// The shapes every front end reads from DescribeTable are the connection layer's.
export type { IndexDescription, KeySchemaElement };

/** The parts of DescribeTable's TableDescription the shell uses. */
export interface TableDescription {
  TableName: string;
  TableStatus?: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  GlobalSecondaryIndexes?: IndexDescription[];
  LocalSecondaryIndexes?: IndexDescription[];
  ItemCount?: number;
  TableSizeBytes?: number;
  BillingModeSummary?: { BillingMode?: string };
  ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  StreamSpecification?: { StreamEnabled?: boolean; StreamViewType?: string };
  LatestStreamArn?: string;
  TableClassSummary?: { TableClass?: string };
  DeletionProtectionEnabled?: boolean;
  CreationDateTime?: number | string | Date;
  TableArn?: string;
}

/** One statement's outcome in BatchExecuteStatement: an item (reads), or an error. */
export interface BatchStatementResponse {
  TableName?: string;
  Item?: Item;
  Error?: { Code?: string; Message?: string };
}

/** What `.describe` adds to DescribeTable: TTL, point-in-time recovery, tags (each may be unknown). */
export interface TableExtras {
  ttl?: { status: string; attribute?: string };
  pitr?: { status: string; earliest?: string; latest?: string };
  tags?: { Key: string; Value: string }[];
}

/** EXPLAIN's result, with a note when the estimate could not look at the data. */
export interface ExplainOutcome extends ExplainResult {
  Note?: string;
}

/** A failure reported by the service (DynamoDB's exception name and message). */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** The statement was cancelled (Ctrl-C). */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export interface Backend {
  /** `local` (the embedded engine) or `remote` (an endpoint or AWS). */
  readonly kind: 'local' | 'remote';
  /** What the shell is connected to, for the banner and `.help`. */
  readonly description: string;
  /** DescribeTable's item counts are estimates refreshed every few hours (DynamoDB itself). */
  readonly approximateCounts?: boolean;
  /** A short name for the prompt. */
  readonly promptName: string;
  /** The region whose tables are shown (local databases hold one set of tables per region). */
  readonly region?: string;
  /** Switches to another region's tables (local databases only). */
  useRegion?(region: string): void;
  /** Every region that holds tables, with how many (local databases only). */
  regions?(): Promise<{ region: string; tables: number }[]>;
  executeStatement(request: StatementRequest, signal?: AbortSignal): Promise<StatementPage>;
  listTables(signal?: AbortSignal): Promise<string[]>;
  describeTable(name: string, signal?: AbortSignal): Promise<TableDescription>;
  /** Up to `limit` items of a table (a Scan page), to learn attribute names for completion. */
  sampleItems(table: string, limit: number, signal?: AbortSignal): Promise<Item[]>;
  /** ExecuteTransaction: all statements or none. */
  executeTransaction(
    statements: StatementRequest[],
    signal?: AbortSignal,
  ): Promise<{ Responses?: { Item?: Item }[]; ConsumedCapacity?: ConsumedCapacity[] }>;
  /** BatchExecuteStatement: each statement succeeds or fails on its own. */
  batchExecuteStatement(
    statements: StatementRequest[],
    signal?: AbortSignal,
  ): Promise<{ Responses: BatchStatementResponse[]; ConsumedCapacity?: ConsumedCapacity[] }>;
  /** Counts a table's (or index's) items with Scan's Select: COUNT, paging to the end. */
  count(
    table: string,
    index: string | undefined,
    signal?: AbortSignal,
    onPage?: (count: number) => void,
  ): Promise<{ count: number; scanned: number; capacity: number }>;
  /** TTL, PITR and tags of a table, for `.describe` (what the service does not answer stays unset). */
  describeExtras(table: TableDescription, signal?: AbortSignal): Promise<TableExtras>;
  explain(statement: string, parameters?: AttributeValue[], signal?: AbortSignal): Promise<ExplainOutcome>;
  /** CreateTable with DynamoDB's input (for `.create`). */
  createTable(input: Record<string, unknown>, signal?: AbortSignal): Promise<TableDescription>;
  /** The connection underneath (engine/connection): `.import`/`.export` work on it too. */
  readonly connection: Connection;
  close(): Promise<void>;
}

/** A service operation by name (DynamoDB JSON in and out), for the calls backends share. */
export type OperationCall = (operation: string, input: Record<string, unknown>) => Promise<unknown>;

/** TTL, PITR and tags through three calls; one that fails (an endpoint without it) leaves its part unset. */
export async function collectExtras(call: OperationCall, d: TableDescription): Promise<TableExtras> {
  const extras: TableExtras = {};
  const attempt = async <T>(f: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      return undefined;
    }
  };
  const [ttl, pitr, tags] = await Promise.all([
    attempt(
      () =>
        call('DescribeTimeToLive', { TableName: d.TableName }) as Promise<{
          TimeToLiveDescription?: { TimeToLiveStatus?: string; AttributeName?: string };
        }>,
    ),
    attempt(
      () =>
        call('DescribeContinuousBackups', { TableName: d.TableName }) as Promise<{
          ContinuousBackupsDescription?: {
            PointInTimeRecoveryDescription?: {
              PointInTimeRecoveryStatus?: string;
              EarliestRestorableDateTime?: number | string | Date;
              LatestRestorableDateTime?: number | string | Date;
            };
          };
        }>,
    ),
    d.TableArn
      ? attempt(async () => {
          const all: { Key: string; Value: string }[] = [];
          let token: string | undefined;
          do {
            const out = (await call('ListTagsOfResource', {
              ResourceArn: d.TableArn,
              ...(token ? { NextToken: token } : {}),
            })) as { Tags?: { Key: string; Value: string }[]; NextToken?: string };
            all.push(...(out.Tags ?? []));
            token = out.NextToken;
          } while (token);
          return all;
        })
      : Promise.resolve(undefined),
  ]);
  const t = ttl?.TimeToLiveDescription;
  if (t?.TimeToLiveStatus)
    extras.ttl = { status: t.TimeToLiveStatus, ...(t.AttributeName ? { attribute: t.AttributeName } : {}) };
  const p = pitr?.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  if (p?.PointInTimeRecoveryStatus) {
    extras.pitr = {
      status: p.PointInTimeRecoveryStatus,
      ...(p.EarliestRestorableDateTime !== undefined
        ? { earliest: timeText(p.EarliestRestorableDateTime) }
        : {}),
      ...(p.LatestRestorableDateTime !== undefined ? { latest: timeText(p.LatestRestorableDateTime) } : {}),
    };
  }
  if (tags) extras.tags = tags;
  return extras;
}

/** A DynamoDB timestamp (epoch seconds, ISO text or Date) as `2026-12-07 11:00:00 UTC`. */
export function timeText(v: number | string | Date): string {
  const d = v instanceof Date ? v : typeof v === 'number' ? new Date(v * 1000) : new Date(v);
  return Number.isNaN(d.getTime())
    ? String(v)
    : d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

/** Counts with Scan's Select: COUNT page by page (through `call`). */
export async function countItems(
  call: OperationCall,
  table: string,
  index: string | undefined,
  signal?: AbortSignal,
  onPage?: (count: number) => void,
): Promise<{ count: number; scanned: number; capacity: number }> {
  let count = 0;
  let scanned = 0;
  let capacity = 0;
  let start: unknown;
  do {
    if (signal?.aborted) throw new CancelledError();
    const out = (await call('Scan', {
      TableName: table,
      ...(index ? { IndexName: index } : {}),
      Select: 'COUNT',
      ReturnConsumedCapacity: 'TOTAL',
      ...(start ? { ExclusiveStartKey: start } : {}),
    })) as {
      Count?: number;
      ScannedCount?: number;
      LastEvaluatedKey?: unknown;
      ConsumedCapacity?: { CapacityUnits?: number };
    };
    count += out.Count ?? 0;
    scanned += out.ScannedCount ?? 0;
    capacity += out.ConsumedCapacity?.CapacityUnits ?? 0;
    start = out.LastEvaluatedKey;
    onPage?.(count);
    // Let Ctrl-C through between pages (local pages are synchronous).
    await new Promise((r) => setImmediate(r));
  } while (start);
  return { count, scanned, capacity };
}
