// Attribute values for people: plain JSON with numbers exactly as stored, compact cell text for
// tables, and parsing of `.params` values written as PartiQL literals or DynamoDB JSON.
import { parseStatement } from '../../grammar/partiql/index.js';
import { DynamoError } from '../../engine/errors.js';
import { literalValue } from '../../engine/partiql/lower.js';
import type { AttributeValue, Item } from '../../engine/types.js';
import { normalizeValue } from '../../engine/values/attribute.js';
import { binaryText, setText } from './value-text.js';

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * How JSON output writes numbers: `exact`, bare number tokens digit for digit (jq ≥ 1.7, Python,
 * `JSON.parse` with a reviver keep them; jq 1.6 and most JavaScript turn big ones into doubles);
 * `string`, JSON strings, which every tool keeps as they are.
 */
export type NumberStyle = 'exact' | 'string';

/** A DynamoDB number as a JSON number token, digit for digit (a string if it is not JSON's syntax). */
function numberToken(n: string, style: NumberStyle = 'exact'): string {
  return style === 'exact' && JSON_NUMBER.test(n) ? n : JSON.stringify(n);
}

/**
 * Plain JSON for a value: maps as objects, lists and sets as arrays, binary as base64 strings,
 * numbers as JSON number tokens with every digit DynamoDB stored (never through a double).
 */
export function plainJson(v: AttributeValue, numbers: NumberStyle = 'exact'): string {
  if ('S' in v) return JSON.stringify(v.S);
  if ('N' in v) return numberToken(v.N, numbers);
  if ('B' in v) return JSON.stringify(v.B);
  if ('BOOL' in v) return v.BOOL ? 'true' : 'false';
  if ('NULL' in v) return 'null';
  if ('L' in v) return `[${v.L.map((x) => plainJson(x, numbers)).join(',')}]`;
  if ('M' in v) return plainItemJson(v.M, undefined, numbers);
  if ('SS' in v) return `[${v.SS.map((s) => JSON.stringify(s)).join(',')}]`;
  if ('NS' in v) return `[${v.NS.map((n) => numberToken(n, numbers)).join(',')}]`;
  if ('BS' in v) return `[${v.BS.map((s) => JSON.stringify(s)).join(',')}]`;
  return 'null';
}

/** An item (or map) as a plain JSON object, attributes in the order given (all of them by default). */
export function plainItemJson(item: Item, order?: readonly string[], numbers: NumberStyle = 'exact'): string {
  const names = order ? order.filter((n) => item[n] !== undefined) : Object.keys(item);
  return `{${names.map((n) => `${JSON.stringify(n)}:${plainJson(item[n]!, numbers)}`).join(',')}}`;
}

/** An item in DynamoDB JSON, attributes in the order given. */
export function dynamoItemJson(item: Item, order?: readonly string[]): string {
  if (!order) return JSON.stringify(item);
  const out: Item = {};
  for (const n of order) if (item[n] !== undefined) out[n] = item[n]!;
  for (const n of Object.keys(item)) if (out[n] === undefined) out[n] = item[n]!;
  return JSON.stringify(out);
}

export type CellKind = 'string' | 'number' | 'bool' | 'null' | 'binary' | 'set' | 'document';

/** How a value shows in a table cell or CSV field: text without colour, and what kind it is. */
export function cellText(v: AttributeValue): { text: string; kind: CellKind } {
  if ('S' in v) return { text: v.S, kind: 'string' };
  if ('N' in v) return { text: v.N, kind: 'number' };
  if ('B' in v) return { text: binaryText(v.B), kind: 'binary' };
  if ('BOOL' in v) return { text: v.BOOL ? 'true' : 'false', kind: 'bool' };
  if ('NULL' in v) return { text: 'null', kind: 'null' };
  if ('SS' in v || 'NS' in v || 'BS' in v) return { text: setText(v), kind: 'set' };
  return { text: plainJson(v), kind: 'document' };
}

/** Attribute values of the SDK (binary as bytes) → DynamoDB JSON (binary as base64). */
export function fromSdkValue(v: unknown): AttributeValue {
  const o = v as Record<string, unknown>;
  if (o.B instanceof Uint8Array) return { B: Buffer.from(o.B).toString('base64') };
  if (Array.isArray(o.BS)) return { BS: o.BS.map((b: Uint8Array) => Buffer.from(b).toString('base64')) };
  if (Array.isArray(o.L)) return { L: o.L.map(fromSdkValue) };
  if (o.M && typeof o.M === 'object') return { M: fromSdkItem(o.M as Record<string, unknown>) };
  for (const k of ['S', 'N', 'BOOL', 'NULL', 'SS', 'NS'] as const) {
    if (o[k] !== undefined) return { [k]: o[k] } as AttributeValue;
  }
  return { NULL: true };
}

