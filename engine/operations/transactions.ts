// Helpers for the transactional operations: duplicate-item checks, cancellation reasons, and
// ClientRequestToken idempotency (a token is remembered for 10 minutes).
import { createHash } from 'node:crypto';
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import type { Item } from '../types.js';
import type { WritePlan } from './writePlan.js';

export const MAX_TRANSACTION_ITEMS = 100;
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;
const TOKEN_LIFETIME_MS = 10 * 60 * 1000;

export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Item;
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
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/**
 * Looks up an earlier request with this token. Returns its stored response when it was the same
 * request, throws IdempotentParameterMismatchException when it was a different one.
 */
export function replayedResponse(ctx: EngineContext, token: string | undefined, hash: string): unknown {
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
  ctx: EngineContext,
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
