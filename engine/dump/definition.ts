// Table definitions in dumps: what CreateTable needs to make the table again (keys, indexes, billing,
// streams, encryption, class, deletion protection, tags) plus TTL and point-in-time recovery, taken
// from a DescribeTable answer.
import { toKeySchema, toProjection } from '../tables/catalog.js';
import type { KeySchema } from '../tables/schema.js';
import { Index, Table } from '../tables/table.js';
import type { TableDescription } from '../tables/table.js';
import type { KeyType, Sdk, Wire } from '../types.js';
import type { KeySpec, TableDefinition } from './types.js';

type CreateTableInput = Wire<Sdk.CreateTableInput>;

/** Parses `name:S` (type S, N or B; S when omitted). */
export function parseKeySpec(text: string): KeySpec {
  const at = text.lastIndexOf(':');
  const name = at < 0 ? text : text.slice(0, at);
  const type = (at < 0 ? 'S' : text.slice(at + 1).toUpperCase()) as KeyType;
  if (!name)
    throw new Error(`a key needs a name: ${JSON.stringify(text)} (expected name:S, name:N or name:B)`);
  if (type !== 'S' && type !== 'N' && type !== 'B') {
    throw new Error(`a key's type is S, N or B: ${JSON.stringify(text)}`);
  }
  return { name, type };
}

/** A pay-per-request table with the given keys. */
export function definitionFromKeys(table: string, partition: KeySpec, sort?: KeySpec): TableDefinition {
  const defs: Wire<Sdk.AttributeDefinition>[] = [
    { AttributeName: partition.name, AttributeType: partition.type },
  ];
  const schema: Wire<Sdk.KeySchemaElement>[] = [{ AttributeName: partition.name, KeyType: 'HASH' }];
  if (sort) {
    defs.push({ AttributeName: sort.name, AttributeType: sort.type });
    schema.push({ AttributeName: sort.name, KeyType: 'RANGE' });
  }
  return {
    create: {
      TableName: table,
      AttributeDefinitions: defs,
      KeySchema: schema,
      BillingMode: 'PAY_PER_REQUEST',
    },
  };
}

type Throughput = { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined;

function throughput(pt: Throughput): { ReadCapacityUnits: number; WriteCapacityUnits: number } {
  return {
    ReadCapacityUnits: Math.max(1, pt?.ReadCapacityUnits ?? 1),
    WriteCapacityUnits: Math.max(1, pt?.WriteCapacityUnits ?? 1),
  };
}

/** CreateTable's input that makes a table like the described one. */
export function createInputFromDescription(
  d: TableDescription,
  tags: readonly { Key: string; Value: string }[] = [],
): CreateTableInput {
  const billing = d.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const provisioned = billing === 'PROVISIONED';
  const input: CreateTableInput = {
    TableName: d.TableName,
    AttributeDefinitions: (d.AttributeDefinitions ?? []).map((a) => ({
      AttributeName: a.AttributeName,
      AttributeType: a.AttributeType,
    })),
    KeySchema: (d.KeySchema ?? []).map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    BillingMode: billing,
  };
  if (provisioned) input.ProvisionedThroughput = throughput(d.ProvisionedThroughput);
  if (d.LocalSecondaryIndexes?.length) {
    input.LocalSecondaryIndexes = d.LocalSecondaryIndexes.map((l) => ({
      IndexName: l.IndexName,
      KeySchema: (l.KeySchema ?? []).map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
      Projection: projection(l.Projection),
    }));
  }
  if (d.GlobalSecondaryIndexes?.length) {
    input.GlobalSecondaryIndexes = d.GlobalSecondaryIndexes.map((g) => ({
      IndexName: g.IndexName,
      KeySchema: (g.KeySchema ?? []).map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
      Projection: projection(g.Projection),
      ...(provisioned ? { ProvisionedThroughput: throughput(g.ProvisionedThroughput) } : {}),
    }));
  }
  if (d.StreamSpecification?.StreamEnabled) {
    input.StreamSpecification = { StreamEnabled: true, StreamViewType: d.StreamSpecification.StreamViewType };
  }
  if (d.SSEDescription && (d.SSEDescription.Status === 'ENABLED' || d.SSEDescription.Status === 'ENABLING')) {
    input.SSESpecification = {
      Enabled: true,
      SSEType: 'KMS',
      ...(d.SSEDescription.KMSMasterKeyArn ? { KMSMasterKeyId: d.SSEDescription.KMSMasterKeyArn } : {}),
    };
  }
  if (d.TableClassSummary?.TableClass) input.TableClass = d.TableClassSummary.TableClass;
  if (d.DeletionProtectionEnabled) input.DeletionProtectionEnabled = true;
  if (tags.length > 0) input.Tags = tags.map((t) => ({ Key: t.Key, Value: t.Value }));
  return input;
}

function projection(p: Wire<Sdk.Projection> | undefined): Wire<Sdk.Projection> {
  const out: Wire<Sdk.Projection> = { ProjectionType: p?.ProjectionType ?? 'ALL' };
  if (p?.NonKeyAttributes?.length) out.NonKeyAttributes = [...p.NonKeyAttributes];
  return out;
}

export function keySchemaOf(create: CreateTableInput): KeySchema {
  return toKeySchema(create.KeySchema ?? [], create.AttributeDefinitions ?? []);
}

/**
 * A Table object for a definition that is not (yet) in the catalog: enough to validate items against
 * its keys and index keys before the table exists.
 */
export function scratchTable(create: CreateTableInput): Table {
  const defs = create.AttributeDefinitions ?? [];
  const description = { ...create } as unknown as TableDescription;
  const table = new Table(0, create.TableName!, toKeySchema(create.KeySchema ?? [], defs), description, []);
  for (const l of create.LocalSecondaryIndexes ?? []) {
    table.indexes.set(
      l.IndexName!,
      new Index(
        table,
        l.IndexName!,
        'LSI',
        toKeySchema(l.KeySchema ?? [], defs),
        toProjection(l.Projection),
        'scratch',
      ),
    );
  }
  for (const g of create.GlobalSecondaryIndexes ?? []) {
    table.indexes.set(
      g.IndexName!,
      new Index(
        table,
        g.IndexName!,
        'GSI',
        toKeySchema(g.KeySchema ?? [], defs),
        toProjection(g.Projection),
        'scratch',
      ),
    );
  }
  return table;
}

/** True when two key schemas name the same attributes with the same types in the same roles. */
export function sameKeySchema(a: KeySchema, b: KeySchema): boolean {
  const same = (x: KeySchema['partition'], y: KeySchema['partition']) =>
    x.length === y.length && x.every((e, i) => e.name === y[i]!.name && e.type === y[i]!.type);
  return same(a.partition, b.partition) && same(a.sort, b.sort);
}

export function describeKeySchema(k: KeySchema): string {
  const parts = k.partition.map((a) => `${a.name}:${a.type} (partition)`);
  for (const a of k.sort) parts.push(`${a.name}:${a.type} (sort)`);
  return parts.join(', ');
}
