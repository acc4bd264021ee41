// Lowers PartiQL AST expressions to the engine's expression IR and attribute values, so PartiQL and
// the expression language share one evaluator.
import type { Expression, FunctionCall, PathExpression, SetLiteral } from '../../grammar/partiql/index.js';
import { DynamoError, invalidParameter, validation } from '../errors.js';
import type { Comparator, Condition, Operand, Path } from '../expressions/ir.js';
import type { AttributeValue } from '../types.js';
import { normalizeValue, setOwn } from '../values/attribute.js';
import { attributeTypeCondition, OperandChecks } from '../expressions/condition.js';
import { normalizeNumber } from '../values/number.js';

/** The values bound to a statement's `?` parameters, already validated. */
export type Parameters = readonly AttributeValue[];

export function lowerPath(p: PathExpression): Path {
  const out: (string | number)[] = [p.root.name];
  for (const step of p.steps) out.push(step.kind === 'index' ? step.index : step.name);
  return out as unknown as Path;
}

function parameter(params: Parameters, index: number): AttributeValue {
  const v = params[index];
  if (!v) throw validation("Number of parameters in request and statement don't match.");
  return v;
}

/**
 * A literal (or parameter) as an attribute value. `path` is where DynamoDB says a literal number out
 * of range sits: `root`, then `.key` and `[i]` into nested literals; an INSERT item (`isItem`) keeps
 * its attributes' values at `root`.
 */
export function literalValue(
  e: Expression,
  params: Parameters,
  path = 'root',
  isItem = false,
): AttributeValue {
  switch (e.kind) {
    case 'string':
      return { S: e.value };
    case 'number':
      return { N: literalNumber(e.text, path) };
    case 'boolean':
      return { BOOL: e.value };
    case 'null':
      return { NULL: true };
    case 'parameter':
      return parameter(params, e.index);
    case 'list':
      return { L: e.elements.map((x, i) => literalValue(x, params, `${path}[${i}]`)) };
    case 'map': {
      const m: Record<string, AttributeValue> = {};
      // setOwn: a map key `__proto__` is an attribute like any other, not the prototype.
      for (const entry of e.entries) {
        setOwn(m, entry.key, literalValue(entry.value, params, isItem ? path : `${path}.${entry.key}`));
      }
      return { M: m };
    }
    case 'set':
      return setValue(e, params, path);
    case 'missing':
      throw validation("Statement wasn't well formed, can't be processed: MISSING is not a value");
    default:
      throw validation(`Unsupported data type: ${describe(e)}`);
  }
}

function describe(e: Expression): string {
  return e.kind === 'call' ? e.name : e.kind;
}

/** A number literal, its range errors naming where it sits (`… under root.x`), as DynamoDB's do. */
function literalNumber(text: string, path: string): string {
  try {
    return normalizeNumber(text);
  } catch (e) {
    if (e instanceof DynamoError) throw validation(`${e.message} under ${path}`);
    throw e;
  }
}

function setValue(e: SetLiteral, params: Parameters, path: string): AttributeValue {
  const members = e.elements.map((x) => literalValue(x, params, path));
  const types = new Set(members.map((m) => Object.keys(m)[0]));
  if (types.size !== 1) throw invalidParameter('Set elements must all be of the same type');
  const type = [...types][0];
  const raw =
    type === 'S'
      ? { SS: members.map((m) => (m as { S: string }).S) }
      : type === 'N'
        ? { NS: members.map((m) => (m as { N: string }).N) }
        : type === 'B'
          ? { BS: members.map((m) => (m as { B: string }).B) }
          : undefined;
  if (!raw) throw invalidParameter(`Unsupported set element type: ${type}`);
  // normalizeValue applies DynamoDB's duplicate-member rule.
  return normalizeValue(raw);
}

function isLiteral(e: Expression): boolean {
  return ['string', 'number', 'boolean', 'null', 'parameter', 'list', 'map', 'set'].includes(e.kind);
}

/** The values of an IN list given as one value (`x IN ?`, `x IN 'a'`): it must be a list. */
export function inListValues(e: Expression, params: Parameters): AttributeValue[] {
  const v = literalValue(e, params);
  if (!('L' in v)) throw validation('IN requires a list of values');
  return v.L;
}

