// AWS Signature Version 4, as DynamoDB checks it: the Authorization header (or the X-Amz-* query
// parameters of a presigned request), the credential scope, the signed headers and the body hash.
// Failures carry DynamoDB's error names: MissingAuthenticationTokenException (no credentials at
// all), IncompleteSignatureException (a malformed signature), InvalidSignatureException (a wrong or
// expired one) and UnrecognizedClientException (an unknown access key).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** How far a request's date may be from the server's clock, as AWS allows. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** The longest a presigned request may stay valid (X-Amz-Expires): a week, as SigV4 allows. */
export const MAX_PRESIGNED_EXPIRY_S = 7 * 24 * 60 * 60;
/**
 * Headers a DynamoDB signature must cover besides `host` and the date: without X-Amz-Target among
 * them, a captured GetItem would replay as a DeleteItem. Content-Type too, when the request has one.
 */
export const DYNAMODB_SIGNED_HEADERS: readonly string[] = ['x-amz-target'];

export type AuthErrorType =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException';

export interface AuthFailure {
  readonly ok: false;
  readonly type: AuthErrorType;
  readonly message: string;
}

export interface AuthSuccess {
  readonly ok: true;
  readonly accessKeyId: string;
}

/** What the verifier needs of an HTTP request. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query exactly as received (`req.url`). */
  readonly url: string;
  /** Alternating header names and values, as node:http's `rawHeaders`. */
  readonly rawHeaders: readonly string[];
  readonly body: Uint8Array;
}

export interface SigV4VerifierOptions {
  /** Access key id → secret access key. */
  readonly keys: ReadonlyMap<string, string>;
  /**
   * The signing name the credential scope must name. DynamoDB and its Streams API both sign as
   * `dynamodb` (the Streams SDK clients' signing name), so one verifier serves both.
   */
  readonly service?: string;
  /**
   * Whether the credential scope may name `region` (any well-formed region by default). The
   * endpoint admits the regions it serves: today its --region; this is the seam for per-region
   * namespaces.
   */
  readonly servesRegion?: (region: string) => boolean;
  /**
   * Headers that must be signed besides `host`, the date header and (when sent) `content-type`.
   * Default DYNAMODB_SIGNED_HEADERS.
   */
  readonly requiredSignedHeaders?: readonly string[];
  /** The clock, in epoch milliseconds. */
  readonly now?: () => number;
}

const fail = (type: AuthErrorType, message: string): AuthFailure => ({ ok: false, type, message });

export class SigV4Verifier {
  private readonly keys: ReadonlyMap<string, string>;
  private readonly service: string;
  private readonly servesRegion: (region: string) => boolean;
  private readonly requiredSignedHeaders: readonly string[];
  private readonly now: () => number;
  private readonly signingKeys = new Map<string, Buffer>();

  constructor(options: SigV4VerifierOptions) {
    this.keys = options.keys;
    this.service = options.service ?? 'dynamodb';
    this.servesRegion = options.servesRegion ?? (() => true);
    this.requiredSignedHeaders = options.requiredSignedHeaders ?? DYNAMODB_SIGNED_HEADERS;
    this.now = options.now ?? Date.now;
  }

