// A hand-written recogniser for the parse fast path: for a statement that parses, the same CST as
// the Chevrotain parser (parser.ts) builds — same rules, same children keys, same token objects —
// so the one AST builder serves both. It never reports errors: on anything unexpected it gives up
// (undefined) and parseStatement runs the Chevrotain parser, which finds the error and its message.
//
// Why a second parser: applications send many distinct statements and the engine plans each one;
// Chevrotain's generic machinery (lookahead functions, CST stack, rule invocation wrappers) costs
// several times what a direct descent over this small grammar does. parser.ts stays the grammar of
// record (errors, recovery, content assist); this file follows it rule by rule, with the same
// alternatives in the same order, and tests/unit/grammar/partiql-fast-path.test.ts checks that the
// two agree on every statement of the grammar tests and on thousands of generated ones.
import type { CstElement, CstNode, IToken, TokenType } from 'chevrotain';
import * as T from './tokens.js';

/** Thrown (never escapes) when the statement is not one this parser is sure of. */
const GIVE_UP = Symbol('give up');

/** `mask[tokenTypeIdx]` is true when a token of that type matches `type` (itself or a category). */
function matcher(type: TokenType): Uint8Array {
  if (type.tokenTypeIdx! >= 255) throw new Error('token type index beyond the masks');
  const mask = new Uint8Array(256);
  mask[type.tokenTypeIdx!] = 1;
  const categories = type.categoryMatchesMap ?? {};
  for (const idx of Object.keys(categories)) mask[Number(idx)] = 1;
  return mask;
}

const IS_NAME = matcher(T.Name);
const IS_CALLABLE = matcher(T.CallableName);
const IS_TYPE_NAME = matcher(T.TypeName);
const IS_BINARY = matcher(T.BinaryOperator);
const IS_ADDITIVE = matcher(T.AdditiveOperator);
const IS_PREFIX = matcher(T.PrefixOperator);

const idx = (type: TokenType): number => type.tokenTypeIdx!;
const EXPLAIN = idx(T.Explain);
const SEMICOLON = idx(T.Semicolon);
const SELECT = idx(T.Select);
const INSERT = idx(T.Insert);
const UPDATE = idx(T.Update);
const DELETE = idx(T.Delete);
const FROM = idx(T.From);
const EXISTS = idx(T.Exists);
const VALUE = idx(T.Value);
const INTO = idx(T.Into);
const WHERE = idx(T.Where);
const ORDER = idx(T.Order);
const BY = idx(T.By);
const ASC = idx(T.Asc);
const DESC = idx(T.Desc);
const SET = idx(T.Set);
const REMOVE = idx(T.Remove);
const RETURNING = idx(T.Returning);
const ALL = idx(T.All);
const MODIFIED = idx(T.Modified);
const OLD = idx(T.Old);
const NEW = idx(T.New);
const AS = idx(T.As);
const IDENTIFIER = idx(T.Identifier);
const IS = idx(T.Is);
const NOT = idx(T.Not);
const IN = idx(T.In);
const BETWEEN = idx(T.Between);
const AND = idx(T.And);
const RESERVED_WORD = idx(T.ReservedWord);
const STRING = idx(T.StringLiteral);
const NUMBER = idx(T.NumberLiteral);
const PARAMETER = idx(T.Parameter);
const TRUE = idx(T.True);
const FALSE = idx(T.False);
const NULL = idx(T.Null);
const MISSING = idx(T.Missing);
const STAR = idx(T.Star);
const DOT = idx(T.Dot);
const COMMA = idx(T.Comma);
const COLON = idx(T.Colon);
const EQUALS = idx(T.Equals);
const LPAREN = idx(T.LParen);
const RPAREN = idx(T.RParen);
const LBRACKET = idx(T.LBracket);
const RBRACKET = idx(T.RBracket);
const LCURLY = idx(T.LCurly);
const RCURLY = idx(T.RCurly);
const LDOUBLE_ANGLE = idx(T.LDoubleAngle);
const RDOUBLE_ANGLE = idx(T.RDoubleAngle);

/** Token kinds an operand may start with (after prefix operators: see startsExpression). */
const STARTS_TERM = new Uint8Array(256);
for (const t of [
  STRING,
  NUMBER,
  PARAMETER,
  TRUE,
  FALSE,
  NULL,
  MISSING,
  LPAREN,
  LBRACKET,
  LCURLY,
  LDOUBLE_ANGLE,
])
  STARTS_TERM[t] = 1;
