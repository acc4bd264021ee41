// EXPLAIN's estimate reads what the statement would read, which can be a whole table. Through
// Engine.explainInSlices it does so in slices with the event loop free in between (the studio
// explains on the thread that answers DynamoDB requests), and its figures are those of Explain.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESTIMATE_SLICE_ROWS } from '../../../engine/partiql/explain.js';
import type { ExplainResult } from '../../../engine/partiql/index.js';
import { call, scratchEngine } from '../../support/engine.js';

function events(items: number, bodyBytes: (i: number) => number) {
  const e = scratchEngine();
  call(e, 'CreateTable', {
    TableName: 'Events',
    AttributeDefinitions: [
      { AttributeName: 'device', AttributeType: 'S' },
      { AttributeName: 'ts', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'device', KeyType: 'HASH' },
      { AttributeName: 'ts', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (let i = 0; i < items; i += 25) {
    const batch = [];
    for (let j = i; j < Math.min(items, i + 25); j++)
      batch.push({
        PutRequest: {
          Item: { device: { S: `d${j % 40}` }, ts: { N: String(j) }, body: { S: 'x'.repeat(bodyBytes(j)) } },
        },
      });
    call(e, 'BatchWriteItem', { RequestItems: { Events: batch } });
  }
  return e;
}

describe('EXPLAIN in slices', () => {
  it('lets a timer fire while it estimates a full scan, and its figures are those of Explain', async () => {
    const e = events(4000, () => 40);
    const input = { Statement: 'SELECT * FROM Events' };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    let pauses = 0;
    let result: ExplainResult;
    try {
      result = await e.explainInSlices(input, async () => {
        pauses++;
        // Waits for one timer turn: it can only come while the estimate is paused.
        const before = ticks;
        while (ticks === before) await new Promise<void>((r) => setTimeout(r, 0));
      });
    } finally {
      clearInterval(timer);
    }
    assert.ok(pauses >= 4000 / ESTIMATE_SLICE_ROWS, `paused ${pauses} times`);
    assert.ok(ticks >= pauses, `the timer fired ${ticks} times during ${pauses} pauses`);
    assert.deepEqual(result, e.executeSortkey('Explain', input));
    assert.equal(result.EstimatedItemsRead, 4000);
    e.close();
  });

  it('yields by default: a setTimeout(0) set before the estimate fires before it ends', async () => {
    const e = events(3000, () => 20);
    let fired = false;
    setTimeout(() => (fired = true), 0);
    const result = await e.explainInSlices({ Statement: "SELECT * FROM Events WHERE device = 'd3'" });
    assert.equal(result.EstimatedItemsRead, 75);
    const scan = e.explainInSlices({ Statement: 'SELECT * FROM Events' });
    let firedDuringScan = false;
    setTimeout(() => (firedDuringScan = true), 0);
    assert.equal((await scan).EstimatedItemsRead, 3000);
    assert.ok(fired);
    assert.ok(firedDuringScan, 'the full-scan estimate never gave a timer its turn');
    e.close();
  });

  it('charges pages of 1 MB as Explain does, whatever the slice size (pages, partitions, overflow rows)', async () => {
    // Items of 0.1–12 KB: pages end at 1 MB in the middle of slices and between them.
    const e = events(6000, (i) => (i * 7919) % 12000);
    for (const Statement of [
      'SELECT * FROM Events',
      "SELECT * FROM Events WHERE device IN ['d1', 'd2', 'd7'] AND ts > 100",
      "SELECT * FROM Events WHERE device = 'd5'",
    ])
      for (const ConsistentRead of [false, true]) {
        const input = { Statement, ConsistentRead };
        assert.deepEqual(await e.explainInSlices(input), e.executeSortkey('Explain', input), Statement);
      }
    const all = await e.explainInSlices({ Statement: 'SELECT * FROM Events' });
    assert.ok(all.EstimatedReadCapacityUnits > 1000, 'the scan reads many pages');
    e.close();
  });
});

describe("the endpoint's Explain (the shell's EXPLAIN)", () => {
  it('reads its estimate in slices: a GetItem sent just after it is answered first', async () => {
    const { startServer } = await import('../../../main/server/index.js');
    const e = events(6000, () => 40);
    const server = await startServer({ engine: e, port: 0 });
    try {
      const post = (target: string, body: unknown) =>
        fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));
      const order: string[] = [];
      const explain = post('Sortkey_20250101.Explain', { Statement: 'SELECT * FROM Events' }).then((r) => {
        order.push('explain');
        return r;
      });
      // Sent once the Explain is under way (its first slice has run).
      await new Promise((r) => setImmediate(r));
      const get = post('DynamoDB_20120810.GetItem', {
        TableName: 'Events',
        Key: { device: { S: 'd1' }, ts: { N: '1' } },
      }).then((r) => {
        order.push('get');
        return r;
      });
      const [x, g] = await Promise.all([explain, get]);
      assert.equal(x.status, 200);
      assert.equal(x.json.EstimatedItemsRead, 6000);
      assert.equal(g.status, 200);
      assert.deepEqual(order, ['get', 'explain']);
    } finally {
      await server.close();
      e.close();
    }
  });
});
