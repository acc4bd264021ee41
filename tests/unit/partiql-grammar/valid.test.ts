// Hundreds of statements DynamoDB accepts must parse, and every AST node's position must be sane:
// inside the text, with line and column agreeing with the offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement } from '../../../grammar/partiql/index.js';
import { nodes } from './render.js';
import { assertFastPathAgrees } from './fast-path.js';

/** WHERE conditions DynamoDB accepts (docs examples and observed forms). */
const CONDITIONS = [
  "pk = 'a'",
  'pk = 1',
  'pk = ?',
  "pk = 'a' AND sk = 'b'",
  "pk = 'a' AND sk > 5",
  "pk = 'a' AND sk BETWEEN 1 AND 9",
  "pk = 'a' AND sk NOT BETWEEN 1 AND 9",
  "pk = 'a' AND begins_with(sk, 'x')",
  "pk = 'a' AND contains(tags, 'red')",
  "pk = 'a' AND attribute_exists(a)",
  "pk = 'a' AND attribute_not_exists(a.b)",
  "pk = 'a' AND attribute_type(a, 'N')",
  "pk = 'a' AND size(a) >= 2",
  "pk = 'a' AND a IS NULL",
  "pk = 'a' AND a IS NOT NULL",
  "pk = 'a' AND a IS MISSING",
  "pk = 'a' AND a IS NOT MISSING",
  "pk = 'a' AND a IS BOOLEAN",
  "pk = 'a' AND NOT a = 1",
  "pk = 'a' AND (a = 1 OR b = 2)",
  "pk = 'a' OR pk = 'b'",
  "pk IN ['a', 'b', 'c']",
  "pk IN ('a', 'b')",
  'pk IN [?, ?]',
  "pk = 'a' AND sk NOT IN [1, 2]",
  "pk = 'a' AND a <> 'x'",
  "pk = 'a' AND a != 'x'",
  "pk = 'a' AND a < 1 AND b <= 2 AND c >= 3",
  "pk = 'a' AND m.k = 1",
  "pk = 'a' AND l[0] = 1",
  "pk = 'a' AND m.l[1].k = 'v'",
  'pk = \'a\' AND "quoted attr" = 1',
  'pk = \'a\' AND m."size" = 1',
  "pk = 'a' AND a = [1, 2]",
  "pk = 'a' AND a = {'k': 'v'}",
  "pk = 'a' AND a = <<'x', 'y'>>",
  "pk = 'a' AND a = <<1, 2>>",
  "pk = 'a' AND a = TRUE",
  "pk = 'a' AND a = NULL",
  'pk = 7.31E6',
  'pk = .73e1',
  'pk = -.73e1',
  'pk = 731e4',
  'pk = 73100000e-1',
  'pk = 7.31e+6',
  "PK = 'a' and SK = 'b'",
  "pk = 'a' and a is not null or b is missing",
  "pk = 'a' AND a = b + 1",
  "pk = 'a' AND a - 1 > b",
  "pk = 'it''s'",
  // Conditions in parentheses, under NOT, or a function call on its own.
  "(pk = 'a')",
  "((pk = 'a')) AND (a = 1)",
  "pk = 'a' AND NOT (a = 1)",
  "pk = 'a' AND NOT NOT a = 1",
  "pk = 'a' AND NOT attribute_exists(a)",
  'attribute_exists(a)',
];

const TABLES = ['"Orders"', 'Orders', '"my-table.v2"', '"Orders"."byCustomer"', '"Orders"."by-date"'];

const statements: string[] = [];
for (const c of CONDITIONS) {
  statements.push(`SELECT * FROM "Orders" WHERE ${c}`);
  statements.push(`select a, b.c FROM Orders where ${c}`);
  statements.push(`UPDATE "Orders" SET x = 1 WHERE ${c}`);
  statements.push(`DELETE FROM "Orders" WHERE ${c}`);
  statements.push(`FROM "Orders" WHERE ${c} SET x = 1`);
  statements.push(`EXISTS(SELECT * FROM "Orders" WHERE ${c})`);
}
for (const t of TABLES) {
  statements.push(`SELECT * FROM ${t}`);
  statements.push(`SELECT a, a.b, a.c, a[0], a[1], "a b" FROM ${t}`);
  statements.push(`SELECT * FROM ${t} WHERE pk = 'a' ORDER BY sk DESC`);
  statements.push(`SELECT pk, sk FROM ${t} WHERE pk = ? ORDER BY sk ASC`);
}

