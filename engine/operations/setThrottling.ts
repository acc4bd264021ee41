// Sortkey_20250101.SetThrottling / DescribeThrottling: the engine-wide throttling switch, at run time.
//   SetThrottling      in: { Mode: 'off' | 'provisioned' | 'strict' }   out: { Mode }
//   DescribeThrottling in: { TableName? }
//                      out: { Mode, Faults: FaultRule[], Buckets: BucketState[] } (the token buckets of
//                           the provisioned tables and GSIs: tokens available now and burst capacity)
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import type { FaultRule } from '../throttle/faults.js';
import { THROTTLE_MODES } from '../throttle/throttler.js';
import type { BucketState, ThrottleMode } from '../throttle/throttler.js';
import { asRecord } from './common.js';

export function setThrottling(ctx: EngineContext, input: unknown): { Mode: ThrottleMode } {
  const raw = asRecord(input);
  if (typeof raw.Mode !== 'string' || !(THROTTLE_MODES as readonly string[]).includes(raw.Mode)) {
    throw validation(`Mode must be one of ${THROTTLE_MODES.join(', ')}`);
  }
  ctx.usage.setThrottleMode(raw.Mode as ThrottleMode);
  return { Mode: ctx.usage.throttler.mode };
}

export interface DescribeThrottlingOutput {
  readonly Mode: ThrottleMode;
  readonly Faults: FaultRule[];
  readonly Buckets: BucketState[];
}

export function describeThrottling(ctx: EngineContext, input: unknown): DescribeThrottlingOutput {
  const raw = asRecord(input);
  let tables = ctx.catalog.list();
  if (raw.TableName !== undefined) {
    if (typeof raw.TableName !== 'string') throw validation('TableName must be a string');
    const table = ctx.catalog.get(raw.TableName);
    if (!table) {
      throw new DynamoError(
        'ResourceNotFoundException',
        `Requested resource not found: Table: ${raw.TableName} not found`,
      );
    }
    tables = [table];
  }
  return {
    Mode: ctx.usage.throttler.mode,
    Faults: ctx.usage.faults.rules,
    Buckets: ctx.usage.throttler.describe(tables, ctx.now()),
  };
}
