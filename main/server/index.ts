// The DynamoDB-compatible HTTP endpoint, programmatically: `startServer(options)` opens (or takes)
// an engine, listens, and hands back the URL and a graceful `close()`. `sortkey serve`, the tests
// and the studio all start the endpoint through here.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Engine, EngineOptions } from '../../engine/index.js';
import type { AuditLog } from '../audit/writer.js';
import type { WorkerReads } from '../../engine/workers/reads.js';
import { defaultDatabasePath, ensureDatabaseDir } from '../defaults.js';
import {
  DEFAULT_HOST,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_PORT,
  DEFAULT_REGION,
  parseAccessKeys,
} from './config.js';
import { parseCors } from './cors.js';
import type {
  AuthorizationRequest,
  AuditedRequest,
  EngineLike,
  Namespace,
  RequestHandler,
  RequestLogEntry,
  RouteHandler,
} from './handler.js';
import { createRequestHandler } from './handler.js';
import { createHostGuard, hostListNeeded, isLoopbackInterface, parseAllowedHosts } from './hosts.js';
import { SigV4Verifier } from './sigv4.js';
import type { SignedScope } from './sigv4.js';
import { PolicyFile } from './policies.js';
import type { IdentityPolicies } from './policies.js';

export type { AuditedRequest, EngineLike, RequestHandler, RequestLogEntry, RouteHandler } from './handler.js';
export { createRequestHandler } from './handler.js';
export { authorizationHeader, computeSignature, toAmzDate, SigV4Verifier } from './sigv4.js';
export { crc32 } from './crc32.js';
export { PolicyFile, parsePoliciesText } from './policies.js';
export type { IdentityPolicies } from './policies.js';
export {
  errorTypeId,
  MAX_REQUEST_BYTES,
  DYNAMODB_TARGET,
  STREAMS_TARGET,
  SORTKEY_TARGET,
} from './protocol.js';

export {
  DEFAULT_HOST,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_PORT,
  DEFAULT_REGION,
  parseAccessKeys,
} from './config.js';
export { hostListNeeded, isLoopbackInterface, parseAllowedHosts } from './hosts.js';

/** Request headers larger than this are refused with 400 (AWS's front ends allow 16 KB). */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface ServerTimeouts {
  /** Time a client has to send a request's headers (slow-loris guard). Default 20 s. */
  readonly headersMs?: number;
  /** Time a client has to send a whole request, body included. Default 60 s. */
  readonly requestMs?: number;
  /** Idle time after which a keep-alive connection is closed. Default 30 s. */
  readonly keepAliveMs?: number;
  /**
   * Time a new connection may sit without sending a request, as DynamoDB's front end closes such
   * connections. Default 60 s. (Later silences are keepAliveMs', headersMs' and requestMs'.)
   */
  readonly idleMs?: number;
  /** How often the timeouts above are checked. Default 1 s. */
  readonly checkIntervalMs?: number;
}

