// The parse fast path against the Chevrotain lexer and parser, on statements generated from the
// grammar (valid ones, and mutations of them that mostly are not), plus the lexing corners the
// fast lexer handles itself or must leave to Chevrotain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastTokenize } from '../../../grammar/partiql/fast-lexer.js';
import { prng } from '../../support/prng.js';
import { assertFastPathAgrees } from './fast-path.js';

class Generator {
  constructor(private readonly random: () => number) {}

  private pick<T>(options: readonly T[]): T {
    return options[Math.floor(this.random() * options.length)]!;
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private keyword(word: string): string {
    const r = this.random();
    if (r < 0.6) return word;
    if (r < 0.9) return word.toLowerCase();
    return word[0] + word.slice(1).toLowerCase();
  }

  private name(): string {
    return this.pick([
      'pk',
      'sk',
      'a',
      'b_1',
      '$x',
      '"quoted attr"',
      '"say ""hi"""',
      '"value"',
      'm',
      'explain',
    ]);
  }

  private table(allowIndex: boolean): string {
    const t = this.pick(['"Orders"', 'Orders', '"my-table.v2"']);
    return allowIndex && this.chance(0.3) ? `${t}.${this.pick(['"byDate"', 'idx'])}` : t;
  }

  private literal(): string {
    return this.pick([
      "'a'",
      "'it''s'",
      "''",
      "'multi\nline'",
      "'crlf\r\nline'",
      "'café ☕'",
      '1',
      '0.5',
      '.5',
      '1.',
      '7.31E6',
      '1e+3',
      '-2',
      '?',
      'TRUE',
      'false',
      'NULL',
      'MISSING',
    ]);
  }

  operand(depth: number): string {
    let prefix = '';
    if (this.chance(0.1)) prefix = this.pick(['NOT ', '-', '+', 'not ']);
    let term: string;
    const r = this.random();
    if (depth > 3 || r < 0.35) term = this.chance(0.5) ? this.name() : this.literal();
    else if (r < 0.5) {
      const fn = this.pick([
        'begins_with',
        'contains',
        'attribute_exists',
        'size',
        'EXISTS',
        'list_append',
        'attribute_type',
        '"f"',
      ]);
      const args = Array.from({ length: Math.floor(this.random() * 3) }, () => this.expression(depth + 1));
      term = `${fn}(${args.join(', ')})`;
    } else if (r < 0.6) term = `(${this.expression(depth + 1)})`;
    else if (r < 0.7) term = `[${this.list(depth)}]`;
    else if (r < 0.8) {
      const entries = Array.from(
        { length: Math.floor(this.random() * 3) },
        () => `'k${Math.floor(this.random() * 9)}': ${this.expression(depth + 1)}`,
      );
      term = `{${entries.join(', ')}}`;
    } else if (r < 0.87) term = `<<${this.list(depth)}>>`;
    else term = this.name();
    let steps = '';
    while (this.chance(0.25))
      steps += this.pick(['.a', '."b c"', '[0]', '[*]', '.*', `[${this.expression(depth + 1)}]`, "['k']"]);
    return prefix + term + steps;
  }

  private list(depth: number): string {
    return Array.from({ length: Math.floor(this.random() * 3) }, () => this.expression(depth + 1)).join(', ');
  }

  expression(depth = 0): string {
    let e = this.operand(depth);
    while (depth < 3 && this.chance(0.4)) {
      const r = this.random();
      if (r < 0.55)
        e += ` ${this.pick(['=', '<>', '!=', '<', '<=', '>', '>=', '+', '-', 'AND', 'OR', 'and'])} ${this.operand(depth + 1)}`;
      else if (r < 0.7)
        e += ` IS ${this.chance(0.3) ? 'NOT ' : ''}${this.pick(['NULL', 'MISSING', 'STRING', 'DOUBLE PRECISION', 'DECIMAL(3, 2)', 'bool', 'LIST'])}`;
      else if (r < 0.85)
        e += ` ${this.chance(0.3) ? 'NOT ' : ''}IN ${this.pick([`(${this.list(depth) || '1'})`, `[${this.list(depth)}]`, '?'])}`;
      else
        e += ` ${this.chance(0.3) ? 'NOT ' : ''}BETWEEN ${this.operand(depth + 1)} AND ${this.operand(depth + 1)}`;
    }
    return e;
  }

  private path(): string {
    let p = this.name();
    while (this.chance(0.3)) p += this.pick(['.x', '[1]', "['k']", '."y z"']);
    return p;
  }

  private returning(): string {
    return this.chance(0.3)
      ? ` RETURNING ${this.pick(['ALL', 'MODIFIED'])} ${this.pick(['OLD', 'NEW'])} ${this.chance(0.8) ? '*' : 'a'}`
      : '';
  }

  private where(): string {
    return this.chance(0.8) ? ` ${this.keyword('WHERE')} ${this.expression()}` : '';
  }

  private updateActions(): string {
    const actions: string[] = [];
    do {
      if (this.chance(0.7)) {
        const assignments = Array.from(
          { length: 1 + Math.floor(this.random() * 2) },
          () => `${this.path()} = ${this.expression(1)}`,
        );
        actions.push(`${this.keyword('SET')} ${assignments.join(', ')}`);
      } else actions.push(`${this.keyword('REMOVE')} ${this.path()}`);
    } while (this.chance(0.3));
    return actions.join(' ');
  }

  select(): string {
    const projection = this.chance(0.5)
      ? '*'
      : Array.from(
          { length: 1 + Math.floor(this.random() * 3) },
          () => this.operand(2) + (this.chance(0.05) ? ' AS x' : ''),
        ).join(', ');
    let s = `${this.keyword('SELECT')} ${projection} ${this.keyword('FROM')} ${this.table(true)}${this.where()}`;
    if (this.chance(0.2)) s += ` ORDER BY ${this.name()}${this.pick(['', ' ASC', ' DESC', ' desc'])}`;
    return s;
  }

  statement(): string {
    const r = this.random();
    let s: string;
    if (r < 0.4) s = this.select();
    else if (r < 0.55)
      s = `${this.keyword('INSERT')} INTO ${this.table(false)} VALUE ${this.chance(0.8) ? `{'pk': ${this.literal()}, 'n': ${this.expression(1)}}` : '?'}`;
    else if (r < 0.7)
      s = `${this.keyword('UPDATE')} ${this.table(false)} ${this.updateActions()}${this.where()}${this.returning()}`;
    else if (r < 0.8)
      s = `${this.keyword('DELETE')} FROM ${this.table(false)}${this.where()}${this.returning()}`;
    else if (r < 0.87)
      s = `FROM ${this.table(false)}${this.where()} ${this.updateActions()}${this.returning()}`;
    else if (r < 0.93) s = `EXISTS(${this.select()})`;
    else s = this.expression();
    if (this.chance(0.05)) s = `EXPLAIN ${s}`;
    if (this.chance(0.1)) s += ';';
    return s;
  }
}

/** Spreads a statement's words with other whitespace and comments. */
function respace(text: string, random: () => number): string {
  return text.replace(/ /g, () => {
    const r = random();
    if (r < 0.8) return ' ';
    if (r < 0.85) return '\n';
    if (r < 0.9) return '\r\n  ';
    if (r < 0.93) return '\t';
    if (r < 0.96) return ' /* note */ ';
    return ' -- note\n';
  });
}

const NOISE = [
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  '*',
  '=',
  'AND',
  'NOT',
  'IN',
  'IS',
  '?',
  "'x'",
  '1',
  'a',
  'SELECT',
  'FROM',
  'WHERE',
  'AS',
  '<<',
  '>>',
  '{',
  '}',
  ':',
  ';',
];

/** A statement with one token inserted, removed or duplicated: mostly invalid, sometimes not. */
function mutate(text: string, random: () => number): string {
  const words = text.split(' ');
  const at = Math.floor(random() * words.length);
  const r = random();
  if (r < 0.4) words.splice(at, 0, NOISE[Math.floor(random() * NOISE.length)]!);
  else if (r < 0.7) words.splice(at, 1);
  else words.splice(at, 0, words[at]!);
  return words.join(' ');
}

test('generated statements: the fast path agrees with Chevrotain and takes the valid ones', () => {
  const random = prng(20261121);
  const generator = new Generator(random);
  let parsed = 0;
  const total = 1500;
  for (let i = 0; i < total; i++) {
    const statement = respace(generator.statement(), random);
    if (assertFastPathAgrees(statement).parsed) parsed++;
  }
  // Most generated statements are grammatical (the builder may still refuse some).
  assert.ok(parsed > total * 0.8, `only ${parsed} of ${total} took the fast path`);
});

test('mutated statements: the fast path refuses what Chevrotain refuses and agrees on the rest', () => {
  const random = prng(7);
  const generator = new Generator(random);
  let refused = 0;
  const total = 2500;
  for (let i = 0; i < total; i++) {
    const statement = mutate(generator.statement(), random);
    if (!assertFastPathAgrees(statement).parsed) refused++;
  }
  assert.ok(refused > total * 0.3, `only ${refused} of ${total} mutations were refused`);
});

test('lexing corners give the same tokens (or are left to Chevrotain)', () => {
  for (const text of [
    'SELECT * FROM t WHERE a = 1.e5 AND b = 1e+ AND c = 1e AND d = .5e-3',
    'SELECT * FROM t WHERE a.5 = x',
    'SELECT * FROM t WHERE a <<= b',
    'SELECT * FROM t WHERE a <> b AND a != b AND a >>= b',
    "SELECT * FROM t WHERE a = 'line\nbreak' AND b = 'cr\rlf\r\n' AND c = 1",
    'SELECT * FROM t\r\nWHERE\ra = 1\n\n  AND b = 2',
    'SELECT * FROM t -- trailing comment',
    'SELECT * FROM t /* multi\nline */ WHERE a = 1',
    'SELECT * FROM "a""b" WHERE "x\ny" = 1',
    'explain SELECT * FROM t',
    'SELECT explain FROM t',
    '\f\v SELECT * FROM t',
  ]) {
    const outcome = assertFastPathAgrees(text);
    assert.ok(outcome.lexed, `fast lexer should handle ${JSON.stringify(text)}`);
  }
  // Left to the Chevrotain lexer, which reports them (or lexes an operator DynamoDB refuses).
  for (const text of [
    "SELECT * FROM t WHERE a = 'open",
    'SELECT * FROM "open',
    'SELECT * FROM t /* open',
    'SELECT * FROM t WHERE a # 1',
    'SELECT * FROM t WHERE a = 1 / 2',
    'SELECT * FROM t WHERE a || b',
    'SELECT * FROM t WHERE a % 2',
    'SELECT * FROM t WHERE a ! b',
    'SELECT * FROM tä',
    'SELECT\u00a0* FROM t',
  ]) {
    assert.equal(fastTokenize(text), undefined, JSON.stringify(text));
    assertFastPathAgrees(text);
  }
});
