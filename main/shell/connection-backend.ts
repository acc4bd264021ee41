// The shell's Backend on top of a Connection (engine/connection): the same code drives the embedded
// engine and any remote service; only the banner, the prompt and a few facts differ.
import type { Connection } from '../../engine/connection/index.js';
import type { AttributeValue, Item } from '../../engine/types.js';
import type {
  Backend,
  BatchStatementResponse,
  ConsumedCapacity,
  ExplainOutcome,
  OperationCall,
  StatementPage,
  StatementRequest,
  TableDescription,
  TableExtras,
} from './backend.js';
import { CancelledError, collectExtras, countItems, ServiceError } from './backend.js';

/** A statement as ExecuteTransaction and BatchExecuteStatement take it. */
function statementInput(request: StatementRequest): { Statement: string; Parameters?: AttributeValue[] } {
  return {
    Statement: request.statement,
    ...(request.parameters && request.parameters.length > 0 ? { Parameters: request.parameters } : {}),
  };
}

export abstract class ConnectionBackend implements Backend {
  abstract readonly kind: 'local' | 'remote';
  abstract readonly description: string;
  abstract readonly promptName: string;
  readonly approximateCounts?: boolean;

  constructor(readonly connection: Connection) {}

  /** Runs one call; the connection's errors become the shell's (ServiceError, CancelledError). */
  protected async run<T>(signal: AbortSignal | undefined, f: () => Promise<T>): Promise<T> {
    if (signal?.aborted) throw new CancelledError();
    try {
      return await f();
    } catch (e) {
      if (signal?.aborted) throw new CancelledError();
      const err = e as { type?: unknown; message?: unknown };
      if (e instanceof Error && typeof err.type === 'string') throw new ServiceError(err.type, e.message);
      throw e;
    }
  }

  private callWith(signal?: AbortSignal): OperationCall {
    return (operation, input) => this.run(signal, () => this.connection.callAny(operation, input, signal));
  }

  executeStatement(request: StatementRequest, signal?: AbortSignal): Promise<StatementPage> {
    return this.run(signal, async () => {
      const out = await this.connection.call(
        'ExecuteStatement',
        {
          ...statementInput(request),
          ReturnConsumedCapacity: 'TOTAL',
          ...(request.nextToken ? { NextToken: request.nextToken } : {}),
          ...(request.limit !== undefined ? { Limit: request.limit } : {}),
        },
        signal,
      );
      const page: StatementPage = { Items: out.Items ?? [] };
      if (out.NextToken) page.NextToken = out.NextToken;
      if (out.ConsumedCapacity) page.ConsumedCapacity = out.ConsumedCapacity as ConsumedCapacity;
      return page;
    });
  }

  executeTransaction(
    statements: StatementRequest[],
    signal?: AbortSignal,
  ): Promise<{ Responses?: { Item?: Item }[]; ConsumedCapacity?: ConsumedCapacity[] }> {
    return this.run(signal, async () => {
      const out = await this.connection.call(
        'ExecuteTransaction',
        { TransactStatements: statements.map(statementInput), ReturnConsumedCapacity: 'TOTAL' },
        signal,
      );
      return {
        ...(out.Responses ? { Responses: out.Responses } : {}),
        ...(out.ConsumedCapacity ? { ConsumedCapacity: out.ConsumedCapacity as ConsumedCapacity[] } : {}),
      };
    });
  }

  batchExecuteStatement(
    statements: StatementRequest[],
    signal?: AbortSignal,
  ): Promise<{ Responses: BatchStatementResponse[]; ConsumedCapacity?: ConsumedCapacity[] }> {
    return this.run(signal, async () => {
      const out = await this.connection.call(
        'BatchExecuteStatement',
        { Statements: statements.map(statementInput), ReturnConsumedCapacity: 'TOTAL' },
        signal,
      );
      return {
        Responses: out.Responses ?? [],
        ...(out.ConsumedCapacity ? { ConsumedCapacity: out.ConsumedCapacity as ConsumedCapacity[] } : {}),
      };
    });
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
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return collectExtras(this.callWith(signal), table);
  }

  listTables(signal?: AbortSignal): Promise<string[]> {
    return this.run(signal, async () => {
      const names: string[] = [];
      let start: string | undefined;
      do {
        const out = await this.connection.call(
          'ListTables',
          start ? { ExclusiveStartTableName: start } : {},
          signal,
        );
        names.push(...(out.TableNames ?? []));
        start = out.LastEvaluatedTableName;
      } while (start);
      return names;
    });
  }

  describeTable(name: string, signal?: AbortSignal): Promise<TableDescription> {
    return this.run(signal, async () => {
      const out = await this.connection.call('DescribeTable', { TableName: name }, signal);
      if (!out.Table) throw new ServiceError('ResourceNotFoundException', 'Requested resource not found');
      return out.Table as TableDescription;
    });
  }

  sampleItems(table: string, limit: number, signal?: AbortSignal): Promise<Item[]> {
    return this.run(signal, async () => {
      const out = await this.connection.call('Scan', { TableName: table, Limit: limit }, signal);
      return out.Items ?? [];
    });
  }

  explain(statement: string, parameters?: AttributeValue[], signal?: AbortSignal): Promise<ExplainOutcome> {
    return this.run(signal, () => this.connection.explain(statement, parameters, signal));
  }

  createTable(input: Record<string, unknown>, signal?: AbortSignal): Promise<TableDescription> {
    return this.run(signal, async () => {
      const out = await this.connection.callAny('CreateTable', input, signal);
      return out.TableDescription as TableDescription;
    });
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
