// Remote sources and targets through the AWS SDK: a Sortkey endpoint stands in for DynamoDB.
// Parallel scans, BatchWriteItem with unprocessed items, conditional puts, table creation, retries
// with backoff on throttling.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  dumpDatabase,
  exportTable,
  importItems,
  RemoteConnection,
  restoreDatabase,
} from '../../../engine/dump/index.js';
import { backoffMs, isRetryable } from '../../../engine/dump/remote.js';
import { startServer } from '../../../main/server/index.js';
import type { SortkeyServer } from '../../../main/server/index.js';
import { assertSameItems, memoryEngine, RICH_ITEMS, scratchDir, seedRich, storedItems } from './helpers.js';

describe('remote services', () => {
  const dir = scratchDir();
  const serverEngine = memoryEngine();
  let server: SortkeyServer;
  let remote: RemoteConnection;

  before(async () => {
    seedRich(serverEngine);
    server = await startServer({ engine: serverEngine, port: 0 });
    remote = new RemoteConnection({ endpoint: server.url, region: 'us-east-1', baseDelayMs: 1 });
  });
  after(async () => {
    await remote.close();
    await server.close();
  });

  it('exports a remote table with a parallel scan, exactly', async () => {
    for (const segments of [1, 3]) {
      const path = join(dir, `remote-${segments}.jsonl`);
      const out = await exportTable(remote, 'Rich', path, { segments });
      assert.equal(out.items, RICH_ITEMS.length);
      const local = memoryEngine();
      await importItems(local, path, {
        table: 'Rich',
        partitionKey: { name: 'pk', type: 'S' },
        sortKey: { name: 'sk', type: 'N' },
      });
      assertSameItems(local, serverEngine, 'Rich');
    }
  });

  it('exports a remote Query', async () => {
    const out = await exportTable(
      remote,
      {
        table: 'Rich',
        query: { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a#1' } } },
      },
      join(dir, 'rq.jsonl'),
    );
    assert.equal(out.items, 2);
  });

  it('imports into a remote service, creating the table, 25 items per BatchWriteItem', async () => {
    const text = Array.from({ length: 120 }, (_, i) =>
      JSON.stringify({ Item: { id: { N: String(i) }, b: { B: 'AAE=' }, bs: { BS: ['AQ=='] } } }),
    ).join('\n');
    const report = await importItems(
      remote,
      { name: 'many.jsonl', text },
      { table: 'Remote1', partitionKey: { name: 'id', type: 'N' }, concurrency: 4 },
    );
    assert.equal(report.committed, true);
    assert.equal(report.written, 120);
    assert.equal(report.tables[0]!.created, true);
    const items = storedItems(serverEngine, 'Remote1');
    assert.equal(items.length, 120);
    assert.deepEqual(items[0]!.b, { B: 'AAE=' });
    assert.deepEqual(items[0]!.bs, { BS: ['AQ=='] });
  });

  it('a batch-write file with a key twice is refused before anything is sent, naming both lines', async () => {
    const text = [
      '{"RemoteDup":[',
      '{"PutRequest":{"Item":{"id":{"S":"a"},"v":{"N":"1"}}}},',
      '{"PutRequest":{"Item":{"id":{"S":"b"}}}},',
      '{"DeleteRequest":{"Key":{"id":{"S":"a"}}}}',
      ']}',
    ].join('\n');
    const report = await importItems(
      remote,
      { name: 'requests.json', text },
      { partitionKey: { name: 'id', type: 'S' } },
    );
    assert.equal(report.committed, false);
    assert.deepEqual(
      report.problems.map((p) => [p.file, p.line, p.reason]),
      [
        [
          'requests.json',
          4,
          'ValidationException: Provided list of item keys contains duplicates (table RemoteDup: lines 2 and 4 have the same key)',
        ],
      ],
    );
    assert.equal(serverEngine.ctx.catalog.get('RemoteDup'), undefined, 'nothing was sent');
  });

  it('a key repeated in one input does not break a BatchWriteItem (the last wins)', async () => {
    const text = ['{"id":{"N":"1"},"v":{"S":"first"}}', '{"id":{"N":"1"},"v":{"S":"second"}}'].join('\n');
    const report = await importItems(remote, { name: 'dupes', text }, { table: 'Remote1' });
    assert.equal(report.committed, true);
    assert.deepEqual(storedItems(serverEngine, 'Remote1').find((i) => (i.id as { N: string }).N === '1')!.v, {
      S: 'second',
    });
  });

  it('skip and fail conflicts use conditional puts', async () => {
    const text = '{"id":{"N":"1"},"v":{"S":"third"}}\n{"id":{"N":"1000"},"v":{"S":"new"}}';
    const skip = await importItems(remote, { name: 'c', text }, { table: 'Remote1', onConflict: 'skip' });
    assert.equal(skip.skipped, 1);
    assert.equal(skip.written, 1);
    const fail = await importItems(remote, { name: 'c', text }, { table: 'Remote1', onConflict: 'fail' });
    assert.equal(fail.rejected, 2);
    assert.match(fail.problems[0]!.reason, /already in table Remote1/);
  });

  it('bad records are caught before anything is sent', async () => {
    const text = '{"id":{"N":"5000"}}\n{"id":{"S":"wrong type"}}';
    const report = await importItems(remote, { name: 'bad', text }, { table: 'Remote1' });
    assert.equal(report.committed, false);
    assert.equal(
      storedItems(serverEngine, 'Remote1').some((i) => (i.id as { N: string }).N === '5000'),
      false,
    );
  });

  it('dumps a remote database and restores it into another one', async () => {
    const path = join(dir, 'remote.skdump');
    const out = await dumpDatabase(remote, path, { tables: ['Rich'] });
    assert.equal(out.items, RICH_ITEMS.length);
    const local = memoryEngine();
    await restoreDatabase(local, path);
    assertSameItems(local, serverEngine, 'Rich');
    // And back into the remote service under another name.
    const report = await restoreDatabase(remote, path, { tableMap: { Rich: 'RichBack' } });
    assert.equal(report.committed, true);
    assertSameItems(serverEngine, serverEngine, 'RichBack', 'Rich');
  });

  it('retries throttling with backoff, and resends unprocessed items', async () => {
    const client = await remote.sdkClient();
    const send = client.send.bind(client);
    let throttled = 0;
    let unprocessed = 0;
    // The import writes BatchWriteItem bodies itself (callWithBody): the requests are read from the
    // body each command sent.
    const bodies = new WeakMap<object, string>();
    const recordBody =
      (next: (args: { input: object; request: unknown }) => unknown) =>
      (args: { input: object; request: unknown }) => {
        bodies.set(args.input, String((args.request as { body?: unknown }).body));
        return next(args);
      };
    client.middlewareStack.add(recordBody as never, { step: 'finalizeRequest', name: 'testRecordBody' });
    (client as unknown as { send: unknown }).send = async (
      command: { constructor: { name: string }; input: object },
      opts: unknown,
    ) => {
      const name = command.constructor.name;
      if (name === 'BatchWriteItemCommand' && unprocessed < 2) {
        unprocessed++;
        const out = (await send(command as never, opts as never)) as unknown as Record<string, unknown>;
        // Pretend the service only took half of the first batches.
        const sent = JSON.parse(bodies.get(command.input)!) as { RequestItems: Record<string, unknown[]> };
        const [table, requests] = Object.entries(sent.RequestItems)[0]!;
        return { ...out, UnprocessedItems: { [table]: requests.slice(0, Math.ceil(requests.length / 2)) } };
      }
      if (name === 'ScanCommand' && throttled < 3) {
        throttled++;
        const e = new Error('Rate of requests exceeds the allowed throughput.');
        e.name = 'ProvisionedThroughputExceededException';
        throw e;
      }
      return send(command as never, opts as never);
    };
    try {
      const text = Array.from({ length: 30 }, (_, i) => `{"id":{"N":"${2000 + i}"}}`).join('\n');
      const report = await importItems(remote, { name: 'x', text }, { table: 'Remote1' });
      assert.equal(report.written, 30);
      assert.equal(unprocessed, 2);
      assert.equal(
        storedItems(serverEngine, 'Remote1').filter((i) => Number((i.id as { N: string }).N) >= 2000).length,
        30,
      );
      const out = await exportTable(remote, 'Rich', join(dir, 'throttled.jsonl'), { segments: 1 });
      assert.equal(throttled, 3);
      assert.equal(out.items, RICH_ITEMS.length);
    } finally {
      (client as unknown as { send: unknown }).send = send;
      client.middlewareStack.remove('testRecordBody');
    }
  });

  it('gives up after maxAttempts, and never retries client errors', async () => {
    const limited = new RemoteConnection({ endpoint: server.url, maxAttempts: 3, baseDelayMs: 1 });
    let calls = 0;
    ((await limited.sdkClient()) as unknown as { send: unknown }).send = async () => {
      calls++;
      const e = new Error('slow down');
      e.name = 'ThrottlingException';
      throw e;
    };
    await assert.rejects(limited.call('ListTables', {}), /slow down/);
    assert.equal(calls, 3);
    await limited.close();
    const e = new Error('bad');
    e.name = 'ValidationException';
    assert.equal(isRetryable(e), false);
    assert.equal(
      isRetryable(Object.assign(new Error('x'), { name: 'ProvisionedThroughputExceededException' })),
      true,
    );
    assert.equal(isRetryable(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } })), true);
    for (let a = 0; a < 20; a++) assert.ok(backoffMs(a, 50) <= 10_000);
  });
});
