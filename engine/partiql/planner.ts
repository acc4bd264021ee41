// The PartiQL planner: turns a parsed statement into the DynamoDB operation that serves it.
//   SELECT with `=`/IN on the partition key → Query (of the table or "T"."Index"), sort-key
//   predicates as the key condition, the rest as the filter; otherwise → Scan with a filter.
//   INSERT → a put conditioned on the key not existing; UPDATE/DELETE → a write on the full key
//   pinned by equalities, the remaining predicates as the write condition.
import type {
  DeleteStatement,
  DmlStatement,
  ExistsStatement,
  Expression,
  InsertStatement,
  SelectStatement,
  UpdateStatement,
} from '../../grammar/partiql/index.js';
import type { EngineContext } from '../context.js';
import { DynamoError, invalidParameter, validation } from '../errors.js';
import type { Condition, KeyTerm, Path, UpdateActions } from '../expressions/ir.js';
import { resolveTarget } from '../operations/readCommon.js';
import type { ReadTarget } from '../operations/readCommon.js';
import { updatePlan } from '../operations/updateItem.js';
import type { UpdatePlan } from '../operations/updateItem.js';
import type { WritePlan } from '../operations/writePlan.js';
import { checkIndexKeys } from '../operations/itemCommon.js';
import { checkItemCollectionSize } from '../operations/itemCollection.js';
import { encodeKeyValue } from '../keys/encoding.js';
import { rangesOverlap, sortRange } from './sortRanges.js';
import type { SortRange } from './sortRanges.js';
import { checkItemKey, encodeKey, keyAttributes, pickKey } from '../tables/schema.js';
import type { AttributeValue, Item } from '../types.js';
import { MAX_NESTING_DEPTH } from '../values/attribute.js';
import { itemSize, MAX_ITEM_SIZE } from '../values/size.js';
import type { Parameters } from './lower.js';
import {
  andAll,
  conjuncts,
  inListValues,
  literalValue,
  lowerCondition,
  lowerPath,
  lowerUpdateValue,
  topLevelName,
} from './lower.js';

export const MAX_IN_PARTITION_KEYS = 50;

export interface SelectPlan {
  readonly kind: 'select';
  readonly target: ReadTarget;
  /** Query: one entry per partition to read, in reading order. Scan: undefined. */
  readonly partitions?: Item[];
  /** Sort-key terms of the key condition (Query only). */
  readonly sortTerms: KeyTerm[];
  readonly filter?: Condition;
  readonly projection?: Path[];
  readonly forward: boolean;
  /** True when the statement reads the whole table or index. */
  readonly fullScan: boolean;
  /** All key attributes pinned by equality: a single-item read (GetItem). */
  readonly singleItem: boolean;
  /** The primary key of that single item. */
  readonly itemKey?: Item;
}

export interface WriteStatementPlan {
  readonly kind: 'insert' | 'update' | 'delete' | 'exists';
  readonly plan: WritePlan;
  readonly actions?: UpdateActions;
  /** UpdateItem's ReturnValues, from RETURNING. */
  readonly returnValues?: 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
}

export type StatementPlan = SelectPlan | WriteStatementPlan;

function isValueExpression(e: Expression): boolean {
  switch (e.kind) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
    case 'parameter':
    case 'list':
    case 'map':
    case 'set':
      return true;
    default:
      return false;
  }
}

/** `name = value` (either way round): the name and the value expression. */
function equality(e: Expression): { name: string; value: Expression } | undefined {
  if (e.kind !== 'binary' || e.op !== '=') return undefined;
  const l = topLevelName(e.left);
  if (l !== undefined && isValueExpression(e.right)) return { name: l, value: e.right };
  const r = topLevelName(e.right);
  if (r !== undefined && isValueExpression(e.left)) return { name: r, value: e.left };
  return undefined;
}

/** `pk.a = v` or `pk[0] = v` on a key attribute: the key attribute it reaches into, if any. */
function nestedKeyPath(e: Expression, keyNames: ReadonlySet<string>): string | undefined {
  if (e.kind !== 'binary' || e.op !== '=') return undefined;
  for (const side of [e.left, e.right]) {
    if (side.kind === 'path' && side.steps.length > 0 && keyNames.has(side.root.name)) return side.root.name;
  }
  return undefined;
}

