// The PartiQL parser: a Chevrotain CstParser for DynamoDB's dialect. The grammar is deliberately
// flat where precedence is concerned: an expression is a list of operands and infix "tails", and
// ast-builder.ts applies PartiQL's operator precedence. That keeps the CST shallow (fast) and lets
// error messages follow the reference PartiQL parser, which is a Pratt parser too.
import { CstParser } from 'chevrotain';
import type {
  AtLeastOneSepMethodOpts,
  IOrAlt,
  IParserErrorMessageProvider,
  ManySepMethodOpts,
  OrMethodOpts,
} from 'chevrotain';
import * as T from './tokens.js';

/**
 * The parser's own messages are short machine codes; errors.ts turns each recognition exception
 * (its rule stack, token and previous token) into DynamoDB's wording.
 */
const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => `mismatch:${expected.name}`,
  buildNotAllInputParsedMessage: () => 'leftover',
  buildNoViableAltMessage: () => 'noalt',
  buildEarlyExitMessage: () => 'earlyexit',
};

export class PartiqlParser extends CstParser {
  /** With `recovery` the parser goes on past errors (editors want every marker), at some cost. */
  constructor(recovery = true) {
    super(T.allTokens, { recoveryEnabled: recovery, maxLookahead: 3, errorMessageProvider });
    this.performSelfAnalysis();
  }

  // ── Statements ───────────────────────────────────────────────────────────────────────────────────

  public statement = this.RULE('statement', () => {
    this.OPTION(() => this.CONSUME(T.Explain));
    this.SUBRULE(this.dmlStatement);
    this.OPTION2(() => this.CONSUME(T.Semicolon));
  });

  public dmlStatement = this.RULE('dmlStatement', () => {
    this.OR(this.dmlAlternatives);
  });

  public selectStatement = this.RULE('selectStatement', () => {
    this.CONSUME(T.Select);
    this.OPTION(() => this.CONSUME(T.Value));
    this.SUBRULE(this.selectList);
    this.CONSUME(T.From);
    this.SUBRULE(this.tableRef);
    this.OPTION2(() => this.SUBRULE(this.whereClause));
    this.OPTION3(() => this.SUBRULE(this.orderByClause));
  });

  public selectList = this.RULE('selectList', () => {
    this.AT_LEAST_ONE_SEP(this.selectItems);
  });

  public selectItem = this.RULE('selectItem', () => {
    this.OR(this.selectItemAlternatives);
  });

  public insertStatement = this.RULE('insertStatement', () => {
    this.CONSUME(T.Insert);
    this.CONSUME(T.Into);
    this.SUBRULE(this.simpleTableRef);
    this.OR(this.insertValueAlternatives);
    this.OPTION(() => this.SUBRULE(this.returningClause));
  });

