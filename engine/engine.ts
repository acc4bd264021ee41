// The engine's public face: open a database, execute DynamoDB operations by name, close.
import { EngineContext } from './context.js';
import type { EngineOptions } from './context.js';
import type { Namespace } from './tables/table.js';
import { DynamoError } from './errors.js';
import { jsonOperations, operations, sortkeyOperations } from './operations/index.js';
import { explainOperationInSlices } from './partiql/index.js';
import type { ExplainResult } from './partiql/index.js';
import { DatabaseBusyError, isBusyError, isDiskFullError } from './storage/database.js';
import { isSelectStatement } from './workers/protocol.js';
import { authorize } from './access/authorize.js';
import type { Caller } from './access/authorize.js';
import { AutomationRunner } from './automation/runner.js';
import type { AlarmStateChange } from './automation/runner.js';
import { SCALING_SPEEDS } from './automation/scaling.js';

export type { AlarmStateChange, Caller, EngineOptions, Namespace };

/** Operations after which streams, TTL and point-in-time recovery are reconciled with the catalog. */
const CONTROL_PLANE = new Set(['CreateTable', 'UpdateTable', 'DeleteTable', 'ImportTable']);

/** Operations that read the catalog itself: they always look for other processes' changes first. */
const CATALOG_READS = new Set(['ListTables', 'DescribeTable', 'CreateTable', 'UpdateTable', 'DeleteTable']);

/** Operations that only read items (ExecuteStatement when its statement is a SELECT). */
const ITEM_READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

function isItemRead(operation: string, input: unknown): boolean {
  if (ITEM_READS.has(operation)) return true;
  return (
    operation === 'ExecuteStatement' &&
    isSelectStatement((input as { Statement?: unknown } | null)?.Statement)
  );
}

/**
 * What `execute` answers with: the response object, or (`'json'`, for an endpoint) the response's
 * JSON text where the operation can produce it directly (operations/index.ts, `jsonOperations`),
 * else still the object.
 */
export type Answer = 'object' | 'json';

/** Marks an attempt that found the file locked by another process (executeWaiting runs it again). */
const LOCKED: unique symbol = Symbol('locked');

