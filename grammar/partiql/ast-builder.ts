// CST → AST. Applies PartiQL's operator precedence to the parser's flat operand/tail lists, folds a
// unary minus into number literals, numbers `?` parameters, and records the refusals DynamoDB makes of
// statements that parse (aliases, `SELECT VALUE`, a bag INSERT, …).
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';
import { NOT_WELL_FORMED, positionSuffix, syntaxError, validationError } from './errors.js';
import type { PartiqlSyntaxError } from './errors.js';
import { checkNumberText } from './numbers.js';
import * as T from './tokens.js';

type Children = Record<string, CstElement[] | undefined>;

function tok(children: Children, key: string): IToken | undefined {
  return children[key]?.[0] as IToken | undefined;
}
const NONE: never[] = [];
/** Tail state for an operand with no infix tails after it (never advanced). */
const NO_TAILS: { tails: CstNode[]; pos: number } = { tails: NONE, pos: 0 };

function toks(children: Children, key: string): IToken[] {
  return (children[key] ?? NONE) as IToken[];
}
function sub(children: Children, key: string): CstNode | undefined {
  return children[key]?.[0] as CstNode | undefined;
}
function subs(children: Children, key: string): CstNode[] {
  return (children[key] ?? NONE) as CstNode[];
}

export function locOf(token: IToken): A.SourceLocation {
  return {
    offset: token.startOffset,
    line: token.startLine ?? 1,
    column: token.startColumn ?? 1,
    length: (token.endOffset ?? token.startOffset) - token.startOffset + 1,
  };
}

export function join(first: A.SourceLocation, last: A.SourceLocation): A.SourceLocation {
  return {
    offset: first.offset,
    line: first.line,
    column: first.column,
    length: last.offset + last.length - first.offset,
  };
}

function nameOf(token: IToken): { name: string; quoted: boolean } {
  if (token.tokenType === T.QuotedIdentifier) {
    return { name: token.image.slice(1, -1).replace(/""/g, '"'), quoted: true };
  }
  return { name: token.image, quoted: false };
}

/** Binding strength of infix operators, as in the reference PartiQL parser. */
const PRECEDENCE_OR = 10;
const PRECEDENCE_AND = 20;
const PRECEDENCE_NOT = 30;
const PRECEDENCE_EQUALITY = 40;
const PRECEDENCE_COMPARISON = 50;
const PRECEDENCE_ADDITION = 60;

function binaryOp(token: IToken): A.BinaryOperator {
  const type = token.tokenType;
  if (type === T.Equals) return '=';
  if (type === T.NotEquals) return '<>';
  if (type === T.Less) return '<';
  if (type === T.LessOrEqual) return '<=';
  if (type === T.Greater) return '>';
  if (type === T.GreaterOrEqual) return '>=';
  if (type === T.Plus) return '+';
  if (type === T.Minus) return '-';
  if (type === T.And) return 'AND';
  return 'OR';
}

function binaryPrecedence(op: A.BinaryOperator): number {
  switch (op) {
    case 'OR':
      return PRECEDENCE_OR;
    case 'AND':
      return PRECEDENCE_AND;
    case '=':
    case '<>':
      return PRECEDENCE_EQUALITY;
    case '+':
    case '-':
      return PRECEDENCE_ADDITION;
    default:
      return PRECEDENCE_COMPARISON;
  }
}

function tailPrecedence(tail: CstNode): number {
  const c = tail.children;
  const op = tok(c, 'BinaryOperator');
  if (op) return binaryPrecedence(binaryOp(op));
  if (c['Between']) return PRECEDENCE_COMPARISON;
  return PRECEDENCE_EQUALITY; // IS, IN
}

export class AstBuilder {
  /** Parse errors found while building (DynamoDB's parser would have stopped there). */
  readonly syntaxErrors: PartiqlSyntaxError[] = [];
  /** Statements that parse but that DynamoDB refuses. */
  readonly validationErrors: PartiqlSyntaxError[] = [];
  parameterCount = 0;

  constructor(private readonly text: string) {}

