// The expression fast path (fastTokenize in lexer.ts, fast-parser.ts) must agree with the
// Chevrotain lexer and parser: the same tokens whenever it lexes, the same CST whenever Chevrotain
// parses without error, and no CST (so Chevrotain runs and reports the error) whenever Chevrotain
// finds one. Checked on every string literal of the expression tests, in each grammar, on
// generated expressions of every rule, and on mutations of those (tokens dropped, doubled, swapped,
// stray characters).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CstElement, CstNode, IToken } from 'chevrotain';
import { fastParse } from '../../../grammar/expression/fast-parser.js';
import { expressionLexer, fastTokenize, tokenize } from '../../../grammar/expression/lexer.js';
import type { GrammarKind } from '../../../grammar/expression/lexer.js';
import { expressionParser, runEntryRule } from '../../../grammar/expression/parser.js';
import type { EntryRule } from '../../../grammar/expression/parser.js';
import { prng } from '../../support/prng.js';

const GRAMMARS: readonly [GrammarKind, EntryRule][] = [
  ['condition', 'conditionExpression'],
  ['projection', 'projectionExpression'],
  ['update', 'updateExpression'],
];

function tokenFields(t: IToken): unknown {
  return {
    image: t.image,
    type: t.tokenType.name,
    idx: t.tokenTypeIdx,
    start: t.startOffset,
    keys: Object.keys(t),
  };
}

function isToken(e: CstElement): e is IToken {
  return 'tokenType' in e;
}

/** A CST as plain data: rule names, children keys (sorted) and tokens by their fields. */
function plainCst(e: CstElement): unknown {
  if (isToken(e)) return tokenFields(e);
  const n = e as CstNode;
  const children: Record<string, unknown> = {};
  for (const key of Object.keys(n.children).sort()) children[key] = n.children[key]!.map(plainCst);
  return { name: n.name, children, keys: Object.keys(n).sort() };
}

interface Outcome {
  lexed: boolean;
  parsed: number;
}

/** Asserts both paths agree on `text` in every grammar. */
function assertAgrees(text: string): Outcome {
  const chevrotainTokens = expressionLexer().tokenize(text).tokens;
  const fastTokens = fastTokenize(text);
  if (fastTokens) {
    assert.deepEqual(fastTokens.map(tokenFields), chevrotainTokens.map(tokenFields), `tokens of ${text}`);
  } else {
    assert.ok(
      chevrotainTokens.some((t) => t.tokenType.name === 'Unknown'),
      `the fast lexer gave up on ${JSON.stringify(text)}, which has no Unknown token`,
    );
  }
  let parsed = 0;
  for (const [grammar, rule] of GRAMMARS) {
    const tokens = tokenize(text, grammar);
    const parser = expressionParser();
    parser.input = tokens;
    const cst = runEntryRule(rule);
    const ok = parser.errors.length === 0;
    const fast = fastParse(tokens, rule);
    if (ok) {
      assert.ok(fast, `the fast parser gave up on the ${grammar} ${JSON.stringify(text)}`);
      assert.deepEqual(plainCst(fast), plainCst(cst), `CST of the ${grammar} ${JSON.stringify(text)}`);
      parsed++;
    } else {
      assert.equal(fast, undefined, `the fast parser accepted the ${grammar} ${JSON.stringify(text)}`);
    }
  }
  return { lexed: fastTokens !== undefined, parsed };
}

/** Every quoted string in the expression tests: expressions, and plenty that are not. */
function literalsOfTests(): string[] {
  const dir = dirname(fileURLToPath(import.meta.url));
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'fast-path.test.ts')) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const m of source.matchAll(/'((?:[^'\\\n]|\\.)*)'|`([^`$\\]*)`/g)) found.add(m[1] ?? m[2] ?? '');
  }
  return [...found];
}

