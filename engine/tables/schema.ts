// Key schemas of tables and indexes, and the key checks DynamoDB applies to items and keys.
import { invalidParameter, validation } from '../errors.js';
import { encodeComposite, encodeKeyValue, partitionHash } from '../keys/encoding.js';
import type { AttributeValue, Item, KeyType } from '../types.js';
import { base64ByteLength, utf8Length } from '../values/size.js';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

/**
 * A key schema. Tables and LSIs have one partition attribute and at most one sort attribute; GSIs
 * may have up to four of each (DynamoDB's multi-attribute index keys).
 */
export interface KeySchema {
  readonly partition: readonly KeyAttribute[];
  readonly sort: readonly KeyAttribute[];
}

/** A primary key as stored: the scan-order hash, and the order-preserving partition and sort bytes. */
export interface EncodedKey {
  readonly hash: number;
  readonly pk: Buffer;
  readonly sk: Buffer;
}

export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;
const EMPTY = Buffer.alloc(0);

export function keyAttributes(schema: KeySchema): KeyAttribute[] {
  return [...schema.partition, ...schema.sort];
}

export function keyValueSize(value: AttributeValue): number {
  if ('S' in value) return utf8Length(value.S);
  if ('B' in value) return base64ByteLength(value.B);
  if ('N' in value) return value.N.length;
  return 0;
}

function actualType(value: AttributeValue): string {
  for (const k in value) return k;
  return '';
}

function checkNotEmpty(name: string, value: AttributeValue): void {
  if ('S' in value && value.S.length === 0) {
    throw validation(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`,
    );
  }
  if ('B' in value && value.B.length === 0) {
    throw validation(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: ${name}`,
    );
  }
}

function checkKeySizes(schema: KeySchema, values: Item): void {
  for (const a of schema.partition) {
    if (keyValueSize(values[a.name]!) > MAX_PARTITION_KEY_BYTES) {
      throw invalidParameter('Size of hashkey has exceeded the maximum size limit of2048 bytes');
    }
  }
  let sortBytes = 0;
  for (const a of schema.sort) sortBytes += keyValueSize(values[a.name]!);
  if (sortBytes > MAX_SORT_KEY_BYTES) {
    throw invalidParameter('Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
  }
}

/** The key checks of PutItem (and of every write that supplies a whole item). */
export function checkItemKey(schema: KeySchema, item: Item): void {
  for (const a of keyAttributes(schema)) {
    const v = item[a.name];
    if (v === undefined) throw invalidParameter(`Missing the key ${a.name} in the item`);
    const t = actualType(v);
    if (t !== a.type)
      throw invalidParameter(`Type mismatch for key ${a.name} expected: ${a.type} actual: ${t}`);
    checkNotEmpty(a.name, v);
  }
  checkKeySizes(schema, item);
}

/** The key checks of GetItem, UpdateItem, DeleteItem: exactly the key attributes, of the right types. */
export function checkKey(schema: KeySchema, key: Item): void {
  const attrs = keyAttributes(schema);
  let count = 0;
  for (const _ in key) count++;
  if (count !== attrs.length) throw validation('The provided key element does not match the schema');
  for (const a of attrs) {
    const v = key[a.name];
    if (v === undefined || actualType(v) !== a.type) {
      throw validation('The provided key element does not match the schema');
    }
  }
  for (const a of attrs) checkNotEmpty(a.name, key[a.name]!);
  checkKeySizes(schema, key);
}

/** Encodes the key attributes found in `values` (which must all be present and typed). */
export function encodeKey(schema: KeySchema, values: Item): EncodedKey {
  const pk = encodeComposite(schema.partition.map((a) => encodeKeyValue(values[a.name]!, a.type)));
  const sk =
    schema.sort.length === 0
      ? EMPTY
      : encodeComposite(schema.sort.map((a) => encodeKeyValue(values[a.name]!, a.type)));
  return { hash: partitionHash(pk), pk, sk };
}

export function encodePartition(schema: KeySchema, values: Item): { hash: number; pk: Buffer } {
  const pk = encodeComposite(schema.partition.map((a) => encodeKeyValue(values[a.name]!, a.type)));
  return { hash: partitionHash(pk), pk };
}

/** The key attributes of an item (for LastEvaluatedKey, stream keys, index rows). */
export function pickKey(schema: KeySchema, item: Item): Item {
  const out: Item = {};
  for (const a of schema.partition) out[a.name] = item[a.name]!;
  for (const a of schema.sort) out[a.name] = item[a.name]!;
  return out;
}

/**
 * True when the item's key attributes could be written as this key: present with the right type,
 * no empty string or binary, within the size limits. A backfill indexes exactly these items; a
 * write of an item that fails it is refused (operations/itemCommon.ts, checkIndexKeys).
 */
export function indexableKey(schema: KeySchema, item: Item): boolean {
  if (!hasKey(schema, item)) return false;
  let sortBytes = 0;
  for (const a of schema.partition) {
    const size = keyValueSize(item[a.name]!);
    if (size === 0 && a.type !== 'N') return false;
    if (size > MAX_PARTITION_KEY_BYTES) return false;
  }
  for (const a of schema.sort) {
    const size = keyValueSize(item[a.name]!);
    if (size === 0 && a.type !== 'N') return false;
    sortBytes += size;
  }
  return sortBytes <= MAX_SORT_KEY_BYTES;
}

/** True when the item carries every key attribute of the schema with the right type (sparse indexes). */
export function hasKey(schema: KeySchema, item: Item): boolean {
  for (const a of schema.partition) {
    const v = item[a.name];
    if (v === undefined || !(a.type in v)) return false;
  }
  for (const a of schema.sort) {
    const v = item[a.name];
    if (v === undefined || !(a.type in v)) return false;
  }
  return true;
}
