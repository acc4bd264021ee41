// One input record validated as PutItem (or DeleteItem) would and encoded for the write phase:
// the normalised item's JSON text, its size and its encoded primary key. Shared by the import's
// in-process read (import.ts) and other callers, so both refuse the same
// records with the same reasons.
import { DynamoError, validation } from '../errors.js';
import { checkIndexKeys } from '../tables/indexKeys.js';
import { checkItemKey, checkKey, encodeKey, keyAttributes } from '../tables/schema.js';
import type { EncodedKey, KeySchema } from '../tables/schema.js';
import type { Table } from '../tables/table.js';
import type { Item } from '../types.js';
import { normalizeItem } from '../values/attribute.js';
import { itemSize, MAX_ITEM_SIZE } from '../values/size.js';
import { canonicalItemSize, scanStoredItem } from './json/canonical.js';

export interface EncodedRecord {
  /** A put (else a delete, whose json is the key). */
  readonly put: boolean;
  readonly key: EncodedKey;
  /** The normalised item (or key) as JSON text: what the table stores. */
  readonly json: string;
  /** The item's size by DynamoDB's rules (0 for deletes). */
  readonly size: number;
}

/**
 * Validates one item (put) or key (delete) for `table` (the live table, or a scratch table built
 * from the definition the import will create) and encodes it. Throws the DynamoError PutItem or
 * DeleteItem would.
 */
export function encodeRecord(
  table: Table,
  key: KeySchema,
  put: boolean,
  raw: unknown,
  text: string | undefined,
  itemText?: string,
): EncodedRecord {
  if (text !== undefined && text.includes('"__proto__"') && hasProtoKey(raw)) {
    throw validation('the attribute name __proto__ is not supported');
  }
  if (put && itemText !== undefined) {
    const stored = encodeStored(table, key, raw, itemText);
    if (stored) return stored;
  }
  if (put) {
    const item = normalizeItem(raw);
    checkItemKey(key, item);
    const size = itemSize(item);
    if (size > MAX_ITEM_SIZE) throw validation('Item size has exceeded the maximum allowed size');
    checkIndexKeys(table, item);
    return { put, key: encodeKey(key, item), json: JSON.stringify(item), size };
  }
  const k = normalizeItem(raw, 'Key');
  checkKey(key, k);
  return { put, key: encodeKey(key, k), json: JSON.stringify(k), size: 0 };
}

/**
 * An item whose text is already in stored form (json/canonical.ts): validated like any other,
 * stored as its text. Undefined when it is not in that form or is invalid (the normal path then
 * gives the error).
 */
function encodeStored(
  table: Table,
  key: KeySchema,
  raw: unknown,
  itemText: string,
): EncodedRecord | undefined {
  // Pretty-printed text never is: skip the walk.
  if (itemText.charCodeAt(1) !== 34 /* " */) return undefined;
  const size = canonicalItemSize(raw, itemText);
  if (size === undefined || size > MAX_ITEM_SIZE) return undefined;
  const item = raw as Item;
  try {
    checkItemKey(key, item);
    checkIndexKeys(table, item);
  } catch {
    return undefined;
  }
  return { put: true, key: encodeKey(key, item), json: itemText, size };
}

/**
 * The attributes `encodeStoredText` reads from an item: the table's key attributes and its indexes'
 * (all that checkItemKey, checkIndexKeys and encodeKey look at).
 */
export function checkedAttributes(table: Table, key: KeySchema): string[] {
  const names = new Set(keyAttributes(key).map((a) => a.name));
  for (const index of table.indexes.values()) for (const a of keyAttributes(index.key)) names.add(a.name);
  return [...names];
}

/**
 * A put of the item `text[from, to)` when that text is in stored form, read from the text without
 * JSON.parse (json/canonical.ts, scanStoredItem): exactly what `encodeRecord` gives for it. Undefined
 * when it is not in stored form or the item is refused: `encodeRecord` then decides (and words the
 * error). `checked` is `checkedAttributes(table, key)`.
 */
export function encodeStoredText(
  table: Table,
  key: KeySchema,
  checked: readonly string[],
  text: string,
  from: number,
  to: number,
): EncodedRecord | undefined {
  const scanned = scanStoredItem(text, from, to, checked);
  if (scanned === undefined || scanned.size > MAX_ITEM_SIZE) return undefined;
  const item = scanned.picked;
  try {
    checkItemKey(key, item);
    checkIndexKeys(table, item);
  } catch {
    return undefined;
  }
  return { put: true, key: encodeKey(key, item), json: text.slice(from, to), size: scanned.size };
}

/** The reason a record is refused, as the import reports it. */
export function reasonOf(e: unknown): string {
  if (e instanceof DynamoError) return `${e.type}: ${e.message}`;
  return (e as Error).message;
}

function hasProtoKey(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasProtoKey);
  if (Object.prototype.hasOwnProperty.call(v, '__proto__')) return true;
  for (const k in v as object) if (hasProtoKey((v as Record<string, unknown>)[k])) return true;
  return false;
}
