// Format writers: pages of items in, one export format out. Items arrive as stored DynamoDB JSON
// text when the source is a local table (written out without parsing), or as objects (Query, Scan,
// PartiQL, remote services).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { KeySchema } from '../tables/schema.js';
import { keyAttributes } from '../tables/schema.js';
import type { AttributeValue, Item } from '../types.js';
import { csvLine } from './csv.js';
import { itemToPlainJson, valueToPlainJson, DEFAULT_BINARY_PREFIX } from './json/plain.js';
import type { PlainOptions } from './json/plain.js';
import { NotCanonical, storedToPlainJson } from './json/stored.js';
import { StoredCsvLines, StoredNames } from './json/storedCsv.js';
import { OutputSink } from './io/output.js';
import type { ExportDestination } from './io/output.js';
import { Spool } from './io/spool.js';
import { DUMP_VERSION } from './readers.js';
import type { DumpHeader } from './readers.js';
import type { CsvOptions, ExportFormat, TableDefinition } from './types.js';

/** One exported item: its stored JSON text, its object, or both. */
export interface ExportRow {
  readonly json?: string;
  readonly item?: Item;
}

export function rowJson(r: ExportRow): string {
  return r.json ?? JSON.stringify(r.item);
}

export function rowItem(r: ExportRow): Item {
  return r.item ?? (JSON.parse(r.json!) as Item);
}

export interface TableContext {
  readonly name: string;
  readonly key?: KeySchema;
  readonly definition?: TableDefinition;
}

export interface ItemWriter {
  beginTable(t: TableContext): Promise<void> | void;
  write(rows: readonly ExportRow[]): Promise<void> | void;
  endTable(items: number): Promise<void> | void;
  /** Finishes the output; returns the files written. */
  close(): Promise<string[]>;
  /** Abandons the output (files being written are removed). */
  abort(): void;
  /** Bytes written so far (uncompressed). */
  readonly bytes: number;
}

export interface WriterOptions {
  readonly plain?: PlainOptions;
  readonly csv?: CsvOptions;
  readonly gzip?: boolean;
  readonly chunkSize?: number;
  /** batch-write: the destination is this folder (files named after their table). */
  readonly folder?: string;
  readonly itemsPerFile?: number;
  /** Describes the source in dump headers. */
  readonly source?: string;
  readonly tables?: readonly string[];
}

abstract class SinkWriter implements ItemWriter {
  constructor(
    protected readonly sink: OutputSink,
    protected readonly destination: ExportDestination,
  ) {}
  get bytes(): number {
    return this.sink.bytes;
  }
  beginTable(_t: TableContext): Promise<void> | void {}
  abstract write(rows: readonly ExportRow[]): Promise<void> | void;
  endTable(_items: number): Promise<void> | void {}
  async close(): Promise<string[]> {
    await this.sink.close();
    return typeof this.destination === 'string' ? [this.destination] : [];
  }
  abort(): void {
    this.sink.abort();
  }
}

/** ddb-jsonl(-gz): `{"Item":{…}}` per line, as DynamoDB's export data files. */
class DynamoLinesWriter extends SinkWriter {
  write(rows: readonly ExportRow[]): Promise<void> | void {
    let s = '';
    for (const r of rows) s += '{"Item":' + rowJson(r) + '}\n';
    return this.sink.write(s);
  }
}

/** scan-json: what `aws dynamodb scan --output json` prints. */
class ScanJsonWriter extends SinkWriter {
  private count = 0;
  private started = false;
  private tables = 0;
  override beginTable(t: TableContext): Promise<void> | void {
    if (++this.tables > 1)
      throw new Error(
        `scan-json holds one table; ${t.name} would be the second (use sortkey-dump or batch-write)`,
      );
  }
  write(rows: readonly ExportRow[]): Promise<void> | void {
    if (rows.length === 0) return;
    let s = this.started ? '' : '{"Items":[';
    for (const r of rows) {
      s += (this.count++ === 0 ? '\n' : ',\n') + rowJson(r);
    }
    this.started = true;
    return this.sink.write(s);
  }
  override async close(): Promise<string[]> {
    await this.sink.write(
      (this.started ? '\n]' : '{"Items":[]') +
        `,"Count":${this.count},"ScannedCount":${this.count},"ConsumedCapacity":null}\n`,
    );
    return super.close();
  }
}

