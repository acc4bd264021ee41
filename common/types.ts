// Types and constants that the engine and the studio's renderer both speak: the shapes of Sortkey's
// own operations' answers (EXPLAIN, GetMetrics). Pure TypeScript with no imports at all (no node:,
// no DOM, no engine), so engine/, main/ and renderer/ may all import it; see docs/architecture.md.

// ── EXPLAIN (engine/partiql/explain.ts) ─────────────────────────────────────────────────────────

export interface ExplainStep {
  Operation: 'GetItem' | 'Query' | 'Scan' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheck';
  TableName: string;
  IndexName?: string;
  KeyCondition?: string;
  Filter?: string;
  Condition?: string;
  Projection?: string[];
  /** How many Query calls (one per partition-key value of an IN or OR). */
  Partitions?: number;
  ScanIndexForward?: boolean;
}

export interface ExplainResult {
  /** Set when the plan was made without the data (a remote connection): capacity figures are not estimates. */
  Note?: string;
  StatementKind: string;
  Steps: ExplainStep[];
  FullTableScan: boolean;
  /** Capacity the statement would consume on the data as it is now. */
  EstimatedReadCapacityUnits: number;
  EstimatedWriteCapacityUnits: number;
  /** Items the read would evaluate (before its filter), on the data as it is now. */
  EstimatedItemsRead?: number;
  Warnings: string[];
}

// ── GetMetrics (engine/metrics/query.ts) ────────────────────────────────────────────────────────

export const METRIC_NAMES = [
  'ConsumedReadCapacityUnits',
  'ConsumedWriteCapacityUnits',
  'ProvisionedReadCapacityUnits',
  'ProvisionedWriteCapacityUnits',
  'ReadThrottleEvents',
  'WriteThrottleEvents',
  'ThrottledRequests',
  'SuccessfulRequestLatency',
  'ReturnedItemCount',
  'Errors',
  'ConditionalCheckFailedRequests',
  'UserErrors',
  'SystemErrors',
  'ItemCount',
  'TableSizeBytes',
  // Global tables: milliseconds from a write to its arrival in another replica, per receiving region.
  'ReplicationLatency',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export type MetricStatistic =
  'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount' | 'p50' | 'p90' | 'p99';

/** One series of GetMetrics. */
export interface MetricSeries {
  readonly MetricName: MetricName;
  /** Per-operation metrics (latency, returned items, throttled requests): the DynamoDB operation. */
  readonly Operation?: string;
  /** Errors: the error type. */
  readonly ErrorType?: string;
  /** ReplicationLatency: the replica's region (CloudWatch's ReceivingRegion dimension). */
  readonly ReceivingRegion?: string;
  readonly Unit: 'Count' | 'Milliseconds' | 'Bytes';
  /** Values aligned with Timestamps; null where there is no data (latency, gauges). */
  readonly Statistics: Partial<Record<MetricStatistic, (number | null)[]>>;
}

/** GetMetrics' answer. Times in epoch seconds. */
export interface GetMetricsOutput {
  readonly TableName?: string;
  readonly IndexName?: string;
  readonly StartTime: number;
  readonly EndTime: number;
  readonly Period: number;
  /** Start of each datapoint's period, epoch seconds. */
  readonly Timestamps: number[];
  readonly Metrics: MetricSeries[];
}
