// `sortkey scaling …` and `sortkey alarms …` in-process (commander program from the register
// functions), against a database file and against a running server's management operations;
// and `sortkey stats` showing a table's alarms.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Command } from 'commander';
import { Engine } from '../../../engine/engine.js';
import {
  parseScalingSpec,
  parseThreshold,
  registerAlarms,
  registerScaling,
} from '../../../main/cli/automation.js';
import { fetchStats, renderStats } from '../../../main/cli/stats.js';
import type { StatsCall } from '../../../main/cli/stats.js';
import { startServer } from '../../../main/server/index.js';
import { call } from '../../support/engine.js';

const dir = mkdtempSync(join(tmpdir(), 'sortkey-automation-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function sortkey(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = new Command('sortkey').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerScaling(p);
  registerAlarms(p);
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  process.exitCode = 0;
  try {
    await p.parseAsync(args, { from: 'user' });
  } finally {
    console.log = log;
    console.error = error;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function makeTable(engine: Engine): void {
  call(engine, 'CreateTable', {
    TableName: 'Orders',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
  });
}

describe('sortkey scaling and sortkey alarms', () => {
  it('parse MIN..MAX@TARGET% and thresholds with their comparison', () => {
    assert.deepEqual(parseScalingSpec('5..500@70%'), { MinCapacity: 5, MaxCapacity: 500, TargetValue: 70 });
    assert.deepEqual(parseScalingSpec('1..10@45.5'), { MinCapacity: 1, MaxCapacity: 10, TargetValue: 45.5 });
    assert.throws(() => parseScalingSpec('5-500@70'), /MIN\.\.MAX@TARGET%/);
    assert.deepEqual(parseThreshold('>=100'), {
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 100,
    });
    assert.deepEqual(parseThreshold('2.5', 'LessThanThreshold'), {
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 2.5,
    });
    assert.throws(() => parseThreshold('100'), /say how to compare/);
  });

  it('set, list and remove policies and alarms in a database file, which a server on it then applies', async () => {
    const db = join(dir, 'file.sqlite');
    const engine = new Engine({ path: db, ttlSweepIntervalMs: 0 });
    makeTable(engine);
    engine.close();
    let r = await sortkey(
      'scaling',
      'set',
      'Orders',
      '--read',
      '5..500@70%',
      '--write',
      '3..200@60%',
      '--db',
      db,
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /table\/Orders +read +5\.\.500 @70% +2/);
    assert.match(r.out, /table\/Orders +write +3\.\.200 @60% +2/);
    r = await sortkey('scaling', 'set', 'Orders', '--read', '5..500@95%', '--db', db);
    assert.equal(r.code, 1);
    assert.match(r.err, /ValidationException: TargetValue must be a percentage from 20 to 90/);
    r = await sortkey('scaling', 'set', 'Nope', '--read', '5..500@70%', '--db', db);
    assert.match(r.err, /ResourceNotFoundException/);
    r = await sortkey(
      'alarms',
      'set',
      'Busy',
      '--table',
      'Orders',
      '--metric',
      'ConsumedWriteCapacityUnits',
      '--period',
      '10',
      '--evaluation-periods',
      '3',
      '--datapoints',
      '2',
      '--threshold',
      '>100',
      '--db',
      db,
    );
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^INSUFFICIENT_DATA +Busy +Orders ConsumedWriteCapacityUnits Sum > 100 · 2 of 3 × 10s/,
    );

    // A server on the file applies the policies: the capacity below the minimums is raised at once.
    const server = await startServer({ db, port: 0, engineOptions: { automationIntervalMs: 0 } });
    try {
      const served = server.engine as Engine;
      served.runAutomation();
      const t = call(served, 'DescribeTable', { TableName: 'Orders' }).Table;
      assert.deepEqual(
        [t.ProvisionedThroughput.ReadCapacityUnits, t.ProvisionedThroughput.WriteCapacityUnits],
        [5, 3],
      );
      // The same commands against the endpoint.
      r = await sortkey('scaling', 'list', '--endpoint', server.url);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /table\/Orders +read +5\.\.500 @70% +5/);
      assert.match(r.out, /recent activities/);
      assert.match(r.out, /Orders read 2 → 5 +Successful/);
      r = await sortkey('alarms', 'list', '--endpoint', server.url, '--table', 'Orders');
      assert.match(r.out, /Busy/);
      r = await sortkey('scaling', 'remove', 'Orders', '--write', '--endpoint', server.url);
      assert.equal(r.out, 'Removed 1 scaling policy.');
      r = await sortkey('alarms', 'remove', 'Busy', '--endpoint', server.url);
      assert.equal(r.out, 'Removed 1 alarm.');
      r = await sortkey('alarms', 'list', '--endpoint', server.url);
      assert.equal(r.out, 'No alarms.');
    } finally {
      await server.close();
    }
    r = await sortkey('scaling', 'list', 'Orders', '--db', db, '--json');
    assert.deepEqual(
      JSON.parse(r.out).ScalingPolicies.map((p: { ScalableDimension: string }) => p.ScalableDimension),
      ['ReadCapacityUnits'],
    );
  });

  it('sortkey stats shows the alarms of the table', async () => {
    const clock = { t: Date.UTC(2025, 0, 1, 12, 0, 0) };
    const e = Engine.inMemory({ now: () => clock.t });
    makeTable(e);
    e.executeSortkey('PutMetricAlarm', {
      AlarmName: 'Writes',
      TableName: 'Orders',
      MetricName: 'ConsumedWriteCapacityUnits',
      Statistic: 'Sum',
      Period: 10,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 1,
    });
    call(e, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'a' } } });
    call(e, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'b' } } });
    clock.t += 10_000;
    e.runAutomation();
    const engineCall: StatsCall = async (service, op, input) =>
      service === 'Sortkey_20250101' ? e.executeSortkey(op, input) : e.execute(op, input);
    const snapshot = await fetchStats(engineCall, 'Orders', { range: 30, period: 10, now: clock.t / 1000 });
    assert.equal(snapshot.Alarms?.[0]?.StateValue, 'ALARM');
    const text = renderStats(snapshot);
    assert.match(text, /\nalarms\n {2}ALARM +Writes {2}ConsumedWriteCapacityUnits Sum > 1/);
    e.close();
  });
});
