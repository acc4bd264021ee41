// Regions with read workers (engine/workers): a Query, Scan or PartiQL SELECT served by a worker
// reads the tables of the region it was signed for, and its capacity is counted there.
process.env.SORTKEY_TEST_READ_WORKERS = '2';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateTableCommand,
  ExecuteStatementCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { hashTable, uniqueTableName, withServer } from './support.js';

describe('regions with read workers', () => {
  const s = withServer();

  it('one table name in two regions: worker reads see each region its own items', async () => {
    const TableName = uniqueTableName('RegionReads');
    const east = s.client;
    const west = s.makeClient({ region: 'eu-west-1' });
    for (const [client, where] of [
      [east, 'east'],
      [west, 'west'],
    ] as const) {
      await client.send(new CreateTableCommand(hashTable(TableName)));
      await client.send(new PutItemCommand({ TableName, Item: { pk: { S: where } } }));
    }
    for (const [client, where] of [
      [east, 'east'],
      [west, 'west'],
    ] as const) {
      const scan = await client.send(new ScanCommand({ TableName, ReturnConsumedCapacity: 'TOTAL' }));
      assert.deepEqual(scan.Items, [{ pk: { S: where } }]);
      assert.equal(scan.ConsumedCapacity?.TableName, TableName);
      const query = await client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: where } },
        }),
      );
      assert.equal(query.Count, 1);
      const select = await client.send(
        new ExecuteStatementCommand({ Statement: `SELECT * FROM "${TableName}"` }),
      );
      assert.deepEqual(select.Items, [{ pk: { S: where } }]);
    }
    // A table that exists only in another region is not found through this one, by a worker too.
    const only = uniqueTableName('WestOnly');
    await west.send(new CreateTableCommand(hashTable(only)));
    await assert.rejects(east.send(new ScanCommand({ TableName: only })), {
      name: 'ResourceNotFoundException',
    });
  });
});
