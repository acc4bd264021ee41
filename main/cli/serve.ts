// `sortkey serve`: the DynamoDB-compatible endpoint on http://127.0.0.1:8000.
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import {
  consistencyOptions,
  DEFAULT_EVENTUAL_WINDOW_MS,
  parseConsistencySeed,
  parseConsistencySpec,
} from '../../engine/consistency/settings.js';
import type { ConsistencySettings } from '../../engine/consistency/settings.js';
import { defaultDatabasePath } from '../defaults.js';
import type { SortkeyServer, StartServerOptions } from '../server/index.js';
import type { AlarmStateChange } from '../../engine/index.js';
import { splitCommand } from '../server/alarm-exec.js';
import {
  DEFAULT_AUDIT_KEEP,
  DEFAULT_AUDIT_MAX_BYTES,
  DEFAULT_HOST,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_PORT,
  DEFAULT_READ_WORKERS,
  DEFAULT_REGION,
  parseAccessKeys,
} from '../server/config.js';
import { hostListNeeded, isLoopbackInterface, parseAllowedHosts } from '../server/hosts.js';
import { prepareLocalDatabase } from './database.js';
import { packageVersion } from './version.js';

/** DynamoDB Local's file name inside `-dbPath DIR` (Sortkey always shares one database). */
export const SHARED_DB_FILE = 'shared-local-instance.sqlite';
/** What `--delay-transient-statuses` without a value means, in milliseconds. */
export const DEFAULT_TRANSIENT_STATUS_MS = 500;

/** The options commander hands the serve action. */
export interface ServeCliOptions {
  port: number;
  host: string;
  db?: string;
  dbPath?: string;
  inMemory?: boolean;
  cors?: string;
  delayTransientStatuses?: number | true;
  auth?: boolean;
  authKeys?: string;
  /** `--auth-keys-file FILE`: the keys, kept out of the process list. */
  authKeysFile?: string;
  /** `--policies FILE`: identity-based IAM policies per access key (with --auth). */
  policies?: string;
  /** `--allowed-hosts LIST`: Host names accepted besides the loopback ones. */
  allowedHosts?: string;
  /** `--max-connections N`. */
  maxConnections?: number;
  region: string;
  quiet?: boolean;
  verbose?: boolean;
  sharedDb?: boolean;
  /** `--accounts-by-key`: each access key id is its own account. */
  accountsByKey?: boolean;
  optimizeDbBeforeStartup?: boolean;
  disableTelemetry?: boolean;
  /** `--no-studio` sets this false. */
  studio?: boolean;
  ttlAnyTime?: boolean;
  ttlDelay?: number;
  denyFullScan?: boolean;
  /** `--error-wording new|old`: which of DynamoDB's request validations words the errors (engine/wording.ts). */
  errorWording?: 'new' | 'old';
  /** `--throttle off|provisioned|strict`: simulated throughput limits (engine/throttle). */
  throttle?: 'off' | 'provisioned' | 'strict';
  /** `--read-workers N`: threads serving reads beside the writer (0: one thread, as before). */
  readWorkers?: number;
  /** `--replication-delay MS`: how long global table replicas take to receive each other's writes. */
  replicationDelay?: number;
  /** `--scaling-speed N`: auto scaling's clock runs N times faster than real time. */
  scalingSpeed?: number;
  /** `--alarm-exec CMD`: a command run on every alarm state change (main/server/alarm-exec.ts). */
  alarmExec?: string;
  /** `--consistency strong|eventual[:MS]`: eventual consistency on request (engine/consistency). */
  consistency?: Pick<ConsistencySettings, 'mode'> & { windowMs?: number };
  /** `--consistency-seed N`: the seed of the stale reads' delays. */
  consistencySeed?: number;
  /** `--audit FILE`: the audit log (main/audit). */
  audit?: string;
  /** `--audit-items`: item bodies and expression values in the audit log too. */
  auditItems?: boolean;
  /** `--audit-max-size SIZE`: bytes at which the audit log is rotated. */
  auditMaxSize?: number;
  /** `--audit-keep N`: rotated audit files kept. */
  auditKeep?: number;
}

