// Statements DynamoDB refuses: the first error must carry DynamoDB's exact message and point at the
// offending text (line, column, length; length 0 at the end of the statement).
//
// OBSERVED: messages pinned against DynamoDB itself by public conformance suites (see
// shared/reference/dynamodb-behaviour.md §1–5). DERIVED: the same family of messages, for statements
// whose exact DynamoDB answer is not published; the wording follows the reference PartiQL parser's
// code path for that input, or DynamoDB's published validation messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, parseStatementOrThrow, PartiqlParseError } from '../../../grammar/partiql/index.js';
import { assertFastPathAgrees } from './fast-path.js';

/** A "wasn't well formed" message with the given detail. */
const W = (detail: string): string => `Statement wasn't well formed, can't be processed: ${detail}`;

/** DynamoDB's refusal of a set literal whose members are not all strings or all numbers. */
const BAG = 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags';

type Case = [statement: string, message: string, line: number, column: number, length: number];

const OBSERVED: Case[] = [
  ['SELECT * FROM "N" WHERE pk = 1 foo', W('Unexpected token after expression'), 1, 32, 3],
  ['SELECT * FROM "N" WHERE pk = 1 e5', W('Unexpected token after expression'), 1, 32, 2],
  ['INSERT INTO "N" VALUE {\'pk\': 970001} foo', W('Unexpected token after expression'), 1, 38, 3],
  ['UPDATE "N" SET a = 9 WHERE pk = 970002 foo', W('Unexpected token after expression'), 1, 40, 3],
  ['DELETE FROM "N" WHERE pk = 970003 foo', W('Unexpected token after expression'), 1, 35, 3],
  ['SELECT * FROM "N" WHERE pk = 1)', W('Unexpected token after expression'), 1, 31, 1],
  ['DELETE FROM "N" WHERE pk = 970004 ORDER BY pk', W('Unexpected token after expression'), 1, 35, 5],
  ['SELECT * FROM "N" ORDER BY pk WHERE pk = 1', W('Unexpected token after expression'), 1, 31, 5],
  ['SELECT * FROM "N" WHERE pk = 1e2147483648', W(''), 1, 30, 12],
  ['SELECT * FROM "N" WHERE pk = 1e99999999999', W(''), 1, 30, 13],
  ['SELECT * FROM "N" WHERE pk = 1.5e-2147483647', W(''), 1, 30, 15],
  ['SELECT * FROM "N" WHERE pk = 1 # note', W(''), 1, 32, 1],
  ['SELECT * FROM "N" WHERE pk = 1 /* note', W(''), 1, 32, 7],
  ['SELECT * FROM "S" t WHERE pk = \'x\'', 'Aliasing is not supported', 1, 19, 1],
  ['SELECT * FROM "S" AS t WHERE pk = \'x\'', 'Aliasing is not supported', 1, 19, 4],
  ['UPDATE "S" t SET a = 3 WHERE pk = \'x\'', 'Aliasing is not supported', 1, 12, 1],
  ['DELETE FROM "S" t WHERE pk = \'x\'', 'Aliasing is not supported', 1, 17, 1],
  ["INSERT INTO \"S\" t VALUE {'pk': 'x'}", W('Unexpected token after expression'), 1, 19, 5],
  ['SELECT * FROM "S" WHERE', W('Unexpected term'), 1, 24, 0],
  ['SELECT * FROM "S" WHERE;', W('Unexpected term'), 1, 24, 1],
  ['SELECT * FROM "S" WHERE   ', W('Unexpected term'), 1, 27, 0],
  ['SELECT pk FROM "S" WHERE', W('Unexpected term'), 1, 25, 0],
  ['UPDATE "S" SET a = 1 WHERE', W('Unexpected term'), 1, 27, 0],
  ['DELETE FROM "S" WHERE', W('Unexpected term'), 1, 22, 0],
  ['SELECT * FROM "S" WHERE NOT', W('Unexpected term'), 1, 28, 0],
  ['SELECT * FROM "S" WHERE (', W('Unexpected term'), 1, 26, 0],
  [
    'SELECT * FROM "S" WHERE pk = \'p1\' AND',
    W('Missing right-hand side expression of infix operator'),
    1,
    38,
    0,
  ],
  [
    'SELECT * FROM "S" WHERE pk = \'p1\' OR',
    W('Missing right-hand side expression of infix operator'),
    1,
    37,
    0,
  ],
  ['SELECT * FROM "S" WHERE ORDER BY pk', W('Unexpected keyword'), 1, 25, 5],
  ['x IS INT4', 'Unsupported operation: IsType', 1, 1, 9],
  ['x IS INT8', 'Unsupported operation: IsType', 1, 1, 9],
  ['x IS DOUBLE PRECISION', 'Unsupported operation: IsType', 1, 1, 21],
  ['x IS CHARACTER VARYING', 'Unsupported operation: IsType', 1, 1, 22],
  ['SELECT * FROM "S" WHERE pk = \'a\' AND x IS FOO', W('Expected type name'), 1, 43, 3],
  ['SELECT * FROM "S" WHERE IS NULL', W('Unexpected operator'), 1, 25, 2],
  ['SELECT * FROM "S" WHERE pk = LIKE', W('Unexpected operator'), 1, 30, 4],
  ['DELETE FROM', W('Expected identifier for simple path'), 1, 12, 0],
  ['DELETE FROM   ', W('Expected identifier for simple path'), 1, 15, 0],
  ['DELETE FROM;', W('Expected identifier for simple path'), 1, 12, 1],
  ["DELETE FROM WHERE pk = 'a'", W('Expected identifier for simple path'), 1, 13, 5],
  ['SELECT * FROM', W('Unexpected term'), 1, 14, 0],
  ['FROM "S" SET c = 1 WHERE pk = \'pq-ff-msg\'', W('Unexpected token after expression'), 1, 20, 5],
  ['FROM "S" SET c = 1 WHERE pk = \'pq-ff-msg\' SET d = 2', W('Unexpected token after expression'), 1, 20, 5],
  ['SLECT * FROM "T" WHERE pk = \'batch-dup\'', W('Expected data manipulation'), 1, 7, 1],
  [
    "SELECT * FROM \"T\" WHERE pk = 'i' AND attribute_exists('ss')",
    'Operator or function requires a document path; operator or function: attribute_exists',
    1,
    55,
    4,
  ],
  [
    'SELECT * FROM "T" WHERE pk = \'i\' AND attribute_exists(?)',
    'Operator or function requires a document path; operator or function: attribute_exists',
    1,
    55,
    1,
  ],
  [
    'SELECT * FROM "T" WHERE pk = \'i\' AND attribute_exists()',
    'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 0',
    1,
    38,
    18,
  ],
  [
    'SELECT * FROM "T" WHERE pk = \'i\' AND attribute_exists(ss, ns)',
    'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2',
    1,
    38,
    24,
  ],
  ['SELECT attribute_exists(ss) FROM "T" WHERE pk = \'i\'', 'Unexpected path component at 1:8:16', 1, 8, 16],
  ['SELECT * FROM "T" WHERE pk = \'i\' AND EXISTS(ss)', 'Unrecognized function: exists at 1:38:6', 1, 38, 6],
  [
    'SELECT * FROM "T" WHERE pk = \'i\' AND attribute_exists(m.inner)',
    W('Invalid path dot component'),
    1,
    57,
    5,
  ],
  [
    "UPDATE \"T\" SET t = set_add(ss, <<'x'>>) WHERE pk = 'i'",
    'The first argument to SET_ADD must equal the assignment value at 1:20:7',
    1,
    20,
    7,
  ],
  [
    "UPDATE \"T\" SET ss = set_add(<<'a'>>, <<'b'>>) WHERE pk = 'i'",
    'The first argument to SET_ADD must equal the assignment value at 1:21:7',
    1,
    21,
    7,
  ],
  [
    "UPDATE \"T\" SET ss = set_add(ss, 'x') WHERE pk = 'i'",
    'The second argument to SET_ADD must be a value with type SET at 1:29:2',
    1,
    29,
    2,
  ],
  [
    "UPDATE \"T\" SET ss = set_add(ss, ['x']) WHERE pk = 'i'",
    'The second argument to SET_ADD must be a value with type SET at 1:29:2',
    1,
    29,
    2,
  ],
  [
    'UPDATE "T" SET ss = set_add(ss) WHERE pk = \'i\'',
    'SET_ADD must have exactly two arguments at 1:21:7',
    1,
    21,
    7,
  ],
  [
    "UPDATE \"T\" SET ss = set_add(ss, <<'x'>>, <<'y'>>) WHERE pk = 'i'",
    'SET_ADD must have exactly two arguments at 1:21:7',
    1,
    21,
    7,
  ],
  [
    "UPDATE \"T\" SET ss = set_add(ss, <<'x', 'x'>>) WHERE pk = 'i'",
    'One or more parameter values were invalid: Input collection [x, x] contains duplicates.',
    1,
    33,
    12,
  ],
  ['UPDATE "T" SET ss = set_add(ss, <<>>) WHERE pk = \'i\'', 'Empty bags are not supported', 1, 33, 4],
  [
    "UPDATE \"T\" SET m.inner = set_add(m.inner, <<'y'>>) WHERE pk = 'i'",
    W('Invalid path dot component'),
    1,
    18,
    5,
  ],
  [
    "SELECT * FROM \"T\" WHERE pk = 'i' AND set_add(ss, <<'x'>>) = ss",
    'Unrecognized function: set_add at 1:38:7',
    1,
    38,
    7,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'pq-fn-msg-insert', 'ss': set_add(<<'a'>>, <<'b'>>)}",
    'Unsupported data type: set_add under key root at 1:56:7',
    1,
    56,
    7,
  ],
  [
    "UPDATE \"T\" SET t = set_delete(ss, <<'a'>>) WHERE pk = 'i'",
    'The first argument to SET_DELETE must equal the assignment value at 1:20:10',
    1,
    20,
    10,
  ],
  [
    "UPDATE \"T\" SET ss = set_delete(ss, 'a') WHERE pk = 'i'",
    'The second argument to SET_DELETE must be a value with type SET at 1:32:2',
    1,
    32,
    2,
  ],
];

