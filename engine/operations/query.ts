// Query: the items of one partition (of a table or index) in sort-key order, optionally narrowed by
// a sort-key condition, filtered and projected, one page at a time. Values (key condition, filter,
// ExclusiveStartKey) are checked in the current layer (values/layer.ts), their errors bare.
import { CapacityMeter } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { invalidParameter, validation } from '../errors.js';
import type { Condition, KeyTerm } from '../expressions/ir.js';
import {
  KEY_TERMS_MESSAGE,
  keyTermsFromKeyConditions,
  ONE_CONDITION_PER_KEY,
  parseKeyCondition,
} from '../expressions/index.js';
import { encodeCompositePart, encodeKeyValue } from '../keys/encoding.js';
import { prefixUpperBound, readPage } from '../tables/reader.js';
import type { Bound, ReadRange } from '../tables/reader.js';
import { encodePartition } from '../tables/schema.js';
import { WORDINGS } from '../wording.js';
import type { KeyAttribute, KeySchema } from '../tables/schema.js';
import type { AttributeValue, Sdk, Wire } from '../types.js';
import { typeOf } from '../values/attribute.js';
import { compareNumbers } from '../values/number.js';
import { asRecord, member, tableNameOf } from './common.js';
import { newAttributes, readProjection } from './itemCommon.js';
import {
  checkReadRequest,
  finishPage,
  splicedPageJson,
  pageCapacity,
  READ_MEMBERS,
  readFilter,
  limitIn,
  resolveSelect,
  resolveTarget,
  startPosition,
} from './readCommon.js';
import type { SplicedItems } from './readCommon.js';

function unsupported(): Error {
  return validation('Query key condition not supported');
}

function termValues(t: KeyTerm): AttributeValue[] {
  if (t.op === 'between') return [t.low, t.high];
  if (t.op === 'begins_with') return [t.prefix];
  return [t.value];
}

function compareKeyValues(a: AttributeValue, b: AttributeValue): number {
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  const x = 'S' in a ? Buffer.from(a.S, 'utf8') : Buffer.from((a as { B: string }).B, 'base64');
  const y = 'S' in b ? Buffer.from(b.S, 'utf8') : Buffer.from((b as { B: string }).B, 'base64');
  return Buffer.compare(x, y);
}

/**
 * Checks key-condition terms against a key schema and turns them into the partition to read and
 * the bounds on its encoded sort keys.
 */
