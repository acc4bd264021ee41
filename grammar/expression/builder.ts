// Turns the parser's CST into the AST. The parser accepts parentheses around anything, so this is
// where a parenthesised group is checked to be an operand or a condition as its place requires
// (a misplaced one is a syntax error at the token where DynamoDB's parser stops) and where doubled
// parentheses are refused.
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type {
  CallNode,
  Comparator,
  ConditionNode,
  OperandNode,
  PathNode,
  PathSegment,
  SetActionNode,
  SetValueNode,
  Span,
  UpdateClauseNode,
  UpdateNode,
  ValueActionNode,
  ValueRefNode,
} from './ast.js';
import { ExpressionError, syntaxError, type ExpressionKind } from './errors.js';

/** A parsed primary before its role is known: a condition, or an operand. */
type Term =
  | { readonly kind: 'condition'; readonly node: ConditionNode; readonly parens: number }
  | { readonly kind: 'operand'; readonly node: OperandNode; readonly parens: number };

function isToken(element: CstElement): element is IToken {
  return 'image' in element;
}

function nodes(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

function node1(node: CstNode, key: string): CstNode {
  const found = nodes(node, key)[0];
  if (!found) throw new Error(`CST node ${node.name} has no ${key}`);
  return found;
}

function tokens(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter(isToken);
}

function token1(node: CstNode, key: string): IToken {
  const found = tokens(node, key)[0];
  if (!found) throw new Error(`CST node ${node.name} has no ${key}`);
  return found;
}

function tokenSpan(token: IToken): Span {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}

function spanOf(node: CstNode): Span {
  let start = Infinity;
  let end = -Infinity;
  const visit = (n: CstNode): void => {
    for (const key in n.children) {
      for (const e of n.children[key] ?? []) {
        if (isToken(e)) {
          start = Math.min(start, e.startOffset);
          end = Math.max(end, e.startOffset + e.image.length);
        } else {
          visit(e);
        }
      }
    }
  };
  visit(node);
  return { start, end };
}

function join(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

export class AstBuilder {
  private readonly tokenIndex = new Map<number, number>();
  private redundantParens: ExpressionError | undefined;

  constructor(
    private readonly kind: ExpressionKind,
    private readonly text: string,
    private readonly tokenList: readonly IToken[],
  ) {
    tokenList.forEach((t, i) => this.tokenIndex.set(t.startOffset, i));
  }

  /** The redundant-parentheses error found while building, reported after any syntax error. */
  get deferredError(): ExpressionError | undefined {
    return this.redundantParens;
  }

  // ---- conditions ----

  condition(root: CstNode): ConditionNode {
    return this.asCondition(this.orCondition(node1(root, 'orCondition')));
  }

  private orCondition(node: CstNode): Term {
    return this.binary(node, 'or', (n) => this.andCondition(n));
  }

  private andCondition(node: CstNode): Term {
    return this.binary(node, 'and', (n) => this.notCondition(n));
  }

  private binary(node: CstNode, kind: 'and' | 'or', operand: (n: CstNode) => Term): Term {
    const terms = nodes(node, 'operands').map(operand);
    if (terms.length === 1) return terms[0]!;
    let result = this.asCondition(terms[0]!);
    for (const term of terms.slice(1)) {
      const right = this.asCondition(term);
      result = { kind, left: result, right, span: join(result.span, right.span) };
    }
    return { kind: 'condition', node: result, parens: 0 };
  }

  private notCondition(node: CstNode): Term {
    const inner = nodes(node, 'notCondition')[0];
    if (!inner) return this.predicate(node1(node, 'predicate'));
    const operand = this.asCondition(this.notCondition(inner));
    const notToken = token1(node, 'NotKeyword');
    return {
      kind: 'condition',
      node: { kind: 'not', operand, span: join(tokenSpan(notToken), operand.span) },
      parens: 0,
    };
  }

  private predicate(node: CstNode): Term {
    const head = this.primary(node1(node, 'primary'));
    const tailToken =
      tokens(node, 'Comparator')[0] ?? tokens(node, 'BetweenKeyword')[0] ?? tokens(node, 'InKeyword')[0];
    if (!tailToken) return head;
    if (head.kind !== 'operand') throw this.syntaxErrorAt(tailToken);
    const left = head.node;
    const span = spanOf(node);
    const comparator = tokens(node, 'Comparator')[0];
    if (comparator) {
      return {
        kind: 'condition',
        node: {
          kind: 'compare',
          op: comparator.image as Comparator,
          left,
          right: this.operandTerm(node1(node, 'right')),
          span,
        },
        parens: 0,
      };
    }
    if (tokens(node, 'BetweenKeyword')[0]) {
      const low = this.operandTerm(node1(node, 'low'));
      const high = this.operandTerm(node1(node, 'high'));
      return { kind: 'condition', node: { kind: 'between', operand: left, low, high, span }, parens: 0 };
    }
    const list = nodes(node, 'list').map((n) => this.operandTerm(n));
    return { kind: 'condition', node: { kind: 'in', operand: left, list, span }, parens: 0 };
  }

  private primary(node: CstNode): Term {
    const group = nodes(node, 'orCondition')[0];
    if (!group) return { kind: 'operand', node: this.operand(node1(node, 'operand')), parens: 0 };
    const inner = this.orCondition(group);
    if (inner.parens > 0) this.noteRedundantParens();
    return { ...inner, parens: inner.parens + 1 };
  }

  private operandTerm(node: CstNode): OperandNode {
    const inner = nodes(node, 'operandTerm')[0];
    if (!inner) return this.operand(node1(node, 'operand'));
    if (nodes(inner, 'operandTerm')[0]) this.noteRedundantParens();
    return this.operandTerm(inner);
  }

  private asCondition(term: Term): ConditionNode {
    if (term.kind === 'condition') return term.node;
    const operand = term.node;
    if (operand.kind === 'call') return { kind: 'function', call: operand, span: operand.span };
    // A bare path or value is not a condition: DynamoDB's parser stops at the token after it.
    throw this.syntaxErrorAfter(operand.span);
  }

  private noteRedundantParens(): void {
    this.redundantParens ??= new ExpressionError(this.kind, 'The expression has redundant parentheses;');
  }

  // ---- operands ----

  private operand(node: CstNode): OperandNode {
    const call = nodes(node, 'functionCall')[0];
    if (call) return this.functionCall(call);
    const value = tokens(node, 'ValueRef')[0];
    if (value) return this.valueRef(value);
    return this.path(node1(node, 'path'));
  }

  private functionCall(node: CstNode): CallNode {
    const name = token1(node, 'Identifier');
    return {
      kind: 'call',
      name: name.image,
      args: nodes(node, 'args').map((n) => this.operandTerm(n)),
      span: spanOf(node),
      nameSpan: tokenSpan(name),
    };
  }

  private valueRef(token: IToken): ValueRefNode {
    return { kind: 'valueRef', ref: token.image, span: tokenSpan(token) };
  }

  path(node: CstNode): PathNode {
    const head = token1(node, 'head');
    // MANY over an OR keeps members and indexes in separate lists: restore source order.
    const rest = [...tokens(node, 'member'), ...tokens(node, 'index')].sort(
      (a, b) => a.startOffset - b.startOffset,
    );
    const segments: PathSegment[] = [this.nameSegment(head)];
    for (const t of rest) {
      if (t.tokenType.name === 'NumberLiteral')
        segments.push({ kind: 'index', index: Number(t.image), span: tokenSpan(t) });
      else segments.push(this.nameSegment(t));
    }
    return { kind: 'path', segments, span: spanOf(node) };
  }

  private nameSegment(token: IToken): PathSegment {
    return token.image.startsWith('#')
      ? { kind: 'nameRef', ref: token.image, span: tokenSpan(token) }
      : { kind: 'name', name: token.image, span: tokenSpan(token) };
  }

  // ---- projections ----

  projection(root: CstNode): PathNode[] {
    return nodes(root, 'paths').map((n) => this.path(n));
  }

  // ---- updates ----

  update(root: CstNode): UpdateNode {
    const clauses = nodes(root, 'clauses').map((n) => this.clause(n));
    return { clauses, span: spanOf(root) };
  }

  private clause(node: CstNode): UpdateClauseNode {
    const keyword = token1(node, 'keyword');
    const keywordSpan = tokenSpan(keyword);
    const span = spanOf(node);
    switch (node.name) {
      case 'setClause':
        return {
          kind: 'SET',
          actions: nodes(node, 'actions').map((n) => this.setAction(n)),
          span,
          keywordSpan,
        };
      case 'removeClause':
        return { kind: 'REMOVE', paths: nodes(node, 'paths').map((n) => this.path(n)), span, keywordSpan };
      default:
        return {
          kind: node.name === 'addClause' ? 'ADD' : 'DELETE',
          actions: nodes(node, 'actions').map((n) => this.valueAction(n)),
          span,
          keywordSpan,
        };
    }
  }

  private setAction(node: CstNode): SetActionNode {
    return {
      path: this.path(node1(node, 'path')),
      value: this.setValue(node1(node, 'setValue')),
      span: spanOf(node),
    };
  }

  /** `a`, `a + b` or `a - b`; a parenthesised sum can stand alone but cannot be a term of another. */
  private setValue(node: CstNode): SetValueNode {
    const terms = nodes(node, 'terms').map((n) => this.setTerm(n));
    const operator = tokens(node, 'ArithmeticOperator')[0];
    if (!operator) return terms[0]!.value;
    const [left, right] = terms as [SetTerm, SetTerm];
    if (left.value.kind === 'arithmetic') throw this.syntaxErrorAt(operator);
    if (right.value.kind === 'arithmetic') throw this.syntaxErrorAt(right.operator!);
    return {
      kind: 'arithmetic',
      op: operator.image as '+' | '-',
      left: left.value,
      right: right.value,
      span: spanOf(node),
    };
  }

  private setTerm(node: CstNode): SetTerm {
    const inner = nodes(node, 'setValue')[0];
    if (!inner) return { value: this.operand(node1(node, 'operand')) };
    return { value: this.setValue(inner), operator: tokens(inner, 'ArithmeticOperator')[0] };
  }

  private valueAction(node: CstNode): ValueActionNode {
    return {
      path: this.path(node1(node, 'path')),
      value: this.valueRef(token1(node, 'ValueRef')),
      span: spanOf(node),
    };
  }

  // ---- errors ----

  private syntaxErrorAt(token: IToken): ExpressionError {
    return syntaxError(
      this.kind,
      this.text,
      this.tokenList,
      this.tokenIndex.get(token.startOffset) ?? this.tokenList.length,
    );
  }

  private syntaxErrorAfter(span: Span): ExpressionError {
    const index = this.tokenList.findIndex((t) => t.startOffset >= span.end);
    return syntaxError(this.kind, this.text, this.tokenList, index < 0 ? this.tokenList.length : index);
  }
}

interface SetTerm {
  readonly value: SetValueNode;
  /** The operator of a parenthesised sum, where a nested sum is refused. */
  readonly operator?: IToken | undefined;
}
