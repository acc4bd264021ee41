// Pieces shared by the single-item operations (PutItem, GetItem, UpdateItem, DeleteItem) and the
// batch and transaction operations built on them.
import { DynamoError, invalidParameter, validation } from '../errors.js';
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
import { keyAttributes } from '../tables/schema.js';
import type { Table } from '../tables/table.js';
import type { Item } from '../types.js';
import { typeOf } from '../values/attribute.js';
import type { ValueLayer } from '../values/layer.js';
import { keyValueSize, MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES } from '../tables/schema.js';

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

/**
 * Secondary-index key attributes an item carries must have the index's key type, be non-empty and
 * within the key size limits; an item without them is simply absent from that index (sparse).
 */
export function checkIndexKeys(table: Table, item: Item): void {
  for (const index of table.indexes.values()) {
    let sortBytes = 0;
    for (const a of keyAttributes(index.key)) {
      const v = item[a.name];
      if (v === undefined) continue;
      const actual = typeOf(v);
      if (actual !== a.type) {
        throw invalidParameter(
          `Type mismatch for Index Key ${a.name} Expected: ${a.type} Actual: ${actual} IndexName: ${index.name}`,
        );
      }
      if (('S' in v && v.S.length === 0) || ('B' in v && v.B.length === 0)) {
        throw validation(
          `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${'S' in v ? 'string' : 'binary'} value. IndexName: ${index.name}, IndexKey: ${a.name}`,
        );
      }
      const size = keyValueSize(v);
      if (index.key.partition.includes(a) && size > MAX_PARTITION_KEY_BYTES) {
        throw invalidParameter('Size of hashkey has exceeded the maximum size limit of2048 bytes');
      }
      if (index.key.sort.includes(a)) sortBytes += size;
    }
    if (sortBytes > MAX_SORT_KEY_BYTES) {
      throw invalidParameter('Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
    }
  }
}

export function conditionFailed(oldItem: Item | undefined, returnOnFailure: unknown): DynamoError {
  const extra = returnOnFailure === 'ALL_OLD' && oldItem ? { Item: oldItem } : undefined;
  return new DynamoError('ConditionalCheckFailedException', 'The conditional request failed', extra);
}
