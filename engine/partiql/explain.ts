// EXPLAIN (a Sortkey extension): the operation(s) a statement runs as, on which table or index,
// with which key condition, filter and projection, whether it reads the whole table, and the
// capacity it would consume on the current data. Nothing is written.
import { CapacityMeter, writeUnits } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import type { ExplainResult, ExplainStep } from '../../common/types.js';
import type { Statement } from '../../grammar/partiql/index.js';
import { readCurrent } from '../operations/writePlan.js';
import { keyAttributes } from '../tables/schema.js';
import type { AttributeValue } from '../types.js';
import { formatCondition, formatKeyTerm, formatPath, formatValue } from './format.js';
import { planSelect, planWrite } from './planner.js';
import type { SelectPlan } from './planner.js';
import { runSelect } from './readSelect.js';
import { parseRequestStatement } from './statement.js';

export type { ExplainResult, ExplainStep } from '../../common/types.js';

const MAX_ESTIMATE_PAGES = 50;

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

export function explain(
  ctx: EngineContext,
  text: unknown,
  parameters?: unknown,
  consistentRead?: unknown,
): ExplainResult {
  const parsed = parseRequestStatement(text, parameters);
  let statement: Statement = parsed.statement;
  if (statement.kind === 'explain') statement = statement.statement;
  if (statement.kind === 'select') {
    const plan = planSelect(ctx, statement, parsed.parameters, consistentRead);
    const meter = new CapacityMeter();
    let pages = 0;
    let items = 0;
    let token: string | undefined;
    const fingerprint = 'explain';
    do {
      const page = runSelect(
        ctx,
        { ...plan, filter: undefined, projection: undefined },
        { nextToken: token, fingerprint, consistent: consistentRead === true, meter },
      );
      items += page.Items.length;
      token = page.NextToken;
      pages++;
    } while (token && pages < MAX_ESTIMATE_PAGES);
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
    if (token) warnings.push(`Estimate stops after ${MAX_ESTIMATE_PAGES} pages; the statement reads more.`);
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

/** The Sortkey_20250101.Explain operation: `{ Statement, Parameters?, ConsistentRead? }` → the plan. */
export function explainOperation(ctx: EngineContext, input: unknown): ExplainResult {
  const raw = (input ?? {}) as Record<string, unknown>;
  if (raw.Statement === undefined)
    throw validation(
      "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null",
    );
  return explain(ctx, raw.Statement, raw.Parameters, raw.ConsistentRead);
}
