// Export: a whole table, a Query, a Scan or a PartiQL SELECT — from the local engine or a remote
// service — into any export format; and dumps of a whole database.
//
// A local whole-table export reads the table's SQLite B-tree in keyset-paged SELECTs (constant
// memory, items written out as their stored JSON text without parsing). Remote whole-table exports
// run a parallel Scan (TotalSegments) with backoff on throttling. Each page is read on its own, so
// an export of a table that is being written to is as fuzzy as a DynamoDB Scan.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../engine.js';
import { DynamoError } from '../errors.js';
import type { KeySchema } from '../tables/schema.js';
import type { Item } from '../types.js';
import type { ExportDestination } from './io/output.js';
import { DumpError } from './import.js';
import type { Connection } from '../connection/index.js';
import { isRetryable } from './remote.js';
import { isRemote, listTableNames, localEngineOf, tableInfo } from './store.js';
import type { DumpTarget, TableInfo } from './store.js';
import type { ExportFormat, ExportOptions, ExportReport, ExportSpec, Progress } from './types.js';
import { createWriter, safeFileName } from './writers.js';
import type { ExportRow, ItemWriter } from './writers.js';

const PAGE = 2000;

/** The export format a file name suggests (ddb-jsonl when it suggests none). */
export function formatForPath(path: string): ExportFormat {
  const p = path.toLowerCase();
  if (p.endsWith('.csv') || p.endsWith('.csv.gz')) return 'csv';
  if (
    p.endsWith('.skdump') ||
    p.endsWith('.skdump.gz') ||
    p.endsWith('.sortkey') ||
    p.endsWith('.sortkey.gz')
  )
    return 'sortkey-dump';
  if (p.endsWith('.gz')) return 'ddb-jsonl-gz';
  if (p.endsWith('/') || p.endsWith('\\')) return 'export-folder';
  return 'ddb-jsonl';
}

const FILE_EXTENSIONS: Record<Exclude<ExportFormat, 'export-folder' | 'batch-write'>, string> = {
  'scan-json': '.json',
  'ddb-jsonl': '.jsonl',
  'ddb-jsonl-gz': '.jsonl.gz',
  json: '.json',
  ndjson: '.ndjson',
  csv: '.csv',
  'sortkey-dump': '.skdump',
};

function isFolderName(path: string): boolean {
  if (path.endsWith('/') || path.endsWith('\\')) return true;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where a format's output goes when the destination is a folder (an existing one, or a name ending
 * in a separator): one-file formats become `FOLDER/NAME.ext`, batch-write files `FOLDER/NAME-00001.json`.
 */
export function placeOutput(
  destination: ExportDestination,
  format: ExportFormat,
  name: string,
  gzip: boolean,
): { destination: ExportDestination; folder?: string } {
  if (typeof destination !== 'string' || format === 'export-folder' || !isFolderName(destination))
    return { destination };
  if (format === 'batch-write') return { destination, folder: destination };
  let ext = FILE_EXTENSIONS[format];
  if (gzip && !ext.endsWith('.gz')) ext += '.gz';
  return { destination: join(destination, safeFileName(name) + ext) };
}

/**
 * Every item of a local table, in storage order, as stored JSON text. A page is two statements,
 * each a seek on the primary key: the key of the page's last row (LIMIT 1 OFFSET), then the items
 * up to it — only the item text crosses into JavaScript, not each row's key blobs (a third of the
 * read's cost). Bounding a page by its last key keeps it exact when another process writes
 * between the two statements: the next page starts after that key whatever the page held.
 */
