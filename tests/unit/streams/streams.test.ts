import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import { writeItem } from '../../../engine/tables/write.js';
import { encodeKey } from '../../../engine/tables/schema.js';
import { assertError, call } from '../../support/engine.js';
import {
  clockEngine,
  createTable,
  drain,
  iterator,
  N,
  readStream,
  S,
  shardOf,
  streamTable,
  summarize,
  T0,
} from './helpers.js';

const HOUR = 60 * 60 * 1000;

describe('stream records for every write path', () => {
  it('PutItem, UpdateItem and DeleteItem: INSERT, MODIFY, REMOVE with both images', () => {
    const { engine } = clockEngine();
    const arn = streamTable(engine, 'Things');
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('a'), v: N(1) } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('a'), v: N(2) } });
    call(engine, 'UpdateItem', {
      TableName: 'Things',
      Key: { pk: S('a') },
      UpdateExpression: 'SET w = :w',
      ExpressionAttributeValues: { ':w': S('x') },
    });
    call(engine, 'UpdateItem', {
      TableName: 'Things',
      Key: { pk: S('b') },
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': N(9) },
    });
    call(engine, 'DeleteItem', { TableName: 'Things', Key: { pk: S('a') } });
    assert.deepEqual(summarize(readStream(engine, arn)), [
      { event: 'INSERT', keys: { pk: S('a') }, new: { pk: S('a'), v: N(1) } },
      { event: 'MODIFY', keys: { pk: S('a') }, new: { pk: S('a'), v: N(2) }, old: { pk: S('a'), v: N(1) } },
      {
        event: 'MODIFY',
        keys: { pk: S('a') },
        new: { pk: S('a'), v: N(2), w: S('x') },
        old: { pk: S('a'), v: N(2) },
      },
      { event: 'INSERT', keys: { pk: S('b') }, new: { pk: S('b'), v: N(9) } },
      { event: 'REMOVE', keys: { pk: S('a') }, old: { pk: S('a'), v: N(2), w: S('x') } },
    ]);
  });

  it('BatchWriteItem: one record per put and delete', () => {
    const { engine } = clockEngine();
    const arn = streamTable(engine, 'Things', 'KEYS_ONLY');
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('old') } });
    call(engine, 'BatchWriteItem', {
      RequestItems: {
        Things: [
          { PutRequest: { Item: { pk: S('x') } } },
          { PutRequest: { Item: { pk: S('y') } } },
          { DeleteRequest: { Key: { pk: S('old') } } },
          { DeleteRequest: { Key: { pk: S('never-existed') } } },
        ],
      },
    });
    const events = readStream(engine, arn).map((r) => [r.eventName, r.dynamodb.Keys.pk.S]);
    assert.deepEqual(events.slice(1).sort(), [
      ['INSERT', 'x'],
      ['INSERT', 'y'],
      ['REMOVE', 'old'],
    ]);
  });

  it('TransactWriteItems: records for Put/Update/Delete, none for ConditionCheck or a cancelled transaction', () => {
    const { engine } = clockEngine();
    const arn = streamTable(engine, 'Things', 'NEW_IMAGE');
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('d') } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('c'), n: N(1) } });
    call(engine, 'TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'Things', Item: { pk: S('p') } } },
        {
          Update: {
            TableName: 'Things',
            Key: { pk: S('u') },
            UpdateExpression: 'SET n = :n',
            ExpressionAttributeValues: { ':n': N(5) },
          },
        },
        { Delete: { TableName: 'Things', Key: { pk: S('d') } } },
        {
          ConditionCheck: {
            TableName: 'Things',
            Key: { pk: S('c') },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ],
    });
    assertError(
      () =>
        call(engine, 'TransactWriteItems', {
          TransactItems: [
            { Put: { TableName: 'Things', Item: { pk: S('q') } } },
            {
              ConditionCheck: {
                TableName: 'Things',
                Key: { pk: S('nope') },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
          ],
        }),
      'TransactionCanceledException',
    );
    const records = readStream(engine, arn).slice(2);
    assert.deepEqual(summarize(records), [
      { event: 'INSERT', keys: { pk: S('p') }, new: { pk: S('p') } },
      { event: 'INSERT', keys: { pk: S('u') }, new: { pk: S('u'), n: N(5) } },
      { event: 'REMOVE', keys: { pk: S('d') } },
    ]);
  });

  it('PartiQL INSERT, UPDATE and DELETE', { skip: !Engine.inMemory().has('ExecuteStatement') }, () => {
    const { engine } = clockEngine();
    const arn = streamTable(engine, 'Things');
    call(engine, 'ExecuteStatement', { Statement: `INSERT INTO "Things" VALUE {'pk': 'a', 'v': 1}` });
    call(engine, 'ExecuteStatement', { Statement: `UPDATE "Things" SET v = 2 WHERE pk = 'a'` });
    call(engine, 'ExecuteStatement', { Statement: `DELETE FROM "Things" WHERE pk = 'a'` });
    assert.deepEqual(summarize(readStream(engine, arn)), [
      { event: 'INSERT', keys: { pk: S('a') }, new: { pk: S('a'), v: N(1) } },
      { event: 'MODIFY', keys: { pk: S('a') }, new: { pk: S('a'), v: N(2) }, old: { pk: S('a'), v: N(1) } },
      { event: 'REMOVE', keys: { pk: S('a') }, old: { pk: S('a'), v: N(2) } },
    ]);
  });

  it('writes no record for a write that changed nothing, a failed condition, or a delete of nothing', () => {
    const { engine } = clockEngine();
    const arn = streamTable(engine, 'Things');
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('a'), v: N(1), s: { SS: ['x', 'y'] } } });
    call(engine, 'PutItem', {
      TableName: 'Things',
      Item: { s: { SS: ['y', 'x'] }, v: N('1.0'), pk: S('a') },
    });
    call(engine, 'UpdateItem', {
      TableName: 'Things',
      Key: { pk: S('a') },
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': N(1) },
    });
    call(engine, 'DeleteItem', { TableName: 'Things', Key: { pk: S('zzz') } });
    assertError(
      () =>
        call(engine, 'PutItem', {
          TableName: 'Things',
          Item: { pk: S('a'), v: N(3) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      'ConditionalCheckFailedException',
    );
    assert.deepEqual(
      readStream(engine, arn).map((r) => r.eventName),
      ['INSERT'],
    );
  });

  it('writes nothing for a table without a stream', () => {
    const { engine } = clockEngine();
    createTable(engine, 'Plain');
    call(engine, 'PutItem', { TableName: 'Plain', Item: { pk: S('a') } });
    assert.deepEqual(call(engine, 'ListStreams', {}).Streams, []);
  });
});

