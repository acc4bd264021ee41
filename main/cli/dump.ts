// `sortkey dump FILE|-`: a whole database — every table's definition and items — in one file.
import type { Command } from 'commander';
import { onInterrupt, describeExport } from './export.js';
import { ProgressBar } from './progress.js';
import { addTargetOptions, failure, openTarget, parseList } from './remote.js';
import type { TargetCliOptions } from './remote.js';

export interface DumpCliOptions extends TargetCliOptions {
  tables?: string[];
  gzip?: boolean;
  quiet?: boolean;
}

async function runDump(file: string, opts: DumpCliOptions): Promise<number> {
  const bar = new ProgressBar(process.stderr, process.stderr.isTTY === true && !opts.quiet);
  let opened;
  try {
    opened = await openTarget(opts, process.env, { command: 'dump', readOnly: true });
  } catch (e) {
    return failure('dump', e);
  }
  const abort = new AbortController();
  const release = onInterrupt(abort);
  const toStdout = file === '-';
  try {
    const { dumpDatabase } = await import('../../engine/dump/index.js');
    const report = await dumpDatabase(opened.target, toStdout ? process.stdout : file, {
      ...(opts.tables ? { tables: opts.tables } : {}),
      ...(opts.gzip ? { gzip: true } : {}),
      onProgress: bar.update,
      signal: abort.signal,
    });
    bar.done();
    if (!opts.quiet) (toStdout ? console.error : console.log)(describeExport(report, file));
    return 0;
  } catch (e) {
    bar.done();
    if (abort.signal.aborted) {
      console.error('sortkey dump: interrupted; nothing was written');
      return 130;
    }
    return failure('dump', e);
  } finally {
    release();
    await opened.close();
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('dump')
    .description('dump a whole database (tables, indexes, TTL, streams, tags, billing, items) into one file')
    .argument('<file>', 'the dump file (.gz to compress), or - for stdout')
    .option('--tables <names>', 'only these tables', parseList)
    .option('--gzip', 'gzip the dump (also when the file name ends with .gz)')
    .option('-q, --quiet', 'no progress bar, no summary');
  addTargetOptions(cmd)
    .addHelpText(
      'after',
      `
The dump is JSON lines: a header, then per table its definition, its items in DynamoDB JSON and
an end line with the item count (so a truncated file is noticed). sortkey restore reads it back.

Examples:
  sortkey dump backup.skdump                         # the default database
  sortkey dump team.skdump.gz --db ./dev.sqlite
  sortkey dump prod.skdump.gz --region eu-west-1 --profile prod --tables Orders,Customers`,
    )
    .action(async (file: string, opts: DumpCliOptions) => {
      process.exitCode = await runDump(file, opts);
    });
}
