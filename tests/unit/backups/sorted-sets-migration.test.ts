// Migration 8 (engine/storage/sort-sets.ts): a file written before sets were sorted at write holds
// sets in the order they were sent. Once a newer version opens it, every read returns them sorted:
// GetItem, Scan, PartiQL, the stream images already recorded and exports.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { Engine } from '../../../engine/engine.js';
import { SCHEMA_VERSION } from '../../../engine/storage/database.js';
import { call } from '../../support/engine.js';

const dir = mkdtempSync(join(tmpdir(), 'sortkey-sorted-sets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SORTED = {
  pk: { S: 'a' },
  ss: { SS: ['apple', 'banana', 'cherry'] },
  ns: { NS: ['-3', '2', '10'] },
  bs: { BS: ['AAE=', 'AQ==', '/w=='] },
  m: { M: { inner: { SS: ['x', 'y'] }, list: { L: [{ NS: ['1', '5'] }] } } },
};

/** Reverses every set in a JSON text: the order an older version may have stored. */
function unsorted(text: string): string {
  return JSON.stringify(JSON.parse(text), (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && ['SS', 'NS', 'BS'].includes(keys[0]!)) {
        const members = (v as Record<string, string[]>)[keys[0]!]!;
        return { [keys[0]!]: [...members].reverse() };
      }
    }
    return v;
  });
}

describe('sets stored unsorted by an older version', () => {
  it('come back sorted from GetItem, Scan, PartiQL, streams and exports after the file is opened', () => {
    const path = join(dir, 'old.sqlite');
    const exportRoot = join(dir, 'exports');
    let now = Date.UTC(2026, 11, 1);
    const clock = () => now;
    const e1 = new Engine({ path, exportRoot, now: clock, ttlSweepIntervalMs: 0 });
    call(e1, 'CreateTable', {
      TableName: 'Things',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    call(e1, 'UpdateContinuousBackups', {
      TableName: 'Things',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    call(e1, 'PutItem', { TableName: 'Things', Item: SORTED });
    call(e1, 'PutItem', { TableName: 'Things', Item: { pk: { S: 'plain' }, v: { N: '1' } } });
    e1.close();

    // Turn it into a file of schema 6 whose rows hold the sets reversed.
    const raw = new BetterSqlite3(path);
    raw.function('unsorted', { deterministic: true }, (t: unknown) =>
      typeof t === 'string' ? unsorted(t) : t,
    );
    let rewritten = 0;
    for (const name of raw
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .pluck()
      .all() as string[]) {
      const cols = raw.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[];
      const column = cols.includes('item') ? 'item' : name === 'sk_stream_records' ? 'record' : undefined;
      if (!column) continue;
      rewritten += raw
        .prepare(`UPDATE "${name}" SET ${column} = unsorted(${column}) WHERE ${column} IS NOT NULL`)
        .run().changes;
    }
    assert.ok(rewritten >= 3, 'the item row, its stream record and its point-in-time log entry');
    raw.pragma('user_version = 6');
    raw.close();

    now += 1000;
    const e2 = new Engine({ path, exportRoot, now: clock, ttlSweepIntervalMs: 0 });
    try {
      const check = new BetterSqlite3(path, { readonly: true });
      assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      check.close();

      assert.deepEqual(call(e2, 'GetItem', { TableName: 'Things', Key: { pk: { S: 'a' } } }).Item, SORTED);
      const scanned = call(e2, 'Scan', { TableName: 'Things' }).Items as Record<string, unknown>[];
      assert.deepEqual(
        scanned.find((i) => (i.pk as { S: string }).S === 'a'),
        SORTED,
      );
      const selected = call(e2, 'ExecuteStatement', {
        Statement: `SELECT * FROM Things WHERE pk = 'a'`,
      }).Items;
      assert.deepEqual(selected, [SORTED]);

      const streamArn = call(e2, 'DescribeTable', { TableName: 'Things' }).Table.LatestStreamArn as string;
      const shard = call(e2, 'DescribeStream', { StreamArn: streamArn }).StreamDescription.Shards[0];
      const iterator = call(e2, 'GetShardIterator', {
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }).ShardIterator;
      const records = call(e2, 'GetRecords', { ShardIterator: iterator }).Records as {
        dynamodb: { NewImage?: Record<string, unknown> };
      }[];
      assert.deepEqual(records[0]!.dynamodb.NewImage, SORTED);

      now += 1000;
      const d = call(e2, 'ExportTableToPointInTime', {
        TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Things',
        S3Bucket: 'bucket',
      }).ExportDescription;
      assert.equal(d.ExportStatus, 'COMPLETED');
      const base = join(exportRoot, 'bucket');
      const exportDir = join(
        base,
        'AWSDynamoDB',
        d.ExportArn.slice(d.ExportArn.lastIndexOf('/') + 1),
        'data',
      );
      const lines = readdirSync(exportDir).flatMap((f) =>
        gunzipSync(readFileSync(join(exportDir, f)))
          .toString('utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { Item: Record<string, unknown> }),
      );
      assert.deepEqual(lines.find((l) => (l.Item.pk as { S: string }).S === 'a')?.Item, SORTED);
    } finally {
      e2.close();
    }
  });
});
