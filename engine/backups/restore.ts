// Restores (from a backup or to a point in time) create a new table: the source's key schema,
// indexes and settings with the request's overrides, filled with the snapshot's rows, then its
// secondary indexes built from the items, in chunks (engine/backups/jobs.ts, a `fill` job): the new
// table is CREATING (RestoreInProgress) until the last chunk, as DynamoDB shows it; a small one is
// complete before the operation answers. As in DynamoDB, streams, TTL, point-in-time recovery, tags
// and deletion protection are not carried over.
import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context.js';
import { DynamoError, invalidParameter } from '../errors.js';
import type { ConstraintErrors } from '../errors.js';
import { asRecord, checkEnum, checkName } from '../operations/common.js';
import {
  checkKeySchemaConstraints,
  checkProjection,
  checkProjectionConstraints,
  checkThroughputConstraints,
  describeThroughput,
  normalizeProjection,
} from '../operations/createTable.js';
import { describeTableNow } from '../operations/describeTable.js';
import type { TableDescription } from '../tables/table.js';
import { jobKey } from './jobs.js';
import type { Sdk, Wire } from '../types.js';

export interface RestoreOverrides {
  readonly BillingModeOverride?: string;
  readonly ProvisionedThroughputOverride?: Wire<Sdk.ProvisionedThroughput>;
  readonly OnDemandThroughputOverride?: Wire<Sdk.OnDemandThroughput>;
  readonly GlobalSecondaryIndexOverride?: Wire<Sdk.GlobalSecondaryIndex>[];
  readonly LocalSecondaryIndexOverride?: Wire<Sdk.LocalSecondaryIndex>[];
  readonly SSESpecificationOverride?: Wire<Sdk.SSESpecification>;
}

/** The request-shape checks of the override parameters. */
export function checkOverrideConstraints(c: ConstraintErrors, raw: Record<string, unknown>): void {
  checkEnum(c, raw.BillingModeOverride, 'billingModeOverride', ['PROVISIONED', 'PAY_PER_REQUEST']);
  checkThroughputConstraints(c, raw.ProvisionedThroughputOverride, 'provisionedThroughputOverride');
  if (Array.isArray(raw.GlobalSecondaryIndexOverride)) {
    raw.GlobalSecondaryIndexOverride.forEach((g, i) => {
      const path = `globalSecondaryIndexOverride.${i + 1}.member`;
      const gi = asRecord(g);
      checkName(c, gi.IndexName, `${path}.indexName`);
      checkKeySchemaConstraints(c, gi.KeySchema, `${path}.keySchema`, 8);
      checkProjectionConstraints(c, gi.Projection, `${path}.projection`);
      checkThroughputConstraints(c, gi.ProvisionedThroughput, `${path}.provisionedThroughput`);
    });
  }
  if (Array.isArray(raw.LocalSecondaryIndexOverride)) {
    raw.LocalSecondaryIndexOverride.forEach((l, i) => {
      const path = `localSecondaryIndexOverride.${i + 1}.member`;
      const li = asRecord(l);
      checkName(c, li.IndexName, `${path}.indexName`);
      checkKeySchemaConstraints(c, li.KeySchema, `${path}.keySchema`, 2);
      checkProjectionConstraints(c, li.Projection, `${path}.projection`);
    });
  }
}

export function tableAlreadyExists(name: string): DynamoError {
  return new DynamoError('TableAlreadyExistsException', `Table already exists: ${name}`);
}

type KeySchemaElement = Wire<Sdk.KeySchemaElement>;

function copyKeySchema(ks: KeySchemaElement[] | undefined): KeySchemaElement[] {
  return (ks ?? []).map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType }));
}

