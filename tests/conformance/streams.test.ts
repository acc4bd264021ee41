// DynamoDB Streams and TTL through the real AWS SDKs (@aws-sdk/client-dynamodb-streams and
// @aws-sdk/client-dynamodb) against the HTTP endpoint: records for each write path, view types,
// iterator types and paging, errors, TTL deletions with the service identity, and the CLI command.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  DescribeTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { CreateTableCommandInput, StreamViewType } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { _Record, GetRecordsCommandOutput, ShardIteratorType } from '@aws-sdk/client-dynamodb-streams';
import {
  BatchWriteCommand,
  DeleteCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Engine } from '../../engine/engine.js';
import { readTableStream, remoteApi, runStreamCommand } from '../../main/cli/stream.js';
import type { WireRecord } from '../../main/cli/stream.js';
import {
  engineHas,
  expectAwsError,
  hashTable,
  rawRequest,
  requiresOperations,
  TEST_CREDENTIALS,
  TEST_REGION,
  uniqueTableName,
  withServer,
} from './support.js';

const T0 = 1_700_000_000_000;
const skip = requiresOperations(
  'ListStreams',
  'DescribeStream',
  'GetShardIterator',
  'GetRecords',
  'UpdateTimeToLive',
);

function streamTable(
  TableName: string,
  viewType: StreamViewType = 'NEW_AND_OLD_IMAGES',
): CreateTableCommandInput {
  return { ...hashTable(TableName), StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } };
}

