// Alarms on the engine's metrics, evaluated with an injected clock: OK / ALARM /
// INSUFFICIENT_DATA transitions with their history, TreatMissingData, M out of N, and
// `--alarm-exec` running a command with the transition in its environment.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import type { AlarmDescription, AlarmHistoryItem } from '../../../common/types.js';
import type { AlarmStateChange } from '../../../engine/index.js';
import { evaluateAlarm } from '../../../engine/automation/alarms.js';
import { MAX_PER_TURN } from '../../../engine/automation/runner.js';
import { alarmExecListener, splitCommand } from '../../../main/server/alarm-exec.js';
import { assertError, call, scratchEngine } from '../../support/engine.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

function setup() {
  const clock = { t: T0 };
  const e = scratchEngine({ now: () => clock.t });
  call(e, 'CreateTable', {
    TableName: 'Orders',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  });
  const changes: AlarmStateChange[] = [];
  e.onAlarmStateChange((c) => changes.push(c));
  return { e, clock, changes };
}

function writes(e: Engine, n: number): void {
  for (let i = 0; i < n; i++) call(e, 'PutItem', { TableName: 'Orders', Item: { pk: { S: `k${i}` } } });
}

/** Advances the clock second by second, with `perSecond` writes in each, running the evaluator. */
function run(e: Engine, clock: { t: number }, seconds: number, perSecond = 0): void {
  for (let s = 0; s < seconds; s++) {
    writes(e, perSecond);
    clock.t += 1000;
    e.runAutomation();
  }
}

function state(e: Engine, name: string): AlarmDescription {
  return (e.executeSortkey('DescribeAlarms', { AlarmNames: [name] }) as { Alarms: AlarmDescription[] })
    .Alarms[0]!;
}

function history(e: Engine, name: string): AlarmHistoryItem[] {
  return (
    e.executeSortkey('DescribeAlarmHistory', { AlarmName: name }) as { AlarmHistoryItems: AlarmHistoryItem[] }
  ).AlarmHistoryItems;
}

const writeAlarm = {
  AlarmName: 'HighWrites',
  TableName: 'Orders',
  MetricName: 'ConsumedWriteCapacityUnits',
  Statistic: 'Sum',
  Period: 5,
  EvaluationPeriods: 3,
  DatapointsToAlarm: 2,
  ComparisonOperator: 'GreaterThanThreshold',
  Threshold: 20,
};

