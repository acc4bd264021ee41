// A validated single-item write, ready to run against the item's current state. PutItem,
// UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems and PartiQL writes all execute plans.
import { writeUnits } from '../capacity.js';
import type { CapacityMeter } from '../capacity.js';
import type { EngineContext } from '../context.js';
import type { DynamoError } from '../errors.js';
import type { Condition } from '../expressions/ir.js';
import { evaluateCondition } from '../expressions/index.js';
import type { EncodedKey } from '../tables/schema.js';
import type { Table } from '../tables/table.js';
import { writeItem } from '../tables/write.js';
import type { WriteEffect } from '../tables/write.js';
import type { Item } from '../types.js';
import { conditionFailed } from './itemCommon.js';

/** What a plan does to the item: store this item, delete it, or leave it (a condition check). */
export type WriteOutcome = { readonly item: Item; readonly size: number } | 'delete' | 'keep';

export interface WritePlan {
  readonly table: Table;
  readonly key: EncodedKey;
  /** The key attributes, for messages and item collection metrics. */
  readonly keyValues: Item;
  readonly condition?: Condition;
  readonly returnValuesOnConditionCheckFailure?: unknown;
  /**
   * What a failed condition means when it is not a plain ConditionalCheckFailed (a PartiQL INSERT
   * onto an existing key is a DuplicateItem): the transaction reason code and the error.
   */
  readonly conditionFailure?: { readonly code: string; readonly error: () => DynamoError };
  /** Computes the outcome from the current item; may throw a ValidationException. */
  readonly outcome: (current: Item | undefined) => WriteOutcome;
}

export interface Current {
  readonly item: Item | undefined;
  readonly size: number;
}

export function readCurrent(ctx: EngineContext, plan: WritePlan): Current {
  const row = plan.table.getRow(ctx.db, plan.key);
  return row ? { item: JSON.parse(row.json) as Item, size: row.size } : { item: undefined, size: 0 };
}

/** True when the plan's condition holds for the current item. */
export function conditionHolds(plan: WritePlan, current: Current): boolean {
  return !plan.condition || evaluateCondition(plan.condition, current.item);
}

export interface Executed {
  readonly oldItem: Item | undefined;
  readonly newItem: Item | undefined;
  readonly effect?: WriteEffect;
}

/** Runs a plan inside the caller's transaction: condition, outcome, write and capacity. */
export function executeWrite(
  ctx: EngineContext,
  plan: WritePlan,
  meter: CapacityMeter,
  multiplier = 1,
  current = readCurrent(ctx, plan),
): Executed {
  if (!conditionHolds(plan, current)) {
    throw plan.conditionFailure
      ? plan.conditionFailure.error()
      : conditionFailed(current.item, plan.returnValuesOnConditionCheckFailure);
  }
  return applyOutcome(ctx, plan, meter, multiplier, current, plan.outcome(current.item));
}

export function applyOutcome(
  ctx: EngineContext,
  plan: WritePlan,
  meter: CapacityMeter,
  multiplier: number,
  current: Current,
  outcome: WriteOutcome,
): Executed {
  if (outcome === 'keep') {
    meter.read(plan.table, Math.max(1, Math.ceil(current.size / 4096)) * multiplier);
    return { oldItem: current.item, newItem: current.item };
  }
  if (outcome === 'delete') {
    if (!current.item) {
      meter.write(plan.table, 1, undefined, multiplier);
      return { oldItem: undefined, newItem: undefined };
    }
    const effect = writeItem(ctx, plan.table, plan.key, current.item, current.size, undefined, 0);
    meter.write(plan.table, writeUnits(current.size), effect.indexWrites, multiplier);
    return { oldItem: current.item, newItem: undefined, effect };
  }
  const effect = writeItem(ctx, plan.table, plan.key, current.item, current.size, outcome.item, outcome.size);
  meter.write(plan.table, writeUnits(Math.max(current.size, outcome.size)), effect.indexWrites, multiplier);
  return { oldItem: current.item, newItem: outcome.item, effect };
}