const DERIVED: Case[] = [
  [
    'SELECT * FROM "T" WHERE pk = \'i\' AND list_append(a, b) = c',
    'Unrecognized function: list_append at 1:38:11',
    1,
    38,
    11,
  ],
  ['SELECT * FROM "T" WHERE pk = \'i\' AND foo(a)', 'Unrecognized function: foo at 1:38:3', 1, 38, 3],
  [
    "SELECT * FROM \"T\" WHERE pk = 'i' AND upper(a) = 'X'",
    'Unrecognized function: upper at 1:38:5',
    1,
    38,
    5,
  ],
  ['UPDATE "T" SET a = size(b) WHERE pk = \'i\'', 'Unrecognized function: size at 1:20:4', 1, 20, 4],
  [
    'UPDATE "T" SET a = list_append(a) WHERE pk = \'i\'',
    'Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1',
    1,
    20,
    14,
  ],
  [
    'SELECT * FROM "T" WHERE pk = \'i\' AND begins_with(a)',
    'Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1',
    1,
    38,
    14,
  ],
  [
    "SELECT * FROM \"T\" WHERE pk = 'i' AND attribute_type('a', 'S')",
    'Operator or function requires a document path; operator or function: attribute_type',
    1,
    53,
    3,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 'm': {'x': upper('a')}}",
    'Unsupported data type: upper under key root.x at 1:46:5',
    1,
    46,
    5,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 'l': [1, size(a)]}",
    'Unsupported data type: size under key root[1] at 1:44:4',
    1,
    44,
    4,
  ],
  ["INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<>>}", 'Empty bags are not supported', 1, 40, 4],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<1, 1>>}",
    'One or more parameter values were invalid: Input collection [1, 1] contains duplicates.',
    1,
    40,
    8,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<'a', 'b', 'a'>>}",
    'One or more parameter values were invalid: Input collection [a, b, a] contains duplicates.',
    1,
    40,
    17,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<1, 1.0>>}",
    'One or more parameter values were invalid: Input collection [1, 1.0] contains duplicates.',
    1,
    40,
    10,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<10, 1e1>>}",
    'One or more parameter values were invalid: Input collection [10, 1e1] contains duplicates.',
    1,
    40,
    11,
  ],
  ['SELECT * FROM "T" WHERE a = <<>>', 'Empty bags are not supported', 1, 29, 4],
  [
    "INSERT INTO \"T\" <<{'pk': 'a'}, {'pk': 'b'}>>",
    'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead',
    1,
    17,
    28,
  ],
  [
    'INSERT INTO "T" VALUE [1, 2]',
    'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
    1,
    23,
    6,
  ],
  [
    'INSERT INTO "T" VALUE \'x\'',
    'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
    1,
    23,
    3,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p'} RETURNING ALL OLD *",
    'RETURNING is not supported in INSERT',
    1,
    35,
    19,
  ],
  [
    'DELETE FROM "T" WHERE pk = \'p\' RETURNING ALL NEW *',
    'Invalid returning clause: RETURNING ALL NEW. Only RETURNING ALL OLD * is allowed in DELETE statements.',
    1,
    32,
    19,
  ],
  [
    'DELETE FROM "T" WHERE pk = \'p\' RETURNING MODIFIED OLD *',
    'Invalid returning clause: RETURNING MODIFIED OLD. Only RETURNING ALL OLD * is allowed in DELETE statements.',
    1,
    32,
    24,
  ],
  [
    'UPDATE "T" SET a = 1 WHERE pk = \'p\' RETURNING ALL OLD a',
    "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
    1,
    55,
    1,
  ],
  [
    'UPDATE "T" SET a = 1 WHERE pk = \'p\' RETURNING ALL OLD *, ALL NEW *',
    'Invalid syntax with multiple returning elements in RETURNING clause',
    1,
    37,
    30,
  ],
  [
    'UPDATE "T" SET a = 1 WHERE pk = \'p\' RETURNING',
    W('Expected ( MODIFIED | ALL ) ( NEW | OLD ) in each returning element.'),
    1,
    46,
    0,
  ],
  [
    'UPDATE "T" SET a = 1 WHERE pk = \'p\' RETURNING ALL',
    W('Expected ( MODIFIED | ALL ) ( NEW | OLD ) in each returning element.'),
    1,
    50,
    0,
  ],
  ['UPDATE "T" SET a = 1 WHERE pk = \'p\' RETURNING ALL OLD', W('Unexpected term'), 1, 54, 0],
  [
    'UPDATE "T" SET a = 1 WHERE pk = \'p\' RETURNING NEW *',
    W('Expected ( MODIFIED | ALL ) ( NEW | OLD ) in each returning element.'),
    1,
    47,
    3,
  ],
  ['UPDATE "T" WHERE pk = \'p\'', W('Expected data manipulation'), 1, 12, 5],
  ['UPDATE "T"', W('Expected data manipulation'), 1, 11, 0],
  ['FROM "T" WHERE pk = \'p\'', W('Expected data manipulation'), 1, 24, 0],
  ['FROM "T"', W('Expected data manipulation'), 1, 9, 0],
  ['SELECT * FROM "a"."b"."c"', 'A path may contain at most 2 components in the FROM clause', 1, 15, 11],
  [
    'SELECT *, a FROM "T"',
    W("Other expressions may not be present in the select list when '*' is used without dot notation."),
    1,
    8,
    1,
  ],
  [
    'SELECT a, * FROM "T"',
    W("Other expressions may not be present in the select list when '*' is used without dot notation."),
    1,
    11,
    1,
  ],
  ['SELECT a AS b FROM "T"', 'Aliasing is not supported', 1, 10, 4],
  ['SELECT a b FROM "T"', 'Aliasing is not supported', 1, 10, 1],
  ['SELECT VALUE a FROM "T"', "Select projection doesn't support value or pivot keywords", 1, 8, 5],
  ['SELECT \'x\' FROM "T"', 'Unexpected path component at 1:8:3', 1, 8, 3],
  ['SELECT * FROM "T" WHERE a.b.* = 1', 'Unpivot path component like a.*.b are not supported', 1, 29, 1],
  ['SELECT * FROM "T" WHERE a[*] = 1', 'Wildcard path component like a[*].b are not supported', 1, 27, 1],
  ['SELECT * FROM "T" WHERE a[b] = 1', 'Unexpected path component at 1:27:1', 1, 27, 1],
  ['SELECT * FROM "T" WHERE a[1.5] = 1', 'Unexpected path component at 1:27:3', 1, 27, 3],
  ['SELECT * FROM "T" WHERE a BETWEEN 1', W('Expected AND keyword'), 1, 36, 0],
  ['SELECT * FROM "T" WHERE a BETWEEN 1 AND', W('Expected expression after AND'), 1, 40, 0],
  ['SELECT * FROM "T" WHERE a BETWEEN 1 OR 2', W('Expected AND keyword'), 1, 37, 2],
  ['SELECT * FROM "T" WHERE a IN', W('Missing right-hand side expression of infix operator'), 1, 29, 0],
  ['SELECT * FROM "T" WHERE a IN ()', W('Unexpected term'), 1, 30, 1],
  ['SELECT * FROM "T" WHERE a IN [1, 2', W('Expected RIGHT_BRACKET'), 1, 35, 0],
  ['SELECT * FROM "T" WHERE begins_with(a, \'x\'', W('Expected RIGHT_PAREN'), 1, 43, 0],
  ['SELECT * FROM "T" WHERE begins_with(a \'x\')', W('Expected RIGHT_PAREN'), 1, 39, 3],
  ['SELECT * FROM "T" WHERE a = [1, 2', W('Expected RIGHT_BRACKET'), 1, 34, 0],
  ['SELECT * FROM "T" WHERE a = [1,]', W('Unexpected term'), 1, 32, 1],
  ['SELECT * FROM "T" WHERE a = {\'k\': 1', W('Expected RIGHT_CURLY'), 1, 36, 0],
  ['SELECT * FROM "T" WHERE a = {\'k\' 1}', W('Expected COLON'), 1, 34, 1],
  ['SELECT * FROM "T" WHERE a = <<1, 2', W('Expected RIGHT_DOUBLE_ANGLE_BRACKET'), 1, 35, 0],
  ['SELECT * FROM "T" WHERE a = \'x', W(''), 1, 29, 2],
  ['SELECT * FROM "T" WHERE "a = 1', W(''), 1, 25, 6],
  ['SELECT * FROM "T" ORDER pk', W('Expected BY'), 1, 25, 2],
  ['SELECT *', W('Expected FROM after SELECT list'), 1, 9, 0],
  ['SELECT * "T"', W('Expected FROM after SELECT list'), 1, 10, 3],
  ['SELECT FROM "T"', W('Unexpected keyword'), 1, 8, 4],
  ['DELETE "T" WHERE pk = 1', W('Expected FROM after DELETE'), 1, 8, 3],
  ['INSERT "T" VALUE {\'pk\': 1}', W('Unexpected keyword'), 1, 1, 6],
  ["INSERT INTO VALUE {'pk': 1}", W('Expected identifier for simple path'), 1, 13, 5],
  ['UPDATE SET a = 1', W('Expected identifier for simple path'), 1, 8, 3],
  ['UPDATE "T" SET a 1 WHERE pk = 1', W("Expected '='"), 1, 18, 1],
  ['UPDATE "T" SET = 1 WHERE pk = 1', W('Unexpected operator'), 1, 16, 1],
  ['UPDATE "T" SET a = WHERE pk = 1', W('Unexpected keyword'), 1, 20, 5],
  ['UPDATE "T" SET a.value = 1 WHERE pk = 1', W('Invalid path dot component'), 1, 18, 5],
  ['UPDATE "T" SET a[x] = 1 WHERE pk = 1', W('Invalid path component for simple path'), 1, 18, 1],
  ['UPDATE "T" SET a[1.5] = 1 WHERE pk = 1', W('Invalid path component for simple path'), 1, 18, 3],
  ['UPDATE "T" REMOVE a, b WHERE pk = 1', W('Unexpected token after expression'), 1, 20, 1],
  ['UPDATE "T" REMOVE WHERE pk = 1', W('Expected identifier for simple path'), 1, 19, 5],
  ['SELECT * FROM "T" WHERE value = 1', W('Unexpected keyword'), 1, 25, 5],
  ['SELECT * FROM "T" WHERE date = 1', W('Unexpected keyword'), 1, 25, 4],
  ['SELECT * FROM "T" WHERE size = 1', W('Unexpected keyword'), 1, 25, 4],
  ['SELECT * FROM "T" WHERE m.size = 1', W('Invalid path dot component'), 1, 27, 4],
  ['SELECT * FROM "T" WHERE m.\'k\' = 1', W('Invalid path dot component'), 1, 27, 3],
  ['SELECT * FROM "T" WHERE a LIKE \'x%\'', W('Unexpected token after expression'), 1, 27, 4],
  ['SELECT * FROM "T" WHERE a = 1 ||', W('Unexpected token after expression'), 1, 31, 2],
  ['SELECT * FROM "T" WHERE a = 1 * 2', W('Unexpected token after expression'), 1, 31, 1],
  ['SELECT * FROM "T" WHERE = 1', W('Unexpected operator'), 1, 25, 1],
  ['SELECT * FROM "T" WHERE a = 1 AND AND b = 2', W('Unexpected operator'), 1, 35, 3],
  ['SELECT * FROM "T" WHERE x IS', W('Expected type name'), 1, 29, 0],
  ['SELECT * FROM "T" WHERE x IS NOT', W('Expected type name'), 1, 33, 0],
  ['SELECT * FROM "T" WHERE x IS 5', W('Expected type name'), 1, 30, 1],
  ['SELECT * FROM "T" WHERE x IS INT(3)', W('IS type argument integer must have arity of 0..0'), 1, 35, 1],
  [
    'SELECT * FROM "T" WHERE x IS DECIMAL(1, 2, 3)',
    W('IS type argument decimal must have arity of 0..2'),
    1,
    45,
    1,
  ],
  ['SELECT * FROM "T" WHERE x IS DOUBLE', W('Expected type name'), 1, 30, 6],
  ['SELECT * FROM select', W('Unexpected keyword'), 1, 15, 6],
  ['', W('Unexpected term'), 1, 1, 0],
  ['   ', W('Unexpected term'), 1, 4, 0],
  ['-- only a comment', W('Unexpected term'), 1, 18, 0],
  ['CREATE TABLE x', W('Unexpected keyword'), 1, 1, 6],
  ['SELECT * FROM "T" WHERE pk = @x', W(''), 1, 30, 1],
  ['SELECT * FROM "T" WHERE pk = `ion`', W(''), 1, 30, 1],
  ['SELECT * FROM "T" WHERE pk = 1 LIMIT 10', W('Unexpected token after expression'), 1, 32, 5],
  ['SELECT * FROM "T" WHERE pk = 1 GROUP BY pk', W('Unexpected token after expression'), 1, 32, 5],
  ['SELECT * FROM "T" t1 JOIN "U" u2', W('Unexpected token after expression'), 1, 22, 4],
  ['SELECT * FROM "T" WHERE pk = 1;;', W('Unexpected token after expression'), 1, 32, 1],
  ['EXPLAIN', W('Unexpected term'), 1, 8, 0],
  ['EXPLAIN EXPLAIN SELECT * FROM "T"', W('Unexpected token after expression'), 1, 17, 6],
  ['SELECT * FROM "T"\nWHERE pk = 1\n  AND foo bar', W('Unexpected token after expression'), 3, 11, 3],
  [
    'SELECT * FROM "T"\r\nWHERE\r\n  pk =',
    W('Missing right-hand side expression of infix operator'),
    3,
    7,
    0,
  ],
  // A tuple that repeats a key: the path is the tuple's own, the position the repeated key's. A
  // refused value under the repeated key is reported instead, as DynamoDB converts it first.
  [
    "INSERT INTO \"T\" VALUE {'pk': 'b', 'pk': 'c'}",
    'Duplicate keys in tuple. Key: pk under root at 1:35:4',
    1,
    35,
    4,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 'm': {'x': 1, 'x': 2}}",
    'Duplicate keys in tuple. Key: x under root at 1:49:3',
    1,
    49,
    3,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 'm': {'n': {'x': 1, 'x': 2}}}",
    'Duplicate keys in tuple. Key: x under root.n at 1:55:3',
    1,
    55,
    3,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 'l': [1, {'x': 1, 'x': 2}]}",
    'Duplicate keys in tuple. Key: x under root[1] at 1:53:3',
    1,
    53,
    3,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 'b': 1, 'b': 2, 'b': 3}",
    'Duplicate keys in tuple. Key: b under root at 1:43:3',
    1,
    43,
    3,
  ],
  ["INSERT INTO \"T\" VALUE {'pk': 'p', 'pk': <<>>}", 'Empty bags are not supported', 1, 41, 4],
  [
    "UPDATE \"T\" SET a = {'x': 1, 'x': 2} WHERE pk = 'p'",
    'Duplicate keys in tuple. Key: x under root at 1:29:3',
    1,
    29,
    3,
  ],
  [
    "UPDATE \"T\" SET a = [{'x': 1, 'x': 2}] WHERE pk = 'p'",
    'Duplicate keys in tuple. Key: x under root[0] at 1:30:3',
    1,
    30,
    3,
  ],
  [
    "UPDATE \"T\" SET l = list_append(l, [{'x': 1, 'x': 2}]) WHERE pk = 'p'",
    'Duplicate keys in tuple. Key: x under root[0] at 1:45:3',
    1,
    45,
    3,
  ],
  [
    "SELECT * FROM \"T\" WHERE a = {'x': 1, 'x': 2}",
    'Duplicate keys in tuple. Key: x under root at 1:38:3',
    1,
    38,
    3,
  ],
  [
    "SELECT * FROM \"T\" WHERE a = {'k': {'x': 1, 'x': 2}}",
    'Duplicate keys in tuple. Key: x under root.k at 1:44:3',
    1,
    44,
    3,
  ],
  [
    "SELECT * FROM \"T\" WHERE a IN [{'x': 1, 'x': 2}]",
    'Duplicate keys in tuple. Key: x under root at 1:40:3',
    1,
    40,
    3,
  ],
  // A set takes its type from its first member; each member must be a string or number literal.
  ["INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<1, 'a'>>}", BAG, 1, 45, 3],
  ["INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<'a', 1>>}", BAG, 1, 47, 1],
  ["INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<[1]>>}", BAG, 1, 42, 3],
  ["INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<{'k': 1}>>}", BAG, 1, 42, 8],
  ["INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<TRUE>>}", BAG, 1, 42, 4],
  ["INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<NULL>>}", BAG, 1, 42, 4],
  ["INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<'a', NULL>>}", BAG, 1, 47, 4],
  ["INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<<<1>>>>}", BAG, 1, 42, 5],
  ["INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<a>>}", BAG, 1, 42, 1],
  ["INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<1, 'a', 1>>}", BAG, 1, 45, 3],
  ["UPDATE \"T\" SET ss = set_add(ss, <<'a', 1>>) WHERE pk = 'p'", BAG, 1, 40, 1],
  ['SELECT * FROM "T" WHERE a = <<1, \'a\'>>', BAG, 1, 34, 3],
  // A negative zero decimal in a stored value (an integer -0 or a float -0e0 is a plain zero).
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 'n': -0.0}",
    'Negative zero decimal is not supported under key root at 1:40:4',
    1,
    40,
    4,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 'n': -0.00}",
    'Negative zero decimal is not supported under key root at 1:40:5',
    1,
    40,
    5,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 'n': -.0}",
    'Negative zero decimal is not supported under key root at 1:40:3',
    1,
    40,
    3,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 'n': - 0.0}",
    'Negative zero decimal is not supported under key root at 1:40:5',
    1,
    40,
    5,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 'n': -0.}",
    'Negative zero decimal is not supported under key root at 1:40:3',
    1,
    40,
    3,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 'm': {'k': [-0.0]}}",
    'Negative zero decimal is not supported under key root.k[0] at 1:47:4',
    1,
    47,
    4,
  ],
  [
    "INSERT INTO \"T\" VALUE {'pk': 'p', 's': <<1, -0.0>>}",
    'Negative zero decimal is not supported under key root at 1:45:4',
    1,
    45,
    4,
  ],
  [
    'UPDATE "T" SET a = -0.0 WHERE pk = \'p\'',
    'Negative zero decimal is not supported under key root at 1:20:4',
    1,
    20,
    4,
  ],
  [
    "UPDATE \"T\" SET a = [1, {'k': -0.0}] WHERE pk = 'p'",
    'Negative zero decimal is not supported under key root[1].k at 1:30:4',
    1,
    30,
    4,
  ],
  [
    'UPDATE "T" SET a = a + -0.0 WHERE pk = \'p\'',
    'Negative zero decimal is not supported under key root at 1:24:4',
    1,
    24,
    4,
  ],
  // MISSING only in IS [NOT] MISSING; an operand's own refusal comes before the AND/OR check.
  ['SELECT * FROM "T" WHERE x = MISSING', 'MISSING must be compared using IS operator', 1, 29, 7],
  ['SELECT * FROM "T" WHERE MISSING <> x', 'MISSING must be compared using IS operator', 1, 25, 7],
  ['SELECT * FROM "T" WHERE x < MISSING', 'MISSING must be compared using IS operator', 1, 29, 7],
  ['SELECT * FROM "T" WHERE x IN [MISSING]', 'MISSING must be compared using IS operator', 1, 31, 7],
  ['SELECT * FROM "T" WHERE x IN (1, MISSING)', 'MISSING must be compared using IS operator', 1, 34, 7],
  ['SELECT * FROM "T" WHERE x BETWEEN MISSING AND 1', 'MISSING must be compared using IS operator', 1, 35, 7],
  ['SELECT * FROM "T" WHERE NOT x = MISSING', 'MISSING must be compared using IS operator', 1, 33, 7],
  ['SELECT * FROM "T" WHERE pk = \'p\' AND MISSING', 'MISSING must be compared using IS operator', 1, 38, 7],
  ['SELECT * FROM "T" WHERE 1 AND x = MISSING', 'MISSING must be compared using IS operator', 1, 35, 7],
  [
    'UPDATE "T" SET a = 1 WHERE pk = \'p\' AND a <> MISSING',
    'MISSING must be compared using IS operator',
    1,
    46,
    7,
  ],
  [
    'DELETE FROM "T" WHERE pk = \'p\' AND a = MISSING',
    'MISSING must be compared using IS operator',
    1,
    40,
    7,
  ],
  // WHERE, AND/OR and NOT take conditions: comparisons, AND/OR, NOT, BETWEEN, IN, IS, calls.
  [
    'SELECT * FROM "T" WHERE flag',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    25,
    4,
  ],
  [
    'SELECT * FROM "T" WHERE 1',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    25,
    1,
  ],
  [
    'SELECT * FROM "T" WHERE true',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    25,
    4,
  ],
  [
    'SELECT * FROM "T" WHERE \'a\'',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    25,
    3,
  ],
  [
    'SELECT * FROM "T" WHERE NULL',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    25,
    4,
  ],
  [
    'SELECT * FROM "T" WHERE ?',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    25,
    1,
  ],
  [
    'SELECT * FROM "T" WHERE [1]',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    25,
    3,
  ],
  [
    'SELECT * FROM "T" WHERE {\'a\': 1}',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    25,
    8,
  ],
  [
    'SELECT * FROM "T" WHERE a + 1',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    25,
    5,
  ],
  [
    'SELECT * FROM "T" WHERE (flag)',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    25,
    6,
  ],
  [
    'UPDATE "T" SET a = 1 WHERE flag',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    28,
    4,
  ],
  [
    'DELETE FROM "T" WHERE flag',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    23,
    4,
  ],
  [
    'FROM "T" WHERE flag SET a = 1',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    16,
    4,
  ],
  [
    'EXISTS(SELECT * FROM "T" WHERE flag)',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    32,
    4,
  ],
  [
    'EXPLAIN SELECT * FROM "T" WHERE flag',
    'WHERE clause must contain an expression that resolves to a boolean',
    1,
    33,
    4,
  ],
  ['SELECT * FROM "T" WHERE pk = \'p\' AND flag', 'The arguments to AND/OR must be Expressions', 1, 38, 4],
  ['SELECT * FROM "T" WHERE flag OR pk = \'p\'', 'The arguments to AND/OR must be Expressions', 1, 25, 4],
  ['SELECT * FROM "T" WHERE pk = \'p\' AND (flag)', 'The arguments to AND/OR must be Expressions', 1, 38, 6],
  ['SELECT * FROM "T" WHERE pk = \'p\' AND TRUE', 'The arguments to AND/OR must be Expressions', 1, 38, 4],
  ['SELECT * FROM "T" WHERE pk = \'p\' AND ?', 'The arguments to AND/OR must be Expressions', 1, 38, 1],
  [
    'SELECT * FROM "T" WHERE (pk = \'p\' AND a) OR b = 2',
    'The arguments to AND/OR must be Expressions',
    1,
    39,
    1,
  ],
  ['DELETE FROM "T" WHERE pk = \'p\' AND a - 1', 'The arguments to AND/OR must be Expressions', 1, 36, 5],
  ['SELECT * FROM "T" WHERE NOT flag', 'The argument to NOT must be a Type or Expression', 1, 29, 4],
  [
    'SELECT * FROM "T" WHERE pk = \'p\' AND NOT 1',
    'The argument to NOT must be a Type or Expression',
    1,
    42,
    1,
  ],
  ['SELECT * FROM "T" WHERE NOT (a + 1)', 'The argument to NOT must be a Type or Expression', 1, 29, 7],
  ['SELECT * FROM "T" WHERE pk = \'p\' AND foo(x) AND 1', 'Unrecognized function: foo at 1:38:3', 1, 38, 3],
  // A SELECT list names each path once.
  ['SELECT a, a FROM "T"', 'Duplicate identifiers in select clause: a at 1:11:1', 1, 11, 1],
  ['SELECT a.b, a.b FROM "T"', 'Duplicate identifiers in select clause: a.b at 1:13:3', 1, 13, 3],
  ['SELECT a[0], b, a[0] FROM "T"', 'Duplicate identifiers in select clause: a[0] at 1:17:4', 1, 17, 4],
  [
    'SELECT "a b", "a b" FROM "T" WHERE pk = \'p\'',
    'Duplicate identifiers in select clause: "a b" at 1:15:5',
    1,
    15,
    5,
  ],
];

