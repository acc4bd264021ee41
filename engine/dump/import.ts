// Import: any supported input into local tables (or a remote service), validated by the engine's
// own rules, all-or-nothing by default.
//
// Two phases:
//   1. read   (async, streaming) every input is parsed record by record; each item is validated
//             as PutItem would (attribute values, key attributes, item size, index keys) and the
//             normalised item, with its encoded key, is appended to a spool (memory, then a
//             temporary file: bounded memory whatever the input size). Bad records are collected
//             with file, line, reason; one bad record anywhere means nothing is written.
//   2. write  Locally: in chunks of at most 25 ms, each one transaction, with a pause between them
//             so that other writers sharing the file (a `sortkey serve`, the shell) wait one chunk
//             at most. Writes go through the engine's write path (engine/tables/write.ts: item row,
//             index rows, counters, stream, TTL and point-in-time listeners), or for tables the
//             import created and that have no index, straight into multi-row INSERTs. Each chunk
//             records in the import journal (journal.ts) what it changed, so a failure, a
//             cancellation or a killed process is undone: the tables end as they were.
//             Remotely: BatchWriteItem in parallel chunks with retries (not atomic: see below).
import { availableParallelism, loadavg } from 'node:os';
import { DatabaseBusyError } from '../storage/database.js';
import type { Database } from '../storage/database.js';
import type { EngineContext } from '../context.js';
import type { Engine } from '../engine.js';
import { isValidName } from '../operations/common.js';
import { keyAttributes } from '../tables/schema.js';
import type { EncodedKey, KeySchema } from '../tables/schema.js';
import type { StoredRow, Table } from '../tables/table.js';
import { writeItem } from '../tables/write.js';
import type { WriteOrigin } from '../tables/write.js';
import type { Item, Sdk, Wire } from '../types.js';
import {
  definitionFromKeys,
  describeKeySchema,
  keySchemaOf,
  sameKeySchema,
  scratchTable,
} from './definition.js';
import { detectFormat } from './detect.js';
import { encodeRecord, reasonOf } from './encode.js';
import { locateExport, looksLikeExport } from './exportFolder.js';
import {
  ByteCounter,
  InputStream,
  InvalidUtf8Error,
  isDirectory,
  sourceName,
  sourcePath,
  sourceSize,
} from './io/input.js';
import type { ImportSource } from './io/input.js';
import { copyBytes, HEAD_FIXED_BYTES, writeHead } from './io/entryHead.js';
import { KeyFilter } from './io/keyFilter.js';
import { LineTooLongError } from './io/input.js';
import { BATCH_ENTRY_PREFIX, LineBatchEncoder } from './lineBatch.js';
import { ReadThreads } from './readThreads.js';
import type { LineJob } from './readThreads.js';
import { SyncFileWriter } from './io/output.js';
import { SortingSpool } from './io/spool.js';
import type { SpoolEntry } from './io/spool.js';
import { ImportJournal } from './journal.js';
import { InputError, readRecords } from './readers.js';
import type { InputRecord, ReaderOptions } from './readers.js';
import type { Connection, RemoteConnection } from '../connection/index.js';
import { backoffMs, sleep, waitActive } from './remote.js';
import { localEngineOf, tableInfo } from './store.js';
import type { DumpTarget } from './store.js';
import type {
  ImportFormat,
  ImportOptions,
  ImportReport,
  Progress,
  RecordProblem,
  TableDefinition,
  TableImportReport,
} from './types.js';

/** A usage problem found before anything is written: a missing table, a key mismatch, a bad option. */
export class DumpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DumpError';
  }
}

/** One input to read: a file, a stream, or one data file of an export folder. */
interface Unit {
  readonly name: string;
  readonly source: ImportSource;
  readonly format?: ImportFormat;
  readonly expectItems?: number;
  readonly md5?: string;
  /** The table an export folder's manifest names. */
  readonly table?: string;
}

interface Target {
  readonly index: number;
  /** Name in the database. */
  readonly name: string;
  key: KeySchema;
  /** The live table (local, existing), or a scratch table for validation (new or remote). */
  table: Table;
  exists: boolean;
  /** Created in phase 2 from this definition. */
  create?: TableDefinition;
  /** The table's CreateTable input: read threads validate against a scratch table built from it. */
  readonly shape: Wire<Sdk.CreateTableInput>;
  /** Items go nowhere (onExistingTable 'skip'). */
  skip: boolean;
  /** Existing items are removed first (onExistingTable 'replace'). */
  replace: boolean;
  /** Records of this table in the spool. */
  spooled: number;
  readonly report: TableImportReport;
}

/** Signals the write transaction to roll back without it being an error of the engine. */
class Rollback extends Error {}

/** A read thread failed while encoding a batch (not a bad record: a fault of the thread). */
class ReadThreadFailure extends Error {
  constructor(reason: string) {
    super(`an import read thread failed: ${reason}`);
  }
}

/** Inputs smaller than this are read on the main thread unless read threads are asked for: starting one costs more. */
const THREADED_MIN_BYTES = 4 * 1024 * 1024;
/**
 * Characters of a batch, about: a decoded piece of input (256 KB) is cut into batches of whole
 * lines this long. Short enough that a batch's string and buffers stay below V8's large-object size
 * and die young (256 KB strings piled up in the large-object space until a full collection: +140 MB
 * of RSS), and that a thread is handed its next batch before it runs dry.
 */
const BATCH_CHARS = 48 * 1024;
/** Batches read but not yet spooled: bounded memory. */
const MAX_QUEUED_BATCHES = 12;
/** As readLines (io/input.ts). */
const MAX_LINE_CHARS = 64 * 1024 * 1024;

/**
 * One read thread per core but one (at most 3), when the load average says a core is free. A
 * thread only pays on a core nobody else wants: on a busy machine it costs about a fifth more CPU
 * (a second heap to collect, a second JIT warm-up, the hand-over) for no gain in time (measured on
 * the shared 2-core machine at a load of 8–15: the same wall time, 3.3 against 2.7 CPU s).
 */
export function defaultReadThreads(): number {
  const cores = availableParallelism();
  if (cores < 2 || loadavg()[0]! > cores - 1) return 0;
  return Math.min(cores - 1, 3);
}

const PROGRESS_EVERY_MS = 100;
/** All-or-nothing imports stop reading after this many bad records: nothing will be written anyway. */
const STOP_AFTER_BAD = 10_000;

class ImportRun {
  readonly report: ImportReport;
  readonly targets = new Map<string, Target>();
  readonly targetList: Target[] = [];
  /** Validated records, given back in (table, partition hash) order: B-tree order for the writes. */
  readonly spool = new SortingSpool();
  readonly counter = new ByteCounter();
  readonly units: Unit[] = [];
  rejects: SyncFileWriter | undefined;
  readonly maxProblems: number;
  /** Inputs in the batch-write format: one BatchWriteItem request each, so a key may appear once. */
  readonly batchUnits = new Set<number>();
  private lastProgress = 0;
  totalBytes: number | undefined;
  /** Input table names seen, for the single-target check. */
  private readonly inputTables = new Set<string>();
  private readonly started = Date.now();

