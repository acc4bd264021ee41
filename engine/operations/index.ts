// The operation registry: DynamoDB action name → the module that implements it.
import type { EngineContext } from '../context.js';
import { batchGetItem } from './batchGetItem.js';
import { batchWriteItem } from './batchWriteItem.js';
import { createTable } from './createTable.js';
import { deleteItem } from './deleteItem.js';
import { deleteTable } from './deleteTable.js';
import { describeEndpoints } from './describeEndpoints.js';
import { describeLimits } from './describeLimits.js';
import { describeTable } from './describeTable.js';
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
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  CreateTable: createTable,
  DeleteItem: deleteItem,
  DeleteTable: deleteTable,
  DescribeEndpoints: describeEndpoints,
  DescribeLimits: describeLimits,
  DescribeTable: describeTable,
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
