// GetMetrics: CloudWatch-like series of one table, one index or the whole account, over a time
// range cut into periods. Recent seconds come from memory (one hour at one-second resolution);
// periods that are whole minutes also use the minute aggregates on disk (one day).
import { METRIC_NAMES } from '../../common/types.js';
import type { GetMetricsOutput, MetricName, MetricSeries, MetricStatistic } from '../../common/types.js';
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import type { Table } from '../tables/table.js';
import { provisionedThroughput } from '../throttle/throttler.js';
import { replicaRegions } from '../replication/service.js';
import { addCompact, addDense, BUCKETS, quantile } from './histogram.js';
import type { UsageMonitor } from './monitor.js';
import type { ResourceSeries, TableSeries } from './series.js';
import { WINDOW_SECONDS } from './series.js';
import type { MinuteRow } from './store.js';

// The answer's shapes and the metric names are shared with the studio (common/types.ts).
export type { GetMetricsOutput, MetricSeries } from '../../common/types.js';

/** Metrics an index has (the rest are per table: operations, errors). */
const INDEX_METRICS: ReadonlySet<string> = new Set([
  'ConsumedReadCapacityUnits',
  'ConsumedWriteCapacityUnits',
  'ProvisionedReadCapacityUnits',
  'ProvisionedWriteCapacityUnits',
  'ReadThrottleEvents',
  'WriteThrottleEvents',
  'ItemCount',
  'TableSizeBytes',
]);

/** Most periods one request may ask for. */
export const MAX_DATAPOINTS = 3600;

export interface GetMetricsInput {
  /** The table; absent: the whole account (every table and index summed). */
  readonly TableName?: string;
  /** A secondary index of TableName: its capacity, throttling and size metrics. */
  readonly IndexName?: string;
  /**
   * Epoch seconds (or an ISO 8601 string), rounded down to the second: the first datapoint's start.
   * Default: EndTime minus 15 minutes.
   */
  readonly StartTime?: number | string;
  /** Epoch seconds (or an ISO 8601 string), exclusive. Default: now. */
  readonly EndTime?: number | string;
  /** Seconds per datapoint. Default 1 for ranges up to 15 minutes, 60 up to a day, else 300. */
  readonly Period?: number;
  /** Metrics wanted (default: all of METRIC_NAMES). */
  readonly Metrics?: readonly string[];
  /** Only this operation's per-operation series. */
  readonly Operation?: string;
}

function toSeconds(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return ms / 1000;
  }
  if (v instanceof Date && Number.isFinite(v.getTime())) return v.getTime() / 1000;
  throw validation(`${field} must be a time in epoch seconds or ISO 8601`);
}

/** Per-datapoint accumulators of one output series. */
class Acc {
  readonly sum: Float64Array;
  readonly count: Float64Array;
  readonly max: Float64Array;
  readonly min: Float64Array;
  hist: Float64Array[] | undefined;

  constructor(
    readonly metric: MetricName,
    readonly dimension: string,
    n: number,
  ) {
    this.sum = new Float64Array(n);
    this.count = new Float64Array(n);
    this.max = new Float64Array(n).fill(-Infinity);
    this.min = new Float64Array(n).fill(Infinity);
  }

  add(k: number, sum: number, count: number, max: number, min = max): void {
    this.sum[k]! += sum;
    this.count[k]! += count;
    if (max > this.max[k]!) this.max[k] = max;
    if (min < this.min[k]!) this.min[k] = min;
  }

  histogram(k: number): Float64Array {
    this.hist ??= [];
    return (this.hist[k] ??= new Float64Array(BUCKETS));
  }
}

