// The `sortkey` commands as scripts use them (bin/sortkey.js in a child process): a mistyped --db
// is refused by commands that only read and announced by those that create it, usage mistakes exit
// 2, -q leaves only errors (the AWS SDK's Node-version warning included), and the shell's JSON keeps
// big numbers for tools that would round them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Engine } from '../../engine/engine.js';
import { runShell } from '../../main/shell/index.js';
import type { ShellOptions } from '../../main/shell/index.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'sortkey.js');
const home = mkdtempSync(join(tmpdir(), 'sortkey-cli-commands-'));
after(() => rmSync(home, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function sortkey(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, SORTKEY_HOME: home, NO_COLOR: '1', ...env };
    delete childEnv.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: home,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('a database file that does not exist', () => {
  const typo = join(home, 'no-such-folder', 'typo.sqlite');

  it('is refused by the commands that only read (exit 2), and nothing is created', async () => {
    const runs = await Promise.all([
      sortkey(['dump', join(home, 'backup.skdump'), '--db', typo]),
      sortkey(['export', 'Orders', '-', '--db', typo]),
      sortkey(['stats', 'Orders', '--db', typo]),
      sortkey(['stream', 'Orders', '--db', typo]),
      sortkey(['shell', '--db', typo, '--read-only', '-c', 'SELECT * FROM Orders']),
    ]);
    for (const [i, r] of runs.entries()) {
      assert.equal(r.status, 2, `command ${i}: ${r.stderr}`);
      assert.match(r.stderr, /no database file at .*typo\.sqlite \(check --db; sortkey \w+ only reads/);
      assert.equal(r.stdout, '');
    }
    assert.equal(existsSync(dirname(typo)), false);
    assert.equal(existsSync(join(home, 'backup.skdump')), false);
  });

  it('is created by the shell, which says so on stderr (not with -q)', async () => {
    const fresh = join(home, 'new-folder', 'fresh.sqlite');
    const r = await sortkey(['shell', '--db', fresh, '-c', '.tables']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, `Created new database ${fresh}\n`);
    assert.ok(existsSync(fresh));
    const quiet = await sortkey(['shell', '--db', join(home, 'q.sqlite'), '-q', '-c', '.tables']);
    assert.equal(quiet.stderr, '');
  });
});

describe('sortkey serve on a new database file', () => {
  it('says on stderr that it created it', async () => {
    const fresh = join(home, 'served', 'new.sqlite');
    const childEnv: NodeJS.ProcessEnv = { ...process.env, SORTKEY_HOME: home, NO_COLOR: '1' };
    const child = spawn(process.execPath, [BIN, 'serve', '--db', fresh, '--port', '0', '--no-studio'], {
      cwd: home,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const deadline = Date.now() + 60_000;
    try {
      while (!/http:\/\/127\.0\.0\.1:\d+/.test(stdout)) {
        if (Date.now() > deadline || child.exitCode !== null)
          assert.fail(`serve did not start:\n${stdout}${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(stderr, `Created new database ${fresh}\n`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
    }
  });
});

describe('usage mistakes', () => {
  it('exit 2, as the help says', async () => {
    const runs = await Promise.all([
      sortkey(['shell', '--no-such-flag']),
      sortkey(['dump']),
      sortkey(['shell', '--numbers', 'float', '-c', 'SELECT 1']),
      sortkey(['shell', '--max-items', 'ten', '-c', 'SELECT 1']),
    ]);
    for (const r of runs) assert.equal(r.status, 2, r.stderr);
    assert.match(runs[2]!.stderr, /--numbers: expected exact or string/);
  });

  it('help and version exit 0', async () => {
    const [help, version] = await Promise.all([sortkey(['shell', '--help']), sortkey(['--version'])]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--numbers string/);
    assert.match(help.stdout, /jq 1\.6/);
    assert.equal(version.status, 0);
  });
});

describe('remote commands with -q', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('print nothing but their output: no AWS SDK Node-version warning', async () => {
    const [shell, dump] = await Promise.all([
      sortkey(['shell', '--endpoint', server.url, '-q', '-c', '.tables']),
      sortkey(['dump', '-', '--endpoint', server.url, '-q']),
    ]);
    assert.equal(shell.status, 0, shell.stderr);
    assert.equal(shell.stderr, '');
    assert.equal(dump.status, 0, dump.stderr);
    assert.equal(dump.stderr, '');
  });
});

/** runShell in this process with captured streams. */
async function shellHere(opts: ShellOptions): Promise<Run> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  stdin.end('');
  const status = await runShell(opts, { stdin, stdout, stderr, env: { NO_COLOR: '1' }, cwd: home });
  return { status, stdout: out, stderr: err };
}

describe('the shell against other endpoints and tools', () => {
  it('says that an endpoint without PartiQL (dynalite) does not implement ExecuteStatement', async () => {
    // dynalite ships no types: load it through require.
    const dynalite = createRequire(import.meta.url)('dynalite') as () => Server;
    const server = dynalite();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await shellHere({ endpoint: url, command: "SELECT * FROM Orders WHERE pk = 'a'" });
      assert.equal(r.status, 1);
      assert.match(
        r.stderr,
        /^UnknownOperationException: http:\/\/127\.0\.0\.1:\d+ does not implement ExecuteStatement \(PartiQL\)/,
      );
      assert.doesNotMatch(r.stderr, /UnknownError/);
    } finally {
      server.close();
    }
  });

  it('--numbers string keeps big numbers for tools that read JSON numbers as doubles', async () => {
    const db = join(home, 'numbers.sqlite');
    const engine = new Engine({ path: db });
    engine.execute('CreateTable', {
      TableName: 'Nums',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    engine.execute('PutItem', {
      TableName: 'Nums',
      Item: { id: { S: 'a' }, n: { N: '12345678901234567890' } },
    });
    engine.close();
    const exact = await shellHere({ db, command: "SELECT n FROM Nums WHERE id = 'a'", json: true });
    assert.equal(exact.stdout, '[\n  {"n":12345678901234567890}\n]\n');
    const strings = await shellHere({
      db,
      command: "SELECT n FROM Nums WHERE id = 'a'",
      json: true,
      numbers: 'string',
    });
    assert.deepEqual(JSON.parse(strings.stdout), [{ n: '12345678901234567890' }]);
  });
});
