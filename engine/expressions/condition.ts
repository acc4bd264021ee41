// ConditionExpression and FilterExpression: parse, resolve placeholders, apply DynamoDB's checks on
// operands (distinct operands, operand types of constants, BETWEEN bounds) and lower to the IR.
import {
  parseConditionExpression,
  type CallNode,
  type ConditionKind,
  type ConditionNode,
  type OperandNode,
} from '../../grammar/expression/index.js';
import { validation } from '../errors.js';
import type { AttributeType } from '../types.js';
import { typeOf } from '../values/attribute.js';
import type { ExpressionAttributes } from './attributes.js';
import { compareValues, describeValue, ORDERED_TYPES, sizeOf } from './compare.js';
import type { Condition, Operand, Path } from './ir.js';
import { formatPath } from './paths.js';
import { parseText, resolvePath, resolveReferences, samePath } from './resolve.js';

export const ATTRIBUTE_TYPES: readonly AttributeType[] = [
  'S',
  'SS',
  'N',
  'NS',
  'B',
  'BS',
  'BOOL',
  'NULL',
  'L',
  'M',
];
/** What DynamoDB lists when attribute_type's second operand is not a value at all. */
const ANY_TYPE =
  '{S,SS,N,NS,B,BS,BOOL,NULL,L,M,HD,DOUBLE,FLOAT,HDS,FS,DOUBLESET,DICT,DECIMAL,INT,DECIMALSET,INTSET}';

export function parseCondition(
  text: string,
  attrs: ExpressionAttributes,
  kind: 'ConditionExpression' | 'FilterExpression',
): Condition {
  const ast = parseText(text, kind, () => parseConditionExpression(text, kind));
  return lowerCondition(ast, attrs, kind);
}

/** Resolves and checks a parsed condition, then lowers it to the IR. */
export function lowerCondition(
  ast: ConditionNode,
  attrs: ExpressionAttributes,
  kind: ConditionKind,
): Condition {
  resolveReferences(ast, attrs, kind);
  const lowering = new Lowering(attrs, kind);
  const condition = lowering.condition(ast);
  lowering.throwFirstProblem();
  return condition;
}

/** An operand's type when known before evaluation: constants and size(). */
function staticType(operand: Operand): AttributeType | undefined {
  if (operand.kind === 'value') return typeOf(operand.value);
  if (operand.kind === 'size') return 'N';
  return undefined;
}

/**
 * DynamoDB's static checks of a condition's operands (constants and size() have types known before
 * evaluation), shared by the expression language and PartiQL, which DynamoDB checks with the same
 * validator. The first problem of each kind is kept; operands that are not distinct win.
 */
export class OperandChecks {
  private distinct: string | undefined;
  private operandType: string | undefined;

  /** The problem to report, if any (without the `Invalid ConditionExpression: ` an API adds). */
  get firstProblem(): string | undefined {
    return this.distinct ?? this.operandType;
  }

  compare(op: string, left: Operand, right: Operand): void {
    this.checkDistinct(op, left, right);
    if (op !== '=' && op !== '<>') {
      this.checkOrdered(op, left);
      this.checkOrdered(op, right);
    }
  }

  between(operand: Operand, low: Operand, high: Operand): void {
    for (const o of [operand, low, high]) this.checkOrdered('BETWEEN', o);
    this.checkBounds(low, high);
  }

  beginsWith(first: Operand, second: Operand): void {
    this.checkDistinct('begins_with', first, second);
    for (const o of [first, second]) {
      const type = staticType(o);
      if (type !== undefined && type !== 'S' && type !== 'B') this.noteOperandType('begins_with', type);
    }
  }

  contains(first: Operand, second: Operand): void {
    this.checkDistinct('contains', first, second);
  }

  /** attribute_type(target, type): the type name when it is a known constant. */
  attributeType(target: Operand, type: Operand): string | undefined {
    this.checkDistinct('attribute_type', target, type);
    if (type.kind === 'path') this.noteOperandType('attribute_type', ANY_TYPE);
    const known = staticType(type);
    if (known !== undefined && known !== 'S') this.noteOperandType('attribute_type', known);
    const name = type.kind === 'value' && 'S' in type.value ? type.value.S : undefined;
    if (name !== undefined && !(ATTRIBUTE_TYPES as readonly string[]).includes(name)) {
      this.operandType ??= `Invalid attribute type name found; type: ${name}, valid types: {${ATTRIBUTE_TYPES.join(',')}}`;
    }
    return name;
  }