  constructor(
    readonly target: DumpTarget,
    readonly options: ImportOptions,
    readonly restore: boolean,
  ) {
    this.maxProblems = options.maxReportedProblems ?? 100;
    this.report = {
      format: 'json',
      files: [],
      records: 0,
      written: 0,
      deleted: 0,
      skipped: 0,
      rejected: 0,
      committed: false,
      tables: [],
      problems: [],
      bytes: 0,
      seconds: 0,
      warnings: [],
    };
  }

  get failed(): boolean {
    return this.report.rejected > 0;
  }

  problem(file: string, line: number, reason: string, table?: string, text?: string): void {
    this.report.rejected++;
    if (this.report.problems.length < this.maxProblems) {
      this.report.problems.push({ file, line, reason, ...(table !== undefined ? { table } : {}) });
    }
    if (this.rejects) {
      const entry: Record<string, unknown> = { file, line, reason };
      if (table !== undefined) entry.table = table;
      if (text !== undefined) entry.record = text;
      this.rejects.writeLine(JSON.stringify(entry));
    }
  }

  progress(
    phase: Progress['phase'],
    items: number,
    force = false,
    totalItems?: number,
    table?: string,
  ): void {
    const listener = this.options.onProgress;
    if (!listener) return;
    const now = Date.now();
    if (!force && now - this.lastProgress < (this.options.progressEveryMs ?? PROGRESS_EVERY_MS)) return;
    this.lastProgress = now;
    listener({
      phase,
      items,
      bytes: this.counter.bytes,
      ...(this.totalBytes !== undefined && phase === 'read' ? { totalBytes: this.totalBytes } : {}),
      ...(totalItems !== undefined ? { totalItems } : {}),
      rejected: this.report.rejected,
      ...(table !== undefined ? { table } : {}),
    });
  }

  // ── inputs ──────────────────────────────────────────────────────────────────────────────────

  expandSources(sources: readonly ImportSource[]): void {
    for (const source of sources) {
      const path = sourcePath(source);
      const wantsFolder = this.options.format === 'export-folder';
      if (path !== undefined && (isDirectory(path) || (wantsFolder && looksLikeExport(path)))) {
        const folder = locateExport(path);
        this.report.warnings.push(...folder.warnings);
        for (const f of folder.files) {
          this.units.push({
            name: f.path,
            source: f.path,
            format: 'export-folder',
            ...(f.itemCount !== undefined ? { expectItems: f.itemCount } : {}),
            ...(f.md5 !== undefined ? { md5: f.md5 } : {}),
            ...(folder.table !== undefined ? { table: folder.table } : {}),
          });
        }
        this.report.files.push(path);
        continue;
      }
      this.units.push({ name: sourceName(source), source });
      this.report.files.push(sourceName(source));
    }
    let total = 0;
    for (const u of this.units) {
      const size = sourceSize(u.source);
      if (size === undefined) return;
      total += size;
    }
    this.totalBytes = total;
  }

  // ── tables ──────────────────────────────────────────────────────────────────────────────────

  /** The database table an input's records go to (input table name, or none for single-table formats). */
  targetName(inputTable: string | undefined, unit: Unit): string | undefined {
    const map = this.options.tableMap;
    if (inputTable !== undefined && map && map[inputTable] !== undefined) return map[inputTable];
    if (this.options.table !== undefined) return this.options.table;
    return inputTable ?? unit.table;
  }

  wanted(inputTable: string | undefined): boolean {
    const only = this.options.tables;
    return !only || inputTable === undefined || only.includes(inputTable);
  }

  /** Resolves (once) the table records of `inputTable` go to; throws DumpError when there is none. */
  async resolve(inputTable: string | undefined, unit: Unit, definition?: TableDefinition): Promise<Target> {
    const name = this.targetName(inputTable, unit);
    if (name === undefined) {
      throw new DumpError(
        `${unit.name}: which table? This input does not name one: pass a table name (--table)`,
      );
    }
    if (inputTable !== undefined) {
      this.inputTables.add(inputTable);
      if (
        this.options.table !== undefined &&
        !this.options.tableMap?.[inputTable] &&
        this.inputTables.size > 1
      ) {
        throw new DumpError(
          `${unit.name} holds several tables (${[...this.inputTables].join(', ')}); --table would merge them: pick some with --tables or rename with --table-map`,
        );
      }
    }
    const known = this.targets.get(name);
    if (!known) checkTargetName(name);
    if (known) {
      if (definition)
        known.report.warnings.push(`a second definition for ${name} (from ${inputTable}) was ignored`);
      return known;
    }
    const info = await tableInfo(this.target, name);
    const report: TableImportReport = {
      table: name,
      created: false,
      written: 0,
      deleted: 0,
      skipped: 0,
      rejected: 0,
      warnings: [],
    };
    const onExisting = this.options.onExistingTable ?? (this.restore ? 'fail' : 'merge');
    let t: Target;
    if (info) {
      if (definition && onExisting === 'fail') {
        throw new DumpError(
          `table ${name} already exists; restore refuses to touch it (use --on-existing merge|replace|skip, or --table-map to restore under another name)`,
        );
      }
      const wantKey = definition ? keySchemaOf(definition.create) : undefined;
      if (wantKey && !sameKeySchema(wantKey, info.key) && onExisting !== 'skip') {
        throw new DumpError(
          `table ${name} exists with keys ${describeKeySchema(info.key)}, the input's have ${describeKeySchema(wantKey)}`,
        );
      }
      const keys = this.options.partitionKey;
      if (keys && !definition) {
        const given = keySchemaOf(definitionFromKeys(name, keys, this.options.sortKey).create);
        if (!sameKeySchema(given, info.key)) {
          throw new DumpError(
            `table ${name} exists with keys ${describeKeySchema(info.key)}, not ${describeKeySchema(given)}`,
          );
        }
      }
      const engine = localEngineOf(this.target);
      const live = engine ? engine.ctx.catalog.get(name)! : scratchTable(info.definition.create);
      if (engine) {
        engine.ctx.settle(live);
        if (live.status === 'CREATING' || live.status === 'DELETING')
          throw new DumpError(`table ${name} is ${live.status}`);
      }
      t = {
        index: this.targetList.length,
        name,
        key: info.key,
        table: live,
        shape: info.definition.create,
        exists: true,
        skip: definition !== undefined && onExisting === 'skip',
        replace: onExisting === 'replace',
        spooled: 0,
        report,
      };
      if (definition && onExisting === 'merge')
        report.warnings.push("the table existed: its definition was kept, the dump's ignored");
    } else {
      let def = definition;
      if (!def && this.options.partitionKey)
        def = definitionFromKeys(name, this.options.partitionKey, this.options.sortKey);
      if (!def || this.options.create === false) {
        throw new DumpError(
          this.options.create === false
            ? `table ${name} does not exist (creating tables is turned off)`
            : `table ${name} does not exist: give its keys to create it (--pk name:S [--sk name:N]) or create it first`,
        );
      }
      const create = renamed(def, name);
      t = {
        index: this.targetList.length,
        name,
        key: keySchemaOf(create.create),
        table: scratchTable(create.create),
        shape: create.create,
        exists: false,
        create,
        skip: false,
        replace: false,
        spooled: 0,
        report,
      };
    }
    this.targets.set(name, t);
    this.targetList.push(t);
    this.report.tables.push(report);
    return t;
  }

