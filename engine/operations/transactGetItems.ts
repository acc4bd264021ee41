// TransactGetItems: up to 100 items read from one consistent snapshot, at twice the read cost.
import { CapacityMeter, readUnits } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, validation } from '../errors.js';
import { parseProjection, projectItem } from '../expressions/index.js';
import type { Path } from '../expressions/index.js';
import { checkKey, encodeKey } from '../tables/schema.js';
import type { EncodedKey } from '../tables/schema.js';
import type { Table } from '../tables/table.js';
import type { Item, Sdk, Wire } from '../types.js';
import { normalizeItem } from '../values/attribute.js';
import {
  asRecord,
  checkEnum,
  checkRequired,
  checkTableName,
  RETURN_CONSUMED_CAPACITY,
  tableNameOf,
} from './common.js';
import { checkPlaceholdersHaveExpressions, newAttributes } from './itemCommon.js';
import { checkDistinctItems, checkTransactItems, keyRejection, transactionCanceled } from './transactions.js';
import type { RejectedAction } from './transactions.js';

interface PlannedGet {
  readonly table: Table;
  readonly key: EncodedKey;
  readonly projection: Path[] | undefined;
}

export function transactGetItems(
  ctx: EngineContext,
  input: Wire<Sdk.TransactGetItemsInput>,
): Wire<Sdk.TransactGetItemsOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequired(c, raw.TransactItems, 'transactItems');
  checkTransactItems(c, raw.TransactItems, 'TransactGetItem', ctx.wording);
  checkEnum(c, raw.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  if (Array.isArray(raw.TransactItems)) {
    raw.TransactItems.forEach((e, i) => {
      const get = asRecord(asRecord(e).Get);
      checkRequired(c, asRecord(e).Get, `transactItems.${i + 1}.member.get`);
      if (asRecord(e).Get) {
        checkTableName(c, get.TableName, `transactItems.${i + 1}.member.get.tableName`);
        checkRequired(c, get.Key, `transactItems.${i + 1}.member.get.key`);
      }
    });
  }
  c.throwIfAny();
  // A key that does not fit its table's schema cancels the transaction (a ValidationError reason
  // for that Get, None for the others), after every Get's request-level checks.
  const gets = (raw.TransactItems as unknown[]).map((e): PlannedGet | RejectedAction => {
    const g = asRecord(asRecord(e).Get);
    checkPlaceholdersHaveExpressions(g, ['ProjectionExpression']);
    const attrs = newAttributes(g);
    if (g.ExpressionAttributeValues !== undefined)
      throw validation('ExpressionAttributeValues can only be specified when using expressions');
    const projection =
      typeof g.ProjectionExpression === 'string' ? parseProjection(g.ProjectionExpression, attrs) : undefined;
    attrs.assertAllUsed();
    const keyValues = normalizeItem(g.Key, 'Key');
    const table = ctx.table(tableNameOf(g.TableName as string));
    const rejection = keyRejection(table.key, keyValues, false);
    if (rejection) return rejection;
    checkKey(table.key, keyValues);
    return { table, key: encodeKey(table.key, keyValues), projection };
  });
  const planned = gets.filter((g): g is PlannedGet => !('rejected' in g));
  checkDistinctItems(planned);
  if (planned.length < gets.length) {
    throw transactionCanceled(gets.map((g) => ('rejected' in g ? g.rejected : { Code: 'None' })));
  }
  return ctx.db.snapshot(() => {
    const meter = new CapacityMeter();
    const responses = planned.map((g) => {
      const row = g.table.getRow(ctx.db, g.key);
      meter.read(g.table, readUnits(row?.size ?? 0, true) * 2);
      if (!row) return {};
      const item = JSON.parse(row.json) as Item;
      return { Item: g.projection ? projectItem(item, g.projection) : item };
    });
    const out: Wire<Sdk.TransactGetItemsOutput> = { Responses: responses };
    const capacity = meter.list(input.ReturnConsumedCapacity);
    if (capacity) out.ConsumedCapacity = capacity;
    return out;
  });
}