export async function* localTableRows(
  engine: Engine,
  name: string,
  signal?: AbortSignal,
): AsyncGenerator<ExportRow[]> {
  const ctx = engine.ctx;
  ctx.refreshIfChanged();
  const table = ctx.catalog.get(name);
  if (!table) throw new DumpError(`table ${name} does not exist`);
  const t = `"${table.sqlName}"`;
  const order = 'ORDER BY h, pk, sk';
  const after = '(h, pk, sk) > (?, ?, ?)';
  const upTo = '(h, pk, sk) <= (?, ?, ?)';
  const lastKey = (where: string) =>
    ctx.prepare(`SELECT h, pk, sk FROM ${t}${where} ${order} LIMIT 1 OFFSET ${PAGE - 1} -- dump`).raw();
  const items = (where: string) => ctx.prepare(`SELECT item FROM ${t}${where} ${order} -- dump`).pluck();
  const firstLastKey = lastKey('');
  const nextLastKey = lastKey(` WHERE ${after}`);
  const firstPage = items(` WHERE ${upTo}`);
  const nextPage = items(` WHERE ${after} AND ${upTo}`);
  // Fewer than a page left: the rest of the table.
  const whole = items('');
  const rest = items(` WHERE ${after}`);
  let cursor: KeyRow | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const last = (cursor ? nextLastKey.get(...cursor) : firstLastKey.get()) as KeyRow | undefined;
    const json = (
      last
        ? cursor
          ? nextPage.all(...cursor, ...last)
          : firstPage.all(...last)
        : cursor
          ? rest.all(...cursor)
          : whole.all()
    ) as string[];
    if (json.length > 0) {
      const out = new Array<ExportRow>(json.length);
      for (let i = 0; i < json.length; i++) out[i] = { json: json[i]! };
      yield out;
    }
    if (!last) return;
    cursor = last;
  }
}

/** A stored row's primary key: partition hash, encoded partition key, encoded sort key. */
type KeyRow = [number, Buffer, Buffer];

function asDumpError(e: unknown): unknown {
  if (e instanceof DynamoError) return new DumpError(`${e.type}: ${e.message}`);
  return e;
}

/** Pages of a Query or Scan run through the engine (the operation's own validation and paging). */
async function* localOperationRows(
  engine: Engine,
  operation: 'Query' | 'Scan',
  input: Record<string, unknown>,
): AsyncGenerator<ExportRow[]> {
  let start: unknown;
  do {
    let out: { Items?: Item[]; LastEvaluatedKey?: unknown };
    try {
      out = engine.execute(operation, {
        ...input,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }) as typeof out;
    } catch (e) {
      throw asDumpError(e);
    }
    if (out.Items?.length) yield out.Items.map((item) => ({ item }));
    start = out.LastEvaluatedKey;
  } while (start);
}

/** Pages of a PartiQL statement through ExecuteStatement and its NextToken. */
async function* localStatementRows(
  engine: Engine,
  statement: string,
  parameters?: readonly unknown[],
): AsyncGenerator<ExportRow[]> {
  let token: string | undefined;
  do {
    let out: { Items?: Item[]; NextToken?: string };
    try {
      out = engine.execute('ExecuteStatement', {
        Statement: statement,
        ...(parameters ? { Parameters: parameters } : {}),
        ...(token ? { NextToken: token } : {}),
      }) as typeof out;
    } catch (e) {
      throw asDumpError(e);
    }
    if (out.Items?.length) yield out.Items.map((item) => ({ item }));
    token = out.NextToken;
  } while (token);
}

type Page = {
  Items?: Item[];
  LastEvaluatedKey?: unknown;
  NextToken?: string;
};

/** A parallel Scan of a remote table: `segments` scans at once, pages handed out as they arrive. */
async function* remoteScanRows(
  remote: Connection,
  input: Record<string, unknown>,
  segments: number,
  signal?: AbortSignal,
): AsyncGenerator<ExportRow[]> {
  const queue: ExportRow[][] = [];
  let waiting: (() => void) | undefined;
  let producersLeft = segments;
  let failure: unknown;
  let space: (() => void) | undefined;
  const wake = () => {
    const w = waiting;
    waiting = undefined;
    w?.();
  };
  const segment = async (n: number) => {
    let start: unknown;
    try {
      do {
        while (queue.length >= segments * 2 && !failure) await new Promise<void>((r) => (space = r));
        if (failure) return;
        const out = (await remote.callAny(
          'Scan',
          {
            ...input,
            ...(segments > 1 ? { Segment: n, TotalSegments: segments } : {}),
            ...(start ? { ExclusiveStartKey: start } : {}),
          },
          signal,
        )) as Page;
        if (out.Items?.length) {
          queue.push(out.Items.map((item) => ({ item })));
          wake();
        }
        start = out.LastEvaluatedKey;
      } while (start);
    } catch (e) {
      failure ??= e;
    } finally {
      producersLeft--;
      wake();
    }
  };
  for (let n = 0; n < segments; n++) void segment(n);
  for (;;) {
    if (failure) throw failure;
    const page = queue.shift();
    if (page) {
      const s = space;
      space = undefined;
      s?.();
      yield page;
      continue;
    }
    if (producersLeft === 0) {
      if (failure) throw failure;
      return;
    }
    await new Promise<void>((r) => (waiting = r));
  }
}

