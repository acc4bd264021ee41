// What the endpoint makes of a request before the engine sees it: the JSON body (strict UTF-8, no
// lone surrogates), Content-Encoding, Accept-Encoding and the Host guard.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateSync, gzipSync } from 'node:zlib';
import { NOT_JSON, decodeBody, parseJsonBody, requestEncoding } from '../../../main/server/body.js';
import type { DecodeFailure } from '../../../main/server/body.js';
import { responseEncoding } from '../../../main/server/compression.js';
import { createHostGuard, parseAllowedHosts, splitHost } from '../../../main/server/hosts.js';

describe('request bodies', () => {
  it('parses JSON, with escapes and surrogate pairs', () => {
    assert.deepEqual(parseJsonBody(Buffer.from('{"a":"x\\ufffd","b":"\\ud83d\\ude00","c":"é"}')), {
      a: 'x\ufffd',
      b: '😀',
      c: 'é',
    });
    // A backslash followed by the letters u d 8 0 0 is text, not an escape.
    assert.deepEqual(parseJsonBody(Buffer.from('{"a":"\\\\ud800"}')), { a: '\\ud800' });
    assert.deepEqual(parseJsonBody(Buffer.from('{"a":"\\\\\\\\udc00x"}')), { a: '\\\\udc00x' });
    assert.deepEqual(parseJsonBody(Buffer.from('{"\\ud83d\\ude00":["\\uD83D\\uDE00"]}')), { '😀': ['😀'] });
  });

  it('refuses lone surrogates anywhere: values, nested values, keys', () => {
    for (const text of [
      '{"pk":{"S":"x\\ud800"}}',
      '{"pk":{"S":"x\\udbff"}}',
      '{"pk":{"S":"x\\uDC00y"}}',
      '{"pk":{"S":"\\ude00\\ud83d"}}',
      '{"Item":{"l":{"L":[{"S":"ok"},{"M":{"n":{"S":"\\ud800"}}}]}}}',
      '{"Item":{"x\\ud800":{"S":"v"}}}',
      '{"a":"\\\\\\ud800"}',
      '{"a":"\\ud800\\\\ud800"}',
      '{"a":"\\ud800\\u0041"}',
    ]) {
      assert.equal(parseJsonBody(Buffer.from(text)), NOT_JSON, text);
    }
  });

  it('refuses bodies that are not UTF-8 instead of transcoding them', () => {
    for (const bytes of [
      [0x78, 0xff],
      [0x78, 0xfe],
      [0xed, 0xa0, 0x80], // a surrogate encoded in UTF-8
      [0xc3], // truncated sequence
    ]) {
      const body = Buffer.concat([Buffer.from('{"pk":{"S":"'), Buffer.from(bytes), Buffer.from('"}}')]);
      assert.equal(parseJsonBody(body), NOT_JSON, Buffer.from(bytes).toString('hex'));
    }
  });

  it('refuses what is not JSON', () => {
    for (const text of ['{', 'nope', '{"a":1}}', '\ufeff{}']) {
      assert.equal(parseJsonBody(Buffer.from(text)), NOT_JSON, text);
    }
  });

  it('refuses a lone surrogate deep in nested values', () => {
    const depth = 100_000;
    const text = `${'['.repeat(depth)}"\\ud800"${']'.repeat(depth)}`;
    let parsed: unknown;
    try {
      parsed = parseJsonBody(Buffer.from(text));
    } catch (e) {
      // JSON.parse itself may give up on this depth; the check must never be what throws.
      assert.ok(e instanceof RangeError);
      return;
    }
    assert.equal(parsed, NOT_JSON);
  });
});

describe('Content-Encoding of requests', () => {
  it('knows gzip, deflate and identity, and nothing else', () => {
    assert.equal(requestEncoding(undefined), 'identity');
    assert.equal(requestEncoding('identity'), 'identity');
    assert.equal(requestEncoding(' GZIP '), 'gzip');
    assert.equal(requestEncoding('deflate'), 'deflate');
    for (const other of ['br', 'zstd', 'gzip, deflate', 'compress', 'garbage']) {
      assert.equal(requestEncoding(other), undefined, other);
    }
  });

  const decode = (body: Buffer, encoding: 'gzip' | 'deflate', max: number) =>
    new Promise<Buffer | DecodeFailure>((resolve) => decodeBody(body, encoding, max, resolve));

  it('decodes gzip (several members too) and deflate', async () => {
    const text = '{"TableName":"t"}';
    assert.equal(String(await decode(gzipSync(text), 'gzip', 1000)), text);
    assert.equal(String(await decode(deflateSync(text), 'deflate', 1000)), text);
    const twoMembers = Buffer.concat([gzipSync('{"a":'), gzipSync('1}')]);
    assert.equal(String(await decode(twoMembers, 'gzip', 1000)), '{"a":1}');
  });

  it('calls plain, truncated or empty data corrupt', async () => {
    assert.equal(await decode(Buffer.from('{}'), 'gzip', 1000), 'corrupt');
    assert.equal(await decode(gzipSync('{"a":1}').subarray(0, 10), 'gzip', 1000), 'corrupt');
    assert.equal(await decode(Buffer.alloc(0), 'gzip', 1000), 'corrupt');
    assert.equal(await decode(gzipSync('{}'), 'deflate', 1000), 'corrupt');
  });

  it('stops a body that inflates past the bound', async () => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20));
    assert.ok(bomb.length < 20_000);
    assert.equal(await decode(bomb, 'gzip', 1024 * 1024), 'too-large');
    assert.equal((await decode(gzipSync(Buffer.alloc(1000)), 'gzip', 1000)).length, 1000);
    assert.equal(await decode(gzipSync(Buffer.alloc(1001)), 'gzip', 1000), 'too-large');
  });
});

