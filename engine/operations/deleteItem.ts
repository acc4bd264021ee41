// DeleteItem: removes one item by key, optionally under a condition; deleting a missing item succeeds.
import type { EngineContext } from '../context.js';
import { ConstraintErrors } from '../errors.js';
import { checkKey, encodeKey } from '../tables/schema.js';
import type { Condition } from '../expressions/ir.js';
import type { Item, Sdk, Wire } from '../types.js';
import { normalizeItem } from '../values/attribute.js';
import {
  asRecord,
  checkEnum,
  checkExpressionMix,
  checkRequired,
  checkTableName,
  RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  tableNameOf,
} from './common.js';
import { checkPlaceholdersHaveExpressions, newAttributes, readWriteCondition } from './itemCommon.js';
import {
  checkSingleWriteRequest,
  OLDER_WRITE_CHECKS,
  requestError,
  runSingleWrite,
  SINGLE_WRITE_CHECKS,
} from './writePlan.js';
import type { WriteChecks, WritePlan } from './writePlan.js';

/**
 * Validates a Delete (DeleteItem, a batch DeleteRequest, a transaction Delete) into a plan. `checks`
 * says how its request errors are worded: DeleteItem's own, or (the default) BatchWriteItem's and
 * the transactions'.
 */
export function prepareDelete(
  ctx: EngineContext,
  raw: Record<string, unknown>,
  path = '',
  checks: WriteChecks = OLDER_WRITE_CHECKS,
): WritePlan {
  let keyValues: Item;
  let condition: Condition | undefined;
  try {
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
    checkPlaceholdersHaveExpressions(raw, ['ConditionExpression'], !checks.envelope);
    keyValues = normalizeItem(raw.Key, 'Key', checks.layer);
    const attrs = newAttributes(raw, checks.layer);
    condition = readWriteCondition(raw, attrs);
    attrs.assertAllUsed();
  } catch (e) {
    throw requestError(e, checks);
  }
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
  checkSingleWriteRequest(raw, 'DeleteItem');
  const plan = prepareDelete(ctx, raw, '', SINGLE_WRITE_CHECKS);
  return runSingleWrite(ctx, raw, plan, (done) =>
    raw.ReturnValues === 'ALL_OLD' ? done.oldItem : undefined,
  );
}
