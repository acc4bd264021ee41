import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SigV4Verifier,
  authorizationHeader,
  computeSignature,
  toAmzDate,
} from '../../../main/server/sigv4.js';
import type { SignedRequest } from '../../../main/server/sigv4.js';

// The worked example of AWS's Signature Version 4 documentation (IAM ListUsers).
const EXAMPLE = {
  method: 'GET',
  url: '/?Action=ListUsers&Version=2010-05-08',
  headers: {
    host: 'iam.amazonaws.com',
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'x-amz-date': '20150830T123600Z',
  },
  body: '',
};
const EXAMPLE_SCOPE = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  service: 'iam',
};
const EXAMPLE_SIGNATURE = '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';
const EXAMPLE_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);

function rawHeaders(headers: Record<string, string>): string[] {
  return Object.entries(headers).flat();
}

function request(headers: Record<string, string>, body = '', url = '/', method = 'POST'): SignedRequest {
  return { method, url, rawHeaders: rawHeaders(headers), body: Buffer.from(body) };
}

const DDB_KEYS = new Map([['AKIDTEST', 'secret']]);
const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);

function signedDynamo(
  body: string,
  extra: Record<string, string> = {},
  date = NOW,
  secret = 'secret',
): Record<string, string> & { authorization: string } {
  const headers = {
    host: 'localhost:8000',
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.ListTables',
    'x-amz-date': toAmzDate(date),
    ...extra,
  };
  const authorization = authorizationHeader(
    { method: 'POST', url: '/', headers, body },
    { accessKeyId: 'AKIDTEST', secretAccessKey: secret, region: 'us-east-1' },
  );
  return { ...headers, authorization };
}

