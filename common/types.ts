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

// ── Auto scaling and alarms (engine/automation) ─────────────────────────────────────────────────

/** The capacity a target-tracking policy scales (Application Auto Scaling's scalable dimension). */
export type ScalableDimension = 'ReadCapacityUnits' | 'WriteCapacityUnits';

/** One target-tracking policy of a provisioned table or GSI, as DescribeScalingPolicies answers. */
export interface ScalingPolicyDescription {
  TableName: string;
  IndexName?: string;
  ScalableDimension: ScalableDimension;
  /** `table/<t>` or `table/<t>/index/<i>`, as Application Auto Scaling names the resource. */
  ResourceId: string;
  MinCapacity: number;
  MaxCapacity: number;
  /** Target utilisation, percent of provisioned capacity consumed (20 to 90). */
  TargetValue: number;
  DisableScaleIn: boolean;
  /** Seconds (of scaled time) after a scale-out before the next one; 0 by default, as DynamoDB's. */
  ScaleOutCooldown: number;
  ScaleInCooldown: number;
  /** Epoch seconds. */
  CreationTime: number;
  /** Provisioned capacity now (absent when the table is gone or on demand). */
  CurrentCapacity?: number;
  /** What the scaler saw at its last evaluation (utilisation, what it did or why not). */
  LastEvaluation?: string;
  LastEvaluationTime?: number;
}

/** A capacity change the scaler made (or tried), newest first in DescribeScalingPolicies. */
export interface ScalingActivity {
  TableName: string;
  IndexName?: string;
  ScalableDimension: ScalableDimension;
  /** Epoch seconds. */
  StartTime: number;
  FromCapacity: number;
  ToCapacity: number;
  StatusCode: 'Successful' | 'Failed';
  Cause: string;
  StatusMessage?: string;
}

export interface DescribeScalingPoliciesOutput {
  ScalingPolicies: ScalingPolicyDescription[];
  ScalingActivities: ScalingActivity[];
  /** How many times faster than real time the scaler's clock runs (`serve --scaling-speed`). */
  ScalingSpeed: number;
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export const ALARM_STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
export const COMPARISON_OPERATORS = [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
export const TREAT_MISSING_DATA = ['missing', 'ignore', 'breaching', 'notBreaching'] as const;
export type TreatMissingData = (typeof TREAT_MISSING_DATA)[number];
/** Statistics an alarm may watch: CloudWatch's five and the latency percentiles GetMetrics keeps. */
export const ALARM_STATISTICS: readonly MetricStatistic[] = [
  'Sum',
  'Average',
  'Maximum',
  'Minimum',
  'SampleCount',
  'p50',
  'p90',
  'p99',
];

/** A CloudWatch-like alarm on one of the engine's metrics (PutMetricAlarm's members). */
export interface AlarmDefinition {
  AlarmName: string;
  /** Absent: the account's series (every table summed). */
  TableName?: string;
  IndexName?: string;
  /** Any of METRIC_NAMES. */
  MetricName: MetricName;
  /**
   * Further dimensions a series must have, by its field name (`{ Operation: 'GetItem' }`,
   * `{ ErrorType: … }`); series that match are combined (sums added, maxima the largest).
   */
  Dimensions?: Record<string, string>;
  Statistic: MetricStatistic;
  /** Seconds: 1, 5, 10, 20, 30 or a multiple of 60. */
  Period: number;
  EvaluationPeriods: number;
  /** M of "M out of N" (default: EvaluationPeriods). */
  DatapointsToAlarm: number;
  ComparisonOperator: ComparisonOperator;
  Threshold: number;
  TreatMissingData: TreatMissingData;
}

export interface AlarmDescription extends AlarmDefinition {
  StateValue: AlarmState;
  StateReason: string;
  /** Epoch seconds. */
  StateUpdatedTimestamp: number;
  AlarmConfigurationUpdatedTimestamp: number;
}

export interface AlarmHistoryItem {
  AlarmName: string;
  /** Epoch seconds. */
  Timestamp: number;
  OldState: AlarmState;
  NewState: AlarmState;
  Reason: string;
}
