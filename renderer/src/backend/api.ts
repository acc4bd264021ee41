// The studio's backend interface: everything the UI asks of a database. Electron provides it over IPC
// (main/electron), browser mode over HTTP (`POST /studio/api/<method>`, main/studio). Both run the
// same implementation (main/studio/backend.ts) against the engine.
//
// Pure types (no DOM, no Node): the renderer and main/ both compile this file. Items travel as
// DynamoDB JSON, numbers as decimal strings: nothing here ever holds a number from a table as a JS
// Number.
import type { StreamViewType, TableClass, Tag, WorkbenchBackend } from './workbench-api.js';
import { WORKBENCH_METHODS } from './workbench-api.js';
import type {
  AlarmDescription,
  AlarmHistoryItem,
  DescribeScalingPoliciesOutput,
  ExplainResult,
  GetMetricsOutput,
  MetricName,
} from '../../../common/types.js';

// Shapes the engine answers with are declared once, in common/types.ts (pure TS, imported by the
// engine too), and re-exported here so the UI has one place to import from.
export { METRIC_NAMES } from '../../../common/types.js';
export type {
  ExplainResult,
  ExplainStep,
  MetricName,
  MetricSeries,
  MetricStatistic,
} from '../../../common/types.js';

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
  /** INCLUDE: the projected non-key attributes. */
  nonKeyAttributes?: string[];
  status?: string;
  itemCount?: number;
  sizeBytes?: number;
  /** A new GSI still being filled from the table's items. */
  backfilling?: boolean;
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
  /** A global table's replicas in other regions (DescribeTable's Replicas); absent for a regional table. */
  replicas?: ReplicaSummary[];
}

/** One replica of a global table: its region and ReplicaStatus (CREATING, ACTIVE, …). */
export interface ReplicaSummary {
  region: string;
  status: string;
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
  /** The endpoint's audit log file, when it keeps one (`sortkey serve --audit FILE`). */
  auditLog?: string;
}

/**
 * The regions of a local database: each region a client signs for has its own tables. `current`
 * is the one the studio shows; `regions` those that hold tables, with how many, and the current
 * and default ones (perhaps empty).
 */
export interface RegionList {
  current: string;
  /** The engine's own region: the one a table tab saved without a region names. */
  default: string;
  regions: { region: string; tables: number }[];
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
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: StreamViewType };
  TableClass?: TableClass;
  DeletionProtectionEnabled?: boolean;
  Tags?: Tag[];
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

// ── Metrics, throttling and fault injection (Sortkey-only operations: engine/metrics, engine/throttle) ──

/** GetMetrics for a table, one of its indexes, or (no table) the whole account. Times in epoch seconds. */
export interface MetricsRequest {
  table?: string;
  index?: string;
  /** First datapoint's start (default: endTime minus 15 minutes). */
  startTime?: number;
  /** Exclusive end (default: now). */
  endTime?: number;
  /** Seconds per datapoint (default: 1 up to 15 minutes, 60 up to a day, else 300). */
  period?: number;
  metrics?: MetricName[];
  operation?: string;
}

/** GetMetrics' answer. */
export type MetricsResult = GetMetricsOutput;

/** A partition key ranked by Contributor-Insights-like counting (counts may overestimate by MaxOvercount). */
export interface HotKey {
  Key: Item;
  Count: number;
  MaxOvercount: number;
  Reads: number;
  Writes: number;
  ConsumedReadCapacityUnits: number;
  ConsumedWriteCapacityUnits: number;
  ThrottledRequests: number;
}

export interface HotKeysRequest {
  table: string;
  index?: string;
  /** 10 to 3600 (default 300). */
  windowSeconds?: number;
  /** 1 to 100 (default 10). */
  limit?: number;
}

export interface HotKeysResult {
  TableName: string;
  IndexName?: string;
  StartTime: number;
  EndTime: number;
  MostAccessed: HotKey[];
  MostThrottled: HotKey[];
}

export interface PartitionsRequest {
  table: string;
  index?: string;
  /** Seconds the heat is averaged over, 1 to 60 (default 10). */
  heatSeconds?: number;
}

/** One partition of DescribePartitions: a hash range, its size and heat. */
export interface PartitionInfo {
  /** [HashRangeStart, HashRangeEnd) as 8 hex digits (the end may be 100000000). */
  HashRangeStart: string;
  HashRangeEnd: string;
  HashSpaceShare: number;
  ItemCount: number;
  SizeBytes: number;
  ConsumedReadCapacityUnits: number;
  ConsumedWriteCapacityUnits: number;
  /** The larger of read and write use as a share of the 3,000 RCU / 1,000 WCU ceilings. */
  Utilization: number;
  CreatedAt: number;
  CreatedBy: string;
  Isolated: boolean;
  SampleKeys: Item[];
  HotKeys: { Key: Item; Share: number; ReadUnitsPerSecond: number; WriteUnitsPerSecond: number }[];
}