  private syntax(detail: string, hint: string, loc: A.SourceLocation): void {
    this.syntaxErrors.push(syntaxError(detail, hint, loc));
  }

  private refuse(message: string, hint: string, loc: A.SourceLocation): void {
    this.validationErrors.push(validationError(message, hint, loc));
  }

  // ── Statements ───────────────────────────────────────────────────────────────────────────────────

  statement(cst: CstNode): A.Statement | null {
    const c = cst.children;
    const dml = this.dml(sub(c, 'dmlStatement')!);
    const explain = tok(c, 'Explain');
    if (!dml) return null;
    if (explain) return { kind: 'explain', statement: dml, loc: join(locOf(explain), dml.loc) };
    return dml;
  }

  private dml(cst: CstNode): A.DmlStatement | null {
    const c = cst.children;
    let node: CstNode | undefined;
    if ((node = sub(c, 'selectStatement'))) return this.select(node);
    if ((node = sub(c, 'insertStatement'))) return this.insert(node);
    if ((node = sub(c, 'updateStatement'))) return this.update(node, 'update');
    if ((node = sub(c, 'fromFirstStatement'))) return this.update(node, 'fromFirst');
    if ((node = sub(c, 'deleteStatement'))) return this.delete(node);
    if ((node = sub(c, 'existsStatement'))) {
      const x = node.children;
      const select = this.select(sub(x, 'selectStatement')!);
      return { kind: 'exists', select, loc: join(locOf(tok(x, 'Exists')!), locOf(tok(x, 'RParen')!)) };
    }
    // An expression on its own parses, but is not something DynamoDB runs.
    const expr = this.expression(sub(sub(c, 'expressionStatement')!.children, 'expression')!);
    this.refuse(
      `Unsupported operation: ${operationName(expr)}`,
      'A statement starts with SELECT, INSERT, UPDATE or DELETE',
      expr.loc,
    );
    return null;
  }

  private select(cst: CstNode): A.SelectStatement {
    const c = cst.children;
    const selectTok = tok(c, 'Select')!;
    const valueTok = tok(c, 'Value');
    if (valueTok) {
      this.refuse(
        "Select projection doesn't support value or pivot keywords",
        'SELECT VALUE is not supported',
        locOf(valueTok),
      );
    }
    const projection = this.projection(sub(c, 'selectList')!);
    const from = this.tableRef(sub(c, 'tableRef')!);
    const where = this.where(sub(c, 'whereClause'));
    const orderBy: A.OrderByItem[] = [];
    const orderClause = sub(c, 'orderByClause');
    if (orderClause) {
      for (const item of subs(orderClause.children, 'orderByItem')) {
        const expression = this.expression(sub(item.children, 'expression')!);
        const dirTok = tok(item.children, 'Asc') ?? tok(item.children, 'Desc');
        orderBy.push({
          kind: 'orderByItem',
          expression,
          direction: dirTok && dirTok.tokenType === T.Desc ? 'DESC' : 'ASC',
          explicitDirection: !!dirTok,
          loc: dirTok ? join(expression.loc, locOf(dirTok)) : expression.loc,
        });
      }
    }
    const last = orderBy.length ? orderBy[orderBy.length - 1]!.loc : where ? where.loc : from.loc;
    return { kind: 'select', projection, from, where, orderBy, loc: join(locOf(selectTok), last) };
  }