export function keyRange(schema: KeySchema, terms: readonly KeyTerm[]): ReadRange {
  if (terms.length === 0 || terms.length > schema.partition.length + schema.sort.length)
    throw validation(KEY_TERMS_MESSAGE);
  const byName = new Map<string, KeyTerm>();
  for (const t of terms) {
    if (byName.has(t.name)) throw validation(ONE_CONDITION_PER_KEY);
    byName.set(t.name, t);
  }
  const known = new Set([...schema.partition, ...schema.sort].map((a) => a.name));
  for (const name of byName.keys()) {
    if (known.has(name)) continue;
    // A condition on another attribute stands where a key attribute's belongs: DynamoDB names the
    // first key attribute left without a condition (error-messages.md §5).
    const missing = [...schema.partition, ...schema.sort].find((a) => !byName.has(a.name));
    if (missing) throw validation(`Query condition missed key schema element: ${missing.name}`);
    throw unsupported();
  }
  const checkType = (a: KeyAttribute, t: KeyTerm) => {
    for (const v of termValues(t)) {
      if (typeOf(v) !== a.type) throw invalidParameter('Condition parameter type does not match schema type');
    }
  };
  const partValues: Record<string, AttributeValue> = {};
  for (const a of schema.partition) {
    const t = byName.get(a.name);
    if (!t) throw validation(`Query condition missed key schema element: ${a.name}`);
    if (t.op !== '=') throw unsupported();
    checkType(a, t);
    partValues[a.name] = t.value;
  }
  const { hash, pk } = encodePartition(schema, partValues);

  // Sort attributes: equalities on a leading run, then at most one other condition. A gap, or a
  // range condition before the last attribute named, names the attributes that needed equalities.
  let lastNamed = -1;
  schema.sort.forEach((a, i) => {
    if (byName.has(a.name)) lastNamed = i;
  });
  const needEquality = schema.sort
    .slice(0, Math.max(lastNamed, 0))
    .filter((a) => byName.get(a.name)?.op !== '=');
  if (needEquality.length > 0) {
    throw validation(
      `RANGE key attributes ${needEquality.map((a) => a.name).join(', ')} must have equality conditions specified in the query because a condition is present on key attribute ${schema.sort[lastNamed]!.name}`,
    );
  }
  const sortTerms: { attr: KeyAttribute; term: KeyTerm }[] = [];
  for (const a of schema.sort) {
    const t = byName.get(a.name);
    if (!t) break;
    checkType(a, t);
    if (t.op === 'begins_with' && a.type === 'N') {
      throw validation(
        'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
      );
    }
    if (t.op === 'between' && compareKeyValues(t.low, t.high) > 0) {
      throw validation(
        `Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower operand: AttributeValue: {${a.type}:${Object.values(t.low)[0]}}, upper operand: AttributeValue: {${a.type}:${Object.values(t.high)[0]}}`,
      );
    }
    sortTerms.push({ attr: a, term: t });
  }
  const range = { kind: 'partition' as const, h: hash, pk };
  if (sortTerms.length === 0) return range;

  const raw = (a: KeyAttribute, v: AttributeValue) => encodeKeyValue(v, a.type);
  if (schema.sort.length === 1) {
    const { attr, term } = sortTerms[0]!;
    const b = (v: AttributeValue, inclusive: boolean): Bound => ({ value: raw(attr, v), inclusive });
    switch (term.op) {
      case '=':
        return { ...range, lower: b(term.value, true), upper: b(term.value, true) };
      case '<':
        return { ...range, upper: b(term.value, false) };
      case '<=':
        return { ...range, upper: b(term.value, true) };
      case '>':
        return { ...range, lower: b(term.value, false) };
      case '>=':
        return { ...range, lower: b(term.value, true) };
      case 'between':
        return { ...range, lower: b(term.low, true), upper: b(term.high, true) };
      case 'begins_with': {
        const prefix = raw(attr, term.prefix);
        const upper = prefixUpperBound(prefix);
        return {
          ...range,
          lower: { value: prefix, inclusive: true },
          ...(upper ? { upper: { value: upper, inclusive: false } } : {}),
        };
      }
      default:
        throw unsupported();
    }
  }

  // Several sort attributes: bounds on the composite encoding, where a leading run of equal parts is
  // a byte prefix and a condition on the next part is a range within that prefix.
  const last = sortTerms[sortTerms.length - 1]!;
  const eqParts = sortTerms.slice(0, last.term.op === '=' ? sortTerms.length : sortTerms.length - 1);
  const prefix = Buffer.concat(
    eqParts.map(({ attr, term }) =>
      encodeCompositePart(raw(attr, (term as { value: AttributeValue }).value), true),
    ),
  );
  const within = (lower: Buffer, lowerInclusive: boolean, upper: Buffer | undefined): ReadRange => ({
    ...range,
    lower: { value: lower, inclusive: lowerInclusive },
    ...(upper ? { upper: { value: upper, inclusive: false } } : {}),
  });
  if (last.term.op === '=') return within(prefix, true, prefixUpperBound(prefix));
  const part = (v: AttributeValue) => Buffer.concat([prefix, encodeCompositePart(raw(last.attr, v), true)]);
  const t = last.term;
  switch (t.op) {
    case '<':
      return within(prefix, true, part(t.value));
    case '<=':
      return within(prefix, true, prefixUpperBound(part(t.value)));
    case '>':
      return within(prefixUpperBound(part(t.value)) ?? part(t.value), true, prefixUpperBound(prefix));
    case '>=':
      return within(part(t.value), true, prefixUpperBound(prefix));
    case 'between':
      return within(part(t.low), true, prefixUpperBound(part(t.high)));
    case 'begins_with': {
      const p = Buffer.concat([prefix, encodeCompositePart(raw(last.attr, t.prefix), false)]);
      return within(p, true, prefixUpperBound(p));
    }
    default:
      throw unsupported();
  }
}

/**
 * Query's members. The new layer checks Limit and ConditionalOperator in the newer form, ahead of
 * the others, reporting the first problem alone (common.ts, `MemberRule`); the old layer checks them
 * in the older form with the rest, all problems together (their place among them is a guess).
 */
const QUERY_MEMBERS = {
  firstNewer: {
    newer: [limitIn(WORDINGS.new), member.newerConditionalOperator()],
    older: [READ_MEMBERS.attributesToGet, READ_MEMBERS.select, READ_MEMBERS.returnConsumedCapacity],
  },
  allOlder: {
    older: [
      limitIn(WORDINGS.old),
      READ_MEMBERS.conditionalOperator,
      READ_MEMBERS.attributesToGet,
      READ_MEMBERS.select,
      READ_MEMBERS.returnConsumedCapacity,
    ],
  },
} as const;

export function query(ctx: EngineContext, input: Wire<Sdk.QueryInput>): Wire<Sdk.QueryOutput> {
  return readQuery(ctx, input);
}

/**
 * Query's response as the JSON text the endpoint sends: items read without a filter or projection
 * are spliced in as stored (readCommon.ts, `pageJson`), never parsed.
 */
export function queryJson(ctx: EngineContext, input: Wire<Sdk.QueryInput>): string {
  return splicedPageJson((splice) => readQuery(ctx, input, splice));
}

