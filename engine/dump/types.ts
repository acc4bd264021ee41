// The shapes of the dump API: formats, options, progress and reports. Shared by import, export,
// dump and restore, by the CLI, the shell's .import/.export and the studio's dialog.
import type { KeyType, Sdk, Wire } from '../types.js';
import type { PlainOptions } from './json/plain.js';

/** Formats import reads; 'auto' detects them from the content. */
export const IMPORT_FORMATS = [
  'auto',
  'scan-json',
  'ddb-jsonl',
  'ddb-json',
  'export-folder',
  'batch-write',
  'json',
  'ndjson',
  'csv',
  'sortkey-dump',
] as const;
export type ImportFormatName = (typeof IMPORT_FORMATS)[number];
export type ImportFormat = Exclude<ImportFormatName, 'auto'>;

/** Formats export writes. */
export const EXPORT_FORMATS = [
  'scan-json',
  'ddb-jsonl',
  'ddb-jsonl-gz',
  'export-folder',
  'batch-write',
  'json',
  'ndjson',
  'csv',
  'sortkey-dump',
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_DESCRIPTIONS: Record<ImportFormat | ExportFormat, string> = {
  'scan-json': '`aws dynamodb scan --output json` output: {"Items":[…],"Count":…} in DynamoDB JSON',
  'ddb-jsonl': 'DynamoDB JSON, one item per line, bare or as {"Item":…} (DynamoDB export-to-S3 data files)',
  'ddb-jsonl-gz': 'ddb-jsonl, gzipped',
  'ddb-json': 'a JSON array of DynamoDB JSON items, bare or as {"Item":…}',
  'export-folder':
    'a DynamoDB export-to-S3 folder (manifest-summary.json, manifest-files.json, data/*.json.gz)',
  'batch-write': 'BatchWriteItem request items: {"Table":[{"PutRequest":{"Item":…}}, …]}',
  json: 'plain JSON documents: an array of objects (or objects one after another)',
  ndjson: 'plain JSON documents, one object per line',
  csv: 'CSV with a header row; non-key columns are strings unless typed',
  'sortkey-dump': "a Sortkey database dump: every table's definition and items",
};

export type ConflictMode = 'overwrite' | 'skip' | 'fail';

/** A key attribute given on the command line: `id:S`. */
export interface KeySpec {
  readonly name: string;
  readonly type: KeyType;
}

export type CsvColumnType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'JSON';

export interface CsvOptions {
  /** One of , tab : ; | space. Default ','. */
  readonly delimiter?: string;
  /** Column names when the files have no header row (every line is then data), as DynamoDB's HeaderList. */
  readonly header?: readonly string[];
  /**
   * Types of non-key columns (default S, as DynamoDB's CSV import). JSON parses the cell as plain
   * JSON (numbers exact) with the plain-JSON options.
   */
  readonly types?: Readonly<Record<string, CsvColumnType>>;
  /** Empty cells: 'absent' (default: the attribute is left out) or 'string' (an empty S). */
  readonly empty?: 'absent' | 'string';
  /** Export: the columns to write, in order (default: key attributes, then every other attribute found). */
  readonly columns?: readonly string[];
}

export interface Progress {
  /** 'read': reading and validating input; 'write': writing validated items; 'export': reading and writing out. */
  readonly phase: 'read' | 'write' | 'export';
  /** Records read (read), items written (write), items exported (export). */
  readonly items: number;
  /** Input bytes read (read, export from a file) or output bytes written (export). */
  readonly bytes: number;
  readonly totalBytes?: number;
  readonly totalItems?: number;
  readonly rejected: number;
  /** The table being worked on, when one. */
  readonly table?: string;
}

export type ProgressListener = (p: Progress) => void;

/** One bad record: where it is and why it was refused. */
export interface RecordProblem {
  readonly file: string;
  /** 1-based line the record starts on (0 when the problem is about the whole file). */
  readonly line: number;
  readonly reason: string;
  readonly table?: string;
}

/** Settings a table definition carries beyond CreateTable's input. */
export interface TableDefinition {
  /** CreateTable's input (keys, attribute definitions, indexes, billing, streams, SSE, class, tags). */
  readonly create: Wire<Sdk.CreateTableInput>;
  readonly timeToLive?: { readonly AttributeName: string; readonly Enabled: boolean };
  readonly pointInTimeRecovery?: boolean;
  /** Item count when the definition was written (informational). */
  readonly itemCount?: number;
}

export interface ImportOptions {
  /** Table to import into. Required unless the input names its tables (batch-write, sortkey-dump, export folder). */
  readonly table?: string;
  /** Renames tables the input names: input name → table name. */
  readonly tableMap?: Readonly<Record<string, string>>;
  /** Only these tables of a multi-table input (input names). */
  readonly tables?: readonly string[];
  readonly format?: ImportFormatName;
  /** Keys of the table to create when it does not exist. */
  readonly partitionKey?: KeySpec;
  readonly sortKey?: KeySpec;
  /** Create missing tables from the input's definitions or the given keys (default true). */
  readonly create?: boolean;
  /** What to do with an item whose key is already in the table. Default 'overwrite'. */
  readonly onConflict?: ConflictMode;
  /**
   * Tables that already exist when the input carries a definition (restore): 'merge' (default for
   * import: write into it), 'fail' (default for restore), 'skip' (leave it and its items alone),
   * 'replace' (empty it first; its key schema must match).
   */
  readonly onExistingTable?: 'merge' | 'fail' | 'skip' | 'replace';
  /** Write the good records and set the bad ones aside, instead of writing nothing. */
  readonly continueOnError?: boolean;
  /** File to write rejected records to (NDJSON: file, line, reason, record). */
  readonly rejects?: string;
  /** Produce stream records for imported items, as client writes would. Default false. */
  readonly emitStreams?: boolean;
  readonly plain?: PlainOptions;
  readonly csv?: CsvOptions;
  readonly onProgress?: ProgressListener;
  /** Problems kept in the report (all are counted and written to `rejects`). Default 100. */
  readonly maxReportedProblems?: number;
  /** Validate everything and report, without writing. */
  readonly dryRun?: boolean;
  /** Remote imports: parallel BatchWriteItem requests in flight. Default 8. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /**
   * Local imports commit in chunks of at most 25 ms each, so other writers wait little; this caps
   * the items of one chunk as well (tests use it to make chunks small).
   */
  readonly maxChunkItems?: number;
  /**
   * Worker threads that read and validate DynamoDB JSON lines beside the main thread (which
   * writes). Default: one per core but one (at most 3) when the load average leaves a core free,
   * for inputs of 4 MB or more or of unknown size; 0 reads on the main thread only. Given, it
   * applies to inputs of any size.
   */
  readonly readThreads?: number;
  /** Tests of the read threads: wait until they listen, cut batches of `batchLines` lines, keep the main thread out, inject a fault. */
  readonly readThreadTest?: {
    readonly waitReady?: boolean;
    readonly batchLines?: number;
    /** Every batch goes to a thread while one lives (the main thread waits instead of reading one itself). */
    readonly threadsOnly?: boolean;
    readonly fault?: { readonly line: number; readonly how: 'throw' | 'exit' };
  };
  /** How often progress is reported, at most (default 100 ms; tests use 0 to see every step). */
  readonly progressEveryMs?: number;
}

export interface TableImportReport {
  readonly table: string;
  created: boolean;
  written: number;
  deleted: number;
  skipped: number;
  rejected: number;
  /** Settings that could not be applied (TTL, point-in-time recovery…), as sentences. */
  readonly warnings: string[];
}

export interface ImportReport {
  readonly format: ImportFormat;
  readonly files: string[];
  /** Records read (items, deletes). */
  records: number;
  written: number;
  deleted: number;
  skipped: number;
  rejected: number;
  /** True when the items were written (false: all-or-nothing refused, dry run, or nothing to do). */
  committed: boolean;
  readonly tables: TableImportReport[];
  /** The first problems (up to maxReportedProblems). */
  readonly problems: RecordProblem[];
  rejectsFile?: string;
  /** Input bytes read. */
  bytes: number;
  seconds: number;
  readonly warnings: string[];
}

/** What to export: a whole table, a Query, a Scan, or a PartiQL SELECT. */
export interface ExportSpec {
  readonly table?: string;
  /** A Query's input without TableName (KeyConditionExpression, IndexName, FilterExpression, …). */
  readonly query?: Record<string, unknown>;
  /** A Scan's input without TableName (IndexName, FilterExpression, …). */
  readonly scan?: Record<string, unknown>;
  /** A PartiQL SELECT run through ExecuteStatement, page after page. */
  readonly statement?: string;
  readonly parameters?: readonly unknown[];
}

export interface ExportOptions {
  readonly format?: ExportFormat;
  readonly plain?: PlainOptions;
  readonly csv?: CsvOptions;
  /** gzip the output (implied by ddb-jsonl-gz). */
  readonly gzip?: boolean;
  /** batch-write: split into files of this many requests (25 is what BatchWriteItem takes). */
  readonly chunkSize?: number;
  /** export-folder: items per data file. Default 100,000. */
  readonly itemsPerFile?: number;
  /** Remote scans: parallel segments. Default 4. */
  readonly segments?: number;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

export interface ExportReport {
  readonly format: ExportFormat;
  readonly tables: { readonly table: string; readonly items: number }[];
  items: number;
  /** Bytes written (before compression). */
  bytes: number;
  seconds: number;
  /** Files written (export-folder, chunked batch-write, file destinations). */
  readonly files: string[];
}
