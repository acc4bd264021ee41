// `sortkey stats TABLE`: a table's capacity, throttling, latency and hot keys in the terminal.
//
// Metrics live in the process that serves the table: with --endpoint the numbers come from a
// running `sortkey serve` (Sortkey_20250101.GetMetrics over HTTP: per-second data of the last
// hour). With --db the database file is opened here and only its minute aggregates on disk (the
// last day, written once a minute by the serving process) are there to show.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import type { AlarmDescription } from '../../common/types.js';
import { defaultDatabasePath } from '../defaults.js';
import { authorizationHeader, toAmzDate } from '../server/sigv4.js';
import { DEFAULT_REGION } from '../server/config.js';
import { prepareLocalDatabase } from './database.js';
import { consistencyArgument, consistencySeedArgument } from './serve.js';

export interface StatsCliOptions {
  db?: string;
  inMemory?: boolean;
  endpoint?: string;
  region?: string;
  index?: string;
  /** Seconds of history shown. */
  range?: number;
  /** Seconds per row. */
  period?: number;
  /** `--watch [seconds]`: refresh until Ctrl+C. */
  watch?: number | true;
  json?: boolean;
  color?: boolean;
  /** Show the partition map (Sortkey_20250101.DescribePartitions) instead of the metrics. */
  partitions?: boolean;
  /** `--consistency strong|eventual[:MS]`: switches the endpoint's consistency first (engine/consistency). */
  consistency?: { mode: 'strong' | 'eventual'; windowMs?: number };
  /** `--consistency-seed N`, with `--consistency`. */
  consistencySeed?: number;
}

/** Calls one operation: a DynamoDB one (`DynamoDB_20120810`) or one of Sortkey's own. */
export type StatsCall = (
  service: 'DynamoDB_20120810' | 'Sortkey_20250101',
  operation: string,
  input: unknown,
) => Promise<unknown>;

interface Series {
  MetricName: string;
  Operation?: string;
  ErrorType?: string;
  ReceivingRegion?: string;
  Statistics: Record<string, (number | null)[]>;
}

interface Metrics {
  Timestamps: number[];
  Period: number;
  Metrics: Series[];
}

interface HotKey {
  Key: Record<string, Record<string, unknown>>;
  Count: number;
  Reads: number;
  Writes: number;
  ThrottledRequests: number;
}

/** Everything `sortkey stats` shows, as fetched (printed as is with --json). */
export interface StatsSnapshot {
  readonly TableName: string;
  readonly IndexName?: string;
  readonly Table: {
    BillingModeSummary?: { BillingMode?: string };
    ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
    ItemCount?: number;
    TableSizeBytes?: number;
  };
  readonly ThrottleMode: string | undefined;
  /** The endpoint's consistency (DescribeConsistency), when it has one to tell. */
  readonly Consistency?: { Mode: string; WindowMs: number; Seed: number };
  readonly Metrics: Metrics;
  /** One datapoint over the whole range (per-operation latency and totals). */
  readonly Summary: Metrics;
  readonly MostAccessed: HotKey[];
  readonly MostThrottled: HotKey[];
  /** The table's alarms (engine/automation), when the endpoint keeps them. */
  readonly Alarms?: AlarmDescription[];
}

export class StatsError extends Error {}

