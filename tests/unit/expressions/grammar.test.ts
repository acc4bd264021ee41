// The expression grammar on its own: what parses, the AST it yields, and DynamoDB's messages for
// what does not (syntax errors, and the checks that need no ExpressionAttributeNames/Values).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ExpressionError,
  RESERVED_WORDS,
  findExpressionError,
  isReservedWord,
  parseConditionExpression,
  parseProjectionExpression,
  parseUpdateExpression,
  type ExpressionKind,
} from '../../../grammar/expression/index.js';

function message(text: string, kind: ExpressionKind): string | undefined {
  return findExpressionError(text, kind)?.message;
}

describe('expression grammar: valid expressions', () => {
  const conditions = [
    'a = :v',
    '#n <> :v',
    'a.b[1].#c <= :v',
    'a < b AND b > c OR NOT c >= d',
    'a BETWEEN :lo AND :hi',
    'a between :lo and :hi AND b = :x',
    'a IN (:a, :b, c)',
    'attribute_exists(a) AND attribute_not_exists(#b.c)',
    'attribute_type(a, :t)',
    'begins_with(a, :p) OR contains(a, :s)',
    'size(a) > :n',
    'size(a.b[0]) BETWEEN :x AND :y',
    '(a = :v)',
    '(a = :v) AND (b = :w)',
    '((a = :v) AND b = :w)',
    '(a = :v AND (b = :w))',
    'NOT NOT NOT NOT a < b',
    '(a) = :v',
    'nOt a = :v aNd b = :v oR c = :v',
    'a=:v',
    '  a\t=\n:v  ',
    'a IN (b)',
    '#and = :or',
    'size((a)) > :v',
  ];
  for (const text of conditions) {
    it(`parses ${JSON.stringify(text)}`, () => {
      assert.equal(message(text, 'ConditionExpression'), undefined);
    });
  }

  const updates = [
    'SET a = :v',
    'set a = :v, b = c',
    'sEt a = b + :v, c = :v - d',
    'SET a = if_not_exists(a, :z) + :one',
    'SET a = list_append(if_not_exists(a, :empty), :tail)',
    'SET a = (b + c)',
    'SET a = (b) + (c)',
    'SET a[3] = :v REMOVE b, c.d[2] ADD n :one DELETE s :members',
    'REMOVE a SET b = :v',
    'ADD n :one, m :two',
    'SET and = :v',
  ];
  for (const text of updates) {
    it(`parses ${JSON.stringify(text)}`, () => {
      // `and` is no keyword in an update expression: it parses, then is refused as a reserved word.
      const expected =
        text === 'SET and = :v'
          ? 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: and'
          : undefined;
      assert.equal(message(text, 'UpdateExpression'), expected);
    });
  }

  for (const text of ['a', 'a, b', ' a , b.c[3], #x.#y ', 'x[0][1]']) {
    it(`parses projection ${JSON.stringify(text)}`, () => {
      assert.equal(message(text, 'ProjectionExpression'), undefined);
    });
  }
});

describe('expression grammar: AST', () => {
  it('gives AND precedence over OR and NOT over AND', () => {
    const ast = parseConditionExpression('a = :a OR NOT b = :b AND c = :c');
    assert.equal(ast.kind, 'or');
    assert.ok(ast.kind === 'or' && ast.right.kind === 'and' && ast.right.left.kind === 'not');
  });

  it('binds BETWEEN before AND', () => {
    const ast = parseConditionExpression('a BETWEEN :x AND :y AND b = :z');
    assert.ok(ast.kind === 'and' && ast.left.kind === 'between' && ast.right.kind === 'compare');
  });

  it('keeps path segments, placeholders and offsets', () => {
    const ast = parseConditionExpression('a.#b[12] = :v');
    assert.ok(ast.kind === 'compare' && ast.left.kind === 'path');
    assert.deepEqual(
      ast.left.segments.map((s) => (s.kind === 'index' ? s.index : s.kind === 'name' ? s.name : s.ref)),
      ['a', '#b', 12],
    );
    assert.deepEqual(ast.left.span, { start: 0, end: 8 });
    assert.deepEqual(ast.right, { kind: 'valueRef', ref: ':v', span: { start: 11, end: 13 } });
  });

  it('builds update clauses in order', () => {
    const ast = parseUpdateExpression('REMOVE x SET a = b - :c ADD n :one');
    assert.deepEqual(
      ast.clauses.map((c) => c.kind),
      ['REMOVE', 'SET', 'ADD'],
    );
    const set = ast.clauses[1]!;
    assert.ok(set.kind === 'SET' && set.actions[0]!.value.kind === 'arithmetic');
  });

  it('parses projections into paths', () => {
    const paths = parseProjectionExpression('a.b, c[1]');
    assert.equal(paths.length, 2);
    assert.equal(paths[1]!.segments[1]!.kind, 'index');
  });
});

