// A DynamoDB-compatible service as a shell backend, through the AWS SDK: `--endpoint URL` (a running
// `sortkey serve`, DynamoDB Local, …) or `--region R [--profile P]` (DynamoDB itself, with the
// standard credential chain). Statements run as ExecuteStatement on the service. EXPLAIN runs on a
// mirror: an in-memory engine holding the remote tables' key schemas and indexes (no items), so the
// plan is right but capacity estimates need local data.
import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue as SdkAttributeValue, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { parseStatement } from '../../grammar/partiql/index.js';
import { Engine } from '../../engine/engine.js';
import { DynamoError } from '../../engine/errors.js';
import type { AttributeValue, Item } from '../../engine/types.js';
import type {
  Backend,
  BatchStatementResponse,
  ConsumedCapacity,
  OperationCall,
  ExplainOutcome,
  StatementPage,
  StatementRequest,
  TableDescription,
  TableExtras,
} from './backend.js';
import { CancelledError, collectExtras, countItems, ServiceError } from './backend.js';
import { tableOf } from './statement-info.js';
import { fromSdkItem, toSdkValue } from './values.js';

export interface RemoteOptions {
  /** An endpoint URL; without it, DynamoDB in `region`. */
  endpoint?: string;
  region?: string;
  profile?: string;
}

/** Credentials for endpoints that take any (sortkey serve, DynamoDB Local) when none are configured. */
const PLACEHOLDER_CREDENTIALS = { accessKeyId: 'sortkey', secretAccessKey: 'sortkey' };

const DEFAULT_ENDPOINT_REGION = 'us-east-1';

/** The SDK commands `OperationCall` reaches (the calls backends share). */
const COMMANDS: Record<string, new (input: never) => object> = {
  Scan: ScanCommand,
  DescribeTimeToLive: DescribeTimeToLiveCommand,
  DescribeContinuousBackups: DescribeContinuousBackupsCommand,
  ListTagsOfResource: ListTagsOfResourceCommand,
};

function sdkStatement(request: StatementRequest): { Statement: string; Parameters?: SdkAttributeValue[] } {
  return {
    Statement: request.statement,
    ...(request.parameters && request.parameters.length > 0
      ? { Parameters: request.parameters.map((p) => toSdkValue(p) as unknown as SdkAttributeValue) }
      : {}),
  };
}

/** The SDK's errors as the shell's: DynamoDB's exception name and message; Ctrl-C as CancelledError. */
function translate(e: unknown, where: string, operation: string, signal?: AbortSignal): Error {
  if (signal?.aborted) return new CancelledError();
  const err = e as Error & { code?: string; $metadata?: unknown; $fault?: string };
  if (err && err.name === 'AbortError') return new CancelledError();
  if (err && err.name === 'UnknownOperationException') {
    // dynalite and other older emulators answer operations they lack with `UnknownError`.
    return new ServiceError(
      err.name,
      `${where} does not implement ${operation}${/Statement|Transaction/.test(operation) ? ' (PartiQL)' : ''}: it answered UnknownOperationException (sortkey serve and DynamoDB Local do implement it)`,
    );
  }
  if (err && err.$metadata !== undefined && err.$fault !== undefined) {
    return new ServiceError(err.name, err.message || err.name);
  }
  if (err && err.name === 'CredentialsProviderError') {
    return new ServiceError(
      'CredentialsError',
      `${err.message} (configure AWS credentials, or pass --profile; see https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html)`,
    );
  }
  if (err && typeof err.code === 'string') {
    return new ServiceError('NetworkError', `cannot reach ${where}: ${err.message || err.code}`);
  }
  return err instanceof Error ? err : new Error(String(e));
}

export class RemoteBackend implements Backend {
  readonly kind = 'remote' as const;
  readonly description: string;
  readonly promptName: string;
  readonly approximateCounts: boolean;
  private readonly where: string;
  readonly dumpSource: { remote: RemoteOptions };
  private readonly client: DynamoDBClient;
  private mirror: Engine | undefined;
  /** Key schema + indexes already mirrored, by table name (JSON of what was created). */
  private readonly mirrored = new Map<string, string>();

