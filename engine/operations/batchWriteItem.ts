// BatchWriteItem: up to 25 puts and deletes across tables. Sortkey applies them all in one
// transaction, so UnprocessedItems is always empty.
import { CapacityMeter } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, validation } from '../errors.js';
import type { Sdk, Wire } from '../types.js';
import { jsonText } from '../values/json.js';
import {
  asRecord,
  checkEnum,
  checkName,
  checkRequired,
  RETURN_CONSUMED_CAPACITY,
  RETURN_ITEM_COLLECTION_METRICS,
} from './common.js';
import { prepareDelete } from './deleteItem.js';
import { itemCollectionMetricsByTable } from './itemCollection.js';
import { preparePut } from './putItem.js';
import { echoRequestItems } from './transactions.js';
import { BATCH_WRITE_CHECKS, executeWrite } from './writePlan.js';
import type { WritePlan } from './writePlan.js';

export const MAX_BATCH_WRITE_REQUESTS = 25;
const MAP_KEYS_CONSTRAINT =
  'Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]';
const MAP_VALUES_CONSTRAINT = `Map value must satisfy constraint: [Member must have length less than or equal to ${MAX_BATCH_WRITE_REQUESTS}, Member must have length greater than or equal to 1]`;
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export function batchWriteItem(
  ctx: EngineContext,
  input: Wire<Sdk.BatchWriteItemInput>,
): Wire<Sdk.BatchWriteItemOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequired(c, raw.RequestItems, 'requestItems');
  checkEnum(c, raw.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  checkEnum(
    c,
    raw.ReturnItemCollectionMetrics,
    'returnItemCollectionMetrics',
    RETURN_ITEM_COLLECTION_METRICS,
  );
  const requests = asRecord(raw.RequestItems);
  // A bad table name or request list is reported against the whole map, echoed, with every
  // constraint of the map's keys or values listed.
  for (const [name, list] of Object.entries(requests)) {
    const names = new ConstraintErrors();
    checkName(names, name, 'requestItems.key');
    if (names.count > 0) c.add(echoRequestItems(requests), 'requestItems', MAP_KEYS_CONSTRAINT);
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH_WRITE_REQUESTS) {
      c.add(echoRequestItems(requests), 'requestItems', MAP_VALUES_CONSTRAINT);
    }
  }
  c.throwIfAny();
  if (raw.RequestItems !== undefined && Object.keys(requests).length === 0) {
    throw validation('The requestItems parameter is required for BatchWriteItem');
  }
  let total = 0;
  for (const list of Object.values(requests)) total += (list as unknown[]).length;
  if (total > MAX_BATCH_WRITE_REQUESTS)
    throw validation('Too many items requested for the BatchWriteItem call');
  if (jsonText(raw.RequestItems).length > MAX_REQUEST_BYTES) {
    throw validation('Item size has exceeded the maximum allowed size');
  }

  const plans: WritePlan[] = [];
  const seen = new Set<string>();
  for (const [name, list] of Object.entries(requests)) {
    for (const entry of list as unknown[]) {
      const r = asRecord(entry);
      const put = r.PutRequest !== undefined && r.PutRequest !== null;
      const del = r.DeleteRequest !== undefined && r.DeleteRequest !== null;
      if (put === del) {
        throw validation('A WriteRequest must contain exactly one of PutRequest or DeleteRequest');
      }
      const plan = put
        ? preparePut(ctx, { TableName: name, Item: asRecord(r.PutRequest).Item }, '', BATCH_WRITE_CHECKS)
        : prepareDelete(ctx, { TableName: name, Key: asRecord(r.DeleteRequest).Key });
      const id = `${name}\u0000${plan.key.pk.toString('hex')}/${plan.key.sk.toString('hex')}`;
      if (seen.has(id)) throw validation('Provided list of item keys contains duplicates');
      seen.add(id);
      plans.push(plan);
    }
  }

  return ctx.db.transaction(() => {
    const meter = new CapacityMeter();
    for (const plan of plans) executeWrite(ctx, plan, meter);
    const out: Wire<Sdk.BatchWriteItemOutput> = { UnprocessedItems: {} };
    const capacity = meter.list(input.ReturnConsumedCapacity);
    if (capacity) out.ConsumedCapacity = capacity;
    if (raw.ReturnItemCollectionMetrics === 'SIZE') {
      out.ItemCollectionMetrics = itemCollectionMetricsByTable(ctx, plans);
    }
    return out;
  });
}