describe('expression grammar: syntax errors', () => {
  const cases: [string, ExpressionKind, string][] = [
    ['a = = b', 'ConditionExpression', 'Syntax error; token: "=", near: "= = b"'],
    ['a', 'ConditionExpression', 'Syntax error; token: "<EOF>", near: "a"'],
    [':v', 'FilterExpression', 'Syntax error; token: "<EOF>", near: ":v"'],
    [
      'attribute_exists(car_id) AND NOT #flag',
      'ConditionExpression',
      'Syntax error; token: "<EOF>", near: "#flag"',
    ],
    ['NOT (a)', 'ConditionExpression', 'Syntax error; token: ")", near: "a)"'],
    ['(a = b) = c', 'ConditionExpression', 'Syntax error; token: "=", near: ") = c"'],
    ['a > 4', 'ConditionExpression', 'Syntax error; token: "4", near: "> 4"'],
    ['a IN ()', 'ConditionExpression', 'Syntax error; token: ")", near: "()"'],
    ['attribute_type()', 'ConditionExpression', 'Syntax error; token: ")", near: "()"'],
    ['a != b', 'ConditionExpression', 'Syntax error; token: "!", near: "a !="'],
    ['#list[abc].x = :v', 'ConditionExpression', 'Syntax error; token: "abc", near: "[abc]"'],
    ['#list[-1].x = :v', 'FilterExpression', 'Syntax error; token: "-", near: "[-1"'],
    ['#c =', 'ConditionExpression', 'Syntax error; token: "<EOF>", near: "="'],
    ['a + b = c', 'ConditionExpression', 'Syntax error; token: "+", near: "a + b"'],
    ['a = :v AND', 'KeyConditionExpression', 'Syntax error; token: "<EOF>", near: "AND"'],
    [
      'things are not gonna be ok',
      'KeyConditionExpression',
      'Syntax error; token: "are", near: "things are not"',
    ],
    ['INVALID SYNTAX HERE', 'UpdateExpression', 'Syntax error; token: "INVALID", near: "INVALID SYNTAX"'],
    ['SET', 'UpdateExpression', 'Syntax error; token: "<EOF>", near: "SET"'],
    ['SET _123 = :v', 'UpdateExpression', 'Syntax error; token: "_", near: "SET _123"'],
    ['SET a = _f(b)', 'UpdateExpression', 'Syntax error; token: "_", near: "= _f"'],
    ['SET 123 = :v', 'UpdateExpression', 'Syntax error; token: "123", near: "SET 123 ="'],
    ['SET hi-there = :v', 'UpdateExpression', 'Syntax error; token: "-", near: "hi-there"'],
    ['SET # = :v', 'UpdateExpression', 'Syntax error; token: "#", near: "SET # ="'],
    ['SET a = :', 'UpdateExpression', 'Syntax error; token: ":", near: "= :"'],
    ['SET :a = :b', 'UpdateExpression', 'Syntax error; token: ":a", near: "SET :a ="'],
    ['ADD numx', 'UpdateExpression', 'Syntax error; token: "<EOF>", near: "numx"'],
    ['ADD numx 1', 'UpdateExpression', 'Syntax error; token: "1", near: "numx 1"'],
    ['DELETE setx a', 'UpdateExpression', 'Syntax error; token: "a", near: "setx a"'],
    ['SET note = :v +', 'UpdateExpression', 'Syntax error; token: "<EOF>", near: "+"'],
    ['SET numx = numx * :v', 'UpdateExpression', 'Syntax error; token: "*", near: "numx * :v"'],
    ['SET numx = numx / :v', 'UpdateExpression', 'Syntax error; token: "/", near: "numx / :v"'],
    ['SET a = :a + :b + :c', 'UpdateExpression', 'Syntax error; token: "+", near: ":b + :c"'],
    ['SET a = (b + c) + d', 'UpdateExpression', 'Syntax error; token: "+", near: ") + d"'],
    ['SET a = b + (c - d)', 'UpdateExpression', 'Syntax error; token: "-", near: "c - d"'],
    ['SET c = if_not_exists(c, :v1+:v2)', 'UpdateExpression', 'Syntax error; token: "+", near: ":v1+:v2"'],
    ['SET a[:i] = :v', 'UpdateExpression', 'Syntax error; token: ":i", near: "[:i]"'],
    ['SET #list[0.#c = :v', 'UpdateExpression', 'Syntax error; token: ".", near: "0.#c"'],
    ['REMOVE', 'UpdateExpression', 'Syntax error; token: "<EOF>", near: "REMOVE"'],
    ['a,', 'ProjectionExpression', 'Syntax error; token: "<EOF>", near: ","'],
    [',a', 'ProjectionExpression', 'Syntax error; token: ",", near: ",a"'],
    ['a,,b', 'ProjectionExpression', 'Syntax error; token: ",", near: ",,b"'],
    ['#list[].#c', 'ProjectionExpression', 'Syntax error; token: "]", near: "[]."'],
    ['size(a)', 'ProjectionExpression', 'Syntax error; token: "(", near: "size(a"'],
    ['   ', 'ProjectionExpression', 'Syntax error; token: "<EOF>", near: ""'],
  ];
  for (const [text, kind, detail] of cases) {
    it(`${kind} ${JSON.stringify(text)}`, () => {
      assert.equal(message(text, kind), `Invalid ${kind}: ${detail}`);
    });
  }

  it('reports the offending token span', () => {
    const error = findExpressionError('a = = b', 'ConditionExpression');
    assert.ok(error instanceof ExpressionError);
    assert.deepEqual(error.span, { start: 4, end: 5 });
  });
});

