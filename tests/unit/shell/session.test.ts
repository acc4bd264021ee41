import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { put, seedOrders, tempDir, testSession } from './helpers.js';

describe('statements', () => {
  it('prints a SELECT as a table: keys first, numbers as stored, row count', async () => {
    const t = testSession();
    seedOrders(t.engine);
    const r = await t.session.run("SELECT * FROM Orders WHERE pk = 'c#2';");
    assert.deepEqual(r, { ran: 1, failed: 0, quit: false, cancelled: false });
    assert.equal(
      t.output.out,
      [
        ' pk  │ sk  │ status │                                 total',
        '─────┼─────┼────────┼───────────────────────────────────────',
        ' c#2 │ o#1 │ open   │ 123456789012345678901234567890.123456',
        '(1 row)',
        '',
      ].join('\n'),
    );
  });

  it('orders columns as a SELECT lists them', async () => {
    const t = testSession({ mode: 'csv' });
    seedOrders(t.engine);
    await t.session.run("SELECT total, sk FROM Orders WHERE pk = 'c#1'");
    assert.equal(t.output.out, 'total,sk\n19.99,o#1\n5,o#2\n');
  });

  it('prints JSON arrays, NDJSON lines and DynamoDB JSON', async () => {
    const t = testSession({ mode: 'json' });
    seedOrders(t.engine);
    await t.session.run("SELECT * FROM Orders WHERE pk = 'c#2'");
    const json = t.take().out;
    assert.equal(
      json,
      '[\n  {"pk":"c#2","sk":"o#1","total":123456789012345678901234567890.123456,"status":"open"}\n]\n',
    );
    await t.session.run(".mode ndjson\nSELECT sk FROM Orders WHERE pk = 'c#1'");
    assert.equal(t.take().out, '{"sk":"o#1"}\n{"sk":"o#2"}\n');
    await t.session.run(".mode ddbjson\nSELECT sk FROM Orders WHERE pk = 'nobody'");
    assert.equal(t.take().out, '[]\n');
  });

  it('says nothing for writes in scripts, OK with capacity when interactive', async () => {
    const quiet = testSession();
    seedOrders(quiet.engine);
    await quiet.session.run("INSERT INTO Orders VALUE {'pk': 'c#3', 'sk': 'o#1'}");
    assert.equal(quiet.output.out, '');
    const chatty = testSession({ confirmWrites: true, capacity: true });
    seedOrders(chatty.engine);
    await chatty.session.run("UPDATE Orders SET total = 7 WHERE pk = 'c#1' AND sk = 'o#2'");
    assert.equal(chatty.output.out, 'OK · 2 WCU\n'); // the table and its GSI
  });

  it('shows items a write returns', async () => {
    const t = testSession({ mode: 'ndjson' });
    seedOrders(t.engine);
    await t.session.run(
      "UPDATE Orders SET total = 7 WHERE pk = 'c#1' AND sk = 'o#2' RETURNING MODIFIED NEW *",
    );
    assert.equal(t.output.out, '{"total":7}\n');
  });

  it('reports errors as Type: message with a caret, and stops the script there', async () => {
    const t = testSession();
    seedOrders(t.engine);
    const r = await t.session.run("SELECT * FORM Orders;\nSELECT * FROM Orders WHERE pk = 'c#1';", {
      source: 'x.sql',
    });
    assert.equal(r.failed, 1);
    assert.equal(t.output.out, '');
    const lines = t.output.err.split('\n');
    assert.match(
      lines[0]!,
      /^x\.sql:1: ValidationException: Statement wasn't well formed, can't be processed: /,
    );
    assert.equal(lines[1], '  SELECT * FORM Orders');
    assert.equal(lines[2]!.indexOf('^'), 2 + 'SELECT * '.length);
    assert.equal(lines[3], '(1 statement after it not run)');
  });

  it('goes on after a failure with continueOnError, counting failures', async () => {
    const t = testSession({ mode: 'ndjson' });
    seedOrders(t.engine);
    const r = await t.session.run("SELECT * FROM Nope;\nSELECT sk FROM Orders WHERE pk = 'c#2';", {
      continueOnError: true,
    });
    assert.equal(r.failed, 1);
    assert.equal(r.ran, 2);
    assert.equal(t.output.out, '{"sk":"o#1"}\n');
    assert.match(t.output.err, /^ResourceNotFoundException: Requested resource not found/);
  });

  it('fetches every page in scripts', async () => {
    const t = testSession({ mode: 'ndjson' });
    seedOrders(t.engine);
    const big = 'x'.repeat(300 * 1024);
    for (let i = 0; i < 8; i++) {
      t.engine.execute('PutItem', {
        TableName: 'Orders',
        Item: { pk: { S: 'big' }, sk: { S: String(i) }, blob: { S: big } },
      });
    }
    await t.session.run("SELECT sk FROM Orders WHERE pk = 'big'");
    assert.equal(t.output.out.trim().split('\n').length, 8);
  });
});

