// Completion for the PartiQL editor and shell: what may come at the cursor, from the grammar
// (Chevrotain's computeContentAssist) and from the tables, indexes and attributes the caller knows.
import { tokenMatcher } from 'chevrotain';
import type { IToken, TokenType } from 'chevrotain';
import { tokenize } from './lexer.js';
import { nestsDeeperThan } from './nesting.js';
import { recoveringParser } from './parser.js';
import * as T from './tokens.js';
import { CONDITION_FUNCTIONS, UPDATE_FUNCTIONS } from './validate.js';

export interface SchemaProvider {
  /** Table names. */
  tables(): readonly string[];
  /** Index names (GSIs and LSIs) of a table. */
  indexes(table: string): readonly string[];
  /**
   * Attribute names known for a table, e.g. from its key schema and sampled items. Nested paths may be
   * given with dots (`address.city`): they complete after `address.`.
   */
  attributes(table: string): readonly string[];
}

export type SuggestionKind = 'keyword' | 'table' | 'index' | 'attribute' | 'function';

export interface Suggestion {
  label: string;
  kind: SuggestionKind;
  /** Text to put in place of `replace`. */
  insertText: string;
  /** The text the suggestion replaces: the partly typed word before the cursor (length 0 if none). */
  replace: { offset: number; length: number };
  detail?: string;
}

/** How a keyword token is offered. */
const KEYWORD_LABELS = new Map<TokenType, string>([
  [T.Select, 'SELECT'],
  [T.From, 'FROM'],
  [T.Where, 'WHERE'],
  [T.Order, 'ORDER BY'],
  [T.By, 'BY'],
  [T.Asc, 'ASC'],
  [T.Desc, 'DESC'],
  [T.Insert, 'INSERT INTO'],
  [T.Into, 'INTO'],
  [T.Value, 'VALUE'],
  [T.Update, 'UPDATE'],
  [T.Set, 'SET'],
  [T.Remove, 'REMOVE'],
  [T.Delete, 'DELETE FROM'],
  [T.Returning, 'RETURNING'],
  [T.All, 'ALL'],
  [T.Modified, 'MODIFIED'],
  [T.Old, 'OLD'],
  [T.New, 'NEW'],
  [T.Not, 'NOT'],
  [T.And, 'AND'],
  [T.Or, 'OR'],
  [T.Between, 'BETWEEN'],
  [T.In, 'IN'],
  [T.Is, 'IS'],
  [T.True, 'TRUE'],
  [T.False, 'FALSE'],
  [T.Null, 'NULL'],
  [T.Exists, 'EXISTS'],
  [T.Explain, 'EXPLAIN'],
]);

/** Type names DynamoDB accepts after IS. */
const IS_TYPES = ['NULL', 'MISSING', 'BOOLEAN', 'STRING', 'NUMERIC', 'BLOB', 'STRUCT', 'TUPLE', 'LIST'];

const FUNCTION_DETAIL: Record<string, string> = {
  attribute_exists: 'attribute_exists(path)',
  attribute_not_exists: 'attribute_not_exists(path)',
  attribute_type: "attribute_type(path, 'S')",
  begins_with: "begins_with(path, 'prefix')",
  contains: 'contains(path, value)',
  size: 'size(path)',
  list_append: 'list_append(path, [values])',
  set_add: 'set_add(path, <<values>>)',
  set_delete: 'set_delete(path, <<values>>)',
};

const WORD = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function nameOf(token: IToken): string {
  return token.tokenType === T.QuotedIdentifier ? token.image.slice(1, -1).replace(/""/g, '"') : token.image;
}

/** The table a statement works on: the name after FROM, UPDATE or INTO. */
function statementTable(tokens: IToken[]): string | null {
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (t.tokenType === T.From || t.tokenType === T.Update || t.tokenType === T.Into) {
      const next = tokens[i + 1]!;
      if (tokenMatcher(next, T.Name)) return nameOf(next);
    }
  }
  return null;
}