describe('stream view types', () => {
  const cases: [string, boolean, boolean][] = [
    ['KEYS_ONLY', false, false],
    ['NEW_IMAGE', true, false],
    ['OLD_IMAGE', false, true],
    ['NEW_AND_OLD_IMAGES', true, true],
  ];
  for (const [viewType, hasNew, hasOld] of cases) {
    it(`${viewType} carries ${hasNew ? 'the new image' : 'no new image'} and ${hasOld ? 'the old image' : 'no old image'}`, () => {
      const { engine } = clockEngine();
      const arn = streamTable(engine, 'Things', viewType);
      call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('a'), v: N(1) } });
      call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('a'), v: N(2) } });
      call(engine, 'DeleteItem', { TableName: 'Things', Key: { pk: S('a') } });
      const [insert, modify, remove] = readStream(engine, arn);
      for (const r of [insert, modify, remove]) {
        assert.equal(r.dynamodb.StreamViewType, viewType);
        assert.deepEqual(r.dynamodb.Keys, { pk: S('a') });
      }
      assert.deepEqual(insert.dynamodb.NewImage, hasNew ? { pk: S('a'), v: N(1) } : undefined);
      assert.equal(insert.dynamodb.OldImage, undefined);
      assert.deepEqual(modify.dynamodb.NewImage, hasNew ? { pk: S('a'), v: N(2) } : undefined);
      assert.deepEqual(modify.dynamodb.OldImage, hasOld ? { pk: S('a'), v: N(1) } : undefined);
      assert.equal(remove.dynamodb.NewImage, undefined);
      assert.deepEqual(remove.dynamodb.OldImage, hasOld ? { pk: S('a'), v: N(2) } : undefined);
    });
  }

  it('records have DynamoDB shape: ids, version, source, region, creation second, sequence numbers, size', () => {
    const { engine, clock } = clockEngine({ region: 'eu-west-1' });
    const arn = streamTable(engine, 'Things');
    clock.advance(1500);
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('a') } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('b'), data: S('0123456789') } });
    const [a, b] = readStream(engine, arn);
    assert.match(a.eventID, /^[0-9a-f]{32}$/);
    assert.notEqual(a.eventID, b.eventID);
    assert.equal(a.eventVersion, '1.1');
    assert.equal(a.eventSource, 'aws:dynamodb');
    assert.equal(a.awsRegion, 'eu-west-1');
    assert.equal(a.dynamodb.ApproximateCreationDateTime, Math.floor((T0 + 1500) / 1000));
    assert.match(a.dynamodb.SequenceNumber, /^\d{21,40}$/);
    assert.ok(BigInt(b.dynamodb.SequenceNumber) > BigInt(a.dynamodb.SequenceNumber));
    assert.equal(a.userIdentity, undefined);
    assert.ok(a.dynamodb.SizeBytes > 0);
    assert.ok(b.dynamodb.SizeBytes > a.dynamodb.SizeBytes);
    assert.deepEqual(Object.keys(a), [
      'eventID',
      'eventName',
      'eventVersion',
      'eventSource',
      'awsRegion',
      'dynamodb',
    ]);
  });
});

