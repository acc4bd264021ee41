import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine } from '../../../engine/engine.js';
import { assertError, call } from '../../support/engine.js';
import { clockEngine, createTable, N, readStream, S, streamTable, T0 } from '../streams/helpers.js';

const HOUR = 60 * 60 * 1000;
const nowSec = T0 / 1000;

function enable(engine: Engine, table = 'Things', attribute = 'expires'): unknown {
  return call(engine, 'UpdateTimeToLive', {
    TableName: table,
    TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
  });
}

function keysOf(engine: Engine, table = 'Things'): string[] {
  return call(engine, 'Scan', { TableName: table })
    .Items.map((i: { pk: { S: string } }) => i.pk.S)
    .sort();
}

describe('UpdateTimeToLive / DescribeTimeToLive', () => {
  it('starts DISABLED, enables with an attribute, disables again', () => {
    const { engine, clock } = clockEngine();
    createTable(engine, 'Things');
    assert.deepEqual(call(engine, 'DescribeTimeToLive', { TableName: 'Things' }), {
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' },
    });
    assert.deepEqual(enable(engine), {
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
    });
    assert.deepEqual(call(engine, 'DescribeTimeToLive', { TableName: 'Things' }), {
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' },
    });
    clock.advance(HOUR);
    assert.deepEqual(
      call(engine, 'UpdateTimeToLive', {
        TableName: 'Things',
        TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' },
      }),
      { TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } },
    );
    assert.deepEqual(call(engine, 'DescribeTimeToLive', { TableName: 'Things' }), {
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' },
    });
  });

  it("applies DynamoDB's rules before the cooldown: already enabled, already disabled, a different attribute", () => {
    const { engine, clock } = clockEngine();
    createTable(engine, 'Things');
    const update = (Enabled: boolean, AttributeName: string) =>
      call(engine, 'UpdateTimeToLive', {
        TableName: 'Things',
        TimeToLiveSpecification: { Enabled, AttributeName },
      });
    assertError(() => update(false, 'expires'), 'ValidationException', 'TimeToLive is already disabled');
    enable(engine);
    assertError(() => update(true, 'expires'), 'ValidationException', 'TimeToLive is already enabled');
    assertError(
      () => update(true, 'other'),
      'ValidationException',
      'TimeToLive is active on a different AttributeName: current AttributeName is expires',
    );
    assertError(
      () => update(false, 'other'),
      'ValidationException',
      'TimeToLive is active on a different AttributeName: current AttributeName is expires',
    );
    clock.advance(HOUR - 1);
    assertError(
      () => update(false, 'expires'),
      'ValidationException',
      'Time to live has been modified multiple times within a fixed interval',
    );
    clock.advance(1);
    update(false, 'expires');
    assertError(
      () => update(true, 'other'),
      'ValidationException',
      'Time to live has been modified multiple times within a fixed interval',
    );
    clock.advance(HOUR);
    update(true, 'other');
  });

  it('the cooldown is an engine option (0: change any time)', () => {
    const { engine } = clockEngine({ ttlChangeCooldownMs: 0 });
    createTable(engine, 'Things');
    enable(engine);
    call(engine, 'UpdateTimeToLive', {
      TableName: 'Things',
      TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' },
    });
    enable(engine, 'Things', 'other');
    assert.equal(
      call(engine, 'DescribeTimeToLive', { TableName: 'Things' }).TimeToLiveDescription.AttributeName,
      'other',
    );
  });

  it('validates the request and the table', () => {
    const { engine } = clockEngine();
    createTable(engine, 'Things');
    assertError(
      () => call(engine, 'UpdateTimeToLive', { TableName: 'Things' }),
      'ValidationException',
      "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
    );
    assertError(
      () =>
        call(engine, 'UpdateTimeToLive', {
          TableName: 'Things',
          TimeToLiveSpecification: { AttributeName: '' },
        }),
      'ValidationException',
      /^2 validation errors detected: .*'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1.*'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null$/,
    );
    assertError(
      () => enable(engine, 'Missing'),
      'ResourceNotFoundException',
      'Requested resource not found: Table: Missing not found',
    );
    assertError(
      () => call(engine, 'DescribeTimeToLive', { TableName: 'Missing' }),
      'ResourceNotFoundException',
      'Requested resource not found: Table: Missing not found',
    );
  });

  it("forgets a deleted table's setting", () => {
    const { engine } = clockEngine();
    createTable(engine, 'Things');
    enable(engine);
    call(engine, 'DeleteTable', { TableName: 'Things' });
    createTable(engine, 'Things');
    assert.equal(
      call(engine, 'DescribeTimeToLive', { TableName: 'Things' }).TimeToLiveDescription.TimeToLiveStatus,
      'DISABLED',
    );
  });
});

