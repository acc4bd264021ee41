// The table browser's query builder: its form state → a DynamoDB Query or Scan input with
// placeholders for every name and value. Pure TypeScript.
import type { AttributeValue, KeySchemaElement, ReadInput } from '../backend/api.js';
import { parameterValue } from './values.js';
import type { TypeName } from './values.js';

export type SortOperator = '' | '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with';
export const SORT_OPERATORS: readonly SortOperator[] = [
  '',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'BETWEEN',
  'begins_with',
];

export type FilterOperator =
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'BETWEEN'
  | 'begins_with'
  | 'contains'
  | 'not_contains'
  | 'exists'
  | 'not_exists'
  | 'IN';
export const FILTER_OPERATORS: readonly FilterOperator[] = [
  '=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  'BETWEEN',
  'begins_with',
  'contains',
  'not_contains',
  'IN',
  'exists',
  'not_exists',
];

export interface FilterRow {
  attribute: string;
  op: FilterOperator;
  type: TypeName;
  value: string;
  value2: string;
}

export interface BuilderState {
  mode: 'Scan' | 'Query';
  /** '' for the table itself. */
  index: string;
  partitionValue: string;
  sortOp: SortOperator;
  sortValue: string;
  sortValue2: string;
  descending: boolean;
  filters: FilterRow[];
}

export function emptyBuilder(): BuilderState {
  return {
    mode: 'Scan',
    index: '',
    partitionValue: '',
    sortOp: '',
    sortValue: '',
    sortValue2: '',
    descending: false,
    filters: [],
  };
}

export interface KeyTarget {
  keySchema: KeySchemaElement[];
  /** Types of the key attributes. */
  types: Record<string, 'S' | 'N' | 'B'>;
}

class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private n = 0;
  private v = 0;
  private byName = new Map<string, string>();

  /** `a.b[2]` → `#n0.#n1[2]` */
  path(path: string): string {
    return path
      .split('.')
      .map((part) => {
        const m = /^(.*?)((?:\[\d+\])*)$/.exec(part)!;
        const name = m[1]!;
        if (name === '') throw new Error(`"${path}" is not an attribute path`);
        let ph = this.byName.get(name);
        if (!ph) {
          ph = `#n${this.n++}`;
          this.byName.set(name, ph);
          this.names[ph] = name;
        }
        return ph + m[2];
      })
      .join('.');
  }

  value(v: AttributeValue): string {
    const ph = `:v${this.v++}`;
    this.values[ph] = v;
    return ph;
  }
}

