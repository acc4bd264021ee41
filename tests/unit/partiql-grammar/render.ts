// Renders a PartiQL AST as compact, fully parenthesised text so tests can state a tree's shape on
// one line: `SELECT * FROM T WHERE pk = 'a'` → `select * from T where (= pk 'a')`.
import type * as A from '../../../grammar/partiql/ast.js';

function name(n: A.PathName): string {
  return n.quoted ? `"${n.name}"` : n.name;
}

export function renderPath(p: A.PathExpression): string {
  let out = name(p.root);
  for (const s of p.steps) out += s.kind === 'index' ? `[${s.index}]` : `.${name(s)}`;
  return out;
}

export function renderExpr(e: A.Expression): string {
  switch (e.kind) {
    case 'string':
      return `'${e.value}'`;
    case 'number':
      return e.text;
    case 'boolean':
      return e.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'missing':
      return 'MISSING';
    case 'parameter':
      return `?${e.index}`;
    case 'path':
      return renderPath(e);
    case 'list':
      return `[${e.elements.map(renderExpr).join(', ')}]`;
    case 'map':
      return `{${e.entries.map((x) => `'${x.key}': ${renderExpr(x.value)}`).join(', ')}}`;
    case 'set':
      return `<<${e.elements.map(renderExpr).join(', ')}>>`;
    case 'not':
      return `(NOT ${renderExpr(e.operand)})`;
    case 'negate':
      return `(NEG ${renderExpr(e.operand)})`;
    case 'binary':
      return `(${e.op} ${renderExpr(e.left)} ${renderExpr(e.right)})`;
    case 'between':
      return `(${e.not ? 'NOT ' : ''}BETWEEN ${renderExpr(e.value)} ${renderExpr(e.low)} ${renderExpr(e.high)})`;
    case 'in':
      return `(${e.not ? 'NOT ' : ''}IN ${renderExpr(e.value)} ${renderExpr(e.list)})`;
    case 'is':
      return `(IS${e.not ? ' NOT' : ''} ${renderExpr(e.value)} ${e.type.name}${e.type.params.length ? `(${e.type.params.join(',')})` : ''})`;
    case 'call':
      return `${e.name}(${e.args.map(renderExpr).join(', ')})`;
  }
}

function table(t: A.TableRef): string {
  const n = t.quoted ? `"${t.name}"` : t.name;
  if (!t.index) return n;
  return `${n}.${t.index.quoted ? `"${t.index.name}"` : t.index.name}`;
}

export function renderStatement(s: A.Statement): string {
  switch (s.kind) {
    case 'explain':
      return `explain ${renderStatement(s.statement)}`;
    case 'exists':
      return `exists(${renderStatement(s.select)})`;
    case 'select': {
      let out = `select ${s.projection.kind === 'star' ? '*' : s.projection.paths.map(renderPath).join(', ')} from ${table(s.from)}`;
      if (s.where) out += ` where ${renderExpr(s.where)}`;
      if (s.orderBy.length) {
        out += ` order ${s.orderBy.map((o) => `${renderExpr(o.expression)} ${o.direction}${o.explicitDirection ? '' : '?'}`).join(', ')}`;
      }
      return out;
    }
    case 'insert':
      return `insert ${table(s.table)} ${renderExpr(s.item)}`;
    case 'delete': {
      let out = `delete ${table(s.table)}`;
      if (s.where) out += ` where ${renderExpr(s.where)}`;
      if (s.returning) out += ` returning ${s.returning.returnValues}`;
      return out;
    }
    case 'update': {
      let out = `${s.form === 'update' ? 'update' : 'from-first'} ${table(s.table)}`;
      for (const a of s.actions) {
        out +=
          a.kind === 'set'
            ? ` set ${a.assignments.map((x) => `${renderPath(x.target)} = ${renderExpr(x.value)}`).join(', ')}`
            : ` remove ${renderPath(a.path)}`;
      }
      if (s.where) out += ` where ${renderExpr(s.where)}`;
      if (s.returning) out += ` returning ${s.returning.returnValues}`;
      return out;
    }
  }
}

/** Every node of a statement with a `loc`, for checking positions. */
export function* nodes(value: unknown): Generator<{ kind: string; loc: A.SourceLocation }> {
  if (Array.isArray(value)) {
    for (const v of value) yield* nodes(v);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  if (typeof obj['kind'] === 'string' && obj['loc']) yield obj as { kind: string; loc: A.SourceLocation };
  for (const [k, v] of Object.entries(obj)) if (k !== 'loc') yield* nodes(v);
}
