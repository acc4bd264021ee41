// The index designer's arithmetic, from a sample of a table's items: which attributes exist and with
// which types, which items a proposed GSI/LSI would hold (sparse: only items carrying every key
// attribute with the declared type), the projected item each would store, its size (DynamoDB's
// item-size rules, as the engine counts IndexSizeBytes) and the write capacity the index adds to
// table writes. Pure TypeScript: unit-tested in Node (tests/unit/studio/index-estimate.test.ts).
import type {
  AttributeDefinition,
  AttributeValue,
  Item,
  KeySchemaElement,
  ScalarType,
  SecondaryIndexInput,
} from '../backend/api.js';
import type { TypeName } from './values.js';
import { base64Length, compareValues, typeOf } from './values.js';

// ── Item size (DynamoDB's rules, as engine/values/size.ts) ─────────────────────────────────────────

/** UTF-8 byte length of a string (no TextEncoder: this file also runs in Node without DOM types). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/**
 * Stored size of a number: one byte of exponent, one per pair of significant digits (aligned on
 * the decimal point, as base-100 digits), one more when negative.
 */
export function numberSize(text: string): number {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return 1;
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  const all = intPart + fracPart;
  let start = 0;
  while (start < all.length && all[start] === '0') start++;
  if (start === all.length) return 1;
  let end = all.length;
  while (all[end - 1] === '0') end--;
  const digits = end - start;
  const exponent = intPart.length - 1 - start + exp;
  const last = exponent - digits + 1;
  const centesimal = Math.floor(exponent / 2) - Math.floor(last / 2) + 1;
  return 1 + centesimal + (m[1] === '-' ? 1 : 0);
}

