// Browser mode's HTTP side: the redirect of a browser's GET /, the token → cookie exchange, the
// Host/Origin/remote-address guards, static files and the API routes.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../engine/index.js';
import { chevrotainParserBuilt } from '../../../grammar/partiql/index.js';
import type { SortkeyServer } from '../../../main/server/index.js';
import { startServer } from '../../../main/server/index.js';
import {
  attachStudio,
  cookieName,
  createStudioBackend,
  createStudioRoutes,
  hostAllowed,
  parseHost,
  STUDIO_CSP,
} from '../../../main/studio/index.js';
import { isLocalClient } from '../../../main/studio/routes.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('studio routes', () => {
  let engine: Engine;
  let server: SortkeyServer;
  let assets: string;
  let token: string;
  let port: number;
  let cookie: string;

  before(async () => {
    assets = mkdtempSync(join(tmpdir(), 'sortkey-studio-'));
    mkdirSync(join(assets, 'assets'));
    writeFileSync(join(assets, 'index.html'), '<!doctype html><title>Sortkey Studio</title>');
    writeFileSync(join(assets, 'assets', 'app-abc.js'), 'console.log(1)');
    engine = Engine.inMemory();
    server = await startServer({ engine, port: 0 });
    const studio = attachStudio(server, { assetsDir: assets });
    token = studio.token;
    port = server.port;
    cookie = `${cookieName(port)}=${token}`;
    assert.equal(studio.url, `${server.url}/studio/?token=${token}`);
  });

  after(async () => {
    await server.close({ graceMs: 50 });
    engine.close();
    rmSync(assets, { recursive: true, force: true });
  });

  it('redirects a browser opening the endpoint to /studio/, and keeps DynamoDB’s answer for everyone else', async () => {
    const browser = await send(port, 'GET', '/', { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    assert.equal(browser.status, 302);
    assert.equal(browser.headers.location, '/studio/');
    const sdk = await send(port, 'GET', '/');
    assert.equal(sdk.status, 200);
    assert.equal(sdk.body, `healthy: 127.0.0.1:${port} `);
    const head = await send(port, 'HEAD', '/', { Accept: 'text/html' });
    assert.equal(head.status, 200);
    const api = await send(
      port,
      'POST',
      '/',
      { 'X-Amz-Target': 'DynamoDB_20120810.ListTables', 'Content-Type': 'application/x-amz-json-1.0' },
      '{}',
    );
    assert.equal(api.status, 200);
    assert.deepEqual(JSON.parse(api.body), { TableNames: [] });
  });

  it('asks for the printed link without a token, and refuses a stale one', async () => {
    const none = await send(port, 'GET', '/studio/');
    assert.equal(none.status, 401);
    assert.match(none.body, /link/);
    const stale = await send(port, 'GET', '/studio/?token=0123');
    assert.equal(stale.status, 401);
    assert.match(stale.body, /earlier run/);
    const bare = await send(port, 'GET', '/studio');
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.location, '/studio/');
  });

  it('builds the PartiQL parser when the studio page is served, not when the endpoint starts', async () => {
    // The endpoint has started and answered DynamoDB requests (the tests above): the parser's
    // 0.1 s grammar analysis has not been paid, so the first answer was not delayed by it.
    assert.equal(chevrotainParserBuilt(), false);
    const page = await send(port, 'GET', '/studio/', { Cookie: cookie });
    assert.equal(page.status, 200);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(chevrotainParserBuilt(), true);
  });

  it('exchanges the token for an HttpOnly, SameSite=Strict cookie and serves the app with a CSP', async () => {
    const r = await send(port, 'GET', `/studio/?token=${token}`);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/studio/');
    const setCookie = String(r.headers['set-cookie']);
    assert.match(setCookie, new RegExp(`^${cookieName(port)}=${token};`));
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\/studio/);
    const page = await send(port, 'GET', '/studio/', { Cookie: `other=1; ${cookie}` });
    assert.equal(page.status, 200);
    assert.match(page.body, /Sortkey Studio/);
    assert.equal(page.headers['content-security-policy'], STUDIO_CSP);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['cache-control'], 'no-store');
    // The cookie of another port's studio does not open this one.
    const otherPort = await send(port, 'GET', '/studio/', { Cookie: `${cookieName(port + 1)}=${token}` });
    assert.equal(otherPort.status, 401);
  });

  it('serves built assets with their content type and refuses paths outside the build', async () => {
    const js = await send(port, 'GET', '/studio/assets/app-abc.js');
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.match(String(js.headers['cache-control']), /immutable/);
    assert.equal((await send(port, 'GET', '/studio/assets/missing.js')).status, 404);
    assert.equal((await send(port, 'GET', '/studio/%2e%2e/package.json')).status, 400);
    assert.equal((await send(port, 'GET', '/studio/assets/..%2f..%2fpackage.json')).status, 400);
    assert.equal((await send(port, 'GET', '/studio/%00')).status, 400);
  });

  it('refuses Host headers that do not name this server on loopback (DNS rebinding)', async () => {
    for (const host of [
      'evil.example:' + port,
      `127.0.0.1:${port + 1}`,
      'localhost',
      `127.0.0.1.evil.example:${port}`,
    ]) {
      const r = await send(port, 'GET', '/studio/', { Host: host, Cookie: cookie });
      assert.equal(r.status, 421, host);
      const api = await send(
        port,
        'POST',
        '/studio/api/listTables',
        { Host: host, Cookie: cookie, 'Content-Type': 'application/json' },
        '{}',
      );
      assert.equal(api.status, 421, host);
    }
    for (const host of [`localhost:${port}`, `LOCALHOST:${port}`]) {
      assert.equal((await send(port, 'GET', '/studio/', { Host: host, Cookie: cookie })).status, 200, host);
    }
  });

  it('guards the API: token, same origin, JSON, POST', async () => {
    const json = { 'Content-Type': 'application/json' };
    assert.equal((await send(port, 'POST', '/studio/api/listTables', json, '{}')).status, 401);
    assert.equal(
      (
        await send(
          port,
          'POST',
          '/studio/api/listTables',
          { ...json, Cookie: `${cookieName(port)}=wrong` },
          '{}',
        )
      ).status,
      401,
    );
    const cross = await send(
      port,
      'POST',
      '/studio/api/listTables',
      { ...json, Cookie: cookie, Origin: 'http://evil.example' },
      '{}',
    );
    assert.equal(cross.status, 403);
    const crossSite = await send(
      port,
      'POST',
      '/studio/api/listTables',
      { ...json, Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' },
      '{}',
    );
    assert.equal(crossSite.status, 403);
    const form = await send(
      port,
      'POST',
      '/studio/api/listTables',
      { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
      'a=1',
    );
    assert.equal(form.status, 415);
    assert.equal((await send(port, 'GET', '/studio/api/listTables', { Cookie: cookie })).status, 405);
    const ok = await send(
      port,
      'POST',
      '/studio/api/listTables',
      { ...json, Cookie: cookie, Origin: `http://127.0.0.1:${port}` },
      '{}',
    );
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), []);
    const header = await send(port, 'POST', '/studio/api/info', { ...json, 'X-Sortkey-Token': token });
    assert.equal(header.status, 200);
    assert.equal(JSON.parse(header.body).mode, 'browser');
  });

  it('uploads an import body and downloads an export: token, same origin, the upload header', async () => {
    const url = '/studio/api/dump-upload?name=x.jsonl';
    const body = '{"id":{"S":"a"}}\n';
    const upload = { Cookie: cookie, 'Content-Type': 'application/octet-stream', 'X-Sortkey-Upload': '1' };
    assert.equal(
      (await send(port, 'POST', url, { 'Content-Type': 'application/octet-stream' }, body)).status,
      401,
    );
    // A cross-site form can send neither the custom header nor a same-origin Origin.
    const { 'X-Sortkey-Upload': _, ...noHeader } = upload;
    assert.equal((await send(port, 'POST', url, noHeader, body)).status, 400);
    assert.equal(
      (await send(port, 'POST', url, { ...upload, Origin: 'http://evil.example' }, body)).status,
      403,
    );
    assert.equal((await send(port, 'GET', url, upload)).status, 405);
    const ok = await send(port, 'POST', url, upload, body);
    assert.equal(ok.status, 200);
    assert.match((JSON.parse(ok.body) as { upload: string }).upload, /^[0-9a-f]{24}$/);

    assert.equal((await send(port, 'GET', '/studio/api/dump/nope')).status, 401);
    assert.equal((await send(port, 'GET', '/studio/api/dump/nope', { Cookie: cookie })).status, 404);
  });

  it('answers API calls with results or DynamoDB-style errors', async () => {
    const call = (method: string, args: unknown) =>
      send(
        port,
        'POST',
        `/studio/api/${method}`,
        { 'Content-Type': 'application/json', Cookie: cookie },
        JSON.stringify(args),
      );
    const created = await call('createTable', {
      TableName: 'Routes',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    assert.equal(created.status, 200);
    assert.equal(JSON.parse(created.body).name, 'Routes');
    const put = await call('putItem', {
      table: 'Routes',
      item: { pk: { S: 'a' }, n: { N: '12345678901234567890.123456789' } },
    });
    assert.deepEqual(JSON.parse(put.body).ok, true);
    const rows = await call('executeStatement', { statement: 'SELECT * FROM Routes' });
    assert.equal(rows.status, 200);
    assert.match(rows.body, /"N":"12345678901234567890.123456789"/);
    const bad = await call('executeStatement', { statement: 'SELEC * FROM Routes' });
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body).type, 'ValidationException');
    const unknown = await call('dropEverything', {});
    assert.equal(unknown.status, 400);
    assert.equal(JSON.parse(unknown.body).type, 'UnknownOperationException');
    const proto = await call('__proto__', {});
    assert.equal(proto.status, 400);
    const broken = await send(
      port,
      'POST',
      '/studio/api/listTables',
      { 'Content-Type': 'application/json', Cookie: cookie },
      '{',
    );
    assert.equal(broken.status, 400);
    assert.equal(JSON.parse(broken.body).type, 'SerializationException');
  });

  it('explains how to build the studio when renderer/dist is missing', async () => {
    const s = await startServer({ engine, port: 0 });
    try {
      const studio = attachStudio(s, { assetsDir: join(assets, 'nothing-here') });
      assert.equal(studio.built, false);
      const r = await send(s.port, 'GET', '/studio/', { Cookie: `${cookieName(s.port)}=${studio.token}` });
      assert.equal(r.status, 503);
      assert.match(r.body, /npm run build/);
    } finally {
      await s.close({ graceMs: 50 });
    }
  });

  it('answers only clients on this machine unless allowRemote', () => {
    assert.equal(isLocalClient('127.0.0.1', '127.0.0.1'), true);
    assert.equal(isLocalClient('::1', '::1'), true);
    assert.equal(isLocalClient('::ffff:127.0.0.1', '::ffff:127.0.0.1'), true);
    assert.equal(isLocalClient('192.168.1.20', '192.168.1.10'), false);
    assert.equal(isLocalClient('192.168.1.10', '192.168.1.10'), true);
    assert.equal(isLocalClient(undefined, '127.0.0.1'), false);
    // The route itself is created without a server: it takes only what it is given.
    const routes = createStudioRoutes({
      backend: createStudioBackend({
        engine,
        info: () => ({ version: '0', mode: 'browser', region: 'us-east-1' }),
      }),
      token: 'abc',
    });
    assert.equal(routes.token, 'abc');
    assert.equal(routes.link('http://127.0.0.1:8000/'), 'http://127.0.0.1:8000/studio/?token=abc');
  });

  it('parses Host headers', () => {
    assert.deepEqual(parseHost('127.0.0.1:8000'), { name: '127.0.0.1', port: '8000' });
    assert.deepEqual(parseHost('[::1]:8000'), { name: '[::1]', port: '8000' });
    assert.deepEqual(parseHost('LocalHost'), { name: 'localhost', port: '' });
    assert.equal(hostAllowed('[::1]:8000', 8000), true);
    assert.equal(hostAllowed('myhost:8000', 8000), false);
    assert.equal(hostAllowed('myhost:8000', 8000, ['MyHost']), true);
    assert.equal(hostAllowed(undefined, 8000), false);
  });
});