function mandatoryKeyError(): DynamoError {
  return validation('Where clause does not contain a mandatory equality on all key attributes');
}

/** The full primary key pinned by top-level equalities, and the conjuncts left over. */
function pinnedKey(
  ctx: EngineContext,
  tableName: string,
  where: Expression | null,
  params: Parameters,
): { key: Item; rest: Expression[]; table: ReturnType<EngineContext['table']> } {
  const table = ctx.table(tableName);
  const key: Item = {};
  const rest: Expression[] = [];
  const keyNames = new Set(keyAttributes(table.key).map((a) => a.name));
  for (const c of conjuncts(where)) {
    const nested = nestedKeyPath(c, keyNames);
    if (nested !== undefined) {
      throw validation(
        `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key ${nested}`,
      );
    }
    const eq = equality(c);
    if (eq && keyNames.has(eq.name)) {
      // A second equality on a key would name a second item: statements write one item.
      if (key[eq.name] !== undefined) {
        throw validation(
          `Multiple conditions on same key ${eq.name}. Only single item Update/Insert/Delete are supported`,
        );
      }
      key[eq.name] = literalValue(eq.value, params);
    } else rest.push(c);
  }
  for (const a of keyAttributes(table.key)) {
    const v = key[a.name];
    if (!v) throw mandatoryKeyError();
    if (!(a.type in v)) throw invalidParameter('Condition parameter type does not match schema type');
  }
  return { key, rest, table };
}

/** INSERT, UPDATE and DELETE write a table; an index is written only through its table. */
function notOnIndex(): DynamoError {
  return validation('This operation is not supported on an index');
}

function notExists(name: string): Condition {
  return { kind: 'attribute_not_exists', path: [name] };
}

function exists(name: string): Condition {
  return { kind: 'attribute_exists', path: [name] };
}

/** PutItem's nesting rule for a tuple literal: `depth` is 1 for a top-level attribute. */
function checkNesting(value: AttributeValue, depth: number): void {
  if (depth > MAX_NESTING_DEPTH) {
    throw validation(
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    );
  }
  if ('L' in value) for (const v of value.L) checkNesting(v, depth + 1);
  else if ('M' in value) for (const k in value.M) checkNesting(value.M[k]!, depth + 1);
}

export function planInsert(ctx: EngineContext, s: InsertStatement, params: Parameters): WriteStatementPlan {
  const table = ctx.table(s.table.name);
  if (s.table.index) throw notOnIndex();
  const value = literalValue(s.item, params, 'root', true);
  if (!('M' in value)) throw validation('Unsupported data type: the INSERT value must be a tuple');
  const item = value.M;
  // PutItem's rules: attribute names are at least one character long; values nest at most 32 deep.
  if (Object.hasOwn(item, '')) throw invalidParameter('An attribute name cannot be empty');
  for (const name in item) checkNesting(item[name]!, 1);
  checkItemKey(table.key, item);
  const size = itemSize(item);
  if (size > MAX_ITEM_SIZE) throw validation('Item size has exceeded the maximum allowed size');
  checkIndexKeys(table, item);
  const pk = table.key.partition[0]!.name;
  return {
    kind: 'insert',
    plan: {
      table,
      key: encodeKey(table.key, item),
      keyValues: pickKey(table.key, item),
      condition: notExists(pk),
      conditionFailure: {
        code: 'DuplicateItem',
        error: () => new DynamoError('DuplicateItemException', 'Duplicate primary key exists in table'),
      },
      outcome: () => {
        checkItemCollectionSize(ctx, table, item, size);
        return { item, size };
      },
    },
  };
}

const RETURNING: Record<string, WriteStatementPlan['returnValues']> = {
  ALL_OLD: 'ALL_OLD',
  MODIFIED_OLD: 'UPDATED_OLD',
  ALL_NEW: 'ALL_NEW',
  MODIFIED_NEW: 'UPDATED_NEW',
};

