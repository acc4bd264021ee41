// Table metadata from a local engine or a remote service, in one shape: the description, the key
// schema, and the definition a dump records (CreateTable input, tags, TTL, point-in-time recovery).
import type { Engine } from '../engine.js';
import type { KeySchema } from '../tables/schema.js';
import type { TableDescription } from '../tables/table.js';
import { toKeySchema } from '../tables/catalog.js';
import { createInputFromDescription } from './definition.js';
import { RemoteDynamo } from './remote.js';
import type { TableDefinition } from './types.js';

/** Where dumps are read from or written to: the local engine, or a remote service. */
export type DumpTarget = Engine | RemoteDynamo;

export function isRemote(target: DumpTarget): target is RemoteDynamo {
  return target instanceof RemoteDynamo;
}

export interface TableInfo {
  readonly name: string;
  readonly description: TableDescription;
  readonly key: KeySchema;
  readonly definition: TableDefinition;
}

function tryLocal<T>(engine: Engine, op: string, input: unknown): T | undefined {
  if (!engine.has(op)) return undefined;
  try {
    return engine.execute(op, input) as T;
  } catch {
    return undefined;
  }
}

async function tryRemote<T>(remote: RemoteDynamo, op: string, input: object): Promise<T | undefined> {
  try {
    return await remote.call<T>(op, input);
  } catch {
    return undefined;
  }
}

type TtlOut = { TimeToLiveDescription?: { TimeToLiveStatus?: string; AttributeName?: string } };
type PitrOut = {
  ContinuousBackupsDescription?: { PointInTimeRecoveryDescription?: { PointInTimeRecoveryStatus?: string } };
};

function definitionOf(
  d: TableDescription,
  tags: { Key: string; Value: string }[],
  ttl?: TtlOut,
  pitr?: PitrOut,
): TableDefinition {
  const t = ttl?.TimeToLiveDescription;
  const ttlEnabled = t?.TimeToLiveStatus === 'ENABLED' || t?.TimeToLiveStatus === 'ENABLING';
  const pitrStatus =
    pitr?.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus;
  return {
    create: createInputFromDescription(d, tags),
    ...(ttlEnabled && t?.AttributeName
      ? { timeToLive: { AttributeName: t.AttributeName, Enabled: true } }
      : {}),
    ...(pitrStatus === 'ENABLED' ? { pointInTimeRecovery: true } : {}),
    ...(d.ItemCount !== undefined ? { itemCount: d.ItemCount } : {}),
  };
}

/** The table's description and definition, or undefined when it does not exist. */
export async function tableInfo(target: DumpTarget, name: string): Promise<TableInfo | undefined> {
  if (isRemote(target)) {
    const d = (await target.describeTable(name)) as TableDescription | undefined;
    if (!d) return undefined;
    const tags = d.TableArn ? await target.tags(d.TableArn) : [];
    const ttl = await tryRemote<TtlOut>(target, 'DescribeTimeToLive', { TableName: name });
    const pitr = await tryRemote<PitrOut>(target, 'DescribeContinuousBackups', { TableName: name });
    return {
      name,
      description: d,
      key: toKeySchema(d.KeySchema ?? [], d.AttributeDefinitions ?? []),
      definition: definitionOf(d, tags, ttl, pitr),
    };
  }
  target.ctx.refreshIfChanged();
  const table = target.ctx.catalog.get(name);
  if (!table) return undefined;
  const d = (target.execute('DescribeTable', { TableName: name }) as { Table: TableDescription }).Table;
  const ttl = tryLocal<TtlOut>(target, 'DescribeTimeToLive', { TableName: name });
  const pitr = tryLocal<PitrOut>(target, 'DescribeContinuousBackups', { TableName: name });
  return { name, description: d, key: table.key, definition: definitionOf(d, table.tags, ttl, pitr) };
}

export async function listTableNames(target: DumpTarget): Promise<string[]> {
  if (isRemote(target)) return target.listTables();
  target.ctx.refreshIfChanged();
  return target.ctx.catalog.list().map((t) => t.name);
}