describe('TTL expiry', () => {
  function table(options: Parameters<typeof clockEngine>[0] = {}) {
    const { engine, clock } = clockEngine(options);
    createTable(engine, 'Things', {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    enable(engine);
    return { engine, clock };
  }
  const put = (engine: Engine, pk: string, extra: Record<string, unknown> = {}) =>
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S(pk), g: S('G'), ...extra } });

  it('deletes items whose TTL (a Number of epoch seconds) is at or before now, and only those', () => {
    const { engine } = table();
    put(engine, 'past', { expires: N(nowSec - 60) });
    put(engine, 'now', { expires: N(nowSec) });
    put(engine, 'fraction', { expires: N(`${nowSec - 1}.5`) });
    put(engine, 'future', { expires: N(nowSec + 60) });
    put(engine, 'string', { expires: S(String(nowSec - 60)) });
    put(engine, 'set', { expires: { NS: [String(nowSec - 60)] } });
    put(engine, 'missing');
    put(engine, 'millis', { expires: N(T0 - 60_000) });
    put(engine, 'ancient', { expires: N(nowSec - 6 * 365 * 24 * 3600) });
    // Expired items stay readable until the sweeper runs.
    assert.equal(call(engine, 'GetItem', { TableName: 'Things', Key: { pk: S('past') } }).Item.pk.S, 'past');
    assert.equal(engine.sweepExpiredItems(), 3);
    assert.deepEqual(keysOf(engine), ['ancient', 'future', 'millis', 'missing', 'set', 'string']);
    const d = call(engine, 'DescribeTable', { TableName: 'Things' }).Table;
    assert.equal(d.ItemCount, 6);
    assert.equal(d.GlobalSecondaryIndexes[0].ItemCount, 6);
    const viaIndex = call(engine, 'Query', {
      TableName: 'Things',
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': S('G') },
    });
    assert.equal(viaIndex.Count, 6);
    assert.equal(engine.sweepExpiredItems(), 0);
  });

  it('indexes items written before TTL was enabled, and follows updates of the attribute', () => {
    const { engine, clock } = clockEngine();
    createTable(engine, 'Things');
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('before'), expires: N(nowSec + 10) } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('extended'), expires: N(nowSec + 10) } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('removed'), expires: N(nowSec + 10) } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('shortened'), expires: N(nowSec + 1000) } });
    enable(engine);
    call(engine, 'UpdateItem', {
      TableName: 'Things',
      Key: { pk: S('extended') },
      UpdateExpression: 'SET expires = :e',
      ExpressionAttributeValues: { ':e': N(nowSec + 1000) },
    });
    call(engine, 'UpdateItem', {
      TableName: 'Things',
      Key: { pk: S('removed') },
      UpdateExpression: 'REMOVE expires',
    });
    call(engine, 'UpdateItem', {
      TableName: 'Things',
      Key: { pk: S('shortened') },
      UpdateExpression: 'SET expires = :e',
      ExpressionAttributeValues: { ':e': N(nowSec + 5) },
    });
    clock.advance(20_000);
    assert.equal(engine.sweepExpiredItems(), 2);
    assert.deepEqual(keysOf(engine), ['extended', 'removed']);
  });

  it('waits ttlDelayMs after expiry before deleting', () => {
    const { engine, clock } = table({ ttlDelayMs: 60_000 });
    put(engine, 'a', { expires: N(nowSec) });
    assert.equal(engine.sweepExpiredItems(), 0);
    clock.advance(59_999);
    assert.equal(engine.sweepExpiredItems(), 0);
    clock.advance(1);
    assert.equal(engine.sweepExpiredItems(), 1);
  });

  it('accepts an explicit time for sweepExpiredItems', () => {
    const { engine } = table();
    put(engine, 'a', { expires: N(nowSec + 100) });
    assert.equal(engine.sweepExpiredItems(T0 + 50_000), 0);
    assert.equal(engine.sweepExpiredItems(T0 + 100_000), 1);
  });

  it('deletes many items in batches', () => {
    const { engine } = table();
    for (let i = 0; i < 250; i++) put(engine, `k${i}`, { expires: N(nowSec - i) });
    assert.equal(engine.sweepExpiredItems(), 250);
    assert.equal(call(engine, 'DescribeTable', { TableName: 'Things' }).Table.ItemCount, 0);
  });

  it('stops deleting once TTL is disabled', () => {
    const { engine, clock } = table();
    put(engine, 'a', { expires: N(nowSec - 1) });
    clock.advance(HOUR);
    call(engine, 'UpdateTimeToLive', {
      TableName: 'Things',
      TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' },
    });
    assert.equal(engine.sweepExpiredItems(), 0);
    assert.deepEqual(keysOf(engine), ['a']);
  });

  it('writes a REMOVE stream record with the TTL service identity', () => {
    const { engine } = clockEngine();
    const arn = streamTable(engine, 'Things');
    enable(engine);
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('a'), expires: N(nowSec - 1) } });
    call(engine, 'DeleteItem', { TableName: 'Things', Key: { pk: S('a') } });
    call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('b'), expires: N(nowSec - 1) } });
    engine.sweepExpiredItems();
    const records = readStream(engine, arn);
    assert.deepEqual(
      records.map((r) => [r.eventName, r.dynamodb.Keys.pk.S, r.userIdentity]),
      [
        ['INSERT', 'a', undefined],
        ['REMOVE', 'a', undefined],
        ['INSERT', 'b', undefined],
        ['REMOVE', 'b', { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' }],
      ],
    );
    assert.deepEqual(records[3].dynamodb.OldImage, { pk: S('b'), expires: N(nowSec - 1) });
  });

  it('the background sweeper deletes expired items on its own, and stops with close()', async () => {
    const engine = Engine.inMemory({ ttlSweepIntervalMs: 10 });
    createTable(engine, 'Things');
    enable(engine);
    call(engine, 'PutItem', {
      TableName: 'Things',
      Item: { pk: S('a'), expires: N(Math.floor(Date.now() / 1000) - 1) },
    });
    call(engine, 'PutItem', {
      TableName: 'Things',
      Item: { pk: S('b'), expires: N(Math.floor(Date.now() / 1000) + 3600) },
    });
    for (let i = 0; i < 200 && keysOf(engine).length > 1; i++) await sleep(10);
    assert.deepEqual(keysOf(engine), ['b']);
    engine.close();
    await sleep(30);
  });
});