export function getMetrics(
  ctx: EngineContext,
  monitor: UsageMonitor,
  raw: GetMetricsInput,
): GetMetricsOutput {
  const input = (raw ?? {}) as Record<string, unknown>;
  if (input.TableName !== undefined && typeof input.TableName !== 'string')
    throw validation('TableName must be a string');
  if (input.IndexName !== undefined && typeof input.IndexName !== 'string')
    throw validation('IndexName must be a string');
  if (input.Operation !== undefined && typeof input.Operation !== 'string')
    throw validation('Operation must be a string');
  const tableName = input.TableName as string | undefined;
  const indexName = input.IndexName as string | undefined;
  if (indexName !== undefined && tableName === undefined) throw validation('IndexName needs a TableName');
  const table = tableName !== undefined ? ctx.catalog.get(tableName) : undefined;
  const tableSeries = tableName !== undefined ? monitor.tables.get(tableName) : undefined;
  if (tableName !== undefined && !table && !tableSeries) {
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${tableName} not found`,
    );
  }
  if (indexName !== undefined && table && !table.indexes.has(indexName)) {
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: Index: ${indexName} not found`,
    );
  }

  const nowSec = ctx.now() / 1000;
  const endTime = toSeconds(input.EndTime, 'EndTime') ?? nowSec;
  const startTime = toSeconds(input.StartTime, 'StartTime') ?? endTime - 900;
  if (!(endTime > startTime)) throw validation('EndTime must be after StartTime');
  const span = endTime - startTime;
  const period = input.Period ?? (span <= 900 ? 1 : span <= 86_400 ? 60 : 300);
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 1 || period > 86_400) {
    throw validation('Period must be a whole number of seconds from 1 to 86400');
  }
  // Datapoints start at StartTime, in whole seconds. With periods of whole minutes, the minute
  // aggregates on disk count in the period holding the minute's start: exact when StartTime is a
  // whole minute too (as the studio's and `sortkey stats`' windows are).
  const start = Math.floor(startTime);
  const n = Math.ceil((endTime - start) / period);
  if (n > MAX_DATAPOINTS) {
    throw validation(`Too many datapoints requested: ${n} (at most ${MAX_DATAPOINTS}); use a longer Period`);
  }
  const end = start + n * period;

  let wanted: MetricName[] = [...METRIC_NAMES];
  if (input.Metrics !== undefined) {
    if (!Array.isArray(input.Metrics)) throw validation('Metrics must be a list of metric names');
    for (const m of input.Metrics) {
      if (!(METRIC_NAMES as readonly unknown[]).includes(m)) {
        throw validation(`Unknown metric: ${String(m)}. Known metrics: ${METRIC_NAMES.join(', ')}`);
      }
    }
    wanted = input.Metrics as MetricName[];
  }
  if (indexName !== undefined) wanted = wanted.filter((m) => INDEX_METRICS.has(m));
  const want = new Set<string>(wanted);
  const operation = input.Operation as string | undefined;

  const accs = new Map<string, Acc>();
  const acc = (metric: MetricName, dimension = ''): Acc => {
    const key = `${metric}\u0000${dimension}`;
    let a = accs.get(key);
    if (!a) {
      a = new Acc(metric, dimension, n);
      accs.set(key, a);
    }
    return a;
  };
  const slotOf = (sec: number) => Math.floor((sec - start) / period);

  // What is summed: one table's series (or one index's), or every table's and GSI's (account).
  const tableSeriesList: TableSeries[] =
    tableName === undefined
      ? [monitor.account, ...monitor.tables.values()]
      : tableSeries
        ? [tableSeries]
        : [];
  const resources: ResourceSeries[] = [];
  for (const ts of tableSeriesList) {
    if (indexName !== undefined) {
      const is = ts.indexes.get(indexName);
      if (is) resources.push(is);
    } else {
      resources.push(ts);
      if (tableName === undefined) for (const is of ts.indexes.values()) if (is.gsi) resources.push(is);
    }
  }

  // Which seconds memory answers: whole-minute periods take flushed minutes from disk instead.
  const byMinute = period % 60 === 0;
  const flushed = monitor.flushedMinute;
  const memFrom = Math.max(
    start,
    Math.floor(nowSec) - WINDOW_SECONDS + 1,
    byMinute ? (flushed + 1) * 60 : -Infinity,
  );
  const memTo = Math.min(end - 1, Math.floor(nowSec));

  for (let sec = memFrom; sec <= memTo; sec++) {
    const k = slotOf(sec);
    for (const r of resources) {
      const i = r.at(sec);
      if (i < 0) continue;
      const cr = r.consumedRead[i]!;
      const cw = r.consumedWrite[i]!;
      if (want.has('ConsumedReadCapacityUnits') && cr > 0) acc('ConsumedReadCapacityUnits').add(k, cr, 1, cr);
      if (want.has('ConsumedWriteCapacityUnits') && cw > 0)
        acc('ConsumedWriteCapacityUnits').add(k, cw, 1, cw);
      const rt = r.readThrottles[i]!;
      const wt = r.writeThrottles[i]!;
      if (want.has('ReadThrottleEvents') && rt > 0) acc('ReadThrottleEvents').add(k, rt, rt, rt);
      if (want.has('WriteThrottleEvents') && wt > 0) acc('WriteThrottleEvents').add(k, wt, wt, wt);
    }
    if (indexName !== undefined) continue;
    for (const ts of tableSeriesList) {
      for (const os of ts.operations.values()) {
        if (operation !== undefined && os.operation !== operation) continue;
        const i = os.at(sec);
        if (i < 0) continue;
        const requests = os.requests[i]!;
        if (requests > 0 && want.has('SuccessfulRequestLatency')) {
          const a = acc('SuccessfulRequestLatency', os.operation);
          a.add(k, os.latencySum[i]!, requests, os.latencyMax[i]!);
          const h = os.histogram(sec);
          if (h?.dense) addDense(a.histogram(k), h.dense);
          else if (h?.pairs) addCompact(a.histogram(k), h.pairs);
        }
        if (
          requests > 0 &&
          want.has('ReturnedItemCount') &&
          (os.operation === 'Query' || os.operation === 'Scan' || os.operation === 'ExecuteStatement')
        ) {
          acc('ReturnedItemCount', os.operation).add(k, os.returned[i]!, requests, os.returned[i]!);
        }
        const throttled = os.throttled[i]!;
        if (throttled > 0 && want.has('ThrottledRequests'))
          acc('ThrottledRequests', os.operation).add(k, throttled, throttled, throttled);
      }
      for (const [type, cs] of ts.errors) {
        const i = cs.at(sec);
        if (i < 0) continue;
        const c = cs.count[i]!;
        if (c > 0) addError(acc, want, k, type, c);
      }
    }
  }

  // ReplicationLatency of a global table, per receiving region: samples this process took as it
  // applied the table's writes to its replicas (kept in memory, the last few hundred per replica).
  if (want.has('ReplicationLatency') && table && indexName === undefined) {
    for (const region of replicaRegions(table)) {
      const a = acc('ReplicationLatency', region);
      for (const sample of ctx.replication.latencySamples(table, region)) {
        const k = slotOf(Math.floor(sample.at / 1000));
        if (k >= 0 && k < n) a.add(k, sample.ms, 1, sample.ms);
      }
    }
  }

  // Minute aggregates from disk (whole-minute periods only).
  const gaugeRows: MinuteRow[] = [];
  if (byMinute) {
    const diskMetrics = wanted.filter((m) => m !== 'UserErrors' && m !== 'SystemErrors');
    if (want.has('UserErrors') || want.has('SystemErrors'))
      if (!diskMetrics.includes('Errors')) diskMetrics.push('Errors');
    const rows = monitor.store.read(
      tableName,
      indexName ?? '',
      diskMetrics,
      Math.ceil(start / 60),
      Math.floor((end - 1) / 60),
    );
    for (const r of rows) {
      if (tableName === undefined && r.index !== '' && !isGsiRow(ctx, r)) continue;
      const k = slotOf(r.minute * 60);
      if (k < 0 || k >= n) continue;
      switch (r.metric) {
        case 'ConsumedReadCapacityUnits':
        case 'ConsumedWriteCapacityUnits':
        case 'ReadThrottleEvents':
        case 'WriteThrottleEvents':
          acc(r.metric).add(k, r.sum, r.count, r.max);
          break;
        case 'SuccessfulRequestLatency': {
          if (operation !== undefined && r.dimension !== operation) break;
          const a = acc('SuccessfulRequestLatency', r.dimension);
          a.add(k, r.sum, r.count, r.max);
          if (r.hist) addCompact(a.histogram(k), r.hist);
          break;
        }
        case 'ReturnedItemCount':
        case 'ThrottledRequests':
          if (operation !== undefined && r.dimension !== operation) break;
          acc(r.metric, r.dimension).add(k, r.sum, r.count, r.max);
          break;
        case 'Errors':
          addError(acc, want, k, r.dimension, r.sum);
          break;
        default:
          gaugeRows.push(r);
      }
    }
  } else if (
    want.has('ItemCount') ||
    want.has('TableSizeBytes') ||
    want.has('ProvisionedReadCapacityUnits') ||
    want.has('ProvisionedWriteCapacityUnits')
  ) {
    const gauges = wanted.filter(
      (m) => m === 'ItemCount' || m === 'TableSizeBytes' || m.startsWith('Provisioned'),
    );
    gaugeRows.push(
      ...monitor.store.read(
        tableName,
        indexName ?? '',
        gauges,
        Math.floor(start / 60),
        Math.floor((end - 1) / 60),
      ),
    );
  }

  // Gauges: provisioned throughput and item count/size.
  const gaugeValues = new Map<string, (number | null)[]>();
  const gauge = (metric: MetricName) => {
    let v = gaugeValues.get(metric);
    if (!v) {
      v = new Array<number | null>(n).fill(null);
      gaugeValues.set(metric, v);
    }
    return v;
  };
  // Latest sample per (period, table, index), then summed over tables for the account.
  const latest = new Map<string, { minute: number; value: number }>();
  for (const r of gaugeRows) {
    if (tableName === undefined && r.index !== '') continue;
    const k = Math.max(0, Math.min(n - 1, slotOf(r.minute * 60)));
    const key = `${r.metric}\u0000${k}\u0000${r.table}\u0000${r.index}`;
    const prev = latest.get(key);
    if (!prev || prev.minute <= r.minute) latest.set(key, { minute: r.minute, value: r.sum });
  }
  for (const [key, { value }] of latest) {
    const [metric, k] = key.split('\u0000') as [MetricName, string];
    if (tableName === undefined && metric.startsWith('Provisioned')) continue;
    const v = gauge(metric);
    v[Number(k)] = (v[Number(k)] ?? 0) + value;
  }
  if (
    tableName !== undefined &&
    (want.has('ProvisionedReadCapacityUnits') || want.has('ProvisionedWriteCapacityUnits'))
  ) {
    const r = indexName !== undefined ? tableSeries?.indexes.get(indexName) : tableSeries;
    provisionedSeries(table, indexName, r, start, period, n, nowSec, want, gauge);
  }
  const nowSlot = slotOf(Math.floor(nowSec));
  if (nowSlot >= 0 && nowSlot < n && (want.has('ItemCount') || want.has('TableSizeBytes'))) {
    // The live value for the period holding now.
    let items = 0;
    let bytes = 0;
    const tables = tableName === undefined ? ctx.catalog.list() : table ? [table] : [];
    for (const t of tables) {
      if (t.status === 'CREATING') continue;
      if (indexName !== undefined) {
        const index = t.indexes.get(indexName);
        if (!index) continue;
        const c = ctx.catalog.indexCounters(index);
        items += c.itemCount;
        bytes += c.sizeBytes;
      } else {
        const c = ctx.catalog.counters(t);
        items += c.itemCount;
        bytes += c.sizeBytes;
      }
    }
    if (want.has('ItemCount')) gauge('ItemCount')[nowSlot] = items;
    if (want.has('TableSizeBytes')) gauge('TableSizeBytes')[nowSlot] = bytes;
  }

  // Render, in the order of METRIC_NAMES, dimensions sorted.
  const out: MetricSeries[] = [];
  const timestamps = Array.from({ length: n }, (_, k) => start + k * period);
  for (const metric of wanted) {
    if (metric === 'ItemCount' || metric === 'TableSizeBytes' || metric.startsWith('Provisioned')) {
      // Provisioned throughput is per table or index: the account has none.
      if (tableName === undefined && metric.startsWith('Provisioned')) continue;
      const v = gaugeValues.get(metric) ?? new Array<number | null>(n).fill(null);
      out.push({
        MetricName: metric,
        Unit: metric === 'TableSizeBytes' ? 'Bytes' : 'Count',
        Statistics: { Maximum: v },
      });
      continue;
    }
    const list = [...accs.values()]
      .filter((a) => a.metric === metric)
      .sort((a, b) => a.dimension.localeCompare(b.dimension));
    if (
      list.length === 0 &&
      (metric === 'ConsumedReadCapacityUnits' ||
        metric === 'ConsumedWriteCapacityUnits' ||
        metric.endsWith('ThrottleEvents') ||
        metric.endsWith('Errors') ||
        metric === 'ConditionalCheckFailedRequests')
    ) {
      list.push(new Acc(metric, '', n));
    }
    for (const a of list) out.push(render(a, period));
  }
  return {
    ...(tableName !== undefined ? { TableName: tableName } : {}),
    ...(indexName !== undefined ? { IndexName: indexName } : {}),
    StartTime: start,
    EndTime: end,
    Period: period,
    Timestamps: timestamps,
    Metrics: out,
  };
}

