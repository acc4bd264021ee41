// Table metadata from a local engine or a remote service, in one shape: the description, the key
// schema, and the definition a dump records (CreateTable input, tags, TTL, point-in-time recovery).
import type { Connection } from '../connection/index.js';
import { EmbeddedConnection } from '../connection/index.js';
import { Engine } from '../engine.js';
import type { KeySchema } from '../tables/schema.js';
import type { TableDescription } from '../tables/table.js';
import { toKeySchema } from '../tables/catalog.js';
import { createInputFromDescription } from './definition.js';
import { describeTable, listTables, tags as tagsOf } from './remote.js';
import type { TableDefinition } from './types.js';

/**
 * Where dumps are read from or written to: a Connection (or an Engine, for short). A connection
 * whose engine lives in this process is written through the engine itself, in one transaction
 * (the embedded connection's `atomicImport`); any other goes through DynamoDB operations.
 */
export type DumpTarget = Engine | Connection;

/** The engine in this process behind a target, when there is one. */
export function localEngineOf(target: DumpTarget): Engine | undefined {
  if (target instanceof Engine) return target;
  return target instanceof EmbeddedConnection ? target.engine : undefined;
}

/** True for targets reached through DynamoDB operations (remote services, proxied engines). */
export function isRemote(target: DumpTarget): target is Connection {
  return localEngineOf(target) === undefined;
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

async function tryRemote<T>(
  remote: Connection,
  op: string,
  input: Record<string, unknown>,
): Promise<T | undefined> {
  try {
    return (await remote.callAny(op, input)) as T;
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
    const d = (await describeTable(target, name)) as TableDescription | undefined;
    if (!d) return undefined;
    const tags = d.TableArn ? await tagsOf(target, d.TableArn) : [];
    const ttl = await tryRemote<TtlOut>(target, 'DescribeTimeToLive', { TableName: name });
    const pitr = await tryRemote<PitrOut>(target, 'DescribeContinuousBackups', { TableName: name });
    return {
      name,
      description: d,
      key: toKeySchema(d.KeySchema ?? [], d.AttributeDefinitions ?? []),
      definition: definitionOf(d, tags, ttl, pitr),
    };
  }
  const engine = localEngineOf(target)!;
  engine.ctx.refreshIfChanged();
  const table = engine.ctx.catalog.get(name);
  if (!table) return undefined;
  const d = (engine.execute('DescribeTable', { TableName: name }) as { Table: TableDescription }).Table;
  const ttl = tryLocal<TtlOut>(engine, 'DescribeTimeToLive', { TableName: name });
  const pitr = tryLocal<PitrOut>(engine, 'DescribeContinuousBackups', { TableName: name });
  return { name, description: d, key: table.key, definition: definitionOf(d, table.tags, ttl, pitr) };
}

export async function listTableNames(target: DumpTarget): Promise<string[]> {
  const engine = localEngineOf(target);
  if (!engine) return listTables(target as Connection);
  engine.ctx.refreshIfChanged();
  return engine.ctx.catalog.list().map((t) => t.name);
}
