// Two engines on one database file: only the holder of the automation lease runs the scaler and
// the alarm evaluator; the other takes over when the holder closes or stops renewing it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import type { AlarmHistoryItem } from '../../../common/types.js';
import type { AlarmStateChange } from '../../../engine/index.js';
import { AUTOMATION_LEASE_MS } from '../../../engine/automation/lease.js';
import { call } from '../../support/engine.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'sortkey-lease-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function shared() {
  const path = join(dir, `db${files++}.sqlite`);
  const clock = { t: T0 };
  const open = () => new Engine({ path, now: () => clock.t, ttlSweepIntervalMs: 0 });
  return { clock, open };
}

function watch(e: Engine): AlarmStateChange[] {
  const changes: AlarmStateChange[] = [];
  e.onAlarmStateChange((c) => changes.push(c));
  return changes;
}

function history(e: Engine): AlarmHistoryItem[] {
  return (
    e.executeSortkey('DescribeAlarmHistory', { AlarmName: 'HighWrites' }) as {
      AlarmHistoryItems: AlarmHistoryItem[];
    }
  ).AlarmHistoryItems;
}

describe('automation lease', () => {
  it('lets one engine of two on a file evaluate alarms, though each sees different metrics', () => {
    const { clock, open } = shared();
    const a = open();
    const b = open();
    try {
      call(a, 'CreateTable', {
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      });
      a.executeSortkey('PutMetricAlarm', {
        AlarmName: 'HighWrites',
        TableName: 'Orders',
        MetricName: 'ConsumedWriteCapacityUnits',
        Statistic: 'Sum',
        Period: 5,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 20,
      });
      const changesA = watch(a);
      const changesB = watch(b);
      // The load reaches `a` only: its recent metrics breach, `b`'s (in memory) do not. Evaluated
      // by both, the alarm would flip between ALARM and OK at every turn of the two.
      for (let s = 0; s < 20; s++) {
        for (let i = 0; i < 6; i++) call(a, 'PutItem', { TableName: 'Orders', Item: { pk: { S: `k${i}` } } });
        clock.t += 1000;
        assert.equal(a.runAutomation(), true, 'a holds the lease');
        assert.equal(b.runAutomation(), false, 'b leaves the turn to a');
      }
      assert.deepEqual(
        history(a).map((h) => [h.OldState, h.NewState]),
        [
          ['OK', 'ALARM'],
          ['INSUFFICIENT_DATA', 'OK'],
        ],
      );
      assert.equal(changesA.length, 2);
      assert.deepEqual(changesB, []);

      // The holder closes: the other takes over at its next turn.
      a.close();
      clock.t += 1000;
      assert.equal(b.runAutomation(), true, 'b takes the released lease');
    } finally {
      a.close();
      b.close();
    }
  });

  it('is taken over when its holder stops renewing it (a killed server), and not before', () => {
    const { clock, open } = shared();
    const a = open();
    const b = open();
    try {
      assert.equal(a.runAutomation(), true);
      // `a` goes silent (as a SIGKILLed server would: it never releases the lease).
      clock.t += AUTOMATION_LEASE_MS - 1;
      assert.equal(b.runAutomation(), false, 'the lease has not expired yet');
      clock.t += 2;
      assert.equal(b.runAutomation(), true, 'expired: b takes it over');
      assert.equal(a.runAutomation(), false, 'a finds it held by b');
      // b renews it as it runs: a never gets it back while b goes on.
      for (let s = 0; s < 10; s++) {
        clock.t += 1000;
        assert.equal(b.runAutomation(), true);
        assert.equal(a.runAutomation(), false);
      }
    } finally {
      a.close();
      b.close();
    }
  });
});