const SYSTEM_ERRORS: ReadonlySet<string> = new Set(['InternalServerError', 'ServiceUnavailable']);

/**
 * Counts errors of one type: Errors by type, and CloudWatch's aggregates: SystemErrors (HTTP 500),
 * ConditionalCheckFailedRequests, and UserErrors (the other 400s, throttling excepted, which
 * ThrottledRequests counts).
 */
function addError(
  acc: (m: MetricName, d?: string) => Acc,
  want: ReadonlySet<string>,
  k: number,
  type: string,
  c: number,
): void {
  if (want.has('Errors')) acc('Errors', type).add(k, c, c, c);
  let kind: MetricName | undefined;
  if (SYSTEM_ERRORS.has(type)) kind = 'SystemErrors';
  else if (type === 'ConditionalCheckFailedException') kind = 'ConditionalCheckFailedRequests';
  else if (type !== 'ProvisionedThroughputExceededException' && type !== 'ThrottlingException')
    kind = 'UserErrors';
  if (kind && want.has(kind)) acc(kind).add(k, c, c, c);
}

function isGsiRow(ctx: EngineContext, r: MinuteRow): boolean {
  return ctx.catalog.get(r.table)?.indexes.get(r.index)?.kind !== 'LSI';
}

/** Provisioned throughput per period: the value in effect at each period's end. */
function provisionedSeries(
  table: Table | undefined,
  indexName: string | undefined,
  r: ResourceSeries | undefined,
  start: number,
  period: number,
  n: number,
  nowSec: number,
  want: ReadonlySet<string>,
  gauge: (m: MetricName) => (number | null)[],
): void {
  const current = table ? provisionedThroughput(table, indexName) : undefined;
  const firstKnown = r?.provisioned[0]?.sec;
  const read = gauge('ProvisionedReadCapacityUnits');
  const write = gauge('ProvisionedWriteCapacityUnits');
  for (let k = 0; k < n; k++) {
    const at = Math.min(start + (k + 1) * period - 1, Math.floor(nowSec));
    if (at < start + k * period) break;
    let tp: { read: number; write: number } | undefined;
    if (r && firstKnown !== undefined && at >= firstKnown) tp = r.provisionedAt(at);
    else if (read[k] !== null || write[k] !== null)
      continue; // from disk
    else tp = current; // before this process saw the table: today's value
    if (want.has('ProvisionedReadCapacityUnits')) read[k] = tp ? tp.read : null;
    if (want.has('ProvisionedWriteCapacityUnits')) write[k] = tp ? tp.write : null;
  }
}

