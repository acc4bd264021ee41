// `sortkey scaling set|list|remove` and `sortkey alarms set|list|history|remove`: auto scaling
// policies and alarms (engine/automation), in a database file (--db, default the embedded one) or
// on a running `sortkey serve` (--endpoint, through the Sortkey_20250101 management operations).
// The serving process applies them; a policy or alarm set in the file is seen by a server on it.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import type {
  AlarmDescription,
  AlarmHistoryItem,
  DescribeScalingPoliciesOutput,
  ScalingPolicyDescription,
} from '../../common/types.js';
import { defaultDatabasePath } from '../defaults.js';
import { DEFAULT_REGION } from '../server/config.js';
import { prepareLocalDatabase } from './database.js';
import { httpCall } from './stats.js';
import type { StatsCall } from './stats.js';

interface WhereOptions {
  db?: string;
  endpoint?: string;
  region?: string;
  json?: boolean;
}

/** A usage mistake (exit 2). */
class AutomationUsageError extends Error {}

/** Calls Sortkey's operations on the database file or the endpoint the options name. */
export async function openManagement(
  opts: WhereOptions,
  command: string,
  mustExist: boolean,
): Promise<{ call: StatsCall; close: () => void }> {
  if (opts.db !== undefined && opts.endpoint !== undefined)
    throw new AutomationUsageError('choose one of --db and --endpoint');
  if (opts.endpoint !== undefined)
    return { call: httpCall(opts.endpoint, opts.region ?? DEFAULT_REGION), close: () => {} };
  const path = prepareLocalDatabase(opts.db ?? defaultDatabasePath(), { command, mustExist });
  const { Engine } = await import('../../engine/index.js');
  const engine = new Engine({
    path,
    region: opts.region ?? DEFAULT_REGION,
    ttlSweepIntervalMs: 0,
    metricsFlushIntervalMs: 0,
    hotKeys: false,
  });
  return {
    call: async (service, operation, input) =>
      service === 'Sortkey_20250101'
        ? engine.executeSortkey(operation, input)
        : engine.execute(operation, input),
    // Nothing of this process's (empty) metrics is worth writing.
    close: () => engine.ctx.db.close(),
  };
}

/** `MIN..MAX@TARGET%` (the % is optional): a policy's range and target utilisation. */
export function parseScalingSpec(value: string): {
  MinCapacity: number;
  MaxCapacity: number;
  TargetValue: number;
} {
  const m = /^(\d+)\.\.(\d+)@(\d+(?:\.\d+)?)%?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected MIN..MAX@TARGET%, e.g. 5..500@70%');
  return { MinCapacity: Number(m[1]), MaxCapacity: Number(m[2]), TargetValue: Number(m[3]) };
}

const SHORT_COMPARISONS: Record<string, string> = {
  '>': 'GreaterThanThreshold',
  '>=': 'GreaterThanOrEqualToThreshold',
  '<': 'LessThanThreshold',
  '<=': 'LessThanOrEqualToThreshold',
};

/** `--threshold '>100'` (or `100` with --comparison): the comparison and the threshold. */
export function parseThreshold(
  value: string,
  comparison?: string,
): { ComparisonOperator: string; Threshold: number } {
  const m = /^\s*(>=|<=|>|<)?\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i.exec(value);
  if (!m)
    throw new AutomationUsageError(
      `--threshold: expected a number, optionally after >, >=, < or <= (got ${value})`,
    );
  const op = m[1] ? SHORT_COMPARISONS[m[1]]! : comparison;
  if (m[1] && comparison !== undefined && comparison !== op)
    throw new AutomationUsageError('--threshold names a comparison that --comparison contradicts');
  if (!op)
    throw new AutomationUsageError(
      'say how to compare: --threshold ">100" or --comparison GreaterThanThreshold',
    );
  return { ComparisonOperator: op, Threshold: Number(m[2]) };
}

