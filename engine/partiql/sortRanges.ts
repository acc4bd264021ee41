// The stretch of a partition's sort keys that one sort-key condition selects, as bounds on the
// encoded key bytes (which order as DynamoDB orders keys). DynamoDB runs each OR branch of a SELECT
// as its own Query and refuses branches whose ranges in one partition overlap, since an item would
// then be read twice.
import type { KeyTerm } from '../expressions/ir.js';
import { encodeKeyValue } from '../keys/encoding.js';
import { prefixUpperBound } from '../tables/reader.js';
import type { AttributeValue } from '../types.js';

type KeyType = 'S' | 'N' | 'B';

/** One end of a range; `at: undefined` is unbounded. */
interface Bound {
  readonly at?: Buffer;
  readonly inclusive: boolean;
}

export interface SortRange {
  readonly low: Bound;
  readonly high: Bound;
}

const OPEN: Bound = { inclusive: false };

/** The range a key term selects, or undefined when a value is not of the key's type. */
export function sortRange(term: KeyTerm, type: KeyType): SortRange | undefined {
  const enc = (v: AttributeValue | undefined): Buffer | undefined =>
    v && type in v ? encodeKeyValue(v, type) : undefined;
  switch (term.op) {
    case 'begins_with': {
      const prefix = enc(term.prefix);
      if (!prefix) return undefined;
      const next = prefixUpperBound(prefix);
      return { low: { at: prefix, inclusive: true }, high: next ? { at: next, inclusive: false } : OPEN };
    }
    case 'between': {
      const low = enc(term.low);
      const high = enc(term.high);
      if (!low || !high) return undefined;
      return { low: { at: low, inclusive: true }, high: { at: high, inclusive: true } };
    }
    default: {
      const at = enc(term.value);
      if (!at) return undefined;
      switch (term.op) {
        case '=':
          return { low: { at, inclusive: true }, high: { at, inclusive: true } };
        case '<':
        case '<=':
          return { low: OPEN, high: { at, inclusive: term.op === '<=' } };
        case '>':
        case '>=':
          return { low: { at, inclusive: term.op === '>=' }, high: OPEN };
        default:
          return undefined; // `<>` is no range: such a branch is a filter
      }
    }
  }
}

/** True when some key lies in both ranges. */
export function rangesOverlap(a: SortRange, b: SortRange): boolean {
  return below(a.low, b.high) && below(b.low, a.high);
}

/** Whether a key can be at or above `low` and at or below `high`. */
function below(low: Bound, high: Bound): boolean {
  if (!low.at || !high.at) return true;
  const c = Buffer.compare(low.at, high.at);
  return c < 0 || (c === 0 && low.inclusive && high.inclusive);
}