/** What `aws dynamodb batch-write-item` takes in one request, and so the default size of a file. */
export const BATCH_WRITE_REQUESTS = 25;

/**
 * batch-write: BatchWriteItem's RequestItems. To a stream: one document. To a file name: files of
 * `chunkSize` requests (default 25) beside it, `NAME-00001.json`, … To a folder: `TABLE-00001.json`,
 * … in it, numbered per table. A failed export removes the files it wrote.
 */
class BatchWriteWriter implements ItemWriter {
  private sink: OutputSink | undefined;
  /**
   * Chunked output: the current file's text. Files of a few dozen requests are written at once,
   * synchronously: a stream per file (open, write, finish) cost more than the items in it.
   */
  private chunk: string | undefined;
  private table = '';
  private inFile = 0;
  private fileNo = 0;
  private bytesDone = 0;
  private tablesInFile = 0;
  private readonly files: string[] = [];
  private readonly chunkSize: number | undefined;

  constructor(
    private readonly destination: ExportDestination,
    chunkSize: number | undefined,
    /** Write the files into this folder, named after their table. */
    private readonly folder?: string,
  ) {
    this.chunkSize = typeof destination === 'string' ? (chunkSize ?? BATCH_WRITE_REQUESTS) : chunkSize;
    if (this.chunkSize !== undefined && typeof destination !== 'string')
      throw new Error('chunked batch-write output needs a file or folder name');
    if (this.chunkSize === undefined) this.sink = OutputSink.open(destination);
  }

  get bytes(): number {
    return this.bytesDone + (this.sink?.bytes ?? 0) + (this.chunk?.length ?? 0);
  }

  private chunkPath(): string {
    const n = String(this.fileNo).padStart(5, '0');
    if (this.folder !== undefined) return join(this.folder, `${safeFileName(this.table)}-${n}.json`);
    const dest = this.destination as string;
    const ext = extname(dest) || '.json';
    const base = ext === extname(dest) ? dest.slice(0, -ext.length) : dest;
    return `${base}-${n}${ext}`;
  }

  private openChunk(): void {
    this.fileNo++;
    if (this.files.length === 0) mkdirSync(dirname(this.chunkPath()) || '.', { recursive: true });
    this.files.push(this.chunkPath());
    this.inFile = 0;
    this.chunk = `{${JSON.stringify(this.table)}:[`;
  }

  private closeChunk(): void {
    if (this.chunk === undefined) return;
    const path = this.files[this.files.length - 1]!;
    const data = Buffer.from(this.chunk + '\n]}\n', 'utf8');
    this.chunk = undefined;
    // Under a temporary name first, as every export file: a truncated file never has the real name.
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
    try {
      writeFileSync(temp, data);
      renameSync(temp, path);
    } catch (e) {
      rmSync(temp, { force: true });
      throw e;
    }
    this.bytesDone += data.length;
  }

  async beginTable(t: TableContext): Promise<void> {
    this.table = t.name;
    this.inFile = 0;
    if (this.folder !== undefined) this.fileNo = 0;
    if (this.chunkSize === undefined) {
      await this.sink!.write((this.tablesInFile++ === 0 ? '{' : ',\n') + `${JSON.stringify(t.name)}:[`);
    }
  }

  async write(rows: readonly ExportRow[]): Promise<void> {
    if (this.chunkSize !== undefined) {
      for (const r of rows) {
        if (this.chunk === undefined || this.inFile >= this.chunkSize) {
          this.closeChunk();
          this.openChunk();
        }
        this.chunk += (this.inFile++ === 0 ? '\n' : ',\n') + '{"PutRequest":{"Item":' + rowJson(r) + '}}';
      }
      return;
    }
    let s = '';
    for (const r of rows) {
      s += (this.inFile++ === 0 ? '\n' : ',\n') + '{"PutRequest":{"Item":' + rowJson(r) + '}}';
    }
    if (s) await this.sink!.write(s);
  }

  async endTable(): Promise<void> {
    if (this.chunkSize === undefined) await this.sink!.write('\n]');
    else {
      // An empty table still gets its (empty) file, so that the export says it exists.
      if (this.chunk === undefined && this.inFile === 0) this.openChunk();
      this.closeChunk();
    }
  }

