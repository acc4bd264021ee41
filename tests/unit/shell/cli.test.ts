// `sortkey shell` as a separate process: flags, scripts from -c, -f and stdin, output for pipes,
// exit status. (The shell in a terminal is in interactive.test.ts.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { before, describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import { backendChoice, outputMode, runShell } from '../../../main/shell/index.js';
import type { ShellOptions } from '../../../main/shell/index.js';
import { put, seedOrders, shellCommand, tempDir } from './helpers.js';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const [cmd, argv] = shellCommand(...args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** runShell in this process with captured streams (no terminal). */
async function runHere(opts: ShellOptions, input = '', env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  stdin.end(input);
  const status = await runShell(opts, {
    stdin,
    stdout,
    stderr,
    env: { NO_COLOR: '1', ...env },
    cwd: process.cwd(),
  });
  return { status, stdout: out, stderr: err };
}

describe('sortkey shell (scripts)', () => {
  let db: string;
  let dir: string;

  before(() => {
    dir = tempDir();
    db = join(dir, 'data.sqlite');
    const engine = new Engine({ path: db });
    seedOrders(engine);
    engine.close();
  });

  it('runs -c with --json and exits 0', async () => {
    const r = await runHere({ db, command: "SELECT sk, total FROM Orders WHERE pk = 'c#1'", json: true });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.deepEqual(JSON.parse(r.stdout), [
      { sk: 'o#1', total: 19.99 },
      { sk: 'o#2', total: 5 },
    ]);
  });

  it('reads statements from stdin, exits 1 at the first failure and says where', async () => {
    const r = await run(
      ['--db', db, '--ndjson'],
      "SELECT sk FROM Orders WHERE pk = 'c#2';\nSELECT * FROM Nope;\nSELECT 1;\n",
    );
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '{"sk":"o#1"}\n');
    assert.match(
      r.stderr,
      /^<stdin>:2: ResourceNotFoundException: Requested resource not found\nhint: there is no table Nope \(.tables lists the 1 there are\)\n\(1 statement after it not run\)\n$/,
    );
  });

  it('uses SORTKEY_HOME for the default database', async () => {
    const home = tempDir();
    const engine = new Engine({ path: join(home, 'default.sqlite') });
    seedOrders(engine);
    engine.close();
    const r = await runHere({ command: "SELECT sk FROM Orders WHERE pk = 'c#2'", ndjson: true }, '', {
      SORTKEY_HOME: home,
    });
    assert.equal(r.stdout, '{"sk":"o#1"}\n');
  });

  it('runs a file with -f, going on after failures with --continue', async () => {
    const script = join(dir, 'script.sql');
    writeFileSync(
      script,
      "INSERT INTO Orders VALUE {'pk': 'f', 'sk': '1'};\nSELECT * FROM Nope;\n.mode csv\nSELECT pk, sk FROM Orders WHERE pk = 'f';\n",
    );
    const r = await runHere({ db, file: script, continue: true });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'pk,sk\nf,1\n');
    assert.match(r.stderr, /script\.sql:2: ResourceNotFoundException/);
  });

  it('binds --params, and prints tables with a row count by default', async () => {
    const r = await runHere({ db, command: 'SELECT pk, sk FROM Orders WHERE pk = ?', params: "'c#2'" });
    assert.equal(r.stdout, ' pk  │ sk\n─────┼─────\n c#2 │ o#1\n(1 row)\n');
  });

  it('refuses conflicting flags with status 2', async () => {
    assert.equal((await runHere({ db, inMemory: true, command: 'x' })).status, 2);
    const r = await runHere({ json: true, ndjson: true, command: 'x' });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'sortkey shell: choose one of --json, --ndjson and --mode\n');
    assert.match(
      (await runHere({ endpoint: 'localhost:8000', command: 'x' })).stderr,
      /--endpoint: expected an http:\/\/ or https:\/\/ URL/,
    );
    assert.match((await runHere({ params: 'nope', command: 'x' })).stderr, /nope: not a value/);
  });

  it('--max-items stops each SELECT after n items', async () => {
    const r = await runHere({ db, command: 'SELECT sk FROM Orders', ndjson: true, maxItems: '2' });
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim().split('\n').length, 2);
    assert.match(r.stderr, /stopped at \.limit 2/);
    const quiet = await runHere({
      db,
      command: 'SELECT sk FROM Orders',
      ndjson: true,
      maxItems: '2',
      quiet: true,
    });
    assert.equal(quiet.stderr, '');
  });

  it('works in memory', async () => {
    const r = await runHere({
      inMemory: true,
      command: ".create Tee id\nINSERT INTO Tee VALUE {'id': 'x'};\nSELECT * FROM Tee",
      ndjson: true,
    });
    assert.equal(r.stdout, 'Created Tee id S\n{"id":"x"}\n');
  });

  it('ends quietly when the reader of its output goes away', async () => {
    const engine = new Engine({ path: db });
    for (let i = 0; i < 300; i++) put(engine, `INSERT INTO Orders VALUE {'pk': 'many', 'sk': '${i}'}`);
    engine.close();
    const [cmd, argv] = shellCommand('--db', db, '--ndjson', '-c', "SELECT * FROM Orders WHERE pk = 'many'");
    const r = await new Promise<Run>((resolve) => {
      const child = spawn(
        'sh',
        ['-c', `"${cmd}" ${argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')} | head -n 1`],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.split('\n').length, 2);
  });
});

