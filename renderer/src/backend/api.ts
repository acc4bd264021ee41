// The studio's backend interface: everything the UI asks of a database. Electron provides it over IPC
// (main/electron), browser mode over HTTP (`POST /studio/api/<method>`, main/studio). Both run the
// same implementation (main/studio/backend.ts) against the engine.
//
// Pure types (no DOM, no Node): the renderer and main/ both compile this file. Items travel as
// DynamoDB JSON, numbers as decimal strings: nothing here ever holds a number from a table as a JS
// Number.

/** A DynamoDB attribute value in its wire form. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

export type Item = Record<string, AttributeValue>;

export type ScalarType = 'S' | 'N' | 'B';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: ScalarType;
}

export interface ConsumedCapacity {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export interface IndexSummary {
  name: string;
  kind: 'GSI' | 'LSI';
  keySchema: KeySchemaElement[];
  projectionType: string;
  status?: string;
  itemCount?: number;
}

/** What the sidebar shows of a table. */
export interface TableSummary {
  name: string;
  status: string;
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  itemCount: number;
  sizeBytes: number;
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  indexes: IndexSummary[];
}

export interface StudioInfo {
  version: string;
  /** Which shell the studio runs in. */
  mode: 'browser' | 'electron';
  region: string;
  /** The DynamoDB endpoint served next to the studio, if any. */
  endpoint?: string;
  /** Database file, or ':memory:'. */
  database?: string;
}

export interface SecondaryIndexInput {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: { ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

/** DynamoDB's CreateTable input (the part the studio builds). */
export interface CreateTableInput {
  TableName: string;
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  BillingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  GlobalSecondaryIndexes?: SecondaryIndexInput[];
  LocalSecondaryIndexes?: SecondaryIndexInput[];
}

export interface StatementRequest {
  statement: string;
  parameters?: AttributeValue[];
  nextToken?: string;
  limit?: number;
  consistentRead?: boolean;
}

export interface StatementResult {
  items: Item[];
  nextToken?: string;
  lastEvaluatedKey?: Item;
  consumedCapacity?: ConsumedCapacity;
  /** Time the database took, in milliseconds. */
  elapsedMs: number;
}

export interface ExplainStep {
  Operation: string;
  TableName: string;
  IndexName?: string;
  KeyCondition?: string;
  Filter?: string;
  Condition?: string;
  Projection?: string[];
  Partitions?: number;
  ScanIndexForward?: boolean;
}

export interface ExplainResult {
  StatementKind: string;
  Steps: ExplainStep[];
  FullTableScan: boolean;
  EstimatedReadCapacityUnits: number;
  EstimatedWriteCapacityUnits: number;
  EstimatedItemsRead?: number;
  Warnings: string[];
}

/** Query or Scan input, as DynamoDB takes it (Limit and ExclusiveStartKey are set by the backend). */
export interface ReadInput {
  TableName: string;
  IndexName?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  ScanIndexForward?: boolean;
  ConsistentRead?: boolean;
  ExclusiveStartKey?: Item;
}

/**
 * One page for the item browser: Query or Scan pages are read (each with Limit = what is still
 * missing) until `want` items matched, the table ends, or the time budget is spent. A filter that
 * matches nothing on a stretch of the table therefore never yields an empty page while more exists.
 */
export interface ReadRequest {
  operation: 'Query' | 'Scan';
  input: ReadInput;
  want: number;
  /** Milliseconds to keep reading before answering with what was found (default 1500). */
  budgetMs?: number;
}

export interface ReadResult {
  items: Item[];
  /** Where the next page starts; absent at the end. */
  lastEvaluatedKey?: Item;
  /** Items returned (after the filter). */
  count: number;
  /** Items read (before the filter). */
  scannedCount: number;
  consumedCapacity: number;
  /** DynamoDB calls made. */
  pages: number;
  elapsedMs: number;
}

export interface GetItemRequest {
  table: string;
  key: Item;
  consistentRead?: boolean;
}

export interface PutItemRequest {
  table: string;
  item: Item;
  /**
   * The version the user edited. When given, the write only happens if the stored item still equals
   * it (a ConditionExpression over its attributes, after a whole-item comparison); `null` means the
   * item must not exist yet (a new item or a duplicate).
   */
  expected?: Item | null;
}

export interface DeleteItemRequest {
  table: string;
  key: Item;
  expected?: Item;
}

/** Outcome of a conditional write. */
export type WriteResult =
  | { ok: true; consumedCapacity?: number }
  | {
      ok: false;
      /** The stored item changed (or appeared, or vanished) since the version given as `expected`. */
      reason: 'conflict';
      message: string;
      current?: Item;
    };

export interface SchemaTable {
  name: string;
  indexes: string[];
  /** Key attributes first, then attributes seen in a sample of items (dotted paths for map keys). */
  attributes: string[];
}

export interface StudioSchema {
  tables: SchemaTable[];
}

/** An error as the backend reports it: DynamoDB's exception name and message. */
export interface BackendErrorShape {
  type: string;
  message: string;
}

/** Every method the UI may call. Each takes one JSON-serialisable argument. */
export interface StudioBackend {
  info(): Promise<StudioInfo>;
  listTables(): Promise<TableSummary[]>;
  describeTable(args: { table: string }): Promise<Record<string, unknown>>;
  createTable(args: CreateTableInput): Promise<TableSummary>;
  deleteTable(args: { table: string }): Promise<{ deleted: string }>;
  executeStatement(args: StatementRequest): Promise<StatementResult>;
  explain(args: { statement: string; parameters?: AttributeValue[] }): Promise<ExplainResult>;
  read(args: ReadRequest): Promise<ReadResult>;
  getItem(args: GetItemRequest): Promise<{ item?: Item }>;
  putItem(args: PutItemRequest): Promise<WriteResult>;
  deleteItem(args: DeleteItemRequest): Promise<WriteResult>;
  schema(): Promise<StudioSchema>;
}

export type BackendMethod = keyof StudioBackend;

/** The methods, for transports that check names (HTTP routes, IPC). */
export const BACKEND_METHODS: readonly BackendMethod[] = [
  'info',
  'listTables',
  'describeTable',
  'createTable',
  'deleteTable',
  'executeStatement',
  'explain',
  'read',
  'getItem',
  'putItem',
  'deleteItem',
  'schema',
];