/** Values DynamoDB takes in INSERT tuples and SET assignments. */
const VALUES = [
  "'string'",
  "''",
  "'with ''quotes'''",
  '1',
  '-1',
  '1.5',
  '.5',
  '-.5',
  '1e10',
  '1E-10',
  '7.31e+6',
  '12345678901234567890123456789012345678',
  'TRUE',
  'false',
  'NULL',
  '?',
  '[]',
  "[1, 'a', TRUE, NULL]",
  '{}',
  "{'a': {'b': [1, {'c': 2}]}}",
  "<<'a', 'b'>>",
  '<<1, 2.5, -3>>',
  '<<?>>',
  // `?` set members are the engine's to check; zeros other than a negative zero decimal.
  '<<?, 1>>',
  "<<'a', ?>>",
  '-0',
  '-0e0',
  '-0.0e0',
  '0.0',
  '-0.1',
  '<<0, -1>>',
  // Tuple keys are case-sensitive: different keys.
  "{'k': 1, 'K': 2}",
];
for (const v of VALUES) {
  statements.push(`INSERT INTO "Orders" VALUE {'pk': 'p', 'v': ${v}}`);
  statements.push(`UPDATE "Orders" SET v = ${v} WHERE pk = 'p'`);
  statements.push(`SELECT * FROM "Orders" WHERE pk = 'p' AND v = ${v}`);
}

const UPDATES = [
  'SET a = 1',
  'SET a = 1, b = 2',
  'SET a = 1 SET b = 2',
  'SET a = a + 1',
  'SET a = a - ?',
  'SET a.b = 1',
  'SET a[0] = 1',
  "SET a['k'] = 1",
  'SET a.b[2].c = 1',
  'SET "quoted name" = 1',
  'SET l = list_append(l, [1])',
  'SET l = list_append([0], l)',
  "SET s = set_add(s, <<'x'>>)",
  'SET s = set_delete(s, <<1>>)',
  'SET s = set_add(s, ?)',
  'REMOVE a',
  'REMOVE a.b',
  'REMOVE a[3]',
  'REMOVE a REMOVE b',
  'SET a = 1 REMOVE b',
  'REMOVE b SET a = 1',
];
for (const u of UPDATES) {
  statements.push(`UPDATE "Orders" ${u} WHERE pk = 'p'`);
  statements.push(`UPDATE "Orders" ${u} WHERE pk = 'p' RETURNING ALL NEW *`);
  statements.push(`FROM "Orders" WHERE pk = 'p' ${u}`);
}
for (const r of ['ALL OLD', 'MODIFIED OLD', 'ALL NEW', 'MODIFIED NEW', 'all old', 'Modified New']) {
  statements.push(`UPDATE "Orders" SET a = 1 WHERE pk = 'p' RETURNING ${r} *`);
  statements.push(`FROM "Orders" WHERE pk = 'p' SET a = 1 RETURNING ${r} *`);
}
statements.push(`DELETE FROM "Orders" WHERE pk = 'p' RETURNING ALL OLD *`);

// Comments, whitespace, semicolons and case.
statements.push(
  '-- leading comment\nSELECT * FROM "Orders" WHERE pk = \'a\'',
  '/* leading */ SELECT * FROM "Orders" WHERE pk = \'a\'',
  'SELECT * FROM "Orders" -- between\nWHERE pk = \'a\'',
  'SELECT * FROM "Orders" WHERE pk = \'a\' -- trailing',
  'SELECT * FROM "Orders" WHERE pk = \'a\' /* trailing */',
  'SELECT/**/*/**/FROM/**/"Orders"/**/WHERE/**/pk=\'a\'',
  'SELECT\n  *\nFROM\n  "Orders"\nWHERE\n  pk = \'a\'\n',
  '\r\n\tSELECT * FROM "Orders" WHERE pk = \'a\'\r\n',
  'SELECT * FROM "Orders" WHERE pk = \'a\';',
  'SELECT * FROM "Orders" WHERE pk = \'a\' ; ',
  'SeLeCt * FrOm "Orders" WhErE pk = \'a\'',
  '/* multi\nline\ncomment */ SELECT * FROM "Orders"',
  "SELECT * FROM \"Orders\" WHERE a = '-- not a comment' AND b = '/* nor this */'",
  'SELECT * FROM "Orders" WHERE "--" = 1',
  'EXPLAIN SELECT * FROM "Orders" WHERE pk = \'a\'',
  'explain delete from "Orders" where pk = \'a\'',
  'EXPLAIN FROM "Orders" WHERE pk = \'a\' SET b = 1',
  'EXPLAIN EXISTS(SELECT * FROM "Orders" WHERE pk = \'a\' AND b = 1)',
  'INSERT INTO "Orders" VALUE ?',
  "INSERT INTO Orders VALUE {'pk': 'a'};",
  'DELETE FROM "Orders"',
  'UPDATE "Orders" SET a = 1',
);

