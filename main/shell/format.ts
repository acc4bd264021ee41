// Messages for people: errors (with a caret under a statement's mistake), EXPLAIN plans, table
// descriptions.
import { NOT_WELL_FORMED, parseStatement } from '../../grammar/partiql/index.js';
import type { PartiqlSyntaxError } from '../../grammar/partiql/index.js';
import type {
  ExplainOutcome,
  IndexDescription,
  KeySchemaElement,
  TableDescription,
  TableExtras,
} from './backend.js';
import { CancelledError, ServiceError } from './backend.js';
import { units } from './render.js';
import type { Colors } from './text.js';
import { displayWidth, wrapText } from './text.js';

/** The first syntax or validation error the grammar finds in `statement`, if any. */
export function localParseError(statement: string): PartiqlSyntaxError | undefined {
  const parsed = parseStatement(statement, { fast: true });
  return parsed.ok ? undefined : parsed.errors[0];
}

/**
 * `Type: message`, and for a statement the grammar rejects, the line in question with a caret
 * under the problem and the grammar's plain-words hint.
 */
export function formatError(err: unknown, c: Colors, statement?: string, maxWidth?: number): string[] {
  if (err instanceof CancelledError) return [c.yellow('Cancelled.')];
  let type: string;
  let message: string;
  if (err instanceof ServiceError) {
    type = err.type;
    message = err.message;
  } else if (err instanceof Error) {
    type = err.name && err.name !== 'Error' ? err.name : 'Error';
    message = err.message;
  } else {
    type = 'Error';
    message = String(err);
  }
  const lines = [`${c.bold(c.red(type))}: ${message}`];
  if (statement !== undefined && type === 'ValidationException') {
    const problem = localParseError(statement);
    if (problem && (problem.message === message || message.startsWith(NOT_WELL_FORMED))) {
      lines.push(...caretLines(statement, problem, c, maxWidth));
    }
  }
  return lines;
}

/** The statement line holding the problem, a caret under it, and the hint. */
export function caretLines(
  statement: string,
  problem: PartiqlSyntaxError,
  c: Colors,
  maxWidth?: number,
): string[] {
  const all = statement.split(/\r\n|\r|\n/);
  const lineIndex = Math.min(Math.max(problem.line - 1, 0), all.length - 1);
  let text = all[lineIndex]!.replace(/\t/g, '    ');
  const original = all[lineIndex]!;
  // Column counts UTF-16 units from 1; tabs became four spaces.
  const col0 = Math.min(Math.max(problem.column - 1, 0), original.length);
  let before = original.slice(0, col0).replace(/\t/g, '    ');
  let marked = original.slice(col0, col0 + Math.max(problem.length, 1)).replace(/\t/g, '    ');
  const gutter = all.length > 1 ? `${problem.line} │ ` : '';
  const indent = '  ' + ' '.repeat(displayWidth(gutter));
  const room = maxWidth !== undefined ? maxWidth - displayWidth(indent) - 1 : undefined;
  if (room !== undefined && room > 20 && displayWidth(text) > room) {
    // Show a window of the line around the problem.
    const start = Math.max(0, before.length - Math.floor(room / 2));
    const shownBefore = (start > 0 ? '…' : '') + before.slice(start);
    const restRoom = Math.max(1, room - displayWidth(shownBefore));
    const after = text.slice(before.length);
    text = shownBefore + (displayWidth(after) > restRoom ? `${after.slice(0, restRoom - 1)}…` : after);
    before = shownBefore;
    if (displayWidth(marked) > restRoom) marked = marked.slice(0, restRoom);
  }
  const carets = '^'.repeat(Math.max(1, displayWidth(marked)));
  const hint = problem.hint ? ` ${problem.hint}` : '';
  return [
    `  ${c.dim(gutter)}${text}`,
    `${indent}${' '.repeat(displayWidth(before))}${c.bold(c.red(carets))}${c.yellow(hint)}`,
  ];
}

// ── EXPLAIN ──────────────────────────────────────────────────────────────────────────────────────────

