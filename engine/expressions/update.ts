// UpdateExpression: parse, resolve placeholders, apply DynamoDB's checks (overlapping or conflicting
// paths, operand types of constants) and lower to the IR's UpdateActions.
import {
  parseUpdateExpression,
  type OperandNode,
  type SetValueNode,
  type UpdateNode,
} from '../../grammar/expression/index.js';
import { validation } from '../errors.js';
import type { AttributeType } from '../types.js';
import { checkAttributeNameSize, typeOf } from '../values/attribute.js';
import type { ExpressionAttributes } from './attributes.js';
import type { Operand, Path, UpdateActions } from './ir.js';
import { assertDistinctPaths } from './paths.js';
import { parseText, resolvePath, resolveReferences } from './resolve.js';

const KIND = 'UpdateExpression';

/** Type names in ADD/DELETE operand errors. */
const TYPE_WORDS: Readonly<Record<AttributeType, string>> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  L: 'LIST',
  M: 'MAP',
  SS: 'STRING_SET',
  NS: 'NUMBER_SET',
  BS: 'BINARY_SET',
};
const SET_TYPES: ReadonlySet<AttributeType> = new Set(['SS', 'NS', 'BS']);

export function parseUpdate(text: string, attrs: ExpressionAttributes): UpdateActions {
  const ast = parseText(text, KIND, () => parseUpdateExpression(text));
  resolveReferences(ast, attrs, KIND);
  return new UpdateLowering(attrs).lower(ast);
}

class UpdateLowering {
  private actionOperand: string | undefined;
  private functionOperand: string | undefined;

  constructor(private readonly attrs: ExpressionAttributes) {}

  lower(ast: UpdateNode): UpdateActions {
    const set: { path: Path; value: Operand }[] = [];
    const remove: Path[] = [];
    const add: { path: Path; value: Operand }[] = [];
    const del: { path: Path; value: Operand }[] = [];
    const targets: Path[] = [];
    for (const clause of ast.clauses) {
      if (clause.kind === 'SET') {
        for (const action of clause.actions) {
          const path = this.path(action.path);
          checkPathNames(path);
          targets.push(path);
          set.push({ path, value: this.setValue(action.value) });
        }
      } else if (clause.kind === 'REMOVE') {
        for (const node of clause.paths) {
          const path = this.path(node);
          targets.push(path);
          remove.push(path);
        }
      } else {
        for (const action of clause.actions) {
          const path = this.path(action.path);
          checkPathNames(path);
          targets.push(path);
          const value = this.attrs.value(action.value.ref, KIND);
          const type = typeOf(value);
          const allowed = SET_TYPES.has(type) || (clause.kind === 'ADD' && type === 'N');
          if (!allowed) {
            // DynamoDB names the ADD type set for DELETE too.
            this.actionOperand ??=
              `Incorrect operand type for operator or function; operator: ${clause.kind}, ` +
              `operand type: ${TYPE_WORDS[type]}, typeSet: ALLOWED_FOR_ADD_OPERAND`;
          }
          (clause.kind === 'ADD' ? add : del).push({ path, value: { kind: 'value', value } });
        }
      }
    }
    assertDistinctPaths(targets, KIND);
    const detail = this.actionOperand ?? this.functionOperand;
    if (detail) throw validation(`Invalid ${KIND}: ${detail}`);
    return { set, remove, add, delete: del };
  }

  private path(node: Parameters<typeof resolvePath>[0]): Path {
    return resolvePath(node, this.attrs, KIND);
  }

  private setValue(node: SetValueNode): Operand {
    if (node.kind !== 'arithmetic') return this.operand(node);
    const left = this.operand(node.left);
    const right = this.operand(node.right);
    for (const o of [left, right]) this.expectType(node.op, o, 'N');
    return { kind: 'arithmetic', op: node.op, left, right };
  }

  private operand(node: OperandNode): Operand {
    if (node.kind === 'path') return { kind: 'path', path: this.path(node) };
    if (node.kind === 'valueRef') return { kind: 'value', value: this.attrs.value(node.ref, KIND) };
    // The grammar admits only if_not_exists and list_append here, with two operands each.
    const [first, second] = node.args.map((a) => this.operand(a)) as [Operand, Operand];
    if (node.name === 'if_not_exists')
      return { kind: 'if_not_exists', path: (first as { path: Path }).path, fallback: second };
    for (const o of [first, second]) this.expectType('list_append', o, 'L');
    return { kind: 'list_append', left: first, right: second };
  }

  /** Checks an operand whose type is known before evaluation: a constant, or if_not_exists' fallback. */
  private expectType(operator: string, operand: Operand, expected: AttributeType): void {
    const type = staticType(operand);
    if (type !== undefined && type !== expected) {
      this.functionOperand ??= `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`;
    }
  }
}

function staticType(operand: Operand): AttributeType | undefined {
  if (operand.kind === 'value') return typeOf(operand.value);
  if (operand.kind === 'if_not_exists') return staticType(operand.fallback);
  if (operand.kind === 'list_append') return 'L';
  if (operand.kind === 'arithmetic') return 'N';
  return undefined;
}

/** Names an update writes obey the item's attribute-name limit. */
function checkPathNames(path: Path): void {
  for (const step of path) if (typeof step === 'string') checkAttributeNameSize(step);
}
