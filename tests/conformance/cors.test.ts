// `--cors ORIGINS`: preflight answers and exposed headers for browser clients.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rawRequest, withServer } from './support.js';

async function preflight(url: string, origin: string): Promise<Response> {
  const res = await fetch(`${url}/`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-amz-target,x-amz-date,authorization',
    },
  });
  await res.arrayBuffer();
  return res;
}

describe('--cors with a list of origins', () => {
  const s = withServer({ cors: 'http://localhost:3000, https://app.example.test' });

  it('answers the preflight of an allowed origin', async () => {
    const res = await preflight(s.url, 'http://localhost:3000');
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(
      res.headers.get('access-control-allow-headers'),
      'content-type,x-amz-target,x-amz-date,authorization',
    );
    assert.ok(Number(res.headers.get('access-control-max-age')) > 0);
    assert.match(res.headers.get('vary') ?? '', /Origin/);
  });

  it('exposes the checksum and request id on API responses', async () => {
    const res = await rawRequest(s.url, {
      target: 'ListTables',
      body: {},
      headers: { origin: 'https://app.example.test' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example.test');
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    assert.match(exposed, /x-amz-crc32/);
    assert.match(exposed, /x-amzn-requestid/);
  });

  it('gives other origins nothing to go on', async () => {
    const res = await preflight(s.url, 'http://evil.test');
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('access-control-allow-methods'), null);
    const api = await rawRequest(s.url, {
      target: 'ListTables',
      body: {},
      headers: { origin: 'http://evil.test' },
    });
    assert.equal(api.headers.get('access-control-allow-origin'), null);
  });
});

describe('--cors *', () => {
  const s = withServer({ cors: '*' });

  it('allows any origin', async () => {
    const res = await preflight(s.url, 'http://anything.test:8080');
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const api = await rawRequest(s.url, {
      target: 'ListTables',
      body: {},
      headers: { origin: 'http://anything.test:8080' },
    });
    assert.equal(api.headers.get('access-control-allow-origin'), '*');
  });
});