for (let t = 0; t < 256; t++) if (IS_NAME[t] || IS_CALLABLE[t]) STARTS_TERM[t] = 1;

function node(name: string): CstNode {
  return { name, children: {} as Record<string, CstElement[]> };
}

function add(n: CstNode, key: string, element: CstElement): void {
  const list = n.children[key];
  if (list === undefined) n.children[key] = [element];
  else list.push(element);
}

/** The type index `la` gives past the last token: in range of the masks (which it never matches). */
const EOF = 255;

class FastParser {
  private pos = 0;
  constructor(private readonly tokens: IToken[]) {}

  /** The type index of the token `k` places ahead (0 = the next one), or EOF. */
  private la(k = 0): number {
    const t = this.tokens[this.pos + k];
    return t === undefined ? EOF : t.tokenTypeIdx;
  }

  /** Consumes the next token if it is of type `type` (exactly), filing it under `key`. */
  private consume(n: CstNode, type: number, key: string): void {
    const t = this.tokens[this.pos];
    if (t === undefined || t.tokenTypeIdx !== type) throw GIVE_UP;
    add(n, key, t);
    this.pos++;
  }

  /** Consumes the next token if `mask` matches it (a category), filing it under `key`. */
  private consumeMatching(n: CstNode, mask: Uint8Array, key: string): void {
    const t = this.tokens[this.pos];
    if (t === undefined || !mask[t.tokenTypeIdx]) throw GIVE_UP;
    add(n, key, t);
    this.pos++;
  }

  private startsExpression(k = 0): boolean {
    const t = this.la(k);
    return t !== EOF && (STARTS_TERM[t] === 1 || IS_PREFIX[t] === 1);
  }

  // ── Statements ───────────────────────────────────────────────────────────────────────────────────

  statement(): CstNode | undefined {
    const n = node('statement');
    try {
      if (this.la() === EXPLAIN) this.consume(n, EXPLAIN, 'Explain');
      add(n, 'dmlStatement', this.dmlStatement());
      if (this.la() === SEMICOLON) this.consume(n, SEMICOLON, 'Semicolon');
    } catch (e) {
      if (e === GIVE_UP) return undefined;
      throw e;
    }
    return this.pos === this.tokens.length ? n : undefined;
  }

  private dmlStatement(): CstNode {
    const n = node('dmlStatement');
    const t = this.la();
    if (t === SELECT) add(n, 'selectStatement', this.selectStatement());
    else if (t === INSERT) add(n, 'insertStatement', this.insertStatement());
    else if (t === UPDATE) add(n, 'updateStatement', this.updateStatement());
    else if (t === DELETE) add(n, 'deleteStatement', this.deleteStatement());
    else if (t === FROM) add(n, 'fromFirstStatement', this.fromFirstStatement());
    else if (t === EXISTS && this.la(1) === LPAREN && this.la(2) === SELECT)
      add(n, 'existsStatement', this.existsStatement());
    else {
      const s = node('expressionStatement');
      add(s, 'expression', this.expression());
      add(n, 'expressionStatement', s);
    }
    return n;
  }

  private selectStatement(): CstNode {
    const n = node('selectStatement');
    this.consume(n, SELECT, 'Select');
    if (this.la() === VALUE) this.consume(n, VALUE, 'Value');
    const list = node('selectList');
    for (;;) {
      const item = node('selectItem');
      if (this.la() === STAR) this.consume(item, STAR, 'Star');
      else {
        add(item, 'expression', this.expression());
        if (this.startsAlias()) add(item, 'alias', this.alias());
      }
      add(list, 'selectItem', item);
      if (this.la() !== COMMA) break;
      this.consume(list, COMMA, 'Comma');
    }
    add(n, 'selectList', list);
    this.consume(n, FROM, 'From');
    add(n, 'tableRef', this.tableRef('tableRef', true));
    if (this.la() === WHERE) add(n, 'whereClause', this.whereClause());
    if (this.la() === ORDER) add(n, 'orderByClause', this.orderByClause());
    return n;
  }

  private insertStatement(): CstNode {
    const n = node('insertStatement');
    this.consume(n, INSERT, 'Insert');
    this.consume(n, INTO, 'Into');
    add(n, 'simpleTableRef', this.tableRef('simpleTableRef', false));
    if (this.la() === VALUE) this.consume(n, VALUE, 'Value');
    add(n, 'expression', this.expression());
    if (this.la() === RETURNING) add(n, 'returningClause', this.returningClause());
    return n;
  }

