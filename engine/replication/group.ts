// The members of a global table: each region's replica, its status, and leaving the group.
import type { EngineContext } from '../context.js';
import type { Namespace, Table } from '../tables/table.js';
import type { Sdk, Wire } from '../types.js';
import { GLOBAL_TABLE_VERSION, replicaRegions } from './service.js';

type ReplicaDescription = Wire<Sdk.ReplicaDescription>;

export function namespaceOf(table: Table, region: string): Namespace {
  return { accountId: table.namespace.accountId, region };
}

/** The same-named table in another region of the table's account. */
export function tableIn(ctx: EngineContext, table: Table, region: string): Table | undefined {
  return ctx.inNamespace(namespaceOf(table, region), () => ctx.catalog.get(table.name));
}

/** A replica's ReplicaStatus: CREATING while its items are copied or its transient status runs. */
export function replicaStatus(ctx: EngineContext, replica: Table): 'CREATING' | 'DELETING' | 'ACTIVE' {
  ctx.settle(replica);
  return replica.status === 'CREATING' ? 'CREATING' : replica.status === 'DELETING' ? 'DELETING' : 'ACTIVE';
}

/** DescribeTable's Replicas: the other regions, with each replica's current status. */
export function describeReplicas(ctx: EngineContext, table: Table): ReplicaDescription[] | undefined {
  const regions = replicaRegions(table);
  if (regions.length === 0) return undefined;
  const out: ReplicaDescription[] = [];
  for (const region of regions) {
    const replica = tableIn(ctx, table, region);
    if (!replica) continue;
    out.push({ RegionName: region, ReplicaStatus: replicaStatus(ctx, replica) });
  }
  return out;
}

/**
 * Takes a region out of a global table: every other member forgets it (a member left alone is a
 * regional table again: the global-table keys disappear with the last replica). Call inside a
 * transaction. `table` is any member of the group.
 */
export function leaveGroup(ctx: EngineContext, table: Table, leaving: string): void {
  const group = [table.namespace.region, ...replicaRegions(table)];
  const remaining = group.filter((r) => r !== leaving);
  for (const region of remaining) {
    const member = region === table.namespace.region ? table : tableIn(ctx, table, region);
    if (!member) continue;
    const { Replicas: _r, GlobalTableVersion: _v, ...rest } = member.description;
    const others = remaining.filter((r) => r !== region);
    member.description =
      others.length === 0
        ? rest
        : {
            ...rest,
            Replicas: others.map((r) => ({ RegionName: r })),
            GlobalTableVersion: GLOBAL_TABLE_VERSION,
          };
    ctx.catalog.save(member);
  }
}