export function planUpdate(
  ctx: EngineContext,
  s: UpdateStatement,
  params: Parameters,
  onFailure?: unknown,
): WriteStatementPlan {
  if (s.table.index) throw notOnIndex();
  const { key, rest, table } = pinnedKey(ctx, s.table.name, s.where, params);
  const set: { path: Path; value: ReturnType<typeof lowerUpdateValue> }[] = [];
  const remove: Path[] = [];
  for (const action of s.actions) {
    if (action.kind === 'set') {
      for (const a of action.assignments)
        set.push({ path: lowerPath(a.target), value: lowerUpdateValue(a.value, params) });
    } else {
      remove.push(lowerPath(action.path));
    }
  }
  const actions: UpdateActions = { set, remove, add: [], delete: [] };
  const pk = table.key.partition[0]!.name;
  // UPDATE is not an upsert: the item must exist.
  const condition = andAll([exists(pk), ...rest.map((c) => lowerCondition(c, params))])!;
  const plan: UpdatePlan = updatePlan(ctx, table.name, key, actions, condition, onFailure);
  return {
    kind: 'update',
    plan,
    actions,
    returnValues: s.returning ? RETURNING[s.returning.returnValues] : undefined,
  };
}

export function planDelete(
  ctx: EngineContext,
  s: DeleteStatement,
  params: Parameters,
  onFailure?: unknown,
): WriteStatementPlan {
  if (s.table.index) throw notOnIndex();
  const { key, rest, table } = pinnedKey(ctx, s.table.name, s.where, params);
  const pk = table.key.partition[0]!.name;
  const extra = andAll(rest.map((c) => lowerCondition(c, params)));
  // Deleting an item that is not there succeeds; the extra predicates bind only an existing item.
  const condition: Condition | undefined = extra
    ? { kind: 'or', left: notExists(pk), right: extra }
    : undefined;
  return {
    kind: 'delete',
    plan: {
      table,
      key: encodeKey(table.key, key),
      keyValues: key,
      condition,
      returnValuesOnConditionCheckFailure: onFailure,
      outcome: () => 'delete',
    },
    returnValues: s.returning ? 'ALL_OLD' : undefined,
  };
}

export function planExists(
  ctx: EngineContext,
  s: ExistsStatement,
  params: Parameters,
  onFailure?: unknown,
): WriteStatementPlan {
  if (s.select.from.index) throw validation('Operations on indices are not supported in transactions');
  const { key, rest, table } = pinnedKey(ctx, s.select.from.name, s.select.where, params);
  if (rest.length === 0)
    throw validation('EXISTS() must contain a single item read with additional condition');
  const pk = table.key.partition[0]!.name;
  return {
    kind: 'exists',
    plan: {
      table,
      key: encodeKey(table.key, key),
      keyValues: key,
      condition: andAll([exists(pk), ...rest.map((c) => lowerCondition(c, params))]),
      returnValuesOnConditionCheckFailure: onFailure,
      outcome: () => 'keep',
    },
  };
}

/** Partition-key values a WHERE pins: `pk = v`, `pk IN [..]`, or an OR of branches that each pin it. */
function partitionValues(
  where: Expression | null,
  pkName: string,
  params: Parameters,
  parts: Expression[] = conjuncts(where),
): { values: AttributeValue[]; used?: Expression } | undefined {
  for (const c of parts) {
    const eq = equality(c);
    if (eq && eq.name === pkName) return { values: [literalValue(eq.value, params)], used: c };
    if (c.kind === 'in' && !c.not && topLevelName(c.value) === pkName) {
      const list =
        c.list.kind === 'list'
          ? c.list.elements.map((x) => literalValue(x, params))
          : inListValues(c.list, params);
      return { values: list, used: c };
    }
  }
  // `pk = 1 OR pk = 2 OR (pk = 3 AND x > 1)`: every branch pins the partition key.
  if (where && where.kind === 'binary' && where.op === 'OR') {
    const values: AttributeValue[] = [];
    for (const b of orBranches(where)) {
      const found = partitionValues(b, pkName, params);
      if (!found) return undefined;
      values.push(...found.values);
    }
    return { values };
  }
  return undefined;
}

/** The branches of an OR chain, left to right. */
function orBranches(e: Expression, into: Expression[] = []): Expression[] {
  if (e.kind === 'binary' && e.op === 'OR') {
    orBranches(e.left, into);
    orBranches(e.right, into);
  } else into.push(e);
  return into;
}

/**
 * DynamoDB runs each OR branch as its own Query and refuses branches that would read the same
 * part of one partition twice: same partition-key value, intersecting sort-key conditions.
 */
