// Ordered reads of an item table or index table, in the pages DynamoDB returns: Query reads one
// partition in sort-key order, Scan reads a range of partition hashes in storage order. A page ends
// at Limit evaluated items or once 1 MB has been read, whichever comes first.
import type { EngineContext } from '../context.js';
import type { Item } from '../types.js';
import type { Index, Table } from './table.js';

export const MAX_PAGE_BYTES = 1024 * 1024;
const CHUNK = 512;

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
  readonly position: RowPosition;
  readonly item: Item;
  readonly size: number;
}

export interface Page {
  readonly rows: ReadRow[];
  /** Bytes read (before any filter or projection), for capacity. */
  readonly bytes: number;
  /** Set when the page stopped early: where the next page starts. */
  readonly last?: RowPosition;
}

function sqlFor(
  source: Table | Index,
  range: ReadRange,
  forward: boolean,
  after: boolean,
  isIndex: boolean,
): string {
  const cols = isIndex ? 'h, pk, sk, tpk, tsk, item, size' : 'h, pk, sk, item, size';
  const where: string[] = [];
  let order: string;
  const dir = forward ? 'ASC' : 'DESC';
  if (range.kind === 'partition') {
    where.push('h = ?', 'pk = ?');
    if (range.lower) where.push(`sk ${range.lower.inclusive ? '>=' : '>'} ?`);
    if (range.upper) where.push(`sk ${range.upper.inclusive ? '<=' : '<'} ?`);
    if (after)
      where.push(isIndex ? `(sk, tpk, tsk) ${forward ? '>' : '<'} (?, ?, ?)` : `sk ${forward ? '>' : '<'} ?`);
    order = isIndex ? `sk ${dir}, tpk ${dir}, tsk ${dir}` : `sk ${dir}`;
  } else {
    where.push('h >= ?', 'h < ?');
    if (after) where.push(isIndex ? '(h, pk, sk, tpk, tsk) > (?, ?, ?, ?, ?)' : '(h, pk, sk) > (?, ?, ?)');
    order = isIndex ? 'h, pk, sk, tpk, tsk' : 'h, pk, sk';
  }
  return `SELECT ${cols} FROM "${source.sqlName}" WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`;
}

function readChunk(
  ctx: EngineContext,
  source: Table | Index,
  isIndex: boolean,
  range: ReadRange,
  forward: boolean,
  after: RowPosition | undefined,
  count: number,
): ReadRow[] {
  const stmt = ctx.prepare(sqlFor(source, range, forward, after !== undefined, isIndex)).raw();
  const params: unknown[] = [];
  if (range.kind === 'partition') {
    params.push(range.h, range.pk);
    if (range.lower) params.push(range.lower.value);
    if (range.upper) params.push(range.upper.value);
    if (after) params.push(after.sk, ...(isIndex ? [after.tpk, after.tsk] : []));
  } else {
    params.push(range.from, range.to);
    if (after) params.push(after.h, after.pk, after.sk, ...(isIndex ? [after.tpk, after.tsk] : []));
  }
  params.push(count);
  const rows = stmt.all(...params) as unknown[][];
  return rows.map((r) =>
    isIndex
      ? {
          position: {
            h: r[0] as number,
            pk: r[1] as Buffer,
            sk: r[2] as Buffer,
            tpk: r[3] as Buffer,
            tsk: r[4] as Buffer,
          },
          item: JSON.parse(r[5] as string) as Item,
          size: r[6] as number,
        }
      : {
          position: { h: r[0] as number, pk: r[1] as Buffer, sk: r[2] as Buffer },
          item: JSON.parse(r[3] as string) as Item,
          size: r[4] as number,
        },
  );
}

/** Reads one page: up to `limit` rows or 1 MB, starting after `start`. */
export function readPage(
  ctx: EngineContext,
  source: Table | Index,
  range: ReadRange,
  options: { forward: boolean; limit?: number; start?: RowPosition; maxBytes?: number },
): Page {
  const isIndex = 'kind' in source && (source.kind === 'GSI' || source.kind === 'LSI');
  const maxBytes = options.maxBytes ?? MAX_PAGE_BYTES;
  const rows: ReadRow[] = [];
  let bytes = 0;
  let after = options.start;
  for (;;) {
    const want = options.limit !== undefined ? Math.min(options.limit - rows.length, CHUNK) : CHUNK;
    const chunk = readChunk(ctx, source, isIndex, range, options.forward, after, want);
    for (const row of chunk) {
      // A page holds at most 1 MB of items (but always at least one item, so paging progresses).
      if (rows.length > 0 && bytes + row.size > maxBytes) {
        return { rows, bytes, last: rows[rows.length - 1]!.position };
      }
      rows.push(row);
      bytes += row.size;
      if ((options.limit !== undefined && rows.length >= options.limit) || bytes >= maxBytes) {
        return { rows, bytes, last: row.position };
      }
    }
    if (chunk.length < want) return { rows, bytes };
    after = chunk[chunk.length - 1]!.position;
  }
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
