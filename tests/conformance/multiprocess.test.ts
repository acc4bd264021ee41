// Several processes sharing one database file (issue #16): a server and an import, a shell, other
// servers. Another process is played either by a second Engine (its own SQLite connection: to
// SQLite and to data_version that is what another process is), by a raw better-sqlite3
// connection holding the write lock, or by real child processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import {
  CreateTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ResourceInUseException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { importItems } from '../../engine/dump/index.js';
import { Engine } from '../../engine/index.js';
import { ROOT } from '../torture/support.js';
import { hashTable, startTestServer } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'sortkey-multiprocess-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = (): string => join(dir, `db${++files}.sqlite`);

type Rec = Record<string, unknown>;
const call = (e: Engine, op: string, input: unknown): Rec => e.execute(op, input) as Rec;

describe('a server sees what other processes committed before its first request', () => {
  it('a table imported after the server started is scanned, listed, and not created twice', async () => {
    const file = newFile();
    const s = await startTestServer({ db: file });
    const other = new Engine({ path: file, ttlSweepIntervalMs: 0 });
    try {
      call(other, 'CreateTable', hashTable('Imported'));
      call(other, 'PutItem', { TableName: 'Imported', Item: { pk: { S: 'a' } } });
      const scan = await s.client.send(new ScanCommand({ TableName: 'Imported' }));
      assert.equal(scan.Count, 1);
      const list = await s.client.send(new ListTablesCommand({}));
      assert.deepEqual(list.TableNames, ['Imported']);
      await assert.rejects(
        s.client.send(new CreateTableCommand(hashTable('Imported'))),
        (e: unknown) =>
          e instanceof ResourceInUseException && /Table already exists: Imported/.test(e.message),
      );
    } finally {
      other.close();
      await s.close();
    }
  });

  it('a CreateTable as first request finds the table another process created', async () => {
    const file = newFile();
    const s = await startTestServer({ db: file });
    const other = new Engine({ path: file, ttlSweepIntervalMs: 0 });
    try {
      call(other, 'CreateTable', hashTable('First'));
      await assert.rejects(
        s.client.send(new CreateTableCommand(hashTable('First'))),
        (e: unknown) => e instanceof ResourceInUseException,
      );
    } finally {
      other.close();
      await s.close();
    }
  });
});

