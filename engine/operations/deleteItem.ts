// DeleteItem: removes one item by key, optionally under a condition; deleting a missing item succeeds.
import { CapacityMeter } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, validation } from '../errors.js';
import { checkKey, encodeKey } from '../tables/schema.js';
import type { Sdk, Wire } from '../types.js';
import { normalizeItem } from '../values/attribute.js';
import {
  asRecord,
  checkEnum,
  checkExpressionMix,
  checkRequired,
  checkTableName,
  RETURN_CONSUMED_CAPACITY,
  RETURN_ITEM_COLLECTION_METRICS,
  RETURN_VALUES,
  RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  tableNameOf,
} from './common.js';
import { itemCollectionMetrics } from './itemCollection.js';
import { checkPlaceholdersHaveExpressions, newAttributes, readWriteCondition } from './itemCommon.js';
import { executeWrite } from './writePlan.js';
import type { WritePlan } from './writePlan.js';

/** Validates a Delete (DeleteItem, a batch DeleteRequest, a transaction Delete) into a plan. */
export function prepareDelete(ctx: EngineContext, raw: Record<string, unknown>, path = ''): WritePlan {
  const c = new ConstraintErrors();
  checkTableName(c, raw.TableName, `${path}tableName`);
  checkRequired(c, raw.Key, `${path}key`);
  checkEnum(
    c,
    raw.ReturnValuesOnConditionCheckFailure,
    `${path}returnValuesOnConditionCheckFailure`,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  );
  checkEnum(c, raw.ConditionalOperator, 'conditionalOperator', ['AND', 'OR']);
  c.throwIfAny();
  checkExpressionMix(raw, ['Expected'], ['ConditionExpression']);
  checkPlaceholdersHaveExpressions(raw, ['ConditionExpression']);
  const keyValues = normalizeItem(raw.Key, 'Key');
  const attrs = newAttributes(raw);
  const condition = readWriteCondition(raw, attrs);
  attrs.assertAllUsed();
  const table = ctx.table(tableNameOf(raw.TableName as string));
  checkKey(table.key, keyValues);
  return {
    table,
    key: encodeKey(table.key, keyValues),
    keyValues,
    condition,
    returnValuesOnConditionCheckFailure: raw.ReturnValuesOnConditionCheckFailure,
    outcome: () => 'delete',
  };
}

export function deleteItem(ctx: EngineContext, input: Wire<Sdk.DeleteItemInput>): Wire<Sdk.DeleteItemOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkTableName(c, raw.TableName);
  checkRequired(c, raw.Key, 'key');
  checkEnum(c, raw.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  checkEnum(
    c,
    raw.ReturnItemCollectionMetrics,
    'returnItemCollectionMetrics',
    RETURN_ITEM_COLLECTION_METRICS,
  );
  checkEnum(c, raw.ReturnValues, 'returnValues', RETURN_VALUES);
  c.throwIfAny();
  const plan = prepareDelete(ctx, raw);
  if (raw.ReturnValues !== undefined && raw.ReturnValues !== 'NONE' && raw.ReturnValues !== 'ALL_OLD') {
    throw validation('ReturnValues can only be ALL_OLD or NONE');
  }
  return ctx.db.transaction(() => {
    const meter = new CapacityMeter();
    const done = executeWrite(ctx, plan, meter);
    const out: Wire<Sdk.DeleteItemOutput> = {};
    if (raw.ReturnValues === 'ALL_OLD' && done.oldItem) out.Attributes = done.oldItem;
    const capacity = meter.one(plan.table.name, input.ReturnConsumedCapacity);
    if (capacity) out.ConsumedCapacity = capacity;
    if (raw.ReturnItemCollectionMetrics === 'SIZE') {
      const metrics = itemCollectionMetrics(ctx, plan.table, plan.keyValues);
      if (metrics) out.ItemCollectionMetrics = metrics;
    }
    return out;
  });
}
