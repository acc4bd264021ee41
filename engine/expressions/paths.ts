// Document paths: reading a value at a path, printing a path the way DynamoDB's messages do, and
// the overlap/conflict rule DynamoDB applies to the paths of one update or projection.
import { validation } from '../errors.js';
import type { AttributeValue, Item } from '../types.js';
import type { Path } from './ir.js';

/** The value at a path, or undefined when any step is missing or of the wrong type. */
export function getPath(item: Item, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined = Object.hasOwn(item, path[0]) ? item[path[0]] : undefined;
  for (let i = 1; i < path.length && current !== undefined; i++) {
    const step = path[i]!;
    if (typeof step === 'number') current = 'L' in current ? current.L[step] : undefined;
    else current = 'M' in current && Object.hasOwn(current.M, step) ? current.M[step] : undefined;
  }
  return current;
}

/** `[a, b, [0]]`, as in "path one: [a, b, [0]]". */
export function formatPath(path: Path): string {
  return `[${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join(', ')}]`;
}

/**
 * Refuses two paths of which one contains the other ("overlap") or that use the same element both
 * as a map and as a list ("conflict"), checking each path against all earlier ones.
 */
export function assertDistinctPaths(paths: readonly Path[], kind: string): void {
  let overlap: string | undefined;
  let conflict: string | undefined;
  for (let j = 1; j < paths.length; j++) {
    for (let i = 0; i < j; i++) {
      const relation = relate(paths[i]!, paths[j]!);
      const pair = `must remove or rewrite one of these paths; path one: ${formatPath(paths[i]!)}, path two: ${formatPath(paths[j]!)}`;
      if (relation === 'overlap') overlap ??= `Two document paths overlap with each other; ${pair}`;
      else if (relation === 'conflict') conflict ??= `Two document paths conflict with each other; ${pair}`;
    }
  }
  const detail = overlap ?? conflict;
  if (detail) throw validation(`Invalid ${kind}: ${detail}`);
}

function relate(a: Path, b: Path): 'overlap' | 'conflict' | 'disjoint' {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (typeof a[i] !== typeof b[i]) return 'conflict';
    if (a[i] !== b[i]) return 'disjoint';
  }
  return 'overlap';
}

/** Sets a member of a map or item; safe for any name, `__proto__` included. */
export function putMember(map: Record<string, AttributeValue>, name: string, value: AttributeValue): void {
  Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
}