  private projection(cst: CstNode): A.Projection {
    const items = subs(cst.children, 'selectItem');
    const paths: A.PathExpression[] = [];
    let star: IToken | undefined;
    let first: A.SourceLocation | undefined;
    let last: A.SourceLocation | undefined;
    for (const item of items) {
      const c = item.children;
      const starTok = tok(c, 'Star');
      if (starTok) {
        star ??= starTok;
        first ??= locOf(starTok);
        last = locOf(starTok);
        continue;
      }
      const expr = this.expression(sub(c, 'expression')!);
      first ??= expr.loc;
      last = expr.loc;
      const alias = sub(c, 'alias');
      if (alias)
        this.refuse(
          'Aliasing is not supported',
          'Projected attributes cannot be renamed',
          this.aliasLoc(alias),
        );
      if (expr.kind === 'path') paths.push(expr);
      else {
        const loc = expr.kind === 'call' ? expr.nameLoc : expr.loc;
        this.refuse(
          `Unexpected path component at ${positionSuffix(loc)}`,
          'Only attribute paths can be selected',
          loc,
        );
      }
    }
    if (star && items.length > 1) {
      this.syntax(
        "Other expressions may not be present in the select list when '*' is used without dot notation.",
        "'*' must be the only item in the select list",
        locOf(star),
      );
    }
    if (star) return { kind: 'star', loc: locOf(star) };
    return { kind: 'paths', paths, loc: join(first!, last!) };
  }

  private aliasLoc(alias: CstNode): A.SourceLocation {
    const c = alias.children;
    const as = tok(c, 'As');
    const name = tok(c, 'Name') ?? tok(c, 'Identifier')!;
    return as ? join(locOf(as), locOf(name)) : locOf(name);
  }

  /** The table of a statement; `alias` is the alias node when the rule keeps it outside the table. */
  private tableRef(cst: CstNode, alias?: CstNode): A.TableRef {
    const c = cst.children;
    const names = toks(c, 'Name');
    const first = names[0]!;
    const aliasNode = alias ?? sub(c, 'alias');
    if (aliasNode)
      this.refuse('Aliasing is not supported', 'Table aliases are not supported', this.aliasLoc(aliasNode));
    if (names.length > 2) {
      this.refuse(
        'A path may contain at most 2 components in the FROM clause',
        'Write "Table" or "Table"."Index"',
        join(locOf(first), locOf(names[names.length - 1]!)),
      );
    }
    const { name, quoted } = nameOf(first);
    let index: A.IndexRef | null = null;
    const second = names[1];
    if (second) index = { kind: 'index', ...nameOf(second), loc: locOf(second) };
    return {
      kind: 'table',
      name,
      quoted,
      index,
      loc: index ? join(locOf(first), index.loc) : locOf(first),
    };
  }

  private where(cst: CstNode | undefined): A.Expression | null {
    return cst ? this.expression(sub(cst.children, 'expression')!) : null;
  }

  private insert(cst: CstNode): A.InsertStatement {
    const c = cst.children;
    const insertTok = tok(c, 'Insert')!;
    const table = this.tableRef(sub(c, 'simpleTableRef')!);
    const valueTok = tok(c, 'Value');
    const item = this.expression(sub(c, 'expression')!);
    const returning = sub(c, 'returningClause');
    if (!valueTok) {
      this.refuse(
        'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead',
        'Insert one item per statement: INSERT INTO "Table" VALUE {…}',
        item.loc,
      );
    } else if (item.kind !== 'map' && item.kind !== 'parameter') {
      this.refuse(
        'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
        "The item must be a tuple such as {'pk': 'a'}",
        item.loc,
      );
    }
    if (returning) {
      this.refuse(
        'RETURNING is not supported in INSERT',
        'INSERT returns nothing',
        this.returningLoc(returning),
      );
    }
    const itemNode: A.MapLiteral | A.ParameterRef =
      item.kind === 'map' || item.kind === 'parameter' ? item : { kind: 'map', entries: [], loc: item.loc };
    return { kind: 'insert', table, item: itemNode, loc: join(locOf(insertTok), item.loc) };
  }