export function valueSize(value: AttributeValue): number {
  if ('S' in value) return utf8Length(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return base64Length(value.B);
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((n, s) => n + utf8Length(s), 0);
  if ('NS' in value) return value.NS.reduce((n, s) => n + numberSize(s), 0);
  if ('BS' in value) return value.BS.reduce((n, s) => n + base64Length(s), 0);
  if ('L' in value) return value.L.reduce((n, e) => n + valueSize(e) + 1, 3);
  if ('M' in value) {
    let n = 3;
    for (const [k, v] of Object.entries(value.M)) n += utf8Length(k) + valueSize(v) + 1;
    return n;
  }
  return 0;
}

/** Attribute-name bytes plus value bytes: what capacity units and IndexSizeBytes count. */
export function itemSize(item: Item): number {
  let n = 0;
  for (const [name, v] of Object.entries(item)) n += utf8Length(name) + valueSize(v);
  return n;
}

/** Write capacity units of one write of an item of `size` bytes (1 KB each, at least one). */
export function writeUnits(size: number): number {
  return Math.max(1, Math.ceil(size / 1024));
}

// ── Attributes of a sample ────────────────────────────────────────────────────────────────────────

export interface AttributeStats {
  name: string;
  /** Items carrying the attribute. */
  count: number;
  /** Items per type of the attribute's value. */
  types: Partial<Record<TypeName, number>>;
  /** The scalar type (S, N, B) most items carry it as, if any does: what a key on it would use. */
  keyType?: ScalarType;
}

const SCALARS: readonly ScalarType[] = ['S', 'N', 'B'];

/** Top-level attributes of the items, most common first (then by name). */
export function attributeStats(items: readonly Item[]): AttributeStats[] {
  const map = new Map<string, AttributeStats>();
  for (const item of items) {
    for (const [name, value] of Object.entries(item)) {
      let s = map.get(name);
      if (!s) {
        s = { name, count: 0, types: {} };
        map.set(name, s);
      }
      s.count++;
      const t = typeOf(value);
      s.types[t] = (s.types[t] ?? 0) + 1;
    }
  }
  for (const s of map.values()) {
    let best = 0;
    for (const t of SCALARS) {
      const c = s.types[t] ?? 0;
      if (c > best) {
        best = c;
        s.keyType = t;
      }
    }
  }
  return [...map.values()].sort(
    (a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

// ── A proposed index ──────────────────────────────────────────────────────────────────────────────

export interface KeyAttribute {
  name: string;
  type: ScalarType;
}

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';

export interface IndexDesign {
  kind: 'GSI' | 'LSI';
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  projection: ProjectionType;
  /** INCLUDE: the non-key attributes projected. */
  include: string[];
}

/** The index's key attributes, partition key first. */
export function indexKey(design: IndexDesign): KeyAttribute[] {
  return design.sortKey ? [design.partitionKey, design.sortKey] : [design.partitionKey];
}

export type Membership = 'in' | 'missing' | 'wrongType';

/**
 * Whether an item is in the index: it must carry every key attribute with the declared type.
 * 'missing': a key attribute is absent (the item is simply not indexed: a sparse index);
 * 'wrongType': present with another type (backfill leaves it out; writing it later is refused).
 */
export function membership(item: Item, design: IndexDesign): Membership {
  let missing = false;
  for (const k of indexKey(design)) {
    const v = item[k.name];
    if (v === undefined) missing = true;
    else if (!(k.type in v)) return 'wrongType';
  }
  return missing ? 'missing' : 'in';
}

/** The item as the index stores it: table keys, index keys and the projected attributes. */
export function projectItem(item: Item, tableKey: readonly string[], design: IndexDesign): Item {
  if (design.projection === 'ALL') return item;
  const out: Item = {};
  const keep = [...tableKey, ...indexKey(design).map((k) => k.name)];
  if (design.projection === 'INCLUDE') keep.push(...design.include);
  for (const name of keep) if (item[name] !== undefined) out[name] = item[name]!;
  return out;
}

function sameValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameProjection(a: Item, b: Item): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => sameValue(a[k], b[k]));
}

export interface IndexWrite {
  /** Index rows written: 0, 1 (put, update or delete of the entry) or 2 (the key changed: delete + put). */
  writes: number;
  /** Write capacity units those writes consume. */
  units: number;
}

/**
 * What one table write (old item → new item; undefined: absent) costs the index, as DynamoDB counts
 * it: nothing when the item is in the index neither before nor after, or when no projected attribute
 * changed; one write to add, update or remove the entry; two when the index key changes (the old
 * entry is deleted and a new one put). Each write costs ceil(projected size / 1 KB) units.
 */
export function indexWriteCost(
  oldItem: Item | undefined,
  newItem: Item | undefined,
  tableKey: readonly string[],
  design: IndexDesign,
): IndexWrite {
  const oldIn = oldItem !== undefined && membership(oldItem, design) === 'in';
  const newIn = newItem !== undefined && membership(newItem, design) === 'in';
  if (!oldIn && !newIn) return { writes: 0, units: 0 };
  const oldRow = oldIn ? projectItem(oldItem, tableKey, design) : undefined;
  const newRow = newIn ? projectItem(newItem, tableKey, design) : undefined;
  const oldSize = oldRow ? itemSize(oldRow) : 0;
  const newSize = newRow ? itemSize(newRow) : 0;
  const keyNames = indexKey(design).map((k) => k.name);
  const sameKey = oldRow && newRow && keyNames.every((n) => sameValue(oldRow[n], newRow[n]));
  if (oldRow && newRow && sameKey) {
    if (sameProjection(oldRow, newRow)) return { writes: 0, units: 0 };
    return { writes: 1, units: writeUnits(Math.max(oldSize, newSize)) };
  }
  if (oldRow && newRow) return { writes: 2, units: writeUnits(oldSize) + writeUnits(newSize) };
  return { writes: 1, units: writeUnits(oldRow ? oldSize : newSize) };
}

// ── The estimate ──────────────────────────────────────────────────────────────────────────────────

export interface IndexEstimate {
  /** Items sampled, and whether they are the whole table (then every count is exact). */
  sampled: number;
  exact: boolean;
  /** Items of the table (the sample's count when exact, else the table's ItemCount). */
  tableItems: number;
  /** Sampled items in the index, without a key attribute, with a key attribute of another type. */
  inIndex: number;
  missingKey: number;
  wrongType: number;
  /** Items the index will hold: exact, or scaled from the sample. */
  items: number;
  /** Sum of the projected items' sizes (IndexSizeBytes): exact, or scaled. */
  sizeBytes: number;
  /** Projected item size over the sampled items in the index. */
  averageItemBytes: number;
  maxItemBytes: number;
  /** Write capacity units of one index write of an average / the largest projected item. */
  unitsPerWrite: number;
  maxUnitsPerWrite: number;
  /** Writing every indexed item once (the GSI's backfill), in write units: exact or scaled. */
  backfillUnits: number;
  /**
   * Extra write units a put of a typical item adds (averaged over the sample: items outside the
   * index add nothing), and when such a put changes the index key of an indexed item (two writes).
   */
  unitsPerPut: number;
  unitsPerKeyChange: number;
  /** Indexed items of the sample as the index stores them, in index key order. */
  rows: Item[];
}

export interface TableShape {
  keySchema: readonly KeySchemaElement[];
  /** The table's ItemCount (used when the sample is not the whole table). */
  itemCount: number;
}

export function estimateIndex(
  items: readonly Item[],
  table: TableShape,
  design: IndexDesign,
  options: { complete: boolean; rows?: number },
): IndexEstimate {
  const tableKey = table.keySchema.map((k) => k.AttributeName);
  let inIndex = 0;
  let missingKey = 0;
  let wrongType = 0;
  let bytes = 0;
  let maxBytes = 0;
  let backfill = 0;
  const rows: Item[] = [];
  for (const item of items) {
    const m = membership(item, design);
    if (m === 'missing') missingKey++;
    else if (m === 'wrongType') wrongType++;
    else {
      inIndex++;
      const row = projectItem(item, tableKey, design);
      const size = itemSize(row);
      bytes += size;
      if (size > maxBytes) maxBytes = size;
      backfill += writeUnits(size);
      rows.push(row);
    }
  }
  const sampled = items.length;
  const exact = options.complete;
  const tableItems = exact ? sampled : Math.max(table.itemCount, sampled);
  const scale = exact || sampled === 0 ? 1 : tableItems / sampled;
  const average = inIndex > 0 ? bytes / inIndex : 0;
  const unitsPerWrite = inIndex > 0 ? writeUnits(average) : 0;
  const keyNames = indexKey(design).map((k) => k.name);
  rows.sort((a, b) => {
    for (const n of [...keyNames, ...tableKey]) {
      const c = compareValues(a[n], b[n]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return {
    sampled,
    exact,
    tableItems,
    inIndex,
    missingKey,
    wrongType,
    items: Math.round(inIndex * scale),
    sizeBytes: Math.round(bytes * scale),
    averageItemBytes: average,
    maxItemBytes: maxBytes,
    unitsPerWrite,
    maxUnitsPerWrite: inIndex > 0 ? writeUnits(maxBytes) : 0,
    backfillUnits: Math.round(backfill * scale),
    unitsPerPut: sampled > 0 ? backfill / sampled : 0,
    unitsPerKeyChange: 2 * unitsPerWrite,
    rows: rows.slice(0, options.rows ?? 100),
  };
}

// ── Building the request ──────────────────────────────────────────────────────────────────────────

/** DynamoDB's rule for index names. */
export function indexNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 255) return 'An index name has 3 to 255 characters';
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) return 'An index name uses only letters, digits, _ - and .';
  return undefined;
}

/** A conventional name for the index: `status-index`, `status-createdAt-index`. */
export function suggestIndexName(design: Pick<IndexDesign, 'partitionKey' | 'sortKey'>): string {
  const parts = [design.partitionKey.name, design.sortKey?.name].filter((p): p is string => !!p);
  const base = parts.join('-').replace(/[^a-zA-Z0-9_.-]+/g, '_');
  return base ? `${base}-index` : '';
}

/**
 * Problems that keep the design from being created, given the table's key schema, attribute types
 * and existing index names. The first is the one to show.
 */
export function designProblems(
  design: IndexDesign,
  table: {
    keySchema: readonly KeySchemaElement[];
    attributeDefinitions: readonly AttributeDefinition[];
    indexNames: readonly string[];
    gsiCount: number;
  },
): string[] {
  const problems: string[] = [];
  const nameProblem = indexNameProblem(design.name);
  if (nameProblem) problems.push(nameProblem);
  if (table.indexNames.includes(design.name))
    problems.push(`The table already has an index named ${design.name}`);
  if (!design.partitionKey.name) problems.push('Choose a partition key');
  const tableHash = table.keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const tableRange = table.keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  if (design.kind === 'LSI') {
    if (!tableRange) problems.push('A local secondary index needs a table with a sort key');
    if (design.partitionKey.name !== tableHash)
      problems.push('A local index shares the table’s partition key');
    if (!design.sortKey?.name) problems.push('A local index needs a sort key');
    else if (design.sortKey.name === tableRange)
      problems.push('A local index needs a sort key other than the table’s');
  } else if (table.gsiCount >= 20) problems.push('A table has at most 20 global secondary indexes');
  if (design.sortKey && design.sortKey.name === design.partitionKey.name)
    problems.push('The partition and sort keys must be different attributes');
  for (const k of indexKey(design)) {
    const def = table.attributeDefinitions.find((d) => d.AttributeName === k.name);
    if (def && def.AttributeType !== k.type)
      problems.push(`${k.name} is already a key of type ${def.AttributeType}: an attribute has one key type`);
  }
  if (design.projection === 'INCLUDE' && design.include.length === 0)
    problems.push('INCLUDE needs at least one attribute to project');
  if (design.projection === 'INCLUDE' && design.include.length > 100)
    problems.push('INCLUDE projects at most 100 attributes');
  return problems;
}

/** The index as CreateTable / UpdateTable take it, and the definitions of its key attributes. */
export function indexInput(
  design: IndexDesign,
  tableKey: readonly string[] = [],
): { index: SecondaryIndexInput; attributeDefinitions: AttributeDefinition[] } {
  const keySchema: KeySchemaElement[] = [{ AttributeName: design.partitionKey.name, KeyType: 'HASH' }];
  if (design.sortKey?.name) keySchema.push({ AttributeName: design.sortKey.name, KeyType: 'RANGE' });
  const keyNames = new Set([...tableKey, ...keySchema.map((k) => k.AttributeName)]);
  const projection: SecondaryIndexInput['Projection'] = { ProjectionType: design.projection };
  if (design.projection === 'INCLUDE')
    projection.NonKeyAttributes = [...new Set(design.include.filter((a) => !keyNames.has(a)))];
  return {
    index: { IndexName: design.name, KeySchema: keySchema, Projection: projection },
    attributeDefinitions: indexKey(design)
      .filter((k) => k.name)
      .map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
  };
}

// ── Statements to re-plan ─────────────────────────────────────────────────────────────────────────

export interface CandidateStatement {
  statement: string;
  source: 'saved' | 'history';
  /** The saved query's name. */
  name?: string;
}

/**
 * The SELECTs among saved queries and successful history entries (saved first; EXPLAIN stripped;
 * duplicates by whitespace-normalised text dropped), at most `limit`.
 */
export function candidateStatements(
  saved: readonly { name: string; statement: string }[],
  history: readonly { statement: string; ok: boolean }[],
  limit = 100,
): CandidateStatement[] {
  const out: CandidateStatement[] = [];
  const seen = new Set<string>();
  const add = (text: string, source: CandidateStatement['source'], name?: string): void => {
    let s = text.trim().replace(/;\s*$/, '');
    s = s.replace(/^explain\s+/i, '');
    if (!/^select\b/i.test(s)) return;
    const key = s.replace(/\s+/g, ' ');
    if (seen.has(key) || out.length >= limit) return;
    seen.add(key);
    out.push({ statement: s, source, ...(name !== undefined ? { name } : {}) });
  };
  for (const q of saved) add(q.statement, 'saved', q.name);
  for (const e of history) if (e.ok) add(e.statement, 'history');
  return out;
}
