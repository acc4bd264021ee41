// The request handler of the endpoint: routes, DynamoDB's JSON protocol, errors, checksums.
//
// A request runs through an ordered list of routes. Extra routes (the studio's `/studio/...` pages,
// a browser's `GET /` asking for HTML) come first and claim what they recognise; then the Host
// guard (DNS rebinding), CORS preflight, the `GET /` health check, and finally the DynamoDB API
// (`POST /` with X-Amz-Target).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NOT_JSON, decodeBody, parseJsonBody, requestEncoding } from './body.js';
import { COMPRESSION_THRESHOLD, compressBody, responseEncoding } from './compression.js';
import type { ResponseEncoding } from './compression.js';
import type { CorsPolicy } from './cors.js';
import { applyCors } from './cors.js';
import { crc32, crc32OfText } from './crc32.js';
import type { HostGuard } from './hosts.js';
import type { WireError } from './protocol.js';
import {
  DYNAMODB_TARGET,
  JSON_CONTENT_TYPE,
  MAX_REQUEST_BYTES,
  SORTKEY_TARGET,
  STREAMS_OPERATIONS,
  STREAMS_TARGET,
  asDynamoError,
  errorBody,
  nextRequestId,
} from './protocol.js';
import type { SigV4Verifier, SignedScope } from './sigv4.js';
import { signedScope } from './sigv4.js';
import { JsonBody } from '../../engine/workers/protocol.js';
import { TurnSharing } from '../../engine/storage/turn-sharing.js';

/** A namespace of tables: a region, and an account (engine/tables/table.ts's Namespace). */
export interface Namespace {
  readonly region: string;
  readonly accountId: string;
}

/**
 * What the endpoint needs of a database: the engine's `execute` (and `has`, when it has one).
 * `execute` may also return a promise (an engine that forwards to a remote endpoint).
 */
export interface EngineLike {
  /**
   * `namespace`: the region (and account) the request addresses; absent, the engine's default. The
   * answer is the response object, or the response's JSON text already serialised (sent as it is).
   */
  execute(operation: string, input: unknown, namespace?: Namespace): unknown;
  has?(operation: string): boolean;
  /** Sortkey's own operations (Explain, …), reached only through the Sortkey_20250101 prefix. */
  executeSortkey?(operation: string, input: unknown, namespace?: Namespace): unknown;
  /** Every namespace that holds tables, with how many (engines that keep several). */
  regions?(): { region: string; accountId: string; tables: number }[];
  /** The namespace of requests that name none. */
  readonly defaultNamespace?: Namespace;
  close?(): void;
}

/** How a resolved Sortkey-only operation is marked, so it is executed by executeSortkey. */
const SORTKEY_OPERATION = 'sortkey:';

/**
 * A route: returns true when it has taken the request (and will answer it), false to pass it on.
 * It must decide synchronously; answering may be asynchronous.
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * A request as the audit log (main/audit) receives it once answered: everything it records is
 * taken from here, after the response is on its way.
 */
export interface AuditedRequest {
  readonly req: IncomingMessage;
  /** The operation resolved from X-Amz-Target (`sortkey:<Op>` for Sortkey's own), if any. */
  readonly operation: string | undefined;
  /** The request's JSON body, once parsed (undefined when refused before). */
  readonly input: unknown;
  readonly namespace: Namespace | undefined;
  readonly status: number;
  /** The error answered (undefined for a 200). */
  readonly error: WireError | undefined;
  /** The x-amzn-RequestId of the response. */
  readonly requestId: string;
  /** The operation's answer (an object, its JSON text, or a worker's JsonBody). */
  readonly result: unknown;
}

/** One line of the request log (`--verbose`). */
export interface RequestLogEntry {
  readonly operation: string | undefined;
  readonly status: number;
  readonly error: string | undefined;
  readonly ms: number;
}