function readQuery(
  ctx: EngineContext,
  input: Wire<Sdk.QueryInput>,
  splice?: SplicedItems,
): Wire<Sdk.QueryOutput> {
  const raw = asRecord(input);
  checkReadRequest(raw, {
    // Legacy KeyConditions go with the other expressions (DynamoDB accepts KeyConditions beside a
    // FilterExpression or ProjectionExpression); only beside a KeyConditionExpression are they a mix.
    legacy:
      raw.KeyConditionExpression == null
        ? ['AttributesToGet', 'QueryFilter', 'ConditionalOperator']
        : ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'],
    expressions: ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
    ...QUERY_MEMBERS[ctx.wording.queryMembers],
  });
  if (raw.KeyConditionExpression === undefined && raw.KeyConditions === undefined) {
    throw validation(
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    );
  }
  const attrs = newAttributes(raw, ctx.wording.itemValues);
  const terms =
    typeof raw.KeyConditionExpression === 'string'
      ? parseKeyCondition(raw.KeyConditionExpression, attrs)
      : keyTermsFromKeyConditions(raw.KeyConditions, attrs.layer);
  const projection = readProjection(raw, attrs);
  const filter = readFilter(raw, attrs, 'QueryFilter');
  attrs.assertAllUsed();

  const table = ctx.table(tableNameOf(input.TableName!));
  const target = resolveTarget(table, raw.IndexName, raw.ConsistentRead);
  const select = resolveSelect(
    target,
    raw.Select,
    projection,
    Array.isArray(raw.AttributesToGet),
    ctx.wording,
  );
  const keyCount = target.key.partition.length + target.key.sort.length;
  if (typeof raw.KeyConditionExpression === 'string' && terms.length > keyCount) {
    throw validation(
      `The number of query conditions (${terms.length}) exceeds the number of key attributes defined in the schema (${keyCount})`,
    );
  }
  const range = keyRange(target.key, terms);
  const start = startPosition(target, raw.ExclusiveStartKey, attrs.layer);
  // A start key of another partition than the one queried is refused, not silently re-read from
  // the queried partition's start (DynamoDB, DynamoDB Local and dynalite agree on the message).
  if (start && range.kind === 'partition' && (start.h !== range.h || !start.pk.equals(range.pk))) {
    throw validation('The provided starting key is outside query boundaries based on provided conditions');
  }
  if (filter && filterTouchesKey(filter, target.key)) {
    throw validation(
      `Filter Expression can only contain non-primary key attributes: Primary key attribute: ${filterTouchesKey(filter, target.key)}`,
    );
  }

  const consistent = raw.ConsistentRead === true;
  return ctx.db.snapshot(() => {
    const view = ctx.consistency.view(table, consistent, target.index?.kind === 'GSI');
    const page = readPage(ctx, target.index ?? table, range, {
      forward: raw.ScanIndexForward !== false,
      // A null Limit is an absent one, as DynamoDB's deserializer reads it.
      limit: input.Limit ?? undefined,
      start,
      view,
    });
    const { result, extraTableBytes } = finishPage(
      ctx,
      target,
      page,
      filter,
      select,
      projection,
      view,
      splice,
    );
    const meter = new CapacityMeter();
    pageCapacity(target, page.bytes, extraTableBytes, consistent, meter);
    const out: Wire<Sdk.QueryOutput> = result;
    const capacity = meter.one(table.name, input.ReturnConsumedCapacity);
    if (capacity) out.ConsumedCapacity = capacity;
    return out;
  });
}

/** A Query filter may not name the partition or sort key of what is queried. */
function filterTouchesKey(cond: Condition, schema: KeySchema): string | undefined {
  const keys = new Set([...schema.partition, ...schema.sort].map((a) => a.name));
  let found: string | undefined;
  const visitOperand = (o: unknown) => {
    const op = o as { kind: string; path?: readonly unknown[] };
    if (
      op &&
      (op.kind === 'path' || op.kind === 'size') &&
      op.path &&
      op.path.length === 1 &&
      keys.has(op.path[0] as string)
    ) {
      found ??= op.path[0] as string;
    }
  };
  const visit = (c: Condition): void => {
    switch (c.kind) {
      case 'and':
      case 'or':
        visit(c.left);
        visit(c.right);
        break;
      case 'not':
        visit(c.operand);
        break;
      case 'compare':
        visitOperand(c.left);
        visitOperand(c.right);
        break;
      case 'between':
        visitOperand(c.operand);
        break;
      case 'in':
        visitOperand(c.operand);
        break;
      case 'attribute_exists':
      case 'attribute_not_exists':
      case 'attribute_type':
        visitOperand({ kind: 'path', path: c.path });
        break;
      case 'begins_with':
      case 'contains':
        visitOperand(c.operand);
        break;
      default:
        break;
    }
  };
  visit(cond);
  return found;
}
