// Imports commit in chunks, with a journal that undoes them: another process keeps writing while
// an import runs, and an import killed half-way leaves every table as it was once the file is
// opened again.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import { scratchDir, storedItems } from './helpers.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'importChild.ts');

function startChild(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const says = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (out.includes(word)) resolve();
      };
      child.stdout.on('data', check);
      void exited.then(() => (out.includes(word) ? resolve() : reject(new Error(`child exited: ${err}`))));
    });
  return { child, exited, says, output: () => out, errors: () => err };
}

function seed(path: string): Engine {
  const engine = new Engine({ path, ttlSweepIntervalMs: 0 });
  engine.execute('CreateTable', {
    TableName: 'Seeded',
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
  for (let i = 0; i < 50; i++)
    engine.execute('PutItem', { TableName: 'Seeded', Item: { pk: { S: `k${i}` }, g: { S: 'seed' } } });
  return engine;
}

function describeCounts(engine: Engine, table: string): [number, number] {
  const d = engine.execute('DescribeTable', { TableName: table }) as {
    Table: { ItemCount: number; GlobalSecondaryIndexes: { ItemCount: number }[] };
  };
  return [d.Table.ItemCount, d.Table.GlobalSecondaryIndexes[0]!.ItemCount];
}

describe('chunked imports', () => {
  it('an import killed half-way (SIGKILL) is undone when the file is opened again', async () => {
    const dir = scratchDir();
    const db = join(dir, 'db.sqlite');
    const engine = seed(db);
    const before = storedItems(engine, 'Seeded');
    engine.close();
    // Overwrites the seeded keys and adds new ones in two tables, one of which it creates.
    const requests = (table: string, from: number, n: number, g: string) =>
      JSON.stringify(
        Array.from({ length: n }, (_, i) => ({
          PutRequest: { Item: { pk: { S: `k${from + i}` }, g: { S: g } } },
        })),
      );
    const input = join(dir, 'batch.json');
    writeFileSync(
      input,
      `{"Seeded":${requests('Seeded', 0, 2000, 'import')},"Fresh":${requests('Fresh', 0, 2000, 'x')}}`,
    );
    const run = startChild([
      db,
      input,
      // Progress at every step: the child stops half-way however fast the machine is.
      JSON.stringify({ partitionKey: { name: 'pk', type: 'S' }, maxChunkItems: 100, progressEveryMs: 0 }),
      '1500',
    ]);
    await run.says('stopped');
    // Chunks of both tables have committed by now.
    const peek = new Engine({ path: db, ttlSweepIntervalMs: 0 });
    peek.ctx.refreshIfChanged(true); // from now on it notices other processes' commits
    assert.ok(peek.ctx.catalog.get('Fresh'), 'the created table is visible mid-import');
    peek.ctx.recoverImports();
    assert.ok(peek.ctx.catalog.get('Fresh'), 'a running import is left alone');
    run.child.kill('SIGKILL');
    await run.exited;

    const reopened = new Engine({ path: db, ttlSweepIntervalMs: 0 });
    assert.equal(reopened.ctx.catalog.get('Fresh'), undefined, 'the created table is gone');
    assert.deepEqual(storedItems(reopened, 'Seeded'), before);
    assert.deepEqual(describeCounts(reopened, 'Seeded'), [50, 50]);
    const gsi = reopened.execute('Query', {
      TableName: 'Seeded',
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'import' } },
    }) as { Count: number };
    assert.equal(gsi.Count, 0, 'the index rows are undone too');
    const runs = reopened.ctx.db.sqlite.prepare('SELECT count(*) AS n FROM sk_import_runs').get() as {
      n: number;
    };
    assert.equal(runs.n, 0);
    reopened.close();
    // An engine that was open all along (a server) sees the undone state.
    peek.ctx.refreshIfChanged(true);
    assert.equal(peek.ctx.catalog.get('Fresh'), undefined);
    assert.deepEqual(storedItems(peek, 'Seeded'), before);
    assert.deepEqual(describeCounts(peek, 'Seeded'), [50, 50]);
    peek.close();
  });

  it('another process keeps writing between the chunks of a running import', async () => {
    const dir = scratchDir();
    const db = join(dir, 'db.sqlite');
    const engine = seed(db);
    const n = 20_000;
    const input = join(dir, 'items.jsonl');
    writeFileSync(
      input,
      Array.from({ length: n }, (_, i) =>
        JSON.stringify({ pk: { S: `item${i}` }, v: { N: String(i) } }),
      ).join('\n'),
    );
    const run = startChild([
      db,
      input,
      JSON.stringify({ table: 'Big', partitionKey: { name: 'pk', type: 'S' }, maxChunkItems: 500 }),
    ]);
    // The probe: a PutItem at a time, noting how much of the import was visible when it committed.
    const seenPartial = new Set<number>();
    let probes = 0;
    let running = true;
    void run.exited.then(() => (running = false));
    const count = () => {
      if (!engine.ctx.catalog.get('Big')) engine.ctx.refreshIfChanged(true);
      if (!engine.ctx.catalog.get('Big')) return 0;
      return (
        engine.ctx.db.sqlite
          .prepare('SELECT count(*) AS n FROM t' + engine.ctx.catalog.get('Big')!.id)
          .get() as { n: number }
      ).n;
    };
    while (running) {
      engine.execute('PutItem', {
        TableName: 'Seeded',
        Item: { pk: { S: `probe${probes++}` }, g: { S: 'p' } },
      });
      const visible = count();
      if (visible > 0 && visible < n) seenPartial.add(visible);
      await new Promise((r) => setTimeout(r, 2));
    }
    assert.equal(await run.exited, 0, run.errors());
    assert.match(run.output(), /"committed":true,"written":20000/);
    // Without chunks the probe would only ever see none or all of the import.
    assert.ok(seenPartial.size >= 2, `probe writes interleaved with ${seenPartial.size} import chunks`);
    assert.equal(count(), n);
    assert.equal(describeCounts(engine, 'Seeded')[0], 50 + probes);
    engine.close();
  });
});
