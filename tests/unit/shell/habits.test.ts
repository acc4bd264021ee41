// The shell as people coming from psql, sqlite3 and mysql use it: transactions and batches,
// .limit for the LIMIT PartiQL lacks, .count, expanded display, output to a file, backslash
// commands and SHOW TABLES / DESCRIBE, and errors that say what to do instead.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { put, seedOrders, tempDir, testSession } from './helpers.js';

function rows(engine: Parameters<typeof put>[0], pk: string, n: number): void {
  for (let i = 0; i < n; i++)
    put(engine, `INSERT INTO Orders VALUE {'pk': '${pk}', 'sk': '${String(i).padStart(3, '0')}'}`);
}

describe('transactions and batches', () => {
  it('BEGIN … COMMIT runs the statements as one ExecuteTransaction', async () => {
    const t = testSession({ mode: 'ndjson' });
    seedOrders(t.engine);
    const r = await t.session.run(
      "BEGIN;\nINSERT INTO Orders VALUE {'pk': 't', 'sk': '1'};\nINSERT INTO Orders VALUE {'pk': 't', 'sk': '2'};\nCOMMIT;\nSELECT sk FROM Orders WHERE pk = 't';",
    );
    assert.equal(r.failed, 0, t.output.err);
    assert.match(
      t.output.out,
      /^COMMIT 2 statements applied as one transaction\n\{"sk":"1"\}\n\{"sk":"2"\}\n$/,
    );
  });

  it('a transaction that fails applies nothing, and says which statement failed', async () => {
    const t = testSession();
    seedOrders(t.engine);
    const r = await t.session.run(
      "BEGIN;\nINSERT INTO Orders VALUE {'pk': 't', 'sk': '1'};\nINSERT INTO Orders VALUE {'pk': 'c#1', 'sk': 'o#1'};\nCOMMIT;",
      { source: 'tx.sql' },
    );
    assert.equal(r.failed, 1);
    assert.match(t.output.err, /^tx\.sql:4: TransactionCanceledException: .*\[None, DuplicateItem\]/m);
    assert.match(
      t.output.err,
      /statement 2 \(tx\.sql:3\): DuplicateItem: INSERT INTO Orders VALUE \{'pk': 'c#1'/,
    );
    assert.match(t.output.err, /transaction not applied: none of its 2 statements changed anything/);
    const left = t.engine.execute('GetItem', {
      TableName: 'Orders',
      Key: { pk: { S: 't' }, sk: { S: '1' } },
    });
    assert.deepEqual(left, {});
  });

  it('ROLLBACK drops the queued statements', async () => {
    const t = testSession();
    seedOrders(t.engine);
    await t.session.run("BEGIN;\nINSERT INTO Orders VALUE {'pk': 't', 'sk': '1'};\nROLLBACK;");
    assert.deepEqual(
      t.engine.execute('GetItem', { TableName: 'Orders', Key: { pk: { S: 't' }, sk: { S: '1' } } }),
      {},
    );
  });

  it('refuses more than 100 statements before running any', async () => {
    const t = testSession();
    seedOrders(t.engine);
    const inserts = Array.from(
      { length: 101 },
      (_, i) => `INSERT INTO Orders VALUE {'pk': 'big', 'sk': '${i}'};`,
    ).join('\n');
    const r = await t.session.run(`BEGIN;\n${inserts}\nCOMMIT;`);
    assert.equal(r.failed, 1);
    assert.match(t.output.err, /holds at most 100 statements in DynamoDB; this one has 101: nothing was run/);
    const count = t.engine.execute('Query', {
      TableName: 'Orders',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'big' } },
      Select: 'COUNT',
    }) as { Count: number };
    assert.equal(count.Count, 0);
  });

  it('BEGIN BATCH … END runs BatchExecuteStatement and shows each result or error', async () => {
    const t = testSession();
    seedOrders(t.engine);
    const r = await t.session.run(
      "BEGIN BATCH;\nINSERT INTO Orders VALUE {'pk': 'b', 'sk': '1'};\nINSERT INTO Orders VALUE {'pk': 'c#1', 'sk': 'o#1'};\nEND;",
    );
    assert.equal(r.failed, 1);
    assert.match(t.output.out, /^ {1}1 OK\n\(batch of 2 statements: 1 succeeded, 1 failed\)\n$/);
    assert.match(t.output.err, /^ 2 DuplicateItem: /m);
  });

  it('a failing script says which earlier statements stay applied', async () => {
    const t = testSession();
    seedOrders(t.engine);
    await t.session.run(
      "INSERT INTO Orders VALUE {'pk': 's', 'sk': '1'};\nINSERT INTO Orders VALUE {'pk': 's', 'sk': '2'};\nSELECT * FROM Nope;\nSELECT 1;",
      { source: 'seed.sql' },
    );
    assert.match(
      t.output.err,
      /\(2 earlier statements stay applied: they ran outside a transaction; BEGIN; … COMMIT; runs statements all or nothing\)/,
    );
  });

  it('a script that ends inside BEGIN runs nothing of it and says so', async () => {
    const t = testSession();
    seedOrders(t.engine);
    await t.session.run("BEGIN;\nINSERT INTO Orders VALUE {'pk': 'u', 'sk': '1'};");
    t.session.finish();
    assert.match(t.output.err, /the input ended inside BEGIN without COMMIT: 1 queued statement not run/);
  });
});