function when(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined) return '-';
  return new Date(epochSeconds * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

export function renderPolicies(out: DescribeScalingPoliciesOutput, color = false): string {
  const c = color ? pc : pc.createColors(false);
  if (out.ScalingPolicies.length === 0) return 'No scaling policies.';
  const lines: string[] = [];
  const speed = out.ScalingSpeed !== 1 ? c.dim(`  (scaling clock ×${out.ScalingSpeed})`) : '';
  lines.push(c.dim('resource                         dimension  min..max @target  now') + speed);
  for (const p of out.ScalingPolicies as ScalingPolicyDescription[]) {
    lines.push(
      `${p.ResourceId.padEnd(32)} ${(p.ScalableDimension === 'ReadCapacityUnits' ? 'read' : 'write').padEnd(10)} ${`${p.MinCapacity}..${p.MaxCapacity} @${p.TargetValue}%`.padEnd(17)} ${p.CurrentCapacity ?? '-'}${p.DisableScaleIn ? c.dim('  (no scale-in)') : ''}`,
    );
    if (p.LastEvaluation) lines.push(c.dim(`  ${when(p.LastEvaluationTime)}  ${p.LastEvaluation}`));
  }
  if (out.ScalingActivities.length > 0) {
    lines.push('', c.dim('recent activities'));
    for (const a of out.ScalingActivities) {
      const what = `${a.IndexName ? `${a.TableName}/${a.IndexName}` : a.TableName} ${a.ScalableDimension === 'ReadCapacityUnits' ? 'read' : 'write'} ${a.FromCapacity} → ${a.ToCapacity}`;
      const status = a.StatusCode === 'Successful' ? c.green(a.StatusCode) : c.red(a.StatusCode);
      lines.push(`  ${when(a.StartTime)}  ${what}  ${status}  ${c.dim(a.StatusMessage ?? a.Cause)}`);
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

/** One line per alarm: its state, what it watches, and why it is in that state. */
export function renderAlarms(alarms: readonly AlarmDescription[], color = false): string {
  const c = color ? pc : pc.createColors(false);
  if (alarms.length === 0) return 'No alarms.';
  const lines: string[] = [];
  for (const a of alarms) {
    const paint = a.StateValue === 'ALARM' ? c.red : a.StateValue === 'OK' ? c.green : c.yellow;
    const scope = a.TableName ? (a.IndexName ? `${a.TableName}/${a.IndexName}` : a.TableName) : 'account';
    const dims = Object.entries(a.Dimensions ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    lines.push(
      `${paint(a.StateValue.padEnd(17))} ${a.AlarmName}  ${c.dim(`${scope} ${a.MetricName}${dims ? `[${dims}]` : ''} ${a.Statistic} ${COMPARISON_SIGNS[a.ComparisonOperator] ?? a.ComparisonOperator} ${a.Threshold} · ${a.DatapointsToAlarm} of ${a.EvaluationPeriods} × ${a.Period}s`)}`,
    );
    lines.push(c.dim(`  since ${when(a.StateUpdatedTimestamp)}: ${a.StateReason}`));
  }
  return lines.join('\n');
}

export function renderHistory(items: readonly AlarmHistoryItem[]): string {
  if (items.length === 0) return 'No state changes.';
  return items
    .map((h) => `${when(h.Timestamp)}  ${h.AlarmName}  ${h.OldState} → ${h.NewState}  ${h.Reason}`)
    .join('\n');
}

function addWhere(cmd: Command): Command {
  return cmd
    .option('--db <file>', `SQLite database file (default: ${defaultDatabasePath()})`)
    .option('--endpoint <url>', 'a running sortkey serve instead')
    .option(
      '--region <region>',
      'whose tables (each region has its own); with --endpoint, the one requests are signed for',
      DEFAULT_REGION,
    );
}

async function run(
  command: string,
  mustExist: boolean,
  opts: WhereOptions,
  body: (call: StatsCall) => Promise<string>,
): Promise<number> {
  let opened: { call: StatsCall; close: () => void } | undefined;
  try {
    opened = await openManagement(opts, command, mustExist);
    console.log(await body(opened.call));
    return 0;
  } catch (e) {
    const err = e as Error & { type?: string; exitCode?: number };
    const usage =
      e instanceof AutomationUsageError || err.name === 'InvalidArgumentError' || err.exitCode === 2;
    console.error(`sortkey ${command}: ${err.type ? `${err.type}: ` : ''}${err.message}`);
    return usage ? 2 : 1;
  } finally {
    opened?.close();
  }
}

const color = (opts: WhereOptions) => !opts.json && process.stdout.isTTY === true && !process.env.NO_COLOR;

interface ScalingSetOptions extends WhereOptions {
  read?: ReturnType<typeof parseScalingSpec>;
  write?: ReturnType<typeof parseScalingSpec>;
  index?: string;
  disableScaleIn?: boolean;
  scaleInCooldown?: number;
  scaleOutCooldown?: number;
}

function parseWhole(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

export function registerScaling(program: Command): void {
  const scaling = program
    .command('scaling')
    .description('auto scaling (target tracking) of provisioned tables and GSIs');
  addWhere(
    scaling
      .command('set')
      .description('set the read and/or write policy of a table or GSI')
      .argument('<table>', 'table name')
      .option('--read <spec>', 'read capacity MIN..MAX@TARGET% (e.g. 5..500@70%)', parseScalingSpec)
      .option('--write <spec>', 'write capacity MIN..MAX@TARGET%', parseScalingSpec)
      .option('--index <name>', 'a global secondary index of the table')
      .option('--disable-scale-in', 'only ever add capacity')
      .option('--scale-in-cooldown <seconds>', 'seconds (scaled) between scale-ins (default 0)', parseWhole)
      .option('--scale-out-cooldown <seconds>', 'seconds (scaled) between scale-outs (default 0)', parseWhole)
      .option('--json', 'print the policies as JSON'),
  )
    .addHelpText(
      'after',
      `
Capacity rises after 2 minutes above the target and falls after 15 minutes 20 points below it,
at most 4 decreases a UTC day and then one an hour, as DynamoDB's auto scaling does. The scaler
runs in sortkey serve (--scaling-speed N makes its minutes N times shorter).

Examples:
  sortkey scaling set Orders --read 5..500@70% --write 5..200@70%
  sortkey scaling set Orders --index byCustomer --read 1..100@50% --endpoint http://127.0.0.1:8000`,
    )
    .action(async (table: string, opts: ScalingSetOptions) => {
      process.exitCode = await run('scaling set', false, opts, async (call) => {
        if (!opts.read && !opts.write)
          throw new AutomationUsageError('say --read and/or --write MIN..MAX@TARGET%');
        for (const [dimension, spec] of [
          ['ReadCapacityUnits', opts.read],
          ['WriteCapacityUnits', opts.write],
        ] as const) {
          if (!spec) continue;
          await call('Sortkey_20250101', 'PutScalingPolicy', {
            TableName: table,
            ...(opts.index !== undefined ? { IndexName: opts.index } : {}),
            ScalableDimension: dimension,
            ...spec,
            ...(opts.disableScaleIn ? { DisableScaleIn: true } : {}),
            ...(opts.scaleInCooldown !== undefined ? { ScaleInCooldown: opts.scaleInCooldown } : {}),
            ...(opts.scaleOutCooldown !== undefined ? { ScaleOutCooldown: opts.scaleOutCooldown } : {}),
          });
        }
        const out = (await call('Sortkey_20250101', 'DescribeScalingPolicies', {
          TableName: table,
          MaxActivities: 0,
        })) as DescribeScalingPoliciesOutput;
        return opts.json ? JSON.stringify(out, null, 2) : renderPolicies(out, color(opts));
      });
    });
  addWhere(
    scaling
      .command('list')
      .description('the policies, what the scaler last saw, and recent capacity changes')
      .argument('[table]', 'only this table')
      .option('--json', 'print as JSON'),
  ).action(async (table: string | undefined, opts: WhereOptions) => {
    process.exitCode = await run('scaling list', true, opts, async (call) => {
      const out = (await call('Sortkey_20250101', 'DescribeScalingPolicies', {
        ...(table !== undefined ? { TableName: table } : {}),
      })) as DescribeScalingPoliciesOutput;
      return opts.json ? JSON.stringify(out, null, 2) : renderPolicies(out, color(opts));
    });
  });
  addWhere(
    scaling
      .command('remove')
      .description("remove a table's (or GSI's) policies; the capacity stays as it is")
      .argument('<table>', 'table name')
      .option('--index <name>', 'a global secondary index of the table')
      .option('--read', 'only the read policy')
      .option('--write', 'only the write policy'),
  ).action(
    async (table: string, opts: WhereOptions & { index?: string; read?: boolean; write?: boolean }) => {
      process.exitCode = await run('scaling remove', true, opts, async (call) => {
        // Both dimensions unless one is named.
        const dims: (string | undefined)[] =
          opts.read || opts.write
            ? [
                opts.read ? 'ReadCapacityUnits' : undefined,
                opts.write ? 'WriteCapacityUnits' : undefined,
              ].filter((d) => d !== undefined)
            : [undefined];
        let n = 0;
        for (const d of dims) {
          const out = (await call('Sortkey_20250101', 'DeleteScalingPolicy', {
            TableName: table,
            ...(opts.index !== undefined ? { IndexName: opts.index } : {}),
            ...(d !== undefined ? { ScalableDimension: d } : {}),
          })) as { Deleted: number };
          n += out.Deleted;
        }
        return `Removed ${n} scaling polic${n === 1 ? 'y' : 'ies'}.`;
      });
    },
  );
}

interface AlarmSetOptions extends WhereOptions {
  table?: string;
  index?: string;
  metric: string;
  operation?: string;
  dimension?: string[];
  statistic: string;
  period: number;
  evaluationPeriods: number;
  datapoints?: number;
  threshold: string;
  comparison?: string;
  treatMissingData?: string;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerAlarms(program: Command): void {
  const alarms = program
    .command('alarms')
    .description('CloudWatch-like alarms on the metrics sortkey serve keeps');
  addWhere(
    alarms
      .command('set')
      .description('create or replace an alarm (it starts in INSUFFICIENT_DATA)')
      .argument('<name>', 'alarm name')
      .option('--table <name>', 'the table (absent: the whole account)')
      .option('--index <name>', 'a global secondary index of the table')
      .requiredOption(
        '--metric <name>',
        'ConsumedReadCapacityUnits, ThrottledRequests, SuccessfulRequestLatency, ItemCount, …',
      )
      .option(
        '--operation <name>',
        'the Operation dimension (SuccessfulRequestLatency, ThrottledRequests, …)',
      )
      .option('--dimension <name=value>', 'another dimension the series must have (repeatable)', collect)
      .option('--statistic <s>', 'Sum, Average, Maximum, Minimum, SampleCount, p50, p90, p99', 'Sum')
      .option('--period <seconds>', '1, 5, 10, 20, 30 or a multiple of 60', parseWhole, 60)
      .option('--evaluation-periods <n>', 'N: how many periods are evaluated', parseWhole, 1)
      .option('--datapoints <m>', 'M of N breaching periods that raise the alarm (default N)', parseWhole)
      .requiredOption('--threshold <value>', "the threshold, optionally with the comparison: '>100', '<=5'")
      .option(
        '--comparison <op>',
        'GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold, LessThanOrEqualToThreshold',
      )
      .option('--treat-missing-data <how>', 'missing (default), ignore, breaching, notBreaching')
      .option('--json', 'print the alarm as JSON'),
  )
    .addHelpText(
      'after',
      `
Examples:
  sortkey alarms set OrdersThrottled --table Orders --metric ThrottledRequests --period 60 --threshold '>0' --treat-missing-data notBreaching
  sortkey alarms set SlowGets --table Orders --metric SuccessfulRequestLatency --operation GetItem --statistic p99 --period 10 --evaluation-periods 3 --datapoints 2 --threshold '>25'`,
    )
    .action(async (name: string, opts: AlarmSetOptions) => {
      process.exitCode = await run('alarms set', false, opts, async (call) => {
        const dims: Record<string, string> = {};
        if (opts.operation !== undefined) dims.Operation = opts.operation;
        for (const d of opts.dimension ?? []) {
          const eq = d.indexOf('=');
          if (eq <= 0) throw new AutomationUsageError(`--dimension: expected NAME=VALUE, got ${d}`);
          dims[d.slice(0, eq)] = d.slice(eq + 1);
        }
        const out = (await call('Sortkey_20250101', 'PutMetricAlarm', {
          AlarmName: name,
          ...(opts.table !== undefined ? { TableName: opts.table } : {}),
          ...(opts.index !== undefined ? { IndexName: opts.index } : {}),
          MetricName: opts.metric,
          ...(Object.keys(dims).length > 0 ? { Dimensions: dims } : {}),
          Statistic: opts.statistic,
          Period: opts.period,
          EvaluationPeriods: opts.evaluationPeriods,
          ...(opts.datapoints !== undefined ? { DatapointsToAlarm: opts.datapoints } : {}),
          ...parseThreshold(opts.threshold, opts.comparison),
          ...(opts.treatMissingData !== undefined ? { TreatMissingData: opts.treatMissingData } : {}),
        })) as { Alarm: AlarmDescription };
        return opts.json ? JSON.stringify(out.Alarm, null, 2) : renderAlarms([out.Alarm], color(opts));
      });
    });
  addWhere(
    alarms
      .command('list')
      .description('every alarm with its state and the reason for it')
      .option('--table <name>', "only this table's alarms")
      .option('--state <state>', 'only alarms in OK, ALARM or INSUFFICIENT_DATA')
      .option('--json', 'print as JSON'),
  ).action(async (opts: WhereOptions & { table?: string; state?: string }) => {
    process.exitCode = await run('alarms list', true, opts, async (call) => {
      const out = (await call('Sortkey_20250101', 'DescribeAlarms', {
        ...(opts.table !== undefined ? { TableName: opts.table } : {}),
        ...(opts.state !== undefined ? { StateValue: opts.state } : {}),
      })) as { Alarms: AlarmDescription[] };
      return opts.json ? JSON.stringify(out.Alarms, null, 2) : renderAlarms(out.Alarms, color(opts));
    });
  });
  addWhere(
    alarms
      .command('history')
      .description('state changes, newest first')
      .argument('[name]', 'only this alarm')
      .option('--json', 'print as JSON'),
  ).action(async (name: string | undefined, opts: WhereOptions) => {
    process.exitCode = await run('alarms history', true, opts, async (call) => {
      const out = (await call('Sortkey_20250101', 'DescribeAlarmHistory', {
        ...(name !== undefined ? { AlarmName: name } : {}),
        MaxRecords: 100,
      })) as { AlarmHistoryItems: AlarmHistoryItem[] };
      return opts.json
        ? JSON.stringify(out.AlarmHistoryItems, null, 2)
        : renderHistory(out.AlarmHistoryItems);
    });
  });
  addWhere(
    alarms
      .command('remove')
      .description('delete alarms and their history')
      .argument('<names...>', 'alarm names'),
  ).action(async (names: string[], opts: WhereOptions) => {
    process.exitCode = await run('alarms remove', true, opts, async (call) => {
      const out = (await call('Sortkey_20250101', 'DeleteAlarms', { AlarmNames: names })) as {
        Deleted: number;
      };
      return `Removed ${out.Deleted} alarm${out.Deleted === 1 ? '' : 's'}.`;
    });
  });
}