  private update(cst: CstNode, form: 'update' | 'fromFirst'): A.UpdateStatement {
    const c = cst.children;
    const firstTok = tok(c, form === 'update' ? 'Update' : 'From')!;
    const table =
      form === 'update'
        ? this.tableRef(sub(c, 'simpleTableRef')!, sub(c, 'alias'))
        : this.tableRef(sub(c, 'tableRef')!);
    // Build in source order so `?` parameters are numbered as they appear.
    let where: A.Expression | null = null;
    if (form === 'fromFirst') where = this.where(sub(c, 'whereClause'));
    const actions: A.UpdateAction[] = [];
    for (const action of subs(c, 'updateAction')) {
      const setClause = sub(action.children, 'setClause');
      if (setClause) {
        const assignments: A.Assignment[] = [];
        for (const a of subs(setClause.children, 'assignment')) {
          const target = this.simplePath(sub(a.children, 'simplePath')!);
          const value = this.expression(sub(a.children, 'expression')!);
          assignments.push({ kind: 'assignment', target, value, loc: join(target.loc, value.loc) });
        }
        const setTok = tok(setClause.children, 'Set')!;
        actions.push({
          kind: 'set',
          assignments,
          loc: join(locOf(setTok), assignments[assignments.length - 1]!.loc),
        });
      } else {
        const removeClause = sub(action.children, 'removeClause')!;
        const path = this.simplePath(sub(removeClause.children, 'simplePath')!);
        actions.push({
          kind: 'remove',
          path,
          loc: join(locOf(tok(removeClause.children, 'Remove')!), path.loc),
        });
      }
    }
    if (form === 'update') where = this.where(sub(c, 'whereClause'));
    const returningCst = sub(c, 'returningClause');
    const returning = returningCst ? this.returning(returningCst) : null;
    const lastAction = actions[actions.length - 1]!.loc;
    const last = returning ? returning.loc : form === 'update' ? (where?.loc ?? lastAction) : lastAction;
    return { kind: 'update', form, table, actions, where, returning, loc: join(locOf(firstTok), last) };
  }

  private delete(cst: CstNode): A.DeleteStatement {
    const c = cst.children;
    const deleteTok = tok(c, 'Delete')!;
    const table = this.tableRef(sub(c, 'simpleTableRef')!, sub(c, 'alias'));
    const where = this.where(sub(c, 'whereClause'));
    const returningCst = sub(c, 'returningClause');
    let returning = returningCst ? this.returning(returningCst) : null;
    if (returning && returning.returnValues !== 'ALL_OLD') {
      this.refuse(
        `Invalid returning clause: RETURNING ${returning.returnValues.replace('_', ' ')}. Only RETURNING ALL OLD * is allowed in DELETE statements.`,
        'DELETE can only return ALL OLD *',
        returning.loc,
      );
      returning = { ...returning, returnValues: 'ALL_OLD' };
    }
    const last = returning?.loc ?? where?.loc ?? table.loc;
    return { kind: 'delete', table, where, returning, loc: join(locOf(deleteTok), last) };
  }

  private returningLoc(cst: CstNode): A.SourceLocation {
    const items = subs(cst.children, 'returningItem');
    const lastItem = items[items.length - 1]!.children;
    const end = tok(lastItem, 'Star');
    const expr = sub(lastItem, 'expression');
    const endLoc = end
      ? locOf(end)
      : expr
        ? this.expressionLocOnly(expr)
        : locOf(tok(cst.children, 'Returning')!);
    return join(locOf(tok(cst.children, 'Returning')!), endLoc);
  }

  /** The location of an expression without numbering its parameters or recording errors twice. */
  private expressionLocOnly(cst: CstNode): A.SourceLocation {
    const probe = new AstBuilder(this.text);
    return probe.expression(cst).loc;
  }

  private returning(cst: CstNode): A.Returning {
    const c = cst.children;
    const items = subs(c, 'returningItem');
    const loc = this.returningLoc(cst);
    if (items.length > 1) {
      this.refuse(
        'Invalid syntax with multiple returning elements in RETURNING clause',
        'Write one of RETURNING ALL OLD *, MODIFIED OLD *, ALL NEW *, MODIFIED NEW *',
        loc,
      );
    }
    const item = items[0]!.children;
    if (!tok(item, 'Star')) {
      const expr = this.expression(sub(item, 'expression')!);
      this.refuse(
        "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
        'RETURNING returns whole items: end the clause with *',
        expr.loc,
      );
    }
    const mode = tok(item, 'Modified') ? 'MODIFIED' : 'ALL';
    const version = tok(item, 'New') ? 'NEW' : 'OLD';
    return { kind: 'returning', returnValues: `${mode}_${version}`, loc };
  }