/** Fetches a snapshot of one table's (or index's) metrics through `call`. */
export async function fetchStats(
  call: StatsCall,
  table: string,
  options: { index?: string; range: number; period: number; now: number },
): Promise<StatsSnapshot> {
  const described = (await call('DynamoDB_20120810', 'DescribeTable', { TableName: table })) as {
    Table: StatsSnapshot['Table'];
  };
  const end = Math.floor(options.now / options.period) * options.period + options.period;
  const start = end - Math.ceil(options.range / options.period) * options.period;
  const base = {
    TableName: table,
    ...(options.index ? { IndexName: options.index } : {}),
    StartTime: start,
    EndTime: end,
  };
  const metrics = (await call('Sortkey_20250101', 'GetMetrics', {
    ...base,
    Period: options.period,
  })) as Metrics;
  const summary = (await call('Sortkey_20250101', 'GetMetrics', { ...base, Period: end - start })) as Metrics;
  let hot: { MostAccessed: HotKey[]; MostThrottled: HotKey[] } = { MostAccessed: [], MostThrottled: [] };
  try {
    hot = (await call('Sortkey_20250101', 'GetHotKeys', {
      TableName: table,
      ...(options.index ? { IndexName: options.index } : {}),
      WindowSeconds: Math.max(10, Math.min(3600, end - start)),
      Limit: 5,
    })) as typeof hot;
  } catch {
    // Hot keys are an extra: an endpoint without them still has metrics.
  }
  let mode: string | undefined;
  try {
    mode = ((await call('Sortkey_20250101', 'DescribeThrottling', { TableName: table })) as { Mode?: string })
      .Mode;
  } catch {
    mode = undefined;
  }
  let alarms: AlarmDescription[] | undefined;
  try {
    alarms = (
      (await call('Sortkey_20250101', 'DescribeAlarms', { TableName: table })) as {
        Alarms: AlarmDescription[];
      }
    ).Alarms;
  } catch {
    // Alarms are an extra too.
  }
  let consistency: StatsSnapshot['Consistency'];
  try {
    consistency = (await call('Sortkey_20250101', 'DescribeConsistency', {})) as StatsSnapshot['Consistency'];
  } catch {
    // An endpoint without it (an older sortkey serve) is always strongly consistent.
  }
  return {
    TableName: table,
    ...(options.index ? { IndexName: options.index } : {}),
    ...(alarms !== undefined ? { Alarms: alarms } : {}),
    Table: described.Table,
    ThrottleMode: mode,
    ...(consistency ? { Consistency: consistency } : {}),
    Metrics: metrics,
    Summary: summary,
    MostAccessed: hot.MostAccessed,
    MostThrottled: hot.MostThrottled,
  };
}

function find(m: Metrics, name: string): Series[] {
  return m.Metrics.filter((s) => s.MetricName === name);
}

function stat(m: Metrics, name: string, statistic: string, k: number): number | null {
  const s = find(m, name)[0];
  return s?.Statistics[statistic]?.[k] ?? null;
}

