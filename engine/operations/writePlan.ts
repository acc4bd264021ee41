// A validated single-item write, ready to run against the item's current state. PutItem,
// UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems and PartiQL writes all execute plans.
import { CapacityMeter, writeUnits } from '../capacity.js';
import type { CapacityMode, ConsumedCapacity } from '../capacity.js';
import { ConstraintErrors, enveloped, validation } from '../errors.js';
import type { DynamoError } from '../errors.js';
import type { Condition } from '../expressions/ir.js';
import { evaluateCondition } from '../expressions/index.js';
import type { EncodedKey } from '../tables/schema.js';
import type { Table } from '../tables/table.js';
import { writeItem } from '../tables/write.js';
import type { WriteContext, WriteEffect } from '../tables/write.js';
import type { Item, Sdk, Wire } from '../types.js';
import type { ValueLayer } from '../values/layer.js';
import {
  checkEnum,
  checkExpressionMix,
  checkMemberForms,
  checkMembers,
  checkRequired,
  checkTableName,
  CONDITIONAL_OPERATORS,
  member,
  OLDER_ENUMS,
  readsAsOlder,
  RETURN_CONSUMED_CAPACITY,
  RETURN_ITEM_COLLECTION_METRICS,
  RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
} from './common.js';
import type { MemberForms, MemberRule } from './common.js';
import { itemCollectionMetrics } from './itemCollection.js';
import {
  checkPlaceholdersHaveExpressions,
  conditionFailed,
  newAttributes,
  readWriteCondition,
} from './itemCommon.js';
import { checkValueTypes, normalizeItem } from '../values/attribute.js';
import { bespoke, WORDINGS } from '../wording.js';
import type { SingleWrite, Wording } from '../wording.js';

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
  /**
   * False when the plan (no condition, no ReturnValues, an outcome that ignores the current item)
   * does not need the item the write replaces: only its size is read, unless the table does (an
   * index to maintain, a write listener that looks at it: EngineContext.writeNeedsOldItem).
   */
  readonly needsOldItem?: boolean;
}

export interface Current {
  /** The stored item; undefined when there is none, or when only its size was read (`exists`). */
  readonly item: Item | undefined;
  readonly size: number;
  /** Whether an item is stored, when that differs from `item !== undefined` (its size alone was read). */
  readonly exists?: boolean;
}

/** What running a write plan needs of the engine (EngineContext provides it), narrow. */
export interface WritePlanHost extends WriteContext {
  /** Whether a write to this table needs the item it replaces (EngineContext.writeNeedsOldItem). */
  writeNeedsOldItem(table: Table): boolean;
}

export function readCurrent(ctx: WritePlanHost, plan: WritePlan): Current {
  if (plan.needsOldItem === false && !ctx.writeNeedsOldItem(plan.table)) {
    const size = plan.table.getSize(ctx.db, plan.key);
    return size === undefined ? { item: undefined, size: 0 } : { item: undefined, size, exists: true };
  }
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
  ctx: WritePlanHost,
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
  ctx: WritePlanHost,
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
  const effect = writeItem(
    ctx,
    plan.table,
    plan.key,
    current.item,
    current.size,
    outcome.item,
    outcome.size,
    'request',
    current.exists ?? current.item !== undefined,
  );
  meter.write(plan.table, writeUnits(Math.max(current.size, outcome.size)), effect.indexWrites, multiplier);
  return { oldItem: current.item, newItem: outcome.item, effect };
}

/**
 * How a write's request is checked: the layer its values are worded in (values/layer.ts), and
 * whether the errors of its request checks (everything checked before the table is looked up) come
 * inside the `1 validation error detected: ` envelope, where the ExpressionAttributeValues message
 * names no expression. PutItem, UpdateItem and DeleteItem run SINGLE_WRITE_CHECKS; BatchWriteItem
 * and TransactWriteItems, which call the same prepare functions, the default OLDER_WRITE_CHECKS.
 */
export interface WriteChecks {
  readonly layer: ValueLayer;
  readonly envelope: boolean;
  /**
   * BatchWriteItem checks a PutRequest's key attributes as a key: a missing or mistyped one is
   * "The provided key element does not match the schema", where PutItem names the attribute.
   */
  readonly putKeyAsKey?: boolean;
  /** The operation has checked its members already (checkSingleWriteRequest): not again. */
  readonly membersChecked?: boolean;
}

