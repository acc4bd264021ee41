// The shell's core, shared by the interactive REPL and scripts: runs statements and meta-commands
// on a backend and prints results in the chosen mode. It knows nothing about keys or the editor:
// paging asks `io.more()`, which the REPL answers from the keyboard.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseStatement, tableOf } from '../../grammar/partiql/index.js';
import type { Statement } from '../../grammar/partiql/index.js';
import type { AttributeValue, Item } from '../../engine/types.js';
import type { Backend, BatchStatementResponse, StatementPage, StatementRequest } from './backend.js';
import { CancelledError, ServiceError } from './backend.js';
import { runExport, runImport } from './dump.js';
import { closest, formatDescription, formatError, formatExplain, statementHints } from './format.js';
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
  renderVertical,
  rowCount,
} from './render.js';
import { SchemaCache } from './schema.js';
import { splitScript } from './split.js';
import { indexOf, projectedNames, returnsItems } from './statement-info.js';
import type { Colors } from './text.js';
import { displayWidth, makeColors, plural } from './text.js';
import type { NumberStyle } from './values.js';
import { parseValueList, partiqlLiteral } from './values.js';

/**
 * Statements are parsed by the hand-written fast path first: the same result as Chevrotain's
 * recovering parser, which is built (a large part of a `shell -c` run) only for a statement that
 * does not parse.
 */
const SHELL_PARSE = { fast: true } as const;

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
  /**
   * Shows a long result in the user's `$PAGER` (interactive, when one is set); resolves once it
   * exits. Absent: the built-in pager (`more`) pages.
   */
  externalPager?(text: string): Promise<void>;
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
  /** Refuse statements and commands that write (`--read-only`). */
  readOnly?: boolean;
  /** How JSON output writes numbers (`--numbers`). */
  numbers?: NumberStyle;
  /** Stop a SELECT after this many items (`--max-items`, `.limit`). */
  maxItems?: number;
  /** Page long results (`--no-pager`, `.pager off`: no). */
  pager?: boolean;
  /** Notes on stderr (the footer of a SELECT cut by .limit in JSON modes) stay unsaid (`-q`). */
  quiet?: boolean;
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
  ['.regions', 'the regions that hold tables (each region has its own tables)'],
  ['.region [NAME]', 'show the current region, or switch to the tables of another'],
  ['.describe TABLE', 'keys, indexes, billing, size, stream, TTL, PITR and tags of a table'],
  ['.create TABLE PK[:S|N|B] [SK[:S|N|B]]', 'create an on-demand table (PartiQL has no CREATE TABLE)'],
  ['.explain STATEMENT', 'how a statement runs: Query or Scan, keys, filter, estimated capacity'],
  ['.count TABLE[.INDEX]', 'count the items (Scan with Select: COUNT, to the end; PartiQL has no COUNT)'],
  ['.mode table|line|json|ndjson|ddbjson|csv', 'how results are printed (line: one attribute per line)'],
  ['.x [on|off]', 'expanded display (.mode line) on or off; also \\x'],
  ['.limit N|off', 'stop a SELECT after N items, paging with Limit (PartiQL has no LIMIT)'],
  ['.output [FILE]', 'write results to FILE (no FILE: back to the screen); also \\o'],
  ['.once FILE', 'write the next result to FILE'],
  ['.pager on|off', 'page long results ($PAGER when set, else the built-in pager)'],
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

/**
 * Statements that run as one: `BEGIN; … COMMIT;` (ExecuteTransaction, up to DynamoDB's 100
 * statements) and `BEGIN BATCH; … END;` (BatchExecuteStatement, up to 25).
 */
const TRANSACTION_LIMIT = 100;
const BATCH_LIMIT = 25;

type Control = 'begin' | 'begin-batch' | 'commit' | 'rollback' | 'end';

/** BEGIN, COMMIT, ROLLBACK and their spellings (START TRANSACTION, COMMIT WORK, APPLY BATCH, …). */
function controlOf(text: string): Control | null {
  const t = text
    .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ')
    .trim()
    .replace(/\s+/g, ' ')
    .toUpperCase();
  if (/^(BEGIN|START)( TRANSACTION| WORK)?$/.test(t)) return 'begin';
  if (/^BEGIN BATCH$/.test(t)) return 'begin-batch';
  if (/^(COMMIT|END)( TRANSACTION| WORK)$/.test(t) || t === 'COMMIT') return 'commit';
  if (/^(ROLLBACK|ABORT)( TRANSACTION| WORK)?$/.test(t)) return 'rollback';
  if (/^(END|APPLY BATCH|END BATCH)$/.test(t)) return 'end';
  return null;
}

