// The endpoint's HTTP hardening: the Host guard against DNS rebinding, strict request bodies (UTF-8,
// no lone surrogates, Content-Encoding), compressed responses, header and path limits, idle
// connections and the connection cap.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { EngineLike } from '../../main/server/index.js';
import { authorizationHeader, startServer, toAmzDate } from '../../main/server/index.js';
import { crc32Portable } from '../../main/server/crc32.js';
import { hashTable, requiresOperations, startTestServer, uniqueTableName, withServer } from './support.js';

interface Exchange {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as it travelled (never decompressed). */
  readonly bytes: Buffer;
  readonly json: Record<string, unknown> | undefined;
}

interface ExchangeOptions {
  readonly method?: string;
  readonly path?: string;
  /** X-Amz-Target operation (DynamoDB_20120810 prefix added). */
  readonly target?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** One request on its own connection, with full control of Host and the other headers. */
function exchange(port: number, options: ExchangeOptions = {}): Promise<Exchange> {
  const headers: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    'content-type': 'application/x-amz-json-1.0',
    ...(options.target !== undefined ? { 'x-amz-target': `DynamoDB_20120810.${options.target}` } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path ?? '/',
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, json });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const SERIALIZATION = 'com.amazon.coral.service#SerializationException';

describe('the Host guard (DNS rebinding)', () => {
  const s = withServer();

  it('refuses a foreign Host with 421, naming --allowed-hosts, and does nothing', async () => {
    const TableName = uniqueTableName();
    const res = await exchange(s.port, {
      target: 'CreateTable',
      headers: { host: `evil.example:${s.port}` },
      body: JSON.stringify(hashTable(TableName)),
    });
    assert.equal(res.status, 421);
    assert.equal(res.json?.__type, 'com.amazon.coral.service#AccessDeniedException');
    assert.match(String(res.json?.Message), /Host 'evil\.example:\d+'.*--allowed-hosts evil\.example/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-amz-crc32'], String(crc32Portable(res.bytes)));
    const tables = await s.client.send(new ListTablesCommand({}));
    assert.ok(!tables.TableNames?.includes(TableName), 'the table was not created');

    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      const other = await exchange(s.port, { method, headers: { host: `evil.example:${s.port}` } });
      assert.equal(other.status, 421, method);
    }
  });

  it('answers the loopback names with its port (or none), and refuses another port', async () => {
    for (const host of [`localhost:${s.port}`, `127.0.0.1:${s.port}`, `[::1]:${s.port}`, 'localhost']) {
      const res = await exchange(s.port, { target: 'ListTables', headers: { host }, body: '{}' });
      assert.equal(res.status, 200, host);
    }
    const res = await exchange(s.port, {
      target: 'ListTables',
      headers: { host: `localhost:${s.port + 1}` },
      body: '{}',
    });
    assert.equal(res.status, 421);
  });

  it('answers the names of --allowed-hosts (a compose service name)', async () => {
    const t = await startTestServer({ allowedHosts: 'dynamodb' });
    try {
      const named = await exchange(t.port, {
        target: 'ListTables',
        headers: { host: `dynamodb:${t.port}` },
        body: '{}',
      });
      assert.equal(named.status, 200);
      const evil = await exchange(t.port, {
        target: 'ListTables',
        headers: { host: `evil:${t.port}` },
        body: '{}',
      });
      assert.equal(evil.status, 421);
    } finally {
      await t.close();
    }
  });

  it('will not listen beyond loopback without --allowed-hosts or --auth', async () => {
    await assert.rejects(
      startServer({ host: '0.0.0.0', port: 0, inMemory: true }),
      /listening on 0\.0\.0\.0 .*--allowed-hosts.*--auth/,
    );
    // With --auth, a signature binds the Host: any Host gets as far as the signature check.
    const signed = await startServer({ host: '0.0.0.0', port: 0, inMemory: true, authKeys: 'K:s' });
    try {
      const res = await exchange(signed.port, {
        target: 'ListTables',
        headers: { host: 'anything:1' },
        body: '{}',
      });
      assert.equal(res.json?.__type, 'com.amazon.coral.service#MissingAuthenticationTokenException');
    } finally {
      await signed.close();
    }
    const open = await startServer({ host: '0.0.0.0', port: 0, inMemory: true, allowedHosts: '*' });
    try {
      const res = await exchange(open.port, {
        target: 'ListTables',
        headers: { host: 'anything:1' },
        body: '{}',
      });
      assert.equal(res.status, 200);
    } finally {
      await open.close();
    }
  });
});

describe('request bodies', () => {
  const s = withServer();

  it(
    'refuses lone surrogates and bytes that are not UTF-8, so no two keys alias',
    { skip: requiresOperations('CreateTable', 'PutItem', 'GetItem', 'Scan') },
    async () => {
      const TableName = uniqueTableName();
      await s.client.send(new CreateTableCommand(hashTable(TableName)));
      // The key goes in as raw bytes: a JSON escape such as \ud800 as text, or bytes that are not UTF-8.
      const put = (key: string | Buffer, tag: string): Buffer =>
        Buffer.concat([
          Buffer.from(`{"TableName":"${TableName}","Item":{"pk":{"S":"`),
          Buffer.from(key),
          Buffer.from(`"},"tag":{"S":"${tag}"}}}`),
        ]);
      const get = (key: string | Buffer): Buffer =>
        Buffer.concat([
          Buffer.from(`{"TableName":"${TableName}","Key":{"pk":{"S":"`),
          Buffer.from(key),
          Buffer.from('"}}}'),
        ]);
      const stored = await exchange(s.port, { target: 'PutItem', body: put('x\\ufffd', 'replacement') });
      assert.equal(stored.status, 200);

      const bad: Array<[string, string | Buffer]> = [
        ['x\\ud800', 'x\\ud800'],
        ['x\\udbff', 'x\\udbff'],
        ['x 0xff', Buffer.from([0x78, 0xff])],
        ['x 0xfe', Buffer.from([0x78, 0xfe])],
      ];
      for (const [label, key] of bad) {
        const res = await exchange(s.port, { target: 'PutItem', body: put(key, label) });
        assert.equal(res.status, 400, label);
        assert.equal(res.bytes.toString(), `{"__type":"${SERIALIZATION}"}`, label);
        const read = await exchange(s.port, { target: 'GetItem', body: get(key) });
        assert.equal(read.status, 400, `GetItem ${label}`);
        assert.equal(read.bytes.toString(), `{"__type":"${SERIALIZATION}"}`, `GetItem ${label}`);
      }
      const scan = await exchange(s.port, { target: 'Scan', body: JSON.stringify({ TableName }) });
      assert.deepEqual(scan.json?.Items, [{ pk: { S: 'x\ufffd' }, tag: { S: 'replacement' } }]);
      const pair = await exchange(s.port, { target: 'PutItem', body: put('x\\ud83d\\ude00', 'emoji') });
      assert.equal(pair.status, 200, 'a surrogate pair is one character');
      const emoji = await exchange(s.port, { target: 'GetItem', body: get('x😀') });
      assert.deepEqual(emoji.json?.Item, { pk: { S: 'x😀' }, tag: { S: 'emoji' } });
    },
  );

  it('answers SerializationException with Message, or with nothing when the body is not JSON', async () => {
    for (const body of ['{', 'not json', '']) {
      const res = await exchange(s.port, { target: 'ListTables', body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual(res.json, { __type: SERIALIZATION }, JSON.stringify(body));
    }
    const array = await exchange(s.port, { target: 'ListTables', body: '[]' });
    assert.deepEqual(array.json, {
      __type: SERIALIZATION,
      Message: 'Start of structure or map found where not expected.',
    });
  });
});

describe('Content-Encoding of requests', () => {
  const s = withServer();

  it('decodes gzip and deflate bodies', async () => {
    for (const [encoding, body] of [
      ['gzip', gzipSync('{"Limit":5}')],
      ['deflate', deflateSync('{"Limit":5}')],
      ['identity', Buffer.from('{"Limit":5}')],
    ] as const) {
      const res = await exchange(s.port, {
        target: 'ListTables',
        headers: { 'content-encoding': encoding },
        body,
      });
      assert.equal(res.status, 200, encoding);
      assert.ok(Array.isArray(res.json?.TableNames), encoding);
    }
  });

  it('refuses a body that does not decode, or an encoding it does not know, with SerializationException', async () => {
    const cases: Array<[string, Buffer]> = [
      ['gzip', Buffer.from('{"Limit":5}')],
      ['gzip', gzipSync('{"Limit":5}').subarray(0, 12)],
      ['gzip', Buffer.alloc(0)],
      ['deflate', gzipSync('{}')],
      ['br', Buffer.from('{}')],
    ];
    for (const [encoding, body] of cases) {
      const res = await exchange(s.port, {
        target: 'ListTables',
        headers: { 'content-encoding': encoding },
        body,
      });
      assert.equal(res.status, 400, encoding);
      assert.equal(res.json?.__type, SERIALIZATION, encoding);
      assert.match(String(res.json?.Message), new RegExp(encoding), encoding);
    }
  });

  it('refuses a body that inflates past the size bound, and goes on serving', async () => {
    const t = await startTestServer({ maxBodyBytes: 64 * 1024 });
    try {
      const bomb = gzipSync(
        Buffer.concat([Buffer.from('{"a":"'), Buffer.alloc(4 * 1024 * 1024, 0x61), Buffer.from('"}')]),
      );
      assert.ok(bomb.length < 64 * 1024, 'the compressed body itself is within the bound');
      const res = await exchange(t.port, {
        target: 'ListTables',
        headers: { 'content-encoding': 'gzip' },
        body: bomb,
      });
      assert.equal(res.status, 413);
      assert.equal(res.json?.__type, 'com.amazon.coral.service#RequestEntityTooLarge');
      const after = await exchange(t.port, { target: 'ListTables', body: '{}' });
      assert.equal(after.status, 200);
    } finally {
      await t.close();
    }
  });

  it('checks a signature against the body as sent (compressed)', async () => {
    const t = await startTestServer({ authKeys: 'KEY:SECRET' });
    try {
      const body = gzipSync('{"Limit":3}');
      const headers: Record<string, string> = {
        host: `127.0.0.1:${t.port}`,
        'content-type': 'application/x-amz-json-1.0',
        'content-encoding': 'gzip',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        'x-amz-date': toAmzDate(Date.now()),
      };
      const authorization = authorizationHeader(
        { method: 'POST', url: '/', headers, body },
        { accessKeyId: 'KEY', secretAccessKey: 'SECRET', region: 'us-east-1' },
      );
      const res = await exchange(t.port, { headers: { ...headers, authorization }, body });
      assert.equal(res.status, 200, res.bytes.toString());
    } finally {
      await t.close();
    }
  });
});

/** An engine whose ListTables answers a body of about `size` bytes. */
function sizedEngine(): EngineLike {
  return {
    has: (op) => op === 'ListTables' || op === 'DescribeLimits',
    execute: (_op, input) => ({ Data: 'x'.repeat((input as { Size: number }).Size) }),
  };
}

describe('compressed responses', () => {
  it('compresses bodies of 4 KB and more when asked, with the crc32 of the compressed bytes', async () => {
    const t = await startTestServer({ engine: sizedEngine() });
    try {
      for (const [accept, encoding, size] of [
        ['gzip', 'gzip', 5000],
        ['deflate', 'deflate', 5000],
        ['gzip, deflate', 'gzip', 300_000],
        ['deflate;q=0.5, gzip', 'gzip', 300_000],
      ] as const) {
        const res = await exchange(t.port, {
          target: 'ListTables',
          headers: { 'accept-encoding': accept },
          body: JSON.stringify({ Size: size }),
        });
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-encoding'], encoding, accept);
        assert.equal(res.headers['x-amz-crc32'], String(crc32Portable(res.bytes)), 'crc32 of what travelled');
        assert.equal(res.headers['content-length'], String(res.bytes.length));
        const plain = encoding === 'gzip' ? gunzipSync(res.bytes) : inflateSync(res.bytes);
        assert.deepEqual(JSON.parse(plain.toString()), { Data: 'x'.repeat(size) });
      }
      for (const [accept, size] of [
        ['gzip', 100],
        ['identity', 5000],
        ['br', 5000],
        [undefined, 5000],
      ] as const) {
        const res = await exchange(t.port, {
          target: 'ListTables',
          headers: accept === undefined ? {} : { 'accept-encoding': accept },
          body: JSON.stringify({ Size: size }),
        });
        assert.equal(res.headers['content-encoding'], undefined, `${accept} ${size}`);
        assert.equal(JSON.parse(res.bytes.toString()).Data.length, size);
      }
    } finally {
      await t.close();
    }
  });
});

describe('HTTP limits', () => {
  const s = withServer();

  it('refuses request headers over 16 KB with 400', async () => {
    const big = await exchange(s.port, {
      target: 'ListTables',
      headers: { 'x-filler': 'a'.repeat(17 * 1024) },
      body: '{}',
    });
    assert.equal(big.status, 400);
    const fine = await exchange(s.port, {
      target: 'ListTables',
      headers: { 'x-filler': 'a'.repeat(15 * 1024) },
      body: '{}',
    });
    assert.equal(fine.status, 200);
  });

  it('refuses POST to a path other than /', async () => {
    for (const path of ['/other', '/v1/', '//', '/studio-not']) {
      const res = await exchange(s.port, { target: 'ListTables', path, body: '{}' });
      assert.equal(res.status, 404, path);
      assert.deepEqual(res.json, { __type: 'com.amazon.coral.service#UnknownOperationException' }, path);
    }
    const query = await exchange(s.port, { target: 'ListTables', path: '/?x=1', body: '{}' });
    assert.equal(query.status, 200);
  });

  it('sends the health check with X-Content-Type-Options: nosniff', async () => {
    const res = await exchange(s.port, { method: 'GET', headers: { host: `localhost:${s.port}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.bytes.toString(), `healthy: localhost:${s.port} `);
  });
});

/** Opens a TCP connection and resolves once it is up; `closed` settles when the server closes it. */
function openConnection(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** Rejects if `promise` has not settled within `ms` (a hang must fail the test, not stall it). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms).unref();
    }),
  ]);
}

describe('connections', () => {
  it('closes a connection that never sends a byte', async () => {
    const t = await startTestServer({ timeouts: { idleMs: 200 } });
    try {
      const { closed } = await openConnection(t.port);
      await within(closed, 5000, 'the silent connection');
    } finally {
      await t.close();
    }
  });

  it('does not cut a request that is still being answered', async () => {
    const engine: EngineLike = {
      has: (op) => op === 'ListTables',
      execute: () => new Promise((resolve) => setTimeout(() => resolve({ TableNames: ['slow'] }), 700)),
    };
    const t = await startTestServer({ engine, timeouts: { idleMs: 200 } });
    try {
      const res = await exchange(t.port, { target: 'ListTables', body: '{}' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { TableNames: ['slow'] });
    } finally {
      await t.close();
    }
  });

  it('refuses connections beyond the cap, and logs why', async () => {
    const lines: string[] = [];
    const t = await startTestServer({ maxConnections: 2, onLog: (line) => lines.push(line) });
    const open: Socket[] = [];
    try {
      for (let i = 0; i < 2; i++) open.push((await openConnection(t.port)).socket);
      // Make sure the server has counted both before the third arrives.
      await within(
        (async () => {
          while ((await new Promise<number>((r) => t.server.server.getConnections((_e, n) => r(n)))) < 2) {
            await new Promise((r) => setTimeout(r, 10));
          }
        })(),
        5000,
        'the two connections',
      );
      const third = await openConnection(t.port);
      await within(third.closed, 5000, 'the connection over the cap');
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, /2 connections are open, the limit: refusing new ones .*--max-connections/);
      for (const socket of open) socket.destroy();
      open.length = 0;
      await within(
        (async () => {
          for (;;) {
            try {
              const res = await exchange(t.port, { target: 'ListTables', body: '{}' });
              if (res.status === 200) return;
            } catch {
              // still at the cap: try again
            }
            await new Promise((r) => setTimeout(r, 20));
          }
        })(),
        5000,
        'serving again once connections closed',
      );
    } finally {
      for (const socket of open) socket.destroy();
      await t.close();
    }
  });
});