  private updateStatement(): CstNode {
    const n = node('updateStatement');
    this.consume(n, UPDATE, 'Update');
    add(n, 'simpleTableRef', this.tableRef('simpleTableRef', false));
    if (this.startsAlias()) add(n, 'alias', this.alias());
    this.updateActions(n);
    if (this.la() === WHERE) add(n, 'whereClause', this.whereClause());
    if (this.la() === RETURNING) add(n, 'returningClause', this.returningClause());
    return n;
  }

  private fromFirstStatement(): CstNode {
    const n = node('fromFirstStatement');
    this.consume(n, FROM, 'From');
    add(n, 'tableRef', this.tableRef('tableRef', true));
    if (this.la() === WHERE) add(n, 'whereClause', this.whereClause());
    this.updateActions(n);
    if (this.la() === RETURNING) add(n, 'returningClause', this.returningClause());
    return n;
  }

  private deleteStatement(): CstNode {
    const n = node('deleteStatement');
    this.consume(n, DELETE, 'Delete');
    this.consume(n, FROM, 'From');
    add(n, 'simpleTableRef', this.tableRef('simpleTableRef', false));
    if (this.startsAlias()) add(n, 'alias', this.alias());
    if (this.la() === WHERE) add(n, 'whereClause', this.whereClause());
    if (this.la() === RETURNING) add(n, 'returningClause', this.returningClause());
    return n;
  }

  private existsStatement(): CstNode {
    const n = node('existsStatement');
    this.consume(n, EXISTS, 'Exists');
    this.consume(n, LPAREN, 'LParen');
    add(n, 'selectStatement', this.selectStatement());
    this.consume(n, RPAREN, 'RParen');
    return n;
  }

  // ── Clauses ──────────────────────────────────────────────────────────────────────────────────────

  /** tableRef (`Name (. Name)* [alias]`) or simpleTableRef (the same without the alias). */
  private tableRef(name: 'tableRef' | 'simpleTableRef', withAlias: boolean): CstNode {
    const n = node(name);
    this.consumeMatching(n, IS_NAME, 'Name');
    while (this.la() === DOT) {
      this.consume(n, DOT, 'Dot');
      this.consumeMatching(n, IS_NAME, 'Name');
    }
    if (withAlias && this.startsAlias()) add(n, 'alias', this.alias());
    return n;
  }

  private startsAlias(): boolean {
    const t = this.la();
    return t === AS || t === IDENTIFIER;
  }

  private alias(): CstNode {
    const n = node('alias');
    if (this.la() === AS) {
      this.consume(n, AS, 'As');
      this.consumeMatching(n, IS_NAME, 'Name');
    } else this.consume(n, IDENTIFIER, 'Identifier');
    return n;
  }

  private whereClause(): CstNode {
    const n = node('whereClause');
    this.consume(n, WHERE, 'Where');
    add(n, 'expression', this.expression());
    return n;
  }

  private orderByClause(): CstNode {
    const n = node('orderByClause');
    this.consume(n, ORDER, 'Order');
    this.consume(n, BY, 'By');
    for (;;) {
      const item = node('orderByItem');
      add(item, 'expression', this.expression());
      const t = this.la();
      if (t === ASC) this.consume(item, ASC, 'Asc');
      else if (t === DESC) this.consume(item, DESC, 'Desc');
      add(n, 'orderByItem', item);
      if (this.la() !== COMMA) break;
      this.consume(n, COMMA, 'Comma');
    }
    return n;
  }

  /** AT_LEAST_ONE(updateAction). */
  private updateActions(parent: CstNode): void {
    do {
      const n = node('updateAction');
      if (this.la() === SET) add(n, 'setClause', this.setClause());
      else if (this.la() === REMOVE) add(n, 'removeClause', this.removeClause());
      else throw GIVE_UP;
      add(parent, 'updateAction', n);
    } while (this.la() === SET || this.la() === REMOVE);
  }

  private setClause(): CstNode {
    const n = node('setClause');
    this.consume(n, SET, 'Set');
    for (;;) {
      const a = node('assignment');
      add(a, 'simplePath', this.simplePath());
      this.consume(a, EQUALS, 'Equals');
      add(a, 'expression', this.expression());
      add(n, 'assignment', a);
      if (this.la() !== COMMA) break;
      this.consume(n, COMMA, 'Comma');
    }
    return n;
  }