export function formatExplain(result: ExplainOutcome, c: Colors, maxWidth?: number): string[] {
  const lines: string[] = [];
  for (const step of result.Steps) {
    const on = `${step.TableName}${step.IndexName ? ` (index ${step.IndexName})` : ''}`;
    const op = step.Operation === 'Scan' ? c.bold(c.yellow(step.Operation)) : c.bold(c.green(step.Operation));
    lines.push(`${op} ${on}`);
    const rows: [string, string | undefined][] = [
      ['key condition', step.KeyCondition],
      ['filter', step.Filter],
      ['condition', step.Condition],
      ['projection', step.Projection?.join(', ')],
      [
        'partitions',
        step.Partitions !== undefined && (step.Partitions > 1 || step.ScanIndexForward === false)
          ? `${step.Partitions}${step.ScanIndexForward === false ? ', sort key descending' : ''}`
          : undefined,
      ],
    ];
    for (const [label, value] of rows)
      if (value !== undefined) lines.push(`  ${c.dim(label.padEnd(14))}${value}`);
  }
  if (result.Note) {
    lines.push(`${c.dim('estimate')}      n/a: ${result.Note}`);
  } else {
    const parts: string[] = [];
    if (result.EstimatedReadCapacityUnits > 0 || result.EstimatedWriteCapacityUnits === 0) {
      parts.push(`${units(result.EstimatedReadCapacityUnits)} RCU`);
    }
    if (result.EstimatedWriteCapacityUnits > 0)
      parts.push(`${units(result.EstimatedWriteCapacityUnits)} WCU`);
    if (result.EstimatedItemsRead !== undefined) {
      parts.push(`${result.EstimatedItemsRead} item${result.EstimatedItemsRead === 1 ? '' : 's'} read`);
    }
    lines.push(`${c.dim('estimate')}      ${parts.join(' · ')} ${c.dim('(on the data as it is now)')}`);
  }
  for (const w of result.Warnings)
    for (const l of wrapText(`warning: ${w}`, maxWidth, '         ')) lines.push(c.yellow(l));
  return lines;
}

// ── .describe ────────────────────────────────────────────────────────────────────────────────────────

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function keyText(keys: KeySchemaElement[], d: TableDescription, c: Colors): string {
  const type = (name: string) =>
    d.AttributeDefinitions.find((a) => a.AttributeName === name)?.AttributeType ?? '?';
  const hash = keys.filter((k) => k.KeyType === 'HASH');
  const range = keys.filter((k) => k.KeyType !== 'HASH');
  const part = (ks: KeySchemaElement[], what: string) =>
    ks.length
      ? `${ks.map((k) => `${c.bold(k.AttributeName)} ${c.dim(type(k.AttributeName))}`).join(' + ')} ${c.dim(`(${what})`)}`
      : '';
  return [part(hash, 'partition'), part(range, 'sort')].filter(Boolean).join(', ');
}

function indexLine(kind: string, i: IndexDescription, d: TableDescription, c: Colors): string {
  const projection = i.Projection?.ProjectionType ?? 'ALL';
  const extra =
    projection === 'INCLUDE' && i.Projection?.NonKeyAttributes?.length
      ? ` (${i.Projection.NonKeyAttributes.join(', ')})`
      : '';
  const parts = [`${keyText(i.KeySchema, d, c)}`, `projects ${projection}${extra}`];
  if (i.IndexStatus && i.IndexStatus !== 'ACTIVE') parts.push(c.yellow(i.IndexStatus));
  if (i.ItemCount !== undefined) parts.push(`${i.ItemCount} items`);
  return `  ${c.dim(kind.padEnd(12))}${c.cyan(i.IndexName)}  ${parts.join(c.dim(' · '))}`;
}

function dateText(v: TableDescription['CreationDateTime']): string | undefined {
  if (v === undefined) return undefined;
  const d = v instanceof Date ? v : typeof v === 'number' ? new Date(v * 1000) : new Date(v);
  return Number.isNaN(d.getTime())
    ? String(v)
    : d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

export function formatDescription(d: TableDescription, c: Colors, extras: TableExtras = {}): string[] {
  const row = (label: string, value: string) => `  ${c.dim(label.padEnd(12))}${value}`;
  const status =
    d.TableStatus && d.TableStatus !== 'ACTIVE' ? c.yellow(d.TableStatus) : c.green(d.TableStatus ?? '');
  const lines = [`${c.bold(d.TableName)}  ${status}`];
  lines.push(row('key', keyText(d.KeySchema, d, c)));
  const billing = d.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const throughput =
    billing === 'PROVISIONED' && d.ProvisionedThroughput
      ? ` (${d.ProvisionedThroughput.ReadCapacityUnits ?? 0} RCU, ${d.ProvisionedThroughput.WriteCapacityUnits ?? 0} WCU)`
      : '';
  lines.push(row('billing', billing + throughput));
  if (d.ItemCount !== undefined) {
    lines.push(
      row(
        'items',
        `${d.ItemCount}${d.TableSizeBytes !== undefined ? ` · ${formatBytes(d.TableSizeBytes)}` : ''}`,
      ),
    );
  }
  for (const i of d.GlobalSecondaryIndexes ?? []) lines.push(indexLine('GSI', i, d, c));
  for (const i of d.LocalSecondaryIndexes ?? []) lines.push(indexLine('LSI', i, d, c));
  const keyNames = new Set([
    ...d.KeySchema.map((k) => k.AttributeName),
    ...(d.GlobalSecondaryIndexes ?? []).flatMap((i) => i.KeySchema.map((k) => k.AttributeName)),
    ...(d.LocalSecondaryIndexes ?? []).flatMap((i) => i.KeySchema.map((k) => k.AttributeName)),
  ]);
  const defs = d.AttributeDefinitions.filter((a) => keyNames.has(a.AttributeName));
  if (defs.length)
    lines.push(row('attributes', defs.map((a) => `${a.AttributeName} ${c.dim(a.AttributeType)}`).join(', ')));
  lines.push(
    row(
      'stream',
      d.StreamSpecification?.StreamEnabled
        ? `${d.StreamSpecification.StreamViewType ?? 'enabled'}${d.LatestStreamArn ? c.dim(` · ${d.LatestStreamArn}`) : ''}`
        : c.dim('off'),
    ),
  );
  if (extras.ttl) {
    const on = extras.ttl.status === 'ENABLED' || extras.ttl.status === 'ENABLING';
    lines.push(
      row(
        'ttl',
        on
          ? `${extras.ttl.attribute ?? '?'}${extras.ttl.status === 'ENABLED' ? '' : ` (${extras.ttl.status})`}`
          : c.dim(extras.ttl.status.toLowerCase()),
      ),
    );
  }
  if (extras.pitr) {
    const on = extras.pitr.status === 'ENABLED';
    lines.push(
      row(
        'pitr',
        on
          ? `enabled${extras.pitr.earliest ? c.dim(` · restorable ${extras.pitr.earliest} – ${extras.pitr.latest ?? 'now'}`) : ''}`
          : c.dim(extras.pitr.status.toLowerCase()),
      ),
    );
  }
  if (extras.tags) {
    lines.push(
      row(
        'tags',
        extras.tags.length ? extras.tags.map((t) => `${t.Key}=${t.Value}`).join(', ') : c.dim('none'),
      ),
    );
  }
  if (d.TableClassSummary?.TableClass) lines.push(row('class', d.TableClassSummary.TableClass));
  if (d.DeletionProtectionEnabled) lines.push(row('protected', 'deletion protection on'));
  const created = dateText(d.CreationDateTime);
  if (created) lines.push(row('created', created));
  if (d.TableArn) lines.push(row('arn', c.dim(d.TableArn)));
  return lines;
}

// ── Hints after an error ─────────────────────────────────────────────────────────────────────────────

/** Levenshtein distance, case-insensitive (for "did you mean"). */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[y.length]!;
}

