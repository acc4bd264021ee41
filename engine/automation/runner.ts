// The scaler and the alarm evaluator: one timer (an unref()'d interval; `sortkey serve` starts it)
// that, at each turn, evaluates the scaling policies whose scaled minute has ended and the alarms
// whose period has ended. Bounded work per turn (MAX_PER_TURN of each, round robin), reads through
// GetMetrics (the same series the dashboards show), and capacity changes through the engine's own
// UpdateTable, so DescribeTable, ProvisionedRead/WriteCapacityUnits, the throttler's buckets and
// the dashboards all see them. Writes from the timer never wait for another process's lock: a busy
// file leaves the work for the next turn.
//
// Time: alarms run on the engine's clock. Scaling runs `speed` times faster (`--scaling-speed`): a
// scaled minute lasts 60/speed real seconds, so at 60 the 2 minutes before a scale-out are 2 s and
// the 15 before a scale-in 15 s; consumption is still measured in units per real second, and the
// daily decrease budget counts days of scaled time.
//
// Processes sharing the database file: only the holder of the automation lease (lease.ts) runs a
// turn, so each policy acts, and each alarm changes state, once.
import type { AlarmState, GetMetricsOutput, MetricName, ScalableDimension } from '../../common/types.js';
import type { EngineContext } from '../context.js';
import { DatabaseBusyError, isBusyError } from '../storage/database.js';
import { getMetrics } from '../metrics/query.js';
import type { Namespace, Table } from '../tables/table.js';
import { alarmDatapoints, evaluateAlarm } from './alarms.js';
import { Lease } from './lease.js';
import { automationStore } from './store.js';
import type { AutomationStore, StoredAlarm, StoredPolicy } from './store.js';
import { decideScaling, decreaseAllowed, SCALE_IN_DATAPOINTS } from './scaling.js';
import type { UtilisationPoint } from './scaling.js';

/** Policies, and alarms, evaluated at most per timer turn. */
export const MAX_PER_TURN = 64;

/** What an alarm's state change tells listeners (`--alarm-exec` gets it as environment variables). */
export interface AlarmStateChange {
  readonly AlarmName: string;
  readonly Region: string;
  readonly AccountId: string;
  readonly TableName?: string;
  readonly IndexName?: string;
  readonly MetricName: string;
  readonly Statistic: string;
  readonly ComparisonOperator: string;
  readonly Threshold: number;
  readonly OldState: AlarmState;
  readonly NewState: AlarmState;
  readonly Reason: string;
  /** Epoch seconds. */
  readonly Timestamp: number;
}

/** How the runner runs an operation: the engine's `executeWaiting` (a value, or a promise of one). */
export type Execute = (operation: string, input: unknown, ns: Namespace) => unknown;

/** Metrics whose value is a level, not a count per period: the period holding now counts too. */
const GAUGES: ReadonlySet<string> = new Set(['ItemCount', 'TableSizeBytes']);

function isBusy(e: unknown): boolean {
  return e instanceof DatabaseBusyError || isBusyError(e);
}

