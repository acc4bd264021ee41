// GetItem: one item by its full primary key, optionally projected. Values are checked in the current
// layer (values/layer.ts), their errors bare.
import { CapacityMeter, readUnits } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors } from '../errors.js';
import { projectItem } from '../expressions/index.js';
import { checkKey, encodeKey } from '../tables/schema.js';
import type { Item, Sdk, Wire } from '../types.js';
import { normalizeItem } from '../values/attribute.js';
import {
  asRecord,
  checkEnum,
  checkExpressionMix,
  checkList,
  checkRequired,
  checkTableName,
  RETURN_CONSUMED_CAPACITY,
  tableNameOf,
} from './common.js';
import { checkPlaceholdersHaveExpressions, newAttributes, readProjection } from './itemCommon.js';

export function getItem(ctx: EngineContext, input: Wire<Sdk.GetItemInput>): Wire<Sdk.GetItemOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkTableName(c, raw.TableName);
  checkRequired(c, raw.Key, 'key');
  checkEnum(c, raw.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  checkList(c, raw.AttributesToGet, 'attributesToGet', 1);
  c.throwIfAny();
  checkExpressionMix(raw, ['AttributesToGet'], ['ProjectionExpression']);
  checkPlaceholdersHaveExpressions(raw, ['ProjectionExpression']);
  const keyValues = normalizeItem(raw.Key, 'Key', ctx.wording.itemValues);
  const attrs = newAttributes(raw, ctx.wording.itemValues);
  const projection = readProjection(raw, attrs);
  attrs.assertAllUsed();

  const table = ctx.table(tableNameOf(input.TableName!));
  checkKey(table.key, keyValues);
  const row = table.getRow(ctx.db, encodeKey(table.key, keyValues));
  const out: Wire<Sdk.GetItemOutput> = {};
  if (row) {
    const item = JSON.parse(row.json) as Item;
    out.Item = projection ? projectItem(item, projection) : item;
  }
  const meter = new CapacityMeter();
  meter.read(table, readUnits(row?.size ?? 0, raw.ConsistentRead === true));
  const capacity = meter.one(table.name, input.ReturnConsumedCapacity);
  if (capacity) out.ConsumedCapacity = capacity;
  return out;
}