/** The candidate closest to `name`, if it is close enough to be a likely typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** The statement with string literals, quoted names and comments blanked out (to look for words). */
function codeOnly(text: string): string {
  return text.replace(/'(?:[^']|'')*'?|"(?:[^"]|"")*"?|--[^\n]*|\/\*[\s\S]*?(\*\/|$)/g, (m) =>
    m.startsWith('"') ? m : ' '.repeat(m.length),
  );
}

const STATEMENT_WORDS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'EXISTS', 'EXPLAIN'];
const OTHER_WORDS = ['BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'END', 'APPLY', 'SHOW', 'DESCRIBE', 'DESC'];

/** The table a statement names after FROM, INTO, UPDATE or DELETE FROM (without parsing it). */
function namedTable(text: string): string | undefined {
  const m = /\b(?:FROM|INTO|UPDATE)\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_.-]*)/i.exec(codeOnly(text));
  if (!m) return undefined;
  const name = m[1]!;
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.split('.')[0];
}

/**
 * Lines that help after a statement failed: LIMIT and aggregates DynamoDB's PartiQL lacks, a
 * misspelt first keyword, a table that does not exist (with the closest existing name).
 */
export function statementHints(text: string, err: unknown, tables: readonly string[], c: Colors): string[] {
  const hints: string[] = [];
  const code = codeOnly(text);
  const type = err instanceof ServiceError ? err.type : err === undefined ? 'ValidationException' : '';
  if (type === 'ValidationException') {
    if (/\bLIMIT\s+\d+/i.test(code)) {
      hints.push(
        "DynamoDB's PartiQL has no LIMIT: use .limit N (or --max-items N), which pages with Limit and stops after N items",
      );
    }
    const aggregate = /\b(COUNT|SUM|AVG|MIN|MAX)\s*\(/i.exec(code);
    if (aggregate) {
      hints.push(
        `DynamoDB's PartiQL has no aggregate functions (${aggregate[1]!.toUpperCase()}(…) among them); .count TABLE counts items with Scan's Select: COUNT`,
      );
    }
    const first = /^\s*([A-Za-z_]+)/.exec(code)?.[1];
    if (first && ![...STATEMENT_WORDS, ...OTHER_WORDS].includes(first.toUpperCase())) {
      const guess = closest(first, STATEMENT_WORDS);
      if (guess) hints.push(`${first} is not a statement: did you mean ${guess}?`);
    }
  }
  if (type === 'ResourceNotFoundException') {
    const table = namedTable(text);
    if (table !== undefined && !tables.includes(table)) {
      const guess = closest(table, tables);
      hints.push(
        guess
          ? `there is no table ${table}: did you mean ${guess}?`
          : tables.length
            ? `there is no table ${table} (.tables lists the ${tables.length} there are)`
            : `there is no table ${table}: there are no tables yet (.create TABLE PK[:S|N|B] makes one)`,
      );
    }
  }
  return hints.map((h) => c.yellow(`hint: ${h}`));
}
