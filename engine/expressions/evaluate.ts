// Evaluates a Condition against an item (undefined when the item does not exist) with DynamoDB's
// rules: a missing operand makes every comparison false except <>, values of different types are
// never equal and never ordered.
import type { Item } from '../types.js';
import { typeOf, valuesEqual } from '../values/attribute.js';
import { beginsWith, compareValues, containsValue } from './compare.js';
import type { Comparator, Condition } from './ir.js';
import { valueOf } from './operands.js';
import { getPath } from './paths.js';

const NO_ITEM: Item = {};

export function evaluateCondition(condition: Condition, item: Item | undefined): boolean {
  return holds(condition, item ?? NO_ITEM);
}

function holds(c: Condition, item: Item): boolean {
  switch (c.kind) {
    case 'and':
      return holds(c.left, item) && holds(c.right, item);
    case 'or':
      return holds(c.left, item) || holds(c.right, item);
    case 'not':
      return !holds(c.operand, item);
    case 'literal':
      return c.value;
    case 'compare': {
      const left = valueOf(c.left, item);
      const right = valueOf(c.right, item);
      if (c.op === '<>') return left === undefined || right === undefined || !valuesEqual(left, right);
      if (left === undefined || right === undefined) return false;
      if (c.op === '=') return valuesEqual(left, right);
      const order = compareValues(left, right);
      return order !== undefined && ordered(c.op, order);
    }
    case 'between': {
      const value = valueOf(c.operand, item);
      const low = valueOf(c.low, item);
      const high = valueOf(c.high, item);
      if (value === undefined || low === undefined || high === undefined) return false;
      const aboveLow = compareValues(value, low);
      const belowHigh = compareValues(value, high);
      return aboveLow !== undefined && belowHigh !== undefined && aboveLow >= 0 && belowHigh <= 0;
    }
    case 'in': {
      const value = valueOf(c.operand, item);
      if (value === undefined) return false;
      return c.list.some((operand) => {
        const candidate = valueOf(operand, item);
        return candidate !== undefined && valuesEqual(value, candidate);
      });
    }
    case 'attribute_exists':
      return getPath(item, c.path) !== undefined;
    case 'attribute_not_exists':
      return getPath(item, c.path) === undefined;
    case 'attribute_type': {
      const value = getPath(item, c.path);
      const type = valueOf(c.type, item);
      return value !== undefined && type !== undefined && 'S' in type && typeOf(value) === type.S;
    }
    case 'begins_with': {
      const value = valueOf(c.operand, item);
      const prefix = valueOf(c.prefix, item);
      return value !== undefined && prefix !== undefined && beginsWith(value, prefix);
    }
    case 'contains': {
      const value = valueOf(c.operand, item);
      const needle = valueOf(c.value, item);
      return value !== undefined && needle !== undefined && containsValue(value, needle);
    }
    case 'is': {
      const value = valueOf(c.operand, item);
      let result: boolean;
      if (c.test === 'MISSING') result = value === undefined;
      // PartiQL in DynamoDB: IS NULL holds only for a stored NULL, not for a missing attribute.
      else if (c.test === 'NULL') result = value !== undefined && 'NULL' in value;
      else result = value !== undefined && typeOf(value) === c.test;
      return c.negated ? !result : result;
    }
  }
}

function ordered(op: Exclude<Comparator, '=' | '<>'>, order: number): boolean {
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}