/** The engine's Sortkey_20250101.DescribePartitions answer. */
export interface PartitionsResult {
  TableName: string;
  IndexName?: string;
  PartitionSizeLimitBytes: number;
  PartitionReadCeiling: number;
  PartitionWriteCeiling: number;
  HeatSeconds: number;
  ItemCount: number;
  SizeBytes: number;
  SizesPending: boolean;
  Partitions: PartitionInfo[];
  Splits: {
    Time: number;
    Reason: string;
    HashRangeStart: string;
    HashRangeEnd: string;
    Into: string[];
    Key?: Item;
  }[];
  AdaptiveCapacity?: {
    Key: Item;
    Partition: number;
    Share: number;
    Isolated: boolean;
    WouldSplitInto?: { HashRangeStart: string; HashRangeEnd: string }[];
    Explanation: string;
  };
}

/** off: never throttle; provisioned: PROVISIONED tables and GSIs have token buckets; strict: also per-partition ceilings. */
export type ThrottleMode = 'off' | 'provisioned' | 'strict';
export const THROTTLE_MODES: readonly ThrottleMode[] = ['off', 'provisioned', 'strict'];

export type FaultType =
  'ProvisionedThroughputExceededException' | 'ThrottlingException' | 'InternalServerError' | 'Latency';
export const FAULT_TYPES: readonly FaultType[] = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'InternalServerError',
  'Latency',
];

/** One fault-injection rule, as SetFaults takes it. */
export interface FaultRule {
  Type: FaultType;
  /** 0 to 1. */
  Probability: number;
  /** DynamoDB operations it applies to (all when absent). */
  Operations?: string[];
  /** Tables it applies to (all when absent). */
  Tables?: string[];
  /** Latency only: milliseconds added (up to 60000). */
  LatencyMs?: number;
}

/** A provisioned table's (or GSI's) token buckets now. */
export interface BucketState {
  TableName: string;
  IndexName?: string;
  ProvisionedReadCapacityUnits: number;
  ProvisionedWriteCapacityUnits: number;
  ReadTokens: number;
  WriteTokens: number;
  ReadBurstCapacity: number;
  WriteBurstCapacity: number;
}

/** strong: every read is current; eventual: eventually consistent reads may be stale (engine/consistency). */
export type ConsistencyMode = 'strong' | 'eventual';

/** What DescribeConsistency / SetConsistency answer. */
export interface ConsistencyState {
  Mode: ConsistencyMode;
  /** How stale an eventually consistent read may be, and how late GSIs see writes (ms). */
  WindowMs: number;
  /** Seed of the stale reads' delays. */
  Seed: number;
  /** Item versions kept for stale reads now. */
  TrackedVersions: number;
}

export interface ThrottlingState {
  Mode: ThrottleMode;
  Faults: FaultRule[];
  Buckets: BucketState[];
}

// ── Auto scaling and alarms (Sortkey-only operations: engine/automation) ──

export type {
  AlarmDescription,
  AlarmHistoryItem,
  DescribeScalingPoliciesOutput,
  ScalingPolicyDescription,
} from '../../../common/types.js';

/**
 * Auto scaling: `describe` (input { TableName? }: DescribeScalingPolicies), `put` (PutScalingPolicy's
 * members), `delete` (DeleteScalingPolicy's).
 */
export interface ScalingRequest {
  action: 'describe' | 'put' | 'delete';
  input: Record<string, unknown>;
}

/**
 * Alarms: `describe` ({ TableName? }: DescribeAlarms), `put` (PutMetricAlarm's members),
 * `delete` ({ AlarmNames }), `history` ({ AlarmName?, MaxRecords? }).
 */
export interface AlarmsRequest {
  action: 'describe' | 'put' | 'delete' | 'history';
  input: Record<string, unknown>;
}

export interface AlarmsResult {
  Alarms?: AlarmDescription[];
  Alarm?: AlarmDescription;
  AlarmHistoryItems?: AlarmHistoryItem[];
  Deleted?: number;
}

