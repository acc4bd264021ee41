// The abstract syntax tree of a DynamoDB PartiQL statement.
//
// Every node has a `kind` (the discriminant of its union) and a `loc`: where its text starts and how
// long it is. Numbers stay as the text the statement wrote them in (`-.73e1`, `7.31E6`): the engine
// converts them with its decimal arithmetic, never through a JS number.

/** A stretch of the statement text. Offsets count UTF-16 code units from 0; line and column from 1. */
export interface SourceLocation {
  offset: number;
  line: number;
  column: number;
  length: number;
}

interface Node {
  loc: SourceLocation;
}

// ── Statements ─────────────────────────────────────────────────────────────────────────────────────

export type Statement =
  SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement | ExplainStatement;

/** A statement other than EXPLAIN. */
export type DmlStatement = Exclude<Statement, ExplainStatement>;

/** `SELECT projection FROM table[.index] [WHERE …] [ORDER BY …]` */
export interface SelectStatement extends Node {
  kind: 'select';
  projection: Projection;
  from: TableRef;
  where: Expression | null;
  orderBy: OrderByItem[];
}

/** `*`, or a list of document paths. */
export type Projection = StarProjection | PathListProjection;

export interface StarProjection extends Node {
  kind: 'star';
}

export interface PathListProjection extends Node {
  kind: 'paths';
  paths: PathExpression[];
}

export interface OrderByItem extends Node {
  kind: 'orderByItem';
  /** Usually a path; the engine checks it names a key attribute. */
  expression: Expression;
  direction: 'ASC' | 'DESC';
  /** Whether ASC/DESC was written. */
  explicitDirection: boolean;
}

/** `INSERT INTO table VALUE {…}` */
export interface InsertStatement extends Node {
  kind: 'insert';
  table: TableRef;
  /** A tuple literal, or a `?` bound to a map. */
  item: MapLiteral | ParameterRef;
}

/**
 * `UPDATE table SET … REMOVE … [WHERE …] [RETURNING …]`, or DynamoDB's FROM-first form
 * `FROM table [WHERE …] SET … [RETURNING …]` (form: 'fromFirst'). Both run as the same update.
 */
export interface UpdateStatement extends Node {
  kind: 'update';
  form: 'update' | 'fromFirst';
  table: TableRef;
  /** SET and REMOVE clauses in the order written; at least one. */
  actions: UpdateAction[];
  where: Expression | null;
  returning: Returning | null;
}

export type UpdateAction = SetAction | RemoveAction;

/** One `SET a = 1, b = 2` clause. */
export interface SetAction extends Node {
  kind: 'set';
  assignments: Assignment[];
}

export interface Assignment extends Node {
  kind: 'assignment';
  target: PathExpression;
  /** A value, `path + n`, `path - n`, list_append(…), set_add(…), set_delete(…), … */
  value: Expression;
}

/** One `REMOVE path` clause (DynamoDB takes one path per REMOVE; repeat the keyword for more). */
export interface RemoveAction extends Node {
  kind: 'remove';
  path: PathExpression;
}

/** `RETURNING ALL OLD *` etc., as UpdateItem's ReturnValues. */
export interface Returning extends Node {
  kind: 'returning';
  returnValues: 'ALL_OLD' | 'MODIFIED_OLD' | 'ALL_NEW' | 'MODIFIED_NEW';
}

/** `DELETE FROM table [WHERE …] [RETURNING ALL OLD *]` */
export interface DeleteStatement extends Node {
  kind: 'delete';
  table: TableRef;
  where: Expression | null;
  /** Always ALL_OLD when present (anything else is refused by the parser). */
  returning: Returning | null;
}

/** `EXISTS(SELECT …)`: a condition check, allowed only inside ExecuteTransaction. */
export interface ExistsStatement extends Node {
  kind: 'exists';
  select: SelectStatement;
}

/** `EXPLAIN <statement>` (Sortkey extension): plan the statement without running it. */
export interface ExplainStatement extends Node {
  kind: 'explain';
  statement: DmlStatement;
}

/** `"Table"`, `Table` or `"Table"."Index"`. */
export interface TableRef extends Node {
  kind: 'table';
  name: string;
  quoted: boolean;
  index: IndexRef | null;
}

