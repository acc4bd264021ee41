// CloudWatch-like alarms on the engine's metrics: the definition's checks and the evaluation of
// its last EvaluationPeriods datapoints into OK, ALARM or INSUFFICIENT_DATA. Pure: runner.ts reads
// the datapoints (GetMetrics) and keeps the state.
//
// As CloudWatch documents it ("Evaluating an alarm"; PutMetricAlarm): a datapoint breaches when
// it compares with the threshold as ComparisonOperator says; the alarm goes to ALARM when at least
// DatapointsToAlarm of the last EvaluationPeriods datapoints breach ("M out of N", not necessarily
// consecutive), and to OK otherwise. Missing datapoints follow TreatMissingData: `breaching` and
// `notBreaching` count them so, `missing` and `ignore` leave them out; with no datapoint at all,
// `missing` gives INSUFFICIENT_DATA and `ignore` keeps the current state. (CloudWatch also looks
// further back for datapoints when some are missing; this evaluates the last N periods only.)
import {
  ALARM_STATISTICS,
  COMPARISON_OPERATORS,
  METRIC_NAMES,
  TREAT_MISSING_DATA,
} from '../../common/types.js';
import type {
  AlarmDefinition,
  AlarmState,
  ComparisonOperator,
  MetricName,
  MetricSeries,
  MetricStatistic,
  TreatMissingData,
} from '../../common/types.js';
import { validation } from '../errors.js';

/** Periods an alarm may have: CloudWatch's high-resolution 10, 20, 30 (and 1, 5 locally), or minutes. */
export function isAlarmPeriod(p: number): boolean {
  return Number.isInteger(p) && p >= 1 && p <= 86_400 && (p % 60 === 0 || [1, 5, 10, 20, 30].includes(p));
}

/** A name: 1 to 255 characters, none of them a control character. */
function isName(v: string): boolean {
  if (v.length < 1 || v.length > 255) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

/** PutMetricAlarm's members, checked, with the defaults filled in. */
export function parseAlarmDefinition(raw: Record<string, unknown>): AlarmDefinition {
  const str = (name: string, v: unknown, required: boolean): string | undefined => {
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || !isName(v))
      throw validation(`${name} must be a name of 1 to 255 characters`);
    return v;
  };
  const AlarmName = str('AlarmName', raw.AlarmName, true)!;
  const TableName = str('TableName', raw.TableName, false);
  const IndexName = str('IndexName', raw.IndexName, false);
  if (IndexName !== undefined && TableName === undefined) throw validation('IndexName needs a TableName');
  // Every metric GetMetrics keeps (common/types.ts), so metrics added there can be alarmed on too.
  if (typeof raw.MetricName !== 'string' || !(METRIC_NAMES as readonly string[]).includes(raw.MetricName))
    throw validation(`MetricName must be one of ${METRIC_NAMES.join(', ')}`);
  const MetricName = raw.MetricName as MetricName;
  let Dimensions: Record<string, string> | undefined;
  if (raw.Dimensions !== undefined) {
    const d = raw.Dimensions;
    if (d === null || typeof d !== 'object' || Array.isArray(d))
      throw validation('Dimensions must be a map of dimension names to values');
    Dimensions = {};
    for (const [k, v] of Object.entries(d)) {
      if (typeof v !== 'string') throw validation(`Dimensions.${k} must be a string`);
      Dimensions[k] = v;
    }
    if (Object.keys(Dimensions).length === 0) Dimensions = undefined;
  }
  if (typeof raw.Statistic !== 'string' || !(ALARM_STATISTICS as readonly string[]).includes(raw.Statistic))
    throw validation(`Statistic must be one of ${ALARM_STATISTICS.join(', ')}`);
  const Statistic = raw.Statistic as MetricStatistic;
  const Period = raw.Period;
  if (typeof Period !== 'number' || !isAlarmPeriod(Period))
    throw validation('Period must be 1, 5, 10, 20, 30 or a multiple of 60 seconds, at most 86400');
  const whole = (name: string, v: unknown): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw validation(`${name} must be a whole number from 1`);
    return v;
  };
  const EvaluationPeriods = whole('EvaluationPeriods', raw.EvaluationPeriods);
  // CloudWatch: Period × EvaluationPeriods at most one day (for periods under an hour).
  if (Period * EvaluationPeriods > 86_400)
    throw validation('Period multiplied by EvaluationPeriods must not exceed one day (86400 seconds)');
  const DatapointsToAlarm =
    raw.DatapointsToAlarm === undefined
      ? EvaluationPeriods
      : whole('DatapointsToAlarm', raw.DatapointsToAlarm);
  if (DatapointsToAlarm > EvaluationPeriods)
    throw validation('DatapointsToAlarm must be less than or equal to EvaluationPeriods');
  if (
    typeof raw.ComparisonOperator !== 'string' ||
    !(COMPARISON_OPERATORS as readonly string[]).includes(raw.ComparisonOperator)
  )
    throw validation(`ComparisonOperator must be one of ${COMPARISON_OPERATORS.join(', ')}`);
  if (typeof raw.Threshold !== 'number' || !Number.isFinite(raw.Threshold))
    throw validation('Threshold must be a number');
  const treat = raw.TreatMissingData ?? 'missing';
  if (typeof treat !== 'string' || !(TREAT_MISSING_DATA as readonly string[]).includes(treat))
    throw validation(`TreatMissingData must be one of ${TREAT_MISSING_DATA.join(', ')}`);
  return {
    AlarmName,
    ...(TableName !== undefined ? { TableName } : {}),
    ...(IndexName !== undefined ? { IndexName } : {}),
    MetricName,
    ...(Dimensions ? { Dimensions } : {}),
    Statistic,
    Period,
    EvaluationPeriods,
    DatapointsToAlarm,
    ComparisonOperator: raw.ComparisonOperator as ComparisonOperator,
    Threshold: raw.Threshold,
    TreatMissingData: treat as TreatMissingData,
  };
}

