// The rules DynamoDB applies to tags, shared by TagResource, UntagResource and CreateTable's Tags:
// its own messages (not the generic member constraints), at most 50 per resource.
import { invalidParameter, validation } from '../errors.js';

export const MAX_TAGS = 50;

// Letters of any script, digits, white space and + - = . _ : / @ (AWS's tagging rule).
const TAG_TEXT = /^[\p{L}\p{N}\s+\-=._:/@]*$/u;

const characters = (s: string) => [...s].length;

/** Refuses a tag key that is missing, empty, over 128 characters or of characters AWS refuses. */
function checkTagKeyText(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || characters(key) > 128 || !TAG_TEXT.test(key))
    throw validation(`The Tag Key provided is invalid, Key: ${typeof key === 'string' ? key : 'null'}`);
}

/** Checks the Tags of a TagResource or CreateTable request, in request order. */
export function checkTags(tags: readonly unknown[]): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    const t = tag !== null && typeof tag === 'object' ? (tag as Record<string, unknown>) : {};
    const key = t.Key;
    checkTagKeyText(key);
    if (key.startsWith('aws:')) throw validation(`Tag Key cannot be prefixed with aws:, Key: ${key}`);
    const value = t.Value;
    if (typeof value !== 'string' || characters(value) > 256 || !TAG_TEXT.test(value))
      throw validation(
        `The Tag Value provided is invalid, Value: ${typeof value === 'string' ? value : 'null'}`,
      );
    if (seen.has(key))
      throw validation(`Duplicate Tag Keys provided as input: Duplicate Tag Key found ${key}`);
    seen.add(key);
  }
  checkTagCount(tags.length);
}

/** Checks UntagResource's TagKeys. */
export function checkTagKeys(keys: readonly unknown[]): void {
  for (const key of keys) checkTagKeyText(key);
  checkTagCount(keys.length);
}

/** A resource holds at most 50 tags; a ValidationException, not LimitExceededException. */
export function checkTagCount(count: number): void {
  if (count > MAX_TAGS)
    throw validation('Number of Tags exceed the current limit for the provided ResourceArn');
}

/** ResourceArn must at least look like an ARN before it is parsed as a table's. */
export function checkArnPrefix(arn: string): void {
  if (!arn.startsWith('arn:')) throw invalidParameter(`ARNs must start with 'arn:': ${arn}`);
}