async function* remoteSequentialRows(
  remote: Connection,
  operation: 'Query' | 'Scan' | 'ExecuteStatement',
  input: Record<string, unknown>,
  signal?: AbortSignal,
): AsyncGenerator<ExportRow[]> {
  let start: unknown;
  let token: string | undefined;
  do {
    const out = (await remote.callAny(
      operation,
      { ...input, ...(start ? { ExclusiveStartKey: start } : {}), ...(token ? { NextToken: token } : {}) },
      signal,
    )) as Page;
    if (out.Items?.length) yield out.Items.map((item) => ({ item }));
    start = out.LastEvaluatedKey;
    token = out.NextToken;
  } while (start || token);
}

/** The table a PartiQL statement reads, when it can be told from the text. */
export function statementTable(statement: string): string | undefined {
  const m = /\bFROM\s+(?:"((?:[^"]|"")+)"|([A-Za-z0-9_.-]+))/i.exec(statement);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2];
}

/** The items of an export spec, page after page. */
export function rowsOf(
  source: DumpTarget,
  spec: ExportSpec,
  options: ExportOptions = {},
): AsyncGenerator<ExportRow[]> {
  const signal = options.signal;
  const engine = localEngineOf(source);
  if (spec.statement !== undefined) {
    if (!engine) {
      return remoteSequentialRows(
        source as Connection,
        'ExecuteStatement',
        {
          Statement: spec.statement,
          ...(spec.parameters ? { Parameters: spec.parameters } : {}),
        },
        signal,
      );
    }
    if (!engine.has('ExecuteStatement'))
      throw new DumpError('this engine cannot run PartiQL statements yet (no ExecuteStatement)');
    return localStatementRows(engine, spec.statement, spec.parameters);
  }
  if (spec.table === undefined) throw new DumpError('export what? Give a table, a query or a statement');
  if (spec.query) {
    const input = { ...spec.query, TableName: spec.table };
    return engine
      ? localOperationRows(engine, 'Query', input)
      : remoteSequentialRows(source as Connection, 'Query', input, signal);
  }
  if (spec.scan) {
    const input = { ...spec.scan, TableName: spec.table };
    if (!engine)
      return remoteScanRows(source as Connection, input, Math.max(1, options.segments ?? 4), signal);
    return localOperationRows(engine, 'Scan', input);
  }
  if (!engine)
    return remoteScanRows(
      source as Connection,
      { TableName: spec.table },
      Math.max(1, options.segments ?? 4),
      signal,
    );
  return localTableRows(engine, spec.table, signal);
}

class ExportProgress {
  private last = 0;
  constructor(
    private readonly listener: ((p: Progress) => void) | undefined,
    private readonly writer: ItemWriter,
  ) {}
  emit(items: number, totalItems: number | undefined, table: string | undefined, force = false): void {
    if (!this.listener) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    this.listener({
      phase: 'export',
      items,
      bytes: this.writer.bytes,
      rejected: 0,
      ...(totalItems !== undefined ? { totalItems } : {}),
      ...(table !== undefined ? { table } : {}),
    });
  }
}

async function pump(
  rows: AsyncGenerator<ExportRow[]>,
  writer: ItemWriter,
  progress: ExportProgress,
  before: number,
  totalItems: number | undefined,
  table: string | undefined,
): Promise<number> {
  let n = 0;
  for await (const page of rows) {
    const w = writer.write(page);
    if (w) await w;
    n += page.length;
    progress.emit(before + n, totalItems, table);
  }
  return n;
}

function wholeTable(spec: ExportSpec): boolean {
  return spec.statement === undefined && !spec.query && !spec.scan;
}

