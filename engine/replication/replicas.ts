// Global tables, version 2019.11.21: UpdateTable's ReplicaUpdates (create, update, delete a replica
// in another region of the same account), the Replicas DescribeTable shows, and the copy of a
// table's items into a new replica (in chunks, off the request path).
//
// A global table is a set of same-named tables, one per region; each one's stored description
// lists the others in `Replicas` (RegionName only: their status is read from the replica table
// itself when described) and says `GlobalTableVersion`. The admission rules and their texts are
// DynamoDB's as observed (shared/reference/service-features.md §1.3).
import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context.js';
import { resourceInUse } from '../context.js';
import { invalidParameter, validation } from '../errors.js';
import { tableKeyOf } from '../tables/table.js';
import type { Namespace, Table, TableDescription } from '../tables/table.js';
import { leaveGroup, namespaceOf, replicaStatus, tableIn } from './group.js';
import type { Sdk, Wire } from '../types.js';
import { FILL_PREFIX } from './fill.js';
import type { FillCursor } from './fill.js';
import { GLOBAL_TABLE_VERSION, replicaRegions } from './service.js';
import { deleteTable } from '../operations/deleteTable.js';
import { automationStore } from '../automation/store.js';
import { parsePolicySettings } from '../automation/scaling.js';

type ReplicaUpdate = Wire<Sdk.ReplicationGroupUpdate>;

/** Chunks UpdateTable runs before it answers: a small table's replica is complete in the answer. */
const FILL_SYNC_CHUNKS = 8;

/** Region names as AWS spells them (us-east-1, us-gov-west-1, eu-central-2, …). */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * UpdateTable with ReplicaUpdates. `members` are the request's other members present (ReplicaUpdates
 * must be alone, MultiRegionConsistency aside).
 */
export function updateReplicas(
  ctx: EngineContext,
  table: Table,
  updates: readonly ReplicaUpdate[],
  otherMembers: readonly string[],
  consistency: string | undefined,
): void {
  if (otherMembers.length > 0) {
    throw invalidParameter('Replica modification must be the only operation in the request');
  }
  for (const u of updates) {
    const n = (u?.Create ? 1 : 0) + (u?.Update ? 1 : 0) + (u?.Delete ? 1 : 0);
    // Guess: DynamoDB's wording for a ReplicationGroupUpdate with none or several actions is not
    // documented; this follows GlobalSecondaryIndexUpdate's.
    if (n !== 1) {
      throw invalidParameter('One of ReplicationGroupUpdate.Create, Update, or Delete must be specified');
    }
  }
  if (consistency === 'STRONG') {
    // Multi-Region strong consistency needs three regions each acknowledging writes synchronously
    // and a quorum; Sortkey refuses it rather than pretend (docs/architecture.md, Global tables).
    throw validation(
      'MultiRegionConsistency STRONG is not supported by Sortkey: create the global table with MultiRegionConsistency EVENTUAL (the default).',
    );
  }
  if (consistency !== undefined && consistency !== 'EVENTUAL') {
    throw validation(
      `1 validation error detected: Value '${consistency}' at 'multiRegionConsistency' failed to satisfy constraint: Member must satisfy enum value set: [EVENTUAL, STRONG]`,
    );
  }
  const kinds = new Set(updates.map((u) => (u.Create ? 'Create' : u.Update ? 'Update' : 'Delete')));
  if (kinds.size > 1) {
    throw validation('Update table operation with more than one type of replica actions not allowed');
  }
  const structural = updates.filter((u) => u.Create || u.Delete);
  if (structural.length > 1) {
    throw validation(
      'Update table operation with more than one create or delete replica actions not allowed',
    );
  }
  if (consistency !== undefined && !kinds.has('Create')) {
    throw validation(
      'Only Replica Create actions are supported when MultiRegionConsistency parameter is provided.',
    );
  }
  const regionOf = (u: ReplicaUpdate): string =>
    (u.Create?.RegionName ?? u.Update?.RegionName ?? u.Delete?.RegionName ?? '') as string;
  for (const u of updates) {
    const region = regionOf(u);
    if (!region) {
      throw validation(
        "1 validation error detected: Value null at 'replicaUpdates.1.member.regionName' failed to satisfy constraint: Member must not be null",
      );
    }
    if (region === table.namespace.region) {
      throw validation(
        'Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.',
      );
    }
    // Guess: the text for a region that does not exist is not documented.
    if (!REGION_NAME.test(region)) throw validation(`Unsupported region: ${region}`);
  }
  const members = replicaRegions(table);
  if (consistency !== undefined && members.length > 0) {
    throw validation('MultiRegionConsistency parameter is unsupported on existing global table');
  }
  // One replica action at a time: a replica still being created makes the group busy.
  for (const region of members) {
    const replica = tableIn(ctx, table, region);
    if (replica && replicaStatus(ctx, replica) !== 'ACTIVE') {
      throw resourceInUse(
        `Attempt to change a resource which is still in use: Table is being updated: ${table.name}`,
      );
    }
  }
  const missing = updates
    .filter((u) => !u.Create)
    .map(regionOf)
    .filter((r) => !members.includes(r));
  if (missing.length > 0) {
    throw validation(
      `Update global table operation failed because one or more replicas were not part of the global table. Please retry the request without these replicas: [${missing.join(', ')}].`,
    );
  }
  for (const u of updates) {
    if (u.Create) createReplica(ctx, table, u.Create.RegionName!);
    else if (u.Delete) deleteReplica(ctx, table, u.Delete.RegionName!);
    // Update: the overrides (read capacity, table class, KMS key) change nothing Sortkey
    // simulates per replica; the request is accepted as DynamoDB accepts it.
  }
}

