// A hand-written recogniser for the expression language: for an expression that parses, the same
// CST as the Chevrotain parser (parser.ts) builds — same rules, same children keys, same token
// objects — so builder.ts serves both. It never reports errors: on anything unexpected it gives up
// (undefined) and parseWith runs the Chevrotain parser, which finds the error for DynamoDB's
// message. parser.ts stays the grammar of record; this file follows it rule by rule, and
// tests/unit/expressions/fast-path.test.ts checks that the two agree.
//
// Why: building the Chevrotain parser costs tens of milliseconds (its grammar analysis), which a
// server would otherwise pay on the first request carrying an expression, and a direct descent
// over this small grammar is faster per expression than Chevrotain's generic machinery.
import type { CstElement, CstNode, IToken, TokenType } from 'chevrotain';
import {
  AddKeyword,
  AndKeyword,
  BetweenKeyword,
  Comma,
  Comparator,
  DeleteKeyword,
  Dot,
  Equals,
  Identifier,
  InKeyword,
  LBracket,
  LParen,
  NameRef,
  NotKeyword,
  NumberLiteral,
  OrKeyword,
  Plus,
  Minus,
  RBracket,
  RemoveKeyword,
  RParen,
  SetKeyword,
  ValueRef,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
} from './lexer.js';
import type { EntryRule } from './parser.js';

/** Thrown (never escapes) when the expression is not one this parser is sure of. */
const GIVE_UP = Symbol('give up');

const idx = (type: TokenType): number => type.tokenTypeIdx!;
const AND = idx(AndKeyword);
const OR = idx(OrKeyword);
const NOT = idx(NotKeyword);
const BETWEEN = idx(BetweenKeyword);
const IN = idx(InKeyword);
const SET = idx(SetKeyword);
const REMOVE = idx(RemoveKeyword);
const ADD = idx(AddKeyword);
const DELETE = idx(DeleteKeyword);
const IDENTIFIER = idx(Identifier);
const NAME_REF = idx(NameRef);
const VALUE_REF = idx(ValueRef);
const NUMBER = idx(NumberLiteral);
const EQUALS = idx(Equals);
const LPAREN = idx(LParen);
const RPAREN = idx(RParen);
const LBRACKET = idx(LBracket);
const RBRACKET = idx(RBracket);
const COMMA = idx(Comma);
const DOT = idx(Dot);
/** Token kinds of the Comparator category (Equals is one) and of ArithmeticOperator. */
const COMPARATORS = new Set([NotEqual, LessEqual, GreaterEqual, Less, Greater, Equals].map(idx));
const ARITHMETIC = new Set([Plus, Minus].map(idx));
/** The kinds of the PathName category. */
const PATH_NAMES = new Set([IDENTIFIER, NAME_REF]);
const COMPARATOR_KEY = Comparator.name;
const ARITHMETIC_KEY = 'ArithmeticOperator';

const EOF = -1;

function node(name: string): CstNode {
  return { name, children: {} as Record<string, CstElement[]> };
}

function add(n: CstNode, key: string, element: CstElement): void {
  const list = n.children[key];
  if (list === undefined) n.children[key] = [element];
  else list.push(element);
}

class FastParser {
  private pos = 0;
  constructor(private readonly tokens: readonly IToken[]) {}

  /** The type index of the token `k` places ahead (0 = the next one), or EOF. */
  private la(k = 0): number {
    const t = this.tokens[this.pos + k];
    return t === undefined ? EOF : t.tokenTypeIdx;
  }

  /** Consumes the next token if it is of kind `type`, filing it under `key`. */
  private consume(n: CstNode, type: number, key: string): void {
    const t = this.tokens[this.pos];
    if (t === undefined || t.tokenTypeIdx !== type) throw GIVE_UP;
    add(n, key, t);
    this.pos++;
  }

  /** Consumes the next token if its kind is in `kinds` (a category), filing it under `key`. */
  private consumeOneOf(n: CstNode, kinds: ReadonlySet<number>, key: string): void {
    const t = this.tokens[this.pos];
    if (t === undefined || !kinds.has(t.tokenTypeIdx)) throw GIVE_UP;
    add(n, key, t);
    this.pos++;
  }

