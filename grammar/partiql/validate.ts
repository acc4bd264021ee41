// Refusals DynamoDB makes of statements that parse: functions used where they are not allowed or with
// the wrong operands, and set literals that are empty or repeat a member.
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
        if (s.where) this.expr(s.where, 'where');
        for (const item of s.orderBy) this.expr(item.expression, 'other');
        return;
      case 'insert':
        this.insertValue(s.item, 'root', true);
        return;
      case 'delete':
        if (s.where) this.expr(s.where, 'where');
        return;
      case 'update':
        for (const action of s.actions) {
          if (action.kind === 'set') {
            for (const a of action.assignments) this.assignmentValue(a);
          }
        }
        if (s.where) this.expr(s.where, 'where');
        return;
    }
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
        for (const entry of e.entries) this.insertValue(entry.value, isItem ? path : `${path}.${entry.key}`);
        return;
      case 'list':
        e.elements.forEach((el, i) => this.insertValue(el, `${path}[${i}]`));
        return;
      case 'set':
        this.setLiteral(e);
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

  private expr(e: A.Expression, context: Context, target?: A.PathExpression): void {
    switch (e.kind) {
      case 'call':
        this.call(e, context, target);
        return;
      case 'set':
        this.setLiteral(e);
        return;
      case 'list':
        for (const el of e.elements) this.expr(el, context, target);
        return;
      case 'map':
        for (const entry of e.entries) this.expr(entry.value, context, target);
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
        this.expr(e.list, context, target);
        return;
      case 'is':
        this.expr(e.value, context, target);
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

  private setLiteral(s: A.SetLiteral): void {
    if (s.elements.length === 0) {
      this.refuse('Empty bags are not supported', 'A set needs at least one member', s.loc);
      return;
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
