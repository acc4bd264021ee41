// Checks DynamoDB makes on a well-formed expression before it looks at ExpressionAttributeNames or
// ExpressionAttributeValues: operator count, function names and arity, where each function may be
// used, reserved words and path depth. When several problems exist, DynamoDB reports one by
// category, so the first problem of each category is kept and the most important category wins.
import type {
  CallNode,
  ConditionNode,
  OperandNode,
  PathNode,
  SetValueNode,
  Span,
  UpdateNode,
} from './ast.js';
import { ExpressionError, type ExpressionKind } from './errors.js';
import { isReservedWord } from './reserved-words.js';

export const MAX_PATH_DEPTH = 32;
/** IN takes at most 100 operands, the left-hand one included. */
export const MAX_IN_OPERANDS = 100;
/**
 * Operators and functions one expression may hold. DynamoDB counts comparisons, BETWEEN, IN,
 * arithmetic and function calls; AND, OR and NOT are not counted.
 */
export const MAX_OPERATORS = 300;

type Category =
  'operators' | 'function' | 'misuse' | 'reserved' | 'section' | 'count' | 'documentPath' | 'depth';

const CONDITION_ORDER: readonly Category[] = [
  'operators',
  'function',
  'misuse',
  'reserved',
  'count',
  'documentPath',
  'depth',
];
const UPDATE_ORDER: readonly Category[] = [
  'operators',
  'reserved',
  'function',
  'section',
  'misuse',
  'count',
  'documentPath',
  'depth',
];
const PROJECTION_ORDER: readonly Category[] = ['reserved', 'depth'];

/** Functions that are conditions in themselves, with their number of operands. */
const BOOLEAN_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['attribute_exists', 1],
  ['attribute_not_exists', 1],
  ['attribute_type', 2],
  ['begins_with', 2],
  ['contains', 2],
]);
const UPDATE_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['if_not_exists', 2],
  ['list_append', 2],
]);
/** Functions whose first operand must be a document path. */
const PATH_FUNCTIONS: ReadonlySet<string> = new Set([
  'attribute_exists',
  'attribute_not_exists',
  'if_not_exists',
]);

class Findings {
  private readonly first = new Map<Category, ExpressionError>();
  private operators = 0;

  constructor(private readonly kind: ExpressionKind) {}

  operator(span: Span): void {
    this.operators++;
    if (this.operators === MAX_OPERATORS + 1) {
      this.first.set(
        'operators',
        new ExpressionError(
          this.kind,
          `The expression contains too many operators; operator count: ${this.operators}`,
          span,
        ),
      );
    }
  }

  add(category: Category, detail: string, span: Span): void {
    if (!this.first.has(category)) this.first.set(category, new ExpressionError(this.kind, detail, span));
  }

  throwFirst(order: readonly Category[]): void {
    for (const category of order) {
      const error = this.first.get(category);
      if (error) throw error;
    }
  }

  path(path: PathNode): void {
    for (const segment of path.segments) {
      if (segment.kind === 'name' && isReservedWord(segment.name)) {
        this.add(
          'reserved',
          `Attribute name is a reserved keyword; reserved keyword: ${segment.name}`,
          segment.span,
        );
      }
    }
    if (path.segments.length > MAX_PATH_DEPTH) {
      this.add(
        'depth',
        `The document path has too many nesting levels; nesting levels: ${path.segments.length}`,
        path.span,
      );
    }
  }

  arity(call: CallNode, expected: number): void {
    if (call.args.length !== expected) {
      this.add(
        'count',
        `Incorrect number of operands for operator or function; operator or function: ${call.name}, number of operands: ${call.args.length}`,
        call.span,
      );
    }
    if (PATH_FUNCTIONS.has(call.name) && call.args[0] && call.args[0].kind !== 'path') {
      this.add(
        'documentPath',
        `Operator or function requires a document path; operator or function: ${call.name}`,
        call.span,
      );
    }
  }

  misuse(call: CallNode): void {
    this.add(
      'misuse',
      `The function is not allowed to be used this way in an expression; function: ${call.name}`,
      call.nameSpan,
    );
  }
}

// ---- conditions ----

export function checkCondition(kind: ExpressionKind, condition: ConditionNode): void {
  const findings = new Findings(kind);
  visitCondition(findings, condition);
  findings.throwFirst(CONDITION_ORDER);
}

