// Facts about a parsed statement the shell needs: its index, whether it returns items (its table: grammar's tableOf).
import type { Statement } from '../../grammar/partiql/index.js';

/** The index a SELECT reads (`FROM "T"."I"`), if any. */
export function indexOf(statement: Statement): string | null {
  return statement.kind === 'select' ? (statement.from.index?.name ?? null) : null;
}

/** A SELECT, or a write with RETURNING: something whose items are the point. */
export function returnsItems(statement: Statement): boolean {
  if (statement.kind === 'select') return true;
  if (statement.kind === 'update' || statement.kind === 'delete') return statement.returning !== null;
  return false;
}

/** Top-level attribute names a SELECT lists, in order (null for `*`). */
export function projectedNames(statement: Statement): string[] | null {
  if (statement.kind !== 'select' || statement.projection.kind === 'star') return null;
  const names: string[] = [];
  for (const p of statement.projection.paths) if (!names.includes(p.root.name)) names.push(p.root.name);
  return names;
}
