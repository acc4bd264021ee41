import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import { assertError, call } from '../../support/engine.js';
import { clockEngine, createTable, N, S, T0 } from '../streams/helpers.js';

const DAY = 24 * 60 * 60 * 1000;

function indexedTable(engine: Engine, name = 'Events'): void {
  call(engine, 'CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'kind', AttributeType: 'S' },
      { AttributeName: 'score', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byKind',
        KeySchema: [
          { AttributeName: 'kind', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byScore',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'score', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function enablePitr(engine: Engine, name = 'Events', days?: number): any {
  return call(engine, 'UpdateContinuousBackups', {
    TableName: name,
    PointInTimeRecoverySpecification: {
      PointInTimeRecoveryEnabled: true,
      ...(days ? { RecoveryPeriodInDays: days } : {}),
    },
  });
}

/** Everything a client can observe of the table: items, and every index's contents, in order. */
function observe(engine: Engine, name: string): unknown {
  const scan = (index?: string) => {
    const items: unknown[] = [];
    let start: unknown;
    do {
      const out = call(engine, 'Scan', {
        TableName: name,
        ...(index ? { IndexName: index } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      });
      items.push(...out.Items);
      start = out.LastEvaluatedKey;
    } while (start);
    return items.map((i) => JSON.stringify(i)).sort();
  };
  const kinds = ['a', 'b', 'c'].map(
    (k) =>
      call(engine, 'Query', {
        TableName: name,
        IndexName: 'byKind',
        KeyConditionExpression: 'kind = :k',
        ExpressionAttributeValues: { ':k': S(k) },
      }).Items,
  );
  const scores = ['p0', 'p1', 'p2', 'p3'].map(
    (p) =>
      call(engine, 'Query', {
        TableName: name,
        IndexName: 'byScore',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S(p) },
      }).Items,
  );
  const d = call(engine, 'DescribeTable', { TableName: name }).Table;
  return {
    items: scan(),
    gsi: scan('byKind'),
    lsi: scan('byScore'),
    kinds,
    scores,
    itemCount: d.ItemCount,
    size: d.TableSizeBytes,
    gsiCount: d.GlobalSecondaryIndexes[0].ItemCount,
    lsiCount: d.LocalSecondaryIndexes[0].ItemCount,
  };
}

/** A deterministic pseudo-random sequence (tests must not depend on Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomWrite(engine: Engine, r: () => number): void {
  const pk = S(`p${Math.floor(r() * 4)}`);
  const sk = N(Math.floor(r() * 6));
  const op = r();
  if (op < 0.45) {
    const item: Record<string, unknown> = { pk, sk, v: N(Math.floor(r() * 1000)) };
    if (r() < 0.8) item.kind = S('abc'[Math.floor(r() * 3)]!);
    if (r() < 0.7) item.score = N(Math.floor(r() * 50));
    call(engine, 'PutItem', { TableName: 'Events', Item: item });
  } else if (op < 0.75) {
    const set = r() < 0.5;
    call(engine, 'UpdateItem', {
      TableName: 'Events',
      Key: { pk, sk },
      UpdateExpression: set ? 'SET kind = :k ADD n :one' : 'REMOVE kind, score ADD n :one',
      ExpressionAttributeValues: set
        ? { ':k': S('abc'[Math.floor(r() * 3)]!), ':one': N(1) }
        : { ':one': N(1) },
    });
  } else if (op < 0.95) {
    call(engine, 'DeleteItem', { TableName: 'Events', Key: { pk, sk } });
  } else {
    call(engine, 'BatchWriteItem', {
      RequestItems: {
        Events: [
          {
            PutRequest: {
              Item: { pk: S('p3'), sk: N(100 + Math.floor(r() * 3)), kind: S('c'), score: N(1) },
            },
          },
          { DeleteRequest: { Key: { pk: S('p0'), sk: N(Math.floor(r() * 6)) } } },
        ],
      },
    });
  }
}

describe('UpdateContinuousBackups / DescribeContinuousBackups', () => {
  it('reports PITR DISABLED, then ENABLED with its window and period', () => {
    const { engine, clock } = clockEngine();
    createTable(engine, 'Events');
    assert.deepEqual(call(engine, 'DescribeContinuousBackups', { TableName: 'Events' }), {
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      },
    });
    clock.advance(1000);
    assert.deepEqual(enablePitr(engine), {
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: {
          PointInTimeRecoveryStatus: 'ENABLED',
          RecoveryPeriodInDays: 35,
          EarliestRestorableDateTime: (T0 + 1000) / 1000,
          LatestRestorableDateTime: (T0 + 1000) / 1000,
        },
      },
    });
    clock.advance(60_000);
    const p = call(engine, 'DescribeContinuousBackups', { TableName: 'Events' }).ContinuousBackupsDescription
      .PointInTimeRecoveryDescription;
    assert.equal(p.EarliestRestorableDateTime, (T0 + 1000) / 1000);
    assert.equal(p.LatestRestorableDateTime, (T0 + 61_000) / 1000);
    // Enabling again is a no-op; the period can change in place.
    enablePitr(engine);
    assert.equal(
      enablePitr(engine, 'Events', 7).ContinuousBackupsDescription.PointInTimeRecoveryDescription
        .RecoveryPeriodInDays,
      7,
    );
    assertError(
      () =>
        call(engine, 'UpdateContinuousBackups', {
          TableName: 'Events',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false, RecoveryPeriodInDays: 3 },
        }),
      'ValidationException',
    );
    const off = call(engine, 'UpdateContinuousBackups', {
      TableName: 'Events',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
    assert.deepEqual(off.ContinuousBackupsDescription.PointInTimeRecoveryDescription, {
      PointInTimeRecoveryStatus: 'DISABLED',
    });
  });

  it('validates input and table', () => {
    const { engine } = clockEngine();
    createTable(engine, 'Events');
    assertError(
      () =>
        call(engine, 'UpdateContinuousBackups', {
          TableName: 'Events',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 36 },
        }),
      'ValidationException',
      "1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 35",
    );
    assertError(
      () => call(engine, 'UpdateContinuousBackups', { TableName: 'Events' }),
      'ValidationException',
      "1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null",
    );
    assertError(
      () => call(engine, 'DescribeContinuousBackups', { TableName: 'Missing' }),
      'TableNotFoundException',
      'Table not found: Missing',
    );
    assertError(() => enablePitr(engine, 'Missing'), 'TableNotFoundException', 'Table not found: Missing');
  });
});

describe('RestoreTableToPointInTime', () => {
  it('reproduces the table exactly as it was at every second of the window (items and indexes)', () => {
    const { engine, clock } = clockEngine();
    indexedTable(engine);
    const r = rng(42);
    for (let i = 0; i < 15; i++) randomWrite(engine, r);
    enablePitr(engine);
    const snapshots: { at: number; state: unknown }[] = [{ at: clock.now, state: observe(engine, 'Events') }];
    for (let second = 1; second <= 12; second++) {
      // Several writes within the second, some at its very last millisecond.
      clock.advance(400);
      for (let i = 0; i < 4; i++) randomWrite(engine, r);
      clock.advance(599);
      for (let i = 0; i < 2; i++) randomWrite(engine, r);
      snapshots.push({ at: clock.now, state: observe(engine, 'Events') });
      clock.advance(1);
    }
    snapshots.forEach((snap, i) => {
      const target = `Restored${i}`;
      const d = call(engine, 'RestoreTableToPointInTime', {
        SourceTableName: 'Events',
        TargetTableName: target,
        RestoreDateTime: snap.at / 1000,
      }).TableDescription;
      assert.deepEqual(d.RestoreSummary, {
        SourceTableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Events',
        RestoreDateTime: snap.at / 1000,
        RestoreInProgress: false,
      });
      assert.deepEqual(observe(engine, target), snap.state, `state at snapshot ${i}`);
    });
    const latest = call(engine, 'RestoreTableToPointInTime', {
      SourceTableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Events',
      TargetTableName: 'Latest',
      UseLatestRestorableTime: true,
    }).TableDescription;
    assert.equal(latest.RestoreSummary.RestoreDateTime, clock.now / 1000);
    assert.deepEqual(observe(engine, 'Latest'), observe(engine, 'Events'));
  });

  it('rejects times outside the window, tables without PITR, and bad targets', () => {
    const { engine, clock } = clockEngine();
    indexedTable(engine);
    assertError(
      () =>
        call(engine, 'RestoreTableToPointInTime', {
          SourceTableName: 'Events',
          TargetTableName: 'X1x',
          UseLatestRestorableTime: true,
        }),
      'PointInTimeRecoveryUnavailableException',
      "Point in time recovery is not enabled for table 'Events'",
    );
    clock.advance(5000);
    enablePitr(engine);
    clock.advance(5000);
    const restore = (at: number) =>
      call(engine, 'RestoreTableToPointInTime', {
        SourceTableName: 'Events',
        TargetTableName: 'X1x',
        RestoreDateTime: at / 1000,
      });
    assertError(
      () => restore(T0 + 4999),
      'InvalidRestoreTimeException',
      'RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime.',
    );
    assertError(() => restore(clock.now + 1000), 'InvalidRestoreTimeException');
    assertError(
      () =>
        call(engine, 'RestoreTableToPointInTime', {
          SourceTableName: 'Missing',
          TargetTableName: 'X1x',
          UseLatestRestorableTime: true,
        }),
      'TableNotFoundException',
      'Table not found: Missing',
    );
    assertError(
      () =>
        call(engine, 'RestoreTableToPointInTime', {
          SourceTableName: 'Events',
          TargetTableName: 'Events',
          UseLatestRestorableTime: true,
        }),
      'TableAlreadyExistsException',
      'Table already exists: Events',
    );
    assertError(
      () => call(engine, 'RestoreTableToPointInTime', { SourceTableName: 'Events', TargetTableName: 'X1x' }),
      'ValidationException',
    );
    restore(T0 + 5000);
  });

  it('keeps its window across close and reopen of a file database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-pitr-'));
    try {
      const path = join(dir, 'db.sqlite');
      let now = T0;
      const e1 = new Engine({ path, now: () => now });
      indexedTable(e1);
      enablePitr(e1);
      const r = rng(7);
      const states: { at: number; state: unknown }[] = [];
      for (let i = 0; i < 5; i++) {
        now += 1000;
        for (let j = 0; j < 5; j++) randomWrite(e1, r);
        states.push({ at: now, state: observe(e1, 'Events') });
      }
      e1.close();
      now += 1000;
      const e2 = new Engine({ path, now: () => now });
      for (let j = 0; j < 5; j++) randomWrite(e2, r);
      states.push({ at: now, state: observe(e2, 'Events') });
      states.forEach((s, i) => {
        call(e2, 'RestoreTableToPointInTime', {
          SourceTableName: 'Events',
          TargetTableName: `R${i}x`,
          RestoreDateTime: s.at / 1000,
        });
        assert.deepEqual(observe(e2, `R${i}x`), s.state);
      });
      e2.close();
      // And the restored tables are there after another reopen.
      const e3 = new Engine({ path, now: () => now });
      assert.deepEqual(observe(e3, 'R0x'), states[0]!.state);
      e3.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compacts the log past the recovery period and still restores the window exactly', () => {
    const { engine, clock } = clockEngine();
    indexedTable(engine);
    enablePitr(engine, 'Events', 1);
    const r = rng(99);
    const states: { at: number; state: unknown }[] = [];
    for (let hour = 0; hour < 36; hour++) {
      clock.advance(60 * 60 * 1000);
      for (let j = 0; j < 3; j++) randomWrite(engine, r);
      states.push({ at: clock.now, state: observe(engine, 'Events') });
    }
    engine.ctx.pitr.compactAll();
    const logRows = (
      engine.ctx.db.sqlite.prepare('SELECT count(*) AS n FROM sk_pitr_log').get() as { n: number }
    ).n;
    assert.ok(logRows <= 25 * 3, `log compacted (${logRows} rows left)`);
    const p = call(engine, 'DescribeContinuousBackups', { TableName: 'Events' }).ContinuousBackupsDescription
      .PointInTimeRecoveryDescription;
    assert.equal(p.EarliestRestorableDateTime, (clock.now - DAY) / 1000);
    const inWindow = states.filter((s) => s.at >= clock.now - DAY);
    inWindow.forEach((s, i) => {
      call(engine, 'RestoreTableToPointInTime', {
        SourceTableName: 'Events',
        TargetTableName: `W${i}x`,
        RestoreDateTime: s.at / 1000,
      });
      assert.deepEqual(observe(engine, `W${i}x`), s.state);
    });
    assertError(
      () =>
        call(engine, 'RestoreTableToPointInTime', {
          SourceTableName: 'Events',
          TargetTableName: 'Old',
          RestoreDateTime: states[0]!.at / 1000,
        }),
      'InvalidRestoreTimeException',
    );
  });

  it('records TTL deletions in the log', () => {
    const { engine, clock } = clockEngine();
    createTable(engine, 'Events');
    enablePitr(engine);
    call(engine, 'UpdateTimeToLive', {
      TableName: 'Events',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' },
    });
    call(engine, 'PutItem', { TableName: 'Events', Item: { pk: S('a'), exp: N(T0 / 1000 + 1) } });
    clock.advance(1000);
    const before = clock.now;
    clock.advance(1000);
    assert.equal(engine.sweepExpiredItems(), 1);
    call(engine, 'RestoreTableToPointInTime', {
      SourceTableName: 'Events',
      TargetTableName: 'Before',
      RestoreDateTime: before / 1000,
    });
    call(engine, 'RestoreTableToPointInTime', {
      SourceTableName: 'Events',
      TargetTableName: 'After',
      UseLatestRestorableTime: true,
    });
    assert.equal(call(engine, 'Scan', { TableName: 'Before' }).Count, 1);
    assert.equal(call(engine, 'Scan', { TableName: 'After' }).Count, 0);
  });

  it('a table deleted with PITR on leaves a SYSTEM backup of its last state', () => {
    const { engine } = clockEngine();
    indexedTable(engine);
    enablePitr(engine);
    const r = rng(3);
    for (let i = 0; i < 20; i++) randomWrite(engine, r);
    const last = observe(engine, 'Events');
    call(engine, 'DeleteTable', { TableName: 'Events' });
    assert.deepEqual(call(engine, 'ListBackups', {}).BackupSummaries, []);
    const system = call(engine, 'ListBackups', { BackupType: 'SYSTEM' }).BackupSummaries;
    assert.equal(system.length, 1);
    assert.equal(system[0].BackupName, 'Events$DeletedTableBackup');
    assert.equal(system[0].BackupType, 'SYSTEM');
    assert.ok(system[0].BackupExpiryDateTime > T0 / 1000);
    assertError(
      () => call(engine, 'DeleteBackup', { BackupArn: system[0].BackupArn }),
      'ValidationException',
    );
    call(engine, 'RestoreTableFromBackup', { BackupArn: system[0].BackupArn, TargetTableName: 'Events' });
    assert.deepEqual(observe(engine, 'Events'), last);
    assert.equal(
      call(engine, 'DescribeContinuousBackups', { TableName: 'Events' }).ContinuousBackupsDescription
        .PointInTimeRecoveryDescription.PointInTimeRecoveryStatus,
      'DISABLED',
    );
  });
});