describe('parameters', () => {
  it('binds .params values to ? placeholders', async () => {
    const t = testSession({ mode: 'ndjson' });
    seedOrders(t.engine);
    await t.session.run(".params 'c#1' 10\nSELECT sk FROM Orders WHERE pk = ? AND total > ?;");
    assert.equal(t.output.out, '1 parameter set\n'.replace('1 parameter', '2 parameters') + '{"sk":"o#1"}\n');
  });

  it('explains a mismatch between placeholders and values', async () => {
    const t = testSession();
    seedOrders(t.engine);
    await t.session.run('SELECT * FROM Orders WHERE pk = ?;');
    assert.match(
      t.output.err,
      /ValidationException: Number of parameters in request and statement don't match\./,
    );
    assert.match(t.output.err, /hint: the statement has 1 \? placeholder; give their values with \.params/);
  });

  it('shows and clears them', async () => {
    const t = testSession();
    await t.session.run(`.params {'a': [1]} {"B": "AAEC"}\n.params`);
    assert.equal(t.take().out, '2 parameters set\n?1 {\'a\': [1]}\n?2 {"B":"AAEC"}\n');
    await t.session.run('.params clear\n.params');
    assert.match(t.take().out, /no parameters/);
  });
});

describe('paging', () => {
  it('asks before each screenful and stops when told to', async () => {
    const t = testSession({ mode: 'ndjson' });
    seedOrders(t.engine);
    for (let i = 0; i < 30; i++)
      put(t.engine, `INSERT INTO Orders VALUE {'pk': 'p', 'sk': '${String(i).padStart(2, '0')}'}`);
    const asked: number[] = [];
    t.session.io.pageRows = () => 10;
    t.session.io.more = async (shown) => {
      asked.push(shown);
      return asked.length < 2;
    };
    await t.session.run("SELECT sk FROM Orders WHERE pk = 'p'");
    assert.deepEqual(asked, [10, 20]);
    assert.equal(t.output.out.trim().split('\n').length, 20);
    assert.match(t.output.err, /\(20 of 30 rows shown\)/);
  });
});

describe('EXPLAIN', () => {
  it('runs EXPLAIN typed as a statement and as .explain', async () => {
    const t = testSession();
    seedOrders(t.engine);
    await t.session.run(
      'EXPLAIN SELECT * FROM Orders WHERE total > 10;\n.explain SELECT * FROM "Orders"."ByStatus" WHERE status = \'open\'',
    );
    const out = t.output.out;
    assert.match(out, /^Scan Orders\n {2}filter {8}total > 10\n/);
    assert.match(out, /warning: Full table scan/);
    assert.match(out, /Query Orders \(index ByStatus\)\n {2}key condition status = 'open'/);
  });
});

