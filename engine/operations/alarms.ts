// Sortkey_20250101.PutMetricAlarm / DescribeAlarms / DeleteAlarms / DescribeAlarmHistory:
// CloudWatch-like alarms on the engine's metrics (engine/automation), kept in the database file.
// The evaluator (`sortkey serve`) moves them between OK, ALARM and INSUFFICIENT_DATA.
//   PutMetricAlarm       in: AlarmDefinition (common/types.ts)     out: { Alarm }
//   DescribeAlarms       in: { AlarmNames?, TableName?, StateValue? }   out: { Alarms }
//   DeleteAlarms         in: { AlarmNames }                         out: { Deleted: number }
//   DescribeAlarmHistory in: { AlarmName?, MaxRecords? = 50 }       out: { AlarmHistoryItems } (newest first)
import { ALARM_STATES } from '../../common/types.js';
import type { AlarmDescription, AlarmHistoryItem } from '../../common/types.js';
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import { parseAlarmDefinition } from '../automation/alarms.js';
import { automationStore } from '../automation/store.js';
import type { StoredAlarm } from '../automation/store.js';
import { asRecord } from './common.js';

function describe(a: StoredAlarm): AlarmDescription {
  return {
    ...a.definition,
    StateValue: a.state,
    StateReason: a.reason,
    StateUpdatedTimestamp: a.stateAt / 1000,
    AlarmConfigurationUpdatedTimestamp: a.updatedAt / 1000,
  };
}

export function putMetricAlarm(ctx: EngineContext, input: unknown): { Alarm: AlarmDescription } {
  const definition = parseAlarmDefinition(asRecord(input));
  const store = automationStore(ctx.db);
  const ns = ctx.catalog.namespace;
  ctx.db.transaction(() => store.putAlarm(ns, definition, ctx.now(), 'Unchecked: Initial alarm creation'));
  return { Alarm: describe(store.alarm(ns, definition.AlarmName)!) };
}

function names(v: unknown, member: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((n) => typeof n !== 'string'))
    throw validation(`${member} must be a list of alarm names`);
  return v as string[];
}

export function describeAlarms(ctx: EngineContext, input: unknown): { Alarms: AlarmDescription[] } {
  const raw = asRecord(input);
  const wanted = names(raw.AlarmNames, 'AlarmNames');
  if (raw.TableName !== undefined && typeof raw.TableName !== 'string')
    throw validation('TableName must be a string');
  if (raw.StateValue !== undefined && !(ALARM_STATES as readonly unknown[]).includes(raw.StateValue))
    throw validation(`StateValue must be one of ${ALARM_STATES.join(', ')}`);
  const alarms = automationStore(ctx.db)
    .alarms(ctx.catalog.namespace)
    .filter(
      (a) =>
        (wanted === undefined || wanted.includes(a.definition.AlarmName)) &&
        (raw.TableName === undefined || a.definition.TableName === raw.TableName) &&
        (raw.StateValue === undefined || a.state === raw.StateValue),
    );
  return { Alarms: alarms.map(describe) };
}

export function deleteAlarms(ctx: EngineContext, input: unknown): { Deleted: number } {
  const list = names(asRecord(input).AlarmNames, 'AlarmNames');
  if (!list || list.length === 0) throw validation('AlarmNames must name at least one alarm');
  const store = automationStore(ctx.db);
  const ns = ctx.catalog.namespace;
  const missing = list.filter((n) => !store.alarm(ns, n));
  // CloudWatch's DeleteAlarms answers ResourceNotFound when a named alarm does not exist.
  if (missing.length > 0)
    throw new DynamoError('ResourceNotFoundException', `Alarm not found: ${missing.join(', ')}`);
  let n = 0;
  ctx.db.transaction(() => {
    for (const name of list) if (store.deleteAlarm(ns, name)) n++;
  });
  return { Deleted: n };
}

export function describeAlarmHistory(
  ctx: EngineContext,
  input: unknown,
): { AlarmHistoryItems: AlarmHistoryItem[] } {
  const raw = asRecord(input);
  if (raw.AlarmName !== undefined && typeof raw.AlarmName !== 'string')
    throw validation('AlarmName must be a string');
  const max = raw.MaxRecords ?? 50;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100)
    throw validation('MaxRecords must be a whole number from 1 to 100');
  return {
    AlarmHistoryItems: automationStore(ctx.db).history(
      ctx.catalog.namespace,
      raw.AlarmName as string | undefined,
      max,
    ),
  };
}
