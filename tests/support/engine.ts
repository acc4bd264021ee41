// Helpers for engine tests: a scratch engine, typed calls, and error assertions.
import assert from 'node:assert/strict';
import { Engine } from '../../engine/engine.js';
import { DynamoError } from '../../engine/errors.js';
import type { EngineOptions } from '../../engine/engine.js';

export function scratchEngine(options: Omit<EngineOptions, 'path'> = {}): Engine {
  return Engine.inMemory(options);
}

/** Runs an operation and returns its output, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function call(engine: Engine, op: string, input: unknown): any {
  return engine.execute(op, input);
}

export function errorOf(fn: () => unknown): DynamoError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DynamoError) return e;
    throw e;
  }
  assert.fail('expected a DynamoError');
}

export function assertError(fn: () => unknown, type: string, message?: string | RegExp): DynamoError {
  const e = errorOf(fn);
  assert.equal(e.type, type, `error type (message: ${e.message})`);
  if (typeof message === 'string') assert.equal(e.message, message);
  else if (message) assert.match(e.message, message);
  return e;
}

export function createSimpleTable(
  engine: Engine,
  name = 'Things',
  withSort = false,
  extra: Record<string, unknown> = {},
): void {
  engine.execute('CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      ...(withSort ? [{ AttributeName: 'sk', AttributeType: 'S' }] : []),
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      ...(withSort ? [{ AttributeName: 'sk', KeyType: 'RANGE' }] : []),
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  });
}

/**
 * CreateTable's input for a table keyed by `pk` (S) with one GSI `byG` on `g` (S): the shape many
 * tests need.
 */
export function gsiTableInput(
  name: string,
  projection: 'ALL' | 'KEYS_ONLY' = 'ALL',
): Record<string, unknown> {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: projection },
      },
    ],
  };
}
