// The table a parsed statement names: the shell, the studio and remote EXPLAIN all need it.
import type { Statement } from './ast.js';

/** The table a statement reads or writes (an EXPLAIN's, its statement's). */
export function tableOf(statement: Statement): string | null {
  switch (statement.kind) {
    case 'select':
      return statement.from.name;
    case 'insert':
    case 'update':
    case 'delete':
      return statement.table.name;
    case 'exists':
      return statement.select.from.name;
    case 'explain':
      return tableOf(statement.statement);
  }
}