  /** Runs an entry rule; the CST if it consumed every token. */
  entry(rule: EntryRule): CstNode | undefined {
    let n: CstNode;
    try {
      if (rule === 'conditionExpression') n = this.conditionExpression();
      else if (rule === 'projectionExpression') n = this.projectionExpression();
      else n = this.updateExpression();
    } catch (e) {
      // A RangeError is a nesting too deep for the stack: left to the Chevrotain parser too.
      if (e === GIVE_UP || e instanceof RangeError) return undefined;
      throw e;
    }
    return this.pos === this.tokens.length ? n : undefined;
  }

  // ── ConditionExpression / FilterExpression / KeyConditionExpression ────────────────────────────

  private conditionExpression(): CstNode {
    const n = node('conditionExpression');
    add(n, 'orCondition', this.orCondition());
    return n;
  }

  private orCondition(): CstNode {
    const n = node('orCondition');
    add(n, 'operands', this.andCondition());
    while (this.la() === OR) {
      this.consume(n, OR, 'OrKeyword');
      add(n, 'operands', this.andCondition());
    }
    return n;
  }

  private andCondition(): CstNode {
    const n = node('andCondition');
    add(n, 'operands', this.notCondition());
    while (this.la() === AND) {
      this.consume(n, AND, 'AndKeyword');
      add(n, 'operands', this.notCondition());
    }
    return n;
  }

  private notCondition(): CstNode {
    const n = node('notCondition');
    if (this.la() === NOT) {
      this.consume(n, NOT, 'NotKeyword');
      add(n, 'notCondition', this.notCondition());
    } else {
      add(n, 'predicate', this.predicate());
    }
    return n;
  }

  private predicate(): CstNode {
    const n = node('predicate');
    add(n, 'primary', this.primary());
    const t = this.la();
    if (COMPARATORS.has(t)) {
      this.consumeOneOf(n, COMPARATORS, COMPARATOR_KEY);
      add(n, 'right', this.operandTerm());
    } else if (t === BETWEEN) {
      this.consume(n, BETWEEN, 'BetweenKeyword');
      add(n, 'low', this.operandTerm());
      this.consume(n, AND, 'AndKeyword');
      add(n, 'high', this.operandTerm());
    } else if (t === IN) {
      this.consume(n, IN, 'InKeyword');
      this.consume(n, LPAREN, 'LParen');
      add(n, 'list', this.operandTerm());
      while (this.la() === COMMA) {
        this.consume(n, COMMA, 'Comma');
        add(n, 'list', this.operandTerm());
      }
      this.consume(n, RPAREN, 'RParen');
    }
    return n;
  }

  private primary(): CstNode {
    const n = node('primary');
    if (this.la() === LPAREN) {
      this.consume(n, LPAREN, 'LParen');
      add(n, 'orCondition', this.orCondition());
      this.consume(n, RPAREN, 'RParen');
    } else {
      add(n, 'operand', this.operand());
    }
    return n;
  }

  private operandTerm(): CstNode {
    const n = node('operandTerm');
    if (this.la() === LPAREN) {
      this.consume(n, LPAREN, 'LParen');
      add(n, 'operandTerm', this.operandTerm());
      this.consume(n, RPAREN, 'RParen');
    } else {
      add(n, 'operand', this.operand());
    }
    return n;
  }

  private operand(): CstNode {
    const n = node('operand');
    const t = this.la();
    if (t === IDENTIFIER && this.la(1) === LPAREN) add(n, 'functionCall', this.functionCall());
    else if (t === VALUE_REF) this.consume(n, VALUE_REF, 'ValueRef');
    else add(n, 'path', this.path());
    return n;
  }

  private functionCall(): CstNode {
    const n = node('functionCall');
    this.consume(n, IDENTIFIER, 'Identifier');
    this.consume(n, LPAREN, 'LParen');
    add(n, 'args', this.operandTerm());
    while (this.la() === COMMA) {
      this.consume(n, COMMA, 'Comma');
      add(n, 'args', this.operandTerm());
    }
    this.consume(n, RPAREN, 'RParen');
    return n;
  }

