// The legacy condition parameters — Expected, QueryFilter/ScanFilter (ComparisonOperator with an
// AttributeValueList) and KeyConditions — validated with DynamoDB's messages and lowered to the IR.
import { ConstraintErrors, invalidParameter, validation } from '../errors.js';
import type { AttributeType, AttributeValue } from '../types.js';
import { normalizeValue, typeOf } from '../values/attribute.js';
import type { ValueLayer } from '../values/layer.js';
import { compareValues } from './compare.js';
import type { Comparator, Condition, KeyTerm } from './ir.js';

export const COMPARISON_OPERATORS = [
  'EQ',
  'NE',
  'IN',
  'LE',
  'LT',
  'GE',
  'GT',
  'BETWEEN',
  'NOT_NULL',
  'NULL',
  'CONTAINS',
  'NOT_CONTAINS',
  'BEGINS_WITH',
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

const COMPARATORS: Partial<Record<ComparisonOperator, Comparator>> = {
  EQ: '=',
  NE: '<>',
  LE: '<=',
  LT: '<',
  GE: '>=',
  GT: '>',
};
const SCALARS: readonly AttributeType[] = ['S', 'N', 'B'];
/** Types each operator accepts in its AttributeValueList; EQ and NE accept every type. */
const ALLOWED_TYPES: Partial<Record<ComparisonOperator, readonly AttributeType[]>> = {
  LE: SCALARS,
  LT: SCALARS,
  GE: SCALARS,
  GT: SCALARS,
  IN: SCALARS,
  BETWEEN: SCALARS,
  CONTAINS: SCALARS,
  NOT_CONTAINS: SCALARS,
  BEGINS_WITH: ['S', 'B'],
};

function argumentCountOk(op: ComparisonOperator, count: number): boolean {
  if (op === 'NULL' || op === 'NOT_NULL') return count === 0;
  if (op === 'IN') return count > 0;
  if (op === 'BETWEEN') return count === 2;
  return count === 1;
}

function asRecord(raw: unknown): Record<string, unknown> {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)
    : {};
}

function checkOperator(raw: unknown, path: string): ComparisonOperator {
  if ((COMPARISON_OPERATORS as readonly unknown[]).includes(raw)) return raw as ComparisonOperator;
  const errors = new ConstraintErrors();
  errors.add(raw, path, `Member must satisfy enum value set: [${COMPARISON_OPERATORS.join(', ')}]`);
  errors.throwIfAny();
  throw new Error('unreachable');
}

/**
 * ConditionalOperator only joins two or more legacy conditions: beside a filter or Expected of one
 * element, or none at all, DynamoDB refuses it. (The second case was never captured from DynamoDB;
 * the same words are a guess.)
 */
export function checkConditionalOperatorUse(conditionalOperator: unknown, conditions: unknown): void {
  if (conditionalOperator === undefined || conditionalOperator === null) return;
  if (Object.keys(asRecord(conditions)).length < 2)
    throw validation('ConditionalOperator can only be used when Filter or Expected has two or more elements');
}

function checkConditionalOperator(raw: unknown): 'AND' | 'OR' {
  if (raw === undefined || raw === null) return 'AND';
  if (raw === 'AND' || raw === 'OR') return raw;
  const errors = new ConstraintErrors();
  errors.add(raw, 'conditionalOperator', 'Member must satisfy enum value set: [AND, OR]');
  errors.throwIfAny();
  throw new Error('unreachable');
}

/** Validates an operator's arguments as DynamoDB does and returns them normalised. */
function checkArguments(
  op: ComparisonOperator,
  rawList: readonly unknown[],
  layer: ValueLayer,
): AttributeValue[] {
  const values = rawList.map((v) => normalizeValue(v, layer));
  if (!argumentCountOk(op, values.length)) {
    throw invalidParameter(`Invalid number of argument(s) for the ${op} ComparisonOperator`);
  }
  const first = values[0];
  if (first && values.some((v) => typeOf(v) !== typeOf(first))) {
    throw invalidParameter('AttributeValues inside AttributeValueList must be of same type');
  }
  const allowed = ALLOWED_TYPES[op];
  for (const v of values) {
    if (allowed && !allowed.includes(typeOf(v))) {
      throw invalidParameter(`ComparisonOperator ${op} is not valid for ${typeOf(v)} AttributeValue type`);
    }
  }
  if (op === 'BETWEEN' && (compareValues(values[0]!, values[1]!) ?? 0) > 0) {
    throw validation(
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    );
  }
  return values;
}

/** The condition one legacy ComparisonOperator places on a top-level attribute. */
function comparison(name: string, op: ComparisonOperator, values: readonly AttributeValue[]): Condition {
  const path = [name] as const;
  const attribute = { kind: 'path', path } as const;
  const value = (i: number) => ({ kind: 'value', value: values[i]! }) as const;
  const comparator = COMPARATORS[op];
  if (comparator) return { kind: 'compare', op: comparator, left: attribute, right: value(0) };
  switch (op) {
    case 'NOT_NULL':
      return { kind: 'attribute_exists', path };
    case 'NULL':
      return { kind: 'attribute_not_exists', path };
    case 'CONTAINS':
      return { kind: 'contains', operand: attribute, value: value(0) };
    case 'NOT_CONTAINS':
      // Unlike NOT contains(), NOT_CONTAINS is false for a missing attribute.
      return {
        kind: 'and',
        left: { kind: 'attribute_exists', path },
        right: { kind: 'not', operand: { kind: 'contains', operand: attribute, value: value(0) } },
      };
    case 'BEGINS_WITH':
      return { kind: 'begins_with', operand: attribute, prefix: value(0) };
    case 'IN':
      return { kind: 'in', operand: attribute, list: values.map((_, i) => value(i)) };
    default:
      return { kind: 'between', operand: attribute, low: value(0), high: value(1) };
  }
}

