// UpdateTable: billing mode, throughput, table class, deletion protection, streams, and GSI
// creation (with backfill), throughput updates and deletion.
import type { EngineContext } from '../context.js';
import { resourceInUse } from '../context.js';
import { ConstraintErrors, DynamoError, invalidParameter, validation } from '../errors.js';
import type { TableDescription } from '../tables/table.js';
import { Index } from '../tables/table.js';
import { toKeySchema, toProjection } from '../tables/catalog.js';
import { BACKFILL_SYNC_CHUNKS } from '../tables/backfill.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, checkEnum, checkName, checkRequiredTableName, tableNameOf } from './common.js';
import {
  checkKeySchemaConstraints,
  checkKeySchemaOrder,
  checkProjection,
  checkProjectionConstraints,
  checkThroughputConstraints,
  describeThroughput,
  MAX_GSIS,
  normalizeProjection,
} from './createTable.js';
import { describeTableNow } from './describeTable.js';
import { STREAM_VIEW_TYPES } from './common.js';
import {
  checkStreamChange,
  registerIndexWriteScaling,
  updateReplicas,
  writeAutoScalingRefusal,
} from '../replication/replicas.js';
import { namespaceOf, tableIn } from '../replication/group.js';
import { replicaRegions } from '../replication/service.js';

type ThroughputDescription = Wire<Sdk.ProvisionedThroughputDescription>;

