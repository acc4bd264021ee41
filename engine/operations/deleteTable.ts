// DeleteTable: removes the table, its indexes and items in one transaction (unless protected).
// (Its storage is renamed into the trash, which costs the same at any size, and its rows are purged
// in chunks afterwards: engine/storage/trash.ts. The system backup of a table with point-in-time
// recovery on is copied from the recovery data afterwards, in chunks.)
import type { EngineContext } from '../context.js';
import { resourceInUse } from '../context.js';
import { ConstraintErrors, DynamoError, validation } from '../errors.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, checkRequiredTableName, tableNameOf } from './common.js';
import { describeTableNow } from './describeTable.js';
import { leaveGroup } from '../replication/group.js';

export function deleteTable(
  ctx: EngineContext,
  input: Wire<Sdk.DeleteTableInput>,
): Wire<Sdk.DeleteTableOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequiredTableName(c, raw.TableName);
  c.throwIfAny();
  const name = tableNameOf(input.TableName!);
  const table = ctx.catalog.get(name);
  if (!table)
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${name} not found`,
    );
  ctx.settle(table);
  if (table.status === 'CREATING' || table.status === 'UPDATING') {
    throw resourceInUse(
      `Attempt to change a resource which is still in use: Table is being ${table.status === 'CREATING' ? 'created' : 'updated'}: ${name}`,
    );
  }
  if (table.description.DeletionProtectionEnabled) {
    throw validation(
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
  }
  // A backup or point-in-time base still copying this table completes first (so it stays a whole
  // snapshot); this is the only case where DeleteTable waits for a copy. With point-in-time recovery
  // on, the system backup is made afterwards in chunks (Engine.dispatch → syncFeatures).
  for (const { key, job } of ctx.jobs.list())
    if (job.kind === 'snapshot' && job.tableId === table.id) ctx.jobs.runToEnd(key);
  const description = deletingDescription(describeTableNow(ctx, table));
  ctx.db.transaction(() => {
    // A global table replica leaves its group: the other replicas stop replicating to it.
    if (table.description.Replicas?.length) leaveGroup(ctx, table, table.namespace.region);
    ctx.catalog.drop(table);
  });
  ctx.pending.delete(ctx.tableKey(name));
  if (ctx.transientStatusMs > 0)
    ctx.deleting.set(ctx.tableKey(name), { table, until: ctx.now() + ctx.transientStatusMs });
  return { TableDescription: description };
}

/**
 * DeleteTable answers a short TableDescription: identity, counters, billing and the stream and
 * encryption settings that are set, but none of the schema (KeySchema, AttributeDefinitions,
 * CreationDateTime, index descriptions), which only DescribeTable gives.
 */
const DELETE_TABLE_MEMBERS = [
  'TableName',
  'TableStatus',
  'TableId',
  'TableArn',
  'ItemCount',
  'TableSizeBytes',
  'BillingModeSummary',
  'ProvisionedThroughput',
  'StreamSpecification',
  'LatestStreamLabel',
  'LatestStreamArn',
  'SSEDescription',
  'TableClassSummary',
] as const;

function deletingDescription(full: Wire<Sdk.TableDescription>): Wire<Sdk.TableDescription> {
  const short: Record<string, unknown> = {};
  const source = { ...full, TableStatus: 'DELETING' } as Record<string, unknown>;
  for (const member of DELETE_TABLE_MEMBERS) if (source[member] !== undefined) short[member] = source[member];
  return short as Wire<Sdk.TableDescription>;
}
