// The operation registry: DynamoDB action name → the module that implements it.
import type { EngineContext } from '../context.js';
import { explainOperation } from '../partiql/index.js';
import { batchExecuteStatement } from './batchExecuteStatement.js';
import { batchGetItem } from './batchGetItem.js';
import { batchWriteItem } from './batchWriteItem.js';
import { createTable } from './createTable.js';
import { deleteItem } from './deleteItem.js';
import { deleteTable } from './deleteTable.js';
import { describeEndpoints } from './describeEndpoints.js';
import { describeLimits } from './describeLimits.js';
import { describeTable } from './describeTable.js';
import { executeStatement } from './executeStatement.js';
import { executeTransaction } from './executeTransaction.js';
import { getItem, getItemJson } from './getItem.js';
import { listTables } from './listTables.js';
import { putItem } from './putItem.js';
import { query, queryJson } from './query.js';
import { scan, scanJson } from './scan.js';
import { listTagsOfResource, tagResource, untagResource } from './tags.js';
import { transactGetItems } from './transactGetItems.js';
import { transactWriteItems } from './transactWriteItems.js';
import { updateItem } from './updateItem.js';
import { updateTable } from './updateTable.js';
import { createBackup } from './createBackup.js';
import { deleteBackup } from './deleteBackup.js';
import { describeBackup } from './describeBackup.js';
import { describeContinuousBackups } from './describeContinuousBackups.js';
import { describeExport } from './describeExport.js';
import { describeStream } from './describeStream.js';
import { describeTimeToLive } from './describeTimeToLive.js';
import { exportTableToPointInTime } from './exportTableToPointInTime.js';
import { getRecords } from './getRecords.js';
import { getShardIterator } from './getShardIterator.js';
import { listBackups } from './listBackups.js';
import { listExports } from './listExports.js';
import { listStreams } from './listStreams.js';
import { restoreTableFromBackup } from './restoreTableFromBackup.js';
import { restoreTableToPointInTime } from './restoreTableToPointInTime.js';
import { updateContinuousBackups } from './updateContinuousBackups.js';
import { updateTimeToLive } from './updateTimeToLive.js';
import { getMetricsOperation } from './getMetrics.js';
import { getHotKeys } from './getHotKeys.js';
import { describePartitions } from './describePartitions.js';
import { describeThrottling, setThrottling } from './setThrottling.js';
import { setFaults } from './setFaults.js';
import { deleteScalingPolicy, describeScalingPolicies, putScalingPolicy } from './scalingPolicies.js';
import { deleteAlarms, describeAlarmHistory, describeAlarms, putMetricAlarm } from './alarms.js';
import { describeConsistency, setConsistency } from './setConsistency.js';
import { checkRequestTypes } from './requestTypes.js';
import { deleteResourcePolicy } from './deleteResourcePolicy.js';
import { getResourcePolicy } from './getResourcePolicy.js';
import { putResourcePolicy } from './putResourcePolicy.js';

// Each operation validates its own input: what arrives here is whatever JSON the client sent.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Operation = (ctx: EngineContext, input: any) => unknown;

/** Each operation behind DynamoDB's deserializer check of its members' JSON types. */
function typed(table: Record<string, Operation>): Record<string, Operation> {
  const out: Record<string, Operation> = {};
  for (const [name, run] of Object.entries(table)) {
    out[name] = (ctx, input) => {
      checkRequestTypes(name, input);
      return run(ctx, input);
    };
  }
  return out;
}

export const operations: Record<string, Operation> = typed({
  BatchExecuteStatement: batchExecuteStatement,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  CreateTable: createTable,
  DeleteItem: deleteItem,
  DeleteTable: deleteTable,
  DescribeEndpoints: describeEndpoints,
  DescribeLimits: describeLimits,
  DescribeTable: describeTable,
  ExecuteStatement: executeStatement,
  ExecuteTransaction: executeTransaction,
  GetItem: getItem,
  ListTables: listTables,
  ListTagsOfResource: listTagsOfResource,
  PutItem: putItem,
  Query: query,
  Scan: scan,
  TagResource: tagResource,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
  UntagResource: untagResource,
  UpdateItem: updateItem,
  UpdateTable: updateTable,
  // Streams, TTL, backups, point-in-time recovery and exports (engine/streams, engine/ttl, engine/backups).
  CreateBackup: createBackup,
  DeleteBackup: deleteBackup,
  DescribeBackup: describeBackup,
  DescribeContinuousBackups: describeContinuousBackups,
  DescribeExport: describeExport,
  DescribeStream: describeStream,
  DescribeTimeToLive: describeTimeToLive,
  ExportTableToPointInTime: exportTableToPointInTime,
  GetRecords: getRecords,
  GetShardIterator: getShardIterator,
  ListBackups: listBackups,
  ListExports: listExports,
  ListStreams: listStreams,
  RestoreTableFromBackup: restoreTableFromBackup,
  RestoreTableToPointInTime: restoreTableToPointInTime,
  UpdateContinuousBackups: updateContinuousBackups,
  UpdateTimeToLive: updateTimeToLive,
  // Resource-based policies (engine/access).
  DeleteResourcePolicy: deleteResourcePolicy,
  GetResourcePolicy: getResourcePolicy,
  PutResourcePolicy: putResourcePolicy,
});

/**
 * Operations that can answer with their response's JSON text, for the endpoint to send as it is
 * (`Engine.execute` with `answer: 'json'`): the same response as the operation's object, serialised
 * without building it first.
 */
export const jsonOperations: Record<string, Operation> = typed({
  GetItem: getItemJson,
  Query: queryJson,
  Scan: scanJson,
});

/**
 * Sortkey's own operations, not part of DynamoDB's API: reached through the `Sortkey_20250101.`
 * target prefix over HTTP, and by the shell and studio directly.
 */
export const sortkeyOperations: Record<string, Operation> = {
  Explain: explainOperation,
  // Capacity, throttling and metrics (engine/metrics, engine/throttle).
  GetMetrics: getMetricsOperation,
  GetHotKeys: getHotKeys,
  DescribePartitions: describePartitions,
  SetThrottling: setThrottling,
  DescribeThrottling: describeThrottling,
  SetFaults: setFaults,
  // Auto scaling and alarms (engine/automation).
  PutScalingPolicy: putScalingPolicy,
  DescribeScalingPolicies: describeScalingPolicies,
  DeleteScalingPolicy: deleteScalingPolicy,
  PutMetricAlarm: putMetricAlarm,
  DescribeAlarms: describeAlarms,
  DeleteAlarms: deleteAlarms,
  DescribeAlarmHistory: describeAlarmHistory,
  // Eventual consistency on request (engine/consistency).
  SetConsistency: setConsistency,
  DescribeConsistency: describeConsistency,
};