describe('a GSI built while another process writes', () => {
  it('ends equal to its definition over the table, whoever wrote what when', async () => {
    const file = newFile();
    const a = new Engine({ path: file, ttlSweepIntervalMs: 0 });
    const b = new Engine({ path: file, ttlSweepIntervalMs: 0 });
    try {
      call(a, 'CreateTable', {
        TableName: 'Tab',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      });
      const N = 6_000;
      for (let start = 0; start < N; start += 25) {
        const batch = [];
        for (let i = start; i < start + 25; i++) {
          batch.push({ PutRequest: { Item: { id: { N: String(i) }, g: { S: `g${i % 7}` } } } });
        }
        call(a, 'BatchWriteItem', { RequestItems: { Tab: batch } });
      }
      const created = call(a, 'UpdateTable', {
        TableName: 'Tab',
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byG',
              KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }).TableDescription as { GlobalSecondaryIndexes: { IndexStatus: string }[] };
      assert.equal(created.GlobalSecondaryIndexes[0]!.IndexStatus, 'CREATING');
      // The other process writes at once and all along: new items, moved index keys, removed keys,
      // deleted items, spread over the whole key range (ahead of and behind the backfill).
      let seed = 7;
      const rnd = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      const status = (): string =>
        (
          call(a, 'DescribeTable', { TableName: 'Tab' }).Table as {
            GlobalSecondaryIndexes: { IndexStatus: string }[];
          }
        ).GlobalSecondaryIndexes[0]!.IndexStatus;
      let writes = 0;
      let afterActive = 0;
      while (afterActive < 200) {
        const id = { N: String(rnd(N + 500)) };
        const kind = rnd(4);
        if (kind === 0) call(b, 'DeleteItem', { TableName: 'Tab', Key: { id } });
        else if (kind === 1)
          call(b, 'UpdateItem', { TableName: 'Tab', Key: { id }, UpdateExpression: 'REMOVE g' });
        else
          call(b, 'PutItem', {
            TableName: 'Tab',
            Item: { id, g: { S: `g${rnd(9)}` }, w: { N: String(writes) } },
          });
        writes++;
        if (writes % 20 === 0) await new Promise((r) => setImmediate(r));
        if (afterActive > 0 || status() === 'ACTIVE') afterActive++;
        assert.ok(writes < 200_000, 'the index became ACTIVE');
      }
      const scanAll = (e: Engine, index?: string): Rec[] => {
        const out: Rec[] = [];
        let start: unknown;
        do {
          const page = call(e, 'Scan', {
            TableName: 'Tab',
            ...(index ? { IndexName: index } : {}),
            ...(start ? { ExclusiveStartKey: start } : {}),
          });
          out.push(...(page.Items as Rec[]));
          start = page.LastEvaluatedKey;
        } while (start);
        return out;
      };
      const key = (item: Rec): string => JSON.stringify(item);
      const expected = scanAll(a)
        .filter((item) => item.g !== undefined)
        .map(key)
        .sort();
      assert.deepEqual(scanAll(a, 'byG').map(key).sort(), expected);
      assert.deepEqual(scanAll(b, 'byG').map(key).sort(), expected);
      const described = call(b, 'DescribeTable', { TableName: 'Tab' }).Table as {
        GlobalSecondaryIndexes: { ItemCount: number }[];
      };
      assert.equal(described.GlobalSecondaryIndexes[0]!.ItemCount, expected.length);
    } finally {
      a.close();
      b.close();
    }
  });

  it('a backfill left unfinished by a process that stopped is finished by the next one', async () => {
    const file = newFile();
    const a = new Engine({ path: file, ttlSweepIntervalMs: 0 });
    call(a, 'CreateTable', {
      TableName: 'Tab',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
    for (let start = 0; start < 6_000; start += 25) {
      const batch = [];
      for (let i = start; i < start + 25; i++)
        batch.push({ PutRequest: { Item: { id: { N: String(i) }, g: { N: '1' } } } });
      call(a, 'BatchWriteItem', { RequestItems: { Tab: batch } });
    }
    call(a, 'UpdateTable', {
      TableName: 'Tab',
      AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'N' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        },
      ],
    });
    a.close();
    const b = new Engine({ path: file, ttlSweepIntervalMs: 0 });
    try {
      let gsi: { IndexStatus: string; ItemCount: number } | undefined;
      for (let i = 0; i < 2000; i++) {
        gsi = (
          call(b, 'DescribeTable', { TableName: 'Tab' }).Table as {
            GlobalSecondaryIndexes: { IndexStatus: string; ItemCount: number }[];
          }
        ).GlobalSecondaryIndexes[0];
        if (gsi!.IndexStatus === 'ACTIVE') break;
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.equal(gsi?.IndexStatus, 'ACTIVE');
      assert.equal(gsi?.ItemCount, 6_000);
    } finally {
      b.close();
    }
  });
});

describe('a write waiting for another process lock', () => {
  it('waits without blocking the event loop, then commits', async () => {
    const file = newFile();
    const engine = new Engine({ path: file });
    // Notes when a PutItem reaches the engine, however the server calls it.
    let putArrived = false;
    for (const method of ['execute', 'executeWaiting'] as const) {
      const original = (engine as unknown as Record<string, unknown>)[method];
      if (typeof original !== 'function') continue;
      (engine as unknown as Record<string, unknown>)[method] = (op: string, input: unknown): unknown => {
        if (op === 'PutItem') putArrived = true;
        return (original as (op: string, input: unknown) => unknown).call(engine, op, input);
      };
    }
    const s = await startTestServer({ engine, closeEngine: true });
    const raw = new BetterSqlite3(file);
    try {
      await s.client.send(new CreateTableCommand(hashTable('Waits')));
      raw.exec('BEGIN IMMEDIATE');
      let settled = false;
      // One attempt: the server itself must wait, not the SDK's retries.
      const put = s
        .makeClient({ maxAttempts: 1 })
        .send(new PutItemCommand({ TableName: 'Waits', Item: { pk: { S: 'new' } } }))
        .finally(() => (settled = true));
      while (!putArrived) await new Promise((r) => setImmediate(r));
      // The server (in this very process) keeps answering while the write waits: reads and health.
      const health = await fetch(`${s.url}/`);
      assert.equal(health.status, 200);
      const read = await s.client.send(new ScanCommand({ TableName: 'Waits' }));
      assert.equal(read.Count, 0);
      assert.equal(settled, false, 'the write is still waiting for the lock');
      raw.exec('COMMIT');
      await put;
      const got = await s.client.send(
        new GetItemCommand({ TableName: 'Waits', Key: { pk: { S: 'new' } }, ConsistentRead: true }),
      );
      assert.deepEqual(got.Item, { pk: { S: 'new' } });
    } finally {
      if (raw.inTransaction) raw.exec('ROLLBACK');
      raw.close();
      await s.close();
    }
  });

  it('answers ThrottlingException (retryable) when the lock stays busy past lockWaitMs', async () => {
    const file = newFile();
    const s = await startTestServer({ db: file, engineOptions: { lockWaitMs: 200 } });
    const raw = new BetterSqlite3(file);
    try {
      await s.client.send(new CreateTableCommand(hashTable('Waits')));
      raw.exec('BEGIN IMMEDIATE');
      const once = s.makeClient({ maxAttempts: 1 });
      await assert.rejects(
        once.send(new PutItemCommand({ TableName: 'Waits', Item: { pk: { S: 'x' } } })),
        (e: unknown) => {
          const err = e as { name: string; message: string; $metadata: { httpStatusCode: number } };
          assert.equal(err.name, 'ThrottlingException');
          assert.equal(err.$metadata.httpStatusCode, 400);
          assert.match(err.message, /locked by another process/);
          return true;
        },
      );
      raw.exec('COMMIT');
      // The SDK's own retries get through once the lock is free.
      await s.client.send(new PutItemCommand({ TableName: 'Waits', Item: { pk: { S: 'x' } } }));
    } finally {
      if (raw.inTransaction) raw.exec('ROLLBACK');
      raw.close();
      await s.close();
    }
  });
});

describe('an import into a file another process is writing', () => {
  it('waits for the write lock without blocking, then commits every item', async () => {
    const file = newFile();
    const engine = new Engine({ path: file, ttlSweepIntervalMs: 0 });
    const raw = new BetterSqlite3(file);
    try {
      call(engine, 'CreateTable', hashTable('Imports'));
      const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ pk: { S: `i${i}` } })).join('\n');
      raw.exec('BEGIN IMMEDIATE');
      let read = false;
      const report = importItems(
        engine,
        { text: lines, name: 'items.jsonl' },
        {
          table: 'Imports',
          format: 'ddb-jsonl',
          onProgress: (p) => {
            if (p.phase === 'read' && p.items === 50) read = true;
          },
        },
      );
      while (!read) await new Promise((r) => setImmediate(r));
      // The write phase has begun trying; the lock is released while it waits.
      await new Promise((r) => setTimeout(r, 20));
      raw.exec('COMMIT');
      const r = await report;
      assert.equal(r.committed, true);
      assert.equal(r.written, 50);
      assert.equal(
        (call(engine, 'Scan', { TableName: 'Imports', Select: 'COUNT' }) as { Count: number }).Count,
        50,
      );
    } finally {
      if (raw.inTransaction) raw.exec('ROLLBACK');
      raw.close();
      engine.close();
    }
  });
});

