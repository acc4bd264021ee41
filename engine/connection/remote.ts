// A DynamoDB-compatible service as a Connection, through the AWS SDK v3: an endpoint (another
// Sortkey, DynamoDB Local, LocalStack, ScyllaDB Alternator, dynalite) or DynamoDB itself in a
// region. Credentials come from the SDK's full chain (@aws-sdk/credential-provider-node:
// environment, ~/.aws profiles, SSO, assume-role, web identity, container and instance metadata)
// or from static keys given by the caller; the connection never stores them.
//
// The SDK is loaded on the first request, not when this module loads: the shell, the studio and the
// dumps import the connection layer on every start, and most starts never reach a remote service.
import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { parseStatement, tableOf } from '../../grammar/partiql/index.js';
import { Engine } from '../engine.js';
import { DynamoError } from '../errors.js';
import type { AttributeValue } from '../types.js';
import { fromSdkOutput, toSdkInput } from './sdk-values.js';
import type {
  Connection,
  ConnectionCapabilities,
  ExplainOutcome,
  OperationInput,
  OperationName,
  OperationOutput,
  TableDescription,
} from './types.js';
import { ConnectionError } from './types.js';

export interface RemoteOptions {
  /** Endpoint URL (e.g. http://localhost:8000); DynamoDB's regional endpoint when absent. */
  readonly endpoint?: string;
  /** Region; default $AWS_REGION, $AWS_DEFAULT_REGION, the profile's region, or us-east-1 for endpoints. */
  readonly region?: string;
  /** A profile of ~/.aws/config and ~/.aws/credentials (SSO and assume-role profiles included). */
  readonly profile?: string;
  /** Static keys (tests, scripts); otherwise the SDK's credential chain. */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Attempts per request on throttling and transient failures. Default 10. */
  readonly maxAttempts?: number;
  /** First backoff delay in milliseconds (doubles each attempt, with jitter, up to 10 s). Default 50. */
  readonly baseDelayMs?: number;
  /** Milliseconds to wait for a TCP connection. Default 5000. */
  readonly connectTimeoutMs?: number;
}

/** Credentials for endpoints that take any (Sortkey, DynamoDB Local) when none are configured. */
const PLACEHOLDER_CREDENTIALS = { accessKeyId: 'sortkey', secretAccessKey: 'sortkey' };
const DEFAULT_ENDPOINT_REGION = 'us-east-1';

/** Errors worth another attempt after a pause. */
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'LimitExceededException',
  'TransactionConflictException',
]);
const RETRYABLE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

