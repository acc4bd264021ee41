// Helpers for the transactional operations: duplicate-item checks, cancellation reasons,
// ClientRequestToken idempotency (a token is remembered for 10 minutes), and the request echo that
// the multi-item operations' constraint messages carry.
import { createHash } from 'node:crypto';
import { DynamoError, validation } from '../errors.js';
import type { Database } from '../storage/database.js';
import { checkItemKey, checkKey, keyAttributes } from '../tables/schema.js';
import type { KeySchema } from '../tables/schema.js';
import type { Item } from '../types.js';
import { typeOf } from '../values/attribute.js';
import { jsonText } from '../values/json.js';
import type { Wording } from '../wording.js';
import { wrongType } from './common.js';
import type { ConstraintErrors } from './common.js';
import type { WritePlan } from './writePlan.js';

export const MAX_TRANSACTION_ITEMS = 100;
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;
const TOKEN_LIFETIME_MS = 10 * 60 * 1000;

export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Item;
}

/**
 * An action refused for its key: its table's schema wants other key attributes or types. A
 * transaction reports it as that action's ValidationError cancellation reason, not as a
 * ValidationException, and writes nothing.
 */
export interface RejectedAction {
  readonly rejected: CancellationReason;
}

/**
 * Why a transaction cancels an action whose key does not fit the table's key schema, or undefined
 * when it fits (an empty or oversized key value is the request's own ValidationException, left to
 * the caller). `whole` is a Put's item, whose key attributes are found among the others and are
 * reported as PutItem reports them; otherwise `values` is a Key, which must be exactly the key.
 */
export function keyRejection(schema: KeySchema, values: Item, whole: boolean): RejectedAction | undefined {
  const attrs = keyAttributes(schema);
  let fits = whole || Object.keys(values).length === attrs.length;
  for (const a of attrs) {
    if (!fits) break;
    const v = values[a.name];
    if (v === undefined || typeOf(v) !== a.type) fits = false;
    // checkItemKey reports attribute by attribute: an empty value before this one comes first.
    else if (whole && (('S' in v && v.S === '') || ('B' in v && v.B === ''))) return undefined;
  }
  if (fits) return undefined;
  try {
    if (whole) checkItemKey(schema, values);
    else checkKey(schema, values);
  } catch (e) {
    if (e instanceof DynamoError) return { rejected: { Code: 'ValidationError', Message: e.message } };
    throw e;
  }
  return undefined;
}

/**
 * TransactItems' length, with the list echoed as DynamoDB does: `Value '[]' at 'transactItems'
 * failed to satisfy constraint: Member must have length greater than or equal to 1`.
 */
export function checkTransactItems(
  c: ConstraintErrors,
  list: unknown,
  element: string,
  wording: Wording,
): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw wrongType('transactItems', 'list', list);
  if (list.length < 1)
    wording.transactItemsLength(
      c,
      echoList(list, element),
      'Member must have length greater than or equal to 1',
    );
  if (list.length > MAX_TRANSACTION_ITEMS) {
    wording.transactItemsLength(
      c,
      echoList(list, element),
      `Member must have length less than or equal to ${MAX_TRANSACTION_ITEMS}`,
    );
  }
}

export function checkDistinctItems(plans: readonly Pick<WritePlan, 'table' | 'key'>[]): void {
  const seen = new Set<string>();
  for (const p of plans) {
    const id = `${p.table.name}\u0000${p.key.pk.toString('hex')}/${p.key.sk.toString('hex')}`;
    if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    seen.add(id);
  }
}

export function transactionCanceled(reasons: CancellationReason[]): DynamoError {
  return new DynamoError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    { CancellationReasons: reasons },
  );
}

/** Hash of a request's parameters, to recognise a retry with the same ClientRequestToken. */
export function requestHash(input: Record<string, unknown>): string {
  const { ClientRequestToken: _t, ReturnConsumedCapacity: _r, ...rest } = input;
  return createHash('sha256').update(jsonText(rest)).digest('hex');
}

/** What client request tokens need of the engine: its database and clock (EngineContext provides them). */
export interface TokenHost {
  readonly db: Database;
  readonly now: () => number;
}

/**
 * Looks up an earlier request with this token. Returns its stored response when it was the same
 * request, throws IdempotentParameterMismatchException when it was a different one.
 */