  // ── phase 1 ─────────────────────────────────────────────────────────────────────────────────

  readerOptions(defaultTarget: Target | undefined): ReaderOptions {
    const keyTypes = new Map<string, 'S' | 'N' | 'B'>();
    if (defaultTarget) for (const a of keyAttributes(defaultTarget.key)) keyTypes.set(a.name, a.type);
    for (const index of defaultTarget?.table.indexes.values() ?? []) {
      for (const a of keyAttributes(index.key)) if (!keyTypes.has(a.name)) keyTypes.set(a.name, a.type);
    }
    return { plain: this.options.plain ?? {}, csv: this.options.csv ?? {}, keyTypes };
  }

  /** Validates one item record into the spool, or records why not. */
  addItem(t: Target, rec: InputRecord & { kind: 'item' | 'delete' }, unitIndex: number, unit: Unit): void {
    if (t.skip) {
      t.report.skipped++;
      this.report.skipped++;
      return;
    }
    const raw = rec.kind === 'item' ? rec.value : rec.key;
    try {
      const r = encodeRecord(
        t.table,
        t.key,
        rec.kind === 'item',
        raw,
        rec.text,
        rec.kind === 'item' ? rec.itemText : undefined,
      );
      t.spooled++;
      // The encoded key travels with the item: the write phase needs no parse to place it.
      const headLength = encodeHead(r.put, t.index, unitIndex, rec.line, r.size, r.key);
      this.spool.appendEntry(t.index * 0x1_0000_0000 + r.key.hash, HEAD, headLength, r.json);
    } catch (e) {
      t.report.rejected++;
      this.problem(unit.name, rec.line, reasonOf(e), t.name, rec.text);
    }
  }

  /** The read threads, started for the first input that can use them; closed when reading ends. */
  private threads: ReadThreads | undefined;

  async read(): Promise<void> {
    try {
      await this.readUnits();
    } finally {
      this.threads?.close();
      this.threads = undefined;
    }
  }

  /**
   * The read threads for an input (readThreads.ts), or none: only DynamoDB JSON lines into one
   * table are read on several threads (the formats a big import comes in), and by default only
   * inputs of at least THREADED_MIN_BYTES (or of unknown size: a pipe), where a thread's start pays.
   */
  private threadsFor(unit: Unit, format: ImportFormat, t: Target | undefined): ReadThreads | undefined {
    if (!t || t.skip || (format !== 'ddb-jsonl' && format !== 'export-folder')) return undefined;
    // Without threads the batches are encoded here, by the same code (lineBatch.ts): it reads items
    // in stored form from the text without JSON.parse, and hands the spool bytes.
    const wanted = this.options.readThreads ?? defaultReadThreads();
    if (wanted <= 0) return ReadThreads.none();
    if (this.options.readThreads === undefined) {
      const size = sourceSize(unit.source);
      if (size !== undefined && size < THREADED_MIN_BYTES) return ReadThreads.none();
    }
    this.threads ??= ReadThreads.open(wanted, this.options.readThreadTest?.fault);
    return this.threads;
  }

  /**
   * Reads one input of DynamoDB JSON lines with the read threads: each decoded piece is cut into
   * batches of whole lines (about BATCH_CHARS; the lines `readLines` would give), each encoded by
   * a thread with room or else on this thread (lineBatch.ts), and the results are taken in input
   * order — the spool, the problems and the all-or-nothing stop (checked where a piece ends, as
   * readLines yields) come out as on one thread.
   */
  private async readLinesThreaded(
    input: InputStream,
    unit: Unit,
    unitIndex: number,
    t: Target,
    threads: ReadThreads,
    recordsBefore: number,
  ): Promise<{ records: number; stopped: boolean }> {
    const test = this.options.readThreadTest;
    if (test?.waitReady) await threads.ready();
    threads.setTable(t.shape, t.index, unitIndex);
    const encoder = new LineBatchEncoder(t.table, t.key, t.index, unitIndex);
    const local = (job: LineJob) => {
      job.result = encoder.encode(job.text, job.firstLine);
    };
    const signal = this.options.signal;
    const maxLines = test?.batchLines ?? Infinity;
    let queue: LineJob[] = [];
    let head = 0;
    let records = 0;
    let stopped = false;
    const apply = (job: LineJob) => {
      if (job.error !== undefined) throw new ReadThreadFailure(job.error);
      const b = job.result!;
      const bytes = Buffer.from(b.bytes, 0, b.used);
      for (let at = 0; at < b.used;) {
        const length = bytes.readUInt32LE(at + 8);
        const from = at + BATCH_ENTRY_PREFIX;
        this.spool.appendRaw(bytes.readDoubleLE(at), bytes, from, from + length);
        at = from + length;
      }
      t.spooled += b.entries;
      for (const p of b.problems) {
        if (p.table) {
          t.report.rejected++;
          this.problem(unit.name, p.line, p.reason, t.name, p.text);
        } else {
          this.problem(unit.name, p.line, p.reason, undefined, p.text);
        }
      }
      records += b.records;
      if (!job.pieceEnd) return;
      this.report.records = recordsBefore + records;
      this.progress('read', recordsBefore + records);
      if (this.failed && !this.options.continueOnError && this.report.rejected >= STOP_AFTER_BAD) {
        this.report.warnings.push(`stopped reading after ${this.report.rejected} bad records`);
        stopped = true;
      }
    };
    const takeReady = () => {
      threads.poll(local);
      while (!stopped && head < queue.length) {
        const job = queue[head]!;
        if (job.result === undefined && job.error === undefined) break;
        head++;
        apply(job);
      }
      if (head > 64) {
        queue = queue.slice(head);
        head = 0;
      }
    };
    const dispatch = async (text: string, firstLine: number, lines: number, pieceEnd: boolean) => {
      const job: LineJob = { text, firstLine, lines, pieceEnd };
      queue.push(job);
      while (!threads.send(job)) {
        if (!test?.threadsOnly || threads.size === 0 || queue[head] === job) {
          local(job);
          return;
        }
        await threads.wait(queue[head]!, local);
        takeReady();
      }
    };
    let carry = '';
    let lineNo = 1;
    try {
      for await (const text of input.texts()) {
        if (signal?.aborted) throw signal.reason;
        const last = text.lastIndexOf('\n');
        if (last < 0) {
          carry += text;
          if (carry.length > MAX_LINE_CHARS) throw new LineTooLongError(lineNo, MAX_LINE_CHARS);
          continue;
        }
        const whole = carry + text.slice(0, last + 1);
        carry = text.slice(last + 1);
        if (carry.length > MAX_LINE_CHARS) {
          // As readLines: a line left over that is already too long stops before this piece's lines.
          let line = lineNo;
          for (let at = whole.indexOf('\n'); at >= 0; at = whole.indexOf('\n', at + 1)) line++;
          throw new LineTooLongError(line, MAX_LINE_CHARS);
        }
        let from = 0;
        let first = lineNo;
        let lines = 0;
        for (let at = whole.indexOf('\n'); at >= 0; at = whole.indexOf('\n', at + 1)) {
          lines++;
          lineNo++;
          if ((lines === maxLines || at + 1 - from >= BATCH_CHARS) && at + 1 < whole.length) {
            await dispatch(whole.slice(from, at + 1), first, lines, false);
            from = at + 1;
            first = lineNo;
            lines = 0;
          }
        }
        await dispatch(from === 0 ? whole : whole.slice(from), first, lines, true);
        takeReady();
        while (!stopped && queue.length - head > MAX_QUEUED_BATCHES) {
          await threads.wait(queue[head]!, local);
          takeReady();
        }
        if (stopped) return { records, stopped };
      }
      if (carry.length > 0) await dispatch(carry, lineNo, 0, true);
    } catch (e) {
      if (e instanceof ReadThreadFailure || signal?.aborted) throw e;
      // What was read before the input failed is reported first, as on one thread.
      while (!stopped && head < queue.length) {
        await threads.wait(queue[head]!, local);
        takeReady();
      }
      throw e;
    }
    while (!stopped && head < queue.length) {
      await threads.wait(queue[head]!, local);
      takeReady();
    }
    return { records, stopped };
  }

