// Read workers (engine/workers): reads served by worker threads with their own connections see
// every write acknowledged before them, cost and count exactly what they cost on the main thread,
// survive a worker's crash, and stop with the server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import { DynamoError } from '../../../engine/errors.js';
import { JsonBody } from '../../../engine/workers/protocol.js';
import type { WorkerReads } from '../../../engine/workers/reads.js';
import { startServer } from '../../../main/server/index.js';
import type { SortkeyServer } from '../../../main/server/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sortkey-read-workers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const TABLE = 'Orders';
const CREATE = {
  TableName: TABLE,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'status', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byStatus',
      KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

function item(p: number, s: number): Record<string, unknown> {
  return {
    pk: { S: `p${p}` },
    sk: { N: String(s) },
    status: { S: s % 3 === 0 ? 'open' : 'closed' },
    // Items of a few KB, so that capacity units are more than one.
    body: { S: 'x'.repeat(500 + ((p * 7 + s * 13) % 9) * 700) },
  };
}

/** The reads compared between the two paths: every kind a worker serves, a few failing. */
const READS: [string, Record<string, unknown>][] = [
  [
    'Query',
    {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'p1' } },
      ReturnConsumedCapacity: 'INDEXES',
    },
  ],
  [
    'Query',
    {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'p2' } },
      ConsistentRead: true,
      ReturnConsumedCapacity: 'TOTAL',
    },
  ],
  [
    'Query',
    {
      TableName: TABLE,
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: 'open' } },
      Limit: 7,
      ReturnConsumedCapacity: 'INDEXES',
    },
  ],
  ['Scan', { TableName: TABLE, ReturnConsumedCapacity: 'INDEXES' }],
  [
    'Scan',
    {
      TableName: TABLE,
      ConsistentRead: true,
      Limit: 11,
      FilterExpression: 'sk > :n',
      ExpressionAttributeValues: { ':n': { N: '3' } },
      ReturnConsumedCapacity: 'TOTAL',
    },
  ],
  ['Scan', { TableName: TABLE, Segment: 1, TotalSegments: 3, Select: 'COUNT' }],
  [
    'BatchGetItem',
    {
      RequestItems: {
        [TABLE]: {
          Keys: [
            { pk: { S: 'p1' }, sk: { N: '1' } },
            { pk: { S: 'p3' }, sk: { N: '4' } },
            { pk: { S: 'nope' }, sk: { N: '0' } },
          ],
        },
      },
      ReturnConsumedCapacity: 'INDEXES',
    },
  ],
  [
    'BatchGetItem',
    {
      RequestItems: { [TABLE]: { Keys: [{ pk: { S: 'p2' }, sk: { N: '2' } }], ConsistentRead: true } },
      ReturnConsumedCapacity: 'TOTAL',
    },
  ],
  [
    'TransactGetItems',
    {
      TransactItems: [{ Get: { TableName: TABLE, Key: { pk: { S: 'p1' }, sk: { N: '2' } } } }],
      ReturnConsumedCapacity: 'INDEXES',
    },
  ],
  [
    'ExecuteStatement',
    { Statement: `SELECT * FROM "${TABLE}" WHERE pk = 'p4'`, ReturnConsumedCapacity: 'TOTAL' },
  ],
  [
    'ExecuteStatement',
    {
      Statement: `  select pk, sk FROM "${TABLE}"."byStatus" WHERE status = 'closed'`,
      Limit: 5,
      ConsistentRead: false,
    },
  ],
  ['ExecuteStatement', { Statement: `SELECT * FROM "${TABLE}" WHERE pk = 'p3' AND sk = 3` }],
  [
    'Query',
    {
      TableName: 'Missing',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'p1' } },
    },
  ],
  ['Scan', { TableName: TABLE, Limit: 0 }],
  [
    'Query',
    { TableName: TABLE, KeyConditionExpression: 'sk = :p', ExpressionAttributeValues: { ':p': { N: '1' } } },
  ],
  ['ExecuteStatement', { Statement: 'SELECT * FROM' }],
];