function createReplica(ctx: EngineContext, source: Table, region: string): void {
  const members = replicaRegions(source);
  if (
    members.includes(region) ||
    tableIn(ctx, source, region) ||
    ctx.deleting.has(tableKeyOf(namespaceOf(source, region), source.name))
  ) {
    throw validation(
      `Failed to create a the new replica of table with name: '${source.name}' because one or more replicas already existed as tables.`,
    );
  }
  const refusal = writeAutoScalingRefusal(ctx, source);
  if (refusal !== undefined) throw validation(refusal);
  const now = ctx.now();
  const delayed = ctx.transientStatusMs > 0;
  const ns = namespaceOf(source, region);
  const replica = ctx.db.transaction(() => {
    const sd: TableDescription = structuredClone(source.description);
    // DynamoDB turns the stream on itself (NEW_AND_OLD_IMAGES) when the table has none; a stream
    // of another view type is left as it is (observed, service-features.md §1.3).
    if (!sd.StreamSpecification?.StreamEnabled) {
      const label = new Date(now).toISOString().replace('Z', '');
      sd.StreamSpecification = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' };
      sd.LatestStreamLabel = label;
      sd.LatestStreamArn = `${sd.TableArn}/stream/${label}`;
    }
    const group = [source.namespace.region, ...members, region];
    sd.Replicas = group.filter((r) => r !== source.namespace.region).map((r) => ({ RegionName: r }));
    sd.GlobalTableVersion = GLOBAL_TABLE_VERSION;
    source.description = sd;
    ctx.catalog.save(source);
    for (const other of members) {
      const member = tableIn(ctx, source, other);
      if (!member) continue;
      member.description = {
        ...member.description,
        Replicas: group.filter((r) => r !== other).map((r) => ({ RegionName: r })),
      };
      ctx.catalog.save(member);
    }
    const replica = ctx.inNamespace(ns, () =>
      ctx.catalog.create(replicaDescription(ctx, sd, ns, group, now), []),
    );
    ctx.db.sqlite
      .prepare('INSERT OR REPLACE INTO sk_meta (key, value) VALUES (?, ?)')
      .run(
        `${FILL_PREFIX}${replica.id}`,
        JSON.stringify({ source: source.id, after: null } satisfies FillCursor),
      );
    // Auto scaling settings reach the new replica: write ones always, read ones as the base
    // value each replica may override (service-features.md §1.5).
    const store = automationStore(ctx.db);
    for (const p of store.policies(source.namespace, source.name)) {
      store.putPolicy(ns, source.name, p.index, p.dimension, p.settings, now);
    }
    if (delayed) ctx.pending.set(replica.stateKey, now + ctx.transientStatusMs);
    return replica;
  });
  // The TTL setting is synchronised to every replica.
  const ttl = ctx.ttl.config(source);
  if (ttl?.enabled && ttl.attribute) ctx.ttl.set(replica, true, ttl.attribute);
  ctx.replicaFills.runNow(FILL_SYNC_CHUNKS);
}

