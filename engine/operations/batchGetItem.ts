// BatchGetItem: up to 100 items from one or more tables; what does not fit in 16 MB comes back as
// UnprocessedKeys. Values are checked in the current layer (values/layer.ts), their errors bare.
import { CapacityMeter, readUnits } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, validation } from '../errors.js';
import { projectItem } from '../expressions/index.js';
import { checkKey, encodeKey } from '../tables/schema.js';
import type { Item, Sdk, Wire } from '../types.js';
import { normalizeItem } from '../values/attribute.js';
import {
  asRecord,
  checkEnum,
  checkExpressionMix,
  checkList,
  checkName,
  checkRequired,
  RETURN_CONSUMED_CAPACITY,
} from './common.js';
import { checkPlaceholdersHaveExpressions, newAttributes, readProjection } from './itemCommon.js';

export const MAX_BATCH_GET_KEYS = 100;
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export function batchGetItem(
  ctx: EngineContext,
  input: Wire<Sdk.BatchGetItemInput>,
): Wire<Sdk.BatchGetItemOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequired(c, raw.RequestItems, 'requestItems');
  checkEnum(c, raw.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  const requests = asRecord(raw.RequestItems);
  if (raw.RequestItems !== undefined && Object.keys(requests).length === 0) {
    c.add(raw.RequestItems, 'requestItems', 'Member must have length greater than or equal to 1');
  }
  for (const [name, req] of Object.entries(requests)) {
    checkName(c, name, 'requestItems.key');
    const keys = asRecord(req).Keys;
    checkRequired(c, keys, `requestItems.${name}.member.keys`);
    checkList(c, keys, `requestItems.${name}.member.keys`);
    if (Array.isArray(keys) && keys.length > MAX_BATCH_GET_KEYS) {
      c.add(keys, `requestItems.${name}.member.keys`, 'Member must have length less than or equal to 100');
    }
    if (Array.isArray(keys) && keys.length === 0) {
      c.add(keys, `requestItems.${name}.member.keys`, 'Member must have length greater than or equal to 1');
    }
  }
  c.throwIfAny();
  let total = 0;
  for (const req of Object.values(requests)) total += (asRecord(req).Keys as unknown[]).length;
  if (total > MAX_BATCH_GET_KEYS) throw validation('Too many items requested for the BatchGetItem call');

  const plans = Object.entries(requests).map(([name, req]) => {
    const r = asRecord(req);
    checkExpressionMix(r, ['AttributesToGet'], ['ProjectionExpression']);
    checkPlaceholdersHaveExpressions(r, ['ProjectionExpression']);
    const attrs = newAttributes(r, 'current');
    const projection = readProjection(r, attrs);
    attrs.assertAllUsed();
    const table = ctx.table(name);
    const seen = new Set<string>();
    const keys = (r.Keys as unknown[]).map((k) => {
      const keyValues = normalizeItem(k, 'Key', 'current');
      checkKey(table.key, keyValues);
      const key = encodeKey(table.key, keyValues);
      const id = key.pk.toString('hex') + '/' + key.sk.toString('hex');
      if (seen.has(id)) throw validation('Provided list of item keys contains duplicates');
      seen.add(id);
      return { keyValues, key, raw: k };
    });
    return { name, table, keys, projection, consistent: r.ConsistentRead === true, request: r };
  });

  return ctx.db.snapshot(() => {
    const meter = new CapacityMeter();
    const responses: Record<string, Item[]> = {};
    const unprocessed: Record<string, Wire<Sdk.KeysAndAttributes>> = {};
    let bytes = 0;
    for (const plan of plans) {
      const items: Item[] = (responses[plan.name] = []);
      for (const k of plan.keys) {
        if (bytes >= MAX_RESPONSE_BYTES) {
          const u = (unprocessed[plan.name] ??= {
            ...(plan.request as Wire<Sdk.KeysAndAttributes>),
            Keys: [],
          });
          u.Keys!.push(k.keyValues);
          continue;
        }
        const row = plan.table.getRow(ctx.db, k.key);
        meter.read(plan.table, readUnits(row?.size ?? 0, plan.consistent));
        if (!row) continue;
        bytes += row.size;
        const item = JSON.parse(row.json) as Item;
        items.push(plan.projection ? projectItem(item, plan.projection) : item);
      }
    }
    const out: Wire<Sdk.BatchGetItemOutput> = { Responses: responses, UnprocessedKeys: unprocessed };
    const capacity = meter.list(input.ReturnConsumedCapacity);
    if (capacity) out.ConsumedCapacity = capacity;
    return out;
  });
}
