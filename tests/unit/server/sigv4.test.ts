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
      // IAM's example signs no X-Amz-Target: DynamoDB's own requirement is off for it.
      requiredSignedHeaders: [],
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
    const base = `/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(credential)}&X-Amz-Date=${date}&X-Amz-Expires=300&X-Amz-SignedHeaders=host%3Bx-amz-target`;
    const scope = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', region: 'us-east-1' };
    const headers = { host: 'localhost:8000', 'x-amz-target': 'DynamoDB_20120810.ListTables' };
    const signature = computeSignature({ method: 'POST', url: base, headers, body: '{}' }, scope, date);
    const url = `${base}&X-Amz-Signature=${signature}`;
    assert.equal(verifier.verify(request(headers, '{}', url)).ok, true);

    const wrong = verifier.verify(request(headers, '{}', `${base}&X-Amz-Signature=${'0'.repeat(64)}`));
    assert.equal(wrong.ok ? 'ok' : wrong.type, 'InvalidSignatureException');
    const late = new SigV4Verifier({ keys: DDB_KEYS, now: () => NOW + 301_000 }).verify(
      request(headers, '{}', url),
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

/** A presigned URL for `headers`, with the given X-Amz-Expires (raw text) and signed headers. */
function presign(
  headers: Record<string, string>,
  expires: string,
  signed = 'host;x-amz-target',
  date = NOW,
): string {
  const amzDate = toAmzDate(date);
  const credential = `AKIDTEST/${amzDate.slice(0, 8)}/us-east-1/dynamodb/aws4_request`;
  const base = `/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(credential)}&X-Amz-Date=${amzDate}&X-Amz-Expires=${encodeURIComponent(expires)}&X-Amz-SignedHeaders=${encodeURIComponent(signed)}`;
  const signedOnly = Object.fromEntries(signed.split(';').map((name) => [name, headers[name] ?? '']));
  const signature = computeSignature(
    { method: 'POST', url: base, headers: signedOnly, body: '{}' },
    { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', region: 'us-east-1' },
    amzDate,
  );
  return `${base}&X-Amz-Signature=${signature}`;
}

describe('SigV4: what a DynamoDB signature must cover', () => {
  const verifier = new SigV4Verifier({ keys: DDB_KEYS, now: () => NOW });
  const outcome = (r: ReturnType<SigV4Verifier['verify']>): string =>
    r.ok ? 'ok' : `${r.type}: ${r.message}`;

  /** Signs only `names` of the DynamoDB request's headers, and sends them all. */
  function signingOnly(names: string[], extra: Record<string, string> = {}): Record<string, string> {
    const all: Record<string, string> = {
      host: 'localhost:8000',
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.GetItem',
      'x-amz-date': toAmzDate(NOW),
      ...extra,
    };
    const signed = Object.fromEntries(names.sort().map((n) => [n, all[n]!]));
    const date = all['x-amz-date']!;
    const signature = computeSignature(
      { method: 'POST', url: '/', headers: signed, body: '{}' },
      { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', region: 'us-east-1' },
      date,
    );
    const authorization = `AWS4-HMAC-SHA256 Credential=AKIDTEST/${date.slice(0, 8)}/us-east-1/dynamodb/aws4_request, SignedHeaders=${names.join(';')}, Signature=${signature}`;
    return { ...all, authorization };
  }

  it('refuses a signature that leaves X-Amz-Target out (a GetItem replayed as a DeleteItem)', () => {
    const headers = signingOnly(['host', 'x-amz-date', 'content-type']);
    assert.equal(
      outcome(verifier.verify(request({ ...headers, 'x-amz-target': 'DynamoDB_20120810.DeleteItem' }, '{}'))),
      "InvalidSignatureException: 'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  it('refuses a signature that leaves X-Amz-Date or Content-Type out', () => {
    assert.equal(
      outcome(verifier.verify(request(signingOnly(['host', 'x-amz-target', 'content-type']), '{}'))),
      "InvalidSignatureException: 'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
    );
    assert.equal(
      outcome(verifier.verify(request(signingOnly(['host', 'x-amz-date', 'x-amz-target']), '{}'))),
      "InvalidSignatureException: 'Content-Type' must be a 'SignedHeader' in the AWS Authorization.",
    );
    // Content-Type is required only when the request has one.
    const { 'content-type': _ct, ...untyped } = signingOnly(['host', 'x-amz-date', 'x-amz-target']);
    assert.equal(outcome(verifier.verify(request(untyped, '{}'))), 'ok');
    assert.equal(
      outcome(
        verifier.verify(request(signingOnly(['content-type', 'host', 'x-amz-date', 'x-amz-target']), '{}')),
      ),
      'ok',
    );
  });

  it('requires a presigned request to sign X-Amz-Target too', () => {
    const headers = { host: 'localhost:8000', 'x-amz-target': 'DynamoDB_20120810.ListTables' };
    assert.equal(
      outcome(verifier.verify(request(headers, '{}', presign(headers, '300', 'host')))),
      "InvalidSignatureException: 'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  it('refuses a non-numeric X-Amz-Expires, and one over 7 days', () => {
    const headers = { host: 'localhost:8000', 'x-amz-target': 'DynamoDB_20120810.ListTables' };
    for (const expires of ['soon', '1e9', '-5', '', '12.5']) {
      assert.equal(
        outcome(verifier.verify(request(headers, '{}', presign(headers, expires)))),
        'IncompleteSignatureException: X-Amz-Expires should be a number',
        expires,
      );
    }
    assert.match(
      outcome(verifier.verify(request(headers, '{}', presign(headers, '604801')))),
      /^IncompleteSignatureException: X-Amz-Expires must be less than a week/,
    );
    // A week exactly is still valid, a day after the signing date included.
    const later = new SigV4Verifier({ keys: DDB_KEYS, now: () => NOW + 86_400_000 });
    assert.equal(outcome(later.verify(request(headers, '{}', presign(headers, '604800')))), 'ok');
  });

  it('accepts only the regions the endpoint serves (today: its --region)', () => {
    const served = new SigV4Verifier({
      keys: DDB_KEYS,
      now: () => NOW,
      servesRegion: (r) => r === 'us-east-1',
    });
    assert.equal(outcome(served.verify(request(signedDynamo('{}'), '{}'))), 'ok');
    const elsewhere = signingOnly(['content-type', 'host', 'x-amz-date', 'x-amz-target']);
    const moved = {
      ...elsewhere,
      authorization: elsewhere.authorization.replace('/us-east-1/', '/eu-west-1/'),
    };
    assert.equal(
      outcome(served.verify(request(moved, '{}'))),
      "InvalidSignatureException: Credential should be scoped to a valid region, not 'eu-west-1'.",
    );
  });

  it('accepts only the dynamodb service (the Streams API signs as dynamodb too)', () => {
    const good = signedDynamo('{}');
    for (const service of ['streams.dynamodb', 'dynamodbstreams', 's3']) {
      const r = verifier.verify(
        request({ ...good, authorization: good.authorization.replace('/dynamodb/', `/${service}/`) }, '{}'),
      );
      assert.match(outcome(r), /Credential should be scoped to correct service: 'dynamodb'/, service);
    }
  });
});