describe('alarms', () => {
  it('starts in INSUFFICIENT_DATA, then moves to OK, to ALARM on 2 of 3 breaching periods, and back', () => {
    const { e, clock, changes } = setup();
    const put = e.executeSortkey('PutMetricAlarm', writeAlarm) as { Alarm: AlarmDescription };
    assert.equal(put.Alarm.StateValue, 'INSUFFICIENT_DATA');
    assert.equal(put.Alarm.TreatMissingData, 'missing');
    run(e, clock, 5);
    assert.equal(state(e, 'HighWrites').StateValue, 'OK', 'no writes: 0 units, under the threshold');
    run(e, clock, 5, 5); // 25 units in one period: 1 of 3
    assert.equal(state(e, 'HighWrites').StateValue, 'OK');
    run(e, clock, 5, 5); // the second breaching period
    const alarm = state(e, 'HighWrites');
    assert.equal(alarm.StateValue, 'ALARM');
    assert.match(
      alarm.StateReason,
      /^Threshold Crossed: 2 out of the last 3 datapoints \[25\.0 .*\] were greater than the threshold \(20\.0\)/,
    );
    run(e, clock, 10); // two quiet periods: only 1 of the last 3 breaches
    assert.equal(state(e, 'HighWrites').StateValue, 'OK');
    assert.deepEqual(
      history(e, 'HighWrites').map((h) => [h.OldState, h.NewState]),
      [
        ['ALARM', 'OK'],
        ['OK', 'ALARM'],
        ['INSUFFICIENT_DATA', 'OK'],
      ],
    );
    assert.deepEqual(
      changes.map((c) => [c.AlarmName, c.OldState, c.NewState, c.TableName]),
      [
        ['HighWrites', 'INSUFFICIENT_DATA', 'OK', 'Orders'],
        ['HighWrites', 'OK', 'ALARM', 'Orders'],
        ['HighWrites', 'ALARM', 'OK', 'Orders'],
      ],
    );
  });

  it('goes to INSUFFICIENT_DATA when a metric has no datapoints (latency of idle operations), unless told otherwise', () => {
    const { e, clock } = setup();
    const latency = {
      TableName: 'Orders',
      MetricName: 'SuccessfulRequestLatency',
      Dimensions: { Operation: 'PutItem' },
      Statistic: 'p99',
      Period: 5,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 10_000,
    };
    e.executeSortkey('PutMetricAlarm', { ...latency, AlarmName: 'Slow' });
    e.executeSortkey('PutMetricAlarm', {
      ...latency,
      AlarmName: 'SlowOrQuiet',
      TreatMissingData: 'breaching',
    });
    e.executeSortkey('PutMetricAlarm', { ...latency, AlarmName: 'SlowIgnore', TreatMissingData: 'ignore' });
    run(e, clock, 5);
    assert.equal(state(e, 'Slow').StateValue, 'INSUFFICIENT_DATA');
    assert.match(state(e, 'Slow').StateReason, /Insufficient Data/);
    assert.equal(state(e, 'SlowOrQuiet').StateValue, 'ALARM');
    assert.equal(state(e, 'SlowIgnore').StateValue, 'INSUFFICIENT_DATA', 'ignore keeps the state');
    run(e, clock, 5, 3);
    assert.equal(state(e, 'Slow').StateValue, 'OK', 'requests, fast ones');
    assert.equal(state(e, 'SlowOrQuiet').StateValue, 'OK');
    assert.equal(state(e, 'SlowIgnore').StateValue, 'OK');
    run(e, clock, 5);
    assert.equal(state(e, 'Slow').StateValue, 'INSUFFICIENT_DATA', 'quiet again');
    assert.equal(state(e, 'SlowIgnore').StateValue, 'OK', 'ignore keeps OK');
    assert.deepEqual(
      history(e, 'Slow').map((h) => h.NewState),
      ['INSUFFICIENT_DATA', 'OK'],
    );
  });

  it('watches the item count and throttled requests of a table', () => {
    const { e, clock } = setup();
    e.executeSortkey('PutMetricAlarm', {
      AlarmName: 'Big',
      TableName: 'Orders',
      MetricName: 'ItemCount',
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 3,
    });
    e.executeSortkey('PutMetricAlarm', {
      AlarmName: 'Throttled',
      TableName: 'Orders',
      MetricName: 'ThrottledRequests',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
    });
    clock.t += 60_000;
    e.runAutomation();
    assert.equal(state(e, 'Big').StateValue, 'OK');
    assert.equal(state(e, 'Throttled').StateValue, 'OK');
    writes(e, 3);
    e.executeSortkey('SetThrottling', { Mode: 'provisioned' });
    // 5 WCU with 300 s of burst (at least one second's worth at creation): enough writes throttle.
    for (let i = 0; i < 3000; i++) {
      try {
        call(e, 'PutItem', { TableName: 'Orders', Item: { pk: { S: `t${i % 3}` } } });
      } catch {
        break;
      }
    }
    clock.t += 60_000;
    e.runAutomation();
    assert.equal(state(e, 'Big').StateValue, 'ALARM', state(e, 'Big').StateReason);
    assert.equal(state(e, 'Throttled').StateValue, 'ALARM');
  });

  it('validates definitions as CloudWatch does, and deletes alarms with their history', () => {
    const { e } = setup();
    const bad = (extra: Record<string, unknown>, message: RegExp) =>
      assertError(
        () => e.executeSortkey('PutMetricAlarm', { ...writeAlarm, ...extra }),
        'ValidationException',
        message,
      );
    bad({ MetricName: 'Nope' }, /MetricName must be one of .*ConsumedReadCapacityUnits/);
    bad({ Statistic: 'p42' }, /Statistic/);
    bad({ Period: 7 }, /Period/);
    bad({ DatapointsToAlarm: 4 }, /DatapointsToAlarm/);
    bad({ ComparisonOperator: 'Above' }, /ComparisonOperator/);
    bad({ TreatMissingData: 'maybe' }, /TreatMissingData/);
    bad({ Threshold: 'x' }, /Threshold/);
    e.executeSortkey('PutMetricAlarm', writeAlarm);
    assert.deepEqual(e.executeSortkey('DeleteAlarms', { AlarmNames: ['HighWrites'] }), { Deleted: 1 });
    assertError(
      () => e.executeSortkey('DeleteAlarms', { AlarmNames: ['HighWrites'] }),
      'ResourceNotFoundException',
    );
    assert.deepEqual(history(e, 'HighWrites'), []);
  });

  it('evaluates at most MAX_PER_TURN alarms a turn, the rest at the next', () => {
    const { e, clock } = setup();
    for (let i = 0; i < MAX_PER_TURN + 6; i++)
      e.executeSortkey('PutMetricAlarm', { ...writeAlarm, AlarmName: `a${String(i).padStart(3, '0')}` });
    clock.t += 5000;
    const states = () =>
      (e.executeSortkey('DescribeAlarms', {}) as { Alarms: AlarmDescription[] }).Alarms.filter(
        (a) => a.StateValue === 'OK',
      ).length;
    e.runAutomation();
    assert.equal(states(), MAX_PER_TURN);
    e.runAutomation();
    assert.equal(states(), MAX_PER_TURN + 6);
  });

  it('evaluates M out of N with missing datapoints left out', () => {
    const alarm = {
      AlarmName: 'a',
      MetricName: 'ConsumedReadCapacityUnits' as const,
      Statistic: 'Sum' as const,
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      ComparisonOperator: 'GreaterThanThreshold' as const,
      Threshold: 1,
      TreatMissingData: 'missing' as const,
    };
    const ts = [0, 60, 120];
    assert.equal(evaluateAlarm(alarm, [5, null, 5], ts, 'OK').state, 'ALARM');
    assert.equal(evaluateAlarm(alarm, [5, null, 0], ts, 'ALARM').state, 'OK');
    assert.equal(
      evaluateAlarm({ ...alarm, TreatMissingData: 'breaching' }, [5, null, 0], ts, 'OK').state,
      'ALARM',
    );
    assert.equal(evaluateAlarm(alarm, [null, null, null], ts, 'OK').state, 'INSUFFICIENT_DATA');
    assert.equal(
      evaluateAlarm({ ...alarm, TreatMissingData: 'ignore' }, [null, null, null], ts, 'ALARM').state,
      'ALARM',
    );
  });
});