describe('.limit and LIMIT', () => {
  it('.limit N pages with Limit and stops after N items', async () => {
    const t = testSession({ mode: 'ndjson' });
    seedOrders(t.engine);
    rows(t.engine, 'many', 30);
    const requests: (number | undefined)[] = [];
    const execute = t.backend.executeStatement.bind(t.backend);
    t.backend.executeStatement = (request, signal) => {
      requests.push(request.limit);
      return execute(request, signal);
    };
    await t.session.run(".limit 7\nSELECT sk FROM Orders WHERE pk = 'many';");
    assert.equal(t.output.out.trim().split('\n').length, 7);
    assert.deepEqual(requests, [7]);
    assert.match(t.output.err, /\(7 rows, stopped at \.limit 7\)/);
  });

  it('the LIMIT PartiQL lacks gets a hint', async () => {
    const t = testSession();
    seedOrders(t.engine);
    await t.session.run("SELECT * FROM Orders WHERE pk = 'c#1' LIMIT 5;");
    assert.match(t.output.err, /hint: DynamoDB's PartiQL has no LIMIT: use \.limit N \(or --max-items N\)/);
  });
});

describe('errors that help', () => {
  it('a missing table is named, with the closest existing one', async () => {
    const t = testSession();
    seedOrders(t.engine);
    await t.session.run("SELECT * FROM Ordrs WHERE pk = 'a';");
    assert.match(
      t.output.err,
      /ResourceNotFoundException: .*\nhint: there is no table Ordrs: did you mean Orders\?/,
    );
  });

  it('COUNT(*) and other aggregates point to .count', async () => {
    const t = testSession();
    seedOrders(t.engine);
    await t.session.run('SELECT COUNT(*) FROM Orders;');
    assert.match(
      t.output.err,
      /hint: DynamoDB's PartiQL has no aggregate functions .*\.count TABLE counts items with Scan's Select: COUNT/,
    );
  });

  it('a misspelt keyword gets a suggestion', async () => {
    const t = testSession();
    await t.session.run('SELEC 1;');
    assert.match(t.output.err, /hint: SELEC is not a statement: did you mean SELECT\?/);
  });
});

describe('.count', () => {
  it('counts with Select: COUNT, paging to the end', async () => {
    const t = testSession();
    seedOrders(t.engine);
    rows(t.engine, 'many', 40);
    const scans: Record<string, unknown>[] = [];
    const execute = t.engine.execute.bind(t.engine);
    t.engine.execute = ((op: string, input: Record<string, unknown>) => {
      if (op === 'Scan') scans.push(input);
      return execute(op as never, input as never);
    }) as typeof t.engine.execute;
    const r = await t.session.run('.count Orders\n.count Orders.ByStatus');
    assert.equal(r.failed, 0, t.output.err);
    assert.equal(t.output.out, '43\n3\n');
    assert.ok(scans.every((s) => s.Select === 'COUNT'));
    assert.equal(scans[1]?.IndexName, 'ByStatus');
  });
});

describe('habits from psql, mysql and sqlite3', () => {
  it('\\dt, SHOW TABLES and \\d list tables; \\d T, DESCRIBE T describe one', async () => {
    const t = testSession();
    seedOrders(t.engine);
    for (const cmd of ['\\dt', 'SHOW TABLES;', '\\d']) {
      await t.session.run(cmd);
      assert.match(t.take().out, /^ table {2}│ partition key │ sort key │ indexes {2}│ items\n/);
    }
    for (const cmd of ['\\d Orders', 'DESCRIBE Orders;', 'desc Orders;']) {
      await t.session.run(cmd);
      assert.match(t.take().out, /^Orders {2}ACTIVE\n {2}key/);
    }
  });

  it('\\q quits and \\? helps', async () => {
    const t = testSession();
    assert.equal((await t.session.run('\\q')).quit, true);
    await t.session.run('\\?');
    assert.match(t.output.out, /\.count TABLE/);
  });

  it('.describe shows TTL, PITR, streams and tags', async () => {
    const t = testSession();
    seedOrders(t.engine);
    t.engine.execute('UpdateTimeToLive', {
      TableName: 'Orders',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
    });
    t.engine.execute('UpdateContinuousBackups', {
      TableName: 'Orders',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    const arn = (
      t.engine.execute('DescribeTable', { TableName: 'Orders' }) as { Table: { TableArn: string } }
    ).Table.TableArn;
    t.engine.execute('TagResource', { ResourceArn: arn, Tags: [{ Key: 'team', Value: 'web' }] });
    await t.session.run('.describe Orders');
    assert.match(t.output.out, /\n {2}stream {6}off\n/);
    assert.match(t.output.out, /\n {2}ttl {9}expires\n/);
    assert.match(t.output.out, /\n {2}pitr {8}enabled/);
    assert.match(t.output.out, /\n {2}tags {8}team=web\n/);
  });
});

describe('display', () => {
  it('.mode line and \\x show one attribute per line', async () => {
    const t = testSession();
    seedOrders(t.engine);
    await t.session.run("\\x\nSELECT * FROM Orders WHERE pk = 'c#2';");
    assert.match(
      t.output.out,
      /^Expanded display is on\.\n-\[ 1 \]─+\npk {5}│ c#2\nsk {5}│ o#1\nstatus │ open\ntotal {2}│ 123456789012345678901234567890\.123456\n\(1 row\)\n$/,
    );
    t.take();
    await t.session.run("\\x off\n.mode line\nSELECT sk FROM Orders WHERE pk = 'c#2';");
    assert.match(t.output.out, /-\[ 1 \]─+\nsk │ o#1\n/);
  });

  it('never cuts a number: a table too narrow for one switches to expanded display', async () => {
    const t = testSession({ io: { columns: () => 40 } });
    seedOrders(t.engine);
    await t.session.run("SELECT pk, sk, status, total FROM Orders WHERE pk = 'c#2';");
    assert.match(t.output.out, /^-\[ 1 \]─+\npk {5}│ c#2\n/);
    assert.doesNotMatch(t.output.out, /…/);
    // Wrapped, every digit there.
    const total = t.output.out
      .split('\n')
      .filter((l) => /^(total| ) /.test(l))
      .map((l) => l.split('│ ')[1])
      .join('');
    assert.equal(total, '123456789012345678901234567890.123456');
  });

  it('long values wrap in expanded display rather than being cut', async () => {
    const t = testSession({ io: { columns: () => 30 } });
    seedOrders(t.engine);
    put(t.engine, `INSERT INTO Orders VALUE {'pk': 'w', 'sk': '1', 'n': '${'1234567890'.repeat(4)}'}`);
    await t.session.run(".mode line\nSELECT n FROM Orders WHERE pk = 'w';");
    const digits = t.output.out
      .split('\n')
      .filter((l) => l.includes('│'))
      .map((l) => l.split('│ ')[1])
      .join('');
    assert.equal(digits, '1234567890123456789012345678901234567890');
  });

  it('--numbers string writes numbers as JSON strings', async () => {
    const t = testSession({ mode: 'json', numbers: 'string' });
    seedOrders(t.engine);
    await t.session.run("SELECT sk, total FROM Orders WHERE pk = 'c#2';");
    assert.deepEqual(JSON.parse(t.output.out), [
      { sk: 'o#1', total: '123456789012345678901234567890.123456' },
    ]);
  });

  it('binary values carry a type tag in tables', async () => {
    const t = testSession();
    seedOrders(t.engine);
    t.engine.execute('PutItem', {
      TableName: 'Orders',
      Item: { pk: { S: 'bin' }, sk: { S: '1' }, b: { B: 'AAEC' } },
    });
    await t.session.run("SELECT b FROM Orders WHERE pk = 'bin';");
    assert.match(t.output.out, / b64:AAEC\n/);
  });
});

describe('output to a file', () => {
  it('.output FILE and \\o send results to a file, without colours; .output alone comes back', async () => {
    const dir = tempDir();
    const t = testSession({ cwd: dir });
    seedOrders(t.engine);
    await t.session.run(
      ".output out.txt\nSELECT sk FROM Orders WHERE pk = 'c#2';\n.output\nSELECT sk FROM Orders WHERE pk = 'c#1';\n\\o o2.txt\nSELECT pk FROM Orders WHERE pk = 'c#2';",
    );
    t.session.finish();
    assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), ' sk\n─────\n o#1\n(1 row)\n');
    assert.match(t.output.out, /o#2/);
    assert.doesNotMatch(t.output.out, /c#2/);
    assert.match(readFileSync(join(dir, 'o2.txt'), 'utf8'), /c#2/);
  });

  it('.once FILE takes the next result only', async () => {
    const dir = tempDir();
    const t = testSession({ cwd: dir, mode: 'ndjson' });
    seedOrders(t.engine);
    await t.session.run(
      ".once one.jsonl\nSELECT sk FROM Orders WHERE pk = 'c#2';\nSELECT sk FROM Orders WHERE pk = 'c#2';",
    );
    assert.equal(readFileSync(join(dir, 'one.jsonl'), 'utf8'), '{"sk":"o#1"}\n');
    assert.equal(t.output.out, '{"sk":"o#1"}\n');
  });
});

describe('--read-only', () => {
  it('refuses writes', async () => {
    const t = testSession({ readOnly: true });
    seedOrders(t.engine);
    const r = await t.session.run("INSERT INTO Orders VALUE {'pk': 'x', 'sk': '1'};");
    assert.equal(r.failed, 1);
    assert.match(t.output.err, /read-only shell/);
    t.take();
    await t.session.run('SELEC 1;');
    assert.match(t.output.err, /did you mean SELECT\?/);
    assert.doesNotMatch(t.output.err, /read-only/);
  });
});
