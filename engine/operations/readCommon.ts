// Shared by Query and Scan: the request checks, the filter, choosing the table or index, Select and
// projection rules, start keys, and turning a page of rows into DynamoDB's response.
import { readUnits } from '../capacity.js';
import type { CapacityMeter } from '../capacity.js';
import { readRow } from '../consistency/eventual.js';
import type { StaleView } from '../consistency/eventual.js';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, invalidParameter, validation } from '../errors.js';
import type { Condition, Path } from '../expressions/ir.js';
import {
  checkConditionalOperatorUse,
  conditionFromFilter,
  evaluateCondition,
  parseCondition,
  projectItem,
} from '../expressions/index.js';
import type { ExpressionAttributes } from '../expressions/index.js';
import { HASH_SPACE } from '../keys/encoding.js';
import type { Page, RowPosition } from '../tables/reader.js';
import { encodeKey, keyAttributes, pickKey } from '../tables/schema.js';
import type { KeySchema } from '../tables/schema.js';
import type { Index, Table } from '../tables/table.js';
import type { Item } from '../types.js';
import { normalizeItem, typeOf } from '../values/attribute.js';
import type { ValueLayer } from '../values/layer.js';
import { bespoke } from '../wording.js';
import type { Wording } from '../wording.js';
import {
  checkExpressionMix,
  checkMembers,
  checkName,
  checkTableName,
  isJavaInteger,
  member,
  OLDER_ENUMS,
  RETURN_CONSUMED_CAPACITY,
  wrongType,
} from './common.js';
import type { MemberRule } from './common.js';
import { checkPlaceholdersHaveExpressions } from './itemCommon.js';

/** Select's values, in the order DynamoDB lists them in its enum message (error-messages.md §3). */
export const SELECT_VALUES = [
  'SPECIFIC_ATTRIBUTES',
  'COUNT',
  'ALL_ATTRIBUTES',
  'ALL_PROJECTED_ATTRIBUTES',
] as const;
export type Select = (typeof SELECT_VALUES)[number];

/** What Query's and Scan's request checks do not share. */
export interface ReadRequestRules {
  /** The legacy parameters, and the expressions that replace them: a request may not mix the two. */
  readonly legacy: readonly string[];
  readonly expressions: readonly string[];
  /** Members checked first, in the newer form: the first problem alone (common.ts, `MemberRule`). */
  readonly newer?: readonly MemberRule[];
  /** The members checked in the older form, all problems together, after TableName and IndexName. */
  readonly older: readonly MemberRule[];
  /** The operation's own checks once the members are well formed, before the expression checks. */
  readonly members?: () => void;
}

