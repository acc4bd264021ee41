// A read worker's thread (engine/workers/pool.ts starts it): its own connection to the database
// file, a catalog read from that file, and the engine's read operations, run one at a time.
// WAL lets this connection read while the main thread's connection writes. Each read runs in one
// read transaction begun when the request arrives: everything the writer committed before it
// handed the request over is visible, and the whole read sees one snapshot, as on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { setCapacitySink } from '../capacity.js';
import { EventualConsistency } from '../consistency/eventual.js';
import type { CapacitySink } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { DynamoError, tableNotFound } from '../errors.js';
import { jsonOperations, operations } from '../operations/index.js';
import { Catalog } from '../tables/catalog.js';
import { arnPrefixOf, tableKeyOf } from '../tables/table.js';
import type { Namespace, Table } from '../tables/table.js';
import { Database } from '../storage/database.js';
import { WORDINGS } from '../wording.js';
import type { ErrorWording, Wording } from '../wording.js';
import type { CrashRequest, ReadCharge, ReadReply, ReadRequest } from './protocol.js';

export interface ReaderData {
  readonly path: string;
  /** The namespace of requests that name none (each request names its own). */
  readonly namespace: Namespace;
  /** The writer's error wording (EngineOptions.errorWording): a worker words errors as it does. */
  readonly wording: ErrorWording;
}

/** Thrown where this thread cannot do what the writer would: the request goes back to it. */
class RunOnMain extends Error {}

/**
 * What the read operations use of an EngineContext, over a read-only connection. Anything that
 * would write (settling a transient status, a transaction) hands the request back to the writer.
 */
class ReadContext {
  readonly db: Database;
  readonly catalog: Catalog;
  readonly defaultNamespace: Namespace;
  readonly wording: Wording;
  denyFullTableScan = false;
  readonly now = Date.now;
  /** Always off here: the endpoint keeps reads on the main thread while eventual consistency is on. */
  readonly consistency = new EventualConsistency(Date.now);
  catalogVersion = -1;

  constructor(data: ReaderData) {
    this.db = new Database({ path: data.path });
    this.catalog = new Catalog(this.db);
    // Belt and braces: this connection never writes (SQLite refuses if anything tries).
    this.db.sqlite.pragma('query_only = ON');
    this.db.transaction = () => {
      throw new RunOnMain('a transaction');
    };
    this.defaultNamespace = data.namespace;
    this.wording = WORDINGS[data.wording];
    this.catalog.use(data.namespace);
  }

  // As EngineContext's: the region and account of the current read's namespace.
  get region(): string {
    return this.catalog.namespace.region;
  }

  get accountId(): string {
    return this.catalog.namespace.accountId;
  }

  get arnPrefix(): string {
    return arnPrefixOf(this.catalog.namespace);
  }

  tableKey(name: string): string {
    return tableKeyOf(this.catalog.namespace, name);
  }

  tableArn(name: string): string {
    return `${this.arnPrefix}table/${name}`;
  }

  table(name: string): Table {
    const table = this.catalog.get(name);
    // The writer's catalog was current when it handed the request over, and this one was reloaded
    // to match: a table missing here is missing there (ResourceNotFoundException either way).
    if (!table) throw tableNotFound();
    // CREATING/UPDATING/DELETING are settled (written) by the writer.
    if (table.status !== 'ACTIVE') throw new RunOnMain('a table in a transient status');
    return table;
  }

  prepare(sql: string): ReturnType<Database['sqlite']['prepare']> {
    return this.db.sqlite.prepare(sql);
  }
}

/** Collects the capacity one read's meters report, for the writer's usage monitor. */
class ChargeRecorder implements CapacitySink {
  charges: ReadCharge[] = [];
  read(table: Table, units: number, indexName: string | undefined): void {
    this.charges.push([table.name, units, indexName ?? null]);
  }
  write(): void {
    throw new RunOnMain('a write');
  }
}

const RETURNS_ITEMS = new Set(['Query', 'Scan', 'ExecuteStatement']);

/** Query's and Scan's JSON answers (operations/readCommon.ts, `pageJson`) start with their Count. */
const LEADING_COUNT = /^\{"Count":(\d+)/;

function itemCount(operation: string, result: unknown): number {
  if (RETURNS_ITEMS.has(operation) && typeof result === 'string') {
    const count = LEADING_COUNT.exec(result);
    return count ? Number(count[1]) : -1;
  }
  if (!RETURNS_ITEMS.has(operation) || result === null || typeof result !== 'object') return -1;
  const r = result as { Count?: unknown; Items?: unknown };
  return typeof r.Count === 'number' ? r.Count : Array.isArray(r.Items) ? r.Items.length : -1;
}

export function serve(ctx: ReadContext, request: ReadRequest): ReadReply {
  const { id, operation } = request;
  // The JSON answer where there is one: a page's stored items go into the body unparsed.
  const run = jsonOperations[operation] ?? operations[operation];
  if (run === undefined) return { id, kind: 'main' };
  const recorder = new ChargeRecorder();
  const previous = setCapacitySink(recorder);
  try {
    ctx.denyFullTableScan = request.denyFullTableScan;
    ctx.catalog.use(request.namespace);
    const result = ctx.db.snapshot(() => {
      if (ctx.catalogVersion !== request.catalogVersion) {
        ctx.catalog.reload();
        ctx.catalogVersion = request.catalogVersion;
      }
      return run(ctx as unknown as EngineContext, request.input ?? {});
    });
    return {
      id,
      kind: 'ok',
      json: typeof result === 'string' ? result : JSON.stringify(result ?? {}),
      count: itemCount(operation, result),
      reads: recorder.charges,
    };
  } catch (e) {
    if (e instanceof DynamoError) {
      return { id, kind: 'error', type: e.type, message: e.message, extra: e.extra, reads: recorder.charges };
    }
    // RunOnMain, or anything unexpected: the writer runs it and answers as it always has.
    ctx.catalogVersion = -1;
    return { id, kind: 'main' };
  } finally {
    setCapacitySink(previous);
  }
}

if (parentPort) {
  const port = parentPort;
  const ctx = new ReadContext(workerData as ReaderData);
  port.on('message', (message: ReadRequest | CrashRequest) => {
    if ('crash' in message) process.exit(1);
    port.postMessage(serve(ctx, message));
  });
  port.postMessage('ready');
}