  verify(req: SignedRequest): AuthFailure | AuthSuccess {
    const headers = headerMap(req.rawHeaders);
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const query = q < 0 ? '' : req.url.slice(q + 1);
    const queryParams = parseQuery(query);
    const authorization = headers.get('authorization');
    const presigned = queryParams.some(([k]) => k === 'X-Amz-Algorithm');

    if (authorization !== undefined && presigned) {
      return fail(
        'InvalidSignatureException',
        "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
      );
    }

    let algorithm: string;
    let credential: string | undefined;
    let signedHeaderList: string | undefined;
    let signature: string | undefined;
    let amzDate: string | undefined;
    // The header the date came from, which the signature must cover (none for a presigned URL,
    // whose X-Amz-Date is a query parameter and so signed with the query).
    let dateHeader: string | undefined;

    if (authorization !== undefined) {
      const trimmed = authorization.trim();
      if (!trimmed.startsWith('AWS4-')) {
        return fail('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
      }
      const space = trimmed.indexOf(' ');
      algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
      const params = new Map<string, string>();
      for (const part of (space < 0 ? '' : trimmed.slice(space + 1)).split(/[,\s]+/)) {
        const eq = part.indexOf('=');
        if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1));
      }
      credential = params.get('Credential');
      signedHeaderList = params.get('SignedHeaders');
      signature = params.get('Signature');
      dateHeader = headers.has('x-amz-date') ? 'x-amz-date' : 'date';
      amzDate = headers.get('x-amz-date') ?? fromHttpDate(headers.get('date'));
      let missing = '';
      for (const [name, value] of [
        ['Credential', credential],
        ['Signature', signature],
        ['SignedHeaders', signedHeaderList],
      ] as const) {
        if (!value) missing += `Authorization header requires '${name}' parameter. `;
      }
      if (amzDate === undefined) {
        missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
      }
      if (missing) return fail('IncompleteSignatureException', `${missing}Authorization=${authorization}`);
    } else if (presigned) {
      const get = (name: string): string | undefined => queryParams.find(([k]) => k === name)?.[1];
      algorithm = get('X-Amz-Algorithm') ?? '';
      credential = get('X-Amz-Credential');
      signedHeaderList = get('X-Amz-SignedHeaders');
      signature = get('X-Amz-Signature');
      amzDate = get('X-Amz-Date');
      let missing = '';
      for (const name of [
        'X-Amz-Algorithm',
        'X-Amz-Credential',
        'X-Amz-Signature',
        'X-Amz-SignedHeaders',
        'X-Amz-Date',
      ]) {
        if (!get(name)) missing += `AWS query-string parameters must include '${name}'. `;
      }
      if (missing)
        return fail('IncompleteSignatureException', `${missing}Re-examine the query-string parameters.`);
    } else {
      return fail('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
    }

    if (algorithm !== SIGV4_ALGORITHM) {
      return fail(
        'IncompleteSignatureException',
        `Unsupported AWS 'algorithm': '${algorithm}' (only ${SIGV4_ALGORITHM} for now). `,
      );
    }
    // Narrowed above: each of these was checked to be present.
    const cred = credential!;
    const sig = signature!;
    const date = amzDate!;
    const signedHeaders = signedHeaderList!;

    const requestTime = parseAmzDate(date);
    if (requestTime === undefined) {
      return fail(
        'IncompleteSignatureException',
        `Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      );
    }
    const now = this.now();
    if (presigned) {
      const expiresParam = queryParams.find(([k]) => k === 'X-Amz-Expires')?.[1];
      // Without X-Amz-Expires a presigned request lasts as long as a header signature.
      let expires = MAX_CLOCK_SKEW_MS / 1000;
      if (expiresParam !== undefined) {
        if (!/^\d{1,15}$/.test(expiresParam)) {
          return fail('IncompleteSignatureException', 'X-Amz-Expires should be a number');
        }
        expires = Number(expiresParam);
        if (expires > MAX_PRESIGNED_EXPIRY_S) {
          return fail(
            'IncompleteSignatureException',
            `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_PRESIGNED_EXPIRY_S} seconds`,
          );
        }
      }
      if (now > requestTime + expires * 1000) {
        return fail(
          'InvalidSignatureException',
          `Signature expired: ${date} is now earlier than ${toAmzDate(now - expires * 1000)}.`,
        );
      }
    } else if (requestTime < now - MAX_CLOCK_SKEW_MS) {
      return fail(
        'InvalidSignatureException',
        `Signature expired: ${date} is now earlier than ${toAmzDate(now - MAX_CLOCK_SKEW_MS)} (${toAmzDate(now)} - 15 min.)`,
      );
    }
    if (requestTime > now + MAX_CLOCK_SKEW_MS) {
      return fail(
        'InvalidSignatureException',
        `Signature not yet current: ${date} is still later than ${toAmzDate(now + MAX_CLOCK_SKEW_MS)} (${toAmzDate(now)} + 15 min.)`,
      );
    }

    const signedNames = signedHeaders.split(';');
    if (!signedNames.includes('host')) {
      return fail('InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    }
    const required = [
      ...(dateHeader !== undefined ? [dateHeader] : []),
      ...this.requiredSignedHeaders,
      ...(headers.has('content-type') ? ['content-type'] : []),
    ];
    for (const name of required) {
      if (!signedNames.includes(name)) {
        return fail(
          'InvalidSignatureException',
          `'${displayName(name)}' must be a 'SignedHeader' in the AWS Authorization.`,
        );
      }
    }

    const scope = cred.replace(/\/+$/, '').split('/');
    if (scope.length !== 5) {
      return fail(
        'IncompleteSignatureException',
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${cred}'`,
      );
    }
    const [accessKeyId, scopeDate, region, service, terminator] = scope as [
      string,
      string,
      string,
      string,
      string,
    ];
    let scopeProblems = '';
    if (!/^[a-z0-9-]+$/.test(region) || !this.servesRegion(region))
      scopeProblems += `Credential should be scoped to a valid region, not '${region}'. `;
    if (service !== this.service)
      scopeProblems += `Credential should be scoped to correct service: '${this.service}'. `;
    if (terminator !== 'aws4_request') {
      scopeProblems += `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `;
    }
    if (scopeDate !== date.slice(0, 8)) {
      scopeProblems += `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${date.slice(0, 8)}', from '${date}'.`;
    }
    if (scopeProblems) return fail('InvalidSignatureException', scopeProblems.trim());

