import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { rewriteDynamoDbLocalArgs } from '../../../main/cli/dynamodbLocal.js';
import type { ServeCliOptions } from '../../../main/cli/serve.js';
import { CliUsageError, SHARED_DB_FILE, serveOptionsFromCli } from '../../../main/cli/serve.js';

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
});