describe('expression grammar: checks before names and values', () => {
  const cases: [string, ExpressionKind, string][] = [
    ['', 'ConditionExpression', 'The expression can not be empty;'],
    ['', 'UpdateExpression', 'The expression can not be empty;'],
    ['', 'ProjectionExpression', 'The expression can not be empty;'],
    ['((a = :v))', 'ConditionExpression', 'The expression has redundant parentheses;'],
    ['((attribute_not_exists(pk)))', 'ConditionExpression', 'The expression has redundant parentheses;'],
    ['((#n)) = :v', 'FilterExpression', 'The expression has redundant parentheses;'],
    ['((c = :c) AND ((p = :p)))', 'KeyConditionExpression', 'The expression has redundant parentheses;'],
    ['size(((a))) > :v', 'ConditionExpression', 'The expression has redundant parentheses;'],
    ['dog(a) = :v', 'ConditionExpression', 'Invalid function name; function: dog'],
    ['BEGINS_WITH(a, :v)', 'KeyConditionExpression', 'Invalid function name; function: BEGINS_WITH'],
    [
      'if_not_exists(a, a) = :v',
      'ConditionExpression',
      'The function is not allowed in a condition expression; function: if_not_exists',
    ],
    [
      'list_append(a, a) = :v',
      'ConditionExpression',
      'The function is not allowed in a condition expression; function: list_append',
    ],
    [
      'size(a)',
      'ConditionExpression',
      'The function is not allowed to be used this way in an expression; function: size',
    ],
    [
      'attribute_exists(a) < :v',
      'ConditionExpression',
      'The function is not allowed to be used this way in an expression; function: attribute_exists',
    ],
    [
      'size(contains(#n, :v)) = :s',
      'ConditionExpression',
      'The function is not allowed to be used this way in an expression; function: contains',
    ],
    [
      'a IN (begins_with(a, :b))',
      'ConditionExpression',
      'The function is not allowed to be used this way in an expression; function: begins_with',
    ],
    ['COUNT = :v', 'ConditionExpression', 'Attribute name is a reserved keyword; reserved keyword: COUNT'],
    [
      'm.COMMENT = :v',
      'ConditionExpression',
      'Attribute name is a reserved keyword; reserved keyword: COMMENT',
    ],
    [
      'begins_with(m.COMMENT, :v)',
      'ConditionExpression',
      'Attribute name is a reserved keyword; reserved keyword: COMMENT',
    ],
    [
      '#list[0].COMMENT = :v',
      'FilterExpression',
      'Attribute name is a reserved keyword; reserved keyword: COMMENT',
    ],
    [
      'contains(#n)',
      'ConditionExpression',
      'Incorrect number of operands for operator or function; operator or function: contains, number of operands: 1',
    ],
    [
      'begins_with(#n, :p, :x)',
      'ConditionExpression',
      'Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 3',
    ],
    [
      'size(#n, #m) = :s',
      'ConditionExpression',
      'Incorrect number of operands for operator or function; operator or function: size, number of operands: 2',
    ],
    [
      'attribute_exists(:v)',
      'ConditionExpression',
      'Operator or function requires a document path; operator or function: attribute_exists',
    ],
    [
      'attribute_not_exists(size(a))',
      'ConditionExpression',
      'Operator or function requires a document path; operator or function: attribute_not_exists',
    ],
    [
      'a' + '.b'.repeat(32) + ' = :v',
      'ConditionExpression',
      'The document path has too many nesting levels; nesting levels: 33',
    ],
    [
      'SET a = :v SET b = :w',
      'UpdateExpression',
      'The "SET" section can only be used once in an update expression;',
    ],
    [
      'SET a = :v REMOVE a SET b = :w',
      'UpdateExpression',
      'The "SET" section can only be used once in an update expression;',
    ],
    [
      'remove a REMOVE b',
      'UpdateExpression',
      'The "REMOVE" section can only be used once in an update expression;',
    ],
    [
      'SET a = size(b)',
      'UpdateExpression',
      'The function is not allowed in an update expression; function: size',
    ],
    [
      'SET a = contains(s, :n)',
      'UpdateExpression',
      'The function is not allowed in an update expression; function: contains',
    ],
    ['SET a = f(b, c, d)', 'UpdateExpression', 'Invalid function name; function: f'],
    ['SET a = LIST_APPEND(:a, :b)', 'UpdateExpression', 'Invalid function name; function: LIST_APPEND'],
    [
      'SET a = list_append(list_append(a, :b), :c)',
      'UpdateExpression',
      'The function is not allowed to be used this way in an expression; function: list_append',
    ],
    [
      'SET a = list_append(a, :b) + :c',
      'UpdateExpression',
      'The function is not allowed to be used this way in an expression; function: list_append',
    ],
    [
      'SET a = list_append(:a)',
      'UpdateExpression',
      'Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1',
    ],
    [
      'SET a = if_not_exists(if_not_exists(n, :z), :o)',
      'UpdateExpression',
      'Operator or function requires a document path; operator or function: if_not_exists',
    ],
    [
      'SET COMMENT = :v',
      'UpdateExpression',
      'Attribute name is a reserved keyword; reserved keyword: COMMENT',
    ],
    [
      'SET a = :v REMOVE name',
      'UpdateExpression',
      'Attribute name is a reserved keyword; reserved keyword: name',
    ],
    ['name', 'ProjectionExpression', 'Attribute name is a reserved keyword; reserved keyword: name'],
    ['ADD', 'ProjectionExpression', 'Attribute name is a reserved keyword; reserved keyword: ADD'],
    [
      'list[0].COMMENT',
      'ProjectionExpression',
      'Attribute name is a reserved keyword; reserved keyword: list',
    ],
    [
      'a' + '.b'.repeat(32),
      'ProjectionExpression',
      'The document path has too many nesting levels; nesting levels: 33',
    ],
  ];
  for (const [text, kind, detail] of cases) {
    it(`${kind} ${JSON.stringify(text.length > 60 ? text.slice(0, 60) + '…' : text)}`, () => {
      assert.equal(message(text, kind), `Invalid ${kind}: ${detail}`);
    });
  }

  it('accepts exactly 32 nesting levels', () => {
    assert.equal(message('a' + '.b'.repeat(31), 'ProjectionExpression'), undefined);
  });

  it('accepts IN with 100 operands and refuses 101', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `:v${i}`).join(', ');
    assert.equal(message(`a IN (${list(99)})`, 'ConditionExpression'), undefined);
    assert.equal(
      message(`a IN (${list(100)})`, 'ConditionExpression'),
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: IN, number of operands: 101',
    );
  });

  it('allows 300 operators and functions, not counting AND, OR and NOT', () => {
    const terms = (n: number) =>
      Array.from({ length: n }, (_, i) => (i % 2 ? `NOT a${i} < b` : `size(a${i}) > c`));
    // Each size() comparison counts twice: 200 comparisons + 100 functions = 300.
    const ok =
      Array.from({ length: 100 }, (_, i) => `size(a${i}) > c`).join(' AND ') +
      ' OR ' +
      Array.from({ length: 100 }, (_, i) => `a${i} < b`).join(' OR ');
    assert.equal(message(ok, 'FilterExpression'), undefined);
    assert.equal(
      message(ok + ' OR z = y', 'FilterExpression'),
      'Invalid FilterExpression: The expression contains too many operators; operator count: 301',
    );
    assert.equal(
      message(terms(400).join(' AND '), 'ConditionExpression'),
      'Invalid ConditionExpression: The expression contains too many operators; operator count: 301',
    );
    const sets = Array.from({ length: 151 }, (_, i) => `a${i} = if_not_exists(a${i}, :z) + :one`).join(', ');
    assert.equal(
      message(`SET ${sets}`, 'UpdateExpression'),
      'Invalid UpdateExpression: The expression contains too many operators; operator count: 301',
    );
  });

  it('reports redundant parentheses before other problems', () => {
    assert.equal(
      message('((dog(a) = :v))', 'ConditionExpression'),
      'Invalid ConditionExpression: The expression has redundant parentheses;',
    );
  });

  it('prefers a syntax error to any other problem', () => {
    assert.equal(
      message('((COUNT = = :v))', 'ConditionExpression'),
      'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"',
    );
  });
});

describe('reserved words', () => {
  it('has the 573 words of the developer guide', () => {
    assert.equal(RESERVED_WORDS.size, 573);
  });

  it('matches case-insensitively', () => {
    for (const word of ['status', 'Name', 'TTL', 'zone', 'abort']) assert.ok(isReservedWord(word), word);
    for (const word of ['pk', 'sk', 'value1', 'statuses']) assert.ok(!isReservedWord(word), word);
  });
});
