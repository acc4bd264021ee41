// The order Sortkey keeps set members in: DynamoDB promises none, but DynamoDB Local returns sets
// sorted and client libraries' test suites depend on it, so every set is stored (and so read,
// streamed and exported) sorted: strings by UTF-8 bytes, binaries by their bytes, numbers by value.
import { compareNumbers } from './number.js';

export type SetType = 'SS' | 'NS' | 'BS';

/** Sorts members in place and returns them. Numbers must be normalised; binaries valid base64. */
export function sortSetMembers(type: SetType, members: string[]): string[] {
  if (members.length < 2) return members;
  if (type === 'NS') return members.sort(compareNumbers);
  const encoding = type === 'BS' ? 'base64' : 'utf8';
  const keyed = members.map((m) => ({ m, bytes: Buffer.from(m, encoding) }));
  keyed.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  for (let i = 0; i < keyed.length; i++) members[i] = keyed[i]!.m;
  return members;
}
