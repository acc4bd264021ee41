// The secondary-index key checks of a write (PutItem, UpdateItem, BatchWriteItem, PartiQL INSERT,
// import). Apart from operations/itemCommon.ts, which re-exports it, so that the import's read
// threads (engine/dump/readWorker.ts) load it without the expression parsers.
import { invalidParameter, validation } from '../errors.js';
import type { Item } from '../types.js';
import { typeOf } from '../values/attribute.js';
import { keyAttributes, keyValueSize, MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES } from './schema.js';
import type { Table } from './table.js';

/**
 * Secondary-index key attributes an item carries must have the index's key type, be non-empty and
 * within the key size limits; an item without them is simply absent from that index (sparse).
 */
export function checkIndexKeys(table: Table, item: Item): void {
  for (const index of table.indexes.values()) {
    let sortBytes = 0;
    for (const a of keyAttributes(index.key)) {
      const v = item[a.name];
      if (v === undefined) continue;
      const actual = typeOf(v);
      if (actual !== a.type) {
        throw invalidParameter(
          `Type mismatch for Index Key ${a.name} Expected: ${a.type} Actual: ${actual} IndexName: ${index.name}`,
        );
      }
      if (('S' in v && v.S.length === 0) || ('B' in v && v.B.length === 0)) {
        throw validation(
          `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${'S' in v ? 'string' : 'binary'} value. IndexName: ${index.name}, IndexKey: ${a.name}`,
        );
      }
      const size = keyValueSize(v);
      if (index.key.partition.includes(a) && size > MAX_PARTITION_KEY_BYTES) {
        throw invalidParameter('Size of hashkey has exceeded the maximum size limit of2048 bytes');
      }
      if (index.key.sort.includes(a)) sortBytes += size;
    }
    if (sortBytes > MAX_SORT_KEY_BYTES) {
      throw invalidParameter('Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
    }
  }
}
