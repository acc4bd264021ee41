// Whole-database dumps: every table's definition (keys, indexes, billing, streams, encryption,
// class, deletion protection, tags, TTL, point-in-time recovery) and items, restored exactly.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { dumpDatabase, importItems, restoreDatabase } from '../../../engine/dump/index.js';
import type { Engine } from '../../../engine/engine.js';
import { assertSameItems, memoryEngine, scratchDir, seedRich, storedItems, tableExists } from './helpers.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'dump');

function fancyTable(engine: Engine): void {
  engine.execute('CreateTable', {
    TableName: 'Fancy',
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'B' },
      { AttributeName: 'status', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byStatus',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] },
        ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    SSESpecification: { Enabled: true },
    TableClass: 'STANDARD_INFREQUENT_ACCESS',
    DeletionProtectionEnabled: true,
    Tags: [
      { Key: 'team', Value: 'payments' },
      { Key: 'env', Value: 'dev' },
    ],
  });
  engine.execute('UpdateTimeToLive', {
    TableName: 'Fancy',
    TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
  });
  if (engine.has('UpdateContinuousBackups')) {
    engine.execute('UpdateContinuousBackups', {
      TableName: 'Fancy',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  }
  engine.execute('PutItem', {
    TableName: 'Fancy',
    Item: { id: { B: 'AAEC' }, status: { S: 'open' }, note: { S: 'n' }, expiresAt: { N: '4102444800' } },
  });
  engine.execute('PutItem', { TableName: 'Fancy', Item: { id: { B: '/w==' }, other: { SS: ['x'] } } });
}

type Desc = Record<string, unknown> & {
  KeySchema: unknown;
  AttributeDefinitions: unknown;
  GlobalSecondaryIndexes?: {
    IndexName: string;
    KeySchema: unknown;
    Projection: unknown;
    ProvisionedThroughput: { ReadCapacityUnits: number };
  }[];
  ProvisionedThroughput: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  BillingModeSummary?: { BillingMode: string };
  StreamSpecification?: unknown;
  SSEDescription?: { Status: string };
  TableClassSummary?: { TableClass: string };
  DeletionProtectionEnabled?: boolean;
  TableArn: string;
};

function describe_(engine: Engine, name: string): Desc {
  return (engine.execute('DescribeTable', { TableName: name }) as { Table: Desc }).Table;
}

function settings(engine: Engine, name: string) {
  const d = describe_(engine, name);
  const tags = (
    engine.execute('ListTagsOfResource', { ResourceArn: d.TableArn }) as {
      Tags: { Key: string; Value: string }[];
    }
  ).Tags;
  const ttl = (
    engine.execute('DescribeTimeToLive', { TableName: name }) as { TimeToLiveDescription: unknown }
  ).TimeToLiveDescription;
  const pitr = engine.has('DescribeContinuousBackups')
    ? (
        engine.execute('DescribeContinuousBackups', { TableName: name }) as {
          ContinuousBackupsDescription: {
            PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: string };
          };
        }
      ).ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus
    : undefined;
  return {
    keys: d.KeySchema,
    defs: d.AttributeDefinitions,
    gsis: d.GlobalSecondaryIndexes?.map((g) => ({
      name: g.IndexName,
      keys: g.KeySchema,
      projection: g.Projection,
      rcu: g.ProvisionedThroughput.ReadCapacityUnits,
    })),
    throughput: [d.ProvisionedThroughput.ReadCapacityUnits, d.ProvisionedThroughput.WriteCapacityUnits],
    billing: d.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
    stream: d.StreamSpecification,
    sse: d.SSEDescription?.Status,
    tableClass: d.TableClassSummary?.TableClass,
    deletionProtection: d.DeletionProtectionEnabled,
    tags: [...tags].sort((a, b) => a.Key.localeCompare(b.Key)),
    ttl,
    pitr,
  };
}

describe('database dumps', () => {
  const dir = scratchDir();
  const source = memoryEngine();
  seedRich(source);
  fancyTable(source);

  it('restore recreates every setting of every table', async () => {
    const path = join(dir, 'all.skdump');
    const out = await dumpDatabase(source, path);
    assert.deepEqual(
      out.tables.map((t) => t.table),
      ['Fancy', 'Rich'],
    );
    const target = memoryEngine();
    const report = await restoreDatabase(target, path);
    assert.equal(report.committed, true, JSON.stringify(report.problems));
    assert.deepEqual(
      report.tables.map((t) => [t.table, t.created, t.written]),
      [
        ['Fancy', true, 2],
        ['Rich', true, 4],
      ],
    );
    assert.deepEqual(
      report.tables.flatMap((t) => t.warnings),
      [],
    );
    for (const name of ['Fancy', 'Rich']) {
      assert.deepEqual(settings(target, name), settings(source, name), name);
      assertSameItems(target, source, name);
    }
  });

  it('the dump format: a header, per table its definition, items and an end line', async () => {
    const path = join(dir, 'format.skdump');
    await dumpDatabase(source, path, { tables: ['Fancy'] });
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines[0]!.sortkeyDump, 1);
    assert.deepEqual(lines[0]!.tables, ['Fancy']);
    const def = lines[1]!.table as {
      create: Record<string, unknown>;
      timeToLive: unknown;
      itemCount: number;
    };
    assert.equal(def.create.TableName, 'Fancy');
    assert.deepEqual(def.timeToLive, { AttributeName: 'expiresAt', Enabled: true });
    assert.equal(def.itemCount, 2);
    assert.ok('Item' in lines[2]! && 'Item' in lines[3]!);
    assert.deepEqual(lines[4], { end: { table: 'Fancy', items: 2 } });
    assert.equal(lines.length, 5);
  });

  it('restore refuses existing tables unless told what to do with them', async () => {
    const path = join(dir, 'rich.skdump');
    await dumpDatabase(source, path, { tables: ['Rich'] });
    const target = memoryEngine();
    await restoreDatabase(target, path);
    await assert.rejects(restoreDatabase(target, path), /table Rich already exists/);

    // replace: same keys, contents replaced atomically.
    target.execute('PutItem', { TableName: 'Rich', Item: { pk: { S: 'extra' }, sk: { N: '1' } } });
    const replaced = await restoreDatabase(target, path, { onExistingTable: 'replace' });
    assert.equal(replaced.committed, true);
    assertSameItems(target, source, 'Rich');

    // merge: items written into it, others left.
    target.execute('PutItem', { TableName: 'Rich', Item: { pk: { S: 'extra' }, sk: { N: '1' } } });
    await restoreDatabase(target, path, { onExistingTable: 'merge' });
    assert.equal(storedItems(target, 'Rich').length, 5);

    // skip: left alone entirely.
    const skipped = await restoreDatabase(target, path, { onExistingTable: 'skip' });
    assert.equal(skipped.written, 0);
    assert.equal(skipped.skipped, 4);
    assert.equal(storedItems(target, 'Rich').length, 5);
  });

  it('restore under another name, and only some tables', async () => {
    const path = join(dir, 'both.skdump');
    await dumpDatabase(source, path);
    const target = memoryEngine();
    const report = await restoreDatabase(target, path, { tables: ['Rich'], tableMap: { Rich: 'RichCopy' } });
    assert.equal(report.committed, true);
    assert.equal(tableExists(target, 'Fancy'), false);
    assert.equal(tableExists(target, 'Rich'), false);
    assertSameItems(target, source, 'RichCopy', 'Rich');
  });

  it('a truncated or damaged dump restores nothing', async () => {
    const path = join(dir, 'full.skdump');
    await dumpDatabase(source, path);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const cases: [string, RegExp][] = [
      [lines.slice(0, -2).join('\n'), /ends inside table Rich .*truncated/],
      [lines.filter((_, i) => i !== 2).join('\n'), /end line says 2 items, the dump holds 1/],
      [['{"sortkeyDump":99}', ...lines.slice(1)].join('\n'), /this dump has version 99/],
    ];
    for (const [text, reason] of cases) {
      const damaged = join(dir, 'damaged.skdump');
      writeFileSync(damaged, text);
      const target = memoryEngine();
      const report = await restoreDatabase(target, damaged);
      assert.equal(report.committed, false);
      assert.match(report.problems.map((p) => p.reason).join('\n'), reason);
      assert.equal(target.ctx.catalog.size, 0, 'no table was created');
    }
    const notDump = join(dir, 'not-a-dump.skdump');
    writeFileSync(notDump, ['{"hello":"world"}', ...lines.slice(1)].join('\n'));
    await assert.rejects(restoreDatabase(memoryEngine(), notDump), /is not a Sortkey dump/);
  });

  it('import of a dump merges into existing tables; restore of a non-dump is refused', async () => {
    const path = join(dir, 'again.skdump');
    await dumpDatabase(source, path, { tables: ['Rich'] });
    const target = memoryEngine();
    seedRich(target);
    const report = await importItems(target, path);
    assert.equal(report.format, 'sortkey-dump');
    assert.equal(report.committed, true);
    assert.deepEqual(report.tables[0]!.warnings, [
      "the table existed: its definition was kept, the dump's ignored",
    ]);
    await assert.rejects(restoreDatabase(target, join(FIXTURES, 'aws-scan.json')), /not a Sortkey dump/);
  });

  it('reads the version 1 dump fixture (dumps stay readable by later versions)', async () => {
    const target = memoryEngine();
    const report = await restoreDatabase(target, join(FIXTURES, 'v1.skdump'));
    assert.equal(report.committed, true, JSON.stringify(report.problems));
    assert.deepEqual(storedItems(target, 'Notes'), [
      { id: { S: 'n1' }, at: { N: '1700000000.123456789' }, body: { S: 'first' }, tags: { SS: ['a'] } },
      { id: { S: 'n2' }, at: { N: '1' }, attachment: { B: 'AAECAw==' } },
    ]);
    const d = describe_(target, 'Notes');
    assert.equal(d.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(d.GlobalSecondaryIndexes?.[0]?.IndexName, 'byAt');
  });
});