export interface HandlerOptions {
  readonly engine: EngineLike;
  /** Routes consulted before the built-in ones, in order. The array may be changed later. */
  readonly routes?: RouteHandler[];
  readonly cors?: CorsPolicy | undefined;
  /** When set, every API request must carry a valid SigV4 signature. */
  readonly auth?: SigV4Verifier | undefined;
  /**
   * The namespace of tables a request signed with `scope` addresses (undefined: the engine's
   * default). Absent: every request uses the default namespace.
   */
  readonly namespaceOf?: (scope: SignedScope | undefined) => Namespace | undefined;
  readonly maxBodyBytes?: number;
  /**
   * Access control (with `auth`): called with every verified request before it runs; throws
   * (AccessDeniedException) to refuse it. `operation` is the engine's name, `service` whether it is
   * one of Sortkey's own (Sortkey_20250101 target).
   */
  readonly authorize?: (request: AuthorizationRequest) => void;
  /** Refuses requests whose Host header the endpoint does not answer to (DNS rebinding). */
  readonly hostGuard?: HostGuard | undefined;
  /** Called with every non-DynamoDB error an operation throws (answered as 500). */
  readonly onInternalError?: (err: unknown, operation: string | undefined) => void;
  readonly onRequest?: (entry: RequestLogEntry) => void;
  /** Hears every API request once answered (`--audit`); must return quickly. */
  readonly onAudit?: (entry: AuditedRequest) => void;
}

/** What `authorize` is told of a verified request. */
export interface AuthorizationRequest {
  readonly operation: string;
  readonly service: 'dynamodb' | 'sortkey';
  readonly input: unknown;
  readonly namespace: Namespace | undefined;
  readonly accessKeyId: string;
  readonly sourceIp: string | undefined;
}

export interface RequestHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Routes consulted first; push a studio route here. */
  readonly routes: RouteHandler[];
  /** Once set, responses ask clients to close their connections (graceful shutdown). */
  closing: boolean;
}

const ACCEPTED_CONTENT_TYPES = [
  'application/x-amz-json-1.0',
  'application/x-amz-json-1.1',
  'application/json',
];
const EMPTY = Buffer.alloc(0);

/** What an audited request carries between its parsing and its answer. */
const AUDIT_STATE = Symbol('sortkey.audit');
interface AuditState {
  input?: unknown;
  namespace?: Namespace | undefined;
  requestId?: string;
}
type AuditedResponse = ServerResponse & { [AUDIT_STATE]?: AuditState };

