// Sortkey_20250101.GetMetrics: CloudWatch-like metric series of a table, an index or the account
// (engine/metrics/query.ts has the input and output shapes).
import type { EngineContext } from '../context.js';
import { getMetrics } from '../metrics/query.js';
import type { GetMetricsInput, GetMetricsOutput } from '../metrics/query.js';

export function getMetricsOperation(ctx: EngineContext, input: GetMetricsInput): GetMetricsOutput {
  return getMetrics(ctx, ctx.usage, input);
}
