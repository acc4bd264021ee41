// Where scaling policies, scaling activities, alarms and alarm history live (migration 9): in the
// database file, so that `sortkey scaling set --db FILE` and a `sortkey serve` on the same file
// agree, and a restart keeps them. Every read goes to SQLite (a few small rows): nothing is cached
// that another process could change.
import type { Statement } from 'better-sqlite3';
import type {
  AlarmDefinition,
  AlarmHistoryItem,
  AlarmState,
  ScalableDimension,
  ScalingActivity,
} from '../../common/types.js';
import type { Database } from '../storage/database.js';
import type { Namespace } from '../tables/table.js';
import type { ScalingPolicySettings } from './scaling.js';

/** History kept per alarm, and activities per resource (older rows are deleted). */
const HISTORY_KEPT = 100;

export interface StoredPolicy {
  readonly ns: Namespace;
  readonly table: string;
  /** '' for the table itself. */
  readonly index: string;
  readonly dimension: ScalableDimension;
  readonly settings: ScalingPolicySettings;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly evaluation: string | null;
  readonly evaluatedAt: number | null;
}

export interface StoredAlarm {
  readonly ns: Namespace;
  readonly definition: AlarmDefinition;
  readonly updatedAt: number;
  readonly state: AlarmState;
  readonly reason: string;
  readonly stateAt: number;
}

interface PolicyRow {
  account: string;
  region: string;
  table_name: string;
  index_name: string;
  dimension: string;
  policy: string;
  created_at: number;
  evaluation: string | null;
  evaluated_at: number | null;
}

interface AlarmRow {
  account: string;
  region: string;
  name: string;
  definition: string;
  updated_at: number;
  state: string;
  reason: string;
  state_at: number;
}

function toPolicy(r: PolicyRow): StoredPolicy {
  return {
    ns: { accountId: r.account, region: r.region },
    table: r.table_name,
    index: r.index_name,
    dimension: r.dimension as ScalableDimension,
    settings: JSON.parse(r.policy) as ScalingPolicySettings,
    createdAt: r.created_at,
    evaluation: r.evaluation,
    evaluatedAt: r.evaluated_at,
  };
}

function toAlarm(r: AlarmRow): StoredAlarm {
  return {
    ns: { accountId: r.account, region: r.region },
    definition: JSON.parse(r.definition) as AlarmDefinition,
    updatedAt: r.updated_at,
    state: r.state as AlarmState,
    reason: r.reason,
    stateAt: r.state_at,
  };
}

export class AutomationStore {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.sqlite.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  // ── scaling policies ──────────────────────────────────────────────────────────────────────

  putPolicy(
    ns: Namespace,
    table: string,
    index: string,
    dimension: ScalableDimension,
    settings: ScalingPolicySettings,
    now: number,
  ): void {
    this.stmt(
      `INSERT INTO sk_scaling_policies (account, region, table_name, index_name, dimension, policy, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account, region, table_name, index_name, dimension)
       DO UPDATE SET policy = excluded.policy, evaluation = NULL, evaluated_at = NULL`,
    ).run(ns.accountId, ns.region, table, index, dimension, JSON.stringify(settings), now);
  }

  /** Policies of a namespace (every namespace when `ns` is absent), optionally of one table. */
  policies(ns?: Namespace, table?: string): StoredPolicy[] {
    const rows = ns
      ? table !== undefined
        ? this.stmt(
            `SELECT * FROM sk_scaling_policies WHERE account = ? AND region = ? AND table_name = ?
             ORDER BY table_name, index_name, dimension`,
          ).all(ns.accountId, ns.region, table)
        : this.stmt(
            `SELECT * FROM sk_scaling_policies WHERE account = ? AND region = ?
             ORDER BY table_name, index_name, dimension`,
          ).all(ns.accountId, ns.region)
      : this.stmt(
          `SELECT * FROM sk_scaling_policies ORDER BY account, region, table_name, index_name, dimension`,
        ).all();
    return (rows as PolicyRow[]).map(toPolicy);
  }

  deletePolicies(ns: Namespace, table: string, index: string, dimension?: ScalableDimension): number {
    if (dimension) {
      return this.stmt(
        `DELETE FROM sk_scaling_policies WHERE account = ? AND region = ? AND table_name = ? AND index_name = ? AND dimension = ?`,
      ).run(ns.accountId, ns.region, table, index, dimension).changes;
    }
    return this.stmt(
      `DELETE FROM sk_scaling_policies WHERE account = ? AND region = ? AND table_name = ? AND index_name = ?`,
    ).run(ns.accountId, ns.region, table, index).changes;
  }

