// Tab completion for the shell: PartiQL through the grammar's content assist (keywords, tables,
// indexes, attributes seen in the table), and meta-commands with their arguments (tables, modes,
// on/off, file names).
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isPlainIdentifier, suggest } from '../../grammar/partiql/index.js';
import type { Suggestion } from '../../grammar/partiql/index.js';
import { OUTPUT_MODES } from './render.js';
import type { SchemaCache } from './schema.js';
import { splitScript } from './split.js';

/** Meta-command names offered after a `.`. */
export const META_NAMES = [
  '.help',
  '.tables',
  '.describe',
  '.count',
  '.create',
  '.explain',
  '.mode',
  '.x',
  '.limit',
  '.output',
  '.once',
  '.pager',
  '.timing',
  '.capacity',
  '.params',
  '.import',
  '.export',
  '.read',
  '.quit',
];

/** How long completion may wait for table descriptions and samples. */
const PREPARE_TIMEOUT_MS = 3000;

export interface CompletionContext {
  schema: SchemaCache;
  cwd: string;
}

/** Where the statement or meta-command around `cursor` starts, and which it is. */
function currentPiece(
  text: string,
  cursor: number,
): { start: number; end: number; kind: 'statement' | 'meta' } {
  const before = splitScript(text.slice(0, cursor));
  const last = before.pieces[before.pieces.length - 1];
  let start = cursor;
  let kind: 'statement' | 'meta' = 'statement';
  if (
    last &&
    (!last.terminated || (last.kind === 'meta' && !text.slice(last.offset, cursor).includes('\n')))
  ) {
    start = last.offset;
    kind = last.kind;
  }
  const after = splitScript(text.slice(start)).pieces[0];
  const end = after && after.offset === 0 ? start + after.text.length : cursor;
  return { start, end: Math.max(end, cursor), kind };
}

export async function completeInput(
  text: string,
  cursor: number,
  ctx: CompletionContext,
): Promise<Suggestion[]> {
  const piece = currentPiece(text, cursor);
  const body = text.slice(piece.start, piece.end);
  const at = cursor - piece.start;
  const shift = (list: Suggestion[], by: number): Suggestion[] =>
    list.map((s) => ({ ...s, replace: { offset: s.replace.offset + by, length: s.replace.length } }));
  if (piece.kind === 'meta') return shift(await completeMeta(body, at, ctx), piece.start);
  await prepare(ctx.schema, body);
  return shift(suggest(body, at, ctx.schema), piece.start);
}

async function prepare(schema: SchemaCache, text: string): Promise<void> {
  try {
    await schema.prepare(text, AbortSignal.timeout(PREPARE_TIMEOUT_MS));
  } catch {
    // complete with what is known
  }
}

function word(text: string, cursor: number): { start: number; prefix: string } {
  let start = cursor;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  return { start, prefix: text.slice(start, cursor) };
}

function simple(
  labels: readonly string[],
  prefix: string,
  start: number,
  kind: Suggestion['kind'],
  insert: (label: string) => string = (l) => l,
): Suggestion[] {
  const lower = prefix.toLowerCase().replace(/^"/, '');
  return labels
    .filter((l) => l.toLowerCase().startsWith(lower))
    .map((label) => ({
      label,
      kind,
      insertText: insert(label),
      replace: { offset: start, length: prefix.length },
    }));
}

function quoteTable(name: string): string {
  return isPlainIdentifier(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

async function completeMeta(line: string, cursor: number, ctx: CompletionContext): Promise<Suggestion[]> {
  const head = line.slice(0, cursor);
  const command = /^\.(\S*)/.exec(head)?.[0] ?? '.';
  if (cursor <= command.length) return simple(META_NAMES, command, 0, 'keyword');
  const name = command.toLowerCase();
  if (name === '.explain') {
    const offset = command.length + (/^\s*/.exec(line.slice(command.length))?.[0].length ?? 0);
    const statement = line.slice(offset);
    await prepare(ctx.schema, statement);
    return suggest(statement, cursor - offset, ctx.schema).map((s) => ({
      ...s,
      replace: { offset: s.replace.offset + offset, length: s.replace.length },
    }));
  }
  const args = head.slice(command.length).trimStart().split(/\s+/);
  const argIndex = args.length - 1;
  const { start, prefix } = word(head, cursor);
  const tables = async (): Promise<Suggestion[]> => {
    await ctx.schema.refreshTables(false, AbortSignal.timeout(PREPARE_TIMEOUT_MS)).catch(() => undefined);
    return simple(ctx.schema.tables(), prefix, start, 'table', quoteTable);
  };
  switch (name) {
    case '.describe':
    case '.desc':
    case '.schema':
    case '.count':
      return argIndex === 0 ? tables() : [];
    case '.output':
    case '.once':
      return argIndex === 0 ? files(prefix, start, ctx.cwd) : [];
    case '.export':
      return argIndex === 0 ? tables() : argIndex === 1 ? files(prefix, start, ctx.cwd) : [];
    case '.import':
      return argIndex === 0 ? files(prefix, start, ctx.cwd) : argIndex === 1 ? tables() : [];
    case '.read':
      return argIndex === 0 ? files(prefix, start, ctx.cwd) : [];
    case '.mode':
      return argIndex === 0 ? simple(OUTPUT_MODES, prefix, start, 'keyword') : [];
    case '.timing':
    case '.capacity':
    case '.x':
    case '.pager':
      return argIndex === 0 ? simple(['on', 'off'], prefix, start, 'keyword') : [];
    case '.params':
      return argIndex === 0 ? simple(['clear'], prefix, start, 'keyword') : [];
    default:
      return [];
  }
}

function files(prefix: string, start: number, cwd: string): Suggestion[] {
  const slash = prefix.lastIndexOf('/');
  const dirPart = slash >= 0 ? prefix.slice(0, slash + 1) : '';
  const base = slash >= 0 ? prefix.slice(slash + 1) : prefix;
  const dir = resolve(cwd, dirPart || '.');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Suggestion[] = [];
  for (const n of names.sort()) {
    if (!n.startsWith(base) || (n.startsWith('.') && !base.startsWith('.'))) continue;
    let isDir = false;
    try {
      isDir = statSync(join(dir, n)).isDirectory();
    } catch {
      // a broken link: offer it as a file
    }
    const text = dirPart + n + (isDir ? '/' : '');
    out.push({
      label: n + (isDir ? '/' : ''),
      kind: 'attribute',
      insertText: text,
      replace: { offset: start, length: prefix.length },
    });
  }
  return out;
}