function checkBranchOverlap(
  where: Expression,
  pkName: string,
  sortAttr: { name: string; type: 'S' | 'N' | 'B' },
  pkType: 'S' | 'N' | 'B',
  params: Parameters,
): void {
  const reads: { partition: Buffer; range: SortRange }[] = [];
  for (const branch of orBranches(where)) {
    const parts = conjuncts(branch);
    const pinned = partitionValues(branch, pkName, params, parts);
    if (!pinned) continue;
    let range: SortRange | undefined;
    for (const c of parts) {
      if (c === pinned.used) continue;
      const term = sortTermOf(c, sortAttr.name, params);
      if (term && (range = sortRange(term, sortAttr.type))) break;
    }
    if (!range) continue;
    for (const v of pinned.values) {
      if (!(pkType in v)) continue;
      const partition = encodeKeyValue(v, pkType);
      for (const other of reads) {
        if (other.partition.equals(partition) && rangesOverlap(other.range, range)) {
          throw validation('Overlapping conditions with range keys are not supported in where clause');
        }
      }
      reads.push({ partition, range });
    }
  }
}

function sortTermOf(c: Expression, skName: string, params: Parameters): KeyTerm | undefined {
  if (c.kind === 'binary' && ['=', '<', '<=', '>', '>='].includes(c.op)) {
    const l = topLevelName(c.left);
    const r = topLevelName(c.right);
    if (l === skName && isValueExpression(c.right))
      return { name: skName, op: c.op as '=', value: literalValue(c.right, params) };
    if (r === skName && isValueExpression(c.left)) {
      const flipped = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' }[c.op as '='] as '=';
      return { name: skName, op: flipped, value: literalValue(c.left, params) };
    }
  }
  if (
    c.kind === 'between' &&
    !c.not &&
    topLevelName(c.value) === skName &&
    isValueExpression(c.low) &&
    isValueExpression(c.high)
  ) {
    return {
      name: skName,
      op: 'between',
      low: literalValue(c.low, params),
      high: literalValue(c.high, params),
    };
  }
  if (
    c.kind === 'call' &&
    c.name === 'begins_with' &&
    c.args.length === 2 &&
    topLevelName(c.args[0]!) === skName &&
    isValueExpression(c.args[1]!)
  ) {
    return { name: skName, op: 'begins_with', prefix: literalValue(c.args[1]!, params) };
  }
  return undefined;
}

function keyOrder(type: 'S' | 'N' | 'B', a: AttributeValue, b: AttributeValue): number {
  return Buffer.compare(encodeKeyValue(a, type), encodeKeyValue(b, type));
}

