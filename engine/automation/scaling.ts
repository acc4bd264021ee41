// Application Auto Scaling's target tracking for DynamoDB, as AWS documents it: the decision the
// scaler takes for one policy from the utilisation datapoints of its scaled minutes, and the limit
// on provisioned throughput decreases per UTC day. Pure functions: runner.ts feeds them.
//
// Documented behaviour followed here (Developer Guide "Managing throughput capacity automatically
// with DynamoDB auto scaling"; re:Post "dynamodb-auto-scaling"): consumed capacity is published per
// minute; the table scales out when utilisation exceeds the target for 2 consecutive minutes, and
// scales in when it stays 20 % or more below the target (70 → under 50) for 15 consecutive minutes.
// The new capacity is the one that brings the observed consumption back to the target, within
// the policy's minimum and maximum. Decreases: 4 per UTC day at any time, then one more each time
// an hour has passed since the last decrease (Service Quotas; the LimitExceededException text
// "After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at
// most once every 3600 seconds").
import type { ScalableDimension } from '../../common/types.js';
import { validation } from '../errors.js';

export const SCALABLE_DIMENSIONS: readonly ScalableDimension[] = ['ReadCapacityUnits', 'WriteCapacityUnits'];

/** Consecutive datapoints above the target before a scale-out. */
export const SCALE_OUT_DATAPOINTS = 2;
/** Consecutive datapoints below the target minus SCALE_IN_MARGIN before a scale-in. */
export const SCALE_IN_DATAPOINTS = 15;
/** Percentage points under the target that count as "low" (70 % → below 50 %). */
export const SCALE_IN_MARGIN = 20;
/** Decreases any UTC day allows before the hourly rule applies. */
export const FREE_DECREASES_PER_DAY = 4;
export const DECREASE_INTERVAL_SECONDS = 3600;
/** DynamoDB's default per-table quota of read or write capacity units. */
export const MAX_CAPACITY_LIMIT = 40_000;
/** The speeds `--scaling-speed` accepts: a scaled minute is a whole number of real seconds. */
export const SCALING_SPEEDS: readonly number[] = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

/** A stored policy's settings. */
export interface ScalingPolicySettings {
  readonly MinCapacity: number;
  readonly MaxCapacity: number;
  readonly TargetValue: number;
  readonly DisableScaleIn: boolean;
  readonly ScaleOutCooldown: number;
  readonly ScaleInCooldown: number;
}

/** One scaled minute: capacity consumed per second on average, and the capacity provisioned then. */
export interface UtilisationPoint {
  readonly consumedPerSecond: number;
  readonly provisioned: number;
}

export interface ScalingDecision {
  /** The capacity to set, or undefined to leave it. */
  readonly capacity?: number;
  readonly direction?: 'increase' | 'decrease';
  /** In words, for DescribeScalingPolicies and the activity's cause. */
  readonly reason: string;
}

function utilisation(p: UtilisationPoint): number {
  if (p.provisioned <= 0) return 0;
  return (p.consumedPerSecond / p.provisioned) * 100;
}

