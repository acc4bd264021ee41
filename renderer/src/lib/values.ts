// Attribute values in the studio: display, exact number comparison, and lossless conversion between
// DynamoDB JSON and plain JSON (numbers stay decimal strings; sets and binary keep their types when
// edited as plain JSON, guided by the version being edited). Pure TypeScript: unit-tested in Node.
import type { AttributeDefinition, AttributeValue, Item, KeySchemaElement } from '../backend/api.js';
import type { JsonNode, PlainValue } from './json.js';
import { JsonNumber, JsonSyntaxError, parseJson, stringifyPlain } from './json.js';

export type TypeName = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'SS' | 'NS' | 'BS' | 'L' | 'M';

export const TYPE_NAMES: readonly TypeName[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'];

export function typeOf(value: AttributeValue): TypeName {
  return Object.keys(value)[0] as TypeName;
}

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

interface Decimal {
  negative: boolean;
  /** Significant digits without leading/trailing zeros ('' for zero). */
  digits: string;
  /** Position of the decimal point relative to the start of `digits`. */
  point: number;
}

function decompose(text: string): Decimal | null {
  if (!NUMBER_TEXT.test(text)) return null;
  let s = text;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  let exp = 0;
  const e = s.search(/[eE]/);
  if (e >= 0) {
    exp = parseInt(s.slice(e + 1), 10);
    s = s.slice(0, e);
  }
  const dot = s.indexOf('.');
  const intPart = dot < 0 ? s : s.slice(0, dot);
  const fracPart = dot < 0 ? '' : s.slice(dot + 1);
  let all = intPart + fracPart;
  let point = intPart.length + exp;
  const lead = all.length - all.replace(/^0+/, '').length;
  all = all.slice(lead);
  point -= lead;
  all = all.replace(/0+$/, '');
  if (all === '') return { negative: false, digits: '', point: 0 };
  return { negative, digits: all, point };
}

/** True for text DynamoDB accepts as a number (format and at most 38 significant digits). */
export function isNumberText(text: string): boolean {
  const d = decompose(text);
  return d !== null && d.digits.length <= 38;
}

/** Compares two decimal strings exactly (never through a double). */
export function compareNumbers(a: string, b: string): number {
  const x = decompose(a);
  const y = decompose(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  const sign = (d: Decimal): number => (d.digits === '' ? 0 : d.negative ? -1 : 1);
  const sx = sign(x);
  const sy = sign(y);
  if (sx !== sy) return sx < sy ? -1 : 1;
  if (sx === 0) return 0;
  let c: number;
  if (x.point !== y.point) c = x.point < y.point ? -1 : 1;
  else {
    const n = Math.max(x.digits.length, y.digits.length);
    const dx = x.digits.padEnd(n, '0');
    const dy = y.digits.padEnd(n, '0');
    c = dx < dy ? -1 : dx > dy ? 1 : 0;
  }
  return sx < 0 ? -c : c;
}

const TYPE_RANK: Record<TypeName, number> = {
  NULL: 0,
  BOOL: 1,
  N: 2,
  S: 3,
  B: 4,
  SS: 5,
  NS: 6,
  BS: 7,
  L: 8,
  M: 9,
};

/** Sort order for grid columns: missing first, then by type, numbers numerically, strings by code unit. */
export function compareValues(a: AttributeValue | undefined, b: AttributeValue | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) return TYPE_RANK[ta] - TYPE_RANK[tb];
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('S' in a && 'S' in b) return a.S < b.S ? -1 : a.S > b.S ? 1 : 0;
  if ('BOOL' in a && 'BOOL' in b) return Number(a.BOOL) - Number(b.BOOL);
  const sa = shortText(a);
  const sb = shortText(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isBase64(text: string): boolean {
  return BASE64.test(text);
}

export function base64Length(text: string): number {
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - pad;
}

/** A one-line rendering of a value, for cells and titles. */
export function shortText(value: AttributeValue, max = 200): string {
  let s: string;
  if ('S' in value) s = value.S;
  else if ('N' in value) s = value.N;
  else if ('BOOL' in value) s = String(value.BOOL);
  else if ('NULL' in value) s = 'null';
  else if ('B' in value) s = `${base64Length(value.B)} bytes: ${value.B}`;
  else if ('SS' in value) s = `{${value.SS.map((x) => JSON.stringify(x)).join(', ')}}`;
  else if ('NS' in value) s = `{${value.NS.join(', ')}}`;
  else if ('BS' in value) s = `{${value.BS.length} binary values}`;
  else if ('L' in value) s = `[${value.L.map((v) => shortText(v, max)).join(', ')}]`;
  else if ('M' in value)
    s = `{${Object.entries(value.M)
      .map(([k, v]) => `${k}: ${shortText(v, max)}`)
      .join(', ')}}`;
  else s = JSON.stringify(value);
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** What a grid cell shows: a type tag for the complex types and a summary. */
export function cellSummary(value: AttributeValue): {
  tag: string | null;
  text: string;
  expandable: boolean;
} {
  const t = typeOf(value);
  switch (t) {
    case 'S':
    case 'N':
      return { tag: null, text: shortText(value, 300), expandable: false };
    case 'BOOL':
    case 'NULL':
      return { tag: null, text: shortText(value), expandable: false };
    case 'B':
      return { tag: 'B', text: shortText(value, 80), expandable: true };
    case 'SS':
    case 'NS':
    case 'BS': {
      const n = (value as Record<string, string[]>)[t]!.length;
      return { tag: `${t}·${n}`, text: shortText(value, 120), expandable: true };
    }
    case 'L':
      return {
        tag: `L·${(value as { L: AttributeValue[] }).L.length}`,
        text: shortText(value, 120),
        expandable: true,
      };
    case 'M':
      return {
        tag: `M·${Object.keys((value as { M: Item }).M).length}`,
        text: shortText(value, 120),
        expandable: true,
      };
  }
}

export function toPlain(value: AttributeValue): PlainValue {
  if ('S' in value) return value.S;
  if ('N' in value) return new JsonNumber(value.N);
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('B' in value) return value.B;
  if ('SS' in value) return [...value.SS];
  if ('NS' in value) return value.NS.map((n) => new JsonNumber(n));
  if ('BS' in value) return [...value.BS];
  if ('L' in value) return value.L.map(toPlain);
  if ('M' in value) return itemToPlain(value.M);
  return null;
}

export function itemToPlain(item: Item): { [key: string]: PlainValue } {
  const out: { [key: string]: PlainValue } = {};
  for (const [k, v] of Object.entries(item)) out[k] = toPlain(v);
  return out;
}

export function itemToPlainText(item: Item): string {
  return stringifyPlain(itemToPlain(item));
}

export function itemToDynamoText(item: Item): string {
  return JSON.stringify(item, null, 2);
}

export function itemsToPlainText(items: Item[]): string {
  return stringifyPlain(items.map(itemToPlain));
}

/** A problem found in editor text, with the span to underline. */
export interface Problem {
  message: string;
  start: number;
  end: number;
  severity: 'error' | 'warning';
}

export interface DecodeResult {
  item?: Item;
  problems: Problem[];
}

export interface KeyInfo {
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
}

function problem(
  problems: Problem[],
  node: { start: number; end: number },
  message: string,
  severity: Problem['severity'] = 'error',
): void {
  problems.push({ message, start: node.start, end: node.end, severity });
}

function checkSet(
  problems: Problem[],
  node: JsonNode & { kind: 'array' },
  name: string,
  values: string[],
  same: (a: string, b: string) => boolean,
): boolean {
  if (values.length === 0) {
    problem(problems, node, `A ${name} cannot be empty: remove the attribute instead`);
    return false;
  }
  for (let i = 1; i < values.length; i++) {
    for (let j = 0; j < i; j++) {
      if (same(values[i]!, values[j]!)) {
        problem(problems, node.items[i]!, `A ${name} cannot hold the same value twice (${values[i]})`);
        return false;
      }
    }
  }
  return true;
}

function numberProblem(raw: string): string | null {
  if (!NUMBER_TEXT.test(raw)) return `"${raw}" is not a number`;
  const d = decompose(raw)!;
  if (d.digits.length > 38) return `${raw} has more than 38 significant digits (DynamoDB's limit)`;
  return null;
}

/** DynamoDB JSON node → attribute value (problems collected, undefined when unusable). */
function fromDynamoNode(node: JsonNode, problems: Problem[]): AttributeValue | undefined {
  if (node.kind !== 'object') {
    problem(problems, node, 'Expected an attribute value such as {"S": "text"} or {"N": "12"}');
    return undefined;
  }
  if (node.entries.length !== 1) {
    problem(
      problems,
      node,
      `An attribute value has exactly one type (S, N, B, BOOL, NULL, SS, NS, BS, L or M); found ${node.entries.length}`,
    );
    return undefined;
  }
  const { key, value: v, keySpan } = node.entries[0]!;
  const strings = (what: string): string[] | undefined => {
    if (v.kind !== 'array') {
      problem(problems, v, `${key} takes a list of ${what}`);
      return undefined;
    }
    const out: string[] = [];
    for (const it of v.items) {
      if (it.kind !== 'string') {
        problem(
          problems,
          it,
          key === 'NS' ? 'Numbers in NS are written as strings: "12"' : `${key} holds ${what}`,
        );
        return undefined;
      }
      out.push(it.value);
    }
    return out;
  };
  switch (key) {
    case 'S':
      if (v.kind !== 'string') return (problem(problems, v, 'S takes a string'), undefined);
      return { S: v.value };
    case 'N': {
      if (v.kind === 'number')
        return (problem(problems, v, `Numbers are written as strings: {"N": "${v.raw}"}`), undefined);
      if (v.kind !== 'string')
        return (problem(problems, v, 'N takes a number written as a string'), undefined);
      const p = numberProblem(v.value);
      if (p) return (problem(problems, v, p), undefined);
      return { N: v.value };
    }
    case 'B':
      if (v.kind !== 'string' || !isBase64(v.value))
        return (problem(problems, v, 'B takes base64 text'), undefined);
      return { B: v.value };
    case 'BOOL':
      if (v.kind !== 'boolean') return (problem(problems, v, 'BOOL takes true or false'), undefined);
      return { BOOL: v.value };
    case 'NULL':
      if (v.kind !== 'boolean' || !v.value) return (problem(problems, v, 'NULL takes true'), undefined);
      return { NULL: true };
    case 'SS': {
      const xs = strings('strings');
      if (!xs || v.kind !== 'array' || !checkSet(problems, v, 'string set', xs, (a, b) => a === b))
        return undefined;
      return { SS: xs };
    }
    case 'NS': {
      const xs = strings('numbers as strings');
      if (!xs || v.kind !== 'array') return undefined;
      for (let i = 0; i < xs.length; i++) {
        const p = numberProblem(xs[i]!);
        if (p) return (problem(problems, v.items[i]!, p), undefined);
      }
      if (!checkSet(problems, v, 'number set', xs, (a, b) => compareNumbers(a, b) === 0)) return undefined;
      return { NS: xs };
    }
    case 'BS': {
      const xs = strings('base64 strings');
      if (!xs || v.kind !== 'array') return undefined;
      for (let i = 0; i < xs.length; i++)
        if (!isBase64(xs[i]!)) return (problem(problems, v.items[i]!, 'BS holds base64 text'), undefined);
      if (!checkSet(problems, v, 'binary set', xs, (a, b) => a === b)) return undefined;
      return { BS: xs };
    }
    case 'L': {
      if (v.kind !== 'array') return (problem(problems, v, 'L takes a list of attribute values'), undefined);
      const out: AttributeValue[] = [];
      let ok = true;
      for (const it of v.items) {
        const x = fromDynamoNode(it, problems);
        if (x) out.push(x);
        else ok = false;
      }
      return ok ? { L: out } : undefined;
    }
    case 'M': {
      if (v.kind !== 'object')
        return (problem(problems, v, 'M takes an object of attribute values'), undefined);
      const m = mapFromDynamoNode(v, problems);
      return m ? { M: m } : undefined;
    }
    default:
      problem(problems, keySpan, `Unknown type "${key}": use S, N, B, BOOL, NULL, SS, NS, BS, L or M`);
      return undefined;
  }
}

function mapFromDynamoNode(node: JsonNode & { kind: 'object' }, problems: Problem[]): Item | undefined {
  const out: Item = {};
  let ok = true;
  for (const e of node.entries) {
    const x = fromDynamoNode(e.value, problems);
    if (x) out[e.key] = x;
    else ok = false;
  }
  return ok ? out : undefined;
}

function sameTypeArray(items: JsonNode[], kind: JsonNode['kind']): boolean {
  return items.every((i) => i.kind === kind);
}

/** Plain JSON node → attribute value, keeping the type of `template` (the edited version) where it fits. */
function fromPlainNode(
  node: JsonNode,
  template: AttributeValue | undefined,
  problems: Problem[],
  path: string,
): AttributeValue | undefined {
  const was = template ? typeOf(template) : undefined;
  switch (node.kind) {
    case 'string':
      if (was === 'B') {
        if (!isBase64(node.value))
          return (problem(problems, node, `${path} is binary (B): write it as base64 text`), undefined);
        return { B: node.value };
      }
      return { S: node.value };
    case 'number': {
      const p = numberProblem(node.raw);
      if (p) return (problem(problems, node, p), undefined);
      return { N: node.raw };
    }
    case 'boolean':
      return { BOOL: node.value };
    case 'null':
      return { NULL: true };
    case 'array': {
      const items = node.items;
      if (was === 'SS' || was === 'NS' || was === 'BS') {
        const fits =
          items.length > 0 &&
          (was === 'NS' ? sameTypeArray(items, 'number') : sameTypeArray(items, 'string'));
        if (fits) {
          if (was === 'NS') {
            const xs = items.map((i) => (i as { raw: string }).raw);
            for (let i = 0; i < xs.length; i++) {
              const p = numberProblem(xs[i]!);
              if (p) return (problem(problems, items[i]!, p), undefined);
            }
            if (!checkSet(problems, node, 'number set', xs, (a, b) => compareNumbers(a, b) === 0))
              return undefined;
            return { NS: xs };
          }
          const xs = items.map((i) => (i as { value: string }).value);
          if (was === 'BS') {
            for (let i = 0; i < xs.length; i++)
              if (!isBase64(xs[i]!))
                return (problem(problems, items[i]!, 'A binary set holds base64 text'), undefined);
          }
          const name = was === 'SS' ? 'string set' : 'binary set';
          if (!checkSet(problems, node, name, xs, (a, b) => a === b)) return undefined;
          return was === 'SS' ? { SS: xs } : { BS: xs };
        }
        if (items.length === 0) {
          problem(
            problems,
            node,
            `${path} is a set (${was}), and sets cannot be empty: remove the attribute instead`,
          );
          return undefined;
        }
        problem(
          problems,
          node,
          `${path} was a ${was === 'SS' ? 'string' : was === 'NS' ? 'number' : 'binary'} set (${was}); with these elements it is saved as a list (L)`,
          'warning',
        );
      }
      const list: AttributeValue[] = [];
      const tl = template && 'L' in template ? template.L : undefined;
      let ok = true;
      items.forEach((it, i) => {
        const x = fromPlainNode(it, tl?.[i], problems, `${path}[${i}]`);
        if (x) list.push(x);
        else ok = false;
      });
      return ok ? { L: list } : undefined;
    }
    case 'object': {
      const tm = template && 'M' in template ? template.M : undefined;
      const m: Item = {};
      let ok = true;
      for (const e of node.entries) {
        const x = fromPlainNode(e.value, tm?.[e.key], problems, `${path}.${e.key}`);
        if (x) m[e.key] = x;
        else ok = false;
      }
      return ok ? { M: m } : undefined;
    }
  }
}

function checkKeys(
  item: Item,
  root: JsonNode & { kind: 'object' },
  keys: KeyInfo | undefined,
  problems: Problem[],
): void {
  if (!keys) return;
  for (const k of keys.keySchema) {
    const def = keys.attributeDefinitions.find((d) => d.AttributeName === k.AttributeName);
    const entry = root.entries.find((e) => e.key === k.AttributeName);
    const v = item[k.AttributeName];
    const role = k.KeyType === 'HASH' ? 'partition key' : 'sort key';
    if (!entry || !v) {
      problems.push({
        message: `The ${role} "${k.AttributeName}" is missing`,
        start: root.start,
        end: Math.min(root.start + 1, root.end),
        severity: 'error',
      });
      continue;
    }
    const t = typeOf(v);
    if (def && t !== def.AttributeType) {
      problem(
        problems,
        entry.value,
        `The ${role} "${k.AttributeName}" must be of type ${def.AttributeType}, not ${t}`,
      );
    } else if ((t === 'S' && (v as { S: string }).S === '') || (t === 'B' && (v as { B: string }).B === '')) {
      problem(problems, entry.value, `The ${role} "${k.AttributeName}" cannot be empty`);
    }
  }
}

/**
 * Reads an item from editor text: DynamoDB JSON ('dynamo') or plain JSON ('plain', types guided by
 * `template`). Problems carry offsets for markers; an item is returned only when there is no error.
 */
export function decodeItem(
  text: string,
  mode: 'plain' | 'dynamo',
  template?: Item,
  keys?: KeyInfo,
): DecodeResult {
  const problems: Problem[] = [];
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      problems.push({ message: e.message, start: e.offset, end: e.offset + 1, severity: 'error' });
      return { problems };
    }
    throw e;
  }
  if (root.kind !== 'object') {
    problem(problems, root, 'An item is a JSON object of attributes');
    return { problems };
  }
  let item: Item | undefined;
  if (mode === 'dynamo') item = mapFromDynamoNode(root, problems);
  else {
    const v = fromPlainNode(root, template ? { M: template } : undefined, problems, 'item');
    item = v && 'M' in v ? v.M : undefined;
  }
  for (const e of root.entries) {
    if (e.key === '') problem(problems, e.keySpan, 'Attribute names cannot be empty');
  }
  if (item) checkKeys(item, root, keys, problems);
  const hasError = problems.some((p) => p.severity === 'error');
  return hasError || !item ? { problems } : { item, problems };
}

/** The key attributes of an item, in key-schema order. */
export function keyOf(item: Item, keySchema: KeySchemaElement[]): Item {
  const key: Item = {};
  for (const k of keySchema) {
    const v = item[k.AttributeName];
    if (v !== undefined) key[k.AttributeName] = v;
  }
  return key;
}

/** A stable string for an item's key (grid row ids). */
export function keyId(item: Item, keySchema: KeySchemaElement[]): string {
  return JSON.stringify(keySchema.map((k) => item[k.AttributeName] ?? null));
}

/** Attribute names of items, keys first (in schema order), then in order of first appearance. */
export function unionOfAttributes(items: Item[], keyNames: string[] = []): string[] {
  const seen = new Set<string>(keyNames);
  const out = [...keyNames];
  for (const item of items) {
    for (const k of Object.keys(item)) {
      if (!seen.has(k)) {
        seen.add(k);
        out.push(k);
      }
    }
  }
  return out;
}

/** Parses one typed parameter value from the parameters panel. */
export function parameterValue(type: TypeName | 'JSON', text: string): AttributeValue {
  switch (type) {
    case 'S':
      return { S: text };
    case 'N': {
      const t = text.trim();
      const p = numberProblem(t);
      if (p) throw new Error(p);
      return { N: t };
    }
    case 'B':
      if (!isBase64(text.trim())) throw new Error('B takes base64 text');
      return { B: text.trim() };
    case 'BOOL': {
      const t = text.trim().toLowerCase();
      if (t !== 'true' && t !== 'false') throw new Error('BOOL takes true or false');
      return { BOOL: t === 'true' };
    }
    case 'NULL':
      return { NULL: true };
    default: {
      // Sets, lists and maps (and 'JSON'): DynamoDB JSON text, or for L/M/SS/NS/BS the bare value.
      let wrapped = text.trim();
      if (type !== 'JSON') wrapped = `{${JSON.stringify(type)}: ${wrapped}}`;
      const problems: Problem[] = [];
      let node: JsonNode;
      try {
        node = parseJson(wrapped);
      } catch (e) {
        throw new Error((e as Error).message);
      }
      const v = fromDynamoNode(node, problems);
      if (!v) throw new Error(problems[0]?.message ?? 'Not a DynamoDB JSON value');
      return v;
    }
  }
}
