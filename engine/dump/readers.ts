// Format readers: one input in, batches of records out — items in DynamoDB JSON (not yet
// validated), deletes, table definitions, or bad records with their line and reason. Validation
// against the target table happens in import.ts, the same way for every format.
import { CsvReader, CsvSyntaxError } from './csv.js';
import type { CsvRecord } from './csv.js';
import { jsonErrorMessage, jsonErrorPosition, JsonSyntaxError, parseExact } from './json/exact.js';
import { describeJson, plainToItem, plainToValue, PlainConversionError } from './json/plain.js';
import type { PlainOptions } from './json/plain.js';
import { readLines } from './io/input.js';
import type { InputStream } from './io/input.js';
import { JsonScanner } from './io/scanner.js';
import type { ScannedValue } from './io/scanner.js';
import type { CsvOptions, ImportFormat, KeySpec, TableDefinition } from './types.js';

export type InputRecord =
  | {
      readonly kind: 'item';
      readonly line: number;
      readonly table?: string;
      readonly value: unknown;
      readonly text?: string;
      /**
       * The JSON text `value` was parsed from, when the record's text holds it as it is (a line
       * `{"Item":…}` or a bare item): stored as it is when it is in stored form (encode.ts).
       */
      readonly itemText?: string;
    }
  | {
      readonly kind: 'delete';
      readonly line: number;
      readonly table?: string;
      readonly key: unknown;
      readonly text?: string;
    }
  | { readonly kind: 'table'; readonly line: number; readonly definition: TableDefinition }
  | { readonly kind: 'end'; readonly line: number; readonly table: string; readonly items: number }
  | {
      readonly kind: 'bad';
      readonly line: number;
      readonly reason: string;
      readonly table?: string;
      readonly text?: string;
    }
  | { readonly kind: 'warning'; readonly line: number; readonly message: string };

/** A problem that stops reading the input (a structural error, a truncated file). */
export class InputError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface ReaderOptions {
  readonly plain: PlainOptions;
  readonly csv: CsvOptions;
  /** Key attributes and their types, for CSV cells. */
  readonly keyTypes: ReadonlyMap<string, KeySpec['type']>;
}

