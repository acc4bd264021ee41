// `sortkey import FILE…`: items from files (or stdin) into a table, through engine/dump.
import { Command, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import type {
  CsvColumnType,
  ImportOptions,
  ImportReport,
  ImportSource,
  KeySpec,
} from '../../engine/dump/index.js';
import { IMPORT_FORMATS } from '../../engine/dump/types.js';
import { formatBytes, formatCount, formatRate, ProgressBar } from './progress.js';
import {
  addTargetOptions,
  failure,
  openTarget,
  parseList,
  parsePositiveInt,
  parseTableMap,
  UsageError,
} from './remote.js';
import type { TargetCliOptions } from './remote.js';

/** What to do with an item whose key is already there. */
export type OnConflict = 'overwrite' | 'skip' | 'fail';

/**
 * The flags `sortkey import` and `sortkey restore` share: the target, which tables of a multi-table
 * input, what to do with existing items and bad records, and how to write and report.
 */
export interface LoadCliOptions extends TargetCliOptions {
  tables?: string[];
  tableMap?: Record<string, string>;
  onConflict?: OnConflict;
  continueOnError?: boolean;
  rejects?: string;
  emitStreams?: boolean;
  dryRun?: boolean;
  concurrency?: number;
  readThreads?: number;
  quiet?: boolean;
  json?: boolean;
}

export interface ImportCliOptions extends LoadCliOptions {
  table?: string;
  format?: string;
  pk?: KeySpec;
  sk?: KeySpec;
  create?: boolean;
  sets?: 'list' | 'auto';
  binary?: 'base64' | 'base64-prefix';
  binaryPrefix?: string;
  csvDelimiter?: string;
  csvHeader?: string[];
  csvTypes?: Record<string, CsvColumnType>;
  csvEmpty?: 'absent' | 'string';
}

/** Exit codes: 0 everything imported, 1 nothing written (bad records or an error), 2 usage, 3 imported with rejects. */
export const EXIT_PARTIAL = 3;

export function parseKey(value: string): KeySpec {
  const at = value.lastIndexOf(':');
  const name = at < 0 ? value : value.slice(0, at);
  const type = (at < 0 ? 'S' : value.slice(at + 1).toUpperCase()) as KeySpec['type'];
  if (!name) throw new InvalidArgumentError('expected name:S, name:N or name:B');
  if (type !== 'S' && type !== 'N' && type !== 'B')
    throw new InvalidArgumentError(`key type must be S, N or B (got ${type})`);
  return { name, type };
}

const DELIMITERS: Record<string, string> = {
  ',': ',',
  comma: ',',
  tab: '\t',
  '\\t': '\t',
  '\t': '\t',
  ':': ':',
  ';': ';',
  '|': '|',
  space: ' ',
  ' ': ' ',
};

export function parseDelimiter(value: string): string {
  const d = DELIMITERS[value];
  if (d === undefined) throw new InvalidArgumentError('one of , tab : ; | space');
  return d;
}

const COLUMN_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'JSON']);

export function parseColumnTypes(value: string): Record<string, CsvColumnType> {
  const out: Record<string, CsvColumnType> = {};
  for (const part of parseList(value)) {
    const at = part.lastIndexOf(':');
    const type = part.slice(at + 1).toUpperCase();
    if (at <= 0 || !COLUMN_TYPES.has(type))
      throw new InvalidArgumentError(
        `expected column:TYPE (S, N, B, BOOL, NULL, JSON), got ${JSON.stringify(part)}`,
      );
    out[part.slice(0, at)] = type as CsvColumnType;
  }
  return out;
}

/**
 * Where rejected records go when --continue-on-error is given without --rejects: a file in the
 * current folder (created only if a record is rejected), so bad records are never just dropped.
 */
export function defaultRejectsFile(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `sortkey-rejects-${stamp}.jsonl`;
}

/**
 * `--on-conflict <mode>`: what to do with an item whose key is already there (default overwrite).
 * A fresh Option for each command, as commander wants.
 */
export function onConflictOption(description: string): Option {
  return new Option('--on-conflict <mode>', description)
    .choices(['overwrite', 'skip', 'fail'] satisfies OnConflict[])
    .default('overwrite');
}

