// `sortkey stats`: fetching a snapshot through any call function, and rendering it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fetchStats, renderPartitions, renderStats } from '../../../main/cli/stats.js';
import type { PartitionMapSnapshot, StatsCall } from '../../../main/cli/stats.js';
import { call, scratchEngine } from '../../support/engine.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('sortkey stats', () => {
  it('shows capacity per period, latency per operation, errors and hot keys', async () => {
    const clock = { t: T0 };
    const e = scratchEngine({ now: () => clock.t, throttle: 'provisioned' });
    call(e, 'CreateTable', {
      TableName: 'Orders',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 2 },
    });
    for (let s = 0; s < 30; s++) {
      clock.t = T0 + s * 1000;
      for (let i = 0; i < 3; i++) {
        try {
          call(e, 'PutItem', { TableName: 'Orders', Item: { pk: { S: i === 0 ? 'customer#1' : `c${s}` } } });
        } catch {
          // throttled: shown in the table
        }
      }
      call(e, 'GetItem', { TableName: 'Orders', Key: { pk: { S: 'customer#1' } } });
    }
    const engineCall: StatsCall = async (service, op, input) =>
      service === 'Sortkey_20250101' ? e.executeSortkey(op, input) : e.execute(op, input);
    const snapshot = await fetchStats(engineCall, 'Orders', { range: 30, period: 10, now: clock.t / 1000 });
    assert.equal(snapshot.ThrottleMode, 'provisioned');
    assert.equal(snapshot.Metrics.Timestamps.length, 3);
    const text = renderStats(snapshot);
    const lines = text.split('\n');
    assert.match(
      lines[0]!,
      /^Orders — provisioned 10 RCU \/ 2 WCU, \d+ items, \d+ bytes {2}throttling: provisioned$/,
    );
    assert.match(
      lines[2]!,
      /^time +read\/s +write\/s +prov R\/W +throttled +requests +p50 ms +p99 ms +errors$/,
    );
    // Rows: one per 10 seconds; 2 WCU provisioned, throttled writes counted.
    assert.match(lines[3]!, /^\d\d:\d\d:\d\d +0\.5 +2(\.\d)? +10\/2 +\d+\/\d+ +\d+ /);
    assert.ok(text.includes('PutItem'));
    assert.ok(text.includes('ProvisionedThroughputExceededException'));
    assert.ok(text.includes('most accessed partition keys'));
    assert.ok(text.includes('pk="customer#1"  60 requests (30 reads, 30 writes)'));
    assert.ok(text.includes('most throttled partition keys'));
    e.close();
  });

  it('--partitions shows the partition map: ranges, sizes, heat, sample keys and splits', () => {
    const e = scratchEngine({ partitionSizeLimitBytes: 2048 });
    call(e, 'CreateTable', {
      TableName: 'Orders',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 2 },
    });
    for (let i = 0; i < 10; i++)
      call(e, 'PutItem', {
        TableName: 'Orders',
        Item: { pk: { S: `order#${i}` }, pad: { S: 'p'.repeat(300) } },
      });
    const map = e.executeSortkey('DescribePartitions', { TableName: 'Orders' }) as PartitionMapSnapshot;
    const lines = renderPartitions(map).split('\n');
    assert.match(
      lines[0]!,
      new RegExp(`^Orders — ${map.Partitions.length} partitions +\\(up to 2,048 bytes`),
    );
    assert.match(lines[2]!, /^# +hash range +items +bytes +read\/s +write\/s +use +created by +sample keys$/);
    assert.match(
      lines[3]!,
      /^0 +00000000-[0-9a-f]{8} +\d+ +[\d,]+ +0 +[\d.]+ +\d+% +(INITIAL|SIZE) +(pk="order#\d"(; )?)*/,
    );
    assert.ok(lines.includes('splits'));
    assert.ok(lines.some((l) => / SIZE +00000000-100000000 → 00000000, [0-9a-f]{8}$/.test(l)));
    e.close();
  });
});
