// DescribeTimeToLive: ENABLED with the attribute name, or DISABLED (DynamoDB does not say which
// attribute a disabled setting used).
import type { EngineContext } from '../context.js';
import { ConstraintErrors, DynamoError } from '../errors.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, checkRequiredTableName, tableNameOf } from './common.js';

export function describeTimeToLive(
  ctx: EngineContext,
  input: Wire<Sdk.DescribeTimeToLiveInput>,
): Wire<Sdk.DescribeTimeToLiveOutput> {
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
  return { TimeToLiveDescription: ctx.ttl.describe(table) };
}
