// Refusals DynamoDB makes of statements that parse: functions used where they are not allowed or with
// the wrong operands, set literals that are empty, mix types or repeat a member, tuples that repeat a
// key, negative zero decimals, WHERE clauses that are not conditions, MISSING compared with anything
// but IS, and a SELECT list that names a path twice.
import type * as A from './ast.js';
import { positionSuffix, validationError } from './errors.js';
import type { PartiqlSyntaxError } from './errors.js';
import { numberKey } from './numbers.js';

/** Functions allowed in a WHERE clause, with their operand counts. */
export const CONDITION_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['attribute_exists', 1],
  ['attribute_not_exists', 1],
  ['attribute_type', 2],
  ['begins_with', 2],
  ['contains', 2],
  ['size', 1],
]);

/** Functions allowed as the value of a SET assignment. */
export const UPDATE_FUNCTIONS: readonly string[] = ['list_append', 'set_add', 'set_delete'];

/** Condition functions whose first operand must be a document path. */
const PATH_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type']);

type Context = 'where' | 'set' | 'other';

/** The path DynamoDB names in its messages about a literal value: `root`, then `.key` and `[i]`. */
const ROOT = 'root';

/** DynamoDB's refusal of a set literal whose members are not all strings or all numbers. */
const BAG_TYPES = 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags';

/** Operators whose result is a boolean (`+` and `-` are not). */
const CONDITION_OPERATORS = new Set<A.BinaryOperator>(['=', '<>', '<', '<=', '>', '>=', 'AND', 'OR']);

export function validateStatement(statement: A.Statement): PartiqlSyntaxError[] {
  const errors: PartiqlSyntaxError[] = [];
  const v = new Validator(errors);
  v.statement(statement);
  return errors;
}

class Validator {
  constructor(private readonly errors: PartiqlSyntaxError[]) {}

  private refuse(message: string, hint: string, loc: A.SourceLocation): void {
    this.errors.push(validationError(message, hint, loc));
  }

  statement(s: A.Statement): void {
    switch (s.kind) {
      case 'explain':
        this.statement(s.statement);
        return;
      case 'exists':
        this.statement(s.select);
        return;
      case 'select':
        if (s.projection.kind === 'paths') this.projection(s.projection.paths);
        if (s.where) this.where(s.where);
        for (const item of s.orderBy) this.expr(item.expression, 'other');
        return;
      case 'insert':
        this.insertValue(s.item, ROOT, true);
        return;
      case 'delete':
        if (s.where) this.where(s.where);
        return;
      case 'update':
        for (const action of s.actions) {
          if (action.kind === 'set') {
            for (const a of action.assignments) this.assignmentValue(a);
          }
        }
        if (s.where) this.where(s.where);
        return;
    }
  }

  /** `SELECT a, a`: each path once. */
  private projection(paths: A.PathExpression[]): void {
    paths.forEach((p, i) => {
      if (!paths.slice(0, i).some((earlier) => samePath(earlier, p))) return;
      this.refuse(
        `Duplicate identifiers in select clause: ${pathText(p)} at ${positionSuffix(p.loc)}`,
        `${pathText(p)} is already in the SELECT list`,
        p.loc,
      );
    });
  }

  /**
   * A WHERE clause must be a condition. DynamoDB looks at the clause as a whole before converting it,
   * so that refusal comes first; the operands of AND, OR and NOT are checked after their own contents
   * (see condition()).
   */
  private where(e: A.Expression): void {
    if (!isCondition(e)) {
      this.refuse(
        'WHERE clause must contain an expression that resolves to a boolean',
        'Write a condition, e.g. flag = TRUE',
        e.loc,
      );
    }
    this.condition(e);
  }

  /**
   * Walks a condition. AND, OR and NOT take conditions, not values: DynamoDB checks that after
   * converting their operands, so an operand's own refusal (MISSING, an unknown function, …) is the
   * one reported, and these are only checked when the operands brought none.
   */
  private condition(e: A.Expression): void {
    const before = this.errors.length;
    if (e.kind === 'binary' && (e.op === 'AND' || e.op === 'OR')) {
      this.condition(e.left);
      this.condition(e.right);
      if (this.errors.length > before) return;
      for (const operand of [e.left, e.right]) {
        if (isCondition(operand)) continue;
        this.refuse(
          'The arguments to AND/OR must be Expressions',
          `Each side of ${e.op} must be a condition, e.g. flag = TRUE`,
          operand.loc,
        );
      }
      return;
    }
    if (e.kind === 'not') {
      this.condition(e.operand);
      if (this.errors.length > before || isCondition(e.operand)) return;
      this.refuse(
        'The argument to NOT must be a Type or Expression',
        'NOT takes a condition, e.g. NOT flag = TRUE',
        e.operand.loc,
      );
      return;
    }
    this.expr(e, 'where');
  }