  private async readUnits(): Promise<void> {
    let records = 0;
    for (let u = 0; u < this.units.length; u++) {
      const unit = this.units[u]!;
      if (this.options.signal?.aborted) throw this.options.signal.reason;
      let input: InputStream;
      try {
        input = await InputStream.open(unit.source, this.counter, { md5: unit.md5 !== undefined });
      } catch (e) {
        throw new DumpError(`${unit.name}: ${(e as Error).message}`);
      }
      let format =
        unit.format ??
        (this.options.format && this.options.format !== 'auto' ? this.options.format : undefined);
      if (!format) {
        try {
          format = detectFormat(input.headText(), unit.name).format;
        } catch (e) {
          throw new DumpError((e as Error).message);
        }
      }
      if (u === 0)
        (this.report as { format: ImportFormat }).format =
          unit.format === 'export-folder' ? 'export-folder' : format;
      if (this.restore && format !== 'sortkey-dump') {
        throw new DumpError(
          `${unit.name} is not a Sortkey dump (it looks like ${format}); use sortkey import for other formats`,
        );
      }
      if (format === 'batch-write') this.batchUnits.add(u);
      const multiTable = format === 'batch-write' || format === 'sortkey-dump';
      const defaultTarget = multiTable ? undefined : await this.resolve(undefined, unit);
      const threads = this.threadsFor(unit, format, defaultTarget);
      let unitItems = 0;
      try {
        if (threads) {
          const r = await this.readLinesThreaded(input, unit, u, defaultTarget!, threads, records);
          records += r.records;
          unitItems += r.records;
          if (r.stopped) return;
        }
        const reader = threads ? [] : readRecords(input, format, this.readerOptions(defaultTarget));
        for await (const batch of reader) {
          // Resolve tables first (may ask a remote service), then validate the batch synchronously.
          for (const rec of batch) {
            if (rec.kind === 'table') {
              const inputName = rec.definition.create.TableName!;
              if (this.wanted(inputName)) await this.resolve(inputName, unit, rec.definition);
            } else if (
              (rec.kind === 'item' || rec.kind === 'delete') &&
              rec.table !== undefined &&
              this.wanted(rec.table)
            ) {
              const name = this.targetName(rec.table, unit);
              if (name === undefined || !this.targets.has(name)) await this.resolve(rec.table, unit);
            }
          }
          for (const rec of batch) {
            switch (rec.kind) {
              case 'item':
              case 'delete': {
                if (!this.wanted(rec.table)) continue;
                records++;
                unitItems++;
                const t =
                  rec.table === undefined
                    ? defaultTarget!
                    : this.targets.get(this.targetName(rec.table, unit)!)!;
                this.addItem(t, rec, u, unit);
                break;
              }
              case 'bad':
                records++;
                unitItems++;
                if (rec.table !== undefined && !this.wanted(rec.table)) continue;
                this.problem(unit.name, rec.line, rec.reason, rec.table, rec.text);
                break;
              case 'warning':
                this.report.warnings.push(`${unit.name}:${rec.line}: ${rec.message}`);
                break;
              default:
                break;
            }
          }
          this.report.records = records;
          this.progress('read', records);
          if (this.failed && !this.options.continueOnError && this.report.rejected >= STOP_AFTER_BAD) {
            // Enough evidence: the rest would only add to a report nobody reads to the end.
            this.report.warnings.push(`stopped reading after ${this.report.rejected} bad records`);
            return;
          }
        }
      } catch (e) {
        if (e instanceof DumpError) throw e;
        if (threads && this.options.signal?.aborted) throw this.options.signal.reason;
        const known = e instanceof InputError || e instanceof InvalidUtf8Error;
        const line = known ? e.line : 0;
        const reason = known ? e.message : `cannot read: ${(e as Error).message}`;
        this.problem(
          unit.name,
          line,
          this.options.continueOnError ? `${reason} (the rest of this file was not read)` : reason,
        );
        if (!this.options.continueOnError) return;
        continue;
      }
      if (unit.expectItems !== undefined && unit.expectItems !== unitItems) {
        this.problem(
          unit.name,
          0,
          `the export manifest lists ${unit.expectItems} items for this file, it holds ${unitItems}`,
        );
      }
      if (unit.md5 !== undefined) {
        const md5 = input.md5Base64();
        if (md5 !== unit.md5)
          this.problem(
            unit.name,
            0,
            `the file's MD5 (${md5}) differs from the manifest's (${unit.md5}): it is damaged`,
          );
      }
    }
    this.report.records = records;
    this.progress('read', records, true);
  }

