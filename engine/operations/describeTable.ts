// DescribeTable: the stored description with live item counts and sizes.
import type { EngineContext } from '../context.js';
import { ConstraintErrors, DynamoError } from '../errors.js';
import type { Table, TableDescription } from '../tables/table.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, checkRequiredTableName, tableNameOf } from './common.js';
import { describeReplicas } from '../replication/group.js';

export function describeTableNow(ctx: EngineContext, table: Table): TableDescription {
  ctx.settle(table);
  const counters = ctx.catalog.counters(table);
  const d: TableDescription = {
    ...table.description,
    ItemCount: counters.itemCount,
    TableSizeBytes: counters.sizeBytes,
  };
  const fill = <T extends { IndexName?: string; IndexSizeBytes?: number; ItemCount?: number }>(
    list: T[] | undefined,
  ) =>
    list?.map((ix) => {
      const index = table.indexes.get(ix.IndexName!);
      if (!index) return ix;
      const c = ctx.catalog.indexCounters(index);
      return { ...ix, IndexSizeBytes: c.sizeBytes, ItemCount: c.itemCount };
    });
  if (d.LocalSecondaryIndexes) d.LocalSecondaryIndexes = fill(d.LocalSecondaryIndexes);
  if (d.GlobalSecondaryIndexes) d.GlobalSecondaryIndexes = fill(d.GlobalSecondaryIndexes);
  // A global table's replicas, each with its status as it is now (replication/replicas.ts).
  const replicas = describeReplicas(ctx, table);
  if (replicas) d.Replicas = replicas;
  return d;
}

export function describeTable(
  ctx: EngineContext,
  input: Wire<Sdk.DescribeTableInput>,
): Wire<Sdk.DescribeTableOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequiredTableName(c, raw.TableName);
  c.throwIfAny();
  const name = tableNameOf(input.TableName!);
  const deleting = ctx.deleting.get(ctx.tableKey(name));
  if (deleting && ctx.now() < deleting.until) {
    return { Table: { ...deleting.table.description, TableStatus: 'DELETING' } };
  }
  const table = ctx.catalog.get(name);
  if (!table) {
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${name} not found`,
    );
  }
  return { Table: describeTableNow(ctx, table) };
}
