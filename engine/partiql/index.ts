// PartiQL in the engine: planning statements onto DynamoDB operations, running them, EXPLAIN.
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import type { SelectPlan } from './planner.js';

export { planSelect, planWrite } from './planner.js';
export type { SelectPlan, StatementPlan, WriteStatementPlan } from './planner.js';
export { explain, explainInSlices, explainOperation, explainOperationInSlices } from './explain.js';
export type { ExplainResult, ExplainStep } from './explain.js';

/**
 * The scan guard: with `denyFullTableScan` on, a statement that would read a whole table is refused,
 * as an IAM deny on dynamodb:FullTableScan refuses it on AWS.
 */
export function fullScanRefusal(ctx: EngineContext, plan: SelectPlan): void {
  if (!ctx.denyFullTableScan) return;
  const pk = plan.target.key.partition.map((a) => a.name).join(', ');
  const what = plan.target.index
    ? `index "${plan.target.table.name}"."${plan.target.index.name}"`
    : `table "${plan.target.table.name}"`;
  throw new DynamoError(
    'AccessDeniedException',
    `Full table scan refused: this statement would read the whole ${what} because its WHERE clause has no equality or IN condition on the partition key (${pk}). The scan guard is on (--deny-full-scan); add a partition key condition, or turn the guard off to allow it.`,
  );
}

/** EXISTS is a condition check: it has a meaning only beside the writes of a transaction. */
export function existsOutsideTransaction(): DynamoError {
  return validation('EXISTS can only be used in ExecuteTransaction write requests.');
}
