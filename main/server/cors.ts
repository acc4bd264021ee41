// Cross-origin access, off unless `--cors ORIGINS` is given: browsers on the listed origins (or any,
// with `*`) may call the endpoint and read the checksum and request-id headers.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface CorsPolicy {
  readonly anyOrigin: boolean;
  readonly origins: ReadonlySet<string>;
}

const ALLOW_METHODS = 'GET, POST, OPTIONS';
const EXPOSE_HEADERS = 'x-amz-crc32, x-amzn-RequestId';
const DEFAULT_ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'x-amz-date',
  'x-amz-target',
  'x-amz-user-agent',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
].join(', ');

/** Parses `*` or a comma-separated list of origins (`http://localhost:3000,https://app.test`). */
export function parseCors(spec: string | readonly string[]): CorsPolicy {
  const list = (typeof spec === 'string' ? spec.split(',') : spec)
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  return { anyOrigin: list.includes('*'), origins: new Set(list.filter((o) => o !== '*')) };
}

function allowedOrigin(policy: CorsPolicy, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  if (policy.anyOrigin) return '*';
  return policy.origins.has(origin) ? origin : undefined;
}

/**
 * Adds CORS headers to the response of a request with an allowed Origin. Returns true when the
 * request was a preflight (OPTIONS) and has been answered.
 */
export function applyCors(policy: CorsPolicy, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  const allowed = allowedOrigin(policy, origin);
  if (allowed !== undefined) {
    res.setHeader('Access-Control-Allow-Origin', allowed);
    if (allowed !== '*') res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
  }
  if (req.method !== 'OPTIONS') return false;
  if (allowed !== undefined) {
    res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
    res.setHeader(
      'Access-Control-Allow-Headers',
      req.headers['access-control-request-headers'] ?? DEFAULT_ALLOW_HEADERS,
    );
    res.setHeader('Access-Control-Max-Age', '86400');
  }
  // A preflight from an origin that is not allowed still gets an empty answer, without the
  // Allow-* headers, which is how the browser learns it may not proceed.
  res.writeHead(204, { 'Content-Length': '0' });
  res.end();
  req.resume();
  return true;
}
