// DeleteItem: removes one item by key, optionally under a condition; deleting a missing item succeeds.
import type { EngineContext } from '../context.js';
import { checkKey, encodeKey } from '../tables/schema.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, tableNameOf } from './common.js';
import {
  checkSingleWriteRequest,
  OLDER_WRITE_CHECKS,
  readPutOrDelete,
  runSingleWrite,
  singleWriteChecks,
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
  const { values: keyValues, condition } = readPutOrDelete(raw, path, checks, 'Key');
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
  checkSingleWriteRequest(raw, 'DeleteItem', ctx.wording);
  const plan = prepareDelete(ctx, raw, '', singleWriteChecks(ctx.wording));
  return runSingleWrite(ctx, raw, plan, (done) =>
    raw.ReturnValues === 'ALL_OLD' ? done.oldItem : undefined,
  );
}
