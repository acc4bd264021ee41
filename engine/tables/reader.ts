// Ordered reads of an item table or index table, in the pages DynamoDB returns: Query reads one
// partition in sort-key order, Scan reads a range of partition hashes in storage order. A page ends
// at Limit evaluated items or once 1 MB has been read, whichever comes first.
import type { StaleView } from '../consistency/eventual.js';
import type { EngineContext } from '../context.js';
import type { Item } from '../types.js';
import { itemSize } from '../values/size.js';
import { encodeKey, hasKey } from './schema.js';
import { projectForIndex } from './write.js';
import type { Index, Table } from './table.js';

export const MAX_PAGE_BYTES = 1024 * 1024;

/** Where a row sits: its table key, and for index rows also its index key. */
export interface RowPosition {
  readonly h: number;
  readonly pk: Buffer;
  readonly sk: Buffer;
  /** Index rows only: the base table's partition and sort key. */
  readonly tpk?: Buffer;
  readonly tsk?: Buffer;
}

export interface Bound {
  readonly value: Buffer;
  readonly inclusive: boolean;
}

/** What to read: one partition (Query) or a range of partition hashes (Scan). */
export type ReadRange =
  | {
      readonly kind: 'partition';
      readonly h: number;
      readonly pk: Buffer;
      readonly lower?: Bound;
      readonly upper?: Bound;
    }
  | { readonly kind: 'hashes'; readonly from: number; readonly to: number };

export interface ReadRow {
  readonly item: Item;
  readonly size: number;
  /** The item's stored JSON text (what `item` is parsed from). */
  readonly json: string;
}

/** A row whose item is parsed only when asked for: a page spliced into a response never is. */
class StoredReadRow implements ReadRow {
  private parsed: Item | undefined;
  constructor(
    readonly json: string,
    readonly size: number,
  ) {}
  get item(): Item {
    return (this.parsed ??= JSON.parse(this.json) as Item);
  }
}

export interface Page {
  readonly rows: ReadRow[];
  /** Bytes read (before any filter or projection), for capacity. */
  readonly bytes: number;
  /** Set when the page stopped early: where the next page starts. */
  readonly last?: RowPosition;
}

/** A read statement and its parameters; `LIMIT ?` is bound last. */
interface ReadStatement {
  readonly sql: string;
  readonly params: unknown[];
}

/** Whether every row after `after` within one partition also satisfies `bound` (so `bound` can go). */
function afterImplies(afterSk: Buffer, bound: Bound, forward: boolean, isIndex: boolean): boolean {
  const c = Buffer.compare(afterSk, bound.value);
  // Table rows after the start have sk strictly beyond it; index rows (sk, tpk, tsk) may share sk.
  if (forward) return c > 0 || (c === 0 && (!isIndex || bound.inclusive));
  return c < 0 || (c === 0 && (!isIndex || bound.inclusive));
}

/**
 * The statement that reads `range` from just after `after` (or from its start): the start is the
 * bound SQLite seeks to in the primary key, so resuming a page costs one B-tree descent however far
 * into the table it lies. Of two lower (or upper) bounds only the tighter one is written, because
 * SQLite seeks on one and would merely filter with the other (`EXPLAIN QUERY PLAN` in the tests).
 */
