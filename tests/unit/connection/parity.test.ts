// The connection layer: the same operations answer the same through the embedded engine and
// through a remote service (a Sortkey server reached with the AWS SDK); what only the embedded
// engine has is declared, and a service without PartiQL (dynalite) is recognised as such.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Connection } from '../../../engine/connection/index.js';
import {
  ConnectionError,
  EmbeddedConnection,
  RemoteConnection,
  unavailable,
} from '../../../engine/connection/index.js';
import { Engine } from '../../../engine/engine.js';
import type { Item } from '../../../engine/types.js';
import { startServer } from '../../../main/server/index.js';
import type { SortkeyServer } from '../../../main/server/index.js';

const ITEMS: Item[] = [
  {
    pk: { S: 'a' },
    sk: { N: '1' },
    bin: { B: 'AAEC/w==' },
    set: { BS: ['AQ==', 'Ag=='] },
    n: { N: '12345678901234567890.5' },
  },
  {
    pk: { S: 'a' },
    sk: { N: '2' },
    doc: { M: { l: { L: [{ B: 'AA==' }, { NULL: true }, { BOOL: false }] } } },
  },
  { pk: { S: 'b' }, sk: { N: '1' }, g: { S: 'x' }, ss: { SS: ['p', 'q'] }, ns: { NS: ['1', '2.5'] } },
];

/** Fields that differ between two databases for reasons that are not the connection's. */
function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (
      [
        'CreationDateTime',
        'TableArn',
        'TableId',
        'IndexArn',
        'LatestStreamArn',
        'LastUpdateToPayPerRequestDateTime',
      ].includes(k)
    )
      continue;
    out[k] = stable(x);
  }
  return out;
}