  private path(): CstNode {
    const n = node('path');
    this.consumeOneOf(n, PATH_NAMES, 'head');
    for (;;) {
      const t = this.la();
      if (t === DOT) {
        this.consume(n, DOT, 'Dot');
        this.consumeOneOf(n, PATH_NAMES, 'member');
      } else if (t === LBRACKET) {
        this.consume(n, LBRACKET, 'LBracket');
        this.consume(n, NUMBER, 'index');
        this.consume(n, RBRACKET, 'RBracket');
      } else {
        return n;
      }
    }
  }

  // ── ProjectionExpression ───────────────────────────────────────────────────────────────────────

  private projectionExpression(): CstNode {
    const n = node('projectionExpression');
    add(n, 'paths', this.path());
    while (this.la() === COMMA) {
      this.consume(n, COMMA, 'Comma');
      add(n, 'paths', this.path());
    }
    return n;
  }

  // ── UpdateExpression ───────────────────────────────────────────────────────────────────────────

  private updateExpression(): CstNode {
    const n = node('updateExpression');
    do {
      const t = this.la();
      if (t === SET) add(n, 'clauses', this.setClause());
      else if (t === REMOVE) add(n, 'clauses', this.pathsClause('removeClause', REMOVE));
      else if (t === ADD) add(n, 'clauses', this.valueClause('addClause', ADD));
      else if (t === DELETE) add(n, 'clauses', this.valueClause('deleteClause', DELETE));
      else throw GIVE_UP;
    } while (this.pos < this.tokens.length);
    return n;
  }

  private setClause(): CstNode {
    const n = node('setClause');
    this.consume(n, SET, 'keyword');
    add(n, 'actions', this.setAction());
    while (this.la() === COMMA) {
      this.consume(n, COMMA, 'Comma');
      add(n, 'actions', this.setAction());
    }
    return n;
  }

  private setAction(): CstNode {
    const n = node('setAction');
    add(n, 'path', this.path());
    this.consume(n, EQUALS, 'Equals');
    add(n, 'setValue', this.setValue());
    return n;
  }

  private setValue(): CstNode {
    const n = node('setValue');
    add(n, 'terms', this.setTerm());
    if (ARITHMETIC.has(this.la())) {
      this.consumeOneOf(n, ARITHMETIC, ARITHMETIC_KEY);
      add(n, 'terms', this.setTerm());
    }
    return n;
  }

  private setTerm(): CstNode {
    const n = node('setTerm');
    if (this.la() === LPAREN) {
      this.consume(n, LPAREN, 'LParen');
      add(n, 'setValue', this.setValue());
      this.consume(n, RPAREN, 'RParen');
    } else {
      add(n, 'operand', this.operand());
    }
    return n;
  }

  private pathsClause(name: string, keyword: number): CstNode {
    const n = node(name);
    this.consume(n, keyword, 'keyword');
    add(n, 'paths', this.path());
    while (this.la() === COMMA) {
      this.consume(n, COMMA, 'Comma');
      add(n, 'paths', this.path());
    }
    return n;
  }

  private valueClause(name: string, keyword: number): CstNode {
    const n = node(name);
    this.consume(n, keyword, 'keyword');
    add(n, 'actions', this.valueAction());
    while (this.la() === COMMA) {
      this.consume(n, COMMA, 'Comma');
      add(n, 'actions', this.valueAction());
    }
    return n;
  }

  private valueAction(): CstNode {
    const n = node('valueAction');
    add(n, 'path', this.path());
    this.consume(n, VALUE_REF, 'ValueRef');
    return n;
  }
}

/** The CST of `rule` over `tokens` as the Chevrotain parser builds it, or undefined (not sure). */
export function fastParse(tokens: readonly IToken[], rule: EntryRule): CstNode | undefined {
  return new FastParser(tokens).entry(rule);
}