assert.ok(statements.length >= 400, `only ${statements.length} statements`);

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

for (const statement of statements) {
  test(`valid: ${JSON.stringify(statement)}`, () => {
    const result = parseStatement(statement);
    assert.ok(result.ok, result.ok ? '' : `${result.errors[0]!.message} (${result.errors[0]!.hint})`);
    let count = 0;
    for (const node of nodes(result.statement)) {
      count++;
      const { offset, length, line, column } = node.loc;
      assert.ok(
        offset >= 0 && length > 0 && offset + length <= statement.length,
        `${node.kind} out of range`,
      );
      assert.deepEqual({ line, column }, lineColumn(statement, offset), `${node.kind} line/column`);
      // No node starts or ends on whitespace.
      assert.doesNotMatch(statement[offset]!, /\s/, `${node.kind} starts on whitespace`);
      assert.doesNotMatch(statement[offset + length - 1]!, /\s/, `${node.kind} ends on whitespace`);
    }
    assert.ok(count > 0);
    const fast = assertFastPathAgrees(statement);
    assert.ok(fast.lexed && fast.parsed, 'the fast path handles every valid statement');
  });
}

test('parameters are numbered in order of appearance and counted', () => {
  const r = parseStatement(
    'FROM "T" WHERE pk = ? AND a IN [?, ?] SET b = ?, c = list_append(c, ?) RETURNING ALL NEW *',
  );
  assert.ok(r.ok);
  assert.equal(r.parameterCount, 5);
  const indexes = [...nodes(r.statement)]
    .filter((n) => n.kind === 'parameter')
    .sort((x, y) => x.loc.offset - y.loc.offset)
    .map((n) => (n as unknown as { index: number }).index);
  assert.deepEqual(indexes, [0, 1, 2, 3, 4]);
  const plain = parseStatement('SELECT * FROM "T"');
  assert.ok(plain.ok);
  assert.equal(plain.parameterCount, 0);
});

test('the statement node spans the statement, comments and semicolon aside', () => {
  const text = '  /* c */ SELECT * FROM "T" WHERE pk = \'a\' ORDER BY sk DESC ; -- x';
  const r = parseStatement(text);
  assert.ok(r.ok);
  const { offset, length } = r.statement.loc;
  assert.equal(text.slice(offset, offset + length), 'SELECT * FROM "T" WHERE pk = \'a\' ORDER BY sk DESC');
});

test('positions of names, literals and operators', () => {
  const text = 'UPDATE "T"\nSET a.b[2] = a.b[2] + 10\nWHERE pk = \'x\'';
  const r = parseStatement(text);
  assert.ok(r.ok && r.statement.kind === 'update');
  const slice = (loc: { offset: number; length: number }) => text.slice(loc.offset, loc.offset + loc.length);
  const set = r.statement.actions[0]!;
  assert.ok(set.kind === 'set');
  const a = set.assignments[0]!;
  assert.equal(slice(a.target.loc), 'a.b[2]');
  assert.deepEqual([a.target.loc.line, a.target.loc.column], [2, 5]);
  assert.equal(slice(a.value.loc), 'a.b[2] + 10');
  assert.ok(a.value.kind === 'binary');
  assert.equal(slice(a.value.opLoc), '+');
  assert.equal(slice(r.statement.where!.loc), "pk = 'x'");
  assert.deepEqual([r.statement.where!.loc.line, r.statement.where!.loc.column], [3, 7]);
  assert.equal(slice(r.statement.table.loc), '"T"');
});