describe('regions of a local database', () => {
  // An application signed for eu-west-1 made its tables there; the shell starts in us-east-1.
  function seeded(): string {
    const db = join(tempDir(), 'regions.sqlite');
    const engine = new Engine({ path: db, region: 'eu-west-1' });
    for (const name of ['Orders', 'Users', 'Carts']) {
      engine.execute('CreateTable', {
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      });
    }
    put(engine, "INSERT INTO Orders VALUE {'pk': 'eu'}");
    engine.close();
    return db;
  }

  it('.tables says where the tables are when the current region has none', async () => {
    const r = await runHere({ db: seeded(), command: '.tables' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^no tables in us-east-1; eu-west-1 has 3$/m);
    assert.match(r.stdout, /\.region eu-west-1 switches to them/);
  });

  it('--region picks the region of the local tables', async () => {
    const db = seeded();
    const r = await runHere({ db, region: 'eu-west-1', command: 'SELECT pk FROM Orders', json: true });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [{ pk: 'eu' }]);
    const east = await runHere({ db, command: 'SELECT pk FROM Orders', json: true });
    assert.equal(east.status, 1);
    assert.match(east.stderr, /ResourceNotFoundException|Orders/);
  });

  it('.regions lists the regions and .region switches between them', async () => {
    const r = await runHere({ db: seeded(), file: '-' }, '.regions\n.region eu-west-1\n.region\n.tables\n');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ {2}eu-west-1 {2}3 tables$/m);
    assert.match(r.stdout, /^\* us-east-1 {2}0 tables$/m);
    assert.match(r.stdout, /region eu-west-1: 3 tables/);
    assert.match(r.stdout, /^eu-west-1$/m);
    assert.match(r.stdout, /Orders/);
  });
});

describe('flag checks', () => {
  it('picks the backend', () => {
    assert.deepEqual(backendChoice({ inMemory: true }), { kind: 'local', path: ':memory:' });
    assert.deepEqual(backendChoice({}, { SORTKEY_HOME: '/x' }), { kind: 'local', path: '/x/default.sqlite' });
    assert.deepEqual(backendChoice({ endpoint: 'http://127.0.0.1:8000', region: 'eu-west-1' }), {
      kind: 'remote',
      endpoint: 'http://127.0.0.1:8000',
      region: 'eu-west-1',
    });
    assert.deepEqual(backendChoice({ profile: 'prod' }), { kind: 'remote', profile: 'prod' });
    assert.deepEqual(backendChoice({ db: '/d.sqlite', region: 'eu-west-1' }), {
      kind: 'local',
      path: '/d.sqlite',
      region: 'eu-west-1',
    });
    assert.deepEqual(backendChoice({ region: 'eu-west-1' }), { kind: 'remote', region: 'eu-west-1' });
    assert.deepEqual(backendChoice({ inMemory: true, replicationDelay: '250' }), {
      kind: 'local',
      path: ':memory:',
      replicationDelayMs: 250,
    });
    assert.throws(() => backendChoice({ inMemory: true, replicationDelay: 'soon' }), /--replication-delay/);
    assert.throws(() => backendChoice({ db: 'x', endpoint: 'http://h' }), /choose one of/);
  });

  it('picks the output mode', () => {
    assert.equal(outputMode({}), 'table');
    assert.equal(outputMode({ ndjson: true }), 'ndjson');
    assert.equal(outputMode({ mode: 'CSV' }), 'csv');
    assert.throws(() => outputMode({ mode: 'xml' }), /--mode: expected one of/);
  });
});
