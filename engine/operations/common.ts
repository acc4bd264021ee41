// Request checks shared by the operations: DynamoDB's constraint messages for names, enums and
// numbers, and the rules about mixing expression and legacy parameters.
import { ConstraintErrors, DynamoError, validation } from '../errors.js';

export { ConstraintErrors };

/**
 * A request member of the wrong JSON type: DynamoDB's deserializer refuses it before any
 * validation, with a SerializationException.
 */
export function wrongType(
  path: string,
  expected: 'string' | 'number' | 'boolean' | 'list' | 'map',
): DynamoError {
  return new DynamoError(
    'SerializationException',
    `Unexpected value type in payload: '${path}' must be a ${expected}`,
  );
}

/** A list member: refuses other JSON types, then checks its length bounds. */
export function checkList(
  c: ConstraintErrors,
  value: unknown,
  path: string,
  min?: number,
  max?: number,
): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw wrongType(path, 'list');
  checkLength(c, value, path, min, max);
}

const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;

/** A table or index name: 3–255 characters of [a-zA-Z0-9_.-]. */
export function checkName(c: ConstraintErrors, value: unknown, path: string, required = true): void {
  if (value === undefined || value === null) {
    if (required) c.add(null, path, 'Member must not be null');
    return;
  }
  if (typeof value !== 'string') throw wrongType(path, 'string');
  if (!NAME_PATTERN.test(value))
    c.add(value, path, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
  if (value.length < 3) c.add(value, path, 'Member must have length greater than or equal to 3');
  if (value.length > 255) c.add(value, path, 'Member must have length less than or equal to 255');
}

/** TableName also accepts a table ARN (up to 1024 characters), as DynamoDB does. */
export function checkTableName(c: ConstraintErrors, value: unknown, path = 'tableName'): void {
  if (typeof value === 'string' && value.startsWith('arn:')) {
    if (value.length > 1024) c.add(value, path, 'Member must have length less than or equal to 1024');
    return;
  }
  checkName(c, value, path);
}

/** The table name part of a TableName that may be an ARN. */
export function tableNameOf(value: string): string {
  if (!value.startsWith('arn:')) return value;
  const at = value.indexOf(':table/');
  return at < 0 ? value : value.slice(at + 7);
}

export function checkEnum(
  c: ConstraintErrors,
  value: unknown,
  path: string,
  allowed: readonly string[],
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    c.add(value, path, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
}

export function checkRequired(c: ConstraintErrors, value: unknown, path: string): void {
  if (value === undefined || value === null) c.add(null, path, 'Member must not be null');
}

export function checkRange(
  c: ConstraintErrors,
  value: unknown,
  path: string,
  min?: number,
  max?: number,
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType(path, 'number');
  if (min !== undefined && value < min)
    c.add(value, path, `Member must have value greater than or equal to ${min}`);
  if (max !== undefined && value > max)
    c.add(value, path, `Member must have value less than or equal to ${max}`);
}

export function checkLength(
  c: ConstraintErrors,
  value: unknown,
  path: string,
  min?: number,
  max?: number,
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' && !Array.isArray(value)) throw wrongType(path, 'string');
  const len =
    typeof value === 'string' || Array.isArray(value)
      ? value.length
      : value && typeof value === 'object'
        ? Object.keys(value).length
        : undefined;
  if (len === undefined) return;
  if (min !== undefined && len < min)
    c.add(value, path, `Member must have length greater than or equal to ${min}`);
  if (max !== undefined && len > max)
    c.add(value, path, `Member must have length less than or equal to ${max}`);
}

export const RETURN_CONSUMED_CAPACITY = ['INDEXES', 'TOTAL', 'NONE'] as const;
export const RETURN_ITEM_COLLECTION_METRICS = ['SIZE', 'NONE'] as const;
export const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const;
export const RETURN_VALUES_ON_CONDITION_CHECK_FAILURE = ['ALL_OLD', 'NONE'] as const;

/**
 * DynamoDB refuses a request that mixes the legacy parameters with expressions:
 * "Can not use both expression and non-expression parameters in the same request: …".
 */
export function checkExpressionMix(
  input: Record<string, unknown>,
  legacy: readonly string[],
  expressions: readonly string[],
): void {
  const usedLegacy = legacy.filter((k) => input[k] !== undefined && input[k] !== null);
  const usedExpr = expressions.filter((k) => input[k] !== undefined && input[k] !== null);
  if (usedLegacy.length && usedExpr.length) {
    throw validation(
      `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${usedLegacy.join(', ')}} Expression parameters: {${usedExpr.join(', ')}}`,
    );
  }
}

/** Input objects arrive from JSON: anything may be missing or of the wrong type. */
export function asRecord(input: unknown): Record<string, unknown> {
  return input && typeof input === 'object' && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : {};
}
