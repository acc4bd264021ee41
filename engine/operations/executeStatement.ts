// ExecuteStatement: one PartiQL statement. SELECTs run as Query or Scan pages (NextToken, Limit
// counting evaluated items); INSERT/UPDATE/DELETE run as single-item writes.
import { CapacityMeter, readUnits } from '../capacity.js';
import { readRow } from '../consistency/eventual.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, validation } from '../errors.js';
import { evaluateCondition, projectItem } from '../expressions/index.js';
import { encodeKey } from '../tables/schema.js';
import { existsOutsideTransaction, fullScanRefusal, planSelect, planWrite } from '../partiql/index.js';
import { parseRequestStatement } from '../partiql/statement.js';
import { runSelect, statementFingerprint } from '../partiql/readSelect.js';
import type { Item, Sdk, Wire } from '../types.js';
import {
  asRecord,
  checkEnum,
  checkRange,
  RETURN_CONSUMED_CAPACITY,
  RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
} from './common.js';
import { updateReturnValues } from './updateItem.js';
import { executeWrite } from './writePlan.js';

export function executeStatement(
  ctx: EngineContext,
  input: Wire<Sdk.ExecuteStatementInput>,
): Wire<Sdk.ExecuteStatementOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkEnum(c, raw.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  checkEnum(
    c,
    raw.ReturnValuesOnConditionCheckFailure,
    'returnValuesOnConditionCheckFailure',
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  );
  checkRange(c, raw.Limit, 'limit', 1);
  c.throwIfAny();
  // A null member is an absent one, as DynamoDB's deserializer reads it.
  const limit = typeof raw.Limit === 'number' ? raw.Limit : undefined;
  const { statement, parameters } = parseRequestStatement(raw.Statement, raw.Parameters);
  const meter = new CapacityMeter();
  const mode = input.ReturnConsumedCapacity;

  if (statement.kind === 'explain') {
    throw validation(
      'EXPLAIN is a Sortkey extension: send it to the Sortkey_20250101.Explain target (the shell and studio do)',
    );
  }
  if (statement.kind === 'exists') throw existsOutsideTransaction();
  if (statement.kind === 'select') {
    const plan = planSelect(ctx, statement, parameters, raw.ConsistentRead);
    if (plan.fullScan) fullScanRefusal(ctx, plan);
    if (plan.itemKey && limit === undefined && raw.NextToken == null) {
      // The whole primary key is pinned: one item, read as GetItem would (same result and capacity
      // as the one-row Query page, without the page machinery). One SELECT of one row needs no
      // snapshot transaction around it.
      const table = plan.target.table;
      const consistent = raw.ConsistentRead === true;
      const view = ctx.consistency.view(table, consistent);
      const row = readRow(ctx.db, table, encodeKey(table.key, plan.itemKey), view);
      meter.read(table, readUnits(row?.size ?? 0, consistent));
      const items: Item[] = [];
      if (row) {
        const item = JSON.parse(row.json) as Item;
        if (!plan.filter || evaluateCondition(plan.filter, item)) {
          items.push(plan.projection ? projectItem(item, plan.projection) : item);
        }
      }
      const out: Wire<Sdk.ExecuteStatementOutput> = { Items: items };
      const capacity = meter.one(table.name, mode);
      if (capacity) out.ConsumedCapacity = capacity;
      return out;
    }
    const result = runSelect(ctx, plan, {
      limit,
      nextToken: raw.NextToken,
      fingerprint: statementFingerprint(raw.Statement as string, raw.Parameters),
      consistent: raw.ConsistentRead === true,
      meter,
    });
    const out: Wire<Sdk.ExecuteStatementOutput> = { Items: result.Items };
    if (result.NextToken) out.NextToken = result.NextToken;
    if (result.LastEvaluatedKey) out.LastEvaluatedKey = result.LastEvaluatedKey;
    const capacity = meter.one(plan.target.table.name, mode);
    if (capacity) out.ConsumedCapacity = capacity;
    return out;
  }

  const planned = planWrite(ctx, statement, parameters, raw.ReturnValuesOnConditionCheckFailure);
  return ctx.db.transaction(() => {
    const done = executeWrite(ctx, planned.plan, meter);
    const items: Item[] = [];
    if (planned.returnValues) {
      const attributes = updateReturnValues(
        planned.returnValues,
        planned.actions,
        done.oldItem,
        done.newItem,
      );
      if (attributes) items.push(attributes);
    }
    const out: Wire<Sdk.ExecuteStatementOutput> = { Items: items };
    const capacity = meter.one(planned.plan.table.name, mode);
    if (capacity) out.ConsumedCapacity = capacity;
    return out;
  });
}
