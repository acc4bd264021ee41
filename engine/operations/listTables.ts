// ListTables: table names in order, paged by Limit and ExclusiveStartTableName.
import type { EngineContext } from '../context.js';
import { ConstraintErrors } from '../errors.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, checkName, checkRange } from './common.js';

export function listTables(ctx: EngineContext, input: Wire<Sdk.ListTablesInput>): Wire<Sdk.ListTablesOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkName(c, raw.ExclusiveStartTableName, 'exclusiveStartTableName', false);
  checkRange(c, raw.Limit, 'limit', 1, 100);
  c.throwIfAny();
  const limit = input.Limit ?? 100;
  const start = input.ExclusiveStartTableName;
  const names = ctx.catalog
    .list()
    .filter((t) => t.status !== 'CREATING' || (ctx.settle(t), true))
    .map((t) => t.name)
    .filter((n) => start === undefined || n > start);
  const page = names.slice(0, limit);
  const out: Wire<Sdk.ListTablesOutput> = { TableNames: page };
  if (names.length > limit) out.LastEvaluatedTableName = page[page.length - 1];
  return out;
}
