// Replicated writes consume write capacity in the region that receives them (DynamoDB meters them
// as replicated write units in every replica region): they show in ConsumedWriteCapacityUnits of
// the receiving table and of its GSIs once applied.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import type { Namespace } from '../../../engine/engine.js';
import { gsiTableInput } from '../../support/engine.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const EAST: Namespace = { region: 'us-east-1', accountId: '000000000000' };
const WEST: Namespace = { region: 'us-west-2', accountId: '000000000000' };

describe('replicated write capacity', () => {
  it('charges each applied replicated write to the receiving table and its GSIs', () => {
    const clock = { t: T0 };
    const e = Engine.inMemory({ now: () => clock.t, replicationDelayMs: 100 });
    e.execute('CreateTable', gsiTableInput('Orders', 'KEYS_ONLY'), EAST);
    e.execute(
      'UpdateTable',
      { TableName: 'Orders', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] },
      EAST,
    );
    clock.t += 60_000;
    const consumed = (index?: string): number => {
      const m = e.executeSortkey(
        'GetMetrics',
        {
          TableName: 'Orders',
          ...(index !== undefined ? { IndexName: index } : {}),
          StartTime: (clock.t - 30_000) / 1000,
          EndTime: (clock.t + 30_000) / 1000,
          Period: 60,
          Metrics: ['ConsumedWriteCapacityUnits'],
        },
        WEST,
      ) as { Metrics: { MetricName: string; Statistics: { Sum?: (number | null)[] } }[] };
      return m.Metrics[0]?.Statistics.Sum?.reduce<number>((a, b) => a + (b ?? 0), 0) ?? 0;
    };
    // A 3 KB item: 3 write units in the table, 1 in the keys-only index.
    e.execute(
      'PutItem',
      { TableName: 'Orders', Item: { pk: { S: 'a' }, g: { S: 'x' }, big: { S: 'z'.repeat(3000) } } },
      EAST,
    );
    // Sortkey keeps metrics by table name (not yet per region): the source's own write is there.
    assert.deepEqual([consumed(), consumed('byG')], [3, 1], 'the source write only');
    clock.t += 150;
    e.replicateDue();
    assert.deepEqual([consumed(), consumed('byG')], [6, 2], 'the replicated write is charged again');
    // A replicated delete is a write too (1 unit by the size of the item it removes: 3).
    e.execute('DeleteItem', { TableName: 'Orders', Key: { pk: { S: 'a' } } }, EAST);
    clock.t += 150;
    e.replicateDue();
    assert.deepEqual([consumed(), consumed('byG')], [12, 4]);
    const gone = e.execute('GetItem', { TableName: 'Orders', Key: { pk: { S: 'a' } } }, WEST) as {
      Item?: unknown;
    };
    assert.equal(gone.Item, undefined);
    e.close();
  });
});
