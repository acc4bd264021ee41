// `--auth`: AWS Signature V4 checked against known access keys, with DynamoDB's error names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { authorizationHeader, toAmzDate } from '../../main/server/index.js';
import { expectAwsError, rawRequest, startTestServer, withServer } from './support.js';

const KEY = 'AKIDSORTKEYTEST';
const SECRET = 'sortkey/secret+for+tests';

function signedHeaders(
  url: string,
  body: string,
  overrides: { secret?: string; date?: number; key?: string } = {},
) {
  const host = new URL(url).host;
  const headers: Record<string, string> = {
    host,
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.ListTables',
    'x-amz-date': toAmzDate(overrides.date ?? Date.now()),
  };
  const authorization = authorizationHeader(
    { method: 'POST', url: '/', headers, body },
    { accessKeyId: overrides.key ?? KEY, secretAccessKey: overrides.secret ?? SECRET, region: 'us-east-1' },
  );
  const { host: _host, ...rest } = headers;
  return { ...rest, authorization };
}

describe('--auth', () => {
  const s = withServer({ authKeys: { [KEY]: SECRET, OTHERKEY: 'other' } });

  it('accepts a request the SDK signed with a known key', async () => {
    const client = s.makeClient({ credentials: { accessKeyId: KEY, secretAccessKey: SECRET } });
    const out = await client.send(new ListTablesCommand({}));
    assert.equal(out.$metadata.httpStatusCode, 200);
    const other = s.makeClient({ credentials: { accessKeyId: 'OTHERKEY', secretAccessKey: 'other' } });
    assert.equal((await other.send(new ListTablesCommand({}))).$metadata.httpStatusCode, 200);
  });

  it('accepts a signature scoped to any region (each region is its own namespace)', async () => {
    const client = s.makeClient({
      credentials: { accessKeyId: KEY, secretAccessKey: SECRET },
      region: 'eu-west-1',
      maxAttempts: 1,
    });
    assert.equal((await client.send(new ListTablesCommand({}))).$metadata.httpStatusCode, 200);
  });

  it('refuses a signature scoped to a region the endpoint does not serve', async () => {
    const t = await startTestServer({ authKeys: { [KEY]: SECRET }, servesRegion: (r) => r === 'us-east-1' });
    try {
      const client = t.makeClient({
        credentials: { accessKeyId: KEY, secretAccessKey: SECRET },
        region: 'eu-west-1',
        maxAttempts: 1,
      });
      await expectAwsError(
        client.send(new ListTablesCommand({})),
        'InvalidSignatureException',
        "Credential should be scoped to a valid region, not 'eu-west-1'.",
      );
    } finally {
      await t.close();
    }
  });

  it('refuses a signature that does not cover X-Amz-Target (no replay as another operation)', async () => {
    const body = '{}';
    const host = new URL(s.url).host;
    const date = toAmzDate(Date.now());
    const signed = { host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-date': date };
    const authorization = authorizationHeader(
      { method: 'POST', url: '/', headers: signed, body },
      { accessKeyId: KEY, secretAccessKey: SECRET, region: 'us-east-1' },
    );
    const res = await rawRequest(s.url, {
      target: 'ListTables',
      body,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-date': date, authorization },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, {
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });

  it('rejects a wrong secret with InvalidSignatureException', async () => {
    const client = s.makeClient({
      credentials: { accessKeyId: KEY, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    const err = await expectAwsError(
      client.send(new ListTablesCommand({})),
      'InvalidSignatureException',
      /The request signature we calculated does not match the signature you provided/,
    );
    assert.equal(err.$metadata?.httpStatusCode, 400);
  });

  it('rejects an unknown access key with UnrecognizedClientException', async () => {
    const client = s.makeClient({ maxAttempts: 1 }); // credentials x/x
    await expectAwsError(
      client.send(new ListTablesCommand({})),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });

  it('rejects a request without credentials with MissingAuthenticationTokenException', async () => {
    const res = await rawRequest(s.url, { target: 'ListTables', body: {} });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, {
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
  });

  it('rejects a session token it never issued', async () => {
    const client = s.makeClient({
      credentials: { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: 'token' },
      maxAttempts: 1,
    });
    await expectAwsError(client.send(new ListTablesCommand({})), 'UnrecognizedClientException');
  });

  it('rejects a signature from a clock more than 15 minutes off', async () => {
    const client = s.makeClient({
      credentials: { accessKeyId: KEY, secretAccessKey: SECRET },
      systemClockOffset: -20 * 60 * 1000,
      maxAttempts: 1,
    });
    await expectAwsError(
      client.send(new ListTablesCommand({})),
      'InvalidSignatureException',
      /^Signature expired: /,
    );
  });

  it('checks the body against the signature', async () => {
    const body = '{"Limit":5}';
    const ok = await rawRequest(s.url, { target: 'ListTables', body, headers: signedHeaders(s.url, body) });
    assert.equal(ok.status, 200, ok.text);
    const tampered = await rawRequest(s.url, {
      target: 'ListTables',
      body: '{"Limit":6}',
      headers: signedHeaders(s.url, body),
    });
    assert.equal(tampered.status, 400);
    assert.equal(tampered.json?.__type, 'com.amazon.coral.service#InvalidSignatureException');
  });

  it('rejects a declared x-amz-content-sha256 that does not match the body', async () => {
    const body = '{}';
    const headers = { ...signedHeaders(s.url, body), 'x-amz-content-sha256': '0'.repeat(64) };
    const res = await rawRequest(s.url, { target: 'ListTables', body, headers });
    assert.equal(res.json?.__type, 'com.amazon.coral.service#InvalidSignatureException');
  });

  it('names malformed signatures IncompleteSignatureException', async () => {
    const res = await rawRequest(s.url, {
      target: 'ListTables',
      body: {},
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=abc', 'x-amz-date': toAmzDate(Date.now()) },
    });
    assert.equal(res.json?.__type, 'com.amazon.coral.service#IncompleteSignatureException');
    assert.match(String(res.json?.message), /Authorization header requires 'Signature' parameter/);
  });

  it('still answers the health check without credentials', async () => {
    const res = await rawRequest(s.url, { method: 'GET', headers: {} });
    assert.equal(res.status, 200);
  });
});

describe('without --auth', () => {
  const s = withServer();

  it('accepts any credentials, or none, as DynamoDB Local does', async () => {
    const client = s.makeClient({ credentials: { accessKeyId: 'anything', secretAccessKey: 'at all' } });
    assert.equal((await client.send(new ListTablesCommand({}))).$metadata.httpStatusCode, 200);
    const res = await rawRequest(s.url, { target: 'ListTables', body: {} });
    assert.equal(res.status, 200);
  });
});

describe('--auth for the Streams API', () => {
  it('verifies what DynamoDBStreamsClient signs', async () => {
    const engine = { has: (op: string) => op === 'ListStreams', execute: () => ({ Streams: [] }) };
    const s = await startTestServer({ engine, authKeys: `${KEY}:${SECRET}` });
    try {
      const streams = new DynamoDBStreamsClient({
        endpoint: s.url,
        region: 'us-east-1',
        credentials: { accessKeyId: KEY, secretAccessKey: SECRET },
      });
      const out = await streams.send(new ListStreamsCommand({}));
      assert.deepEqual(out.Streams, []);
      const wrong = new DynamoDBStreamsClient({
        endpoint: s.url,
        region: 'us-east-1',
        credentials: { accessKeyId: KEY, secretAccessKey: 'nope' },
        maxAttempts: 1,
      });
      await expectAwsError(wrong.send(new ListStreamsCommand({})), 'InvalidSignatureException');
      streams.destroy();
      wrong.destroy();
    } finally {
      await s.close();
    }
  });
});
