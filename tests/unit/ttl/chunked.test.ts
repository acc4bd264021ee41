// Enabling TTL on a table larger than what UpdateTimeToLive indexes before it answers: the status
// is ENABLING while the existing items are indexed in chunks (engine/backups/jobs.ts), requests are
// answered between chunks, and at the end every item with a due expiry — indexed by a chunk or kept
// current by its own write meanwhile — is swept, and no other.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { call } from '../../support/engine.js';
import { clockEngine, createTable, N, S, T0 } from '../streams/helpers.js';

const nowSec = T0 / 1000;

describe('UpdateTimeToLive in chunks', () => {
  it('is ENABLING while existing items are indexed, then ENABLED with every due item found', () => {
    const { engine } = clockEngine();
    createTable(engine, 'Things');
    // Even items expired, odd ones not.
    for (let i = 0; i < 100; i++) {
      const expires = i % 2 === 0 ? nowSec - 10 : nowSec + 10_000;
      call(engine, 'PutItem', {
        TableName: 'Things',
        Item: { pk: S(`k${String(i).padStart(3, '0')}`), expires: N(expires) },
      });
    }
    engine.ctx.jobs.chunkRows = 5;
    call(engine, 'UpdateTimeToLive', {
      TableName: 'Things',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
    });
    assert.deepEqual(call(engine, 'DescribeTimeToLive', { TableName: 'Things' }), {
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLING', AttributeName: 'expires' },
    });
    let chunks = 0;
    while (engine.ctx.jobs.step()) {
      chunks++;
      assert.ok(call(engine, 'GetItem', { TableName: 'Things', Key: { pk: S('k001') } }).Item);
      if (chunks === 3) {
        // Writes meanwhile, before and after the cursor: an expired item made live, a live one
        // made due, a new due item.
        call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('k002'), expires: N(nowSec + 99) } });
        call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('k099'), expires: N(nowSec - 1) } });
        call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('k090'), expires: N(nowSec + 99) } });
        call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S('zzz'), expires: N(nowSec - 1) } });
      }
    }
    assert.ok(chunks > 8);
    assert.deepEqual(call(engine, 'DescribeTimeToLive', { TableName: 'Things' }), {
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' },
    });
    const deleted = engine.sweepExpiredItems();
    // 50 even items, minus k002 and k090 made live, plus k099 and zzz.
    assert.equal(deleted, 50);
    const left = call(engine, 'Scan', { TableName: 'Things' }).Items.map(
      (i: { pk: { S: string } }) => i.pk.S,
    );
    assert.ok(left.includes('k002') && left.includes('k090'));
    assert.ok(!left.includes('k099') && !left.includes('zzz'));
  });

  for (const attr of ['a"b.c', 'x.y']) {
    it(`indexes attribute ${attr} (read by SQLite or decoded), and only Number values`, () => {
      const { engine } = clockEngine();
      createTable(engine, 'Things');
      for (let i = 0; i < 40; i++) {
        const value =
          i % 4 === 0 ? { N: String(nowSec - 5) } : i % 4 === 1 ? { S: String(nowSec - 5) } : N(nowSec + 999);
        call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S(`k${i}`), [attr]: value } });
      }
      engine.ctx.jobs.chunkRows = 3;
      call(engine, 'UpdateTimeToLive', {
        TableName: 'Things',
        TimeToLiveSpecification: { Enabled: true, AttributeName: attr },
      });
      engine.ctx.jobs.runToEnd();
      assert.equal(engine.sweepExpiredItems(), 10);
    });
  }

  it('goes on by itself from a timer, answering requests between chunks', async () => {
    const { engine } = clockEngine();
    createTable(engine, 'Things');
    for (let i = 0; i < 60; i++) {
      call(engine, 'PutItem', { TableName: 'Things', Item: { pk: S(`k${i}`), expires: N(nowSec - 1) } });
    }
    engine.ctx.jobs.chunkRows = 2;
    call(engine, 'UpdateTimeToLive', {
      TableName: 'Things',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
    });
    const status = () =>
      call(engine, 'DescribeTimeToLive', { TableName: 'Things' }).TimeToLiveDescription
        .TimeToLiveStatus as string;
    assert.equal(status(), 'ENABLING');
    let answered = 0;
    for (let i = 0; i < 5000 && status() === 'ENABLING'; i++) {
      assert.ok(call(engine, 'GetItem', { TableName: 'Things', Key: { pk: S('k1') } }).Item);
      answered++;
      await sleep(1);
    }
    assert.equal(status(), 'ENABLED');
    assert.ok(answered > 1);
    assert.equal(engine.sweepExpiredItems(), 60);
    engine.close();
  });
});