  /**
   * A batch-write file is one BatchWriteItem request, which refuses a key that appears twice in a
   * table's list (whatever the requests are); so does the import, naming both lines. The spool gives
   * lines grouped by (table, partition hash): repeated keys meet within one group.
   */
  findBatchDuplicates(): void {
    if (this.batchUnits.size === 0) return;
    let group = -1;
    let seen = new Map<string, number>();
    for (const r of spooledRecords(this.spool.entries())) {
      const unit = r.unit;
      if (!this.batchUnits.has(unit)) continue;
      const t = this.targetList[r.target]!;
      const g = t.index * 0x1_0000_0000 + r.key.hash;
      if (g !== group) {
        group = g;
        seen = new Map();
      }
      const id = `${unit}/${r.key.pk.toString('latin1')}/${r.key.sk.toString('latin1')}`;
      const lineNo = r.line;
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, lineNo);
        continue;
      }
      t.report.rejected++;
      this.problem(
        this.units[unit]!.name,
        Math.max(first, lineNo),
        `ValidationException: Provided list of item keys contains duplicates (table ${t.name}: lines ${Math.min(first, lineNo)} and ${Math.max(first, lineNo)} have the same key)`,
        t.name,
        r.json,
      );
    }
  }

  // ── phase 2, local ──────────────────────────────────────────────────────────────────────────

  /**
   * Writes the spool in chunks: each chunk is one transaction of at most CHUNK_MS, followed by a
   * pause in which other writers (this process's server, other processes) get the database. Every
   * chunk records in the import journal what it changed; a failure, a cancellation or a conflict
   * (onConflict 'fail') undoes what earlier chunks committed, and a process killed half-way is
   * undone by the next engine that opens the file (see journal.ts).
   */
  async writeLocal(engine: Engine, feed: RecordFeed = this.spoolFeed()): Promise<boolean> {
    const ctx = engine.ctx;
    // Imports write with origin 'import', which streams skip unless asked: --emit-streams turns on
    // the engine's switch for the write phase (origin 'request' on an engine without one).
    const hasSwitch = 'emitImportStreamRecords' in ctx;
    const origin: WriteOrigin = this.options.emitStreams && !hasSwitch ? 'request' : 'import';
    const previousSwitch = hasSwitch ? ctx.emitImportStreamRecords : false;
    const onConflict = this.options.onConflict ?? 'overwrite';
    const total = feed.total;
    const db = ctx.db;
    const signal = this.options.signal;
    // Another process sharing the file may have changed the catalog since phase 1 looked.
    ctx.refreshIfChanged(true);
    if (onConflict === 'fail' && !this.options.continueOnError && !this.findConflicts(engine)) return false;
    const previousCache = db.sqlite.pragma('cache_size', { simple: true }) as number;
    // A bigger page cache while the import's B-trees grow (restored afterwards): 32 MB.
    db.sqlite.pragma('cache_size = -32768');
    // Nested in a transaction that waits for the lock from timers (ImportJournal.start writes).
    const journal = await lockedTransaction(db, () => ImportJournal.start(ctx));
    const counts = { written: 0, deleted: 0, skipped: 0, conflicts: 0, done: 0 };
    let succeeded = false;
    try {
      if (hasSwitch && this.options.emitStreams) ctx.emitImportStreamRecords = true;
      await lockedTransaction(db, () => {
        for (const t of this.targetList) {
          if (t.skip) continue;
          if (!t.exists) {
            try {
              engine.execute('CreateTable', t.create!.create);
            } catch (e) {
              throw new DumpError(`cannot create table ${t.name}: ${reasonOf(e)}`);
            }
            const table = ctx.catalog.get(t.name)!;
            journal.created(table);
            t.table = table;
            t.report.created = true;
          } else {
            const live = ctx.catalog.get(t.name);
            if (!live || !sameKeySchema(live.key, t.key))
              throw new DumpError(`table ${t.name} changed while the import was reading`);
            t.table = live;
          }
        }
      });
      for (const t of this.targetList) {
        if (t.replace && !t.skip) await this.clearTable(ctx, t.table, origin, journal);
      }
      const writer = new ChunkWriter(this, ctx, journal, origin, onConflict, counts, total, feed.expected);
      for (;;) {
        if (signal?.aborted) throw signal.reason;
        const drained = await lockedTransaction(db, () => writer.chunk(feed.records));
        ctx.refreshIfChanged(true);
        if (feed.failed()) throw new Rollback();
        // Drained: the records read so far are written; wait for more (a pipelined read) or finish.
        if (drained ? !(await feed.more()) : (await pause(), false)) break;
        if (feed.failed()) throw new Rollback();
      }
      await lockedTransaction(db, () => {
        if (counts.conflicts > 0 && !this.options.continueOnError) throw new Rollback();
        journal.succeed();
      });
      succeeded = true;
    } catch (e) {
      // Whatever earlier chunks committed is written back (tables the import created are dropped).
      journal.undo();
      ctx.catalog.reload();
      ctx.syncFeatures();
      for (const t of this.targetList) {
        t.report.created = false;
        t.report.written = 0;
        t.report.deleted = 0;
      }
      if (e instanceof Rollback) return false;
      throw e;
    } finally {
      if (succeeded) journal.close();
      db.sqlite.pragma(`cache_size = ${previousCache}`);
      if (hasSwitch) ctx.emitImportStreamRecords = previousSwitch;
    }
    this.report.written = counts.written;
    this.report.deleted = counts.deleted;
    this.report.skipped += counts.skipped;
    this.progress('write', counts.done, true, total);
    this.applySettingsLocal(engine);
    return true;
  }

  /** The records of the spool (the read is over: every record is there). */
  spoolFeed(): RecordFeed {
    const targets = this.targetList;
    return {
      records: spooledRecords(this.spool.entries()),
      total: this.spool.count,
      expected: (t) => targets[t]!.spooled,
      more: () => Promise.resolve(false),
      failed: () => false,
    };
  }

  /**
   * onConflict 'fail' without continueOnError: looks every put up before anything is written, so
   * that conflicts (with the table, or with an earlier record of the same key) are reported with
   * their lines and nothing is written. False when there were some.
   */
  private findConflicts(engine: Engine): boolean {
    const db = engine.ctx.db;
    const found: { unit: number; line: number; table: Target; text: string }[] = [];
    let total = 0;
    const keep = Math.max(1, this.maxProblems);
    // Lines come grouped by (table, partition hash): a key repeated in the input is in one group.
    let group = -1;
    let seen = new Set<string>();
    for (const r of spooledRecords(this.spool.entries())) {
      if (!r.put) continue;
      const t = this.targetList[r.target]!;
      if (t.skip) continue;
      const hash = r.key.hash;
      if (t.index * 0x1_0000_0000 + hash !== group) {
        group = t.index * 0x1_0000_0000 + hash;
        seen = new Set();
      }
      const id = `${r.key.pk.toString('latin1')}/${r.key.sk.toString('latin1')}`;
      let conflict = seen.has(id);
      seen.add(id);
      if (!conflict && t.exists) conflict = t.table.getRow(db, r.key) !== undefined;
      if (!conflict) continue;
      total++;
      found.push({ unit: r.unit, line: r.line, table: t, text: r.json });
      if (found.length >= keep * 2) {
        found.sort((a, b) => a.unit - b.unit || a.line - b.line);
        found.length = keep;
      }
    }
    if (total === 0) return true;
    // The first offending lines in input order, and the count of all of them.
    found.sort((a, b) => a.unit - b.unit || a.line - b.line);
    found.length = Math.min(found.length, keep);
    for (const f of found) {
      f.table.report.rejected++;
      this.problem(
        this.units[f.unit]!.name,
        f.line,
        `an item with this key is already in table ${f.table.name}`,
        f.table.name,
        f.text,
      );
    }
    if (total > found.length) {
      this.report.rejected += total - found.length;
      this.report.warnings.push(
        `${total} records have a key that is already in the table (or earlier in the input); the first ${found.length} are listed`,
      );
    }
    return false;
  }

  /** Removes every item of a table through the write path (so indexes, TTL and logs follow), in chunks. */
  private async clearTable(
    ctx: EngineContext,
    table: Table,
    origin: WriteOrigin,
    journal: ImportJournal,
  ): Promise<void> {
    const first = ctx.db.sqlite
      .prepare(`SELECT h, pk, sk, item, size FROM "${table.sqlName}" ORDER BY h, pk, sk LIMIT 500`)
      .raw();
    for (;;) {
      if (this.options.signal?.aborted) throw this.options.signal.reason;
      const more = await lockedTransaction(ctx.db, () => {
        const deadline = performance.now() + CHUNK_MS;
        while (performance.now() < deadline) {
          const batch = first.all() as [number, Buffer, Buffer, string, number][];
          if (batch.length === 0) return false;
          for (const [h, pk, sk, json, size] of batch) {
            const key = { hash: h, pk, sk };
            journal.before(table, key, json, size);
            writeItem(ctx, table, key, JSON.parse(json) as Item, size, undefined, 0, origin);
          }
        }
        return true;
      });
      if (!more) return;
      await pause();
    }
  }

  /** TTL and point-in-time recovery of created tables: their own operations, after the commit. */
  private applySettingsLocal(engine: Engine): void {
    for (const t of this.targetList) {
      if (!t.report.created || !t.create) continue;
      const ttl = t.create.timeToLive;
      if (ttl?.Enabled) {
        try {
          engine.execute('UpdateTimeToLive', {
            TableName: t.name,
            TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true },
          });
        } catch (e) {
          t.report.warnings.push(`time to live on ${ttl.AttributeName} not enabled: ${(e as Error).message}`);
        }
      }
      if (t.create.pointInTimeRecovery) {
        try {
          engine.execute('UpdateContinuousBackups', {
            TableName: t.name,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          });
        } catch (e) {
          t.report.warnings.push(`point-in-time recovery not enabled: ${(e as Error).message}`);
        }
      }
    }
  }

  // ── phase 2, remote ─────────────────────────────────────────────────────────────────────────

  async writeRemote(remote: Connection): Promise<boolean> {
    const onConflict = this.options.onConflict ?? 'overwrite';
    const signal = this.options.signal;
    for (const t of this.targetList) {
      if (t.skip) continue;
      if (!t.exists) {
        await remote.callAny('CreateTable', t.create!.create as unknown as Record<string, unknown>, signal);
        await waitActive(remote, t.name);
        t.report.created = true;
        const ttl = t.create!.timeToLive;
        if (ttl?.Enabled) {
          try {
            await remote.callAny('UpdateTimeToLive', {
              TableName: t.name,
              TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true },
            });
          } catch (e) {
            t.report.warnings.push(
              `time to live on ${ttl.AttributeName} not enabled: ${(e as Error).message}`,
            );
          }
        }
        if (t.create!.pointInTimeRecovery) {
          try {
            await remote.callAny('UpdateContinuousBackups', {
              TableName: t.name,
              PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            });
          } catch (e) {
            t.report.warnings.push(`point-in-time recovery not enabled: ${(e as Error).message}`);
          }
        }
      } else if (t.replace) {
        throw new DumpError(
          `--on-existing replace is not supported for remote tables (${t.name}): empty or recreate it first`,
        );
      }
    }
    const concurrency = Math.max(1, this.options.concurrency ?? 8);
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    const total = this.spool.count;
    let done = 0;
    const launch = (p: Promise<void>) => {
      const tracked = p.catch((e: unknown) => {
        failure ??= e;
      });
      inFlight.add(tracked);
      void tracked.finally(() => inFlight.delete(tracked));
    };
    const throttle = async () => {
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (failure) throw failure;
    };
    // Batches per table; a key seen twice in one batch flushes it first (BatchWriteItem refuses duplicates).
    // Requests are DynamoDB JSON text spliced from the spool: no parse, no SDK serialisation.
    const batches = new Map<number, { requests: string[]; keys: Set<string> }>();
    const flush = async (t: Target) => {
      const b = batches.get(t.index);
      if (!b || b.requests.length === 0) return;
      batches.delete(t.index);
      await throttle();
      const n = b.requests.length;
      launch(
        this.batchWrite(remote, t.name, b.requests).then(() => {
          done += n;
          this.progress('write', done, false, total, t.name);
        }),
      );
    };
    for (const r of spooledRecords(this.spool.entries())) {
      if (failure) break;
      const t = this.targetList[r.target]!;
      const isPut = r.put;
      if (isPut && onConflict !== 'overwrite') {
        await throttle();
        const item = JSON.parse(r.json) as Item;
        launch(
          this.conditionalPut(remote, t, item, onConflict, this.units[r.unit]!.name, r.line).then(() => {
            done++;
            this.progress('write', done, false, total, t.name);
          }),
        );
        continue;
      }
      const keyId = `${r.key.pk.toString('latin1')}/${r.key.sk.toString('latin1')}`;
      let b = batches.get(t.index);
      if (b && b.keys.has(keyId)) {
        await flush(t);
        b = undefined;
      }
      if (!b) {
        b = { requests: [], keys: new Set() };
        batches.set(t.index, b);
      }
      b.keys.add(keyId);
      b.requests.push(isPut ? `{"PutRequest":{"Item":${r.json}}}` : `{"DeleteRequest":{"Key":${r.json}}}`);
      if (isPut) {
        t.report.written++;
        this.report.written++;
      } else {
        t.report.deleted++;
        this.report.deleted++;
      }
      if (b.requests.length === 25) await flush(t);
    }
    for (const t of this.targetList) await flush(t);
    while (inFlight.size > 0) await Promise.race(inFlight);
    if (failure) throw failure;
    this.progress('write', done, true, total);
    return true;
  }

  /** One BatchWriteItem of `requests` (JSON text), then its unprocessed items until none is left. */
  private async batchWrite(remote: Connection, table: string, requests: string[]): Promise<void> {
    const raw = remote as Partial<Pick<RemoteConnection, 'callWithBody'>>;
    let body = `{"RequestItems":{${JSON.stringify(table)}:[${requests.join(',')}]}}`;
    for (let attempt = 0; ; attempt++) {
      const out = (
        typeof raw.callWithBody === 'function'
          ? await raw.callWithBody('BatchWriteItem', body, this.options.signal)
          : await remote.callAny(
              'BatchWriteItem',
              JSON.parse(body) as Record<string, unknown>,
              this.options.signal,
            )
      ) as { UnprocessedItems?: Record<string, unknown[]> };
      const left = out.UnprocessedItems ?? {};
      if (Object.values(left).every((l) => l.length === 0)) return;
      if (attempt >= 15) throw new Error(`BatchWriteItem kept returning unprocessed items for ${table}`);
      body = JSON.stringify({ RequestItems: left });
      await sleep(backoffMs(attempt, 50));
    }
  }

  private async conditionalPut(
    remote: Connection,
    t: Target,
    item: Item,
    mode: 'skip' | 'fail',
    file: string,
    line: number,
  ): Promise<void> {
    const names: Record<string, string> = {};
    const conds: string[] = [];
    keyAttributes(t.key).forEach((a, i) => {
      names[`#k${i}`] = a.name;
      conds.push(`attribute_not_exists(#k${i})`);
    });
    try {
      await remote.call(
        'PutItem',
        {
          TableName: t.name,
          Item: item,
          ConditionExpression: conds.join(' AND '),
          ExpressionAttributeNames: names,
        },
        this.options.signal,
      );
      t.report.written++;
      this.report.written++;
    } catch (e) {
      if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
      if (mode === 'skip') {
        t.report.skipped++;
        this.report.skipped++;
      } else {
        t.report.rejected++;
        this.problem(
          file,
          line,
          `an item with this key is already in table ${t.name}`,
          t.name,
          JSON.stringify(item),
        );
      }
    }
  }

  finish(): ImportReport {
    // The write phase works in key order: put the problems back in input order.
    const order = new Map(this.units.map((u, i) => [u.name, i] as const));
    this.report.problems.sort(
      (a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line,
    );
    this.report.bytes = this.counter.bytes;
    this.report.seconds = (Date.now() - this.started) / 1000;
    return this.report;
  }
}

