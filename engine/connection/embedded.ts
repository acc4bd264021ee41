// The embedded engine as a Connection: operations run on an Engine in this process, or on anything
// that answers like one (the desktop app's engine in a utility process answers with promises).
import { Engine } from '../engine.js';
import { DynamoError } from '../errors.js';
import type { Namespace } from '../tables/table.js';
import type { AttributeValue } from '../types.js';
import type {
  Connection,
  ConnectionCapabilities,
  ExplainOutcome,
  OperationInput,
  OperationName,
  OperationOutput,
} from './types.js';
import { ConnectionError } from './types.js';

/** What the embedded connection needs of an engine (Engine, or a proxy of one in another process). */
export interface OperationExecutor {
  execute(operation: string, input: unknown, namespace?: Namespace): unknown;
  executeSortkey?(operation: string, input: unknown, namespace?: Namespace): unknown;
  close?(): void;
}

const EMBEDDED_CAPABILITIES: ConnectionCapabilities = {
  exactExplain: true,
  metrics: true,
  throttling: true,
  faultInjection: true,
  partiql: true,
  atomicImport: true,
};

/** The engine's errors as ConnectionErrors (DynamoDB's exception name, message and extra fields). */
function translate(e: unknown): unknown {
  if (e instanceof DynamoError) return new ConnectionError(e.type, e.message, e.extra);
  return e;
}

export class EmbeddedConnection implements Connection {
  readonly kind = 'embedded' as const;
  readonly capabilities: ConnectionCapabilities;
  /** The Engine itself when it lives in this process (imports write through it in one transaction). */
  readonly engine: Engine | undefined;

  constructor(
    private readonly executor: OperationExecutor,
    readonly description: string,
    /** Closing the connection closes the engine (false when someone else owns it, e.g. the server). */
    private readonly ownsEngine = false,
    /** The region (and account) each request names; undefined: the engine's default one. */
    private readonly namespace: () => Namespace | undefined = () => undefined,
  ) {
    this.engine = executor instanceof Engine ? executor : undefined;
    const sortkey = typeof executor.executeSortkey === 'function';
    this.capabilities = sortkey
      ? EMBEDDED_CAPABILITIES
      : {
          ...EMBEDDED_CAPABILITIES,
          exactExplain: false,
          metrics: false,
          throttling: false,
          faultInjection: false,
        };
    if (!this.engine) this.capabilities = { ...this.capabilities, atomicImport: false };
  }

  /** A scratch in-memory database, owned by the connection (tests, `--in-memory`). */
  static inMemory(): EmbeddedConnection {
    return new EmbeddedConnection(Engine.inMemory(), 'in-memory database', true);
  }

  private async run(signal: AbortSignal | undefined, f: () => unknown): Promise<Record<string, unknown>> {
    signal?.throwIfAborted();
    try {
      // Awaited inside the try: a proxied engine rejects instead of throwing.
      return ((await f()) ?? {}) as Record<string, unknown>;
    } catch (e) {
      throw translate(e);
    }
  }

  call<O extends OperationName>(
    operation: O,
    input: OperationInput<O>,
    signal?: AbortSignal,
  ): Promise<OperationOutput<O>> {
    return this.run(signal, () => this.executor.execute(operation, input, this.namespace())) as Promise<
      OperationOutput<O>
    >;
  }

  callAny(
    operation: string,
    input: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    return this.run(signal, () => this.executor.execute(operation, input, this.namespace()));
  }

  sortkey(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const executor = this.executor;
    if (!executor.executeSortkey)
      return Promise.reject(
        new ConnectionError('UnknownOperationException', `${operation} needs a Sortkey engine`),
      );
    return this.run(undefined, () => executor.executeSortkey!(operation, input, this.namespace()));
  }

  explain(statement: string, parameters?: AttributeValue[], signal?: AbortSignal): Promise<ExplainOutcome> {
    return this.run(signal, () =>
      this.executor.executeSortkey
        ? this.executor.executeSortkey(
            'Explain',
            {
              Statement: statement,
              ...(parameters && parameters.length > 0 ? { Parameters: parameters } : {}),
            },
            this.namespace(),
          )
        : Promise.reject(new ConnectionError('UnknownOperationException', 'EXPLAIN needs a Sortkey engine')),
    ) as unknown as Promise<ExplainOutcome>;
  }

  close(): Promise<void> {
    if (this.ownsEngine) this.executor.close?.();
    return Promise.resolve();
  }
}
