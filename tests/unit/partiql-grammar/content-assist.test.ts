// Completion: `|` in each case marks the cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suggest } from '../../../grammar/partiql/index.js';
import type { SchemaProvider, Suggestion } from '../../../grammar/partiql/index.js';

const schema: SchemaProvider = {
  tables: () => ['Orders', 'Music', 'my-table', 'select'],
  indexes: (t) => (t === 'Orders' ? ['byCustomer', 'by-date'] : t === 'Music' ? ['bySong'] : []),
  attributes: (t) =>
    t === 'Orders'
      ? ['pk', 'sk', 'customer', 'address.city', 'address.zip', 'value']
      : t === 'Music'
        ? ['Artist', 'SongTitle']
        : [],
};

function at(textWithCursor: string): Suggestion[] {
  const offset = textWithCursor.indexOf('|');
  assert.ok(offset >= 0);
  return suggest(textWithCursor.replace('|', ''), offset, schema);
}

/** `kind:insertText` of each suggestion, in order. */
function list(textWithCursor: string): string[] {
  return at(textWithCursor).map((s) => `${s.kind}:${s.insertText}`);
}

const CASES: [text: string, expected: string[]][] = [
  [
    '|',
    [
      'keyword:EXPLAIN',
      'keyword:SELECT',
      'keyword:INSERT INTO',
      'keyword:UPDATE',
      'keyword:DELETE FROM',
      'keyword:EXISTS',
    ],
  ],
  ['SEL|', ['keyword:SELECT']],
  ['sel|', ['keyword:select']],
  [
    'EXPLAIN |',
    ['keyword:SELECT', 'keyword:INSERT INTO', 'keyword:UPDATE', 'keyword:DELETE FROM', 'keyword:EXISTS'],
  ],
  ['SELECT * FROM |', ['table:Orders', 'table:Music', 'table:"my-table"', 'table:"select"']],
  ['SELECT * FROM O|', ['table:Orders']],
  ['SELECT * FROM o|', ['table:Orders']],
  ['SELECT * FROM "m|', ['table:"Music"', 'table:"my-table"']],
  ['SELECT * FROM "Orders".|', ['index:byCustomer', 'index:"by-date"']],
  ['SELECT * FROM Orders."by|', ['index:"byCustomer"', 'index:"by-date"']],
  ['SELECT * FROM "Music".b|', ['index:bySong']],
  ['UPDATE |', ['table:Orders', 'table:Music', 'table:"my-table"', 'table:"select"']],
  ['DELETE FROM M|', ['table:Music', 'table:"my-table"']],
  ['INSERT INTO |', ['table:Orders', 'table:Music', 'table:"my-table"', 'table:"select"']],
  [
    'SELECT * FROM Orders WHERE |',
    [
      'attribute:pk',
      'attribute:sk',
      'attribute:customer',
      'attribute:address',
      'attribute:"value"',
      'function:attribute_exists(',
      'function:attribute_not_exists(',
      'function:attribute_type(',
      'function:begins_with(',
      'function:contains(',
      'function:size(',
      'keyword:NOT',
    ],
  ],
  ['SELECT * FROM Orders WHERE c|', ['attribute:customer', 'function:contains(']],
  ['SELECT * FROM Orders WHERE be|', ['function:begins_with(']],
  ['SELECT * FROM Orders WHERE address.|', ['attribute:city', 'attribute:zip']],
  ['SELECT * FROM Orders WHERE address.c|', ['attribute:city']],
  ['SELECT * FROM Orders WHERE "v|', ['attribute:"value"']],
  [
    'SELECT * FROM Orders WHERE pk = 1 |',
    [
      'keyword:AND',
      'keyword:OR',
      'keyword:IS',
      'keyword:NOT',
      'keyword:IN',
      'keyword:BETWEEN',
      'keyword:ORDER BY',
    ],
  ],
  ['SELECT * FROM Orders WHERE pk = 1 AND sk BETWEEN 1 |', ['keyword:AND']],
  ['SELECT * FROM Orders WHERE pk = 1 OR|', ['keyword:OR', 'keyword:ORDER BY']],
  [
    'SELECT * FROM Orders WHERE x IS |',
    [
      'keyword:NOT',
      'keyword:NULL',
      'keyword:MISSING',
      'keyword:BOOLEAN',
      'keyword:STRING',
      'keyword:NUMERIC',
      'keyword:BLOB',
      'keyword:STRUCT',
      'keyword:TUPLE',
      'keyword:LIST',
    ],
  ],
  ['SELECT * FROM Orders WHERE x IS NOT M|', ['keyword:MISSING']],
  ['SELECT * FROM Orders WHERE pk = t|', ['keyword:true']],
  ['SELECT * FROM Orders WHERE pk = T|', ['keyword:TRUE']],
  ['SELECT * FROM Orders WHERE pk = 1 ORDER BY sk |', ['keyword:ASC', 'keyword:DESC']],
  [
    'SELECT | FROM Orders',
    ['attribute:pk', 'attribute:sk', 'attribute:customer', 'attribute:address', 'attribute:"value"'],
  ],
  ['SELECT pk, s| FROM Orders', ['attribute:sk']],
  ['SELECT * FROM Orders |', ['keyword:WHERE']],
  ['SELECT * |', ['keyword:FROM']],
  ['UPDATE Orders |', ['keyword:SET', 'keyword:REMOVE']],
  [
    'UPDATE Orders SET |',
    ['attribute:pk', 'attribute:sk', 'attribute:customer', 'attribute:address', 'attribute:"value"'],
  ],
  [
    'UPDATE Orders SET a = |',
    [
      'attribute:pk',
      'attribute:sk',
      'attribute:customer',
      'attribute:address',
      'attribute:"value"',
      'function:list_append(',
      'function:set_add(',
      'function:set_delete(',
    ],
  ],
  ['UPDATE Orders SET a = 1 |', ['keyword:SET', 'keyword:REMOVE', 'keyword:WHERE', 'keyword:RETURNING']],
  ['UPDATE Orders SET a = 1 WHERE pk = 1 RETURNING |', ['keyword:ALL', 'keyword:MODIFIED']],
  ['UPDATE Orders SET a = 1 WHERE pk = 1 RETURNING ALL |', ['keyword:OLD', 'keyword:NEW']],
  ['UPDATE Orders REMOVE address.|', ['attribute:city', 'attribute:zip']],
  ['DELETE FROM Orders |', ['keyword:WHERE', 'keyword:RETURNING']],
  ['INSERT INTO Orders |', ['keyword:VALUE']],
  ['DELETE |', ['keyword:FROM']],
  [
    'SELECT * FROM Music WHERE A|',
    [
      'attribute:Artist',
      'function:attribute_exists(',
      'function:attribute_not_exists(',
      'function:attribute_type(',
    ],
  ],
  ['SELECT * FROM Music WHERE N|', ['keyword:NOT', 'keyword:NULL']],
  ['select * from Orders wh|', ['keyword:where']],
  // Nothing inside strings and comments, or after a character no token starts with.
  ["SELECT * FROM Orders WHERE pk = 'ab|", []],
  ["SELECT * FROM Orders WHERE pk = 'ab'|", []],
  ['SELECT * FROM Orders -- wh|', []],
  ['SELECT * FROM Orders /* wh|', []],
  ['SELECT * FROM Orders /* c */ WHERE pk = # |', []],
  // No table known: no attributes, still keywords and functions.
  [
    'SELECT * FROM Nope WHERE |',
    [
      'function:attribute_exists(',
      'function:attribute_not_exists(',
      'function:attribute_type(',
      'function:begins_with(',
      'function:contains(',
      'function:size(',
      'keyword:NOT',
    ],
  ],
];