/** How long one chunk of an import holds the write lock. */
const CHUNK_MS = 25;
/** Rows per INSERT statement on the fast path. */
const ROWS_PER_INSERT = 64;

/** How long a local import waits, in all, for a write lock other processes sharing the file hold. */
const IMPORT_LOCK_WAIT_MS = 60_000;

/**
 * Runs `fn` in one write transaction, waiting for the write lock from timers rather than inside
 * SQLite: the event loop keeps serving (a server in this process, the lock's holder in this
 * process) while another connection holds the lock. A BEGIN that finds the file locked writes
 * nothing (DatabaseBusyError), so trying again is safe.
 */
async function lockedTransaction<T>(db: Database, fn: () => T): Promise<T> {
  const started = Date.now();
  let delay = 1;
  for (;;) {
    try {
      return db.withoutWaiting(() => db.transaction(fn));
    } catch (e) {
      if (!(e instanceof DatabaseBusyError) || Date.now() - started > IMPORT_LOCK_WAIT_MS) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 8);
  }
}

/** A turn of the event loop and a millisecond, so that other writers (polling every ms) get the lock. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}

/** One record of the write phase (from the spool). */
export interface WriteRecord {
  readonly put: boolean;
  /** Index of its target in ImportRun.targetList. */
  readonly target: number;
  readonly unit: number;
  readonly line: number;
  readonly size: number;
  readonly key: EncodedKey;
  readonly json: string;
}