/** The flags import and restore share → their part of the engine's ImportOptions (pure). */
export function loadOptionsFromCli(opts: LoadCliOptions): ImportOptions {
  const rejects = opts.rejects ?? (opts.continueOnError ? defaultRejectsFile() : undefined);
  return {
    ...(opts.tables ? { tables: opts.tables } : {}),
    ...(opts.tableMap ? { tableMap: opts.tableMap } : {}),
    ...(opts.onConflict ? { onConflict: opts.onConflict } : {}),
    ...(opts.continueOnError ? { continueOnError: true } : {}),
    ...(rejects ? { rejects } : {}),
    ...(opts.emitStreams ? { emitStreams: true } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.readThreads !== undefined ? { readThreads: opts.readThreads } : {}),
  };
}

/** Command-line flags → the engine's ImportOptions (pure: tests call it). */
export function importOptionsFromCli(opts: ImportCliOptions): ImportOptions {
  if (opts.sk && !opts.pk) throw new UsageError('--sk needs --pk');
  const plain = {
    ...(opts.sets ? { sets: opts.sets } : {}),
    ...(opts.binary
      ? { binary: opts.binary === 'base64-prefix' ? ('prefix' as const) : ('base64' as const) }
      : {}),
    ...(opts.binaryPrefix !== undefined
      ? { binaryPrefix: opts.binaryPrefix, binary: 'prefix' as const }
      : {}),
  };
  const csv = {
    ...(opts.csvDelimiter ? { delimiter: opts.csvDelimiter } : {}),
    ...(opts.csvHeader ? { header: opts.csvHeader } : {}),
    ...(opts.csvTypes ? { types: opts.csvTypes } : {}),
    ...(opts.csvEmpty ? { empty: opts.csvEmpty } : {}),
  };
  return {
    ...(opts.table !== undefined ? { table: opts.table } : {}),
    ...(opts.format !== undefined ? { format: opts.format as ImportOptions['format'] } : {}),
    ...(opts.pk ? { partitionKey: opts.pk } : {}),
    ...(opts.sk ? { sortKey: opts.sk } : {}),
    ...loadOptionsFromCli(opts),
    ...(opts.create === false ? { create: false } : {}),
    plain,
    csv,
  };
}

/** `-` is stdin; anything else a file or folder. */
export function sourcesFromArgs(
  files: readonly string[],
  stdin: NodeJS.ReadableStream = process.stdin,
): ImportSource[] {
  return files.map((f) => (f === '-' ? { name: 'stdin', stream: stdin as AsyncIterable<Uint8Array> } : f));
}

/** The human summary of an import. */
export function describeImport(report: ImportReport, verb = 'Imported'): string[] {
  const lines: string[] = [];
  const rate = report.seconds > 0 ? report.records / report.seconds : 0;
  const tables =
    report.tables.map((t) => `${t.table}${t.created ? ' (created)' : ''}`).join(', ') || 'no table';
  if (report.committed) {
    const parts = [`${formatCount(report.written)} item${report.written === 1 ? '' : 's'}`];
    if (report.deleted) parts.push(`${formatCount(report.deleted)} deleted`);
    if (report.skipped) parts.push(`${formatCount(report.skipped)} skipped`);
    lines.push(
      `${pc.green(verb)} ${parts.join(', ')} into ${tables} from ${report.files.join(', ')} ` +
        pc.dim(
          `(${report.format}, ${formatBytes(report.bytes)}, ${report.seconds.toFixed(2)} s, ${formatRate(rate)})`,
        ),
    );
  } else if (report.rejected === 0) {
    lines.push(
      `${pc.green('Checked')} ${formatCount(report.records)} records for ${tables}: all good ${pc.dim('(dry run: nothing written)')}`,
    );
  }
  for (const p of report.problems.slice(0, 20)) {
    lines.push(`  ${pc.yellow(`${p.file}${p.line > 0 ? `:${p.line}` : ''}`)}: ${p.reason}`);
  }
  if (report.rejected > Math.min(20, report.problems.length)) {
    lines.push(
      `  … ${formatCount(report.rejected - Math.min(20, report.problems.length))} more${report.rejectsFile ? ` (all in ${report.rejectsFile})` : ''}`,
    );
  }
  if (report.rejected > 0) {
    if (report.committed) {
      lines.push(
        pc.yellow(
          `${formatCount(report.rejected)} bad record${report.rejected === 1 ? '' : 's'} left out${report.rejectsFile ? `: see ${report.rejectsFile}` : ''}.`,
        ),
      );
    } else {
      lines.push(
        pc.red(
          `Nothing was written: ${formatCount(report.rejected)} bad record${report.rejected === 1 ? '' : 's'}.`,
        ) + ' Fix them, or pass --continue-on-error (with --rejects FILE) to import the good ones.',
      );
    }
  }
  for (const t of report.tables) for (const w of t.warnings) lines.push(pc.yellow(`  ${t.table}: ${w}`));
  for (const w of report.warnings) lines.push(pc.yellow(`  ${w}`));
  return lines;
}

