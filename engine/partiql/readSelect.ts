// Runs a planned SELECT: one Query per pinned partition (in order) or a Scan, a page at a time,
// with a NextToken that resumes exactly where the page stopped and only for the same statement.
import { createHash } from 'node:crypto';
import type { CapacityMeter } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { HASH_SPACE } from '../keys/encoding.js';
import { keyRange } from '../operations/query.js';
import {
  finishPage,
  pageCapacity,
  partitionCount,
  partitionsBetween,
  startPosition,
} from '../operations/readCommon.js';
import { readPage } from '../tables/reader.js';
import type { Item } from '../types.js';
import { jsonText } from '../values/json.js';
import type { SelectPlan } from './planner.js';

interface TokenState {
  /** Which statement (and parameters) the token belongs to. */
  s: string;
  /** Index of the partition being read (Query plans). */
  p: number;
  /** LastEvaluatedKey inside that partition, if any. */
  k?: Item;
}

export function statementFingerprint(text: string, parameters: unknown): string {
  return createHash('sha256')
    .update(text)
    .update('\u0000')
    .update(jsonText(parameters ?? []))
    .digest('base64url')
    .slice(0, 22);
}

function decodeToken(token: unknown, fingerprint: string): TokenState | undefined {
  if (token === undefined || token === null) return undefined;
  if (typeof token !== 'string' || token.length === 0 || token.length > 32768) {
    throw validation(
      "1 validation error detected: Value at 'nextToken' failed to satisfy constraint: Member must have length between 1 and 32768",
    );
  }
  let state: TokenState;
  try {
    state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenState;
  } catch {
    throw validation('Invalid NextToken');
  }
  if (!state || typeof state !== 'object' || state.s !== fingerprint || typeof state.p !== 'number') {
    throw validation('NextToken does not match request');
  }
  // A token edited by hand: its partition index or key is not one a page could have ended on.
  const k: unknown = state.k;
  if (
    !Number.isInteger(state.p) ||
    state.p < 0 ||
    (k != null && (typeof k !== 'object' || Array.isArray(k)))
  ) {
    throw validation('Invalid NextToken');
  }
  return state;
}

function encodeToken(state: TokenState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

export interface SelectResult {
  Items: Item[];
  NextToken?: string;
  LastEvaluatedKey?: Item;
}

export function runSelect(
  ctx: EngineContext,
  plan: SelectPlan,
  options: {
    limit?: number;
    nextToken?: unknown;
    fingerprint: string;
    consistent: boolean;
    meter: CapacityMeter;
  },
): SelectResult {
  const state = decodeToken(options.nextToken, options.fingerprint);
  const { target } = plan;
  const source = target.index ?? target.table;
  const items: Item[] = [];
  let remaining = options.limit;
  let partition = state?.p ?? 0;
  let start = state?.k ? startPosition(target, state.k) : undefined;
  const partitions = plan.partitions;
  const finish = (last: Item | undefined, p: number): SelectResult => {
    const out: SelectResult = { Items: items };
    if (last) {
      out.NextToken = encodeToken({ s: options.fingerprint, p, k: last });
      out.LastEvaluatedKey = last;
    }
    return out;
  };
  if (partitions && partition > 0 && partition >= partitions.length) throw validation('Invalid NextToken');
  // `pk IN []` pins no partition at all: nothing to read.
  if (partitions?.length === 0) return { Items: items };
  return ctx.db.snapshot(() => {
    // One moment for every page of the statement's partitions.
    const view = ctx.consistency.view(target.table, options.consistent, target.index?.kind === 'GSI');
    for (;;) {
      const range = partitions
        ? keyRange(target.key, [
            ...Object.entries(partitions[partition]!).map(([name, value]) => ({
              name,
              op: '=' as const,
              value,
            })),
            ...plan.sortTerms,
          ])
        : { kind: 'hashes' as const, from: 0, to: HASH_SPACE };
      const page = readPage(ctx, source, range, { forward: plan.forward, limit: remaining, start, view });
      // SELECT * on an LSI reaches back to the table for attributes the index does not hold.
      const select = plan.projection
        ? 'SPECIFIC_ATTRIBUTES'
        : target.index?.kind === 'GSI'
          ? 'ALL_PROJECTED_ATTRIBUTES'
          : 'ALL_ATTRIBUTES';
      const { result, extraTableBytes } = finishPage(
        ctx,
        target,
        page,
        plan.filter,
        select,
        plan.projection,
        view,
      );
      // A scan is charged as Scan is: at least one unit per partition its page touched.
      const touched = partitions
        ? 1
        : partitionsBetween(
            partitionCount(ctx, target),
            start?.h ?? 0,
            startPosition(target, result.LastEvaluatedKey)?.h ?? HASH_SPACE - 1,
          );
      pageCapacity(target, page.bytes, extraTableBytes, options.consistent, options.meter, touched);
      items.push(...(result.Items ?? []));
      if (remaining !== undefined) remaining -= page.rows.length;
      if (result.LastEvaluatedKey) return finish(result.LastEvaluatedKey, partition);
      start = undefined;
      if (!partitions || partition + 1 >= partitions.length) return finish(undefined, partition);
      partition++;
      if (remaining !== undefined && remaining <= 0) {
        // The page is full exactly at a partition boundary: continue from the next partition.
        return { Items: items, NextToken: encodeToken({ s: options.fingerprint, p: partition }) };
      }
    }
  });
}
