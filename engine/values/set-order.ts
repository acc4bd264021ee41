// The order Sortkey keeps set members in: DynamoDB promises none, but DynamoDB Local returns sets
// sorted and client libraries' test suites depend on it, so every set is stored (and so read,
// streamed and exported) sorted: strings by UTF-8 bytes, binaries by their bytes, numbers by value.
import { compareNumbers } from './number.js';

export type SetType = 'SS' | 'NS' | 'BS';

/** Sorts members in place and returns them. Numbers must be normalised; binaries valid base64. */
export function sortSetMembers(type: SetType, members: string[]): string[] {
  if (members.length < 2) return members;
  if (type === 'NS') return members.sort(compareNumbers);
  if (type === 'SS' && !members.some(hasHighCodeUnit)) {
    // Below U+D800 (no surrogate, no U+E000–U+FFFF), UTF-16 code units order strings as their
    // UTF-8 bytes do: compared as they are, without a Buffer per member; sent sorted, not sorted.
    let sorted = true;
    for (let i = 1; i < members.length && sorted; i++) sorted = members[i - 1]! < members[i]!;
    return sorted ? members : members.sort(compareCodeUnits);
  }
  const encoding = type === 'BS' ? 'base64' : 'utf8';
  const keyed = members.map((m) => ({ m, bytes: Buffer.from(m, encoding) }));
  keyed.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  for (let i = 0; i < keyed.length; i++) members[i] = keyed[i]!.m;
  return members;
}

const HIGH_CODE_UNIT = /[\ud800-\uffff]/;

function hasHighCodeUnit(s: string): boolean {
  return HIGH_CODE_UNIT.test(s);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