for (const [text, expected] of CASES) {
  test(`suggest: ${JSON.stringify(text)}`, () => {
    assert.deepEqual(list(text), expected);
  });
}

test('the replace range covers the partly typed word, including an opening double quote', () => {
  const plain = at('SELECT * FROM Or|');
  assert.deepEqual(plain[0]!.replace, { offset: 14, length: 2 });
  const quoted = at('SELECT * FROM "Or|');
  assert.deepEqual(quoted[0]!.replace, { offset: 14, length: 3 });
  assert.equal(quoted[0]!.insertText, '"Orders"');
  const none = at('SELECT * FROM |');
  assert.deepEqual(none[0]!.replace, { offset: 14, length: 0 });
});

test('the table is found after the cursor too (a SELECT list precedes FROM)', () => {
  const text = 'SELECT | FROM "Music" WHERE Artist = 1';
  assert.deepEqual(
    at(text).map((s) => s.label),
    ['Artist', 'SongTitle'],
  );
});

test('functions carry a signature as detail; attributes name their table', () => {
  const s = at('SELECT * FROM Orders WHERE begins|');
  assert.equal(s[0]!.detail, "begins_with(path, 'prefix')");
  const a = at('SELECT * FROM Orders WHERE cust|');
  assert.equal(a[0]!.detail, 'Orders');
});

test('a schema provider that throws yields no names, not an exception', () => {
  const broken: SchemaProvider = {
    tables: () => {
      throw new Error('offline');
    },
    indexes: () => [],
    attributes: () => [],
  };
  assert.deepEqual(suggest('SELECT * FROM ', 14, broken), []);
});

test('a cursor in the middle of a statement only looks at the text before it', () => {
  const text = 'SELECT * FROM Orders WHERE pk = 1';
  const s = suggest(text, 'SELECT * FROM '.length, schema);
  assert.ok(s.some((x) => x.kind === 'table' && x.label === 'Orders'));
});