function typed(type: TypeName, text: string, what: string): AttributeValue {
  try {
    return parameterValue(type, text);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

function filterTerm(f: FilterRow, p: Placeholders): string {
  if (f.attribute.trim() === '') throw new Error('A filter needs an attribute name');
  const path = p.path(f.attribute.trim());
  const what = `Filter on ${f.attribute}`;
  switch (f.op) {
    case 'exists':
      return `attribute_exists(${path})`;
    case 'not_exists':
      return `attribute_not_exists(${path})`;
    case 'BETWEEN':
      return `${path} BETWEEN ${p.value(typed(f.type, f.value, what))} AND ${p.value(typed(f.type, f.value2, what))}`;
    case 'begins_with':
      return `begins_with(${path}, ${p.value(typed(f.type, f.value, what))})`;
    case 'contains':
      return `contains(${path}, ${p.value(typed(f.type, f.value, what))})`;
    case 'not_contains':
      return `NOT contains(${path}, ${p.value(typed(f.type, f.value, what))})`;
    case 'IN': {
      const parts = f.value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (parts.length === 0) throw new Error(`${what}: IN takes comma-separated values`);
      return `${path} IN (${parts.map((s) => p.value(typed(f.type, s, what))).join(', ')})`;
    }
    default:
      return `${path} ${f.op} ${p.value(typed(f.type, f.value, what))}`;
  }
}

/**
 * The Query or Scan input for the builder's state on `table`. `target` is the key of the table or of
 * the chosen index. Throws Error with a message for the form when something is missing or invalid.
 */
export function buildRead(
  table: string,
  target: KeyTarget,
  state: BuilderState,
): { operation: 'Query' | 'Scan'; input: ReadInput } {
  const p = new Placeholders();
  const input: ReadInput = { TableName: table };
  if (state.index) input.IndexName = state.index;
  let operation: 'Query' | 'Scan' = 'Scan';
  if (state.mode === 'Query') {
    operation = 'Query';
    const hash = target.keySchema.find((k) => k.KeyType === 'HASH');
    const range = target.keySchema.find((k) => k.KeyType === 'RANGE');
    if (!hash) throw new Error('This table has no partition key');
    if (state.partitionValue === '')
      throw new Error(`A query needs a value for the partition key "${hash.AttributeName}"`);
    const ht = target.types[hash.AttributeName] ?? 'S';
    const terms = [
      `${p.path(hash.AttributeName)} = ${p.value(typed(ht, state.partitionValue, hash.AttributeName))}`,
    ];
    if (state.sortOp !== '') {
      if (!range) throw new Error('This key has no sort key to put a condition on');
      const rt = target.types[range.AttributeName] ?? 'S';
      const rp = p.path(range.AttributeName);
      const v1 = (): string => p.value(typed(rt, state.sortValue, range.AttributeName));
      if (state.sortOp === 'BETWEEN') {
        const a = v1();
        terms.push(`${rp} BETWEEN ${a} AND ${p.value(typed(rt, state.sortValue2, range.AttributeName))}`);
      } else if (state.sortOp === 'begins_with') {
        if (rt === 'N') throw new Error('begins_with works on strings and binary, not numbers');
        terms.push(`begins_with(${rp}, ${v1()})`);
      } else {
        terms.push(`${rp} ${state.sortOp} ${v1()}`);
      }
    }
    input.KeyConditionExpression = terms.join(' AND ');
    if (state.descending) input.ScanIndexForward = false;
  }
  const filters = state.filters.filter((f) => f.attribute.trim() !== '' || f.value !== '');
  if (filters.length > 0) input.FilterExpression = filters.map((f) => filterTerm(f, p)).join(' AND ');
  if (Object.keys(p.names).length > 0) input.ExpressionAttributeNames = p.names;
  if (Object.keys(p.values).length > 0) input.ExpressionAttributeValues = p.values;
  return { operation, input };
}

/** A double-quoted PartiQL name. */
function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `a.b[2]` → `"a"."b"[2]` */
function partiqlPath(path: string): string {
  return path
    .split('.')
    .map((part) => {
      const m = /^(.*?)((?:\[\d+\])*)$/.exec(part)!;
      if (m[1] === '') throw new Error(`"${path}" is not an attribute path`);
      return quoteName(m[1]!) + m[2];
    })
    .join('.');
}

/** A value written as a PartiQL literal (numbers exactly as typed). */
export function partiqlLiteral(v: AttributeValue): string {
  if ('S' in v) return `'${v.S.replace(/'/g, "''")}'`;
  if ('N' in v) return v.N;
  if ('BOOL' in v) return v.BOOL ? 'true' : 'false';
  if ('NULL' in v) return 'null';
  if ('SS' in v) return `<<${v.SS.map((s) => partiqlLiteral({ S: s })).join(', ')}>>`;
  if ('NS' in v) return `<<${v.NS.join(', ')}>>`;
  if ('L' in v) return `[${v.L.map(partiqlLiteral).join(', ')}]`;
  if ('M' in v)
    return `{${Object.entries(v.M)
      .map(([k, x]) => `${partiqlLiteral({ S: k })}: ${partiqlLiteral(x)}`)
      .join(', ')}}`;
  // PartiQL has no binary literal: such a value can only travel as a ? parameter.
  throw new Error('A binary value cannot be written in PartiQL text (use a ? parameter)');
}

function filterCondition(f: FilterRow): string {
  if (f.attribute.trim() === '') throw new Error('A filter needs an attribute name');
  const path = partiqlPath(f.attribute.trim());
  const what = `Filter on ${f.attribute}`;
  const lit = (text: string): string => partiqlLiteral(typed(f.type, text, what));
  switch (f.op) {
    case 'exists':
      return `${path} IS NOT MISSING`;
    case 'not_exists':
      return `${path} IS MISSING`;
    case 'BETWEEN':
      return `${path} BETWEEN ${lit(f.value)} AND ${lit(f.value2)}`;
    case 'begins_with':
      return `begins_with(${path}, ${lit(f.value)})`;
    case 'contains':
      return `contains(${path}, ${lit(f.value)})`;
    case 'not_contains':
      return `NOT contains(${path}, ${lit(f.value)})`;
    case 'IN': {
      const parts = f.value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (parts.length === 0) throw new Error(`${what}: IN takes comma-separated values`);
      return `${path} IN [${parts.map(lit).join(', ')}]`;
    }
    default:
      return `${path} ${f.op} ${lit(f.value)}`;
  }
}

/**
 * The PartiQL SELECT that reads what `buildRead` reads for the same state: the same table or index,
 * key condition, filters and order (ORDER BY the sort key when descending). Throws like buildRead.
 */
export function buildStatement(table: string, target: KeyTarget, state: BuilderState): string {
  const from = state.index ? `${quoteName(table)}.${quoteName(state.index)}` : quoteName(table);
  const terms: string[] = [];
  let order = '';
  if (state.mode === 'Query') {
    const hash = target.keySchema.find((k) => k.KeyType === 'HASH');
    const range = target.keySchema.find((k) => k.KeyType === 'RANGE');
    if (!hash) throw new Error('This table has no partition key');
    if (state.partitionValue === '')
      throw new Error(`A query needs a value for the partition key "${hash.AttributeName}"`);
    const ht = target.types[hash.AttributeName] ?? 'S';
    terms.push(
      `${quoteName(hash.AttributeName)} = ${partiqlLiteral(typed(ht, state.partitionValue, hash.AttributeName))}`,
    );
    if (state.sortOp !== '') {
      if (!range) throw new Error('This key has no sort key to put a condition on');
      const rt = target.types[range.AttributeName] ?? 'S';
      const rp = quoteName(range.AttributeName);
      const lit = (text: string): string => partiqlLiteral(typed(rt, text, range.AttributeName));
      if (state.sortOp === 'BETWEEN')
        terms.push(`${rp} BETWEEN ${lit(state.sortValue)} AND ${lit(state.sortValue2)}`);
      else if (state.sortOp === 'begins_with') {
        if (rt === 'N') throw new Error('begins_with works on strings and binary, not numbers');
        terms.push(`begins_with(${rp}, ${lit(state.sortValue)})`);
      } else terms.push(`${rp} ${state.sortOp} ${lit(state.sortValue)}`);
    }
    if (state.descending && range) order = ` ORDER BY ${quoteName(range.AttributeName)} DESC`;
  }
  const filters = state.filters.filter((f) => f.attribute.trim() !== '' || f.value !== '');
  for (const f of filters) terms.push(filterCondition(f));
  return `SELECT * FROM ${from}${terms.length ? ` WHERE ${terms.join(' AND ')}` : ''}${order}`;
}