/** A user mistake in the command line: printed without a stack trace, exit code 2. */
export class CliUsageError extends Error {}

/** Turns parsed flags into startServer options (pure: tests call it directly). */
export function serveOptionsFromCli(
  opts: ServeCliOptions,
  env: NodeJS.ProcessEnv = process.env,
): StartServerOptions {
  const sources = [opts.db !== undefined, opts.dbPath !== undefined, opts.inMemory === true].filter(
    Boolean,
  ).length;
  if (sources > 1) throw new CliUsageError('choose one of --db, --db-path and --in-memory');
  let authKeys: Map<string, string> | undefined;
  if (opts.auth) {
    if (opts.authKeys !== undefined && opts.authKeysFile !== undefined) {
      throw new CliUsageError('choose one of --auth-keys and --auth-keys-file');
    }
    let spec = opts.authKeys ?? env.SORTKEY_ACCESS_KEYS;
    if (opts.authKeysFile !== undefined) {
      try {
        spec = readFileSync(opts.authKeysFile, 'utf8');
      } catch (e) {
        throw new CliUsageError(
          `cannot read --auth-keys-file ${opts.authKeysFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
    }
    if (!spec) {
      throw new CliUsageError(
        '--auth needs access keys: --auth-keys-file FILE, SORTKEY_ACCESS_KEYS or --auth-keys KEY:SECRET[,KEY:SECRET…]',
      );
    }
    try {
      authKeys = parseAccessKeys(spec);
    } catch (e) {
      throw new CliUsageError((e as Error).message);
    }
    if (authKeys.size === 0) throw new CliUsageError('--auth needs at least one access key');
  } else if (opts.authKeys !== undefined || opts.authKeysFile !== undefined) {
    throw new CliUsageError(
      `${opts.authKeys !== undefined ? '--auth-keys' : '--auth-keys-file'} is only used with --auth`,
    );
  }
  if (opts.policies !== undefined && !authKeys)
    throw new CliUsageError('--policies is only used with --auth (policies belong to access keys)');
  let allowedHosts: string[] | undefined;
  if (opts.allowedHosts !== undefined) {
    try {
      allowedHosts = parseAllowedHosts(opts.allowedHosts);
    } catch (e) {
      throw new CliUsageError((e as Error).message);
    }
  }
  // Beyond loopback, a page that rebinds a DNS name to this machine could reach the endpoint.
  if (!isLoopbackInterface(opts.host) && allowedHosts === undefined && !authKeys) {
    throw new CliUsageError(hostListNeeded(opts.host));
  }
  if (opts.alarmExec !== undefined) {
    try {
      splitCommand(opts.alarmExec);
    } catch (e) {
      throw new CliUsageError((e as Error).message);
    }
  }
  if (opts.audit === undefined) {
    const stray = opts.auditItems
      ? '--audit-items'
      : opts.auditMaxSize !== undefined
        ? '--audit-max-size'
        : opts.auditKeep !== undefined
          ? '--audit-keep'
          : undefined;
    if (stray) throw new CliUsageError(`${stray} is only used with --audit FILE`);
  }
  const transient = opts.delayTransientStatuses;
  return {
    port: opts.port,
    host: opts.host,
    region: opts.region,
    ...(opts.sharedDb ? { sharedDb: true } : {}),
    ...(opts.accountsByKey ? { accountsByKey: true } : {}),
    ...(opts.inMemory
      ? { inMemory: true }
      : {
          db:
            opts.dbPath !== undefined
              ? join(resolve(opts.dbPath), SHARED_DB_FILE)
              : resolve(opts.db ?? defaultDatabasePath(env)),
        }),
    ...(opts.cors !== undefined ? { cors: opts.cors } : {}),
    ...(transient !== undefined
      ? { transientStatusMs: transient === true ? DEFAULT_TRANSIENT_STATUS_MS : transient }
      : {}),
    ...(authKeys ? { authKeys } : {}),
    ...(opts.policies !== undefined ? { policies: resolve(opts.policies) } : {}),
    ...(allowedHosts !== undefined ? { allowedHosts } : {}),
    ...(opts.maxConnections !== undefined ? { maxConnections: opts.maxConnections } : {}),
    ...(opts.throttle !== undefined ? { throttle: opts.throttle } : {}),
    ...(opts.readWorkers !== undefined ? { readWorkers: opts.readWorkers } : {}),
    ...(opts.audit !== undefined
      ? {
          audit: {
            file: resolve(opts.audit),
            ...(opts.auditItems ? { items: true } : {}),
            ...(opts.auditMaxSize !== undefined ? { maxBytes: opts.auditMaxSize } : {}),
            ...(opts.auditKeep !== undefined ? { keep: opts.auditKeep } : {}),
          },
        }
      : {}),
    engineOptions: {
      ...(opts.ttlAnyTime ? { ttlChangeCooldownMs: 0 } : {}),
      ...(opts.ttlDelay !== undefined ? { ttlDelayMs: opts.ttlDelay } : {}),
      ...(opts.denyFullScan ? { denyFullTableScan: true } : {}),
      ...(opts.errorWording !== undefined ? { errorWording: opts.errorWording } : {}),
      ...(opts.replicationDelay !== undefined ? { replicationDelayMs: opts.replicationDelay } : {}),
      ...(opts.scalingSpeed !== undefined ? { scalingSpeed: opts.scalingSpeed } : {}),
      // The scaler and the alarm evaluator look for due work a few times a second.
      automationIntervalMs: AUTOMATION_INTERVAL_MS,
      ...consistencyOptions(opts),
    },
  };
}

/** How often a served engine's scaler and alarm evaluator run (engine/automation/runner.ts). */
export const AUTOMATION_INTERVAL_MS = 250;

/**
 * The speeds `--scaling-speed` takes: engine/automation/scaling.ts's SCALING_SPEEDS (a unit test
 * keeps them equal), repeated so that `sortkey --help` loads no engine code.
 */
export const SERVE_SCALING_SPEEDS: readonly number[] = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

function parseScalingSpeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !SERVE_SCALING_SPEEDS.includes(n))
    throw new InvalidArgumentError(
      `expected one of ${SERVE_SCALING_SPEEDS.join(', ')} (a scaled minute is 60/N seconds)`,
    );
  return n;
}

/** commander's parser of `--consistency`. */
export function consistencyArgument(
  value: string,
): Pick<ConsistencySettings, 'mode'> & { windowMs?: number } {
  try {
    return parseConsistencySpec(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** commander's parser of `--consistency-seed`. */
export function consistencySeedArgument(value: string): number {
  try {
    return parseConsistencySeed(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** The flags `--consistency` and `--consistency-seed`, as serve and shell take them. */
export const CONSISTENCY_HELP = {
  consistency:
    'eventual: eventually consistent reads may see items as they were up to MS milliseconds ago (default 1000) and GSIs see writes MS late; strong (the default): every read is current',
  seed: "seed of the stale reads' random delays (default 0): the same seed, the same reads",
};

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a whole number from 1 on');
  return n;
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 16) throw new InvalidArgumentError('expected a whole number from 0 to 16');
  return n;
}

/** `10MB`, `512k`, `1g` or a number of bytes (binary multiples). */
export function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a size such as 50MB, 512KB or a number of bytes');
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Math.floor(Number(m[1]) * scale);
  if (n < 1024) throw new InvalidArgumentError('the audit log needs at least 1KB before it is rotated');
  return n;
}

function parseKeep(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 1000)
    throw new InvalidArgumentError('expected a whole number from 0 to 1000');
  return n;
}

function parseMs(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected milliseconds, a whole number');
  return n;
}

/** The text printed once the endpoint listens. */
export function banner(server: SortkeyServer, options: StartServerOptions, studioUrl?: string): string {
  const url = server.url;
  const region = options.region ?? DEFAULT_REGION;
  const lines = [
    `${pc.bold('Sortkey')} ${packageVersion()} ${pc.dim('— DynamoDB-compatible endpoint')}`,
    '',
    `  Endpoint  ${pc.cyan(url)}`,
    ...(studioUrl ? [`  Studio    ${pc.cyan(studioUrl)}`] : []),
    `  Database  ${server.dbPath === ':memory:' ? 'in memory (gone when the process stops)' : server.dbPath}`,
    `  Region    ${region}`,
    `  Auth      ${options.authKeys ? 'AWS Signature V4 required' : 'off (any credentials are accepted)'}`,
  ];
  if (options.cors !== undefined) lines.push(`  CORS      ${String(options.cors)}`);
  if (options.allowedHosts !== undefined) {
    lines.push(`  Hosts     localhost, 127.0.0.1, [::1], ${[options.allowedHosts].flat().join(', ')}`);
  }
  if (options.audit !== undefined) {
    lines.push(`  Audit     ${options.audit.file}${options.audit.items ? ' (with item bodies)' : ''}`);
  }
  if (options.throttle !== undefined && options.throttle !== 'off') {
    lines.push(
      `  Throttle  ${options.throttle} (${options.throttle === 'strict' ? 'provisioned tables and hot partitions' : 'provisioned tables'})`,
    );
  }
  const speed = options.engineOptions?.scalingSpeed;
  if (speed !== undefined && speed !== 1) {
    lines.push(`  Scaling   auto scaling ×${speed} (a scaled minute every ${60 / speed} s)`);
  }
  const consistency = options.engineOptions?.consistency;
  if (consistency?.mode === 'eventual') {
    lines.push(
      `  Reads     eventually consistent ones up to ${consistency.windowMs ?? DEFAULT_EVENTUAL_WINDOW_MS} ms stale, seed ${consistency.seed ?? 0}`,
    );
  }
  if (
    options.host !== undefined &&
    options.host !== '127.0.0.1' &&
    options.host !== 'localhost' &&
    options.host !== '::1'
  ) {
    lines.push(pc.yellow(`  Listening on ${options.host}: reachable from other machines.`));
  }
  lines.push(
    '',
    `  AWS CLI   ${pc.green(`aws dynamodb list-tables --endpoint-url ${url}`)}`,
    `  SDK       ${pc.green(`new DynamoDBClient({ endpoint: '${url}', region: '${region}' })`)}`,
    '',
    pc.dim('  Press Ctrl+C to stop.'),
  );
  return lines.join('\n');
}

async function runServe(opts: ServeCliOptions): Promise<void> {
  let startOptions: StartServerOptions;
  try {
    startOptions = serveOptionsFromCli(opts);
  } catch (e) {
    if (e instanceof CliUsageError) {
      console.error(`sortkey serve: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  if (startOptions.db !== undefined)
    prepareLocalDatabase(startOptions.db, { command: 'serve', mustExist: false, quiet: opts.quiet === true });
  const verbose = opts.verbose === true;
  let server: SortkeyServer;
  try {
    // The server (and with it the engine and SQLite) loads only when serving: `sortkey --help` stays quick.
    const { startServer } = await import('../server/index.js');
    server = await startServer({
      ...startOptions,
      ...(verbose
        ? {
            onRequest: (e) =>
              console.log(
                `${e.operation ?? '-'} ${e.status}${e.error ? ` ${e.error}` : ''} ${e.ms.toFixed(1)}ms`,
              ),
          }
        : {}),
    });
    if (opts.alarmExec !== undefined) {
      const { alarmExecListener } = await import('../server/alarm-exec.js');
      const engine = server.engine as { onAlarmStateChange?: (l: (c: AlarmStateChange) => void) => void };
      engine.onAlarmStateChange?.(alarmExecListener(opts.alarmExec));
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      console.error(
        `sortkey serve: port ${startOptions.port} on ${startOptions.host} is already in use (try --port 0 for a free one)`,
      );
    } else if (err.code === 'EACCES') {
      console.error(`sortkey serve: not allowed to listen on ${startOptions.host}:${startOptions.port}`);
    } else {
      console.error(`sortkey serve: could not start: ${err.message}`);
    }
    process.exit(1);
  }

  // The studio (browser mode) on the same port; its link carries this run's access token.
  let studioUrl: string | undefined;
  let studioBuilt = true;
  if (opts.studio !== false) {
    const { attachStudio } = await import('../studio/index.js');
    const studio = attachStudio(server, { region: startOptions.region });
    studioUrl = studio.url;
    studioBuilt = studio.built;
  }

  if (opts.quiet) console.log(server.url);
  else console.log(banner(server, startOptions, studioUrl));
  if (!studioBuilt && !opts.quiet)
    console.log(pc.yellow('  The studio is not built yet: run `npm run build` to get it.'));

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second Ctrl+C: stop waiting for requests in flight.
      process.exit(130);
    }
    stopping = true;
    if (!opts.quiet) console.log(pc.dim(`\n${signal}: finishing requests in flight, closing the database…`));
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('sortkey serve: error while closing:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the DynamoDB-compatible endpoint (point the AWS SDK or CLI at it)')
    .option('-p, --port <port>', 'TCP port; 0 picks a free one', parsePort, DEFAULT_PORT)
    .option('--host <host>', 'interface to listen on', DEFAULT_HOST)
    .option('--db <file>', `SQLite database file (default: ${defaultDatabasePath()})`)
    .option(
      '--db-path <dir>',
      `folder for the database, as DynamoDB Local's -dbPath (uses DIR/${SHARED_DB_FILE})`,
    )
    .option('--in-memory', 'keep everything in memory; nothing is written to disk')
    .option(
      '--region <region>',
      'region of unsigned requests and of the studio (each signed region has its own tables)',
      DEFAULT_REGION,
    )
    .option('--cors <origins>', "allow browsers on these origins ('*' or a comma-separated list)")
    .addOption(
      new Option(
        '--delay-transient-statuses [ms]',
        'keep tables CREATING/DELETING for a while, as DynamoDB does',
      )
        .argParser(parseMs)
        .preset(DEFAULT_TRANSIENT_STATUS_MS),
    )
    .option('--auth', 'require AWS Signature V4 signed requests from known access keys')
    .option(
      '--auth-keys <list>',
      'access keys for --auth: KEY:SECRET[,KEY:SECRET…]; visible to anyone running ps: prefer env SORTKEY_ACCESS_KEYS or --auth-keys-file, which keep them out of the process list',
    )
    .option(
      '--auth-keys-file <file>',
      'read the access keys for --auth from FILE (KEY:SECRET entries, one a line or comma-separated)',
    )
    .option(
      '--policies <file>',
      'with --auth: IAM policies per access key, JSON { "KEY": [policy, …] }, reloaded when the file changes',
    )
    .option(
      '--allowed-hosts <list>',
      "Host names accepted besides localhost, 127.0.0.1 and [::1] (e.g. a compose service name; NAME or NAME:PORT, '*' for any); required with a --host other than loopback unless --auth is on",
    )
    .option(
      '--max-connections <n>',
      `connections open at once; more are refused and logged (default ${DEFAULT_MAX_CONNECTIONS})`,
      parseCount,
    )
    .option('--no-studio', 'do not serve Sortkey Studio under /studio/')
    .option(
      '--ttl-any-time',
      'allow UpdateTimeToLive more than once an hour per table (DynamoDB allows one change an hour)',
    )
    .option(
      '--ttl-delay <ms>',
      'how long after expiry TTL deletes an item (DynamoDB takes up to a few days)',
      parseMs,
    )
    .option(
      '--read-workers <n>',
      `threads serving Query, Scan, BatchGetItem, TransactGetItems and PartiQL SELECT beside the writer, so a slow read stalls no one; 0 serves everything on one thread; in-memory databases always use one (default ${DEFAULT_READ_WORKERS})`,
      parseWorkers,
    )
    .option(
      '--replication-delay <ms>',
      'how long after a write to a global table replica the other replicas receive it (default 100)',
      parseMs,
    )
    .option('--deny-full-scan', 'scan guard: refuse PartiQL statements that would read a whole table')
    .option(
      '--audit <file>',
      'audit log: one CloudTrail-shaped JSON line per request (keys, never item bodies); read it with `sortkey audit FILE`',
    )
    .option('--audit-items', 'put item bodies and expression values in the audit log too')
    .option(
      '--audit-max-size <size>',
      `rotate the audit log at this size: FILE becomes FILE.1, FILE.1 FILE.2 … (default ${DEFAULT_AUDIT_MAX_BYTES / 1024 / 1024}MB)`,
      parseSize,
    )
    .option('--audit-keep <n>', `rotated audit files kept (default ${DEFAULT_AUDIT_KEEP})`, parseKeep)
    .addOption(
      new Option(
        '--error-wording <wording>',
        "word errors as DynamoDB's new request validation does (new, the default; most regions since 2026) or as the old one (old: DynamoDB Local, the remaining regions and many test suites)",
      ).choices(['new', 'old']),
    )
    .addOption(
      new Option(
        '--throttle <mode>',
        'simulate throughput limits: off, provisioned (PROVISIONED tables throttle), strict (also per-partition ceilings)',
      ).choices(['off', 'provisioned', 'strict']),
    )
    .option(
      '--scaling-speed <n>',
      'auto scaling runs N times faster than real time (60: a scaled minute per second) for tests and demos',
      parseScalingSpeed,
    )
    .option(
      '--alarm-exec <command>',
      'run this command (no shell) on every alarm state change; SORTKEY_ALARM_* variables describe it',
    )
    .option('--consistency <strong|eventual[:MS]>', CONSISTENCY_HELP.consistency, consistencyArgument)
    .option('--consistency-seed <n>', CONSISTENCY_HELP.seed, consistencySeedArgument)
    .option('-q, --quiet', 'print only the endpoint URL')
    .option('--verbose', 'log every request: operation, status, milliseconds')
    .option('--shared-db', 'one set of tables for every region (as DynamoDB Local -sharedDb)')
    .option('--accounts-by-key', 'each access key id is its own account with its own tables')
    .addOption(
      new Option('--optimize-db-before-startup', 'accepted for DynamoDB Local compatibility').hideHelp(),
    )
    .addOption(new Option('--disable-telemetry', 'accepted for DynamoDB Local compatibility').hideHelp())
    .addHelpText(
      'after',
      `
DynamoDB Local's flags work too: -port N, -inMemory, -dbPath DIR, -sharedDb, -cors ORIGINS,
-delayTransientStatuses, -optimizeDbBeforeStartup.

Examples:
  sortkey serve                          # http://127.0.0.1:8000, data in ${defaultDatabasePath()}
  sortkey serve --in-memory --port 0     # scratch database on a free port
  sortkey serve -sharedDb -dbPath ./data # as DynamoDB Local would be started
  sortkey serve --host 0.0.0.0 --allowed-hosts dynamodb   # in docker compose, reached as http://dynamodb:8000
  SORTKEY_ACCESS_KEYS=KEY:SECRET sortkey serve --auth      # keys out of the process list (or --auth-keys-file)`,
    )
    .action((opts: ServeCliOptions) => runServe(opts));
}