  /** A SET/REMOVE target: names, `.name`, `[n]` and `['key']` steps. */
  private simplePath(cst: CstNode): A.PathExpression {
    const c = cst.children;
    const rootTok = tok(c, 'Name')!;
    const root: A.PathName = { kind: 'name', ...nameOf(rootTok), loc: locOf(rootTok) };
    const steps: A.PathStep[] = [];
    let end = root.loc;
    for (const step of subs(c, 'simplePathStep')) {
      const s = step.children;
      const name = tok(s, 'Name');
      if (name) {
        const loc = join(locOf(tok(s, 'Dot')!), locOf(name));
        steps.push({ kind: 'name', ...nameOf(name), loc });
        end = loc;
        continue;
      }
      const loc = join(locOf(tok(s, 'LBracket')!), locOf(tok(s, 'RBracket')!));
      end = loc;
      const str = tok(s, 'StringLiteral');
      if (str) {
        steps.push({ kind: 'name', name: unquoteString(str.image), quoted: true, loc });
        continue;
      }
      const num = tok(s, 'NumberLiteral')!;
      const index = listIndex(num.image);
      if (index === null) {
        this.syntax(
          'Invalid path component for simple path',
          'A list index must be a whole number',
          locOf(num),
        );
        steps.push({ kind: 'index', index: 0, loc });
      } else steps.push({ kind: 'index', index, loc });
    }
    return { kind: 'path', root, steps, loc: join(root.loc, end) };
  }

  // ── Expressions ──────────────────────────────────────────────────────────────────────────────────

  expression(cst: CstNode): A.Expression {
    const c = cst.children;
    const first = sub(c, 'operand')!;
    const tails = c['infixTail'] as CstNode[] | undefined;
    if (!tails) return this.operandWithPrefixes(first, NO_TAILS);
    const state = { tails, pos: 0 };
    const left = this.operandWithPrefixes(first, state);
    return this.infix(left, -1, state);
  }

  /** Consumes tails binding tighter than `minPrecedence`, left-associatively. */
  private infix(
    left: A.Expression,
    minPrecedence: number,
    state: { tails: CstNode[]; pos: number },
  ): A.Expression {
    const { tails } = state;
    while (state.pos < tails.length) {
      const tail = tails[state.pos]!;
      const precedence = tailPrecedence(tail);
      if (precedence <= minPrecedence) break;
      state.pos++;
      const c = tail.children;
      const opTok = tok(c, 'BinaryOperator');
      if (opTok) {
        let right = this.operandWithPrefixes(sub(c, 'operand')!, state);
        right = this.infix(right, precedence, state);
        left = {
          kind: 'binary',
          op: binaryOp(opTok),
          opLoc: locOf(opTok),
          left,
          right,
          loc: join(left.loc, right.loc),
        };
      } else if (tok(c, 'Is')) {
        const type = this.typeRef(sub(c, 'typeRef')!);
        left = { kind: 'is', not: !!tok(c, 'Not'), value: left, type, loc: join(left.loc, type.loc) };
      } else if (tok(c, 'In')) {
        const list = this.inList(sub(c, 'inList')!);
        left = { kind: 'in', not: !!tok(c, 'Not'), value: left, list, loc: join(left.loc, list.loc) };
      } else {
        const [lowCst, highCst] = subs(c, 'additive');
        const low = this.additive(lowCst!);
        const high = this.additive(highCst!);
        left = {
          kind: 'between',
          not: !!tok(c, 'Not'),
          value: left,
          low,
          high,
          loc: join(left.loc, high.loc),
        };
      }
    }
    return left;
  }

  /** An operand whose prefix NOT (if any) takes in the tails that bind tighter than NOT. */
  private operandWithPrefixes(cst: CstNode, state: { tails: CstNode[]; pos: number }): A.Expression {
    const prefixes = toks(cst.children, 'PrefixOperator');
    if (prefixes.length === 0 || !prefixes.some((p) => p.tokenType === T.Not)) return this.operand(cst);
    return this.applyPrefixes(cst, prefixes, 0, state);
  }