export interface StartServerOptions {
  /** TCP port; 0 picks a free one (read it back from the result). Default 8000. */
  readonly port?: number;
  /** Interface to bind. Default 127.0.0.1: the endpoint is local unless told otherwise. */
  readonly host?: string;
  /**
   * An engine (or anything engine-like) to serve instead of opening one. It is not closed by
   * `close()` unless `closeEngine` is true.
   */
  readonly engine?: EngineLike;
  readonly closeEngine?: boolean;
  /** SQLite file to open. Default: the embedded default database (main/defaults.ts). */
  readonly db?: string;
  /** Open a scratch in-memory database instead of a file. */
  readonly inMemory?: boolean;
  readonly region?: string;
  readonly accountId?: string;
  /** Milliseconds tables spend CREATING/UPDATING/DELETING (DynamoDB Local's -delayTransientStatuses). */
  readonly transientStatusMs?: number;
  /**
   * Simulated throughput limits of the engine the server opens (`sortkey serve --throttle`): 'off'
   * (default), 'provisioned' (PROVISIONED tables are throttled), 'strict' (also per-partition-key
   * ceilings). Changeable at run time with Sortkey_20250101.SetThrottling.
   */
  readonly throttle?: 'off' | 'provisioned' | 'strict';
  /**
   * Threads that serve reads which may be slow (engine/workers) beside the writer. Default 0: one
   * thread serves everything (`sortkey serve` defaults to DEFAULT_READ_WORKERS). Used only with an
   * engine on a database file (an in-memory database lives in one connection, one thread) that
   * the server opens, or an injected Engine.
   */
  readonly readWorkers?: number;
  /** Further options for the engine the server opens (TTL sweeping, scan guard, …). */
  readonly engineOptions?: Partial<Omit<EngineOptions, 'path'>>;
  /** Allowed browser origins: `*` or a comma-separated list. No CORS headers when absent. */
  readonly cors?: string | readonly string[];
  /**
   * Access keys whose SigV4 signatures are accepted; when given (non-empty), every API request
   * must be signed by one of them. Without it any credentials are accepted, as DynamoDB Local does.
   */
  readonly authKeys?: ReadonlyMap<string, string> | Readonly<Record<string, string>> | string;
  /**
   * Host names (optionally `name:port`) accepted in the Host header besides the loopback names,
   * or `*` for any: the guard against DNS rebinding. An endpoint bound to another interface than
   * loopback needs this list unless `authKeys` is given (then any Host is accepted without it).
   */
  readonly allowedHosts?: string | readonly string[];
  /**
   * Whether a signature (with `authKeys`) may be scoped to `region`. Default: any well-formed
   * region, each its own namespace of tables.
   */
  readonly servesRegion?: (region: string) => boolean;
  /**
   * One namespace of tables for every region (DynamoDB Local's -sharedDb): requests signed for any
   * region see the tables of `region`, and ARNs name `region`. Default false: each region a
   * request is signed for has its own tables, as in DynamoDB.
   */
  readonly sharedDb?: boolean;
  /**
   * Separate accounts by access key id (default false: one account, `accountId`, whatever the
   * key, so that the studio, the shell and an application see the same tables).
   */
  readonly accountsByKey?: boolean;
  /**
   * Identity-based IAM policies per access key (`--policies FILE`): a file path (read now, and again
   * whenever it changes), or the parsed policies. Needs `authKeys`. Keys without policies may do
   * anything that resource-based policies do not deny. With `authKeys`, resource-based policies
   * (PutResourcePolicy) are enforced whether or not this is given.
   */
  readonly policies?: string | IdentityPolicies;
  /** Routes consulted before the built-in ones (the studio's pages). */
  readonly routes?: RouteHandler[];
  readonly maxBodyBytes?: number;
  readonly timeouts?: ServerTimeouts;
  /** Connections open at once; beyond it new ones are dropped and `onLog` hears why. Default 1000. */
  readonly maxConnections?: number;
  /** Operational messages (the connection cap was reached). Default: console.warn. */
  readonly onLog?: (line: string) => void;
  /** Clock for signature dates (tests). */
  readonly now?: () => number;
  readonly onInternalError?: (err: unknown, operation: string | undefined) => void;
  readonly onRequest?: (entry: RequestLogEntry) => void;
  /**
   * The audit log (`--audit FILE`): one CloudTrail-shaped JSON line per API request, written off
   * the request path, rotated at `maxBytes` (keeping `keep` old files); item bodies only with `items`.
   */
  readonly audit?: { file: string; maxBytes?: number; keep?: number; items?: boolean };
}

