// DynamoDB's JSON 1.0 protocol at the HTTP level: headers, checksums, the health check, malformed
// bodies, unknown targets, the size limit, internal errors, timeouts, routes and shutdown.
import assert from 'node:assert/strict';
import { request as httpRequest, Agent } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { DynamoDBClient, ListTablesCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { DynamoError } from '../../engine/errors.js';
import type { EngineLike, RouteHandler } from '../../main/server/index.js';
import { crc32Portable } from '../../main/server/crc32.js';
import { MAX_REQUEST_BYTES } from '../../main/server/protocol.js';
import type { TestServer } from './support.js';
import {
  TEST_CREDENTIALS,
  expectAwsError,
  rawRequest,
  requiresOperations,
  startTestServer,
  withServer,
} from './support.js';

function assertDynamoHeaders(res: { headers: Headers; bytes: Buffer }): void {
  assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.0');
  assert.equal(
    res.headers.get('x-amz-crc32'),
    String(crc32Portable(res.bytes)),
    'x-amz-crc32 is the CRC32 of the body',
  );
  assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9A-Z]{52}$/);
  assert.equal(res.headers.get('content-length'), String(res.bytes.length));
}

describe('the JSON protocol', () => {
  const s = withServer();

  it('answers an operation with DynamoDB headers and a verified crc32', async () => {
    const res = await rawRequest(s.url, { target: 'ListTables', body: {} });
    assert.equal(res.status, 200);
    assertDynamoHeaders(res);
    assert.deepEqual(res.json, { TableNames: [] });
  });

  it('sends a stored item as it was written, with its byte length and crc32, whatever its characters', async () => {
    await rawRequest(s.url, {
      target: 'CreateTable',
      body: {
        TableName: 'Chars',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
    });
    // Two-, three- and four-byte UTF-8, a JSON escape, and a line separator JSON.stringify keeps raw.
    const item = { pk: { S: 'k' }, v: { S: 'é € 😀 "q" \\ \u2028 \n' }, n: { N: '10' } };
    const put = await rawRequest(s.url, { target: 'PutItem', body: { TableName: 'Chars', Item: item } });
    assert.equal(put.status, 200);
    assertDynamoHeaders(put);
    const got = await rawRequest(s.url, {
      target: 'GetItem',
      body: { TableName: 'Chars', Key: { pk: { S: 'k' } }, ReturnConsumedCapacity: 'TOTAL' },
    });
    assert.equal(got.status, 200);
    assertDynamoHeaders(got);
    assert.deepEqual(got.json?.Item, item);
    assert.equal((got.json?.ConsumedCapacity as { CapacityUnits?: number }).CapacityUnits, 0.5);
  });

  it('gives every response its own request id', async () => {
    const a = await rawRequest(s.url, { target: 'ListTables', body: {} });
    const b = await rawRequest(s.url, { target: 'ListTables', body: {} });
    assert.notEqual(a.headers.get('x-amzn-requestid'), b.headers.get('x-amzn-requestid'));
  });

  it('accepts the 1.1 content type and plain application/json', async () => {
    for (const type of [
      'application/x-amz-json-1.1',
      'application/json',
      'application/x-amz-json-1.0; charset=utf-8',
    ]) {
      const res = await rawRequest(s.url, {
        target: 'ListTables',
        body: {},
        headers: { 'content-type': type },
      });
      assert.equal(res.status, 200, type);
      assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.0');
    }
  });

  it('answers GET / with the health check, as DynamoDB does', async () => {
    const res = await rawRequest(s.url, { method: 'GET', headers: {} });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain');
    assert.equal(res.text.trim(), `healthy: 127.0.0.1:${s.port}`);
    assert.equal(res.headers.get('x-amz-crc32'), String(crc32Portable(res.bytes)));
  });

  it('rejects malformed JSON with SerializationException', async () => {
    for (const body of ['{"TableName":', 'not json', '{"a":1}}']) {
      const res = await rawRequest(s.url, { target: 'ListTables', body });
      assert.equal(res.status, 400, body);
      assert.equal(res.json?.__type, 'com.amazon.coral.service#SerializationException');
      assertDynamoHeaders(res);
    }
  });

  it('rejects a body that is not a JSON object, or none, with SerializationException', async () => {
    for (const body of ['[]', '7', 'null', '"x"', '']) {
      const res = await rawRequest(s.url, { target: 'ListTables', body });
      assert.equal(res.status, 400, `body ${JSON.stringify(body)}`);
      assert.equal(res.json?.__type, 'com.amazon.coral.service#SerializationException');
    }
  });

  it('rejects missing and unknown targets with UnknownOperationException', async () => {
    for (const target of [
      undefined,
      'DynamoDB_20120810.Frobnicate',
      'Nope_1.ListTables',
      'ListTables',
      'DynamoDB_20120810.',
    ]) {
      const headers: Record<string, string> = target === undefined ? {} : { 'x-amz-target': target };
      const res = await rawRequest(s.url, { body: {}, headers });
      assert.equal(res.status, 400, `target ${target}`);
      assert.deepEqual(res.json, { __type: 'com.amazon.coral.service#UnknownOperationException' });
      assertDynamoHeaders(res);
    }
  });

  it(
    'serves the engine’s Streams API to DynamoDBStreamsClient',
    { skip: requiresOperations('ListStreams') },
    async () => {
      const streams = new DynamoDBStreamsClient({
        endpoint: s.url,
        region: 'us-east-1',
        credentials: TEST_CREDENTIALS,
      });
      try {
        const out = await streams.send(new ListStreamsCommand({}));
        assert.ok(Array.isArray(out.Streams));
      } finally {
        streams.destroy();
      }
    },
  );

  it('keeps the Streams API under its own target prefix', async () => {
    const res = await rawRequest(s.url, {
      target: 'DynamoDB_20120810.GetRecords',
      body: { ShardIterator: 'x' },
    });
    assert.equal(res.json?.__type, 'com.amazon.coral.service#UnknownOperationException');
    const res2 = await rawRequest(s.url, { target: 'DynamoDBStreams_20120810.ListTables', body: {} });
    assert.equal(res2.json?.__type, 'com.amazon.coral.service#UnknownOperationException');
  });

  it('rejects other content types with UnknownOperationException', async () => {
    const res = await rawRequest(s.url, {
      target: 'ListTables',
      body: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.json?.__type, 'com.amazon.coral.service#UnknownOperationException');
  });

  it('names validation errors com.amazon.coral.validate#ValidationException', async () => {
    const res = await rawRequest(s.url, { target: 'ListTables', body: { Limit: 0 } });
    assert.equal(res.status, 400);
    assert.equal(res.json?.__type, 'com.amazon.coral.validate#ValidationException');
    assert.match(String(res.json?.message), /Member must have value greater than or equal to 1/);
  });

  it('names database errors com.amazonaws.dynamodb.v20120810#…', async () => {
    const res = await rawRequest(s.url, { target: 'DescribeTable', body: { TableName: 'NoSuchTable' } });
    assert.equal(res.status, 400);
    assert.equal(res.json?.__type, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
    assertDynamoHeaders(res);
  });

  it('rejects a request over 16 MB with 413, then goes on serving', async () => {
    const big = Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20);
    const res = await rawRequest(s.url, { target: 'ListTables', body: big });
    assert.equal(res.status, 413);
    assert.equal(res.json?.__type, 'com.amazon.coral.service#RequestEntityTooLarge');
    const after = await rawRequest(s.url, { target: 'ListTables', body: {} });
    assert.equal(after.status, 200);
  });

  it('rejects an oversized chunked body (no Content-Length) with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${s.url}/`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': 'DynamoDB_20120810.ListTables',
          },
        },
        (res: IncomingMessage) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent <= MAX_REQUEST_BYTES + chunk.length) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    assert.equal(status, 413);
  });

  it('accepts a body right at 16 MB', async () => {
    const body = Buffer.alloc(MAX_REQUEST_BYTES, 0x20);
    body.write('{}', 0);
    const res = await rawRequest(s.url, { target: 'ListTables', body });
    assert.equal(res.status, 200);
  });

  it('keeps connections alive', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(
          `${s.url}/`,
          {
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/x-amz-json-1.0',
              'x-amz-target': 'DynamoDB_20120810.ListTables',
            },
          },
          (res) => {
            sockets.add(res.socket);
            assert.equal(res.headers.connection, 'keep-alive');
            res.resume();
            res.on('end', resolve);
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
    }
    agent.destroy();
    assert.equal(sockets.size, 1, 'one connection served all requests');
  });

  it('answers other methods and paths with 404', async () => {
    const res = await rawRequest(s.url, { method: 'PUT', target: 'ListTables', body: '{}' });
    assert.equal(res.status, 404);
    const res2 = await rawRequest(s.url, { method: 'GET', path: '/nothing-here', headers: {} });
    assert.equal(res2.status, 404);
  });

  it('sends no CORS headers unless --cors is given', async () => {
    const res = await rawRequest(s.url, {
      target: 'ListTables',
      body: {},
      headers: { origin: 'http://evil.test' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });
});

/** An engine whose operations are whatever the test says. */
function fakeEngine(
  ops: Record<string, (input: unknown) => unknown>,
): EngineLike & { calls: string[]; closed: boolean } {
  const calls: string[] = [];
  return {
    calls,
    closed: false,
    has: (op) => Object.prototype.hasOwnProperty.call(ops, op),
    execute(op, input) {
      calls.push(op);
      return ops[op]!(input);
    },
    close() {
      this.closed = true;
    },
  };
}

describe('the endpoint around an injected engine', () => {
  it('answers a non-DynamoDB error with 500 InternalServerError and goes on serving', async () => {
    const internal: unknown[] = [];
    const engine = fakeEngine({
      ListTables: () => {
        throw new Error('boom');
      },
      DescribeLimits: () => ({ AccountMaxReadCapacityUnits: 1 }),
    });
    const s = await startTestServer({ engine, onInternalError: (e) => internal.push(e) });
    try {
      const res = await rawRequest(s.url, { target: 'ListTables', body: {} });
      assert.equal(res.status, 500);
      assert.equal(res.json?.__type, 'com.amazonaws.dynamodb.v20120810#InternalServerError');
      assert.equal(res.json?.message, 'Internal server error', 'no internals leak to the client');
      assertDynamoHeaders(res);
      assert.equal(internal.length, 1);
      assert.equal((internal[0] as Error).message, 'boom');

      const client = s.makeClient({ maxAttempts: 1 });
      const err = await expectAwsError(client.send(new ListTablesCommand({})), 'InternalServerError');
      assert.equal(err.$metadata?.httpStatusCode, 500);

      const ok = await rawRequest(s.url, { target: 'DescribeLimits', body: {} });
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.json, { AccountMaxReadCapacityUnits: 1 });
    } finally {
      await s.close();
    }
    assert.equal(engine.closed, false, 'an injected engine stays open');
  });

  it('passes an error’s extra fields to the client (CancellationReasons)', async () => {
    const reasons = [
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
    ];
    const engine = fakeEngine({
      ListTables: () => {
        throw new DynamoError(
          'TransactionCanceledException',
          'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
          { CancellationReasons: reasons },
        );
      },
    });
    const s = await startTestServer({ engine });
    try {
      const res = await rawRequest(s.url, { target: 'ListTables', body: {} });
      assert.equal(res.status, 400);
      assert.equal(res.json?.__type, 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException');
      assert.deepEqual(res.json?.CancellationReasons, reasons);
      const err = await expectAwsError(
        s.client.send(new ListTablesCommand({})),
        'TransactionCanceledException',
        /Transaction cancelled/,
      );
      assert.ok(err instanceof TransactionCanceledException);
      assert.deepEqual(err.CancellationReasons, reasons);
    } finally {
      await s.close();
    }
  });

  it('answers a response that cannot be serialised with 500', async () => {
    const engine = fakeEngine({ ListTables: () => ({ n: 10n }) });
    const s = await startTestServer({ engine, onInternalError: () => {} });
    try {
      const res = await rawRequest(s.url, { target: 'ListTables', body: {} });
      assert.equal(res.status, 500);
      assert.equal(res.json?.__type, 'com.amazonaws.dynamodb.v20120810#InternalServerError');
    } finally {
      await s.close();
    }
  });

  it('routes DynamoDBStreams_20120810 and Sortkey_20250101 targets to the engine by name', async () => {
    const engine = fakeEngine({
      GetRecords: (input) => ({ Records: [], echo: input }),
      ListStreams: () => ({ Streams: [] }),
      Explain: (input) => ({ Plan: 'Scan', echo: input }),
    });
    const s = await startTestServer({ engine });
    try {
      const streams = await rawRequest(s.url, {
        target: 'DynamoDBStreams_20120810.GetRecords',
        body: { ShardIterator: 'i' },
      });
      assert.equal(streams.status, 200);
      assert.deepEqual(streams.json, { Records: [], echo: { ShardIterator: 'i' } });
      const own = await rawRequest(s.url, {
        target: 'Sortkey_20250101.Explain',
        body: { Statement: 'SELECT 1' },
      });
      assert.deepEqual(own.json, { Plan: 'Scan', echo: { Statement: 'SELECT 1' } });
      const unknown = await rawRequest(s.url, { target: 'Sortkey_20250101.Nothing', body: {} });
      assert.equal(unknown.json?.__type, 'com.amazon.coral.service#UnknownOperationException');
      assert.deepEqual(engine.calls, ['GetRecords', 'Explain']);
    } finally {
      await s.close();
    }
  });

  it('awaits an engine that answers with promises', async () => {
    const engine = fakeEngine({
      ListTables: async () => ({ TableNames: ['later'] }),
      DescribeTable: async () => {
        throw new DynamoError('ResourceNotFoundException', 'Requested resource not found');
      },
      DescribeLimits: () => Promise.reject(new Error('remote failure')),
    });
    const s = await startTestServer({ engine, onInternalError: () => {} });
    try {
      const ok = await rawRequest(s.url, { target: 'ListTables', body: {} });
      assert.deepEqual(ok.json, { TableNames: ['later'] });
      assertDynamoHeaders(ok);
      const missing = await rawRequest(s.url, { target: 'DescribeTable', body: { TableName: 'x' } });
      assert.equal(missing.json?.__type, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
      const failed = await rawRequest(s.url, { target: 'DescribeLimits', body: {} });
      assert.equal(failed.status, 500);
    } finally {
      await s.close();
    }
  });

  it('reports each request to onRequest, and survives a logger that throws', async () => {
    const entries: Array<{ operation: string | undefined; status: number; error: string | undefined }> = [];
    const engine = fakeEngine({ ListTables: () => ({ TableNames: [] }) });
    let calls = 0;
    const s = await startTestServer({
      engine,
      onRequest: ({ operation, status, error, ms }) => {
        assert.ok(ms >= 0);
        entries.push({ operation, status, error });
        if (++calls === 1) throw new Error('logger broke');
      },
    });
    try {
      assert.equal((await rawRequest(s.url, { target: 'ListTables', body: {} })).status, 200);
      assert.equal((await rawRequest(s.url, { target: 'ListTables', body: '{' })).status, 400);
      assert.equal((await rawRequest(s.url, { target: 'Nope', body: {} })).status, 400);
      assert.deepEqual(entries, [
        { operation: 'ListTables', status: 200, error: undefined },
        { operation: undefined, status: 400, error: 'SerializationException' },
        { operation: undefined, status: 400, error: 'UnknownOperationException' },
      ]);
    } finally {
      await s.close();
    }
  });

  it('lets routes take requests first (the studio hook)', async () => {
    const studio: RouteHandler = (req, res) => {
      if (req.method === 'GET' && req.url?.startsWith('/studio/')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<h1>studio</h1>');
        return true;
      }
      if (req.method === 'GET' && req.url === '/' && req.headers.accept?.includes('text/html')) {
        res.writeHead(302, { location: '/studio/' });
        res.end();
        return true;
      }
      return false;
    };
    const s = await startTestServer({ routes: [studio] });
    try {
      const page = await rawRequest(s.url, { method: 'GET', path: '/studio/index.html', headers: {} });
      assert.equal(page.status, 200);
      assert.equal(page.text, '<h1>studio</h1>');
      const browser = await fetch(`${s.url}/`, {
        headers: { accept: 'text/html,application/xhtml+xml' },
        redirect: 'manual',
      });
      assert.equal(browser.status, 302);
      assert.equal(browser.headers.get('location'), '/studio/');
      await browser.arrayBuffer();
      const health = await rawRequest(s.url, { method: 'GET', headers: {} });
      assert.match(health.text, /^healthy: /);
      const api = await rawRequest(s.url, { target: 'ListTables', body: {} });
      assert.equal(api.status, 200);

      // Routes added after start count too.
      s.server.handler.routes.push((req, res) => {
        if (req.url !== '/late') return false;
        res.end('late');
        return true;
      });
      assert.equal((await rawRequest(s.url, { method: 'GET', path: '/late', headers: {} })).text, 'late');
    } finally {
      await s.close();
    }
  });

  it('drops a client that never finishes its headers (slow loris)', async () => {
    const s = await startTestServer({ timeouts: { headersMs: 300, requestMs: 600, checkIntervalMs: 50 } });
    try {
      const started = Date.now();
      const closedAfter = await new Promise<number>((resolve, reject) => {
        const socket = connect(s.port, '127.0.0.1', () => {
          socket.write(
            'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n',
          );
        });
        socket.on('data', () => {});
        socket.on('error', () => {});
        socket.on('close', () => resolve(Date.now() - started));
        setTimeout(() => reject(new Error('the server kept the connection open')), 5000).unref();
      });
      assert.ok(closedAfter < 3000, `closed after ${closedAfter} ms`);
      const ok = await rawRequest(s.url, { target: 'ListTables', body: {} });
      assert.equal(ok.status, 200);
    } finally {
      await s.close();
    }
  });

  it('finishes a request in flight on close, then closes the engine it opened', async () => {
    const engine = fakeEngine({ ListTables: () => ({ TableNames: ['done'] }) });
    const s: TestServer = await startTestServer({ engine, closeEngine: true });
    const response = new Promise<{ status: number; body: string; connection: string | undefined }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${s.url}/`,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/x-amz-json-1.0',
              'x-amz-target': 'DynamoDB_20120810.ListTables',
              'content-length': '2',
            },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }),
            );
          },
        );
        req.on('error', reject);
        req.write('{');
        // Close while the body is still on its way, then send the rest.
        setTimeout(() => {
          closed = s.close();
          setTimeout(() => req.end('}'), 50);
        }, 50);
      },
    );
    let closed: Promise<void> | undefined;
    const res = await response;
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"TableNames":["done"]}');
    assert.equal(res.connection, 'close', 'clients are told to reconnect elsewhere');
    await closed;
    assert.equal(engine.closed, true);
    await assert.rejects(fetch(`${s.url}/`), 'no longer accepting connections');
  });

  it('serves a DynamoDBClient without a table in sight (fake engine, real SDK)', async () => {
    const engine = fakeEngine({ ListTables: () => ({ TableNames: ['x'] }) });
    const s = await startTestServer({ engine });
    try {
      const client = new DynamoDBClient({
        endpoint: s.url,
        region: 'eu-west-1',
        credentials: TEST_CREDENTIALS,
      });
      const out = await client.send(new ListTablesCommand({}));
      client.destroy();
      assert.deepEqual(out.TableNames, ['x']);
    } finally {
      await s.close();
    }
  });
});
