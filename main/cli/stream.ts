// `sortkey stream TABLE`: prints a table's DynamoDB Streams records — from the oldest retained
// record, or only new ones — and with --follow keeps printing them as they arrive. Reads a database
// file directly (--db, default: the one `sortkey serve` uses; --in-memory for an empty scratch one)
// or any DynamoDB-compatible endpoint (--endpoint URL, or --region/--profile for DynamoDB itself).
// Output: readable lines, or NDJSON (one Streams API record per line) with --json.
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import pc from 'picocolors';
import { defaultDatabasePath } from '../defaults.js';
import { binaryText, setText } from '../shell/value-text.js';
import { MissingDatabaseError, prepareLocalDatabase } from './database.js';

export interface StreamCliOptions {
  follow?: boolean;
  from?: 'trim-horizon' | 'latest';
  db?: string;
  inMemory?: boolean;
  endpoint?: string;
  region?: string;
  profile?: string;
  json?: boolean;
  interval?: number;
  color?: boolean;
}

/** One record as the Streams API describes it (DynamoDB JSON, dates as epoch seconds). */
export type WireRecord = Record<string, unknown> & {
  eventName?: string;
  dynamodb?: {
    ApproximateCreationDateTime?: number;
    Keys?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber?: string;
  };
  userIdentity?: { type?: string; principalId?: string };
};

interface ShardInfo {
  readonly ShardId: string;
  readonly ParentShardId?: string;
  readonly closed: boolean;
}

/** What the command needs of DynamoDB and DynamoDB Streams, locally or over HTTP. */
export interface StreamApi {
  /** The table's current stream ARN if it has an enabled stream; null when the table has none; throws when there is no table. */
  latestStream(table: string): Promise<string | null>;
  describeStream(arn: string): Promise<{ status: string; shards: ShardInfo[] }>;
  getShardIterator(arn: string, shardId: string, type: 'TRIM_HORIZON' | 'LATEST'): Promise<string>;
  getRecords(iterator: string): Promise<{ records: WireRecord[]; next: string | undefined }>;
  close(): void;
}

/** Turns SDK output (Dates, Uint8Arrays) into the wire JSON the Streams API sends. */
export function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && k !== '$metadata') out[k] = toWire(v);
    return out;
  }
  return value;
}