export function readStatement(
  source: Table | Index,
  isIndex: boolean,
  range: ReadRange,
  forward: boolean,
  after: RowPosition | undefined,
): ReadStatement {
  const where: string[] = [];
  const params: unknown[] = [];
  let order: string;
  if (range.kind === 'partition') {
    const dir = forward ? 'ASC' : 'DESC';
    where.push('h = ?', 'pk = ?');
    params.push(range.h, range.pk);
    let lower = range.lower;
    let upper = range.upper;
    let seek: string | undefined;
    if (after) {
      const startBound = forward ? lower : upper;
      if (!startBound || afterImplies(after.sk, startBound, forward, isIndex)) {
        if (forward) lower = undefined;
        else upper = undefined;
        seek = isIndex ? `(sk, tpk, tsk) ${forward ? '>' : '<'} (?, ?, ?)` : `sk ${forward ? '>' : '<'} ?`;
      }
    }
    if (lower) {
      where.push(`sk ${lower.inclusive ? '>=' : '>'} ?`);
      params.push(lower.value);
    }
    if (upper) {
      where.push(`sk ${upper.inclusive ? '<=' : '<'} ?`);
      params.push(upper.value);
    }
    if (seek && after) {
      where.push(seek);
      params.push(after.sk, ...(isIndex ? [after.tpk, after.tsk] : []));
    }
    order = isIndex ? `sk ${dir}, tpk ${dir}, tsk ${dir}` : `sk ${dir}`;
  } else {
    // A start before the range's first hash cannot narrow it (Scan refuses such a start anyway).
    if (after && after.h >= range.from) {
      where.push(isIndex ? '(h, pk, sk, tpk, tsk) > (?, ?, ?, ?, ?)' : '(h, pk, sk) > (?, ?, ?)');
      params.push(after.h, after.pk, after.sk, ...(isIndex ? [after.tpk, after.tsk] : []));
    } else {
      where.push('h >= ?');
      params.push(range.from);
    }
    where.push('h < ?');
    params.push(range.to);
    order = isIndex ? 'h, pk, sk, tpk, tsk' : 'h, pk, sk';
  }
  return {
    sql: `SELECT size, item FROM "${source.sqlName}" WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`,
    params,
  };
}

/**
 * Reads one page: up to `limit` rows or 1 MB, starting after `start`. One statement walks the
 * B-tree from the start position and is stepped a row at a time, so a page reads exactly the rows
 * it returns plus, when 1 MB ends it, the one row that did not fit: a page of two 400 KB items
 * reads three items, not a fixed batch of rows.
 */
export function readPage(
  ctx: EngineContext,
  source: Table | Index,
  range: ReadRange,
  options: {
    forward: boolean;
    limit?: number;
    start?: RowPosition;
    maxBytes?: number;
    /** An eventually consistent read's view of the past (engine/consistency): read as it was then. */
    view?: StaleView | undefined;
  },
): Page {
  if (options.view?.anyChanged) return readPageAsOf(ctx, source, range, { ...options, view: options.view });
  const isIndex = 'kind' in source && (source.kind === 'GSI' || source.kind === 'LSI');
  const maxBytes = options.maxBytes ?? MAX_PAGE_BYTES;
  const { sql, params } = readStatement(source, isIndex, range, options.forward, options.start);
  // A negative LIMIT is no limit in SQLite.
  params.push(options.limit ?? -1);
  const rows: ReadRow[] = [];
  let bytes = 0;
  let full = false;
  const iterator = ctx
    .prepare(sql)
    .raw()
    .iterate(...params) as IterableIterator<[number, string]>;
  try {
    for (const [size, json] of iterator) {
      // A page holds at most 1 MB of items (but always at least one item, so paging progresses).
      if (rows.length > 0 && bytes + size > maxBytes) {
        full = true;
        break;
      }
      rows.push(new StoredReadRow(json, size));
      bytes += size;
      if ((options.limit !== undefined && rows.length >= options.limit) || bytes >= maxBytes) {
        full = true;
        break;
      }
    }
  } finally {
    // Stops the statement when the page ended before the rows did.
    iterator.return?.();
  }
  return full ? { rows, bytes, last: rowPosition(source, rows[rows.length - 1]!.item) } : { rows, bytes };
}

/**
 * readPage as the table was at `view.moment`: the stored rows of keys written since are skipped,
 * and the rows those keys held then (in `range`, after `start`) are merged in, in read order.
 * Only while eventual consistency is on, and only for tables written within its window.
 */
