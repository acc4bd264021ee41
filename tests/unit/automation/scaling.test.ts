// Auto scaling under accelerated time: an injected clock and --scaling-speed 60, so that a scaled
// minute is one second of the engine's clock. Load is strongly consistent GetItems (1 RCU each).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import type { DescribeScalingPoliciesOutput, GetMetricsOutput } from '../../../common/types.js';
import { decideScaling, decreaseAllowed } from '../../../engine/automation/scaling.js';
import { assertError, call, scratchEngine } from '../../support/engine.js';

// A whole scaled day at speed 60 (1,440 real seconds), so no test crosses a scaled UTC midnight.
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

function setup(read = 5) {
  const clock = { t: T0 };
  const e = scratchEngine({ now: () => clock.t, scalingSpeed: 60 });
  call(e, 'CreateTable', {
    TableName: 'Orders',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: 5 },
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      },
    ],
  });
  call(e, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'a' }, g: { S: 'x' } } });
  return { e, clock };
}

/** One second of the clock with `rcu` strongly consistent reads, then a scaler turn. */
function second(e: Engine, clock: { t: number }, rcu: number): void {
  for (let i = 0; i < rcu; i++)
    call(e, 'GetItem', { TableName: 'Orders', Key: { pk: { S: 'a' } }, ConsistentRead: true });
  clock.t += 1000;
  e.runAutomation();
}

function readCapacity(e: Engine, index?: string): number {
  const t = call(e, 'DescribeTable', { TableName: 'Orders' }).Table;
  if (index)
    return t.GlobalSecondaryIndexes.find((g: { IndexName: string }) => g.IndexName === index)
      .ProvisionedThroughput.ReadCapacityUnits;
  return t.ProvisionedThroughput.ReadCapacityUnits;
}

function policies(e: Engine): DescribeScalingPoliciesOutput {
  return e.executeSortkey('DescribeScalingPolicies', {}) as DescribeScalingPoliciesOutput;
}

const readPolicy = (extra: Record<string, unknown> = {}) => ({
  TableName: 'Orders',
  ScalableDimension: 'ReadCapacityUnits',
  MinCapacity: 5,
  MaxCapacity: 500,
  TargetValue: 70,
  ...extra,
});

describe('target tracking decisions', () => {
  const policy = {
    MinCapacity: 5,
    MaxCapacity: 100,
    TargetValue: 70,
    DisableScaleIn: false,
    ScaleOutCooldown: 0,
    ScaleInCooldown: 0,
  };
  const at = (consumed: number, provisioned = 10) => ({ consumedPerSecond: consumed, provisioned });
  const never = { out: Infinity, in: Infinity };

  it('scales out after 2 datapoints above the target, to the capacity that meets it', () => {
    assert.equal(decideScaling(policy, 10, [at(8)], never).capacity, undefined);
    assert.equal(decideScaling(policy, 10, [at(2), at(8)], never).capacity, undefined);
    const d = decideScaling(policy, 10, [at(8), at(14)], never);
    assert.deepEqual([d.direction, d.capacity], ['increase', 20]);
    assert.equal(decideScaling(policy, 10, [at(800), at(800)], never).capacity, 100, 'at most MaxCapacity');
  });

  it('scales in after 15 datapoints 20 points below the target, never under the minimum', () => {
    const low = Array.from({ length: 15 }, () => at(1));
    assert.equal(decideScaling(policy, 10, low.slice(1), never).capacity, undefined, '14 are not enough');
    const d = decideScaling(policy, 10, low, never);
    assert.deepEqual([d.direction, d.capacity], ['decrease', 5]);
    // 55 % is under the target but not under 50 %: no scale-in.
    assert.equal(
      decideScaling(
        policy,
        10,
        Array.from({ length: 15 }, () => at(5.5)),
        never,
      ).capacity,
      undefined,
    );
    assert.equal(decideScaling({ ...policy, DisableScaleIn: true }, 10, low, never).capacity, undefined);
  });

  it('brings a capacity outside [min, max] inside at once', () => {
    assert.deepEqual(decideScaling(policy, 2, [], never).capacity, 5);
    assert.deepEqual(decideScaling(policy, 200, [], never).capacity, 100);
  });

  it('allows 4 decreases a UTC day, then one an hour after the last', () => {
    const day = 86_400 * 20_000;
    assert.equal(decreaseAllowed([], day).allowed, true);
    const four = [day + 10, day + 20, day + 30, day + 40];
    assert.equal(decreaseAllowed(four.slice(0, 3), day + 50).allowed, true);
    const refused = decreaseAllowed(four, day + 50);
    assert.deepEqual(refused, { allowed: false, today: 4, last: day + 40, next: day + 3640 });
    assert.equal(decreaseAllowed(four, day + 3640).allowed, true);
    // Yesterday's decreases do not count.
    assert.equal(decreaseAllowed(four, day + 86_400).allowed, true);
  });
});

