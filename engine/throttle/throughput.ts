// A table's (or GSI's) provisioned throughput, as the throttling buckets and the partition model
// (engine/partitions) read it. On its own so that neither depends on the other.
import type { Table } from '../tables/table.js';

export interface Throughput {
  readonly read: number;
  readonly write: number;
}

/**
 * The provisioned throughput of a table or one of its GSIs; undefined when it is on demand (or the
 * index is local: LSIs share the table's throughput).
 */
export function provisionedThroughput(table: Table, gsiName?: string): Throughput | undefined {
  const d = table.description;
  if (d.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST') return undefined;
  let tp = d.ProvisionedThroughput;
  if (gsiName !== undefined) {
    const gsis = d.GlobalSecondaryIndexes;
    tp = undefined;
    if (gsis) {
      for (let i = 0; i < gsis.length; i++) {
        if (gsis[i]!.IndexName === gsiName) {
          tp = gsis[i]!.ProvisionedThroughput;
          break;
        }
      }
    }
  }
  const read = tp?.ReadCapacityUnits ?? 0;
  const write = tp?.WriteCapacityUnits ?? 0;
  if (read <= 0 && write <= 0) return undefined;
  return { read, write };
}
