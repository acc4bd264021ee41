// Import cycles among a folder's TypeScript modules, found with the TypeScript compiler's parser:
// `node --import tsx tests/support/import-cycles.ts engine` prints each cycle (a strongly connected group
// of modules), counting either every import or only those that load code at run time (`import
// type` and imports of types alone are erased by the compiler).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportGraph {
  /** Module → the modules it imports (paths relative to the folder). */
  readonly all: Map<string, Set<string>>;
  /** The same, only imports that survive compilation (values). */
  readonly runtime: Map<string, Set<string>>;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return false; // a side-effect import
    if (clause.isTypeOnly) return true;
    if (clause.name) return false;
    const bindings = clause.namedBindings;
    if (!bindings || ts.isNamespaceImport(bindings)) return false;
    return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
  }
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return (
    !!clause &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((e) => e.isTypeOnly)
  );
}

export function importGraph(root: string): ImportGraph {
  const base = resolve(root);
  const all = new Map<string, Set<string>>();
  const runtime = new Map<string, Set<string>>();
  for (const file of sources(base)) {
    const from = relative(base, file);
    const every = new Set<string>();
    const values = new Set<string>();
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    for (const node of source.statements) {
      if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node)) continue;
      const spec = node.moduleSpecifier;
      if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
      const target = relative(base, resolve(dirname(file), spec.text.replace(/\.js$/, '.ts')));
      if (target.startsWith('..')) continue;
      every.add(target);
      if (!typeOnly(node)) values.add(target);
    }
    all.set(from, every);
    runtime.set(from, values);
  }
  return { all, runtime };
}

/** Groups of two or more modules that import each other, directly or not (Tarjan's algorithm). */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || graph.get(v)?.has(v)) found.push(group.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const root = process.argv[2] ?? 'engine';
  const graph = importGraph(root);
  for (const [label, g] of [
    ['every import', graph.all],
    ['run-time imports', graph.runtime],
  ] as const) {
    const found = cycles(g);
    console.log(`${root}: ${found.length} cycle(s) counting ${label}`);
    for (const c of found) console.log(`  ${c.length} modules: ${c.join(', ')}`);
  }
}
