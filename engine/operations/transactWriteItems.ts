// TransactWriteItems: up to 100 Put/Update/Delete/ConditionCheck actions across tables, all or
// nothing, in one SQLite transaction. Costs twice the normal write capacity.
import { CapacityMeter, readUnits } from '../capacity.js';
import type { CapacityMode } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, DynamoError, validation } from '../errors.js';
import { parseCondition } from '../expressions/index.js';
import { checkKey, encodeKey } from '../tables/schema.js';
import type { Sdk, Wire } from '../types.js';
import { normalizeItem } from '../values/attribute.js';
import { itemSize } from '../values/size.js';
import {
  asRecord,
  checkEnum,
  checkLength,
  checkList,
  checkRequired,
  checkTableName,
  RETURN_CONSUMED_CAPACITY,
  RETURN_ITEM_COLLECTION_METRICS,
  RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  tableNameOf,
} from './common.js';
import { prepareDelete } from './deleteItem.js';
import { itemCollectionMetricsByTable } from './itemCollection.js';
import { newAttributes } from './itemCommon.js';
import { preparePut } from './putItem.js';
import {
  checkDistinctItems,
  MAX_TRANSACTION_BYTES,
  MAX_TRANSACTION_ITEMS,
  rememberToken,
  replayedResponse,
  requestHash,
  transactionCanceled,
} from './transactions.js';
import type { CancellationReason } from './transactions.js';
import { prepareUpdate } from './updateItem.js';
import { applyOutcome, conditionHolds, readCurrent } from './writePlan.js';
import type { WriteOutcome, WritePlan } from './writePlan.js';

function prepareConditionCheck(ctx: EngineContext, raw: Record<string, unknown>, path: string): WritePlan {
  const c = new ConstraintErrors();
  checkTableName(c, raw.TableName, `${path}tableName`);
  checkRequired(c, raw.Key, `${path}key`);
  checkRequired(c, raw.ConditionExpression, `${path}conditionExpression`);
  checkEnum(
    c,
    raw.ReturnValuesOnConditionCheckFailure,
    `${path}returnValuesOnConditionCheckFailure`,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  );
  c.throwIfAny();
  const keyValues = normalizeItem(raw.Key, 'Key');
  const attrs = newAttributes(raw);
  const condition = parseCondition(String(raw.ConditionExpression), attrs, 'ConditionExpression');
  attrs.assertAllUsed();
  const table = ctx.table(tableNameOf(raw.TableName as string));
  checkKey(table.key, keyValues);
  return {
    table,
    key: encodeKey(table.key, keyValues),
    keyValues,
    condition,
    returnValuesOnConditionCheckFailure: raw.ReturnValuesOnConditionCheckFailure,
    outcome: () => 'keep',
  };
}

/** Validates one TransactItems entry into a plan. */
export function prepareTransactWrite(ctx: EngineContext, entry: unknown, i: number): WritePlan {
  const r = asRecord(entry);
  const kinds = ['ConditionCheck', 'Put', 'Delete', 'Update'].filter(
    (k) => r[k] !== undefined && r[k] !== null,
  );
  if (kinds.length !== 1)
    throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
  const path = `transactItems.${i + 1}.member.${kinds[0]!.charAt(0).toLowerCase()}${kinds[0]!.slice(1)}.`;
  const body = asRecord(r[kinds[0]!]);
  switch (kinds[0]) {
    case 'ConditionCheck':
      return prepareConditionCheck(ctx, body, path);
    case 'Put':
      return preparePut(ctx, body, path);
    case 'Delete':
      return prepareDelete(ctx, body, path);
    default:
      return prepareUpdate(ctx, body, path);
  }
}

/**
 * Runs prepared plans all-or-nothing inside the caller's transaction: every condition and outcome
 * is decided first, and only when none fails is anything written.
 */