/**
 * DynamoDB's capacity rule for a global table: on demand, or provisioned with auto scaling of the
 * write capacity of the table and of each GSI (read capacity does not count; a scalable target
 * without a policy is not enough: service-features.md §1.3). Auto scaling here is a
 * target-tracking policy of engine/automation (`sortkey scaling set`, PutScalingPolicy).
 * Answers DynamoDB's refusal, or undefined when the table (in `billingMode`) qualifies.
 */
export function writeAutoScalingRefusal(
  ctx: EngineContext,
  table: Table,
  billingMode = table.description.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
): string | undefined {
  if (billingMode === 'PAY_PER_REQUEST') return undefined;
  const scaled = new Set(
    automationStore(ctx.db)
      .policies(table.namespace, table.name)
      .filter((p) => p.dimension === 'WriteCapacityUnits')
      .map((p) => p.index),
  );
  if (!scaled.has('')) return 'Table write capacity should either be Pay-Per-Request or AutoScaled.';
  for (const g of table.description.GlobalSecondaryIndexes ?? []) {
    if (!scaled.has(g.IndexName!))
      return 'GSI write capacity should either be Pay-Per-Request or AutoScaled.';
  }
  return undefined;
}

/**
 * A GSI added to a provisioned global table gets write auto scaling of its own (minimum 1,
 * maximum 10, target 70 %), as DynamoDB registers it (observed: service-features.md §5), so the
 * table keeps meeting the rule above. Call inside the transaction that adds the index.
 */
export function registerIndexWriteScaling(ctx: EngineContext, table: Table, indexName: string): void {
  if (replicaRegions(table).length === 0) return;
  if (table.description.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST') return;
  const store = automationStore(ctx.db);
  const has = store
    .policies(table.namespace, table.name)
    .some((p) => p.index === indexName && p.dimension === 'WriteCapacityUnits');
  if (has) return;
  const settings = parsePolicySettings({ MinCapacity: 1, MaxCapacity: 10, TargetValue: 70 });
  store.putPolicy(table.namespace, table.name, indexName, 'WriteCapacityUnits', settings, ctx.now());
}

/** The new replica's description: the source's, in its own region, CREATING until filled. */
function replicaDescription(
  ctx: EngineContext,
  source: TableDescription,
  ns: Namespace,
  group: readonly string[],
  now: number,
): TableDescription {
  const arn = `arn:aws:dynamodb:${ns.region}:${ns.accountId}:table/${source.TableName}`;
  const label = new Date(now).toISOString().replace('Z', '');
  const {
    ItemCount: _c,
    TableSizeBytes: _s,
    DeletionProtectionEnabled: _p,
    RestoreSummary: _r,
    ...rest
  } = structuredClone(source);
  const d: TableDescription = {
    ...rest,
    TableStatus: 'CREATING',
    CreationDateTime: now / 1000,
    TableArn: arn,
    TableId: randomUUID(),
    // Deletion protection is a per-replica setting, never synchronised.
    DeletionProtectionEnabled: false,
    Replicas: group.filter((r) => r !== ns.region).map((r) => ({ RegionName: r })),
    GlobalTableVersion: GLOBAL_TABLE_VERSION,
    LatestStreamLabel: label,
    LatestStreamArn: `${arn}/stream/${label}`,
  };
  if (d.GlobalSecondaryIndexes) {
    d.GlobalSecondaryIndexes = d.GlobalSecondaryIndexes.map((g) => ({
      ...g,
      IndexStatus: 'CREATING',
      IndexArn: `${arn}/index/${g.IndexName}`,
    }));
  }
  if (d.LocalSecondaryIndexes) {
    d.LocalSecondaryIndexes = d.LocalSecondaryIndexes.map((l) => ({
      ...l,
      IndexArn: `${arn}/index/${l.IndexName}`,
    }));
  }
  void ctx;
  return d;
}

function deleteReplica(ctx: EngineContext, source: Table, region: string): void {
  const replica = tableIn(ctx, source, region);
  if (replica?.description.DeletionProtectionEnabled) {
    throw validation(
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
  }
  ctx.db.transaction(() => {
    leaveGroup(ctx, source, region);
    if (replica) {
      ctx.inNamespace(namespaceOf(source, region), () => {
        // It no longer belongs to the group (leaveGroup): dropped as any table.
        deleteTable(ctx, { TableName: source.name });
      });
    }
  });
}

/** DynamoDB refuses to turn off the stream of a global table replica. */
export function checkStreamChange(table: Table, disabling: boolean): void {
  if (disabling && replicaRegions(table).length > 0) {
    throw validation('Disabling Stream is not allowed for a Global Table replica');
  }
}
