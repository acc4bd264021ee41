// Browser mode: the studio on the endpoint's own port.
//
//   GET  /               a browser (Accept: text/html) is redirected to /studio/; everything else
//                        keeps DynamoDB's answer (the route passes it on)
//   GET  /studio/?token=T  exchanges this run's token for a cookie, then redirects to /studio/
//   GET  /studio/        the app (needs the cookie); /studio/assets/… its built files
//   POST /studio/api/M   backend method M (needs the cookie or an X-Sortkey-Token header)
//   POST /studio/api/dump-upload   an import's input, the raw body (X-Sortkey-Upload header: a
//                        custom header, so no cross-site form can send it); answers {"upload": id}
//   GET  /studio/api/dump/ID[/rejects]  an export's file (or an import's rejected records)
//
// Guards: only clients on this machine (unless allowRemote), a Host header naming a loopback address
// and the port the request came in on (DNS rebinding), a same-origin Origin on API calls, a JSON
// content type (no cross-site form posts), and the per-start token (cookie: HttpOnly, SameSite=Strict,
// one name per port).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';
import { warmUpParser } from '../../grammar/partiql/index.js';
import type { RouteHandler } from '../server/index.js';
import { STUDIO_CSP, contentTypeOf, defaultAssetsDir, studioBuilt } from './assets.js';
import type { StudioBackendImpl } from './backend.js';
import { dumpJobsOf, invokeBackend, toErrorShape } from './backend.js';

export const STUDIO_PREFIX = '/studio/';
export const API_PREFIX = '/studio/api/';
export const TOKEN_HEADER = 'x-sortkey-token';
const MAX_API_BODY = 16 * 1024 * 1024;

export interface StudioRoutesOptions {
  backend: StudioBackendImpl;
  /** The access token of this run (default: 32 random bytes, hex). */
  token?: string;
  /** The built studio (default renderer/dist). */
  assetsDir?: string;
  /** Answer clients on other machines too (default: loopback clients only). */
  allowRemote?: boolean;
  /** Host names accepted in the Host header besides 127.0.0.1, localhost and [::1]. */
  extraHosts?: readonly string[];
  onInternalError?: (err: unknown) => void;
}

export interface StudioRoutes {
  /** The route to put in startServer's `routes` (or push onto `server.handler.routes`). */
  readonly route: RouteHandler;
  readonly token: string;
  /** The link to print: `<serverUrl>/studio/?token=…`. */
  link(serverUrl: string): string;
}

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** The cookie's name: one per port, as cookies are shared by every port of a host. */
export function cookieName(port: number | string): string {
  return `sortkey_studio_${port}`;
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** A client on this machine: a loopback address, or the machine's own address talking to itself. */
export function isLocalClient(remote: string | undefined, local: string | undefined): boolean {
  return isLoopbackAddress(remote) || (remote !== undefined && remote === local);
}

/** Splits a Host header into a lower-case name and a port ('' when absent). */
export function parseHost(host: string): { name: string; port: string } {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return { name: h, port: '' };
    const rest = h.slice(end + 1);
    return { name: h.slice(0, end + 1), port: rest.startsWith(':') ? rest.slice(1) : '' };
  }
  const colon = h.lastIndexOf(':');
  return colon < 0 ? { name: h, port: '' } : { name: h.slice(0, colon), port: h.slice(colon + 1) };
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** True when a Host header names this server: a loopback name (or an extra host) and its port. */
export function hostAllowed(
  host: string | undefined,
  port: number,
  extraHosts: readonly string[] = [],
): boolean {
  if (!host) return false;
  const { name, port: p } = parseHost(host);
  if (p !== String(port)) return false;
  return LOOPBACK_NAMES.includes(name) || extraHosts.some((h) => h.toLowerCase() === name);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:3px}h1{font-size:1.3rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string>,
  head = false,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...COMMON_HEADERS, ...headers, 'Content-Length': String(bytes.length) });
  res.end(head ? undefined : bytes);
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Types worth compressing (fonts and images other than SVG are compressed already or barely shrink). */
const COMPRESSIBLE = /^(text\/|application\/json|image\/svg|font\/ttf)/;

