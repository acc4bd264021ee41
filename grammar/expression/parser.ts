// The grammar of DynamoDB's expression language as a Chevrotain CST parser. One parser class has an
// entry rule per grammar (condition, projection, update). Parentheses are parsed generously here:
// whether a parenthesised group is an operand or a condition, and whether it is redundant, is
// decided when the CST is turned into an AST (builder.ts), where DynamoDB's messages are produced.
import { CstParser, type CstNode } from 'chevrotain';
import {
  AddKeyword,
  allTokens,
  AndKeyword,
  ArithmeticOperator,
  BetweenKeyword,
  Comma,
  Comparator,
  DeleteKeyword,
  Dot,
  Equals,
  Identifier,
  InKeyword,
  LBracket,
  LParen,
  NotKeyword,
  NumberLiteral,
  OrKeyword,
  PathName,
  RBracket,
  RemoveKeyword,
  RParen,
  SetKeyword,
  ValueRef,
} from './lexer.js';

class ExpressionParser extends CstParser {
  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  // ---- ConditionExpression / FilterExpression / KeyConditionExpression ----
  // Precedence, loosest first: OR, AND, NOT, then comparisons, BETWEEN, IN and functions.

  readonly conditionExpression = this.RULE('conditionExpression', () => {
    this.SUBRULE(this.orCondition);
  });

  readonly orCondition = this.RULE('orCondition', () => {
    this.SUBRULE(this.andCondition, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(OrKeyword);
      this.SUBRULE2(this.andCondition, { LABEL: 'operands' });
    });
  });

  readonly andCondition = this.RULE('andCondition', () => {
    this.SUBRULE(this.notCondition, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(AndKeyword);
      this.SUBRULE2(this.notCondition, { LABEL: 'operands' });
    });
  });

  readonly notCondition = this.RULE('notCondition', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(NotKeyword);
          this.SUBRULE(this.notCondition);
        },
      },
      { ALT: () => this.SUBRULE(this.predicate) },
    ]);
  });

  /** A primary, optionally followed by a comparison, BETWEEN or IN that makes it an operand. */
  readonly predicate = this.RULE('predicate', () => {
    this.SUBRULE(this.primary);
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(Comparator);
            this.SUBRULE(this.operandTerm, { LABEL: 'right' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(BetweenKeyword);
            this.SUBRULE2(this.operandTerm, { LABEL: 'low' });
            this.CONSUME(AndKeyword);
            this.SUBRULE3(this.operandTerm, { LABEL: 'high' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(InKeyword);
            this.CONSUME(LParen);
            this.SUBRULE4(this.operandTerm, { LABEL: 'list' });
            this.MANY(() => {
              this.CONSUME(Comma);
              this.SUBRULE5(this.operandTerm, { LABEL: 'list' });
            });
            this.CONSUME(RParen);
          },
        },
      ]);
    });
  });

  /** A parenthesised condition or operand, or an operand. */
  readonly primary = this.RULE('primary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.orCondition);
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.operand) },
    ]);
  });

  /** An operand, possibly in parentheses. */
  readonly operandTerm = this.RULE('operandTerm', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.operandTerm);
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.operand) },
    ]);
  });

  readonly operand = this.RULE('operand', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.functionCall) },
      { ALT: () => this.CONSUME(ValueRef) },
      { ALT: () => this.SUBRULE(this.path) },
    ]);
  });

  readonly functionCall = this.RULE('functionCall', () => {
    this.CONSUME(Identifier);
    this.CONSUME(LParen);
    this.SUBRULE(this.operandTerm, { LABEL: 'args' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.operandTerm, { LABEL: 'args' });
    });
    this.CONSUME(RParen);
  });

  readonly path = this.RULE('path', () => {
    this.CONSUME(PathName, { LABEL: 'head' });
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(Dot);
            this.CONSUME2(PathName, { LABEL: 'member' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(LBracket);
            this.CONSUME(NumberLiteral, { LABEL: 'index' });
            this.CONSUME(RBracket);
          },
        },
      ]);
    });
  });

  // ---- ProjectionExpression ----

  readonly projectionExpression = this.RULE('projectionExpression', () => {
    this.SUBRULE(this.path, { LABEL: 'paths' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.path, { LABEL: 'paths' });
    });
  });

  // ---- UpdateExpression ----

  readonly updateExpression = this.RULE('updateExpression', () => {
    this.AT_LEAST_ONE(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.setClause, { LABEL: 'clauses' }) },
        { ALT: () => this.SUBRULE(this.removeClause, { LABEL: 'clauses' }) },
        { ALT: () => this.SUBRULE(this.addClause, { LABEL: 'clauses' }) },
        { ALT: () => this.SUBRULE(this.deleteClause, { LABEL: 'clauses' }) },
      ]);
    });
  });

  readonly setClause = this.RULE('setClause', () => {
    this.CONSUME(SetKeyword, { LABEL: 'keyword' });
    this.SUBRULE(this.setAction, { LABEL: 'actions' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.setAction, { LABEL: 'actions' });
    });
  });

  readonly setAction = this.RULE('setAction', () => {
    this.SUBRULE(this.path);
    this.CONSUME(Equals);
    this.SUBRULE(this.setValue);
  });

  /** `operand`, `operand + operand` or `operand - operand`, any part possibly parenthesised. */
  readonly setValue = this.RULE('setValue', () => {
    this.SUBRULE(this.setTerm, { LABEL: 'terms' });
    this.OPTION(() => {
      this.CONSUME(ArithmeticOperator);
      this.SUBRULE2(this.setTerm, { LABEL: 'terms' });
    });
  });

  readonly setTerm = this.RULE('setTerm', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.setValue);
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.operand) },
    ]);
  });

  readonly removeClause = this.RULE('removeClause', () => {
    this.CONSUME(RemoveKeyword, { LABEL: 'keyword' });
    this.SUBRULE(this.path, { LABEL: 'paths' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.path, { LABEL: 'paths' });
    });
  });

  readonly addClause = this.RULE('addClause', () => {
    this.CONSUME(AddKeyword, { LABEL: 'keyword' });
    this.SUBRULE(this.valueAction, { LABEL: 'actions' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.valueAction, { LABEL: 'actions' });
    });
  });

  readonly deleteClause = this.RULE('deleteClause', () => {
    this.CONSUME(DeleteKeyword, { LABEL: 'keyword' });
    this.SUBRULE(this.valueAction, { LABEL: 'actions' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.valueAction, { LABEL: 'actions' });
    });
  });

  /** The `path :value` of an ADD or DELETE action. */
  readonly valueAction = this.RULE('valueAction', () => {
    this.SUBRULE(this.path);
    this.CONSUME(ValueRef);
  });
}

// The one parser instance: Chevrotain parsers are reused by setting `input`, and built on first
// use, as the grammar analysis of the constructor takes tens of milliseconds.
let parser: ExpressionParser | undefined;

export function expressionParser(): ExpressionParser {
  return (parser ??= new ExpressionParser());
}

export type EntryRule = 'conditionExpression' | 'projectionExpression' | 'updateExpression';

export function runEntryRule(rule: EntryRule): CstNode {
  return expressionParser()[rule]();
}
