// A request's ExpressionAttributeNames and ExpressionAttributeValues: validated once, looked up by
// the expression parsers, and checked at the end for entries no expression used (DynamoDB refuses
// those, judging by the expressions' text, not by what an evaluation happened to touch).
import type { ExpressionKind } from '../../grammar/expression/index.js';
import { DynamoError, validation } from '../errors.js';
import type { AttributeValue } from '../types.js';
import { normalizeValue } from '../values/attribute.js';
import type { ValueLayer } from '../values/layer.js';

const NAME_KEY = /^#[A-Za-z0-9_]+$/;
const VALUE_KEY = /^:[A-Za-z0-9_]+$/;

function asMap(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DynamoError('SerializationException', 'Unexpected value type in payload');
  }
  return raw as Record<string, unknown>;
}

/** The names and values of a request that has none: shared, never added to. */
const NO_NAMES: ReadonlyMap<string, string> = new Map();
const NO_VALUES: ReadonlyMap<string, AttributeValue> = new Map();

export class ExpressionAttributes {
  // Most requests (a plain GetItem or PutItem) carry neither: their collections are made only when
  // there is something to put in them.
  private readonly names: ReadonlyMap<string, string>;
  private readonly values: ReadonlyMap<string, AttributeValue>;
  private usedNames: Set<string> | undefined;
  private usedValues: Set<string> | undefined;
  readonly hasNames: boolean;
  readonly hasValues: boolean;

  /**
   * `layer` words a bad value (see values/layer.ts) and is the layer of the whole request: the
   * legacy parameters read beside these attributes (Expected, QueryFilter, …) take it from here.
   */
  constructor(
    names: unknown,
    values: unknown,
    readonly layer: ValueLayer = 'older',
  ) {
    const rawNames = asMap(names);
    const rawValues = asMap(values);
    this.hasNames = rawNames !== undefined;
    this.hasValues = rawValues !== undefined;
    this.names = rawNames ? new Map() : NO_NAMES;
    this.values = rawValues ? new Map() : NO_VALUES;
    if (rawNames) {
      const names = this.names as Map<string, string>;
      const keys = Object.keys(rawNames);
      if (keys.length === 0) throw validation('ExpressionAttributeNames must not be empty');
      for (const key of keys) {
        if (!NAME_KEY.test(key))
          throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
        const name = rawNames[key];
        if (typeof name !== 'string')
          throw new DynamoError('SerializationException', 'Unexpected value type in payload');
        names.set(key, name);
      }
    }
    if (rawValues) {
      const keys = Object.keys(rawValues);
      if (keys.length === 0) throw validation('ExpressionAttributeValues must not be empty');
      for (const key of keys) {
        if (!VALUE_KEY.test(key))
          throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
      }
      const values = this.values as Map<string, AttributeValue>;
      for (const key of keys) values.set(key, normalizeExpressionValue(key, rawValues[key], layer));
    }
  }

  /** The attribute name behind `#ref`; marks it used. */
  name(ref: string, kind: ExpressionKind): string {
    const name = this.names.get(ref);
    if (name === undefined) {
      throw validation(
        `Invalid ${kind}: An expression attribute name used in the document path is not defined; attribute name: ${ref}`,
      );
    }
    (this.usedNames ??= new Set()).add(ref);
    return name;
  }

  /** The value behind `:ref`; marks it used. */
  value(ref: string, kind: ExpressionKind): AttributeValue {
    const value = this.values.get(ref);
    if (value === undefined) {
      throw validation(
        `Invalid ${kind}: An expression attribute value used in expression is not defined; attribute value: ${ref}`,
      );
    }
    (this.usedValues ??= new Set()).add(ref);
    return value;
  }

  /** Call after every expression of the request has been parsed. */
  assertAllUsed(): void {
    if (this.names.size === 0 && this.values.size === 0) return;
    const unusedNames = [...this.names.keys()].filter((k) => !this.usedNames?.has(k));
    if (unusedNames.length > 0) {
      throw validation(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`,
      );
    }
    const unusedValues = [...this.values.keys()].filter((k) => !this.usedValues?.has(k));
    if (unusedValues.length > 0) {
      throw validation(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`,
      );
    }
  }
}

/** The older layer names the entry a bad value came from; the current one reports it bare. */
function normalizeExpressionValue(key: string, raw: unknown, layer: ValueLayer): AttributeValue {
  if (layer === 'current') return normalizeValue(raw, layer);
  try {
    return normalizeValue(raw, layer);
  } catch (e) {
    if (e instanceof DynamoError && e.type === 'ValidationException') {
      throw validation(`ExpressionAttributeValues contains invalid value: ${e.message} for key ${key}`);
    }
    throw e;
  }
}

export interface ExpressionParameters {
  readonly names: unknown;
  readonly values: unknown;
  /**
   * The expression parameters the operation accepts, in the order DynamoDB names them in its
   * messages (UpdateItem: UpdateExpression, ConditionExpression), mapped to the request's text.
   */
  readonly expressions: Readonly<Record<string, string | undefined | null>>;
  /** The operation's legacy parameters (Expected, AttributeUpdates, …) mapped to the request's value. */
  readonly legacy?: Readonly<Record<string, unknown>>;
  /**
   * Whether the ExpressionAttributeValues refusal names the absent expressions
   * (`…: ConditionExpression is null`); PutItem, UpdateItem and DeleteItem no longer do.
   */
  readonly nameAbsentExpressions?: boolean;
}

/**
 * The request-level rules around expressions: no mixing with legacy parameters, and no
 * ExpressionAttributeNames/Values without an expression that could use them.
 */
export function checkExpressionParameters(params: ExpressionParameters): void {
  const present = Object.keys(params.expressions).filter((k) => params.expressions[k] != null);
  const legacy = Object.keys(params.legacy ?? {}).filter((k) => params.legacy?.[k] != null);
  if (present.length > 0 && legacy.length > 0) {
    throw validation(
      'Can not use both expression and non-expression parameters in the same request: ' +
        `Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${present.join(', ')}}`,
    );
  }
  if (params.names != null && present.length === 0) {
    throw validation('ExpressionAttributeNames can only be specified when using expressions');
  }
  // A ProjectionExpression cannot use values, so it does not count here.
  const valueExpressions = Object.keys(params.expressions).filter((k) => k !== 'ProjectionExpression');
  if (
    params.values != null &&
    valueExpressions.length > 0 &&
    valueExpressions.every((k) => params.expressions[k] == null)
  ) {
    const message = 'ExpressionAttributeValues can only be specified when using expressions';
    if (params.nameAbsentExpressions === false) throw validation(message);
    const verb = valueExpressions.length > 1 ? 'are' : 'is';
    throw validation(`${message}: ${valueExpressions.join(' and ')} ${verb} null`);
  }
}

export const MAX_EXPRESSION_BYTES = 4096;

/** DynamoDB measures the expression text as sent, in UTF-8 bytes, placeholders unexpanded. */
export function checkExpressionSize(text: string, kind: ExpressionKind): void {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_EXPRESSION_BYTES) {
    throw validation(
      `Invalid ${kind}: Expression size has exceeded the maximum allowed size; expression size: ${size}`,
    );
  }
}