function fill(engine: Engine): void {
  engine.execute('CreateTable', CREATE);
  for (let p = 0; p < 6; p++)
    for (let s = 0; s < 8; s++) engine.execute('PutItem', { TableName: TABLE, Item: item(p, s) });
}

/** An answer as the client sees it: the body, or the error's type, message and extra fields. */
async function outcome(run: () => unknown): Promise<unknown> {
  try {
    const result = await run();
    return result instanceof JsonBody ? JSON.parse(result.json) : JSON.parse(JSON.stringify(result ?? {}));
  } catch (e) {
    if (!(e instanceof DynamoError)) throw e;
    return { error: e.type, message: e.message, extra: e.extra };
  }
}

/** What the usage monitor recorded, without latencies (which differ by nature). */
function usageSummary(engine: Engine): unknown {
  const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((x, y) => x + y, 0);
  const out: Record<string, unknown> = {};
  const all = [...engine.ctx.usage.tables.entries(), ['(account)', engine.ctx.usage.account] as const];
  for (const [name, s] of all) {
    out[name] = {
      read: sum(s.consumedRead),
      write: sum(s.consumedWrite),
      indexes: Object.fromEntries([...s.indexes].map(([i, r]) => [i, sum(r.consumedRead)])),
      operations: Object.fromEntries(
        [...s.operations].map(([op, o]) => [op, { requests: sum(o.requests), returned: sum(o.returned) }]),
      ),
      errors: Object.fromEntries([...s.errors].map(([type, c]) => [type, sum(c.count)])),
      hot: JSON.stringify(s.hot),
    };
  }
  return out;
}

