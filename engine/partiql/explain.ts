// EXPLAIN (a Sortkey extension): the operation(s) a statement runs as, on which table or index,
// with which key condition, filter and projection, whether it reads the whole table, and the
// capacity it would consume on the current data. Nothing is written.
import { CapacityMeter, writeUnits } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import type { ExplainResult, ExplainStep } from '../../common/types.js';
import type { Statement } from '../../grammar/partiql/index.js';
import type { Namespace } from '../tables/table.js';
import { HASH_SPACE } from '../keys/encoding.js';
import { keyRange } from '../operations/query.js';
import { finishPage, pageCapacity, partitionCount, partitionsBetween } from '../operations/readCommon.js';
import { readCurrent } from '../operations/writePlan.js';
import { MAX_PAGE_BYTES, readPage } from '../tables/reader.js';
import type { RowPosition } from '../tables/reader.js';
import { keyAttributes } from '../tables/schema.js';
import type { AttributeValue } from '../types.js';
import { formatCondition, formatKeyTerm, formatPath, formatValue } from './format.js';
import { planSelect, planWrite } from './planner.js';
import type { SelectPlan } from './planner.js';
import { parseRequestStatement } from './statement.js';

export type { ExplainResult, ExplainStep } from '../../common/types.js';

const MAX_ESTIMATE_PAGES = 50;
/**
 * Rows one slice of an estimate reads: a slice is one short synchronous read (a millisecond or
 * two), so a caller that yields between slices never holds the event loop for long.
 */
export const ESTIMATE_SLICE_ROWS = 250;

interface Estimate {
  items: number;
  meter: CapacityMeter;
  /** True when the estimate stopped after MAX_ESTIMATE_PAGES pages with more to read. */
  more: boolean;
}

/**
 * What the SELECT would read (its filter and projection aside) and what that costs, page by page as
 * ExecuteStatement reads it: each partition's page holds up to 1 MB and is charged on its own. The
 * pages are read in slices of ESTIMATE_SLICE_ROWS rows; the generator pauses after each slice, so
 * `explainInSlices` can give the event loop a turn between them while `explain` runs them all at
 * once. The figures do not depend on the slicing: a page's bytes are summed over its slices and
 * charged once. Each slice is its own snapshot, so writes landing between slices may be counted
 * (an estimate can live with that; a statement spanning pages sees them too).
 */
function* estimateReads(
  ctx: EngineContext,
  plan: SelectPlan,
  consistent: boolean,
): Generator<void, Estimate> {
  const meter = new CapacityMeter();
  const { target, partitions } = plan;
  const source = target.index ?? target.table;
  // As runSelect reads for SELECT *: an LSI's page reaches back to the table for what it lacks.
  const select = target.index?.kind === 'GSI' ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
  let items = 0;
  let pages = 0;
  let partition = 0;
  let start: RowPosition | undefined;
  // `pk IN []` pins no partition at all: nothing to read.
  if (partitions?.length === 0) return { items, meter, more: false };
  for (;;) {
    const range = partitions
      ? keyRange(target.key, [
          ...Object.entries(partitions[partition]!).map(([name, value]) => ({
            name,
            op: '=' as const,
            value,
          })),
          ...plan.sortTerms,
        ])
      : { kind: 'hashes' as const, from: 0, to: HASH_SPACE };
    // One page (as readPage reads it whole), in slices.
    let bytes = 0;
    let extraTableBytes = 0;
    let rows = 0;
    let last = start;
    let full = false;
    for (;;) {
      if (bytes >= MAX_PAGE_BYTES) {
        full = true;
        break;
      }
      const slice = ctx.db.snapshot(() => {
        const page = readPage(ctx, source, range, {
          forward: plan.forward,
          limit: ESTIMATE_SLICE_ROWS,
          start: last,
          maxBytes: MAX_PAGE_BYTES - bytes,
        });
        return { page, extra: finishPage(ctx, target, page, undefined, select, undefined).extraTableBytes };
      });
      const page = slice.page;
      // A page takes its first row whatever its size, and no other row that would overflow it:
      // such a row opens the next page.
      if (rows > 0 && page.rows.length > 0 && bytes + page.rows[0]!.size > MAX_PAGE_BYTES) {
        full = true;
        break;
      }
      bytes += page.bytes;
      rows += page.rows.length;
      extraTableBytes += slice.extra;
      if (page.last) last = page.last;
      if (!page.last) break;
      if (page.rows.length < ESTIMATE_SLICE_ROWS) {
        // It stopped before the slice was done: the page is full.
        full = true;
        break;
      }
      yield;
    }
    // A scan is charged as Scan is: at least one unit per partition its page touched.
    const touched = partitions
      ? 1
      : partitionsBetween(partitionCount(ctx, target), start?.h ?? 0, full && last ? last.h : HASH_SPACE - 1);
    pageCapacity(target, bytes, extraTableBytes, consistent, meter, touched);
    items += rows;
    if (full) {
      // ExecuteStatement would end its page here and return a NextToken.
      pages++;
      start = last;
      if (pages >= MAX_ESTIMATE_PAGES) return { items, meter, more: true };
    } else {
      start = undefined;
      if (!partitions || partition + 1 >= partitions.length) return { items, meter, more: false };
      partition++;
    }
    yield;
  }
}

