// KeyConditionExpression: DynamoDB parses it with the condition grammar and checks it like a
// condition, then restricts it to an AND of simple conditions, each on one top-level attribute
// against constants. Matching the terms to the key schema is the Query operation's job, including
// how many there may be (two for a classic key, more for a multi-attribute GSI key; DynamoDB's text
// for too many is KEY_TERMS_MESSAGE).
import {
  parseConditionExpression,
  type ConditionNode,
  type OperandNode,
  type PathNode,
} from '../../grammar/expression/index.js';
import { validation } from '../errors.js';
import type { AttributeValue } from '../types.js';
import type { ExpressionAttributes } from './attributes.js';
import { lowerCondition } from './condition.js';
import type { Comparator, KeyTerm } from './ir.js';
import { parseText, resolvePath } from './resolve.js';

const KIND = 'KeyConditionExpression';
export const KEY_TERMS_MESSAGE = 'Conditions can be of length 1 or 2 only';
export const ONE_CONDITION_PER_KEY =
  'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key';
const MIRRORED: Readonly<Record<Comparator, Comparator>> = {
  '=': '=',
  '<>': '<>',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};
const NOT_KEY_OPERATORS: ReadonlySet<string> = new Set([
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'contains',
]);

export function parseKeyCondition(text: string, attrs: ExpressionAttributes): KeyTerm[] {
  const ast = parseText(text, KIND, () => parseConditionExpression(text, KIND));
  // DynamoDB checks the clauses of the AND chain one by one, in written order: an operand of the
  // wrong type in one is reported before an undefined placeholder in a later one.
  for (const clause of andClauses(ast)) lowerCondition(clause, attrs, KIND);
  const terms: KeyTerm[] = [];
  collectTerms(ast, attrs, terms);
  return terms;
}

/** The clauses of an AND chain, in written order (the node itself when it is not an AND). */
function andClauses(node: ConditionNode): ConditionNode[] {
  return node.kind === 'and' ? [...andClauses(node.left), ...andClauses(node.right)] : [node];
}

function invalidOperator(operator: string): Error {
  return validation(`Invalid operator used in KeyConditionExpression: ${operator}`);
}

function invalidCondition(detail: string): Error {
  return validation(`Invalid condition in KeyConditionExpression: ${detail}`);
}

function collectTerms(node: ConditionNode, attrs: ExpressionAttributes, terms: KeyTerm[]): void {
  switch (node.kind) {
    case 'and':
      collectTerms(node.left, attrs, terms);
      collectTerms(node.right, attrs, terms);
      return;
    case 'or':
      throw invalidOperator('OR');
    case 'not':
      throw invalidOperator('NOT');
    case 'in':
      throw invalidOperator('IN');
    case 'compare':
      if (node.op === '<>') throw invalidOperator('<>');
      return addTerm(terms, attrs, node.op, [node.left, node.right]);
    case 'between':
      if (node.operand.kind !== 'path')
        throw invalidCondition('BETWEEN operator must have the key attribute as its first operand');
      return addTerm(terms, attrs, 'between', [node.operand, node.low, node.high]);
    case 'function': {
      const { name, args } = node.call;
      if (NOT_KEY_OPERATORS.has(name)) throw invalidOperator(name);
      if (args[0]?.kind !== 'path')
        throw invalidCondition(`${name} operator must have the key attribute as its first operand`);
      return addTerm(terms, attrs, 'begins_with', args);
    }
  }
}

function addTerm(
  terms: KeyTerm[],
  attrs: ExpressionAttributes,
  op: Comparator | 'between' | 'begins_with',
  args: readonly OperandNode[],
): void {
  let key: PathNode | undefined;
  let keyIndex = 0;
  const values: AttributeValue[] = [];
  args.forEach((arg, i) => {
    if (arg.kind === 'call') throw validation('KeyConditionExpressions cannot contain nested operations');
    if (arg.kind === 'valueRef') {
      values.push(attrs.value(arg.ref, KIND));
      return;
    }
    if (key) throw invalidCondition('Multiple attribute names used in one condition');
    if (arg.segments.length > 1)
      throw validation('KeyConditionExpressions cannot have conditions on nested attributes');
    key = arg;
    keyIndex = i;
  });
  if (!key) throw invalidCondition('No key attribute specified');
  const name = resolvePath(key, attrs, KIND)[0];
  if (terms.some((t) => t.name === name)) throw validation(ONE_CONDITION_PER_KEY);
  if (op === 'between') terms.push({ name, op, low: values[0]!, high: values[1]! });
  else if (op === 'begins_with') terms.push({ name, op, prefix: values[0]! });
  else terms.push({ name, op: keyIndex === 0 ? op : MIRRORED[op], value: values[0]! });
}