describe('processes opening a new file together', () => {
  it('all open it: schema creation and migrations are safe under concurrent first opens', async () => {
    const raceDir = mkdtempSync(join(dir, 'race-'));
    const start = Date.now() + 3_000;
    const child = (): Promise<string> =>
      new Promise((resolve, reject) => {
        const c = spawn(
          process.execPath,
          ['--import', 'tsx', 'tests/support/open-race-child.ts', raceDir, '40', String(start), '15'],
          { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        let err = '';
        c.stdout.on('data', (d: Buffer) => (out += d.toString()));
        c.stderr.on('data', (d: Buffer) => (err += d.toString()));
        c.on('error', reject);
        c.on('exit', (code) =>
          code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`)),
        );
      });
    const outs = await Promise.all([child(), child(), child()]);
    const errors = outs.flatMap((o) => (JSON.parse(o) as { errors: string[] }).errors);
    assert.deepEqual(errors, []);
  });
});

describe('a full disk', () => {
  it('answers an error that says so, logs it once, and keeps reads working', async () => {
    const file = newFile();
    const s = await startTestServer({ db: file });
    const logged: unknown[][] = [];
    const original = console.error;
    try {
      await s.client.send(new CreateTableCommand(hashTable('Full')));
      await s.client.send(new PutItemCommand({ TableName: 'Full', Item: { pk: { S: 'kept' } } }));
      const sqlite = (s.server.engine as Engine).ctx.db.sqlite;
      const pages = sqlite.pragma('page_count', { simple: true }) as number;
      // SQLite's own disk-full error (SQLITE_FULL) once the file would grow past a few pages.
      sqlite.pragma(`max_page_count = ${pages + 4}`);
      console.error = (...args: unknown[]) => void logged.push(args);
      const once = s.makeClient({ maxAttempts: 1 });
      const big = 'x'.repeat(300_000);
      for (let i = 0; i < 2; i++) {
        await assert.rejects(
          once.send(new PutItemCommand({ TableName: 'Full', Item: { pk: { S: `big${i}` }, v: { S: big } } })),
          (e: unknown) => {
            const err = e as { name: string; message: string; $metadata: { httpStatusCode: number } };
            assert.equal(err.name, 'InternalServerError');
            assert.equal(err.$metadata.httpStatusCode, 500);
            assert.match(err.message, /disk .*is full/);
            return true;
          },
        );
      }
      assert.equal(logged.length, 1);
      assert.match(String(logged[0]![0]), /is full/);
      const read = await s.client.send(
        new GetItemCommand({ TableName: 'Full', Key: { pk: { S: 'kept' } }, ConsistentRead: true }),
      );
      assert.deepEqual(read.Item, { pk: { S: 'kept' } });
      const scan = await s.client.send(new ScanCommand({ TableName: 'Full' }));
      assert.equal(scan.Count, 1);
    } finally {
      console.error = original;
      await s.close();
    }
  });
});
