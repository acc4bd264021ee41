// The errors a throttled request gets, with DynamoDB's texts and its ThrottlingReasons detail
// (`reason` is ResourceType + OperationType + LimitType, `resource` the table's or index's ARN).
import { DynamoError } from '../errors.js';
import type { CancellationReason } from '../operations/transactions.js';

export const TABLE_THROUGHPUT_EXCEEDED =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
export const INDEX_THROUGHPUT_EXCEEDED =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API';
export const ON_DEMAND_THROUGHPUT_EXCEEDED =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';
export const ON_DEMAND_INDEX_THROUGHPUT_EXCEEDED =
  'Throughput exceeds the current capacity for one or more global secondary indexes. DynamoDB is automatically scaling your index so please try again shortly.';

export type CapacityKind = 'read' | 'write';

/** Why a request was throttled: what ran out, for which resource. */
export interface ThrottleCause {
  /** Over its provisioned throughput, or over the per-partition-key ceiling (strict mode). */
  readonly limit: 'provisioned' | 'partition';
  readonly kind: CapacityKind;
  readonly tableName: string;
  /** The global secondary index that ran out (undefined: the table). */
  readonly indexName: string | undefined;
  /** ARN of the table or index. */
  readonly resource: string;
  /** Whether the table is provisioned (the error is then ProvisionedThroughputExceededException). */
  readonly provisioned: boolean;
}

/** DynamoDB's ThrottlingReason code, e.g. TableWriteProvisionedThroughputExceeded. */
export function throttlingReason(cause: ThrottleCause): string {
  return (
    (cause.indexName === undefined ? 'Table' : 'Index') +
    (cause.kind === 'read' ? 'Read' : 'Write') +
    (cause.limit === 'provisioned' ? 'ProvisionedThroughputExceeded' : 'KeyRangeThroughputExceeded')
  );
}

function messageOf(cause: ThrottleCause): string {
  if (cause.provisioned)
    return cause.indexName === undefined ? TABLE_THROUGHPUT_EXCEEDED : INDEX_THROUGHPUT_EXCEEDED;
  return cause.indexName === undefined ? ON_DEMAND_THROUGHPUT_EXCEEDED : ON_DEMAND_INDEX_THROUGHPUT_EXCEEDED;
}

/**
 * The error of a throttled request: ProvisionedThroughputExceededException on a provisioned table
 * (or index), ThrottlingException on an on-demand one; both carry ThrottlingReasons.
 */
export function throttleError(cause: ThrottleCause): DynamoError {
  return new DynamoError(
    cause.provisioned ? 'ProvisionedThroughputExceededException' : 'ThrottlingException',
    messageOf(cause),
    {
      ThrottlingReasons: [{ reason: throttlingReason(cause), resource: cause.resource }],
    },
  );
}

/** The cancellation reason of one throttled transaction item. */
export function throttleCancellation(cause: ThrottleCause): CancellationReason {
  return cause.provisioned
    ? { Code: 'ProvisionedThroughputExceeded', Message: messageOf(cause) }
    : { Code: 'ThrottlingError', Message: messageOf(cause) };
}

export function isThrottleError(type: string): boolean {
  return type === 'ProvisionedThroughputExceededException' || type === 'ThrottlingException';
}