  constructor(options: RemoteOptions) {
    // The SDK warns on Node 20 about its own future releases; that is noise in a shell.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const region =
      options.region ?? (options.endpoint ? (process.env.AWS_REGION ?? DEFAULT_ENDPOINT_REGION) : undefined);
    const config: DynamoDBClientConfig = {
      ...(region ? { region } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint, maxAttempts: 2 } : {}),
      requestHandler: { connectionTimeout: 5000 },
    };
    if (options.endpoint && !options.profile) {
      // Use configured credentials when there are some; local endpoints accept anything otherwise.
      const chain = new DynamoDBClient(config).config.credentials;
      config.credentials = async () => {
        try {
          return await chain();
        } catch {
          return PLACEHOLDER_CREDENTIALS;
        }
      };
    }
    this.client = new DynamoDBClient(config);
    this.approximateCounts = options.endpoint === undefined;
    this.dumpSource = { remote: { ...options } };
    this.where = options.endpoint ?? `DynamoDB in ${region ?? 'the default region'}`;
    if (options.endpoint) {
      const url = new URL(options.endpoint);
      this.description = `${options.endpoint}${region ? ` (region ${region})` : ''}`;
      this.promptName = url.host;
    } else {
      this.description = `DynamoDB in ${region ?? 'the default region'}${options.profile ? ` (profile ${options.profile})` : ''}`;
      this.promptName = region ?? 'aws';
    }
  }

  private async send<T>(command: object, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new CancelledError();
    try {
      return (await this.client.send(command as never, signal ? { abortSignal: signal } : {})) as T;
    } catch (e) {
      throw translate(e, this.where, command.constructor.name.replace(/Command$/, ''), signal);
    }
  }

  async executeStatement(request: StatementRequest, signal?: AbortSignal): Promise<StatementPage> {
    const out = await this.send<{
      Items?: Record<string, SdkAttributeValue>[];
      NextToken?: string;
      ConsumedCapacity?: ConsumedCapacity;
    }>(
      new ExecuteStatementCommand({
        ...sdkStatement(request),
        ...(request.nextToken ? { NextToken: request.nextToken } : {}),
        ...(request.limit !== undefined ? { Limit: request.limit } : {}),
        ReturnConsumedCapacity: 'TOTAL',
      }),
      signal,
    );
    const page: StatementPage = { Items: (out.Items ?? []).map((i) => fromSdkItem(i)) };
    if (out.NextToken) page.NextToken = out.NextToken;
    if (out.ConsumedCapacity) page.ConsumedCapacity = out.ConsumedCapacity;
    return page;
  }

  private callWith(signal?: AbortSignal): OperationCall {
    return (operation, input) => this.send(new COMMANDS[operation]!(input as never), signal);
  }

  async executeTransaction(
    statements: StatementRequest[],
    signal?: AbortSignal,
  ): Promise<{ Responses?: { Item?: Item }[]; ConsumedCapacity?: ConsumedCapacity[] }> {
    const out = await this.send<{
      Responses?: { Item?: Record<string, SdkAttributeValue> }[];
      ConsumedCapacity?: ConsumedCapacity[];
    }>(
      new ExecuteTransactionCommand({
        TransactStatements: statements.map(sdkStatement),
        ReturnConsumedCapacity: 'TOTAL',
      }),
      signal,
    );
    return {
      ...(out.Responses
        ? { Responses: out.Responses.map((r) => (r.Item ? { Item: fromSdkItem(r.Item) } : {})) }
        : {}),
      ...(out.ConsumedCapacity ? { ConsumedCapacity: out.ConsumedCapacity } : {}),
    };
  }

  async batchExecuteStatement(
    statements: StatementRequest[],
    signal?: AbortSignal,
  ): Promise<{ Responses: BatchStatementResponse[]; ConsumedCapacity?: ConsumedCapacity[] }> {
    const out = await this.send<{
      Responses?: (Omit<BatchStatementResponse, 'Item'> & { Item?: Record<string, SdkAttributeValue> })[];
      ConsumedCapacity?: ConsumedCapacity[];
    }>(
      new BatchExecuteStatementCommand({
        Statements: statements.map(sdkStatement),
        ReturnConsumedCapacity: 'TOTAL',
      }),
      signal,
    );
    return {
      Responses: (out.Responses ?? []).map((r) => ({
        ...(r.TableName ? { TableName: r.TableName } : {}),
        ...(r.Item ? { Item: fromSdkItem(r.Item) } : {}),
        ...(r.Error ? { Error: r.Error } : {}),
      })),
      ...(out.ConsumedCapacity ? { ConsumedCapacity: out.ConsumedCapacity } : {}),
    };
  }

  count(
    table: string,
    index: string | undefined,
    signal?: AbortSignal,
    onPage?: (count: number) => void,
  ): Promise<{ count: number; scanned: number; capacity: number }> {
    return countItems(this.callWith(signal), table, index, signal, onPage);
  }

  describeExtras(table: TableDescription, signal?: AbortSignal): Promise<TableExtras> {
    return collectExtras(this.callWith(signal), table);
  }

  async listTables(signal?: AbortSignal): Promise<string[]> {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const out = await this.send<{ TableNames?: string[]; LastEvaluatedTableName?: string }>(
        new ListTablesCommand(start ? { ExclusiveStartTableName: start } : {}),
        signal,
      );
      names.push(...(out.TableNames ?? []));
      start = out.LastEvaluatedTableName;
    } while (start);
    return names;
  }

  async describeTable(name: string, signal?: AbortSignal): Promise<TableDescription> {
    const out = await this.send<{ Table?: TableDescription }>(
      new DescribeTableCommand({ TableName: name }),
      signal,
    );
    if (!out.Table) throw new ServiceError('ResourceNotFoundException', 'Requested resource not found');
    return out.Table;
  }

  async sampleItems(table: string, limit: number, signal?: AbortSignal): Promise<Item[]> {
    const out = await this.send<{ Items?: Record<string, SdkAttributeValue>[] }>(
      new ScanCommand({ TableName: table, Limit: limit }),
      signal,
    );
    return (out.Items ?? []).map((i) => fromSdkItem(i));
  }

  async createTable(input: Record<string, unknown>, signal?: AbortSignal): Promise<TableDescription> {
    const out = await this.send<{ TableDescription: TableDescription }>(
      new CreateTableCommand(input as never),
      signal,
    );
    return out.TableDescription;
  }

  /** Creates (or re-creates) the mirror of a remote table: same keys and indexes, no items. */
  private async mirrorTable(engine: Engine, name: string, signal?: AbortSignal): Promise<void> {
    const d = await this.describeTable(name, signal);
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
        throw new ServiceError(e.type, `could not mirror table ${name} for EXPLAIN: ${e.message}`);
      throw e;
    }
  }

  async explain(
    statement: string,
    parameters?: AttributeValue[],
    signal?: AbortSignal,
  ): Promise<ExplainOutcome> {
    this.mirror ??= Engine.inMemory();
    const parsed = parseStatement(statement, { fast: true });
    if (parsed.ok) {
      const table = tableOf(parsed.statement);
      if (table) {
        try {
          await this.mirrorTable(this.mirror, table, signal);
        } catch (e) {
          // A missing table: let the engine report it as ExecuteStatement would.
          if (!(e instanceof ServiceError && e.type === 'ResourceNotFoundException')) throw e;
        }
      }
    }
    let result: ExplainOutcome;
    try {
      result = this.mirror.explain(statement, parameters && parameters.length > 0 ? parameters : undefined);
    } catch (e) {
      if (e instanceof DynamoError) throw new ServiceError(e.type, e.message);
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

  close(): Promise<void> {
    this.client.destroy();
    this.mirror?.close();
    return Promise.resolve();
  }
}