    const secret = this.keys.get(accessKeyId);
    if (secret === undefined) {
      return fail('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (headers.has('x-amz-security-token') || queryParams.some(([k]) => k === 'X-Amz-Security-Token')) {
      // Sortkey issues no temporary credentials, so no session token can be valid.
      return fail('UnrecognizedClientException', 'The security token included in the request is invalid');
    }

    const bodyHash = sha256Hex(req.body);
    const declaredHash = headers.get('x-amz-content-sha256');
    if (declaredHash !== undefined && declaredHash !== bodyHash) {
      return fail(
        'InvalidSignatureException',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }

    const canonicalQuery = canonicalQueryString(
      presigned ? queryParams.filter(([k]) => k !== 'X-Amz-Signature') : queryParams,
    );
    const canonical = canonicalRequest(req.method, path, canonicalQuery, signedNames, headers, bodyHash);
    const stringToSign = `${SIGV4_ALGORITHM}\n${date}\n${scopeDate}/${region}/${service}/${terminator}\n${sha256Hex(canonical)}`;
    const expected = createHmac('sha256', this.signingKey(secret, scopeDate, region, service))
      .update(stringToSign)
      .digest();
    const given = /^[0-9a-f]{64}$/.test(sig) ? Buffer.from(sig, 'hex') : undefined;
    if (!given || !timingSafeEqual(expected, given)) {
      return fail(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    }
    return { ok: true, accessKeyId };
  }

  private signingKey(secret: string, date: string, region: string, service: string): Buffer {
    const cacheKey = `${secret}\0${date}\0${region}\0${service}`;
    let key = this.signingKeys.get(cacheKey);
    if (!key) {
      key = deriveSigningKey(secret, date, region, service);
      if (this.signingKeys.size > 64) this.signingKeys.clear();
      this.signingKeys.set(cacheKey, key);
    }
    return key;
  }
}

// ---- Signing (used by tests and by clients that do not go through the AWS SDK) ----

export interface SignInput {
  readonly method: string;
  readonly url: string;
  /** Headers to sign; must include `host` and `x-amz-date`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | string;
}

export interface SignScope {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  readonly service?: string;
}

/**
 * The hex SigV4 signature of a request dated `amzDate`, signing every header in `input.headers`.
 * For a presigned URL, put the X-Amz-* parameters (all but X-Amz-Signature) in `input.url`.
 */
export function computeSignature(input: SignInput, scope: SignScope, amzDate: string): string {
  const service = scope.service ?? 'dynamodb';
  const headers = new Map<string, string>();
  for (const [k, v] of Object.entries(input.headers)) headers.set(k.toLowerCase(), v);
  const names = [...headers.keys()].sort();
  const q = input.url.indexOf('?');
  const path = q < 0 ? input.url : input.url.slice(0, q);
  const query = canonicalQueryString(parseQuery(q < 0 ? '' : input.url.slice(q + 1)));
  const body = typeof input.body === 'string' ? Buffer.from(input.body) : input.body;
  const canonical = canonicalRequest(input.method, path, query, names, headers, sha256Hex(body));
  const day = amzDate.slice(0, 8);
  const stringToSign = `${SIGV4_ALGORITHM}\n${amzDate}\n${day}/${scope.region}/${service}/aws4_request\n${sha256Hex(canonical)}`;
  return createHmac('sha256', deriveSigningKey(scope.secretAccessKey, day, scope.region, service))
    .update(stringToSign)
    .digest('hex');
}

/** The Authorization header value for a request whose headers include `host` and `x-amz-date`. */
export function authorizationHeader(input: SignInput, scope: SignScope): string {
  const date = Object.entries(input.headers).find(([k]) => k.toLowerCase() === 'x-amz-date')?.[1];
  if (!date) throw new Error('authorizationHeader: the x-amz-date header is required');
  const names = Object.keys(input.headers)
    .map((k) => k.toLowerCase())
    .sort();
  const signature = computeSignature(input, scope, date);
  const credentialScope = `${date.slice(0, 8)}/${scope.region}/${scope.service ?? 'dynamodb'}/aws4_request`;
  return `${SIGV4_ALGORITHM} Credential=${scope.accessKeyId}/${credentialScope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}

/** Epoch milliseconds → `YYYYMMDDTHHMMSSZ`. */
export function toAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// ---- Canonicalisation shared by signing and verifying ----

function canonicalRequest(
  method: string,
  path: string,
  query: string,
  signedNames: readonly string[],
  headers: ReadonlyMap<string, string>,
  payloadHash: string,
): string {
  let canonicalHeaders = '';
  for (const name of signedNames) {
    canonicalHeaders += `${name}:${(headers.get(name) ?? '').trim().replace(/\s+/g, ' ')}\n`;
  }
  return `${method}\n${canonicalUri(path)}\n${query}\n${canonicalHeaders}\n${signedNames.join(';')}\n${payloadHash}`;
}

/** The path, normalised and URI-encoded once more (non-S3 services sign the double-encoded path). */
function canonicalUri(path: string): string {
  if (path === '/' || path === '') return '/';
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEscape(segment));
  }
  const joined = `/${segments.join('/')}`;
  return segments.length > 0 && path.endsWith('/') ? `${joined}/` : joined;
}

function canonicalQueryString(params: ReadonlyArray<readonly [string, string]>): string {
  if (params.length === 0) return '';
  return params
    .map(([k, v]) => [uriEscape(k), uriEscape(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function parseQuery(query: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (!query) return out;
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    out.push(
      eq < 0 ? [safeDecode(part), ''] : [safeDecode(part.slice(0, eq)), safeDecode(part.slice(eq + 1))],
    );
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** RFC 3986 percent-encoding: everything but unreserved characters. */
function uriEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Lower-cased header name → values joined by commas (SigV4's rule for repeated headers). */
function headerMap(rawHeaders: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!.trim();
    const prev = map.get(name);
    map.set(name, prev === undefined ? value : `${prev},${value}`);
  }
  return map;
}

function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function parseAmzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A lower-case header name as AWS spells it in messages: `x-amz-target` → `X-Amz-Target`. */
function displayName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** An HTTP `Date` header (RFC 7231) in SigV4's basic format, or undefined. */
function fromHttpDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : toAmzDate(ms);
}

/** Who signed a request, as its credential scope says: the access key id and the region. */
export interface SignedScope {
  readonly accessKeyId: string;
  readonly region: string;
}

const CREDENTIAL_IN_HEADER = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\//;
const CREDENTIAL_IN_QUERY = /[?&]X-Amz-Credential=([^%/&]+)(?:%2F|\/)\d{8}(?:%2F|\/)([a-z0-9-]+)(?:%2F|\/)/;

/**
 * The access key and region a request's SigV4 credential scope names (Authorization header or
 * presigned query), or undefined when it carries none. Not a verification: the endpoint serves
 * unsigned-for-real requests too (without --auth any signature is accepted), and the region only
 * picks the namespace of tables, as DynamoDB's regional endpoints do.
 */
export function signedScope(
  authorization: string | undefined,
  url: string | undefined,
): SignedScope | undefined {
  const m =
    authorization !== undefined
      ? CREDENTIAL_IN_HEADER.exec(authorization)
      : url !== undefined && url.includes('X-Amz-Credential')
        ? CREDENTIAL_IN_QUERY.exec(url)
        : null;
  return m ? { accessKeyId: decodeURIComponent(m[1]!), region: m[2]! } : undefined;
}