describe('auto scaling under accelerated time', () => {
  it('scales a table out after 2 scaled minutes above the target, visible in DescribeTable and metrics', () => {
    const { e, clock } = setup();
    call(e, 'DescribeTable', { TableName: 'Orders' });
    const put = e.executeSortkey('PutScalingPolicy', readPolicy()) as {
      ScalingPolicy: { ResourceId: string };
    };
    assert.equal(put.ScalingPolicy.ResourceId, 'table/Orders');
    second(e, clock, 10); // one minute at 200 %
    assert.equal(readCapacity(e), 5);
    second(e, clock, 10); // the second one: scale out to ceil(10 / 0.7)
    assert.equal(readCapacity(e), 15);
    const p = policies(e);
    assert.equal(p.ScalingSpeed, 60);
    assert.equal(p.ScalingPolicies[0]!.CurrentCapacity, 15);
    assert.deepEqual(
      p.ScalingActivities.map((a) => [a.FromCapacity, a.ToCapacity, a.StatusCode]),
      [[5, 15, 'Successful']],
    );
    const m = e.executeSortkey('GetMetrics', {
      TableName: 'Orders',
      StartTime: clock.t / 1000 - 1,
      EndTime: clock.t / 1000 + 1,
      Period: 1,
      Metrics: ['ProvisionedReadCapacityUnits'],
    }) as GetMetricsOutput;
    assert.equal(m.Metrics[0]!.Statistics.Maximum!.at(-1), 15);
  });

  it('scales in after 15 scaled minutes of low use, and not before', () => {
    const { e, clock } = setup();
    e.executeSortkey('PutScalingPolicy', readPolicy());
    second(e, clock, 10);
    second(e, clock, 10);
    assert.equal(readCapacity(e), 15);
    for (let i = 0; i < 14; i++) second(e, clock, 0);
    assert.equal(readCapacity(e), 15, '14 low minutes');
    second(e, clock, 0);
    assert.equal(readCapacity(e), 5, 'back to the minimum after the 15th');
  });

  it('keeps within MinCapacity and MaxCapacity, on a GSI too', () => {
    const { e, clock } = setup(2);
    e.executeSortkey('PutScalingPolicy', readPolicy({ MinCapacity: 4, MaxCapacity: 8 }));
    e.executeSortkey('PutScalingPolicy', readPolicy({ IndexName: 'byG', MinCapacity: 7, MaxCapacity: 9 }));
    e.runAutomation();
    assert.equal(readCapacity(e), 4, 'raised to the minimum at once');
    assert.equal(readCapacity(e, 'byG'), 7);
    second(e, clock, 50);
    second(e, clock, 50);
    assert.equal(readCapacity(e), 8, 'at most the maximum');
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 20; k++)
        call(e, 'Query', {
          TableName: 'Orders',
          IndexName: 'byG',
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: 'x' } },
        });
      clock.t += 1000;
      e.runAutomation();
    }
    assert.equal(readCapacity(e, 'byG'), 9, 'the GSI scales on its own consumption, up to its maximum');
  });

  it('stops decreasing after 4 decreases in a scaled day until an hour after the last', () => {
    const { e, clock } = setup();
    e.executeSortkey('PutScalingPolicy', readPolicy());
    const cycle = () => {
      second(e, clock, 10);
      second(e, clock, 10);
      assert.equal(readCapacity(e), 15);
      for (let i = 0; i < 15; i++) second(e, clock, 0);
    };
    for (let n = 0; n < 4; n++) {
      cycle();
      assert.equal(readCapacity(e), 5, `decrease ${n + 1}`);
    }
    cycle();
    assert.equal(readCapacity(e), 15, 'the fifth decrease waits');
    const why = policies(e).ScalingPolicies[0]!.LastEvaluation!;
    assert.match(why, /decrease limit: 4 decreases today/);
    // A scaled hour (60 s at speed 60) after the fourth decrease, the fifth is allowed.
    for (let i = 0; i < 45; i++) second(e, clock, 0);
    assert.equal(readCapacity(e), 5);
    const decreases = policies(e).ScalingActivities.filter((a) => a.ToCapacity < a.FromCapacity);
    assert.equal(decreases.length, 5);
  });

  it('refuses bad policies with ValidationException and unknown tables with ResourceNotFoundException', () => {
    const { e } = setup();
    assertError(
      () => e.executeSortkey('PutScalingPolicy', readPolicy({ TargetValue: 95 })),
      'ValidationException',
      /TargetValue/,
    );
    assertError(
      () => e.executeSortkey('PutScalingPolicy', readPolicy({ MinCapacity: 10, MaxCapacity: 5 })),
      'ValidationException',
      /MaxCapacity/,
    );
    assertError(
      () => e.executeSortkey('PutScalingPolicy', readPolicy({ ScalableDimension: 'Both' })),
      'ValidationException',
      /ScalableDimension/,
    );
    assertError(
      () => e.executeSortkey('PutScalingPolicy', readPolicy({ TableName: 'Nope' })),
      'ResourceNotFoundException',
    );
    assertError(
      () => e.executeSortkey('PutScalingPolicy', readPolicy({ IndexName: 'nope' })),
      'ResourceNotFoundException',
    );
    e.executeSortkey('PutScalingPolicy', readPolicy());
    assert.deepEqual(e.executeSortkey('DeleteScalingPolicy', { TableName: 'Orders' }), { Deleted: 1 });
    assertError(
      () => e.executeSortkey('DeleteScalingPolicy', { TableName: 'Orders' }),
      'ResourceNotFoundException',
    );
  });
});
