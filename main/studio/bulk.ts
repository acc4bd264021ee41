// Bulk actions on the rows a user selected: delete through BatchWriteItem (25 requests per call, as
// DynamoDB allows), retrying the UnprocessedItems DynamoDB hands back with exponential back-off and
// jitter, as AWS advises; set or remove one attribute through one UpdateItem per item, conditional
// on the item's key existing, so a row deleted meanwhile is reported rather than re-created.
import type { AttributeValue, Item } from '../../renderer/src/backend/api.js';
import type {
  BulkDeleteRequest,
  BulkDeleteResult,
  BulkUpdateAction,
  BulkUpdateRequest,
  BulkUpdateResult,
} from '../../renderer/src/backend/workbench-api.js';
import { BULK_MAX_KEYS } from '../../renderer/src/backend/workbench-api.js';

type AnyRecord = Record<string, unknown>;
export type CallOperation = (operation: string, input: unknown) => Promise<AnyRecord>;

/** BatchWriteItem takes at most 25 requests. */
const BATCH_SIZE = 25;
/** Attempts per batch (the first and the retries of what stays unprocessed or throttled). */
const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 25;
const MAX_DELAY_MS = 2_000;

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
]);

function invalid(message: string): Error {
  return Object.assign(new Error(message), { type: 'ValidationException' });
}

export interface BulkOptions {
  /** Waits between retries (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

function checkKeys(args: unknown): { table: string; keys: Item[] } {
  const a = args as Partial<BulkDeleteRequest> | null;
  if (!a || typeof a.table !== 'string' || a.table === '') throw invalid('table must be a non-empty string');
  if (!Array.isArray(a.keys) || a.keys.some((k) => typeof k !== 'object' || k === null || Array.isArray(k)))
    throw invalid('keys must be a list of item keys');
  if (a.keys.length > BULK_MAX_KEYS)
    throw invalid(`At most ${BULK_MAX_KEYS} keys per call (got ${a.keys.length})`);
  return { table: a.table, keys: a.keys };
}

/** A top-level attribute name (a dot is part of the name, as in UpdateItem's placeholders). */
function checkAction(action: unknown): BulkUpdateAction {
  const a = action as Partial<BulkUpdateAction> | null;
  if (!a || (a.kind !== 'set' && a.kind !== 'remove')) throw invalid('action.kind must be set or remove');
  if (typeof a.attribute !== 'string' || a.attribute === '') throw invalid('action.attribute must be a name');
  if (a.kind === 'set' && (typeof a.value !== 'object' || a.value === null))
    throw invalid('action.value must be an attribute value');
  return a as BulkUpdateAction;
}

export function bulkMethods(
  call: CallOperation,
  keyNamesOf: (table: string) => Promise<string[]>,
  options: BulkOptions = {},
): {
  bulkDelete(args: BulkDeleteRequest): Promise<BulkDeleteResult>;
  bulkUpdate(args: BulkUpdateRequest): Promise<BulkUpdateResult>;
} {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const backoff = (attempt: number): number =>
    Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt) * (0.5 + Math.random() / 2);

  /** Writes one batch until nothing is left unprocessed or the attempts are spent; returns what is left. */
  async function writeBatch(table: string, keys: Item[]): Promise<Item[]> {
    let pending = keys.map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(backoff(attempt));
      try {
        const out = await call('BatchWriteItem', { RequestItems: { [table]: pending } });
        const left = ((out.UnprocessedItems as AnyRecord | undefined)?.[table] ?? []) as typeof pending;
        pending = left;
      } catch (e) {
        // The whole batch was throttled: the same batch again, after a pause.
        if (!THROTTLED.has(String((e as { type?: unknown }).type))) throw e;
      }
    }
    return pending.map((r) => r.DeleteRequest.Key);
  }

  return {
    async bulkDelete(args) {
      const { table, keys } = checkKeys(args);
      let deleted = 0;
      const unprocessed: Item[] = [];
      for (let i = 0; i < keys.length; i += BATCH_SIZE) {
        const batch = keys.slice(i, i + BATCH_SIZE);
        const left = await writeBatch(table, batch);
        deleted += batch.length - left.length;
        unprocessed.push(...left);
      }
      return { deleted, unprocessed };
    },

    async bulkUpdate(args) {
      const { table, keys } = checkKeys(args);
      const action = checkAction((args as Partial<BulkUpdateRequest>).action);
      const keyNames = await keyNamesOf(table);
      if (keyNames.includes(action.attribute))
        throw invalid(`"${action.attribute}" is part of the key: a key attribute cannot be updated`);
      const names: Record<string, string> = { '#a': action.attribute };
      keyNames.forEach((k, i) => (names[`#k${i}`] = k));
      const condition = keyNames.map((_, i) => `attribute_exists(#k${i})`).join(' AND ');
      const updated: Item[] = [];
      const missing: Item[] = [];
      for (const key of keys) {
        const input: AnyRecord = {
          TableName: table,
          Key: key,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ReturnValues: 'ALL_NEW',
        };
        if (action.kind === 'set') {
          input.UpdateExpression = 'SET #a = :v';
          input.ExpressionAttributeValues = { ':v': action.value as AttributeValue };
        } else input.UpdateExpression = 'REMOVE #a';
        try {
          const out = await call('UpdateItem', input);
          updated.push(out.Attributes as Item);
        } catch (e) {
          if ((e as { type?: unknown }).type !== 'ConditionalCheckFailedException') throw e;
          missing.push(key);
        }
      }
      return { updated, missing };
    },
  };
}