/** The line a JSON.parse error points at inside a record that starts on `line`. */
function errorLine(text: string, line: number, e: unknown): number {
  const pos = jsonErrorPosition(e);
  if (pos === undefined) return line;
  let n = line;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

export function syntaxProblem(text: string, line: number, e: unknown, table?: string): InputRecord {
  return {
    kind: 'bad',
    line: errorLine(text, line, e),
    reason: `not valid JSON: ${e instanceof JsonSyntaxError ? e.message : jsonErrorMessage(e)}`,
    text,
    ...(table !== undefined ? { table } : {}),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A DynamoDB JSON record: a bare item, `{"Item": …}` (export data files, get-item output), or an
 * incremental export line `{"Metadata":…,"Keys":…,"NewImage":…}` (no NewImage: a delete).
 */
export function dynamoRecord(
  v: unknown,
  line: number,
  text: string | undefined,
  table?: string,
): InputRecord {
  const t = table !== undefined ? { table } : {};
  if (!isObject(v))
    return {
      kind: 'bad',
      line,
      reason: `expected an item (a JSON object), found ${describeJson(v)}`,
      text,
      ...t,
    };
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === 'Item') {
    const itemText =
      text !== undefined && text.startsWith('{"Item":') && text.endsWith('}') ? text.slice(8, -1) : undefined;
    return { kind: 'item', line, value: v.Item, text, ...t, ...(itemText !== undefined ? { itemText } : {}) };
  }
  if ('Keys' in v && 'Metadata' in v && (keys.length <= 4 || 'NewImage' in v)) {
    if (v.NewImage !== undefined && v.NewImage !== null)
      return { kind: 'item', line, value: v.NewImage, text, ...t };
    return { kind: 'delete', line, key: v.Keys, text, ...t };
  }
  return { kind: 'item', line, value: v, text, itemText: text, ...t };
}

function plainRecord(value: unknown, line: number, text: string, plain: PlainOptions): InputRecord {
  try {
    return { kind: 'item', line, value: plainToItem(value, plain), text };
  } catch (e) {
    if (e instanceof PlainConversionError) return { kind: 'bad', line, reason: e.message, text };
    return { kind: 'bad', line, reason: (e as Error).message, text };
  }
}

function batchWriteRecord(v: unknown, line: number, text: string, table: string): InputRecord {
  if (isObject(v)) {
    const put = v.PutRequest;
    if (isObject(put) && Object.keys(v).length === 1) {
      if (!('Item' in put)) return { kind: 'bad', line, table, reason: 'a PutRequest without an Item', text };
      return { kind: 'item', line, table, value: put.Item, text };
    }
    const del = v.DeleteRequest;
    if (isObject(del) && Object.keys(v).length === 1) {
      if (!('Key' in del)) return { kind: 'bad', line, table, reason: 'a DeleteRequest without a Key', text };
      return { kind: 'delete', line, table, key: del.Key, text };
    }
  }
  return {
    kind: 'bad',
    line,
    table,
    reason: 'expected {"PutRequest":{"Item":…}} or {"DeleteRequest":{"Key":…}}',
    text,
  };
}

async function* scanned(
  input: InputStream,
  objects: 'records' | 'containers',
): AsyncGenerator<ScannedValue[]> {
  const scanner = new JsonScanner({ objects });
  try {
    for await (const text of input.texts()) {
      const values = scanner.push(text);
      if (values.length > 0) yield values;
    }
    const rest = scanner.end();
    if (rest.length > 0) yield rest;
  } catch (e) {
    const line = (e as { line?: number }).line ?? 0;
    throw new InputError((e as Error).message, line);
  }
}

/** JSON.parse, falling back to the exact parser's message for a precise position. */
function parseDynamo(text: string): unknown {
  return JSON.parse(text);
}

async function* readScanJson(input: InputStream): AsyncGenerator<InputRecord[]> {
  for await (const values of scanned(input, 'containers')) {
    const out: InputRecord[] = [];
    for (const v of values) {
      if (v.kind === 'member' && (v.key === 'LastEvaluatedKey' || v.key === 'NextToken')) {
        out.push({
          kind: 'warning',
          line: v.line,
          message: `this is one page of a scan (it has ${v.key}): items after it are not in the file`,
        });
        continue;
      }
      if (v.kind !== 'element' || v.key !== 'Items') continue;
      let parsed: unknown;
      try {
        parsed = parseDynamo(v.text);
      } catch (e) {
        out.push(syntaxProblem(v.text, v.line, e));
        continue;
      }
      out.push(dynamoRecord(parsed, v.line, v.text));
    }
    if (out.length > 0) yield out;
  }
}

async function* readBatchWrite(input: InputStream): AsyncGenerator<InputRecord[]> {
  for await (const values of scanned(input, 'containers')) {
    const out: InputRecord[] = [];
    for (const v of values) {
      if (v.kind === 'member') {
        out.push({
          kind: 'bad',
          line: v.line,
          reason: `the value of ${JSON.stringify(v.key)} is not a list of write requests`,
          text: v.text,
        });
        continue;
      }
      if (v.kind !== 'element' || v.key === null) {
        out.push({
          kind: 'bad',
          line: v.line,
          reason: 'expected {"TableName": [write requests…]}',
          text: v.text,
        });
        continue;
      }
      let parsed: unknown;
      try {
        parsed = parseDynamo(v.text);
      } catch (e) {
        out.push(syntaxProblem(v.text, v.line, e, v.key));
        continue;
      }
      out.push(batchWriteRecord(parsed, v.line, v.text, v.key));
    }
    if (out.length > 0) yield out;
  }
}

async function* readDynamoDocuments(input: InputStream): AsyncGenerator<InputRecord[]> {
  for await (const values of scanned(input, 'records')) {
    const out: InputRecord[] = [];
    for (const v of values) {
      let parsed: unknown;
      try {
        parsed = parseDynamo(v.text);
      } catch (e) {
        out.push(syntaxProblem(v.text, v.line, e));
        continue;
      }
      out.push(dynamoRecord(parsed, v.line, v.text));
    }
    if (out.length > 0) yield out;
  }
}

async function* readDynamoLines(input: InputStream): AsyncGenerator<InputRecord[]> {
  for await (const lines of readLines(input.texts())) {
    const out: InputRecord[] = [];
    for (const { text, line } of lines) {
      if (isBlank(text)) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        out.push(syntaxProblem(text, line, e));
        continue;
      }
      out.push(dynamoRecord(parsed, line, text));
    }
    if (out.length > 0) yield out;
  }
}

export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

async function* readPlainDocuments(input: InputStream, plain: PlainOptions): AsyncGenerator<InputRecord[]> {
  for await (const values of scanned(input, 'records')) {
    const out: InputRecord[] = [];
    for (const v of values) {
      let parsed: unknown;
      try {
        parsed = v.bareNumbers ? parseExact(v.text) : JSON.parse(v.text);
      } catch (e) {
        out.push(syntaxProblem(v.text, v.line, e));
        continue;
      }
      out.push(plainRecord(parsed, v.line, v.text, plain));
    }
    if (out.length > 0) yield out;
  }
}

async function* readPlainLines(input: InputStream, plain: PlainOptions): AsyncGenerator<InputRecord[]> {
  for await (const lines of readLines(input.texts())) {
    const out: InputRecord[] = [];
    for (const { text, line } of lines) {
      if (isBlank(text)) continue;
      let parsed: unknown;
      try {
        parsed = parseExact(text);
      } catch (e) {
        out.push(syntaxProblem(text, line, e));
        continue;
      }
      out.push(plainRecord(parsed, line, text, plain));
    }
    if (out.length > 0) yield out;
  }
}

const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  TRUE: true,
  FALSE: false,
  True: true,
  False: false,
};

