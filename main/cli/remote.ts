// Where `sortkey import|export|dump|restore` read and write: the embedded default database, a
// database file (--db), a scratch in-memory database (--in-memory), or a remote DynamoDB-compatible
// service (--endpoint, --region, --profile) through the AWS SDK.
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { defaultDatabasePath } from '../defaults.js';
import { MissingDatabaseError, prepareLocalDatabase } from './database.js';
import type { Connection } from '../../engine/connection/index.js';

export interface TargetCliOptions {
  db?: string;
  inMemory?: boolean;
  endpoint?: string;
  region?: string;
  profile?: string;
  /** No "Created new database" line. */
  quiet?: boolean;
}

/** A user mistake in the command line: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option(
      '--db <file>',
      `SQLite database file (default: ${defaultDatabasePath()}, the one sortkey serve uses)`,
    )
    .option('--in-memory', 'a scratch in-memory database (mostly for trying things out)')
    .option('--endpoint <url>', 'a DynamoDB-compatible endpoint instead (sortkey serve, DynamoDB Local, …)')
    .option(
      '--region <region>',
      'with --db/--in-memory: whose tables (each region has its own); alone: DynamoDB itself there',
    )
    .option('--profile <profile>', 'AWS credentials profile (~/.aws/config and ~/.aws/credentials)');
}

export function isRemoteTarget(opts: TargetCliOptions): boolean {
  // With --db or --in-memory, --region names the region of the local tables (each region is its
  // own namespace of tables); on its own it means DynamoDB itself in that region.
  const local = opts.db !== undefined || opts.inMemory === true;
  return opts.endpoint !== undefined || (!local && opts.region !== undefined) || opts.profile !== undefined;
}

export interface OpenedTarget {
  /** The embedded engine or the remote service, as the connection layer (engine/connection) has them. */
  readonly target: Connection;
  /** For messages: the database file, "memory", or the endpoint. */
  readonly where: string;
  close(): Promise<void>;
}

/**
 * Opens the local database or connects to the remote service the options name. With `readOnly`
 * (dump, export) a missing database file is refused (MissingDatabaseError, exit 2) instead of
 * created; otherwise a new file is announced on stderr.
 */
export async function openTarget(
  opts: TargetCliOptions,
  env: NodeJS.ProcessEnv = process.env,
  use: { command: string; readOnly: boolean } = { command: 'import', readOnly: false },
): Promise<OpenedTarget> {
  const remote = isRemoteTarget(opts);
  if (remote && (opts.db !== undefined || opts.inMemory)) {
    throw new UsageError(
      'choose a local database (--db, --in-memory) or a remote service (--endpoint, --region, --profile), not both',
    );
  }
  if (opts.db !== undefined && opts.inMemory) throw new UsageError('choose one of --db and --in-memory');
  const { EmbeddedConnection, RemoteConnection } = await import('../../engine/connection/index.js');
  if (remote) {
    const r = new RemoteConnection({
      ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
      ...(opts.region !== undefined ? { region: opts.region } : {}),
      ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    });
    return { target: r, where: r.description, close: () => r.close() };
  }
  const { Engine } = await import('../../engine/engine.js');
  const path = prepareLocalDatabase(
    opts.inMemory ? ':memory:' : resolve(opts.db ?? defaultDatabasePath(env)),
    {
      command: use.command,
      mustExist: use.readOnly,
      quiet: opts.quiet === true,
    },
  );
  // No background TTL sweeper: this process only moves data in and out.
  const where = path === ':memory:' ? 'memory' : path;
  const engine = new Engine({
    path,
    ttlSweepIntervalMs: 0,
    ...(opts.region !== undefined ? { region: opts.region } : {}),
  });
  const connection = new EmbeddedConnection(engine, where, true);
  return { target: connection, where, close: () => connection.close() };
}

export function parsePositiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a whole number ≥ 1');
  return Number(value);
}

export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `old=new,old2=new2` */
export function parseTableMap(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of parseList(value)) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1)
      throw new InvalidArgumentError(`expected OLD=NEW pairs, got ${JSON.stringify(pair)}`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** Reports an error the way every dump command does; returns the exit code. */
export function failure(command: string, e: unknown): number {
  const err = e as Error & { name?: string; type?: string };
  if (e instanceof UsageError || e instanceof MissingDatabaseError || err.name === 'InvalidArgumentError') {
    console.error(`sortkey ${command}: ${err.message}`);
    return 2;
  }
  if (err.name === 'DumpError') {
    console.error(`sortkey ${command}: ${err.message}`);
    return 1;
  }
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR') {
    console.error(`sortkey ${command}: ${err.message}`);
    return 1;
  }
  const kind = err.type ?? (err.name && err.name !== 'Error' ? err.name : undefined);
  console.error(`sortkey ${command}: ${kind ? `${kind}: ` : ''}${err.message}`);
  if (process.env.SORTKEY_DEBUG) console.error(err.stack);
  return 1;
}
