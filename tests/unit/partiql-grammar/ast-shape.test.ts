// AST shape: each statement is parsed and its tree rendered as compact text (see render.ts), which
// must match exactly. Covers precedence, literals, paths, every statement form and its clauses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement } from '../../../grammar/partiql/index.js';
import { renderStatement } from './render.js';
import { assertFastPathAgrees } from './fast-path.js';

const CASES: [statement: string, rendered: string][] = [
  ['SELECT * FROM "Orders"', 'select * from "Orders"'],
  ['SELECT * FROM Orders', 'select * from Orders'],
  ['select * from orders', 'select * from orders'],
  ['SELECT * FROM "Orders"."byCustomer"', 'select * from "Orders"."byCustomer"'],
  ['SELECT * FROM Orders."by-date"', 'select * from Orders."by-date"'],
  [
    'SELECT * FROM "Music" WHERE Artist = \'Acme Band\'',
    'select * from "Music" where (= Artist \'Acme Band\')',
  ],
  [
    'SELECT * FROM "Music" WHERE Artist = ? AND SongTitle = ?',
    'select * from "Music" where (AND (= Artist ?0) (= SongTitle ?1))',
  ],
  [
    'SELECT OrderID, Total FROM "Orders" WHERE OrderID IN [100, 300, 234]',
    'select OrderID, Total from "Orders" where (IN OrderID [100, 300, 234])',
  ],
  [
    'SELECT * FROM "Orders" WHERE OrderID IN (100, 300)',
    'select * from "Orders" where (IN OrderID [100, 300])',
  ],
  ['SELECT * FROM "Orders" WHERE OrderID NOT IN [1]', 'select * from "Orders" where (NOT IN OrderID [1])'],
  ['SELECT * FROM "Orders" WHERE OrderID IN ?', 'select * from "Orders" where (IN OrderID ?0)'],
  [
    'SELECT * FROM "Orders" WHERE NOT OrderID IN [1, 2]',
    'select * from "Orders" where (NOT (IN OrderID [1, 2]))',
  ],
  [
    'SELECT * FROM "Orders" WHERE Total BETWEEN 10 AND 20',
    'select * from "Orders" where (BETWEEN Total 10 20)',
  ],
  [
    'SELECT * FROM "Orders" WHERE Total NOT BETWEEN 10 AND 20',
    'select * from "Orders" where (NOT BETWEEN Total 10 20)',
  ],
  [
    'SELECT * FROM "Orders" WHERE Total BETWEEN 10 AND 20 AND Status = \'X\'',
    'select * from "Orders" where (AND (BETWEEN Total 10 20) (= Status \'X\'))',
  ],
  [
    'SELECT * FROM "Orders" WHERE Total BETWEEN a + 1 AND b - 1',
    'select * from "Orders" where (BETWEEN Total (+ a 1) (- b 1))',
  ],
  [
    'SELECT * FROM "Orders" WHERE a = 1 OR b = 2 AND c = 3',
    'select * from "Orders" where (OR (= a 1) (AND (= b 2) (= c 3)))',
  ],
  [
    'SELECT * FROM "Orders" WHERE (a = 1 OR b = 2) AND c = 3',
    'select * from "Orders" where (AND (OR (= a 1) (= b 2)) (= c 3))',
  ],
  [
    'SELECT * FROM "Orders" WHERE NOT a = 1 AND b = 2',
    'select * from "Orders" where (AND (NOT (= a 1)) (= b 2))',
  ],
  [
    'SELECT * FROM "Orders" WHERE NOT (a = 1 AND b = 2)',
    'select * from "Orders" where (NOT (AND (= a 1) (= b 2)))',
  ],
  ['SELECT * FROM "Orders" WHERE NOT NOT a = 1', 'select * from "Orders" where (NOT (NOT (= a 1)))'],
  ['SELECT * FROM "Orders" WHERE a <> 1 AND b != 2', 'select * from "Orders" where (AND (<> a 1) (<> b 2))'],
  [
    'SELECT * FROM "Orders" WHERE a < 1 AND b <= 2 AND c > 3 AND d >= 4',
    'select * from "Orders" where (AND (AND (AND (< a 1) (<= b 2)) (> c 3)) (>= d 4))',
  ],
  ['SELECT * FROM "Orders" WHERE a = b = c', 'select * from "Orders" where (= (= a b) c)'],
  ['SELECT * FROM "Orders" WHERE a + 1 = b - 2', 'select * from "Orders" where (= (+ a 1) (- b 2))'],
  ['SELECT * FROM "Orders" WHERE a - 1 - 2 = 0', 'select * from "Orders" where (= (- (- a 1) 2) 0)'],
  ['SELECT * FROM "Orders" WHERE a < b = c < d', 'select * from "Orders" where (= (< a b) (< c d))'],
  ['SELECT * FROM "Orders" WHERE x IS NULL', 'select * from "Orders" where (IS x NULL)'],
  ['SELECT * FROM "Orders" WHERE x IS NOT NULL', 'select * from "Orders" where (IS NOT x NULL)'],
  ['SELECT * FROM "Orders" WHERE x IS MISSING', 'select * from "Orders" where (IS x MISSING)'],
  ['SELECT * FROM "Orders" WHERE x IS NOT MISSING', 'select * from "Orders" where (IS NOT x MISSING)'],
  [
    'SELECT * FROM "Orders" WHERE x IS BOOL OR x IS BOOLEAN',
    'select * from "Orders" where (OR (IS x BOOLEAN) (IS x BOOLEAN))',
  ],
  [
    'SELECT * FROM "Orders" WHERE x IS STRING AND y IS NUMERIC AND z IS STRUCT',
    'select * from "Orders" where (AND (AND (IS x STRING) (IS y NUMERIC)) (IS z STRUCT))',
  ],
  [
    'SELECT * FROM "Orders" WHERE x IS TUPLE OR x IS LIST OR x IS BLOB',
    'select * from "Orders" where (OR (OR (IS x TUPLE) (IS x LIST)) (IS x BLOB))',
  ],
  ['SELECT * FROM "Orders" WHERE x IS DECIMAL(5, 2)', 'select * from "Orders" where (IS x DECIMAL(5,2))'],
  [
    'SELECT * FROM "Orders" WHERE x IS DOUBLE PRECISION',
    'select * from "Orders" where (IS x DOUBLE PRECISION)',
  ],
  [
    'SELECT * FROM "Orders" WHERE x IS CHARACTER VARYING(10)',
    'select * from "Orders" where (IS x CHARACTER VARYING(10))',
  ],
  [
    'SELECT * FROM "Orders" WHERE x IS INT OR x IS VARCHAR',
    'select * from "Orders" where (OR (IS x INTEGER) (IS x CHARACTER VARYING))',
  ],
  [
    'SELECT * FROM "Orders" WHERE a = 1 AND x IS NULL OR y IS MISSING',
    'select * from "Orders" where (OR (AND (= a 1) (IS x NULL)) (IS y MISSING))',
  ],
  ['SELECT * FROM "Orders" WHERE x IS NULL = TRUE', 'select * from "Orders" where (= (IS x NULL) TRUE)'],
  [
    'SELECT * FROM "Orders" WHERE begins_with(SongTitle, \'PartiQL\')',
    'select * from "Orders" where begins_with(SongTitle, \'PartiQL\')',
  ],
  [
    'SELECT * FROM "Orders" WHERE BEGINS_WITH(SongTitle, ?)',
    'select * from "Orders" where begins_with(SongTitle, ?0)',
  ],
  [
    'SELECT * FROM "Orders" WHERE contains(tags, \'x\') AND contains("Tags", 1)',
    'select * from "Orders" where (AND contains(tags, \'x\') contains("Tags", 1))',
  ],
  [
    'SELECT * FROM "Orders" WHERE attribute_type(Artist, \'S\')',
    'select * from "Orders" where attribute_type(Artist, \'S\')',
  ],
  [
    'SELECT * FROM "Orders" WHERE attribute_type("Artist", ?)',
    'select * from "Orders" where attribute_type("Artist", ?0)',
  ],
  [
    'SELECT * FROM "Orders" WHERE attribute_exists(a.b[0]) AND attribute_not_exists(c)',
    'select * from "Orders" where (AND attribute_exists(a.b[0]) attribute_not_exists(c))',
  ],
  [
    'SELECT * FROM "Orders" WHERE NOT attribute_exists(a)',
    'select * from "Orders" where (NOT attribute_exists(a))',
  ],
  [
    'SELECT * FROM "Orders" WHERE attribute_exists(a) = true',
    'select * from "Orders" where (= attribute_exists(a) TRUE)',
  ],
  ['SELECT * FROM "Orders" WHERE size(tags) > 3', 'select * from "Orders" where (> size(tags) 3)'],
  [
    'SELECT * FROM "Orders" WHERE Size(tags) BETWEEN 1 AND 2',
    'select * from "Orders" where (BETWEEN size(tags) 1 2)',
  ],
  ['SELECT a.b[0]."c d" FROM "Orders"', 'select a.b[0]."c d" from "Orders"'],
  [
    'SELECT a, b.c, d[1][2], "e f" FROM "Orders" WHERE pk = 1',
    'select a, b.c, d[1][2], "e f" from "Orders" where (= pk 1)',
  ],
  ['SELECT "value", "date", "size" FROM "Orders"', 'select "value", "date", "size" from "Orders"'],
  [
    'SELECT * FROM "Orders" WHERE "value" = 1 AND m."inner" = 2 AND m[\'k\'] = 3',
    'select * from "Orders" where (AND (AND (= "value" 1) (= m."inner" 2)) (= m."k" 3))',
  ],
  ['SELECT * FROM "Orders" WHERE a.b.c.d = 1', 'select * from "Orders" where (= a.b.c.d 1)'],
  ['SELECT * FROM "Orders" WHERE a[0][1].b[2] = 1', 'select * from "Orders" where (= a[0][1].b[2] 1)'],
  [
    'SELECT * FROM "Orders" WHERE pk = \'a\' ORDER BY sk',
    'select * from "Orders" where (= pk \'a\') order sk ASC?',
  ],
  [
    'SELECT * FROM "Orders" WHERE pk = \'a\' ORDER BY sk DESC',
    'select * from "Orders" where (= pk \'a\') order sk DESC',
  ],
  [
    'SELECT * FROM "Orders" WHERE pk = \'a\' ORDER BY pk ASC, sk DESC',
    'select * from "Orders" where (= pk \'a\') order pk ASC, sk DESC',
  ],
  [
    'SELECT * FROM "Orders" WHERE pk = \'a\' order by sk asc',
    'select * from "Orders" where (= pk \'a\') order sk ASC',
  ],
  [
    'SELECT * FROM "Orders" WHERE a = 7.31E6 AND b = 7.31e+6 AND c = 731e4 AND d = 73100000e-1',
    'select * from "Orders" where (AND (AND (AND (= a 7.31E6) (= b 7.31e+6)) (= c 731e4)) (= d 73100000e-1))',
  ],
  [
    'SELECT * FROM "Orders" WHERE a = .73e1 AND b = -.73e1 AND c = -7 AND d = +5',
    'select * from "Orders" where (AND (AND (AND (= a .73e1) (= b -.73e1)) (= c -7)) (= d 5))',
  ],
  [
    'SELECT * FROM "Orders" WHERE a = 1. AND b = 0.5 AND c = 00012 AND d = 1E0',
    'select * from "Orders" where (AND (AND (AND (= a 1.) (= b 0.5)) (= c 00012)) (= d 1E0))',
  ],
  [
    'SELECT * FROM "Orders" WHERE a = - 5 AND b = -a AND c = - -5',
    'select * from "Orders" where (AND (AND (= a -5) (= b (NEG a))) (= c 5))',
  ],
  ['SELECT * FROM "Orders" WHERE a = -a.b', 'select * from "Orders" where (= a (NEG a.b))'],
  [
    "SELECT * FROM \"Orders\" WHERE s = 'it''s' AND e = '' AND q = ''''",
    "select * from \"Orders\" where (AND (AND (= s 'it's') (= e '')) (= q '''))",
  ],
  ['SELECT * FROM "Orders" WHERE s = \'line\nbreak\'', 'select * from "Orders" where (= s \'line\nbreak\')'],
  [
    'SELECT * FROM "Orders" WHERE a = TRUE AND b = false AND c = NULL AND d = null',
    'select * from "Orders" where (AND (AND (AND (= a TRUE) (= b FALSE)) (= c NULL)) (= d NULL))',
  ],
  [
    "SELECT * FROM \"Orders\" WHERE a = [1, 'two', [3], {'four': 4}, <<5>>]",
    "select * from \"Orders\" where (= a [1, 'two', [3], {'four': 4}, <<5>>])",
  ],
  [
    "SELECT * FROM \"Orders\" WHERE a = {'k': 'v', 'n': {'m': [1, 2]}}",
    "select * from \"Orders\" where (= a {'k': 'v', 'n': {'m': [1, 2]}})",
  ],
  ['SELECT * FROM "Orders" WHERE a = [] AND b = {}', 'select * from "Orders" where (AND (= a []) (= b {}))'],
  [
    "SELECT * FROM \"Orders\" WHERE a = <<'x', 'y'>> AND b = <<1, 2, 3>>",
    "select * from \"Orders\" where (AND (= a <<'x', 'y'>>) (= b <<1, 2, 3>>))",
  ],
  [
    'SELECT * FROM "Orders" WHERE a = ? AND b IN [?, ?] AND c BETWEEN ? AND ?',
    'select * from "Orders" where (AND (AND (= a ?0) (IN b [?1, ?2])) (BETWEEN c ?3 ?4))',
  ],
  ['-- comment\nSELECT * FROM "Orders" WHERE pk = \'a\'', 'select * from "Orders" where (= pk \'a\')'],
  ['SELECT * FROM "Orders" -- comment\nWHERE pk = \'a\'', 'select * from "Orders" where (= pk \'a\')'],
  [
    'SELECT * FROM "Orders" /* c */ WHERE /* d */ pk = \'a\' /* e */',
    'select * from "Orders" where (= pk \'a\')',
  ],
  ['SELECT * FROM "Orders" WHERE pk = \'a\';', 'select * from "Orders" where (= pk \'a\')'],
  ['SELECT * FROM "Orders" WHERE pk = \'a\' ;  -- trailing', 'select * from "Orders" where (= pk \'a\')'],
  [
    "INSERT INTO \"Music\" VALUE {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks'}",
    "insert \"Music\" {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks'}",
  ],
  ["INSERT INTO Music VALUE {'Artist': ?, 'SongTitle': ?}", "insert Music {'Artist': ?0, 'SongTitle': ?1}"],
  ['insert into "Music" value {\'a\': 1}', 'insert "Music" {\'a\': 1}'],
  ['INSERT INTO "Music" VALUE ?', 'insert "Music" ?0'],
  [
    "INSERT INTO \"Music\" VALUE {'pk': .7325e1, 'tag': 'grammar'}",
    "insert \"Music\" {'pk': .7325e1, 'tag': 'grammar'}",
  ],
  [
    "INSERT INTO \"Music\" VALUE {'m': {'x': [1, TRUE, NULL]}, 's': <<'a', 'b'>>, 'n': <<1, 2>>, 'e': {}, 'l': []}",
    "insert \"Music\" {'m': {'x': [1, TRUE, NULL]}, 's': <<'a', 'b'>>, 'n': <<1, 2>>, 'e': {}, 'l': []}",
  ],
  [
    "UPDATE \"Music\" SET AwardsWon = 1 SET AwardDetail = {'Grammys': [2020, 2018]} WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks'",
    "update \"Music\" set AwardsWon = 1 set AwardDetail = {'Grammys': [2020, 2018]} where (AND (= Artist 'Acme Band') (= SongTitle 'PartiQL Rocks'))",
  ],
  [
    'UPDATE "Music" SET a = 1, b = \'two\' WHERE pk = 1',
    'update "Music" set a = 1, b = \'two\' where (= pk 1)',
  ],
  ['UPDATE "Music" SET a = a + 1 WHERE pk = 1', 'update "Music" set a = (+ a 1) where (= pk 1)'],
  ['UPDATE "Music" SET a = a - 1 WHERE pk = 1', 'update "Music" set a = (- a 1) where (= pk 1)'],
  ['UPDATE "Music" SET a = 1 + a WHERE pk = 1', 'update "Music" set a = (+ 1 a) where (= pk 1)'],
  [
    'UPDATE "Music" SET l = list_append(l, [1, 2]) WHERE pk = 1',
    'update "Music" set l = list_append(l, [1, 2]) where (= pk 1)',
  ],
  [
    'UPDATE "Music" SET l = LIST_APPEND([0], l) WHERE pk = 1',
    'update "Music" set l = list_append([0], l) where (= pk 1)',
  ],
  [
    'UPDATE "Music" SET s = set_add(s, <<\'x\'>>) WHERE pk = 1',
    'update "Music" set s = set_add(s, <<\'x\'>>) where (= pk 1)',
  ],
  [
    'UPDATE "Music" SET s = SET_DELETE(s, <<1, 2>>) WHERE pk = 1',
    'update "Music" set s = set_delete(s, <<1, 2>>) where (= pk 1)',
  ],
  [
    'UPDATE "Music" SET s = set_add(s, ?) WHERE pk = 1',
    'update "Music" set s = set_add(s, ?0) where (= pk 1)',
  ],
  ['UPDATE "Music" REMOVE a WHERE pk = 1', 'update "Music" remove a where (= pk 1)'],
  [
    'UPDATE "Music" REMOVE a.b[1] REMOVE c WHERE pk = 1',
    'update "Music" remove a.b[1] remove c where (= pk 1)',
  ],
  [
    'UPDATE "Music" SET a = 1 REMOVE b SET c = 2 WHERE pk = 1',
    'update "Music" set a = 1 remove b set c = 2 where (= pk 1)',
  ],
  [
    'UPDATE "Music" SET a.b[0].c = 1, "d e"[\'f\'] = 2 WHERE pk = 1',
    'update "Music" set a.b[0].c = 1, "d e"."f" = 2 where (= pk 1)',
  ],
  ['UPDATE "Music" SET "value" = 1 WHERE "key" = 2', 'update "Music" set "value" = 1 where (= "key" 2)'],
  [
    'UPDATE "Music" SET a = 1 WHERE pk = 1 RETURNING ALL OLD *',
    'update "Music" set a = 1 where (= pk 1) returning ALL_OLD',
  ],
  [
    'UPDATE "Music" SET a = 1 WHERE pk = 1 RETURNING MODIFIED OLD *',
    'update "Music" set a = 1 where (= pk 1) returning MODIFIED_OLD',
  ],
  [
    'UPDATE "Music" SET a = 1 WHERE pk = 1 RETURNING ALL NEW *',
    'update "Music" set a = 1 where (= pk 1) returning ALL_NEW',
  ],
  [
    'UPDATE "Music" SET a = 1 WHERE pk = 1 RETURNING MODIFIED NEW *',
    'update "Music" set a = 1 where (= pk 1) returning MODIFIED_NEW',
  ],
  ['UPDATE "Music" SET a = 1 RETURNING ALL NEW *', 'update "Music" set a = 1 returning ALL_NEW'],
  [
    'UPDATE "Music" SET a = ? WHERE pk = ? AND b = ?',
    'update "Music" set a = ?0 where (AND (= pk ?1) (= b ?2))',
  ],
  [
    'update "Music" set a = 1 remove b where pk = 1 returning all new *',
    'update "Music" set a = 1 remove b where (= pk 1) returning ALL_NEW',
  ],
  ['FROM "Music" WHERE pk = \'x\' SET c = 1', 'from-first "Music" set c = 1 where (= pk \'x\')'],
  ['FROM "Music" WHERE pk = \'x\' REMOVE b', 'from-first "Music" remove b where (= pk \'x\')'],
  [
    'FROM "Music" WHERE pk = \'x\' SET c = 2 REMOVE a',
    'from-first "Music" set c = 2 remove a where (= pk \'x\')',
  ],
  [
    'FROM "Music" WHERE pk = \'x\' SET d = 3 RETURNING ALL NEW *',
    'from-first "Music" set d = 3 where (= pk \'x\') returning ALL_NEW',
  ],
  ['from "Music" where pk = ? set c = ?', 'from-first "Music" set c = ?1 where (= pk ?0)'],
  ['FROM "Music" SET c = 1', 'from-first "Music" set c = 1'],
  [
    'FROM "Music" WHERE pk = \'x\' AND a = 1 SET c = 5',
    'from-first "Music" set c = 5 where (AND (= pk \'x\') (= a 1))',
  ],
  [
    "DELETE FROM \"Music\" WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks'",
    "delete \"Music\" where (AND (= Artist 'Acme Band') (= SongTitle 'PartiQL Rocks'))",
  ],
  ['DELETE FROM Music WHERE pk = ? RETURNING ALL OLD *', 'delete Music where (= pk ?0) returning ALL_OLD'],
  [
    'delete from "Music" where pk = 1 and attribute_exists(a)',
    'delete "Music" where (AND (= pk 1) attribute_exists(a))',
  ],
  ['DELETE FROM "Music"', 'delete "Music"'],
  [
    "EXISTS(SELECT * FROM \"Music\" WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' AND attribute_exists(Awards))",
    "exists(select * from \"Music\" where (AND (AND (= Artist 'Acme Band') (= SongTitle 'PartiQL Rocks')) attribute_exists(Awards)))",
  ],
  [
    'exists (select * from "Music" where pk = ? and a = 1)',
    'exists(select * from "Music" where (AND (= pk ?0) (= a 1)))',
  ],
  [
    'EXPLAIN SELECT * FROM "Music" WHERE Artist = \'Acme Band\'',
    'explain select * from "Music" where (= Artist \'Acme Band\')',
  ],
  ['explain UPDATE "Music" SET a = 1 WHERE pk = 1', 'explain update "Music" set a = 1 where (= pk 1)'],
  ['EXPLAIN DELETE FROM "Music" WHERE pk = 1', 'explain delete "Music" where (= pk 1)'],
  ['EXPLAIN INSERT INTO "Music" VALUE {\'pk\': 1}', 'explain insert "Music" {\'pk\': 1}'],
  [
    'SELECT * FROM "Orders" WHERE explain = 1 AND "EXPLAIN" = 2',
    'select * from "Orders" where (AND (= explain 1) (= "EXPLAIN" 2))',
  ],
  [
    "SELECT * FROM \"Orders\" WHERE name = 'x' AND status = 'y' AND year = 2020 AND type = 'z' AND data = 1",
    "select * from \"Orders\" where (AND (AND (AND (AND (= name 'x') (= status 'y')) (= year 2020)) (= type 'z')) (= data 1))",
  ],
  [
    'SELECT * FROM "Orders" WHERE _a = 1 AND a$b = 2 AND a1 = 3',
    'select * from "Orders" where (AND (AND (= _a 1) (= a$b 2)) (= a1 3))',
  ],
  [
    'SELECT * FROM "Weird ""Quoted"" Table" WHERE "a""b" = 1',
    'select * from "Weird "Quoted" Table" where (= "a"b" 1)',
  ],
];

for (const [statement, rendered] of CASES) {
  test(`AST: ${statement.replace(/\n/g, '\\n')}`, () => {
    const result = parseStatement(statement);
    assert.ok(result.ok, result.ok ? '' : result.errors.map((e) => e.message).join('; '));
    assert.equal(renderStatement(result.statement), rendered);
    assertFastPathAgrees(statement);
  });
}