function csvCellValue(cell: string, type: string, plain: PlainOptions): unknown {
  switch (type) {
    case 'S':
      return { S: cell };
    case 'N':
      return { N: cell.trim() };
    case 'B':
      return { B: cell.trim() };
    case 'BOOL': {
      const b = BOOLEANS[cell.trim()];
      if (b === undefined) throw new PlainConversionError(`${JSON.stringify(cell)} is not true or false`);
      return { BOOL: b };
    }
    case 'NULL':
      return { NULL: true };
    case 'JSON':
      return plainToValue(parseExact(cell), plain);
  }
  throw new PlainConversionError(`unknown column type ${type}`);
}

async function* readCsv(input: InputStream, options: ReaderOptions): AsyncGenerator<InputRecord[]> {
  const csv = options.csv;
  const reader = new CsvReader(csv.delimiter ?? ',');
  let header: string[] | undefined = csv.header ? [...csv.header] : undefined;
  const types = csv.types ?? {};
  const keepEmpty = csv.empty === 'string';
  const convert = (records: CsvRecord[]): InputRecord[] => {
    const out: InputRecord[] = [];
    for (const r of records) {
      if (!header) {
        header = r.fields.map((f) => f.trim());
        const seen = new Set<string>();
        for (const h of header) {
          if (h === '') throw new InputError('the header row has an empty column name', r.line);
          if (seen.has(h))
            throw new InputError(`the header row names column ${JSON.stringify(h)} twice`, r.line);
          seen.add(h);
        }
        continue;
      }
      const text = r.fields.join(csv.delimiter ?? ',');
      if (r.fields.length !== header.length) {
        out.push({
          kind: 'bad',
          line: r.line,
          reason: `the row has ${r.fields.length} field${r.fields.length === 1 ? '' : 's'}, the header ${header.length}`,
          text,
        });
        continue;
      }
      const item: Record<string, unknown> = {};
      try {
        for (let i = 0; i < header.length; i++) {
          const name = header[i]!;
          const cell = r.fields[i]!;
          const keyType = options.keyTypes.get(name);
          if (cell === '' && (keyType !== undefined || !keepEmpty)) continue; // a missing key is reported by validation
          item[name] = csvCellValue(cell, keyType ?? types[name] ?? 'S', options.plain);
        }
      } catch (e) {
        const reason =
          e instanceof JsonSyntaxError
            ? `not valid JSON in a JSON column: ${e.message}`
            : (e as Error).message;
        out.push({ kind: 'bad', line: r.line, reason, text });
        continue;
      }
      out.push({ kind: 'item', line: r.line, value: item, text });
    }
    return out;
  };
  try {
    for await (const text of input.texts()) {
      const out = convert(reader.push(text));
      if (out.length > 0) yield out;
    }
    const out = convert(reader.end());
    if (out.length > 0) yield out;
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new InputError(e.message, e.line);
    throw e;
  }
}

