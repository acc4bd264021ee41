// Request checks shared by the operations: DynamoDB's constraint messages for names, enums and
// numbers, the two forms in which DynamoDB checks a request's members, and the rules about mixing
// expression and legacy parameters.
import { ConstraintErrors, DynamoError, validation, wrongTypeMessage } from '../errors.js';
import type { MemberType } from '../errors.js';

export { ConstraintErrors };
export type { MemberType };

/**
 * A request member of the wrong JSON type: DynamoDB's deserializer refuses it before any
 * validation, with a SerializationException whose text names the JSON token, not the member
 * (`NUMBER_VALUE cannot be converted to String`, `Unexpected field type`, …; see
 * shared/reference/error-messages.md §7). `_member` names the member for readers of the code.
 */
export function wrongType(_member: string, expected: MemberType, value: unknown): DynamoError {
  const message = wrongTypeMessage(expected, value);
  // DynamoDB's SerializationException carries `Message`, capital M.
  return new DynamoError('SerializationException', message, { Message: message });
}

/**
 * Whether a JSON value can be the Java Integer (32 bits) a member such as Limit is. A larger whole
 * number (3000000000, 1e308) cannot, and is refused by the deserializer like other tokens it cannot
 * convert (its exact words for an overflow are not documented: `NUMBER_VALUE …` is a guess).
 */
export function isJavaInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
}

/** Whether a JSON value can be the Java Long (64 bits) of other numeric members, exactly. */
export function isJavaLong(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
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
  if (!Array.isArray(value)) throw wrongType(path, 'list', value);
  checkBounds(c, value, value.length, path, min, max);
}

/** A structure member (`{…}`): refuses other JSON types. */
export function checkStructure(value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(path, 'map', value);
}

/** A boolean member: refuses other JSON types. */
export function checkBoolean(value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'boolean') throw wrongType(path, 'boolean', value);
}

const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;

/** True for a valid table or index name: 3–255 characters of [a-zA-Z0-9_.-]. */
export function isValidName(value: string): boolean {
  return value.length >= 3 && value.length <= 255 && NAME_PATTERN.test(value);
}

