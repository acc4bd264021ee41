// The expiry time an item's TTL attribute gives: a leaf module, so that TTL's service and the
// control-plane jobs that index TTL settings (engine/backups/jobs.ts) can both use it without
// importing each other.
import type { Item } from '../types.js';

/** The expiry time (epoch seconds) an item's TTL attribute names, if it is a Number. */
export function expiryOf(item: Item | undefined, attribute: string): number | undefined {
  const v = item?.[attribute];
  if (!v || !('N' in v)) return undefined;
  const n = Number(v.N);
  return Number.isFinite(n) ? n : undefined;
}