describe('--alarm-exec', () => {
  it('splits the command line without a shell', () => {
    assert.deepEqual(splitCommand(`notify "a b" 'c $HOME' d\\ e`), ['notify', 'a b', 'c $HOME', 'd\\', 'e']);
    assert.throws(() => splitCommand('say "oops'), /unterminated/);
    assert.throws(() => splitCommand('  '), /needs a command/);
  });

  it('runs the command on each state change with the transition in its environment, never in a shell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-alarm-exec-'));
    try {
      const script = join(dir, 'record.js');
      const out = join(dir, 'out.json');
      writeFileSync(
        script,
        `require('fs').appendFileSync(process.argv[2], JSON.stringify({ argv: process.argv.slice(3), env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('SORTKEY_ALARM_'))) }) + '\\n');`,
      );
      const { e, clock } = setup();
      const logs: string[] = [];
      e.onAlarmStateChange(
        alarmExecListener(`"${process.execPath}" "${script}" "${out}" '$(touch pwned)'`, (l) => logs.push(l)),
      );
      // A name a shell would run: it must arrive as data only.
      e.executeSortkey('PutMetricAlarm', { ...writeAlarm, AlarmName: 'x; touch pwned2 $(id)' });
      run(e, clock, 5);
      for (let i = 0; i < 100 && (!existsSync(out) || readFileSync(out, 'utf8').trim() === ''); i++)
        await new Promise((r) => setTimeout(r, 50));
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      const got = JSON.parse(lines[0]!) as { argv: string[]; env: Record<string, string> };
      assert.deepEqual(got.argv, ['$(touch pwned)']);
      assert.equal(got.env.SORTKEY_ALARM_NAME, 'x; touch pwned2 $(id)');
      assert.equal(got.env.SORTKEY_ALARM_OLD_STATE, 'INSUFFICIENT_DATA');
      assert.equal(got.env.SORTKEY_ALARM_NEW_STATE, 'OK');
      assert.equal(got.env.SORTKEY_ALARM_TABLE, 'Orders');
      assert.equal(got.env.SORTKEY_ALARM_METRIC, 'ConsumedWriteCapacityUnits');
      assert.equal(got.env.SORTKEY_ALARM_THRESHOLD, '20');
      assert.equal(JSON.parse(got.env.SORTKEY_ALARM_JSON!).NewState, 'OK');
      assert.equal(existsSync(join(process.cwd(), 'pwned')), false);
      assert.equal(existsSync(join(process.cwd(), 'pwned2')), false);
      assert.deepEqual(logs, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sortkey serve --scaling-speed and --alarm-exec', () => {
  it('accepts the speeds the engine does, and checks the command line', async () => {
    const { SERVE_SCALING_SPEEDS, serveOptionsFromCli } = await import('../../../main/cli/serve.js');
    const { SCALING_SPEEDS } = await import('../../../engine/automation/scaling.js');
    assert.deepEqual(SERVE_SCALING_SPEEDS, SCALING_SPEEDS);
    const base = { port: 0, host: '127.0.0.1', region: 'us-east-1', inMemory: true };
    const o = serveOptionsFromCli({ ...base, scalingSpeed: 60 }, {});
    assert.equal(o.engineOptions?.scalingSpeed, 60);
    assert.ok((o.engineOptions?.automationIntervalMs ?? 0) > 0, 'a served engine runs the scaler');
    assert.throws(() => serveOptionsFromCli({ ...base, alarmExec: 'notify "oops' }, {}), /unterminated/);
  });
});