function round1(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/** The capacity at which `consumedPerSecond` is the target utilisation. */
export function capacityFor(consumedPerSecond: number, target: number): number {
  // A tiny tolerance, so that float noise (35.000000001 / 0.7) does not add a unit.
  return Math.ceil(consumedPerSecond / (target / 100) - 1e-9);
}

/**
 * What target tracking does now for one policy. `points` are the complete scaled minutes since the
 * policy's last capacity change (oldest first; the alarms AWS re-creates after a change start
 * afresh too). `sinceLastActivity` is in scaled seconds (Infinity when there was none).
 */
export function decideScaling(
  policy: ScalingPolicySettings,
  current: number,
  points: readonly UtilisationPoint[],
  sinceLastActivity: { out: number; in: number },
): ScalingDecision {
  const clamp = (n: number) => Math.min(policy.MaxCapacity, Math.max(policy.MinCapacity, n));
  // Registering a scalable target brings the capacity inside its range at once.
  if (current < policy.MinCapacity) {
    return {
      capacity: policy.MinCapacity,
      direction: 'increase',
      reason: `capacity ${current} is below the minimum ${policy.MinCapacity}`,
    };
  }
  if (current > policy.MaxCapacity) {
    return {
      capacity: policy.MaxCapacity,
      direction: 'decrease',
      reason: `capacity ${current} is above the maximum ${policy.MaxCapacity}`,
    };
  }
  const target = policy.TargetValue;
  const last = points.length > 0 ? utilisation(points[points.length - 1]!) : undefined;
  const now = last === undefined ? 'no complete minute yet' : `utilisation ${round1(last)} %`;
  if (points.length >= SCALE_OUT_DATAPOINTS) {
    const recent = points.slice(-SCALE_OUT_DATAPOINTS);
    if (recent.every((p) => utilisation(p) > target)) {
      const wanted = clamp(capacityFor(Math.max(...recent.map((p) => p.consumedPerSecond)), target));
      if (wanted > current) {
        if (sinceLastActivity.out < policy.ScaleOutCooldown) {
          return { reason: `${now}, above the target ${target} %: scale-out cooldown` };
        }
        return {
          capacity: wanted,
          direction: 'increase',
          reason: `utilisation above the target ${target} % for ${SCALE_OUT_DATAPOINTS} minutes (${recent.map((p) => round1(utilisation(p))).join(', ')} %)`,
        };
      }
      return { reason: `${now}, above the target ${target} %, at the maximum ${policy.MaxCapacity}` };
    }
  }
  const low = target - SCALE_IN_MARGIN;
  if (points.length >= SCALE_IN_DATAPOINTS && !policy.DisableScaleIn) {
    const recent = points.slice(-SCALE_IN_DATAPOINTS);
    if (recent.every((p) => utilisation(p) < low)) {
      const wanted = clamp(capacityFor(Math.max(...recent.map((p) => p.consumedPerSecond)), target));
      if (wanted < current) {
        if (sinceLastActivity.in < policy.ScaleInCooldown) {
          return { reason: `${now}, below ${low} %: scale-in cooldown` };
        }
        return {
          capacity: wanted,
          direction: 'decrease',
          reason: `utilisation below ${low} % (the target ${target} % less ${SCALE_IN_MARGIN}) for ${SCALE_IN_DATAPOINTS} minutes`,
        };
      }
    }
  }
  return { reason: `${now} (target ${target} %)` };
}

/**
 * Whether one more decrease of a table (or of one GSI: each has its own budget) is allowed at
 * `now`, given the times of its earlier decreases (all in seconds of the scaler's clock). When
 * not, `next` is when it will be.
 */
export function decreaseAllowed(
  decreases: readonly number[],
  now: number,
): { allowed: true } | { allowed: false; today: number; last: number; next: number } {
  const day = Math.floor(now / 86_400);
  const today = decreases.filter((t) => Math.floor(t / 86_400) === day && t <= now);
  if (today.length < FREE_DECREASES_PER_DAY) return { allowed: true };
  const last = Math.max(...today);
  const next = last + DECREASE_INTERVAL_SECONDS;
  if (now >= next) return { allowed: true };
  return { allowed: false, today: today.length, last, next };
}

/** `table/<t>` or `table/<t>/index/<i>`: Application Auto Scaling's ResourceId. */
export function resourceIdOf(table: string, index?: string): string {
  return index ? `table/${table}/index/${index}` : `table/${table}`;
}

/** The members of PutScalingPolicy, checked. */
export function parsePolicySettings(raw: Record<string, unknown>): ScalingPolicySettings {
  const whole = (name: string, v: unknown, min: number, max: number, fallback?: number): number => {
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw validation(`${name} must be a whole number from ${min} to ${max}`);
    return v;
  };
  const MinCapacity = whole('MinCapacity', raw.MinCapacity, 1, MAX_CAPACITY_LIMIT);
  const MaxCapacity = whole('MaxCapacity', raw.MaxCapacity, 1, MAX_CAPACITY_LIMIT);
  if (MaxCapacity < MinCapacity) throw validation('MaxCapacity must be greater than or equal to MinCapacity');
  const t = raw.TargetValue;
  // The console and the Developer Guide allow target utilisation from 20 to 90 percent.
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 20 || t > 90)
    throw validation('TargetValue must be a percentage from 20 to 90');
  if (raw.DisableScaleIn !== undefined && typeof raw.DisableScaleIn !== 'boolean')
    throw validation('DisableScaleIn must be a boolean');
  return {
    MinCapacity,
    MaxCapacity,
    TargetValue: t,
    DisableScaleIn: raw.DisableScaleIn === true,
    ScaleOutCooldown: whole('ScaleOutCooldown', raw.ScaleOutCooldown, 0, 86_400, 0),
    ScaleInCooldown: whole('ScaleInCooldown', raw.ScaleInCooldown, 0, 86_400, 0),
  };
}
