// The syntax tree of a DynamoDB expression. It keeps placeholders (`#name`, `:value`) as written and
// carries source offsets (`span`: start inclusive, end exclusive) for editors and error markers;
// resolving placeholders against a request's ExpressionAttributeNames/Values is the engine's job.

export interface Span {
  readonly start: number;
  readonly end: number;
}

export type PathSegment =
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  | { readonly kind: 'nameRef'; readonly ref: string; readonly span: Span }
  | { readonly kind: 'index'; readonly index: number; readonly span: Span };

export interface PathNode {
  readonly kind: 'path';
  readonly segments: readonly PathSegment[];
  readonly span: Span;
}

export interface ValueRefNode {
  readonly kind: 'valueRef';
  /** The placeholder as written, with its colon: `:v`. */
  readonly ref: string;
  readonly span: Span;
}

export interface CallNode {
  readonly kind: 'call';
  /** Function names are case-sensitive and kept as written. */
  readonly name: string;
  readonly args: readonly OperandNode[];
  readonly span: Span;
  readonly nameSpan: Span;
}

export type OperandNode = PathNode | ValueRefNode | CallNode;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type ConditionNode =
  | {
      readonly kind: 'compare';
      readonly op: Comparator;
      readonly left: OperandNode;
      readonly right: OperandNode;
      readonly span: Span;
    }
  | {
      readonly kind: 'between';
      readonly operand: OperandNode;
      readonly low: OperandNode;
      readonly high: OperandNode;
      readonly span: Span;
    }
  | {
      readonly kind: 'in';
      readonly operand: OperandNode;
      readonly list: readonly OperandNode[];
      readonly span: Span;
    }
  | {
      readonly kind: 'and' | 'or';
      readonly left: ConditionNode;
      readonly right: ConditionNode;
      readonly span: Span;
    }
  | { readonly kind: 'not'; readonly operand: ConditionNode; readonly span: Span }
  /** A function used as a whole condition: `attribute_exists(a)`. */
  | { readonly kind: 'function'; readonly call: CallNode; readonly span: Span };

export interface ArithmeticNode {
  readonly kind: 'arithmetic';
  readonly op: '+' | '-';
  readonly left: OperandNode;
  readonly right: OperandNode;
  readonly span: Span;
}

export type SetValueNode = OperandNode | ArithmeticNode;

export interface SetActionNode {
  readonly path: PathNode;
  readonly value: SetValueNode;
  readonly span: Span;
}

/** An ADD or DELETE action: `path :value`. */
export interface ValueActionNode {
  readonly path: PathNode;
  readonly value: ValueRefNode;
  readonly span: Span;
}

export type UpdateClauseNode =
  | {
      readonly kind: 'SET';
      readonly actions: readonly SetActionNode[];
      readonly span: Span;
      readonly keywordSpan: Span;
    }
  | {
      readonly kind: 'REMOVE';
      readonly paths: readonly PathNode[];
      readonly span: Span;
      readonly keywordSpan: Span;
    }
  | {
      readonly kind: 'ADD' | 'DELETE';
      readonly actions: readonly ValueActionNode[];
      readonly span: Span;
      readonly keywordSpan: Span;
    };

export interface UpdateNode {
  readonly clauses: readonly UpdateClauseNode[];
  readonly span: Span;
}