  async close(): Promise<string[]> {
    if (this.chunkSize === undefined) {
      await this.sink!.write(this.tablesInFile === 0 ? '{}\n' : '}\n');
      await this.sink!.close();
      return typeof this.destination === 'string' ? [this.destination] : [];
    }
    this.closeChunk();
    return this.files;
  }

  abort(): void {
    this.sink?.abort();
    this.chunk = undefined;
    // The files already complete are a part of the export only: none stays.
    for (const f of this.files) rmSync(f, { force: true });
  }
}

/** A table name as a file name: DynamoDB's names ([a-zA-Z0-9_.-]) are already safe, others escaped. */
export function safeFileName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_.-]/g, '_');
  return s === '' || s === '.' || s === '..' ? `_${s}` : s;
}

/** json / ndjson: plain JSON documents, numbers digit for digit. */
class PlainWriter extends SinkWriter {
  private count = 0;
  constructor(
    sink: OutputSink,
    destination: ExportDestination,
    private readonly lines: boolean,
    private readonly plain: PlainOptions,
  ) {
    super(sink, destination);
  }
  write(rows: readonly ExportRow[]): Promise<void> | void {
    let s = '';
    for (const r of rows) {
      const doc = plainJsonOf(r, this.plain);
      if (this.lines) s += doc + '\n';
      else s += (this.count === 0 ? '[\n' : ',\n') + doc;
      this.count++;
    }
    return this.sink.write(s);
  }
  override async close(): Promise<string[]> {
    if (!this.lines) await this.sink.write(this.count === 0 ? '[]\n' : '\n]\n');
    return super.close();
  }
}

/** An exported item as plain JSON: spliced from its stored text when it has one, else from the object. */
function plainJsonOf(r: ExportRow, plain: PlainOptions): string {
  if (r.json !== undefined) {
    try {
      return storedToPlainJson(r.json, plain);
    } catch (e) {
      if (!(e instanceof NotCanonical)) throw e;
    }
  }
  return itemToPlainJson(rowItem(r), plain);
}

/** A CSV cell: strings as they are, numbers as written, everything else as plain JSON. */
export function csvValue(v: AttributeValue | undefined, plain: PlainOptions): string {
  if (v === undefined) return '';
  if ('S' in v) return v.S;
  if ('N' in v) return v.N;
  if ('BOOL' in v) return v.BOOL ? 'true' : 'false';
  if ('NULL' in v) return '';
  if ('B' in v) return plain.binary === 'prefix' ? (plain.binaryPrefix ?? DEFAULT_BINARY_PREFIX) + v.B : v.B;
  return valueToPlainJson(v, plain);
}

/**
 * csv: one column per attribute. Without `columns`, the items are spooled first (bounded memory)
 * while every attribute name is collected, so no attribute is dropped: the key attributes come
 * first, then the others in name order. Stored item text is walked, not parsed (storedCsv.ts).
 */
class CsvWriter extends SinkWriter {
  private spool: Spool | undefined;
  private readonly names = new StoredNames();
  private key: KeySchema | undefined;
  private headerWritten = false;
  private readonly delimiter: string;
  private lines: StoredCsvLines | undefined;
  constructor(
    sink: OutputSink,
    destination: ExportDestination,
    private readonly csv: CsvOptions,
    private readonly plain: PlainOptions,
  ) {
    super(sink, destination);
    this.delimiter = csv.delimiter ?? ',';
    if (!csv.columns) this.spool = new Spool();
    else this.lines = new StoredCsvLines(csv.columns, this.delimiter, plain);
  }
  override beginTable(t: TableContext): void {
    this.key ??= t.key;
  }
  write(rows: readonly ExportRow[]): Promise<void> | void {
    if (this.spool) {
      for (const r of rows) {
        if (r.json !== undefined) {
          try {
            this.names.add(r.json);
            this.spool.append(r.json);
            continue;
          } catch (e) {
            if (!(e instanceof NotCanonical)) throw e;
          }
        }
        const item = rowItem(r);
        for (const k in item) this.names.seen.add(k);
        this.spool.append(r.json ?? JSON.stringify(item));
      }
      return;
    }
    let s = '';
    if (!this.headerWritten) {
      s += csvLine(this.csv.columns!, this.delimiter);
      this.headerWritten = true;
    }
    for (const r of rows)
      s +=
        r.json !== undefined
          ? this.storedLine(r.json, this.csv.columns!)
          : this.line(rowItem(r), this.csv.columns!);
    return this.sink.write(s);
  }
  /** A CSV line from stored item text (spliced), or from the parsed item when the text is not canonical. */
  private storedLine(json: string, columns: readonly string[]): string {
    try {
      return this.lines!.line(json);
    } catch (e) {
      if (!(e instanceof NotCanonical)) throw e;
      return this.line(JSON.parse(json) as Item, columns);
    }
  }
  private line(item: Item, columns: readonly string[]): string {
    return csvLine(
      columns.map((c) => csvValue(item[c], this.plain)),
      this.delimiter,
    );
  }
  override async close(): Promise<string[]> {
    if (this.spool) {
      const seen = this.names.seen;
      const keys = this.key
        ? keyAttributes(this.key)
            .map((a) => a.name)
            .filter((n) => seen.has(n))
        : [];
      const rest = [...seen].filter((n) => !keys.includes(n)).sort();
      const columns = [...keys, ...rest];
      this.lines = new StoredCsvLines(columns, this.delimiter, this.plain);
      let s = csvLine(columns, this.delimiter);
      for (const json of this.spool.lines()) {
        s += this.storedLine(json, columns);
        if (s.length > 256 * 1024) {
          await this.sink.write(s);
          s = '';
        }
      }
      await this.sink.write(s);
      this.spool.close();
    } else if (!this.headerWritten) {
      await this.sink.write(csvLine(this.csv.columns!, this.delimiter));
    }
    return super.close();
  }
  override abort(): void {
    this.spool?.close();
    super.abort();
  }
}

