// The embedded engine as a shell backend: the default database, a named SQLite file, or in memory.
import { resolve } from 'node:path';
import { Engine } from '../../engine/engine.js';
import type { EngineOptions } from '../../engine/engine.js';
import { DynamoError } from '../../engine/errors.js';
import type { AttributeValue, Item } from '../../engine/types.js';
import { ensureDatabaseDir } from '../defaults.js';
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

function checkSignal(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

/** A statement as ExecuteTransaction and BatchExecuteStatement take it. */
function statementInput(request: StatementRequest): Record<string, unknown> {
  return {
    Statement: request.statement,
    ...(request.parameters && request.parameters.length > 0 ? { Parameters: request.parameters } : {}),
  };
}

export class LocalBackend implements Backend {
  readonly kind = 'local' as const;
  readonly description: string;
  readonly promptName = 'sortkey';
  readonly dumpSource: { engine: Engine };

  constructor(
    readonly engine: Engine,
    description: string,
    private readonly ownsEngine = true,
  ) {
    this.description = description;
    this.dumpSource = { engine };
  }

  /** Opens a SQLite file (created if missing) or, with `':memory:'`, a scratch database. */
  static open(path: string, options: Omit<EngineOptions, 'path'> = {}): LocalBackend {
    if (path === ':memory:') {
      return new LocalBackend(Engine.inMemory(options), 'in-memory database (gone when the shell exits)');
    }
    const file = resolve(path);
    ensureDatabaseDir(file);
    return new LocalBackend(new Engine({ ...options, path: file }), file);
  }

  private run<T>(signal: AbortSignal | undefined, f: () => T): Promise<T> {
    checkSignal(signal);
    try {
      return Promise.resolve(f());
    } catch (e) {
      return Promise.reject(e instanceof DynamoError ? new ServiceError(e.type, e.message) : e);
    }
  }

  executeStatement(request: StatementRequest, signal?: AbortSignal): Promise<StatementPage> {
    return this.run(signal, () => {
      const input: Record<string, unknown> = {
        Statement: request.statement,
        ReturnConsumedCapacity: 'TOTAL',
      };
      if (request.parameters && request.parameters.length > 0) input.Parameters = request.parameters;
      if (request.nextToken) input.NextToken = request.nextToken;
      if (request.limit !== undefined) input.Limit = request.limit;
      return this.engine.execute('ExecuteStatement', input) as StatementPage;
    });
  }

  private readonly call: OperationCall = (operation, input) =>
    this.run(undefined, () => this.engine.execute(operation, input));

  executeTransaction(
    statements: StatementRequest[],
    signal?: AbortSignal,
  ): Promise<{ Responses?: { Item?: Item }[]; ConsumedCapacity?: ConsumedCapacity[] }> {
    return this.run(
      signal,
      () =>
        this.engine.execute('ExecuteTransaction', {
          TransactStatements: statements.map(statementInput),
          ReturnConsumedCapacity: 'TOTAL',
        }) as { Responses?: { Item?: Item }[]; ConsumedCapacity?: ConsumedCapacity[] },
    );
  }

  batchExecuteStatement(
    statements: StatementRequest[],
    signal?: AbortSignal,
  ): Promise<{ Responses: BatchStatementResponse[]; ConsumedCapacity?: ConsumedCapacity[] }> {
    return this.run(
      signal,
      () =>
        this.engine.execute('BatchExecuteStatement', {
          Statements: statements.map(statementInput),
          ReturnConsumedCapacity: 'TOTAL',
        }) as { Responses: BatchStatementResponse[]; ConsumedCapacity?: ConsumedCapacity[] },
    );
  }

  count(
    table: string,
    index: string | undefined,
    signal?: AbortSignal,
    onPage?: (count: number) => void,
  ): Promise<{ count: number; scanned: number; capacity: number }> {
    return countItems(this.call, table, index, signal, onPage);
  }

  describeExtras(table: TableDescription, signal?: AbortSignal): Promise<TableExtras> {
    checkSignal(signal);
    return collectExtras(this.call, table);
  }

  listTables(signal?: AbortSignal): Promise<string[]> {
    return this.run(signal, () => {
      const names: string[] = [];
      let start: string | undefined;
      do {
        const out = this.engine.execute('ListTables', start ? { ExclusiveStartTableName: start } : {}) as {
          TableNames: string[];
          LastEvaluatedTableName?: string;
        };
        names.push(...out.TableNames);
        start = out.LastEvaluatedTableName;
      } while (start);
      return names;
    });
  }

  describeTable(name: string, signal?: AbortSignal): Promise<TableDescription> {
    return this.run(signal, () => {
      const out = this.engine.execute('DescribeTable', { TableName: name }) as { Table: TableDescription };
      return out.Table;
    });
  }

  sampleItems(table: string, limit: number, signal?: AbortSignal): Promise<Item[]> {
    return this.run(signal, () => {
      const out = this.engine.execute('Scan', { TableName: table, Limit: limit }) as { Items: Item[] };
      return out.Items;
    });
  }

  explain(statement: string, parameters?: AttributeValue[], signal?: AbortSignal): Promise<ExplainOutcome> {
    return this.run(signal, () =>
      this.engine.explain(statement, parameters && parameters.length > 0 ? parameters : undefined),
    );
  }

  createTable(input: Record<string, unknown>, signal?: AbortSignal): Promise<TableDescription> {
    return this.run(
      signal,
      () =>
        (this.engine.execute('CreateTable', input) as { TableDescription: TableDescription })
          .TableDescription,
    );
  }

  close(): Promise<void> {
    if (this.ownsEngine) this.engine.close();
    return Promise.resolve();
  }
}
