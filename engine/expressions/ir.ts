// The expression IR: what DynamoDB expressions (ConditionExpression, FilterExpression,
// KeyConditionExpression, ProjectionExpression, UpdateExpression) and PartiQL WHERE/SET clauses both
// lower to, so that one evaluator decides every comparison, type rule and function.
// Names and values are already resolved: no `#name` or `:value` placeholders remain.
import type { AttributeValue } from '../types.js';

/** A document path: the first element is a top-level attribute name; numbers are list indexes. */
export type Path = readonly [string, ...(string | number)[]];

export type Operand =
  | { readonly kind: 'path'; readonly path: Path }
  | { readonly kind: 'value'; readonly value: AttributeValue }
  /** size(path) used as a number operand in a comparison. */
  | { readonly kind: 'size'; readonly path: Path }
  // The following appear only on the right of a SET action.
  | { readonly kind: 'if_not_exists'; readonly path: Path; readonly fallback: Operand }
  | { readonly kind: 'list_append'; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'arithmetic'; readonly op: '+' | '-'; readonly left: Operand; readonly right: Operand }
  // PartiQL-only set functions in UPDATE … SET.
  | { readonly kind: 'set_add' | 'set_delete'; readonly target: Operand; readonly value: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'between'; readonly operand: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: 'in'; readonly operand: Operand; readonly list: readonly Operand[] }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'attribute_exists' | 'attribute_not_exists'; readonly path: Path }
  | { readonly kind: 'attribute_type'; readonly path: Path; readonly type: Operand }
  | { readonly kind: 'begins_with'; readonly operand: Operand; readonly prefix: Operand }
  | { readonly kind: 'contains'; readonly operand: Operand; readonly value: Operand }
  /** PartiQL `x IS [NOT] MISSING | NULL | <type>`. */
  | {
      readonly kind: 'is';
      readonly operand: Operand;
      readonly test: 'MISSING' | 'NULL' | 'S' | 'N' | 'B' | 'BOOL' | 'L' | 'M' | 'SS' | 'NS' | 'BS';
      readonly negated: boolean;
    }
  /** A truth value known before evaluation (an attribute_type test of a literal). */
  | { readonly kind: 'literal'; readonly value: boolean };

export interface UpdateActions {
  readonly set: readonly { readonly path: Path; readonly value: Operand }[];
  readonly remove: readonly Path[];
  readonly add: readonly { readonly path: Path; readonly value: Operand }[];
  readonly delete: readonly { readonly path: Path; readonly value: Operand }[];
}

/**
 * One term of a KeyConditionExpression (terms are joined by AND). Which attributes may appear, and
 * how, depends on the key schema of the table or index: the Query operation checks that.
 */
export type KeyTerm =
  | { readonly name: string; readonly op: Comparator; readonly value: AttributeValue }
  | {
      readonly name: string;
      readonly op: 'between';
      readonly low: AttributeValue;
      readonly high: AttributeValue;
    }
  | { readonly name: string; readonly op: 'begins_with'; readonly prefix: AttributeValue };
