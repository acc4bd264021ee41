// Evaluating IR operands against an item. In a condition a missing attribute or a wrong type simply
// yields "no value" (so the comparison is false); on the right of an update's SET the same cases are
// errors, as DynamoDB reports them.
import { validation } from '../errors.js';
import type { AttributeValue, Item } from '../types.js';
import { typeOf } from '../values/attribute.js';
import { addNumbers, subtractNumbers } from '../values/number.js';
import { compareBinary, sizeOf } from './compare.js';
import type { Operand } from './ir.js';
import { getPath } from './paths.js';
import { sortSetMembers } from '../values/set-order.js';

export const MISSING_ATTRIBUTE =
  'The provided expression refers to an attribute that does not exist in the item';
export const WRONG_OPERAND_TYPE = 'An operand in the update expression has an incorrect data type';

/** For conditions: the operand's value, or undefined. */
export function valueOf(operand: Operand, item: Item): AttributeValue | undefined {
  try {
    return evaluate(operand, item, false);
  } catch {
    return undefined;
  }
}

/** For SET values: the operand's value; throws DynamoDB's errors for missing or mistyped operands. */
export function updateValueOf(operand: Operand, item: Item): AttributeValue | undefined {
  return evaluate(operand, item, true);
}

function evaluate(operand: Operand, item: Item, strict: boolean): AttributeValue | undefined {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path': {
      const value = getPath(item, operand.path);
      if (value === undefined && strict) throw validation(MISSING_ATTRIBUTE);
      return value;
    }
    case 'size': {
      const value = getPath(item, operand.path);
      const size = value === undefined ? undefined : sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
    case 'if_not_exists':
      return getPath(item, operand.path) ?? evaluate(operand.fallback, item, strict);
    case 'arithmetic': {
      const left = required(evaluate(operand.left, item, strict));
      const right = required(evaluate(operand.right, item, strict));
      if (!('N' in left) || !('N' in right)) throw validation(WRONG_OPERAND_TYPE);
      return { N: operand.op === '+' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) };
    }
    case 'list_append': {
      const left = required(evaluate(operand.left, item, strict));
      const right = required(evaluate(operand.right, item, strict));
      if (!('L' in left) || !('L' in right)) throw validation(WRONG_OPERAND_TYPE);
      return { L: [...left.L, ...right.L] };
    }
    case 'set_add':
    case 'set_delete':
      return setFunction(
        operand.kind,
        evaluate(operand.target, item, false),
        required(evaluate(operand.value, item, strict)),
      );
  }
}

function required(value: AttributeValue | undefined): AttributeValue {
  if (value === undefined) throw validation(MISSING_ATTRIBUTE);
  return value;
}

/**
 * PartiQL's set_add/set_delete. Adding to a missing attribute creates the set; deleting from one
 * leaves it missing; deleting every member yields no value, which removes the attribute.
 */
function setFunction(
  kind: 'set_add' | 'set_delete',
  target: AttributeValue | undefined,
  value: AttributeValue,
): AttributeValue | undefined {
  const type = typeOf(value);
  if (type !== 'SS' && type !== 'NS' && type !== 'BS') throw validation(WRONG_OPERAND_TYPE);
  if (target === undefined) return kind === 'set_add' ? value : undefined;
  if (typeOf(target) !== type) throw validation(WRONG_OPERAND_TYPE);
  const members = setMembers(target);
  const changes = setMembers(value);
  const result =
    kind === 'set_add'
      ? sortSetMembers(type, [
          ...members,
          ...changes.filter((m) => !members.some((e) => sameMember(type, e, m))),
        ])
      : members.filter((m) => !changes.some((c) => sameMember(type, m, c)));
  return result.length === 0 ? undefined : ({ [type]: result } as AttributeValue);
}

export function setMembers(value: AttributeValue): string[] {
  if ('SS' in value) return value.SS;
  if ('NS' in value) return value.NS;
  if ('BS' in value) return value.BS;
  return [];
}

/** Set members compare by value: numbers are stored canonical, binaries by their bytes. */
export function sameMember(type: 'SS' | 'NS' | 'BS', a: string, b: string): boolean {
  return type === 'BS' ? compareBinary(a, b) === 0 : a === b;
}
