// The fast path of a local import (a table the import creates, without indexes): multi-row INSERTs
// and one statistics update per chunk. Counts, sizes and contents must equal what PutItem, one
// item at a time, leaves — with repeated keys inside a chunk, across chunks, and across a flush.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importItems } from '../../../engine/dump/index.js';
import type { Engine } from '../../../engine/engine.js';
import type { Item } from '../../../engine/types.js';
import { memoryEngine, storedItems } from './helpers.js';

function statistics(engine: Engine, table: string): [number, number] {
  const d = engine.execute('DescribeTable', { TableName: table }) as {
    Table: { ItemCount: number; TableSizeBytes: number };
  };
  return [d.Table.ItemCount, d.Table.TableSizeBytes];
}

/** 500 records over 300 keys: later records of a key replace earlier ones, with other sizes. */
function records(): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < 500; i++) {
    const k = i < 300 ? i : (i * 7) % 300;
    out.push({
      pk: { S: `k${k}` },
      sk: { N: String(k % 3) },
      v: { S: 'x'.repeat(i % 50) },
      n: { N: String(i) },
    });
  }
  return out;
}

describe('multi-row import fast path', () => {
  for (const maxChunkItems of [7, 64, 200, undefined]) {
    it(`counts, sizes and items equal PutItem's (chunks of ${maxChunkItems ?? 'any'} items)`, async () => {
      const items = records();
      const engine = memoryEngine();
      const text = items.map((item) => JSON.stringify({ Item: item })).join('\n');
      const report = await importItems(
        engine,
        { name: 'items.jsonl', text },
        {
          table: 'Imported',
          partitionKey: { name: 'pk', type: 'S' },
          sortKey: { name: 'sk', type: 'N' },
          ...(maxChunkItems !== undefined ? { maxChunkItems } : {}),
        },
      );
      assert.equal(report.committed, true);
      assert.equal(report.written, 500);
      engine.execute('CreateTable', {
        TableName: 'Put',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      });
      for (const item of items) engine.execute('PutItem', { TableName: 'Put', Item: item });
      assert.deepEqual(statistics(engine, 'Imported'), statistics(engine, 'Put'));
      assert.equal(statistics(engine, 'Imported')[0], 300);
      assert.deepEqual(storedItems(engine, 'Imported'), storedItems(engine, 'Put'));
    });
  }

  it('an import stopped after some chunks are committed leaves neither table nor items behind', async () => {
    const engine = memoryEngine();
    const text = records()
      .map((item) => JSON.stringify({ Item: item }))
      .join('\n');
    const stop = new AbortController();
    let writtenWhenStopped = 0;
    await assert.rejects(
      importItems(
        engine,
        { name: 'items.jsonl', text },
        {
          table: 'Imported',
          partitionKey: { name: 'pk', type: 'S' },
          sortKey: { name: 'sk', type: 'N' },
          maxChunkItems: 100,
          progressEveryMs: 0,
          signal: stop.signal,
          onProgress: (p) => {
            if (p.phase === 'write' && p.items >= 200 && !stop.signal.aborted) {
              writtenWhenStopped = p.items;
              stop.abort(new Error('stopped'));
            }
          },
        },
      ),
      /stopped/,
    );
    assert.ok(writtenWhenStopped >= 200, 'chunks were committed before the stop');
    const names = (engine.execute('ListTables', {}) as { TableNames: string[] }).TableNames;
    assert.deepEqual(names, []);
  });
});