export function planSelect(
  ctx: EngineContext,
  s: SelectStatement,
  params: Parameters,
  consistentRead: unknown,
): SelectPlan {
  const table = ctx.table(s.from.name);
  // DynamoDB's PartiQL layer words these its own way: no index name, and "Strongly consistent …"
  // where Query says "Consistent reads are not …". An unknown index is reported first.
  if (s.from.index) {
    const index = table.indexes.get(s.from.index.name);
    if (!index) throw validation('The table does not have the specified index');
    if (consistentRead === true && index.kind === 'GSI') {
      throw validation('Strongly consistent read is not supported on Global Secondary Indexes');
    }
  }
  const target = resolveTarget(table, s.from.index?.name, consistentRead);
  if (target.key.partition.length > 1 || target.key.sort.length > 1) {
    throw validation(
      'PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE keys.',
    );
  }
  const projection = s.projection.kind === 'paths' ? s.projection.paths.map(lowerPath) : undefined;
  if (target.index?.kind === 'GSI' && target.index.projection.type !== 'ALL' && projection) {
    const held = new Set(
      [...keyAttributes(table.key), ...keyAttributes(target.index.key)].map((a) => a.name),
    );
    for (const n of target.index.projection.nonKeyAttributes) held.add(n);
    const missing = projection.map((p) => p[0]).filter((n) => !held.has(n));
    if (missing.length) {
      throw invalidParameter(
        `Global secondary index ${target.index.name} does not project [${[...new Set(missing)].join(', ')}]`,
      );
    }
  }

  // One attribute each: multi-attribute keys were refused above.
  const pkAttr = target.key.partition[0]!;
  const sortAttr = target.key.sort[0];
  const parts = conjuncts(s.where);
  let partitions: Item[] | undefined;
  const used = new Set<Expression>();
  const found = partitionValues(s.where, pkAttr.name, params, parts);
  // Each partition-key value is one Query: DynamoDB runs at most 50 for a statement.
  if (found && found.values.length > MAX_IN_PARTITION_KEYS) {
    throw validation('Too many decomposed read operations for a given query.');
  }
  if (found) {
    const type = pkAttr.type;
    for (const v of found.values) {
      if (!(type in v)) throw invalidParameter('Condition parameter type does not match schema type');
    }
    // Distinct values, in key order.
    let distinct: AttributeValue[] = found.values;
    if (distinct.length > 1) {
      distinct = [];
      for (const v of [...found.values].sort((a, b) => keyOrder(type, a, b))) {
        if (!distinct.length || keyOrder(type, distinct[distinct.length - 1]!, v) !== 0) distinct.push(v);
      }
    }
    partitions = distinct.map((v) => ({ [pkAttr.name]: v }));
    if (found.used) used.add(found.used);
    else if (sortAttr) checkBranchOverlap(s.where!, pkAttr.name, sortAttr, type, params);
  }

  // Sort-key predicates become the key condition when the WHERE is a plain AND chain.
  const sortTerms: KeyTerm[] = [];
  if (partitions && sortAttr && !(s.where?.kind === 'binary' && s.where.op === 'OR')) {
    for (const c of parts) {
      if (used.has(c)) continue;
      const term = sortTermOf(c, sortAttr.name, params);
      if (term && sortTerms.length === 0) {
        sortTerms.push(term);
        used.add(c);
      }
    }
  }
  const restConditions = used.size ? parts.filter((c) => !used.has(c)) : parts;
  const filter =
    s.where?.kind === 'binary' && s.where.op === 'OR'
      ? lowerCondition(s.where, params)
      : andAll(restConditions.map((c) => lowerCondition(c, params)));

  let forward = true;
  if (s.orderBy.length > 0) {
    if (!s.where) throw validation('Must have WHERE clause in the statement when using ORDER BY clause.');
    const keyNames = new Set(keyAttributes(target.key).map((a) => a.name));
    for (const o of s.orderBy) {
      const name = topLevelName(o.expression);
      if (!name || !keyNames.has(name)) {
        throw validation(
          `Attribute ${name ?? 'expression'} in ORDER BY clause must be part of the primary key`,
        );
      }
    }
    if (!partitions)
      throw validation(
        'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
      );
    const byPartition = s.orderBy.find((o) => topLevelName(o.expression) === pkAttr.name);
    if (partitions.length > 1 && !byPartition) {
      throw validation(
        'Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.',
      );
    }
    if (byPartition?.direction === 'DESC') partitions.reverse();
    const bySort = s.orderBy.find(
      (o) => sortAttr !== undefined && topLevelName(o.expression) === sortAttr.name,
    );
    if (bySort?.direction === 'DESC') forward = false;
  }

  const sortEquality = sortTerms.length === 1 && sortTerms[0]!.op === '=' ? sortTerms[0] : undefined;
  const singleItem =
    !target.index && partitions?.length === 1 && (table.key.sort.length === 0 || sortEquality !== undefined);
  // The single-item read encodes the key directly: check the sort key's type as the Query path does.
  if (singleItem && sortEquality && !(sortAttr!.type in sortEquality.value)) {
    throw invalidParameter('Condition parameter type does not match schema type');
  }
  const itemKey = singleItem
    ? { ...partitions![0]!, ...(sortEquality ? { [sortEquality.name]: sortEquality.value } : {}) }
    : undefined;
  return {
    kind: 'select',
    target,
    partitions,
    sortTerms,
    filter,
    projection,
    forward,
    fullScan: partitions === undefined,
    singleItem: Boolean(singleItem),
    ...(itemKey ? { itemKey } : {}),
  };
}

/** Plans a write statement (or EXISTS); SELECTs go through planSelect. */
export function planWrite(
  ctx: EngineContext,
  s: Exclude<DmlStatement, SelectStatement>,
  params: Parameters,
  onFailure?: unknown,
): WriteStatementPlan {
  switch (s.kind) {
    case 'insert':
      return planInsert(ctx, s, params);
    case 'update':
      return planUpdate(ctx, s, params, onFailure);
    case 'delete':
      return planDelete(ctx, s, params, onFailure);
    case 'exists':
      return planExists(ctx, s, params, onFailure);
  }
}
