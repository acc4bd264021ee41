// Rows copied as text: plain JSON (numbers exactly as stored), DynamoDB JSON, CSV (a header of every
// attribute, keys first) or PartiQL INSERT statements. Pure TypeScript.
import type { AttributeValue, Item } from '../backend/api.js';
import { stringifyPlain } from './json.js';
import type { PlainValue } from './json.js';
import { partiqlLiteral } from './query-builder.js';
import { itemToPlain, unionOfAttributes } from './values.js';

export type CopyFormat = 'json' | 'dynamodb-json' | 'csv' | 'partiql';

export const COPY_FORMATS: readonly { id: CopyFormat; label: string }[] = [
  { id: 'json', label: 'JSON' },
  { id: 'dynamodb-json', label: 'DynamoDB JSON' },
  { id: 'csv', label: 'CSV' },
  { id: 'partiql', label: 'PartiQL INSERT' },
];

/** A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A cell: strings and numbers as they are, booleans as true/false, NULL empty, the rest as JSON. */
function csvCell(v: AttributeValue | undefined): string {
  if (v === undefined || 'NULL' in v) return '';
  if ('S' in v) return v.S;
  if ('N' in v) return v.N;
  if ('BOOL' in v) return v.BOOL ? 'true' : 'false';
  if ('B' in v) return v.B;
  return stringifyPlain(itemToPlain({ v }).v as PlainValue, 0);
}

export function formatRows(
  format: CopyFormat,
  items: Item[],
  table: string,
  keyNames: string[] = [],
): string {
  switch (format) {
    case 'json':
      return stringifyPlain(items.map((i) => itemToPlain(i)));
    case 'dynamodb-json':
      return JSON.stringify(items, null, 2);
    case 'csv': {
      const columns = unionOfAttributes(items, keyNames);
      const lines = [columns.map(csvField).join(',')];
      for (const item of items) lines.push(columns.map((c) => csvField(csvCell(item[c]))).join(','));
      return lines.join('\r\n') + '\r\n';
    }
    case 'partiql': {
      const name = `"${table.replace(/"/g, '""')}"`;
      return items.map((i) => `INSERT INTO ${name} VALUE ${partiqlLiteral({ M: i })};`).join('\n') + '\n';
    }
  }
}