/** The first line of a Sortkey dump. */
export interface DumpHeader {
  readonly sortkeyDump: number;
  readonly createdAt?: string;
  readonly source?: string;
  readonly tables?: string[];
}

export const DUMP_VERSION = 1;

async function* readSortkeyDump(input: InputStream): AsyncGenerator<InputRecord[]> {
  let sawHeader = false;
  let current: { name: string; items: number; line: number } | undefined;
  for await (const lines of readLines(input.texts())) {
    const out: InputRecord[] = [];
    for (const { text, line } of lines) {
      if (isBlank(text)) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        if (!sawHeader) throw new InputError('not a Sortkey dump: the first line is not JSON', line);
        out.push(syntaxProblem(text, line, e, current?.name));
        continue;
      }
      if (!sawHeader) {
        if (!isObject(parsed) || typeof parsed.sortkeyDump !== 'number') {
          throw new InputError('not a Sortkey dump: the first line has no "sortkeyDump" version', line);
        }
        if (parsed.sortkeyDump > DUMP_VERSION) {
          throw new InputError(
            `this dump has version ${parsed.sortkeyDump}; this Sortkey reads up to version ${DUMP_VERSION}`,
            line,
          );
        }
        sawHeader = true;
        continue;
      }
      if (isObject(parsed) && keysAre(parsed, 'Item')) {
        if (!current) {
          out.push({ kind: 'bad', line, reason: 'an item before any table line', text });
          continue;
        }
        current.items++;
        out.push({
          kind: 'item',
          line,
          table: current.name,
          value: parsed.Item,
          text,
          ...(text.startsWith('{"Item":') && text.endsWith('}') ? { itemText: text.slice(8, -1) } : {}),
        });
        continue;
      }
      if (isObject(parsed) && keysAre(parsed, 'table')) {
        if (current)
          throw new InputError(
            `the dump of table ${current.name} (line ${current.line}) has no end line: the file is damaged`,
            line,
          );
        const def = parsed.table as TableDefinition;
        const name = isObject(def) && isObject(def.create) ? def.create.TableName : undefined;
        if (typeof name !== 'string') throw new InputError('a table line without create.TableName', line);
        current = { name, items: 0, line };
        out.push({ kind: 'table', line, definition: def });
        continue;
      }
      if (isObject(parsed) && keysAre(parsed, 'end')) {
        const end = parsed.end as { table?: unknown; items?: unknown };
        if (!current || !isObject(end) || end.table !== current.name) {
          throw new InputError(
            'an end line that does not close the table being read: the file is damaged',
            line,
          );
        }
        if (end.items !== current.items) {
          throw new InputError(
            `table ${current.name}: the end line says ${String(end.items)} items, the dump holds ${current.items}: the file is damaged`,
            line,
          );
        }
        out.push({ kind: 'end', line, table: current.name, items: current.items });
        current = undefined;
        continue;
      }
      out.push({
        kind: 'bad',
        line,
        reason: 'expected {"Item":…}, {"table":…} or {"end":…}',
        text,
        ...(current ? { table: current.name } : {}),
      });
    }
    if (out.length > 0) yield out;
  }
  if (!sawHeader) throw new InputError('not a Sortkey dump: the file is empty', 0);
  if (current)
    throw new InputError(
      `the dump ends inside table ${current.name} (started line ${current.line}): the file is truncated`,
      current.line,
    );
}

function keysAre(o: Record<string, unknown>, key: string): boolean {
  let n = 0;
  for (const k in o) {
    if (k !== key) return false;
    n++;
  }
  return n === 1;
}

/** Records of one input in the given format (export folders are expanded by the caller). */
export function readRecords(
  input: InputStream,
  format: ImportFormat,
  options: ReaderOptions,
): AsyncGenerator<InputRecord[]> {
  switch (format) {
    case 'scan-json':
      return readScanJson(input);
    case 'batch-write':
      return readBatchWrite(input);
    case 'ddb-json':
      return readDynamoDocuments(input);
    case 'ddb-jsonl':
    case 'export-folder':
      return readDynamoLines(input);
    case 'json':
      return readPlainDocuments(input, options.plain);
    case 'ndjson':
      return readPlainLines(input, options.plain);
    case 'csv':
      return readCsv(input, options);
    case 'sortkey-dump':
      return readSortkeyDump(input);
  }
}
