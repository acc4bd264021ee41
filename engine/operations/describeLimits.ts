// DescribeLimits: DynamoDB's default account and table throughput quotas.
import type { Sdk, Wire } from '../types.js';

export function describeLimits(): Wire<Sdk.DescribeLimitsOutput> {
  return {
    AccountMaxReadCapacityUnits: 80000,
    AccountMaxWriteCapacityUnits: 80000,
    TableMaxReadCapacityUnits: 40000,
    TableMaxWriteCapacityUnits: 40000,
  };
}