export function runTransaction(ctx: EngineContext, plans: readonly WritePlan[], meter: CapacityMeter) {
  const currents = plans.map((p) => readCurrent(ctx, p));
  const reasons: CancellationReason[] = [];
  const outcomes: (WriteOutcome | undefined)[] = [];
  let failed = false;
  plans.forEach((plan, i) => {
    const current = currents[i]!;
    if (!conditionHolds(plan, current)) {
      failed = true;
      const reason: CancellationReason = plan.conditionFailure
        ? { Code: plan.conditionFailure.code, Message: plan.conditionFailure.error().message }
        : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
      if (plan.returnValuesOnConditionCheckFailure === 'ALL_OLD' && current.item) reason.Item = current.item;
      reasons.push(reason);
      outcomes.push(undefined);
      return;
    }
    try {
      outcomes.push(plan.outcome(current.item));
      reasons.push({ Code: 'None' });
    } catch (e) {
      if (!(e instanceof DynamoError)) throw e;
      failed = true;
      outcomes.push(undefined);
      reasons.push(
        e.type === 'ItemCollectionSizeLimitExceededException'
          ? { Code: 'ItemCollectionSizeLimitExceeded', Message: e.message }
          : { Code: 'ValidationError', Message: e.message },
      );
    }
  });
  if (failed) throw transactionCanceled(reasons);
  return plans.map((plan, i) => applyOutcome(ctx, plan, meter, 2, currents[i]!, outcomes[i]!));
}

export function transactWriteItems(
  ctx: EngineContext,
  input: Wire<Sdk.TransactWriteItemsInput>,
): Wire<Sdk.TransactWriteItemsOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequired(c, raw.TransactItems, 'transactItems');
  checkList(c, raw.TransactItems, 'transactItems', 1, MAX_TRANSACTION_ITEMS);
  checkEnum(c, raw.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  checkEnum(
    c,
    raw.ReturnItemCollectionMetrics,
    'returnItemCollectionMetrics',
    RETURN_ITEM_COLLECTION_METRICS,
  );
  checkLength(c, raw.ClientRequestToken, 'clientRequestToken', 1, 36);
  c.throwIfAny();
  const token = typeof raw.ClientRequestToken === 'string' ? raw.ClientRequestToken : undefined;
  const hash = requestHash(raw);
  const plans = (raw.TransactItems as unknown[]).map((e, i) => prepareTransactWrite(ctx, e, i));
  checkDistinctItems(plans);
  let bytes = 0;
  for (const e of raw.TransactItems as unknown[]) {
    const put = asRecord(asRecord(e).Put).Item;
    if (put) bytes += itemSize(normalizeItem(put));
  }
  if (bytes > MAX_TRANSACTION_BYTES)
    throw validation('Transaction request size exceeded the maximum allowed size of 4 MB');

  return ctx.db.transaction(() => {
    const replay = replayedResponse(ctx, token, hash) as Wire<Sdk.TransactWriteItemsOutput> | undefined;
    if (replay) return replayOutput(ctx, plans, replay, input.ReturnConsumedCapacity);
    const meter = new CapacityMeter();
    runTransaction(ctx, plans, meter);
    const out: Wire<Sdk.TransactWriteItemsOutput> = {};
    const capacity = meter.list(input.ReturnConsumedCapacity);
    if (capacity) out.ConsumedCapacity = capacity;
    if (raw.ReturnItemCollectionMetrics === 'SIZE') {
      out.ItemCollectionMetrics = itemCollectionMetricsByTable(ctx, plans);
    }
    rememberToken(ctx, token, hash, out);
    return out;
  });
}

/**
 * The answer to a retry with a remembered ClientRequestToken, which changes nothing: DynamoDB then
 * reports the read capacity of reading the items rather than the first call's writes, and only
 * when this request asks for capacity.
 */
function replayOutput(
  ctx: EngineContext,
  plans: readonly WritePlan[],
  first: Wire<Sdk.TransactWriteItemsOutput>,
  mode: CapacityMode,
): Wire<Sdk.TransactWriteItemsOutput> {
  const out: Wire<Sdk.TransactWriteItemsOutput> = {};
  const meter = new CapacityMeter();
  for (const plan of plans) {
    meter.read(plan.table, readUnits(plan.table.getRow(ctx.db, plan.key)?.size ?? 0, true));
  }
  const capacity = meter.list(mode);
  if (capacity) out.ConsumedCapacity = capacity;
  if (first.ItemCollectionMetrics) out.ItemCollectionMetrics = first.ItemCollectionMetrics;
  return out;
}