/** The overview's row of one table: its series over the range, aligned with MetricsOverview.Timestamps. */
export interface TableMetricsRow {
  table: string;
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  itemCount: number;
  sizeBytes: number;
  provisionedRead?: number;
  provisionedWrite?: number;
  /** Capacity units consumed per datapoint (Sum over the period). */
  read: number[];
  write: number[];
  /** Throttled requests per datapoint (read and write throttle events, or ThrottledRequests). */
  throttled: number[];
  /** Successful requests per datapoint (all operations). */
  requests: number[];
  /** Mean latency over the range, milliseconds (null: no request). */
  meanLatencyMs: number | null;
}

export interface MetricsOverview {
  StartTime: number;
  EndTime: number;
  Period: number;
  Timestamps: number[];
  tables: TableMetricsRow[];
}

// ── Index design ────────────────────────────────────────────────────────────────────────────────

/** A GSI to add to an existing table (UpdateTable GlobalSecondaryIndexUpdates Create). */
export interface CreateIndexRequest {
  table: string;
  index: SecondaryIndexInput;
  /** Types of the index's key attributes (merged with the table's definitions). */
  attributeDefinitions: AttributeDefinition[];
}

/** An index that does not exist yet, for planning statements against it. */
export interface ProposedIndex {
  kind: 'GSI' | 'LSI';
  index: SecondaryIndexInput;
  attributeDefinitions: AttributeDefinition[];
}

/**
 * Plans statements against every index of their table: each SELECT is explained as written, then
 * with its FROM pointing at the table and at each index (existing ones on the real data; a proposed
 * one on a scratch in-memory copy of the table with that index, filled from a sample of the items).
 */
export interface AccessPlanRequest {
  statements: string[];
  /** Only statements on this table (the others are left out of the answer). */
  table?: string;
  /** An index to consider as if it existed (on `table`). */
  proposed?: ProposedIndex;
  /** Items copied into the scratch table for the proposed index (default 5000, at most 20000). */
  sampleLimit?: number;
}

export interface AccessTargetPlan {
  /** '' for the table itself, else the index name. */
  target: string;
  kind: 'TABLE' | 'GSI' | 'LSI';
  /** The proposed index (planned on the scratch copy). */
  proposed?: boolean;
  /** The statement as planned (FROM rewritten to the target). */
  statement: string;
  explain?: ExplainResult;
  /** Why the statement cannot run on this target (e.g. the index does not project an attribute). */
  error?: string;
  /** Estimates scaled from a sample to the whole table. */
  scaled?: boolean;
  /** Caveats: a sparse index holds only items that have its key attributes. */
  notes: string[];
}

export interface AccessPlan {
  statement: string;
  table?: string;
  /** The index the statement names, if any. */
  index?: string;
  /** Parse errors, or not a SELECT. */
  error?: string;
  /** The plan as written. */
  current?: AccessTargetPlan;
  /** The table and every index (and the proposed one), as-written target included. */
  targets: AccessTargetPlan[];
  /** The target that serves it best: a Query before a Scan, then the least read capacity. */
  best?: string;
}

export interface AccessPlanResult {
  plans: AccessPlan[];
  /** How the proposed index's scratch copy was filled. */
  sample?: { copied: number; skipped: number; complete: boolean; tableItems: number };
}

/** A statement run in the PartiQL editor. */
export interface HistoryEntry {
  statement: string;
  at: number;
  ok: boolean;
  ms?: number;
  count?: number;
  error?: string;
}

export interface SavedQuery {
  name: string;
  statement: string;
  savedAt: number;
}

/** History and saved queries, kept beside the database (shared by every browser and the app). */
export interface QueryState {
  history: HistoryEntry[];
  saved: SavedQuery[];
  /** The studio's open tabs on the embedded database (absent until a studio saved some). */
  tabs?: OpenTabsState;
  /**
   * The open tabs on each other connection, by connection id: a tab names a table of one
   * connection, so each connection keeps its own and gets them back when it is used again.
   */
  connectionTabs?: Record<string, OpenTabsState>;
}

/** One open tab of the studio: a table browser, or a PartiQL editor with its text. */
export interface OpenTab {
  id: string;
  kind: 'table' | 'query';
  table?: string;
  /** A table tab's region (each region has its own tables); absent: the default region. */
  region?: string;
  text?: string;
}

export interface OpenTabsState {
  tabs: OpenTab[];
  /** The tab shown last (shown again when the connection is used again). */
  active?: string;
  /** When the studio saved them (ms): the newer of this and the page's own copy wins. */
  at: number;
}

/** One change to the query state (every request answers with the whole state after it). */
export type QueriesRequest =
  | { op: 'list' }
  | { op: 'addHistory'; entry: HistoryEntry }
  | { op: 'clearHistory' }
  | { op: 'save'; name: string; statement: string }
  | { op: 'deleteSaved'; name: string }
  /** The open tabs of a connection (absent: the embedded database). */
  | { op: 'setTabs'; tabs: OpenTabsState; connection?: string }
  /** Entries a browser kept in its localStorage before (added where missing). */
  | { op: 'import'; history: HistoryEntry[]; saved: SavedQuery[] };