/** An operand of a condition: a path, a literal, or size(path). */
export function lowerOperand(e: Expression, params: Parameters): Operand {
  if (e.kind === 'path') return { kind: 'path', path: lowerPath(e) };
  if (e.kind === 'call' && e.name === 'size') {
    const arg = e.args[0];
    if (e.args.length !== 1 || !arg || arg.kind !== 'path') {
      throw validation('Operator or function requires a document path; operator or function: size');
    }
    return { kind: 'size', path: lowerPath(arg) };
  }
  if (e.kind === 'negate') {
    const inner = lowerOperand(e.operand, params);
    if (inner.kind === 'value' && 'N' in inner.value) {
      return {
        kind: 'value',
        value: {
          N: normalizeNumber(inner.value.N.startsWith('-') ? inner.value.N.slice(1) : '-' + inner.value.N),
        },
      };
    }
    // DynamoDB reads `-path` as the binary minus given one operand.
    throw validation(
      'Incorrect number of operands for operator or function; operator or function: -, number of operands: 1',
    );
  }
  if (e.kind === 'binary' && (e.op === '+' || e.op === '-')) {
    // Arithmetic belongs to UPDATE's SET values; a condition's operands are paths and values.
    throw validation(`Unsupported operator in Condition Expression. Operator: ${e.op}`);
  }
  if (isLiteral(e)) return { kind: 'value', value: literalValue(e, params) };
  throw validation(`Unsupported operand: ${describe(e)}`);
}

/** A SET value: operands plus `+`/`-`, list_append, set_add and set_delete. */
export function lowerUpdateValue(e: Expression, params: Parameters): Operand {
  if (e.kind === 'binary' && (e.op === '+' || e.op === '-')) {
    return {
      kind: 'arithmetic',
      op: e.op,
      left: lowerUpdateValue(e.left, params),
      right: lowerUpdateValue(e.right, params),
    };
  }
  if (e.kind === 'call') {
    const [a, b] = e.args;
    switch (e.name) {
      case 'list_append':
        if (e.args.length !== 2)
          throw validation(
            'Incorrect number of operands for operator or function; operator or function: list_append',
          );
        return {
          kind: 'list_append',
          left: lowerUpdateValue(a!, params),
          right: lowerUpdateValue(b!, params),
        };
      case 'set_add':
      case 'set_delete':
        if (e.args.length !== 2) throw validation(`${e.name.toUpperCase()} must have exactly two arguments`);
        return { kind: e.name, target: lowerUpdateValue(a!, params), value: lowerUpdateValue(b!, params) };
      case 'if_not_exists':
        if (e.args.length !== 2 || a!.kind !== 'path') {
          throw validation(
            'Operator or function requires a document path; operator or function: if_not_exists',
          );
        }
        return {
          kind: 'if_not_exists',
          path: lowerPath(a as PathExpression),
          fallback: lowerUpdateValue(b!, params),
        };
    }
  }
  return lowerOperand(e, params);
}

const COMPARATORS = new Set<string>(['=', '<>', '<', '<=', '>', '>=']);

function functionCondition(e: FunctionCall, params: Parameters, checks: OperandChecks): Condition {
  const pathArg = (i: number): Path => {
    const a = e.args[i];
    if (!a || a.kind !== 'path') {
      throw validation(`Operator or function requires a document path; operator or function: ${e.name}`);
    }
    return lowerPath(a);
  };
  const arity = (n: number) => {
    if (e.args.length !== n) {
      throw validation(
        `Incorrect number of operands for operator or function; operator or function: ${e.name}, number of operands: ${e.args.length}`,
      );
    }
  };
  switch (e.name) {
    case 'attribute_exists':
    case 'attribute_not_exists':
      arity(1);
      return { kind: e.name, path: pathArg(0) };
    case 'attribute_type': {
      arity(2);
      const target: Operand = { kind: 'path', path: pathArg(0) };
      const type = lowerOperand(e.args[1]!, params);
      return attributeTypeCondition(target, type, checks.attributeType(target, type));
    }
    case 'begins_with': {
      arity(2);
      const operand = lowerOperand(e.args[0]!, params);
      const prefix = lowerOperand(e.args[1]!, params);
      checks.beginsWith(operand, prefix);
      return { kind: 'begins_with', operand, prefix };
    }
    case 'contains': {
      arity(2);
      const operand = lowerOperand(e.args[0]!, params);
      const value = lowerOperand(e.args[1]!, params);
      checks.contains(operand, value);
      return { kind: 'contains', operand, value };
    }
    default:
      throw validation(`Unrecognized function: ${e.name}`);
  }
}