function describeSelect(plan: SelectPlan): ExplainStep {
  const step: ExplainStep = {
    Operation: plan.singleItem ? 'GetItem' : plan.fullScan ? 'Scan' : 'Query',
    TableName: plan.target.table.name,
  };
  if (plan.target.index) step.IndexName = plan.target.index.name;
  if (plan.partitions) {
    const partitionNames = plan.target.key.partition.map((a) => a.name);
    const values = plan.partitions.map((p) =>
      partitionNames.map((n) => `${formatPath([n])} = ${formatValue(p[n] as AttributeValue)}`).join(' AND '),
    );
    const pk = values.length === 1 ? values[0]! : `(${values.join(') OR (')})`;
    step.KeyCondition = [pk, ...plan.sortTerms.map(formatKeyTerm)].join(' AND ');
    step.Partitions = plan.partitions.length;
    step.ScanIndexForward = plan.forward;
  }
  if (plan.filter) step.Filter = formatCondition(plan.filter);
  if (plan.projection) step.Projection = plan.projection.map(formatPath);
  return step;
}

/**
 * EXPLAIN as steps: the generator pauses between slices of the estimate's reads (see
 * estimateReads) and returns the plan.
 */
function* explainSteps(
  ctx: EngineContext,
  text: unknown,
  parameters?: unknown,
  consistentRead?: unknown,
): Generator<void, ExplainResult> {
  const parsed = parseRequestStatement(text, parameters);
  let statement: Statement = parsed.statement;
  if (statement.kind === 'explain') statement = statement.statement;
  if (statement.kind === 'select') {
    const plan = planSelect(ctx, statement, parsed.parameters, consistentRead);
    const { items, meter, more } = yield* estimateReads(ctx, plan, consistentRead === true);
    const capacity = meter.one(plan.target.table.name, 'TOTAL');
    const warnings: string[] = [];
    if (plan.fullScan) {
      const pk = keyAttributes({ partition: plan.target.key.partition, sort: [] })
        .map((a) => a.name)
        .join(', ');
      warnings.push(
        `Full ${plan.target.index ? 'index' : 'table'} scan: the WHERE clause has no equality or IN condition on the partition key (${pk}), so every item is read and filtered.`,
      );
    }
    if (more) warnings.push(`Estimate stops after ${MAX_ESTIMATE_PAGES} pages; the statement reads more.`);
    return {
      StatementKind: 'SELECT',
      Steps: [describeSelect(plan)],
      FullTableScan: plan.fullScan,
      EstimatedReadCapacityUnits: capacity?.CapacityUnits ?? 0,
      EstimatedWriteCapacityUnits: 0,
      EstimatedItemsRead: items,
      Warnings: warnings,
    };
  }
  const planned = planWrite(ctx, statement, parsed.parameters);
  const operation = (
    { insert: 'PutItem', update: 'UpdateItem', delete: 'DeleteItem', exists: 'ConditionCheck' } as const
  )[planned.kind];
  const step: ExplainStep = { Operation: operation, TableName: planned.plan.table.name };
  step.KeyCondition = Object.entries(planned.plan.keyValues)
    .map(([n, v]) => `${formatPath([n])} = ${formatValue(v)}`)
    .join(' AND ');
  if (planned.plan.condition) step.Condition = formatCondition(planned.plan.condition);
  const current = ctx.db.snapshot(() => readCurrent(ctx, planned.plan));
  let wcu = 0;
  const warnings: string[] = [];
  try {
    const outcome = planned.plan.outcome(current.item);
    wcu =
      outcome === 'keep'
        ? 0
        : outcome === 'delete'
          ? writeUnits(current.size)
          : writeUnits(Math.max(current.size, outcome.size));
  } catch (e) {
    if (!(e instanceof DynamoError)) throw e;
    warnings.push(`On the current data this statement fails: ${e.type}: ${e.message}`);
  }
  return {
    StatementKind: statement.kind.toUpperCase(),
    Steps: [step],
    FullTableScan: false,
    EstimatedReadCapacityUnits: planned.kind === 'exists' ? 1 : 0,
    EstimatedWriteCapacityUnits: wcu,
    Warnings: warnings,
  };
}

export function explain(
  ctx: EngineContext,
  text: unknown,
  parameters?: unknown,
  consistentRead?: unknown,
): ExplainResult {
  const steps = explainSteps(ctx, text, parameters, consistentRead);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * EXPLAIN that gives the event loop a turn between the estimate's slices (`pause`, by default one
 * setImmediate): the studio's plans read whole tables on the thread that answers DynamoDB requests.
 */
export async function explainInSlices(
  ctx: EngineContext,
  text: unknown,
  parameters?: unknown,
  consistentRead?: unknown,
  pause: () => Promise<void> = () => new Promise<void>((resolve) => setImmediate(resolve)),
  namespace?: Namespace,
): Promise<ExplainResult> {
  const steps = explainSteps(ctx, text, parameters, consistentRead);
  for (;;) {
    // Other requests run between slices, each in its own region: every slice names this one's.
    const next = ctx.inNamespace(namespace, () => steps.next());
    if (next.done) return next.value;
    await pause();
  }
}

function explainInput(input: unknown): Record<string, unknown> {
  const raw = (input ?? {}) as Record<string, unknown>;
  if (raw.Statement === undefined)
    throw validation(
      "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null",
    );
  return raw;
}

/** The Sortkey_20250101.Explain operation: `{ Statement, Parameters?, ConsistentRead? }` → the plan. */
export function explainOperation(ctx: EngineContext, input: unknown): ExplainResult {
  const raw = explainInput(input);
  return explain(ctx, raw.Statement, raw.Parameters, raw.ConsistentRead);
}

/** The same operation, yielding to the event loop between slices of its reads. */
export function explainOperationInSlices(
  ctx: EngineContext,
  input: unknown,
  pause?: () => Promise<void>,
  namespace?: Namespace,
): Promise<ExplainResult> {
  const raw = explainInput(input);
  return explainInSlices(ctx, raw.Statement, raw.Parameters, raw.ConsistentRead, pause, namespace);
}
