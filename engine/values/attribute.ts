// Validation and normalisation of attribute values as DynamoDB applies them to incoming requests.
import { DynamoError, invalidParameter, validation, wrongTypeMessage } from '../errors.js';
import type { AttributeType, AttributeValue, Item } from '../types.js';
import type { ValueLayer } from './layer.js';
import { normalizeNumberValue } from './number.js';
import { sortSetMembers } from './set-order.js';
import type { SetType } from './set-order.js';

export const MAX_NESTING_DEPTH = 32;
const TYPES: ReadonlySet<string> = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'L', 'M', 'SS', 'NS', 'BS']);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function typeOf(value: AttributeValue): AttributeType {
  for (const k in value) return k as AttributeType;
  throw new Error('empty attribute value');
}

function serialization(message: string): DynamoError {
  return new DynamoError('SerializationException', message, { Message: message });
}

function nestingError(): DynamoError {
  return validation(
    'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
  );
}

/**
 * Validates one attribute value from a request and returns it normalised (numbers in canonical
 * form), refusing it in the words of the operation's `layer` (see layer.ts).
 */
export function normalizeValue(raw: unknown, layer: ValueLayer = 'older'): AttributeValue {
  return valueAt(raw, 1, layer);
}

/** `depth` is 1 for a top-level attribute. */
function valueAt(raw: unknown, depth: number, layer: ValueLayer): AttributeValue {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw serialization('Unexpected value type in payload');
  }
  if (depth > MAX_NESTING_DEPTH) throw nestingError();
  let type: string | undefined;
  let count = 0;
  for (const k in raw) {
    if ((raw as Record<string, unknown>)[k] === undefined || (raw as Record<string, unknown>)[k] === null)
      continue;
    // The deserializer drops members it does not know: `{"dog": "cat"}` reads as `{}`.
    if (!TYPES.has(k)) continue;
    type = k;
    count++;
  }
  if (count === 0) {
    throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  }
  if (count > 1) {
    throw validation(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
  const v = (raw as Record<string, unknown>)[type!];
  switch (type) {
    case 'S':
      if (typeof v !== 'string') throw serialization(wrongTypeMessage('string', v));
      return { S: v };
    case 'N':
      if (typeof v !== 'string') throw serialization(wrongTypeMessage('string', v));
      return { N: normalizeNumberValue(v, layer) };
    case 'B':
      return { B: checkBase64(v) };
    case 'BOOL':
      if (typeof v !== 'boolean') throw serialization('Unexpected value type in payload');
      return { BOOL: v };
    case 'NULL':
      if (typeof v !== 'boolean') throw serialization('Unexpected value type in payload');
      if (!v) throw invalidParameter('Null attribute value types must have the value of true');
      return { NULL: true };
    case 'L': {
      if (!Array.isArray(v)) throw serialization('Unexpected value type in payload');
      const out = new Array<AttributeValue>(v.length);
      for (let i = 0; i < v.length; i++) out[i] = valueAt(v[i], depth + 1, layer);
      return { L: out };
    }
    case 'M': {
      if (v === null || typeof v !== 'object' || Array.isArray(v))
        throw serialization('Unexpected value type in payload');
      const out: Record<string, AttributeValue> = {};
      for (const name in v as object) {
        checkAttributeNameSize(name);
        setOwn(out, name, valueAt((v as Record<string, unknown>)[name], depth + 1, layer));
      }
      return { M: out };
    }
    case 'SS':
      return { SS: normalizeSet(v, 'SS', layer) };
    case 'NS':
      return { NS: normalizeSet(v, 'NS', layer) };
    case 'BS':
      return { BS: normalizeSet(v, 'BS', layer) };
  }
  throw serialization(`Unexpected field type: ${type}`);
}

/**
 * The deserializer's pass over a map of attribute values (an Item, a Key, ExpressionAttributeValues):
 * DynamoDB reads the whole body before it validates anything, so a value of the wrong JSON type is a
 * SerializationException ahead of every ValidationException of the request (error-messages.md §7).
 * Only JSON types are checked here, with normalizeValue's words; values nested past the depth limit
 * are left to normalizeValue, which refuses them.
 */
export function checkValueTypes(values: unknown): void {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return;
  for (const name in values) valueTypesAt((values as Record<string, unknown>)[name], 1);
}

function valueTypesAt(raw: unknown, depth: number): void {
  if (raw === null || raw === undefined) return;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw serialization('Unexpected value type in payload');
  if (depth > MAX_NESTING_DEPTH) return;
  const value = raw as Record<string, unknown>;
  for (const type in value) {
    const v = value[type];
    if (v === undefined || v === null) continue;
    switch (type) {
      case 'S':
      case 'N':
        if (typeof v !== 'string') throw serialization(wrongTypeMessage('string', v));
        break;
      case 'B':
      case 'BOOL':
      case 'NULL':
        if (typeof v !== (type === 'B' ? 'string' : 'boolean'))
          throw serialization('Unexpected value type in payload');
        break;
      case 'L':
        if (!Array.isArray(v)) throw serialization('Unexpected value type in payload');
        for (const item of v) valueTypesAt(item, depth + 1);
        break;
      case 'M':
        if (typeof v !== 'object' || Array.isArray(v))
          throw serialization('Unexpected value type in payload');
        checkValueTypesAt(v as Record<string, unknown>, depth + 1);
        break;
      case 'SS':
      case 'NS':
      case 'BS':
        if (!Array.isArray(v)) throw serialization('Unexpected value type in payload');
        for (const member of v) {
          if (typeof member === 'string') continue;
          throw serialization(
            type === 'NS' ? wrongTypeMessage('string', member) : 'Unexpected value type in payload',
          );
        }
        break;
    }
  }
}

function checkValueTypesAt(values: Record<string, unknown>, depth: number): void {
  for (const name in values) valueTypesAt(values[name], depth);
}

/** True for base64 text as DynamoDB accepts it (padded, standard alphabet). */
export function isBase64(text: string): boolean {
  return BASE64.test(text);
}

function checkBase64(v: unknown): string {
  if (typeof v !== 'string') throw serialization('Unexpected value type in payload');
  if (!BASE64.test(v)) {
    throw serialization(`Base64 encoded length is expected a multiple of 4 bytes but found: ${v.length}`);
  }
  return v;
}

/** One member of a set, checked (and a number normalised). */
function setMember(member: unknown, type: SetType, layer: ValueLayer): string {
  switch (type) {
    case 'SS':
      if (typeof member !== 'string') throw serialization('Unexpected value type in payload');
      return member;
    case 'NS':
      if (typeof member !== 'string') throw serialization(wrongTypeMessage('string', member));
      return normalizeNumberValue(member, layer);
    case 'BS':
      return checkBase64(member);
  }
}

function normalizeSet(raw: unknown, type: SetType, layer: ValueLayer): string[] {
  if (!Array.isArray(raw)) throw serialization('Unexpected value type in payload');
  if (raw.length === 0) {
    if (type === 'BS') throw invalidParameter('Binary sets should not be empty');
    throw invalidParameter(`An ${type === 'SS' ? 'string' : 'number'} set  may not be empty`);
  }
  const out = new Array<string>(raw.length);
  const seen = new Set<string>();
  for (let i = 0; i < raw.length; i++) {
    const member = setMember(raw[i], type, layer);
    out[i] = member;
    // Numbers are compared normalised (1 and 1.0 are one member), binaries by their bytes.
    const id = type === 'BS' ? Buffer.from(member, 'base64').toString('base64') : member;
    if (seen.has(id)) throw duplicateMembers(raw, i, type, layer);
    seen.add(id);
  }
  return sortSetMembers(type, out);
}

/**
 * A set whose member `at` repeats an earlier one. The older layer shows the members as sent; the
 * current one quotes them, in byte order up to the repeat (the members it had already taken in,
 * kept sorted), then the repeat and the rest as sent, and names no members of a number set.
 */
function duplicateMembers(raw: readonly unknown[], at: number, type: SetType, layer: ValueLayer): Error {
  if (layer === 'older') {
    if (type === 'NS') return validation('Input collection contains duplicates');
    const kind = type === 'BS' ? 'of type BS ' : ' ';
    return invalidParameter(`Input collection [${raw.join(', ')}]${kind}contains duplicates.`);
  }
  if (type === 'NS') return invalidParameter('Input collection contains duplicates.');
  const bytes = (m: unknown) => Buffer.from(String(m), type === 'BS' ? 'base64' : 'utf8');
  const taken = raw.slice(0, at).sort((a, b) => Buffer.compare(bytes(a), bytes(b)));
  const shown = [...taken, ...raw.slice(at)].map((m) => `"${String(m)}"`);
  if (type === 'BS')
    return invalidParameter(`Input collection [${shown.join(',')}]of type BS contains duplicates.`);
  return invalidParameter(`Input collection [${shown.join(', ')}] contains duplicates.`);
}

export const MAX_ATTRIBUTE_NAME_BYTES = 65535;

/** Refuses an attribute name (top level or nested) of more than 65,535 UTF-8 bytes. */
export function checkAttributeNameSize(name: string): void {
  // A UTF-16 unit is at most 3 UTF-8 bytes: only long names need counting.
  if (
    name.length > MAX_ATTRIBUTE_NAME_BYTES / 3 &&
    Buffer.byteLength(name, 'utf8') > MAX_ATTRIBUTE_NAME_BYTES
  )
    throw validation('Attribute name is too large, must be less than 65536 bytes');
}

/** Assigns an own property, also for the name `__proto__` (plain assignment would set the prototype). */
export function setOwn<T>(target: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__')
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/**
 * Validates and normalises a whole item (a map of attribute name to value), refusing it in the
 * words of the operation's `layer`.
 */
export function normalizeItem(raw: unknown, what = 'Item', layer: ValueLayer = 'older'): Item {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw serialization(`Unexpected value type in payload for ${what}`);
  }
  const out: Item = {};
  for (const name in raw as object) {
    const value = (raw as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (name.length === 0) throw invalidParameter('An attribute name cannot be empty');
    checkAttributeNameSize(name);
    setOwn(out, name, valueAt(value, 1, layer));
  }
  return out;
}

/** Structural equality of two normalised values (sets compare as sets). */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  const va = (a as Record<string, unknown>)[ta];
  const vb = (b as Record<string, unknown>)[ta];
  switch (ta) {
    case 'S':
    case 'N':
    case 'BOOL':
    case 'NULL':
      return va === vb;
    case 'B':
      return Buffer.from(va as string, 'base64').equals(Buffer.from(vb as string, 'base64'));
    case 'SS':
    case 'NS': {
      const x = va as string[];
      const y = vb as string[];
      if (x.length !== y.length) return false;
      const s = new Set(x);
      return y.every((m) => s.has(m));
    }
    case 'BS': {
      const x = (va as string[]).map((m) => Buffer.from(m, 'base64').toString('base64'));
      const y = (vb as string[]).map((m) => Buffer.from(m, 'base64').toString('base64'));
      if (x.length !== y.length) return false;
      const s = new Set(x);
      return y.every((m) => s.has(m));
    }
    case 'L': {
      const x = va as AttributeValue[];
      const y = vb as AttributeValue[];
      return x.length === y.length && x.every((e, i) => valuesEqual(e, y[i]!));
    }
    case 'M': {
      const x = va as Record<string, AttributeValue>;
      const y = vb as Record<string, AttributeValue>;
      const kx = Object.keys(x);
      if (kx.length !== Object.keys(y).length) return false;
      return kx.every((k) => k in y && valuesEqual(x[k]!, y[k]!));
    }
  }
}