describe('meta-commands', () => {
  it('.tables and .describe', async () => {
    const t = testSession();
    seedOrders(t.engine);
    await t.session.run('.tables\n.describe Orders');
    const out = t.output.out;
    assert.match(out, / table {2}│ partition key │ sort key │ indexes {2}│ items\n/);
    assert.match(out, / Orders │ pk {12}│ sk {7}│ ByStatus │ {5}3\n/);
    assert.match(out, /Orders {2}ACTIVE\n {2}key {9}pk S \(partition\), sk S \(sort\)/);
  });

  it('.create makes an on-demand table', async () => {
    const t = testSession();
    await t.session.run('.create Events id:N at');
    assert.match(t.output.out, /^Created Events id N, at S\n/);
    const d = t.engine.execute('DescribeTable', { TableName: 'Events' }) as { Table: { KeySchema: unknown } };
    assert.deepEqual(d.Table.KeySchema, [
      { AttributeName: 'id', KeyType: 'HASH' },
      { AttributeName: 'at', KeyType: 'RANGE' },
    ]);
  });

  it('.mode, .timing and .capacity switch settings', async () => {
    const t = testSession();
    seedOrders(t.engine);
    await t.session.run(".timing on\n.capacity on\nSELECT * FROM Orders WHERE pk = 'c#2';");
    assert.match(t.take().out, /\(1 row · [\d.]+ ms · 0\.5 RCU\)\n$/);
    await t.session.run('.mode xml');
    assert.match(t.take().err, /unknown mode xml: use table, line, json, ndjson, ddbjson, csv/);
  });

  it('.read runs a script relative to the working folder and reports its line', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'script.sql'),
      "-- seed\nINSERT INTO Orders VALUE {'pk': 'r', 'sk': '1'};\n\nSELECT * FROM Absent;\n",
    );
    const t = testSession({ cwd: dir });
    seedOrders(t.engine);
    const r = await t.session.run('.read script.sql');
    assert.equal(r.failed, 1);
    assert.match(t.output.err, /^script\.sql:4: ResourceNotFoundException/);
    const items = t.engine.execute('ExecuteStatement', {
      Statement: "SELECT * FROM Orders WHERE pk = 'r'",
    }) as { Items: unknown[] };
    assert.equal(items.Items.length, 1);
  });

  it('.quit ends the run; unknown commands say how to find the right one', async () => {
    const t = testSession();
    const r = await t.session.run('.nope\n');
    assert.match(t.output.err, /unknown command \.nope: \.help lists the commands/);
    assert.equal(r.failed, 1);
    assert.equal((await t.session.run('.quit\n.tables')).quit, true);
  });

  it('.help lists the commands', async () => {
    const t = testSession();
    await t.session.run('.help');
    for (const cmd of [
      '.tables',
      '.describe',
      '.explain',
      '.mode',
      '.timing',
      '.capacity',
      '.params',
      '.import',
      '.export',
      '.read',
      '.quit',
    ]) {
      assert.ok(t.output.out.includes(cmd), cmd);
    }
  });
});

describe('.import and .export', () => {
  it('loads a file into a new table and writes a table and a query out', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'items.ndjson'), '{"id":"a","n":1.50}\n{"id":"b","n":2}\n');
    const t = testSession({ cwd: dir });
    const r = await t.session.run(
      '.import items.ndjson Things id:S\n.export Things out.jsonl\n.export "SELECT id FROM Things WHERE id = \'b\'" one.csv',
    );
    assert.equal(r.failed, 0, t.output.err);
    assert.match(t.output.out, /^Imported 2 items into Things \(created Things\) from ndjson/);
    assert.match(t.output.out, /Exported 2 items to .*out\.jsonl as ddb-jsonl/);
    assert.equal(readFileSync(join(dir, 'one.csv'), 'utf8'), 'id\r\nb\r\n');
    const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n');
    assert.deepEqual(
      lines
        .map((l) => JSON.parse(l) as unknown)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [{ Item: { id: { S: 'a' }, n: { N: '1.5' } } }, { Item: { id: { S: 'b' }, n: { N: '2' } } }],
    );
  });

  it('says what is wrong when the table has no keys to be created with', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'items.json'), '[{"id": "a"}]');
    const t = testSession({ cwd: dir });
    const r = await t.session.run('.import items.json Nope');
    assert.equal(r.failed, 1);
    assert.match(t.output.err, /table Nope does not exist/);
    assert.match(t.output.err, /hint: in the shell, give the keys after the table: \.import FILE Nope pk:S/);
  });
});

describe('cancelling', () => {
  it('stops before the next statement once the signal is aborted', async () => {
    const t = testSession({ mode: 'ndjson' });
    seedOrders(t.engine);
    const controller = new AbortController();
    controller.abort();
    const r = await t.session.run("SELECT * FROM Orders WHERE pk = 'c#1'; SELECT 1", {
      signal: controller.signal,
    });
    assert.equal(r.cancelled, true);
    assert.equal(t.output.out, '');
  });
});