interface Partial {
  /** What has been typed of the word, without an opening double quote. */
  prefix: string;
  /** The word was begun with a double quote. */
  quoted: boolean;
  offset: number;
  length: number;
}

/** Deepest nesting (brackets plus pending NOTs) content assist works through. */
const MAX_ASSISTED_NESTING = 64;

/**
 * Suggestions for the cursor at `offset` in `text`. Only the text before the cursor decides what is
 * offered, except that the statement's table is looked for in the whole text (a SELECT list comes
 * before its FROM). Never throws.
 */
export function suggest(text: string, offset: number, schema: SchemaProvider): Suggestion[] {
  const before = text.slice(0, offset);
  const lexed = tokenize(before);

  // No completion inside comments or strings.
  for (const t of lexed.comments) if ((t.endOffset ?? 0) + 1 >= offset && t.startOffset < offset) return [];
  let partial: Partial = { prefix: '', quoted: false, offset, length: 0 };
  for (const t of lexed.invalid) {
    if (t.tokenType === T.UnterminatedQuotedIdentifier) {
      partial = {
        prefix: t.image.slice(1),
        quoted: true,
        offset: t.startOffset,
        length: offset - t.startOffset,
      };
    } else return [];
  }
  if (lexed.errors.length > 0) return [];

  let preceding = lexed.tokens;
  const last = preceding[preceding.length - 1];
  if (!partial.quoted && last && (last.endOffset ?? -1) + 1 === offset) {
    if (last.tokenType === T.StringLiteral) return [];
    if (WORD.test(last.image) && (last.tokenType === T.Identifier || tokenMatcher(last, T.Keyword))) {
      partial = { prefix: last.image, quoted: false, offset: last.startOffset, length: last.image.length };
      preceding = preceding.slice(0, -1);
    }
  }

  // Chevrotain's content assist takes time that grows steeply with nesting (seconds at a few
  // thousand levels): past a depth no one types, offer nothing rather than freeze the editor.
  if (nestsDeeperThan(preceding, MAX_ASSISTED_NESTING)) return [];
  const paths = recoveringParser().computeContentAssist('statement', preceding);
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  const replace = { offset: partial.offset, length: partial.length };
  const lowerPrefix = partial.prefix.toLowerCase();
  const matches = (label: string): boolean => label.toLowerCase().startsWith(lowerPrefix);
  const add = (s: Omit<Suggestion, 'replace'>): void => {
    const key = `${s.kind}:${s.label}`;
    if (seen.has(key) || !matches(s.label)) return;
    seen.add(key);
    out.push({ ...s, replace });
  };
  const nameText = (name: string): string =>
    partial.quoted || !T.isPlainIdentifier(name) ? quoteName(name) : name;
  const keywordText = (label: string): string =>
    partial.prefix !== '' && partial.prefix === partial.prefix.toLowerCase() ? label.toLowerCase() : label;

  const previous = preceding[preceding.length - 1];
  const afterDot = !!previous && previous.tokenType === T.Dot;
  const table = statementTable(tokenize(text).tokens);
  const keywordsAllowed = !partial.quoted;

  for (const path of paths) {
    const type = path.nextTokenType;
    const stack = path.ruleStack;
    const rule = stack[stack.length - 1] ?? '';
    if (stack.includes('expressionStatement')) continue; // not something to offer
    const inWhere = stack.includes('whereClause');
    // INSERT takes a tuple of quoted names: no attribute or function names to offer.
    const inInsert = stack.includes('insertStatement');
    // Conditions belong in WHERE; elsewhere (SET values, ORDER BY) operators are legal but not useful.
    if (!inWhere && (type === T.BinaryOperator || type === T.Is || type === T.In || type === T.Between))
      continue;
    if (!inWhere && type === T.Not && rule === 'infixTail') continue;
    // DynamoDB refuses ORDER BY without WHERE.
    if (type === T.Order && !preceding.some((t) => t.tokenType === T.Where)) continue;

    if (type === T.Name || type === T.Identifier || type === T.QuotedIdentifier) {
      if (rule === 'tableRef' || rule === 'simpleTableRef') {
        if (afterDot) {
          const tableTok = preceding[preceding.length - 2];
          if (!tableTok || !tokenMatcher(tableTok, T.Name)) continue;
          for (const index of safe(() => schema.indexes(nameOf(tableTok)))) {
            add({
              label: index,
              kind: 'index',
              insertText: nameText(index),
              detail: `index of ${nameOf(tableTok)}`,
            });
          }
        } else {
          for (const name of safe(() => schema.tables()))
            add({ label: name, kind: 'table', insertText: nameText(name) });
        }
      } else if (
        rule === 'operand' ||
        rule === 'simplePath' ||
        rule === 'pathStep' ||
        rule === 'simplePathStep'
      ) {
        if (!table || inInsert) continue;
        const attributes = safe(() => schema.attributes(table));
        if (afterDot) {
          const parent = pathBefore(preceding);
          if (parent === null) continue;
          const prefix = `${parent}.`;
          for (const attr of attributes) {
            if (!attr.startsWith(prefix)) continue;
            const child = attr.slice(prefix.length).split('.')[0]!;
            if (child) add({ label: child, kind: 'attribute', insertText: nameText(child), detail: table });
          }
        } else {
          for (const attr of attributes) {
            const top = attr.split('.')[0]!;
            add({ label: top, kind: 'attribute', insertText: nameText(top), detail: table });
          }
        }
      }
      continue;
    }
    if (type === T.CallableName) {
      if (partial.quoted || afterDot || inInsert) continue;
      const functions = stack.includes('assignment')
        ? UPDATE_FUNCTIONS
        : stack.includes('whereClause')
          ? [...CONDITION_FUNCTIONS.keys()]
          : [];
      for (const f of functions)
        add({ label: f, kind: 'function', insertText: `${f}(`, detail: FUNCTION_DETAIL[f] });
      continue;
    }
    if (!keywordsAllowed) continue;
    if (type === T.TypeName) {
      for (const t of IS_TYPES) add({ label: t, kind: 'keyword', insertText: keywordText(t) });
      continue;
    }
    if (type === T.BinaryOperator) {
      for (const k of ['AND', 'OR']) add({ label: k, kind: 'keyword', insertText: keywordText(k) });
      continue;
    }
    if (type === T.PrefixOperator) {
      if (stack.includes('whereClause'))
        add({ label: 'NOT', kind: 'keyword', insertText: keywordText('NOT') });
      continue;
    }
    const label = KEYWORD_LABELS.get(type);
    if (label === undefined) continue;
    if ((type === T.True || type === T.False || type === T.Null) && partial.prefix === '') continue;
    if (type === T.Explain && preceding.length > 0) continue;
    // Refused by DynamoDB (SELECT VALUE) or rarely meant (the FROM-first update) at these places.
    if (type === T.Value && rule === 'selectStatement') continue;
    if (type === T.From && rule === 'fromFirstStatement') continue;
    add({ label, kind: 'keyword', insertText: keywordText(label) });
  }

  const rank: Record<SuggestionKind, number> = { table: 0, index: 0, attribute: 1, function: 2, keyword: 3 };
  return out.sort((a, b) => rank[a.kind] - rank[b.kind]);
}

/** The dotted path written just before a trailing `.`, e.g. `a.b` for `… a.b[0].`; null if none. */
function pathBefore(tokens: IToken[]): string | null {
  const parts: string[] = [];
  let i = tokens.length - 2; // tokens[length - 1] is the dot
  for (;;) {
    // Skip `[n]` steps.
    while (i >= 2 && tokens[i]!.tokenType === T.RBracket && tokens[i - 2]!.tokenType === T.LBracket) i -= 3;
    const t = tokens[i];
    if (!t || !tokenMatcher(t, T.Name)) return null;
    parts.unshift(nameOf(t));
    if (i >= 1 && tokens[i - 1]!.tokenType === T.Dot) {
      i -= 2;
      continue;
    }
    return parts.join('.');
  }
}

function safe(f: () => readonly string[]): readonly string[] {
  try {
    return f();
  } catch {
    return [];
  }
}
