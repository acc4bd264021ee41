// The shell's core, shared by the interactive REPL and scripts: runs statements and meta-commands
// on a backend and prints results in the chosen mode. It knows nothing about keys or the editor:
// paging asks `io.more()`, which the REPL answers from the keyboard.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseStatement } from '../../grammar/partiql/index.js';
import type { Statement } from '../../grammar/partiql/index.js';
import type { AttributeValue, Item } from '../../engine/types.js';
import type { Backend, StatementPage } from './backend.js';
import { CancelledError, ServiceError } from './backend.js';
import { runExport, runImport } from './dump.js';
import { formatDescription, formatError, formatExplain } from './format.js';
import type { OutputMode, TableLayout } from './render.js';
import {
  CapacityTotal,
  columnsFor,
  csvHeader,
  csvRow,
  footer,
  jsonLine,
  OUTPUT_MODES,
  renderTable,
  rowCount,
} from './render.js';
import { SchemaCache } from './schema.js';
import { splitScript } from './split.js';
import { indexOf, projectedNames, returnsItems, tableOf } from './statement-info.js';
import type { Colors } from './text.js';
import { plural } from './text.js';
import { parseValueList, partiqlLiteral } from './values.js';

export interface SessionIO {
  /** Writes to standard output (text ends with its own newline). */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  colors: Colors;
  errColors: Colors;
  /** Terminal width for tables; undefined: columns are never cut. */
  columns(): number | undefined;
  /**
   * Interactive paging: rows per screen, and a question after each screenful (true: show more).
   * Absent: every page is fetched and printed.
   */
  pageRows?(): number;
  more?(shown: number): Promise<boolean>;
  /** A transient status line (import progress) on the terminal; null clears it. */
  status?(text: string | null): void;
}

export interface SessionOptions {
  backend: Backend;
  io: SessionIO;
  mode?: OutputMode;
  timing?: boolean;
  capacity?: boolean;
  /** Values for `?` placeholders. */
  parameters?: AttributeValue[];
  /** Print "OK" after writes (interactive). */
  confirmWrites?: boolean;
  /** Base folder of relative file names in `.read`, `.import`, `.export`. */
  cwd?: string;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Where the text came from, for error locations (`script.sql:12`). */
  source?: string;
  /** Line of the source the text starts on. */
  firstLine?: number;
  /** Keep going after a failed statement. */
  continueOnError?: boolean;
}

export interface RunResult {
  /** Statements and meta-commands run, and how many failed. */
  ran: number;
  failed: number;
  /** `.quit` was given. */
  quit: boolean;
  cancelled: boolean;
}

/** Meta-commands, for `.help` and completion. */
export const META_COMMANDS: readonly [string, string][] = [
  ['.help', 'this list'],
  ['.tables', 'the tables, with their keys and item counts'],
  ['.describe TABLE', 'keys, indexes, billing, size of a table'],
  ['.create TABLE PK[:S|N|B] [SK[:S|N|B]]', 'create an on-demand table (PartiQL has no CREATE TABLE)'],
  ['.explain STATEMENT', 'how a statement runs: Query or Scan, keys, filter, estimated capacity'],
  ['.mode table|json|ndjson|ddbjson|csv', 'how results are printed'],
  ['.timing on|off', 'show elapsed time under results'],
  ['.capacity on|off', 'show consumed capacity under results'],
  [
    '.params V1 V2 …',
    "values for ? placeholders: PartiQL literals ('a', 1, {'k': 2}) or DynamoDB JSON; .params clear",
  ],
  [
    '.import FILE TABLE [PK:S [SK:N]] [--csv-types …, any option of sortkey import]',
    'load items from a file (DynamoDB JSON, JSON, CSV, …; format detected)',
  ],
  [
    '.export TABLE|"SELECT …" FILE',
    'write a table or a query to a file (.jsonl, .csv, .gz, … from the name)',
  ],
  ['.read FILE', 'run the statements in a file'],
  ['.quit', 'leave (also Ctrl-D)'],
];

