// The JSON types of a request's members, checked as DynamoDB's deserializer checks them: before any
// validation, a member of the wrong JSON type is a SerializationException in the deserializer's
// words (shared/reference/error-messages.md §7). The types come from the API model
// (requestShapes.ts). A null member is an absent one; members the model does not know are ignored;
// AttributeValues are left to the value validation, which words their refusals itself.
import { DynamoError } from '../errors.js';
import { wrongType } from './common.js';
import { REQUEST_SHAPES, STRUCTURES } from './requestShapes.js';

/** Java's name for what a map holds, as DynamoDB's "Unrecognized collection type" names it. */
function javaValueType(type: string): string {
  if (type === 'av') return 'com.amazonaws.dynamodb.v20120810.AttributeValue';
  if (type === 's') return 'java.lang.String';
  if (type.startsWith('[')) return 'java.util.List';
  if (type.startsWith('{')) return 'java.util.Map';
  return `com.amazonaws.dynamodb.v20120810.${type}`;
}

function serialization(message: string): DynamoError {
  return new DynamoError('SerializationException', message, { Message: message });
}

/**
 * Checks `value` against `type`. DynamoDB's deserializer does not name the member it refuses, so no
 * path is built while walking (this runs on every request).
 */
function check(value: unknown, type: string): void {
  if (value === null || value === undefined || type === 'av' || type === 'doc') return;
  switch (type) {
    case 's':
      if (typeof value !== 'string') throw wrongType('', 'string', value);
      return;
    case 'n':
      if (typeof value !== 'number') throw wrongType('', 'number', value);
      return;
    case 'b':
      if (typeof value !== 'boolean') throw wrongType('', 'boolean', value);
      return;
    case 't':
      // Timestamps travel as epoch seconds; a date string is left to the operation's own check.
      if (typeof value !== 'number' && typeof value !== 'string') throw wrongType('', 'number', value);
      return;
    case 'blob':
      if (typeof value !== 'string')
        throw serialization('only base-64-encoded strings are convertible to bytes');
      return;
  }
  if (type.startsWith('[')) {
    if (!Array.isArray(value)) throw wrongType('', 'list', value);
    const element = type.slice(1, -1);
    // AttributeValues are the value validation's to check: nothing to walk (an item's attributes).
    if (element === 'av' || element === 'doc') return;
    for (const v of value) check(v, element);
    return;
  }
  if (type.startsWith('{')) {
    const element = type.slice(1, -1);
    if (Array.isArray(value))
      throw serialization(
        `Unrecognized collection type java.util.Map<java.lang.String, ${javaValueType(element)}>`,
      );
    if (typeof value !== 'object') throw wrongType('', 'map', value);
    if (element === 'av' || element === 'doc') return;
    for (const key of Object.keys(value)) check((value as Record<string, unknown>)[key], element);
    return;
  }
  const members = STRUCTURES[type];
  if (!members) return;
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType('', 'map', value);
  for (const name of Object.keys(value)) {
    const memberType = Object.prototype.hasOwnProperty.call(members, name) ? members[name] : undefined;
    if (memberType !== undefined) check((value as Record<string, unknown>)[name], memberType);
  }
}

/**
 * Refuses a request whose members have the wrong JSON types for `operation` (a DynamoDB or
 * DynamoDB Streams action). The model's shapes nest only a few levels outside AttributeValues, so
 * the walk is bounded whatever the request holds.
 */
export function checkRequestTypes(operation: string, input: unknown): void {
  const shape = Object.prototype.hasOwnProperty.call(REQUEST_SHAPES, operation)
    ? REQUEST_SHAPES[operation]
    : undefined;
  if (shape === undefined || input === null || typeof input !== 'object' || Array.isArray(input)) return;
  check(input, shape);
}