  public updateStatement = this.RULE('updateStatement', () => {
    this.CONSUME(T.Update);
    this.SUBRULE(this.simpleTableRef);
    this.OPTION(() => this.SUBRULE(this.alias));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.updateAction));
    this.OPTION2(() => this.SUBRULE(this.whereClause));
    this.OPTION3(() => this.SUBRULE(this.returningClause));
  });

  /** DynamoDB's FROM-first update: `FROM t [WHERE …] SET … | REMOVE … [RETURNING …]`. */
  public fromFirstStatement = this.RULE('fromFirstStatement', () => {
    this.CONSUME(T.From);
    this.SUBRULE(this.tableRef);
    this.OPTION(() => this.SUBRULE(this.whereClause));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.updateAction));
    this.OPTION2(() => this.SUBRULE(this.returningClause));
  });

  public deleteStatement = this.RULE('deleteStatement', () => {
    this.CONSUME(T.Delete);
    this.CONSUME(T.From);
    this.SUBRULE(this.simpleTableRef);
    this.OPTION(() => this.SUBRULE(this.alias));
    this.OPTION2(() => this.SUBRULE(this.whereClause));
    this.OPTION3(() => this.SUBRULE(this.returningClause));
  });

  public existsStatement = this.RULE('existsStatement', () => {
    this.CONSUME(T.Exists);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.selectStatement);
    this.CONSUME(T.RParen);
  });

  public expressionStatement = this.RULE('expressionStatement', () => {
    this.SUBRULE(this.expression);
  });

  // ── Clauses ──────────────────────────────────────────────────────────────────────────────────────

  /** A table in SELECT and FROM-first statements, where PartiQL reads a general expression. */
  public tableRef = this.RULE('tableRef', () => {
    this.CONSUME(T.Name);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Name);
    });
    this.OPTION(() => this.SUBRULE(this.alias));
  });

  /** A table in INSERT, UPDATE and DELETE, where PartiQL reads a "simple path". */
  public simpleTableRef = this.RULE('simpleTableRef', () => {
    this.CONSUME(T.Name);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Name);
    });
  });

  public alias = this.RULE('alias', () => {
    this.OR(this.aliasAlternatives);
  });

  public whereClause = this.RULE('whereClause', () => {
    this.CONSUME(T.Where);
    this.SUBRULE(this.expression);
  });

  public orderByClause = this.RULE('orderByClause', () => {
    this.CONSUME(T.Order);
    this.CONSUME(T.By);
    this.AT_LEAST_ONE_SEP(this.orderByItems);
  });

  public orderByItem = this.RULE('orderByItem', () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.OR(this.directionAlternatives);
    });
  });

  public updateAction = this.RULE('updateAction', () => {
    this.OR(this.updateActionAlternatives);
  });

  public setClause = this.RULE('setClause', () => {
    this.CONSUME(T.Set);
    this.AT_LEAST_ONE_SEP(this.assignments);
  });

  public assignment = this.RULE('assignment', () => {
    this.SUBRULE(this.simplePath);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  public removeClause = this.RULE('removeClause', () => {
    this.CONSUME(T.Remove);
    this.SUBRULE(this.simplePath);
  });

  /** An assignment target: names, `.name` and `[literal]` steps only. */
  public simplePath = this.RULE('simplePath', () => {
    this.CONSUME(T.Name);
    this.MANY(() => this.SUBRULE(this.simplePathStep));
  });

  public simplePathStep = this.RULE('simplePathStep', () => {
    this.OR(this.simplePathStepAlternatives);
  });

  public returningClause = this.RULE('returningClause', () => {
    this.CONSUME(T.Returning);
    this.AT_LEAST_ONE_SEP(this.returningItems);
  });

  public returningItem = this.RULE('returningItem', () => {
    this.OR(this.returningModeAlternatives);
    this.OR2(this.returningVersionAlternatives);
    this.OR3(this.returningWhatAlternatives);
  });

  // ── Expressions ──────────────────────────────────────────────────────────────────────────────────

  /** An operand followed by infix tails; precedence is applied when the AST is built. */
  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.operand);
    this.MANY(() => this.SUBRULE(this.infixTail));
  });

  public infixTail = this.RULE('infixTail', () => {
    this.OR(this.infixAlternatives);
  });

  /** The bounds of BETWEEN: operands joined by + and - only (AND ends the lower bound). */
  public additive = this.RULE('additive', () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.CONSUME(T.AdditiveOperator);
      this.SUBRULE2(this.operand);
    });
  });

  /** The right side of IN: `(a, b)`, or any operand such as `[a, b]` or `?`. */
  public inList = this.RULE('inList', () => {
    this.OR(this.inListAlternatives);
  });

  public typeRef = this.RULE('typeRef', () => {
    this.CONSUME(T.TypeName);
    // DOUBLE PRECISION, CHARACTER VARYING
    this.OPTION(() => this.CONSUME(T.ReservedWord));
    this.OPTION2(() => {
      this.CONSUME(T.LParen);
      this.AT_LEAST_ONE_SEP(this.typeParameters);
      this.CONSUME(T.RParen);
    });
  });

  /** Prefix operators, a term, then path steps: `NOT -a.b[0]`. */
  public operand = this.RULE('operand', () => {
    this.MANY(() => this.CONSUME(T.PrefixOperator));
    this.OR(this.termAlternatives);
    this.MANY2(() => this.SUBRULE(this.pathStep));
  });

  public pathStep = this.RULE('pathStep', () => {
    this.OR(this.pathStepAlternatives);
  });

  public functionCall = this.RULE('functionCall', () => {
    this.CONSUME(T.CallableName);
    this.CONSUME(T.LParen);
    this.MANY_SEP(this.expressions);
    this.CONSUME(T.RParen);
  });

  public listLiteral = this.RULE('listLiteral', () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP(this.expressions);
    this.CONSUME(T.RBracket);
  });

  public mapLiteral = this.RULE('mapLiteral', () => {
    this.CONSUME(T.LCurly);
    this.MANY_SEP(this.mapEntries);
    this.CONSUME(T.RCurly);
  });

  public mapEntry = this.RULE('mapEntry', () => {
    this.SUBRULE(this.expression);
    this.CONSUME(T.Colon);
    this.SUBRULE2(this.expression);
  });

  public setLiteral = this.RULE('setLiteral', () => {
    this.CONSUME(T.LDoubleAngle);
    this.MANY_SEP(this.expressions);
    this.CONSUME(T.RDoubleAngle);
  });
  // ── Alternatives, built once ─────────────────────────────────────────────────────────────────────
  // Chevrotain recommends building OR alternatives and *_SEP options once rather than on every call;
  // it also spares transpilers that keep function names (tsx) a naming call per closure per parse.

  private readonly dmlAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.selectStatement) },
    { ALT: () => this.SUBRULE(this.insertStatement) },
    { ALT: () => this.SUBRULE(this.updateStatement) },
    { ALT: () => this.SUBRULE(this.deleteStatement) },
    { ALT: () => this.SUBRULE(this.fromFirstStatement) },
    { ALT: () => this.SUBRULE(this.existsStatement) },
    // Anything else that reads as an expression: DynamoDB parses it, then refuses to run it.
    { ALT: () => this.SUBRULE(this.expressionStatement) },
  ];

  private readonly selectItems: AtLeastOneSepMethodOpts<unknown> = {
    SEP: T.Comma,
    DEF: () => this.SUBRULE(this.selectItem),
  };

  private readonly selectItemAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.Star) },
    {
      ALT: () => {
        this.SUBRULE(this.expression);
        this.OPTION(() => this.SUBRULE(this.alias));
      },
    },
  ];

  private readonly insertValueAlternatives: IOrAlt<unknown>[] = [
    {
      ALT: () => {
        this.CONSUME(T.Value);
        this.SUBRULE(this.expression);
      },
    },
    // `INSERT INTO t <<{…}, {…}>>`: parsed so it can be refused with DynamoDB's message.
    { ALT: () => this.SUBRULE2(this.expression) },
  ];

  private readonly aliasAlternatives: IOrAlt<unknown>[] = [
    {
      ALT: () => {
        this.CONSUME(T.As);
        this.CONSUME(T.Name);
      },
    },
    { ALT: () => this.CONSUME(T.Identifier) },
  ];

  private readonly orderByItems: AtLeastOneSepMethodOpts<unknown> = {
    SEP: T.Comma,
    DEF: () => this.SUBRULE(this.orderByItem),
  };

  private readonly directionAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.Asc) },
    { ALT: () => this.CONSUME(T.Desc) },
  ];

  private readonly updateActionAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.setClause) },
    { ALT: () => this.SUBRULE(this.removeClause) },
  ];

  private readonly assignments: AtLeastOneSepMethodOpts<unknown> = {
    SEP: T.Comma,
    DEF: () => this.SUBRULE(this.assignment),
  };

  private readonly simplePathStepAlternatives: IOrAlt<unknown>[] = [
    {
      ALT: () => {
        this.CONSUME(T.Dot);
        this.CONSUME(T.Name);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.LBracket);
        this.OR2(this.simpleIndexAlternatives);
        this.CONSUME(T.RBracket);
      },
    },
  ];

  private readonly simpleIndexAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.NumberLiteral) },
    { ALT: () => this.CONSUME(T.StringLiteral) },
  ];

  private readonly returningItems: AtLeastOneSepMethodOpts<unknown> = {
    SEP: T.Comma,
    DEF: () => this.SUBRULE(this.returningItem),
  };

  private readonly returningModeAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.All) },
    { ALT: () => this.CONSUME(T.Modified) },
  ];

  private readonly returningVersionAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.Old) },
    { ALT: () => this.CONSUME(T.New) },
  ];

  private readonly returningWhatAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.Star) },
    { ALT: () => this.SUBRULE(this.expression) },
  ];

  private readonly infixAlternatives: IOrAlt<unknown>[] = [
    {
      ALT: () => {
        this.CONSUME(T.BinaryOperator);
        this.SUBRULE(this.operand);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.Is);
        this.OPTION(() => this.CONSUME(T.Not));
        this.SUBRULE(this.typeRef);
      },
    },
    {
      ALT: () => {
        this.OPTION2(() => this.CONSUME2(T.Not));
        this.CONSUME(T.In);
        this.SUBRULE(this.inList);
      },
    },
    {
      ALT: () => {
        this.OPTION3(() => this.CONSUME3(T.Not));
        this.CONSUME(T.Between);
        this.SUBRULE(this.additive);
        this.CONSUME(T.And);
        this.SUBRULE2(this.additive);
      },
    },
  ];

  private readonly inListAlternatives: OrMethodOpts<unknown> = {
    // `(` starts the parenthesised list; an operand in parentheses is read as a one-element list.
    IGNORE_AMBIGUITIES: true,
    DEF: [
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP(this.inListExpressions);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.additive) },
    ],
  };

  private readonly inListExpressions: AtLeastOneSepMethodOpts<unknown> = {
    SEP: T.Comma,
    DEF: () => this.SUBRULE(this.expression),
  };

  private readonly typeParameters: AtLeastOneSepMethodOpts<unknown> = {
    SEP: T.Comma,
    DEF: () => this.CONSUME(T.NumberLiteral),
  };

  private readonly termAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.StringLiteral) },
    { ALT: () => this.CONSUME(T.NumberLiteral) },
    { ALT: () => this.CONSUME(T.Parameter) },
    { ALT: () => this.CONSUME(T.True) },
    { ALT: () => this.CONSUME(T.False) },
    { ALT: () => this.CONSUME(T.Null) },
    { ALT: () => this.CONSUME(T.Missing) },
    { ALT: () => this.SUBRULE(this.functionCall) },
    { ALT: () => this.CONSUME(T.Name) },
    {
      ALT: () => {
        this.CONSUME(T.LParen);
        this.SUBRULE(this.expression);
        this.CONSUME(T.RParen);
      },
    },
    { ALT: () => this.SUBRULE(this.listLiteral) },
    { ALT: () => this.SUBRULE(this.mapLiteral) },
    { ALT: () => this.SUBRULE(this.setLiteral) },
  ];

  private readonly pathStepAlternatives: IOrAlt<unknown>[] = [
    {
      ALT: () => {
        this.CONSUME(T.Dot);
        this.OR2(this.dotStepAlternatives);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.LBracket);
        this.OR3(this.bracketStepAlternatives);
        this.CONSUME(T.RBracket);
      },
    },
  ];

  private readonly dotStepAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.Name) },
    { ALT: () => this.CONSUME(T.Star) },
  ];

  private readonly bracketStepAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME2(T.Star) },
    { ALT: () => this.SUBRULE(this.expression) },
  ];

  private readonly expressions: ManySepMethodOpts<unknown> = {
    SEP: T.Comma,
    DEF: () => this.SUBRULE(this.expression),
  };

  private readonly mapEntries: ManySepMethodOpts<unknown> = {
    SEP: T.Comma,
    DEF: () => this.SUBRULE(this.mapEntry),
  };
}

// Chevrotain parsers are reusable and costly to construct (its grammar analysis takes tens of
// milliseconds), so each is built once, on first use: a process whose statements all take the
// hand-written fast path (fast-parser.ts), or that parses none, never pays for it.
let recovering: PartiqlParser | undefined;
let strict: PartiqlParser | undefined;

/** The parser with error recovery: every error of a statement, and content assist, for editors. */
export function recoveringParser(): PartiqlParser {
  return (recovering ??= new PartiqlParser());
}

/** Without error recovery: for statements the fast path gave up on that may still parse. */
export function strictParser(): PartiqlParser {
  return (strict ??= new PartiqlParser(false));
}

/** Whether either parser has been built (tests: what a process paid for at startup). */
export function chevrotainParserBuilt(): boolean {
  return recovering !== undefined || strict !== undefined;
}
