// One way to talk to "a database": the embedded engine or a DynamoDB-compatible service reached
// through the AWS SDK. The shell, the studio and the dumps all hold a Connection; what differs
// between the two (exact EXPLAIN costs, metrics, throttling, fault injection, PartiQL) is declared
// in `capabilities` so callers can show a feature as unavailable instead of failing on it.
import type { ExplainResult } from '../partiql/index.js';
import type { AttributeValue, Item } from '../types.js';

/** What a connection can do beyond DynamoDB's data-plane and control-plane operations. */
export interface ConnectionCapabilities {
  /** EXPLAIN estimates capacity from the stored items (the embedded engine); otherwise plan only. */
  readonly exactExplain: boolean;
  /** Per-table request metrics and hot keys (Sortkey's own operations). */
  readonly metrics: boolean;
  /** Simulated throttling that can be switched at run time. */
  readonly throttling: boolean;
  /** Injected faults (errors, delays) for testing clients. */
  readonly faultInjection: boolean;
  /**
   * ExecuteStatement, BatchExecuteStatement and ExecuteTransaction. `undefined` until the service
   * has been asked (a remote service that answers UnknownOperationException turns it false).
   */
  readonly partiql: boolean | undefined;
  /** An import commits all its items or none (one SQLite transaction); remote imports write batches. */
  readonly atomicImport: boolean;
}

/** The name of a capability, for messages that explain why a feature is unavailable. */
export type CapabilityName = keyof ConnectionCapabilities;

export interface ConsumedCapacity {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  [more: string]: unknown;
}

type Input = Record<string, unknown>;
type WithCapacity = { ConsumedCapacity?: ConsumedCapacity };

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE' | string;
}

export interface IndexDescription {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
  IndexStatus?: string;
  ItemCount?: number;
  IndexSizeBytes?: number;
  ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  [more: string]: unknown;
}

/** DescribeTable's TableDescription (the fields callers use; the rest passes through). */
export interface TableDescription {
  TableName: string;
  TableStatus?: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  GlobalSecondaryIndexes?: IndexDescription[];
  LocalSecondaryIndexes?: IndexDescription[];
  ItemCount?: number;
  TableSizeBytes?: number;
  TableArn?: string;
  [more: string]: unknown;
}

/** A page of items: Query, Scan and ExecuteStatement all answer this shape. */
export interface ItemPage extends WithCapacity {
  Items?: Item[];
  Count?: number;
  ScannedCount?: number;
  LastEvaluatedKey?: Item;
  NextToken?: string;
}

/**
 * The DynamoDB operations callers use, with their inputs and outputs in DynamoDB JSON (binary as
 * base64 text, numbers as strings) whichever implementation answers. Inputs are open records: the
 * service validates them, and its errors come back as ConnectionErrors.
 */
