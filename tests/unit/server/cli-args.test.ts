import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { rewriteDynamoDbLocalArgs } from '../../../main/cli/dynamodbLocal.js';
import type { ServeCliOptions } from '../../../main/cli/serve.js';
import { CliUsageError, SHARED_DB_FILE, register, serveOptionsFromCli } from '../../../main/cli/serve.js';

describe('DynamoDB Local flags', () => {
  it('rewrites the single-dash flags to Sortkey options', () => {
    assert.deepEqual(rewriteDynamoDbLocalArgs(['serve', '-port', '8001', '-inMemory', '-sharedDb']), [
      'serve',
      '--port',
      '8001',
      '--in-memory',
      '--shared-db',
    ]);
    assert.deepEqual(
      rewriteDynamoDbLocalArgs(['serve', '-dbPath', './data', '-cors', '*', '-delayTransientStatuses']),
      ['serve', '--db-path', './data', '--cors', '*', '--delay-transient-statuses'],
    );
    assert.deepEqual(rewriteDynamoDbLocalArgs(['serve', '-optimizeDbBeforeStartup', '-disableTelemetry']), [
      'serve',
      '--optimize-db-before-startup',
      '--disable-telemetry',
    ]);
  });

  it('starts serve when the arguments begin with a DynamoDB Local flag', () => {
    assert.deepEqual(rewriteDynamoDbLocalArgs(['-sharedDb', '-port', '8000']), [
      'serve',
      '--shared-db',
      '--port',
      '8000',
    ]);
  });

  it('leaves everything else alone', () => {
    assert.deepEqual(rewriteDynamoDbLocalArgs(['serve', '-p', '9', '--port', '1', '-q']), [
      'serve',
      '-p',
      '9',
      '--port',
      '1',
      '-q',
    ]);
    assert.deepEqual(rewriteDynamoDbLocalArgs(['shell', '--', '-port']), ['shell', '--', '-port']);
    assert.deepEqual(rewriteDynamoDbLocalArgs([]), []);
  });
});

describe('serve options', () => {
  const base: ServeCliOptions = { port: 8000, host: '127.0.0.1', region: 'us-east-1' };
  const env = { SORTKEY_HOME: '/tmp/sortkey-home-test' };

  it('defaults to the embedded database under $SORTKEY_HOME', () => {
    const o = serveOptionsFromCli(base, env);
    assert.equal(o.db, join('/tmp/sortkey-home-test', 'default.sqlite'));
    assert.equal(o.port, 8000);
    assert.equal(o.host, '127.0.0.1');
    assert.equal(o.authKeys, undefined);
    assert.equal(o.cors, undefined);
    assert.equal(o.transientStatusMs, undefined);
  });

  it('maps --replication-delay to the engine option', () => {
    assert.equal(
      serveOptionsFromCli({ ...base, replicationDelay: 250 }, env).engineOptions?.replicationDelayMs,
      250,
    );
    assert.equal(serveOptionsFromCli(base, env).engineOptions?.replicationDelayMs, undefined);
  });

  it('maps --db, --db-path and --in-memory', () => {
    assert.equal(serveOptionsFromCli({ ...base, db: 'x.sqlite' }, env).db, resolve('x.sqlite'));
    assert.equal(
      serveOptionsFromCli({ ...base, dbPath: 'data' }, env).db,
      join(resolve('data'), SHARED_DB_FILE),
    );
    const mem = serveOptionsFromCli({ ...base, inMemory: true }, env);
    assert.equal(mem.inMemory, true);
    assert.equal(mem.db, undefined);
    assert.throws(() => serveOptionsFromCli({ ...base, inMemory: true, db: 'x' }, env), CliUsageError);
  });

  it('maps --delay-transient-statuses with and without a value', () => {
    assert.equal(serveOptionsFromCli({ ...base, delayTransientStatuses: true }, env).transientStatusMs, 500);
    assert.equal(serveOptionsFromCli({ ...base, delayTransientStatuses: 1200 }, env).transientStatusMs, 1200);
  });

  it('reads access keys from --auth-keys or SORTKEY_ACCESS_KEYS', () => {
    const fromFlag = serveOptionsFromCli({ ...base, auth: true, authKeys: 'A:a, B:b/c+d' }, env);
    assert.deepEqual(
      [...(fromFlag.authKeys as Map<string, string>)],
      [
        ['A', 'a'],
        ['B', 'b/c+d'],
      ],
    );
    const fromEnv = serveOptionsFromCli({ ...base, auth: true }, { ...env, SORTKEY_ACCESS_KEYS: 'K:s' });
    assert.deepEqual([...(fromEnv.authKeys as Map<string, string>)], [['K', 's']]);
    assert.throws(() => serveOptionsFromCli({ ...base, auth: true }, env), /--auth needs access keys/);
    assert.throws(
      () => serveOptionsFromCli({ ...base, auth: true, authKeys: 'nocolon' }, env),
      /expected ACCESS_KEY_ID:SECRET_ACCESS_KEY/,
    );
    assert.throws(() => serveOptionsFromCli({ ...base, authKeys: 'A:a' }, env), /only used with --auth/);
  });

  it('reads access keys from --auth-keys-file, which keeps them out of the process list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-keys-'));
    try {
      const file = join(dir, 'keys');
      writeFileSync(file, '# local keys\nA:a\n\nB:b/c+d,C:c\n');
      const o = serveOptionsFromCli({ ...base, auth: true, authKeysFile: file }, env);
      assert.deepEqual(
        [...(o.authKeys as Map<string, string>)],
        [
          ['A', 'a'],
          ['B', 'b/c+d'],
          ['C', 'c'],
        ],
      );
      assert.throws(
        () => serveOptionsFromCli({ ...base, auth: true, authKeysFile: join(dir, 'missing') }, env),
        /cannot read --auth-keys-file .*ENOENT/,
      );
      assert.throws(
        () => serveOptionsFromCli({ ...base, auth: true, authKeysFile: file, authKeys: 'A:a' }, env),
        /choose one of --auth-keys and --auth-keys-file/,
      );
      assert.throws(() => serveOptionsFromCli({ ...base, authKeysFile: file }, env), /only used with --auth/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says in --help that the environment variable or file keeps keys out of ps', () => {
    const program = new Command();
    register(program);
    const help = program.commands
      .find((c) => c.name() === 'serve')!
      .helpInformation()
      .replace(/\s+/g, ' ');
    assert.match(help, /--auth-keys-file <file>/);
    assert.match(help, /SORTKEY_ACCESS_KEYS or --auth-keys-file, which keep them out of the process list/);
    assert.match(help, /--allowed-hosts <list>/);
  });

  it('needs --allowed-hosts (or --auth) to listen beyond loopback', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.5']) {
      assert.throws(() => serveOptionsFromCli({ ...base, host }, env), /--allowed-hosts/, host);
    }
    const listed = serveOptionsFromCli({ ...base, host: '0.0.0.0', allowedHosts: 'dynamodb, db:8000' }, env);
    assert.deepEqual(listed.allowedHosts, ['dynamodb', 'db:8000']);
    const signed = serveOptionsFromCli({ ...base, host: '0.0.0.0', auth: true, authKeys: 'A:a' }, env);
    assert.equal(signed.allowedHosts, undefined);
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) {
      assert.equal(serveOptionsFromCli({ ...base, host }, env).allowedHosts, undefined, host);
    }
    assert.throws(
      () => serveOptionsFromCli({ ...base, allowedHosts: 'http://dynamodb:8000' }, env),
      /invalid --allowed-hosts entry/,
    );
  });
});