/**
 * Where the write phase takes its records from. `records` gives what is ready now (done when
 * nothing is); `more` waits for the next records and says false once the input is exhausted.
 */
export interface RecordFeed {
  readonly records: Iterator<WriteRecord>;
  /** Records in all, when known (progress). */
  readonly total: number | undefined;
  /** About how many records a target gets (sizes the key filter). */
  expected(target: number): number;
  more(): Promise<boolean>;
  /** The import will not commit (a bad record in an all-or-nothing import): stop writing. */
  failed(): boolean;
}

/** A spool entry's head is built here (io/entryHead.ts) before it is copied into the spool. */
let HEAD = Buffer.allocUnsafe(4096);

/** Writes a record's head into HEAD; returns its length. */
function encodeHead(
  put: boolean,
  target: number,
  unit: number,
  line: number,
  size: number,
  key: EncodedKey,
): number {
  // Encoded keys are short (DynamoDB limits them to 2 KB and 1 KB), but their encoding may escape bytes.
  if (HEAD_FIXED_BYTES + key.pk.length + key.sk.length > HEAD.length)
    HEAD = Buffer.allocUnsafe(2 * (HEAD_FIXED_BYTES + key.pk.length + key.sk.length));
  return writeHead(HEAD, 0, put, target, unit, line, size, key);
}

/** A copy of b[from, to). */
function sliceBytes(b: Buffer, from: number, to: number): Buffer {
  const out = Buffer.allocUnsafe(to - from);
  copyBytes(b.subarray(from, to), out, 0);
  return out;
}

/** Spool entries as write records. */
function* spooledRecords(entries: Generator<SpoolEntry>): Generator<WriteRecord> {
  for (const e of entries) {
    const b = e.buf;
    const h = e.headStart;
    const pkEnd = h + 21 + b.readUInt16LE(h + 19);
    const skEnd = pkEnd + 2 + b.readUInt16LE(pkEnd);
    yield {
      put: b[h] === 1,
      target: b.readUInt16LE(h + 1),
      unit: b.readUInt32LE(h + 3),
      line: b.readUInt32LE(h + 7),
      size: b.readUInt32LE(h + 11),
      key: {
        hash: b.readUInt32LE(h + 15),
        pk: sliceBytes(b, h + 21, pkEnd),
        sk: sliceBytes(b, pkEnd + 2, skEnd),
      },
      json: b.toString('utf8', e.bodyStart, e.end),
    };
  }
}

/**
 * Rows waiting to be inserted into one table by multi-row INSERTs (the fast path), and the change
 * to its statistics (one UPDATE per chunk rather than one per item).
 */
class PendingRows {
  readonly values: unknown[] = [];
  private many: { run(...args: unknown[]): unknown } | undefined;
  items = 0;
  bytes = 0;

  constructor(
    private readonly ctx: EngineContext,
    private readonly table: Table,
  ) {}

  add(key: EncodedKey, json: string, size: number): void {
    this.values.push(key.hash, key.pk, key.sk, json, size);
    if (this.values.length === ROWS_PER_INSERT * 5) this.flush();
  }

  flush(): void {
    const v = this.values;
    if (v.length === 0) return;
    if (v.length === ROWS_PER_INSERT * 5) {
      this.many ??= this.ctx.db.sqlite.prepare(
        `INSERT OR REPLACE INTO "${this.table.sqlName}" (h, pk, sk, item, size) VALUES ${new Array<string>(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', ')}`,
      );
      this.many.run(...v);
    } else {
      for (let i = 0; i < v.length; i += 5)
        this.table.putRow(
          this.ctx.db,
          { hash: v[i] as number, pk: v[i + 1] as Buffer, sk: v[i + 2] as Buffer },
          v[i + 3] as string,
          v[i + 4] as number,
        );
    }
    v.length = 0;
  }