  /** Walks an INSERT item: functions are refused with the path of the value they are in. */
  private insertValue(e: A.Expression, path: string, isItem = false): void {
    switch (e.kind) {
      case 'call':
        this.refuse(
          `Unsupported data type: ${e.name} under key ${path} at ${positionSuffix(e.nameLoc)}`,
          'Functions cannot be used in an INSERT value',
          e.nameLoc,
        );
        return;
      case 'map':
        this.tuple(e, path, (entry) => this.insertValue(entry.value, isItem ? path : `${path}.${entry.key}`));
        return;
      case 'list':
        e.elements.forEach((el, i) => this.insertValue(el, `${path}[${i}]`));
        return;
      case 'set':
        this.setLiteral(e, path, true);
        return;
      case 'number':
        this.negativeZero(e, path);
        return;
      default:
        this.expr(e, 'other');
    }
  }

  private assignmentValue(a: A.Assignment): void {
    const value = a.value;
    if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
      this.setFunction(value, a.target);
      return;
    }
    this.expr(value, 'set', a.target);
  }

  /**
   * A tuple literal: each value (walked by `value`), then its key against the keys before it. DynamoDB
   * converts a value before storing it under its key, so a refused value is reported instead.
   */
  private tuple(map: A.MapLiteral, path: string, value: (entry: A.MapEntry) => void): void {
    const keys = new Set<string>();
    for (const entry of map.entries) {
      const before = this.errors.length;
      value(entry);
      if (keys.has(entry.key) && this.errors.length === before) {
        this.refuse(
          `Duplicate keys in tuple. Key: ${entry.key} under ${path} at ${positionSuffix(entry.keyLoc)}`,
          `'${entry.key}' is already a key of this tuple`,
          entry.keyLoc,
        );
      }
      keys.add(entry.key);
    }
  }

  /**
   * `-0.0`: DynamoDB reads decimals as Ion decimals, which keep the sign of a zero, and refuses a
   * negative one in a stored value. The AST folds the minus into the literal's text. An integer `-0`
   * and a float `-0e0` are plain zeros. Says whether it refused.
   */
  private negativeZero(n: A.NumberLiteral, path: string): boolean {
    if (!/^-0*\.0*$/.test(n.text)) return false;
    this.refuse(
      `Negative zero decimal is not supported under key ${path} at ${positionSuffix(n.loc)}`,
      `Write ${n.text.slice(1)}: a decimal zero cannot be negative`,
      n.loc,
    );
    return true;
  }

  /** SET_ADD / SET_DELETE: `x = set_add(x, <<…>>)`. */
  private setFunction(call: A.FunctionCall, target: A.PathExpression): void {
    const which = call.name === 'set_add' ? 'SET_ADD' : 'SET_DELETE';
    const at = positionSuffix(call.nameLoc);
    if (call.args.length !== 2) {
      this.refuse(
        `${which} must have exactly two arguments at ${at}`,
        `${which} takes a path and a set`,
        call.nameLoc,
      );
      return;
    }
    const [first, second] = call.args as [A.Expression, A.Expression];
    if (first.kind !== 'path' || !samePath(first, target)) {
      this.refuse(
        `The first argument to ${which} must equal the assignment value at ${at}`,
        `Write ${pathText(target)} = ${call.name}(${pathText(target)}, <<…>>)`,
        call.nameLoc,
      );
      return;
    }
    if (second.kind !== 'set' && second.kind !== 'parameter') {
      this.refuse(
        `The second argument to ${which} must be a value with type SET at ${positionSuffix(first.loc)}`,
        'The second argument must be a set literal such as <<1, 2>>',
        first.loc,
      );
      return;
    }
    this.expr(second, 'set', target);
  }

  /**
   * Walks an expression. `path` names a literal nested in a list or tuple literal (`root[1].k`); the
   * operands of operators and functions are values of their own, at `root`.
   */
  private expr(e: A.Expression, context: Context, target?: A.PathExpression, path = ROOT): void {
    switch (e.kind) {
      case 'call':
        this.call(e, context, target);
        return;
      case 'set':
        this.setLiteral(e, path, context === 'set');
        return;
      case 'list':
        e.elements.forEach((el, i) => this.expr(el, context, target, `${path}[${i}]`));
        return;
      case 'map':
        this.tuple(e, path, (entry) => this.expr(entry.value, context, target, `${path}.${entry.key}`));
        return;
      case 'number':
        if (context === 'set') this.negativeZero(e, path);
        return;
      case 'missing':
        // As a value MISSING is the engine's to refuse; in a condition only `IS [NOT] MISSING` has it.
        if (context === 'where') {
          this.refuse(
            'MISSING must be compared using IS operator',
            'Write x IS MISSING or x IS NOT MISSING',
            e.loc,
          );
        }
        return;
      case 'not':
      case 'negate':
        this.expr(e.operand, context, target);
        return;
      case 'binary':
        this.expr(e.left, context, target);
        this.expr(e.right, context, target);
        return;
      case 'between':
        this.expr(e.value, context, target);
        this.expr(e.low, context, target);
        this.expr(e.high, context, target);
        return;
      case 'in':
        this.expr(e.value, context, target);
        // DynamoDB converts the members of an IN list one by one, each a value at root.
        if (e.list.kind === 'list') for (const el of e.list.elements) this.expr(el, context, target);
        else this.expr(e.list, context, target);
        return;
      case 'is':
        if (e.value.kind !== 'missing') this.expr(e.value, context, target);
        return;
      default:
        return;
    }
  }

  private call(call: A.FunctionCall, context: Context, target?: A.PathExpression): void {
    const name = call.name;
    const allowed =
      context === 'where'
        ? CONDITION_FUNCTIONS.has(name)
        : context === 'set'
          ? UPDATE_FUNCTIONS.includes(name)
          : false;
    if (!allowed) {
      if (context === 'other') return; // ORDER BY and the like: the engine decides
      this.refuse(
        `Unrecognized function: ${name} at ${positionSuffix(call.nameLoc)}`,
        context === 'where'
          ? `${name} cannot be used in a WHERE clause`
          : `${name} cannot be used in a SET value`,
        call.nameLoc,
      );
      return;
    }
    if (name === 'set_add' || name === 'set_delete') {
      if (target) this.setFunction(call, target);
      return;
    }
    const arity = name === 'list_append' ? 2 : CONDITION_FUNCTIONS.get(name);
    if (arity !== undefined && call.args.length !== arity) {
      this.refuse(
        `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${call.args.length}`,
        `${name} takes ${arity} operand${arity === 1 ? '' : 's'}`,
        call.loc,
      );
      return;
    }
    if (PATH_FUNCTIONS.has(name) && call.args[0]!.kind !== 'path') {
      this.refuse(
        `Operator or function requires a document path; operator or function: ${name}`,
        `The first operand of ${name} is an attribute name, not a value`,
        call.args[0]!.loc,
      );
      return;
    }
    for (const arg of call.args) this.expr(arg, context, target);
  }

  /**
   * `<<…>>`: not empty, members all string or all number literals (DynamoDB takes the set's type from
   * its first member, then converts each member as that type), no member twice. `?` members are bound
   * and checked by the engine. In a stored value (`stored`), a member may not be a negative zero.
   */
  private setLiteral(s: A.SetLiteral, path: string, stored: boolean): void {
    if (s.elements.length === 0) {
      this.refuse('Empty bags are not supported', 'A set needs at least one member', s.loc);
      return;
    }
    let type: 'string' | 'number' | undefined;
    for (const el of s.elements) {
      if (el.kind === 'parameter') continue;
      if ((el.kind !== 'string' && el.kind !== 'number') || (type !== undefined && el.kind !== type)) {
        this.refuse(BAG_TYPES, 'A set holds only strings or only numbers', el.loc);
        return;
      }
      type = el.kind;
      if (stored && el.kind === 'number' && this.negativeZero(el, path)) return;
    }
    const seen = new Set<string>();
    let duplicate = false;
    for (const el of s.elements) {
      const key =
        el.kind === 'string' ? `S:${el.value}` : el.kind === 'number' ? `N:${numberKey(el.text)}` : null;
      if (key === null) continue;
      if (seen.has(key)) duplicate = true;
      seen.add(key);
    }
    if (duplicate) {
      const shown = s.elements.map((el) =>
        el.kind === 'string' ? el.value : el.kind === 'number' ? el.text : '?',
      );
      this.refuse(
        `One or more parameter values were invalid: Input collection [${shown.join(', ')}] contains duplicates.`,
        'A set cannot contain the same member twice',
        s.loc,
      );
    }
  }
}

