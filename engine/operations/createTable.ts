// CreateTable: validates the key schema, attribute definitions and index definitions as DynamoDB
// does, then creates the table's storage and catalog entry in one transaction.
import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context.js';
import { resourceInUse } from '../context.js';
import { ConstraintErrors, invalidParameter, validation } from '../errors.js';
import type { TableDescription } from '../tables/table.js';
import type { Sdk, Wire } from '../types.js';
import {
  asRecord,
  checkEnum,
  checkLength,
  checkList,
  checkName,
  checkRange,
  checkRequired,
  checkRequiredTableName,
} from './common.js';
import { describeTableNow } from './describeTable.js';
import { checkTags } from './tagRules.js';
import { STREAM_VIEW_TYPES } from './common.js';

type KeySchemaElement = Wire<Sdk.KeySchemaElement>;
type Projection = Wire<Sdk.Projection>;
type ProvisionedThroughput = Wire<Sdk.ProvisionedThroughput>;

export const MAX_GSIS = 20;
export const MAX_LSIS = 5;
export const MAX_PROJECTED_ATTRIBUTES = 100;

export function checkThroughputConstraints(c: ConstraintErrors, pt: unknown, path: string): void {
  if (pt === undefined || pt === null) return;
  const p = asRecord(pt);
  checkRequired(c, p.ReadCapacityUnits, `${path}.readCapacityUnits`);
  checkRequired(c, p.WriteCapacityUnits, `${path}.writeCapacityUnits`);
  checkRange(c, p.ReadCapacityUnits, `${path}.readCapacityUnits`, 1);
  checkRange(c, p.WriteCapacityUnits, `${path}.writeCapacityUnits`, 1);
}

/** `KeySchemaElement(attributeName=pk, keyType=HASH)`: one element as DynamoDB echoes it. */
function keySchemaElementText(e: unknown): string {
  const el = asRecord(e);
  const text = (v: unknown) =>
    v === undefined || v === null ? 'null' : typeof v === 'string' ? v : JSON.stringify(v);
  return `KeySchemaElement(attributeName=${text(el.AttributeName)}, keyType=${text(el.KeyType)})`;
}

