// GetItem: one item by its full primary key, optionally projected. Values are checked in the current
// layer (values/layer.ts), their errors bare.
import { CapacityMeter, readUnits } from '../capacity.js';
import type { ConsumedCapacity } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { readRow } from '../consistency/eventual.js';
import { ConstraintErrors } from '../errors.js';
import { projectItem } from '../expressions/index.js';
import type { Path } from '../expressions/ir.js';
import { checkKey, encodeKey } from '../tables/schema.js';
import type { StoredRow } from '../tables/table.js';
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

/** What GetItem found: the stored row (if any), the projection to apply, and the capacity to report. */
interface Found {
  readonly row: StoredRow | undefined;
  readonly projection: Path[] | undefined;
  readonly capacity: ConsumedCapacity | undefined;
}

function find(ctx: EngineContext, input: Wire<Sdk.GetItemInput>): Found {
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
  const consistent = raw.ConsistentRead === true;
  const view = ctx.consistency.view(table, consistent);
  const row = readRow(ctx.db, table, encodeKey(table.key, keyValues), view);
  const meter = new CapacityMeter();
  meter.read(table, readUnits(row?.size ?? 0, consistent));
  return { row, projection, capacity: meter.one(table.name, input.ReturnConsumedCapacity) };
}

function output(found: Found): Wire<Sdk.GetItemOutput> {
  const out: Wire<Sdk.GetItemOutput> = {};
  if (found.row) {
    const item = JSON.parse(found.row.json) as Item;
    out.Item = found.projection ? projectItem(item, found.projection) : item;
  }
  if (found.capacity) out.ConsumedCapacity = found.capacity;
  return out;
}

export function getItem(ctx: EngineContext, input: Wire<Sdk.GetItemInput>): Wire<Sdk.GetItemOutput> {
  return output(find(ctx, input));
}

/**
 * GetItem's response as the JSON text the endpoint sends. Without a projection the item's stored
 * JSON (JSON.stringify's text of the item, tables/write.ts) is spliced in as it is: the same bytes
 * as parsing and serialising it again, without doing either.
 */
export function getItemJson(ctx: EngineContext, input: Wire<Sdk.GetItemInput>): string {
  const found = find(ctx, input);
  if (found.projection) return JSON.stringify(output(found));
  const item = found.row ? `"Item":${found.row.json}` : '';
  if (!found.capacity) return `{${item}}`;
  return `{${item}${item ? ',' : ''}"ConsumedCapacity":${JSON.stringify(found.capacity)}}`;
}