function render(a: Acc, period: number): MetricSeries {
  const n = a.sum.length;
  const dim =
    a.metric === 'Errors'
      ? { ErrorType: a.dimension }
      : a.metric === 'ReplicationLatency'
        ? { ReceivingRegion: a.dimension }
        : a.dimension !== ''
          ? { Operation: a.dimension }
          : {};
  const stats: Partial<Record<MetricStatistic, (number | null)[]>> = {};
  switch (a.metric) {
    case 'ConsumedReadCapacityUnits':
    case 'ConsumedWriteCapacityUnits':
      stats.Sum = Array.from(a.sum);
      stats.Average = Array.from(a.sum, (s) => s / period);
      stats.Maximum = Array.from(a.max, (m) => (m === -Infinity ? 0 : m));
      return { MetricName: a.metric, Unit: 'Count', Statistics: stats };
    case 'SuccessfulRequestLatency': {
      stats.SampleCount = Array.from(a.count);
      stats.Average = Array.from(a.sum, (s, k) => (a.count[k]! > 0 ? s / a.count[k]! : null));
      stats.Maximum = Array.from(a.max, (m, k) => (a.count[k]! > 0 ? m : null));
      for (const [name, q] of [
        ['p50', 0.5],
        ['p90', 0.9],
        ['p99', 0.99],
      ] as const) {
        const values: (number | null)[] = new Array<number | null>(n).fill(null);
        for (let k = 0; k < n; k++) {
          const h = a.hist?.[k];
          if (!h || a.count[k]! <= 0) continue;
          let total = 0;
          for (let b = 0; b < h.length; b++) total += h[b]!;
          const micros = quantile(h, total, q, a.max[k]! * 1000);
          values[k] = micros === undefined ? null : micros / 1000;
        }
        stats[name] = values;
      }
      return { MetricName: a.metric, ...dim, Unit: 'Milliseconds', Statistics: stats };
    }
    case 'ReplicationLatency': {
      const seen = (k: number) => a.count[k]! > 0;
      stats.SampleCount = Array.from(a.count);
      stats.Average = Array.from(a.sum, (s, k) => (seen(k) ? s / a.count[k]! : null));
      stats.Maximum = Array.from(a.max, (m, k) => (seen(k) ? m : null));
      stats.Minimum = Array.from(a.min, (m, k) => (seen(k) ? m : null));
      return { MetricName: a.metric, ...dim, Unit: 'Milliseconds', Statistics: stats };
    }
    case 'ReturnedItemCount':
      stats.Sum = Array.from(a.sum);
      stats.Average = Array.from(a.sum, (s, k) => (a.count[k]! > 0 ? s / a.count[k]! : null));
      return { MetricName: a.metric, ...dim, Unit: 'Count', Statistics: stats };
    default:
      stats.Sum = Array.from(a.sum);
      return { MetricName: a.metric, ...dim, Unit: 'Count', Statistics: stats };
  }
}
