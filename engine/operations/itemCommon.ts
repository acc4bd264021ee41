// Pieces shared by the single-item operations (PutItem, GetItem, UpdateItem, DeleteItem) and the
// batch and transaction operations built on them.
import { DynamoError } from '../errors.js';
import type { Condition, Path } from '../expressions/ir.js';
import {
  checkConditionalOperatorUse,
  checkExpressionParameters,
  ExpressionAttributes,
  conditionFromExpected,
  parseCondition,
  parseProjection,
  projectionFromAttributesToGet,
} from '../expressions/index.js';
import type { Item } from '../types.js';
import type { ValueLayer } from '../values/layer.js';

/**
 * ExpressionAttributeNames/Values given without any expression that could use them.
 * `nameAbsentExpressions`: whether the ExpressionAttributeValues message names them (`…:
 * ConditionExpression is null`), which the single-item writes no longer do.
 */
export function checkPlaceholdersHaveExpressions(
  input: Record<string, unknown>,
  expressionKeys: readonly string[],
  nameAbsentExpressions = true,
): void {
  // Without placeholders there is nothing to refuse (the common request: skip building the check).
  if (input.ExpressionAttributeNames == null && input.ExpressionAttributeValues == null) return;
  const expressions: Record<string, string | undefined> = {};
  for (const k of expressionKeys)
    expressions[k] = typeof input[k] === 'string' ? (input[k] as string) : undefined;
  checkExpressionParameters({
    names: input.ExpressionAttributeNames,
    values: input.ExpressionAttributeValues,
    expressions,
    nameAbsentExpressions,
  });
}

/**
 * The write condition of a request: ConditionExpression or the legacy Expected map, whose values
 * are worded in the layer of `attrs`.
 */
export function readWriteCondition(
  input: Record<string, unknown>,
  attrs: ExpressionAttributes,
): Condition | undefined {
  if (typeof input.ConditionExpression === 'string') {
    return parseCondition(input.ConditionExpression, attrs, 'ConditionExpression');
  }
  if (input.Expected !== undefined && input.Expected !== null) {
    return conditionFromExpected(input.Expected, input.ConditionalOperator, attrs.layer);
  }
  checkConditionalOperatorUse(input.ConditionalOperator, undefined);
  return undefined;
}

/** The projection of a read: ProjectionExpression or the legacy AttributesToGet. */
export function readProjection(
  input: Record<string, unknown>,
  attrs: ExpressionAttributes,
): Path[] | undefined {
  if (typeof input.ProjectionExpression === 'string')
    return parseProjection(input.ProjectionExpression, attrs);
  if (Array.isArray(input.AttributesToGet)) return projectionFromAttributesToGet(input.AttributesToGet);
  return undefined;
}

/** The request's ExpressionAttributeNames/Values, their values worded in the operation's layer. */
export function newAttributes(
  input: Record<string, unknown>,
  layer: ValueLayer = 'older',
): ExpressionAttributes {
  return new ExpressionAttributes(input.ExpressionAttributeNames, input.ExpressionAttributeValues, layer);
}

// Lives below the operations (the import's read threads use it without loading expressions).
export { checkIndexKeys } from '../tables/indexKeys.js';

export function conditionFailed(oldItem: Item | undefined, returnOnFailure: unknown): DynamoError {
  const extra = returnOnFailure === 'ALL_OLD' && oldItem ? { Item: oldItem } : undefined;
  return new DynamoError('ConditionalCheckFailedException', 'The conditional request failed', extra);
}
