// What a request touches, read from its input before or after it runs: the tables and indexes it
// reads or writes (for admission by the throttling buckets and for fault rules) and the partition
// keys it accesses (for hot keys and the per-partition ceilings). Inputs are not validated here:
// anything malformed is skipped, and the operation itself reports it.
import type { KeyTerm } from '../expressions/ir.js';
import { keyTermsFromKeyConditions, parseKeyCondition } from '../expressions/index.js';
import { tableNameOf } from '../operations/common.js';
import { newAttributes } from '../operations/itemCommon.js';
import type { Catalog } from '../tables/catalog.js';
import type { KeyAttribute } from '../tables/schema.js';
import type { Index, Table } from '../tables/table.js';
import type { Item } from '../types.js';
import type { CapacityKind } from '../throttle/errors.js';

/** A table (or index) a request reads or writes; `item` is its position in a transaction (-1 otherwise). */
export interface Target {
  readonly table: Table;
  /** The index read (Query/Scan with IndexName), undefined for the table. */
  readonly index: Index | undefined;
  readonly kind: CapacityKind;
  readonly item: number;
}

/** A partition key a request accesses. */
export interface KeyAccess {
  readonly table: Table;
  readonly index: Index | undefined;
  /** Type-tagged key text, unique per key value. */
  readonly id: string;
  /** The partition key attributes, as DynamoDB JSON. */
  readonly key: Item;
  readonly kind: CapacityKind;
}

/** What reading a request's targets needs of the engine: its catalog's tables (EngineContext provides them). */
export interface KeysHost {
  readonly catalog: Pick<Catalog, 'get'>;
}

type Rec = Record<string, unknown>;

function rec(v: unknown): Rec | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined;
}

function tableOf(ctx: KeysHost, name: unknown): Table | undefined {
  return typeof name === 'string' ? ctx.catalog.get(tableNameOf(name)) : undefined;
}

/** Calls `fn` for each (table name, request) of a transaction's or batch's items. */
function transactItems(
  input: Rec,
  fn: (kind: CapacityKind, body: Rec, item: number) => void,
  write: boolean,
): void {
  const items = input.TransactItems;
  if (!Array.isArray(items)) return;
  items.forEach((raw, i) => {
    const e = rec(raw);
    if (!e) return;
    if (!write) {
      const g = rec(e.Get);
      if (g) fn('read', g, i);
      return;
    }
    const put = rec(e.Put);
    const upd = rec(e.Update);
    const del = rec(e.Delete);
    const check = rec(e.ConditionCheck);
    if (put) fn('write', put, i);
    else if (upd) fn('write', upd, i);
    else if (del) fn('write', del, i);
    else if (check) fn('read', check, i);
  });
}

/** The tables and indexes a request will read or write, as far as its input says. */
export function requestTargets(ctx: KeysHost, op: string, input: Rec): Target[] {
  const out: Target[] = [];
  const one = (name: unknown, kind: CapacityKind, item = -1, indexName?: unknown) => {
    const table = tableOf(ctx, name);
    if (!table) return;
    const index = typeof indexName === 'string' ? table.indexes.get(indexName) : undefined;
    out.push({ table, index, kind, item });
  };
  switch (op) {
    case 'GetItem':
      one(input.TableName, 'read');
      break;
    case 'Query':
    case 'Scan':
      one(input.TableName, 'read', -1, input.IndexName);
      break;
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      one(input.TableName, 'write');
      break;
    case 'BatchGetItem':
    case 'BatchWriteItem': {
      const items = rec(input.RequestItems);
      if (items) for (const name of Object.keys(items)) one(name, op === 'BatchGetItem' ? 'read' : 'write');
      break;
    }
    case 'TransactGetItems':
    case 'TransactWriteItems':
      transactItems(input, (kind, body, i) => one(body.TableName, kind, i), op === 'TransactWriteItems');
      break;
    default:
      break;
  }
  return out;
}