function changeThroughput(
  current: ThroughputDescription | undefined,
  requested: Wire<Sdk.ProvisionedThroughput>,
  nowSeconds: number,
  what: string,
): ThroughputDescription {
  const curR = current?.ReadCapacityUnits ?? 0;
  const curW = current?.WriteCapacityUnits ?? 0;
  const newR = requested.ReadCapacityUnits!;
  const newW = requested.WriteCapacityUnits!;
  if (curR === newR && curW === newW) {
    throw validation(
      `The provisioned throughput for the ${what} will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the ${what}: ${curR}. Requested ReadCapacityUnits: ${newR}. Current WriteCapacityUnits provisioned for the ${what}: ${curW}. Requested WriteCapacityUnits: ${newW}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
    );
  }
  const out: ThroughputDescription = { ...current, ReadCapacityUnits: newR, WriteCapacityUnits: newW };
  if (newR > curR || newW > curW) out.LastIncreaseDateTime = nowSeconds;
  if (newR < curR || newW < curW) {
    out.LastDecreaseDateTime = nowSeconds;
    out.NumberOfDecreasesToday = (current?.NumberOfDecreasesToday ?? 0) + 1;
  }
  return out;
}

/** UpdateTable's members that change a table, as its "At least one of …" message names them. */
const UPDATE_MEMBERS: readonly (readonly [name: string, key: string])[] = [
  ['ProvisionedThroughput', 'ProvisionedThroughput'],
  ['BillingMode', 'BillingMode'],
  ['UpdateStreamEnabled', 'StreamSpecification'],
  ['GlobalSecondaryIndexUpdates', 'GlobalSecondaryIndexUpdates'],
  ['SSESpecification', 'SSESpecification'],
  ['ReplicaUpdates', 'ReplicaUpdates'],
  ['MultiAccountReplicaReady', 'MultiAccountReplicaReady'],
  ['ReplicaTransitRoleArn', 'ReplicaTransitRoleArn'],
  ['MultiRegionConsistency', 'MultiRegionConsistency'],
  ['DeletionProtectionEnabled', 'DeletionProtectionEnabled'],
  ['OnDemandThroughput', 'OnDemandThroughput'],
  ['WarmThroughput', 'WarmThroughput'],
  ['TableClass', 'TableClass'],
];

function nothingToUpdate(present: readonly (readonly [string, string])[]): Error {
  const names = UPDATE_MEMBERS.filter((m) => !present.includes(m)).map(([name]) => name);
  const list = `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return validation(`At least one of ${list} is required`);
}

export function updateTable(
  ctx: EngineContext,
  input: Wire<Sdk.UpdateTableInput>,
): Wire<Sdk.UpdateTableOutput> {
  return updateOneTable(ctx, input, true);
}

/**
 * UpdateTable on the table of the current namespace. With `toReplicas`, a GSI created or deleted on
 * a global table is created or deleted on its other replicas too, as DynamoDB does.
 */
function updateOneTable(
  ctx: EngineContext,
  input: Wire<Sdk.UpdateTableInput>,
  toReplicas: boolean,
): Wire<Sdk.UpdateTableOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequiredTableName(c, raw.TableName);
  checkEnum(c, raw.BillingMode, 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST']);
  checkEnum(c, raw.TableClass, 'tableClass', ['STANDARD', 'STANDARD_INFREQUENT_ACCESS']);
  checkEnum(
    c,
    asRecord(raw.StreamSpecification).StreamViewType,
    'streamSpecification.streamViewType',
    STREAM_VIEW_TYPES,
  );
  checkThroughputConstraints(c, raw.ProvisionedThroughput, 'provisionedThroughput');
  const gsiUpdates = Array.isArray(raw.GlobalSecondaryIndexUpdates)
    ? (raw.GlobalSecondaryIndexUpdates as Wire<Sdk.GlobalSecondaryIndexUpdate>[])
    : undefined;
  gsiUpdates?.forEach((u, i) => {
    const path = `globalSecondaryIndexUpdates.${i + 1}.member`;
    if (u?.Create) {
      checkName(c, u.Create.IndexName, `${path}.create.indexName`);
      checkKeySchemaConstraints(c, u.Create.KeySchema, `${path}.create.keySchema`, 8);
      checkProjectionConstraints(c, u.Create.Projection, `${path}.create.projection`);
      checkThroughputConstraints(c, u.Create.ProvisionedThroughput, `${path}.create.provisionedThroughput`);
    }
    if (u?.Update) {
      checkName(c, u.Update.IndexName, `${path}.update.indexName`);
      checkThroughputConstraints(c, u.Update.ProvisionedThroughput, `${path}.update.provisionedThroughput`);
    }
    if (u?.Delete) checkName(c, u.Delete.IndexName, `${path}.delete.indexName`);
  });
  c.throwIfAny();

  // At least one member that changes something; the message lists those the request lacks.
  const present = UPDATE_MEMBERS.filter(([, key]) => raw[key] !== undefined && raw[key] !== null);
  if (present.length === 0) throw nothingToUpdate(present);
  // MultiRegionConsistency alone changes nothing: DynamoDB answers the generic message (observed).
  if (present.length === 1 && present[0]![1] === 'MultiRegionConsistency') throw nothingToUpdate([]);
  if (gsiUpdates) {
    for (const u of gsiUpdates) {
      const n = (u?.Create ? 1 : 0) + (u?.Update ? 1 : 0) + (u?.Delete ? 1 : 0);
      if (n !== 1) {
        throw invalidParameter(
          'One of GlobalSecondaryIndexUpdate.Create, Update, or Delete must be specified',
        );
      }
    }
    if (gsiUpdates.filter((u) => u.Create || u.Delete).length > 1) {
      throw new DynamoError(
        'LimitExceededException',
        'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
      );
    }
  }

  const name = tableNameOf(input.TableName!);
  const table = ctx.catalog.get(name);
  if (!table)
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${name} not found`,
    );
  ctx.settle(table);
  if (table.status !== 'ACTIVE') {
    throw resourceInUse(
      `Attempt to change a resource which is still in use: Table is being updated: ${name}`,
    );
  }

  if (Array.isArray(raw.ReplicaUpdates)) {
    const others = present
      .map(([, key]) => key)
      .filter((key) => key !== 'ReplicaUpdates' && key !== 'MultiRegionConsistency');
    updateReplicas(
      ctx,
      table,
      raw.ReplicaUpdates as Wire<Sdk.ReplicationGroupUpdate>[],
      others,
      input.MultiRegionConsistency,
    );
    return { TableDescription: describeTableNow(ctx, table) };
  }

  // A GSI change reaches every replica: each must be able to take it (ACTIVE, not being updated).
  const replicas = toReplicas && gsiUpdates?.some((u) => u.Create || u.Delete) ? replicaRegions(table) : [];
  for (const region of replicas) {
    const replica = tableIn(ctx, table, region);
    if (replica) ctx.settle(replica);
    if (!replica || replica.status !== 'ACTIVE' || ctx.backfills.pending(replica).size > 0) {
      throw resourceInUse(
        `Attempt to change a resource which is still in use: Table is being updated: ${name}`,
      );
    }
  }

  const nowSeconds = ctx.now() / 1000;
  const d: TableDescription = structuredClone(table.description);
  const currentBilling = d.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const billing = input.BillingMode ?? currentBilling;
  // Asking for the billing mode the table already has, and nothing else, changes nothing.
  if (present.length === 1 && present[0]![1] === 'BillingMode' && input.BillingMode === currentBilling)
    throw nothingToUpdate(present);
  const delayed = ctx.transientStatusMs > 0;

  // A global table is on demand or provisioned with write auto scaling. Switched from on demand it
  // has no policy (PutScalingPolicy takes provisioned tables only), unless one was left from before
  // (the text is the one ReplicaUpdates answers; guess: DynamoDB's for a switch is not documented).
  if (
    input.BillingMode === 'PROVISIONED' &&
    currentBilling !== 'PROVISIONED' &&
    replicaRegions(table).length > 0
  ) {
    const refusal = writeAutoScalingRefusal(ctx, table, 'PROVISIONED');
    if (refusal !== undefined) throw validation(refusal);
  }
  if (input.BillingMode && input.BillingMode !== currentBilling) {
    d.BillingModeSummary = { BillingMode: input.BillingMode };
    if (input.BillingMode === 'PAY_PER_REQUEST') {
      d.BillingModeSummary.LastUpdateToPayPerRequestDateTime = nowSeconds;
      d.ProvisionedThroughput = { ...d.ProvisionedThroughput, ReadCapacityUnits: 0, WriteCapacityUnits: 0 };
      d.GlobalSecondaryIndexes = d.GlobalSecondaryIndexes?.map((g) => ({
        ...g,
        ProvisionedThroughput: { ...g.ProvisionedThroughput, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      }));
    } else if (!input.ProvisionedThroughput) {
      throw invalidParameter('ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
    }
  }
  if (input.ProvisionedThroughput) {
    if (billing === 'PAY_PER_REQUEST') {
      throw invalidParameter(
        'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      );
    }
    d.ProvisionedThroughput = changeThroughput(
      d.ProvisionedThroughput,
      input.ProvisionedThroughput,
      nowSeconds,
      'table',
    );
  }
  if (input.TableClass)
    d.TableClassSummary = { TableClass: input.TableClass, LastUpdateDateTime: nowSeconds };
  if (input.DeletionProtectionEnabled !== undefined)
    d.DeletionProtectionEnabled = input.DeletionProtectionEnabled;
  if (input.SSESpecification) {
    d.SSEDescription = input.SSESpecification.Enabled
      ? {
          Status: 'ENABLED',
          SSEType: 'KMS',
          KMSMasterKeyArn:
            input.SSESpecification.KMSMasterKeyId ??
            `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/sortkey-local`,
        }
      : { Status: 'DISABLED' };
  }
  if (input.StreamSpecification) {
    const s = input.StreamSpecification;
    const enabled = d.StreamSpecification?.StreamEnabled === true;
    if (s.StreamEnabled) {
      if (!s.StreamViewType)
        throw invalidParameter('If stream is being enabled then UpdateViewType is required');
      if (enabled) throw validation(`Table already has an enabled stream: TableName: ${d.TableName}`);
      const label = new Date(ctx.now()).toISOString().replace('Z', '');
      d.StreamSpecification = { StreamEnabled: true, StreamViewType: s.StreamViewType };
      d.LatestStreamLabel = label;
      d.LatestStreamArn = `${d.TableArn}/stream/${label}`;
    } else {
      if (s.StreamViewType)
        throw invalidParameter('If stream is being disabled, then UpdateViewType must not be specified');
      if (!enabled) throw validation(`Table has no stream to disable: TableName: ${d.TableName}`);
      checkStreamChange(table, true);
      // DynamoDB's description drops StreamSpecification once the stream is off; LatestStreamArn and
      // LatestStreamLabel stay, naming the closed stream.
      delete d.StreamSpecification;
    }
  }

  // AttributeDefinitions of a new GSI's keys join the table's.
  if (input.AttributeDefinitions) {
    const defs = [...(d.AttributeDefinitions ?? [])];
    for (const def of input.AttributeDefinitions) {
      const existing = defs.find((x) => x.AttributeName === def.AttributeName);
      if (existing && existing.AttributeType !== def.AttributeType) {
        throw invalidParameter(
          `Cannot change the type of an existing attribute: ${def.AttributeName} (${existing.AttributeType} to ${def.AttributeType})`,
        );
      }
      if (!existing) defs.push({ AttributeName: def.AttributeName, AttributeType: def.AttributeType });
    }
    d.AttributeDefinitions = defs;
  }

  let created: Wire<Sdk.GlobalSecondaryIndexDescription> | undefined;
  let deletedName: string | undefined;
  for (const u of gsiUpdates ?? []) {
    if (u.Create) {
      const g = u.Create;
      const all = [...(d.GlobalSecondaryIndexes ?? []), ...(d.LocalSecondaryIndexes ?? [])];
      if (all.some((x) => x.IndexName === g.IndexName)) {
        throw invalidParameter(`Index with name ${g.IndexName} already exists`);
      }
      if ((d.GlobalSecondaryIndexes?.length ?? 0) >= MAX_GSIS) {
        throw new DynamoError(
          'LimitExceededException',
          `Subscriber limit exceeded: The number of global secondary indexes for this table exceeds the limit of ${MAX_GSIS}`,
        );
      }
      checkKeySchemaOrder(g.KeySchema!, true);
      const defNames = new Set((d.AttributeDefinitions ?? []).map((x) => x.AttributeName));
      const missing = g.KeySchema!.map((k) => k.AttributeName!).filter((n) => !defNames.has(n));
      if (missing.length) {
        throw invalidParameter(
          `Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(', ')}], AttributeDefinitions: [${[...defNames].join(', ')}]`,
        );
      }
      checkProjection(g.Projection!);
      if (billing === 'PROVISIONED' && !g.ProvisionedThroughput) {
        throw invalidParameter(`ProvisionedThroughput must be specified for index: ${g.IndexName}`);
      }
      created = {
        IndexName: g.IndexName,
        KeySchema: g.KeySchema!.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
        Projection: normalizeProjection(g.Projection!),
        // The backfill (engine/tables/backfill.ts) makes it ACTIVE once every item is indexed.
        IndexStatus: 'CREATING',
        ProvisionedThroughput: describeThroughput(g.ProvisionedThroughput),
        IndexSizeBytes: 0,
        ItemCount: 0,
        IndexArn: `${d.TableArn}/index/${g.IndexName}`,
        Backfilling: true,
      };
      d.GlobalSecondaryIndexes = [...(d.GlobalSecondaryIndexes ?? []), created];
    } else if (u.Update) {
      const list = d.GlobalSecondaryIndexes ?? [];
      const at = list.findIndex((x) => x.IndexName === u.Update!.IndexName);
      if (at < 0) {
        throw new DynamoError(
          'ResourceNotFoundException',
          `Requested resource not found: Index: ${u.Update.IndexName} not found`,
        );
      }
      if (billing === 'PAY_PER_REQUEST') {
        throw invalidParameter(
          'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
        );
      }
      list[at] = {
        ...list[at],
        ProvisionedThroughput: changeThroughput(
          list[at]!.ProvisionedThroughput,
          u.Update.ProvisionedThroughput!,
          nowSeconds,
          'index',
        ),
      };
    } else if (u.Delete) {
      const list = d.GlobalSecondaryIndexes ?? [];
      if (!list.some((x) => x.IndexName === u.Delete!.IndexName)) {
        throw new DynamoError(
          'ResourceNotFoundException',
          `Requested resource not found: Index: ${u.Delete.IndexName} not found`,
        );
      }
      deletedName = u.Delete.IndexName;
      d.GlobalSecondaryIndexes = list.filter((x) => x.IndexName !== deletedName);
      if (d.GlobalSecondaryIndexes.length === 0) delete d.GlobalSecondaryIndexes;
    }
  }

  // Attribute definitions no index uses any more are dropped, as DynamoDB does.
  const usedNames = new Set<string>();
  for (const k of d.KeySchema ?? []) usedNames.add(k.AttributeName!);
  for (const ix of [...(d.GlobalSecondaryIndexes ?? []), ...(d.LocalSecondaryIndexes ?? [])]) {
    for (const k of ix.KeySchema ?? []) usedNames.add(k.AttributeName!);
  }
  d.AttributeDefinitions = (d.AttributeDefinitions ?? []).filter((x) => usedNames.has(x.AttributeName!));
  const transient =
    delayed && Boolean(created || deletedName || input.ProvisionedThroughput || input.BillingMode);
  if (transient) d.TableStatus = 'UPDATING';

  ctx.db.transaction(() => {
    const deleted = deletedName ? table.indexes.get(deletedName) : undefined;
    table.description = d;
    if (deleted) ctx.catalog.dropIndexStorage(deleted);
    if (created) {
      const index = new Index(
        table,
        created.IndexName!,
        'GSI',
        toKeySchema(created.KeySchema!, d.AttributeDefinitions!),
        toProjection(created.Projection),
        `i${table.id}_${created.IndexName}`,
      );
      table.indexes.set(index.name, index);
      ctx.catalog.createIndexStorage(index);
      ctx.backfills.begin(table, index);
      registerIndexWriteScaling(ctx, table, index.name);
    }
    ctx.catalog.attachIndexes(table);
    ctx.catalog.save(table);
  });
  if (transient) ctx.pending.set(ctx.tableKey(name), ctx.now() + ctx.transientStatusMs);
  // A small table's index is built before the answer (ACTIVE at once, as before); a larger one's
  // goes on in chunks from a timer, and DescribeTable shows CREATING/Backfilling until it is done.
  if (created) ctx.backfills.runNow(BACKFILL_SYNC_CHUNKS);
  for (const region of replicas) {
    ctx.inNamespace(namespaceOf(table, region), () =>
      updateOneTable(
        ctx,
        {
          TableName: name,
          ...(input.AttributeDefinitions ? { AttributeDefinitions: input.AttributeDefinitions } : {}),
          GlobalSecondaryIndexUpdates: gsiUpdates!.filter((u) => u.Create || u.Delete),
        },
        false,
      ),
    );
  }
  return { TableDescription: describeTableNow(ctx, table) };
}
