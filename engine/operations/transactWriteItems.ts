// TransactWriteItems: up to 100 Put/Update/Delete/ConditionCheck actions across tables, all or
// nothing, in one SQLite transaction. Costs twice the normal write capacity.
import { CapacityMeter, readUnits } from '../capacity.js';
import type { CapacityMode } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, DynamoError, validation } from '../errors.js';
import type { Condition, ExpressionAttributes } from '../expressions/index.js';
import {
  MAX_EXPRESSION_BYTES,
  parseCondition,
  parseUpdate,
  updateFromAttributeUpdates,
} from '../expressions/index.js';
import { checkKey, encodeKey } from '../tables/schema.js';
import type { Item, Sdk, Wire } from '../types.js';
import { normalizeItem } from '../values/attribute.js';
import { itemSize } from '../values/size.js';
import {
  asRecord,
  checkEnum,
  checkExpressionMix,
  checkLength,
  checkRequired,
  checkTableName,
  RETURN_CONSUMED_CAPACITY,
  RETURN_ITEM_COLLECTION_METRICS,
  RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  tableNameOf,
} from './common.js';
import { prepareDelete } from './deleteItem.js';
import { itemCollectionMetricsByTable } from './itemCollection.js';
import { checkPlaceholdersHaveExpressions, newAttributes, readWriteCondition } from './itemCommon.js';
import { preparePut } from './putItem.js';
import {
  checkDistinctItems,
  checkTransactItems,
  keyRejection,
  MAX_TRANSACTION_BYTES,
  rememberToken,
  replayedResponse,
  requestHash,
  transactionCanceled,
} from './transactions.js';
import type { CancellationReason, RejectedAction } from './transactions.js';
import { prepareUpdate } from './updateItem.js';
import { applyOutcome, conditionHolds, readCurrent } from './writePlan.js';
import type { Current, WriteOutcome, WritePlan } from './writePlan.js';

type ActionKind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';
const KINDS: readonly ActionKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];

/** One TransactItems entry once its request-level checks have passed: nothing looked up yet. */
interface CheckedAction {
  readonly kind: ActionKind;
  readonly body: Record<string, unknown>;
  /** The member path of the action's fields: `transactItems.1.member.put.`. */
  readonly path: string;
  /** The Put's item or the other actions' key, validated and normalised. */
  readonly values: Item;
  /** A ConditionCheck's condition (the other kinds are prepared by their own operation). */
  readonly condition?: Condition;
}

function kindsOf(entry: unknown): ActionKind[] {
  const r = asRecord(entry);
  return KINDS.filter((k) => r[k] !== undefined && r[k] !== null);
}

function pathOf(kind: ActionKind, i: number): string {
  return `transactItems.${i + 1}.member.${kind.charAt(0).toLowerCase()}${kind.slice(1)}.`;
}

/** The member constraints of one action, reported with the request's own in one message. */
function checkActionConstraints(
  c: ConstraintErrors,
  kind: ActionKind,
  body: Record<string, unknown>,
  path: string,
) {
  checkTableName(c, body.TableName, `${path}tableName`);
  if (kind === 'Put') checkRequired(c, body.Item, `${path}item`);
  else checkRequired(c, body.Key, `${path}key`);
  if (kind === 'ConditionCheck') checkRequired(c, body.ConditionExpression, `${path}conditionExpression`);
  checkEnum(
    c,
    body.ReturnValuesOnConditionCheckFailure,
    `${path}returnValuesOnConditionCheckFailure`,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  );
}

/**
 * The checks of one action that need no table, in DynamoDB's order: a Put's attribute names, its
 * item, then its expressions; the other kinds' expressions before their key (a condition that
 * does not parse is reported ahead of a key nested too deep).
 */
function checkAction(entry: unknown, i: number): CheckedAction {
  const kinds = kindsOf(entry);
  if (kinds.length === 0)
    throw validation('Invalid Request: TransactWriteRequest should contain Delete or Put or Update request');
  if (kinds.length > 1)
    throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
  const kind = kinds[0]!;
  const body = asRecord(asRecord(entry)[kind]);
  const path = pathOf(kind, i);
  if (kind === 'Put') {
    for (const name in asRecord(body.Item)) if (name === '') throw validation('Empty attribute name');
    checkExpressionMix(body, ['Expected'], ['ConditionExpression']);
    checkPlaceholdersHaveExpressions(body, ['ConditionExpression']);
    const values = normalizeItem(body.Item);
    const attrs = newAttributes(body);
    readWriteCondition(body, attrs);
    attrs.assertAllUsed();
    return { kind, body, path, values };
  }
  let condition: Condition | undefined;
  let attrs: ExpressionAttributes;
  if (kind === 'ConditionCheck') {
    attrs = newAttributes(body);
    condition = parseCondition(String(body.ConditionExpression), attrs, 'ConditionExpression');
  } else {
    const legacy = kind === 'Update' ? ['AttributeUpdates', 'Expected'] : ['Expected'];
    const expressions =
      kind === 'Update' ? ['UpdateExpression', 'ConditionExpression'] : ['ConditionExpression'];
    checkExpressionMix(body, legacy, expressions);
    checkPlaceholdersHaveExpressions(body, expressions);
    attrs = newAttributes(body);
    if (typeof body.UpdateExpression === 'string' && kind === 'Update') {
      // Here DynamoDB leaves out the size that UpdateItem's message gives.
      if (Buffer.byteLength(body.UpdateExpression, 'utf8') > MAX_EXPRESSION_BYTES) {
        throw validation('Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;');
      }
      parseUpdate(body.UpdateExpression, attrs);
    } else if (kind === 'Update' && body.AttributeUpdates !== undefined && body.AttributeUpdates !== null) {
      updateFromAttributeUpdates(body.AttributeUpdates);
    }
    readWriteCondition(body, attrs);
  }
  attrs.assertAllUsed();
  return { kind, body, path, values: normalizeItem(body.Key, 'Key'), condition };
}