export interface IndexRef extends Node {
  kind: 'index';
  name: string;
  quoted: boolean;
}

// ── Expressions ────────────────────────────────────────────────────────────────────────────────────

export type Expression =
  | StringLiteral
  | NumberLiteral
  | BooleanLiteral
  | NullLiteral
  | MissingLiteral
  | ParameterRef
  | PathExpression
  | ListLiteral
  | MapLiteral
  | SetLiteral
  | NotExpression
  | NegateExpression
  | BinaryExpression
  | BetweenExpression
  | InExpression
  | IsExpression
  | FunctionCall;

export interface StringLiteral extends Node {
  kind: 'string';
  /** The string with `''` already unescaped. */
  value: string;
}

export interface NumberLiteral extends Node {
  kind: 'number';
  /** As written, with a folded unary minus: `7`, `-.73e1`, `7.31E6`, `1.`. */
  text: string;
}

export interface BooleanLiteral extends Node {
  kind: 'boolean';
  value: boolean;
}

export interface NullLiteral extends Node {
  kind: 'null';
}

/** `MISSING`: meaningful only in `IS [NOT] MISSING`, where it appears as a type, not as this node. */
export interface MissingLiteral extends Node {
  kind: 'missing';
}

/** `?`: `index` is its position among the statement's parameters, from 0 (`Parameters[index]`). */
export interface ParameterRef extends Node {
  kind: 'parameter';
  index: number;
}

/** A document path: `a`, `"a b".c[0]`. */
export interface PathExpression extends Node {
  kind: 'path';
  root: PathName;
  steps: PathStep[];
}

export interface PathName extends Node {
  kind: 'name';
  name: string;
  /** Written in double quotes (case-sensitive in PartiQL; DynamoDB names are always case-sensitive). */
  quoted: boolean;
}

export type PathStep = PathName | PathIndex;

/** `[3]`. A string in brackets (`a['b']`) is a PathName step instead. */
export interface PathIndex extends Node {
  kind: 'index';
  index: number;
}

export interface ListLiteral extends Node {
  kind: 'list';
  elements: Expression[];
}

export interface MapLiteral extends Node {
  kind: 'map';
  entries: MapEntry[];
}

export interface MapEntry extends Node {
  kind: 'entry';
  key: string;
  keyLoc: SourceLocation;
  value: Expression;
}

/** `<<…>>`: a String, Number (or, via parameters, Binary) set. Never empty, no literal duplicates. */
export interface SetLiteral extends Node {
  kind: 'set';
  elements: Expression[];
}

export interface NotExpression extends Node {
  kind: 'not';
  operand: Expression;
}

/** Unary minus on something that is not a number literal (a number literal folds the sign in). */
export interface NegateExpression extends Node {
  kind: 'negate';
  operand: Expression;
}

export type BinaryOperator = '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | 'AND' | 'OR';

export interface BinaryExpression extends Node {
  kind: 'binary';
  /** `!=` is reported as `<>`. */
  op: BinaryOperator;
  opLoc: SourceLocation;
  left: Expression;
  right: Expression;
}

/** `x [NOT] BETWEEN low AND high` (both bounds inclusive). */
export interface BetweenExpression extends Node {
  kind: 'between';
  not: boolean;
  value: Expression;
  low: Expression;
  high: Expression;
}

/** `x [NOT] IN [a, b]`, `x IN (a, b)` (a ListLiteral either way) or `x IN ?`. */
export interface InExpression extends Node {
  kind: 'in';
  not: boolean;
  value: Expression;
  list: Expression;
}

/** `x IS [NOT] NULL | MISSING | <type>`. */
export interface IsExpression extends Node {
  kind: 'is';
  not: boolean;
  value: Expression;
  type: TypeRef;
}

export interface TypeRef extends Node {
  kind: 'type';
  /** Canonical PartiQL name: MISSING, NULL, BOOLEAN, STRING, INTEGER, DOUBLE PRECISION, … */
  name: string;
  /** Parenthesised parameters as written, e.g. `DECIMAL(5, 2)` → ['5', '2']. */
  params: string[];
}

/** `begins_with(a, 'x')`. The name is lower-cased (PartiQL function names are case-insensitive). */
export interface FunctionCall extends Node {
  kind: 'call';
  name: string;
  nameLoc: SourceLocation;
  args: Expression[];
}