function fmt(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return '-';
  if (v === 0) return '0';
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(digits).replace(/\.0+$/, '');
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

function keyText(key: Record<string, Record<string, unknown>>): string {
  return Object.entries(key)
    .map(([name, v]) => {
      const [type, value] = Object.entries(v)[0] ?? ['', ''];
      return `${name}=${type === 'S' ? JSON.stringify(value) : String(value)}`;
    })
    .join(', ');
}

function clock(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The snapshot as text: a header, one row per period, per-operation latency, hot keys. */
export function renderStats(s: StatsSnapshot, color = false): string {
  const c = color ? pc : pc.createColors(false);
  const lines: string[] = [];
  const billing = s.Table.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const tp = s.Table.ProvisionedThroughput;
  const what = s.IndexName ? `${s.TableName} / ${s.IndexName}` : s.TableName;
  const capacity =
    billing === 'PAY_PER_REQUEST'
      ? 'on demand'
      : `provisioned ${tp?.ReadCapacityUnits ?? 0} RCU / ${tp?.WriteCapacityUnits ?? 0} WCU`;
  lines.push(
    `${c.bold(what)} ${c.dim('—')} ${capacity}, ${fmt(s.Table.ItemCount ?? 0, 0)} items, ${fmt(s.Table.TableSizeBytes ?? 0, 0)} bytes` +
      (s.ThrottleMode ? `  ${c.dim('throttling:')} ${s.ThrottleMode}` : '') +
      (s.Consistency?.Mode === 'eventual'
        ? `  ${c.dim('reads:')} ${c.yellow(`eventual, up to ${fmt(s.Consistency.WindowMs, 0)} ms stale`)}`
        : ''),
  );
  lines.push('');
  const m = s.Metrics;
  const widths = [8, 9, 9, 11, 11, 9, 8, 8, 7];
  lines.push(
    c.dim(
      pad(
        ['time', 'read/s', 'write/s', 'prov R/W', 'throttled', 'requests', 'p50 ms', 'p99 ms', 'errors'],
        widths,
      ),
    ),
  );
  const latency = find(m, 'SuccessfulRequestLatency');
  for (let k = 0; k < m.Timestamps.length; k++) {
    // Per row: p50 is the request-weighted mean of the operations' medians, p99 the worst
    // operation's (the operation table below has each one's own).
    let requests = 0;
    let weighted = 0;
    let p99: number | null = null;
    for (const l of latency) {
      const n = l.Statistics.SampleCount?.[k] ?? 0;
      const a = l.Statistics.p50?.[k] ?? null;
      const b = l.Statistics.p99?.[k] ?? null;
      requests += n;
      if (a !== null) weighted += a * n;
      if (b !== null && (p99 === null || b > p99)) p99 = b;
    }
    const p50 = requests > 0 ? weighted / requests : null;
    const pr = stat(m, 'ProvisionedReadCapacityUnits', 'Maximum', k);
    const pw = stat(m, 'ProvisionedWriteCapacityUnits', 'Maximum', k);
    const tr = stat(m, 'ReadThrottleEvents', 'Sum', k) ?? 0;
    const tw = stat(m, 'WriteThrottleEvents', 'Sum', k) ?? 0;
    const errors = (stat(m, 'UserErrors', 'Sum', k) ?? 0) + (stat(m, 'SystemErrors', 'Sum', k) ?? 0);
    const cells = [
      clock(m.Timestamps[k]!),
      fmt(stat(m, 'ConsumedReadCapacityUnits', 'Average', k)),
      fmt(stat(m, 'ConsumedWriteCapacityUnits', 'Average', k)),
      pr === null && pw === null ? '-' : `${fmt(pr, 0)}/${fmt(pw, 0)}`,
      `${fmt(tr, 0)}/${fmt(tw, 0)}`,
      fmt(requests, 0),
      fmt(p50, 2),
      fmt(p99, 2),
      fmt(errors, 0),
    ];
    let row = pad(cells, widths);
    if (tr + tw > 0) row = c.red(row);
    else if (errors > 0) row = c.yellow(row);
    lines.push(row);
  }
  const ops = find(s.Summary, 'SuccessfulRequestLatency').filter(
    (l) => (l.Statistics.SampleCount?.[0] ?? 0) > 0,
  );
  if (ops.length > 0) {
    lines.push(
      '',
      c.dim(
        pad(
          ['operation', 'requests', 'avg ms', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
          [20, 9, 8, 8, 8, 8, 8],
        ),
      ),
    );
    for (const l of ops) {
      const v = (name: string) => l.Statistics[name]?.[0] ?? null;
      lines.push(
        pad(
          [
            l.Operation ?? '',
            fmt(v('SampleCount'), 0),
            fmt(v('Average'), 2),
            fmt(v('p50'), 2),
            fmt(v('p90'), 2),
            fmt(v('p99'), 2),
            fmt(v('Maximum'), 2),
          ],
          [20, 9, 8, 8, 8, 8, 8],
        ),
      );
    }
  }
  const errors = find(s.Summary, 'Errors').filter((e) => (e.Statistics.Sum?.[0] ?? 0) > 0);
  if (errors.length > 0) {
    lines.push('', c.dim('errors'));
    for (const e of errors) lines.push(`  ${e.ErrorType ?? ''}  ${fmt(e.Statistics.Sum?.[0] ?? 0, 0)}`);
  }
  const replicas = find(s.Summary, 'ReplicationLatency');
  if (replicas.length > 0) {
    lines.push('', c.dim('replication latency (global table replicas)'));
    for (const r of replicas) {
      const v = (name: string) => r.Statistics[name]?.[0] ?? null;
      lines.push(
        `  ${r.ReceivingRegion ?? ''}  ` +
          (v('SampleCount')
            ? `avg ${fmt(v('Average'), 0)} ms, max ${fmt(v('Maximum'), 0)} ms (${fmt(v('SampleCount'), 0)} writes)`
            : 'no writes replicated'),
      );
    }
  }
  if (s.MostAccessed.length > 0) {
    lines.push('', c.dim('most accessed partition keys'));
    for (const h of s.MostAccessed) {
      lines.push(
        `  ${keyText(h.Key)}  ${fmt(h.Count, 0)} requests (${fmt(h.Reads, 0)} reads, ${fmt(h.Writes, 0)} writes)`,
      );
    }
  }
  if (s.MostThrottled.length > 0) {
    lines.push('', c.dim('most throttled partition keys'));
    for (const h of s.MostThrottled)
      lines.push(`  ${keyText(h.Key)}  ${c.red(`${fmt(h.ThrottledRequests, 0)} throttled`)}`);
  }
  if (s.Alarms && s.Alarms.length > 0) {
    lines.push('', c.dim('alarms'));
    for (const a of s.Alarms) {
      const paint = a.StateValue === 'ALARM' ? c.red : a.StateValue === 'OK' ? c.green : c.yellow;
      const sign = COMPARISON_SIGNS[a.ComparisonOperator] ?? a.ComparisonOperator;
      const op = a.Dimensions?.Operation ? `[${a.Dimensions.Operation}]` : '';
      lines.push(
        `  ${paint(a.StateValue.padEnd(17))} ${a.AlarmName}  ${c.dim(`${a.MetricName}${op} ${a.Statistic} ${sign} ${a.Threshold}`)}`,
      );
    }
  }
  return lines.join('\n');
}

const COMPARISON_SIGNS: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};
/** The partition map as DescribePartitions answers it (the fields shown here). */
export interface PartitionMapSnapshot {
  TableName: string;
  IndexName?: string;
  PartitionSizeLimitBytes: number;
  HeatSeconds: number;
  SizesPending: boolean;
  Partitions: {
    HashRangeStart: string;
    HashRangeEnd: string;
    ItemCount: number;
    SizeBytes: number;
    ConsumedReadCapacityUnits: number;
    ConsumedWriteCapacityUnits: number;
    Utilization: number;
    CreatedBy: string;
    Isolated: boolean;
    SampleKeys: Record<string, Record<string, unknown>>[];
  }[];
  Splits: { Time: number; Reason: string; HashRangeStart: string; HashRangeEnd: string; Into: string[] }[];
  AdaptiveCapacity?: { Key: Record<string, Record<string, unknown>>; Partition: number; Explanation: string };
}

/** The partition map as text: one row per partition (hash range, size, heat, sample keys), then splits. */
export function renderPartitions(m: PartitionMapSnapshot, color = false): string {
  const c = color ? pc : pc.createColors(false);
  const what = m.IndexName ? `${m.TableName} / ${m.IndexName}` : m.TableName;
  const lines = [
    `${c.bold(what)} ${c.dim('—')} ${m.Partitions.length} partition${m.Partitions.length === 1 ? '' : 's'}` +
      c.dim(
        `  (up to ${fmt(m.PartitionSizeLimitBytes, 0)} bytes, 3,000 RCU and 1,000 WCU each; heat over ${m.HeatSeconds} s)`,
      ) +
      (m.SizesPending ? c.yellow('  sizes being recounted') : ''),
    '',
  ];
  const widths = [4, 19, 8, 11, 8, 8, 6, 10];
  lines.push(
    c.dim(
      pad(['#', 'hash range', 'items', 'bytes', 'read/s', 'write/s', 'use', 'created by'], widths) +
        '  sample keys',
    ),
  );
  m.Partitions.forEach((p, i) => {
    const row =
      pad(
        [
          String(i),
          `${p.HashRangeStart}-${p.HashRangeEnd}`,
          fmt(p.ItemCount, 0),
          fmt(p.SizeBytes, 0),
          fmt(p.ConsumedReadCapacityUnits),
          fmt(p.ConsumedWriteCapacityUnits),
          `${Math.round(p.Utilization * 100)}%`,
          p.Isolated ? 'ISOLATED' : p.CreatedBy,
        ],
        widths,
      ) + `  ${p.SampleKeys.map(keyText).join('; ')}`;
    lines.push(p.Utilization >= 0.8 ? c.red(row) : row);
  });
  if (m.AdaptiveCapacity) {
    lines.push(
      '',
      c.dim('adaptive capacity'),
      `  ${keyText(m.AdaptiveCapacity.Key)} (partition ${m.AdaptiveCapacity.Partition}): ${m.AdaptiveCapacity.Explanation}`,
    );
  }
  if (m.Splits.length > 0) {
    lines.push('', c.dim('splits'));
    for (const s of m.Splits.slice(-10))
      lines.push(
        `  ${clock(s.Time)}  ${s.Reason.padEnd(10)}  ${s.HashRangeStart}-${s.HashRangeEnd} → ${s.Into.join(', ')}`,
      );
  }
  return lines.join('\n');
}

/** Calls through HTTP: the endpoint's JSON protocol, signed when AWS credentials are in the environment. */
export function httpCall(endpoint: string, region: string, env: NodeJS.ProcessEnv = process.env): StatsCall {
  const url = new URL(endpoint);
  return async (service, operation, input) => {
    const body = JSON.stringify(input);
    const headers: Record<string, string> = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `${service}.${operation}`,
      host: url.host,
      'x-amz-date': toAmzDate(Date.now()),
    };
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (accessKeyId && secretAccessKey) {
      headers.authorization = authorizationHeader(
        { method: 'POST', url: url.pathname || '/', headers, body },
        { accessKeyId, secretAccessKey, region },
      );
    }
    const { host: _host, ...sent } = headers;
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: sent, body });
    } catch (e) {
      throw new StatsError(`cannot reach ${endpoint}: ${(e as Error).message}`);
    }
    const text = await res.text();
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new StatsError(`${endpoint} answered ${res.status} with something other than JSON`);
    }
    if (!res.ok) {
      const type = String(json.__type ?? 'Error').replace(/^.*#/, '');
      if (type === 'UnknownOperationException' && service === 'Sortkey_20250101') {
        throw new StatsError(`${endpoint} does not serve Sortkey's metrics (is it sortkey serve?)`);
      }
      throw new StatsError(`${type}: ${String(json.message ?? json.Message ?? '')}`);
    }
    return json;
  };
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a whole number of seconds');
  return n;
}