/** The checks of PutItem's, UpdateItem's and DeleteItem's own requests, in `wording`'s words. */
export function singleWriteChecks(wording: Wording): WriteChecks {
  return wording.bespokeEnvelope ? SINGLE_WRITE_CHECKS_NEW : SINGLE_WRITE_CHECKS_OLD;
}
const SINGLE_WRITE_CHECKS_NEW: WriteChecks = {
  layer: WORDINGS.new.itemValues,
  envelope: WORDINGS.new.bespokeEnvelope,
  membersChecked: true,
};
const SINGLE_WRITE_CHECKS_OLD: WriteChecks = {
  layer: WORDINGS.old.itemValues,
  envelope: WORDINGS.old.bespokeEnvelope,
  membersChecked: true,
};
export const OLDER_WRITE_CHECKS: WriteChecks = { layer: 'older', envelope: false };
export const BATCH_WRITE_CHECKS: WriteChecks = { ...OLDER_WRITE_CHECKS, putKeyAsKey: true };

/**
 * The members every write action checks before its values, reported in one message: a Put's
 * `Item`, the other actions' `Key`. `path` prefixes member names inside a transaction.
 */
export function checkWriteMembers(
  raw: Record<string, unknown>,
  path: string,
  required: 'Item' | 'Key',
): void {
  const c = new ConstraintErrors();
  checkTableName(c, raw.TableName, `${path}tableName`);
  checkRequired(c, raw[required], `${path}${required.toLowerCase()}`);
  checkEnum(
    c,
    raw.ReturnValuesOnConditionCheckFailure,
    `${path}returnValuesOnConditionCheckFailure`,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  );
  checkEnum(c, raw.ConditionalOperator, 'conditionalOperator', CONDITIONAL_OPERATORS);
  c.throwIfAny();
}

/**
 * The request checks of a Put or a Delete, in DynamoDB's order: members, expression rules, the Item
 * (or Key) as values, then the condition. Nothing needs the table yet.
 */
export function readPutOrDelete(
  raw: Record<string, unknown>,
  path: string,
  checks: WriteChecks,
  values: 'Item' | 'Key',
): { values: Item; condition: Condition | undefined } {
  try {
    if (!checks.membersChecked) checkWriteMembers(raw, path, values);
    checkExpressionMix(raw, ['Expected'], ['ConditionExpression']);
    checkPlaceholdersHaveExpressions(raw, ['ConditionExpression'], !checks.envelope);
    const read = normalizeItem(raw[values], values, checks.layer);
    const attrs = newAttributes(raw, checks.layer);
    const condition = readWriteCondition(raw, attrs);
    attrs.assertAllUsed();
    return { values: read, condition };
  } catch (e) {
    throw requestError(e, checks);
  }
}

/** An error of a write's request checks, as `checks` reports it: the one place the envelope is added. */
export function requestError(error: unknown, checks: WriteChecks): unknown {
  return checks.envelope ? enveloped(error) : error;
}

/** A ReturnValues in one layer's words (engine/wording.ts). */
const returnValuesIn =
  (wording: Wording): MemberRule =>
  (c, raw) => {
    if (raw.ReturnValues !== undefined && raw.ReturnValues !== null)
      wording.returnValues(c, raw.ReturnValues);
  };

/** Each member's check in the newer form (operations/common.ts, `MemberRule`): the new layer's words. */
const NEWER_RULES: Readonly<Record<string, MemberRule>> = {
  TableName: (c, raw) =>
    raw.TableName === '' ? WORDINGS.new.emptyItemTableName(c) : checkTableName(c, raw.TableName),
  Item: member.required('Item', 'item'),
  Key: member.required('Key', 'key'),
  ConditionalOperator: member.newerConditionalOperator(),
  ReturnValues: returnValuesIn(WORDINGS.new),
  ReturnConsumedCapacity: member.enumValue(
    'ReturnConsumedCapacity',
    'returnConsumedCapacity',
    RETURN_CONSUMED_CAPACITY,
  ),
  ReturnItemCollectionMetrics: member.enumValue(
    'ReturnItemCollectionMetrics',
    'returnItemCollectionMetrics',
    RETURN_ITEM_COLLECTION_METRICS,
  ),
  ReturnValuesOnConditionCheckFailure: member.enumValue(
    'ReturnValuesOnConditionCheckFailure',
    'returnValuesOnConditionCheckFailure',
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  ),
};