const IS_TYPES: Record<string, Extract<Condition, { kind: 'is' }>['test']> = {
  MISSING: 'MISSING',
  NULL: 'NULL',
  STRING: 'S',
  S: 'S',
  NUMBER: 'N',
  N: 'N',
  INT: 'N',
  INTEGER: 'N',
  DECIMAL: 'N',
  NUMERIC: 'N',
  FLOAT: 'N',
  'DOUBLE PRECISION': 'N',
  BINARY: 'B',
  BLOB: 'B',
  B: 'B',
  BOOLEAN: 'BOOL',
  BOOL: 'BOOL',
  LIST: 'L',
  L: 'L',
  STRUCT: 'M',
  TUPLE: 'M',
  MAP: 'M',
  M: 'M',
  SS: 'SS',
  NS: 'NS',
  BS: 'BS',
};

/**
 * A WHERE clause (or a part of it) as a condition, its operands checked as ConditionExpression's
 * are (DynamoDB validates both the same way), the problem reported bare.
 */
export function lowerCondition(e: Expression, params: Parameters): Condition {
  const checks = new OperandChecks();
  const condition = conditionOf(e, params, checks);
  const problem = checks.firstProblem;
  if (problem) throw validation(problem);
  return condition;
}

function conditionOf(e: Expression, params: Parameters, checks: OperandChecks): Condition {
  switch (e.kind) {
    case 'binary': {
      if (e.op === 'AND' || e.op === 'OR') {
        return {
          kind: e.op === 'AND' ? 'and' : 'or',
          left: conditionOf(e.left, params, checks),
          right: conditionOf(e.right, params, checks),
        };
      }
      if (COMPARATORS.has(e.op)) {
        // `attribute_exists(x) = true` and friends compare a truth value.
        const fnSide =
          e.left.kind === 'call' && e.left.name !== 'size'
            ? e.left
            : e.right.kind === 'call' && e.right.name !== 'size'
              ? e.right
              : undefined;
        const other = fnSide === e.left ? e.right : e.left;
        if (fnSide && other.kind === 'boolean' && (e.op === '=' || e.op === '<>')) {
          const c = functionCondition(fnSide, params, checks);
          return other.value === (e.op === '=') ? c : { kind: 'not', operand: c };
        }
        const left = lowerOperand(e.left, params);
        const right = lowerOperand(e.right, params);
        checks.compare(e.op, left, right);
        return { kind: 'compare', op: e.op as Comparator, left, right };
      }
      throw validation(
        `Statement wasn't well formed, can't be processed: Unexpected operator ${e.op} in a condition`,
      );
    }
    case 'not':
      return { kind: 'not', operand: conditionOf(e.operand, params, checks) };
    case 'between': {
      const c: Condition = {
        kind: 'between',
        operand: lowerOperand(e.value, params),
        low: lowerOperand(e.low, params),
        high: lowerOperand(e.high, params),
      };
      checks.between(c.operand, c.low, c.high);
      return e.not ? { kind: 'not', operand: c } : c;
    }
    case 'in': {
      const list =
        e.list.kind === 'list'
          ? e.list.elements.map((x) => lowerOperand(x, params))
          : inListValues(e.list, params).map((value) => ({ kind: 'value' as const, value }));
      const c: Condition = { kind: 'in', operand: lowerOperand(e.value, params), list };
      return e.not ? { kind: 'not', operand: c } : c;
    }
    case 'is': {
      const test = IS_TYPES[e.type.name.toUpperCase()];
      if (!test) throw validation(`Unsupported operation: IsType ${e.type.name}`);
      return { kind: 'is', operand: lowerOperand(e.value, params), test, negated: e.not };
    }
    case 'call':
      return functionCondition(e, params, checks);
    default:
      // The grammar's validator refuses values where a condition belongs; this is its backstop.
      throw validation('WHERE clause must contain an expression that resolves to a boolean');
  }
}

/** The top-level AND-ed parts of a WHERE clause. */
export function conjuncts(e: Expression | null, into: Expression[] = []): Expression[] {
  if (!e) return into;
  if (e.kind === 'binary' && e.op === 'AND') {
    conjuncts(e.left, into);
    conjuncts(e.right, into);
  } else into.push(e);
  return into;
}

export function andAll(conditions: Condition[]): Condition | undefined {
  if (conditions.length === 0) return undefined;
  return conditions.reduce((left, right) => ({ kind: 'and', left, right }));
}

/** The attribute a simple path names (no nesting), or undefined. */
export function topLevelName(e: Expression): string | undefined {
  return e.kind === 'path' && e.steps.length === 0 ? e.root.name : undefined;
}