function readPageAsOf(
  ctx: EngineContext,
  source: Table | Index,
  range: ReadRange,
  options: { forward: boolean; limit?: number; start?: RowPosition; maxBytes?: number; view: StaleView },
): Page {
  const isIndex = 'kind' in source;
  const maxBytes = options.maxBytes ?? MAX_PAGE_BYTES;
  const sign = options.forward ? 1 : -1;
  const order = (a: RowPosition, b: RowPosition): number => sign * comparePositions(a, b, range.kind);
  const pastRows: ReadRow[] = [];
  for (const row of options.view.pastItems) {
    if (!isIndex) pastRows.push(row);
    else if (hasKey(source.key, row.item)) {
      // The index row the item had then (if it belonged in the index).
      const projected = projectForIndex(source, row.item);
      pastRows.push({ item: projected, size: itemSize(projected), json: JSON.stringify(projected) });
    }
  }
  const past = pastRows
    .map((row) => ({ ...row, position: rowPosition(source, row.item) }))
    .filter((r) => inRange(r.position, range) && (!options.start || order(r.position, options.start) > 0))
    .sort((a, b) => order(a.position, b.position));
  const statement = readStatement(source, isIndex, range, options.forward, options.start);
  // The same statement, with the key columns: positions and key checks without decoding items.
  const sql = statement.sql.replace(
    /^SELECT size, item /,
    `SELECT size, item, h, pk, sk${isIndex ? ', tpk, tsk' : ''} `,
  );
  const params = [...statement.params, -1];
  const rows: ReadRow[] = [];
  let bytes = 0;
  let full = false;
  const iterator = ctx
    .prepare(sql)
    .raw()
    .iterate(...params) as IterableIterator<[number, string, number, Buffer, Buffer, Buffer?, Buffer?]>;
  let next = 0;
  /** Adds a row to the page; false once the page is full. */
  const add = (row: ReadRow): boolean => {
    if (rows.length > 0 && bytes + row.size > maxBytes) {
      full = true;
      return false;
    }
    rows.push(row);
    bytes += row.size;
    if ((options.limit !== undefined && rows.length >= options.limit) || bytes >= maxBytes) {
      full = true;
      return false;
    }
    return true;
  };
  try {
    outer: for (const [size, json, h, pk, sk, tpk, tsk] of iterator) {
      if (isIndex ? options.view.replaces(tpk!, tsk!) : options.view.replaces(pk, sk)) continue;
      const position: RowPosition = isIndex ? { h, pk, sk, tpk: tpk!, tsk: tsk! } : { h, pk, sk };
      const item = JSON.parse(json) as Item;
      while (next < past.length && order(past[next]!.position, position) < 0) {
        if (!add(past[next++]!)) break outer;
      }
      if (!add({ item, size, json })) break;
    }
    while (!full && next < past.length) add(past[next++]!);
  } finally {
    iterator.return?.();
  }
  // A page that is full exactly at the last row there is still says where the next one starts,
  // as readPage's does (the next page is then empty).
  return full ? { rows, bytes, last: rowPosition(source, rows[rows.length - 1]!.item) } : { rows, bytes };
}

/** Compares two row positions in storage order (within one partition for a partition range). */
function comparePositions(a: RowPosition, b: RowPosition, kind: ReadRange['kind']): number {
  if (kind === 'hashes') {
    if (a.h !== b.h) return a.h < b.h ? -1 : 1;
    const c = Buffer.compare(a.pk, b.pk);
    if (c !== 0) return c;
  }
  return (
    Buffer.compare(a.sk, b.sk) ||
    (a.tpk && b.tpk ? Buffer.compare(a.tpk, b.tpk) : 0) ||
    (a.tsk && b.tsk ? Buffer.compare(a.tsk, b.tsk) : 0)
  );
}

function inRange(p: RowPosition, range: ReadRange): boolean {
  if (range.kind === 'hashes') return p.h >= range.from && p.h < range.to;
  if (p.h !== range.h || !p.pk.equals(range.pk)) return false;
  if (range.lower) {
    const c = Buffer.compare(p.sk, range.lower.value);
    if (c < 0 || (c === 0 && !range.lower.inclusive)) return false;
  }
  if (range.upper) {
    const c = Buffer.compare(p.sk, range.upper.value);
    if (c > 0 || (c === 0 && !range.upper.inclusive)) return false;
  }
  return true;
}

/**
 * Where a row read from `source` sits, computed from its item (which always holds the table's key
 * and, in an index, the index key): pages select only size and item, so SQLite hands over no key
 * blobs for the rows in between.
 */
export function rowPosition(source: Table | Index, item: Item): RowPosition {
  if (!('kind' in source)) {
    const key = encodeKey(source.key, item);
    return { h: key.hash, pk: key.pk, sk: key.sk };
  }
  const key = encodeKey(source.key, item);
  const tableKey = encodeKey(source.table.key, item);
  return { h: key.hash, pk: key.pk, sk: key.sk, tpk: tableKey.pk, tsk: tableKey.sk };
}

/** The smallest byte string greater than every string that starts with `prefix` (undefined: none). */
export function prefixUpperBound(prefix: Buffer): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = Buffer.from(prefix.subarray(0, end));
  out[end - 1] = out[end - 1]! + 1;
  return out;
}
