// The table control plane through the real AWS SDK: CreateTable, DescribeTable, ListTables (with
// pagination), DeleteTable, the SDK's waiters, and the errors the SDK surfaces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeEndpointsCommand,
  DescribeTableCommand,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  paginateListTables,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { expectAwsError, hashTable, requiresOperations, uniqueTableName, withServer } from './support.js';

describe('tables through the AWS SDK', () => {
  const s = withServer();

  it('creates, describes and deletes a table', async () => {
    const TableName = uniqueTableName();
    const created = await s.client.send(new CreateTableCommand(hashTable(TableName, true)));
    assert.equal(created.$metadata.httpStatusCode, 200);
    assert.equal(created.TableDescription?.TableName, TableName);
    assert.ok(created.TableDescription?.TableArn?.startsWith('arn:aws:dynamodb:us-east-1:'));
    assert.deepEqual(created.TableDescription?.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    assert.ok(
      created.TableDescription?.CreationDateTime instanceof Date,
      'CreationDateTime parses as a date',
    );

    const described = await s.client.send(new DescribeTableCommand({ TableName }));
    assert.equal(described.Table?.TableName, TableName);
    assert.equal(described.Table?.TableStatus, 'ACTIVE');
    assert.equal(described.Table?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');

    const deleted = await s.client.send(new DeleteTableCommand({ TableName }));
    assert.equal(deleted.TableDescription?.TableName, TableName);
    await expectAwsError(s.client.send(new DescribeTableCommand({ TableName })), 'ResourceNotFoundException');
  });

  it('lists tables page by page', async () => {
    const prefix = uniqueTableName('List');
    const names = ['a', 'b', 'c', 'd', 'e'].map((x) => `${prefix}-${x}`);
    for (const TableName of names) await s.client.send(new CreateTableCommand(hashTable(TableName)));

    const first = await s.client.send(
      new ListTablesCommand({ ExclusiveStartTableName: `${prefix}-`, Limit: 2 }),
    );
    assert.deepEqual(first.TableNames, names.slice(0, 2));
    assert.equal(first.LastEvaluatedTableName, names[1]);

    const seen: string[] = [];
    for await (const page of paginateListTables({ client: s.client, pageSize: 2 }, {})) {
      assert.ok((page.TableNames?.length ?? 0) <= 2);
      seen.push(...(page.TableNames ?? []));
    }
    for (const n of names) assert.ok(seen.includes(n), `${n} listed`);
    assert.deepEqual(seen, [...seen].sort(), 'names come in order');

    for (const TableName of names) await s.client.send(new DeleteTableCommand({ TableName }));
  });

  it('works with the waiters waitUntilTableExists and waitUntilTableNotExists', async () => {
    const TableName = uniqueTableName();
    await s.client.send(new CreateTableCommand(hashTable(TableName)));
    const exists = await waitUntilTableExists(
      { client: s.client, maxWaitTime: 10, minDelay: 1 },
      { TableName },
    );
    assert.equal(exists.state, 'SUCCESS');
    await s.client.send(new DeleteTableCommand({ TableName }));
    const gone = await waitUntilTableNotExists(
      { client: s.client, maxWaitTime: 10, minDelay: 1 },
      { TableName },
    );
    assert.equal(gone.state, 'SUCCESS');
  });

  it('reports a missing table as ResourceNotFoundException', async () => {
    const err = await expectAwsError(
      s.client.send(new DescribeTableCommand({ TableName: uniqueTableName('Missing') })),
      'ResourceNotFoundException',
      /Requested resource not found/,
    );
    assert.ok(err instanceof ResourceNotFoundException, 'the SDK builds its modeled exception class');
    assert.equal(err.$metadata?.httpStatusCode, 400);
    await expectAwsError(
      s.client.send(new DeleteTableCommand({ TableName: uniqueTableName('Missing') })),
      'ResourceNotFoundException',
    );
  });

  it('reports an existing table as ResourceInUseException', async () => {
    const TableName = uniqueTableName();
    await s.client.send(new CreateTableCommand(hashTable(TableName)));
    const err = await expectAwsError(
      s.client.send(new CreateTableCommand(hashTable(TableName))),
      'ResourceInUseException',
    );
    assert.ok(err instanceof ResourceInUseException);
    await s.client.send(new DeleteTableCommand({ TableName }));
  });

  it('reports a bad table name as ValidationException', async () => {
    const err = await expectAwsError(
      s.client.send(new CreateTableCommand(hashTable('a'))),
      'ValidationException',
      /validation error detected: Value 'a' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3/,
    );
    assert.equal(err.$metadata?.httpStatusCode, 400);
    await expectAwsError(
      s.client.send(new DescribeTableCommand({ TableName: 'bad name!' })),
      'ValidationException',
      /Member must satisfy regular expression pattern: \[a-zA-Z0-9_.-\]\+/,
    );
  });

  it('reports a bad ListTables limit as ValidationException', async () => {
    await expectAwsError(
      s.client.send(new ListTablesCommand({ Limit: 1000 })),
      'ValidationException',
      /Member must have value less than or equal to 100/,
    );
  });

  it(
    'reports its own address from DescribeEndpoints',
    { skip: requiresOperations('DescribeEndpoints') },
    async () => {
      const out = await s.client.send(new DescribeEndpointsCommand({}));
      assert.equal(out.Endpoints?.[0]?.Address, `127.0.0.1:${s.port}`);
    },
  );

  it('serves DynamoDBDocumentClient calls', async () => {
    const out = await s.doc.send(new ListTablesCommand({ Limit: 1 }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.ok(Array.isArray(out.TableNames));
  });
});

describe('tables with -delayTransientStatuses', () => {
  const s = withServer({ transientStatusMs: 300 });

  it('creates through CREATING and deletes through DELETING, as the waiters expect', async () => {
    const TableName = uniqueTableName('Slow');
    const created = await s.client.send(new CreateTableCommand(hashTable(TableName)));
    assert.equal(created.TableDescription?.TableStatus, 'CREATING');
    const exists = await waitUntilTableExists(
      { client: s.client, maxWaitTime: 10, minDelay: 1 },
      { TableName },
    );
    assert.equal(exists.state, 'SUCCESS');
    const described = await s.client.send(new DescribeTableCommand({ TableName }));
    assert.equal(described.Table?.TableStatus, 'ACTIVE');

    const deleted = await s.client.send(new DeleteTableCommand({ TableName }));
    assert.equal(deleted.TableDescription?.TableStatus, 'DELETING');
    const gone = await waitUntilTableNotExists(
      { client: s.client, maxWaitTime: 10, minDelay: 1 },
      { TableName },
    );
    assert.equal(gone.state, 'SUCCESS');
  });
});