/** What a connection can do beyond DynamoDB's operations (engine/connection's capabilities). */
export interface ConnectionCapabilitiesInfo {
  exactExplain: boolean;
  metrics: boolean;
  throttling: boolean;
  faultInjection: boolean;
  /** null: not known until the service is asked. */
  partiql: boolean | null;
}

/**
 * A database the studio can talk to: the embedded one, an endpoint the user added, or DynamoDB in
 * an AWS profile and region. Never carries credentials (the studio has none: the SDK's chain does).
 */
export interface ConnectionInfo {
  id: string;
  name: string;
  kind: 'embedded' | 'endpoint' | 'aws';
  /** The endpoint URL, or `DynamoDB in <region> (profile <p>)`. */
  description: string;
  endpoint?: string;
  profile?: string;
  region?: string;
  /** Writes are refused by the backend. */
  readOnly: boolean;
  /** Not the embedded database: writes ask for confirmation and the frame is coloured. */
  remote: boolean;
  /** Known only for the current connection. */
  capabilities?: ConnectionCapabilitiesInfo;
}

export interface ConnectionsState {
  current: string;
  connections: ConnectionInfo[];
  /** Profile names from ~/.aws/config and ~/.aws/credentials (names only). */
  awsProfiles: string[];
  regions: string[];
}

export type ConnectionsRequest =
  | { op: 'list' }
  | { op: 'use'; id: string }
  | { op: 'add'; name: string; endpoint?: string; profile?: string; region?: string; readOnly?: boolean }
  | { op: 'remove'; id: string }
  | { op: 'setReadOnly'; id: string; readOnly: boolean };

/** An error as the backend reports it: DynamoDB's exception name and message. */
export interface BackendErrorShape {
  type: string;
  message: string;
}

/** Every method the UI may call. Each takes one JSON-serialisable argument. */
export interface StudioBackend extends WorkbenchBackend {
  info(): Promise<StudioInfo>;
  listTables(): Promise<TableSummary[]>;
  regions(): Promise<RegionList>;
  useRegion(args: { region: string }): Promise<RegionList>;
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
  // Metrics dashboards
  getMetrics(args: MetricsRequest): Promise<MetricsResult>;
  metricsOverview(args: { startTime: number; endTime: number; period: number }): Promise<MetricsOverview>;
  getHotKeys(args: HotKeysRequest): Promise<HotKeysResult>;
  describePartitions(args: PartitionsRequest): Promise<PartitionsResult>;
  describeThrottling(args: { table?: string }): Promise<ThrottlingState>;
  setThrottling(args: { mode: ThrottleMode }): Promise<{ Mode: ThrottleMode }>;
  setFaults(args: { faults: FaultRule[] }): Promise<{ Faults: FaultRule[] }>;
  scaling(args: ScalingRequest): Promise<DescribeScalingPoliciesOutput & { Deleted?: number }>;
  alarms(args: AlarmsRequest): Promise<AlarmsResult>;
  describeConsistency(args: Record<string, never>): Promise<ConsistencyState>;
  setConsistency(args: {
    mode: ConsistencyMode;
    windowMs?: number;
    seed?: number;
  }): Promise<ConsistencyState>;
  // Index designer
  createIndex(args: CreateIndexRequest): Promise<TableSummary>;
  deleteIndex(args: { table: string; index: string }): Promise<TableSummary>;
  planAccess(args: AccessPlanRequest): Promise<AccessPlanResult>;
  // PartiQL history and saved queries
  queries(args: QueriesRequest): Promise<QueryState>;
  // Connections: the embedded database, endpoints, AWS profiles × regions
  connections(args: ConnectionsRequest): Promise<ConnectionsState>;
}

export type BackendMethod = keyof StudioBackend;

/** The methods, for transports that check names (HTTP routes, IPC). */
export const BACKEND_METHODS: readonly BackendMethod[] = [
  'info',
  'listTables',
  'regions',
  'useRegion',
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
  'getMetrics',
  'metricsOverview',
  'getHotKeys',
  'describePartitions',
  'describeThrottling',
  'setThrottling',
  'setFaults',
  'scaling',
  'alarms',
  'describeConsistency',
  'setConsistency',
  'createIndex',
  'deleteIndex',
  'planAccess',
  'queries',
  'connections',
  ...WORKBENCH_METHODS,
];