/** Exports a table, a Query, a Scan or a PartiQL SELECT into a file, folder or stream. */
export async function exportTable(
  source: DumpTarget,
  spec: ExportSpec | string,
  destination: ExportDestination,
  options: ExportOptions = {},
): Promise<ExportReport> {
  const s: ExportSpec = typeof spec === 'string' ? { table: spec } : spec;
  const format =
    options.format ??
    (typeof destination === 'string'
      ? isFolderName(destination)
        ? 'export-folder'
        : formatForPath(destination)
      : 'ddb-jsonl');
  const started = Date.now();
  const tableName = s.table ?? (s.statement !== undefined ? statementTable(s.statement) : undefined);
  const placed = placeOutput(destination, format, tableName ?? 'items', options.gzip === true);
  const info: TableInfo | undefined =
    tableName !== undefined ? await tableInfo(source, tableName) : undefined;
  if (!info && s.statement === undefined) throw new DumpError(`table ${tableName} does not exist`);
  if (format === 'sortkey-dump' && !info)
    throw new DumpError('a sortkey-dump export needs the table (its definition goes into the dump)');
  const writer = createWriter(format, placed.destination, {
    ...(placed.folder !== undefined ? { folder: placed.folder } : {}),
    ...(options.plain ? { plain: options.plain } : {}),
    ...(options.csv ? { csv: options.csv } : {}),
    ...(options.gzip ? { gzip: true } : {}),
    ...(options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {}),
    ...(options.itemsPerFile !== undefined ? { itemsPerFile: options.itemsPerFile } : {}),
    source: isRemote(source) ? source.description : 'sortkey',
    ...(tableName !== undefined ? { tables: [tableName] } : {}),
  });
  const progress = new ExportProgress(options.onProgress, writer);
  let items = 0;
  try {
    const name = tableName ?? 'items';
    const key: KeySchema | undefined = info?.key;
    await writer.beginTable({
      name,
      ...(key ? { key } : {}),
      ...(info ? { definition: info.definition } : {}),
    });
    const total = wholeTable(s) ? info?.description.ItemCount : undefined;
    items = await pump(rowsOf(source, s, options), writer, progress, 0, total, name);
    await writer.endTable(items);
    const files = await writer.close();
    progress.emit(items, total, name, true);
    return {
      format,
      tables: [{ table: name, items }],
      items,
      bytes: writer.bytes,
      seconds: (Date.now() - started) / 1000,
      files,
    };
  } catch (e) {
    writer.abort();
    throw asDumpError(e);
  }
}

export interface DumpOptions extends ExportOptions {
  /** Only these tables (default: all). */
  readonly tables?: readonly string[];
}

/**
 * Dumps a whole database (or some of its tables): every table's definition — keys, indexes, billing,
 * streams, encryption, class, deletion protection, tags, TTL, point-in-time recovery — and items,
 * in one Sortkey dump (see docs/architecture.md, "Dumps").
 */
export async function dumpDatabase(
  source: DumpTarget,
  destination: ExportDestination,
  options: DumpOptions = {},
): Promise<ExportReport> {
  const started = Date.now();
  const all = await listTableNames(source);
  const names = options.tables ? [...options.tables] : all;
  for (const n of names) if (!all.includes(n)) throw new DumpError(`table ${n} does not exist`);
  const infos: TableInfo[] = [];
  for (const n of names) {
    const info = await tableInfo(source, n);
    if (info) infos.push(info);
  }
  const format = options.format ?? 'sortkey-dump';
  if (format !== 'sortkey-dump' && format !== 'batch-write')
    throw new DumpError(`a database dump is written as sortkey-dump (or batch-write), not ${format}`);
  const gzip = options.gzip ?? (typeof destination === 'string' && destination.toLowerCase().endsWith('.gz'));
  const placed = placeOutput(destination, format, 'dump', gzip);
  const writer = createWriter(format, placed.destination, {
    ...(placed.folder !== undefined ? { folder: placed.folder } : {}),
    gzip,
    source: isRemote(source) ? source.description : 'sortkey',
    tables: infos.map((i) => i.name),
  });
  const progress = new ExportProgress(options.onProgress, writer);
  const tables: { table: string; items: number }[] = [];
  let items = 0;
  const totalItems = infos.reduce((n, i) => n + (i.description.ItemCount ?? 0), 0);
  try {
    for (const info of infos) {
      await writer.beginTable({ name: info.name, key: info.key, definition: info.definition });
      const n = await pump(
        rowsOf(source, { table: info.name }, options),
        writer,
        progress,
        items,
        totalItems,
        info.name,
      );
      await writer.endTable(n);
      tables.push({ table: info.name, items: n });
      items += n;
    }
    const files = await writer.close();
    progress.emit(items, totalItems, undefined, true);
    return { format, tables, items, bytes: writer.bytes, seconds: (Date.now() - started) / 1000, files };
  } catch (e) {
    writer.abort();
    throw asDumpError(e);
  }
}

export { isRetryable };