  /** Writes the pending rows and the statistics change (inside the chunk's transaction). */
  finish(): void {
    this.flush();
    this.ctx.catalog.addToStatistics(this.table, undefined, this.items, this.bytes);
    this.items = 0;
    this.bytes = 0;
  }
}

/**
 * Writes records, one chunk (one transaction) at a time. Tables the import created and that
 * have no secondary index (and no stream records to write) take the fast path: the encoded JSON
 * text goes into multi-row INSERTs as it is, and a key is looked up only when it came earlier in
 * the input (KeyFilter). Every other write goes through `writeItem` (indexes, listeners), with the
 * item's previous image recorded in the journal.
 */
class ChunkWriter {
  private readonly fast: (PendingRows | undefined)[];
  private readonly filters: (KeyFilter | undefined)[];
  private nextProgress = 0;

  constructor(
    private readonly run: ImportRun,
    private readonly ctx: EngineContext,
    private readonly journal: ImportJournal,
    private readonly origin: WriteOrigin,
    private readonly onConflict: 'overwrite' | 'skip' | 'fail',
    private readonly counts: {
      written: number;
      deleted: number;
      skipped: number;
      conflicts: number;
      done: number;
    },
    private readonly total: number | undefined,
    expected: (target: number) => number,
  ) {
    const emitting = origin === 'request' || ctx.emitImportStreamRecords;
    this.fast = run.targetList.map((t) => {
      const d = t.table.description;
      const streams = d.StreamSpecification?.StreamEnabled === true && emitting;
      return t.report.created && t.table.indexes.size === 0 && !streams
        ? new PendingRows(ctx, t.table)
        : undefined;
    });
    this.filters = run.targetList.map((t) =>
      t.report.created ? new KeyFilter(expected(t.index)) : undefined,
    );
  }

  /** Writes records until the chunk's time is up; true when no record is left (for now). */
  chunk(records: Iterator<WriteRecord>): boolean {
    const ctx = this.ctx;
    const db = ctx.db;
    const counts = this.counts;
    const deadline = performance.now() + CHUNK_MS;
    const maxItems = this.run.options.maxChunkItems ?? Infinity;
    let items = 0;
    try {
      for (;;) {
        const next = records.next();
        if (next.done) return true;
        const r = next.value;
        const t = this.run.targetList[r.target]!;
        const table = t.table;
        const key = r.key;
        const json = r.json;
        const pending = this.fast[r.target];
        const filter = this.filters[r.target];
        let old: StoredRow | undefined;
        if (filter === undefined || filter.add(key)) {
          pending?.flush();
          old = table.getRow(db, key);
        }
        const size = r.size;
        if (r.put) {
          if (old && this.onConflict !== 'overwrite') {
            if (this.onConflict === 'skip') {
              counts.skipped++;
              t.report.skipped++;
            } else {
              counts.conflicts++;
              t.report.rejected++;
              this.run.problem(
                this.run.units[r.unit]!.name,
                r.line,
                `an item with this key is already in table ${t.name}`,
                t.name,
                json,
              );
            }
          } else if (pending) {
            pending.add(key, json, size);
            pending.items += old ? 0 : 1;
            pending.bytes += size - (old?.size ?? 0);
            counts.written++;
            t.report.written++;
          } else {
            if (!filter) this.journal.before(table, key, old?.json, old?.size ?? 0);
            writeItem(
              ctx,
              table,
              key,
              old ? (JSON.parse(old.json) as Item) : undefined,
              old?.size ?? 0,
              JSON.parse(json) as Item,
              size,
              this.origin,
            );
            counts.written++;
            t.report.written++;
          }
        } else if (old) {
          if (!filter) this.journal.before(table, key, old.json, old.size);
          writeItem(ctx, table, key, JSON.parse(old.json) as Item, old.size, undefined, 0, this.origin);
          counts.deleted++;
          t.report.deleted++;
        }
        counts.done++;
        if (++items >= maxItems) return false;
        if ((counts.done & 63) === 0) {
          const now = performance.now();
          if (now >= this.nextProgress) {
            this.nextProgress = now + (this.run.options.progressEveryMs ?? PROGRESS_EVERY_MS);
            this.run.progress('write', counts.done, true, this.total, t.name);
          }
          if (now >= deadline) return false;
        }
      }
    } finally {
      for (const p of this.fast) p?.finish();
    }
  }
}

/** DynamoDB's rule for table names (CreateTable's); the import refuses others before reading. */
function checkTargetName(name: string): void {
  if (!isValidName(name))
    throw new DumpError(
      `${JSON.stringify(name)} is not a valid table name: DynamoDB table names are 3 to 255 characters of a-z, A-Z, 0-9, '_', '-' and '.'`,
    );
}

function renamed(def: TableDefinition, name: string): TableDefinition {
  if (def.create.TableName === name) return def;
  return { ...def, create: { ...def.create, TableName: name } };
}

async function run(
  target: DumpTarget,
  source: ImportSource | readonly ImportSource[],
  options: ImportOptions,
  restore: boolean,
): Promise<ImportReport> {
  const sources = Array.isArray(source) ? (source as readonly ImportSource[]) : [source as ImportSource];
  if (sources.length === 0) throw new DumpError('nothing to import: no input given');
  // A bad target name is known before any input is opened (stdin would wait for its data).
  if (options.table !== undefined) checkTargetName(options.table);
  for (const name of Object.values(options.tableMap ?? {})) checkTargetName(name);
  const r = new ImportRun(target, options, restore);
  try {
    r.expandSources(sources);
    if (options.rejects) {
      r.rejects = new SyncFileWriter(options.rejects);
    }
    await r.read();
    if (!r.failed) r.findBatchDuplicates();
    const stop = r.failed && !options.continueOnError;
    if (!stop && !options.dryRun && r.targetList.length > 0) {
      const engine = localEngineOf(target);
      r.report.committed = engine ? await r.writeLocal(engine) : await r.writeRemote(target as Connection);
      if (!r.report.committed) r.report.written = 0;
    }
    if (r.rejects) {
      if (r.report.rejected > 0) {
        r.rejects.close();
        r.report.rejectsFile = options.rejects;
      } else {
        r.rejects.abort();
      }
    }
    return r.finish();
  } catch (e) {
    r.rejects?.abort();
    throw e;
  } finally {
    r.spool.close();
  }
}

/**
 * Imports items from files, folders or streams into a table (or, for batch-write files and dumps,
 * the tables they name). All-or-nothing unless `continueOnError`: see the module comment.
 */
export function importItems(
  target: DumpTarget,
  source: ImportSource | readonly ImportSource[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  return run(target, source, options, false);
}

/** Restores a Sortkey dump: every table's definition and items (existing tables: see onExistingTable). */
export function restoreDatabase(
  target: DumpTarget,
  source: ImportSource | readonly ImportSource[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  return run(target, source, options, true);
}

export type { RecordProblem };