/** Members Query and Scan share, as the older form checks them. */
export const READ_MEMBERS = {
  select: member.enumValue('Select', 'select', SELECT_VALUES),
  returnConsumedCapacity: member.enumValue(
    'ReturnConsumedCapacity',
    'returnConsumedCapacity',
    RETURN_CONSUMED_CAPACITY,
  ),
  conditionalOperator: member.enumValue(
    'ConditionalOperator',
    'conditionalOperator',
    OLDER_ENUMS.conditionalOperator,
  ),
  /** An empty AttributesToGet, echoed quoted as `'[]'` by Query and Scan. */
  attributesToGet: ((c, raw) => {
    if (Array.isArray(raw.AttributesToGet) && raw.AttributesToGet.length === 0)
      c.addText(
        "Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
  }) as MemberRule,
};

/** Query's and Scan's Limit, at least 1, refused in `wording`'s words (engine/wording.ts). */
export const limitIn =
  (wording: Wording): MemberRule =>
  (c, raw) => {
    const v = raw.Limit;
    if (v === undefined || v === null) return;
    if (!isJavaInteger(v)) throw wrongType('limit', 'number', v);
    if (v < 1) wording.limitTooSmall(c, v);
  };

/**
 * The request checks Query and Scan share, in DynamoDB's order: the newer form's members (the first
 * problem alone), the older form's (all reported together), the operation's own member checks, then
 * legacy parameters mixed with expressions, then ExpressionAttributeNames/Values without an
 * expression to use them.
 */
export function checkReadRequest(raw: Record<string, unknown>, rules: ReadRequestRules): void {
  if (rules.newer) checkMembers(raw, rules.newer, true);
  const c = new ConstraintErrors();
  checkTableName(c, raw.TableName);
  checkName(c, raw.IndexName, 'indexName', false);
  for (const rule of rules.older) rule(c, raw);
  c.throwIfAny();
  rules.members?.();
  checkExpressionMix(raw, rules.legacy, rules.expressions);
  checkPlaceholdersHaveExpressions(raw, rules.expressions);
}

/**
 * The filter of a read: FilterExpression or the legacy QueryFilter/ScanFilter map, whose values are
 * worded in the layer of `attrs`.
 */
export function readFilter(
  raw: Record<string, unknown>,
  attrs: ExpressionAttributes,
  legacy: 'QueryFilter' | 'ScanFilter',
): Condition | undefined {
  if (typeof raw.FilterExpression === 'string')
    return parseCondition(raw.FilterExpression, attrs, 'FilterExpression');
  if (raw[legacy] !== undefined && raw[legacy] !== null)
    return conditionFromFilter(
      raw[legacy],
      raw.ConditionalOperator,
      legacy === 'QueryFilter' ? 'queryFilter' : 'scanFilter',
      attrs.layer,
    );
  checkConditionalOperatorUse(raw.ConditionalOperator, undefined);
  return undefined;
}

export interface ReadTarget {
  readonly table: Table;
  readonly index?: Index;
  /** Key schema of what is read (the index's, or the table's). */
  readonly key: KeySchema;
}

export function resolveTarget(table: Table, indexName: unknown, consistentRead: unknown): ReadTarget {
  if (typeof indexName !== 'string') return { table, key: table.key };
  const index = table.indexes.get(indexName);
  if (!index) throw validation(`The table does not have the specified index: ${indexName}`);
  if (index.kind === 'GSI' && consistentRead === true) {
    throw validation('Consistent reads are not supported on global secondary indexes');
  }
  const gsi = (table.description.GlobalSecondaryIndexes ?? []).find((g) => g.IndexName === indexName);
  if (gsi && gsi.IndexStatus !== 'ACTIVE') {
    throw validation(`Cannot read from backfilling global secondary index: ${indexName}`);
  }
  return { table, index, key: index.key };
}

/** Applies DynamoDB's rules for Select against the projection and the index. */
export function resolveSelect(
  target: ReadTarget,
  select: unknown,
  projection: Path[] | undefined,
  legacyProjection: boolean,
  wording: Wording,
): Select {
  const what = legacyProjection ? 'AttributesToGet' : 'ProjectionExpression';
  if (select === undefined || select === null) {
    if (projection) return 'SPECIFIC_ATTRIBUTES';
    return target.index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
  }
  const s = select as Select;
  // Parameter combinations: checks of the request alone, enveloped by the new layer (§1 rule 3).
  if (s === 'SPECIFIC_ATTRIBUTES' && !projection) {
    throw bespoke(
      wording,
      validation(
        'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
      ),
    );
  }
  if (s !== 'SPECIFIC_ATTRIBUTES' && projection) {
    throw bespoke(wording, validation(`Cannot specify the ${what} when choosing to get ${s}`));
  }
  if (s === 'ALL_PROJECTED_ATTRIBUTES' && !target.index) {
    throw validation('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  }
  if (s === 'ALL_ATTRIBUTES' && target.index?.kind === 'GSI' && target.index.projection.type !== 'ALL') {
    throw invalidParameter(
      `Select type ALL_ATTRIBUTES is not supported for global secondary index ${target.index.name} because its projection type is not ALL`,
    );
  }
  return s;
}

/** The attributes that identify a row of the target: table key plus index key. */
export function positionAttributes(target: ReadTarget): string[] {
  const names = keyAttributes(target.table.key).map((a) => a.name);
  if (target.index)
    for (const a of keyAttributes(target.index.key)) if (!names.includes(a.name)) names.push(a.name);
  return names;
}

export function lastEvaluatedKey(target: ReadTarget, item: Item): Item {
  const out: Item = {};
  for (const name of positionAttributes(target)) if (item[name] !== undefined) out[name] = item[name]!;
  return out;
}

/**
 * Decodes ExclusiveStartKey into a storage position, with DynamoDB's checks; its values are worded
 * in the operation's `layer`.
 */
export function startPosition(
  target: ReadTarget,
  raw: unknown,
  layer: ValueLayer = 'older',
): RowPosition | undefined {
  if (raw === undefined || raw === null) return undefined;
  const esk = normalizeItem(raw, 'ExclusiveStartKey', layer);
  const expected = positionAttributes(target);
  const names = Object.keys(esk);
  const tableAttrs = keyAttributes(target.table.key);
  const matches =
    names.length === expected.length &&
    expected.every((n) => esk[n] !== undefined) &&
    tableAttrs.every((a) => typeOf(esk[a.name]!) === a.type) &&
    (!target.index || keyAttributes(target.index.key).every((a) => typeOf(esk[a.name]!) === a.type));
  if (!matches)
    throw validation(
      'The provided starting key is invalid: The provided key element does not match the schema',
    );
  const tableKey = encodeKey(target.table.key, esk);
  if (!target.index) return { h: tableKey.hash, pk: tableKey.pk, sk: tableKey.sk };
  const indexKey = encodeKey(target.index.key, esk);
  return { h: indexKey.hash, pk: indexKey.pk, sk: indexKey.sk, tpk: tableKey.pk, tsk: tableKey.sk };
}

export interface ReadResult {
  Items?: Item[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Item;
}

/**
 * Applies the filter and projection to a page, fetching from the base table when an LSI query asks
 * for attributes the index does not hold.
 */
export function finishPage(
  ctx: EngineContext,
  target: ReadTarget,
  page: Page,
  filter: Condition | undefined,
  select: Select,
  projection: Path[] | undefined,
  /** The read's view of the past (eventual consistency), which the reach back uses too. */
  view?: StaleView,
  splice?: SplicedItems,
): { result: ReadResult; extraTableBytes: number } {
  const items: Item[] = [];
  let extraTableBytes = 0;
  const reachBack =
    target.index?.kind === 'LSI' &&
    target.index.projection.type !== 'ALL' &&
    (select === 'ALL_ATTRIBUTES' || (projection !== undefined && needsBase(target.index, projection)));
  if (splice && !reachBack && !filter && !projection && select !== 'COUNT') {
    // Every row is answered as it is stored: its JSON text goes into the response unparsed.
    splice.json = page.rows.map((row) => row.json);
    const result: ReadResult = { Count: page.rows.length, ScannedCount: page.rows.length };
    if (page.last) result.LastEvaluatedKey = lastEvaluatedKey(target, page.rows[page.rows.length - 1]!.item);
    return { result, extraTableBytes };
  }
  for (const row of page.rows) {
    let item = row.item;
    if (reachBack) {
      const base = readRow(ctx.db, target.table, encodeKey(target.table.key, row.item), view);
      if (base) {
        item = JSON.parse(base.json) as Item;
        extraTableBytes += base.size;
      }
    }
    if (filter && !evaluateCondition(filter, item)) continue;
    if (select === 'COUNT') {
      items.push(item);
      continue;
    }
    items.push(projection ? projectItem(item, projection) : item);
  }
  const result: ReadResult = { Count: items.length, ScannedCount: page.rows.length };
  if (select !== 'COUNT') result.Items = items;
  if (page.last) {
    const lastRow = page.rows[page.rows.length - 1]!;
    result.LastEvaluatedKey = lastEvaluatedKey(target, lastRow.item);
  }
  return { result, extraTableBytes };
}

/**
 * Filled by finishPage when a page's items go into the response as their stored JSON (no filter,
 * no projection, no reach back to the table): the response object then has no Items, and
 * `pageJson` writes them.
 */
export interface SplicedItems {
  json?: string[];
}

/** The page `read` answers, as JSON text with the items it read as stored spliced in (pageJson). */
export function splicedPageJson(read: (splice: SplicedItems) => object): string {
  const splice: SplicedItems = {};
  return pageJson(read(splice), splice);
}

/**
 * A Query or Scan response as JSON text: JSON.stringify's text of the response with Items in its
 * place (after ScannedCount, where finishPage puts it), each item its stored JSON.
 */
export function pageJson(out: object, splice: SplicedItems): string {
  if (!splice.json) return JSON.stringify(out);
  let text = '';
  for (const [k, v] of Object.entries(out)) {
    if (v === undefined) continue;
    text += `${text ? ',' : ''}${JSON.stringify(k)}:${JSON.stringify(v)}`;
    if (k === 'ScannedCount') text += `,"Items":[${splice.json.join(',')}]`;
  }
  return `{${text}}`;
}

function needsBase(index: Index, projection: Path[]): boolean {
  const held = new Set<string>(
    [...keyAttributes(index.table.key), ...keyAttributes(index.key)].map((a) => a.name),
  );
  for (const n of index.projection.nonKeyAttributes) held.add(n);
  return projection.some((p) => !held.has(p[0]));
}

/** Capacity of a Query or Scan page: all bytes read, rounded up to 4 KB once. */
export function pageCapacity(
  target: ReadTarget,
  bytes: number,
  extraTableBytes: number,
  consistent: boolean,
  meter: CapacityMeter,
  partitionsTouched = 1,
): void {
  // At least one unit for every partition the page touched: DynamoDB charges each partition read
  // its minimum, so a whole Scan of a tiny on-demand table (four partitions) costs 4 RCU.
  const units = readUnits(bytes, consistent, partitionsTouched);
  if (target.index) {
    meter.read(target.table, units, target.index.name);
    if (extraTableBytes > 0) meter.read(target.table, readUnits(extraTableBytes, consistent));
  } else {
    meter.read(target.table, units);
  }
}

const GIB = 1024 * 1024 * 1024;

/**
 * How many partitions DynamoDB would keep the table (or a GSI) in, by its documented rules: a
 * partition serves up to 3,000 RCU and 1,000 WCU and holds up to 10 GB; an on-demand table starts
 * with four (its initial 12,000 RRU / 4,000 WRU). Partitions split the key hash space evenly.
 */
export function partitionCount(ctx: EngineContext, target: ReadTarget): number {
  const d = target.table.description;
  const onDemand = d.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST';
  const gsi =
    target.index?.kind === 'GSI'
      ? (d.GlobalSecondaryIndexes ?? []).find((g) => g.IndexName === target.index!.name)
      : undefined;
  const throughput = gsi ? gsi.ProvisionedThroughput : d.ProvisionedThroughput;
  const byThroughput = onDemand
    ? 4
    : Math.ceil((throughput?.ReadCapacityUnits ?? 0) / 3000 + (throughput?.WriteCapacityUnits ?? 0) / 1000);
  const bytes =
    target.index?.kind === 'GSI'
      ? ctx.catalog.indexCounters(target.index).sizeBytes
      : ctx.catalog.counters(target.table).sizeBytes;
  return Math.max(1, byThroughput, Math.ceil(bytes / (10 * GIB)));
}

/** The partitions (of `count`, each an equal range of the hash space) that [from, to] meets. */
export function partitionsBetween(count: number, fromHash: number, toHash: number): number {
  const width = HASH_SPACE / count;
  const first = Math.floor(fromHash / width);
  const last = Math.floor(Math.max(fromHash, toHash) / width);
  return Math.min(count, last - first + 1);
}

export { pickKey };
