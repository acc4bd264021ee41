// Throttling and fault injection through the real AWS SDK: its automatic retries of
// ProvisionedThroughputExceededException / ThrottlingException / InternalServerError, and the
// Sortkey_20250101 operations that drive them (SetThrottling, SetFaults, GetMetrics).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fetchStats, httpCall, renderStats } from '../../main/cli/stats.js';
import { rawRequest, uniqueTableName, withServer } from './support.js';

const TABLE_MESSAGE =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';

async function provisionedTable(
  client: DynamoDBClient,
  TableName: string,
  rcu: number,
  wcu: number,
): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: rcu, WriteCapacityUnits: wcu },
    }),
  );
}

async function sortkey(url: string, op: string, body: object): Promise<Record<string, unknown>> {
  const res = await rawRequest(url, { target: `Sortkey_20250101.${op}`, body });
  assert.equal(res.status, 200, res.text);
  return res.json!;
}

describe('throttling through the SDK', () => {
  const s = withServer({ throttle: 'provisioned' });

  it('retries throttled writes until the bucket refills, and they all succeed', async () => {
    const TableName = uniqueTableName('Tiny');
    await provisionedTable(s.client, TableName, 1, 2);
    const client = s.makeClient({ maxAttempts: 30 });
    let retried = 0;
    for (let i = 0; i < 6; i++) {
      const out = await client.send(new PutItemCommand({ TableName, Item: { pk: { S: `k${i}` } } }));
      if ((out.$metadata.attempts ?? 1) > 1) retried++;
    }
    assert.ok(retried > 0, 'some writes needed retries');
    const metrics = await sortkey(s.url, 'GetMetrics', {
      TableName,
      StartTime: Date.now() / 1000 - 60,
      Metrics: ['ThrottledRequests', 'ConsumedWriteCapacityUnits'],
      Period: 60,
    });
    const series = metrics.Metrics as {
      MetricName: string;
      Operation?: string;
      Statistics: { Sum: number[] };
    }[];
    const sum = (name: string) =>
      series
        .filter((m) => m.MetricName === name)
        .reduce((n, m) => n + m.Statistics.Sum.reduce((a, b) => a + b, 0), 0);
    assert.ok(sum('ThrottledRequests') >= retried);
    assert.equal(sum('ConsumedWriteCapacityUnits'), 6);
  });

  it('surfaces ProvisionedThroughputExceededException when the SDK may not retry', async () => {
    const TableName = uniqueTableName('Tiny');
    await provisionedTable(s.client, TableName, 1, 1);
    const client = s.makeClient({ maxAttempts: 1 });
    // 3 KB: 3 units from a bucket holding 1 leave it 2 in debt for the next two seconds.
    await client.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'a' }, blob: { S: 'x'.repeat(3000) } } }),
    );
    const err = (await client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'b' } } })).then(
      () => assert.fail('expected throttling'),
      (e: unknown) => e,
    )) as Error & { $metadata: { httpStatusCode?: number; attempts?: number }; $retryable?: unknown };
    assert.equal(err.name, 'ProvisionedThroughputExceededException');
    assert.equal(err.message, TABLE_MESSAGE);
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.$metadata.attempts, 1);
    // Throttling can be switched off at run time (the studio's switch).
    assert.deepEqual(await sortkey(s.url, 'SetThrottling', { Mode: 'off' }), { Mode: 'off' });
    await client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'b' } } }));
    await sortkey(s.url, 'SetThrottling', { Mode: 'provisioned' });
  });

  it('injects throttling and internal errors that the SDK retries, then gives up on', async () => {
    const TableName = uniqueTableName('Faulty');
    await provisionedTable(s.client, TableName, 100, 100);
    await sortkey(s.url, 'SetFaults', {
      Faults: [
        { Type: 'ThrottlingException', Probability: 1, Operations: ['PutItem'], Tables: [TableName] },
        { Type: 'InternalServerError', Probability: 1, Operations: ['GetItem'], Tables: [TableName] },
      ],
    });
    try {
      const client = s.makeClient({ maxAttempts: 3 });
      const throttled = (await client
        .send(new PutItemCommand({ TableName, Item: { pk: { S: 'a' } } }))
        .catch((e: unknown) => e)) as Error & {
        $metadata: { attempts?: number };
      };
      assert.equal(throttled.name, 'ThrottlingException');
      assert.equal(throttled.$metadata.attempts, 3);
      const internal = (await client
        .send(new GetItemCommand({ TableName, Key: { pk: { S: 'a' } } }))
        .catch((e: unknown) => e)) as Error & {
        $metadata: { attempts?: number; httpStatusCode?: number };
      };
      assert.equal(internal.name, 'InternalServerError');
      assert.equal(internal.$metadata.httpStatusCode, 500);
      assert.equal(internal.$metadata.attempts, 3);
      // Other tables are untouched.
      await client.send(new ListTablesCommand({}));
    } finally {
      await sortkey(s.url, 'SetFaults', { Faults: [] });
    }
    await s.client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'a' } } }));
  });

  it('answers late with injected latency, without blocking other requests', async () => {
    const TableName = uniqueTableName('Slow');
    await provisionedTable(s.client, TableName, 100, 100);
    await sortkey(s.url, 'SetFaults', {
      Faults: [{ Type: 'Latency', Probability: 1, LatencyMs: 400, Operations: ['GetItem'] }],
    });
    try {
      const order: string[] = [];
      const started = Date.now();
      const slow = s.client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'a' } } })).then(() => {
        order.push('GetItem');
        return Date.now() - started;
      });
      await new Promise((r) => setTimeout(r, 50));
      await s.client.send(new ListTablesCommand({}));
      order.push('ListTables');
      const elapsed = await slow;
      assert.ok(elapsed >= 380, `answered after ${elapsed} ms`);
      assert.deepEqual(order, ['ListTables', 'GetItem']);
    } finally {
      await sortkey(s.url, 'SetFaults', { Faults: [] });
    }
  });

  it('feeds `sortkey stats --endpoint` (GetMetrics, GetHotKeys and DescribeThrottling over HTTP)', async () => {
    const TableName = uniqueTableName('Stats');
    await provisionedTable(s.client, TableName, 5, 5);
    for (let i = 0; i < 3; i++)
      await s.client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'hot' }, n: { N: String(i) } } }));
    const call = httpCall(s.url, 'us-east-1', {});
    const snapshot = await fetchStats(call, TableName, { range: 30, period: 10, now: Date.now() / 1000 });
    assert.equal(snapshot.ThrottleMode, 'provisioned');
    assert.deepEqual(
      snapshot.MostAccessed.map((k) => [k.Key, k.Count]),
      [[{ pk: { S: 'hot' } }, 3]],
    );
    const text = renderStats(snapshot);
    assert.ok(text.startsWith(`${TableName} — provisioned 5 RCU / 5 WCU, 1 items`), text);
    assert.ok(text.includes('PutItem'));
    await assert.rejects(
      fetchStats(call, 'NoSuchTable', { range: 30, period: 10, now: Date.now() / 1000 }),
      /ResourceNotFoundException/,
    );
  });
});