/** sortkey-dump: a header line, then per table its definition, its items and an end line. */
class DumpWriter extends SinkWriter {
  private table = '';
  private started: Promise<void> | void;
  constructor(sink: OutputSink, destination: ExportDestination, header: DumpHeader) {
    super(sink, destination);
    this.started = sink.write(JSON.stringify(header) + '\n');
  }
  override async beginTable(t: TableContext): Promise<void> {
    await this.started;
    if (!t.definition) throw new Error(`a Sortkey dump needs the definition of table ${t.name}`);
    this.table = t.name;
    await this.sink.write(JSON.stringify({ table: t.definition }) + '\n');
  }
  write(rows: readonly ExportRow[]): Promise<void> | void {
    let s = '';
    for (const r of rows) s += '{"Item":' + rowJson(r) + '}\n';
    return this.sink.write(s);
  }
  override endTable(items: number): Promise<void> | void {
    return this.sink.write(JSON.stringify({ end: { table: this.table, items } }) + '\n');
  }
}

function randomId(n: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
  let s = '';
  for (const b of randomBytes(n)) s += alphabet[b % alphabet.length];
  return s;
}

function md5File(path: string): Promise<{ base64: string; hex: string }> {
  return new Promise((resolve, reject) => {
    const h = createHash('md5');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => {
        const digest = h.digest();
        resolve({ base64: digest.toString('base64'), hex: digest.toString('hex') });
      });
  });
}

/**
 * export-folder: DynamoDB's export-to-S3 layout in a local folder (see exportFolder.ts), data files
 * of `itemsPerFile` items, manifests written last (their presence marks a complete export).
 */
class ExportFolderWriter implements ItemWriter {
  private sink: OutputSink | undefined;
  private inFile = 0;
  private total = 0;
  private bytesDone = 0;
  private readonly exportId: string;
  private readonly dir: string;
  private readonly files: { path: string; key: string; items: number }[] = [];
  private table: TableContext | undefined;
  private readonly startTime = new Date();

  constructor(
    private readonly root: string,
    private readonly itemsPerFile: number,
    private readonly region = 'us-east-1',
    private readonly accountId = '000000000000',
  ) {
    this.exportId = `${Date.now().toString().padStart(17, '0')}-${randomId(8, '0123456789abcdef')}`;
    this.dir = join(root, 'AWSDynamoDB', this.exportId);
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    writeFileSync(join(this.dir, '_started'), '');
  }

  get bytes(): number {
    return this.bytesDone + (this.sink?.bytes ?? 0);
  }

  beginTable(t: TableContext): void {
    if (this.table) throw new Error('an export folder holds one table');
    this.table = t;
  }