/**
 * Looks the action's table up and prepares its plan, or rejects it when its key does not fit the
 * table's key schema.
 */
function prepareAction(ctx: EngineContext, a: CheckedAction): TransactAction {
  const table = ctx.table(tableNameOf(a.body.TableName as string));
  const rejection = keyRejection(table.key, a.values, a.kind === 'Put');
  if (rejection) return rejection;
  switch (a.kind) {
    case 'ConditionCheck':
      checkKey(table.key, a.values);
      return {
        table,
        key: encodeKey(table.key, a.values),
        keyValues: a.values,
        condition: a.condition,
        returnValuesOnConditionCheckFailure: a.body.ReturnValuesOnConditionCheckFailure,
        outcome: () => 'keep',
      };
    case 'Put':
      return preparePut(ctx, a.body, a.path);
    case 'Delete':
      return prepareDelete(ctx, a.body, a.path);
    default:
      return prepareUpdate(ctx, a.body, a.path);
  }
}

/** A planned action, or one the transaction cancels for its key. */
export type TransactAction = WritePlan | RejectedAction;

function isPlan(a: TransactAction): a is WritePlan {
  return !('rejected' in a);
}

/**
 * Runs prepared plans all-or-nothing inside the caller's transaction: every condition and outcome
 * is decided first, and only when none fails (and no action was rejected) is anything written.
 */
export function runTransaction(ctx: EngineContext, actions: readonly TransactAction[], meter: CapacityMeter) {
  const reasons: CancellationReason[] = [];
  const outcomes: (WriteOutcome | undefined)[] = [];
  const currents: (Current | undefined)[] = [];
  let failed = false;
  for (const action of actions) {
    if (!isPlan(action)) {
      failed = true;
      reasons.push(action.rejected);
      outcomes.push(undefined);
      currents.push(undefined);
      continue;
    }
    const plan = action;
    const current = readCurrent(ctx, plan);
    currents.push(current);
    if (!conditionHolds(plan, current)) {
      failed = true;
      const reason: CancellationReason = plan.conditionFailure
        ? { Code: plan.conditionFailure.code, Message: plan.conditionFailure.error().message }
        : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
      if (plan.returnValuesOnConditionCheckFailure === 'ALL_OLD' && current.item) reason.Item = current.item;
      reasons.push(reason);
      outcomes.push(undefined);
      continue;
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
  }
  if (failed) throw transactionCanceled(reasons);
  return actions.map((plan, i) => applyOutcome(ctx, plan as WritePlan, meter, 2, currents[i]!, outcomes[i]!));
}

export function transactWriteItems(
  ctx: EngineContext,
  input: Wire<Sdk.TransactWriteItemsInput>,
): Wire<Sdk.TransactWriteItemsOutput> {
  const raw = asRecord(input);
  // Every member constraint, the actions' included, is reported in one message, members in
  // alphabetical order (a too-long token ahead of an unknown ReturnConsumedCapacity).
  const c = new ConstraintErrors();
  checkLength(c, raw.ClientRequestToken, 'clientRequestToken', 1, 36);
  checkEnum(c, raw.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  checkEnum(
    c,
    raw.ReturnItemCollectionMetrics,
    'returnItemCollectionMetrics',
    RETURN_ITEM_COLLECTION_METRICS,
  );
  checkRequired(c, raw.TransactItems, 'transactItems');
  checkTransactItems(c, raw.TransactItems, 'TransactWriteItem', ctx.wording);
  if (Array.isArray(raw.TransactItems)) {
    raw.TransactItems.forEach((e, i) => {
      const kinds = kindsOf(e);
      if (kinds.length === 1) {
        checkActionConstraints(c, kinds[0]!, asRecord(asRecord(e)[kinds[0]!]), pathOf(kinds[0]!, i));
      }
    });
  }
  c.throwIfAny();
  const token = typeof raw.ClientRequestToken === 'string' ? raw.ClientRequestToken : undefined;
  const hash = requestHash(raw);
  // Every action's own checks come before any table is looked up: a later action's malformed
  // condition is reported ahead of an earlier action's missing table.
  const checked = (raw.TransactItems as unknown[]).map(checkAction);
  const actions = checked.map((a) => prepareAction(ctx, a));
  const plans = actions.filter(isPlan);
  checkDistinctItems(plans);
  let bytes = 0;
  for (const a of checked) if (a.kind === 'Put') bytes += itemSize(a.values);
  if (bytes > MAX_TRANSACTION_BYTES)
    throw validation('Transaction request size exceeded the maximum allowed size of 4 MB');

  return ctx.db.transaction(() => {
    const replay = replayedResponse(ctx, token, hash) as Wire<Sdk.TransactWriteItemsOutput> | undefined;
    if (replay) return replayOutput(ctx, plans, replay, input.ReturnConsumedCapacity);
    const meter = new CapacityMeter();
    runTransaction(ctx, actions, meter);
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
