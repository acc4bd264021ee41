// `sortkey shell`: connect to a backend, then run the interactive REPL or a script (-c, -f, stdin).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { consistencyOptions } from '../../engine/consistency/settings.js';
import type { ConsistencySettings } from '../../engine/consistency/settings.js';
import { defaultDatabasePath } from '../defaults.js';
import type { Backend } from './backend.js';
import { defaultHistoryPath, History } from './history.js';
import type { KeyStream } from './keys.js';
import { LocalBackend } from './local-backend.js';
import type { OutputMode } from './render.js';
import { OUTPUT_MODES } from './render.js';
import { runRepl } from './repl.js';
import type { ReplOutput } from './repl.js';
import { Session } from './session.js';
import type { SessionIO } from './session.js';
import { colorEnabled, makeColors } from './text.js';
import type { NumberStyle } from './values.js';
import { parseValueList } from './values.js';
import { prepareLocalDatabase } from '../cli/database.js';

export interface ShellOptions {
  db?: string;
  inMemory?: boolean;
  endpoint?: string;
  region?: string;
  profile?: string;
  /** Statements to run (`-c`). */
  command?: string;
  /** A script to run (`-f`; `-` for stdin). */
  file?: string;
  json?: boolean;
  ndjson?: boolean;
  mode?: string;
  /** Go on after a failed statement. */
  continue?: boolean;
  /** false: no colours (`--no-color`). */
  color?: boolean;
  /** Values for `?` (`--params "'a' 1"`). */
  params?: string;
  timing?: boolean;
  capacity?: boolean;
  /** Interactive even when stdin is not a terminal (tests). */
  interactive?: boolean;
  /** Refuse writes, and a database file that does not exist. */
  readOnly?: boolean;
  /** Nothing but results and errors (no banner, no "Created new database"). */
  quiet?: boolean;
  /** JSON numbers: exact (bare tokens) or string. */
  numbers?: string;
  /** Stop each SELECT after this many items. */
  maxItems?: string;
  /** `--error-wording`: the local engine's error wording (engine/wording.ts). */
  errorWording?: 'new' | 'old';
  /** `--replication-delay MS` (a string as commander gives it). */
  replicationDelay?: string;
  /** false: no pager (`--no-pager`). */
  pager?: boolean;
  /** `--consistency strong|eventual[:MS]` of the local engine (engine/consistency). */
  consistency?: Pick<ConsistencySettings, 'mode'> & { windowMs?: number };
  /** `--consistency-seed N`. */
  consistencySeed?: number;
}

/** A command-line mistake: printed without a stack trace, exit status 2. */
export class ShellUsageError extends Error {}