export function exitCodeOf(report: ImportReport): number {
  if (!report.committed && report.rejected > 0) return 1;
  return report.rejected > 0 ? EXIT_PARTIAL : 0;
}

/**
 * Runs `sortkey import` (importItems) or `sortkey restore` (restoreDatabase) of `files` on the
 * target the flags name: progress bar, the report (or JSON), the target closed; the exit code.
 */
export async function runLoad(
  command: 'import' | 'restore',
  files: readonly string[],
  options: ImportOptions,
  opts: LoadCliOptions,
): Promise<number> {
  const bar = new ProgressBar(process.stderr, process.stderr.isTTY === true && !opts.quiet && !opts.json);
  let opened;
  try {
    opened = await openTarget(opts);
  } catch (e) {
    return failure(command, e);
  }
  try {
    const dump = await import('../../engine/dump/index.js');
    const load = command === 'import' ? dump.importItems : dump.restoreDatabase;
    const report = await load(opened.target, sourcesFromArgs(files), {
      ...options,
      onProgress: bar.update,
    });
    bar.done();
    const verb = opts.dryRun ? 'Checked' : command === 'import' ? 'Imported' : 'Restored';
    if (opts.json) console.log(JSON.stringify(report, null, 2));
    else if (!opts.quiet || report.rejected > 0)
      for (const line of describeImport(report, verb)) console.log(line);
    return exitCodeOf(report);
  } catch (e) {
    bar.done();
    return failure(command, e);
  } finally {
    await opened.close();
  }
}

async function runImport(files: string[], opts: ImportCliOptions): Promise<number> {
  let options: ImportOptions;
  try {
    options = importOptionsFromCli(opts);
  } catch (e) {
    return failure('import', e);
  }
  return runLoad('import', files, options, opts);
}

export function addPlainOptions(cmd: Command, withSets = true): Command {
  if (withSets) {
    cmd.addOption(
      new Option(
        '--sets <mode>',
        'plain JSON arrays: list (always L) or auto (SS/NS/BS when members are distinct strings/numbers/binary)',
      ).choices(['list', 'auto']),
    );
  }
  return cmd
    .addOption(
      new Option(
        '--binary <mode>',
        'plain JSON binary: base64 (bare strings) or base64-prefix ("base64:…" strings are B)',
      ).choices(['base64', 'base64-prefix']),
    )
    .option(
      '--binary-prefix <prefix>',
      'the marker of binary strings for --binary base64-prefix (default "base64:")',
    );
}

/**
 * The options of `sortkey import` that say what to import and how (not where: see
 * addTargetOptions). The shell's `.import` accepts the same, through parseImportArgs.
 */