function combine(conditions: Condition[], operator: 'AND' | 'OR'): Condition | undefined {
  const kind = operator === 'OR' ? 'or' : 'and';
  return conditions.reduce<Condition | undefined>(
    (acc, c) => (acc ? { kind, left: acc, right: c } : c),
    undefined,
  );
}

function listOf(raw: unknown): unknown[] {
  return Array.isArray(raw) ? raw : [];
}

/**
 * QueryFilter or ScanFilter (`parameter` names it in enum errors: 'queryFilter' or 'scanFilter').
 * Undefined when the filter is empty. `layer` words a bad value.
 */
export function conditionFromFilter(
  filter: unknown,
  conditionalOperator: unknown,
  parameter = 'queryFilter',
  layer: ValueLayer = 'older',
): Condition | undefined {
  const entries = Object.entries(asRecord(filter));
  const joiner = checkConditionalOperator(conditionalOperator);
  checkConditionalOperatorUse(conditionalOperator, filter);
  const conditions = entries.map(([name, raw]) => {
    const c = asRecord(raw);
    const op = checkOperator(c.ComparisonOperator, `${parameter}.${name}.member.comparisonOperator`);
    return comparison(name, op, checkArguments(op, listOf(c.AttributeValueList), layer));
  });
  return combine(conditions, joiner);
}

/**
 * The legacy Expected parameter of PutItem, UpdateItem and DeleteItem. Undefined when empty.
 * `layer` words a bad value.
 */
export function conditionFromExpected(
  expected: unknown,
  conditionalOperator: unknown,
  layer: ValueLayer = 'older',
): Condition | undefined {
  const entries = Object.entries(asRecord(expected));
  const joiner = checkConditionalOperator(conditionalOperator);
  checkConditionalOperatorUse(conditionalOperator, expected);
  const conditions = entries.map(([name, raw]) => expectedCondition(name, asRecord(raw), layer));
  return combine(conditions, joiner);
}

function expectedCondition(name: string, c: Record<string, unknown>, layer: ValueLayer): Condition {
  const has = (key: string) => c[key] !== undefined && c[key] !== null;
  if (has('AttributeValueList') && has('Value')) {
    throw invalidParameter(`Value and AttributeValueList cannot be used together for Attribute: ${name}`);
  }
  if (has('ComparisonOperator')) {
    if (has('Exists'))
      throw invalidParameter(`Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
    const op = checkOperator(c.ComparisonOperator, `expected.${name}.member.comparisonOperator`);
    if (op !== 'NULL' && op !== 'NOT_NULL' && !has('AttributeValueList') && !has('Value')) {
      throw invalidParameter(
        `Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${name}`,
      );
    }
    const list = has('AttributeValueList') ? listOf(c.AttributeValueList) : has('Value') ? [c.Value] : [];
    return comparison(name, op, checkArguments(op, list, layer));
  }
  if (has('AttributeValueList')) {
    throw invalidParameter(
      `AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`,
    );
  }
  const exists = !has('Exists') || c.Exists === true;
  if (exists && !has('Value')) {
    throw invalidParameter(
      `Value must be provided when Exists is ${has('Exists') ? String(c.Exists) : 'null'} for Attribute: ${name}`,
    );
  }
  if (!exists && has('Value'))
    throw invalidParameter(`Value cannot be used when Exists is false for Attribute: ${name}`);
  if (!exists) return { kind: 'attribute_not_exists', path: [name] };
  return {
    kind: 'compare',
    op: '=',
    left: { kind: 'path', path: [name] },
    right: { kind: 'value', value: normalizeValue(c.Value, layer) },
  };
}

const NOT_INDEXABLE: ReadonlySet<ComparisonOperator> = new Set([
  'NULL',
  'NOT_NULL',
  'NE',
  'CONTAINS',
  'NOT_CONTAINS',
  'IN',
]);

/**
 * The legacy KeyConditions of Query. The Query operation checks the terms against the key schema,
 * their number included (DynamoDB reports a non-indexable operator only once the table is known;
 * this does it here). `layer` words a bad value.
 */
export function keyTermsFromKeyConditions(keyConditions: unknown, layer: ValueLayer = 'older'): KeyTerm[] {
  const entries = Object.entries(asRecord(keyConditions)).map(([name, raw]) => {
    const c = asRecord(raw);
    const op = checkOperator(c.ComparisonOperator, `keyConditions.${name}.member.comparisonOperator`);
    return { name, op, values: checkArguments(op, listOf(c.AttributeValueList), layer) };
  });
  // More than two is judged by Query against the key schema (multi-attribute GSI keys allow more).
  if (entries.length < 1) throw validation('Conditions can be of length 1 or 2 only');
  return entries.map(({ name, op, values }): KeyTerm => {
    if (NOT_INDEXABLE.has(op))
      throw validation('Attempted conditional constraint is not an indexable operation');
    if (op === 'BETWEEN') return { name, op: 'between', low: values[0]!, high: values[1]! };
    if (op === 'BEGINS_WITH') return { name, op: 'begins_with', prefix: values[0]! };
    return { name, op: COMPARATORS[op]!, value: values[0]! };
  });
}