/** Discarded bytes of an oversized body beyond which the connection is cut instead of drained. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export function createRequestHandler(options: HandlerOptions): RequestHandler {
  const engine = options.engine;
  const routes = options.routes ?? [];
  const cors = options.cors;
  const auth = options.auth;
  const namespaceOf = options.namespaceOf;
  const authorize = options.authorize;
  const hostGuard = options.hostGuard;
  const maxBody = options.maxBodyBytes ?? MAX_REQUEST_BYTES;
  const onInternalError =
    options.onInternalError ??
    ((err: unknown, op: string | undefined) =>
      console.error(`sortkey: internal error in ${op ?? 'request'}:`, err));
  const onRequest = options.onRequest;
  const onAudit = options.onAudit;
  const engineHas = typeof engine.has === 'function' ? engine.has.bind(engine) : undefined;

  // Reused for every response: writeHead copies it before returning.
  const responseHeaders: string[] = [
    'Content-Type',
    JSON_CONTENT_TYPE,
    'Content-Length',
    '',
    'x-amz-crc32',
    '',
    'x-amzn-RequestId',
    '',
  ];

  /**
   * Answers with a JSON body, compressed when it is large enough and the client accepts gzip or
   * deflate (the checksum is then the compressed bytes', as DynamoDB's).
   */
  function send(req: IncomingMessage, res: ServerResponse, status: number, body: string): void {
    // A body that goes out uncompressed goes out as text: node:http then writes the headers and
    // the body as one string, in one write, with no Buffer made for either in JavaScript (a Buffer
    // body is a second chunk beside the headers).
    const length = body.length * 3 < COMPRESSION_THRESHOLD ? -1 : Buffer.byteLength(body, 'utf8');
    if (length >= COMPRESSION_THRESHOLD) {
      const encoding = responseEncoding(req.headers['accept-encoding']);
      if (encoding !== undefined) {
        const bytes = Buffer.from(body, 'utf8');
        compressBody(bytes, encoding, (compressed) =>
          writeBody(res, status, compressed ?? bytes, compressed && encoding),
        );
        return;
      }
    }
    writeText(res, status, body, length);
  }

  /**
   * Answers with `text` (`length`: its UTF-8 byte length, -1 when not measured yet), or queues the
   * answer when the event loop is reading a batch of requests (`outgoing`).
   */
  function writeText(res: ServerResponse, status: number, text: string, length: number): void {
    if (outgoing.queue(res, status, text, length)) return;
    writeTextNow(res, status, text, length);
  }

  function writeTextNow(res: ServerResponse, status: number, text: string, length: number): void {
    responseHeaders[3] = String(length >= 0 ? length : Buffer.byteLength(text, 'utf8'));
    responseHeaders[5] = String(crc32OfText(text));
    responseHeaders[7] = requestIdOf(res);
    if (handler.closing) res.setHeader('Connection', 'close');
    res.writeHead(status, responseHeaders);
    res.end(text, 'utf8');
  }

  const outgoing = new OutgoingBatch((res, status, text, length) => {
    try {
      writeTextNow(res, status, text, length);
    } catch (e) {
      // One answer that cannot be written must not keep the others of its batch from going out.
      reportInternal(e, undefined);
      res.destroy();
    }
  });

  function writeBody(
    res: ServerResponse,
    status: number,
    bytes: Buffer,
    encoding: ResponseEncoding | undefined,
  ): void {
    responseHeaders[3] = String(bytes.length);
    responseHeaders[5] = String(crc32(bytes));
    responseHeaders[7] = requestIdOf(res);
    if (handler.closing) res.setHeader('Connection', 'close');
    res.writeHead(
      status,
      encoding === undefined ? responseHeaders : [...responseHeaders, 'Content-Encoding', encoding],
    );
    res.end(bytes);
  }

  function sendError(req: IncomingMessage, res: ServerResponse, err: WireError): void {
    send(req, res, err.status, errorBody(err));
  }

  /** The operation a target names, or undefined when the endpoint does not offer it. */
  function resolveTarget(target: string | undefined): string | undefined {
    if (target === undefined) return undefined;
    const dot = target.indexOf('.');
    if (dot <= 0) return undefined;
    const service = target.slice(0, dot);
    const op = target.slice(dot + 1);
    if (service === DYNAMODB_TARGET) {
      if (STREAMS_OPERATIONS.has(op)) return undefined;
    } else if (service === STREAMS_TARGET) {
      if (!STREAMS_OPERATIONS.has(op)) return undefined;
    } else if (service === SORTKEY_TARGET) {
      if (engine.executeSortkey && op.length > 0) return SORTKEY_OPERATION + op;
    } else {
      return undefined;
    }
    if (op.length === 0 || (engineHas !== undefined && !engineHas(op))) return undefined;
    return op;
  }

  /**
   * The response's request id: made when it is sent, unless the audit log needs it too (then it is
   * kept with the request, so that the audit line and the x-amzn-RequestId header agree).
   */
  function requestIdOf(res: ServerResponse): string {
    if (!onAudit) return nextRequestId();
    const r = res as AuditedResponse;
    const state = (r[AUDIT_STATE] ??= {});
    return (state.requestId ??= nextRequestId());
  }

  /** Tells the request log and the audit log how a request was answered. */
  function finished(
    req: IncomingMessage,
    res: ServerResponse,
    op: string | undefined,
    status: number,
    error: WireError | undefined,
    started: number,
    result?: unknown,
  ): void {
    logRequest(op, status, error?.type, started);
    if (!onAudit) return;
    const state = (res as AuditedResponse)[AUDIT_STATE];
    try {
      onAudit({
        req,
        operation: op,
        input: state?.input,
        namespace: state?.namespace,
        status,
        error,
        requestId: state?.requestId ?? requestIdOf(res),
        result,
      });
    } catch (e) {
      // An audit sink that throws must not take a request (or the process) down.
      reportInternal(e, op);
    }
  }

  function logRequest(
    op: string | undefined,
    status: number,
    error: string | undefined,
    started: number,
  ): void {
    if (!onRequest) return;
    try {
      onRequest({ operation: op, status, error, ms: performance.now() - started });
    } catch {
      // A logger that throws must not take a request (or the process) down.
    }
  }

  function reportInternal(e: unknown, op: string | undefined): void {
    try {
      onInternalError(e, op);
    } catch {
      // as above
    }
  }

  /** Answers with an operation's result; false when it cannot be serialised (answered as 500). */
  function sendResult(req: IncomingMessage, res: ServerResponse, op: string, result: unknown): number {
    if (typeof result === 'string') {
      send(req, res, 200, result);
      return 200;
    }
    let body: string;
    try {
      // A read worker's answer arrives serialised (engine/workers): sent as it is.
      body = result instanceof JsonBody ? result.json : JSON.stringify(result ?? {});
    } catch (e) {
      reportInternal(e, op);
      sendError(req, res, INTERNAL);
      return 500;
    }
    send(req, res, 200, body);
    return 200;
  }

  function sendFailure(
    req: IncomingMessage,
    res: ServerResponse,
    op: string | undefined,
    e: unknown,
    started: number,
  ): void {
    let err = e instanceof ProtocolError ? e.wire : asDynamoError(e);
    if (!err) {
      reportInternal(e, op);
      err = INTERNAL;
    }
    try {
      sendError(req, res, err);
    } catch (e2) {
      // The error's extra fields would not serialise: answer without them.
      reportInternal(e2, op);
      err = INTERNAL;
      sendError(req, res, err);
    }
    finished(req, res, op, err.status, err, started);
  }

  /**
   * Runs an API request. `raw` is the body as received (what a signature covers), `body` the same
   * after its Content-Encoding was undone.
   */
  function runApi(
    req: IncomingMessage,
    res: ServerResponse,
    raw: Buffer,
    body: Buffer,
    started: number,
  ): void {
    let op: string | undefined;
    let result: unknown;
    try {
      // The order of checks follows DynamoDB's: body syntax, then target, then signature.
      let input: unknown;
      if (body.length > 0) {
        input = parseJsonBody(body);
        // Not JSON (or not UTF-8, or a lone surrogate): DynamoDB says nothing more than the name.
        if (input === NOT_JSON) throw new ProtocolError('SerializationException', '');
        if (input === null || typeof input !== 'object' || Array.isArray(input)) {
          throw new ProtocolError(
            'SerializationException',
            'Start of structure or map found where not expected.',
          );
        }
      }
      op = resolveTarget(req.headers['x-amz-target'] as string | undefined);
      if (op === undefined) throw new ProtocolError('UnknownOperationException', '');
      if (auth) {
        const verdict = auth.verify({
          method: req.method ?? 'POST',
          url: req.url ?? '/',
          rawHeaders: req.rawHeaders,
          body: raw,
        });
        if (!verdict.ok) throw new ProtocolError(verdict.type, verdict.message);
      }
      if (input === undefined) throw new ProtocolError('SerializationException', '');
      const scope = signedScope(req.headers.authorization, req.url);
      const namespace = namespaceOf?.(scope);
      if (onAudit) {
        const state = ((res as AuditedResponse)[AUDIT_STATE] ??= {});
        state.input = input;
        state.namespace = namespace;
      }
      const sortkey = op.startsWith(SORTKEY_OPERATION);
      const operation = sortkey ? op.slice(SORTKEY_OPERATION.length) : op;
      if (authorize && auth && scope) {
        authorize({
          operation,
          service: sortkey ? 'sortkey' : 'dynamodb',
          input,
          namespace,
          accessKeyId: scope.accessKeyId,
          sourceIp: req.socket.remoteAddress,
        });
      }
      result = sortkey
        ? engine.executeSortkey!(operation, input, namespace)
        : engine.execute(op, input, namespace);
    } catch (e) {
      sendFailure(req, res, op, e, started);
      return;
    }
    if (isThenable(result)) {
      // An asynchronous engine (a remote endpoint behind the studio, say): answer when it settles.
      const operation = op;
      result.then(
        (value) => {
          const status = sendResult(req, res, operation, value);
          finished(req, res, operation, status, status === 200 ? undefined : INTERNAL, started, value);
        },
        (e: unknown) => sendFailure(req, res, operation, e, started),
      );
      return;
    }
    const status = sendResult(req, res, op, result);
    finished(req, res, op, status, status === 200 ? undefined : INTERNAL, started, result);
  }

  /** Refuses a request before reading its body (which is discarded). */
  function refuse(req: IncomingMessage, res: ServerResponse, err: WireError, started: number): void {
    req.resume();
    sendError(req, res, err);
    finished(req, res, undefined, err.status, err, started);
  }

  function api(req: IncomingMessage, res: ServerResponse): void {
    const started = onRequest ? performance.now() : 0;
    const url = req.url;
    if (url !== '/' && !url?.startsWith('/?')) {
      // DynamoDB answers on `/` only (a guess at how it refuses another path: as another method).
      refuse(req, res, { type: 'UnknownOperationException', message: '', status: 404 }, started);
      return;
    }
    const contentType = req.headers['content-type'];
    if (contentType !== undefined && !ACCEPTED_CONTENT_TYPES.some((t) => contentType.startsWith(t))) {
      refuse(req, res, { type: 'UnknownOperationException', message: '', status: 400 }, started);
      return;
    }
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBody) {
      rejectOversized(req, res, Number(declared), started);
      return;
    }
    const encodingHeader = req.headers['content-encoding'];
    const encoding = requestEncoding(encodingHeader);
    if (encoding === undefined) {
      // DynamoDB answers 500 here; a client's mistake is a 400 at Sortkey.
      const message = `Content-Encoding '${encodingHeader}' is not supported: send gzip, deflate or an unencoded body`;
      refuse(req, res, { type: 'SerializationException', message, status: 400 }, started);
      return;
    }
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    let size = 0;
    let rejected = false;
    req.on('data', (chunk: Buffer) => {
      if (rejected) return;
      size += chunk.length;
      if (size > maxBody) {
        rejected = true;
        req.removeAllListeners('data');
        rejectOversized(req, res, size, started);
        return;
      }
      if (first === undefined) first = chunk;
      else if (chunks === undefined) chunks = [first, chunk];
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (rejected) return;
      const body = chunks ? Buffer.concat(chunks, size) : (first ?? EMPTY);
      if (encoding === 'identity') {
        runApi(req, res, body, body, started);
        return;
      }
      decodeBody(body, encoding, maxBody, (decoded) => {
        if (decoded === 'too-large') {
          const message = `Request size exceeded ${maxBody} bytes once its ${encoding} encoding was undone`;
          sendFailure(req, res, undefined, new ProtocolError('RequestEntityTooLarge', message, 413), started);
        } else if (decoded === 'corrupt') {
          // DynamoDB answers a body that does not decode with a 500; a client's mistake is a 400 here.
          const message = `The request body is not valid ${encoding} data`;
          sendFailure(req, res, undefined, new ProtocolError('SerializationException', message), started);
        } else {
          runApi(req, res, body, decoded, started);
        }
      });
    });
  }

  /**
   * Answers 413 at once, then reads and discards the rest of the body so the client can read the
   * answer (closing with unread data would reset the connection); a body that goes on and on is cut.
   */
  function rejectOversized(req: IncomingMessage, res: ServerResponse, size: number, started: number): void {
    const err: WireError = {
      type: 'RequestEntityTooLarge',
      message: `Request size ${size} exceeded ${maxBody} bytes`,
      status: 413,
    };
    sendError(req, res, err);
    finished(req, res, undefined, 413, err, started);
    let drained = 0;
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > MAX_DRAIN_BYTES) req.socket.destroy();
    });
    req.resume();
  }

  function health(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const body = `healthy: ${req.headers.host ?? 'localhost'} `;
    const bytes = Buffer.from(body);
    res.writeHead(200, {
      'Content-Type': 'text/plain',
      // The body echoes the Host header: never let a browser sniff it into HTML.
      'X-Content-Type-Options': 'nosniff',
      'Content-Length': String(bytes.length),
      'x-amz-crc32': String(crc32(bytes)),
      'x-amzn-RequestId': nextRequestId(),
      ...(handler.closing ? { Connection: 'close' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  function notFound(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    sendError(req, res, { type: 'UnknownOperationException', message: '', status: 404 });
  }

  /** 421 for a Host the endpoint does not answer to (DNS rebinding), saying which flag admits it. */
  function refuseHost(req: IncomingMessage, res: ServerResponse, guard: HostGuard): void {
    const started = onRequest ? performance.now() : 0;
    req.resume();
    const err: WireError = {
      type: 'AccessDeniedException',
      message: guard.refusal(req.headers.host ?? ''),
      status: 421,
    };
    const bytes = Buffer.from(errorBody(err));
    res.writeHead(421, {
      'Content-Type': JSON_CONTENT_TYPE,
      'X-Content-Type-Options': 'nosniff',
      'Content-Length': String(bytes.length),
      'x-amz-crc32': String(crc32(bytes)),
      'x-amzn-RequestId': requestIdOf(res),
      ...(handler.closing ? { Connection: 'close' } : {}),
    });
    res.end(bytes);
    finished(req, res, undefined, 421, err, started);
  }

  const handler = ((req: IncomingMessage, res: ServerResponse): void => {
    req.on('error', noop);
    try {
      for (let i = 0; i < routes.length; i++) if (routes[i]!(req, res)) return;
      if (hostGuard && !hostGuard.allows(req.headers.host)) return refuseHost(req, res, hostGuard);
      if (cors && applyCors(cors, req, res)) return;
      const method = req.method;
      if (method === 'POST') return api(req, res);
      if ((method === 'GET' || method === 'HEAD') && (req.url === '/' || req.url?.startsWith('/?')))
        return health(req, res);
      notFound(req, res);
    } catch (e) {
      // A route threw before answering: never let it take the process down.
      reportInternal(e, undefined);
      if (!res.headersSent) sendError(req, res, INTERNAL);
      else res.destroy();
    }
  }) as RequestHandler;
  Object.defineProperty(handler, 'routes', { value: routes });
  handler.closing = false;
  return handler;
}

function noop(): void {}

/** Consecutive flushes of a single answer after which answers go out at once again. */
const SINGLE_FLUSHES_TO_STOP = 8;
/** Answers written at once between two looks at whether the loop answers several per turn. */
const ANSWERS_BETWEEN_PROBES = 64;

/**
 * Answers to requests read in the same turn of the event loop, written together from one
 * setImmediate once the loop has read them all, instead of each as soon as it is ready.
 *
 * Why: each write to a socket wakes the client waiting on it. On this kind of machine (a VM, two
 * cores) waking a process on the other core costs more than a small request's whole handling
 * (about 20–35 µs of the server's time in `writev`, measured by `--cpu-prof` at 16 requests in
 * flight), and a server that answers one request, wakes its client, reads the next request and
 * answers it pays that for every request. Written back to back, the answers of one turn wake each
 * client once while it is still awake from the first: at 16 in flight the server's CPU time per
 * GetItem fell from ~62 to ~36 µs in a side-by-side run. Nothing else changes: the answers of a
 * connection keep their order (node:http queues them per socket), and a request's answer waits at
 * most until the loop has read what it was given in the same turn.
 *
 * At one request in flight there is never a second answer to share a turn with, and the
 * setImmediate is only an extra step: after SINGLE_FLUSHES_TO_STOP batches of one, answers go out
 * at once again, and every ANSWERS_BETWEEN_PROBES answers one turn is watched to see whether
 * several answers meet in it (then batching resumes): engine/storage/turn-sharing.ts, which the
 * database's reads held per turn use too.
 */
export class OutgoingBatch {
  /** Queued answers; flush() swaps it with `spare`, so an answer queued while flushing waits its turn. */
  private pending: QueuedAnswer[] = [];
  private spare: QueuedAnswer[] = [];
  /** Whether answers are queued (active) or written at once. */
  private readonly sharing = new TurnSharing(SINGLE_FLUSHES_TO_STOP, ANSWERS_BETWEEN_PROBES);
  private readonly flushNow = (): void => this.flush();

  constructor(
    private readonly write: (res: ServerResponse, status: number, text: string, length: number) => void,
  ) {}

  /** Queues an answer and returns true, or returns false: the caller writes it at once. */
  queue(res: ServerResponse, status: number, text: string, length: number): boolean {
    if (!this.sharing.active) {
      this.sharing.alone();
      return false;
    }
    if (this.pending.length === 0) setImmediate(this.flushNow);
    this.pending.push({ res, status, text, length });
    return true;
  }

  /** Whether answers are being queued now (tests). */
  get queuing(): boolean {
    return this.sharing.active;
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = this.spare;
    this.spare = batch;
    const n = batch.length;
    for (let i = 0; i < n; i++) {
      const a = batch[i]!;
      this.write(a.res, a.status, a.text, a.length);
    }
    batch.length = 0;
    this.sharing.turnEnded(n);
  }
}

interface QueuedAnswer {
  readonly res: ServerResponse;
  readonly status: number;
  readonly text: string;
  readonly length: number;
}

class ProtocolError extends Error {
  readonly wire: WireError;
  constructor(type: string, message: string, status = 400) {
    super(message || type);
    this.wire = { type, message, status };
  }
}

const INTERNAL: WireError = { type: 'InternalServerError', message: 'Internal server error', status: 500 };

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
