// Item size by DynamoDB's rules: attribute-name bytes plus value bytes, which is what the 400 KB
// limit and capacity units are computed from.
import type { AttributeValue, Item } from '../types.js';
import { numberSize } from './number.js';

export const MAX_ITEM_SIZE = 400 * 1024;

export function utf8Length(s: string): number {
  // Buffer.byteLength is exact and fast for UTF-8.
  return Buffer.byteLength(s, 'utf8');
}

export function base64ByteLength(b64: string): number {
  const len = b64.length;
  if (len === 0) return 0;
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (len / 4) * 3 - padding;
}

export function valueSize(value: AttributeValue): number {
  if ('S' in value) return utf8Length(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return base64ByteLength(value.B);
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((n, s) => n + utf8Length(s), 0);
  if ('NS' in value) return value.NS.reduce((n, s) => n + numberSize(s), 0);
  if ('BS' in value) return value.BS.reduce((n, s) => n + base64ByteLength(s), 0);
  if ('L' in value) {
    let n = 3;
    for (const e of value.L) n += valueSize(e) + 1;
    return n;
  }
  if ('M' in value) {
    let n = 3;
    for (const k in value.M) n += utf8Length(k) + valueSize(value.M[k]!) + 1;
    return n;
  }
  return 0;
}

export function itemSize(item: Item): number {
  let n = 0;
  for (const name in item) n += utf8Length(name) + valueSize(item[name]!);
  return n;
}
