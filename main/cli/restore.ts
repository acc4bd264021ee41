// `sortkey restore FILE|-`: a Sortkey dump back into a database — tables created from their
// definitions, items written in one transaction.
import { Option } from 'commander';
import type { Command } from 'commander';
import type { ImportOptions } from '../../engine/dump/index.js';
import { loadOptionsFromCli, onConflictOption, runLoad } from './import.js';
import type { LoadCliOptions } from './import.js';
import { addTargetOptions, parseList, parsePositiveInt, parseTableMap } from './remote.js';

export interface RestoreCliOptions extends LoadCliOptions {
  onExisting?: 'fail' | 'merge' | 'replace' | 'skip';
}

export function restoreOptionsFromCli(opts: RestoreCliOptions): ImportOptions {
  return {
    ...loadOptionsFromCli(opts),
    ...(opts.onExisting ? { onExistingTable: opts.onExisting } : {}),
  };
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
    .addOption(onConflictOption('with --on-existing merge: an item whose key is already there'))
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
      process.exitCode = await runLoad('restore', [file], restoreOptionsFromCli(opts), opts);
    });
}