  private removeClause(): CstNode {
    const n = node('removeClause');
    this.consume(n, REMOVE, 'Remove');
    add(n, 'simplePath', this.simplePath());
    return n;
  }

  private simplePath(): CstNode {
    const n = node('simplePath');
    this.consumeMatching(n, IS_NAME, 'Name');
    for (;;) {
      const t = this.la();
      if (t === DOT) {
        const step = node('simplePathStep');
        this.consume(step, DOT, 'Dot');
        this.consumeMatching(step, IS_NAME, 'Name');
        add(n, 'simplePathStep', step);
      } else if (t === LBRACKET) {
        const step = node('simplePathStep');
        this.consume(step, LBRACKET, 'LBracket');
        const k = this.la();
        if (k === NUMBER) this.consume(step, NUMBER, 'NumberLiteral');
        else this.consume(step, STRING, 'StringLiteral');
        this.consume(step, RBRACKET, 'RBracket');
        add(n, 'simplePathStep', step);
      } else return n;
    }
  }

  private returningClause(): CstNode {
    const n = node('returningClause');
    this.consume(n, RETURNING, 'Returning');
    for (;;) {
      const item = node('returningItem');
      if (this.la() === ALL) this.consume(item, ALL, 'All');
      else this.consume(item, MODIFIED, 'Modified');
      if (this.la() === OLD) this.consume(item, OLD, 'Old');
      else this.consume(item, NEW, 'New');
      if (this.la() === STAR) this.consume(item, STAR, 'Star');
      else add(item, 'expression', this.expression());
      add(n, 'returningItem', item);
      if (this.la() !== COMMA) break;
      this.consume(n, COMMA, 'Comma');
    }
    return n;
  }

  // ── Expressions ──────────────────────────────────────────────────────────────────────────────────

  private expression(): CstNode {
    const n = node('expression');
    add(n, 'operand', this.operand());
    for (;;) {
      const t = this.la();
      let alt: number;
      if (IS_BINARY[t] === 1) alt = 1;
      else if (t === IS) alt = 2;
      else if (t === IN) alt = 3;
      else if (t === BETWEEN) alt = 4;
      else if (t === NOT) {
        const u = this.la(1);
        if (u === IN) alt = 3;
        else if (u === BETWEEN) alt = 4;
        else return n;
      } else return n;
      add(n, 'infixTail', this.infixTail(alt));
    }
  }

  private infixTail(alt: number): CstNode {
    const n = node('infixTail');
    if (alt === 1) {
      this.consumeMatching(n, IS_BINARY, 'BinaryOperator');
      add(n, 'operand', this.operand());
    } else if (alt === 2) {
      this.consume(n, IS, 'Is');
      if (this.la() === NOT) this.consume(n, NOT, 'Not');
      add(n, 'typeRef', this.typeRef());
    } else if (alt === 3) {
      if (this.la() === NOT) this.consume(n, NOT, 'Not');
      this.consume(n, IN, 'In');
      add(n, 'inList', this.inList());
    } else {
      if (this.la() === NOT) this.consume(n, NOT, 'Not');
      this.consume(n, BETWEEN, 'Between');
      add(n, 'additive', this.additive());
      this.consume(n, AND, 'And');
      add(n, 'additive', this.additive());
    }
    return n;
  }

  private additive(): CstNode {
    const n = node('additive');
    add(n, 'operand', this.operand());
    while (IS_ADDITIVE[this.la()] === 1) {
      this.consumeMatching(n, IS_ADDITIVE, 'AdditiveOperator');
      add(n, 'operand', this.operand());
    }
    return n;
  }

  private inList(): CstNode {
    const n = node('inList');
    // `(` always opens the parenthesised list (the Chevrotain rule ignores the ambiguity the same way).
    if (this.la() === LPAREN) {
      this.consume(n, LPAREN, 'LParen');
      for (;;) {
        add(n, 'expression', this.expression());
        if (this.la() !== COMMA) break;
        this.consume(n, COMMA, 'Comma');
      }
      this.consume(n, RPAREN, 'RParen');
    } else add(n, 'additive', this.additive());
    return n;
  }

  private typeRef(): CstNode {
    const n = node('typeRef');
    this.consumeMatching(n, IS_TYPE_NAME, 'TypeName');
    if (this.la() === RESERVED_WORD) this.consume(n, RESERVED_WORD, 'ReservedWord');
    if (this.la() === LPAREN) {
      this.consume(n, LPAREN, 'LParen');
      for (;;) {
        this.consume(n, NUMBER, 'NumberLiteral');
        if (this.la() !== COMMA) break;
        this.consume(n, COMMA, 'Comma');
      }
      this.consume(n, RPAREN, 'RParen');
    }
    return n;
  }