/** Engine-backed API: the database file itself (no server needed). */
export async function localApi(path: string, region?: string): Promise<StreamApi> {
  const { Engine } = await import('../../engine/index.js');
  // No background timer: this process only reads. `region`: whose tables (each has its own).
  const engine = new Engine({ path, ttlSweepIntervalMs: 0, ...(region !== undefined ? { region } : {}) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const run = (op: string, input: unknown): any => engine.execute(op, input);
  return {
    async latestStream(table) {
      const d = run('DescribeTable', { TableName: table }).Table;
      return d.StreamSpecification?.StreamEnabled && d.LatestStreamArn ? (d.LatestStreamArn as string) : null;
    },
    async describeStream(arn) {
      const d = run('DescribeStream', { StreamArn: arn }).StreamDescription;
      return {
        status: d.StreamStatus,
        shards: (
          d.Shards as {
            ShardId: string;
            ParentShardId?: string;
            SequenceNumberRange?: { EndingSequenceNumber?: string };
          }[]
        ).map((s) => ({
          ShardId: s.ShardId,
          ...(s.ParentShardId ? { ParentShardId: s.ParentShardId } : {}),
          closed: Boolean(s.SequenceNumberRange?.EndingSequenceNumber),
        })),
      };
    },
    async getShardIterator(arn, shardId, type) {
      return run('GetShardIterator', { StreamArn: arn, ShardId: shardId, ShardIteratorType: type })
        .ShardIterator as string;
    },
    async getRecords(iterator) {
      const out = run('GetRecords', { ShardIterator: iterator });
      return { records: out.Records as WireRecord[], next: out.NextShardIterator as string | undefined };
    },
    close() {
      engine.close();
    },
  };
}

const PLACEHOLDER_CREDENTIALS = { accessKeyId: 'sortkey', secretAccessKey: 'sortkey' };

/** SDK-backed API: a running `sortkey serve`, DynamoDB Local, or DynamoDB itself. */
export async function remoteApi(options: {
  endpoint?: string;
  region?: string;
  profile?: string;
}): Promise<StreamApi> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { DynamoDBClient, DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
  const streams = await import('@aws-sdk/client-dynamodb-streams');
  const region = options.region ?? process.env.AWS_REGION ?? (options.endpoint ? 'us-east-1' : undefined);
  const config: Record<string, unknown> = {
    ...(region ? { region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint, maxAttempts: 2 } : {}),
  };
  if (options.endpoint && !options.profile) {
    // Configured credentials when there are some; local endpoints accept anything otherwise.
    const chain = new DynamoDBClient(config).config.credentials;
    config.credentials = async () => {
      try {
        return await chain();
      } catch {
        return PLACEHOLDER_CREDENTIALS;
      }
    };
  }
  const db = new DynamoDBClient(config);
  const st = new streams.DynamoDBStreamsClient(config);
  return {
    async latestStream(table) {
      const d = (await db.send(new DescribeTableCommand({ TableName: table }))).Table!;
      return d.StreamSpecification?.StreamEnabled && d.LatestStreamArn ? d.LatestStreamArn : null;
    },
    async describeStream(arn) {
      const shards: ShardInfo[] = [];
      let status = 'ENABLED';
      let start: string | undefined;
      do {
        const d = (
          await st.send(
            new streams.DescribeStreamCommand({
              StreamArn: arn,
              ...(start ? { ExclusiveStartShardId: start } : {}),
            }),
          )
        ).StreamDescription!;
        status = d.StreamStatus ?? status;
        for (const s of d.Shards ?? []) {
          shards.push({
            ShardId: s.ShardId!,
            ...(s.ParentShardId ? { ParentShardId: s.ParentShardId } : {}),
            closed: Boolean(s.SequenceNumberRange?.EndingSequenceNumber),
          });
        }
        start = d.LastEvaluatedShardId;
      } while (start);
      return { status, shards };
    },
    async getShardIterator(arn, shardId, type) {
      return (
        await st.send(
          new streams.GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: type }),
        )
      ).ShardIterator!;
    },
    async getRecords(iterator) {
      const out = await st.send(new streams.GetRecordsCommand({ ShardIterator: iterator }));
      return {
        records: (out.Records ?? []).map((r) => toWire(r) as WireRecord),
        next: out.NextShardIterator,
      };
    },
    close() {
      db.destroy();
      st.destroy();
    },
  };
}

/** A DynamoDB JSON value in a compact, readable notation: strings quoted, numbers bare, binary tagged b64:,
 * sets in <<>> (as the shell shows them). */
export function describeValue(v: unknown): string {
  if (!v || typeof v !== 'object') return String(v);
  const [type, inner] = Object.entries(v as Record<string, unknown>)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return JSON.stringify(inner);
    case 'N':
      return String(inner);
    case 'B':
      return binaryText(String(inner));
    case 'BOOL':
      return String(inner);
    case 'NULL':
      return 'null';
    case 'SS':
    case 'NS':
    case 'BS':
      return setText(v as { SS: string[] });
    case 'L':
      return `[${(inner as unknown[]).map(describeValue).join(', ')}]`;
    case 'M':
      return describeItem(inner as Record<string, unknown>);
    default:
      return JSON.stringify(v);
  }
}

