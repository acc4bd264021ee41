// The real `sortkey serve` process (bin/sortkey.js): startup banner, health polling, the AWS SDK
// against it, DynamoDB Local's flags, the database file, usage errors and graceful shutdown.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { startServer } from '../../main/server/index.js';
import { TEST_CREDENTIALS, hashTable, rawRequest } from './support.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'sortkey.js');
const home = mkdtempSync(join(tmpdir(), 'sortkey-cli-test-'));
after(() => rmSync(home, { recursive: true, force: true }));

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function launch(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, SORTKEY_HOME: home, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
  return { child, output: () => out };
}

/** Starts `sortkey <args>`, reads the endpoint from its output and polls GET / until it answers. */
async function serve(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const { child, output } = launch(args, env);
  const deadline = Date.now() + 20_000;
  let url: string | undefined;
  while (!url) {
    if (child.exitCode !== null) throw new Error(`sortkey exited with ${child.exitCode}:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sortkey printed no endpoint:\n${output()}`);
    }
    url = /http:\/\/127\.0\.0\.1:\d+/.exec(output())?.[0];
    if (!url) await new Promise((r) => setTimeout(r, 25));
  }
  for (;;) {
    try {
      const res = await fetch(`${url}/`);
      if (res.status === 200 && (await res.text()).startsWith('healthy: ')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`GET / never answered:\n${output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    child,
    url,
    output,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited(child);
    },
  };
}

function sdk(url: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
}

describe('sortkey serve (child process)', () => {
  it('serves an in-memory database on a free port, with a banner, and stops cleanly on SIGTERM', async () => {
    const s = await serve(['serve', '--in-memory', '--port', '0']);
    try {
      const out = s.output();
      assert.match(out, /Endpoint\s+http:\/\/127\.0\.0\.1:\d+/);
      assert.ok(out.includes(`aws dynamodb list-tables --endpoint-url ${s.url}`), out);
      assert.ok(out.includes(`new DynamoDBClient({ endpoint: '${s.url}', region: 'us-east-1' })`), out);
      assert.match(out, /in memory/);

      const client = sdk(s.url);
      await client.send(new CreateTableCommand(hashTable('CliTable')));
      assert.deepEqual((await client.send(new ListTablesCommand({}))).TableNames, ['CliTable']);
      client.destroy();
    } finally {
      assert.equal(await s.stop('SIGTERM'), 0, s.output());
    }
  });

  it('takes DynamoDB Local’s flags, and puts -dbPath DIR’s database in DIR/shared-local-instance.sqlite', async () => {
    const dir = join(home, 'dynamodb-local-data');
    const s = await serve([
      '-sharedDb',
      '-dbPath',
      dir,
      '-port',
      '0',
      '-optimizeDbBeforeStartup',
      '-delayTransientStatuses',
    ]);
    try {
      assert.ok(s.output().includes(join(dir, 'shared-local-instance.sqlite')), s.output());
      assert.ok(existsSync(join(dir, 'shared-local-instance.sqlite')));
      const client = sdk(s.url);
      const created = await client.send(new CreateTableCommand(hashTable('Delayed')));
      assert.equal(created.TableDescription?.TableStatus, 'CREATING', '-delayTransientStatuses is on');
      client.destroy();
    } finally {
      assert.equal(await s.stop('SIGINT'), 0, s.output());
    }
  });

  it('keeps tables in the default database ($SORTKEY_HOME/default.sqlite) across restarts', async () => {
    const first = await serve(['serve', '--port', '0', '--quiet']);
    assert.equal(first.output().trim(), first.url, '--quiet prints only the endpoint');
    const c1 = sdk(first.url);
    await c1.send(new CreateTableCommand(hashTable('Kept')));
    c1.destroy();
    assert.equal(await first.stop('SIGINT'), 0, first.output());
    assert.ok(existsSync(join(home, 'default.sqlite')));

    const second = await serve(['serve', '--port', '0', '--quiet']);
    try {
      const c2 = sdk(second.url);
      const described = await c2.send(new DescribeTableCommand({ TableName: 'Kept' }));
      assert.equal(described.Table?.TableStatus, 'ACTIVE');
      c2.destroy();
    } finally {
      assert.equal(await second.stop(), 0, second.output());
    }
  });

  it('requires signatures with --auth and SORTKEY_ACCESS_KEYS', async () => {
    const s = await serve(['serve', '--in-memory', '--port', '0', '--auth'], {
      SORTKEY_ACCESS_KEYS: 'AKIDCLI:clisecret',
    });
    try {
      const unsigned = await rawRequest(s.url, { target: 'ListTables', body: {} });
      assert.equal(unsigned.json?.__type, 'com.amazon.coral.service#MissingAuthenticationTokenException');
      const client = new DynamoDBClient({
        endpoint: s.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDCLI', secretAccessKey: 'clisecret' },
      });
      assert.equal((await client.send(new ListTablesCommand({}))).$metadata.httpStatusCode, 200);
      client.destroy();
    } finally {
      await s.stop();
    }
  });

  it('refuses --auth without keys (exit code 2)', async () => {
    const { child, output } = launch(['serve', '--in-memory', '--auth'], { SORTKEY_ACCESS_KEYS: '' });
    assert.equal(await exited(child), 2);
    assert.match(output(), /--auth needs access keys/);
  });

  it('refuses a bad port', async () => {
    const { child, output } = launch(['serve', '--port', '70000']);
    assert.notEqual(await exited(child), 0);
    assert.match(output(), /port number/);
  });

  it('says so when the port is taken (exit code 1)', async () => {
    const taken = await startServer({ port: 0, engine: { execute: () => ({}) } });
    try {
      const { child, output } = launch(['serve', '--in-memory', '--port', String(taken.port)]);
      assert.equal(await exited(child), 1);
      assert.match(output(), /already in use/);
    } finally {
      await taken.close();
    }
  });
});