describe('DynamoDB Streams through the AWS SDK', { skip }, () => {
  // An engine on a clock the tests move: iterator expiry and 24-hour trimming are observable.
  let now = T0;
  const engine = Engine.inMemory({ now: () => now, ttlSweepIntervalMs: 0 });
  const s = withServer({ engine, closeEngine: true });
  const clients: DynamoDBStreamsClient[] = [];
  const streams = () => {
    const c = new DynamoDBStreamsClient({
      endpoint: s.url,
      region: TEST_REGION,
      credentials: TEST_CREDENTIALS,
    });
    clients.push(c);
    return c;
  };
  after(() => {
    for (const c of clients) c.destroy();
  });

  async function create(
    viewType: StreamViewType = 'NEW_AND_OLD_IMAGES',
  ): Promise<{ TableName: string; arn: string }> {
    const TableName = uniqueTableName('Stream');
    const out = await s.client.send(new CreateTableCommand(streamTable(TableName, viewType)));
    return { TableName, arn: out.TableDescription!.LatestStreamArn! };
  }

  async function iterator(
    arn: string,
    type: ShardIteratorType = 'TRIM_HORIZON',
    SequenceNumber?: string,
  ): Promise<string> {
    const st = streams();
    const d = await st.send(new DescribeStreamCommand({ StreamArn: arn }));
    const out = await st.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: d.StreamDescription!.Shards![0]!.ShardId!,
        ShardIteratorType: type,
        ...(SequenceNumber ? { SequenceNumber } : {}),
      }),
    );
    return out.ShardIterator!;
  }

  async function readAll(arn: string, type: ShardIteratorType = 'TRIM_HORIZON'): Promise<_Record[]> {
    const st = streams();
    const records: _Record[] = [];
    let it: string | undefined = await iterator(arn, type);
    while (it) {
      const out: GetRecordsCommandOutput = await st.send(new GetRecordsCommand({ ShardIterator: it }));
      records.push(...(out.Records ?? []));
      if (!out.Records?.length) break;
      it = out.NextShardIterator;
    }
    return records;
  }

  const events = (records: _Record[]) => records.map((r) => [r.eventName, r.dynamodb?.Keys?.pk?.S]);

  it('records every write path: Put, Update, Delete, BatchWrite, TransactWrite, PartiQL', async () => {
    const { TableName, arn } = await create();
    await s.doc.send(new PutCommand({ TableName, Item: { pk: 'put', n: 1 } }));
    await s.doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk: 'put' },
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': 2 },
      }),
    );
    await s.doc.send(new DeleteCommand({ TableName, Key: { pk: 'put' } }));
    await s.doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [TableName]: [{ PutRequest: { Item: { pk: 'b1' } } }, { PutRequest: { Item: { pk: 'b2' } } }],
        },
      }),
    );
    await s.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk: 't1' } } },
          { Delete: { TableName, Key: { pk: 'b1' } } },
        ],
      }),
    );
    if (engineHas('ExecuteStatement')) {
      await s.client.send(
        new ExecuteStatementCommand({ Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'sql'}` }),
      );
    }
    const records = await readAll(arn);
    const got = events(records);
    assert.deepEqual(got.slice(0, 3), [
      ['INSERT', 'put'],
      ['MODIFY', 'put'],
      ['REMOVE', 'put'],
    ]);
    assert.deepEqual(got.slice(3, 5).sort(), [
      ['INSERT', 'b1'],
      ['INSERT', 'b2'],
    ]);
    assert.deepEqual(got.slice(5, 7).sort(), [
      ['INSERT', 't1'],
      ['REMOVE', 'b1'],
    ]);
    if (engineHas('ExecuteStatement')) assert.deepEqual(got[7], ['INSERT', 'sql']);

    const modify = records[1]!;
    assert.equal(modify.eventVersion, '1.1');
    assert.equal(modify.eventSource, 'aws:dynamodb');
    assert.equal(modify.awsRegion, 'us-east-1');
    assert.match(modify.eventID!, /^[0-9a-f]{32}$/);
    assert.ok(modify.dynamodb!.ApproximateCreationDateTime instanceof Date);
    assert.equal(modify.dynamodb!.ApproximateCreationDateTime!.getTime(), Math.floor(T0 / 1000) * 1000);
    assert.deepEqual(modify.dynamodb!.Keys, { pk: { S: 'put' } });
    assert.deepEqual(modify.dynamodb!.NewImage, { pk: { S: 'put' }, n: { N: '2' } });
    assert.deepEqual(modify.dynamodb!.OldImage, { pk: { S: 'put' }, n: { N: '1' } });
    assert.equal(modify.dynamodb!.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.ok(modify.dynamodb!.SizeBytes! > 0);
    const seqs = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    assert.deepEqual(
      [...seqs].sort((a, b) => (a < b ? -1 : 1)),
      seqs,
      'sequence numbers increase',
    );
  });

  for (const viewType of ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const) {
    it(`${viewType}: the images the view type carries`, async () => {
      const { TableName, arn } = await create(viewType);
      await s.doc.send(new PutCommand({ TableName, Item: { pk: 'a', v: 1 } }));
      await s.doc.send(new PutCommand({ TableName, Item: { pk: 'a', v: 2 } }));
      const [, modify] = await readAll(arn);
      const d = modify!.dynamodb!;
      assert.equal(d.StreamViewType, viewType);
      assert.equal(d.NewImage !== undefined, viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES');
      assert.equal(d.OldImage !== undefined, viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES');
    });
  }

  it('lists and describes streams', async () => {
    const { TableName, arn } = await create('KEYS_ONLY');
    const st = streams();
    const listed = await st.send(new ListStreamsCommand({ TableName }));
    assert.deepEqual(listed.Streams, [
      { StreamArn: arn, TableName, StreamLabel: arn.slice(arn.lastIndexOf('/') + 1) },
    ]);
    const d = (await st.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
    assert.equal(d.StreamStatus, 'ENABLED');
    assert.equal(d.StreamViewType, 'KEYS_ONLY');
    assert.equal(d.TableName, TableName);
    assert.ok(d.CreationRequestDateTime instanceof Date);
    assert.deepEqual(d.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }]);
    assert.equal(d.Shards!.length, 1);
    assert.match(d.Shards![0]!.SequenceNumberRange!.StartingSequenceNumber!, /^\d{21,40}$/);
    const page = await st.send(new ListStreamsCommand({ Limit: 1 }));
    assert.equal(page.Streams!.length, 1);
    assert.ok(page.LastEvaluatedStreamArn);
    await expectAwsError(
      st.send(new DescribeStreamCommand({ StreamArn: `${arn}0` })),
      'ResourceNotFoundException',
      `Requested resource not found: Stream: ${arn}0 not found`,
    );
  });

  it('iterator types: TRIM_HORIZON, LATEST, AT_ and AFTER_SEQUENCE_NUMBER; paging with Limit', async () => {
    const { TableName, arn } = await create('KEYS_ONLY');
    for (const pk of ['a', 'b', 'c', 'd']) await s.doc.send(new PutCommand({ TableName, Item: { pk } }));
    const all = await readAll(arn);
    assert.deepEqual(
      events(all).map((e) => e[1]),
      ['a', 'b', 'c', 'd'],
    );
    const st = streams();
    const seqB = all[1]!.dynamodb!.SequenceNumber!;
    const at = await st.send(
      new GetRecordsCommand({ ShardIterator: await iterator(arn, 'AT_SEQUENCE_NUMBER', seqB) }),
    );
    assert.deepEqual(
      events(at.Records!).map((e) => e[1]),
      ['b', 'c', 'd'],
    );
    const afterB = await st.send(
      new GetRecordsCommand({ ShardIterator: await iterator(arn, 'AFTER_SEQUENCE_NUMBER', seqB), Limit: 1 }),
    );
    assert.deepEqual(
      events(afterB.Records!).map((e) => e[1]),
      ['c'],
    );
    const next = await st.send(new GetRecordsCommand({ ShardIterator: afterB.NextShardIterator!, Limit: 5 }));
    assert.deepEqual(
      events(next.Records!).map((e) => e[1]),
      ['d'],
    );
    const latest = await iterator(arn, 'LATEST');
    assert.deepEqual((await st.send(new GetRecordsCommand({ ShardIterator: latest }))).Records, []);
    await s.doc.send(new PutCommand({ TableName, Item: { pk: 'e' } }));
    assert.deepEqual(
      events((await st.send(new GetRecordsCommand({ ShardIterator: latest }))).Records!).map((e) => e[1]),
      ['e'],
    );
  });

  it('expired iterators, trimmed records, bad iterators', async () => {
    const { TableName, arn } = await create('KEYS_ONLY');
    await s.doc.send(new PutCommand({ TableName, Item: { pk: 'old' } }));
    const st = streams();
    const it1 = await iterator(arn);
    now += 16 * 60 * 1000;
    await expectAwsError(st.send(new GetRecordsCommand({ ShardIterator: it1 })), 'ExpiredIteratorException');
    const oldSeq = (await readAll(arn))[0]!.dynamodb!.SequenceNumber!;
    now += 24 * 60 * 60 * 1000;
    assert.deepEqual(await readAll(arn), []);
    await expectAwsError(iterator(arn, 'AT_SEQUENCE_NUMBER', oldSeq), 'TrimmedDataAccessException');
    await expectAwsError(
      st.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })),
      'ValidationException',
    );
  });

  it('disabling the stream closes its shard; enabling again makes a new stream', async () => {
    const { TableName, arn } = await create('KEYS_ONLY');
    await s.doc.send(new PutCommand({ TableName, Item: { pk: 'a' } }));
    const it1 = await iterator(arn);
    now += 1000;
    await s.client.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false } }));
    const st = streams();
    const d = (await st.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
    assert.equal(d.StreamStatus, 'DISABLED');
    assert.ok(d.Shards![0]!.SequenceNumberRange!.EndingSequenceNumber);
    const drained = await st.send(new GetRecordsCommand({ ShardIterator: it1 }));
    assert.equal(drained.Records!.length, 1);
    assert.equal(drained.NextShardIterator, undefined);
    now += 1000;
    await s.client.send(
      new UpdateTableCommand({
        TableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const second = (await s.client.send(new DescribeTableCommand({ TableName }))).Table!.LatestStreamArn!;
    assert.notEqual(second, arn);
    assert.equal((await st.send(new ListStreamsCommand({ TableName }))).Streams!.length, 2);
  });

  it('TTL: UpdateTimeToLive/DescribeTimeToLive, and the deletion record with the service identity', async () => {
    const { TableName, arn } = await create('NEW_AND_OLD_IMAGES');
    const spec = await s.client.send(
      new UpdateTimeToLiveCommand({
        TableName,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
      }),
    );
    assert.deepEqual(spec.TimeToLiveSpecification, { Enabled: true, AttributeName: 'expires' });
    assert.deepEqual(
      (await s.client.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription,
      {
        TimeToLiveStatus: 'ENABLED',
        AttributeName: 'expires',
      },
    );
    await expectAwsError(
      s.client.send(
        new UpdateTimeToLiveCommand({
          TableName,
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
        }),
      ),
      'ValidationException',
      'TimeToLive is already enabled',
    );
    await s.doc.send(
      new PutCommand({ TableName, Item: { pk: 'gone', expires: Math.floor(now / 1000) - 1 } }),
    );
    await s.doc.send(
      new PutCommand({ TableName, Item: { pk: 'kept', expires: Math.floor(now / 1000) + 3600 } }),
    );
    assert.equal(engine.sweepExpiredItems(), 1);
    const records = await readAll(arn);
    const removal = records.find((r) => r.eventName === 'REMOVE')!;
    assert.deepEqual(removal.dynamodb!.Keys, { pk: { S: 'gone' } });
    assert.deepEqual(removal.dynamodb!.OldImage, {
      pk: { S: 'gone' },
      expires: { N: String(Math.floor(now / 1000) - 1) },
    });
    // On the wire, exactly DynamoDB's shape.
    const st = streams();
    const d = await st.send(new DescribeStreamCommand({ StreamArn: arn }));
    const raw = await rawRequest(s.url, {
      target: 'DynamoDBStreams_20120810.GetShardIterator',
      body: {
        StreamArn: arn,
        ShardId: d.StreamDescription!.Shards![0]!.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      },
    });
    const got = await rawRequest(s.url, {
      target: 'DynamoDBStreams_20120810.GetRecords',
      body: { ShardIterator: raw.json!.ShardIterator },
    });
    const wire = (got.json!.Records as Record<string, unknown>[]).find((r) => r.eventName === 'REMOVE')!;
    assert.deepEqual(wire.userIdentity, { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
    const inserts = (got.json!.Records as Record<string, unknown>[]).filter((r) => r.eventName === 'INSERT');
    for (const r of inserts) assert.equal(r.userIdentity, undefined);
  });

  it('sortkey stream: reads a table stream through an endpoint (readable and NDJSON)', async () => {
    const { TableName } = await create('NEW_IMAGE');
    await s.doc.send(new PutCommand({ TableName, Item: { pk: 'cli', n: 5 } }));
    await s.doc.send(new DeleteCommand({ TableName, Key: { pk: 'cli' } }));
    const api = await remoteApi({ endpoint: s.url, region: TEST_REGION });
    const got: WireRecord[] = [];
    try {
      const n = await readTableStream(
        api,
        TableName,
        { follow: false, from: 'trim-horizon', intervalMs: 10 },
        (r) => got.push(r),
      );
      assert.equal(n, 2);
    } finally {
      api.close();
    }
    assert.deepEqual(
      got.map((r) => r.eventName),
      ['INSERT', 'REMOVE'],
    );
    assert.equal(typeof got[0]!.dynamodb!.ApproximateCreationDateTime, 'number');
    const lines: string[] = [];
    assert.equal(await runStreamCommand(TableName, { endpoint: s.url, json: true }, (l) => lines.push(l)), 0);
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as WireRecord).dynamodb!.Keys),
      [{ pk: { S: 'cli' } }, { pk: { S: 'cli' } }],
    );
    const text: string[] = [];
    assert.equal(
      await runStreamCommand(TableName, { endpoint: s.url, color: false }, (l) => text.push(l)),
      0,
    );
    assert.match(text[0]!, /INSERT\s+\{pk: "cli"\}\s+new \{pk: "cli", n: 5\}/);
  });

  it('sortkey stream --follow prints records as they arrive', async () => {
    const { TableName } = await create('KEYS_ONLY');
    const remote = await remoteApi({ endpoint: s.url, region: TEST_REGION });
    // LATEST starts after the writes made before the reader holds its iterator: write only then.
    let positioned!: () => void;
    const hasIterator = new Promise<void>((resolve) => (positioned = resolve));
    const api: typeof remote = {
      ...remote,
      latestStream: (t) => remote.latestStream(t),
      describeStream: (arn) => remote.describeStream(arn),
      getRecords: (it) => remote.getRecords(it),
      close: () => remote.close(),
      getShardIterator: async (arn, shard, type) => {
        const iterator = await remote.getShardIterator(arn, shard, type);
        positioned();
        return iterator;
      },
    };
    const abort = new AbortController();
    const got: string[] = [];
    const reading = readTableStream(
      api,
      TableName,
      { follow: true, from: 'latest', intervalMs: 10, signal: abort.signal },
      (r) => {
        got.push(r.dynamodb!.Keys!.pk ? String((r.dynamodb!.Keys!.pk as { S: string }).S) : '?');
        if (got.length === 2) abort.abort();
      },
    );
    await hasIterator;
    await s.doc.send(new PutCommand({ TableName, Item: { pk: 'x' } }));
    await s.doc.send(new PutCommand({ TableName, Item: { pk: 'y' } }));
    await reading;
    api.close();
    assert.deepEqual(got, ['x', 'y']);
  });
});

describe('TTL deletion by the background sweeper, through the endpoint', { skip }, () => {
  const engine = Engine.inMemory({ ttlSweepIntervalMs: 20, ttlDelayMs: 0 });
  const s = withServer({ engine, closeEngine: true });

  it('really deletes expired items, within the configured interval', async () => {
    const TableName = uniqueTableName('Ttl');
    await s.client.send(new CreateTableCommand(hashTable(TableName)));
    await s.client.send(
      new UpdateTimeToLiveCommand({
        TableName,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' },
      }),
    );
    const nowSec = Math.floor(Date.now() / 1000);
    await s.doc.send(new PutCommand({ TableName, Item: { pk: 'expired', exp: nowSec - 10 } }));
    await s.doc.send(new PutCommand({ TableName, Item: { pk: 'alive', exp: nowSec + 3600 } }));
    let count = 2;
    for (let i = 0; i < 200 && count > 1; i++) {
      await new Promise((r) => setTimeout(r, 10));
      count = (await s.client.send(new DescribeTableCommand({ TableName }))).Table!.ItemCount!;
    }
    assert.equal(count, 1);
  });
});

describe('sortkey stream on a database file', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-stream-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the records of a file database without a server', async () => {
    const path = join(dir, 'db.sqlite');
    const e = new Engine({ path, ttlSweepIntervalMs: 0 });
    e.execute('CreateTable', streamTable('Local', 'KEYS_ONLY'));
    e.execute('PutItem', { TableName: 'Local', Item: { pk: { S: 'one' } } });
    e.close();
    const lines: string[] = [];
    assert.equal(await runStreamCommand('Local', { db: path, json: true }, (l) => lines.push(l)), 0);
    assert.equal(lines.length, 1);
    assert.deepEqual((JSON.parse(lines[0]!) as WireRecord).dynamodb!.Keys, { pk: { S: 'one' } });
  });
});
