// Shared helpers for the expression tests.
import assert from 'node:assert/strict';
import { ExpressionAttributes } from '../../../engine/expressions/index.js';
import { DynamoError } from '../../../engine/errors.js';

/** Asserts that fn throws a ValidationException with exactly this message. */
export function throwsValidation(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DynamoError, `expected a DynamoError, got ${String(e)}`);
    assert.equal(e.type, 'ValidationException');
    assert.equal(e.message, message);
    return true;
  });
}

/** ExpressionAttributes from plain maps; values in DynamoDB JSON. */
export function attrs(
  names?: Record<string, string>,
  values?: Record<string, unknown>,
): ExpressionAttributes {
  return new ExpressionAttributes(names, values);
}
