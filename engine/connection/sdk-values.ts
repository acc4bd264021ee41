// DynamoDB JSON (binary as base64 text, what the wire and the engine use) and the AWS SDK's shapes
// (binary as bytes, timestamps as Dates): the remote connection converts at its edge so every
// caller sees the same values from either implementation.
import type { AttributeValue, Item } from '../types.js';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function bytes(v: unknown): unknown {
  return typeof v === 'string' ? Buffer.from(v, 'base64') : v;
}

/** One attribute value for the SDK (already-converted bytes pass through). */
export function toSdkValue(v: AttributeValue | Json): Json {
  const value = v as Json;
  if ('B' in value) return { B: bytes(value.B) };
  if ('BS' in value) return { BS: (value.BS as unknown[]).map(bytes) };
  if ('L' in value) return { L: (value.L as Json[]).map(toSdkValue) };
  if ('M' in value) return { M: toSdkItem(value.M as Json) };
  return value;
}

export function toSdkItem(item: Item | Json): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const k in item) out[k] = toSdkValue((item as Json)[k] as Json);
  return out;
}

/** Fields whose value is a map of attribute values. */
const VALUE_MAPS = new Set(['Item', 'Key', 'ExclusiveStartKey', 'ExpressionAttributeValues']);
/** Fields whose value is a list of attribute values. */
const VALUE_LISTS = new Set(['Parameters', 'AttributeValueList']);

/**
 * A request in DynamoDB JSON as the SDK's command input: attribute values are found where
 * DynamoDB's API puts them (Item, Key, Keys, ExpressionAttributeValues, Parameters, legacy
 * Expected/AttributeUpdates Values), at any depth (batch and transaction requests nest them).
 */
export function toSdkInput(input: unknown, field?: string): unknown {
  if (Array.isArray(input)) {
    if (field === 'Keys') return input.map((k) => toSdkItem(k as Json));
    if (field && VALUE_LISTS.has(field)) return input.map((v) => toSdkValue(v as Json));
    return input.map((v) => toSdkInput(v));
  }
  if (!isRecord(input)) return input;
  if (field && VALUE_MAPS.has(field)) return toSdkItem(input);
  if (field === 'Value') return toSdkValue(input);
  const out: Json = {};
  for (const k in input) out[k] = toSdkInput(input[k], k);
  return out;
}

/**
 * A response from the SDK as DynamoDB JSON: bytes as base64, Dates as epoch seconds (as the
 * service sends them), the SDK's `$metadata` left out.
 */
export function fromSdkOutput(output: unknown): unknown {
  if (output instanceof Uint8Array)
    return Buffer.from(output.buffer, output.byteOffset, output.byteLength).toString('base64');
  if (output instanceof Date) return output.getTime() / 1000;
  if (Array.isArray(output)) return output.map(fromSdkOutput);
  if (output === null || typeof output !== 'object') return output;
  const out: Json = {};
  for (const [k, v] of Object.entries(output)) {
    if (k === '$metadata' || v === undefined) continue;
    out[k] = fromSdkOutput(v);
  }
  return out;
}