export interface Operations {
  ListTables: {
    input: { ExclusiveStartTableName?: string; Limit?: number };
    output: { TableNames?: string[]; LastEvaluatedTableName?: string };
  };
  DescribeTable: { input: { TableName: string }; output: { Table: TableDescription } };
  CreateTable: { input: Input & { TableName: string }; output: { TableDescription: TableDescription } };
  UpdateTable: { input: Input & { TableName: string }; output: { TableDescription: TableDescription } };
  DeleteTable: { input: { TableName: string }; output: { TableDescription: TableDescription } };
  GetItem: { input: Input & { TableName: string; Key: Item }; output: WithCapacity & { Item?: Item } };
  PutItem: { input: Input & { TableName: string; Item: Item }; output: WithCapacity & { Attributes?: Item } };
  UpdateItem: {
    input: Input & { TableName: string; Key: Item };
    output: WithCapacity & { Attributes?: Item };
  };
  DeleteItem: {
    input: Input & { TableName: string; Key: Item };
    output: WithCapacity & { Attributes?: Item };
  };
  Query: { input: Input & { TableName: string }; output: ItemPage };
  Scan: { input: Input & { TableName: string }; output: ItemPage };
  BatchGetItem: {
    input: Input & { RequestItems: Record<string, unknown> };
    output: Input & { Responses?: Record<string, Item[]> };
  };
  BatchWriteItem: {
    input: Input & { RequestItems: Record<string, unknown[]> };
    output: Input & { UnprocessedItems?: Record<string, unknown[]> };
  };
  TransactWriteItems: { input: Input & { TransactItems: unknown[] }; output: Input };
  TransactGetItems: {
    input: Input & { TransactItems: unknown[] };
    output: Input & { Responses?: { Item?: Item }[] };
  };
  ExecuteStatement: { input: Input & { Statement: string; Parameters?: AttributeValue[] }; output: ItemPage };
  BatchExecuteStatement: {
    input: Input & { Statements: { Statement: string; Parameters?: AttributeValue[] }[] };
    output: {
      Responses?: { TableName?: string; Item?: Item; Error?: { Code?: string; Message?: string } }[];
      ConsumedCapacity?: ConsumedCapacity[];
    };
  };
  ExecuteTransaction: {
    input: Input & { TransactStatements: { Statement: string; Parameters?: AttributeValue[] }[] };
    output: { Responses?: { Item?: Item }[]; ConsumedCapacity?: ConsumedCapacity[] };
  };
  DescribeTimeToLive: {
    input: { TableName: string };
    output: { TimeToLiveDescription?: { TimeToLiveStatus?: string; AttributeName?: string } };
  };
  UpdateTimeToLive: { input: Input & { TableName: string }; output: Input };
  DescribeContinuousBackups: {
    input: { TableName: string };
    output: {
      ContinuousBackupsDescription?: {
        PointInTimeRecoveryDescription?: Record<string, unknown> & { PointInTimeRecoveryStatus?: string };
      };
    };
  };
  UpdateContinuousBackups: { input: Input & { TableName: string }; output: Input };
  ListTagsOfResource: {
    input: { ResourceArn: string; NextToken?: string };
    output: { Tags?: { Key: string; Value: string }[]; NextToken?: string };
  };
  TagResource: { input: Input & { ResourceArn: string }; output: Input };
}

export type OperationName = keyof Operations;
export type OperationInput<O extends OperationName> = Operations[O]['input'];
export type OperationOutput<O extends OperationName> = Operations[O]['output'];

/** EXPLAIN's result, with a note when the estimate could not look at the data. */
export interface ExplainOutcome extends ExplainResult {
  Note?: string;
}

export interface Connection {
  /** `embedded`: Sortkey's engine in this process (or its utility process); `remote`: over HTTP. */
  readonly kind: 'embedded' | 'remote';
  /** What it is connected to, for banners and messages (never contains credentials). */
  readonly description: string;
  readonly capabilities: ConnectionCapabilities;
  /** One DynamoDB operation; failures are ConnectionErrors (the service's exception name and message). */
  call<O extends OperationName>(
    operation: O,
    input: OperationInput<O>,
    signal?: AbortSignal,
  ): Promise<OperationOutput<O>>;
  /** Any other DynamoDB operation by name (table settings, backups, …), same shapes as `call`. */
  callAny(
    operation: string,
    input: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>>;
  /**
   * EXPLAIN of a PartiQL statement. Without `exactExplain` the plan (Query or Scan, index, key
   * condition) comes from the tables' DescribeTable and the result carries a Note.
   */
  explain(statement: string, parameters?: AttributeValue[], signal?: AbortSignal): Promise<ExplainOutcome>;
  /** Sortkey's own operations (metrics, throttling, faults), when a capability says they exist. */
  sortkey(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** A failure reported by the service, or by the connection on its behalf (network, credentials). */
export class ConnectionError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** Fields DynamoDB adds to the error body beside `message` (Item, CancellationReasons, …). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = type;
  }
}

/** A capability this connection lacks, as the error callers show in its place. */
export function unavailable(
  connection: Connection,
  capability: CapabilityName,
  what: string,
): ConnectionError {
  const reason =
    capability === 'partiql'
      ? `${connection.description} does not implement PartiQL (ExecuteStatement)`
      : `only the embedded Sortkey database has it; ${connection.description} is a remote service`;
  return new ConnectionError('UnsupportedOperation', `${what} is not available here: ${reason}`);
}