export interface ShellStreams {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

function processStreams(): ShellStreams {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Checks the flags and picks the backend to open (nothing is opened here). */
export function backendChoice(
  opts: ShellOptions,
  env: NodeJS.ProcessEnv = process.env,
):
  | {
      kind: 'local';
      path: string;
      region?: string;
      errorWording?: 'new' | 'old';
      replicationDelayMs?: number;
      consistency?: Partial<ConsistencySettings>;
    }
  | { kind: 'remote'; endpoint?: string; region?: string; profile?: string } {
  const local = opts.db !== undefined || opts.inMemory === true;
  // With --db or --in-memory, --region picks the region of the local tables (each region is its
  // own namespace); otherwise it means DynamoDB itself in that region.
  const remote =
    opts.endpoint !== undefined || (!local && opts.region !== undefined) || opts.profile !== undefined;
  const sources = [opts.db !== undefined, opts.inMemory === true, remote].filter(Boolean).length;
  if (sources > 1) throw new ShellUsageError('choose one of --db, --in-memory and --endpoint/--profile');
  const localRegion = opts.region !== undefined ? { region: opts.region } : {};
  if (opts.endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(opts.endpoint);
    } catch {
      throw new ShellUsageError(`--endpoint: not a URL: ${opts.endpoint} (e.g. http://127.0.0.1:8000)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ShellUsageError(`--endpoint: expected an http:// or https:// URL, not ${opts.endpoint}`);
    }
  }
  if (remote && (opts.consistency !== undefined || opts.consistencySeed !== undefined)) {
    throw new ShellUsageError(
      '--consistency is for a local database (--db, --in-memory); a running sortkey serve takes its own',
    );
  }
  if (remote) {
    return {
      kind: 'remote',
      ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
      ...(opts.region !== undefined ? { region: opts.region } : {}),
      ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    };
  }
  if (opts.replicationDelay !== undefined && !/^\d+$/.test(opts.replicationDelay)) {
    throw new ShellUsageError(
      `--replication-delay: expected milliseconds, a whole number, not ${opts.replicationDelay}`,
    );
  }
  const wording = {
    ...(opts.errorWording !== undefined ? { errorWording: opts.errorWording } : {}),
    ...(opts.replicationDelay !== undefined ? { replicationDelayMs: Number(opts.replicationDelay) } : {}),
    ...consistencyOptions(opts),
  };
  if (opts.inMemory) return { kind: 'local', path: ':memory:', ...localRegion, ...wording };
  return { kind: 'local', path: resolve(opts.db ?? defaultDatabasePath(env)), ...localRegion, ...wording };
}

export function outputMode(opts: ShellOptions): OutputMode {
  const chosen = [opts.json && 'json', opts.ndjson && 'ndjson', opts.mode].filter(Boolean) as string[];
  if (chosen.length > 1) throw new ShellUsageError('choose one of --json, --ndjson and --mode');
  const mode = (chosen[0] ?? 'table').toLowerCase();
  if (!OUTPUT_MODES.includes(mode as OutputMode)) {
    throw new ShellUsageError(`--mode: expected one of ${OUTPUT_MODES.join(', ')}`);
  }
  return mode as OutputMode;
}

export function numberStyle(opts: ShellOptions): NumberStyle {
  const style = (opts.numbers ?? 'exact').toLowerCase();
  if (style !== 'exact' && style !== 'string')
    throw new ShellUsageError(`--numbers: expected exact or string, not ${opts.numbers}`);
  return style;
}

function maxItemsOption(opts: ShellOptions): number | undefined {
  if (opts.maxItems === undefined) return undefined;
  if (!/^\d+$/.test(opts.maxItems) || Number(opts.maxItems) < 1)
    throw new ShellUsageError(`--max-items: expected a whole number ≥ 1, not ${opts.maxItems}`);
  return Number(opts.maxItems);
}

export async function openBackend(choice: ReturnType<typeof backendChoice>): Promise<Backend> {
  if (choice.kind === 'local')
    return LocalBackend.open(choice.path, {
      ...(choice.region !== undefined ? { region: choice.region } : {}),
      ...(choice.errorWording !== undefined ? { errorWording: choice.errorWording } : {}),
      ...(choice.replicationDelayMs !== undefined ? { replicationDelayMs: choice.replicationDelayMs } : {}),
      ...(choice.consistency !== undefined ? { consistency: choice.consistency } : {}),
    });
  // The SDK loads only for remote shells.
  const { RemoteBackend } = await import('./remote-backend.js');
  return new RemoteBackend(choice);
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs the shell; resolves to the exit status. */
export async function runShell(
  opts: ShellOptions,
  streams: ShellStreams = processStreams(),
): Promise<number> {
  const { stdin, stdout, stderr, env } = streams;
  const errColors = makeColors(opts.color !== false && colorEnabled(stderr, env));
  let choice: ReturnType<typeof backendChoice>;
  let mode: OutputMode;
  let parameters;
  let numbers: NumberStyle;
  let maxItems: number | undefined;
  try {
    if (opts.command !== undefined && opts.file !== undefined)
      throw new ShellUsageError('choose one of -c and -f');
    choice = backendChoice(opts, env);
    mode = outputMode(opts);
    parameters = opts.params !== undefined ? parseValueList(opts.params) : [];
    numbers = numberStyle(opts);
    maxItems = maxItemsOption(opts);
    if (choice.kind === 'local') {
      prepareLocalDatabase(choice.path, {
        command: 'shell',
        mustExist: opts.readOnly === true,
        quiet: opts.quiet === true,
        stderr,
      });
    }
  } catch (e) {
    stderr.write(`sortkey shell: ${(e as Error).message}\n`);
    return 2;
  }

  const interactive =
    opts.interactive ?? (opts.command === undefined && opts.file === undefined && stdin.isTTY === true);
  const colors = makeColors(opts.color !== false && colorEnabled(stdout, env));

  let backend: Backend;
  try {
    backend = await openBackend(choice);
  } catch (e) {
    stderr.write(
      `sortkey shell: cannot open ${choice.kind === 'local' ? choice.path : 'the connection'}: ${(e as Error).message}\n`,
    );
    return 1;
  }

  // `sortkey shell -c … | head`: a closed pipe ends the output quietly. (The listener stays: the
  // error can arrive after the last write.)
  stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });

  const io: SessionIO = {
    out: (text) => void stdout.write(text),
    err: (text) => void stderr.write(text),
    colors,
    errColors,
    columns: () => (stdout.isTTY ? (stdout.columns ?? 80) : undefined),
  };
  const session = new Session({
    backend,
    io,
    mode,
    timing: opts.timing ?? interactive,
    capacity: opts.capacity ?? interactive,
    parameters,
    confirmWrites: interactive && opts.quiet !== true,
    cwd: streams.cwd,
    readOnly: opts.readOnly === true,
    numbers,
    ...(maxItems !== undefined ? { maxItems } : {}),
    pager: opts.pager !== false,
    quiet: opts.quiet === true,
  });

  try {
    if (interactive) {
      const history = new History(defaultHistoryPath(env));
      const { packageVersion } = await import('../cli/version.js');
      const banner = opts.quiet
        ? []
        : [
            `${colors.bold('Sortkey')} ${packageVersion()} ${colors.dim('PartiQL shell')} — ${backend.description}${opts.readOnly ? colors.yellow(' (read-only)') : ''}`,
            colors.dim('End statements with ;  ·  .help  ·  Tab completes  ·  Ctrl-D quits'),
          ];
      await runRepl({
        session,
        input: stdin as KeyStream,
        output: stdout as unknown as ReplOutput,
        colors,
        history,
        banner,
        cwd: streams.cwd,
        env,
      });
      return 0;
    }
    let text: string;
    let source: string | undefined;
    if (opts.command !== undefined) {
      text = opts.command;
    } else if (opts.file !== undefined && opts.file !== '-') {
      try {
        text = readFileSync(resolve(streams.cwd, opts.file), 'utf8');
      } catch (e) {
        stderr.write(
          `sortkey shell: cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`,
        );
        return 1;
      }
      source = opts.file;
    } else {
      text = await readAll(stdin);
      source = '<stdin>';
    }
    const result = await session.run(text, {
      continueOnError: opts.continue === true,
      ...(source ? { source } : {}),
    });
    const unfinished = session.queued !== null;
    session.finish();
    return result.failed > 0 || unfinished ? 1 : 0;
  } finally {
    session.finish();
    await backend.close();
  }
}
