// `sortkey export TABLE FILE|-`: a table, a Query, a Scan or a PartiQL SELECT into a file or stdout.
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { ExportDestination, ExportOptions, ExportReport, ExportSpec } from '../../engine/dump/index.js';
import { EXPORT_FORMATS } from '../../engine/dump/types.js';
import { addPlainOptions, parseDelimiter } from './import.js';
import { formatBytes, formatCount, formatRate, ProgressBar } from './progress.js';
import { addTargetOptions, failure, openTarget, parseList, parsePositiveInt, UsageError } from './remote.js';
import type { TargetCliOptions } from './remote.js';

export interface ExportCliOptions extends TargetCliOptions {
  query?: string;
  keyCondition?: string;
  filter?: string;
  index?: string;
  projection?: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
  format?: ExportOptions['format'];
  gzip?: boolean;
  chunkSize?: number;
  itemsPerFile?: number;
  segments?: number;
  binary?: 'base64' | 'base64-prefix';
  binaryPrefix?: string;
  csvDelimiter?: string;
  columns?: string[];
  quiet?: boolean;
}

function parseJsonObject(value: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError('expected a JSON object');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new InvalidArgumentError('expected a JSON object');
  return v as Record<string, unknown>;
}

/** Positional arguments and flags → what to export and where (pure: tests call it). */
export function exportSpecFromCli(
  args: readonly string[],
  opts: ExportCliOptions,
): { spec: ExportSpec; destination: string } {
  const wanted = opts.query !== undefined ? 1 : 2;
  if (args.length !== wanted) {
    throw new UsageError(
      opts.query !== undefined
        ? 'with --query, give only the output: sortkey export --query "SELECT …" FILE'
        : 'give a table and an output: sortkey export TABLE FILE (- for stdout)',
    );
  }
  const destination = args[args.length - 1]!;
  if (opts.query !== undefined) {
    if (opts.keyCondition || opts.filter || opts.index)
      throw new UsageError(
        '--query is a PartiQL statement; it does not combine with --key-condition, --filter or --index',
      );
    return { spec: { statement: opts.query }, destination };
  }
  const table = args[0]!;
  const extra: Record<string, unknown> = {
    ...(opts.index ? { IndexName: opts.index } : {}),
    ...(opts.filter ? { FilterExpression: opts.filter } : {}),
    ...(opts.projection ? { ProjectionExpression: opts.projection } : {}),
    ...(opts.names ? { ExpressionAttributeNames: opts.names } : {}),
    ...(opts.values ? { ExpressionAttributeValues: opts.values } : {}),
  };
  if (opts.keyCondition)
    return { spec: { table, query: { ...extra, KeyConditionExpression: opts.keyCondition } }, destination };
  if (Object.keys(extra).length > 0) return { spec: { table, scan: extra }, destination };
  return { spec: { table }, destination };
}

export function exportOptionsFromCli(opts: ExportCliOptions): ExportOptions {
  return {
    ...(opts.format ? { format: opts.format } : {}),
    ...(opts.gzip ? { gzip: true } : {}),
    ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}),
    ...(opts.itemsPerFile ? { itemsPerFile: opts.itemsPerFile } : {}),
    ...(opts.segments ? { segments: opts.segments } : {}),
    plain: {
      ...(opts.binary
        ? { binary: opts.binary === 'base64-prefix' ? ('prefix' as const) : ('base64' as const) }
        : {}),
      ...(opts.binaryPrefix !== undefined
        ? { binaryPrefix: opts.binaryPrefix, binary: 'prefix' as const }
        : {}),
    },
    csv: {
      ...(opts.csvDelimiter ? { delimiter: opts.csvDelimiter } : {}),
      ...(opts.columns ? { columns: opts.columns } : {}),
    },
  };
}

export function describeExport(report: ExportReport, destination: string): string {
  const rate = report.seconds > 0 ? report.items / report.seconds : 0;
  const where =
    destination === '-'
      ? 'stdout'
      : report.files.length > 1
        ? `${report.files.length} files (${report.files[0]} …)`
        : (report.files[0] ?? destination);
  return (
    `${pc.green('Exported')} ${formatCount(report.items)} item${report.items === 1 ? '' : 's'} from ${report.tables.map((t) => t.table).join(', ')} to ${where} ` +
    pc.dim(
      `(${report.format}, ${formatBytes(report.bytes)}, ${report.seconds.toFixed(2)} s, ${formatRate(rate)})`,
    )
  );
}

/** Removes a half-written file on Ctrl+C (the dump API writes under a temporary name). */
export function onInterrupt(abort: AbortController): () => void {
  const handler = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  };
}