describe('read workers', () => {
  let engine: Engine;
  let server: SortkeyServer;
  let reads: WorkerReads;

  before(async () => {
    engine = new Engine({ path: join(dir, 'workers.sqlite') });
    fill(engine);
    server = await startServer({ port: 0, engine, closeEngine: true, readWorkers: 2, onLog: () => {} });
    reads = server.readWorkers!;
    await reads.whenReady();
  });
  after(async () => {
    await server.close({ graceMs: 1000 });
  });

  async function api(op: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${op}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it('answers reads from workers with the same bodies, capacity and metrics as the one-thread path', async () => {
    const single = new Engine({ path: join(dir, 'single.sqlite') });
    try {
      fill(single);
      // The same starting point: only what the reads below record is compared.
      engine.ctx.usage.tables.clear();
      single.ctx.usage.tables.clear();
      const before = { ...reads.counts };
      for (const [op, input] of READS) {
        const viaWorker = await outcome(() => reads.execute(op, input));
        const onMain = await outcome(() => single.execute(op, input));
        assert.deepEqual(viaWorker, onMain, `${op} ${JSON.stringify(input).slice(0, 120)}`);
      }
      assert.equal(reads.counts.served - before.served, READS.length, 'every read was served by a worker');
      assert.equal(reads.counts.handedBack, before.handedBack);
      assert.deepEqual(usageSummary(engine), usageSummary(single));
    } finally {
      single.close();
    }
  });

  it('sees every write acknowledged before a read, under concurrency', async () => {
    const before = reads.counts.served;
    await Promise.all(
      Array.from({ length: 8 }, async (_, client) => {
        const pk = { S: `ryw${client}` };
        for (let i = 0; i < 25; i++) {
          const put = await api('PutItem', {
            TableName: TABLE,
            Item: { pk, sk: { N: '0' }, v: { N: String(i) } },
          });
          assert.equal(put.status, 200);
          const q = await api('Query', {
            TableName: TABLE,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': pk },
          });
          assert.equal(q.status, 200);
          assert.deepEqual(
            (q.json.Items as { v: unknown }[]).map((it) => it.v),
            [{ N: String(i) }],
          );
          const sel = await api('ExecuteStatement', {
            Statement: `SELECT v FROM "${TABLE}" WHERE pk = 'ryw${client}'`,
            ConsistentRead: i % 2 === 0,
          });
          assert.deepEqual(sel.json.Items, [{ v: { N: String(i) } }]);
          await api('DeleteItem', { TableName: TABLE, Key: { pk, sk: { N: '0' } } });
          const batch = await api('BatchGetItem', {
            RequestItems: { [TABLE]: { Keys: [{ pk, sk: { N: '0' } }] } },
          });
          assert.deepEqual((batch.json.Responses as Record<string, unknown[]>)[TABLE], []);
        }
      }),
    );
    assert.ok(reads.counts.served - before >= 8 * 25 * 3, 'the reads went to the workers');
  });

  it('follows the writer’s catalog: a new index, a table dropped and created again', async () => {
    const name = 'Reshaped';
    engine.execute('CreateTable', {
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
    engine.execute('PutItem', { TableName: name, Item: { id: { S: 'a' }, g: { S: 'x' } } });
    assert.equal((await api('Scan', { TableName: name })).json.Count, 1);
    engine.execute('UpdateTable', {
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        },
      ],
    } as unknown as Record<string, unknown>);
    const viaIndex = await api('Query', {
      TableName: name,
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'x' } },
    });
    assert.equal(viaIndex.status, 200, JSON.stringify(viaIndex.json));
    assert.equal(viaIndex.json.Count, 1);
    engine.execute('DeleteTable', { TableName: name });
    assert.equal(
      (await api('Scan', { TableName: name })).json.__type?.toString().endsWith('ResourceNotFoundException'),
      true,
    );
    engine.execute('CreateTable', {
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'code', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'code', KeyType: 'HASH' }],
    });
    engine.execute('PutItem', { TableName: name, Item: { code: { N: '5' } } });
    const again = await api('Query', {
      TableName: name,
      KeyConditionExpression: 'code = :o',
      ExpressionAttributeValues: { ':o': { N: '5' } },
    });
    assert.deepEqual(again.json.Items, [{ code: { N: '5' } }], JSON.stringify(again.json));
  });

  it('answers a read whose worker dies with InternalServerError, and replaces the worker', async () => {
    reads.pool.crash(0);
    const lost = await outcome(() => reads.execute('Scan', { TableName: TABLE, Limit: 1 }));
    assert.deepEqual(lost, {
      error: 'InternalServerError',
      message: 'Internal server error: a read worker stopped',
      extra: undefined,
    });
    // The failure is counted like any other.
    assert.ok(
      (engine.ctx.usage.tables.get(TABLE)?.errors.get('InternalServerError')?.count ?? []).some((n) => n > 0),
    );
    await reads.whenReady();
    assert.equal(reads.pool.size, 2);
    const served = reads.counts.served;
    for (let i = 0; i < 4; i++) assert.equal((await api('Scan', { TableName: TABLE, Limit: 2 })).status, 200);
    assert.equal(reads.counts.served, served + 4);
  });

  it('keeps reads on the writer while faults or throttling are in play', async () => {
    engine.ctx.usage.setThrottleMode('provisioned');
    try {
      const before = { ...reads.counts };
      assert.equal((await api('Scan', { TableName: TABLE, Limit: 1 })).status, 200);
      assert.deepEqual(reads.counts, before);
    } finally {
      engine.ctx.usage.setThrottleMode('off');
    }
  });
});

describe('read workers: where they are not used, and shutdown', () => {
  it('serves an in-memory database on one thread (its connection cannot be shared)', async () => {
    const server = await startServer({ port: 0, inMemory: true, readWorkers: 2 });
    try {
      assert.equal(server.readWorkers, undefined);
    } finally {
      await server.close();
    }
  });

  it('stops its workers when the server closes, answering reads still held', async () => {
    const server = await startServer({ port: 0, db: join(dir, 'shutdown.sqlite'), readWorkers: 1 });
    const reads = server.readWorkers!;
    await reads.whenReady();
    (server.engine as Engine).execute('CreateTable', CREATE);
    const held = outcome(() => reads.execute('Scan', { TableName: TABLE }));
    await server.close();
    const answer = (await held) as { error?: string; Count?: number };
    // Either the read finished before the workers stopped, or it was answered as a server error.
    assert.ok(answer.Count === 0 || answer.error === 'InternalServerError', JSON.stringify(answer));
    assert.equal(reads.pool.size, 1);
    assert.equal(reads.pool.ready, false);
  });
});
