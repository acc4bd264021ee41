// A remote DynamoDB-compatible service (DynamoDB itself, another Sortkey, DynamoDB Local, ScyllaDB
// Alternator) as a source or target of dumps, through the AWS SDK: DynamoDB JSON on our side,
// SDK shapes (binary as Uint8Array) on the wire side, with retries and exponential backoff on
// throttling.
import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, Item } from '../types.js';

export interface RemoteOptions {
  /** Endpoint URL (e.g. http://localhost:8000); DynamoDB's regional endpoint when absent. */
  readonly endpoint?: string;
  /** Region; default $AWS_REGION, $AWS_DEFAULT_REGION or us-east-1. */
  readonly region?: string;
  /** A profile of ~/.aws/config and ~/.aws/credentials. */
  readonly profile?: string;
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Attempts per request on throttling and transient failures. Default 10. */
  readonly maxAttempts?: number;
  /** First backoff delay in milliseconds (doubles each attempt, with jitter, up to 10 s). Default 50. */
  readonly baseDelayMs?: number;
}

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
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

export function isRetryable(e: unknown): boolean {
  const err = e as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
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

type SdkValue = Record<string, unknown>;

function b64(u: unknown): string {
  if (typeof u === 'string') return u;
  const a = u as Uint8Array;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** An SDK attribute value (binary as bytes) as DynamoDB JSON. */
export function fromSdkValue(v: SdkValue): AttributeValue {
  if (v.S !== undefined) return { S: v.S as string };
  if (v.N !== undefined) return { N: v.N as string };
  if (v.B !== undefined) return { B: b64(v.B) };
  if (v.BOOL !== undefined) return { BOOL: v.BOOL as boolean };
  if (v.NULL !== undefined) return { NULL: true };
  if (v.L !== undefined) return { L: (v.L as SdkValue[]).map(fromSdkValue) };
  if (v.M !== undefined) return { M: fromSdkItem(v.M as Record<string, SdkValue>) };
  if (v.SS !== undefined) return { SS: v.SS as string[] };
  if (v.NS !== undefined) return { NS: v.NS as string[] };
  if (v.BS !== undefined) return { BS: (v.BS as unknown[]).map(b64) };
  throw new Error(`unsupported attribute value from the service: ${Object.keys(v).join(', ')}`);
}

export function fromSdkItem(item: Record<string, SdkValue>): Item {
  const out: Item = {};
  for (const k in item) out[k] = fromSdkValue(item[k]!);
  return out;
}

/** DynamoDB JSON as the SDK's attribute values. */
export function toSdkValue(v: AttributeValue): SdkValue {
  if ('B' in v) return { B: Buffer.from(v.B, 'base64') };
  if ('BS' in v) return { BS: v.BS.map((b) => Buffer.from(b, 'base64')) };
  if ('L' in v) return { L: v.L.map(toSdkValue) };
  if ('M' in v) return { M: toSdkItem(v.M) };
  return v as SdkValue;
}

export function toSdkItem(item: Record<string, AttributeValue>): Record<string, SdkValue> {
  const out: Record<string, SdkValue> = {};
  for (const k in item) out[k] = toSdkValue(item[k]!);
  return out;
}

type CommandClass = new (input: object) => unknown;

export class RemoteDynamo {
  private constructor(
    readonly client: DynamoDBClient,
    private readonly commands: Record<string, CommandClass>,
    readonly options: RemoteOptions,
    readonly description: string,
  ) {}

  /** Connects (lazily: the SDK is loaded here, not when the dump module loads). */
  static async connect(options: RemoteOptions): Promise<RemoteDynamo> {
    const sdk = (await import('@aws-sdk/client-dynamodb')) as unknown as Record<string, unknown>;
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const config: DynamoDBClientConfig = { region, maxAttempts: 1 };
    if (options.endpoint) config.endpoint = options.endpoint;
    if (options.profile) config.profile = options.profile;
    if (options.credentials) config.credentials = { ...options.credentials };
    else if (
      options.endpoint &&
      !options.profile &&
      !process.env.AWS_ACCESS_KEY_ID &&
      !process.env.AWS_PROFILE
    ) {
      // A local endpoint (Sortkey, DynamoDB Local) accepts any credentials; do not make users invent some.
      config.credentials = { accessKeyId: 'sortkey', secretAccessKey: 'sortkey' };
    }
    const Client = sdk.DynamoDBClient as new (c: DynamoDBClientConfig) => DynamoDBClient;
    const commands: Record<string, CommandClass> = {};
    for (const [name, value] of Object.entries(sdk)) {
      if (name.endsWith('Command') && typeof value === 'function')
        commands[name.slice(0, -'Command'.length)] = value as CommandClass;
    }
    const where = options.endpoint ?? `DynamoDB ${region}`;
    return new RemoteDynamo(
      new Client(config),
      commands,
      options,
      options.profile ? `${where} (profile ${options.profile})` : where,
    );
  }

  /** Sends one request, retrying throttling and transient failures with exponential backoff. */
  async call<T = Record<string, unknown>>(
    operation: string,
    input: object,
    signal?: AbortSignal,
  ): Promise<T> {
    const Command = this.commands[operation];
    if (!Command) throw new Error(`the AWS SDK has no ${operation} command`);
    const attempts = this.options.maxAttempts ?? 10;
    const base = this.options.baseDelayMs ?? 50;
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      try {
        return (await this.client.send(
          new Command(input) as never,
          signal ? { abortSignal: signal } : {},
        )) as T;
      } catch (e) {
        if (attempt + 1 >= attempts || !isRetryable(e)) throw e;
        await sleep(backoffMs(attempt, base));
      }
    }
  }

  async listTables(): Promise<string[]> {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const out = await this.call<{ TableNames?: string[]; LastEvaluatedTableName?: string }>('ListTables', {
        ...(start ? { ExclusiveStartTableName: start } : {}),
      });
      names.push(...(out.TableNames ?? []));
      start = out.LastEvaluatedTableName;
    } while (start);
    return names;
  }

  async describeTable(name: string): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.call<{ Table?: Record<string, unknown> }>('DescribeTable', { TableName: name });
      return out.Table;
    } catch (e) {
      if ((e as { name?: string }).name === 'ResourceNotFoundException') return undefined;
      throw e;
    }
  }

  /** Waits until the table (and its indexes) are ACTIVE. */
  async waitActive(name: string, timeoutMs = 10 * 60 * 1000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 5000)) {
      const t = (await this.describeTable(name)) as
        { TableStatus?: string; GlobalSecondaryIndexes?: { IndexStatus?: string }[] } | undefined;
      if (
        t &&
        t.TableStatus === 'ACTIVE' &&
        (t.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE')
      )
        return;
      if (Date.now() > deadline)
        throw new Error(`table ${name} did not become ACTIVE within ${Math.round(timeoutMs / 1000)} s`);
      await sleep(delay);
    }
  }

  async tags(arn: string): Promise<{ Key: string; Value: string }[]> {
    const tags: { Key: string; Value: string }[] = [];
    let token: string | undefined;
    try {
      do {
        const out = await this.call<{ Tags?: { Key: string; Value: string }[]; NextToken?: string }>(
          'ListTagsOfResource',
          {
            ResourceArn: arn,
            ...(token ? { NextToken: token } : {}),
          },
        );
        tags.push(...(out.Tags ?? []));
        token = out.NextToken;
      } while (token);
    } catch {
      return tags; // not every compatible service keeps tags
    }
    return tags;
  }

  close(): void {
    this.client.destroy();
  }
}