/** A table or index name: 3–255 characters of [a-zA-Z0-9_.-]. */
export function checkName(c: ConstraintErrors, value: unknown, path: string, required = true): void {
  if (value === undefined || value === null) {
    if (required) c.add(null, path, 'Member must not be null');
    return;
  }
  if (typeof value !== 'string') throw wrongType(path, 'string', value);
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

/**
 * The TableName of PutItem, UpdateItem and DeleteItem: as `checkTableName`, but an empty one breaks
 * only its minimum length of 1, not the pattern or the length of 3.
 */
export function checkItemTableName(c: ConstraintErrors, value: unknown, path = 'tableName'): void {
  if (value === '') c.add(value, path, 'Member must have length greater than or equal to 1');
  else checkTableName(c, value, path);
}

/**
 * The TableName of the table operations (CreateTable, DeleteTable, DescribeTable, UpdateTable,
 * DescribeTimeToLive): a missing one has its own message, before any constraint.
 */
export function checkRequiredTableName(c: ConstraintErrors, value: unknown): void {
  if (value === undefined || value === null)
    throw validation("The parameter 'TableName' is required but was not present in the request");
  checkTableName(c, value);
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
  // Every numeric request member is an Integer or a Long: a fraction is refused as the
  // deserializer refuses other tokens (DECIMAL_VALUE; the exact text for this case is a guess).
  if (!isJavaLong(value)) throw wrongType(path, 'number', value);
  if (min !== undefined && value < min)
    c.add(value, path, `Member must have value greater than or equal to ${min}`);
  if (max !== undefined && value > max)
    c.add(value, path, `Member must have value less than or equal to ${max}`);
}

/** A string member's length bounds; other JSON types are refused. */
export function checkLength(
  c: ConstraintErrors,
  value: unknown,
  path: string,
  min?: number,
  max?: number,
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') throw wrongType(path, 'string', value);
  checkBounds(c, value, value.length, path, min, max);
}

function checkBounds(
  c: ConstraintErrors,
  value: unknown,
  len: number,
  path: string,
  min?: number,
  max?: number,
): void {
  if (min !== undefined && len < min)
    c.add(value, path, `Member must have length greater than or equal to ${min}`);
  if (max !== undefined && len > max)
    c.add(value, path, `Member must have length less than or equal to ${max}`);
}

export const RETURN_CONSUMED_CAPACITY = ['INDEXES', 'TOTAL', 'NONE'] as const;
export const RETURN_ITEM_COLLECTION_METRICS = ['SIZE', 'NONE'] as const;
export const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const;
export const RETURN_VALUES_ON_CONDITION_CHECK_FAILURE = ['ALL_OLD', 'NONE'] as const;
export const CONDITIONAL_OPERATORS = ['AND', 'OR'] as const;

/**
 * DynamoDB checks a request's top-level members in one of two forms.
 *
 *   newer  Members in the API model's order; only the first problem is reported. Most problems are
 *          worded `Value 'x' at 'member' failed to satisfy constraint: …`, enums listed in the
 *          model's order; ConditionalOperator is refused bare, `Failed to satisfy constraint: Member
 *          must satisfy enum value set: [ALL, OR]`; a collection's length and Query's Limit echo no
 *          value and name the member as the API does (`Value at 'Limit' …`).
 *   older  Members in DynamoDB's older order; every problem is reported together, each as
 *          `Value 'x' at 'member' …`, enums listed in the older order (OLDER_ENUMS).
 *
 * PutItem, UpdateItem and DeleteItem use the newer form unless the request lacks its Key or Item,
 * or is nested past MAX_NEWER_REQUEST_DEPTH (`MemberForms`, `checkMemberForms`). Query checks Limit
 * and ConditionalOperator in the newer form before its other members in the older form.
 * BatchGetItem reports its members together, the lengths of RequestItems and of each Keys list in
 * the newer wording. Scan and the other operations check theirs in the older form.
 */
export type MemberRule = (c: ConstraintErrors, raw: Record<string, unknown>) => void;

/** Enum values in the order DynamoDB's older request validation lists them. */
export const OLDER_ENUMS = {
  returnConsumedCapacity: RETURN_CONSUMED_CAPACITY,
  returnItemCollectionMetrics: RETURN_ITEM_COLLECTION_METRICS,
  returnValues: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'],
  returnValuesOnConditionCheckFailure: RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  conditionalOperator: ['OR', 'AND'],
} as const;

/** What the newer request validation lists for a ConditionalOperator outside AND and OR. */
const NEWER_CONDITIONAL_OPERATOR_LIST = ['ALL', 'OR'] as const;

/** The checks a MemberRule can make. */
export const member = {
  required:
    (name: string, path: string): MemberRule =>
    (c, raw) =>
      checkRequired(c, raw[name], path),
  /** An enum, refused as `Value 'x' at 'path' …` listing `values` in their order. */
  enumValue:
    (name: string, path: string, values: readonly string[]): MemberRule =>
    (c, raw) =>
      checkEnum(c, raw[name], path, values),
  /** ConditionalOperator in the newer form: AND or OR, refused bare. */
  newerConditionalOperator: (): MemberRule => (c, raw) => {
    const v = raw.ConditionalOperator;
    if (v !== undefined && v !== null && v !== 'AND' && v !== 'OR')
      c.addBareEnum(NEWER_CONDITIONAL_OPERATOR_LIST);
  },
  /** The TableName of a single-item operation (`checkItemTableName`). */
  itemTableName: (): MemberRule => (c, raw) => checkItemTableName(c, raw.TableName),
  /** A number with a minimum, in the newer wording: `Value at 'Limit' …`. */
  newerMinimum:
    (name: string, min: number): MemberRule =>
    (c, raw) => {
      const v = raw[name];
      if (v === undefined || v === null) return;
      if (!isJavaInteger(v)) throw wrongType(name[0]!.toLowerCase() + name.slice(1), 'number', v);
      if (v < min) c.addUnechoed(name, `Member must have value greater than or equal to ${min}`);
    },
};

/** Runs `rules` in order: every problem together, or (`firstOnly`, the newer form) the first. */
export function checkMembers(
  raw: Record<string, unknown>,
  rules: readonly MemberRule[],
  firstOnly = false,
): void {
  const c = new ConstraintErrors(firstOnly);
  for (const rule of rules) {
    rule(c, raw);
    if (c.full) break;
  }
  c.throwIfAny();
}

/** An operation whose members DynamoDB checks in either form, and what sends a request to the older. */
export interface MemberForms {
  /** The newer form's members in groups: the first group with a problem reports all of its problems. */
  readonly newer: readonly (readonly MemberRule[])[];
  readonly older: readonly MemberRule[];
  /** The member whose absence sends a request to the older form. */
  readonly required: string;
}

/**
 * Runs each group of rules in order and reports the problems of the first group that has any, one
 * problem a member (a name both too short and off its pattern is reported for its pattern alone).
 */
export function checkMemberGroups(
  raw: Record<string, unknown>,
  groups: readonly (readonly MemberRule[])[],
): void {
  for (const group of groups) {
    if (group.length === 1) {
      checkMembers(raw, group, true);
      continue;
    }
    const c = new ConstraintErrors();
    for (const rule of group) {
      const first = new ConstraintErrors(true);
      rule(first, raw);
      for (const problem of first.problems) c.addText(problem);
    }
    c.throwIfAny();
  }
}

/**
 * Past this JSON nesting depth (the request object is level 1) DynamoDB reads a single-item write
 * the older way: an attribute value nested about 62 levels deep (two JSON levels a level), where 40
 * still reads the newer way and 63 the older one.
 */
export const MAX_NEWER_REQUEST_DEPTH = 128;

function nestedPast(value: unknown, remaining: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (remaining === 0) return true;
  if (Array.isArray(value)) return value.some((v) => nestedPast(v, remaining - 1));
  for (const k in value) if (nestedPast((value as Record<string, unknown>)[k], remaining - 1)) return true;
  return false;
}

/** True when DynamoDB checks this request's members in the older form (see `MemberRule`). */
export function readsAsOlder(raw: Record<string, unknown>, required: string): boolean {
  return raw[required] === undefined || raw[required] === null || nestedPast(raw, MAX_NEWER_REQUEST_DEPTH);
}

/**
 * Checks the members in the newer form and, only when that finds a problem in a request that
 * reads as older, reports the older form's problems instead: valid requests cost one pass.
 */
export function checkMemberForms(raw: Record<string, unknown>, forms: MemberForms): void {
  try {
    checkMemberGroups(raw, forms.newer);
  } catch (e) {
    if (e instanceof DynamoError && e.type === 'ValidationException' && readsAsOlder(raw, forms.required))
      checkMembers(raw, forms.older);
    throw e;
  }
}

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

/** StreamViewType's values, in the order DynamoDB lists them in its enum message. */
export const STREAM_VIEW_TYPES = ['OLD_IMAGE', 'KEYS_ONLY', 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE'] as const;
