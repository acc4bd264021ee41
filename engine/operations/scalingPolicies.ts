// Sortkey_20250101.PutScalingPolicy / DescribeScalingPolicies / DeleteScalingPolicy: Application
// Auto Scaling's target tracking for a provisioned table or GSI (engine/automation), one policy per
// scalable dimension, kept in the database file. The scaler (`sortkey serve`) applies them.
//   PutScalingPolicy        in: { TableName, IndexName?, ScalableDimension: 'ReadCapacityUnits' |
//                                 'WriteCapacityUnits', MinCapacity, MaxCapacity, TargetValue (20–90),
//                                 DisableScaleIn?, ScaleOutCooldown?, ScaleInCooldown? }
//                           out: { ScalingPolicy }
//   DescribeScalingPolicies in: { TableName?, MaxActivities? = 20 }
//                           out: { ScalingPolicies, ScalingActivities (newest first), ScalingSpeed }
//   DeleteScalingPolicy     in: { TableName, IndexName?, ScalableDimension? (both when absent) }
//                           out: { Deleted: number }
import type {
  DescribeScalingPoliciesOutput,
  ScalableDimension,
  ScalingPolicyDescription,
} from '../../common/types.js';
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import { automationStore } from '../automation/store.js';
import type { StoredPolicy } from '../automation/store.js';
import { parsePolicySettings, resourceIdOf, SCALABLE_DIMENSIONS } from '../automation/scaling.js';
import { asRecord } from './common.js';

function tableArg(raw: Record<string, unknown>): { table: string; index: string } {
  if (typeof raw.TableName !== 'string' || raw.TableName === '') throw validation('TableName is required');
  if (raw.IndexName !== undefined && (typeof raw.IndexName !== 'string' || raw.IndexName === ''))
    throw validation('IndexName must be a non-empty string');
  return { table: raw.TableName, index: (raw.IndexName as string | undefined) ?? '' };
}

function dimensionArg(v: unknown, required: boolean): ScalableDimension | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || !(SCALABLE_DIMENSIONS as readonly string[]).includes(v))
    throw validation(`ScalableDimension must be one of ${SCALABLE_DIMENSIONS.join(', ')}`);
  return v as ScalableDimension;
}

function describePolicy(ctx: EngineContext, p: StoredPolicy): ScalingPolicyDescription {
  const table = ctx.catalog.get(p.table);
  const d = table?.description;
  const onDemand = d?.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST';
  const tp =
    p.index === ''
      ? d?.ProvisionedThroughput
      : d?.GlobalSecondaryIndexes?.find((g) => g.IndexName === p.index)?.ProvisionedThroughput;
  const current = onDemand ? undefined : tp?.[p.dimension];
  return {
    TableName: p.table,
    ...(p.index !== '' ? { IndexName: p.index } : {}),
    ScalableDimension: p.dimension,
    ResourceId: resourceIdOf(p.table, p.index || undefined),
    ...p.settings,
    CreationTime: p.createdAt / 1000,
    ...(current !== undefined ? { CurrentCapacity: current } : {}),
    ...(p.evaluation !== null ? { LastEvaluation: p.evaluation } : {}),
    ...(p.evaluatedAt !== null ? { LastEvaluationTime: p.evaluatedAt / 1000 } : {}),
  };
}

export function putScalingPolicy(
  ctx: EngineContext,
  input: unknown,
): { ScalingPolicy: ScalingPolicyDescription } {
  const raw = asRecord(input);
  const { table: name, index } = tableArg(raw);
  const dimension = dimensionArg(raw.ScalableDimension, true)!;
  const settings = parsePolicySettings(raw);
  ctx.refreshIfChanged(true);
  const table = ctx.catalog.get(name);
  if (!table)
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${name} not found`,
    );
  if (index !== '') {
    const ix = table.indexes.get(index);
    if (!ix) {
      throw new DynamoError(
        'ResourceNotFoundException',
        `Requested resource not found: Index: ${index} not found`,
      );
    }
    // A local secondary index shares its table's throughput: only tables and GSIs scale.
    if (ix.kind !== 'GSI')
      throw validation(`Index ${index} is a local secondary index: it has no capacity of its own`);
  }
  // Guessed wording: AWS refuses target tracking on an on-demand table, in words not documented.
  if (table.description.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST')
    throw validation(`Table ${name} is in on-demand mode: auto scaling applies to provisioned capacity only`);
  const store = automationStore(ctx.db);
  ctx.db.transaction(() =>
    store.putPolicy(ctx.catalog.namespace, name, index, dimension, settings, ctx.now()),
  );
  const stored = store
    .policies(ctx.catalog.namespace, name)
    .find((p) => p.index === index && p.dimension === dimension)!;
  return { ScalingPolicy: describePolicy(ctx, stored) };
}

export function describeScalingPolicies(ctx: EngineContext, input: unknown): DescribeScalingPoliciesOutput {
  const raw = asRecord(input);
  if (raw.TableName !== undefined && typeof raw.TableName !== 'string')
    throw validation('TableName must be a string');
  const limit = raw.MaxActivities ?? 20;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > 100)
    throw validation('MaxActivities must be a whole number from 0 to 100');
  ctx.refreshIfChanged(true);
  const store = automationStore(ctx.db);
  const table = raw.TableName as string | undefined;
  return {
    ScalingPolicies: store.policies(ctx.catalog.namespace, table).map((p) => describePolicy(ctx, p)),
    ScalingActivities: limit > 0 ? store.activities(ctx.catalog.namespace, table, limit) : [],
    ScalingSpeed: ctx.scalingSpeed,
  };
}

export function deleteScalingPolicy(ctx: EngineContext, input: unknown): { Deleted: number } {
  const raw = asRecord(input);
  const { table, index } = tableArg(raw);
  const dimension = dimensionArg(raw.ScalableDimension, false);
  const store = automationStore(ctx.db);
  const n = ctx.db.transaction(() => store.deletePolicies(ctx.catalog.namespace, table, index, dimension));
  if (n === 0) {
    // Application Auto Scaling's DeleteScalingPolicy answers ObjectNotFoundException; the nearest here.
    throw new DynamoError(
      'ResourceNotFoundException',
      `No scaling policy for ${resourceIdOf(table, index || undefined)}${dimension ? ` ${dimension}` : ''}`,
    );
  }
  return { Deleted: n };
}
