// PutItem: creates or replaces one item, optionally under a condition, in one transaction.
import type { EngineContext } from '../context.js';
import { ConstraintErrors, validation } from '../errors.js';
import { checkItemKey, checkKey, encodeKey, pickKey } from '../tables/schema.js';
import type { Condition } from '../expressions/ir.js';
import type { Item, Sdk, Wire } from '../types.js';
import { normalizeItem } from '../values/attribute.js';
import { itemSize, MAX_ITEM_SIZE } from '../values/size.js';
import {
  asRecord,
  checkEnum,
  checkExpressionMix,
  checkRequired,
  checkTableName,
  RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  tableNameOf,
} from './common.js';
import { checkItemCollectionSize } from './itemCollection.js';
import {
  checkIndexKeys,
  checkPlaceholdersHaveExpressions,
  newAttributes,
  readWriteCondition,
} from './itemCommon.js';
import {
  checkSingleWriteRequest,
  OLDER_WRITE_CHECKS,
  requestError,
  runSingleWrite,
  SINGLE_WRITE_CHECKS,
} from './writePlan.js';
import type { WriteChecks, WritePlan } from './writePlan.js';

/**
 * Validates a Put (PutItem, a batch PutRequest, a transaction Put) into a plan. `checks` says how its
 * request errors are worded: PutItem's own, or (the default) BatchWriteItem's and the transactions'.
 */
export function preparePut(
  ctx: EngineContext,
  raw: Record<string, unknown>,
  path = '',
  checks: WriteChecks = OLDER_WRITE_CHECKS,
): WritePlan {
  let item: Item;
  let condition: Condition | undefined;
  try {
    const c = new ConstraintErrors();
    checkTableName(c, raw.TableName, `${path}tableName`);
    checkRequired(c, raw.Item, `${path}item`);
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
    item = normalizeItem(raw.Item, 'Item', checks.layer);
    const attrs = newAttributes(raw, checks.layer);
    condition = readWriteCondition(raw, attrs);
    attrs.assertAllUsed();
  } catch (e) {
    throw requestError(e, checks);
  }

  const table = ctx.table(tableNameOf(raw.TableName as string));
  if (checks.putKeyAsKey) checkKey(table.key, pickKey(table.key, item));
  checkItemKey(table.key, item);
  const size = itemSize(item);
  if (size > MAX_ITEM_SIZE) throw validation('Item size has exceeded the maximum allowed size');
  checkIndexKeys(table, item);
  return {
    table,
    key: encodeKey(table.key, item),
    keyValues: pickKey(table.key, item),
    condition,
    returnValuesOnConditionCheckFailure: raw.ReturnValuesOnConditionCheckFailure,
    outcome: () => {
      checkItemCollectionSize(ctx, table, item, size);
      return { item, size };
    },
  };
}

export function putItem(ctx: EngineContext, input: Wire<Sdk.PutItemInput>): Wire<Sdk.PutItemOutput> {
  const raw = asRecord(input);
  checkSingleWriteRequest(raw, 'PutItem');
  const plan = preparePut(ctx, raw, '', SINGLE_WRITE_CHECKS);
  return runSingleWrite(ctx, raw, plan, (done) =>
    raw.ReturnValues === 'ALL_OLD' ? done.oldItem : undefined,
  );
}
