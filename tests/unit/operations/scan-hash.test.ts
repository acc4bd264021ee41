// Parallel-scan segments are ranges of the stored partition hash: keys that differ only in their
// last characters must still spread over every segment, and files written with the old hash are
// migrated so that each item is still read exactly once, in one stable order.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Engine } from '../../../engine/engine.js';
import { SCHEMA_VERSION } from '../../../engine/storage/database.js';
import { call, createSimpleTable, scratchEngine } from '../../support/engine.js';

function segmentCounts(e: Engine, table: string, total: number): number[] {
  const counts: number[] = [];
  for (let segment = 0; segment < total; segment++) {
    let n = 0;
    let start: unknown;
    do {
      const out = call(e, 'Scan', {
        TableName: table,
        Segment: segment,
        TotalSegments: total,
        ...(start ? { ExclusiveStartKey: start } : {}),
      });
      n += out.Count;
      start = out.LastEvaluatedKey;
    } while (start);
    counts.push(n);
  }
  return counts;
}

function fill(e: Engine, table: string, keys: string[]): void {
  for (const k of keys) call(e, 'PutItem', { TableName: table, Item: { pk: { S: k } } });
}

describe('parallel scan balance', () => {
  it('spreads a…z over 8 segments', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Letters');
    fill(e, 'Letters', [...'abcdefghijklmnopqrstuvwxyz']);
    const counts = segmentCounts(e, 'Letters', 8);
    assert.equal(
      counts.reduce((a, b) => a + b),
      26,
    );
    // Before the finaliser all 26 fell into one segment.
    assert.ok(Math.max(...counts) <= 8, `segments: ${counts.join('/')}`);
    assert.ok(counts.filter((n) => n > 0).length >= 6, `segments: ${counts.join('/')}`);
  });

  it('spreads USER#1…USER#100 over every one of 8 segments', () => {
    const e = scratchEngine();
    createSimpleTable(e, 'Users');
    fill(
      e,
      'Users',
      Array.from({ length: 100 }, (_, i) => `USER#${i + 1}`),
    );
    const counts = segmentCounts(e, 'Users', 8);
    assert.equal(
      counts.reduce((a, b) => a + b),
      100,
    );
    // Before: 49/35/14 in three segments, five empty.
    assert.ok(
      counts.every((n) => n >= 4 && n <= 25),
      `segments: ${counts.join('/')}`,
    );
  });
});

describe('migrating the stored scan hash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-rehash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** 32-bit FNV-1a without the finaliser: the hash files of schema 4 hold. */
  function oldHash(pk: Buffer): number {
    let h = 0x811c9dc5;
    for (const byte of pk) {
      h ^= byte;
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  }

  it('recomputes h in tables, indexes and backups; every item is scanned once, in one order', () => {
    const path = join(dir, 'old.sqlite');
    const e1 = new Engine({ path });
    call(e1, 'CreateTable', {
      TableName: 'Users',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 1; i <= 60; i++) {
      call(e1, 'PutItem', { TableName: 'Users', Item: { pk: { S: `USER#${i}` }, g: { S: `G#${i % 7}` } } });
    }
    call(e1, 'CreateBackup', { TableName: 'Users', BackupName: 'before' });
    e1.close();

    // Turn the file back into a schema-4 file: the old hash in every h column.
    const raw = new BetterSqlite3(path);
    raw.function('old_hash', { deterministic: true }, (pk: unknown) => oldHash(pk as Buffer));
    const tables = raw
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .pluck()
      .all() as string[];
    let rewritten = 0;
    for (const name of tables) {
      const cols = raw.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[];
      if (cols.includes('h') && cols.includes('pk')) {
        raw.exec(`UPDATE "${name}" SET h = old_hash(pk)`);
        rewritten++;
      }
    }
    assert.ok(rewritten >= 3, 'table, index and backup tables');
    // A schema-4 file has none of the later migrations' tables either.
    raw.exec('DROP TABLE IF EXISTS sk_table_stats');
    raw.pragma('user_version = 4');
    raw.close();

    const e2 = new Engine({ path });
    try {
      const check = new BetterSqlite3(path, { readonly: true });
      assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      check.close();
      const counts = segmentCounts(e2, 'Users', 8);
      assert.equal(
        counts.reduce((a, b) => a + b),
        60,
      );
      assert.ok(
        counts.every((n) => n > 0),
        `segments: ${counts.join('/')}`,
      );
      const first = call(e2, 'Scan', { TableName: 'Users' }).Items.map((i: { pk: { S: string } }) => i.pk.S);
      const again = call(e2, 'Scan', { TableName: 'Users' }).Items.map((i: { pk: { S: string } }) => i.pk.S);
      assert.equal(new Set(first).size, 60);
      assert.deepEqual(again, first);
      // Paging resumes at the right place under the new hash.
      const paged: string[] = [];
      let start: unknown;
      do {
        const out = call(e2, 'Scan', {
          TableName: 'Users',
          Limit: 7,
          ...(start ? { ExclusiveStartKey: start } : {}),
        });
        paged.push(...out.Items.map((i: { pk: { S: string } }) => i.pk.S));
        start = out.LastEvaluatedKey;
      } while (start);
      assert.deepEqual(paged, first);
      // A write after the migration lands where reads look for it.
      call(e2, 'PutItem', { TableName: 'Users', Item: { pk: { S: 'USER#1' }, g: { S: 'changed' } } });
      assert.equal(
        call(e2, 'GetItem', { TableName: 'Users', Key: { pk: { S: 'USER#1' } } }).Item.g.S,
        'changed',
      );
      assert.equal(call(e2, 'DescribeTable', { TableName: 'Users' }).Table.ItemCount, 60);
      const byG = call(e2, 'Query', {
        TableName: 'Users',
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'G#3' } },
      });
      assert.ok(byG.Count > 0);
      // The backup restores every item, findable by key.
      const arn = call(e2, 'ListBackups', {}).BackupSummaries[0].BackupArn;
      call(e2, 'RestoreTableFromBackup', { TargetTableName: 'Restored', BackupArn: arn });
      assert.equal(
        call(e2, 'GetItem', { TableName: 'Restored', Key: { pk: { S: 'USER#42' } } }).Item.pk.S,
        'USER#42',
      );
      assert.equal(call(e2, 'Scan', { TableName: 'Restored' }).Count, 60);
    } finally {
      e2.close();
    }
  });
});
