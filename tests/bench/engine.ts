// In-process engine benchmarks: Sortkey's PutItem/GetItem/UpdateItem, Query and Scan next to raw
// better-sqlite3 doing the same row work (insert/select of the same JSON) in the same process.
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../engine/engine.js';
import { measure, printComparison } from './harness.js';

export function runEngineBench(): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-bench-'));
  try {
    const engine = new Engine({ path: join(dir, 'sortkey.sqlite') });
    engine.execute('CreateTable', {
      TableName: 'Bench',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    const raw = new BetterSqlite3(join(dir, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.exec(
      'CREATE TABLE t (pk TEXT NOT NULL, sk INTEGER NOT NULL, item TEXT NOT NULL, PRIMARY KEY (pk, sk)) WITHOUT ROWID',
    );
    const rawPut = raw.prepare('INSERT OR REPLACE INTO t (pk, sk, item) VALUES (?, ?, ?)');
    const rawGet = raw.prepare('SELECT item FROM t WHERE pk = ? AND sk = ?');
    const rawRange = raw.prepare('SELECT item FROM t WHERE pk = ? ORDER BY sk LIMIT 1000');
    const rawScan = raw.prepare('SELECT item FROM t ORDER BY pk, sk LIMIT 1000');

    const N = 10_000;
    const item = (i: number) => ({
      pk: { S: `user#${i % N}` },
      sk: { N: '1' },
      name: { S: `name ${i}` },
      email: { S: `user${i}@example.com` },
      age: { N: String(20 + (i % 50)) },
      tags: { SS: ['a', 'b'] },
    });

    // Every key exists before the timed runs, in both stores.
    for (let i = 0; i < N; i++) {
      const it = item(i);
      engine.execute('PutItem', { TableName: 'Bench', Item: it });
      rawPut.run(it.pk.S, 1, JSON.stringify(it));
    }
    const put = measure('PutItem', (i) => engine.execute('PutItem', { TableName: 'Bench', Item: item(i) }));
    const rawPutM = measure('raw insert', (i) => {
      const it = item(i);
      rawPut.run(it.pk.S, 1, JSON.stringify(it));
    });
    const get = measure('GetItem', (i) =>
      engine.execute('GetItem', { TableName: 'Bench', Key: { pk: { S: `user#${i % N}` }, sk: { N: '1' } } }),
    );
    const rawGetM = measure('raw select', (i) => {
      const row = rawGet.get(`user#${i % N}`, 1) as { item: string } | undefined;
      if (row) JSON.parse(row.item);
    });
    const update = measure('UpdateItem', (i) =>
      engine.execute('UpdateItem', {
        TableName: 'Bench',
        Key: { pk: { S: `user#${i % N}` }, sk: { N: '1' } },
        UpdateExpression: 'SET age = age + :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    const rawUpdate = measure('raw read+write', (i) => {
      const row = rawGet.get(`user#${i % N}`, 1) as { item: string } | undefined;
      const it = row ? JSON.parse(row.item) : item(i);
      it.age = { N: String(Number(it.age?.N ?? 0) + 1) };
      rawPut.run(it.pk.S, 1, JSON.stringify(it));
    });

    // One partition of 1,000 items for Query; the whole table for Scan pages.
    for (let s = 0; s < 1000; s++) {
      const it = { ...item(s), pk: { S: 'hot' }, sk: { N: String(s) } };
      engine.execute('PutItem', { TableName: 'Bench', Item: it });
      rawPut.run('hot', s, JSON.stringify(it));
    }
    const q = measure('Query 1,000 items', () =>
      engine.execute('Query', {
        TableName: 'Bench',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'hot' } },
      }),
    );
    const rawQ = measure('raw range', () => {
      for (const r of rawRange.all('hot') as { item: string }[]) JSON.parse(r.item);
    });
    const s = measure('Scan page of 1,000', () =>
      engine.execute('Scan', { TableName: 'Bench', Limit: 1000 }),
    );
    const rawS = measure('raw scan', () => {
      for (const r of rawScan.all() as { item: string }[]) JSON.parse(r.item);
    });

    console.log('\nEngine, in process (file-backed, WAL):');
    printComparison([
      { name: 'PutItem', sortkey: put, baseline: rawPutM, target: 0.4 },
      { name: 'GetItem', sortkey: get, baseline: rawGetM, target: 0.4 },
      { name: 'UpdateItem (conditional)', sortkey: update, baseline: rawUpdate },
      { name: 'Query (page of 1,000)', sortkey: q, baseline: rawQ },
      { name: 'Scan (page of 1,000)', sortkey: s, baseline: rawS },
    ]);
    engine.close();
    raw.close();
    return {
      putItem: put.opsPerSecond,
      getItem: get.opsPerSecond,
      updateItem: update.opsPerSecond,
      query1000: q.opsPerSecond,
      scan1000: s.opsPerSecond,
      putRatio: put.opsPerSecond / rawPutM.opsPerSecond,
      getRatio: get.opsPerSecond / rawGetM.opsPerSecond,
      queryRatio: q.opsPerSecond / rawQ.opsPerSecond,
      scanRatio: s.opsPerSecond / rawS.opsPerSecond,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