describe('SigV4 signing', () => {
  it('reproduces the signature of AWS’s documented example', () => {
    const auth = authorizationHeader(EXAMPLE, EXAMPLE_SCOPE);
    assert.equal(
      auth,
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${EXAMPLE_SIGNATURE}`,
    );
  });

  it('formats dates in the basic ISO-8601 form', () => {
    assert.equal(toAmzDate(EXAMPLE_TIME), '20150830T123600Z');
  });
});

describe('SigV4 verification', () => {
  it('accepts AWS’s documented example', () => {
    const verifier = new SigV4Verifier({
      keys: new Map([[EXAMPLE_SCOPE.accessKeyId, EXAMPLE_SCOPE.secretAccessKey]]),
      service: 'iam',
      now: () => EXAMPLE_TIME,
    });
    const headers = {
      ...EXAMPLE.headers,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${EXAMPLE_SIGNATURE}`,
    };
    assert.deepEqual(verifier.verify(request(headers, '', EXAMPLE.url, 'GET')), {
      ok: true,
      accessKeyId: 'AKIDEXAMPLE',
    });
    // One character of the query changed: the signature no longer holds.
    const other = verifier.verify(request(headers, '', '/?Action=ListUsers&Version=2010-05-09', 'GET'));
    assert.equal(other.ok, false);
  });

  const verifier = new SigV4Verifier({ keys: DDB_KEYS, now: () => NOW });

  it('accepts a correctly signed request and rejects a changed body', () => {
    assert.equal(verifier.verify(request(signedDynamo('{}'), '{}')).ok, true);
    const changed = verifier.verify(request(signedDynamo('{}'), '{ }'));
    assert.deepEqual(changed.ok ? undefined : changed.type, 'InvalidSignatureException');
  });

  it('signs header values with runs of spaces collapsed, repeated headers joined by commas', () => {
    const headers = signedDynamo('{}', { 'x-custom': 'a  b' });
    assert.equal(verifier.verify(request({ ...headers, 'x-custom': ' a b ' }, '{}')).ok, true);
    const joined = signedDynamo('{}', { 'x-multi': 'a,b' });
    const { 'x-multi': _m, ...rest } = joined;
    const raw = [...rawHeaders(rest), 'X-Multi', 'a', 'x-multi', 'b'];
    assert.equal(
      verifier.verify({ method: 'POST', url: '/', rawHeaders: raw, body: Buffer.from('{}') }).ok,
      true,
    );
  });

  it('names each failure as DynamoDB does', () => {
    const typeOf = (headers: Record<string, string>, body = '{}'): string => {
      const r = verifier.verify(request(headers, body));
      return r.ok ? 'ok' : `${r.type}: ${r.message}`;
    };
    assert.match(
      typeOf({ host: 'h' }),
      /^MissingAuthenticationTokenException: Request is missing Authentication Token$/,
    );
    assert.match(typeOf({ host: 'h', authorization: 'Basic abc' }), /^MissingAuthenticationTokenException/);
    assert.match(
      typeOf(signedDynamo('{}', {}, NOW, 'other')),
      /^InvalidSignatureException: The request signature we calculated/,
    );
    assert.match(
      typeOf(signedDynamo('{}', {}, NOW - 16 * 60_000)),
      /^InvalidSignatureException: Signature expired: /,
    );
    assert.match(
      typeOf(signedDynamo('{}', {}, NOW + 16 * 60_000)),
      /^InvalidSignatureException: Signature not yet current: /,
    );

    const good = signedDynamo('{}');
    const swap = (from: string, to: string) => ({
      ...good,
      authorization: good.authorization.replace(from, to),
    });
    assert.match(
      typeOf(swap('AKIDTEST', 'AKIDNOPE')),
      /^UnrecognizedClientException: The security token included/,
    );
    assert.match(
      typeOf(swap('/dynamodb/', '/s3/')),
      /^InvalidSignatureException: Credential should be scoped to correct service: 'dynamodb'/,
    );
    assert.match(
      typeOf(swap('aws4_request', 'aws5_request')),
      /^InvalidSignatureException: .*valid terminator/,
    );
    assert.match(
      typeOf(swap('/20250102/', '/20250101/')),
      /^InvalidSignatureException: Date in Credential scope does not match/,
    );
    assert.match(
      typeOf(swap('/us-east-1/', '/')),
      /^IncompleteSignatureException: Credential must have exactly 5 slash-delimited elements/,
    );
    assert.match(
      typeOf(swap('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA1')),
      /^IncompleteSignatureException: Unsupported AWS 'algorithm'/,
    );
    assert.match(
      typeOf(swap('content-type;host;', 'content-type;')),
      /^InvalidSignatureException: 'Host' must be a 'SignedHeader'/,
    );
    assert.match(
      typeOf(swap(/Signature=[0-9a-f]+/.exec(good.authorization)![0], 'Signature=xyz')),
      /^InvalidSignatureException/,
    );
    assert.match(
      typeOf({ ...good, 'x-amz-date': 'yesterday' }),
      /^IncompleteSignatureException: Date must be in ISO-8601 'basic format'/,
    );
    const { 'x-amz-date': _date, ...undated } = good;
    assert.match(typeOf(undated), /^IncompleteSignatureException: .*'X-Amz-Date' or a 'Date' header/);
    assert.match(typeOf({ ...good, 'x-amz-security-token': 't' }), /^UnrecognizedClientException/);
    assert.match(
      typeOf({ ...good, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }),
      /^InvalidSignatureException: The provided 'x-amz-content-sha256'/,
    );
  });

  it('accepts a presigned request (X-Amz-* query parameters)', () => {
    const date = toAmzDate(NOW);
    const credential = `AKIDTEST/${date.slice(0, 8)}/us-east-1/dynamodb/aws4_request`;
    const base = `/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(credential)}&X-Amz-Date=${date}&X-Amz-Expires=300&X-Amz-SignedHeaders=host`;
    const scope = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', region: 'us-east-1' };
    const signature = computeSignature(
      { method: 'POST', url: base, headers: { host: 'localhost:8000' }, body: '{}' },
      scope,
      date,
    );
    const url = `${base}&X-Amz-Signature=${signature}`;
    assert.equal(verifier.verify(request({ host: 'localhost:8000' }, '{}', url)).ok, true);

    const wrong = verifier.verify(
      request({ host: 'localhost:8000' }, '{}', `${base}&X-Amz-Signature=${'0'.repeat(64)}`),
    );
    assert.equal(wrong.ok ? 'ok' : wrong.type, 'InvalidSignatureException');
    const late = new SigV4Verifier({ keys: DDB_KEYS, now: () => NOW + 301_000 }).verify(
      request({ host: 'localhost:8000' }, '{}', url),
    );
    assert.match(late.ok ? '' : late.message, /^Signature expired/);
    const both = verifier.verify(request({ host: 'h', authorization: 'AWS4-HMAC-SHA256 x' }, '{}', base));
    assert.match(both.ok ? '' : both.message, /Found both 'X-Amz-Algorithm'/);
    const partial = verifier.verify(request({ host: 'h' }, '{}', '/?X-Amz-Algorithm=AWS4-HMAC-SHA256'));
    assert.match(
      partial.ok ? '' : `${partial.type}: ${partial.message}`,
      /^IncompleteSignatureException: AWS query-string parameters must include 'X-Amz-Credential'/,
    );
  });
});