function capacityOf(table: Table, index: string, dimension: ScalableDimension): number | undefined {
  const d = table.description;
  if (d.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST') return undefined;
  const tp =
    index === ''
      ? d.ProvisionedThroughput
      : d.GlobalSecondaryIndexes?.find((g) => g.IndexName === index)?.ProvisionedThroughput;
  return tp?.[dimension];
}

export class AutomationRunner {
  readonly speed: number;
  private readonly store: AutomationStore;
  private timer: NodeJS.Timeout | undefined;
  /** The end (epoch ms) of the last scaled minute / alarm period evaluated, per policy or alarm. */
  private readonly evaluatedPolicies = new Map<string, number>();
  private readonly evaluatedAlarms = new Map<string, number>();
  private policyCursor = 0;
  private alarmCursor = 0;
  /** Capacity changes whose UpdateTable is waiting for another process's lock. */
  private pending = 0;
  private readonly listeners: ((change: AlarmStateChange) => void)[] = [];
  private errorReported = false;
  /** Which process runs the turns (none needed for an in-memory database: nobody shares it). */
  readonly lease: Lease | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly execute: Execute,
    speed: number,
  ) {
    this.speed = speed;
    this.store = automationStore(ctx.db);
    this.lease = ctx.db.path === ':memory:' ? undefined : new Lease(ctx.db);
  }

  /** Runs `turn()` every `intervalMs` (unref()'d: it never keeps the process alive). */
  start(intervalMs: number): void {
    if (this.timer || intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (!this.ctx.db.sqlite.open) return;
      try {
        this.ctx.db.withoutWaiting(() => this.turn());
      } catch (e) {
        if (isBusy(e)) return;
        if (!this.errorReported) {
          this.errorReported = true;
          console.error('sortkey: error in auto scaling or alarms (retrying):', e);
        }
      }
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and gives the lease up, so that another process sharing the file takes over. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.lease?.release();
  }

  onAlarmStateChange(listener: (change: AlarmStateChange) => void): void {
    this.listeners.push(listener);
  }

  /** Milliseconds of real time a scaled minute lasts. */
  get scaledMinuteMs(): number {
    return 60_000 / this.speed;
  }

  /**
   * One turn: the policies, then the alarms, that are due; nothing while another process sharing
   * the file holds the lease. Returns whether this process ran it.
   */
  turn(): boolean {
    const now = this.ctx.now();
    if (this.lease && !this.lease.hold(now)) return false;
    this.scalePolicies(now);
    this.evaluateAlarms(now);
    return true;
  }

  // ── scaling ───────────────────────────────────────────────────────────────────────────────

  private scalePolicies(now: number): void {
    const minute = this.scaledMinuteMs;
    const end = Math.floor(now / minute) * minute;
    const policies = this.store.policies();
    if (policies.length === 0) return;
    let done = 0;
    for (let i = 0; i < policies.length && done < MAX_PER_TURN; i++) {
      const p = policies[(this.policyCursor + i) % policies.length]!;
      const key = `${p.ns.accountId}\u0000${p.ns.region}\u0000${p.table}\u0000${p.index}\u0000${p.dimension}`;
      if (this.evaluatedPolicies.get(key) === end) continue;
      done++;
      if (this.pending > 0) break;
      try {
        if (this.scale(p, now, end)) this.evaluatedPolicies.set(key, end);
      } catch (e) {
        if (isBusy(e)) break;
        throw e;
      }
    }
    this.policyCursor = (this.policyCursor + done) % Math.max(1, policies.length);
  }

  /** Evaluates one policy at the end of a scaled minute; false: try again next turn. */
  private scale(p: StoredPolicy, now: number, end: number): boolean {
    const ctx = this.ctx;
    return ctx.inNamespace(p.ns, () => {
      const table = ctx.catalog.get(p.table);
      const evaluated = (text: string) => {
        if (p.evaluation !== text) ctx.db.transaction(() => this.store.setEvaluation(p, text, now));
        return true;
      };
      if (!table) return evaluated(`table ${p.table} not found`);
      if (p.index !== '' && !table.indexes.has(p.index)) return evaluated(`index ${p.index} not found`);
      ctx.settle(table);
      if (table.status !== 'ACTIVE') return false;
      const current = capacityOf(table, p.index, p.dimension);
      if (current === undefined) return evaluated('the table is on demand: nothing to scale');
      const minute = this.scaledMinuteMs;
      const activities = this.store.activitiesOf(p.ns, p.table, p.index, now - (2 * 86_400_000) / this.speed);
      const mine = activities.filter((a) => a.dimension === p.dimension);
      const lastActivity = mine.length > 0 ? mine[mine.length - 1]!.at : -Infinity;
      // Datapoints since the last change and since the table exists, at most the 15 scale-in needs.
      const created = (table.description.CreationDateTime ?? 0) * 1000;
      const since = Math.max(
        end - SCALE_IN_DATAPOINTS * minute,
        Math.ceil(lastActivity / minute) * minute,
        Math.ceil(created / minute) * minute,
      );
      const points: UtilisationPoint[] = [];
      if (since < end) {
        const consumed = `Consumed${p.dimension}` as MetricName;
        const provisioned = `Provisioned${p.dimension}` as MetricName;
        const m = getMetrics(ctx, ctx.usage, {
          TableName: p.table,
          ...(p.index !== '' ? { IndexName: p.index } : {}),
          StartTime: since / 1000,
          EndTime: end / 1000,
          Period: minute / 1000,
          Metrics: [consumed, provisioned],
        });
        const sums = m.Metrics.find((s) => s.MetricName === consumed)?.Statistics.Sum ?? [];
        const prov = m.Metrics.find((s) => s.MetricName === provisioned)?.Statistics.Maximum ?? [];
        for (let k = 0; k < m.Timestamps.length; k++) {
          points.push({
            consumedPerSecond: (sums[k] ?? 0) / (minute / 1000),
            provisioned: prov[k] ?? current,
          });
        }
      }
      const scaledSeconds = (ms: number) => (ms * this.speed) / 1000;
      const decision = decideScaling(p.settings, current, points, {
        out: scaledSeconds(now - lastActivity),
        in: scaledSeconds(now - lastActivity),
      });
      if (decision.capacity === undefined) return evaluated(decision.reason);
      if (decision.direction === 'decrease') {
        // The table and each GSI have their own budget; its read and write decreases share it.
        const decreases = activities.filter((a) => a.to < a.from).map((a) => scaledSeconds(a.at));
        const budget = decreaseAllowed(decreases, scaledSeconds(now));
        if (!budget.allowed) {
          const next = new Date((budget.next * 1000) / this.speed).toISOString();
          return evaluated(
            `${decision.reason}; decrease limit: ${budget.today} decreases today, the next is allowed at ${next}`,
          );
        }
      }
      this.apply(p, table, current, decision.capacity, decision.reason, now);
      return true;
    });
  }

  /** Sets the capacity through UpdateTable and records the activity. */
  private apply(p: StoredPolicy, table: Table, from: number, to: number, cause: string, now: number): void {
    const other: ScalableDimension =
      p.dimension === 'ReadCapacityUnits' ? 'WriteCapacityUnits' : 'ReadCapacityUnits';
    const throughput = {
      [p.dimension]: to,
      [other]: capacityOf(table, p.index, other) ?? 1,
    };
    const input =
      p.index === ''
        ? { TableName: p.table, ProvisionedThroughput: throughput }
        : {
            TableName: p.table,
            GlobalSecondaryIndexUpdates: [
              { Update: { IndexName: p.index, ProvisionedThroughput: throughput } },
            ],
          };
    const record = (status: 'Successful' | 'Failed', message?: string) => {
      try {
        this.ctx.db.withoutWaiting(() =>
          this.ctx.db.transaction(() => {
            this.store.addActivity(
              p.ns,
              p.table,
              p.index,
              p.dimension,
              now,
              from,
              to,
              status,
              cause,
              message,
            );
            this.store.setEvaluation(
              p,
              status === 'Successful'
                ? `set ${p.dimension} ${from} → ${to}: ${cause}`
                : `failed: ${message ?? ''}`,
              now,
            );
          }),
        );
      } catch (e) {
        if (!isBusy(e)) throw e;
      }
    };
    const failed = (e: unknown) => {
      const err = e as { type?: string; message?: string };
      record('Failed', `${err.type ?? 'Error'}: ${err.message ?? String(e)}`);
    };
    let result: unknown;
    try {
      result = this.execute('UpdateTable', input, p.ns);
    } catch (e) {
      failed(e);
      return;
    }
    if (result instanceof Promise) {
      this.pending++;
      result
        .then(
          () => record('Successful'),
          (e: unknown) => failed(e),
        )
        .finally(() => this.pending--);
    } else {
      record('Successful');
    }
  }

  // ── alarms ────────────────────────────────────────────────────────────────────────────────

  private evaluateAlarms(now: number): void {
    const alarms = this.store.alarms();
    if (alarms.length === 0) return;
    let done = 0;
    for (let i = 0; i < alarms.length && done < MAX_PER_TURN; i++) {
      const a = alarms[(this.alarmCursor + i) % alarms.length]!;
      const periodMs = a.definition.Period * 1000;
      const end = Math.floor(now / periodMs) * periodMs;
      const key = `${a.ns.accountId}\u0000${a.ns.region}\u0000${a.definition.AlarmName}\u0000${a.updatedAt}`;
      if (this.evaluatedAlarms.get(key) === end) continue;
      done++;
      try {
        this.evaluate(a, now, end);
        this.evaluatedAlarms.set(key, end);
      } catch (e) {
        if (isBusy(e)) break;
        throw e;
      }
    }
    this.alarmCursor = (this.alarmCursor + done) % Math.max(1, alarms.length);
  }

  private evaluate(a: StoredAlarm, now: number, periodEnd: number): void {
    const ctx = this.ctx;
    const d = a.definition;
    const period = d.Period;
    // A level (ItemCount) is read up to now: its live value is that of the period holding now.
    const end = GAUGES.has(d.MetricName) ? periodEnd + period * 1000 : periodEnd;
    const start = end - d.EvaluationPeriods * period * 1000;
    let values: (number | null)[] = new Array<number | null>(d.EvaluationPeriods).fill(null);
    let timestamps: number[] = Array.from(
      { length: d.EvaluationPeriods },
      (_, k) => start / 1000 + k * period,
    );
    const m = ctx.inNamespace(a.ns, (): GetMetricsOutput | undefined => {
      if (d.TableName !== undefined && !ctx.catalog.get(d.TableName)) return undefined;
      try {
        return getMetrics(ctx, ctx.usage, {
          ...(d.TableName !== undefined ? { TableName: d.TableName } : {}),
          ...(d.IndexName !== undefined ? { IndexName: d.IndexName } : {}),
          StartTime: start / 1000,
          EndTime: end / 1000,
          Period: period,
          Metrics: [d.MetricName],
          ...(d.Dimensions?.Operation !== undefined ? { Operation: d.Dimensions.Operation } : {}),
        });
      } catch (e) {
        // A table or index gone since: no data.
        if ((e as { type?: string }).type === 'ResourceNotFoundException') return undefined;
        throw e;
      }
    });
    if (m) {
      values = alarmDatapoints(d, m.Metrics, m.Timestamps.length);
      timestamps = m.Timestamps;
    }
    const { state, reason } = evaluateAlarm(d, values, timestamps, a.state);
    if (state === a.state) {
      if (reason !== a.reason) ctx.db.transaction(() => this.store.setAlarmReason(a, reason));
      return;
    }
    const changed = ctx.db.transaction(() => this.store.setAlarmState(a, state, reason, now));
    if (!changed) return;
    const change: AlarmStateChange = {
      AlarmName: d.AlarmName,
      Region: a.ns.region,
      AccountId: a.ns.accountId,
      ...(d.TableName !== undefined ? { TableName: d.TableName } : {}),
      ...(d.IndexName !== undefined ? { IndexName: d.IndexName } : {}),
      MetricName: d.MetricName,
      Statistic: d.Statistic,
      ComparisonOperator: d.ComparisonOperator,
      Threshold: d.Threshold,
      OldState: a.state,
      NewState: state,
      Reason: reason,
      Timestamp: now / 1000,
    };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (e) {
        console.error('sortkey: an alarm listener failed:', e);
      }
    }
  }
}
