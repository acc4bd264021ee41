// Item, query, batch, transaction and PartiQL operations through the real AWS SDK v3 clients.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  paginateQuery,
  paginateScan,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand as DocQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { expectAwsError, hashTable, rawRequest, uniqueTableName, withServer } from './support.js';

describe('items through the SDK', () => {
  const s = withServer();

  it('puts, gets, updates and deletes with the DocumentClient, keeping exact numbers', async () => {
    const TableName = uniqueTableName();
    await s.client.send(new CreateTableCommand(hashTable(TableName, true)));
    await s.doc.send(
      new PutCommand({
        TableName,
        Item: { pk: 'a', sk: '1', n: 3, tags: new Set(['x', 'y']), nested: { list: [1, 'two'] } },
      }),
    );
    const got = await s.doc.send(new GetCommand({ TableName, Key: { pk: 'a', sk: '1' } }));
    assert.equal(got.Item?.n, 3);
    assert.deepEqual(got.Item?.tags, new Set(['x', 'y']));
    const up = await s.doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk: 'a', sk: '1' },
        UpdateExpression: 'SET n = n + :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    assert.deepEqual(up.Attributes, { n: 4 });
    // A 38-digit number survives untouched through the low-level client.
    await s.client.send(
      new PutItemCommand({
        TableName,
        Item: { pk: { S: 'big' }, sk: { S: '1' }, n: { N: '12345678901234567890123456789012345678' } },
      }),
    );
    const big = await s.client.send(
      new GetItemCommand({ TableName, Key: { pk: { S: 'big' }, sk: { S: '1' } } }),
    );
    assert.equal(big.Item?.n?.N, '12345678901234567890123456789012345678');
    await s.doc.send(new DeleteCommand({ TableName, Key: { pk: 'a', sk: '1' } }));
    assert.equal(
      (await s.doc.send(new GetCommand({ TableName, Key: { pk: 'a', sk: '1' } }))).Item,
      undefined,
    );
  });

  it('surfaces condition failures and validation errors as the SDK error classes', async () => {
    const TableName = uniqueTableName();
    await s.client.send(new CreateTableCommand(hashTable(TableName)));
    await s.doc.send(new PutCommand({ TableName, Item: { pk: 'a' } }));
    await expectAwsError(
      s.doc.send(
        new PutCommand({ TableName, Item: { pk: 'a' }, ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    await expectAwsError(
      s.client.send(new PutItemCommand({ TableName, Item: { pk: { N: '1' } } })),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
    );
    await expectAwsError(
      s.doc.send(new GetCommand({ TableName: 'Missing-Table', Key: { pk: 'a' } })),
      'ResourceNotFoundException',
    );
  });

  it('paginates Query and Scan with the SDK paginators', async () => {
    const TableName = uniqueTableName();
    await s.client.send(new CreateTableCommand(hashTable(TableName, true)));
    for (let i = 0; i < 60; i += 25) {
      const batch = [];
      for (let j = i; j < Math.min(i + 25, 60); j++)
        batch.push({ PutRequest: { Item: { pk: j % 2 ? 'odd' : 'even', sk: String(j).padStart(3, '0') } } });
      await s.doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: batch } }));
    }
    let queried = 0;
    for await (const page of paginateQuery(
      { client: s.client, pageSize: 7 },
      { TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'even' } } },
    )) {
      queried += page.Count ?? 0;
    }
    assert.equal(queried, 30);
    let scanned = 0;
    for await (const page of paginateScan({ client: s.client, pageSize: 11 }, { TableName }))
      scanned += page.Count ?? 0;
    assert.equal(scanned, 60);
    const desc = await s.doc.send(
      new DocQuery({
        TableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': 'odd' },
        ScanIndexForward: false,
        Limit: 2,
      }),
    );
    assert.deepEqual(
      desc.Items?.map((i) => i.sk),
      ['059', '057'],
    );
    assert.ok(desc.LastEvaluatedKey);
    const q = await s.client.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'odd' } },
        Select: 'COUNT',
      }),
    );
    assert.equal(q.Count, 30);
    const seg0 = await s.client.send(new ScanCommand({ TableName, Segment: 0, TotalSegments: 2 }));
    const seg1 = await s.client.send(new ScanCommand({ TableName, Segment: 1, TotalSegments: 2 }));
    assert.equal((seg0.Count ?? 0) + (seg1.Count ?? 0), 60);
  });

  it('cancels a transaction with reasons the SDK exposes', async () => {
    const TableName = uniqueTableName();
    await s.client.send(new CreateTableCommand(hashTable(TableName)));
    await s.doc.send(new PutCommand({ TableName, Item: { pk: 'acct', balance: 10 } }));
    try {
      await s.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName, Item: { pk: { S: 'new' } } } },
            {
              Update: {
                TableName,
                Key: { pk: { S: 'acct' } },
                UpdateExpression: 'SET balance = balance - :a',
                ConditionExpression: 'balance >= :a',
                ExpressionAttributeValues: { ':a': { N: '50' } },
              },
            },
          ],
        }),
      );
      assert.fail('expected a TransactionCanceledException');
    } catch (e) {
      const err = e as { name: string; CancellationReasons?: { Code?: string }[] };
      assert.equal(err.name, 'TransactionCanceledException');
      assert.deepEqual(
        err.CancellationReasons?.map((r) => r.Code),
        ['None', 'ConditionalCheckFailed'],
      );
    }
    assert.equal((await s.doc.send(new GetCommand({ TableName, Key: { pk: 'new' } }))).Item, undefined);
  });

  it('runs PartiQL: ExecuteStatement with Limit and NextToken, batches and transactions', async () => {
    const TableName = uniqueTableName();
    await s.client.send(new CreateTableCommand(hashTable(TableName, true)));
    for (let i = 0; i < 12; i++) {
      await s.client.send(
        new ExecuteStatementCommand({
          Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'p', 'sk': ?, 'n': ?}`,
          Parameters: [{ S: `s${String(i).padStart(2, '0')}` }, { N: String(i) }],
        }),
      );
    }
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const out = await s.client.send(
        new ExecuteStatementCommand({
          Statement: `SELECT sk FROM "${TableName}" WHERE pk = 'p'`,
          Limit: 5,
          NextToken,
        }),
      );
      seen.push(...(out.Items ?? []).map((i) => i.sk!.S!));
      NextToken = out.NextToken;
      pages++;
    } while (NextToken);
    assert.equal(seen.length, 12);
    assert.equal(pages, 3);
    await expectAwsError(
      s.client.send(
        new ExecuteStatementCommand({
          Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'p', 'sk': 's00'}`,
        }),
      ),
      'DuplicateItemException',
      'Duplicate primary key exists in table',
    );
    const batch = await s.client.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `UPDATE "${TableName}" SET n = n + 100 WHERE pk = 'p' AND sk = 's00'` },
          { Statement: `UPDATE "${TableName}" SET n = 1 WHERE pk = 'p' AND sk = 'missing'` },
        ],
      }),
    );
    assert.equal(batch.Responses?.[0]?.Error, undefined);
    assert.equal(batch.Responses?.[1]?.Error?.Code, 'ConditionalCheckFailed');
    const tx = await s.client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `SELECT n FROM "${TableName}" WHERE pk = 'p' AND sk = 's00'` },
          { Statement: `SELECT n FROM "${TableName}" WHERE pk = 'p' AND sk = 's01'` },
        ],
      }),
    );
    assert.deepEqual(
      tx.Responses?.map((r) => r.Item?.n?.N),
      ['100', '1'],
    );
    const up = await s.client.send(
      new UpdateItemCommand({
        TableName,
        Key: { pk: { S: 'p' }, sk: { S: 's01' } },
        UpdateExpression: 'REMOVE n',
        ReturnValues: 'ALL_OLD',
      }),
    );
    assert.equal(up.Attributes?.n?.N, '1');
  });

  it('reports PartiQL failures as the SDK error classes, with reasons, items and idempotency', async () => {
    const TableName = uniqueTableName();
    await s.client.send(new CreateTableCommand(hashTable(TableName, true)));
    await s.client.send(
      new ExecuteStatementCommand({
        Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'a', 'sk': '1', 'n': 1}`,
      }),
    );
    await s.client.send(
      new ExecuteStatementCommand({
        Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'c', 'sk': '1', 'n': 1}`,
      }),
    );
    const conditional = (await expectAwsError(
      s.client.send(
        new ExecuteStatementCommand({
          Statement: `UPDATE "${TableName}" SET n = 2 WHERE pk = 'a' AND sk = '1' AND n = 5`,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
      'ConditionalCheckFailedException',
    )) as Error & { Item?: Record<string, { N?: string }> };
    assert.equal(conditional.Item?.n?.N, '1');
    const invalid = await expectAwsError(
      s.client.send(
        new ExecuteStatementCommand({
          Statement: `SELECT * FROM "${TableName}" WHERE pk = 'a' AND sk > '0' OR pk = 'a' AND sk < '2'`,
        }),
      ),
      'ValidationException',
      'Overlapping conditions with range keys are not supported in where clause',
    );
    assert.equal(invalid.$metadata?.httpStatusCode, 400);

    const transfer = (ClientRequestToken: string, guard: string) =>
      s.client.send(
        new ExecuteTransactionCommand({
          ClientRequestToken,
          TransactStatements: [
            { Statement: `UPDATE "${TableName}" SET n = n + 1 WHERE pk = 'a' AND sk = '1'` },
            {
              Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'b', 'sk': ?}`,
              Parameters: [{ S: guard }],
            },
            { Statement: `EXISTS(SELECT * FROM "${TableName}" WHERE pk = 'c' AND sk = '1' AND n < 3)` },
          ],
        }),
      );
    const cancelled = (await expectAwsError(
      s.client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `UPDATE "${TableName}" SET n = 10 WHERE pk = 'a' AND sk = '1'` },
            { Statement: `EXISTS(SELECT * FROM "${TableName}" WHERE pk = 'c' AND sk = '1' AND n > 3)` },
          ],
        }),
      ),
      'TransactionCanceledException',
    )) as Error & { CancellationReasons?: { Code?: string }[] };
    assert.deepEqual(
      cancelled.CancellationReasons?.map((r) => r.Code),
      ['None', 'ConditionalCheckFailed'],
    );
    // A retry with the same token is answered without running the statements again.
    assert.deepEqual((await transfer('token-1', 'x')).Responses, []);
    assert.deepEqual((await transfer('token-1', 'x')).Responses, []);
    await expectAwsError(transfer('token-1', 'y'), 'IdempotentParameterMismatchException');
    const n = await s.client.send(
      new ExecuteStatementCommand({ Statement: `SELECT n FROM "${TableName}" WHERE pk = 'a' AND sk = '1'` }),
    );
    assert.equal(n.Items?.[0]?.n?.N, '2');

    await expectAwsError(
      s.client.send(
        new BatchExecuteStatementCommand({
          Statements: Array.from({ length: 26 }, () => ({
            Statement: `SELECT * FROM "${TableName}" WHERE pk = 'a' AND sk = '1'`,
          })),
        }),
      ),
      'ValidationException',
    );
  });

  it('answers EXPLAIN on the Sortkey-specific target only', async () => {
    const TableName = uniqueTableName();
    await s.client.send(new CreateTableCommand(hashTable(TableName, true)));
    const explained = await rawRequest(s.url, {
      target: 'Sortkey_20250101.Explain',
      body: { Statement: `SELECT * FROM "${TableName}" WHERE colour = 'red'` },
    });
    assert.equal(explained.status, 200);
    assert.equal(explained.json?.FullTableScan, true);
    assert.equal((explained.json?.Steps as { Operation: string }[])[0]!.Operation, 'Scan');
    const viaDynamo = await rawRequest(s.url, {
      target: 'Explain',
      body: { Statement: `SELECT * FROM "${TableName}"` },
    });
    assert.equal(viaDynamo.status, 400);
    assert.match(String(viaDynamo.json?.__type), /UnknownOperationException$/);
  });
});
