// Requests the fuzzer once turned into InternalServerError: each must now be a DynamoDB-shaped
// client error (a DynamoError with HTTP 400), and the engine must keep working.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DynamoError } from '../../../engine/errors.js';
import { call, createSimpleTable, scratchEngine } from '../../support/engine.js';

const cases: [string, Record<string, unknown>][] = [
  ['Scan', { TableName: {} }],
  ['GetItem', { TableName: ['x'], Key: {} }],
  ['TransactWriteItems', { TransactItems: { NULL: true } }],
  ['TransactGetItems', { TransactItems: '7' }],
  ['BatchExecuteStatement', { Statements: { NS: ['x'] } }],
  ['ExecuteTransaction', { TransactStatements: { a: 1 } }],
  ['BatchGetItem', { RequestItems: { Things: { Keys: '-946405' } } }],
  ['Scan', { TableName: 'Things', Limit: { S: 'x' } }],
  ['Scan', { TableName: 'Things', Limit: '-9465260347587714645.943e-65' }],
  ['Scan', { TableName: 'Things', Limit: [] }],
  // Whole numbers no Java Integer holds (1e308 reached SQLite as a REAL: "datatype mismatch").
  ['Scan', { TableName: 'Things', Limit: 1e308 }],
  [
    'Query',
    {
      TableName: 'Things',
      Limit: 2147483648,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'a' } },
    },
  ],
  ['ExecuteStatement', { Statement: 'SELECT * FROM "Things"', Limit: 1e308 }],
  ['ExecuteStatement', { Statement: `SELECT * FROM "Things" WHERE pk = ${'['.repeat(3000)}` }],
  ['CreateBackup', { TableName: 'Things', BackupName: {} }],
  ['RestoreTableFromBackup', { TargetTableName: 'Fuz', BackupArn: true }],
  ['UntagResource', { ResourceArn: { toString: 'td' }, TagKeys: [] }],
  [
    'CreateTable',
    { TableName: 'Fuz', AttributeDefinitions: 0, KeySchema: {}, BillingMode: 'PAY_PER_REQUEST' },
  ],
];

describe('hostile input', () => {
  const e = scratchEngine();
  createSimpleTable(e, 'Things');
  for (const [op, input] of cases) {
    it(`${op} ${JSON.stringify(input).slice(0, 60)} is a client error`, () => {
      let error: unknown;
      try {
        call(e, op, input);
      } catch (err) {
        error = err;
      }
      assert.ok(error instanceof DynamoError, `expected a DynamoError, got ${String(error)}`);
      assert.equal(error.statusCode, 400);
    });
  }
  it('still serves afterwards', () => {
    call(e, 'PutItem', { TableName: 'Things', Item: { pk: { S: 'a' } } });
    assert.equal(call(e, 'Scan', { TableName: 'Things' }).Count, 1);
  });
});