describe('shard iterators and GetRecords', () => {
  function fiveRecords() {
    const { engine, clock } = clockEngine();
    const arn = streamTable(engine, 'Things', 'KEYS_ONLY');
    for (const k of ['a', 'b', 'c', 'd', 'e'])
      call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S(k) } });
    return { engine, clock, arn };
  }
  const keys = (records: { dynamodb: { Keys: { pk: { S: string } } } }[]) =>
    records.map((r) => r.dynamodb.Keys.pk.S);

  it('TRIM_HORIZON reads from the oldest record; LATEST only what is written afterwards', () => {
    const { engine, arn } = fiveRecords();
    assert.deepEqual(keys(readStream(engine, arn)), ['a', 'b', 'c', 'd', 'e']);
    const latest = iterator(engine, arn, 'LATEST');
    assert.deepEqual(call(engine, 'GetRecords', { ShardIterator: latest }).Records, []);
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('f') } });
    assert.deepEqual(keys(drain(engine, latest).records), ['f']);
  });

  it('AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER', () => {
    const { engine, arn } = fiveRecords();
    const all = readStream(engine, arn);
    const c = all[2].dynamodb.SequenceNumber as string;
    assert.deepEqual(keys(drain(engine, iterator(engine, arn, 'AT_SEQUENCE_NUMBER', c)).records), [
      'c',
      'd',
      'e',
    ]);
    assert.deepEqual(keys(drain(engine, iterator(engine, arn, 'AFTER_SEQUENCE_NUMBER', c)).records), [
      'd',
      'e',
    ]);
    const last = all[4].dynamodb.SequenceNumber as string;
    assert.deepEqual(drain(engine, iterator(engine, arn, 'AFTER_SEQUENCE_NUMBER', last)).records, []);
    assertError(
      () =>
        call(engine, 'GetShardIterator', {
          StreamArn: arn,
          ShardId: shardOf(engine, arn),
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        }),
      'ValidationException',
      /SequenceNumber/,
    );
    assertError(
      () =>
        call(engine, 'GetShardIterator', {
          StreamArn: arn,
          ShardId: shardOf(engine, arn),
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: '999999999999999999999',
        }),
      'ValidationException',
      /Invalid SequenceNumber/,
    );
  });

  it('pages with Limit and NextShardIterator, and keeps an iterator at the end of an open shard', () => {
    const { engine, arn } = fiveRecords();
    const first = call(engine, 'GetRecords', { ShardIterator: iterator(engine, arn), Limit: 2 });
    assert.deepEqual(keys(first.Records), ['a', 'b']);
    const second = call(engine, 'GetRecords', { ShardIterator: first.NextShardIterator, Limit: 2 });
    assert.deepEqual(keys(second.Records), ['c', 'd']);
    const third = call(engine, 'GetRecords', { ShardIterator: second.NextShardIterator, Limit: 2 });
    assert.deepEqual(keys(third.Records), ['e']);
    const empty = call(engine, 'GetRecords', { ShardIterator: third.NextShardIterator });
    assert.deepEqual(empty.Records, []);
    assert.equal(typeof empty.NextShardIterator, 'string');
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('f') } });
    assert.deepEqual(keys(call(engine, 'GetRecords', { ShardIterator: empty.NextShardIterator }).Records), [
      'f',
    ]);
    // The same iterator can be read again: iterators are positions, not cursors.
    assert.deepEqual(
      keys(call(engine, 'GetRecords', { ShardIterator: first.NextShardIterator, Limit: 1 }).Records),
      ['c'],
    );
  });

  it('iterators expire after 15 minutes', () => {
    const { engine, clock, arn } = fiveRecords();
    const it1 = iterator(engine, arn);
    clock.advance(14 * 60 * 1000);
    const out = call(engine, 'GetRecords', { ShardIterator: it1, Limit: 1 });
    clock.advance(2 * 60 * 1000);
    assertError(
      () => call(engine, 'GetRecords', { ShardIterator: it1 }),
      'ExpiredIteratorException',
      /Iterator expired/,
    );
    // NextShardIterator is a fresh iterator.
    assert.equal(call(engine, 'GetRecords', { ShardIterator: out.NextShardIterator }).Records.length, 4);
  });

  it('records older than 24 hours are trimmed; reading before the trim point is TrimmedDataAccessException', () => {
    const { engine, clock, arn } = fiveRecords();
    const oldSeq = readStream(engine, arn)[0].dynamodb.SequenceNumber as string;
    clock.advance(23 * HOUR);
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('late') } });
    const early = iterator(engine, arn);
    clock.advance(2 * HOUR);
    assert.deepEqual(keys(readStream(engine, arn)), ['late']);
    assertError(
      () =>
        call(engine, 'GetShardIterator', {
          StreamArn: arn,
          ShardId: shardOf(engine, arn),
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: oldSeq,
        }),
      'TrimmedDataAccessException',
    );
    // An iterator handed out before the trim now points at trimmed data (and has expired anyway).
    assertError(() => call(engine, 'GetRecords', { ShardIterator: early }), 'ExpiredIteratorException');
    // 'late' is kept until it is 24 hours old.
    clock.advance(20 * HOUR);
    assert.deepEqual(keys(readStream(engine, arn)), ['late']);
    clock.advance(2 * HOUR + 1);
    assert.deepEqual(keys(readStream(engine, arn)), []);
  });

  it('an iterator taken just before a trim reports TrimmedDataAccessException', () => {
    const { engine, clock, arn } = fiveRecords();
    clock.advance(24 * HOUR - 5 * 60 * 1000);
    const it1 = iterator(engine, arn);
    clock.advance(10 * 60 * 1000);
    assertError(() => call(engine, 'GetRecords', { ShardIterator: it1 }), 'TrimmedDataAccessException');
  });

  it('rejects bad iterators, shards, streams and limits', () => {
    const { engine, arn } = fiveRecords();
    assertError(
      () => call(engine, 'GetRecords', { ShardIterator: 'garbage' }),
      'ValidationException',
      'Invalid ShardIterator',
    );
    assertError(
      () => call(engine, 'GetRecords', {}),
      'ValidationException',
      "1 validation error detected: Value null at 'shardIterator' failed to satisfy constraint: Member must not be null",
    );
    assertError(
      () => call(engine, 'GetRecords', { ShardIterator: iterator(engine, arn), Limit: 1001 }),
      'ValidationException',
      /Member must have value less than or equal to 1000/,
    );
    assertError(
      () =>
        call(engine, 'GetShardIterator', {
          StreamArn: arn,
          ShardId: 'shardId-00000000000000000000-00000000',
          ShardIteratorType: 'LATEST',
        }),
      'ResourceNotFoundException',
      'Requested resource not found: Shard does not exist',
    );
    assertError(
      () =>
        call(engine, 'GetShardIterator', {
          StreamArn: arn,
          ShardId: shardOf(engine, arn),
          ShardIteratorType: 'OLDEST',
        }),
      'ValidationException',
      /enum value set: \[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER\]/,
    );
    const missing = `${arn.slice(0, arn.lastIndexOf('/'))}/2000-01-01T00:00:00.000`;
    assertError(
      () => call(engine, 'DescribeStream', { StreamArn: missing }),
      'ResourceNotFoundException',
      `Requested resource not found: Stream: ${missing} not found`,
    );
  });
});