export function addImportOptions(cmd: Command): Command {
  cmd
    .option('-t, --table <name>', 'the table to import into (batch-write files and dumps name their own)')
    .addOption(
      new Option('--format <format>', 'input format (default: detected)').choices([...IMPORT_FORMATS]),
    )
    .option(
      '--pk <name:type>',
      'create the table if missing, with this partition key (type S, N or B)',
      parseKey,
    )
    .option('--sk <name:type>', '… and this sort key', parseKey)
    .addOption(onConflictOption('an item whose key is already there'))
    .option('--continue-on-error', 'write the good records even if some are bad (default: all or nothing)')
    .option(
      '--rejects <file>',
      'write bad records there (NDJSON: file, line, reason, record); with --continue-on-error default ./sortkey-rejects-<time>.jsonl',
    )
    .option('--tables <names>', 'multi-table inputs: only these tables', parseList)
    .option('--table-map <old=new,…>', 'multi-table inputs: import table old as new', parseTableMap)
    .option('--no-create', 'never create tables')
    .option('--emit-streams', 'produce stream records for imported items, as client writes would')
    .option('--dry-run', 'read and validate everything, write nothing');
  return addPlainOptions(cmd)
    .option('--csv-delimiter <char>', 'CSV delimiter: , tab : ; | space', parseDelimiter)
    .option('--csv-header <names>', 'CSV column names when the files have no header row', parseList)
    .option(
      '--csv-types <col:TYPE,…>',
      'types of non-key CSV columns: S (default), N, B, BOOL, NULL, JSON',
      parseColumnTypes,
    )
    .addOption(
      new Option('--csv-empty <mode>', 'empty CSV cells: absent (default) or string').choices([
        'absent',
        'string',
      ]),
    )
    .option(
      '--concurrency <n>',
      'remote imports: BatchWriteItem requests in flight (default 8)',
      parsePositiveInt,
    )
    .option(
      '--read-threads <n>',
      'threads reading and validating DynamoDB JSON lines beside the writer (default: one per core but one when a core is idle; 0: none)',
      parseThreadCount,
    );
}

function parseThreadCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 16)
    throw new InvalidArgumentError('expected a whole number from 0 to 16');
  return Number(value);
}

/**
 * `sortkey import`'s arguments (files, then any of addImportOptions' flags) → files and the engine's
 * ImportOptions, without running anything: the shell's `.import` reads its flags with it. Throws
 * UsageError with commander's message for an unknown or malformed flag.
 */
export function parseImportArgs(args: readonly string[]): { files: string[]; options: ImportOptions } {
  const cmd = addImportOptions(new Command('import').argument('[files...]'))
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .allowExcessArguments(false);
  try {
    cmd.parse([...args], { from: 'user' });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^error: /, ''));
  }
  return { files: cmd.args, options: importOptionsFromCli(cmd.opts<ImportCliOptions>()) };
}

export function register(program: Command): void {
  const cmd = addImportOptions(
    program
      .command('import')
      .description('import items from JSON dumps, DynamoDB exports, BatchWriteItem files, plain JSON or CSV')
      .argument('<files...>', 'files, export folders, or - for stdin (gzip is detected)'),
  )
    .option('-q, --quiet', 'no progress bar; print only problems')
    .option('--json', 'print the report as JSON');
  addTargetOptions(cmd)
    .addHelpText(
      'after',
      `
Formats (detected from the content; gzip from the bytes):
  scan-json      aws dynamodb scan --output json          {"Items":[…],"Count":…}
  ddb-jsonl      DynamoDB export data files, one item per line  {"Item":{…}}  (or bare items)
  ddb-json       an array of DynamoDB JSON items
  export-folder  a DynamoDB export-to-S3 folder (manifest-summary.json, data/*.json.gz)
  batch-write    aws dynamodb batch-write-item request files  {"Table":[{"PutRequest":…}]}
  json, ndjson   plain JSON objects (numbers kept exactly; see --sets, --binary)
  csv            a header row; key columns typed by --pk/--sk, the others strings (--csv-types)
  sortkey-dump   a whole-database dump (sortkey dump); see also sortkey restore

Nothing is written unless every record is good. Writes commit in chunks of at most 25 ms, so a
server on the same file keeps answering; a journal undoes them if the import fails or is
interrupted (a killed import is undone when the file is next opened). Exit status: 0 imported, 1 nothing written, 2 usage,
3 imported with bad records left out (--continue-on-error).

Examples:
  sortkey import orders.json --table Orders --pk id:S
  aws dynamodb scan --table-name Orders --output json | sortkey import - --table Orders --pk id:S
  sortkey import ./AWSDynamoDB/01234567890123-abcdefgh           # a DynamoDB export folder
  sortkey import people.csv --table People --pk email:S --csv-types age:N
  sortkey import big.jsonl.gz --table Events --continue-on-error --rejects bad.jsonl
  sortkey import items.jsonl --table Orders --endpoint http://localhost:8000`,
    )
    .action(async (files: string[], opts: ImportCliOptions) => {
      process.exitCode = await runImport(files, opts);
    });
}