function visitCondition(f: Findings, node: ConditionNode): void {
  if (node.kind === 'compare' || node.kind === 'between' || node.kind === 'in') f.operator(node.span);
  switch (node.kind) {
    case 'compare':
      visitConditionOperand(f, node.left);
      visitConditionOperand(f, node.right);
      return;
    case 'between':
      for (const operand of [node.operand, node.low, node.high]) visitConditionOperand(f, operand);
      return;
    case 'in': {
      visitConditionOperand(f, node.operand);
      for (const operand of node.list) visitConditionOperand(f, operand);
      const count = node.list.length + 1;
      if (count > MAX_IN_OPERANDS) {
        f.add(
          'count',
          `Incorrect number of operands for operator or function; operator or function: IN, number of operands: ${count}`,
          node.span,
        );
      }
      return;
    }
    case 'and':
    case 'or':
      visitCondition(f, node.left);
      visitCondition(f, node.right);
      return;
    case 'not':
      visitCondition(f, node.operand);
      return;
    case 'function':
      visitConditionCall(f, node.call, true);
      return;
  }
}

function visitConditionOperand(f: Findings, operand: OperandNode): void {
  if (operand.kind === 'path') f.path(operand);
  else if (operand.kind === 'call') visitConditionCall(f, operand, false);
}

function visitConditionCall(f: Findings, call: CallNode, asCondition: boolean): void {
  f.operator(call.span);
  const booleanArity = BOOLEAN_FUNCTIONS.get(call.name);
  if (booleanArity !== undefined) {
    if (!asCondition) f.misuse(call);
    f.arity(call, booleanArity);
  } else if (call.name === 'size') {
    if (asCondition) f.misuse(call);
    f.arity(call, 1);
  } else if (UPDATE_FUNCTIONS.has(call.name)) {
    f.add(
      'function',
      `The function is not allowed in a condition expression; function: ${call.name}`,
      call.nameSpan,
    );
  } else {
    f.add('function', `Invalid function name; function: ${call.name}`, call.nameSpan);
  }
  for (const arg of call.args) visitConditionOperand(f, arg);
}

// ---- updates ----

type UpdateContext = 'value' | 'arithmetic' | 'listAppend' | 'argument';

export function checkUpdate(update: UpdateNode): void {
  const f = new Findings('UpdateExpression');
  const seen = new Set<string>();
  for (const clause of update.clauses) {
    if (seen.has(clause.kind)) {
      f.add(
        'section',
        `The "${clause.kind}" section can only be used once in an update expression;`,
        clause.keywordSpan,
      );
    }
    seen.add(clause.kind);
    if (clause.kind === 'SET') {
      for (const action of clause.actions) {
        f.path(action.path);
        visitSetValue(f, action.value);
      }
    } else if (clause.kind === 'REMOVE') {
      for (const path of clause.paths) f.path(path);
    } else {
      for (const action of clause.actions) f.path(action.path);
    }
  }
  f.throwFirst(UPDATE_ORDER);
}

function visitSetValue(f: Findings, value: SetValueNode): void {
  if (value.kind === 'arithmetic') {
    f.operator(value.span);
    visitUpdateOperand(f, value.left, 'arithmetic');
    visitUpdateOperand(f, value.right, 'arithmetic');
  } else {
    visitUpdateOperand(f, value, 'value');
  }
}

function visitUpdateOperand(f: Findings, operand: OperandNode, context: UpdateContext): void {
  if (operand.kind === 'path') f.path(operand);
  else if (operand.kind === 'call') visitUpdateCall(f, operand, context);
}

function visitUpdateCall(f: Findings, call: CallNode, context: UpdateContext): void {
  f.operator(call.span);
  const arity = UPDATE_FUNCTIONS.get(call.name);
  if (arity === undefined) {
    const known = BOOLEAN_FUNCTIONS.has(call.name) || call.name === 'size';
    f.add(
      'function',
      known
        ? `The function is not allowed in an update expression; function: ${call.name}`
        : `Invalid function name; function: ${call.name}`,
      call.nameSpan,
    );
  } else {
    // list_append yields a list: it cannot be a term of + or -, nor feed another list_append.
    if (call.name === 'list_append' && (context === 'arithmetic' || context === 'listAppend')) f.misuse(call);
    f.arity(call, arity);
  }
  const argContext: UpdateContext = call.name === 'list_append' ? 'listAppend' : 'argument';
  for (const arg of call.args) visitUpdateOperand(f, arg, argContext);
}

// ---- projections ----

export function checkProjection(paths: readonly PathNode[]): void {
  const f = new Findings('ProjectionExpression');
  for (const path of paths) f.path(path);
  f.throwFirst(PROJECTION_ORDER);
}