async function runExport(args: string[], opts: ExportCliOptions): Promise<number> {
  let spec: ExportSpec;
  let destinationArg: string;
  let options: ExportOptions;
  try {
    ({ spec, destination: destinationArg } = exportSpecFromCli(args, opts));
    options = exportOptionsFromCli(opts);
    if (destinationArg === '-' && (options.format === 'export-folder' || options.chunkSize)) {
      throw new UsageError('this output is several files: give a folder or file name, not -');
    }
  } catch (e) {
    return failure('export', e);
  }
  const toStdout = destinationArg === '-';
  const destination: ExportDestination = toStdout ? process.stdout : destinationArg;
  const bar = new ProgressBar(process.stderr, process.stderr.isTTY === true && !opts.quiet);
  let opened;
  try {
    opened = await openTarget(opts, process.env, { command: 'export', readOnly: true });
  } catch (e) {
    return failure('export', e);
  }
  const abort = new AbortController();
  const release = onInterrupt(abort);
  try {
    const { exportTable } = await import('../../engine/dump/index.js');
    const report = await exportTable(opened.target, spec, destination, {
      ...options,
      onProgress: bar.update,
      signal: abort.signal,
    });
    bar.done();
    if (!opts.quiet) (toStdout ? console.error : console.log)(describeExport(report, destinationArg));
    return 0;
  } catch (e) {
    bar.done();
    if (abort.signal.aborted) {
      console.error('sortkey export: interrupted; nothing was written');
      return 130;
    }
    // The reader went away (`sortkey export T - | head`): stop quietly, as Unix tools do.
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return 141;
    return failure('export', e);
  } finally {
    release();
    await opened.close();
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('export')
    .description(
      'export a table, a Query/Scan or a PartiQL SELECT as JSON, DynamoDB JSON, an export folder or CSV',
    )
    .argument('<args...>', 'TABLE FILE (or just FILE with --query); FILE - is stdout')
    .option('--query <statement>', 'a PartiQL SELECT to export instead of a whole table')
    .option('--key-condition <expression>', 'export a Query of TABLE: its KeyConditionExpression')
    .option('--filter <expression>', 'FilterExpression of the Query or Scan')
    .option('--index <name>', 'read this index of TABLE')
    .option('--projection <expression>', 'ProjectionExpression: only these attributes')
    .option('--names <json>', 'ExpressionAttributeNames, e.g. \'{"#s":"status"}\'', parseJsonObject)
    .option(
      '--values <json>',
      'ExpressionAttributeValues in DynamoDB JSON, e.g. \'{":p":{"S":"a"}}\'',
      parseJsonObject,
    )
    .addOption(
      new Option(
        '--format <format>',
        'output format (default from the file name: .csv, .gz, else ddb-jsonl)',
      ).choices([...EXPORT_FORMATS]),
    )
    .option('--gzip', 'gzip the output')
    .option(
      '--chunk-size <n>',
      'batch-write: files of n requests (default 25, what aws dynamodb batch-write-item accepts)',
      parsePositiveInt,
    )
    .option('--items-per-file <n>', 'export-folder: items per data file (default 100000)', parsePositiveInt)
    .option('--segments <n>', 'remote tables: parallel scan segments (default 4)', parsePositiveInt);
  addPlainOptions(cmd, false)
    .option('--csv-delimiter <char>', 'CSV delimiter: , tab : ; | space', parseDelimiter)
    .option(
      '--columns <names>',
      'CSV columns, in order (default: keys, then every attribute found)',
      parseList,
    )
    .option('-q, --quiet', 'no progress bar, no summary');
  addTargetOptions(cmd)
    .addHelpText(
      'after',
      `
Formats: scan-json, ddb-jsonl, ddb-jsonl-gz, export-folder, batch-write, json, ndjson, csv, sortkey-dump
(DynamoDB JSON formats and sortkey-dump keep every type exactly; json/ndjson/csv are plain).

Examples:
  sortkey export Orders orders.jsonl                           # DynamoDB JSON lines
  sortkey export Orders - --format scan-json | jq '.Count'
  sortkey export Orders ./exports/ --format export-folder      # DynamoDB's export-to-S3 layout
  sortkey export Orders ./requests/ --format batch-write       # Orders-00001.json, … (25 requests each)
  sortkey export Orders orders.csv
  sortkey export Orders q.json --format json --key-condition "pk = :p" --values '{":p":{"S":"customer#1"}}'
  sortkey export --query "SELECT * FROM Orders WHERE status = 'OPEN'" open.jsonl
  sortkey export Orders prod.jsonl.gz --region eu-west-1 --profile prod --segments 8`,
    )
    .action(async (args: string[], opts: ExportCliOptions) => {
      process.exitCode = await runExport(args, opts);
    });
}
