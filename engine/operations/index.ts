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
import { getItem } from './getItem.js';
import { listTables } from './listTables.js';
import { putItem } from './putItem.js';
import { query } from './query.js';
import { scan } from './scan.js';
import { listTagsOfResource, tagResource, untagResource } from './tags.js';
import { transactGetItems } from './transactGetItems.js';
import { transactWriteItems } from './transactWriteItems.js';
import { updateItem } from './updateItem.js';
import { updateTable } from './updateTable.js';

// Each operation validates its own input: what arrives here is whatever JSON the client sent.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Operation = (ctx: EngineContext, input: any) => unknown;

export const operations: Record<string, Operation> = {
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
};

/**
 * Sortkey's own operations, not part of DynamoDB's API: reached through the `Sortkey_20250101.`
 * target prefix over HTTP, and by the shell and studio directly.
 */
export const sortkeyOperations: Record<string, Operation> = {
  Explain: explainOperation,
};
