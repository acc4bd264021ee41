// Lexing details: number forms, reserved words, quoting, and the number helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../../grammar/partiql/lexer.js';
import { checkNumberText, numberKey } from '../../../grammar/partiql/numbers.js';
import { isPlainIdentifier } from '../../../grammar/partiql/index.js';

function names(text: string): string[] {
  return tokenize(text).tokens.map((t) => `${t.image}:${t.tokenType.name}`);
}

test('number literals in every accepted form are one token', () => {
  for (const n of [
    '1',
    '1.0',
    '1.',
    '.5',
    '1e0',
    '7.31E6',
    '7.31e+6',
    '731e4',
    '73100000e-1',
    '.73e1',
    '00012',
  ]) {
    assert.deepEqual(names(n), [`${n}:NumberLiteral`], n);
  }
  // A sign is an operator; `1 e5` is a number and a name.
  assert.deepEqual(names('-.73e1'), ['-:Minus', '.73e1:NumberLiteral']);
  assert.deepEqual(names('1 e5'), ['1:NumberLiteral', 'e5:Identifier']);
});

test('reserved words are keywords in any case; other words are identifiers', () => {
  assert.deepEqual(names('SELECT select SeLeCt'), ['SELECT:Select', 'select:Select', 'SeLeCt:Select']);
  assert.deepEqual(names('value VALUE'), ['value:Value', 'VALUE:Value']);
  assert.deepEqual(names('inner key date'), ['inner:ReservedWord', 'key:ReservedWord', 'date:TypeKeyword']);
  assert.deepEqual(names('size count'), ['size:FunctionKeyword', 'count:FunctionKeyword']);
  assert.deepEqual(names('list bag string bool'), [
    'list:TypeFunctionKeyword',
    'bag:TypeFunctionKeyword',
    'string:TypeKeyword',
    'bool:TypeKeyword',
  ]);
  assert.deepEqual(names('begins_with name status year'), [
    'begins_with:Identifier',
    'name:Identifier',
    'status:Identifier',
    'year:Identifier',
  ]);
});

test('EXPLAIN is a keyword only as the first word', () => {
  assert.deepEqual(names('EXPLAIN SELECT'), ['EXPLAIN:Explain', 'SELECT:Select']);
  assert.deepEqual(names('a = explain'), ['a:Identifier', '=:Equals', 'explain:Identifier']);
});

test('operators take the longest match', () => {
  assert.deepEqual(
    tokenize('<> != <= >= << >> < > = + - * || / %').tokens.map((t) => t.tokenType.name),
    [
      'NotEquals',
      'NotEquals',
      'LessOrEqual',
      'GreaterOrEqual',
      'LDoubleAngle',
      'RDoubleAngle',
      'Less',
      'Greater',
      'Equals',
      'Plus',
      'Minus',
      'Star',
      'OtherOperator',
      'OtherOperator',
      'OtherOperator',
    ],
  );
});

test('strings and quoted identifiers escape their quote by doubling it', () => {
  assert.deepEqual(names(`'it''s' "a""b"`), [`'it''s':StringLiteral`, `"a""b":QuotedIdentifier`]);
  const lexed = tokenize(`'open`);
  assert.equal(lexed.tokens.length, 0);
  assert.equal(lexed.invalid[0]!.tokenType.name, 'UnterminatedString');
});

test('comments are kept apart from the tokens', () => {
  const lexed = tokenize('a -- one\n/* two\nlines */ b');
  assert.deepEqual(
    lexed.tokens.map((t) => t.image),
    ['a', 'b'],
  );
  assert.deepEqual(
    lexed.comments.map((t) => t.image),
    ['-- one', '/* two\nlines */'],
  );
  assert.equal(lexed.tokens[1]!.startLine, 3);
});

test('checkNumberText refuses exponents and scales that do not fit 32 bits', () => {
  for (const ok of ['1', '1e2147483647', '1e-2147483647', '1.5e-2147483646', '0.000001', '1e0000000000002']) {
    assert.equal(checkNumberText(ok), null, ok);
  }
  for (const bad of [
    '1e2147483648',
    '1e99999999999',
    '1.5e-2147483647',
    '1e-2147483648',
    '1.25e-2147483646',
  ]) {
    assert.notEqual(checkNumberText(bad), null, bad);
  }
});

test('numberKey is equal for numerically equal literals', () => {
  const same = [
    ['1', '1.0', '1.', '10e-1', '.1e1', '0001'],
    ['-7.3', '-.73e1', '-73e-1'],
    ['0', '0.0', '-0', '0e5'],
    ['7310000', '7.31E6', '731e4', '73100000e-1'],
  ];
  for (const group of same) {
    const keys = new Set(group.map(numberKey));
    assert.equal(keys.size, 1, group.join(' '));
  }
  assert.notEqual(numberKey('1'), numberKey('-1'));
  assert.notEqual(numberKey('1'), numberKey('10'));
  assert.notEqual(numberKey('0.1'), numberKey('1'));
});

test('isPlainIdentifier says when a name needs double quotes', () => {
  for (const n of ['Orders', 'pk', '_x', 'a$b', 'Artist1', 'name', 'status'])
    assert.ok(isPlainIdentifier(n), n);
  for (const n of ['my-table', 'a.b', '1abc', 'value', 'VALUE', 'date', 'size', 'select', '', 'a b', 'é']) {
    assert.ok(!isPlainIdentifier(n), n);
  }
});
