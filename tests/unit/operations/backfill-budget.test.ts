// UpdateTable indexes a new GSI's first items before it answers, but for a bounded time: a chunk
// count alone (8 × 500 items) stalled every other client 80–160 ms on a 200k-item table. The clock
// is made to advance 30 ms per chunk here, so the budget (20 ms) stops after the first chunk.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, scratchEngine } from '../../support/engine.js';

const ITEMS = 1500; // three chunks of 500: all done before answering without a time budget

describe('GSI backfill before UpdateTable answers', () => {
  it('stops after the first chunk once its time budget is spent, leaving the rest to the timer', async () => {
    const e = scratchEngine();
    call(e, 'CreateTable', {
      TableName: 'Orders',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let start = 0; start < ITEMS; start += 25) {
      const batch = [];
      for (let i = start; i < start + 25; i++)
        batch.push({ PutRequest: { Item: { id: { N: String(i) }, g: { S: `g${i % 5}` } } } });
      call(e, 'BatchWriteItem', { RequestItems: { Orders: batch } });
    }
    const realNow = performance.now.bind(performance);
    let skew = 0;
    const step = e.ctx.backfills.step.bind(e.ctx.backfills);
    e.ctx.backfills.step = (rows?: number) => {
      skew += 30; // each chunk "takes" 30 ms
      return step(rows);
    };
    performance.now = () => realNow() + skew;
    let d;
    try {
      d = call(e, 'UpdateTable', {
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byG',
              KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          },
        ],
      }).TableDescription;
    } finally {
      performance.now = realNow;
      e.ctx.backfills.step = step;
    }
    const gsi = d.GlobalSecondaryIndexes[0];
    assert.equal(gsi.IndexStatus, 'CREATING');
    assert.equal(gsi.Backfilling, true);
    // The timer finishes the index.
    let now = gsi;
    for (let i = 0; i < 1000 && now.IndexStatus !== 'ACTIVE'; i++) {
      await new Promise((r) => setTimeout(r, 5));
      now = call(e, 'DescribeTable', { TableName: 'Orders' }).Table.GlobalSecondaryIndexes[0];
    }
    assert.equal(now.IndexStatus, 'ACTIVE');
    assert.equal(now.ItemCount, ITEMS);
  });
});