/** The new table's description: the source's settings with the overrides applied. */
export function restoredDescription(
  ctx: EngineContext,
  source: TableDescription,
  target: string,
  o: RestoreOverrides,
  summary: Wire<Sdk.RestoreSummary>,
): TableDescription {
  const now = ctx.now();
  const arn = ctx.tableArn(target);
  const delayed = ctx.transientStatusMs > 0;
  const sourceBilling = source.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const billing = o.BillingModeOverride ?? sourceBilling;
  const sourcePt = source.ProvisionedThroughput;
  let pt: Wire<Sdk.ProvisionedThroughput> | undefined;
  if (billing === 'PROVISIONED') {
    pt =
      o.ProvisionedThroughputOverride ??
      (sourceBilling === 'PROVISIONED' && sourcePt?.ReadCapacityUnits
        ? { ReadCapacityUnits: sourcePt.ReadCapacityUnits, WriteCapacityUnits: sourcePt.WriteCapacityUnits }
        : undefined);
    if (!pt) {
      throw invalidParameter(
        'ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
      );
    }
  } else if (o.ProvisionedThroughputOverride) {
    throw invalidParameter(
      'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
  }

  const defs = source.AttributeDefinitions ?? [];
  const defNames = new Set(defs.map((d) => d.AttributeName!));
  const used = new Set<string>();
  const requireDefined = (ks: KeySchemaElement[]) => {
    const missing = ks.map((k) => k.AttributeName!).filter((n) => !defNames.has(n));
    if (missing.length) {
      throw invalidParameter(
        `Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(', ')}], AttributeDefinitions: [${[...defNames].join(', ')}]`,
      );
    }
    for (const k of ks) used.add(k.AttributeName!);
  };
  requireDefined(copyKeySchema(source.KeySchema));

  const d: TableDescription = {
    AttributeDefinitions: [],
    TableName: target,
    KeySchema: copyKeySchema(source.KeySchema),
    TableStatus: delayed ? 'CREATING' : 'ACTIVE',
    CreationDateTime: now / 1000,
    ProvisionedThroughput: describeThroughput(pt),
    TableSizeBytes: 0,
    ItemCount: 0,
    TableArn: arn,
    TableId: randomUUID(),
  };
  if (source.BillingModeSummary || o.BillingModeOverride) {
    d.BillingModeSummary = { BillingMode: billing as 'PROVISIONED' | 'PAY_PER_REQUEST' };
    if (billing === 'PAY_PER_REQUEST') d.BillingModeSummary.LastUpdateToPayPerRequestDateTime = now / 1000;
  }

  const lsis =
    o.LocalSecondaryIndexOverride ??
    source.LocalSecondaryIndexes?.map((l) => ({
      IndexName: l.IndexName,
      KeySchema: l.KeySchema,
      Projection: l.Projection,
    }));
  if (lsis && lsis.length > 0) {
    d.LocalSecondaryIndexes = lsis.map((l) => {
      const ks = copyKeySchema(l.KeySchema);
      requireDefined(ks);
      checkProjection(l.Projection ?? {});
      return {
        IndexName: l.IndexName,
        KeySchema: ks,
        Projection: normalizeProjection(l.Projection ?? {}),
        IndexSizeBytes: 0,
        ItemCount: 0,
        IndexArn: `${arn}/index/${l.IndexName}`,
      };
    });
  }
  const gsis =
    o.GlobalSecondaryIndexOverride ??
    source.GlobalSecondaryIndexes?.map((g) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema,
      Projection: g.Projection,
      ProvisionedThroughput:
        sourceBilling === 'PROVISIONED' && g.ProvisionedThroughput?.ReadCapacityUnits
          ? {
              ReadCapacityUnits: g.ProvisionedThroughput.ReadCapacityUnits,
              WriteCapacityUnits: g.ProvisionedThroughput.WriteCapacityUnits,
            }
          : undefined,
    }));
  if (gsis && gsis.length > 0) {
    d.GlobalSecondaryIndexes = gsis.map((g) => {
      const ks = copyKeySchema(g.KeySchema);
      requireDefined(ks);
      checkProjection(g.Projection ?? {});
      let gpt = billing === 'PROVISIONED' ? (g.ProvisionedThroughput ?? pt) : undefined;
      if (billing === 'PAY_PER_REQUEST' && o.GlobalSecondaryIndexOverride && g.ProvisionedThroughput) {
        throw invalidParameter(
          `ProvisionedThroughput should not be specified for index: ${g.IndexName} when BillingMode is PAY_PER_REQUEST`,
        );
      }
      if (billing !== 'PROVISIONED') gpt = undefined;
      return {
        IndexName: g.IndexName,
        KeySchema: ks,
        Projection: normalizeProjection(g.Projection ?? {}),
        IndexStatus: delayed ? 'CREATING' : 'ACTIVE',
        ProvisionedThroughput: describeThroughput(gpt),
        IndexSizeBytes: 0,
        ItemCount: 0,
        IndexArn: `${arn}/index/${g.IndexName}`,
      };
    });
  }
  const names = new Set<string>();
  for (const ix of [...(d.LocalSecondaryIndexes ?? []), ...(d.GlobalSecondaryIndexes ?? [])]) {
    if (names.has(ix.IndexName!)) throw invalidParameter(`Duplicate index name: ${ix.IndexName}`);
    names.add(ix.IndexName!);
  }
  d.AttributeDefinitions = defs
    .filter((x) => used.has(x.AttributeName!))
    .map((x) => ({ AttributeName: x.AttributeName, AttributeType: x.AttributeType }));

  const sse = o.SSESpecificationOverride;
  if (sse) {
    if (sse.Enabled) {
      d.SSEDescription = {
        Status: 'ENABLED',
        SSEType: 'KMS',
        KMSMasterKeyArn: sse.KMSMasterKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/sortkey-local`,
      };
    }
  } else if (source.SSEDescription && source.SSEDescription.Status !== 'DISABLED') {
    d.SSEDescription = { ...source.SSEDescription };
  }
  if (source.TableClassSummary?.TableClass)
    d.TableClassSummary = { TableClass: source.TableClassSummary.TableClass };
  if (o.OnDemandThroughputOverride && billing === 'PAY_PER_REQUEST')
    d.OnDemandThroughput = { ...o.OnDemandThroughputOverride };
  d.DeletionProtectionEnabled = false;
  d.RestoreSummary = { ...summary, RestoreInProgress: false };
  return d;
}

/** Where a restore's rows come from: an item-shaped table, plus a PITR log replayed up to a time. */
export interface RestoreSource {
  readonly table: string;
  readonly pitr?: { readonly id: number; readonly atMs: number };
}

/**
 * Creates the restored table from `description` (CREATING), and starts the job that copies the
 * rows of `source` into it and builds its indexes; returns what CreateTable would describe.
 */
export function createRestoredTable(
  ctx: EngineContext,
  description: TableDescription,
  source: RestoreSource,
): TableDescription {
  const name = description.TableName!;
  if (ctx.catalog.get(name)) throw tableAlreadyExists(name);
  const creating: TableDescription = {
    ...description,
    TableStatus: 'CREATING',
    RestoreSummary: { ...description.RestoreSummary!, RestoreInProgress: true },
    ...(description.GlobalSecondaryIndexes
      ? {
          GlobalSecondaryIndexes: description.GlobalSecondaryIndexes.map((g) => ({
            ...g,
            IndexStatus: 'CREATING' as const,
          })),
        }
      : {}),
  };
  const delayed = ctx.transientStatusMs > 0;
  const { table, key } = ctx.db.transaction(() => {
    const t = ctx.catalog.create(creating, []);
    // Log entries written after this moment are not the restore's (a write in the same millisecond).
    const maxSeq = source.pitr
      ? (ctx.db.sqlite.prepare('SELECT coalesce(max(seq), 0) FROM sk_pitr_log').pluck().get() as number)
      : 0;
    const key = jobKey('fill', `table-${t.id}`);
    ctx.jobs.begin(key, {
      kind: 'fill',
      purpose: 'restore',
      owner: t.id,
      source: source.table,
      target: t.sqlName,
      pitrId: source.pitr?.id ?? null,
      at: source.pitr?.atMs ?? 0,
      maxSeq,
      dropPitr: false,
      phase: 'copy',
      after: null,
      afterSeq: 0,
    });
    return { table: t, key };
  });
  if (delayed) ctx.pending.set(ctx.tableKey(name), ctx.now() + ctx.transientStatusMs);
  ctx.jobs.runNow(key);
  const out = describeTableNow(ctx, table);
  if (delayed && out.RestoreSummary) out.RestoreSummary = { ...out.RestoreSummary, RestoreInProgress: true };
  return out;
}