export function describeItem(item: Record<string, unknown>): string {
  return `{${Object.entries(item)
    .map(([k, v]) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k)}: ${describeValue(v)}`)
    .join(', ')}}`;
}

/** One record as a readable line: time, event, keys, images. */
export function formatRecord(r: WireRecord, color = true): string {
  const c = color
    ? pc
    : {
        green: (s: string) => s,
        yellow: (s: string) => s,
        red: (s: string) => s,
        dim: (s: string) => s,
        bold: (s: string) => s,
      };
  const d = r.dynamodb ?? {};
  const time =
    d.ApproximateCreationDateTime !== undefined
      ? new Date(d.ApproximateCreationDateTime * 1000).toISOString().replace('.000Z', 'Z')
      : '-';
  const name = r.eventName ?? '?';
  const event =
    name === 'INSERT'
      ? c.green(name.padEnd(6))
      : name === 'MODIFY'
        ? c.yellow(name.padEnd(6))
        : c.red(name.padEnd(6));
  const parts = [c.dim(time), event, c.bold(describeItem(d.Keys ?? {}))];
  if (r.userIdentity?.principalId === 'dynamodb.amazonaws.com') parts.push(c.dim('(ttl)'));
  if (d.OldImage) parts.push(`${c.dim('old')} ${describeItem(d.OldImage)}`);
  if (d.NewImage) parts.push(`${c.dim('new')} ${describeItem(d.NewImage)}`);
  return parts.join('  ');
}

export interface FollowOptions {
  readonly follow: boolean;
  readonly from: 'trim-horizon' | 'latest';
  /** Pause between polls when nothing new arrived. */
  readonly intervalMs: number;
  readonly signal?: AbortSignal;
}

export class StreamCliError extends Error {}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolveSleep) => {
    if (signal?.aborted) return resolveSleep();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolveSleep();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Reads the table's stream and hands each record to `emit`. Without `follow` it stops once every
 * shard has been read to its current end; with it, it keeps polling (and moves on to the table's
 * next stream when the current one is disabled and re-enabled). Returns the number of records.
 */
export async function readTableStream(
  api: StreamApi,
  table: string,
  options: FollowOptions,
  emit: (r: WireRecord) => void,
): Promise<number> {
  let count = 0;
  let from: 'TRIM_HORIZON' | 'LATEST' = options.from === 'latest' ? 'LATEST' : 'TRIM_HORIZON';
  let arn = await api.latestStream(table);
  if (!arn) {
    if (!options.follow)
      throw new StreamCliError(
        `table ${table} has no enabled stream (UpdateTable with a StreamSpecification enables one)`,
      );
  }
  const done = new Set<string>();
  while (!options.signal?.aborted) {
    if (!arn) {
      await sleep(options.intervalMs, options.signal);
      arn = await api.latestStream(table);
      from = 'TRIM_HORIZON';
      continue;
    }
    const iterators = new Map<string, string>();
    const addShards = async (type: 'TRIM_HORIZON' | 'LATEST') => {
      const d = await api.describeStream(arn!);
      for (const s of d.shards) {
        if (done.has(s.ShardId) || iterators.has(s.ShardId)) continue;
        if (type === 'LATEST' && s.closed) {
          done.add(s.ShardId);
          continue;
        }
        iterators.set(s.ShardId, await api.getShardIterator(arn!, s.ShardId, type));
      }
    };
    await addShards(from);
    let idleRounds = 0;
    while (!options.signal?.aborted) {
      let got = 0;
      for (const [shardId, it] of [...iterators]) {
        const out = await api.getRecords(it);
        for (const r of out.records) emit(r);
        got += out.records.length;
        count += out.records.length;
        if (out.next) iterators.set(shardId, out.next);
        else {
          iterators.delete(shardId);
          done.add(shardId);
        }
      }
      if (got > 0) {
        idleRounds = 0;
        continue;
      }
      idleRounds++;
      // New shards (DynamoDB splits and rolls them) start from their beginning.
      if (idleRounds === 1 || idleRounds % 10 === 0) await addShards('TRIM_HORIZON');
      if (iterators.size === 0) break;
      if (!options.follow) return count;
      await sleep(options.intervalMs, options.signal);
    }
    if (!options.follow || options.signal?.aborted) return count;
    // The stream was disabled: wait for the table's next one.
    const previous = arn;
    while (!options.signal?.aborted) {
      let next: string | null;
      try {
        next = await api.latestStream(table);
      } catch {
        next = null;
      }
      if (next && next !== previous) {
        arn = next;
        from = 'TRIM_HORIZON';
        break;
      }
      await sleep(options.intervalMs, options.signal);
    }
  }
  return count;
}

function parseInterval(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 10)
    throw new InvalidArgumentError('expected milliseconds, a whole number ≥ 10');
  return n;
}

export async function runStreamCommand(
  table: string,
  opts: StreamCliOptions,
  out: (line: string) => void = (l) => console.log(l),
): Promise<number> {
  // With --db or --in-memory, --region picks the region of the local tables.
  const local = opts.db !== undefined || opts.inMemory === true;
  const remote =
    opts.endpoint !== undefined || (!local && opts.region !== undefined) || opts.profile !== undefined;
  const sources = [opts.db !== undefined, opts.inMemory === true, remote].filter(Boolean).length;
  if (sources > 1) {
    console.error('sortkey stream: choose one of --db, --in-memory and --endpoint/--profile');
    return 2;
  }
  const follow = opts.follow === true;
  const from = opts.from ?? (follow ? 'latest' : 'trim-horizon');
  let api: StreamApi;
  try {
    api = remote
      ? await remoteApi({
          ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
          ...(opts.region !== undefined ? { region: opts.region } : {}),
          ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
        })
      : await localApi(
          prepareLocalDatabase(opts.inMemory ? ':memory:' : resolve(opts.db ?? defaultDatabasePath()), {
            command: 'stream',
            mustExist: true,
          }),
          opts.region,
        );
  } catch (e) {
    console.error(`sortkey stream: ${(e as Error).message}`);
    return e instanceof MissingDatabaseError ? 2 : 1;
  }
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const color = opts.color !== false && !process.env.NO_COLOR && process.stdout.isTTY === true;
  try {
    await readTableStream(
      api,
      table,
      { follow, from, intervalMs: opts.interval ?? 1000, signal: abort.signal },
      (r) => out(opts.json ? JSON.stringify(r) : formatRecord(r, color)),
    );
    return 0;
  } catch (e) {
    const err = e as Error & { name?: string };
    if (err.name === 'ResourceNotFoundException') console.error(`sortkey stream: table ${table} not found`);
    else console.error(`sortkey stream: ${err.message}`);
    return 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    api.close();
  }
}

export function register(program: Command): void {
  program
    .command('stream')
    .description("print a table's stream records (DynamoDB Streams), optionally following new ones")
    .argument('<table>', 'table name')
    .option('-f, --follow', 'keep printing records as they arrive (Ctrl+C stops)')
    .addOption(
      new Option(
        '--from <position>',
        'start at the oldest retained record or after the newest (default: trim-horizon, or latest with --follow)',
      ).choices(['trim-horizon', 'latest']),
    )
    .option('--db <file>', `SQLite database file (default: ${defaultDatabasePath()})`)
    .option('--in-memory', 'an empty scratch database (only useful for trying the command)')
    .option('--endpoint <url>', 'a DynamoDB-compatible endpoint (a running sortkey serve, DynamoDB Local, …)')
    .option(
      '--region <region>',
      'with --db/--in-memory: whose tables (each region has its own); alone: DynamoDB itself there',
    )
    .option('--profile <profile>', 'AWS credentials profile (~/.aws/config)')
    .option('--json', 'one JSON record per line (NDJSON), as the Streams API returns it')
    .addOption(
      new Option('--interval <ms>', 'poll interval when following').argParser(parseInterval).default(1000),
    )
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .addHelpText(
      'after',
      `
Examples:
  sortkey stream Orders                                   # every retained record, then exit
  sortkey stream Orders --follow                          # new records as they are written
  sortkey stream Orders --endpoint http://127.0.0.1:8000 --follow --json | jq .
While sortkey serve is running on the same database, prefer --endpoint.`,
    )
    .action(async (table: string, opts: StreamCliOptions) => {
      process.exitCode = await runStreamCommand(table, opts);
    });
}
