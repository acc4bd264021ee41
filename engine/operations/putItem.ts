// PutItem: creates or replaces one item, optionally under a condition, in one transaction.
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { checkItemKey, checkKey, encodeKey, pickKey } from '../tables/schema.js';
import type { Sdk, Wire } from '../types.js';
import { itemSize, MAX_ITEM_SIZE } from '../values/size.js';
import { asRecord, tableNameOf } from './common.js';
import { checkItemCollectionSize } from './itemCollection.js';
import { checkIndexKeys } from './itemCommon.js';
import {
  checkSingleWriteRequest,
  OLDER_WRITE_CHECKS,
  readPutOrDelete,
  runSingleWrite,
  singleWriteChecks,
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
  const { values: item, condition } = readPutOrDelete(raw, path, checks, 'Item');

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
    // Whether the table has an index is asked when the write runs (readCurrent), inside its
    // transaction: another process may add one in between.
    needsOldItem: condition !== undefined || raw.ReturnValues === 'ALL_OLD',
    outcome: () => {
      checkItemCollectionSize(ctx, table, item, size);
      return { item, size };
    },
  };
}

export function putItem(ctx: EngineContext, input: Wire<Sdk.PutItemInput>): Wire<Sdk.PutItemOutput> {
  const raw = asRecord(input);
  checkSingleWriteRequest(raw, 'PutItem', ctx.wording);
  const plan = preparePut(ctx, raw, '', singleWriteChecks(ctx.wording));
  return runSingleWrite(ctx, raw, plan, (done) =>
    raw.ReturnValues === 'ALL_OLD' ? done.oldItem : undefined,
  );
}