export function fromSdkItem(item: Record<string, unknown>): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) out[k] = fromSdkValue(v);
  return out;
}

/** DynamoDB JSON → the SDK's attribute values (binary as bytes). */
export function toSdkValue(v: AttributeValue): Record<string, unknown> {
  if ('B' in v) return { B: Buffer.from(v.B, 'base64') };
  if ('BS' in v) return { BS: v.BS.map((b) => Buffer.from(b, 'base64')) };
  if ('L' in v) return { L: v.L.map(toSdkValue) };
  if ('M' in v) return { M: toSdkItem(v.M) };
  return v;
}

export function toSdkItem(item: Item): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(item)) out[k] = toSdkValue(v);
  return out;
}

// ── .params ───────────────────────────────────────────────────────────────────────────────────────

/**
 * Splits a `.params` line into value texts: whitespace or commas between values; brackets, braces,
 * `<< >>` and quotes keep a value together.
 */
export function splitValueList(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (/\s/.test(text[i]!) || text[i] === ',')) i++;
    if (i >= n) break;
    const start = i;
    let depth = 0;
    while (i < n) {
      const c = text[i]!;
      if (c === "'" || c === '"') {
        i++;
        while (i < n) {
          if (text[i] === c) {
            if (text[i + 1] === c && c === "'") {
              i += 2;
              continue;
            }
            break;
          }
          if (c === '"' && text[i] === '\\') i++;
          i++;
        }
        i++;
        continue;
      }
      if (c === '[' || c === '{' || (c === '<' && text[i + 1] === '<')) {
        depth++;
        i += c === '<' ? 2 : 1;
        continue;
      }
      if (c === ']' || c === '}' || (c === '>' && text[i + 1] === '>')) {
        depth--;
        i += c === '>' ? 2 : 1;
        continue;
      }
      if (depth <= 0 && (/\s/.test(c) || c === ',')) break;
      i++;
    }
    out.push(text.slice(start, i));
  }
  return out;
}

const LITERAL_KINDS = new Set(['string', 'number', 'boolean', 'null', 'list', 'map', 'set']);
const DYNAMO_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

/** One value: DynamoDB JSON (`{"S":"a"}`) or a PartiQL literal (`'a'`, `12.5`, `{'k': [1]}`, `<<1, 2>>`). */
export function parseValue(text: string): AttributeValue {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      const keys = Object.keys(json);
      if (keys.length === 1 && DYNAMO_TYPES.has(keys[0]!)) {
        try {
          return normalizeValue(json);
        } catch (e) {
          throw new Error(`${trimmed}: not a valid DynamoDB JSON value (${(e as Error).message})`);
        }
      }
    }
  }
  const notAValue = new Error(
    `${trimmed}: not a value; write a PartiQL literal ('text', 12.5, TRUE, NULL, [1, 'a'], {'k': 1}, <<'a', 'b'>>) or DynamoDB JSON ({"S": "text"})`,
  );
  const parsed = parseStatement(`INSERT INTO t VALUE {'v': ${trimmed}}`, { fast: true });
  if (!parsed.ok || parsed.statement.kind !== 'insert' || parsed.statement.item.kind !== 'map')
    throw notAValue;
  const entry = parsed.statement.item.entries[0];
  if (!entry || parsed.statement.item.entries.length !== 1) throw notAValue;
  if (!LITERAL_KINDS.has(entry.value.kind)) throw notAValue;
  try {
    return literalValue(entry.value, []);
  } catch (e) {
    if (e instanceof DynamoError) throw new Error(`${trimmed}: ${e.message}`);
    throw e;
  }
}

/** All values of a `.params` line. */
export function parseValueList(text: string): AttributeValue[] {
  return splitValueList(text).map(parseValue);
}

/** A value written back as a PartiQL literal (for `.params` with no arguments). */
export function partiqlLiteral(v: AttributeValue): string {
  if ('S' in v) return `'${v.S.replace(/'/g, "''")}'`;
  if ('N' in v) return v.N;
  if ('B' in v) return JSON.stringify({ B: v.B });
  if ('BOOL' in v) return v.BOOL ? 'TRUE' : 'FALSE';
  if ('NULL' in v) return 'NULL';
  if ('L' in v) return `[${v.L.map(partiqlLiteral).join(', ')}]`;
  if ('M' in v) {
    return `{${Object.entries(v.M)
      .map(([k, x]) => `'${k.replace(/'/g, "''")}': ${partiqlLiteral(x)}`)
      .join(', ')}}`;
  }
  if ('SS' in v) return `<<${v.SS.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')}>>`;
  if ('NS' in v) return `<<${v.NS.join(', ')}>>`;
  return JSON.stringify(v);
}