/** Random expressions from the grammar (each rule and alternative reachable). */
function generator(seed: number): { condition(): string; projection(): string; update(): string } {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const ws = (): string => pick([' ', ' ', ' ', '', '  ', '\n', '\t']);
  const name = (): string =>
    pick(['a', 'b', 'Name_1', 'x9', '#n', '#_', 'android', 'Order', 'inset', 'NOTE', 'size', 'setting']);
  const path = (depth = 0): string => {
    let p = name();
    while (depth < 3 && r() < 0.3) p += r() < 0.5 ? `.${name()}` : `[${pick(['0', '12', '007'])}]`;
    return p;
  };
  const value = (): string => pick([':v', ':v_1', ':0', ':ADD']);
  const operand = (depth: number): string => {
    const k = r();
    if (k < 0.35) return path(depth);
    if (k < 0.7) return value();
    const fn = pick(['size', 'attribute_exists', 'begins_with', 'contains', 'if_not_exists', 'list_append']);
    const args = [term(depth + 1)];
    while (r() < 0.4) args.push(term(depth + 1));
    return `${fn}(${args.join(`,${ws()}`)})`;
  };
  const term = (depth: number): string => (depth < 4 && r() < 0.1 ? `(${term(depth + 1)})` : operand(depth));
  const comparator = (): string => pick(['=', '<>', '<', '<=', '>', '>=']);
  const condition = (depth = 0): string => {
    const k = r();
    if (depth < 4 && k < 0.15)
      return `${condition(depth + 1)}${ws()} ${pick(['AND', 'or', 'And'])} ${ws()}${condition(depth + 1)}`;
    if (depth < 4 && k < 0.22) return `${pick(['NOT', 'not'])} ${condition(depth + 1)}`;
    if (depth < 4 && k < 0.3) return `(${ws()}${condition(depth + 1)}${ws()})`;
    if (k < 0.55) return `${term(depth)}${ws()}${comparator()}${ws()}${term(depth)}`;
    if (k < 0.65) return `${term(depth)} BETWEEN ${term(depth)} AND ${term(depth)}`;
    if (k < 0.75) {
      const list = [term(depth)];
      while (r() < 0.5) list.push(term(depth));
      return `${term(depth)} IN${ws()}(${list.join(', ')})`;
    }
    return operand(depth);
  };
  const projection = (): string => {
    const paths = [path()];
    while (r() < 0.5) paths.push(path());
    return paths.join(`${ws()},${ws()}`);
  };
  const setValue = (depth: number): string => {
    const t = (): string => (depth < 3 && r() < 0.15 ? `(${setValue(depth + 1)})` : operand(depth));
    return r() < 0.4 ? `${t()}${ws()}${pick(['+', '-'])}${ws()}${t()}` : t();
  };
  const update = (): string => {
    const clauses: string[] = [];
    do {
      const k = pick(['SET', 'REMOVE', 'ADD', 'DELETE', 'set', 'remove']);
      const items: string[] = [];
      do {
        const up = k.toUpperCase();
        if (up === 'SET') items.push(`${path()}${ws()}=${ws()}${setValue(0)}`);
        else if (up === 'REMOVE') items.push(path());
        else items.push(`${path()} ${value()}`);
      } while (r() < 0.4);
      clauses.push(`${k} ${items.join(', ')}`);
    } while (r() < 0.4);
    return clauses.join(ws() + ' ');
  };
  return { condition: () => condition(), projection, update };
}

/** A variation of `text`: a token dropped, doubled or swapped, or a stray character put in. */
function mutate(text: string, r: () => number): string {
  const tokens = expressionLexer().tokenize(text).tokens;
  if (tokens.length === 0) return text + '(';
  const i = Math.floor(r() * tokens.length);
  const t = tokens[i]!;
  const start = t.startOffset;
  const end = start + t.image.length;
  const k = r();
  if (k < 0.3) return text.slice(0, start) + text.slice(end);
  if (k < 0.5) return text.slice(0, end) + ' ' + t.image + text.slice(end);
  if (k < 0.7 && i + 1 < tokens.length) {
    const u = tokens[i + 1]!;
    return (
      text.slice(0, start) +
      u.image +
      text.slice(end, u.startOffset) +
      t.image +
      text.slice(u.startOffset + u.image.length)
    );
  }
  const stray = [
    '#',
    ':',
    '(',
    ')',
    ',',
    '.',
    '[',
    ']',
    '=',
    '!',
    '"',
    'é',
    '\u00a0',
    '0',
    '-',
    'AND',
    'SET',
  ][Math.floor(r() * 17)]!;
  return text.slice(0, start) + stray + text.slice(start);
}

describe('the expression fast path', () => {
  it('agrees with Chevrotain on every string of the expression tests', () => {
    let parsed = 0;
    for (const text of literalsOfTests()) parsed += assertAgrees(text).parsed;
    assert.ok(parsed > 100, `only ${parsed} parses among the test strings`);
  });

  it('agrees on generated expressions of every grammar, and on mutations of them', () => {
    const seed = 20261207;
    const gen = generator(seed);
    const r = prng(seed + 1);
    let parsed = 0;
    let rejected = 0;
    for (let i = 0; i < 1500; i++) {
      for (const text of [gen.condition(), gen.projection(), gen.update()]) {
        const outcome = assertAgrees(text);
        assert.ok(outcome.parsed > 0, `no grammar parses the generated ${JSON.stringify(text)}`);
        parsed += outcome.parsed;
        if (assertAgrees(mutate(text, r)).parsed === 0) rejected++;
      }
    }
    assert.ok(parsed >= 4500 && rejected > 1000, `${parsed} parsed, ${rejected} mutations rejected`);
  });

  it('falls back for what it does not lex, and for nesting too deep for its stack', () => {
    assert.equal(fastTokenize('a = :v é'), undefined);
    assert.equal(fastTokenize('a\u00a0= :v'), undefined);
    assert.equal(fastTokenize('# = :v'), undefined);
    const deep = '('.repeat(20_000) + 'a = :v' + ')'.repeat(20_000);
    assert.equal(fastParse(tokenize(deep, 'condition'), 'conditionExpression'), undefined);
  });
});