export function replayedResponse(ctx: TokenHost, token: string | undefined, hash: string): unknown {
  if (token === undefined) return undefined;
  const now = ctx.now();
  ctx.db.sqlite.prepare('DELETE FROM sk_client_tokens WHERE created_at < ?').run(now - TOKEN_LIFETIME_MS);
  const row = ctx.db.sqlite
    .prepare('SELECT request_hash, response FROM sk_client_tokens WHERE token = ?')
    .get(token) as { request_hash: string; response: string } | undefined;
  if (!row) return undefined;
  if (row.request_hash !== hash) {
    throw new DynamoError(
      'IdempotentParameterMismatchException',
      'The request uses the same client token as a previous, but non-identical request.',
    );
  }
  return JSON.parse(row.response);
}

export function rememberToken(
  ctx: TokenHost,
  token: string | undefined,
  hash: string,
  response: unknown,
): void {
  if (token === undefined) return;
  ctx.db.sqlite
    .prepare(
      'INSERT OR REPLACE INTO sk_client_tokens (token, request_hash, response, created_at) VALUES (?, ?, ?, ?)',
    )
    .run(token, hash, JSON.stringify(response), ctx.now());
}

/** Java-style field name: the wire name with its first letter in lower case. */
function member(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Request members echoed as structures, and members that are maps of attribute values.
const STRUCTURES: ReadonlySet<string> = new Set([
  'PutRequest',
  'DeleteRequest',
  'Put',
  'Delete',
  'Update',
  'ConditionCheck',
  'Get',
]);
const ATTRIBUTE_MAPS: ReadonlySet<string> = new Set(['Item', 'Key', 'ExpressionAttributeValues']);

/**
 * Echoes stop this deep: a request nested thousands of levels (refused anyway, past 32 levels)
 * must not exhaust the stack while its constraint message is written. What DynamoDB echoes there
 * is unknown; `…` is a guess.
 */
const MAX_ECHO_DEPTH = 200;

function echoValue(v: unknown, depth = 0): string {
  if (v === undefined || v === null) return 'null';
  if (depth > MAX_ECHO_DEPTH) return '…';
  if (Array.isArray(v)) return `[${v.map((x) => echoValue(x, depth + 1)).join(', ')}]`;
  if (isRecord(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}=${echoValue(x, depth + 1)}`)
      .join(', ')}}`;
  return String(v);
}

function echoAttribute(v: unknown, depth: number): string {
  if (!isRecord(v) || depth > MAX_ECHO_DEPTH) return echoValue(v, depth);
  const fields = Object.entries(v).map(([type, x]) => {
    if (type === 'M' && isRecord(x)) return `m=${echoAttributeMap(x, depth + 1)}`;
    if (type === 'L' && Array.isArray(x))
      return `l=[${x.map((e) => echoAttribute(e, depth + 1)).join(', ')}]`;
    return `${member(type)}=${echoValue(x, depth + 1)}`;
  });
  return `AttributeValue(${fields.join(', ')})`;
}

function echoAttributeMap(v: Record<string, unknown>, depth: number): string {
  return `{${Object.entries(v)
    .map(([k, x]) => `${k}=${echoAttribute(x, depth + 1)}`)
    .join(', ')}}`;
}

function echoStructure(name: string, v: unknown, depth = 0): string {
  if (!isRecord(v) || depth > MAX_ECHO_DEPTH) return echoValue(v, depth);
  const fields = Object.entries(v).map(([k, x]) => {
    if (STRUCTURES.has(k)) return `${member(k)}=${echoStructure(k, x, depth + 1)}`;
    if (ATTRIBUTE_MAPS.has(k) && isRecord(x)) return `${member(k)}=${echoAttributeMap(x, depth + 1)}`;
    return `${member(k)}=${echoValue(x, depth + 1)}`;
  });
  return `${name}(${fields.join(', ')})`;
}

/**
 * A list of request structures as DynamoDB echoes it in a constraint message, in Java's toString
 * form: `[TransactWriteItem(put=Put(item={pk=AttributeValue(s=a)}, tableName=T))]`.
 */
export function echoList(list: unknown, element: string): string {
  return Array.isArray(list) ? `[${list.map((e) => echoStructure(element, e)).join(', ')}]` : echoValue(list);
}

/** BatchWriteItem's RequestItems as echoed: `{T=[WriteRequest(putRequest=PutRequest(item={…}))]}`. */
export function echoRequestItems(requests: Record<string, unknown>): string {
  return `{${Object.entries(requests)
    .map(([name, list]) => `${name}=${echoList(list, 'WriteRequest')}`)
    .join(', ')}}`;
}