  private applyPrefixes(
    cst: CstNode,
    prefixes: IToken[],
    k: number,
    state: { tails: CstNode[]; pos: number },
  ): A.Expression {
    if (k === prefixes.length) return this.operand(cst, true);
    const p = prefixes[k]!;
    if (p.tokenType === T.Not) {
      let inner = this.applyPrefixes(cst, prefixes, k + 1, state);
      inner = this.infix(inner, PRECEDENCE_NOT, state);
      return { kind: 'not', operand: inner, loc: join(locOf(p), inner.loc) };
    }
    return this.sign(p, this.applyPrefixes(cst, prefixes, k + 1, state));
  }

  private sign(op: IToken, operand: A.Expression): A.Expression {
    const loc = join(locOf(op), operand.loc);
    if (operand.kind === 'number') {
      if (op.tokenType === T.Plus) return { ...operand, loc };
      const text = operand.text.startsWith('-') ? operand.text.slice(1) : `-${operand.text}`;
      return { kind: 'number', text, loc };
    }
    if (op.tokenType === T.Plus) return { ...operand, loc };
    return { kind: 'negate', operand, loc };
  }

  /** A BETWEEN bound or IN operand: operands joined by + and -. */
  private additive(cst: CstNode): A.Expression {
    const c = cst.children;
    const operands = subs(c, 'operand');
    const ops = toks(c, 'AdditiveOperator');
    let left = this.operandWithPrefixesNoTails(operands[0]!);
    for (let i = 0; i < ops.length; i++) {
      const right = this.operandWithPrefixesNoTails(operands[i + 1]!);
      const op = ops[i]!;
      left = {
        kind: 'binary',
        op: binaryOp(op),
        opLoc: locOf(op),
        left,
        right,
        loc: join(left.loc, right.loc),
      };
    }
    return left;
  }

  private operandWithPrefixesNoTails(cst: CstNode): A.Expression {
    return this.operandWithPrefixes(cst, NO_TAILS);
  }

  private inList(cst: CstNode): A.Expression {
    const c = cst.children;
    const lparen = tok(c, 'LParen');
    if (lparen) {
      const elements = subs(c, 'expression').map((e) => this.expression(e));
      return { kind: 'list', elements, loc: join(locOf(lparen), locOf(tok(c, 'RParen')!)) };
    }
    return this.additive(sub(c, 'additive')!);
  }

  private typeRef(cst: CstNode): A.TypeRef {
    const c = cst.children;
    const nameTok = tok(c, 'TypeName')!;
    const second = tok(c, 'ReservedWord');
    const word = nameTok.image.toLowerCase();
    let name = T.TYPE_NAMES.get(word);
    let end = locOf(second ?? nameTok);
    if (second) {
      const pair = `${word} ${second.image.toLowerCase()}`;
      name =
        pair === 'double precision'
          ? 'DOUBLE PRECISION'
          : pair === 'character varying'
            ? 'CHARACTER VARYING'
            : undefined;
    } else if (word === 'double') name = undefined;
    if (name === undefined) {
      this.syntax('Expected type name', `'${nameTok.image}' is not a type name`, locOf(second ?? nameTok));
      name = 'ANY';
    }
    const params = toks(c, 'NumberLiteral').map((t) => t.image);
    const rparen = tok(c, 'RParen');
    if (rparen) end = locOf(rparen);
    for (const p of toks(c, 'NumberLiteral')) {
      if (!/^\d+$/.test(p.image)) {
        this.syntax(
          'Type parameter must be an unsigned integer literal',
          'Expected a whole number',
          locOf(p),
        );
      }
    }
    const [min, max] = T.TYPE_ARITY.get(name) ?? [0, 0];
    if (params.length < min || params.length > max) {
      this.syntax(
        `IS type argument ${name.toLowerCase().replace(' ', '_')} must have arity of ${min}..${max}`,
        `${name} takes ${max === 0 ? 'no parameters' : `at most ${max} parameters`}`,
        end,
      );
    }
    return { kind: 'type', name, params, loc: join(locOf(nameTok), end) };
  }

