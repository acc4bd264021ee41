// UpdateTimeToLive: enables or disables TTL on a table, with DynamoDB's rules: one attribute at a
// time, no "change" that changes nothing, and at most one change per table within the cooldown
// (an hour by default; the engine option ttlChangeCooldownMs relaxes it).
import type { EngineContext } from '../context.js';
import { resourceInUse } from '../context.js';
import { ConstraintErrors, DynamoError, validation } from '../errors.js';
import type { Sdk, Wire } from '../types.js';
import { tableIn } from '../replication/group.js';
import { replicaRegions } from '../replication/service.js';
import {
  asRecord,
  checkBoolean,
  checkLength,
  checkRequired,
  checkStructure,
  checkTableName,
  tableNameOf,
} from './common.js';

export function updateTimeToLive(
  ctx: EngineContext,
  input: Wire<Sdk.UpdateTimeToLiveInput>,
): Wire<Sdk.UpdateTimeToLiveOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkTableName(c, raw.TableName);
  checkRequired(c, raw.TimeToLiveSpecification, 'timeToLiveSpecification');
  checkStructure(raw.TimeToLiveSpecification, 'timeToLiveSpecification');
  if (raw.TimeToLiveSpecification !== undefined && raw.TimeToLiveSpecification !== null) {
    const spec = asRecord(raw.TimeToLiveSpecification);
    checkBoolean(spec.Enabled, 'timeToLiveSpecification.enabled');
    checkRequired(c, spec.AttributeName, 'timeToLiveSpecification.attributeName');
    checkLength(c, spec.AttributeName, 'timeToLiveSpecification.attributeName', 1, 255);
    checkRequired(c, spec.Enabled, 'timeToLiveSpecification.enabled');
  }
  c.throwIfAny();

  const name = tableNameOf(input.TableName!);
  const table = ctx.catalog.get(name);
  if (!table)
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${name} not found`,
    );
  ctx.settle(table);
  if (table.status === 'CREATING') {
    throw resourceInUse(
      `Attempt to change a resource which is still in use: Table is being created: ${name}`,
    );
  }
  const enabled = input.TimeToLiveSpecification!.Enabled === true;
  const attribute = input.TimeToLiveSpecification!.AttributeName!;
  const current = ctx.ttl.config(table);
  const active = current?.enabled === true;
  // DynamoDB checks the request against the current setting before the cooldown.
  if (active && current.attribute !== attribute) {
    throw validation(
      `TimeToLive is active on a different AttributeName: current AttributeName is ${current.attribute}`,
    );
  }
  if (active && enabled) throw validation('TimeToLive is already enabled');
  if (!active && !enabled) throw validation('TimeToLive is already disabled');
  if (current?.changedAt != null && ctx.now() - current.changedAt < ctx.ttlChangeCooldownMs) {
    throw validation('Time to live has been modified multiple times within a fixed interval');
  }
  ctx.ttl.set(table, enabled, attribute);
  // A global table's TTL setting is one for all its replicas (DynamoDB synchronises it).
  for (const region of replicaRegions(table)) {
    const replica = tableIn(ctx, table, region);
    if (replica) ctx.ttl.set(replica, enabled, attribute);
  }
  return { TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute } };
}