for (const [group, cases] of [
  ['observed', OBSERVED],
  ['derived', DERIVED],
] as const) {
  for (const [statement, message, line, column, length] of cases) {
    test(`error (${group}): ${JSON.stringify(statement)}`, () => {
      const result = parseStatement(statement);
      assert.equal(result.ok, false, 'should not parse');
      if (result.ok) return;
      const first = result.errors[0]!;
      assert.equal(first.message, message);
      assert.deepEqual([first.line, first.column, first.length], [line, column, length]);
      assert.equal(first.kind, message.startsWith(W('')) ? 'syntax' : 'validation');
      assert.ok(first.hint.length > 0);
      // The offset agrees with line and column.
      const lines = statement.slice(0, first.offset).split(/\r\n|\r|\n/);
      assert.equal(lines.length, line);
      assert.equal(lines[lines.length - 1]!.length + 1, column);
      assertFastPathAgrees(statement);
    });
  }
}

test('messages with a position use 1-based line:column:length of the named token', () => {
  const statement = 'SELECT *\nFROM "T"\nWHERE pk = 1 AND EXISTS(a)';
  const result = parseStatement(statement);
  assert.ok(!result.ok);
  assert.equal(result.errors[0]!.message, 'Unrecognized function: exists at 3:18:6');
});

