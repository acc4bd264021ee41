// The engine's public face: open a database, execute DynamoDB operations by name, close.
import { EngineContext } from './context.js';
import type { EngineOptions } from './context.js';
import { DynamoError } from './errors.js';
import { operations } from './operations/index.js';

export type { EngineOptions };

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
    return operations[operation]!(this.ctx, input ?? {});
  }

  close(): void {
    this.ctx.close();
  }
}