function isLocked(e: unknown): boolean {
  return e instanceof DatabaseBusyError || isBusyError(e);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class Engine {
  readonly ctx: EngineContext;
  /** Auto scaling and alarms (engine/automation): evaluated by a timer when one is asked for. */
  readonly automation: AutomationRunner;

  constructor(options: EngineOptions) {
    const speed = options.scalingSpeed ?? 1;
    if (!SCALING_SPEEDS.includes(speed)) {
      throw new RangeError(`scalingSpeed must be one of ${SCALING_SPEEDS.join(', ')}`);
    }
    this.ctx = new EngineContext(options);
    // Capacity changes go through UpdateTable as a client's would (metered, throttler updated),
    // without blocking on another process's lock.
    this.automation = new AutomationRunner(
      this.ctx,
      (op, input, ns) => this.executeWaiting(op, input, ns),
      speed,
    );
    this.automation.start(options.automationIntervalMs ?? 0);
  }

  /**
   * Evaluates the scaling policies and alarms that are due now (what the timer does). Returns
   * false, having done nothing, while another process on the same file holds the automation lease.
   */
  runAutomation(): boolean {
    return this.automation.turn();
  }

  /** Calls `listener` after each alarm state change (`sortkey serve --alarm-exec`). */
  onAlarmStateChange(listener: (change: AlarmStateChange) => void): void {
    this.automation.onAlarmStateChange(listener);
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
   * A write that finds the file locked by another process waits for it inside SQLite, blocking,
   * for up to 5 s; servers use `executeWaiting`, which waits without blocking.
   */
  execute(operation: string, input: unknown, namespace?: Namespace, answer: Answer = 'object'): unknown {
    try {
      return this.ctx.db.blocking(() => this.attempt(operation, input, false, namespace, answer));
    } catch (e) {
      throw this.publicError(e);
    }
  }

  /**
   * Like `execute`, but a write that finds the database file locked by another process does not
   * block: it gives up after a few milliseconds and is run again from a timer, with backoff, so the
   * event loop keeps serving. The result is the answer itself when no waiting was needed, otherwise
   * a promise of it. After `lockWaitMs` (default 5 s) of waiting the request fails with a
   * ThrottlingException, which the SDKs retry.
   */
  executeWaiting(
    operation: string,
    input: unknown,
    namespace?: Namespace,
    answer: Answer = 'object',
  ): unknown {
    const first = this.attemptWithoutWaiting(operation, input, namespace, answer);
    if (first !== LOCKED) return first;
    return this.waitAndRetry(operation, input, namespace, answer);
  }

  private attemptWithoutWaiting(
    operation: string,
    input: unknown,
    namespace: Namespace | undefined,
    answer: Answer,
  ): unknown {
    try {
      return this.ctx.db.withoutWaiting(() => this.attempt(operation, input, true, namespace, answer));
    } catch (e) {
      if (isLocked(e)) return LOCKED;
      throw this.publicError(e);
    }
  }

  private async waitAndRetry(
    operation: string,
    input: unknown,
    namespace: Namespace | undefined,
    answer: Answer,
  ): Promise<unknown> {
    const started = performance.now();
    let delay = 2;
    for (;;) {
      // Jittered, so that waiting writers of several processes do not retry in step.
      await sleep(delay / 2 + Math.random() * delay);
      delay = Math.min(delay * 2, 64);
      if (!this.ctx.db.sqlite.open) throw this.publicError(new DatabaseBusyError());
      const result = this.attemptWithoutWaiting(operation, input, namespace, answer);
      if (result !== LOCKED) return result;
      if (performance.now() - started >= this.ctx.lockWaitMs) throw this.lockTimeout();
    }
  }

  /**
   * One run of an operation. With `lockedIsRetried`, an attempt that found the file locked records
   * nothing in the metrics (it will run again); otherwise it counts as the failure it becomes.
   */
  private attempt(
    operation: string,
    input: unknown,
    lockedIsRetried: boolean,
    namespace: Namespace | undefined,
    answer: Answer,
  ): unknown {
    if (!this.has(operation)) {
      throw new DynamoError('UnknownOperationException', `Unknown operation: ${operation}`);
    }
    return this.ctx.inNamespace(namespace, () => this.attemptIn(operation, input, lockedIsRetried, answer));
  }

  private attemptIn(operation: string, input: unknown, lockedIsRetried: boolean, answer: Answer): unknown {
    this.ctx.refreshIfChanged(CATALOG_READS.has(operation));
    // A server's reads (executeWaiting) share one read transaction per turn of the event loop.
    if (lockedIsRetried && isItemRead(operation, input)) this.ctx.db.holdReadsForTurn();
    // Capacity accounting, throttling, fault injection and metrics around the call
    // (engine/metrics/monitor.ts): begin() may refuse the request (throttled, or an injected fault).
    const usage = this.ctx.usage;
    usage.begin(operation, input);
    let result: unknown;
    try {
      try {
        result = this.dispatch(operation, input, answer);
      } catch (e) {
        // Another process sharing the file dropped a table this engine still knew: catch up, retry once.
        if (!(e instanceof Error) || !e.message.startsWith('no such table')) throw e;
        this.ctx.refreshIfChanged(true);
        result = this.dispatch(operation, input, answer);
      }
    } catch (e) {
      if (lockedIsRetried && isLocked(e)) usage.abandoned();
      else usage.failed(this.publicError(e));
      throw e;
    }
    usage.succeeded(result);
    // A write to a global table queued replicated writes: the applier wakes for them.
    this.ctx.replication.afterOperation();
    return result;
  }

  /** What a client is told of a failure: DynamoErrors as they are, SQLite's conditions in words. */
  private publicError(e: unknown): unknown {
    if (isLocked(e)) return this.lockTimeout();
    if (isDiskFullError(e)) {
      if (!this.diskFullReported) {
        this.diskFullReported = true;
        console.error(
          `sortkey: the disk holding ${this.ctx.db.path} is full: writes fail until space is freed (reads still work)`,
        );
      }
      // DynamoDB has no such condition; a server-side fault that names its cause is the honest answer.
      return new DynamoError(
        'InternalServerError',
        'Internal server error: the disk holding the database file is full (SQLITE_FULL); nothing was written. Free some space and retry.',
      );
    }
    return e;
  }

  private diskFullReported = false;

  private lockTimeout(): DynamoError {
    // DynamoDB has no such condition either. ThrottlingException is what AWS documents as a
    // retryable 400 ("OK to retry? Yes"): the SDKs retry it with backoff, and it is no server fault.
    return new DynamoError(
      'ThrottlingException',
      `The database file is locked by another process: its write lock stayed busy for ${this.ctx.lockWaitMs} ms. Please try again shortly.`,
    );
  }

  /**
   * Latency that fault injection added to the last operation (milliseconds), cleared by reading it.
   * The engine never sleeps: the HTTP server waits this long before it answers.
   */
  takeInjectedDelay(): number {
    return this.ctx.usage.takeDelay();
  }

  private dispatch(operation: string, input: unknown, answer: Answer): unknown {
    if (answer === 'json') {
      const json = jsonOperations[operation];
      if (json) return json(this.ctx, input ?? {});
    }
    if (!CONTROL_PLANE.has(operation)) return operations[operation]!(this.ctx, input ?? {});
    try {
      return operations[operation]!(this.ctx, input ?? {});
    } finally {
      this.ctx.syncFeatures();
    }
  }

  /**
   * Applies the replicated writes of global tables that are due (as of `now`, default the engine's
   * clock), as the background applier does: tests with an injected clock call it.
   */
  replicateDue(now?: number): void {
    this.ctx.replication.runDue(now ?? this.ctx.now());
  }

  /**
   * Deletes the items whose TTL has expired (as of `now`, default the engine's clock), in batches of
   * at most 100 per transaction, as the background sweeper does. Returns how many were deleted.
   */
  sweepExpiredItems(now?: number): number {
    return this.ctx.ttl.sweep(now ?? this.ctx.now());
  }

  /**
   * Throws DynamoDB's AccessDeniedException unless `caller` may run `operation` (`service`
   * 'sortkey': one of Sortkey's own) with `input` in `namespace`, by IAM's rules: the caller's
   * identity policies and the resource-based policies of the tables and streams it touches
   * (engine/access). The endpoint calls it before `execute` when it runs with `--auth`.
   */
  authorize(
    operation: string,
    input: unknown,
    namespace: Namespace | undefined,
    caller: Caller,
    service: 'dynamodb' | 'sortkey' = 'dynamodb',
  ): void {
    try {
      this.ctx.inNamespace(namespace, () => {
        this.ctx.refreshIfChanged();
        authorize(this.ctx, operation, input, caller, service);
      });
    } catch (e) {
      throw this.publicError(e);
    }
  }

  /** Runs one of Sortkey's own operations (not DynamoDB's), such as Explain. */
  executeSortkey(operation: string, input: unknown, namespace?: Namespace): unknown {
    if (!Object.prototype.hasOwnProperty.call(sortkeyOperations, operation)) {
      throw new DynamoError('UnknownOperationException', `Unknown operation: ${operation}`);
    }
    return this.ctx.inNamespace(namespace, () => sortkeyOperations[operation]!(this.ctx, input ?? {}));
  }

  /** EXPLAIN for a PartiQL statement: the plan and the capacity it would consume now. */
  explain(statement: string, parameters?: unknown[], namespace?: Namespace): ExplainResult {
    return this.executeSortkey(
      'Explain',
      { Statement: statement, Parameters: parameters },
      namespace,
    ) as ExplainResult;
  }

  /**
   * Every region (and account) that holds tables, with how many: the shell and the studio offer
   * them, so that an application's tables in another region are never out of sight.
   */
  regions(): { region: string; accountId: string; tables: number }[] {
    this.ctx.refreshIfChanged(true);
    return this.ctx.catalog.regions();
  }

  /** The namespace requests that name none use (the engine's `region` and `accountId` options). */
  get defaultNamespace(): Namespace {
    return this.ctx.defaultNamespace;
  }

  /**
   * Makes `region` the one of requests that name none, and of everything that works on the
   * engine directly (dumps, imports, exports): the shell's `.region`, tools' `--region`. Only for
   * an engine one tool owns; a server shared with others passes a namespace per request instead.
   */
  setDefaultRegion(region: string): void {
    const ns = { region, accountId: this.ctx.defaultNamespace.accountId };
    this.ctx.defaultNamespace = ns;
    this.ctx.catalog.use(ns);
  }

  /**
   * The Explain operation (`{ Statement, Parameters?, ConsistentRead? }`) giving the event loop a
   * turn between slices of its estimate's reads (`pause`, default one setImmediate): the studio
   * explains whole-table reads on the thread that answers DynamoDB requests.
   */
  explainInSlices(
    input: unknown,
    pause?: () => Promise<void>,
    namespace?: Namespace,
  ): Promise<ExplainResult> {
    return explainOperationInSlices(this.ctx, input, pause, namespace);
  }

  close(): void {
    this.automation.stop();
    this.ctx.close();
  }
}