export function checkKeySchemaConstraints(c: ConstraintErrors, ks: unknown, path: string, max: number): void {
  checkRequired(c, ks, path);
  if (!Array.isArray(ks)) return;
  checkList(c, ks, path);
  // The list is echoed as the server's Java toString renders it (error-messages.md §3).
  const echo = () => `[${ks.map(keySchemaElementText).join(', ')}]`;
  if (ks.length < 1)
    c.addText(
      `Value '[]' at '${path}' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
  if (ks.length > max)
    c.addText(
      `Value '${echo()}' at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  ks.forEach((e, i) => {
    const el = asRecord(e);
    checkRequired(c, el.AttributeName, `${path}.${i + 1}.member.attributeName`);
    checkLength(c, el.AttributeName, `${path}.${i + 1}.member.attributeName`, 1, 255);
    checkRequired(c, el.KeyType, `${path}.${i + 1}.member.keyType`);
    checkEnum(c, el.KeyType, `${path}.${i + 1}.member.keyType`, ['HASH', 'RANGE']);
  });
}

export function checkProjectionConstraints(c: ConstraintErrors, p: unknown, path: string): void {
  checkRequired(c, p, path);
  if (p === undefined || p === null) return;
  const proj = asRecord(p);
  checkEnum(c, proj.ProjectionType, `${path}.projectionType`, ['ALL', 'INCLUDE', 'KEYS_ONLY']);
  checkList(c, proj.NonKeyAttributes, `${path}.nonKeyAttributes`, 1, 20);
}

/** Semantic checks of a table or GSI key schema: HASH elements first, then RANGE elements. */
export function checkKeySchemaOrder(ks: KeySchemaElement[], isGsi: boolean): void {
  if (ks[0]?.KeyType !== 'HASH')
    throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (!isGsi) {
    if (ks.length === 2 && ks[1]!.KeyType !== 'RANGE') {
      throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
    }
    if (ks.length === 2 && ks[0]!.AttributeName === ks[1]!.AttributeName) {
      throw validation(
        'Invalid KeySchema: Both the Hash Key and the Range Key element in the KeySchema have the same name',
      );
    }
    return;
  }
  // Multi-attribute GSI keys: up to four HASH then up to four RANGE elements, each attribute once.
  let seenRange = false;
  let hashes = 0;
  let ranges = 0;
  const names = new Set<string>();
  for (const e of ks) {
    if (e.KeyType === 'RANGE') {
      seenRange = true;
      ranges++;
    } else {
      if (seenRange) throw validation('Invalid KeySchema: HASH key elements must precede RANGE key elements');
      hashes++;
    }
    if (names.has(e.AttributeName!)) {
      throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
    }
    names.add(e.AttributeName!);
  }
  if (hashes > 4) throw validation('Invalid KeySchema: A KeySchema can have at most 4 HASH key elements');
  if (ranges > 4) throw validation('Invalid KeySchema: A KeySchema can have at most 4 RANGE key elements');
}

export function checkProjection(p: Projection): number {
  const type = p.ProjectionType ?? 'ALL';
  const nonKey = p.NonKeyAttributes;
  if (type === 'INCLUDE' && (!nonKey || nonKey.length === 0)) {
    throw invalidParameter('ProjectionType is INCLUDE, but NonKeyAttributes is not specified');
  }
  if (type !== 'INCLUDE' && nonKey && nonKey.length > 0) {
    throw invalidParameter('NonKeyAttributes can only be specified with ProjectionType INCLUDE');
  }
  const seen = new Set<string>();
  for (const name of nonKey ?? []) {
    if (seen.has(name)) throw invalidParameter(`Duplicate element in NonKeyAttributes: ${name}`);
    seen.add(name);
  }
  return nonKey?.length ?? 0;
}

function describeThroughput(
  pt: ProvisionedThroughput | undefined,
): Wire<Sdk.ProvisionedThroughputDescription> {
  return {
    NumberOfDecreasesToday: 0,
    ReadCapacityUnits: pt?.ReadCapacityUnits ?? 0,
    WriteCapacityUnits: pt?.WriteCapacityUnits ?? 0,
  };
}

export { describeThroughput };

export function createTable(
  ctx: EngineContext,
  input: Wire<Sdk.CreateTableInput>,
): Wire<Sdk.CreateTableOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequiredTableName(c, raw.TableName);
  checkRequired(c, raw.AttributeDefinitions, 'attributeDefinitions');
  checkList(c, raw.AttributeDefinitions, 'attributeDefinitions');
  checkKeySchemaConstraints(c, raw.KeySchema, 'keySchema', 2);
  if (Array.isArray(raw.AttributeDefinitions)) {
    raw.AttributeDefinitions.forEach((d, i) => {
      const def = asRecord(d);
      checkRequired(c, def.AttributeName, `attributeDefinitions.${i + 1}.member.attributeName`);
      checkRequired(c, def.AttributeType, `attributeDefinitions.${i + 1}.member.attributeType`);
      checkEnum(c, def.AttributeType, `attributeDefinitions.${i + 1}.member.attributeType`, ['B', 'N', 'S']);
    });
  }
  checkEnum(c, raw.BillingMode, 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST']);
  checkEnum(c, raw.TableClass, 'tableClass', ['STANDARD', 'STANDARD_INFREQUENT_ACCESS']);
  checkEnum(
    c,
    asRecord(raw.StreamSpecification).StreamViewType,
    'streamSpecification.streamViewType',
    STREAM_VIEW_TYPES,
  );
  checkThroughputConstraints(c, raw.ProvisionedThroughput, 'provisionedThroughput');
  const lsis = (Array.isArray(raw.LocalSecondaryIndexes) ? raw.LocalSecondaryIndexes : undefined) as
    Wire<Sdk.LocalSecondaryIndex>[] | undefined;
  const gsis = (Array.isArray(raw.GlobalSecondaryIndexes) ? raw.GlobalSecondaryIndexes : undefined) as
    Wire<Sdk.GlobalSecondaryIndex>[] | undefined;
  // The GSIs' problems are listed before the LSIs', whatever order the request gives them in.
  gsis?.forEach((g, i) => {
    const path = `globalSecondaryIndexes.${i + 1}.member`;
    checkName(c, g?.IndexName, `${path}.indexName`);
    checkKeySchemaConstraints(c, g?.KeySchema, `${path}.keySchema`, 8);
    checkProjectionConstraints(c, g?.Projection, `${path}.projection`);
    checkThroughputConstraints(c, g?.ProvisionedThroughput, `${path}.provisionedThroughput`);
  });
  lsis?.forEach((l, i) => {
    const path = `localSecondaryIndexes.${i + 1}.member`;
    checkName(c, l?.IndexName, `${path}.indexName`);
    checkKeySchemaConstraints(c, l?.KeySchema, `${path}.keySchema`, 2);
    checkProjectionConstraints(c, l?.Projection, `${path}.projection`);
  });
  c.throwIfAny();
  if (Array.isArray(raw.Tags)) checkTags(raw.Tags as unknown[]);

  const name = input.TableName!;
  const defs = input.AttributeDefinitions!;
  const keySchema = input.KeySchema!;
  const billing = input.BillingMode ?? 'PROVISIONED';
  const pt = input.ProvisionedThroughput;

  if (billing === 'PROVISIONED' && !pt) {
    throw invalidParameter(
      'ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
  }
  if (billing === 'PAY_PER_REQUEST' && pt) {
    throw invalidParameter(
      'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
  }
  const defNames = new Set<string>();
  for (const d of defs) {
    if (defNames.has(d.AttributeName!))
      throw invalidParameter('Cannot have two attributes with the same name');
    defNames.add(d.AttributeName!);
  }
  checkKeySchemaOrder(keySchema, false);

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
  requireDefined(keySchema);

  const tableHash = keySchema[0]!.AttributeName!;
  const tableRange = keySchema[1]?.AttributeName;
  const indexNames = new Set<string>();
  let projected = 0;
  if (lsis) {
    if (lsis.length === 0) throw invalidParameter('List of LocalSecondaryIndexes is empty');
    if (!tableRange) {
      throw invalidParameter(
        'Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
      );
    }
    if (lsis.length > MAX_LSIS)
      throw invalidParameter(`Number of LocalSecondaryIndexes exceeds per-table limit of ${MAX_LSIS}`);
    for (const l of lsis) {
      if (indexNames.has(l.IndexName!)) throw invalidParameter(`Duplicate index name: ${l.IndexName}`);
      indexNames.add(l.IndexName!);
      checkKeySchemaOrder(l.KeySchema!, false);
      requireDefined(l.KeySchema!);
      if (l.KeySchema!.length !== 2) {
        throw invalidParameter(`Index KeySchema does not have a range key for index: ${l.IndexName}`);
      }
      if (l.KeySchema![0]!.AttributeName !== tableHash) {
        throw invalidParameter(
          `Index KeySchema does not have the same leading hash key as table KeySchema for index: ${l.IndexName}. index hash key: ${l.KeySchema![0]!.AttributeName}, table hash key: ${tableHash}`,
        );
      }
      projected += checkProjection(l.Projection!);
    }
  }
  if (gsis) {
    if (gsis.length === 0) throw invalidParameter('List of GlobalSecondaryIndexes is empty');
    if (gsis.length > MAX_GSIS)
      throw invalidParameter(`GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GSIS}`);
    for (const g of gsis) {
      if (indexNames.has(g.IndexName!)) throw invalidParameter(`Duplicate index name: ${g.IndexName}`);
      indexNames.add(g.IndexName!);
      checkKeySchemaOrder(g.KeySchema!, true);
      requireDefined(g.KeySchema!);
      projected += checkProjection(g.Projection!);
      if (billing === 'PROVISIONED' && !g.ProvisionedThroughput) {
        throw invalidParameter(`ProvisionedThroughput must be specified for index: ${g.IndexName}`);
      }
      if (billing === 'PAY_PER_REQUEST' && g.ProvisionedThroughput) {
        throw invalidParameter(
          `ProvisionedThroughput should not be specified for index: ${g.IndexName} when BillingMode is PAY_PER_REQUEST`,
        );
      }
    }
  }
  if (projected > MAX_PROJECTED_ATTRIBUTES) {
    throw invalidParameter(
      `Number of projected attributes in all indexes exceeds limit of ${MAX_PROJECTED_ATTRIBUTES}`,
    );
  }
  if (used.size !== defNames.size) {
    // With an index DynamoDB names the unused definitions; both lists sorted (as its two captured
    // examples are; error-messages.md §6).
    if ((input.GlobalSecondaryIndexes?.length ?? 0) + (input.LocalSecondaryIndexes?.length ?? 0) > 0) {
      throw invalidParameter(
        `Some AttributeDefinitions are not used. AttributeDefinitions: [${[...defNames].sort().join(', ')}], keys used: [${[...used].sort().join(', ')}]`,
      );
    }
    throw invalidParameter(
      'Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  }
  const stream = input.StreamSpecification;
  if (stream?.StreamEnabled && !stream.StreamViewType) {
    throw invalidParameter('Table is being created with a stream enabled, UpdateViewType is required');
  }
  if (stream && !stream.StreamEnabled && stream.StreamViewType) {
    throw invalidParameter(
      'Table is being created with a stream disabled, UpdateViewType should not be specified',
    );
  }

  if (ctx.catalog.get(name)) throw resourceInUse(`Table already exists: ${name}`);

  const now = ctx.now();
  const arn = ctx.tableArn(name);
  const delayed = ctx.transientStatusMs > 0;
  const description: TableDescription = {
    AttributeDefinitions: defs.map((d) => ({
      AttributeName: d.AttributeName,
      AttributeType: d.AttributeType,
    })),
    TableName: name,
    KeySchema: keySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    TableStatus: delayed ? 'CREATING' : 'ACTIVE',
    CreationDateTime: now / 1000,
    ProvisionedThroughput: describeThroughput(pt),
    TableSizeBytes: 0,
    ItemCount: 0,
    TableArn: arn,
    TableId: randomUUID(),
  };
  if (input.BillingMode) {
    description.BillingModeSummary = { BillingMode: billing };
    if (billing === 'PAY_PER_REQUEST')
      description.BillingModeSummary.LastUpdateToPayPerRequestDateTime = now / 1000;
  }
  if (lsis) {
    description.LocalSecondaryIndexes = lsis.map((l) => ({
      IndexName: l.IndexName,
      KeySchema: l.KeySchema!.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
      Projection: normalizeProjection(l.Projection!),
      IndexSizeBytes: 0,
      ItemCount: 0,
      IndexArn: `${arn}/index/${l.IndexName}`,
    }));
  }
  if (gsis) {
    description.GlobalSecondaryIndexes = gsis.map((g) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema!.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
      Projection: normalizeProjection(g.Projection!),
      IndexStatus: delayed ? 'CREATING' : 'ACTIVE',
      ProvisionedThroughput: describeThroughput(g.ProvisionedThroughput),
      IndexSizeBytes: 0,
      ItemCount: 0,
      IndexArn: `${arn}/index/${g.IndexName}`,
    }));
  }
  if (stream?.StreamEnabled) {
    const label = new Date(now).toISOString().replace('Z', '');
    description.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.StreamViewType };
    description.LatestStreamLabel = label;
    description.LatestStreamArn = `${arn}/stream/${label}`;
  }
  if (input.SSESpecification?.Enabled) {
    description.SSEDescription = {
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn:
        input.SSESpecification.KMSMasterKeyId ??
        `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/sortkey-local`,
    };
  }
  if (input.TableClass) description.TableClassSummary = { TableClass: input.TableClass };
  description.DeletionProtectionEnabled = input.DeletionProtectionEnabled ?? false;

  const table = ctx.db.transaction(() =>
    ctx.catalog.create(
      description,
      (input.Tags ?? []).map((t) => ({ Key: t.Key!, Value: t.Value! })),
    ),
  );
  if (delayed) ctx.pending.set(ctx.tableKey(name), now + ctx.transientStatusMs);
  return { TableDescription: describeTableNow(ctx, table) };
}

function normalizeProjection(p: Projection): Projection {
  const out: Projection = { ProjectionType: p.ProjectionType ?? 'ALL' };
  if (p.NonKeyAttributes) out.NonKeyAttributes = [...p.NonKeyAttributes];
  return out;
}

export { normalizeProjection };