/** Each member's check in the older form: the old layer's words, enums listed in the older order. */
const OLDER_RULES: Readonly<Record<string, MemberRule>> = {
  ...NEWER_RULES,
  TableName: (c, raw) =>
    raw.TableName === '' ? WORDINGS.old.emptyItemTableName(c) : checkTableName(c, raw.TableName),
  ConditionalOperator: member.enumValue(
    'ConditionalOperator',
    'conditionalOperator',
    OLDER_ENUMS.conditionalOperator,
  ),
  ReturnValues: returnValuesIn(WORDINGS.old),
};

function singleWriteForms(operation: SingleWrite): MemberForms {
  const required = operation === 'PutItem' ? 'Item' : 'Key';
  return {
    newer: WORDINGS.new.singleWriteGroups[operation].map((group) => group.map((m) => NEWER_RULES[m]!)),
    // The older form reports every problem of every member: its one group, flat.
    older: WORDINGS.old.singleWriteGroups[operation].flat().map((m) => OLDER_RULES[m]!),
    required,
  };
}

const SINGLE_WRITE_FORMS: Readonly<Record<SingleWrite, MemberForms>> = {
  PutItem: singleWriteForms('PutItem'),
  UpdateItem: singleWriteForms('UpdateItem'),
  DeleteItem: singleWriteForms('DeleteItem'),
};

/**
 * The request checks PutItem, UpdateItem and DeleteItem make before their own: the members in
 * either form (`MemberForms`; the old wording has only the older one), then (PutItem and
 * DeleteItem) a ReturnValues other than ALL_OLD or NONE, inside the envelope or, for a request
 * read the older way, bare.
 */
export function checkSingleWriteRequest(
  raw: Record<string, unknown>,
  operation: SingleWrite,
  wording: Wording,
): void {
  const forms = SINGLE_WRITE_FORMS[operation];
  checkValueTypes(operation === 'PutItem' ? raw.Item : raw.Key);
  checkValueTypes(raw.ExpressionAttributeValues);
  const onlyOlder = wording.singleWriteMembers === 'older';
  try {
    if (onlyOlder) checkMembers(raw, forms.older);
    else checkMemberForms(raw, forms);
  } catch (e) {
    throw bespoke(wording, e);
  }
  const rv = raw.ReturnValues;
  if (operation !== 'UpdateItem' && rv !== undefined && rv !== null && rv !== 'NONE' && rv !== 'ALL_OLD') {
    const error = validation('ReturnValues can only be ALL_OLD or NONE');
    throw onlyOlder || readsAsOlder(raw, forms.required) ? error : bespoke(wording, error);
  }
}

export interface SingleWriteOutput {
  Attributes?: Item;
  ConsumedCapacity?: ConsumedCapacity;
  ItemCollectionMetrics?: Wire<Sdk.ItemCollectionMetrics>;
}

/**
 * Runs a single-item write in its own transaction and answers as PutItem, UpdateItem and DeleteItem
 * do: the requested attributes, ConsumedCapacity and ItemCollectionMetrics.
 */
export function runSingleWrite(
  ctx: WritePlanHost,
  raw: Record<string, unknown>,
  plan: WritePlan,
  attributes: (done: Executed) => Item | undefined,
): SingleWriteOutput {
  return ctx.db.transaction(() => {
    const meter = new CapacityMeter();
    const done = executeWrite(ctx, plan, meter);
    const out: SingleWriteOutput = {};
    const returned = attributes(done);
    if (returned) out.Attributes = returned;
    const capacity = meter.one(plan.table.name, raw.ReturnConsumedCapacity as CapacityMode);
    if (capacity) out.ConsumedCapacity = capacity;
    if (raw.ReturnItemCollectionMetrics === 'SIZE') {
      const metrics = itemCollectionMetrics(ctx, plan.table, plan.keyValues);
      if (metrics) out.ItemCollectionMetrics = metrics;
    }
    return out;
  });
}