  private async rotate(): Promise<void> {
    if (this.sink) {
      await this.sink.close();
      this.bytesDone += this.sink.bytes;
    }
    const name = `${randomId(26)}.json.gz`;
    const path = join(this.dir, 'data', name);
    this.sink = OutputSink.open(path, { gzip: true });
    this.files.push({ path, key: `AWSDynamoDB/${this.exportId}/data/${name}`, items: 0 });
    this.inFile = 0;
  }

  async write(rows: readonly ExportRow[]): Promise<void> {
    let s = '';
    for (const r of rows) {
      if (!this.sink || this.inFile >= this.itemsPerFile) {
        if (s) await this.sink!.write(s);
        s = '';
        await this.rotate();
      }
      s += '{"Item":' + rowJson(r) + '}\n';
      this.inFile++;
      this.total++;
      this.files[this.files.length - 1]!.items++;
    }
    if (s) await this.sink!.write(s);
  }

  endTable(): void {}

  async close(): Promise<string[]> {
    if (!this.sink) await this.rotate(); // an empty table still gets one (empty) data file
    await this.sink!.close();
    this.bytesDone += this.sink!.bytes;
    const lines: string[] = [];
    let billed = 0;
    for (const f of this.files) {
      const sum = await md5File(f.path);
      lines.push(
        JSON.stringify({ itemCount: f.items, md5Checksum: sum.base64, etag: sum.hex, dataFileS3Key: f.key }),
      );
    }
    for (const f of this.files) billed += statSync(f.path).size;
    const filesText = lines.join('\n') + '\n';
    writeFileSync(join(this.dir, 'manifest-files.json'), filesText);
    writeFileSync(
      join(this.dir, 'manifest-files.checksum'),
      createHash('md5').update(filesText).digest('hex'),
    );
    const tableName = this.table?.name ?? 'table';
    const tableArn = `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${tableName}`;
    const end = new Date();
    const summary =
      JSON.stringify(
        {
          version: '2020-06-30',
          exportArn: `${tableArn}/export/${this.exportId}`,
          startTime: this.startTime.toISOString(),
          endTime: end.toISOString(),
          tableArn,
          exportTime: this.startTime.toISOString(),
          s3Bucket: basename(resolve(this.root)),
          s3Prefix: null,
          s3SseAlgorithm: 'AES256',
          s3SseKmsKeyId: null,
          manifestFilesS3Key: `AWSDynamoDB/${this.exportId}/manifest-files.json`,
          billedSizeBytes: billed,
          itemCount: this.total,
          outputFormat: 'DYNAMODB_JSON',
          exportType: 'FULL_EXPORT',
        },
        null,
        2,
      ) + '\n';
    writeFileSync(join(this.dir, 'manifest-summary.json'), summary);
    writeFileSync(
      join(this.dir, 'manifest-summary.checksum'),
      createHash('md5').update(summary).digest('hex'),
    );
    return [this.dir];
  }

  abort(): void {
    this.sink?.abort();
  }
}

/** Opens the writer of a format onto a destination. */
export function createWriter(
  format: ExportFormat,
  destination: ExportDestination,
  options: WriterOptions = {},
): ItemWriter {
  const plain = options.plain ?? {};
  const gzip = options.gzip === true || format === 'ddb-jsonl-gz';
  switch (format) {
    case 'ddb-jsonl':
    case 'ddb-jsonl-gz':
      return new DynamoLinesWriter(OutputSink.open(destination, { gzip }), destination);
    case 'scan-json':
      return new ScanJsonWriter(OutputSink.open(destination, { gzip }), destination);
    case 'batch-write':
      return new BatchWriteWriter(destination, options.chunkSize, options.folder);
    case 'json':
    case 'ndjson':
      return new PlainWriter(OutputSink.open(destination, { gzip }), destination, format === 'ndjson', plain);
    case 'csv':
      return new CsvWriter(OutputSink.open(destination, { gzip }), destination, options.csv ?? {}, plain);
    case 'sortkey-dump':
      return new DumpWriter(OutputSink.open(destination, { gzip }), destination, {
        sortkeyDump: DUMP_VERSION,
        createdAt: new Date().toISOString(),
        ...(options.source ? { source: options.source } : {}),
        ...(options.tables ? { tables: [...options.tables] } : {}),
      });
    case 'export-folder':
      if (typeof destination !== 'string')
        throw new Error('an export folder needs a folder name, not a stream');
      return new ExportFolderWriter(destination, options.itemsPerFile ?? 100_000);
  }
}