export async function runStats(table: string, opts: StatsCliOptions): Promise<number> {
  const sources = [opts.db !== undefined, opts.inMemory === true, opts.endpoint !== undefined].filter(
    Boolean,
  ).length;
  if (sources > 1) {
    console.error('sortkey stats: choose one of --db, --in-memory and --endpoint');
    return 2;
  }
  const color = opts.color !== false && !opts.json && process.stdout.isTTY === true && !process.env.NO_COLOR;
  let call: StatsCall;
  let close = (): void => {};
  // Metrics in a database file are minute aggregates: rows are minutes there.
  const local = opts.endpoint === undefined;
  const period = opts.period ?? (local ? 60 : 10);
  const range = opts.range ?? (local ? 900 : 120);
  if (local && period % 60 !== 0) {
    console.error(
      'sortkey stats: without --endpoint only minute aggregates exist: use a --period that is a multiple of 60',
    );
    return 2;
  }
  if ((opts.consistency !== undefined || opts.consistencySeed !== undefined) && opts.endpoint === undefined) {
    console.error('sortkey stats: --consistency switches a running sortkey serve: give its --endpoint');
    return 2;
  }
  if (opts.endpoint !== undefined) {
    call = httpCall(opts.endpoint, opts.region ?? DEFAULT_REGION);
    if (opts.consistency !== undefined || opts.consistencySeed !== undefined) {
      try {
        const now = (await call('Sortkey_20250101', 'DescribeConsistency', {})) as { Mode: string };
        await call('Sortkey_20250101', 'SetConsistency', {
          Mode: opts.consistency?.mode ?? now.Mode,
          ...(opts.consistency?.windowMs !== undefined ? { WindowMs: opts.consistency.windowMs } : {}),
          ...(opts.consistencySeed !== undefined ? { Seed: opts.consistencySeed } : {}),
        });
      } catch (e) {
        console.error(`sortkey stats: ${(e as Error).message}`);
        return 1;
      }
    }
  } else {
    let path: string;
    try {
      path = prepareLocalDatabase(opts.inMemory ? ':memory:' : (opts.db ?? defaultDatabasePath()), {
        command: 'stats',
        mustExist: true,
      });
    } catch (e) {
      console.error(`sortkey stats: ${(e as Error).message}`);
      return 2;
    }
    const { Engine } = await import('../../engine/index.js');
    const engine = new Engine({
      path,
      // The region whose tables are listed (each region has its own).
      region: opts.region ?? DEFAULT_REGION,
      ttlSweepIntervalMs: 0,
      metricsFlushIntervalMs: 0,
      hotKeys: false,
    });
    call = async (service, operation, input) =>
      service === 'Sortkey_20250101'
        ? engine.executeSortkey(operation, input)
        : engine.execute(operation, input);
    // Read only: the database is closed without writing this process's (empty) metrics.
    close = () => engine.ctx.db.close();
  }
  const once = async (): Promise<string> => {
    if (opts.partitions) {
      const map = (await call('Sortkey_20250101', 'DescribePartitions', {
        TableName: table,
        ...(opts.index ? { IndexName: opts.index } : {}),
      })) as PartitionMapSnapshot;
      return opts.json ? JSON.stringify(map, null, 2) : renderPartitions(map, color);
    }
    const snapshot = await fetchStats(call, table, {
      ...(opts.index ? { index: opts.index } : {}),
      range,
      period,
      now: Date.now() / 1000,
    });
    return opts.json ? JSON.stringify(snapshot, null, 2) : renderStats(snapshot, color);
  };
  try {
    if (opts.watch === undefined) {
      console.log(await once());
      return 0;
    }
    const every = (opts.watch === true ? 2 : opts.watch) * 1000;
    for (;;) {
      const text = await once();
      if (process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
      console.log(text);
      if (!opts.json) console.log(pc.dim(`\nrefreshing every ${every / 1000} s — Ctrl+C to stop`));
      await new Promise((r) => setTimeout(r, every));
    }
  } catch (e) {
    const err = e as { name?: string; message?: string; type?: string };
    if (err.type === 'ResourceNotFoundException' || /ResourceNotFoundException/.test(err.message ?? '')) {
      console.error(`sortkey stats: table ${table}${opts.index ? ` (index ${opts.index})` : ''} not found`);
    } else {
      console.error(`sortkey stats: ${err.message ?? String(e)}`);
    }
    return 1;
  } finally {
    close();
  }
}

export function register(program: Command): void {
  program
    .command('stats')
    .description("a table's capacity, throttling, latency and hot keys")
    .argument('<table>', 'table name')
    .option('--endpoint <url>', 'a running sortkey serve: its live per-second metrics (the useful mode)')
    .option('--db <file>', `SQLite database file: its minute aggregates (default: ${defaultDatabasePath()})`)
    .option('--in-memory', 'a scratch database (shows the output format, nothing more)')
    .option(
      '--region <region>',
      'region whose tables to show (each region has its own); with --endpoint, the one requests are signed for',
      DEFAULT_REGION,
    )
    .option('--index <name>', 'a secondary index of the table instead of the table')
    .option('--range <seconds>', 'history shown (default 120 with --endpoint, 900 otherwise)', parseSeconds)
    .option('--period <seconds>', 'seconds per row (default 10 with --endpoint, 60 otherwise)', parseSeconds)
    .option('-w, --watch [seconds]', 'refresh every few seconds (default 2) until Ctrl+C', parseSeconds)
    .option('--partitions', "the table's (or index's) partition map: hash ranges, size, heat, splits")
    .option('--json', 'print the metrics as JSON')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .option(
      '--consistency <strong|eventual[:MS]>',
      "with --endpoint: switch the server's reads first (eventual: up to MS ms stale, GSIs MS late)",
      consistencyArgument,
    )
    .option(
      '--consistency-seed <n>',
      'with --consistency: the seed of the stale reads',
      consistencySeedArgument,
    )
    .addHelpText(
      'after',
      `
Examples:
  sortkey stats Orders --endpoint http://127.0.0.1:8000 --watch
  sortkey stats Orders --endpoint http://127.0.0.1:8000 --index byCustomer --range 600 --period 30
  sortkey stats Orders --db ./data/sortkey.sqlite --range 3600
  sortkey stats Orders --endpoint http://127.0.0.1:8000 --partitions --watch

  sortkey stats Orders --endpoint http://127.0.0.1:8000 --consistency eventual:2000 --watch`,
    )
    .action(async (table: string, opts: StatsCliOptions) => {
      process.exitCode = await runStats(table, opts);
    });
}