/** The encoding to answer with for an Accept-Encoding header: brotli, else gzip, else none. */
export function chooseEncoding(accept: string | undefined): 'br' | 'gzip' | undefined {
  const offered = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
    offered.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string): boolean => (offered.get(name) ?? offered.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

/**
 * Compressed copies of the studio's files, made once per file version (path, size and mtime) in
 * zlib's thread pool (never on the request thread: the bundle is megabytes and brotli is slow).
 */
const compressedCache = new Map<string, Promise<Buffer>>();

function compressed(file: string, version: string, bytes: Buffer, encoding: 'br' | 'gzip'): Promise<Buffer> {
  const key = `${encoding}:${file}:${version}`;
  let p = compressedCache.get(key);
  if (!p) {
    p =
      encoding === 'br'
        ? brotliAsync(bytes, {
            params: {
              [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
              [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
            },
          })
        : gzipAsync(bytes, { level: 9 });
    // A failed compression is not kept: the next request tries again (and is served plain now).
    p.catch(() => compressedCache.delete(key));
    compressedCache.set(key, p);
  }
  return p;
}

function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  extra: Record<string, string> = {},
): void {
  send(res, status, html, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': STUDIO_CSP,
    ...extra,
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value ?? {}), {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
}

function redirect(
  res: ServerResponse,
  status: number,
  location: string,
  extra: Record<string, string> = {},
): void {
  send(res, status, '', { Location: location, 'Cache-Control': 'no-store', ...extra });
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function createStudioRoutes(options: StudioRoutesOptions): StudioRoutes {
  const token = options.token ?? newToken();
  let parserWarmed = false;
  const assetsDir = options.assetsDir ?? defaultAssetsDir();
  const extraHosts = options.extraHosts ?? [];
  const onInternalError =
    options.onInternalError ?? ((e: unknown) => console.error('sortkey studio: internal error:', e));

  function authorized(req: IncomingMessage, port: number): boolean {
    const header = req.headers[TOKEN_HEADER];
    if (typeof header === 'string' && sameToken(header, token)) return true;
    return sameToken(readCookie(req.headers.cookie, cookieName(port)), token);
  }

  function notBuilt(res: ServerResponse): void {
    sendHtml(
      res,
      503,
      page(
        'Sortkey Studio is not built',
        `<p>The studio's files were not found in <code>${escapeHtml(assetsDir)}</code>.</p>
<p>Build them with <code>npm run build</code> (or <code>npm run build:renderer</code>) and reload this page.
The DynamoDB endpoint works without them.</p>`,
      ),
    );
  }

  function needToken(res: ServerResponse, stale: boolean): void {
    sendHtml(
      res,
      401,
      page(
        'Sortkey Studio needs its access link',
        `<p>${
          stale
            ? 'This link carries the token of an earlier run: each start of <code>sortkey serve</code> makes a new one.'
            : 'The studio opens from the link <code>sortkey serve</code> prints when it starts.'
        }</p><p>Look for the line <code>Studio  http://…/studio/?token=…</code> in the terminal where it runs, and open that link.</p>`,
      ),
    );
  }

  async function api(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    host: string,
    port: number,
  ): Promise<void> {
    if (req.method !== 'POST') {
      req.resume();
      sendJson(res, 405, { type: 'MethodNotAllowed', message: 'Studio API calls are POST requests' });
      return;
    }
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (
      (origin !== undefined && origin !== `http://${host}`) ||
      (typeof site === 'string' && site !== 'same-origin' && site !== 'none')
    ) {
      req.resume();
      sendJson(res, 403, { type: 'AccessDeniedException', message: 'Cross-origin requests are refused' });
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      req.resume();
      sendJson(res, 415, { type: 'ValidationException', message: 'Send application/json' });
      return;
    }
    if (!authorized(req, port)) {
      req.resume();
      sendJson(res, 401, {
        type: 'UnrecognizedClientException',
        message: 'Missing or stale studio token: open the link sortkey serve printed',
      });
      return;
    }
    let args: unknown;
    try {
      const body = await readBody(req, MAX_API_BODY);
      args = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch (e) {
      if (!res.headersSent)
        sendJson(res, 400, {
          type: 'SerializationException',
          message: (e as Error).message || 'Bad request body',
        });
      return;
    }
    try {
      sendJson(res, 200, await invokeBackend(options.backend, method, args));
    } catch (e) {
      const shape = toErrorShape(e);
      if (shape.internal) onInternalError(e);
      sendJson(res, shape.internal ? 500 : 400, { type: shape.type, message: shape.message });
    }
  }

  /** The guards every API request passes (origin, token); false when it was answered already. */
  function apiGuards(req: IncomingMessage, res: ServerResponse, host: string, port: number): boolean {
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (
      (origin !== undefined && origin !== `http://${host}`) ||
      (typeof site === 'string' && site !== 'same-origin' && site !== 'none')
    ) {
      req.resume();
      sendJson(res, 403, { type: 'AccessDeniedException', message: 'Cross-origin requests are refused' });
      return false;
    }
    if (!authorized(req, port)) {
      req.resume();
      sendJson(res, 401, {
        type: 'UnrecognizedClientException',
        message: 'Missing or stale studio token: open the link sortkey serve printed',
      });
      return false;
    }
    return true;
  }

  /** An import's input: streamed to a temporary file, never held in memory. */
  async function dumpUpload(
    req: IncomingMessage,
    res: ServerResponse,
    host: string,
    port: number,
    query: URLSearchParams,
  ): Promise<void> {
    if (req.method !== 'POST') {
      req.resume();
      sendJson(res, 405, { type: 'MethodNotAllowed', message: 'Uploads are POST requests' });
      return;
    }
    if (!apiGuards(req, res, host, port)) return;
    if (req.headers['x-sortkey-upload'] === undefined) {
      req.resume();
      sendJson(res, 400, {
        type: 'ValidationException',
        message: 'Uploads carry an X-Sortkey-Upload header',
      });
      return;
    }
    const jobs = dumpJobsOf(options.backend);
    if (!jobs) {
      req.resume();
      sendJson(res, 404, { type: 'UnknownOperationException', message: 'This studio has no import' });
      return;
    }
    try {
      const upload = await jobs.upload(req, query.get('name') ?? 'upload');
      sendJson(res, 200, { upload });
    } catch (e) {
      if (!res.headersSent)
        sendJson(res, 400, {
          type: 'SerializationException',
          message: (e as Error).message || 'Upload failed',
        });
    }
  }

  /** An export's file (or an import's rejects), as an attachment. */
  function dumpDownload(
    req: IncomingMessage,
    res: ServerResponse,
    host: string,
    port: number,
    rest: string,
  ): void {
    req.resume();
    if (req.method !== 'GET') {
      sendJson(res, 405, { type: 'MethodNotAllowed', message: 'Downloads are GET requests' });
      return;
    }
    if (!apiGuards(req, res, host, port)) return;
    const [id = '', which] = rest.split('/');
    const file = dumpJobsOf(options.backend)?.file(id, which === 'rejects' ? 'rejects' : 'result');
    if (!file) {
      sendJson(res, 404, {
        type: 'ResourceNotFoundException',
        message: 'No such file (not finished, or expired)',
      });
      return;
    }
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'Content-Type': file.type,
      'Content-Disposition': `attachment; filename="${file.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      'Cache-Control': 'no-store',
    });
    const stream = createReadStream(file.path);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  async function staticFile(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    port: number,
    query: URLSearchParams,
  ): Promise<void> {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      req.resume();
      send(res, 405, 'Method not allowed', { 'Content-Type': 'text/plain', Allow: 'GET, HEAD' });
      return;
    }
    req.resume();
    let rel: string;
    try {
      rel = decodeURIComponent(path.slice(STUDIO_PREFIX.length));
    } catch {
      send(res, 400, 'Bad path', { 'Content-Type': 'text/plain' });
      return;
    }
    const isIndex = rel === '' || rel === 'index.html';
    if (isIndex) {
      const given = query.get('token');
      if (given !== null) {
        if (!sameToken(given, token)) return needToken(res, true);
        redirect(res, 303, STUDIO_PREFIX, {
          'Set-Cookie': `${cookieName(port)}=${token}; Path=/studio; HttpOnly; SameSite=Strict`,
        });
        return;
      }
      if (!authorized(req, port)) return needToken(res, false);
      if (!studioBuilt(assetsDir)) return notBuilt(res);
      // The studio's EXPLAIN and index designer need the Chevrotain parser: it is built while the
      // page loads, rather than at the endpoint's start (it would delay the first answer) or inside
      // the first EXPLAIN (while DynamoDB requests wait).
      if (!parserWarmed) {
        parserWarmed = true;
        setImmediate(warmUpParser).unref();
      }
      const html = await readFile(join(assetsDir, 'index.html'));
      send(
        res,
        200,
        html,
        {
          'Content-Type': 'text/html; charset=utf-8',
          'Cache-Control': 'no-store',
          'Content-Security-Policy': STUDIO_CSP,
        },
        head,
      );
      return;
    }
    if (rel.includes('\0') || rel.split(/[\\/]/).includes('..')) {
      send(res, 400, 'Bad path', { 'Content-Type': 'text/plain' });
      return;
    }
    const file = normalize(join(assetsDir, rel));
    if (!file.startsWith(normalize(assetsDir) + sep)) {
      send(res, 400, 'Bad path', { 'Content-Type': 'text/plain' });
      return;
    }
    let bytes: Buffer;
    let version: string;
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new Error('not a file');
      version = `${st.size}:${st.mtimeMs}`;
      bytes = await readFile(file);
    } catch {
      if (!studioBuilt(assetsDir)) return notBuilt(res);
      send(res, 404, 'Not found', { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
      return;
    }
    const type = contentTypeOf(file);
    const headers: Record<string, string> = {
      'Content-Type': type,
      'Cache-Control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    const encoding =
      COMPRESSIBLE.test(type) && bytes.length > 1024
        ? chooseEncoding(req.headers['accept-encoding'] as string | undefined)
        : undefined;
    if (COMPRESSIBLE.test(type)) headers.Vary = 'Accept-Encoding';
    if (encoding) {
      try {
        bytes = await compressed(file, version, bytes, encoding);
        headers['Content-Encoding'] = encoding;
      } catch {
        // Served uncompressed.
      }
    }
    send(res, 200, bytes, headers, head);
  }

  const route: RouteHandler = (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path === '/') {
      // A person typing the endpoint's address into a browser gets the studio; SDKs, health checks
      // and curl (no text/html in Accept) get DynamoDB's answer.
      if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
        req.resume();
        redirect(res, 302, STUDIO_PREFIX);
        return true;
      }
      return false;
    }
    if (path !== '/studio' && !path.startsWith(STUDIO_PREFIX)) return false;

    const port = req.socket.localPort ?? 0;
    const host = req.headers.host;
    if (!options.allowRemote && !isLocalClient(req.socket.remoteAddress, req.socket.localAddress)) {
      req.resume();
      send(res, 403, 'The studio answers only on this machine', { 'Content-Type': 'text/plain' });
      return true;
    }
    if (!hostAllowed(host, port, extraHosts)) {
      req.resume();
      send(res, 421, 'Unexpected Host header: open the studio through 127.0.0.1 or localhost', {
        'Content-Type': 'text/plain',
      });
      return true;
    }
    if (path === '/studio') {
      req.resume();
      redirect(res, 301, STUDIO_PREFIX + (q < 0 ? '' : url.slice(q)));
      return true;
    }
    const done = (p: Promise<void>): void => {
      p.catch((e: unknown) => {
        onInternalError(e);
        if (!res.headersSent) sendJson(res, 500, { type: 'InternalServerError', message: 'Internal error' });
        else res.destroy();
      });
    };
    if (path === API_PREFIX + 'dump-upload') {
      done(dumpUpload(req, res, host!, port, new URLSearchParams(q < 0 ? '' : url.slice(q + 1))));
    } else if (path.startsWith(API_PREFIX + 'dump/')) {
      dumpDownload(req, res, host!, port, path.slice(API_PREFIX.length + 'dump/'.length));
    } else if (path.startsWith(API_PREFIX)) {
      done(api(req, res, path.slice(API_PREFIX.length), host!, port));
    } else {
      done(staticFile(req, res, path, port, new URLSearchParams(q < 0 ? '' : url.slice(q + 1))));
    }
    return true;
  };

  return {
    route,
    token,
    link: (serverUrl: string) => `${serverUrl.replace(/\/$/, '')}${STUDIO_PREFIX}?token=${token}`,
  };
}
