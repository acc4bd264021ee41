// Applies UpdateActions to an item, returning a new item. DynamoDB reads every SET operand from the
// item as it was before the update, and list indexes in all actions refer to the original list:
// removed elements are only dropped at the end, and SETs past the end append in index order.
import { validation } from '../errors.js';
import type { AttributeValue, Item } from '../types.js';
import { typeOf } from '../values/attribute.js';
import { addNumbers } from '../values/number.js';
import { sortSetMembers } from '../values/set-order.js';
import type { Operand, Path, UpdateActions } from './ir.js';
import { putMember } from './paths.js';
import { sameMember, setMembers, updateValueOf, WRONG_OPERAND_TYPE } from './operands.js';

export interface ApplyUpdateOptions {
  /**
   * False when the item did not exist before the update. DynamoDB then ignores a REMOVE whose
   * path cannot be reached, where on an existing item it is an invalid document path.
   */
  readonly itemExisted?: boolean;
}

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';
const LEGACY_MISMATCH = 'Type mismatch for attribute to update';

export function applyUpdate(actions: UpdateActions, item: Item, options: ApplyUpdateOptions = {}): Item {
  return new UpdateRun(item, options.itemExisted ?? true, WRONG_OPERAND_TYPE).run(actions);
}

/**
 * Applies actions built from legacy AttributeUpdates: same semantics (plus ADD of a list, which
 * appends), with the legacy API's type-mismatch message.
 */
export function applyAttributeUpdates(actions: UpdateActions, item: Item): Item {
  return new UpdateRun(item, true, LEGACY_MISMATCH).run(actions);
}

/** Where a path points: a map and a name, or a list and an index. */
type Slot =
  | { readonly kind: 'map'; readonly map: Record<string, AttributeValue>; readonly name: string }
  | { readonly kind: 'list'; readonly list: AttributeValue[]; readonly index: number };

/** Marks a removed list element until the end of the update, so indexes keep their meaning. */
const REMOVED: AttributeValue = { NULL: true };

class UpdateRun {
  private readonly item: Item;
  private readonly appends = new Map<AttributeValue[], { index: number; value: AttributeValue }[]>();
  private readonly shrunk = new Set<AttributeValue[]>();

  constructor(
    private readonly original: Item,
    private readonly itemExisted: boolean,
    private readonly mismatch: string,
  ) {
    this.item = cloneItem(original);
  }

  run(actions: UpdateActions): Item {
    // Read everything first: SET values come from the original item.
    const values = actions.set.map((a) => this.setValue(a.value));
    // Locate every target before changing anything, so no action sees another's effect.
    const sets = actions.set.map((a, i) => ({ slot: this.locate(a.path), value: values[i] }));
    const removes = actions.remove.map((path) => this.locate(path, !this.itemExisted));
    const adds = actions.add.map((a) => ({ slot: this.locate(a.path), value: constant(a.value) }));
    const deletes = actions.delete.map((a) => ({ slot: this.locate(a.path), value: constant(a.value) }));

    for (const { slot, value } of sets) {
      if (value === undefined) this.remove(slot!);
      else this.write(slot!, cloneValue(value));
    }
    for (const slot of removes) if (slot) this.remove(slot);
    for (const { slot, value } of adds) this.add(slot!, value);
    for (const { slot, value } of deletes) this.deleteMembers(slot!, value);
    this.finishLists();
    return this.item;
  }

  private setValue(operand: Operand): AttributeValue | undefined {
    return updateValueOf(operand, this.original);
  }

  /** The slot a path designates; throws (or, when `lenient`, returns undefined) if unreachable. */
  private locate(path: Path, lenient = false): Slot | undefined {
    let map: Record<string, AttributeValue> | undefined = this.item;
    let list: AttributeValue[] | undefined;
    for (let i = 0; i < path.length - 1; i++) {
      const step = path[i]!;
      const child: AttributeValue | undefined =
        typeof step === 'number'
          ? list && step < list.length && list[step] !== REMOVED
            ? list[step]
            : undefined
          : map && Object.hasOwn(map, step)
            ? map[step]
            : undefined;
      const nextIsIndex = typeof path[i + 1] === 'number';
      map = undefined;
      list = undefined;
      if (child && nextIsIndex && 'L' in child) list = child.L;
      else if (child && !nextIsIndex && 'M' in child) map = child.M;
      else if (lenient) return undefined;
      else throw validation(INVALID_PATH);
    }
    const last = path[path.length - 1]!;
    if (typeof last === 'number' && list) return { kind: 'list', list, index: last };
    if (typeof last === 'string' && map) return { kind: 'map', map, name: last };
    if (lenient) return undefined;
    throw validation(INVALID_PATH);
  }

