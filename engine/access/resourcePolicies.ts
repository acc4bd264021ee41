// Resource-based policies as stored (sk_resource_policies, migration 9): one row per table or
// stream ARN, tied to the table's TableId so that a table created later under the same name starts
// without its predecessor's policy. Reads are one primary-key lookup; parsed documents are cached
// by their text, so an authorization parses a policy once, not per request.
import type { EngineContext } from '../context.js';
import type { Table } from '../tables/table.js';
import { parsePolicy } from './policy.js';
import type { PolicyDocument } from './policy.js';

export interface StoredPolicy {
  readonly policy: string;
  readonly revision: string;
}

const parsed = new Map<string, PolicyDocument>();

/** The table an ARN (of the table, one of its indexes, or its stream) belongs to, in the current namespace. */
export function tableOfArn(ctx: EngineContext, arn: string): Table | undefined {
  const prefix = ctx.arnPrefix;
  if (!arn.startsWith(`${prefix}table/`)) return undefined;
  const name = arn.slice(prefix.length + 'table/'.length).split('/')[0]!;
  return ctx.catalog.get(name);
}

function tableId(table: Table): string {
  return table.description.TableId ?? table.arn;
}

/** The policy stored for `arn` (a table's or stream's ARN) of `table`, if any. */
export function storedPolicy(ctx: EngineContext, table: Table, arn: string): StoredPolicy | undefined {
  const row = ctx
    .prepare('SELECT policy, revision, table_uuid FROM sk_resource_policies WHERE arn = ?')
    .get(arn) as { policy: string; revision: string; table_uuid: string } | undefined;
  if (!row || row.table_uuid !== tableId(table)) return undefined;
  return { policy: row.policy, revision: row.revision };
}

export function savePolicy(
  ctx: EngineContext,
  table: Table,
  arn: string,
  policy: string,
  revision: string,
): void {
  ctx
    .prepare(
      'INSERT OR REPLACE INTO sk_resource_policies (arn, table_uuid, policy, revision) VALUES (?, ?, ?, ?)',
    )
    .run(arn, tableId(table), policy, revision);
}

export function deletePolicy(ctx: EngineContext, arn: string): void {
  ctx.prepare('DELETE FROM sk_resource_policies WHERE arn = ?').run(arn);
}

/**
 * A new revision id: epoch milliseconds as text (what DynamoDB's look like), above every revision
 * already stored, so that revisions of one resource always increase.
 */
export function nextRevision(ctx: EngineContext, previous: string | undefined): string {
  const now = ctx.now();
  const last = previous !== undefined && /^\d+$/.test(previous) ? Number(previous) : 0;
  return String(Math.max(now, last + 1));
}

/**
 * The resource policy that governs a request on `resource` (a table, index or stream ARN): the
 * table's own for the table and its indexes, the stream's for a stream.
 */
export function governingPolicy(ctx: EngineContext, resource: string): PolicyDocument | undefined {
  const table = tableOfArn(ctx, resource);
  if (!table) return undefined;
  const stream = resource.indexOf('/stream/');
  const arn = stream >= 0 ? resource : table.arn;
  const stored = storedPolicy(ctx, table, arn);
  if (!stored) return undefined;
  let doc = parsed.get(stored.policy);
  if (!doc) {
    try {
      doc = parsePolicy(stored.policy, 'resource');
    } catch {
      // Stored documents were checked when put; one that no longer parses grants nothing.
      return { version: '2012-10-17', statements: [] };
    }
    if (parsed.size > 200) parsed.clear();
    parsed.set(stored.policy, doc);
  }
  return doc;
}
