// The legacy AttributeUpdates (PUT, ADD, DELETE on top-level attributes) and AttributesToGet
// parameters, validated with DynamoDB's messages and lowered to the IR.
import { ConstraintErrors, invalidParameter } from '../errors.js';
import type { AttributeValue } from '../types.js';
import { normalizeValue, typeOf } from '../values/attribute.js';
import type { ValueLayer } from '../values/layer.js';
import type { Operand, Path, UpdateActions } from './ir.js';

const ACTIONS = ['ADD', 'PUT', 'DELETE'] as const;
const SET_TYPES = new Set(['SS', 'NS', 'BS']);

/**
 * AttributeUpdates as UpdateActions. Legacy ADD also accepts a list, which it appends; apply the
 * result with applyAttributeUpdates for the legacy API's error messages. `layer` words a bad value.
 */
export function updateFromAttributeUpdates(
  attributeUpdates: unknown,
  layer: ValueLayer = 'older',
): UpdateActions {
  const set: { path: Path; value: Operand }[] = [];
  const remove: Path[] = [];
  const add: { path: Path; value: Operand }[] = [];
  const del: { path: Path; value: Operand }[] = [];
  const raw =
    attributeUpdates !== null && typeof attributeUpdates === 'object'
      ? (attributeUpdates as Record<string, unknown>)
      : {};
  for (const [name, update] of Object.entries(raw)) {
    const u = (update ?? {}) as Record<string, unknown>;
    const action = u.Action ?? 'PUT';
    if (!(ACTIONS as readonly unknown[]).includes(action)) {
      const errors = new ConstraintErrors();
      errors.add(
        action,
        `attributeUpdates.${name}.member.action`,
        `Member must satisfy enum value set: [${ACTIONS.join(', ')}]`,
      );
      errors.throwIfAny();
    }
    const value: AttributeValue | undefined =
      u.Value === undefined || u.Value === null ? undefined : normalizeValue(u.Value, layer);
    const path: Path = [name];
    if (value === undefined) {
      if (action !== 'DELETE')
        throw invalidParameter('Only DELETE action is allowed when no attribute value is specified');
      remove.push(path);
      continue;
    }
    const type = typeOf(value);
    if (action === 'PUT') {
      set.push({ path, value: { kind: 'value', value } });
    } else if (action === 'DELETE') {
      if (!SET_TYPES.has(type))
        throw invalidParameter(`DELETE action with value is not supported for the type ${type}`);
      del.push({ path, value: { kind: 'value', value } });
    } else {
      if (!SET_TYPES.has(type) && type !== 'N' && type !== 'L')
        throw invalidParameter(`ADD action is not supported for the type ${type}`);
      add.push({ path, value: { kind: 'value', value } });
    }
  }
  return { set, remove, add, delete: del };
}

/** AttributesToGet as projection paths. */
export function projectionFromAttributesToGet(names: unknown): Path[] {
  const list = Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  const seen = new Set<string>();
  for (const name of list) {
    if (seen.has(name)) throw invalidParameter(`Duplicate value in attribute name: ${name}`);
    seen.add(name);
  }
  return list.map((name): Path => [name]);
}
