// UpdateItem: edits (or creates) one item with an UpdateExpression or legacy AttributeUpdates,
// optionally under a condition, in one transaction.
import type { EngineContext } from '../context.js';
import { invalidParameter, validation } from '../errors.js';
import type { Condition, Path, UpdateActions } from '../expressions/ir.js';
import { applyUpdate, parseUpdate, projectItem, updateFromAttributeUpdates } from '../expressions/index.js';
import { checkKey, encodeKey, keyAttributes } from '../tables/schema.js';
import type { Item, Sdk, Wire } from '../types.js';
import { normalizeItem } from '../values/attribute.js';
import { itemSize, MAX_ITEM_SIZE } from '../values/size.js';
import { asRecord, checkExpressionMix, tableNameOf } from './common.js';
import { checkItemCollectionSize } from './itemCollection.js';
import {
  checkIndexKeys,
  checkPlaceholdersHaveExpressions,
  newAttributes,
  readWriteCondition,
} from './itemCommon.js';
import {
  checkSingleWriteRequest,
  checkWriteMembers,
  OLDER_WRITE_CHECKS,
  requestError,
  runSingleWrite,
  singleWriteChecks,
} from './writePlan.js';
import type { WriteChecks, WritePlan } from './writePlan.js';

/** Every path an update writes, for UPDATED_OLD / UPDATED_NEW. */
export function updatedPaths(actions: UpdateActions): Path[] {
  return [
    ...actions.set.map((a) => a.path),
    ...actions.remove,
    ...actions.add.map((a) => a.path),
    ...actions.delete.map((a) => a.path),
  ];
}

export interface UpdatePlan extends WritePlan {
  readonly actions?: UpdateActions;
}

/** Builds the plan of an update from already-parsed actions (UpdateItem, transactions, PartiQL). */
export function updatePlan(
  ctx: EngineContext,
  tableName: string,
  keyValues: Item,
  actions: UpdateActions | undefined,
  condition: WritePlan['condition'],
  returnValuesOnConditionCheckFailure?: unknown,
): UpdatePlan {
  const table = ctx.table(tableName);
  checkKey(table.key, keyValues);
  if (actions) {
    const keyNames = new Set(keyAttributes(table.key).map((a) => a.name));
    for (const path of updatedPaths(actions)) {
      if (keyNames.has(path[0]))
        throw invalidParameter(`Cannot update attribute ${path[0]}. This attribute is part of the key`);
    }
  }
  return {
    table,
    key: encodeKey(table.key, keyValues),
    keyValues,
    condition,
    returnValuesOnConditionCheckFailure,
    actions,
    outcome: (current) => {
      // DynamoDB does not create an item for an update that only removes (REMOVE, DELETE from a
      // set, legacy DELETE): on a missing item nothing is written, as for deleting a missing item.
      if (!current && actions && onlyRemoves(actions)) return 'delete';
      const base: Item = current ?? { ...keyValues };
      const item = actions ? applyUpdate(actions, base) : base;
      const size = itemSize(item);
      if (size > MAX_ITEM_SIZE) throw validation('Item size to update has exceeded the maximum allowed size');
      checkIndexKeys(table, item);
      checkItemCollectionSize(ctx, table, item, size - (current ? itemSize(current) : 0));
      return { item, size };
    },
  };
}

/**
 * Validates an Update (UpdateItem or a transaction Update) into a plan. `checks` says how its request
 * errors are worded: UpdateItem's own, or (the default) the transactions'.
 */
export function prepareUpdate(
  ctx: EngineContext,
  raw: Record<string, unknown>,
  path = '',
  checks: WriteChecks = OLDER_WRITE_CHECKS,
): UpdatePlan {
  let keyValues: Item;
  let actions: UpdateActions | undefined;
  let condition: Condition | undefined;
  try {
    if (!checks.membersChecked) checkWriteMembers(raw, path, 'Key');
    checkExpressionMix(raw, ['AttributeUpdates', 'Expected'], ['UpdateExpression', 'ConditionExpression']);
    checkPlaceholdersHaveExpressions(raw, ['UpdateExpression', 'ConditionExpression'], !checks.envelope);
    keyValues = normalizeItem(raw.Key, 'Key', checks.layer);
    const attrs = newAttributes(raw, checks.layer);
    if (typeof raw.UpdateExpression === 'string') actions = parseUpdate(raw.UpdateExpression, attrs);
    else if (raw.AttributeUpdates !== undefined && raw.AttributeUpdates !== null) {
      actions = updateFromAttributeUpdates(raw.AttributeUpdates, checks.layer);
    }
    condition = readWriteCondition(raw, attrs);
    attrs.assertAllUsed();
  } catch (e) {
    throw requestError(e, checks);
  }
  return updatePlan(
    ctx,
    tableNameOf(raw.TableName as string),
    keyValues,
    actions,
    condition,
    raw.ReturnValuesOnConditionCheckFailure,
  );
}

/** ReturnValues of an update: whole items or just the updated paths. */
export function updateReturnValues(
  rv: unknown,
  actions: UpdateActions | undefined,
  oldItem: Item | undefined,
  newItem: Item | undefined,
): Item | undefined {
  if (rv === 'ALL_OLD') return oldItem;
  if (rv === 'ALL_NEW') return newItem;
  if ((rv === 'UPDATED_OLD' || rv === 'UPDATED_NEW') && actions) {
    const source = rv === 'UPDATED_OLD' ? oldItem : newItem;
    if (!source) return undefined;
    const picked = projectItem(source, updatedPaths(actions));
    return Object.keys(picked).length > 0 ? picked : undefined;
  }
  return undefined;
}

export function updateItem(ctx: EngineContext, input: Wire<Sdk.UpdateItemInput>): Wire<Sdk.UpdateItemOutput> {
  const raw = asRecord(input);
  checkSingleWriteRequest(raw, 'UpdateItem', ctx.wording);
  const plan = prepareUpdate(ctx, raw, '', singleWriteChecks(ctx.wording));
  return runSingleWrite(ctx, raw, plan, (done) =>
    updateReturnValues(raw.ReturnValues, plan.actions, done.oldItem, done.newItem),
  );
}

function onlyRemoves(actions: UpdateActions): boolean {
  return (
    actions.set.length === 0 && actions.add.length === 0 && actions.remove.length + actions.delete.length > 0
  );
}