/** Habits from psql, mysql and sqlite3 written as statements: `SHOW TABLES`, `DESCRIBE T`. */
function statementAlias(text: string): string | null {
  const t = text.trim();
  if (/^SHOW\s+TABLES$/i.test(t)) return '.tables';
  const d = /^(?:DESCRIBE|DESC)\s+(\S[\s\S]*)$/i.exec(t);
  if (d) return `.describe ${d[1]!.trim()}`;
  return null;
}

interface QueuedStatement {
  request: StatementRequest;
  text: string;
  where: string | undefined;
}

interface Pending {
  kind: 'transaction' | 'batch';
  statements: QueuedStatement[];
}

const DEFAULT_PAGE_ROWS = 40;

export class Session {
  readonly backend: Backend;
  readonly schema: SchemaCache;
  readonly io: SessionIO;
  mode: OutputMode;
  timing: boolean;
  capacity: boolean;
  parameters: AttributeValue[];
  readonly readOnly: boolean;
  numbers: NumberStyle;
  maxItems: number | undefined;
  pager: boolean;
  private readonly confirmWrites: boolean;
  private readonly quiet: boolean;
  private readonly cwd: string;
  private readDepth = 0;
  /** BEGIN … waiting for its COMMIT (or BEGIN BATCH … for its END). */
  private pending: Pending | undefined;
  /** `.output FILE`: results go to this file descriptor; `.once`: for the next command only. */
  private output: { fd: number; file: string; once: boolean } | undefined;
  private readonly plainColors = makeColors(false);

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
    this.readOnly = options.readOnly ?? false;
    this.numbers = options.numbers ?? 'exact';
    this.maxItems = options.maxItems;
    this.pager = options.pager ?? true;
    this.quiet = options.quiet ?? false;
  }

  /** What is queued after BEGIN (for the prompt): null outside a transaction or batch. */
  get queued(): { kind: 'transaction' | 'batch'; count: number } | null {
    return this.pending ? { kind: this.pending.kind, count: this.pending.statements.length } : null;
  }

  /** Colours for results: none while they go to a file. */
  private get c(): Colors {
    return this.output ? this.plainColors : this.io.colors;
  }

  /** Width results may take: unlimited in a file. */
  private columns(): number | undefined {
    return this.output ? undefined : this.io.columns();
  }

  private out(text: string): void {
    if (this.output) writeSync(this.output.fd, text);
    else this.io.out(text);
  }

  private println(line = ''): void {
    this.out(`${line}\n`);
  }

  /** Where results go now (`.output`), or null for the screen. */
  get outputFile(): string | null {
    return this.output?.file ?? null;
  }

  private closeOutput(): void {
    if (!this.output) return;
    closeSync(this.output.fd);
    this.output = undefined;
  }

  /** Ends the session: closes an `.output` file and reports statements left queued after BEGIN. */
  finish(): void {
    this.closeOutput();
    this.dropPending('the input ended');
  }

  private dropPending(why: string): void {
    if (!this.pending) return;
    const { kind, statements } = this.pending;
    this.pending = undefined;
    this.io.err(
      this.io.errColors.yellow(
        `${why} inside ${kind === 'batch' ? 'BEGIN BATCH without END' : 'BEGIN without COMMIT'}: ${plural(statements.length, 'queued statement')} not run\n`,
      ),
    );
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
    /** Statements that changed data and stay changed whatever happens next. */
    let applied = 0;
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
      const once = this.output?.once === true;
      if (piece.kind === 'meta') {
        const outcome = await this.runMeta(piece.text, options.signal, where);
        if (outcome === 'quit') {
          result.quit = true;
          break;
        }
        ok = outcome === 'ok';
      } else {
        const alias = statementAlias(piece.text);
        const control = alias ? null : controlOf(piece.text);
        if (alias) {
          ok = (await this.runMeta(alias, options.signal, where)) === 'ok';
        } else if (control) {
          const outcome = await this.runControl(control, options.signal, where);
          ok = outcome.ok;
          applied += outcome.applied;
        } else if (this.pending) {
          ok = this.queue(piece.text, where);
        } else {
          const outcome = await this.runStatement(piece.text, options.signal, where);
          ok = outcome !== false;
          if (outcome === 'wrote') applied++;
        }
      }
      if (once && this.output?.once) this.closeOutput();
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
          if (applied > 0) {
            this.io.err(
              this.io.errColors.yellow(
                `(${plural(applied, 'earlier statement')} stay${applied === 1 ? 's' : ''} applied: ${applied === 1 ? 'it' : 'they'} ran outside a transaction; BEGIN; … COMMIT; runs statements all or nothing)\n`,
              ),
            );
          }
          if (options.source) this.dropPending('the script stopped');
          break;
        }
      }
    }
    return result;
  }

  // ── Transactions and batches ──────────────────────────────────────────────────────────────────────

  /** Queues a statement after BEGIN; false (nothing queued) if it cannot be part of it. */
  private queue(text: string, where: string | undefined): boolean {
    const pending = this.pending!;
    const parsed = parseStatement(text, SHELL_PARSE);
    if (!parsed.ok) {
      this.errorLines(
        formatError(
          new ServiceError('ValidationException', parsed.errors[0]!.message),
          this.io.errColors,
          text,
          this.io.columns(),
        ),
        where,
      );
      this.errorLines(statementHints(text, undefined, this.schema.tables(), this.io.errColors));
      this.io.err(
        this.io.errColors.dim(
          `(not queued; ${plural(pending.statements.length, 'statement')} wait${pending.statements.length === 1 ? 's' : ''} for ${pending.kind === 'batch' ? 'END' : 'COMMIT'})\n`,
        ),
      );
      return false;
    }
    if (parsed.statement.kind === 'explain') {
      this.errorLines([`EXPLAIN cannot be part of a ${pending.kind}`], where);
      return false;
    }
    if (this.readOnly && parsed.statement.kind !== 'select' && parsed.statement.kind !== 'exists') {
      this.errorLines([readOnlyMessage()], where);
      return false;
    }
    pending.statements.push({
      request: {
        statement: text,
        ...(parsed.parameterCount > 0 ? { parameters: this.parameters.slice(0, parsed.parameterCount) } : {}),
      },
      text,
      where,
    });
    if (this.confirmWrites) {
      const n = pending.statements.length;
      this.println(
        this.c.dim(
          `queued (${n}${pending.kind === 'transaction' ? `/${TRANSACTION_LIMIT}` : `/${BATCH_LIMIT}`})`,
        ),
      );
    }
    return true;
  }

  private async runControl(
    control: Control,
    signal: AbortSignal | undefined,
    where: string | undefined,
  ): Promise<{ ok: boolean; applied: number }> {
    const c = this.c;
    const fail = (message: string): { ok: boolean; applied: number } => {
      this.errorLines([message], where);
      return { ok: false, applied: 0 };
    };
    if (control === 'begin' || control === 'begin-batch') {
      if (this.pending)
        return fail(
          `already inside ${this.pending.kind === 'batch' ? 'BEGIN BATCH' : 'BEGIN'}: end it first (${this.pending.kind === 'batch' ? 'END' : 'COMMIT or ROLLBACK'})`,
        );
      this.pending = { kind: control === 'begin' ? 'transaction' : 'batch', statements: [] };
      if (this.confirmWrites) {
        this.println(
          c.dim(
            control === 'begin'
              ? 'Transaction: statements wait for COMMIT, then run as one (ROLLBACK drops them)'
              : 'Batch: statements wait for END, then run as one BatchExecuteStatement',
          ),
        );
      }
      return { ok: true, applied: 0 };
    }
    const pending = this.pending;
    if (control === 'rollback') {
      if (!pending) return fail('ROLLBACK without BEGIN: there is no transaction to roll back');
      this.pending = undefined;
      if (this.confirmWrites || this.io.more)
        this.println(
          c.dim(
            `Rolled back: ${plural(pending.statements.length, 'queued statement')} dropped, nothing was run`,
          ),
        );
      return { ok: true, applied: 0 };
    }
    if (!pending) return fail(`${control === 'commit' ? 'COMMIT' : 'END'} without BEGIN`);
    this.pending = undefined;
    const { statements } = pending;
    if (statements.length === 0) {
      this.println(c.dim(`empty ${pending.kind}: nothing to run`));
      return { ok: true, applied: 0 };
    }
    const limit = pending.kind === 'transaction' ? TRANSACTION_LIMIT : BATCH_LIMIT;
    if (statements.length > limit) {
      return fail(
        `a ${pending.kind === 'transaction' ? 'transaction (ExecuteTransaction)' : 'batch (BatchExecuteStatement)'} holds at most ${limit} statements in DynamoDB; this one has ${statements.length}: nothing was run`,
      );
    }
    return pending.kind === 'transaction'
      ? this.commit(statements, signal, where)
      : this.runBatch(statements, signal, where);
  }

  private async commit(
    statements: QueuedStatement[],
    signal: AbortSignal | undefined,
    where: string | undefined,
  ): Promise<{ ok: boolean; applied: number }> {
    const c = this.c;
    const started = performance.now();
    try {
      const out = await this.backend.executeTransaction(
        statements.map((s) => s.request),
        signal,
      );
      const ms = performance.now() - started;
      const capacity = new CapacityTotal();
      for (const cc of out.ConsumedCapacity ?? []) capacity.add(cc);
      const items = (out.Responses ?? []).flatMap((r) => (r.Item ? [r.Item] : []));
      if (items.length > 0) {
        await this.printResult(
          undefined,
          { Items: items },
          ms,
          () => Promise.reject(new Error('no more pages')),
          signal,
        );
        return { ok: true, applied: 0 };
      }
      const detail = this.footerText(undefined, ms, capacity);
      this.println(
        `${c.green('COMMIT')} ${c.dim(`${plural(statements.length, 'statement')} applied as one transaction${detail ? ` · ${detail}` : ''}`)}`,
      );
      return { ok: true, applied: statements.length };
    } catch (e) {
      this.errorLines(formatError(e, this.io.errColors), where);
      if (e instanceof ServiceError && e.type === 'TransactionCanceledException') {
        const reasons =
          /\[([^\]]*)\]/
            .exec(e.message)?.[1]
            ?.split(',')
            .map((r) => r.trim()) ?? [];
        reasons.forEach((reason, i) => {
          if (reason && reason !== 'None' && statements[i])
            this.io.err(
              `  ${this.io.errColors.dim(`statement ${i + 1}${statements[i]!.where ? ` (${statements[i]!.where})` : ''}:`)} ${reason}: ${statements[i]!.text.replace(/\s+/g, ' ').slice(0, 100)}\n`,
            );
        });
      }
      this.io.err(
        this.io.errColors.yellow(
          `(transaction not applied: none of its ${plural(statements.length, 'statement')} changed anything)\n`,
        ),
      );
      return { ok: false, applied: 0 };
    }
  }

  private async runBatch(
    statements: QueuedStatement[],
    signal: AbortSignal | undefined,
    where: string | undefined,
  ): Promise<{ ok: boolean; applied: number }> {
    const c = this.c;
    let responses: BatchStatementResponse[];
    try {
      responses = (
        await this.backend.batchExecuteStatement(
          statements.map((s) => s.request),
          signal,
        )
      ).Responses;
    } catch (e) {
      this.errorLines(formatError(e, this.io.errColors), where);
      this.io.err(
        this.io.errColors.yellow(
          `(batch refused: none of its ${plural(statements.length, 'statement')} ran)\n`,
        ),
      );
      return { ok: false, applied: 0 };
    }
    let failed = 0;
    let applied = 0;
    const jsonModes = this.mode === 'json' || this.mode === 'ndjson' || this.mode === 'ddbjson';
    const lines: string[] = [];
    responses.forEach((r, i) => {
      const s = statements[i];
      const parsed = s ? parseStatement(s.text, SHELL_PARSE) : undefined;
      const isRead = parsed?.ok === true && parsed.statement.kind === 'select';
      if (r.Error) failed++;
      else if (!isRead) applied++;
      if (jsonModes) {
        const entry = r.Error
          ? `{"statement":${i + 1},"error":{"code":${JSON.stringify(r.Error.Code ?? 'Error')},"message":${JSON.stringify(r.Error.Message ?? '')}}}`
          : `{"statement":${i + 1}${r.Item ? `,"item":${jsonLine(this.mode === 'ddbjson' ? 'ddbjson' : 'json', r.Item, undefined, this.numbers)}` : ''}}`;
        lines.push(entry);
        return;
      }
      const label = c.dim(`${String(i + 1).padStart(2)} `);
      if (r.Error) {
        this.io.err(
          `${this.io.errColors.dim(`${String(i + 1).padStart(2)} `)}${this.io.errColors.bold(this.io.errColors.red(r.Error.Code ?? 'Error'))}: ${r.Error.Message ?? ''}${s?.where ? this.io.errColors.dim(` (${s.where})`) : ''}\n`,
        );
      } else if (r.Item) {
        lines.push(`${label}${jsonLine('json', r.Item, undefined, this.numbers)}`);
      } else {
        lines.push(`${label}${c.green('OK')}${isRead ? c.dim(' (no item)') : ''}`);
      }
    });
    if (jsonModes) {
      if (this.mode === 'ndjson') for (const l of lines) this.println(l);
      else this.println(`[\n  ${lines.join(',\n  ')}\n]`);
    } else {
      for (const l of lines) this.println(l);
      this.println(
        c.dim(
          `(batch of ${plural(statements.length, 'statement')}: ${statements.length - failed} succeeded, ${failed} failed)`,
        ),
      );
    }
    return { ok: failed === 0, applied };
  }

  // ── Statements ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Runs one statement and prints its result: false if it failed, 'wrote' if it changed data
   * (for the note on what stays applied when a script fails), else 'ok'.
   */
  async runStatement(text: string, signal?: AbortSignal, where?: string): Promise<false | 'ok' | 'wrote'> {
    const parsed = parseStatement(text, SHELL_PARSE);
    const statement = parsed.ok ? parsed.statement : undefined;
    const parameterCount = parsed.ok ? parsed.parameterCount : 0;
    const writes = statement !== undefined && ['insert', 'update', 'delete'].includes(statement.kind);
    try {
      if (statement?.kind === 'explain') {
        await this.explain(text, parameterCount, signal);
        return 'ok';
      }
      if (
        this.readOnly &&
        (writes || (statement === undefined && /^\s*(INSERT|UPDATE|DELETE)\b/i.test(text)))
      ) {
        this.errorLines([readOnlyMessage()], where);
        return false;
      }
      const table = statement ? tableOf(statement) : null;
      if (table) await this.schema.load(table, false, signal);
      // `.limit N`: pages ask for at most the items still wanted, and fetching stops at N.
      const max = statement?.kind === 'select' ? this.maxItems : undefined;
      let received = 0;
      const limited = { hit: false };
      const request = {
        statement: text,
        ...(parameterCount > 0 ? { parameters: this.parameters } : {}),
        ...(max !== undefined ? { limit: max } : {}),
      };
      const started = performance.now();
      const first = await this.backend.executeStatement(request, signal);
      const elapsed = performance.now() - started;
      received += first.Items.length;
      if (max !== undefined && received >= max && first.NextToken) {
        limited.hit = true;
        delete first.NextToken;
      }
      if (table) this.schema.noteItems(table, first.Items);
      const fetch = async (token: string): Promise<StatementPage> => {
        const page = await this.backend.executeStatement(
          { ...request, nextToken: token, ...(max !== undefined ? { limit: max - received } : {}) },
          signal,
        );
        received += page.Items.length;
        if (max !== undefined && received >= max && page.NextToken) {
          limited.hit = true;
          delete page.NextToken;
        }
        if (table) this.schema.noteItems(table, page.Items);
        return page;
      };
      await this.printResult(
        statement,
        first,
        elapsed,
        fetch,
        signal,
        limited.hit || max !== undefined ? limited : undefined,
        max,
      );
      return writes ? 'wrote' : 'ok';
    } catch (e) {
      this.errorLines(formatError(e, this.io.errColors, text, this.io.columns()), where);
      if (!(e instanceof CancelledError)) {
        if (e instanceof ServiceError && e.type === 'ResourceNotFoundException')
          await this.schema.refreshTables(true, signal).catch(() => undefined);
        const hints = statementHints(text, e, this.schema.tables(), this.io.errColors);
        if (hints.length) this.errorLines(hints);
      }
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

  /**
   * Prints a statement's items. Interactive: page by page, asking before each screenful (the
   * built-in pager counts screen lines, wrapped ones included), or all of it through `$PAGER`.
   */
  private async printResult(
    statement: Statement | undefined,
    first: StatementPage,
    firstMs: number,
    fetch: (token: string) => Promise<StatementPage>,
    signal?: AbortSignal,
    limited?: { hit: boolean },
    max?: number,
  ): Promise<void> {
    const c = this.c;
    const capacity = new CapacityTotal();
    capacity.add(first.ConsumedCapacity);
    let ms = firstMs;
    const wantsItems = statement ? returnsItems(statement) : first.Items.length > 0;

    if (!wantsItems && first.Items.length === 0 && !first.NextToken) {
      // A write without RETURNING.
      if (
        (this.mode === 'table' || this.mode === 'line') &&
        (this.confirmWrites || this.timing || this.capacity)
      ) {
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
    const mode = this.mode;
    const interactive = this.io.more !== undefined && this.output === undefined && this.pager;
    const external = interactive && this.io.externalPager !== undefined && mode !== 'csv';
    const paging = interactive && !external && mode !== 'csv';
    const screenRows = Math.max(5, this.io.pageRows?.() ?? DEFAULT_PAGE_ROWS);

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

    /** Lines for a chunk of items; `done[i]`: items complete once line i is shown. */
    const render = (items: Item[], moreAfter = false): { lines: string[]; done: number[] } => {
      const lines: string[] = [];
      const done: number[] = [];
      const maxWidth = this.columns();
      // Expanded display: names padded alike across the chunk (an item shows the ones it has).
      const chunkColumns = columnsFor(items, preferred);
      if (mode === 'table') {
        columns = columnsFor(items, preferred, columns);
        const rendered = renderTable(columns, items, {
          colors: c,
          keys: keySet,
          ...(maxWidth !== undefined ? { maxWidth } : {}),
          ...(layout ? { previous: layout } : {}),
        });
        layout = rendered.layout;
        if (rendered.vertical) {
          // One block per item (the table could not fit without cutting values).
          layout = undefined;
          items.forEach((item, i) => {
            for (const l of renderVertical(chunkColumns, [item], {
              colors: c,
              keys: keySet,
              ...(maxWidth !== undefined ? { maxWidth } : {}),
              start: shown + i,
            })) {
              lines.push(l);
              done.push(i);
            }
            done[done.length - 1] = i + 1;
          });
        } else {
          const header = rendered.lines.length - items.length;
          rendered.lines.forEach((l, i) => {
            lines.push(l);
            done.push(Math.max(0, i - header + 1));
          });
        }
      } else if (mode === 'line') {
        items.forEach((item, i) => {
          for (const l of renderVertical(chunkColumns, [item], {
            colors: c,
            keys: keySet,
            ...(maxWidth !== undefined ? { maxWidth } : {}),
            start: shown + i,
          })) {
            lines.push(l);
            done.push(i);
          }
          done[done.length - 1] = i + 1;
        });
      } else if (mode === 'json' || mode === 'ddbjson') {
        // One item per line; the comma goes after an item only when another follows.
        if (!jsonOpen && items.length > 0) {
          lines.push('[');
          done.push(0);
          jsonOpen = true;
        }
        items.forEach((item, i) => {
          const comma = i < items.length - 1 || moreAfter ? ',' : '';
          lines.push(`  ${jsonLine(mode, item, preferred, this.numbers)}${comma}`);
          done.push(i + 1);
        });
      } else if (mode === 'ndjson') {
        items.forEach((item, i) => {
          lines.push(jsonLine(mode, item, preferred, this.numbers));
          done.push(i + 1);
        });
      }
      return { lines, done };
    };
    const joinLines = (lines: string[]): string => lines.map((l) => `${l}\n`).join('');
    const closeJson = (): string =>
      mode === 'json' || mode === 'ddbjson' ? (jsonOpen ? ']\n' : '[]\n') : '';

    if (mode === 'csv') {
      await fill(Infinity);
      columns = columnsFor(buffer, preferred);
      if (buffer.length > 0) this.println(csvHeader(columns));
      for (const item of buffer) this.println(csvRow(columns, item));
      shown = buffer.length;
      buffer.length = 0;
    } else if (external) {
      // Everything, then to $PAGER when it is longer than the screen.
      await fill(Infinity);
      const items = buffer.splice(0);
      let text = joinLines(render(items).lines) + closeJson();
      shown = items.length;
      const footer = this.footerText(rowCount(shown), ms, capacity);
      if (mode === 'table' || mode === 'line') text += `${c.dim(`(${footer})`)}\n`;
      const cols = this.columns() ?? 80;
      const height = text.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(displayWidth(l) / cols)), 0);
      if (height > screenRows) await this.io.externalPager!(text);
      else this.out(text);
      return;
    } else if (!paging) {
      if (mode === 'table') {
        await fill(Infinity);
        const items = buffer.splice(0);
        if (items.length > 0) this.out(joinLines(render(items).lines));
        shown = items.length;
      } else {
        // Each page as it arrives (the next one is fetched first, to know whether a comma follows).
        for (;;) {
          const chunk = buffer.splice(0);
          await fill(1);
          this.out(joinLines(render(chunk, buffer.length > 0).lines));
          shown += chunk.length;
          if (buffer.length === 0) break;
        }
      }
    } else {
      // The built-in pager: screen lines (a line wider than the terminal takes several), then a
      // question on a line of its own.
      const cols = Math.max(1, this.io.columns() ?? 80);
      const room = screenRows;
      let used = 0;
      outer: for (;;) {
        await fill(room + 1);
        const chunk = buffer.splice(0, room);
        if (chunk.length > 0) {
          const { lines, done } = render(chunk, buffer.length > 0);
          for (let i = 0; i < lines.length; i++) {
            const height = Math.max(1, Math.ceil(displayWidth(lines[i]!) / cols));
            if (used > 0 && used + height > room) {
              if (!(await this.io.more!(shown + (i > 0 ? done[i - 1]! : 0)))) {
                shown += i > 0 ? done[i - 1]! : 0;
                // Items of this chunk not shown go back, for the footer's count.
                buffer.unshift(...chunk.slice(i > 0 ? done[i - 1]! : 0));
                stopped = true;
                break outer;
              }
              used = 0;
            }
            this.out(`${lines[i]!}\n`);
            used += height;
          }
          shown += chunk.length;
        }
        if (buffer.length === 0 && !token) break;
      }
    }

    this.out(closeJson());
    let rows = !stopped
      ? rowCount(shown)
      : token !== undefined
        ? `${rowCount(shown)} shown, more not fetched`
        : `${shown} of ${rowCount(shown + buffer.length)} shown`;
    if (limited?.hit) rows += `, stopped at .limit ${max}`;
    const text = this.footerText(rows, ms, capacity);
    if (mode === 'table' || mode === 'line') {
      this.println(c.dim(`(${text})`));
    } else if (this.io.more || (limited?.hit && !this.quiet)) {
      this.io.err(this.io.errColors.dim(`(${text})\n`));
    }
  }

  // ── Meta-commands ─────────────────────────────────────────────────────────────────────────────────

  /** Runs one meta-command line: 'ok', 'failed' or 'quit'. */
  async runMeta(line: string, signal?: AbortSignal, where?: string): Promise<'ok' | 'failed' | 'quit'> {
    const match = line.trim().startsWith('\\')
      ? /^\\([a-z]+\+?|\?)\s*([\s\S]*)$/i.exec(line.trim())
      : /^\.(\S*)\s*([\s\S]*)$/.exec(line.trim());
    let name = (match?.[1] ?? '').toLowerCase();
    let arg = (match?.[2] ?? '').trim();
    if (line.trim().startsWith('\\')) {
      // psql's backslash commands, for habits: \d, \d TABLE, \dt, \x, \o FILE, \i FILE, \q, \?.
      const backslash = BACKSLASH[name];
      if (!backslash) {
        this.errorLines([`unknown command \\${name}: \\? lists the commands`], where);
        return 'failed';
      }
      name = typeof backslash === 'function' ? backslash(arg) : backslash;
      if (name === 'timing' && !arg) arg = this.timing ? 'off' : 'on';
    }
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
        case 'regions':
          return (await this.listRegions())
            ? 'ok'
            : fail('this connection has one region: .regions works on local databases');
        case 'region': {
          const backend = this.backend;
          if (!backend.useRegion || backend.region === undefined)
            return fail('.region works on local databases (for an endpoint, sign for another region)');
          if (!arg) {
            this.println(backend.region);
            return 'ok';
          }
          if (!/^[a-z0-9-]+$/.test(arg)) return fail(`not a region name: ${arg} (e.g. eu-west-1)`);
          backend.useRegion(arg);
          for (const name of this.schema.tables()) this.schema.forget(name);
          await this.schema.refreshTables(true, signal);
          const count = this.schema.tables().length;
          this.println(this.c.dim(`region ${arg}: ${count} table${count === 1 ? '' : 's'}`));
          return 'ok';
        }
        case 'describe':
        case 'desc':
        case 'schema': {
          if (!arg) return fail('usage: .describe TABLE');
          const tableName = unquoteName(arg);
          let d;
          try {
            d = await this.backend.describeTable(tableName, signal);
          } catch (e) {
            if (!(e instanceof ServiceError && e.type === 'ResourceNotFoundException')) throw e;
            await this.schema.refreshTables(true, signal);
            const guess = closest(tableName, this.schema.tables());
            return fail(`no table ${tableName}${guess ? `: did you mean ${guess}?` : ''}`);
          }
          const extras = await this.backend.describeExtras(d, signal);
          for (const l of formatDescription(d, this.c, extras)) this.println(l);
          return 'ok';
        }
        case 'count': {
          const spec = unquoteName(arg);
          if (!spec) return fail('usage: .count TABLE[.INDEX]');
          const [tableName, index] =
            spec.includes('.') && !arg.trim().startsWith('"') ? spec.split('.', 2) : [spec];
          const started = performance.now();
          let result;
          try {
            result = await this.backend.count(tableName!, index, signal, (n) =>
              this.io.status?.(`counting ${tableName}… ${n}`),
            );
          } catch (e) {
            this.io.status?.(null);
            if (e instanceof ServiceError && e.type === 'ResourceNotFoundException') {
              await this.schema.refreshTables(true, signal);
              const guess = closest(tableName!, this.schema.tables());
              return fail(`no table ${tableName}${guess ? `: did you mean ${guess}?` : ''}`);
            }
            throw e;
          }
          this.io.status?.(null);
          const capacity = new CapacityTotal();
          capacity.add({ ReadCapacityUnits: result.capacity });
          if (this.mode === 'json' || this.mode === 'ndjson') {
            this.println(`{"count":${result.count}}`);
          } else {
            const detail = this.footerText(undefined, performance.now() - started, capacity);
            this.println(`${result.count}${detail ? this.c.dim(`  (Scan, Select: COUNT · ${detail})`) : ''}`);
          }
          return 'ok';
        }
        case 'x':
        case 'expanded': {
          const on = arg ? onOff(arg) : this.mode !== 'line';
          if (on === undefined) return fail('usage: .x [on|off]');
          this.mode = on ? 'line' : 'table';
          this.println(this.c.dim(`Expanded display is ${on ? 'on' : 'off'}.`));
          return 'ok';
        }
        case 'limit': {
          if (!arg) {
            this.println(this.maxItems === undefined ? 'limit off' : `limit ${this.maxItems}`);
            return 'ok';
          }
          if (/^(off|none|0)$/i.test(arg)) {
            this.maxItems = undefined;
            return 'ok';
          }
          if (!/^\d+$/.test(arg)) return fail('usage: .limit N|off');
          this.maxItems = Number(arg);
          return 'ok';
        }
        case 'output':
        case 'once': {
          if (!arg) {
            if (name === 'once') return fail('usage: .once FILE');
            if (this.confirmWrites && this.output)
              this.io.out(this.c.dim('Results go to the screen again\n'));
            this.closeOutput();
            return 'ok';
          }
          const file = resolve(this.cwd, unquotePath(arg));
          let fd: number;
          try {
            fd = openSync(file, 'w');
          } catch (e) {
            return fail(
              `.${name}: cannot write ${arg}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
            );
          }
          this.closeOutput();
          if (this.confirmWrites)
            this.io.out(
              this.c.dim(`${name === 'once' ? 'The next result goes' : 'Results go'} to ${file}\n`),
            );
          this.output = { fd, file, once: name === 'once' };
          return 'ok';
        }
        case 'pager': {
          const on = arg ? onOff(arg) : !this.pager;
          if (on === undefined) return fail('usage: .pager on|off');
          this.pager = on;
          this.println(this.c.dim(`Pager is ${on ? 'on' : 'off'}.`));
          return 'ok';
        }
        case 'create': {
          if (this.readOnly) return fail(readOnlyMessage());
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
          const parsed = parseStatement(text, SHELL_PARSE);
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
          if (this.readOnly) return fail(readOnlyMessage());
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
      `  ${c.dim('BEGIN; … COMMIT;')} one ExecuteTransaction (ROLLBACK drops it) · ${c.dim('BEGIN BATCH; … END;')} one BatchExecuteStatement`,
    );
    this.println(
      `  ${c.dim('psql habits:')} \\d [TABLE], \\dt, \\x, \\o FILE, \\i FILE, \\timing, \\q, \\? · SHOW TABLES; DESCRIBE TABLE;`,
    );
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
    const current = this.backend.region;
    const elsewhere =
      current !== undefined && this.backend.regions
        ? (await this.backend.regions()).filter((r) => r.region !== current)
        : [];
    const others = elsewhere.map((r) => `${r.region} has ${r.tables}`).join(', ');
    if (names.length === 0) {
      // DynamoDB Local's classic trap: an application in one region, a tool looking at another.
      if (current !== undefined && others) {
        this.println(`no tables in ${current}; ${others}`);
        this.println(c.dim(`.region ${elsewhere[0]!.region} switches to them`));
      } else this.println(c.dim('no tables'));
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
    if (others) this.println(c.dim(`(tables in ${current}; ${others}: .region NAME switches)`));
  }

  /** `.regions`: the regions that hold tables, the current one marked; false without regions. */
  private async listRegions(): Promise<boolean> {
    const backend = this.backend;
    if (!backend.regions || backend.region === undefined) return false;
    const regions = await backend.regions();
    if (!regions.some((r) => r.region === backend.region))
      regions.push({ region: backend.region, tables: 0 });
    regions.sort((a, b) => (a.region < b.region ? -1 : 1));
    for (const r of regions) {
      const mark = r.region === backend.region ? '* ' : '  ';
      this.println(`${mark}${r.region}  ${r.tables} table${r.tables === 1 ? '' : 's'}`);
    }
    return true;
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

/** psql's backslash commands → meta-command names (some depend on the argument). */
const BACKSLASH: Record<string, string | ((arg: string) => string)> = {
  d: (arg) => (arg ? 'describe' : 'tables'),
  dt: 'tables',
  'd+': (arg) => (arg ? 'describe' : 'tables'),
  x: 'x',
  o: 'output',
  i: 'read',
  q: 'quit',
  '?': 'help',
  h: 'help',
  timing: 'timing',
};

function readOnlyMessage(): string {
  return 'read-only shell (--read-only): statements and commands that write are refused';
}

/** Whitespace-separated arguments; "double" or 'single' quotes keep spaces. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"]|"")*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text))
    out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? m[3]!));
  return out;
}
