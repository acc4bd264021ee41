// The read side of the engine on worker threads: decides which requests a ReadPool serves, and
// accounts for them on the main thread (capacity, metrics, hot keys) exactly as if they had run
// here. Writes, point reads and everything while faults or throttling are in play stay on the
// writer, the main thread's Engine.
import type { Answer, Engine } from '../engine.js';
import type { Namespace } from '../tables/table.js';
import { DynamoError } from '../errors.js';
import type { DynamoErrorType } from '../errors.js';
import { ReadPool } from './pool.js';
import { isSelectStatement, JsonBody, WORKER_OPERATIONS } from './protocol.js';
import type { ReadReply } from './protocol.js';

export { JsonBody } from './protocol.js';

export class WorkerReads {
  readonly pool: ReadPool;
  /** Reads a worker answered, and reads it handed back to the writer (tests, diagnostics). */
  readonly counts = { served: 0, handedBack: 0 };

  /**
   * `size` workers reading `engine`'s database file. The file must not be ':memory:': an in-memory
   * database lives in one connection, which other threads cannot open.
   */
  constructor(
    private readonly engine: Engine,
    size: number,
    onCrash?: (error: unknown) => void,
  ) {
    const ctx = engine.ctx;
    if (ctx.db.path === ':memory:') throw new Error('read workers need a database file, not :memory:');
    this.pool = new ReadPool(
      { path: ctx.db.path, namespace: ctx.defaultNamespace, wording: ctx.wording.name },
      size,
      onCrash,
    );
  }

  /** Whether a request goes to a worker. */
  private routed(operation: string, input: unknown): boolean {
    if (!WORKER_OPERATIONS.has(operation)) return false;
    if (input === null || typeof input !== 'object') return false;
    if (operation === 'ExecuteStatement' && !isSelectStatement((input as { Statement?: unknown }).Statement))
      return false;
    // Fault rules and throttling decide before an operation runs, with state only the main thread
    // holds, and may stop it half-way: such requests are served here, one at a time, as always.
    const usage = this.engine.ctx.usage;
    // So is every read while eventual consistency is on: the history of recent versions that
    // eventually consistent reads may see is in the main thread's memory (engine/consistency).
    return (
      !usage.faults.any && !usage.throttler.active && !this.engine.ctx.consistency.active && this.pool.ready
    );
  }

  /**
   * Engine.executeWaiting's contract (the answer, or a promise of it), with reads sent to a worker:
   * their answer is a JsonBody (the response body, serialised by the worker).
   */
  execute(operation: string, input: unknown, namespace?: Namespace, answer: Answer = 'object'): unknown {
    if (!this.routed(operation, input))
      return this.engine.executeWaiting(operation, input, namespace, answer);
    const ctx = this.engine.ctx;
    try {
      // Another process's commits (a table it created) reach the catalog the worker is told to match.
      ctx.refreshIfChanged();
    } catch {
      // The file is locked mid-catch-up, say: the writer's own path knows how to answer that.
      return this.engine.executeWaiting(operation, input, namespace);
    }
    const started = performance.now();
    const ns = namespace ?? ctx.defaultNamespace;
    return this.pool
      .run({
        operation,
        input,
        catalogVersion: ctx.catalog.version,
        denyFullTableScan: ctx.denyFullTableScan,
        namespace: { region: ns.region, accountId: ns.accountId },
      })
      .then(
        (reply) => this.settle(operation, input, started, reply, ns),
        (error: unknown) => {
          ctx.inNamespace(ns, () => ctx.usage.recordCompleted(operation, input, started, [], { error }));
          throw error;
        },
      );
  }

  private settle(
    operation: string,
    input: unknown,
    started: number,
    reply: ReadReply,
    namespace: Namespace,
  ): unknown {
    const ctx = this.engine.ctx;
    const usage = ctx.usage;
    switch (reply.kind) {
      case 'main':
        this.counts.handedBack++;
        return this.engine.executeWaiting(operation, input, namespace);
      case 'ok':
        this.counts.served++;
        // The charges name tables of the read's namespace: they are found there.
        ctx.inNamespace(namespace, () =>
          usage.recordCompleted(operation, input, started, reply.reads, { result: { Count: reply.count } }),
        );
        return new JsonBody(reply.json);
      case 'error': {
        this.counts.served++;
        const error = new DynamoError(reply.type as DynamoErrorType, reply.message, reply.extra);
        ctx.inNamespace(namespace, () =>
          usage.recordCompleted(operation, input, started, reply.reads, { error }),
        );
        throw error;
      }
    }
  }

  /** Starts the workers (see ReadPool.start). */
  start(): void {
    this.pool.start();
  }

  /** Resolves once every worker has opened the database (tests; the endpoint does not wait). */
  whenReady(): Promise<void> {
    return this.pool.whenReady();
  }

  /** The engine as the endpoint calls it, with reads sent to the workers. */
  serving(): {
    execute(operation: string, input: unknown, namespace?: Namespace, answer?: Answer): unknown;
    executeWaiting(operation: string, input: unknown, namespace?: Namespace, answer?: Answer): unknown;
    takeInjectedDelay(): number;
    has(operation: string): boolean;
    executeSortkey(operation: string, input: unknown, namespace?: Namespace): unknown;
    regions(): { region: string; accountId: string; tables: number }[];
    readonly defaultNamespace: Namespace;
    close(): void;
  } {
    const engine = this.engine;
    const execute = (operation: string, input: unknown, namespace?: Namespace, answer?: Answer): unknown =>
      this.execute(operation, input, namespace, answer);
    return {
      execute,
      executeWaiting: execute,
      takeInjectedDelay: () => engine.takeInjectedDelay(),
      has: (operation) => engine.has(operation),
      executeSortkey: (operation, input, namespace) => engine.executeSortkey(operation, input, namespace),
      regions: () => engine.regions(),
      get defaultNamespace() {
        return engine.defaultNamespace;
      },
      close: () => engine.close(),
    };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
