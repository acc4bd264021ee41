// The operation registry: DynamoDB action name → the module that implements it.
import type { EngineContext } from '../context.js';
import { createTable } from './createTable.js';
import { deleteTable } from './deleteTable.js';
import { describeTable } from './describeTable.js';
import { listTables } from './listTables.js';

// Each operation validates its own input: what arrives here is whatever JSON the client sent.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Operation = (ctx: EngineContext, input: any) => unknown;

export const operations: Record<string, Operation> = {
  CreateTable: createTable,
  DeleteTable: deleteTable,
  DescribeTable: describeTable,
  ListTables: listTables,
};