describe('Accept-Encoding of responses', () => {
  // The cases DynamoDB was observed to answer (ScyllaDB's Alternator tests, run against it).
  const cases: Array<[string | undefined, string | undefined]> = [
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['br', undefined],
    ['x-gzip', undefined],
    ['gzip', 'gzip'],
    ['deflate', 'deflate'],
    ['gzip, deflate', 'gzip'],
    ['br, identity, deflate, gzip', 'deflate'],
    ['GZIP, identity', 'gzip'],
    ['dog, gzip ,, cat', 'gzip'],
    ['gzip;q=0.8, deflate;q=0.5', 'gzip'],
    ['br, gzip;q=0, deflate; q = 0.5 , identity;q=0', 'deflate'],
    ['*', 'gzip'],
    ['*, deflate;q=0.5', 'gzip'],
    ['*, deflate', 'deflate'],
    ['*, identity', 'gzip'],
    ['*, gzip;q=0.5', 'deflate'],
    ['gzip ;q=0', undefined],
    ['identity;q=0', undefined],
    ['*;q=0', undefined],
    ['*;q=0.5,identity', 'gzip'],
    ['gzip;q=0.5,identity;q=0.8', 'gzip'],
    ['br;q=0.8,identity;q=0.5,*;q=0', undefined],
    ['"gzip"', undefined],
    ['gzip br', undefined],
    ['gzip:q=1', undefined],
    ['deflate;q=0.5, gzip;q=31', 'gzip'],
    ['gzip;q=31,deflate;q=51', 'gzip'],
    ['deflate;q=0.5, gzip;q=0.2', 'deflate'],
    ['deflate;q=0.5, gzip;q=1;q=0.2', 'gzip'],
    ['deflate;q=0.5,gzip;q=0.', 'deflate'],
    ['deflate;q=0.5,gzip;q=0.x', 'gzip'],
    ['deflate;q=-0.5,gzip;q=0.2', 'gzip'],
    ['gzip;nq=1;q=0 ', undefined],
    ['gzip;q=0, gzip;q=1, gzip;q=0', 'gzip'],
    ['br,identity;q=0.5,gzip;q=0.0001', 'gzip'],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} → ${expected ?? 'uncompressed'}`, () => {
      assert.equal(responseEncoding(header), expected);
    });
  }
});

describe('the Host guard (DNS rebinding)', () => {
  const guard = (allowedHosts?: string[], anyHost = false) =>
    createHostGuard({ port: () => 8000, allowedHosts, anyHost });

  it('accepts the loopback names with the endpoint’s port or none, and nothing else', () => {
    const g = guard();
    for (const host of [
      'localhost:8000',
      '127.0.0.1:8000',
      '[::1]:8000',
      'LOCALHOST:8000',
      'localhost',
      undefined,
    ]) {
      assert.equal(g.allows(host), true, host);
    }
    for (const host of [
      'evil.example:8000',
      'evil.example',
      'localhost:8001',
      '127.0.0.2:8000',
      'localhost.evil.example:8000',
      '[::2]:8000',
      '',
    ]) {
      assert.equal(g.allows(host), false, host);
    }
  });

  it('adds --allowed-hosts names, with any port unless one is given', () => {
    const g = guard(parseAllowedHosts('dynamodb, db:9000'));
    assert.equal(g.allows('dynamodb:8000'), true);
    assert.equal(g.allows('DynamoDB:1234'), true);
    assert.equal(g.allows('db:9000'), true);
    assert.equal(g.allows('db:8000'), false);
    assert.equal(g.allows('evil.example:8000'), false);
    assert.equal(g.allows('localhost:8000'), true);
  });

  it('accepts any Host with `*` or when told to', () => {
    assert.equal(guard(['*']).allows('evil.example:8000'), true);
    assert.equal(guard(undefined, true).allows('evil.example:8000'), true);
  });

  it('names the flag in its refusal', () => {
    assert.match(guard().refusal('evil.example:8000'), /--allowed-hosts evil\.example/);
  });

  it('splits Host headers and checks --allowed-hosts entries', () => {
    assert.deepEqual(splitHost('[::1]:8000'), { name: '[::1]', port: '8000' });
    assert.deepEqual(splitHost('Db:80'), { name: 'db', port: '80' });
    assert.deepEqual(splitHost('fe80::1'), { name: '[fe80::1]', port: '' });
    assert.throws(() => parseAllowedHosts('http://x'), /invalid --allowed-hosts entry 'http:\/\/x'/);
    assert.throws(() => parseAllowedHosts('a b'), /invalid --allowed-hosts entry/);
    assert.deepEqual(parseAllowedHosts(' a , ,[::1]:8000,*'), ['a', '[::1]:8000', '*']);
  });
});