  setEvaluation(p: StoredPolicy, evaluation: string, at: number): void {
    this.stmt(
      `UPDATE sk_scaling_policies SET evaluation = ?, evaluated_at = ?
       WHERE account = ? AND region = ? AND table_name = ? AND index_name = ? AND dimension = ?`,
    ).run(evaluation, at, p.ns.accountId, p.ns.region, p.table, p.index, p.dimension);
  }

  // ── scaling activities ────────────────────────────────────────────────────────────────────

  addActivity(
    ns: Namespace,
    table: string,
    index: string,
    dimension: ScalableDimension,
    at: number,
    from: number,
    to: number,
    status: 'Successful' | 'Failed',
    cause: string,
    message?: string,
  ): void {
    this.stmt(
      `INSERT INTO sk_scaling_activities
         (account, region, table_name, index_name, dimension, at, from_capacity, to_capacity, status, cause, message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(ns.accountId, ns.region, table, index, dimension, at, from, to, status, cause, message ?? null);
    this.stmt(
      `DELETE FROM sk_scaling_activities WHERE account = ? AND region = ? AND table_name = ? AND index_name = ?
         AND id <= (SELECT id FROM sk_scaling_activities WHERE account = ? AND region = ? AND table_name = ? AND index_name = ?
                    ORDER BY id DESC LIMIT 1 OFFSET ${HISTORY_KEPT})`,
    ).run(ns.accountId, ns.region, table, index, ns.accountId, ns.region, table, index);
  }

  /** Successful activities of one resource since `from` (epoch ms), oldest first. */
  activitiesOf(
    ns: Namespace,
    table: string,
    index: string,
    from: number,
  ): { at: number; from: number; to: number; dimension: string }[] {
    return this.stmt(
      `SELECT at, from_capacity AS "from", to_capacity AS "to", dimension FROM sk_scaling_activities
         WHERE account = ? AND region = ? AND table_name = ? AND index_name = ? AND at >= ? AND status = 'Successful'
         ORDER BY at`,
    ).all(ns.accountId, ns.region, table, index, from) as {
      at: number;
      from: number;
      to: number;
      dimension: string;
    }[];
  }

  /** The newest activities of a namespace (of one table), newest first. */
  activities(ns: Namespace, table: string | undefined, limit: number): ScalingActivity[] {
    const rows = (
      table !== undefined
        ? this.stmt(
            `SELECT * FROM sk_scaling_activities WHERE account = ? AND region = ? AND table_name = ? ORDER BY id DESC LIMIT ?`,
          ).all(ns.accountId, ns.region, table, limit)
        : this.stmt(
            `SELECT * FROM sk_scaling_activities WHERE account = ? AND region = ? ORDER BY id DESC LIMIT ?`,
          ).all(ns.accountId, ns.region, limit)
    ) as {
      table_name: string;
      index_name: string;
      dimension: string;
      at: number;
      from_capacity: number;
      to_capacity: number;
      status: string;
      cause: string;
      message: string | null;
    }[];
    return rows.map((r) => ({
      TableName: r.table_name,
      ...(r.index_name !== '' ? { IndexName: r.index_name } : {}),
      ScalableDimension: r.dimension as ScalableDimension,
      StartTime: r.at / 1000,
      FromCapacity: r.from_capacity,
      ToCapacity: r.to_capacity,
      StatusCode: r.status as 'Successful' | 'Failed',
      Cause: r.cause,
      ...(r.message !== null ? { StatusMessage: r.message } : {}),
    }));
  }

  // ── alarms ────────────────────────────────────────────────────────────────────────────────

  /** Creates or replaces an alarm; a changed definition starts again in INSUFFICIENT_DATA. */
  putAlarm(ns: Namespace, definition: AlarmDefinition, now: number, reason: string): void {
    this.stmt(
      `INSERT INTO sk_alarms (account, region, name, definition, updated_at, state, reason, state_at)
       VALUES (?, ?, ?, ?, ?, 'INSUFFICIENT_DATA', ?, ?)
       ON CONFLICT (account, region, name) DO UPDATE SET definition = excluded.definition,
         updated_at = excluded.updated_at, state = excluded.state, reason = excluded.reason,
         state_at = excluded.state_at`,
    ).run(ns.accountId, ns.region, definition.AlarmName, JSON.stringify(definition), now, reason, now);
  }

  alarms(ns?: Namespace): StoredAlarm[] {
    const rows = ns
      ? this.stmt(`SELECT * FROM sk_alarms WHERE account = ? AND region = ? ORDER BY name`).all(
          ns.accountId,
          ns.region,
        )
      : this.stmt(`SELECT * FROM sk_alarms ORDER BY account, region, name`).all();
    return (rows as AlarmRow[]).map(toAlarm);
  }

  alarm(ns: Namespace, name: string): StoredAlarm | undefined {
    const row = this.stmt(`SELECT * FROM sk_alarms WHERE account = ? AND region = ? AND name = ?`).get(
      ns.accountId,
      ns.region,
      name,
    ) as AlarmRow | undefined;
    return row ? toAlarm(row) : undefined;
  }

  deleteAlarm(ns: Namespace, name: string): boolean {
    const n = this.stmt(`DELETE FROM sk_alarms WHERE account = ? AND region = ? AND name = ?`).run(
      ns.accountId,
      ns.region,
      name,
    ).changes;
    this.stmt(`DELETE FROM sk_alarm_history WHERE account = ? AND region = ? AND name = ?`).run(
      ns.accountId,
      ns.region,
      name,
    );
    return n > 0;
  }

  /** Records a state change (the alarm's row and its history), unless the definition changed meanwhile. */
  setAlarmState(a: StoredAlarm, state: AlarmState, reason: string, now: number): boolean {
    const changed = this.stmt(
      `UPDATE sk_alarms SET state = ?, reason = ?, state_at = ?
       WHERE account = ? AND region = ? AND name = ? AND updated_at = ? AND state = ?`,
    ).run(
      state,
      reason,
      now,
      a.ns.accountId,
      a.ns.region,
      a.definition.AlarmName,
      a.updatedAt,
      a.state,
    ).changes;
    if (changed === 0) return false;
    this.stmt(
      `INSERT INTO sk_alarm_history (account, region, name, at, old_state, new_state, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(a.ns.accountId, a.ns.region, a.definition.AlarmName, now, a.state, state, reason);
    this.stmt(
      `DELETE FROM sk_alarm_history WHERE account = ? AND region = ? AND name = ?
         AND id <= (SELECT id FROM sk_alarm_history WHERE account = ? AND region = ? AND name = ?
                    ORDER BY id DESC LIMIT 1 OFFSET ${HISTORY_KEPT})`,
    ).run(
      a.ns.accountId,
      a.ns.region,
      a.definition.AlarmName,
      a.ns.accountId,
      a.ns.region,
      a.definition.AlarmName,
    );
    return true;
  }

  /** Rewrites the reason of an unchanged state (the latest datapoints), without a history entry. */
  setAlarmReason(a: StoredAlarm, reason: string): void {
    this.stmt(
      `UPDATE sk_alarms SET reason = ? WHERE account = ? AND region = ? AND name = ? AND updated_at = ? AND state = ?`,
    ).run(reason, a.ns.accountId, a.ns.region, a.definition.AlarmName, a.updatedAt, a.state);
  }

  history(ns: Namespace, name: string | undefined, limit: number): AlarmHistoryItem[] {
    const rows = (
      name !== undefined
        ? this.stmt(
            `SELECT * FROM sk_alarm_history WHERE account = ? AND region = ? AND name = ? ORDER BY id DESC LIMIT ?`,
          ).all(ns.accountId, ns.region, name, limit)
        : this.stmt(
            `SELECT * FROM sk_alarm_history WHERE account = ? AND region = ? ORDER BY id DESC LIMIT ?`,
          ).all(ns.accountId, ns.region, limit)
    ) as { name: string; at: number; old_state: string; new_state: string; reason: string }[];
    return rows.map((r) => ({
      AlarmName: r.name,
      Timestamp: r.at / 1000,
      OldState: r.old_state as AlarmState,
      NewState: r.new_state as AlarmState,
      Reason: r.reason,
    }));
  }
}

const stores = new WeakMap<Database, AutomationStore>();

/** The store of a database (one per connection, so its prepared statements are reused). */
export function automationStore(db: Database): AutomationStore {
  let s = stores.get(db);
  if (!s) {
    s = new AutomationStore(db);
    stores.set(db, s);
  }
  return s;
}