  private operand(): CstNode {
    const n = node('operand');
    while (IS_PREFIX[this.la()] === 1) this.consumeMatching(n, IS_PREFIX, 'PrefixOperator');
    const t = this.la();
    if (t === STRING) this.consume(n, STRING, 'StringLiteral');
    else if (t === NUMBER) this.consume(n, NUMBER, 'NumberLiteral');
    else if (t === PARAMETER) this.consume(n, PARAMETER, 'Parameter');
    else if (t === TRUE) this.consume(n, TRUE, 'True');
    else if (t === FALSE) this.consume(n, FALSE, 'False');
    else if (t === NULL) this.consume(n, NULL, 'Null');
    else if (t === MISSING) this.consume(n, MISSING, 'Missing');
    else if (IS_CALLABLE[t] === 1 && this.la(1) === LPAREN) add(n, 'functionCall', this.functionCall());
    else if (IS_NAME[t] === 1) this.consumeMatching(n, IS_NAME, 'Name');
    else if (t === LPAREN) {
      this.consume(n, LPAREN, 'LParen');
      add(n, 'expression', this.expression());
      this.consume(n, RPAREN, 'RParen');
    } else if (t === LBRACKET)
      add(n, 'listLiteral', this.sequence('listLiteral', LBRACKET, 'LBracket', RBRACKET, 'RBracket'));
    else if (t === LCURLY) add(n, 'mapLiteral', this.mapLiteral());
    else if (t === LDOUBLE_ANGLE)
      add(
        n,
        'setLiteral',
        this.sequence('setLiteral', LDOUBLE_ANGLE, 'LDoubleAngle', RDOUBLE_ANGLE, 'RDoubleAngle'),
      );
    else throw GIVE_UP;
    for (;;) {
      const p = this.la();
      if (p === DOT) {
        const step = node('pathStep');
        this.consume(step, DOT, 'Dot');
        if (this.la() === STAR) this.consume(step, STAR, 'Star');
        else this.consumeMatching(step, IS_NAME, 'Name');
        add(n, 'pathStep', step);
      } else if (p === LBRACKET) {
        const step = node('pathStep');
        this.consume(step, LBRACKET, 'LBracket');
        if (this.la() === STAR) this.consume(step, STAR, 'Star');
        else add(step, 'expression', this.expression());
        this.consume(step, RBRACKET, 'RBracket');
        add(n, 'pathStep', step);
      } else return n;
    }
  }

  private functionCall(): CstNode {
    const n = node('functionCall');
    this.consumeMatching(n, IS_CALLABLE, 'CallableName');
    this.consume(n, LPAREN, 'LParen');
    this.expressionsUntil(n);
    this.consume(n, RPAREN, 'RParen');
    return n;
  }

  /** `open (expression (, expression)*)? close`: a list or set literal. */
  private sequence(name: string, open: number, openKey: string, close: number, closeKey: string): CstNode {
    const n = node(name);
    this.consume(n, open, openKey);
    this.expressionsUntil(n);
    this.consume(n, close, closeKey);
    return n;
  }

  /** MANY_SEP(Comma, expression). */
  private expressionsUntil(n: CstNode): void {
    if (!this.startsExpression()) return;
    for (;;) {
      add(n, 'expression', this.expression());
      if (this.la() !== COMMA) return;
      this.consume(n, COMMA, 'Comma');
    }
  }

  private mapLiteral(): CstNode {
    const n = node('mapLiteral');
    this.consume(n, LCURLY, 'LCurly');
    if (this.startsExpression()) {
      for (;;) {
        const entry = node('mapEntry');
        add(entry, 'expression', this.expression());
        this.consume(entry, COLON, 'Colon');
        add(entry, 'expression', this.expression());
        add(n, 'mapEntry', entry);
        if (this.la() !== COMMA) break;
        this.consume(n, COMMA, 'Comma');
      }
    }
    this.consume(n, RCURLY, 'RCurly');
    return n;
  }
}

/** The CST of `tokens` as PartiqlParser builds it, or undefined when the Chevrotain parser must decide. */
export function fastParse(tokens: IToken[]): CstNode | undefined {
  return new FastParser(tokens).statement();
}
