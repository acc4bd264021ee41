// Syntax highlighting: every token with its category, comments and unterminated literals included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highlightTokens } from '../../../grammar/partiql/index.js';

/** `text:category` per token. */
function render(text: string): string[] {
  return highlightTokens(text).map((t) => `${text.slice(t.offset, t.offset + t.length)}:${t.category}`);
}

const CASES: [text: string, expected: string[]][] = [
  [
    `SELECT a, "b c" FROM "T"`,
    [
      'SELECT:keyword',
      'a:identifier',
      ',:punctuation',
      '"b c":quotedIdentifier',
      'FROM:keyword',
      '"T":quotedIdentifier',
    ],
  ],
  [
    `select * from t where pk = 'x'`,
    [
      'select:keyword',
      '*:operator',
      'from:keyword',
      't:identifier',
      'where:keyword',
      'pk:identifier',
      '=:operator',
      "'x':string",
    ],
  ],
  [
    `WHERE begins_with(a, 'x') AND size(b) > 1.5e3`,
    [
      'WHERE:keyword',
      'begins_with:function',
      '(:punctuation',
      'a:identifier',
      ',:punctuation',
      "'x':string",
      '):punctuation',
      'AND:keyword',
      'size:function',
      '(:punctuation',
      'b:identifier',
      '):punctuation',
      '>:operator',
      '1.5e3:number',
    ],
  ],
  [
    `a = ? AND b = ?`,
    ['a:identifier', '=:operator', '?:parameter', 'AND:keyword', 'b:identifier', '=:operator', '?:parameter'],
  ],
  [`-- note\nSELECT /* x */ *`, ['-- note:comment', 'SELECT:keyword', '/* x */:comment', '*:operator']],
  [
    `<<1, 2>> [3] {'k': 4}`,
    [
      '<<:punctuation',
      '1:number',
      ',:punctuation',
      '2:number',
      '>>:punctuation',
      '[:punctuation',
      '3:number',
      ']:punctuation',
      '{:punctuation',
      "'k':string",
      '::punctuation',
      '4:number',
      '}:punctuation',
    ],
  ],
  [
    `a <> b != c <= d >= e < f > g + h - i`,
    [
      'a:identifier',
      '<>:operator',
      'b:identifier',
      '!=:operator',
      'c:identifier',
      '<=:operator',
      'd:identifier',
      '>=:operator',
      'e:identifier',
      '<:operator',
      'f:identifier',
      '>:operator',
      'g:identifier',
      '+:operator',
      'h:identifier',
      '-:operator',
      'i:identifier',
    ],
  ],
  [
    `x IS NOT NULL AND y IS MISSING OR z = TRUE`,
    [
      'x:identifier',
      'IS:keyword',
      'NOT:keyword',
      'NULL:keyword',
      'AND:keyword',
      'y:identifier',
      'IS:keyword',
      'MISSING:keyword',
      'OR:keyword',
      'z:identifier',
      '=:operator',
      'TRUE:keyword',
    ],
  ],
  // Reserved words are keywords even where DynamoDB refuses them; quoted they are names.
  [
    `value "value" size size(x)`,
    [
      'value:keyword',
      '"value":quotedIdentifier',
      'size:keyword',
      'size:function',
      '(:punctuation',
      'x:identifier',
      '):punctuation',
    ],
  ],
  // Unterminated literals are still coloured; unknown characters are skipped.
  [`a = 'open`, ['a:identifier', '=:operator', "'open:string"]],
  [`"open`, ['"open:quotedIdentifier']],
  [`a /* open`, ['a:identifier', '/* open:comment']],
  [`a # b`, ['a:identifier', 'b:identifier']],
  [
    `UPDATE t SET a = list_append(a, [1]) RETURNING ALL NEW *;`,
    [
      'UPDATE:keyword',
      't:identifier',
      'SET:keyword',
      'a:identifier',
      '=:operator',
      'list_append:function',
      '(:punctuation',
      'a:identifier',
      ',:punctuation',
      '[:punctuation',
      '1:number',
      ']:punctuation',
      '):punctuation',
      'RETURNING:keyword',
      'ALL:keyword',
      'NEW:keyword',
      '*:operator',
      ';:punctuation',
    ],
  ],
  [``, []],
];

for (const [text, expected] of CASES) {
  test(`highlight: ${JSON.stringify(text)}`, () => {
    assert.deepEqual(render(text), expected);
  });
}

test('tokens are in order, do not overlap, and cover every character but whitespace', () => {
  const text = `/* a */ SELECT x.y[0], "q" FROM "T"."I" -- b\nWHERE x BETWEEN -1 AND .5e2 AND contains(s, 'it''s')`;
  const tokens = highlightTokens(text);
  const covered = new Array<boolean>(text.length).fill(false);
  let end = 0;
  for (const t of tokens) {
    assert.ok(t.length > 0);
    assert.ok(t.offset >= end, `overlap at ${t.offset}`);
    end = t.offset + t.length;
    for (let i = t.offset; i < end; i++) covered[i] = true;
  }
  for (let i = 0; i < text.length; i++) {
    if (!covered[i]) assert.match(text[i]!, /\s/, `character ${i} (${text[i]}) not covered`);
  }
});
