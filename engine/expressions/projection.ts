// ProjectionExpression: parsing, and applying a projection to an item. Projected nested values keep
// their place in the item's structure; list elements picked by index are returned compacted, in
// index order (a.b[2], a.b[0] gives a.b as [element 0, element 2]).
import { parseProjectionExpression } from '../../grammar/expression/index.js';
import type { AttributeValue, Item } from '../types.js';
import type { ExpressionAttributes } from './attributes.js';
import type { Path } from './ir.js';
import { assertDistinctPaths, getPath, putMember } from './paths.js';
import { parseText, resolvePath, resolveReferences } from './resolve.js';

const KIND = 'ProjectionExpression';

export function parseProjection(text: string, attrs: ExpressionAttributes): Path[] {
  const ast = parseText(text, KIND, () => parseProjectionExpression(text));
  resolveReferences(ast, attrs, KIND);
  const paths = ast.map((node) => resolvePath(node, attrs, KIND));
  assertDistinctPaths(paths, KIND);
  return paths;
}

/** A projected value under construction: maps by name, lists by original index. */
type Draft =
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'map'; readonly entries: Map<string, Draft> }
  | { readonly kind: 'list'; readonly entries: Map<number, Draft> };

export function projectItem(item: Item, paths: readonly Path[]): Item {
  const root = new Map<string, Draft>();
  for (const path of paths) {
    const value = getPath(item, path);
    if (value === undefined) continue;
    place(root, path, 0, value);
  }
  const out: Item = {};
  for (const [name, draft] of root) putMember(out, name, finish(draft));
  return out;
}

function place(entries: Map<string | number, Draft>, path: Path, at: number, value: AttributeValue): void {
  const key = path[at]!;
  if (at === path.length - 1) {
    entries.set(key, { kind: 'value', value });
    return;
  }
  const childIsIndex = typeof path[at + 1] === 'number';
  let child = entries.get(key);
  if (!child || child.kind === 'value') {
    child = childIsIndex ? { kind: 'list', entries: new Map() } : { kind: 'map', entries: new Map() };
    entries.set(key, child);
  }
  place(child.entries as Map<string | number, Draft>, path, at + 1, value);
}

function finish(draft: Draft): AttributeValue {
  if (draft.kind === 'value') return draft.value;
  if (draft.kind === 'map') {
    const M: Record<string, AttributeValue> = {};
    for (const [name, child] of draft.entries) putMember(M, name, finish(child));
    return { M };
  }
  return { L: [...draft.entries.entries()].sort((a, b) => a[0] - b[0]).map(([, child]) => finish(child)) };
}
