// `sortkey restore FILE|-`: a Sortkey dump back into a database — tables created from their
// definitions, items written in one transaction.
import { Option } from 'commander';
import type { Command } from 'commander';
import type { ImportOptions } from '../../engine/dump/index.js';
import { defaultRejectsFile, describeImport, exitCodeOf, sourcesFromArgs } from './import.js';
import { ProgressBar } from './progress.js';
import {
  addTargetOptions,
  failure,
  openTarget,
  parseList,
  parsePositiveInt,
  parseTableMap,
} from './remote.js';
import type { TargetCliOptions } from './remote.js';

export interface RestoreCliOptions extends TargetCliOptions {
  tables?: string[];
  tableMap?: Record<string, string>;
  onExisting?: 'fail' | 'merge' | 'replace' | 'skip';
  onConflict?: 'overwrite' | 'skip' | 'fail';
  continueOnError?: boolean;
  rejects?: string;
  emitStreams?: boolean;
  dryRun?: boolean;
  concurrency?: number;
  quiet?: boolean;
  json?: boolean;
}

export function restoreOptionsFromCli(opts: RestoreCliOptions): ImportOptions {
  const rejects = opts.rejects ?? (opts.continueOnError ? defaultRejectsFile() : undefined);
  return {
    ...(opts.tables ? { tables: opts.tables } : {}),
    ...(opts.tableMap ? { tableMap: opts.tableMap } : {}),
    ...(opts.onExisting ? { onExistingTable: opts.onExisting } : {}),
    ...(opts.onConflict ? { onConflict: opts.onConflict } : {}),
    ...(opts.continueOnError ? { continueOnError: true } : {}),
    ...(rejects ? { rejects } : {}),
    ...(opts.emitStreams ? { emitStreams: true } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
  };
}

async function runRestore(file: string, opts: RestoreCliOptions): Promise<number> {
  const bar = new ProgressBar(process.stderr, process.stderr.isTTY === true && !opts.quiet && !opts.json);
  let opened;
  try {
    opened = await openTarget(opts);
  } catch (e) {
    return failure('restore', e);
  }
  try {
    const { restoreDatabase } = await import('../../engine/dump/index.js');
    const report = await restoreDatabase(opened.target, sourcesFromArgs([file]), {
      ...restoreOptionsFromCli(opts),
      onProgress: bar.update,
    });
    bar.done();
    if (opts.json) console.log(JSON.stringify(report, null, 2));
    else if (!opts.quiet || report.rejected > 0)
      for (const line of describeImport(report, opts.dryRun ? 'Checked' : 'Restored')) console.log(line);
    return exitCodeOf(report);
  } catch (e) {
    bar.done();
    return failure('restore', e);
  } finally {
    opened.close();
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('restore')
    .description('restore a database dump made by sortkey dump')
    .argument('<file>', 'the dump file (gzip is detected), or - for stdin')
    .option('--tables <names>', 'only these tables of the dump', parseList)
    .option('--table-map <old=new,…>', 'restore table old as new', parseTableMap)
    .addOption(
      new Option(
        '--on-existing <mode>',
        'a table that already exists: fail, merge (write into it), replace (empty it first), skip',
      )
        .choices(['fail', 'merge', 'replace', 'skip'])
        .default('fail'),
    )
    .addOption(
      new Option('--on-conflict <mode>', 'with --on-existing merge: an item whose key is already there')
        .choices(['overwrite', 'skip', 'fail'])
        .default('overwrite'),
    )
    .option('--continue-on-error', 'restore the good records even if some are bad (default: all or nothing)')
    .option('--rejects <file>', 'write bad records there (NDJSON)')
    .option('--emit-streams', 'produce stream records for restored items')
    .option('--dry-run', 'read and validate everything, write nothing')
    .option(
      '--concurrency <n>',
      'remote targets: BatchWriteItem requests in flight (default 8)',
      parsePositiveInt,
    )
    .option('-q, --quiet', 'no progress bar; print only problems')
    .option('--json', 'print the report as JSON');
  addTargetOptions(cmd)
    .addHelpText(
      'after',
      `
Everything is restored in one SQLite transaction: tables are created and filled together, or not
at all (an interrupted restore leaves the database as it was). TTL and point-in-time recovery are
switched on right after.

Examples:
  sortkey restore backup.skdump
  sortkey restore team.skdump.gz --db ./dev.sqlite --on-existing replace
  sortkey restore prod.skdump.gz --tables Orders --table-map Orders=OrdersCopy`,
    )
    .action(async (file: string, opts: RestoreCliOptions) => {
      process.exitCode = await runRestore(file, opts);
    });
}
