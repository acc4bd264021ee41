// The engine's public face: open a database, execute DynamoDB operations by name, close.
import { EngineContext } from './context.js';
import type { EngineOptions } from './context.js';
import { DynamoError } from './errors.js';
import { operations, sortkeyOperations } from './operations/index.js';
import type { ExplainResult } from './partiql/index.js';

export type { EngineOptions };

/** Operations after which streams, TTL and point-in-time recovery are reconciled with the catalog. */
const CONTROL_PLANE = new Set(['CreateTable', 'UpdateTable', 'DeleteTable', 'ImportTable']);

/** Operations that read the catalog itself: they always look for other processes' changes first. */
const CATALOG_READS = new Set(['ListTables', 'DescribeTable', 'CreateTable', 'UpdateTable', 'DeleteTable']);

export class Engine {
  readonly ctx: EngineContext;

  constructor(options: EngineOptions) {
    this.ctx = new EngineContext(options);
  }

  /** A scratch in-memory database (tests, `--in-memory`). */
  static inMemory(options: Omit<EngineOptions, 'path'> = {}): Engine {
    return new Engine({ ...options, path: ':memory:' });
  }

  /** Names of the DynamoDB operations this engine implements. */
  get operationNames(): string[] {
    return Object.keys(operations);
  }

  has(operation: string): boolean {
    return Object.prototype.hasOwnProperty.call(operations, operation);
  }

  /**
   * Runs one DynamoDB operation. `input` is the request body as parsed JSON (DynamoDB's wire shapes);
   * the result is the response body. Failures are DynamoErrors carrying DynamoDB's type and message.
   */
  execute(operation: string, input: unknown): unknown {
    if (!this.has(operation)) {
      throw new DynamoError('UnknownOperationException', `Unknown operation: ${operation}`);
    }
    this.ctx.refreshIfChanged(CATALOG_READS.has(operation));
    // Capacity accounting, throttling, fault injection and metrics around the call
    // (engine/metrics/monitor.ts): begin() may refuse the request (throttled, or an injected fault).
    const usage = this.ctx.usage;
    usage.begin(operation, input);
    let result: unknown;
    try {
      try {
        result = this.dispatch(operation, input);
      } catch (e) {
        // Another process sharing the file dropped a table this engine still knew: catch up, retry once.
        if (!(e instanceof Error) || !e.message.startsWith('no such table')) throw e;
        this.ctx.refreshIfChanged(true);
        result = this.dispatch(operation, input);
      }
    } catch (e) {
      usage.failed(e);
      throw e;
    }
    usage.succeeded(result);
    return result;
  }

  /**
   * Latency that fault injection added to the last operation (milliseconds), cleared by reading it.
   * The engine never sleeps: the HTTP server waits this long before it answers.
   */
  takeInjectedDelay(): number {
    return this.ctx.usage.takeDelay();
  }

  private dispatch(operation: string, input: unknown): unknown {
    if (!CONTROL_PLANE.has(operation)) return operations[operation]!(this.ctx, input ?? {});
    try {
      return operations[operation]!(this.ctx, input ?? {});
    } finally {
      this.ctx.syncFeatures();
    }
  }

  /**
   * Deletes the items whose TTL has expired (as of `now`, default the engine's clock), in batches of
   * at most 100 per transaction, as the background sweeper does. Returns how many were deleted.
   */
  sweepExpiredItems(now?: number): number {
    return this.ctx.ttl.sweep(now ?? this.ctx.now());
  }

  /** Runs one of Sortkey's own operations (not DynamoDB's), such as Explain. */
  executeSortkey(operation: string, input: unknown): unknown {
    if (!Object.prototype.hasOwnProperty.call(sortkeyOperations, operation)) {
      throw new DynamoError('UnknownOperationException', `Unknown operation: ${operation}`);
    }
    return sortkeyOperations[operation]!(this.ctx, input ?? {});
  }

  /** EXPLAIN for a PartiQL statement: the plan and the capacity it would consume now. */
  explain(statement: string, parameters?: unknown[]): ExplainResult {
    return this.executeSortkey('Explain', { Statement: statement, Parameters: parameters }) as ExplainResult;
  }

  close(): void {
    this.ctx.close();
  }
}
