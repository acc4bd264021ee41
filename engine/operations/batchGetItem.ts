// BatchGetItem: up to 100 items from one or more tables; what does not fit in 16 MB comes back as
// UnprocessedKeys. Values are checked in the current layer (values/layer.ts), their errors bare.
import { CapacityMeter, readUnits } from '../capacity.js';
import { readRow } from '../consistency/eventual.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, validation } from '../errors.js';
import { projectItem } from '../expressions/index.js';
import { checkKey, encodeKey } from '../tables/schema.js';
import type { Item, Sdk, Wire } from '../types.js';
import { normalizeItem } from '../values/attribute.js';
import { jsonText } from '../values/json.js';
import type { Wording } from '../wording.js';
import {
  asRecord,
  checkEnum,
  checkExpressionMix,
  checkList,
  checkRequired,
  isValidName,
  RETURN_CONSUMED_CAPACITY,
} from './common.js';
import { checkPlaceholdersHaveExpressions, newAttributes, readProjection } from './itemCommon.js';

export const MAX_BATCH_GET_KEYS = 100;
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * The member checks, all reported together (operations/common.ts, `MemberRule`): the RequestItems
 * map, its table names and each table's Keys, then ReturnConsumedCapacity. The map's and the Keys'
 * lengths are worded the newer way (`Value at 'RequestItems' …`); a bad table name refuses the whole
 * map, echoed as JSON.
 */
function checkRequest(raw: Record<string, unknown>, wording: Wording): Record<string, unknown> {
  const c = new ConstraintErrors();
  checkRequired(c, raw.RequestItems, 'requestItems');
  const requests = asRecord(raw.RequestItems);
  const names = Object.keys(requests);
  if (raw.RequestItems !== undefined && raw.RequestItems !== null && names.length === 0) {
    wording.batchGetNoTables(c, raw.RequestItems);
  }
  if (names.some((name) => !isValidName(name))) {
    c.addText(
      `Value '${jsonText(raw.RequestItems)}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]`,
    );
  }
  for (const name of names) {
    const keys = asRecord(requests[name]).Keys;
    checkRequired(c, keys, `requestItems.${name}.member.keys`);
    checkList(c, keys, `requestItems.${name}.member.keys`);
    if (!Array.isArray(keys)) continue;
    if (keys.length === 0) {
      wording.batchGetKeysLength(c, name, keys, 'Member must have length greater than or equal to 1');
    } else if (keys.length > MAX_BATCH_GET_KEYS) {
      wording.batchGetKeysLength(
        c,
        name,
        keys,
        `Member must have length less than or equal to ${MAX_BATCH_GET_KEYS}`,
      );
    }
  }
  checkEnum(c, raw.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  c.throwIfAny();
  return requests;
}

export function batchGetItem(
  ctx: EngineContext,
  input: Wire<Sdk.BatchGetItemInput>,
): Wire<Sdk.BatchGetItemOutput> {
  const raw = asRecord(input);
  const requests = checkRequest(raw, ctx.wording);
  let total = 0;
  for (const req of Object.values(requests)) total += (asRecord(req).Keys as unknown[]).length;
  if (total > MAX_BATCH_GET_KEYS) throw validation('Too many items requested for the BatchGetItem call');
  // Expression and legacy projections may not be mixed across the request's tables either.
  const blocks = Object.values(requests).map(asRecord);
  checkExpressionMix(
    {
      AttributesToGet: blocks.find((r) => r.AttributesToGet !== undefined && r.AttributesToGet !== null)
        ?.AttributesToGet,
      ProjectionExpression: blocks.find(
        (r) => r.ProjectionExpression !== undefined && r.ProjectionExpression !== null,
      )?.ProjectionExpression,
    },
    ['AttributesToGet'],
    ['ProjectionExpression'],
  );

  const plans = Object.entries(requests).map(([name, req]) => {
    const r = asRecord(req);
    checkPlaceholdersHaveExpressions(r, ['ProjectionExpression']);
    const attrs = newAttributes(r, ctx.wording.itemValues);
    const projection = readProjection(r, attrs);
    attrs.assertAllUsed();
    const table = ctx.table(name);
    const seen = new Set<string>();
    const keys = (r.Keys as unknown[]).map((k) => {
      const keyValues = normalizeItem(k, 'Key', ctx.wording.itemValues);
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
      const view = ctx.consistency.view(plan.table, plan.consistent);
      for (const k of plan.keys) {
        if (bytes >= MAX_RESPONSE_BYTES) {
          const u = (unprocessed[plan.name] ??= {
            ...(plan.request as Wire<Sdk.KeysAndAttributes>),
            Keys: [],
          });
          u.Keys!.push(k.keyValues);
          continue;
        }
        const row = readRow(ctx.db, plan.table, k.key, view);
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
