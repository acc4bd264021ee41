// Long control-plane work in chunks (engine/backups/jobs.ts): a table larger than what an operation
// copies before it answers goes through the transitional status (backup CREATING, PITR ENABLING,
// restored table CREATING, system backup CREATING), requests are answered between chunks, and the
// result is the consistent snapshot it would have been in one transaction — writes made during the
// copy included where they belong. A small chunk size keeps the tables small.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import { assertError, call } from '../../support/engine.js';
import { clockEngine, N, S } from '../streams/helpers.js';

const ITEMS = 120;
/** 6 rows a chunk: 20 chunks for the table, more than the 8 an operation runs before it answers. */
const CHUNK = 6;

function bigTable(engine: Engine, name = 'Big'): void {
  call(engine, 'CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [
          { AttributeName: 'g', KeyType: 'HASH' },
          { AttributeName: 'pk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  });
  for (let i = 0; i < ITEMS; i += 25) {
    const puts = [];
    for (let j = i; j < Math.min(i + 25, ITEMS); j++) {
      puts.push({
        PutRequest: { Item: { pk: S(`k${String(j).padStart(4, '0')}`), g: S(`g${j % 3}`), v: N(j) } },
      });
    }
    call(engine, 'BatchWriteItem', { RequestItems: { [name]: puts } });
  }
  engine.ctx.jobs.chunkRows = CHUNK;
}

/** The table's items and index contents, sorted, as a client sees them. */
function contents(engine: Engine, name: string): { items: string[]; index: string[]; count: number } {
  const scan = (index?: string) => {
    const out: string[] = [];
    let start: unknown;
    do {
      const page = call(engine, 'Scan', {
        TableName: name,
        ...(index ? { IndexName: index } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      });
      out.push(...page.Items.map((i: Record<string, unknown>) => JSON.stringify(Object.entries(i).sort())));
      start = page.LastEvaluatedKey;
    } while (start);
    return out.sort();
  };
  const count = call(engine, 'DescribeTable', { TableName: name }).Table.ItemCount as number;
  return { items: scan(), index: scan('byG'), count };
}

/** Writes spread over the key range: before and after any cursor, new keys and deletes. */
function writeDuringCopy(engine: Engine, round: number): void {
  call(engine, 'PutItem', { TableName: 'Big', Item: { pk: S('k0001'), g: S('g9'), v: N(1000 + round) } });
  call(engine, 'PutItem', { TableName: 'Big', Item: { pk: S('k0110'), g: S('g9'), v: N(2000 + round) } });
  call(engine, 'PutItem', { TableName: 'Big', Item: { pk: S(`new${round}`), g: S('g1'), v: N(round) } });
  call(engine, 'DeleteItem', { TableName: 'Big', Key: { pk: S(`k${String(50 + round).padStart(4, '0')}`) } });
  call(engine, 'UpdateItem', {
    TableName: 'Big',
    Key: { pk: S(`k${String(100 - round).padStart(4, '0')}`) },
    UpdateExpression: 'SET v = :v REMOVE g',
    ExpressionAttributeValues: { ':v': N(-round) },
  });
}

function getItem(engine: Engine, pk: string): unknown {
  return call(engine, 'GetItem', { TableName: 'Big', Key: { pk: S(pk) } }).Item;
}

describe('CreateBackup in chunks', () => {
  it('is CREATING while copying, answers requests meanwhile, and holds the table as it was', () => {
    const { engine } = clockEngine();
    bigTable(engine);
    const before = contents(engine, 'Big');
    const created = call(engine, 'CreateBackup', { TableName: 'Big', BackupName: 'bk1' }).BackupDetails;
    assert.equal(created.BackupStatus, 'CREATING');
    const arn = created.BackupArn as string;
    assert.equal(
      call(engine, 'DescribeBackup', { BackupArn: arn }).BackupDescription.BackupDetails.BackupStatus,
      'CREATING',
    );
    assertError(
      () => call(engine, 'RestoreTableFromBackup', { BackupArn: arn, TargetTableName: 'Copy' }),
      'BackupInUseException',
    );
    for (let round = 0; engine.ctx.jobs.step(); round++) {
      // Requests are answered between chunks, and writes go on.
      assert.ok(getItem(engine, 'k0003'));
      if (round < 10) writeDuringCopy(engine, round);
    }
    const details = call(engine, 'DescribeBackup', { BackupArn: arn }).BackupDescription;
    assert.equal(details.BackupDetails.BackupStatus, 'AVAILABLE');
    assert.equal(details.SourceTableDetails.ItemCount, ITEMS);
    call(engine, 'RestoreTableFromBackup', { BackupArn: arn, TargetTableName: 'Copy' });
    engine.ctx.jobs.runToEnd();
    assert.deepEqual(contents(engine, 'Copy'), before);
    assert.notDeepEqual(contents(engine, 'Big'), before);
  });

  it('a small table is backed up before CreateBackup answers', () => {
    const { engine } = clockEngine();
    bigTable(engine);
    engine.ctx.jobs.chunkRows = 1000;
    const created = call(engine, 'CreateBackup', { TableName: 'Big', BackupName: 'bk1' }).BackupDetails;
    assert.equal(created.BackupStatus, 'AVAILABLE');
    assert.ok(created.BackupSizeBytes > 0);
  });

  it('DeleteTable completes a backup still copying the table first', () => {
    const { engine } = clockEngine();
    bigTable(engine);
    const before = contents(engine, 'Big');
    const arn = call(engine, 'CreateBackup', { TableName: 'Big', BackupName: 'bk1' }).BackupDetails.BackupArn;
    writeDuringCopy(engine, 0);
    call(engine, 'DeleteTable', { TableName: 'Big' });
    assert.equal(
      call(engine, 'DescribeBackup', { BackupArn: arn }).BackupDescription.BackupDetails.BackupStatus,
      'AVAILABLE',
    );
    call(engine, 'RestoreTableFromBackup', { BackupArn: arn, TargetTableName: 'Copy' });
    engine.ctx.jobs.runToEnd();
    assert.deepEqual(contents(engine, 'Copy'), before);
  });

  it('resumes after the process stops mid-copy, still a snapshot of the start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-jobs-'));
    const path = join(dir, 'db.sqlite');
    try {
      let t = 1_700_000_000_000;
      const first = new Engine({ path, now: () => t });
      bigTable(first);
      const before = contents(first, 'Big');
      const arn = call(first, 'CreateBackup', { TableName: 'Big', BackupName: 'bk1' }).BackupDetails
        .BackupArn;
      writeDuringCopy(first, 0);
      first.close();

      t += 1000;
      const second = new Engine({ path, now: () => t });
      second.ctx.jobs.chunkRows = CHUNK;
      assert.equal(
        call(second, 'DescribeBackup', { BackupArn: arn }).BackupDescription.BackupDetails.BackupStatus,
        'CREATING',
      );
      // Writes of the reopened process still save what the copy has not reached yet.
      writeDuringCopy(second, 1);
      second.ctx.jobs.step();
      writeDuringCopy(second, 2);
      second.ctx.jobs.runToEnd();
      assert.equal(
        call(second, 'DescribeBackup', { BackupArn: arn }).BackupDescription.BackupDetails.BackupStatus,
        'AVAILABLE',
      );
      call(second, 'RestoreTableFromBackup', { BackupArn: arn, TargetTableName: 'Copy' });
      second.ctx.jobs.runToEnd();
      assert.deepEqual(contents(second, 'Copy'), before);
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Jobs shared by processes on one file', () => {
  it("another process's writes during a backup are copied-on-write, and it can finish the copy", () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-jobs-'));
    const path = join(dir, 'db.sqlite');
    try {
      const server = new Engine({ path, now: () => 1_700_000_000_000 });
      bigTable(server);
      const before = contents(server, 'Big');
      const shell = new Engine({ path, now: () => 1_700_000_000_000 });
      shell.ctx.jobs.chunkRows = CHUNK;
      const arn = call(server, 'CreateBackup', { TableName: 'Big', BackupName: 'bk1' }).BackupDetails
        .BackupArn;
      writeDuringCopy(shell, 0);
      server.ctx.jobs.step();
      writeDuringCopy(shell, 1);
      // The other process runs the rest.
      shell.ctx.jobs.runToEnd();
      assert.equal(
        call(server, 'DescribeBackup', { BackupArn: arn }).BackupDescription.BackupDetails.BackupStatus,
        'AVAILABLE',
      );
      call(server, 'RestoreTableFromBackup', { BackupArn: arn, TargetTableName: 'Copy' });
      server.ctx.jobs.runToEnd();
      assert.deepEqual(contents(server, 'Copy'), before);
      shell.close();
      server.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('RestoreTableFromBackup in chunks', () => {
  it('the restored table is CREATING (RestoreInProgress) until its items and indexes are in', () => {
    const { engine } = clockEngine();
    bigTable(engine);
    engine.ctx.jobs.chunkRows = 1000;
    const arn = call(engine, 'CreateBackup', { TableName: 'Big', BackupName: 'bk1' }).BackupDetails.BackupArn;
    engine.ctx.jobs.chunkRows = CHUNK;
    const out = call(engine, 'RestoreTableFromBackup', { BackupArn: arn, TargetTableName: 'Copy' });
    assert.equal(out.TableDescription.TableStatus, 'CREATING');
    assert.equal(out.TableDescription.RestoreSummary.RestoreInProgress, true);
    assertError(
      () => call(engine, 'GetItem', { TableName: 'Copy', Key: { pk: S('k0001') } }),
      'ResourceNotFoundException',
    );
    // The backup is in use while the restore runs.
    assertError(() => call(engine, 'DeleteBackup', { BackupArn: arn }), 'BackupInUseException');
    let chunks = 0;
    while (engine.ctx.jobs.step()) {
      chunks++;
      assert.ok(getItem(engine, 'k0003'));
      if (chunks < 5)
        assert.equal(call(engine, 'DescribeTable', { TableName: 'Copy' }).Table.TableStatus, 'CREATING');
    }
    assert.ok(chunks > 8);
    const d = call(engine, 'DescribeTable', { TableName: 'Copy' }).Table;
    assert.equal(d.TableStatus, 'ACTIVE');
    assert.equal(d.RestoreSummary.RestoreInProgress, false);
    assert.equal(d.GlobalSecondaryIndexes[0].IndexStatus, 'ACTIVE');
    assert.equal(d.GlobalSecondaryIndexes[0].ItemCount, ITEMS);
    assert.deepEqual(contents(engine, 'Copy'), contents(engine, 'Big'));
  });
});

describe('A restore left by a stopped process', () => {
  it('is finished by the next engine that opens the file (the table was CREATING meanwhile)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-jobs-'));
    const path = join(dir, 'db.sqlite');
    try {
      const first = new Engine({ path, now: () => 1_700_000_000_000 });
      bigTable(first);
      first.ctx.jobs.chunkRows = 1000;
      const arn = call(first, 'CreateBackup', { TableName: 'Big', BackupName: 'bk1' }).BackupDetails
        .BackupArn;
      first.ctx.jobs.chunkRows = CHUNK;
      call(first, 'RestoreTableFromBackup', { BackupArn: arn, TargetTableName: 'Copy' });
      first.ctx.jobs.step();
      first.close();

      const second = new Engine({ path, now: () => 1_700_000_000_000 });
      assert.equal(call(second, 'DescribeTable', { TableName: 'Copy' }).Table.TableStatus, 'CREATING');
      second.ctx.jobs.runToEnd();
      assert.equal(call(second, 'DescribeTable', { TableName: 'Copy' }).Table.TableStatus, 'ACTIVE');
      assert.deepEqual(contents(second, 'Copy'), contents(second, 'Big'));
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Point-in-time recovery in chunks', () => {
  it('is ENABLING while the base is copied; restores see the table as it was at each moment', () => {
    const { engine, clock } = clockEngine();
    bigTable(engine);
    const atEnable = contents(engine, 'Big');
    clock.advance(1000);
    const out = call(engine, 'UpdateContinuousBackups', {
      TableName: 'Big',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    assert.deepEqual(out.ContinuousBackupsDescription.PointInTimeRecoveryDescription, {
      PointInTimeRecoveryStatus: 'ENABLING',
      RecoveryPeriodInDays: 35,
    });
    const enabledAt = clock.now;
    assertError(
      () =>
        call(engine, 'RestoreTableToPointInTime', {
          SourceTableName: 'Big',
          TargetTableName: 'Early',
          UseLatestRestorableTime: true,
        }),
      'PointInTimeRecoveryUnavailableException',
    );
    for (let round = 0; engine.ctx.jobs.step(); round++) {
      assert.ok(getItem(engine, 'k0003'));
      clock.advance(10);
      if (round < 10) writeDuringCopy(engine, round);
    }
    const p = call(engine, 'DescribeContinuousBackups', { TableName: 'Big' }).ContinuousBackupsDescription
      .PointInTimeRecoveryDescription;
    assert.equal(p.PointInTimeRecoveryStatus, 'ENABLED');
    clock.advance(1000);
    call(engine, 'RestoreTableToPointInTime', {
      SourceTableName: 'Big',
      TargetTableName: 'AtEnable',
      RestoreDateTime: enabledAt / 1000,
    });
    const latest = call(engine, 'RestoreTableToPointInTime', {
      SourceTableName: 'Big',
      TargetTableName: 'Latest',
      UseLatestRestorableTime: true,
    });
    assert.equal(latest.TableDescription.TableStatus, 'CREATING');
    // A write after the restore's moment is not in it.
    call(engine, 'PutItem', { TableName: 'Big', Item: { pk: S('late'), g: S('g1'), v: N(1) } });
    const now = contents(engine, 'Big');
    engine.ctx.jobs.runToEnd();
    assert.deepEqual(contents(engine, 'AtEnable'), atEnable);
    const expected = {
      ...now,
      items: now.items.filter((i) => !i.includes('"late"')),
      index: now.index.filter((i) => !i.includes('"late"')),
      count: now.count - 1,
    };
    assert.deepEqual(contents(engine, 'Latest'), expected);
  });

  it('DeleteTable with PITR on answers at once; the system backup is CREATING, then complete', () => {
    const { engine } = clockEngine();
    bigTable(engine);
    engine.ctx.jobs.chunkRows = 1000;
    call(engine, 'UpdateContinuousBackups', {
      TableName: 'Big',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    engine.ctx.jobs.chunkRows = CHUNK;
    writeDuringCopy(engine, 0);
    const last = contents(engine, 'Big');
    call(engine, 'DeleteTable', { TableName: 'Big' });
    const [system] = call(engine, 'ListBackups', { BackupType: 'SYSTEM' }).BackupSummaries;
    assert.equal(system.BackupName, 'Big$DeletedTableBackup');
    assert.equal(system.BackupStatus, 'CREATING');
    engine.ctx.jobs.runToEnd();
    const done = call(engine, 'DescribeBackup', { BackupArn: system.BackupArn }).BackupDescription;
    assert.equal(done.BackupDetails.BackupStatus, 'AVAILABLE');
    assert.equal(done.SourceTableDetails.ItemCount, last.count);
    call(engine, 'RestoreTableFromBackup', { BackupArn: system.BackupArn, TargetTableName: 'Back' });
    engine.ctx.jobs.runToEnd();
    assert.deepEqual(contents(engine, 'Back'), last);
    // The recovery data is gone once copied.
    const left = engine.ctx.db.sqlite
      .prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'sk_pitr_base_%'")
      .pluck()
      .get();
    assert.equal(left, 0);
  });
});