test('syntax errors are reported before refusals of a statement that parses', () => {
  // The alias would be refused, but the statement does not parse in the first place.
  const result = parseStatement('SELECT * FROM "T" t WHERE');
  assert.ok(!result.ok);
  assert.equal(result.errors[0]!.message, W('Unexpected term'));
});

test('lexer errors come first, then what the parser made of the rest', () => {
  const result = parseStatement('SELECT * FROM "T" WHERE a = 1 # b = 2');
  assert.ok(!result.ok);
  assert.equal(result.errors[0]!.message, W(''));
  assert.equal(result.errors[0]!.column, 31);
  assert.ok(result.errors.length >= 2);
});

test('error recovery reports several problems for editors', () => {
  const result = parseStatement('SELECT * FROM "T" WHERE a = = 1 AND b = = 2');
  assert.ok(!result.ok);
  assert.deepEqual(
    result.errors.map((e) => [e.message, e.column]),
    [
      [W('Unexpected operator'), 29],
      [W('Unexpected operator'), 41],
    ],
  );
});

test('several refusals are all listed, in statement order', () => {
  const result = parseStatement('SELECT a AS b FROM "T" t WHERE x = <<>> AND foo(y)');
  assert.ok(!result.ok);
  assert.deepEqual(
    result.errors.map((e) => e.message),
    [
      'Aliasing is not supported',
      'Aliasing is not supported',
      'Empty bags are not supported',
      'Unrecognized function: foo at 1:45:3',
    ],
  );
});

test('parseStatementOrThrow throws a ValidationException-named error carrying every error', () => {
  assert.throws(
    () => parseStatementOrThrow('SELECT * FROM'),
    (e: unknown) =>
      e instanceof PartiqlParseError &&
      e.name === 'ValidationException' &&
      e.message === W('Unexpected term') &&
      e.errors.length === 1,
  );
  assert.equal(parseStatementOrThrow('SELECT * FROM "T"').kind, 'select');
});