  private read(slot: Slot): AttributeValue | undefined {
    if (slot.kind === 'map') return Object.hasOwn(slot.map, slot.name) ? slot.map[slot.name] : undefined;
    const value = slot.index < slot.list.length ? slot.list[slot.index] : undefined;
    return value === REMOVED ? undefined : value;
  }

  private write(slot: Slot, value: AttributeValue): void {
    if (slot.kind === 'map') {
      putMember(slot.map, slot.name, value);
    } else if (slot.index < slot.list.length) {
      slot.list[slot.index] = value;
    } else {
      // Past the end: appended after the existing elements, in index order (see finishLists).
      const queue = this.appends.get(slot.list) ?? [];
      queue.push({ index: slot.index, value });
      this.appends.set(slot.list, queue);
    }
  }

  private remove(slot: Slot): void {
    if (slot.kind === 'map') {
      delete slot.map[slot.name];
    } else if (slot.index < slot.list.length) {
      slot.list[slot.index] = REMOVED;
      this.shrunk.add(slot.list);
    }
  }

  private add(slot: Slot, value: AttributeValue): void {
    const existing = this.read(slot);
    if (existing === undefined) {
      this.write(slot, cloneValue(value));
      return;
    }
    const type = typeOf(value);
    if (typeOf(existing) !== type) throw validation(this.mismatch);
    if ('N' in value && 'N' in existing) {
      this.write(slot, { N: addNumbers(existing.N, value.N) });
    } else if ('L' in value && 'L' in existing) {
      this.write(slot, { L: [...existing.L, ...value.L.map(cloneValue)] });
    } else if (type === 'SS' || type === 'NS' || type === 'BS') {
      const members = setMembers(existing);
      const added = setMembers(value).filter((m) => !members.some((e) => sameMember(type, e, m)));
      this.write(slot, { [type]: sortSetMembers(type, [...members, ...added]) } as AttributeValue);
    } else {
      throw validation(this.mismatch);
    }
  }

  private deleteMembers(slot: Slot, value: AttributeValue): void {
    const existing = this.read(slot);
    if (existing === undefined) return;
    const type = typeOf(value);
    if (typeOf(existing) !== type || (type !== 'SS' && type !== 'NS' && type !== 'BS'))
      throw validation(this.mismatch);
    const removed = setMembers(value);
    const kept = setMembers(existing).filter((m) => !removed.some((r) => sameMember(type, m, r)));
    // A set cannot be empty: removing every member removes the attribute.
    if (kept.length === 0) this.remove(slot);
    else this.write(slot, { [type]: kept } as AttributeValue);
  }

  private finishLists(): void {
    for (const [list, queue] of this.appends) {
      queue.sort((a, b) => a.index - b.index);
      for (const { value } of queue) list.push(value);
    }
    for (const list of this.shrunk) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i] === REMOVED) list.splice(i, 1);
    }
  }
}

function constant(operand: Operand): AttributeValue {
  if (operand.kind !== 'value') throw new Error('ADD and DELETE take a value operand');
  return operand.value;
}

export function cloneValue(value: AttributeValue): AttributeValue {
  if ('L' in value) return { L: value.L.map(cloneValue) };
  if ('M' in value) return { M: cloneItem(value.M) };
  if ('SS' in value) return { SS: [...value.SS] };
  if ('NS' in value) return { NS: [...value.NS] };
  if ('BS' in value) return { BS: [...value.BS] };
  return { ...value } as AttributeValue;
}

export function cloneItem(item: Item): Item {
  const out: Item = {};
  for (const name of Object.keys(item)) putMember(out, name, cloneValue(item[name]!));
  return out;
}