describe('stream lifecycle', () => {
  it('disabling closes the shard; a drained closed shard has no NextShardIterator; enabling again is a new stream', () => {
    const { engine, clock } = clockEngine();
    const first = streamTable(engine, 'Things');
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('a') } });
    const reader = iterator(engine, first);
    clock.advance(1000);
    call(engine, 'UpdateTable', { TableName: 'Things', StreamSpecification: { StreamEnabled: false } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('unstreamed') } });

    const d = call(engine, 'DescribeStream', { StreamArn: first }).StreamDescription;
    assert.equal(d.StreamStatus, 'DISABLED');
    assert.ok(d.Shards[0].SequenceNumberRange.EndingSequenceNumber);
    const out = call(engine, 'GetRecords', { ShardIterator: reader });
    assert.deepEqual(
      out.Records.map((r: { dynamodb: { Keys: unknown } }) => r.dynamodb.Keys),
      [{ pk: S('a') }],
    );
    assert.equal(out.NextShardIterator, undefined);
    const latest = call(engine, 'GetRecords', { ShardIterator: iterator(engine, first, 'LATEST') });
    assert.deepEqual(latest.Records, []);
    assert.equal(latest.NextShardIterator, undefined);

    clock.advance(1000);
    call(engine, 'UpdateTable', {
      TableName: 'Things',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    });
    const second = call(engine, 'DescribeTable', { TableName: 'Things' }).Table.LatestStreamArn;
    assert.notEqual(second, first);
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('b') } });
    assert.deepEqual(
      readStream(engine, second).map((r) => r.dynamodb.Keys),
      [{ pk: S('b') }],
    );
    const listed = call(engine, 'ListStreams', { TableName: 'Things' }).Streams.map(
      (s: { StreamArn: string }) => s.StreamArn,
    );
    assert.deepEqual(listed.sort(), [first, second].sort());
    const desc2 = call(engine, 'DescribeStream', { StreamArn: second }).StreamDescription;
    assert.equal(desc2.StreamStatus, 'ENABLED');
    assert.equal(desc2.StreamViewType, 'KEYS_ONLY');
    assert.equal(desc2.Shards[0].SequenceNumberRange.EndingSequenceNumber, undefined);
  });

  it('describes the stream: label, view type, creation time, table, key schema, one shard', () => {
    const { engine } = clockEngine();
    createTable(
      engine,
      'Pairs',
      { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } },
      true,
    );
    const arn = call(engine, 'DescribeTable', { TableName: 'Pairs' }).Table.LatestStreamArn;
    const d = call(engine, 'DescribeStream', { StreamArn: arn }).StreamDescription;
    assert.equal(d.StreamArn, arn);
    assert.equal(d.StreamLabel, arn.slice(arn.lastIndexOf('/') + 1));
    assert.equal(d.StreamStatus, 'ENABLED');
    assert.equal(d.StreamViewType, 'NEW_IMAGE');
    assert.equal(d.CreationRequestDateTime, T0 / 1000);
    assert.equal(d.TableName, 'Pairs');
    assert.deepEqual(d.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    assert.equal(d.Shards.length, 1);
    assert.match(d.Shards[0].ShardId, /^shardId-\d{20}-[0-9a-f]{8}$/);
    assert.match(d.Shards[0].SequenceNumberRange.StartingSequenceNumber, /^\d{21}$/);
    assert.deepEqual(
      call(engine, 'DescribeStream', { StreamArn: arn, ExclusiveStartShardId: d.Shards[0].ShardId })
        .StreamDescription.Shards,
      [],
    );
  });

  it('lists streams by table with paging', () => {
    const { engine, clock } = clockEngine();
    const arns = ['Alpha', 'Bravo', 'Charlie'].map((name) => {
      clock.advance(10);
      return streamTable(engine, name);
    });
    createTable(engine, 'NoStream');
    const all = call(engine, 'ListStreams', {}).Streams;
    assert.deepEqual(
      all.map((s: { StreamArn: string }) => s.StreamArn),
      [...arns].sort(),
    );
    assert.deepEqual(Object.keys(all[0]).sort(), ['StreamArn', 'StreamLabel', 'TableName']);
    const p1 = call(engine, 'ListStreams', { Limit: 2 });
    assert.equal(p1.Streams.length, 2);
    assert.equal(p1.LastEvaluatedStreamArn, p1.Streams[1].StreamArn);
    const p2 = call(engine, 'ListStreams', { Limit: 2, ExclusiveStartStreamArn: p1.LastEvaluatedStreamArn });
    assert.equal(p2.Streams.length, 1);
    assert.equal(p2.LastEvaluatedStreamArn, undefined);
    assert.deepEqual(
      call(engine, 'ListStreams', { TableName: 'Bravo' }).Streams.map(
        (s: { TableName: string }) => s.TableName,
      ),
      ['Bravo'],
    );
    assert.deepEqual(call(engine, 'ListStreams', { TableName: 'NoStream' }).Streams, []);
    assertError(() => call(engine, 'ListStreams', { TableName: 'Missing' }), 'ResourceNotFoundException');
    assertError(
      () => call(engine, 'ListStreams', { Limit: 0 }),
      'ValidationException',
      /greater than or equal to 1/,
    );
  });

  it("a deleted table's stream stays readable, DISABLED", () => {
    const { engine } = clockEngine();
    const arn = streamTable(engine, 'Things');
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('a') } });
    call(engine, 'DeleteTable', { TableName: 'Things' });
    assert.equal(
      call(engine, 'DescribeStream', { StreamArn: arn }).StreamDescription.StreamStatus,
      'DISABLED',
    );
    assert.equal(readStream(engine, arn).length, 1);
    assert.equal(call(engine, 'ListStreams', { TableName: 'Things' }).Streams.length, 1);
  });

  it('import writes produce records only when the import asks for them', () => {
    const { engine } = clockEngine();
    const arn = streamTable(engine, 'Things', 'KEYS_ONLY');
    const table = engine.ctx.catalog.get('Things')!;
    const put = (pk: string) =>
      engine.ctx.db.transaction(() => {
        const item = { pk: S(pk) };
        writeItem(engine.ctx, table, encodeKey(table.key, item), undefined, 0, item, undefined, 'import');
      });
    put('quiet');
    engine.ctx.emitImportStreamRecords = true;
    put('loud');
    engine.ctx.emitImportStreamRecords = false;
    assert.deepEqual(
      readStream(engine, arn).map((r) => r.dynamodb.Keys.pk.S),
      ['loud'],
    );
  });

  it('streams, records and iterators survive closing and reopening a file database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-streams-'));
    try {
      const path = join(dir, 'db.sqlite');
      let now = T0;
      const e1 = new Engine({ path, now: () => now });
      const arn = streamTable(e1, 'Things');
      call(e1, 'PutItem', { TableName: 'Things', Item: { pk: S('a') } });
      const it1 = iterator(e1, arn);
      e1.close();
      now += 1000;
      const e2 = new Engine({ path, now: () => now });
      call(e2, 'PutItem', { TableName: 'Things', Item: { pk: S('b') } });
      assert.deepEqual(
        drain(e2, it1).records.map((r) => r.dynamodb.Keys.pk.S),
        ['a', 'b'],
      );
      e2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