/**
 * One value per period of the series GetMetrics answered that match the alarm (its metric and
 * dimensions). Several matching series (ThrottledRequests of every operation) are combined: sums
 * and counts added, maxima and percentiles the largest, minima the smallest, averages weighted by
 * nothing (their mean: a guess, CloudWatch alarms watch one series). Null: no datapoint.
 */
export function alarmDatapoints(
  alarm: Pick<AlarmDefinition, 'MetricName' | 'Dimensions' | 'Statistic'>,
  series: readonly MetricSeries[],
  n: number,
): (number | null)[] {
  const matching = series.filter((s) => {
    if (s.MetricName !== alarm.MetricName) return false;
    for (const [k, v] of Object.entries(alarm.Dimensions ?? {})) {
      if ((s as unknown as Record<string, unknown>)[k] !== v) return false;
    }
    return true;
  });
  const out: (number | null)[] = new Array<number | null>(n).fill(null);
  for (let k = 0; k < n; k++) {
    const values: number[] = [];
    for (const s of matching) {
      const v = s.Statistics[alarm.Statistic]?.[k];
      if (v !== null && v !== undefined && Number.isFinite(v)) values.push(v);
    }
    if (values.length === 0) continue;
    switch (alarm.Statistic) {
      case 'Sum':
      case 'SampleCount':
        out[k] = values.reduce((a, b) => a + b, 0);
        break;
      case 'Minimum':
        out[k] = Math.min(...values);
        break;
      case 'Average':
        out[k] = values.reduce((a, b) => a + b, 0) / values.length;
        break;
      default:
        out[k] = Math.max(...values);
    }
  }
  return out;
}

export function breaches(op: ComparisonOperator, value: number, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

const WORDS: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

function num(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(Math.round(v * 1000) / 1000);
}

function stamp(sec: number): string {
  // CloudWatch's reasons print (dd/MM/yy HH:mm:ss).
  const d = new Date(sec * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * The state the last EvaluationPeriods datapoints (oldest first, `timestamps` their periods'
 * starts) put the alarm in, and why, in CloudWatch's words. `current` is kept under `ignore`
 * when there is no datapoint at all.
 */
export function evaluateAlarm(
  alarm: AlarmDefinition,
  values: readonly (number | null)[],
  timestamps: readonly number[],
  current: AlarmState,
): { state: AlarmState; reason: string } {
  const treat = alarm.TreatMissingData;
  const present: { value: number; at: number; breach: boolean }[] = [];
  let missing = 0;
  let breaching = 0;
  values.forEach((v, k) => {
    if (v === null) {
      missing++;
      if (treat === 'breaching') breaching++;
      return;
    }
    const breach = breaches(alarm.ComparisonOperator, v, alarm.Threshold);
    if (breach) breaching++;
    present.push({ value: v, at: timestamps[k]!, breach });
  });
  if (present.length === 0 && (treat === 'missing' || treat === 'ignore')) {
    if (treat === 'ignore')
      return { state: current, reason: 'No datapoints: the state is kept (TreatMissingData ignore).' };
    return {
      state: 'INSUFFICIENT_DATA',
      reason: `Insufficient Data: ${values.length} datapoint${values.length === 1 ? ' was' : 's were'} unknown.`,
    };
  }
  const state: AlarmState = breaching >= alarm.DatapointsToAlarm ? 'ALARM' : 'OK';
  const shown = present
    .slice()
    .reverse()
    .map((p) => `${num(p.value)} (${stamp(p.at)})`)
    .join(', ');
  const counted = treat === 'breaching' || treat === 'notBreaching' ? values.length : present.length;
  const which = state === 'ALARM' ? breaching : counted - breaching;
  const verb = state === 'ALARM' ? 'were' : 'were not';
  const extra =
    missing > 0 && treat !== 'missing' && treat !== 'ignore'
      ? ` (${missing} missing, treated as ${treat})`
      : '';
  return {
    state,
    reason: `Threshold Crossed: ${which} out of the last ${counted} datapoints [${shown}] ${verb} ${WORDS[alarm.ComparisonOperator]} the threshold (${num(alarm.Threshold)}) (minimum ${alarm.DatapointsToAlarm} datapoint${alarm.DatapointsToAlarm === 1 ? '' : 's'} for OK -> ALARM transition).${extra}`,
  };
}
