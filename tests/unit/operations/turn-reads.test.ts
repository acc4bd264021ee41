// A server's reads of a database file share one read transaction per turn of the event loop
// (Database.holdReadsForTurn): the transaction ends at the turn's check phase or before anything
// begins a transaction of its own, so writes of this process and of others stay visible to every
// later request, and holding stops while turns bring a single read each.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Engine } from '../../../engine/engine.js';
import { createSimpleTable, scratchEngine } from '../../support/engine.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fileEngine(): { engine: Engine; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-turn-reads-'));
  dirs.push(dir);
  const path = join(dir, 'db.sqlite');
  const engine = new Engine({ path });
  createSimpleTable(engine, 'Tbl');
  return { engine, path };
}

const KEY = { pk: { S: 'a' } };

/** What a server's GetItem answers (executeWaiting, as the endpoint calls it). */
function serverGet(e: Engine): unknown {
  const out = e.executeWaiting('GetItem', { TableName: 'Tbl', Key: KEY, ConsistentRead: true });
  assert.ok(!(out instanceof Promise), 'a read never waits');
  return (out as { Item?: unknown }).Item;
}

function serverPut(e: Engine, v: string): void {
  const out = e.executeWaiting('PutItem', { TableName: 'Tbl', Item: { ...KEY, v: { S: v } } });
  assert.ok(!(out instanceof Promise), 'the write found the file free');
}

describe('reads held for a turn of the event loop', () => {
  it('share one read transaction until the turn ends', async () => {
    const { engine } = fileEngine();
    try {
      serverPut(engine, 'one');
      await nextTurn();
      serverGet(engine);
      assert.equal(engine.ctx.db.holdingReads, true);
      assert.equal(engine.ctx.db.sqlite.inTransaction, true);
      // A Query reads in a snapshot: the held transaction is one.
      const q = engine.executeWaiting('Query', {
        TableName: 'Tbl',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'a' } },
      }) as { Count: number };
      assert.equal(q.Count, 1);
      await nextTurn();
      assert.equal(engine.ctx.db.holdingReads, false);
      assert.equal(engine.ctx.db.sqlite.inTransaction, false);
    } finally {
      engine.close();
    }
  });

  it("end before this process's write, whose result the next read of the same turn sees", async () => {
    const { engine } = fileEngine();
    try {
      serverPut(engine, 'one');
      await nextTurn();
      assert.deepEqual(serverGet(engine), { ...KEY, v: { S: 'one' } });
      serverPut(engine, 'two');
      assert.deepEqual(serverGet(engine), { ...KEY, v: { S: 'two' } });
      assert.deepEqual(
        engine.execute('GetItem', { TableName: 'Tbl', Key: KEY }),
        { Item: { ...KEY, v: { S: 'two' } } },
        'a blocking caller in the same turn sees it too',
      );
    } finally {
      engine.close();
    }
  });

  it("let another process write meanwhile, and the next turn's reads see its write", async () => {
    const { engine, path } = fileEngine();
    serverPut(engine, 'one');
    const other = new Engine({ path });
    try {
      await nextTurn();
      assert.deepEqual(serverGet(engine), { ...KEY, v: { S: 'one' } });
      // WAL: a held read transaction does not keep another connection from writing.
      other.execute('PutItem', { TableName: 'Tbl', Item: { ...KEY, v: { S: 'theirs' } } });
      await nextTurn();
      assert.deepEqual(serverGet(engine), { ...KEY, v: { S: 'theirs' } });
    } finally {
      other.close();
      engine.close();
    }
  });

  it('stop while each turn brings one read, and start again when several meet in a turn', async () => {
    const { engine } = fileEngine();
    try {
      serverPut(engine, 'one');
      for (let turn = 0; turn < 8; turn++) {
        await nextTurn();
        serverGet(engine);
      }
      await nextTurn();
      serverGet(engine);
      assert.equal(engine.ctx.db.holdingReads, false, 'eight turns of one read: no more holding');
      await nextTurn();
      // A probe watches one turn in every 64 reads: this turn has many.
      for (let i = 0; i < 70; i++) serverGet(engine);
      await nextTurn();
      serverGet(engine);
      assert.equal(engine.ctx.db.holdingReads, true, 'several reads in a turn: holding again');
      await nextTurn();
    } finally {
      engine.close();
    }
  });

  it('never hold in memory, nor for a blocking caller', async () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Tbl');
    e.executeWaiting('GetItem', { TableName: 'Tbl', Key: KEY });
    assert.equal(e.ctx.db.holdingReads, false);
    const { engine } = fileEngine();
    try {
      engine.execute('GetItem', { TableName: 'Tbl', Key: KEY });
      assert.equal(engine.ctx.db.holdingReads, false);
      engine.executeWaiting('PutItem', { TableName: 'Tbl', Item: { ...KEY, v: { S: 'x' } } });
      assert.equal(engine.ctx.db.holdingReads, false, 'a write holds nothing');
    } finally {
      engine.close();
    }
  });
});