/** The names of the tables a request addresses (fault rules with a Tables filter). */
export function requestTableNames(ctx: KeysHost, op: string, input: Rec): string[] {
  const names = requestTargets(ctx, op, input).map((t) => t.table.name);
  if (names.length === 0 && typeof input.TableName === 'string') names.push(tableNameOf(input.TableName));
  return names;
}

/** The partition key of `item` under `attrs` (a table's or index's partition attributes). */
export function partitionOf(
  attrs: readonly KeyAttribute[],
  item: unknown,
): { id: string; key: Item } | undefined {
  const src = rec(item);
  if (!src) return undefined;
  let id = '';
  const key: Item = {};
  for (let i = 0; i < attrs.length; i++) {
    const name = attrs[i]!.name;
    const v = rec(src[name]);
    if (!v) return undefined;
    let part: string;
    if (typeof v.S === 'string') part = 'S' + v.S;
    else if (typeof v.N === 'string') part = 'N' + v.N;
    else if (typeof v.B === 'string') part = 'B' + v.B;
    else return undefined;
    id = i === 0 ? part : `${id}\u0001${part}`;
    key[name] = v as Item[string];
  }
  return { id, key };
}

/** The partition a Query reads: its equality terms on the partition attributes. */
function queryPartition(input: Rec, attrs: readonly KeyAttribute[]): { id: string; key: Item } | undefined {
  let terms: KeyTerm[];
  try {
    terms =
      typeof input.KeyConditionExpression === 'string'
        ? parseKeyCondition(input.KeyConditionExpression, newAttributes(input))
        : keyTermsFromKeyConditions(input.KeyConditions);
  } catch {
    return undefined;
  }
  const values: Item = {};
  for (const t of terms) if (t.op === '=' && 'value' in t) values[t.name] = t.value;
  return partitionOf(attrs, values);
}

/** The partition keys a request accesses, as far as its input says (not PartiQL statements). */
export function accessedKeys(ctx: KeysHost, op: string, input: Rec, out: KeyAccess[]): void {
  const push = (table: Table | undefined, index: Index | undefined, item: unknown, kind: CapacityKind) => {
    if (!table) return;
    const p = partitionOf((index ?? table).key.partition, item);
    if (p) out.push({ table, index, id: p.id, key: p.key, kind });
  };
  switch (op) {
    case 'GetItem':
      push(tableOf(ctx, input.TableName), undefined, input.Key, 'read');
      break;
    case 'PutItem':
      push(tableOf(ctx, input.TableName), undefined, input.Item, 'write');
      break;
    case 'UpdateItem':
    case 'DeleteItem':
      push(tableOf(ctx, input.TableName), undefined, input.Key, 'write');
      break;
    case 'Query': {
      const table = tableOf(ctx, input.TableName);
      if (!table) break;
      const index = typeof input.IndexName === 'string' ? table.indexes.get(input.IndexName) : undefined;
      const p = queryPartition(input, (index ?? table).key.partition);
      if (p) out.push({ table, index, id: p.id, key: p.key, kind: 'read' });
      break;
    }
    case 'BatchGetItem': {
      const items = rec(input.RequestItems);
      if (!items) break;
      for (const [name, req] of Object.entries(items)) {
        const table = tableOf(ctx, name);
        const keys = rec(req)?.Keys;
        if (table && Array.isArray(keys)) for (const k of keys) push(table, undefined, k, 'read');
      }
      break;
    }
    case 'BatchWriteItem': {
      const items = rec(input.RequestItems);
      if (!items) break;
      for (const [name, list] of Object.entries(items)) {
        const table = tableOf(ctx, name);
        if (!table || !Array.isArray(list)) continue;
        for (const w of list) {
          const r = rec(w);
          const put = rec(r?.PutRequest);
          push(table, undefined, put ? put.Item : rec(r?.DeleteRequest)?.Key, 'write');
        }
      }
      break;
    }
    case 'TransactGetItems':
    case 'TransactWriteItems':
      transactItems(
        input,
        (kind, body) => push(tableOf(ctx, body.TableName), undefined, body.Item ?? body.Key, kind),
        op === 'TransactWriteItems',
      );
      break;
    default:
      break;
  }
}
