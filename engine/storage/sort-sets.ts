// Migration 8: sets written by versions before sets were sorted at write (values/set-order.ts) are
// sorted in place, so every read, stream image, export and PartiQL result of an older file returns
// them in the same order as new writes. Every JSON column that can hold attribute values is
// visited: `item` of the item-shaped tables (tables, indexes, backups, point-in-time bases and
// logs, import undo tables) and `record` of the stream records.
//
// One UPDATE a table: SQLite's instr() skips rows without a set marker, the JSON of a row with one
// is parsed once to see whether a set is out of order, and only such rows are rewritten. A file of
// a million items holding no sets costs one read of each row's text and no writes (about 4 s on a
// busy 2-core machine; with 10% of them holding unsorted sets and 10% sorted ones, about 15 s).
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { sortSetMembers } from '../values/set-order.js';
import type { SetType } from '../values/set-order.js';

const SET_TYPES: readonly SetType[] = ['SS', 'NS', 'BS'];
/** A row may hold a set only if its JSON text has one of these (JSON.stringify writes no spaces). */
const MARKERS = SET_TYPES.map((t) => `"${t}":[`);

/** The set type of an attribute value `{"SS": […]}`, or undefined for anything else. */
function setTypeOf(value: Record<string, unknown>): SetType | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const type = keys[0] as SetType;
  return SET_TYPES.includes(type) && Array.isArray(value[type]) ? type : undefined;
}

/** Sorts every set inside `node` in place; true when one was out of order. */
function sortSetsIn(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) {
    let changed = false;
    for (const v of node) if (sortSetsIn(v)) changed = true;
    return changed;
  }
  const record = node as Record<string, unknown>;
  const type = setTypeOf(record);
  if (type) {
    const members = record[type] as unknown[];
    if (!members.every((m) => typeof m === 'string')) return false;
    const before = members.join('\u0000');
    sortSetMembers(type, members as string[]);
    return members.join('\u0000') !== before;
  }
  let changed = false;
  for (const k in record) if (sortSetsIn(record[k])) changed = true;
  return changed;
}

/** The JSON text with its sets sorted, or null when they already are (or it is not JSON). */
export function sortedSetsJson(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return sortSetsIn(parsed) ? JSON.stringify(parsed) : null;
}

export function sortStoredSets(sqlite: SqliteDatabase): void {
  // SQLite calls the function for a row in the WHERE clause and, for a row it rewrites, again in
  // SET, with the same text: the last answer is kept so such a row is parsed once.
  let lastText: unknown;
  let lastSorted: string | null = null;
  sqlite.function('sk_sorted_sets', { deterministic: true }, (text: unknown) => {
    if (text !== lastText) {
      lastText = text;
      lastSorted = typeof text === 'string' ? sortedSetsJson(text) : null;
    }
    return lastSorted;
  });
  const tables = sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .pluck()
    .all() as string[];
  for (const name of tables) {
    const columns = new Set(
      sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[],
    );
    const column = columns.has('item') ? 'item' : name === 'sk_stream_records' ? 'record' : undefined;
    if (!column) continue;
    const hasMarker = MARKERS.map((m) => `instr(${column}, '${m}') > 0`).join(' OR ');
    sqlite.exec(
      `UPDATE "${name.replaceAll('"', '""')}" SET ${column} = sk_sorted_sets(${column})
       WHERE (${hasMarker}) AND sk_sorted_sets(${column}) IS NOT NULL`,
    );
  }
}
