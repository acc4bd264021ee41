// Shared helpers of the conformance tests: an endpoint on a random loopback port, AWS SDK clients
// pointed at it, unique table names, raw HTTP requests and error assertions.
//
//   describe('PutItem', () => {
//     const s = withServer();                       // starts before the suite, stops after it
//     it('stores an item', { skip: requiresOperations('PutItem') }, async () => {
//       const TableName = uniqueTableName();
//       await s.client.send(new CreateTableCommand(hashTable(TableName)));
//       await s.doc.send(new PutCommand({ TableName, Item: { pk: 'a' } }));
//     });
//   });
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CreateTableCommandInput, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SortkeyServer, StartServerOptions } from '../../main/server/index.js';
import { startServer } from '../../main/server/index.js';

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'x' } as const;

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly server: SortkeyServer;
  /** A DynamoDBClient for the endpoint (credentials x/x, us-east-1). */
  readonly client: DynamoDBClient;
  /** A DynamoDBDocumentClient over `client` (native JS values, removeUndefinedValues on). */
  readonly doc: DynamoDBDocumentClient;
  /** Another client for the same endpoint, with config overrides (its own connections). */
  makeClient(overrides?: Partial<DynamoDBClientConfig>): DynamoDBClient;
  /** Stops the server and destroys every client made through this object. */
  close(): Promise<void>;
}

/** Starts an endpoint (in memory unless told otherwise) on a random loopback port. */
export async function startTestServer(options: StartServerOptions = {}): Promise<TestServer> {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    ...(options.engine || options.db || options.inMemory ? {} : defaultDatabase()),
    ...options,
  });
  // Reads must meet the workers, not the writer standing in for them while they start.
  await server.readWorkers?.whenReady();
  const clients: DynamoDBClient[] = [];
  const makeClient = (overrides: Partial<DynamoDBClientConfig> = {}): DynamoDBClient => {
    const c = new DynamoDBClient({
      endpoint: server.url,
      region: TEST_REGION,
      credentials: TEST_CREDENTIALS,
      ...overrides,
    });
    clients.push(c);
    return c;
  };
  const client = makeClient();
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    url: server.url,
    port: server.port,
    server,
    client,
    doc,
    makeClient,
    async close() {
      for (const c of clients) c.destroy();
      await server.close({ graceMs: 1000 });
    },
  };
}

/**
 * Where a test server keeps its data when the test says nothing: in memory, or, with
 * SORTKEY_TEST_READ_WORKERS=N (the *-workers.test.ts files set it), in a scratch file served with N
 * read workers (engine/workers), so that the same conformance tests run against both paths.
 */
function defaultDatabase(): Partial<StartServerOptions> {
  const workers = Number(process.env.SORTKEY_TEST_READ_WORKERS ?? 0);
  if (!(workers > 0)) return { inMemory: true };
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-conformance-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return { db: join(dir, 'test.sqlite'), readWorkers: workers };
}

/**
 * Starts an endpoint before the enclosing suite (or file) and stops it after. The returned object's
 * properties are usable inside tests and hooks, once the server is up.
 */
export function withServer(options: StartServerOptions = {}): TestServer {
  let current: TestServer | undefined;
  const get = (): TestServer => {
    if (!current) throw new Error('withServer(): the server is only available inside tests and hooks');
    return current;
  };
  before(async () => {
    current = await startTestServer(options);
  });
  after(async () => {
    await current?.close();
  });
  return {
    get url() {
      return get().url;
    },
    get port() {
      return get().port;
    },
    get server() {
      return get().server;
    },
    get client() {
      return get().client;
    },
    get doc() {
      return get().doc;
    },
    makeClient: (overrides) => get().makeClient(overrides),
    close: () => get().close(),
  };
}

let tableCounter = 0;
const RUN_ID = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

/** A table name no other test of this run uses (valid for DynamoDB: [a-zA-Z0-9_.-]{3,255}). */
export function uniqueTableName(prefix = 'T'): string {
  tableCounter++;
  return `${prefix}-${RUN_ID}-${tableCounter}`;
}

/** CreateTable input of an on-demand table keyed by `pk` (S), and `sk` (S) when `withSort`. */
export function hashTable(TableName: string, withSort = false): CreateTableCommandInput {
  return {
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      ...(withSort ? [{ AttributeName: 'sk', AttributeType: 'S' as const }] : []),
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      ...(withSort ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : []),
    ],
  };
}

// The operations the engine implements today, read once: tests of operations that have not landed
// yet are reported skipped (and start running the day they land).
const engineOperations: ReadonlySet<string> = await (async () => {
  const { Engine } = await import('../../engine/index.js');
  const engine = Engine.inMemory();
  try {
    return new Set(engine.operationNames);
  } finally {
    engine.close();
  }
})();

/** For node:test's `skip` option: false when the engine has every operation, else the reason. */
export function requiresOperations(...operations: string[]): false | string {
  const missing = operations.filter((op) => !engineOperations.has(op));
  return missing.length === 0
    ? false
    : `awaits engine operation${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
}

export function engineHas(operation: string): boolean {
  return engineOperations.has(operation);
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: Record<string, unknown> | undefined;
}

export interface RawRequestOptions {
  readonly method?: string;
  /** Sets X-Amz-Target to `DynamoDB_20120810.<target>` unless it already contains a dot. */
  readonly target?: string;
  readonly body?: string | Uint8Array | object;
  readonly headers?: Record<string, string>;
  readonly path?: string;
}

/** One HTTP request without the SDK (for protocol edge cases). */
export async function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.0',
    // fetch would ask for gzip and inflate the answer behind our back: keep the bytes as sent.
    'accept-encoding': 'identity',
    ...options.headers,
  };
  if (options.target !== undefined) {
    headers['x-amz-target'] = options.target.includes('.')
      ? options.target
      : `DynamoDB_20120810.${options.target}`;
  }
  const method = options.method ?? 'POST';
  let body: string | Uint8Array | undefined;
  if (options.body instanceof Uint8Array || typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  const res = await fetch(url + (options.path ?? '/'), {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, bytes, text, json };
}

/** Awaits a promise that must reject with an AWS SDK error of this name (and message, if given). */
export async function expectAwsError(
  promise: Promise<unknown>,
  name: string,
  message?: string | RegExp,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error, `expected ${name}, but the call succeeded`);
  assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message) assert.match(error.message, message);
  return error as Error & { $metadata?: { httpStatusCode?: number } };
}
