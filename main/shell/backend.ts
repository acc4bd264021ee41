// What the shell talks to: the embedded engine or a DynamoDB-compatible service over the AWS SDK.
// The REPL only sees this interface; items always travel as DynamoDB JSON (binary as base64).
import type { Engine } from '../../engine/engine.js';
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

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE' | string;
}

export interface IndexDescription {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
  IndexStatus?: string;
  ItemCount?: number;
  IndexSizeBytes?: number;
  ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
}

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
  TableClassSummary?: { TableClass?: string };
  DeletionProtectionEnabled?: boolean;
  CreationDateTime?: number | string | Date;
  TableArn?: string;
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
  executeStatement(request: StatementRequest, signal?: AbortSignal): Promise<StatementPage>;
  listTables(signal?: AbortSignal): Promise<string[]>;
  describeTable(name: string, signal?: AbortSignal): Promise<TableDescription>;
  /** Up to `limit` items of a table (a Scan page), to learn attribute names for completion. */
  sampleItems(table: string, limit: number, signal?: AbortSignal): Promise<Item[]>;
  explain(statement: string, parameters?: AttributeValue[], signal?: AbortSignal): Promise<ExplainOutcome>;
  /** CreateTable with DynamoDB's input (for `.create`). */
  createTable(input: Record<string, unknown>, signal?: AbortSignal): Promise<TableDescription>;
  /** What `.import`/`.export` work on: the embedded engine, or the same service over the SDK. */
  readonly dumpSource:
    { engine: Engine } | { remote: { endpoint?: string; region?: string; profile?: string } };
  close(): Promise<void>;
}
