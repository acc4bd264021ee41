// ReplicationLatency (DynamoDB's CloudWatch metric for global tables): GetMetrics gives it per
// receiving region, and `sortkey stats` shows it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import { fetchStats, renderStats } from '../../../main/cli/stats.js';
import type { StatsCall } from '../../../main/cli/stats.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('ReplicationLatency', () => {
  it('is the time from a write to its arrival in each replica, per receiving region', async () => {
    const clock = { t: T0 };
    const e = Engine.inMemory({ now: () => clock.t, replicationDelayMs: 100 });
    e.execute('CreateTable', {
      TableName: 'Orders',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    e.execute('UpdateTable', {
      TableName: 'Orders',
      ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }],
    });
    e.execute('PutItem', { TableName: 'Orders', Item: { pk: { S: 'a' } } });
    clock.t += 150;
    e.replicateDue();
    e.execute('PutItem', { TableName: 'Orders', Item: { pk: { S: 'b' } } });
    clock.t += 350;
    e.replicateDue();
    const metrics = e.executeSortkey('GetMetrics', {
      TableName: 'Orders',
      StartTime: T0 / 1000,
      EndTime: T0 / 1000 + 60,
      Period: 60,
      Metrics: ['ReplicationLatency'],
    }) as {
      Metrics: {
        MetricName: string;
        ReceivingRegion?: string;
        Unit: string;
        Statistics: Record<string, (number | null)[]>;
      }[];
    };
    assert.deepEqual(metrics.Metrics, [
      {
        MetricName: 'ReplicationLatency',
        ReceivingRegion: 'eu-west-1',
        Unit: 'Milliseconds',
        Statistics: { SampleCount: [2], Average: [250], Maximum: [350], Minimum: [150] },
      },
    ]);
    const call: StatsCall = async (service, op, input) =>
      service === 'Sortkey_20250101' ? e.executeSortkey(op, input) : e.execute(op, input);
    const text = renderStats(
      await fetchStats(call, 'Orders', { range: 60, period: 60, now: clock.t / 1000 }),
    );
    assert.ok(text.includes('replication latency (global table replicas)'), text);
    assert.ok(text.includes('  eu-west-1  avg 250 ms, max 350 ms (2 writes)'), text);
    e.close();
  });
});