  /** size() of a constant: its size, or (a type without one) a problem and 0. */
  sizeOfValue(arg: Operand): Operand {
    const type = staticType(arg);
    const size = arg.kind === 'value' ? sizeOf(arg.value) : undefined;
    if (size === undefined) {
      if (type !== undefined) this.noteOperandType('size', type);
      return { kind: 'value', value: { N: '0' } };
    }
    return { kind: 'value', value: { N: String(size) } };
  }

  private checkDistinct(operator: string, a: Operand | undefined, b: Operand | undefined): void {
    if (a?.kind === 'path' && b?.kind === 'path' && samePath(a.path, b.path)) {
      this.distinct ??=
        'The first operand must be distinct from the remaining operands for this operator or function; ' +
        `operator: ${operator}, first operand: ${formatPath(a.path)}`;
    }
  }

  private checkOrdered(operator: string, operand: Operand): void {
    const type = staticType(operand);
    if (type !== undefined && !ORDERED_TYPES.has(type)) this.noteOperandType(operator, type);
  }

  private checkBounds(low: Operand, high: Operand): void {
    if (low.kind !== 'value' || high.kind !== 'value') return;
    const bounds = `lower bound operand: AttributeValue: ${describeValue(low.value)}, upper bound operand: AttributeValue: ${describeValue(high.value)}`;
    if (typeOf(low.value) !== typeOf(high.value)) {
      this.operandType ??= `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`;
    } else if ((compareValues(low.value, high.value) ?? 0) > 0) {
      this.operandType ??= `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`;
    }
  }

  private noteOperandType(operator: string, type: string): void {
    this.operandType ??= `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`;
  }
}

/** The IR of an attribute_type test whose type name is `name`. */
export function attributeTypeCondition(target: Operand, type: Operand, name: string | undefined): Condition {
  // The IR tests a path; a constant or size() first operand has a type known now or by existence.
  if (target.kind === 'path') return { kind: 'attribute_type', path: target.path, type };
  if (target.kind === 'value') return { kind: 'literal', value: typeOf(target.value) === name };
  if (name === 'N') return { kind: 'compare', op: '=', left: target, right: target };
  return { kind: 'literal', value: false };
}

class Lowering {
  private readonly checks = new OperandChecks();

  constructor(
    private readonly attrs: ExpressionAttributes,
    private readonly kind: ConditionKind,
  ) {}

  throwFirstProblem(): void {
    const detail = this.checks.firstProblem;
    if (detail) throw validation(`Invalid ${this.kind}: ${detail}`);
  }

  condition(node: ConditionNode): Condition {
    switch (node.kind) {
      case 'and':
      case 'or':
        return { kind: node.kind, left: this.condition(node.left), right: this.condition(node.right) };
      case 'not':
        return { kind: 'not', operand: this.condition(node.operand) };
      case 'compare': {
        const left = this.operand(node.left);
        const right = this.operand(node.right);
        this.checks.compare(node.op, left, right);
        return { kind: 'compare', op: node.op, left, right };
      }
      case 'between': {
        const operand = this.operand(node.operand);
        const low = this.operand(node.low);
        const high = this.operand(node.high);
        this.checks.between(operand, low, high);
        return { kind: 'between', operand, low, high };
      }
      case 'in':
        return {
          kind: 'in',
          operand: this.operand(node.operand),
          list: node.list.map((o) => this.operand(o)),
        };
      case 'function':
        return this.function(node.call);
    }
  }

  private function(call: CallNode): Condition {
    const args = call.args.map((a) => this.operand(a));
    const [first, second] = args as [Operand, Operand];
    switch (call.name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        return { kind: call.name, path: (first as { path: Path }).path };
      case 'attribute_type':
        return attributeTypeCondition(first, second, this.checks.attributeType(first, second));
      case 'begins_with':
        this.checks.beginsWith(first, second);
        return { kind: 'begins_with', operand: first, prefix: second };
      default:
        this.checks.contains(first, second);
        return { kind: 'contains', operand: first, value: second };
    }
  }

  private operand(node: OperandNode): Operand {
    if (node.kind === 'path') return { kind: 'path', path: resolvePath(node, this.attrs, this.kind) };
    if (node.kind === 'valueRef') return { kind: 'value', value: this.attrs.value(node.ref, this.kind) };
    // The grammar admits only size() as a function operand in a condition.
    const arg = this.operand(node.args[0]!);
    if (arg.kind === 'path') return { kind: 'size', path: arg.path };
    return this.checks.sizeOfValue(arg);
  }
}