export interface SortkeyServer {
  /** `http://host:port` — the endpoint to give an SDK. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly server: Server;
  readonly engine: EngineLike;
  /** The request handler; `handler.routes` takes routes added after start. */
  readonly handler: RequestHandler;
  /** Database file in use, or ':memory:' (undefined for an injected engine). */
  readonly dbPath: string | undefined;
  /** The audit log, when the server keeps one. */
  readonly audit: AuditLog | undefined;
  /** The read workers (undefined when everything is served on one thread). */
  readonly readWorkers: WorkerReads | undefined;
  /**
   * Stops accepting connections, lets requests in flight finish (for at most `graceMs`, default
   * 5 s), then closes the engine if this server opened it. Safe to call more than once.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

function toKeyMap(keys: StartServerOptions['authKeys']): Map<string, string> | undefined {
  if (keys === undefined) return undefined;
  if (typeof keys === 'string') return parseAccessKeys(keys);
  if (keys instanceof Map) return new Map(keys);
  return new Map(Object.entries(keys as Record<string, string>));
}

const DEFAULT_ACCOUNT_ID = '000000000000';

/**
 * How a request's credential scope picks its namespace of tables. Unsigned requests (and every
 * request with `sharedDb`) use the default one; the engine answers them with `region`'s tables.
 * With `accountsByKey`, an access key id of twelve digits is the account itself (as AWS account
 * ids are) and any other key stands for a twelve-digit account derived from it.
 */
export function requestNamespaces(
  region: string,
  accountId: string,
  sharedDb: boolean,
  accountsByKey: boolean,
): (scope: SignedScope | undefined) => Namespace | undefined {
  if (sharedDb && !accountsByKey) return () => undefined;
  const cache = new Map<string, Namespace>();
  return (scope) => {
    if (!scope) return undefined;
    const key = `${scope.region}\0${accountsByKey ? scope.accessKeyId : ''}`;
    let ns = cache.get(key);
    if (!ns) {
      ns = {
        region: sharedDb ? region : scope.region,
        accountId: accountsByKey ? accountOfKey(scope.accessKeyId) : accountId,
      };
      // Arbitrary clients may sign with ever new keys: keep the cache bounded.
      if (cache.size > 1000) cache.clear();
      cache.set(key, ns);
    }
    return ns;
  };
}

/** The twelve-digit account an access key id stands for (`--accounts-by-key`). */
export function accountOfKey(accessKeyId: string): string {
  if (/^\d{12}$/.test(accessKeyId)) return accessKeyId;
  // Our own choice (DynamoDB derives accounts from IAM, which has no local equivalent): the first
  // 12 decimal digits of the key's SHA-256, stable across processes and versions.
  const digest = createHash('sha256').update(accessKeyId).digest();
  return (digest.readBigUInt64BE(0) % 1_000_000_000_000n).toString().padStart(12, '0');
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startServer(options: StartServerOptions = {}): Promise<SortkeyServer> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  const region = options.region ?? DEFAULT_REGION;
  const keys = toKeyMap(options.authKeys);
  if (keys !== undefined && keys.size === 0) throw new Error('authentication needs at least one access key');
  if (options.policies !== undefined && keys === undefined)
    throw new Error('access policies need authentication: give access keys (--auth) with --policies');
  // Read before anything opens: a bad file stops the start with its reason.
  const log = options.onLog ?? ((line: string) => console.warn(line));
  const policyFile = typeof options.policies === 'string' ? new PolicyFile(options.policies, log) : undefined;
  const fixedPolicies = typeof options.policies === 'object' ? options.policies : undefined;
  const allowedHosts =
    options.allowedHosts !== undefined ? parseAllowedHosts(options.allowedHosts) : undefined;
  const loopback = isLoopbackInterface(host);
  if (!loopback && allowedHosts === undefined && keys === undefined) {
    throw new Error(hostListNeeded(host));
  }

  let engine: EngineLike;
  let dbPath: string | undefined;
  let ownEngine: boolean;
  if (options.engine) {
    engine = options.engine;
    ownEngine = options.closeEngine ?? false;
  } else {
    dbPath = options.inMemory ? ':memory:' : (options.db ?? defaultDatabasePath());
    ensureDatabaseDir(dbPath);
    // Loaded here, not at the top: a server given an engine (tests, the studio) never needs it.
    const { Engine } = await import('../../engine/index.js');
    engine = new Engine({
      path: dbPath,
      region,
      ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
      ...(options.transientStatusMs !== undefined ? { transientStatusMs: options.transientStatusMs } : {}),
      endpointAddress: `${formatHost(host)}:${port}`,
      ...(options.throttle !== undefined ? { throttle: options.throttle } : {}),
      ...options.engineOptions,
    });
    ownEngine = true;
  }

  let listeningPort = port;
  const hostGuard = createHostGuard({
    port: () => listeningPort,
    allowedHosts,
    // Bound to another interface with --auth and no list: signatures bind the Host, accept any.
    anyHost: !loopback && allowedHosts === undefined,
  });
  const servesRegion = options.servesRegion ?? (() => true);
  const namespaceOf = requestNamespaces(
    region,
    options.accountId ?? DEFAULT_ACCOUNT_ID,
    options.sharedDb ?? false,
    options.accountsByKey ?? false,
  );
  const audit = options.audit
    ? await openAuditLog(
        options.audit,
        engine,
        { region, accountId: options.accountId ?? DEFAULT_ACCOUNT_ID },
        options.onLog,
      )
    : undefined;
  const readWorkers = await startReadWorkers(engine, options.readWorkers ?? 0, options.onLog);
  const handler = createRequestHandler({
    engine: withSlicedExplain(withInjectedLatency(readWorkers ? readWorkers.serving() : engine), engine),
    routes: options.routes ?? [],
    cors: options.cors !== undefined ? parseCors(options.cors) : undefined,
    auth: keys
      ? new SigV4Verifier({ keys, servesRegion, ...(options.now ? { now: options.now } : {}) })
      : undefined,
    hostGuard,
    namespaceOf,
    authorize: keys ? authorizerOf(engine, policyFile, fixedPolicies) : undefined,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    ...(audit ? { onAudit: (entry: AuditedRequest) => audit.record(entry) } : {}),
  });

  const t = options.timeouts ?? {};
  const server = createServer(
    {
      keepAlive: true,
      noDelay: true,
      headersTimeout: t.headersMs ?? 20_000,
      requestTimeout: t.requestMs ?? 60_000,
      connectionsCheckingInterval: t.checkIntervalMs ?? 1_000,
      maxHeaderSize: MAX_HEADER_BYTES,
    },
    (req, res) => {
      firstRequest(req.socket);
      handler(req, res);
    },
  );
  server.keepAliveTimeout = t.keepAliveMs ?? 30_000;
  server.maxHeadersCount = 200;
  guardConnections(server, {
    idleMs: t.idleMs ?? 60_000,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    log: options.onLog ?? ((line) => console.warn(line)),
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    policyFile?.close();
    await readWorkers?.close();
    await audit?.close();
    if (ownEngine) engine.close?.();
    throw e;
  }

  // Listening first: until they are ready, the writer serves the reads meant for them.
  readWorkers?.start();
  const address = server.address() as AddressInfo;
  listeningPort = address.port;
  const url = `http://${formatHost(host)}:${address.port}`;
  // With --port 0 the engine learned a placeholder address: tell it the real one.
  const ctx = (engine as { ctx?: { endpointAddress?: unknown } }).ctx;
  if (ownEngine && ctx && typeof ctx.endpointAddress === 'string')
    ctx.endpointAddress = `${formatHost(host)}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = (closeOptions: { graceMs?: number } = {}): Promise<void> => {
    if (closing) return closing;
    handler.closing = true;
    closing = new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), closeOptions.graceMs ?? 5_000);
      timer.unref();
      server.once('close', () => clearTimeout(timer));
    })
      .then(() => {
        policyFile?.close();
        return readWorkers?.close();
      })
      .then(() => audit?.close())
      .then(() => {
        if (ownEngine) engine.close?.();
      });
    return closing;
  };

  return { url, port: address.port, host, server, engine, handler, dbPath, audit, readWorkers, close };
}

/**
 * The audit log of `options.audit`. With an Engine, a PutItem's record shows the item's key (the
 * table's key attributes are read from its catalog); with another engine-like object, names only.
 */
async function openAuditLog(
  options: NonNullable<StartServerOptions['audit']>,
  engine: EngineLike,
  fallbackNamespace: Namespace,
  onLog: ((line: string) => void) | undefined,
): Promise<AuditLog> {
  const { AuditLog } = await import('../audit/writer.js');
  const ctx = (engine as Partial<Engine>).ctx;
  const keyNamesOf = ctx
    ? (table: string, ns: Namespace): readonly string[] | undefined =>
        ctx.inNamespace(ns, () => {
          const key = ctx.catalog.get(table)?.key;
          return key ? [...key.partition, ...key.sort].map((k) => k.name) : undefined;
        })
    : undefined;
  return new AuditLog({
    file: options.file,
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    ...(options.keep !== undefined ? { keep: options.keep } : {}),
    items: options.items ?? false,
    defaultNamespace: engine.defaultNamespace ?? fallbackNamespace,
    keyNamesOf,
    ...(onLog ? { onLog } : {}),
  });
}

/**
 * The access check of an endpoint with `--auth`: the engine's `authorize` (engine/access), given
 * the caller's identity policies. An engine-like object without one (a remote endpoint behind the
 * studio) checks nothing here; its own endpoint does.
 */
function authorizerOf(
  engine: EngineLike,
  file: PolicyFile | undefined,
  fixed: IdentityPolicies | undefined,
): ((request: AuthorizationRequest) => void) | undefined {
  const check = (engine as Partial<Pick<Engine, 'authorize'>>).authorize;
  if (typeof check !== 'function') {
    if (file || fixed) throw new Error('access policies need a local engine; this one cannot evaluate them');
    return undefined;
  }
  const run = check.bind(engine);
  return (request) => {
    const policies = file ? file.policiesOf(request.accessKeyId) : fixed?.get(request.accessKeyId);
    run(
      request.operation,
      request.input,
      request.namespace,
      { accessKeyId: request.accessKeyId, policies, sourceIp: request.sourceIp },
      request.service,
    );
  };
}

/**
 * The read workers of an Engine on a file, or undefined (none asked for, an in-memory database, an
 * engine-like object). Loaded only when asked for: the one-thread endpoint never reads the code.
 */
async function startReadWorkers(
  engine: EngineLike,
  count: number,
  onLog: ((line: string) => void) | undefined,
): Promise<WorkerReads | undefined> {
  if (count <= 0) return undefined;
  const ctx = (engine as { ctx?: { db?: { path?: unknown } } }).ctx;
  if (typeof ctx?.db?.path !== 'string' || ctx.db.path === ':memory:') return undefined;
  const { WorkerReads } = await import('../../engine/workers/reads.js');
  const log = onLog ?? ((line: string) => console.warn(line));
  return new WorkerReads(engine as Engine, count, (e) =>
    log(`sortkey: a read worker stopped (${e instanceof Error ? e.message : String(e)}); starting another`),
  );
}

/**
 * Fault injection's added latency (engine/throttle/faults.ts): an engine that reports one through
 * `takeInjectedDelay()` after a call is answered that many milliseconds late, by a timer, so the
 * event loop never blocks. An engine with `executeWaiting` is called through it, so a write that
 * finds the file locked by another process waits from a timer instead of blocking the event loop.
 * Other engines are served as they are.
 */
/**
 * The endpoint's Sortkey_20250101.Explain (the shell's EXPLAIN, the studio through an endpoint)
 * with the estimate read in slices (Engine.explainInSlices): a scan estimate may read a whole table,
 * and DynamoDB requests waiting on this thread run between the slices.
 */
function withSlicedExplain(target: EngineLike, engine: EngineLike): EngineLike {
  const sliced = (engine as Partial<Pick<Engine, 'explainInSlices'>>).explainInSlices;
  const sortkey = target.executeSortkey;
  if (typeof sliced !== 'function' || !sortkey) return target;
  const explain = sliced.bind(engine);
  const other = sortkey.bind(target);
  return Object.create(target, {
    executeSortkey: {
      value: (operation: string, input: unknown, namespace?: Namespace): unknown =>
        operation === 'Explain' ? explain(input, undefined, namespace) : other(operation, input, namespace),
    },
  }) as EngineLike;
}

function withInjectedLatency(engine: EngineLike): EngineLike {
  const take = (engine as { takeInjectedDelay?: unknown }).takeInjectedDelay;
  if (typeof take !== 'function') return engine;
  const takeDelay = take.bind(engine) as () => number;
  const waiting = (engine as { executeWaiting?: unknown }).executeWaiting;
  // Asks for the response's JSON text where the engine can give it (engine.ts, `Answer`).
  const run = (typeof waiting === 'function' ? waiting.bind(engine) : engine.execute.bind(engine)) as (
    operation: string,
    input: unknown,
    namespace: Namespace | undefined,
    answer: 'json',
  ) => unknown;
  const later = (ms: number, settle: () => unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      setTimeout(() => {
        try {
          resolve(settle());
        } catch (e) {
          reject(e);
        }
      }, ms);
    });
  const failed = (e: unknown): unknown => {
    const ms = takeDelay();
    if (ms > 0)
      return later(ms, () => {
        throw e;
      });
    throw e;
  };
  const succeeded = (result: unknown): unknown => {
    const ms = takeDelay();
    return ms > 0 ? later(ms, () => result) : result;
  };
  return {
    execute(operation: string, input: unknown, namespace?: Namespace): unknown {
      let result: unknown;
      try {
        result = run(operation, input, namespace, 'json');
      } catch (e) {
        return failed(e);
      }
      if (result instanceof Promise) return result.then(succeeded, failed);
      return succeeded(result);
    },
    ...(engine.has ? { has: engine.has.bind(engine) } : {}),
    ...(engine.executeSortkey ? { executeSortkey: engine.executeSortkey.bind(engine) } : {}),
    ...(engine.regions ? { regions: engine.regions.bind(engine) } : {}),
    ...(engine.close ? { close: engine.close.bind(engine) } : {}),
    get defaultNamespace() {
      return engine.defaultNamespace;
    },
  };
}

const IDLE_TIMER = Symbol('sortkey idle timer');
interface WithIdleTimer {
  [IDLE_TIMER]?: NodeJS.Timeout | undefined;
}

/** Called for every request: the connection has spoken, its silent-connection timer goes. */
function firstRequest(socket: Socket & WithIdleTimer): void {
  const timer = socket[IDLE_TIMER];
  if (timer !== undefined) {
    clearTimeout(timer);
    socket[IDLE_TIMER] = undefined;
  }
}

/**
 * Connection hygiene that node:http leaves out: a connection that never sends a request is closed
 * after `idleMs` (node closes one idle after an answer, keepAliveTimeout, but not this one);
 * at most `maxConnections` are open at once, the next ones are dropped and logged (once a minute);
 * request headers over MAX_HEADER_BYTES get a 400 rather than node's 431.
 */
function guardConnections(
  server: Server,
  options: { idleMs: number; maxConnections: number; log: (line: string) => void },
): void {
  server.maxConnections = options.maxConnections;
  let lastDropLog = -Infinity;
  server.on('drop', () => {
    const now = Date.now();
    if (now - lastDropLog < 60_000) return;
    lastDropLog = now;
    options.log(
      `sortkey: ${options.maxConnections} connections are open, the limit: refusing new ones until some close ` +
        `(raise it with --max-connections)`,
    );
  });
  // Once a connection has sent a request, node's own timeouts take over (headers, request,
  // keep-alive); before that nothing would ever close it. One timer per connection, cleared by its
  // first request (firstRequest), keeps the per-request path free of socket timeouts.
  server.on('connection', (socket: Socket & WithIdleTimer) => {
    const timer = setTimeout(() => socket.destroy(), options.idleMs);
    timer.unref();
    socket[IDLE_TIMER] = timer;
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Answer only when no response is on its way on this socket (node's own rule, same field).
    const pending = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code !== 'ECONNRESET' && socket.writable && !pending?.headersSent) {
      const [status, text] =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? ['400 Bad Request', `Request headers are larger than ${MAX_HEADER_BYTES} bytes`]
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? ['408 Request Timeout', 'The request took too long to arrive']
            : ['400 Bad Request', 'Malformed HTTP request'];
      socket.write(
        `HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nX-Content-Type-Options: nosniff\r\n` +
          `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    }
    socket.destroy();
  });
}
