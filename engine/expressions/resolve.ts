// From the grammar's AST to the IR's pieces: placeholders replaced by the request's names and
// values, grammar errors turned into ValidationExceptions.
import {
  ExpressionError,
  type ExpressionKind,
  type PathNode,
  type Span,
} from '../../grammar/expression/index.js';
import { validation } from '../errors.js';
import type { ExpressionAttributes } from './attributes.js';
import { checkExpressionSize } from './attributes.js';
import type { Path } from './ir.js';

// Applications send the same few expressions again and again: parsed ASTs (which depend only on
// the text and the kind, and are never mutated afterwards) are kept in a small LRU cache.
const AST_CACHE_SIZE = 2000;
const astCache = new Map<string, unknown>();

/** Runs a grammar parse after DynamoDB's size check, with its errors as ValidationExceptions. */
export function parseText<T>(text: string, kind: ExpressionKind, parse: () => T): T {
  const cacheKey = kind + '\u0000' + text;
  const cached = astCache.get(cacheKey);
  if (cached !== undefined) {
    astCache.delete(cacheKey);
    astCache.set(cacheKey, cached);
    return cached as T;
  }
  checkExpressionSize(text, kind);
  let ast: T;
  try {
    ast = parse();
  } catch (e) {
    if (e instanceof ExpressionError) throw validation(e.message);
    throw e;
  }
  astCache.set(cacheKey, ast);
  if (astCache.size > AST_CACHE_SIZE) astCache.delete(astCache.keys().next().value!);
  return ast;
}

interface Reference {
  readonly kind: 'nameRef' | 'valueRef';
  readonly ref: string;
  readonly span: Span;
}

/**
 * Looks up every placeholder in source order, so that the first undefined one is the one reported
 * and every defined one counts as used, whatever checks come later.
 */
export function resolveReferences(ast: unknown, attrs: ExpressionAttributes, kind: ExpressionKind): void {
  const refs: Reference[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
    } else if (node !== null && typeof node === 'object') {
      const n = node as Partial<Reference>;
      if ((n.kind === 'nameRef' || n.kind === 'valueRef') && typeof n.ref === 'string')
        refs.push(n as Reference);
      else for (const key in node) visit((node as Record<string, unknown>)[key]);
    }
  };
  visit(ast);
  refs.sort((a, b) => a.span.start - b.span.start);
  for (const r of refs) {
    if (r.kind === 'nameRef') attrs.name(r.ref, kind);
    else attrs.value(r.ref, kind);
  }
}

export function resolvePath(node: PathNode, attrs: ExpressionAttributes, kind: ExpressionKind): Path {
  const out = node.segments.map((s) => {
    if (s.kind === 'index') return s.index;
    if (s.kind === 'name') return s.name;
    return attrs.name(s.ref, kind);
  });
  return out as unknown as Path;
}

export function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}