const DEFAULT_PAGE_ROWS = 40;

export class Session {
  readonly backend: Backend;
  readonly schema: SchemaCache;
  readonly io: SessionIO;
  mode: OutputMode;
  timing: boolean;
  capacity: boolean;
  parameters: AttributeValue[];
  private readonly confirmWrites: boolean;
  private readonly cwd: string;
  private readDepth = 0;

  constructor(options: SessionOptions) {
    this.backend = options.backend;
    this.io = options.io;
    this.schema = new SchemaCache(options.backend);
    this.mode = options.mode ?? 'table';
    this.timing = options.timing ?? false;
    this.capacity = options.capacity ?? false;
    this.parameters = options.parameters ?? [];
    this.confirmWrites = options.confirmWrites ?? false;
    this.cwd = options.cwd ?? process.cwd();
  }

  private get c(): Colors {
    return this.io.colors;
  }

  private println(line = ''): void {
    this.io.out(`${line}\n`);
  }

  private errorLines(lines: string[], where?: string): void {
    const [first, ...rest] = lines;
    const prefix = where ? `${this.io.errColors.dim(`${where}:`)} ` : '';
    this.io.err(`${prefix}${first ?? ''}\n`);
    for (const line of rest) this.io.err(`${line}\n`);
  }

  /** Runs every statement and meta-command in `text`. */
  async run(text: string, options: RunOptions = {}): Promise<RunResult> {
    const result: RunResult = { ran: 0, failed: 0, quit: false, cancelled: false };
    const { pieces } = splitScript(text);
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (options.signal?.aborted) {
        result.cancelled = true;
        break;
      }
      const line = (options.firstLine ?? 1) + piece.line - 1;
      const where = options.source ? `${options.source}:${line}` : undefined;
      result.ran++;
      let ok: boolean;
      if (piece.kind === 'meta') {
        const outcome = await this.runMeta(piece.text, options.signal, where);
        if (outcome === 'quit') {
          result.quit = true;
          break;
        }
        ok = outcome === 'ok';
      } else {
        ok = await this.runStatement(piece.text, options.signal, where);
      }
      if (!ok) {
        result.failed++;
        if (options.signal?.aborted) {
          result.cancelled = true;
          break;
        }
        if (!options.continueOnError) {
          const left = pieces.length - i - 1;
          if (left > 0)
            this.io.err(this.io.errColors.dim(`(${plural(left, 'statement')} after it not run)\n`));
          break;
        }
      }
    }
    return result;
  }

  // ── Statements ────────────────────────────────────────────────────────────────────────────────────

  /** Runs one statement and prints its result; false if it failed. */
  async runStatement(text: string, signal?: AbortSignal, where?: string): Promise<boolean> {
    const parsed = parseStatement(text);
    const statement = parsed.ok ? parsed.statement : undefined;
    const parameterCount = parsed.ok ? parsed.parameterCount : 0;
    try {
      if (statement?.kind === 'explain') {
        await this.explain(text, parameterCount, signal);
        return true;
      }
      const table = statement ? tableOf(statement) : null;
      if (table) await this.schema.load(table, false, signal);
      const request = {
        statement: text,
        ...(parameterCount > 0 ? { parameters: this.parameters } : {}),
      };
      const started = performance.now();
      const first = await this.backend.executeStatement(request, signal);
      const elapsed = performance.now() - started;
      if (table) this.schema.noteItems(table, first.Items);
      const fetch = async (token: string): Promise<StatementPage> => {
        const page = await this.backend.executeStatement({ ...request, nextToken: token }, signal);
        if (table) this.schema.noteItems(table, page.Items);
        return page;
      };
      await this.printResult(statement, first, elapsed, fetch, signal);
      return true;
    } catch (e) {
      this.errorLines(formatError(e, this.io.errColors, text, this.io.columns()), where);
      if (e instanceof ServiceError && /parameters in request and statement/.test(e.message)) {
        this.io.err(
          this.io.errColors.dim(
            `hint: the statement has ${plural(parameterCount, '? placeholder')}; ${this.parameters.length ? `.params holds ${plural(this.parameters.length, 'value')}` : 'give their values with .params V1 V2 …'}\n`,
          ),
        );
      }
      return false;
    }
  }

  private async explain(text: string, parameterCount: number, signal?: AbortSignal): Promise<void> {
    const result = await this.backend.explain(text, parameterCount > 0 ? this.parameters : undefined, signal);
    if (this.mode === 'table') {
      for (const line of formatExplain(result, this.c, this.io.columns())) this.println(line);
    } else {
      this.println(JSON.stringify(result, null, this.mode === 'ndjson' ? undefined : 2));
    }
  }

  private footerText(rows: string | undefined, ms: number, capacity: CapacityTotal): string {
    return footer({
      ...(rows !== undefined ? { rows } : {}),
      ...(this.timing ? { ms } : {}),
      ...(this.capacity ? { capacity: capacity.toString() } : {}),
    });
  }

  /** Prints a statement's items page by page (asking before each screenful when interactive). */
  private async printResult(
    statement: Statement | undefined,
    first: StatementPage,
    firstMs: number,
    fetch: (token: string) => Promise<StatementPage>,
    signal?: AbortSignal,
  ): Promise<void> {
    const c = this.c;
    const capacity = new CapacityTotal();
    capacity.add(first.ConsumedCapacity);
    let ms = firstMs;
    const wantsItems = statement ? returnsItems(statement) : first.Items.length > 0;

    if (!wantsItems && first.Items.length === 0 && !first.NextToken) {
      // A write without RETURNING.
      if (this.mode === 'table' && (this.confirmWrites || this.timing || this.capacity)) {
        const detail = this.footerText(undefined, ms, capacity);
        this.println(`${c.green('OK')}${detail ? c.dim(` · ${detail}`) : ''}`);
      }
      return;
    }

    const table = statement ? tableOf(statement) : null;
    const keys = table ? this.schema.keyNames(table, statement ? indexOf(statement) : null) : [];
    const projected = statement ? projectedNames(statement) : null;
    const preferred = projected ?? keys;
    const keySet = new Set(keys);

    const buffer: Item[] = [...first.Items];
    let token = first.NextToken;
    let shown = 0;
    const paging = this.io.more !== undefined && this.mode !== 'csv';
    const pageRows = Math.max(5, this.io.pageRows?.() ?? DEFAULT_PAGE_ROWS);

    const fill = async (want: number): Promise<void> => {
      while (buffer.length < want && token) {
        if (signal?.aborted) throw new CancelledError();
        // Let Ctrl-C through between pages (local pages are synchronous).
        await new Promise((r) => setImmediate(r));
        const started = performance.now();
        const page = await fetch(token);
        ms += performance.now() - started;
        capacity.add(page.ConsumedCapacity);
        buffer.push(...page.Items);
        token = page.NextToken;
      }
    };

    let stopped = false;
    let columns: string[] = [];
    let layout: TableLayout | undefined;
    let jsonOpen = false;
    const mode = this.mode;

    const emit = (items: Item[]): void => {
      if (mode === 'table') {
        columns = columnsFor(items, preferred, columns);
        const maxWidth = this.io.columns();
        const rendered = renderTable(columns, items, {
          colors: c,
          keys: keySet,
          ...(maxWidth !== undefined ? { maxWidth } : {}),
          ...(layout ? { previous: layout } : {}),
        });
        layout = rendered.layout;
        for (const line of rendered.lines) this.println(line);
      } else if (mode === 'json' || mode === 'ddbjson') {
        for (const item of items) {
          this.io.out(`${jsonOpen ? ',\n' : '[\n'}  ${jsonLine(mode, item, preferred)}`);
          jsonOpen = true;
        }
      } else if (mode === 'ndjson') {
        for (const item of items) this.println(jsonLine(mode, item, preferred));
      }
    };

    if (mode === 'csv') {
      await fill(Infinity);
      columns = columnsFor(buffer, preferred);
      if (buffer.length > 0) this.println(csvHeader(columns));
      for (const item of buffer) this.println(csvRow(columns, item));
      shown = buffer.length;
      buffer.length = 0;
    } else if (!paging) {
      if (mode === 'table') {
        await fill(Infinity);
        shown = buffer.length;
        if (buffer.length > 0) emit(buffer.splice(0));
      } else {
        for (;;) {
          shown += buffer.length;
          emit(buffer.splice(0));
          if (!token) break;
          await fill(1);
        }
      }
    } else {
      for (;;) {
        await fill(pageRows);
        const chunk = buffer.splice(0, pageRows);
        shown += chunk.length;
        if (chunk.length > 0) emit(chunk);
        if (buffer.length === 0 && !token) break;
        if (!(await this.io.more!(shown))) {
          stopped = true;
          break;
        }
      }
    }

    if (mode === 'json' || mode === 'ddbjson') this.io.out(jsonOpen ? '\n]\n' : '[]\n');
    const rows = !stopped
      ? rowCount(shown)
      : token !== undefined
        ? `${rowCount(shown)} shown, more not fetched`
        : `${shown} of ${rowCount(shown + buffer.length)} shown`;
    const text = this.footerText(rows, ms, capacity);
    if (mode === 'table') {
      this.println(c.dim(`(${text})`));
    } else if (this.io.more) {
      this.io.err(this.io.errColors.dim(`(${text})\n`));
    }
  }

  // ── Meta-commands ─────────────────────────────────────────────────────────────────────────────────

  /** Runs one meta-command line: 'ok', 'failed' or 'quit'. */
  async runMeta(line: string, signal?: AbortSignal, where?: string): Promise<'ok' | 'failed' | 'quit'> {
    const match = /^\.(\S*)\s*([\s\S]*)$/.exec(line.trim());
    const name = (match?.[1] ?? '').toLowerCase();
    const arg = (match?.[2] ?? '').trim();
    const fail = (message: string): 'failed' => {
      this.errorLines([message], where);
      return 'failed';
    };
    try {
      switch (name) {
        case 'help':
        case 'h':
        case '?':
          this.help();
          return 'ok';
        case 'quit':
        case 'exit':
        case 'q':
          return 'quit';
        case 'tables':
          await this.tables(signal);
          return 'ok';
        case 'describe':
        case 'desc':
        case 'schema': {
          if (!arg) return fail('usage: .describe TABLE');
          const d = await this.backend.describeTable(unquoteName(arg), signal);
          for (const l of formatDescription(d, this.c)) this.println(l);
          return 'ok';
        }
        case 'create': {
          const args = splitArgs(arg);
          if (args.length < 2 || args.length > 3) return fail('usage: .create TABLE PK[:S|N|B] [SK[:S|N|B]]');
          const [tableName, ...keySpecs] = args as [string, ...string[]];
          const keys: { name: string; type: string }[] = [];
          for (const spec of keySpecs) {
            const m = /^(.+?)(?::(S|N|B))?$/i.exec(spec);
            if (!m) return fail(`.create: ${spec}: expected NAME or NAME:TYPE (S, N or B)`);
            keys.push({ name: m[1]!, type: (m[2] ?? 'S').toUpperCase() });
          }
          const d = await this.backend.createTable(
            {
              TableName: tableName,
              AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
              KeySchema: keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
              BillingMode: 'PAY_PER_REQUEST',
            },
            signal,
          );
          await this.schema.refreshTables(true, signal);
          const status = d.TableStatus && d.TableStatus !== 'ACTIVE' ? ` (${d.TableStatus})` : '';
          this.println(
            `${this.c.green('Created')} ${tableName}${status} ${this.c.dim(keys.map((k) => `${k.name} ${k.type}`).join(', '))}`,
          );
          return 'ok';
        }
        case 'explain': {
          if (!arg) return fail('usage: .explain STATEMENT');
          const text = arg.replace(/;\s*$/, '');
          const parsed = parseStatement(text);
          try {
            await this.explain(text, parsed.ok ? parsed.parameterCount : 0, signal);
          } catch (e) {
            this.errorLines(formatError(e, this.io.errColors, text, this.io.columns()), where);
            return 'failed';
          }
          return 'ok';
        }
        case 'mode': {
          if (!arg) {
            this.println(`mode ${this.mode} ${this.c.dim(`(one of ${OUTPUT_MODES.join(', ')})`)}`);
            return 'ok';
          }
          const mode = arg.toLowerCase() as OutputMode;
          if (!OUTPUT_MODES.includes(mode))
            return fail(`unknown mode ${arg}: use ${OUTPUT_MODES.join(', ')}`);
          this.mode = mode;
          return 'ok';
        }
        case 'timing':
        case 'capacity': {
          if (!arg) {
            this.println(`${name} ${this[name] ? 'on' : 'off'}`);
            return 'ok';
          }
          const on = onOff(arg);
          if (on === undefined) return fail(`usage: .${name} on|off`);
          this[name] = on;
          return 'ok';
        }
        case 'params':
        case 'parameters': {
          if (!arg) {
            this.println(
              this.parameters.length
                ? this.parameters.map((p, i) => `${this.c.dim(`?${i + 1}`)} ${partiqlLiteral(p)}`).join('\n')
                : this.c.dim('no parameters (set them with .params V1 V2 …)'),
            );
            return 'ok';
          }
          if (/^(clear|none|reset)$/i.test(arg)) {
            this.parameters = [];
            return 'ok';
          }
          try {
            this.parameters = parseValueList(arg);
          } catch (e) {
            return fail(`.params: ${(e as Error).message}`);
          }
          this.println(this.c.dim(`${plural(this.parameters.length, 'parameter')} set`));
          return 'ok';
        }
        case 'read': {
          if (!arg) return fail('usage: .read FILE');
          return (await this.read(unquotePath(arg), signal)) ? 'ok' : 'failed';
        }
        case 'import': {
          // Flags (those of `sortkey import`: --csv-types, --on-conflict, …) follow the positions.
          const all = splitArgs(arg);
          const flagAt = all.findIndex((a) => /^-./.test(a));
          const args = flagAt < 0 ? all : all.slice(0, flagAt);
          if (args.length < 2 || args.length > 4)
            return fail('usage: .import FILE TABLE [PK[:S|N|B] [SK[:S|N|B]]] [--option …]');
          const flags = flagAt < 0 ? [] : all.slice(flagAt);
          const ok = await runImport(
            this,
            resolve(this.cwd, args[0]!),
            args[1]!,
            args.slice(2),
            signal,
            flags,
          );
          this.schema.forget(args[1]!);
          await this.schema.refreshTables(true, signal);
          return ok ? 'ok' : 'failed';
        }
        case 'export': {
          const args = splitArgs(arg);
          if (args.length !== 2) return fail('usage: .export TABLE|"SELECT …" FILE');
          return (await runExport(this, args[0]!, resolve(this.cwd, args[1]!), signal)) ? 'ok' : 'failed';
        }
        default:
          return fail(`unknown command .${name}: .help lists the commands`);
      }
    } catch (e) {
      if (e instanceof CancelledError) {
        this.errorLines(formatError(e, this.io.errColors), where);
        return 'failed';
      }
      this.errorLines(formatError(e, this.io.errColors), where);
      return 'failed';
    }
  }

  private help(): void {
    const c = this.c;
    const width = Math.max(...META_COMMANDS.map(([k]) => k.length)) + 2;
    this.println(`${c.bold('PartiQL')} statements end with ${c.bold(';')} and may span lines:`);
    this.println(`  SELECT * FROM Orders WHERE pk = 'customer#1';`);
    this.println(`  INSERT INTO Orders VALUE {'pk': 'customer#1', 'sk': 'order#2', 'total': 12.5};`);
    this.println(`  EXPLAIN SELECT * FROM Orders WHERE total > 10;`);
    this.println('');
    for (const [k, v] of META_COMMANDS) this.println(`  ${c.cyan(k.padEnd(width))}${v}`);
    this.println('');
    this.println(
      c.dim(
        'Keys: Tab completes · ↑/↓ history · Ctrl-R searches history · Alt-Enter new line · Ctrl-C cancels · Ctrl-D quits',
      ),
    );
    this.println(c.dim(`Connected to ${this.backend.description}`));
  }

  private async tables(signal?: AbortSignal): Promise<void> {
    const c = this.c;
    await this.schema.refreshTables(true, signal);
    const names = [...this.schema.tables()];
    if (names.length === 0) {
      this.println(c.dim('no tables'));
      return;
    }
    const describeAll = this.backend.kind === 'local' || names.length <= 50;
    const rows: Item[] = [];
    for (const name of names) {
      const row: Item = { table: { S: name } };
      if (describeAll) {
        this.schema.forget(name);
        const info = await this.schema.load(name, false, signal);
        const d = info?.description;
        if (d) {
          const key = (t: string) =>
            d.KeySchema.find((k) => (t === 'HASH' ? k.KeyType === 'HASH' : k.KeyType !== 'HASH'));
          const hash = key('HASH');
          const range = key('RANGE');
          if (hash) row['partition key'] = { S: hash.AttributeName };
          if (range) row['sort key'] = { S: range.AttributeName };
          const indexes = [...(d.GlobalSecondaryIndexes ?? []), ...(d.LocalSecondaryIndexes ?? [])].map(
            (i) => i.IndexName,
          );
          if (indexes.length) row.indexes = { S: indexes.join(', ') };
          if (d.ItemCount !== undefined) row.items = { N: String(d.ItemCount) };
        }
      }
      rows.push(row);
    }
    const columns = ['table', 'partition key', 'sort key', 'indexes', 'items'].filter((col) =>
      rows.some((r) => r[col]),
    );
    const maxWidth = this.io.columns();
    const rendered = renderTable(columns, rows, {
      colors: c,
      ...(maxWidth !== undefined ? { maxWidth } : {}),
    });
    for (const line of rendered.lines) this.println(line);
    if (this.backend.approximateCounts && describeAll)
      this.println(c.dim('(item counts from DescribeTable, updated about every six hours)'));
  }

  /** `.read FILE`: runs a script, stopping at its first failure. */
  async read(file: string, signal?: AbortSignal): Promise<boolean> {
    const path = resolve(this.cwd, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      this.errorLines([
        `.read: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      ]);
      return false;
    }
    if (this.readDepth >= 16) {
      this.errorLines([`.read: ${file}: scripts nested too deep`]);
      return false;
    }
    this.readDepth++;
    try {
      const result = await this.run(text, { ...(signal ? { signal } : {}), source: file });
      return result.failed === 0 && !result.cancelled;
    } finally {
      this.readDepth--;
    }
  }
}

function onOff(arg: string): boolean | undefined {
  const a = arg.toLowerCase();
  if (a === 'on' || a === 'true' || a === '1' || a === 'yes') return true;
  if (a === 'off' || a === 'false' || a === '0' || a === 'no') return false;
  return undefined;
}

/** `Orders` or `"My Table"`. */
export function unquoteName(text: string): string {
  const t = text.trim().replace(/;$/, '');
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/""/g, '"');
  return t;
}

function unquotePath(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))))
    return t.slice(1, -1);
  return t;
}

/** Whitespace-separated arguments; "double" or 'single' quotes keep spaces. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"]|"")*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text))
    out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? m[3]!));
  return out;
}