export function isRetryable(e: unknown): boolean {
  const err = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (err.name && RETRYABLE.has(err.name)) return true;
  if (err.code && RETRYABLE_CODES.has(err.code)) return true;
  const status = err.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Exponential backoff with full jitter: a random pause in [0, min(cap, base·2^attempt)). */
export function backoffMs(attempt: number, baseMs: number, capMs = 10_000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

const PARTIQL_OPERATIONS = new Set(['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);

/** Fields of an SDK error that are the service's own (DynamoDB's error body beside the message). */
function errorExtra(err: Record<string, unknown>): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  for (const k of ['Item', 'CancellationReasons']) if (err[k] !== undefined) extra[k] = fromSdkOutput(err[k]);
  return Object.keys(extra).length > 0 ? extra : undefined;
}

type CommandClass = new (input: object) => unknown;

interface Sdk {
  client: DynamoDBClient;
  commands: Record<string, CommandClass>;
}

export class RemoteConnection implements Connection {
  readonly kind = 'remote' as const;
  readonly description: string;
  /** The service, for messages: its endpoint or `DynamoDB in <region>`. */
  readonly where: string;
  readonly region: string | undefined;
  private partiql: boolean | undefined;
  private sdk: Promise<Sdk> | undefined;
  private mirror: Engine | undefined;
  /** Key schema + indexes already mirrored, by table name (JSON of what was created). */
  private readonly mirrored = new Map<string, string>();

  constructor(readonly options: RemoteOptions) {
    this.region =
      options.region ??
      process.env.AWS_REGION ??
      process.env.AWS_DEFAULT_REGION ??
      (options.endpoint ? DEFAULT_ENDPOINT_REGION : undefined);
    this.where = options.endpoint ?? `DynamoDB in ${this.region ?? 'the profile’s region'}`;
    this.description = options.profile ? `${this.where} (profile ${options.profile})` : this.where;
  }

  get capabilities(): ConnectionCapabilities {
    return {
      exactExplain: false,
      metrics: false,
      throttling: false,
      faultInjection: false,
      partiql: this.partiql,
      atomicImport: false,
    };
  }

  /** Whether the remote service answers in approximations (DynamoDB's counts refresh every ~6 h). */
  get approximateCounts(): boolean {
    return this.options.endpoint === undefined;
  }

  private load(): Promise<Sdk> {
    this.sdk ??= (async () => {
      // The SDK warns on Node 20 about its own future releases; that is noise here.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const sdk = (await import('@aws-sdk/client-dynamodb')) as unknown as Record<string, unknown>;
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      const o = this.options;
      const config: DynamoDBClientConfig = {
        maxAttempts: 1, // retries are ours (isRetryable), with backoff the caller can tune
        requestHandler: { connectionTimeout: o.connectTimeoutMs ?? 5000 },
        ...(this.region ? { region: this.region } : {}),
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
        // The profile also gives the region and `endpoint_url` when the options do not.
        ...(o.profile ? { profile: o.profile } : {}),
      };
      if (o.credentials) config.credentials = { ...o.credentials };
      else {
        const chain = defaultProvider(o.profile ? { profile: o.profile } : {});
        // A local endpoint accepts any credentials: use configured ones when there are some,
        // placeholders otherwise, so nobody has to invent keys for DynamoDB Local.
        config.credentials =
          o.endpoint && !o.profile
            ? async () => {
                try {
                  return await chain();
                } catch {
                  return PLACEHOLDER_CREDENTIALS;
                }
              }
            : chain;
      }
      const Client = sdk.DynamoDBClient as new (c: DynamoDBClientConfig) => DynamoDBClient;
      const commands: Record<string, CommandClass> = {};
      for (const [name, value] of Object.entries(sdk)) {
        if (name.endsWith('Command') && typeof value === 'function')
          commands[name.slice(0, -'Command'.length)] = value as CommandClass;
      }
      return { client: new Client(config), commands };
    })();
    return this.sdk;
  }

  /** The SDK client itself (loaded on first use), for callers that need the SDK's own API. */
  async sdkClient(): Promise<DynamoDBClient> {
    return (await this.load()).client;
  }

  /** The SDK's failures as ConnectionErrors: the service's exception, or what kept us from it. */
  private translate(e: unknown, operation: string, signal?: AbortSignal): unknown {
    const err = e as Error & Record<string, unknown> & { code?: string; $fault?: string };
    if (signal?.aborted || err?.name === 'AbortError') return signal?.reason ?? e;
    if (
      err?.name === 'UnknownOperationException' ||
      (err?.name === 'UnknownError' && PARTIQL_OPERATIONS.has(operation))
    ) {
      if (PARTIQL_OPERATIONS.has(operation)) this.partiql = false;
      return new ConnectionError(
        'UnknownOperationException',
        `${this.where} does not implement ${operation}${PARTIQL_OPERATIONS.has(operation) ? ' (PartiQL)' : ''}`,
      );
    }
    if (err && err.$metadata !== undefined && err.$fault !== undefined)
      return new ConnectionError(err.name, err.message || err.name, errorExtra(err));
    if (err?.name === 'CredentialsProviderError')
      return new ConnectionError(
        'CredentialsError',
        `${err.message} (configure AWS credentials or choose a profile; see https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html)`,
      );
    if (err && typeof err.code === 'string')
      return new ConnectionError('NetworkError', `cannot reach ${this.where}: ${err.message || err.code}`);
    return e;
  }

  /** Sends one request, retrying throttling and transient failures with exponential backoff. */
  async callAny(
    operation: string,
    input: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const { client, commands } = await this.load();
    const Command = commands[operation];
    if (!Command)
      throw new ConnectionError('UnknownOperationException', `the AWS SDK has no ${operation} command`);
    const sdkInput = toSdkInput(input) as object;
    return this.send(operation, client, () => new Command(sdkInput), signal);
  }

  /**
   * Sends one request whose JSON body the caller wrote (DynamoDB JSON, as the wire has it), with
   * the retries of callAny. The SDK still signs and sends it; only its serialisation of the input
   * (a walk and a copy of every attribute value) is skipped: a bulk import's BatchWriteItem bodies
   * are spliced from stored item text.
   */
  async callWithBody(
    operation: string,
    body: string,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const { client, commands } = await this.load();
    const Command = commands[operation];
    if (!Command)
      throw new ConnectionError('UnknownOperationException', `the AWS SDK has no ${operation} command`);
    const length = String(Buffer.byteLength(body, 'utf8'));
    return this.send(
      operation,
      client,
      () => {
        const command = new Command({}) as {
          middlewareStack: {
            add(
              m: (next: (args: { request: unknown }) => unknown) => (args: { request: unknown }) => unknown,
              o: { step: 'build'; priority: 'high'; name: string },
            ): void;
          };
        };
        // After serialisation (of an empty input), before the content length and the signature.
        command.middlewareStack.add(
          (next) => (args) => {
            const request = args.request as { body?: unknown; headers?: Record<string, string> };
            request.body = body;
            if (request.headers) {
              for (const h of Object.keys(request.headers))
                if (h.toLowerCase() === 'content-length') delete request.headers[h];
              request.headers['content-length'] = length;
            }
            return next(args);
          },
          { step: 'build', priority: 'high', name: 'sortkeyRequestBody' },
        );
        return command;
      },
      signal,
    );
  }

  private async send(
    operation: string,
    client: DynamoDBClient,
    command: () => unknown,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    const attempts = this.options.maxAttempts ?? 10;
    const base = this.options.baseDelayMs ?? 50;
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      try {
        const out = await client.send(command() as never, signal ? { abortSignal: signal } : {});
        if (PARTIQL_OPERATIONS.has(operation)) this.partiql = true;
        return fromSdkOutput(out) as Record<string, unknown>;
      } catch (e) {
        if (attempt + 1 >= attempts || !isRetryable(e) || signal?.aborted)
          throw this.translate(e, operation, signal);
        await sleep(backoffMs(attempt, base));
      }
    }
  }

  call<O extends OperationName>(
    operation: O,
    input: OperationInput<O>,
    signal?: AbortSignal,
  ): Promise<OperationOutput<O>> {
    return this.callAny(operation, input as Record<string, unknown>, signal) as Promise<OperationOutput<O>>;
  }

  sortkey(operation: string, _input?: Record<string, unknown>): Promise<Record<string, unknown>> {
    return Promise.reject(
      new ConnectionError(
        'UnsupportedOperation',
        `${operation} is Sortkey's own; ${this.description} does not have it`,
      ),
    );
  }

  /** Creates (or re-creates) the mirror of a remote table: same keys and indexes, no items. */
  private async mirrorTable(engine: Engine, name: string, signal?: AbortSignal): Promise<void> {
    const d = ((await this.call('DescribeTable', { TableName: name }, signal)) as { Table: TableDescription })
      .Table;
    const index = (i: NonNullable<TableDescription['GlobalSecondaryIndexes']>[number]) => ({
      IndexName: i.IndexName,
      KeySchema: i.KeySchema,
      Projection: i.Projection ?? { ProjectionType: 'ALL' },
    });
    const input: Record<string, unknown> = {
      TableName: d.TableName,
      AttributeDefinitions: d.AttributeDefinitions,
      KeySchema: d.KeySchema,
      BillingMode: 'PAY_PER_REQUEST',
    };
    if (d.GlobalSecondaryIndexes?.length) input.GlobalSecondaryIndexes = d.GlobalSecondaryIndexes.map(index);
    if (d.LocalSecondaryIndexes?.length) input.LocalSecondaryIndexes = d.LocalSecondaryIndexes.map(index);
    const signature = JSON.stringify(input);
    if (this.mirrored.get(name) === signature) return;
    try {
      if (this.mirrored.has(name)) engine.execute('DeleteTable', { TableName: name });
      engine.execute('CreateTable', input);
      this.mirrored.set(name, signature);
    } catch (e) {
      if (e instanceof DynamoError)
        throw new ConnectionError(e.type, `could not mirror table ${name} for EXPLAIN: ${e.message}`);
      throw e;
    }
  }

  /**
   * EXPLAIN without the service's help (DynamoDB has none): the statement is planned on a mirror,
   * an in-memory engine holding the remote table's key schema and indexes from DescribeTable but
   * no items, so the plan (Query or Scan, index, key condition) is right and the capacity figures
   * are not.
   */
  async explain(
    statement: string,
    parameters?: AttributeValue[],
    signal?: AbortSignal,
  ): Promise<ExplainOutcome> {
    this.mirror ??= Engine.inMemory({ ttlSweepIntervalMs: 0 });
    const parsed = parseStatement(statement);
    if (parsed.ok) {
      const table = tableOf(parsed.statement);
      if (table) {
        try {
          await this.mirrorTable(this.mirror, table, signal);
        } catch (e) {
          // A missing table: let the engine report it as ExecuteStatement would.
          if (!(e instanceof ConnectionError && e.type === 'ResourceNotFoundException')) throw e;
        }
      }
    }
    let result: ExplainOutcome;
    try {
      result = this.mirror.explain(statement, parameters && parameters.length > 0 ? parameters : undefined);
    } catch (e) {
      if (e instanceof DynamoError) throw new ConnectionError(e.type, e.message);
      throw e;
    }
    return {
      ...result,
      Warnings: result.Warnings.filter(
        (w) => !w.startsWith('On the current data') && !w.startsWith('Estimate stops'),
      ),
      Note: 'planned from the remote table’s keys and indexes; capacity estimates need local data',
    };
  }

  async close(): Promise<void> {
    const sdk = this.sdk;
    this.sdk = undefined;
    if (sdk) (await sdk).client.destroy();
    this.mirror?.close();
    this.mirror = undefined;
  }
}