  /** A term, its path steps, then its sign prefixes (unless the caller applies the prefixes). */
  private operand(cst: CstNode, prefixesHandled = false): A.Expression {
    const c = cst.children;
    let expr = this.term(c);
    const steps = c['pathStep'] as CstNode[] | undefined;
    if (steps) expr = this.pathSteps(expr, steps);
    if (prefixesHandled) return expr;
    const prefixes = toks(c, 'PrefixOperator');
    for (let i = prefixes.length - 1; i >= 0; i--) expr = this.sign(prefixes[i]!, expr);
    return expr;
  }

  private term(c: Children): A.Expression {
    let t: IToken | undefined;
    let n: CstNode | undefined;
    if ((t = tok(c, 'Name'))) {
      return { kind: 'path', root: { kind: 'name', ...nameOf(t), loc: locOf(t) }, steps: [], loc: locOf(t) };
    }
    if ((t = tok(c, 'StringLiteral')))
      return { kind: 'string', value: unquoteString(t.image), loc: locOf(t) };
    if ((t = tok(c, 'NumberLiteral'))) {
      const problem = checkNumberText(t.image);
      if (problem)
        this.syntaxErrors.push({ message: NOT_WELL_FORMED, kind: 'syntax', hint: problem, ...locOf(t) });
      return { kind: 'number', text: t.image, loc: locOf(t) };
    }
    if ((t = tok(c, 'Parameter'))) return { kind: 'parameter', index: this.parameterCount++, loc: locOf(t) };
    if ((t = tok(c, 'True'))) return { kind: 'boolean', value: true, loc: locOf(t) };
    if ((t = tok(c, 'False'))) return { kind: 'boolean', value: false, loc: locOf(t) };
    if ((t = tok(c, 'Null'))) return { kind: 'null', loc: locOf(t) };
    if ((t = tok(c, 'Missing'))) return { kind: 'missing', loc: locOf(t) };
    if ((n = sub(c, 'functionCall'))) return this.call(n);
    if ((t = tok(c, 'LParen'))) {
      const inner = this.expression(sub(c, 'expression')!);
      return { ...inner, loc: join(locOf(t), locOf(tok(c, 'RParen')!)) };
    }
    if ((n = sub(c, 'listLiteral'))) {
      const x = n.children;
      const elements = subs(x, 'expression').map((e) => this.expression(e));
      return { kind: 'list', elements, loc: join(locOf(tok(x, 'LBracket')!), locOf(tok(x, 'RBracket')!)) };
    }
    if ((n = sub(c, 'mapLiteral'))) return this.map(n);
    n = sub(c, 'setLiteral')!;
    const x = n.children;
    const elements = subs(x, 'expression').map((e) => this.expression(e));
    return {
      kind: 'set',
      elements,
      loc: join(locOf(tok(x, 'LDoubleAngle')!), locOf(tok(x, 'RDoubleAngle')!)),
    };
  }

  private map(cst: CstNode): A.MapLiteral {
    const x = cst.children;
    const entries: A.MapEntry[] = [];
    for (const entry of subs(x, 'mapEntry')) {
      const [keyCst, valueCst] = subs(entry.children, 'expression');
      const key = this.expression(keyCst!);
      const value = this.expression(valueCst!);
      if (key.kind !== 'string') {
        this.refuse(
          `Tuple keys must be of type String. Actual type: ${valueTypeName(key)} under root`,
          "Attribute names in a tuple are single-quoted strings: {'name': value}",
          key.loc,
        );
      }
      entries.push({
        kind: 'entry',
        key: key.kind === 'string' ? key.value : '',
        keyLoc: key.loc,
        value,
        loc: join(key.loc, value.loc),
      });
    }
    return { kind: 'map', entries, loc: join(locOf(tok(x, 'LCurly')!), locOf(tok(x, 'RCurly')!)) };
  }