/** A script of operations; returns every answer (or error type) in order. */
async function script(c: Connection): Promise<unknown[]> {
  const answers: unknown[] = [];
  const step = async (f: () => Promise<unknown>) => {
    try {
      answers.push(stable(await f()));
    } catch (e) {
      answers.push({ error: (e as ConnectionError).type, message: (e as Error).message });
    }
  };
  await step(() =>
    c.call('CreateTable', {
      TableName: 'Parity',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (const item of ITEMS) await step(() => c.call('PutItem', { TableName: 'Parity', Item: item }));
  await step(() =>
    c.call('GetItem', { TableName: 'Parity', Key: { pk: { S: 'a' }, sk: { N: '1' } }, ConsistentRead: true }),
  );
  await step(() =>
    c.call('Query', {
      TableName: 'Parity',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'a' } },
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  await step(() =>
    c.call('Scan', {
      TableName: 'Parity',
      FilterExpression: 'contains(#s, :b)',
      ExpressionAttributeNames: { '#s': 'set' },
      ExpressionAttributeValues: { ':b': { B: 'Ag==' } },
    }),
  );
  await step(() =>
    c.call('UpdateItem', {
      TableName: 'Parity',
      Key: { pk: { S: 'b' }, sk: { N: '1' } },
      UpdateExpression: 'SET bin = :b ADD ns :n',
      ExpressionAttributeValues: { ':b': { B: '/w==' }, ':n': { NS: ['3'] } },
      ReturnValues: 'ALL_NEW',
    }),
  );
  await step(() =>
    c.call('BatchWriteItem', {
      RequestItems: { Parity: [{ DeleteRequest: { Key: { pk: { S: 'a' }, sk: { N: '2' } } } }] },
    }),
  );
  await step(() =>
    c.call('ExecuteStatement', { Statement: `SELECT * FROM Parity WHERE pk = ?`, Parameters: [{ S: 'b' }] }),
  );
  await step(() =>
    c.call('PutItem', {
      TableName: 'Parity',
      Item: { pk: { S: 'a' }, sk: { N: '1' } },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
  );
  await step(() => c.call('DescribeTable', { TableName: 'Nowhere' }));
  await step(() => c.call('DescribeTable', { TableName: 'Parity' }));
  await step(() => c.call('ListTables', {}));
  await step(async () => {
    const e = await c.explain(`SELECT * FROM "Parity"."byG" WHERE g = 'x'`);
    return { kind: e.StatementKind, steps: e.Steps };
  });
  return answers;
}

describe('connections', () => {
  let server: SortkeyServer;
  let embedded: EmbeddedConnection;
  let remote: RemoteConnection;

  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true });
    embedded = new EmbeddedConnection(Engine.inMemory({ ttlSweepIntervalMs: 0 }), 'test', true);
    remote = new RemoteConnection({ endpoint: server.url, baseDelayMs: 1 });
  });
  after(async () => {
    await embedded.close();
    await remote.close();
    await server.close();
  });

  it('answer the same operations the same, binary and numbers included', async () => {
    const local = await script(embedded);
    const far = await script(remote);
    for (let i = 0; i < local.length; i++) assert.deepEqual(far[i], local[i], `step ${i}`);
    // The conditional failure carries the stored item through both (DynamoDB's error body).
    const failed = local.find((a) => (a as { error?: string }).error === 'ConditionalCheckFailedException');
    assert.ok(failed);
  });

  it('keep the error body beside the message', async () => {
    for (const c of [embedded, remote]) {
      const e = await c
        .call('PutItem', {
          TableName: 'Parity',
          Item: { pk: { S: 'b' }, sk: { N: '1' } },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        })
        .then(
          () => undefined,
          (x: unknown) => x,
        );
      assert.ok(e instanceof ConnectionError, c.kind);
      assert.equal(e.type, 'ConditionalCheckFailedException');
      assert.deepEqual((e.extra?.Item as Item).pk, { S: 'b' });
    }
  });

  it('declare what only the embedded engine has, and plan EXPLAIN remotely from DescribeTable', async () => {
    assert.deepEqual(embedded.capabilities, {
      exactExplain: true,
      metrics: true,
      throttling: true,
      faultInjection: true,
      partiql: true,
      atomicImport: true,
    });
    assert.equal(remote.capabilities.metrics, false);
    assert.equal(remote.capabilities.exactExplain, false);
    assert.equal(remote.capabilities.partiql, true); // learnt from the ExecuteStatement above
    const plan = await remote.explain(`SELECT * FROM Parity WHERE pk = 'a' AND sk > 1`);
    assert.equal(plan.Steps[0]?.Operation, 'Query');
    assert.match(plan.Note ?? '', /planned from the remote table’s keys and indexes/);
    await assert.rejects(remote.sortkey('GetMetrics', {}), { name: 'UnsupportedOperation' });
    assert.match(
      unavailable(remote, 'metrics', 'Metrics').message,
      /Metrics is not available here: only the embedded/,
    );
  });

  it('recognise a service without PartiQL (dynalite)', async () => {
    const dynalite = createRequire(import.meta.url)('dynalite') as (o?: object) => Server;
    const d = dynalite({ createTableMs: 0 });
    await new Promise<void>((r) => d.listen(0, '127.0.0.1', r));
    const c = new RemoteConnection({ endpoint: `http://127.0.0.1:${(d.address() as AddressInfo).port}` });
    try {
      assert.equal(c.capabilities.partiql, undefined);
      assert.deepEqual((await c.call('ListTables', {})).TableNames, []);
      await assert.rejects(c.call('ExecuteStatement', { Statement: 'SELECT * FROM T' }), {
        name: 'UnknownOperationException',
        message: /does not implement ExecuteStatement \(PartiQL\)/,
      });
      assert.equal(c.capabilities.partiql, false);
    } finally {
      await c.close();
      d.close();
    }
  });

  it('never load the AWS SDK at module load (only on a remote connection’s first request)', () => {
    const dir = join(fileURLToPath(import.meta.url), '../../../../engine/connection');
    for (const f of readdirSync(dir)) {
      const text = readFileSync(join(dir, f), 'utf8');
      assert.doesNotMatch(text, /^import (?!type )[^;]*from '@aws-sdk/m, f);
    }
  });
});
