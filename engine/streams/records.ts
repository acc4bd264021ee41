// Stream records: what one item write looks like in DynamoDB Streams, for each StreamViewType.
import { randomUUID } from 'node:crypto';
import { pickKey } from '../tables/schema.js';
import type { WriteEffect } from '../tables/write.js';
import type { Item } from '../types.js';
import { valuesEqual } from '../values/attribute.js';
import { itemSize } from '../values/size.js';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export const STREAM_VIEW_TYPES: readonly StreamViewType[] = [
  'KEYS_ONLY',
  'NEW_IMAGE',
  'OLD_IMAGE',
  'NEW_AND_OLD_IMAGES',
];

/**
 * The identity DynamoDB puts on the records of TTL deletions, with the member names of the Streams
 * API's Identity shape (Lambda events render the same fields as type/principalId).
 */
export const TTL_USER_IDENTITY = { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' } as const;

/** A record as stored: everything but the sequence number and region, which are added when read. */
export interface StoredRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  userIdentity?: { Type: string; PrincipalId: string };
}

/** True when two items hold the same attributes with the same values (attribute and set order aside). */
export function itemsEqual(a: Item, b: Item): boolean {
  return valuesEqual({ M: a }, { M: b });
}

/**
 * The stream record of one write, or undefined when the write changed nothing (DynamoDB writes no
 * record for a put or update that leaves the item as it was).
 */
export function buildRecord(
  effect: WriteEffect,
  viewType: StreamViewType,
  nowMs: number,
): StoredRecord | undefined {
  const { oldItem, newItem } = effect;
  if (!oldItem && !newItem) return undefined;
  if (oldItem && newItem && itemsEqual(oldItem, newItem)) return undefined;
  const eventName = !oldItem ? 'INSERT' : !newItem ? 'REMOVE' : 'MODIFY';
  const keys = pickKey(effect.table.key, (newItem ?? oldItem)!);
  let size = itemSize(keys);
  const dynamodb: StoredRecord['dynamodb'] = {
    ApproximateCreationDateTime: Math.floor(nowMs / 1000),
    Keys: keys,
    SizeBytes: 0,
    StreamViewType: viewType,
  };
  if (newItem && (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) {
    dynamodb.NewImage = newItem;
    size += effect.newSize;
  }
  if (oldItem && (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) {
    dynamodb.OldImage = oldItem;
    size += effect.oldSize;
  }
  dynamodb.SizeBytes = size;
  const record: StoredRecord = { eventID: randomUUID().replace(/-/g, ''), eventName, dynamodb };
  if (effect.origin === 'ttl') record.userIdentity = { ...TTL_USER_IDENTITY };
  return record;
}

/** Sequence numbers are numeric strings of at least 21 digits (DynamoDB's minimum length). */
export function formatSequenceNumber(seq: number): string {
  return String(seq).padStart(21, '0');
}

/** Parses a sequence number; undefined when it is not one of ours. */
export function parseSequenceNumber(text: string): number | undefined {
  if (!/^\d{1,40}$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