  private call(cst: CstNode): A.FunctionCall {
    const c = cst.children;
    const nameTok = tok(c, 'CallableName')!;
    const args = subs(c, 'expression').map((e) => this.expression(e));
    return {
      kind: 'call',
      name: nameOf(nameTok).name.toLowerCase(),
      nameLoc: locOf(nameTok),
      args,
      loc: join(locOf(nameTok), locOf(tok(c, 'RParen')!)),
    };
  }

  private pathSteps(base: A.Expression, stepNodes: CstNode[]): A.Expression {
    const steps: A.PathStep[] = [];
    let end = base.loc;
    for (const step of stepNodes) {
      const s = step.children;
      const dot = tok(s, 'Dot');
      if (dot) {
        const name = tok(s, 'Name');
        if (name) {
          const loc = join(locOf(dot), locOf(name));
          steps.push({ kind: 'name', ...nameOf(name), loc });
          end = loc;
        } else {
          const star = tok(s, 'Star')!;
          this.refuse(
            'Unpivot path component like a.*.b are not supported',
            "'.*' is not supported",
            locOf(star),
          );
          end = locOf(star);
        }
        continue;
      }
      const loc = join(locOf(tok(s, 'LBracket')!), locOf(tok(s, 'RBracket')!));
      end = loc;
      const star = tok(s, 'Star');
      if (star) {
        this.refuse(
          'Wildcard path component like a[*].b are not supported',
          "'[*]' is not supported",
          locOf(star),
        );
        continue;
      }
      const inner = this.expression(sub(s, 'expression')!);
      if (inner.kind === 'string') {
        steps.push({ kind: 'name', name: inner.value, quoted: true, loc });
        continue;
      }
      const index = inner.kind === 'number' ? listIndex(inner.text) : null;
      if (index === null) {
        this.refuse(
          `Unexpected path component at ${positionSuffix(inner.loc)}`,
          'A list index must be a whole number',
          inner.loc,
        );
        continue;
      }
      steps.push({ kind: 'index', index, loc });
    }
    if (base.kind === 'path' && base.steps.length === 0) {
      return { kind: 'path', root: base.root, steps, loc: join(base.loc, end) };
    }
    if (base.kind === 'path')
      return { kind: 'path', root: base.root, steps: [...base.steps, ...steps], loc: join(base.loc, end) };
    this.refuse(
      `Unexpected path component at ${positionSuffix(base.loc)}`,
      'Only attribute names can be followed by path steps',
      base.loc,
    );
    return base;
  }
}

function unquoteString(image: string): string {
  return image.slice(1, -1).replace(/''/g, "'");
}

/** `3` → 3; anything but a plain whole number → null. */
function listIndex(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** PartiQL's AST class name for an expression, as DynamoDB names it in `Unsupported operation: …`. */
function operationName(expr: A.Expression): string {
  switch (expr.kind) {
    case 'is':
      return 'IsType';
    case 'between':
      return 'Between';
    case 'in':
      return 'InCollection';
    case 'not':
      return 'Not';
    case 'negate':
      return 'Neg';
    case 'call':
      return 'Call';
    case 'path':
      return expr.steps.length ? 'Path' : 'Id';
    case 'parameter':
      return 'Parameter';
    case 'list':
      return 'List';
    case 'map':
      return 'Struct';
    case 'set':
      return 'Bag';
    case 'binary':
      return (
        {
          '=': 'Eq',
          '<>': 'Ne',
          '<': 'Lt',
          '<=': 'Lte',
          '>': 'Gt',
          '>=': 'Gte',
          '+': 'Plus',
          '-': 'Minus',
          AND: 'And',
          OR: 'Or',
        } as const
      )[expr.op];
    default:
      return 'Lit';
  }
}

function valueTypeName(expr: A.Expression): string {
  switch (expr.kind) {
    case 'number':
      return 'DECIMAL';
    case 'boolean':
      return 'BOOL';
    case 'null':
      return 'NULL';
    case 'list':
      return 'LIST';
    case 'map':
      return 'STRUCT';
    case 'set':
      return 'BAG';
    default:
      return 'UNKNOWN';
  }
}
