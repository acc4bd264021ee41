// `sortkey audit FILE`: prints the audit log `sortkey serve --audit FILE` writes — its rotated files
// (FILE.N … FILE.1) and FILE, oldest first — filtered by table, operation, error, access key and
// time, as readable lines or the records themselves (--json); --follow keeps printing new records,
// across rotations, until interrupted.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import pc from 'picocolors';
import type { AuditFilter } from '../audit/read.js';
import type { AuditEvent } from '../audit/record.js';

export interface AuditCliOptions {
  follow?: boolean;
  table?: string;
  event?: string[];
  errorCode?: string;
  errors?: boolean;
  accessKey?: string;
  /** A date, a time ago (`15m`) or epoch milliseconds. */
  since?: number | string;
  until?: number | string;
  grep?: string;
  limit?: number;
  json?: boolean;
  color?: boolean;
  interval?: number;
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a whole number from 1 on');
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** The filter the options describe (`since`/`until` already in milliseconds). */
function auditFilterOf(
  opts: AuditCliOptions,
  since: number | undefined,
  until: number | undefined,
): AuditFilter {
  return {
    ...(opts.table !== undefined ? { table: opts.table } : {}),
    ...(opts.event?.length ? { eventNames: opts.event } : {}),
    ...(opts.errorCode !== undefined
      ? { errorCode: opts.errorCode }
      : opts.errors
        ? { errorCode: 'any' }
        : {}),
    ...(opts.accessKey !== undefined ? { accessKey: opts.accessKey } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(opts.grep !== undefined ? { text: opts.grep } : {}),
  };
}

/** Runs the command; resolves with the exit code (a follow only ends on a signal). */
export async function runAudit(
  file: string,
  opts: AuditCliOptions,
  out: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Promise<number> {
  // Loaded here, not at the top: every other command starts without it.
  const { auditFiles, followAudit, formatAuditEvent, parseAuditTime, readAuditFiles } =
    await import('../audit/read.js');
  const time = (value: number | string | undefined, flag: string): number | undefined | null => {
    if (value === undefined || typeof value === 'number') return value;
    const t = parseAuditTime(value);
    if (t === undefined) {
      console.error(
        `sortkey audit: ${flag} expects a date (2026-12-07T17:00:00Z) or a time ago (30s, 15m, 2h, 7d)`,
      );
      return null;
    }
    return t;
  };
  const since = time(opts.since, '--since');
  const until = time(opts.until, '--until');
  if (since === null || until === null) return 2;
  const path = resolve(file);
  const files = auditFiles(path);
  if (files.length === 0 && !opts.follow) {
    console.error(`sortkey audit: no audit log at ${path} (start the server with --audit ${file})`);
    return 1;
  }
  const color = opts.color !== false && !process.env.NO_COLOR && process.stdout.isTTY === true;
  const style = color
    ? { dim: pc.dim, bad: pc.red, name: pc.cyan }
    : { dim: (s: string) => s, bad: (s: string) => s, name: (s: string) => s };
  const print = (e: AuditEvent, line: string): void => out(opts.json ? line : formatAuditEvent(e, style));
  const filter = auditFilterOf(opts, since, until);

  // What is there already: everything (the current file through the follower, with --follow), or
  // the last --limit records of all files (then only new ones are followed).
  if (opts.limit !== undefined) {
    const kept: [AuditEvent, string][] = [];
    await readAuditFiles(files, filter, (e, line) => {
      kept.push([e, line]);
      if (kept.length > opts.limit!) kept.shift();
    });
    for (const [e, line] of kept) print(e, line);
  } else {
    await readAuditFiles(opts.follow ? files.filter((f) => f !== path) : files, filter, print);
  }
  if (!opts.follow) return 0;
  if (!existsSync(path)) console.error(pc.dim(`sortkey audit: waiting for ${path} to appear…`));
  await new Promise<void>((done) => {
    const stop = followAudit(path, filter, print, {
      fromStart: opts.limit === undefined,
      intervalMs: opts.interval ?? 250,
    });
    const end = (): void => {
      stop();
      done();
    };
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
  });
  return 0;
}

export function register(program: Command): void {
  program
    .command('audit')
    .description('print (and follow) the audit log that `sortkey serve --audit FILE` writes')
    .argument('<file>', 'the audit log (its rotated files FILE.1, FILE.2 … are read too)')
    .option('-f, --follow', 'keep printing new records as they are written (across rotations)')
    .option('--table <name>', 'records about this table')
    .option('--event <names>', 'these operations only (comma-separated, e.g. PutItem,DeleteItem)', collect)
    .option(
      '--error-code <code>',
      'records that failed with this error (any: every failure; none: successes)',
    )
    .option('--errors', 'failed requests only (as --error-code any)')
    .option('--access-key <id>', 'requests signed with this access key id')
    .option('--since <time>', 'records from this time: a date or a time ago (30s, 15m, 2h, 7d)')
    .option('--until <time>', 'records up to this time: a date or a time ago')
    .option('--grep <text>', 'records whose JSON contains this text (case-insensitive)')
    .option('-n, --limit <n>', 'the last N matching records only', parseLimit)
    .option('--json', 'print the records themselves, one JSON object a line (CloudTrail shape)')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .addHelpText(
      'after',
      `
Lines read: time  operation  table  access key @ source IP  OK or error  key/statement  request id

Examples:
  sortkey audit audit.log --follow                      # like tail -F, records as they come
  sortkey audit audit.log --table Orders --errors       # what went wrong on Orders
  sortkey audit audit.log --event PutItem,DeleteItem --since 15m --json | jq .requestParameters.key`,
    )
    .action(async (file: string, opts: AuditCliOptions) => {
      process.exitCode = await runAudit(file, opts);
    });
}
