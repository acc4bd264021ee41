// Format detection from an input's first bytes (decompressed) and its name.
import { looksLikeDynamoItem } from './json/plain.js';
import { JsonScanner } from './io/scanner.js';
import type { ImportFormat } from './types.js';

export interface Detection {
  readonly format: ImportFormat;
  /** Why: shown in verbose output and reports. */
  readonly reason: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isWriteRequest(v: unknown): boolean {
  return isObject(v) && (isObject(v.PutRequest) || isObject(v.DeleteRequest));
}

/** Classifies one whole JSON object found at the top of a file. */
function classifyObject(o: Record<string, unknown>, oneLine: boolean): Detection {
  const keys = Object.keys(o);
  if (typeof o.sortkeyDump === 'number')
    return { format: 'sortkey-dump', reason: 'the first line is a Sortkey dump header' };
  if (Array.isArray(o.Items)) return { format: 'scan-json', reason: 'an object with an "Items" array' };
  // Every member a list of write requests (an empty list counts: an exported empty table).
  if (
    keys.length > 0 &&
    keys.every((k) => Array.isArray(o[k]) && (o[k] as unknown[]).every(isWriteRequest))
  ) {
    return { format: 'batch-write', reason: 'an object of tables with PutRequest/DeleteRequest lists' };
  }
  const dynamo =
    (keys.length === 1 && keys[0] === 'Item') || ('Keys' in o && 'Metadata' in o) || looksLikeDynamoItem(o);
  if (oneLine) {
    return dynamo
      ? { format: 'ddb-jsonl', reason: 'one DynamoDB JSON item per line' }
      : { format: 'ndjson', reason: 'one plain JSON object per line' };
  }
  return dynamo
    ? { format: 'ddb-json', reason: 'DynamoDB JSON items' }
    : { format: 'json', reason: 'plain JSON objects' };
}

/** Looks at the start of an input and names its format. */
export function detectFormat(head: string, name: string): Detection {
  const base = name.toLowerCase().replace(/\.gz$/, '');
  if (base.endsWith('.csv') || base.endsWith('.tsv'))
    return { format: 'csv', reason: `the file name ends with ${base.slice(-4)}` };
  let i = 0;
  while (i < head.length && /\s/.test(head[i]!)) i++;
  if (i >= head.length) return { format: 'ndjson', reason: 'the input is empty' };
  const first = head[i];
  if (first === '[') {
    const scanner = new JsonScanner({ objects: 'records' });
    try {
      const values = scanner.push(head.slice(i));
      const v = values[0];
      if (v) {
        const parsed = JSON.parse(v.text) as unknown;
        if (isObject(parsed)) return classifyObject(parsed, false);
      }
    } catch {
      // undecided: plain JSON is the safe guess (DynamoDB JSON would then fail validation loudly)
    }
    return { format: 'json', reason: 'a JSON array' };
  }
  if (first === '{') {
    const nl = head.indexOf('\n', i);
    const firstLine = head.slice(i, nl < 0 ? head.length : nl);
    try {
      const parsed = JSON.parse(firstLine) as unknown;
      // A complete object on the first line: JSON lines (a pretty-printed document never has one),
      // unless it is a whole scan output, request file or dump header on one line.
      if (isObject(parsed)) return classifyObject(parsed, true);
    } catch {
      // a document over several lines
    }
    // A multi-line document: find its first member and, inside it, its first record.
    const rest = head.slice(i);
    if (/^\{\s*"Items"\s*:\s*\[/.test(rest))
      return { format: 'scan-json', reason: 'an object with an "Items" array' };
    if (/^\{\s*"(?:[^"\\]|\\.)*"\s*:\s*\[\s*\{\s*"(?:PutRequest|DeleteRequest)"/.test(rest)) {
      return { format: 'batch-write', reason: 'an object of tables with PutRequest/DeleteRequest lists' };
    }
    const scanner = new JsonScanner({ objects: 'containers' });
    try {
      const values = scanner.push(head.slice(i));
      const element = values.find((v) => v.kind === 'element');
      if (element?.key === 'Items') return { format: 'scan-json', reason: 'an object with an "Items" array' };
      if (element && isWriteRequest(JSON.parse(element.text))) {
        return { format: 'batch-write', reason: 'an object of tables with PutRequest/DeleteRequest lists' };
      }
    } catch {
      // fall through
    }
    const records = new JsonScanner({ objects: 'records' });
    try {
      const v = records.push(head.slice(i))[0];
      if (v) {
        const parsed = JSON.parse(v.text) as unknown;
        if (isObject(parsed)) return classifyObject(parsed, false);
      }
    } catch {
      // fall through
    }
    return { format: 'json', reason: 'JSON objects' };
  }
  const line = head.slice(i, head.indexOf('\n', i) < 0 ? head.length : head.indexOf('\n', i));
  if (/[,\t;|]/.test(line)) return { format: 'csv', reason: 'the first line looks like a CSV header' };
  throw new Error(`cannot tell the format of ${name}: it is neither JSON nor CSV (pass --format)`);
}