/** Whether DynamoDB takes `e` as a condition: a comparison, AND/OR, NOT, BETWEEN, IN, IS or a call. */
function isCondition(e: A.Expression): boolean {
  switch (e.kind) {
    case 'binary':
      return CONDITION_OPERATORS.has(e.op);
    case 'not':
    case 'between':
    case 'in':
    case 'is':
    case 'call':
      return true;
    default:
      return false;
  }
}

function samePath(a: A.PathExpression, b: A.PathExpression): boolean {
  if (a.root.name !== b.root.name || a.steps.length !== b.steps.length) return false;
  for (let i = 0; i < a.steps.length; i++) {
    const x = a.steps[i]!;
    const y = b.steps[i]!;
    if (x.kind !== y.kind) return false;
    if (x.kind === 'name' && x.name !== (y as A.PathName).name) return false;
    if (x.kind === 'index' && x.index !== (y as A.PathIndex).index) return false;
  }
  return true;
}

/** A path written back as PartiQL text, e.g. `a."b c"[0]`. */
export function pathText(p: A.PathExpression): string {
  let out = quoteIfNeeded(p.root.name, p.root.quoted);
  for (const step of p.steps) {
    out += step.kind === 'index' ? `[${step.index}]` : `.${quoteIfNeeded(step.name, step.quoted)}`;
  }
  return out;
}

function quoteIfNeeded(name: string, quoted: boolean): string {
  return quoted ? `"${name.replace(/"/g, '""')}"` : name;
}
