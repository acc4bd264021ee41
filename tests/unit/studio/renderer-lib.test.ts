// The studio's pure logic (renderer/src/lib): exact numbers, lossless JSON, type-preserving item
// editing, statement splitting and the query builder.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonNumber, parseJson, stringifyPlain } from '../../../renderer/src/lib/json.js';
import { buildRead, buildStatement, emptyBuilder } from '../../../renderer/src/lib/query-builder.js';
import {
  countParameters,
  isExplain,
  queryName,
  splitStatements,
  statementAt,
  statementNear,
  withoutExplain,
} from '../../../renderer/src/lib/statements.js';
import {
  cellSummary,
  compareNumbers,
  compareValues,
  decodeItem,
  isNumberText,
  itemToDynamoText,
  itemToPlainText,
  parameterValue,
  unionOfAttributes,
} from '../../../renderer/src/lib/values.js';
import type { Item } from '../../../renderer/src/backend/api.js';

const KEYS = {
  keySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ],
  attributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'sk', AttributeType: 'N' as const },
  ],
};

describe('numbers', () => {
  it('compares decimal strings exactly', () => {
    assert.equal(compareNumbers('123456789012345678901234567890', '123456789012345678901234567891'), -1);
    assert.equal(compareNumbers('1e3', '1000'), 0);
    assert.equal(compareNumbers('-0.5', '0'), -1);
    assert.equal(compareNumbers('-10', '-9'), -1);
    assert.equal(compareNumbers('0.1', '0.10'), 0);
    assert.equal(compareNumbers('9.99E+125', '1E-130'), 1);
    assert.equal(compareNumbers('-0', '0'), 0);
    assert.ok(isNumberText('12345678901234567890123456789012345678'));
    assert.ok(!isNumberText('123456789012345678901234567890123456789'));
    assert.ok(!isNumberText('1.2.3'));
  });

  it('sorts values by type, numbers numerically', () => {
    const values = [{ N: '10' }, { S: 'b' }, { N: '9' }, { N: '-1' }, { S: 'a' }];
    const sorted = [...values].sort(compareValues);
    assert.deepEqual(sorted, [{ N: '-1' }, { N: '9' }, { N: '10' }, { S: 'a' }, { S: 'b' }]);
    assert.equal(compareValues(undefined, { N: '1' }), -1);
    assert.equal(compareValues({ N: '1' }, undefined), 1);
  });
});

describe('lossless JSON', () => {
  it('keeps number literals and positions', () => {
    const node = parseJson('{"a": 123456789012345678901234567890.5, "b": [1e400]}');
    assert.equal(node.kind, 'object');
    if (node.kind !== 'object') return;
    const a = node.entries[0]!.value;
    assert.deepEqual(a.kind === 'number' && a.raw, '123456789012345678901234567890.5');
    assert.equal(a.start, 6);
    assert.equal(
      stringifyPlain({ x: new JsonNumber('1.50'), y: [true, null, 's'] }, 0),
      '{"x":1.50,"y":[true,null,"s"]}',
    );
    assert.throws(() => parseJson('{"a": 1,}'), /Expected a quoted name/);
    assert.throws(() => parseJson('{"a": 1, "a": 2}'), /Duplicate name/);
  });
});

describe('item editing', () => {
  const original: Item = {
    pk: { S: 'p' },
    sk: { N: '1' },
    big: { N: '123456789012345678901234567890' },
    tags: { SS: ['a', 'b'] },
    nums: { NS: ['1', '2.5'] },
    bin: { B: 'AAEC' },
    bins: { BS: ['AA=='] },
    list: { L: [{ S: 'x' }, { N: '2' }] },
    map: { M: { inner: { SS: ['q'] } } },
    ok: { BOOL: true },
    nothing: { NULL: true },
  };

  it('round-trips every type through plain JSON, keeping sets, binary and digits', () => {
    const text = itemToPlainText(original);
    assert.match(text, /"big": 123456789012345678901234567890,/);
    const r = decodeItem(text, 'plain', original, KEYS);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.item, original);
  });

  it('round-trips DynamoDB JSON', () => {
    const r = decodeItem(itemToDynamoText(original), 'dynamo', undefined, KEYS);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.item, original);
  });

  it('keeps a set a set after adding to it, and says so when it cannot', () => {
    const added = decodeItem(
      '{"pk": "p", "sk": 1, "tags": ["a", "b", "c"], "big": 1.000000000000000000000000000001}',
      'plain',
      original,
      KEYS,
    );
    assert.deepEqual(added.item?.tags, { SS: ['a', 'b', 'c'] });
    assert.deepEqual(added.item?.big, { N: '1.000000000000000000000000000001' });
    const mixed = decodeItem('{"pk": "p", "sk": 1, "tags": ["a", 2]}', 'plain', original, KEYS);
    assert.deepEqual(mixed.item?.tags, { L: [{ S: 'a' }, { N: '2' }] });
    assert.equal(mixed.problems[0]!.severity, 'warning');
    const empty = decodeItem('{"pk": "p", "sk": 1, "tags": []}', 'plain', original, KEYS);
    assert.equal(empty.item, undefined);
    assert.match(empty.problems[0]!.message, /cannot be empty/);
    const dup = decodeItem('{"pk": "p", "sk": 1, "nums": [1, 1.0]}', 'plain', original, KEYS);
    assert.match(dup.problems[0]!.message, /same value twice/);
  });

  it('marks problems where they are', () => {
    const text = '{\n  "pk": "p",\n  "sk": {"N": 5}\n}';
    const r = decodeItem(text, 'dynamo', undefined, KEYS);
    assert.equal(r.item, undefined);
    assert.ok(r.problems.length >= 1);
    const p = r.problems.find((x) => /Expected an attribute value/.test(x.message))!;
    assert.equal(text.slice(p.start, p.end), '"p"');
    const n = r.problems.find((x) => /written as strings/.test(x.message))!;
    assert.equal(text.slice(n.start, n.end), '5');
    const keyType = decodeItem('{"pk": "p", "sk": "one"}', 'plain', undefined, KEYS);
    assert.match(keyType.problems[0]!.message, /sort key "sk" must be of type N, not S/);
    const missing = decodeItem('{"sk": 1}', 'plain', undefined, KEYS);
    assert.match(missing.problems[0]!.message, /partition key "pk" is missing/);
    const syntax = decodeItem('{"pk": "p",, }', 'plain', undefined, KEYS);
    assert.equal(syntax.problems[0]!.start, 11);
    const tooLong = decodeItem(
      '{"pk": "p", "sk": 1234567890123456789012345678901234567890}',
      'plain',
      undefined,
      KEYS,
    );
    assert.match(tooLong.problems[0]!.message, /38 significant digits/);
    const badType = decodeItem(
      '{"pk": {"S": "p"}, "sk": {"N": "1"}, "x": {"STR": "a"}}',
      'dynamo',
      undefined,
      KEYS,
    );
    assert.match(badType.problems[0]!.message, /Unknown type "STR"/);
  });

  it('summarizes cells by type and unions columns, keys first', () => {
    assert.deepEqual(cellSummary({ SS: ['a', 'b'] }), { tag: 'SS·2', text: '{"a", "b"}', expandable: true });
    assert.deepEqual(cellSummary({ N: '1.50' }), { tag: null, text: '1.50', expandable: false });
    assert.equal(cellSummary({ B: 'AAEC' }).text, '3 bytes: AAEC');
    assert.deepEqual(unionOfAttributes([{ b: { S: '' }, pk: { S: '' } }, { c: { S: '' } }], ['pk']), [
      'pk',
      'b',
      'c',
    ]);
  });

  it('reads typed parameters', () => {
    assert.deepEqual(parameterValue('N', ' 12345678901234567890.5 '), { N: '12345678901234567890.5' });
    assert.deepEqual(parameterValue('SS', '["a", "b"]'), { SS: ['a', 'b'] });
    assert.deepEqual(parameterValue('JSON', '{"M": {"a": {"BOOL": true}}}'), { M: { a: { BOOL: true } } });
    assert.deepEqual(parameterValue('BOOL', 'TRUE'), { BOOL: true });
    assert.throws(() => parameterValue('N', 'abc'), /not a number/);
    assert.throws(() => parameterValue('B', 'not base64!'), /base64/);
  });
});

describe('statements', () => {
  const text =
    "SELECT * FROM a;\nSELECT ';' FROM b\n\n-- only a comment\n\nSELECT *\nFROM c /* two\n\nlines */ WHERE x = ?";
  it('splits on semicolons and blank lines, not inside strings or comments', () => {
    const all = splitStatements(text);
    assert.deepEqual(
      all.map((s) => s.text),
      ['SELECT * FROM a', "SELECT ';' FROM b", 'SELECT *\nFROM c /* two\n\nlines */ WHERE x = ?'],
    );
    assert.equal(text.slice(all[1]!.start, all[1]!.end), "SELECT ';' FROM b");
  });
  it('finds the statement at the cursor', () => {
    assert.equal(statementAt(text, 3)?.text, 'SELECT * FROM a');
    assert.equal(statementAt(text, text.indexOf(';') + 1)?.text, 'SELECT * FROM a');
    assert.equal(statementAt(text, text.indexOf('FROM c'))?.text.startsWith('SELECT *\nFROM c'), true);
    assert.equal(statementAt('', 0), undefined);
    assert.equal(countParameters(splitStatements(text)[2]!.text), 1);
    assert.equal(countParameters("SELECT '?' FROM t WHERE a = ? AND b = ?"), 2);
    assert.ok(isExplain('-- plan\nEXPLAIN SELECT * FROM t'));
    assert.equal(withoutExplain('explain SELECT 1'), 'SELECT 1');
  });
});

describe('query builder', () => {
  const target = { keySchema: KEYS.keySchema, types: { pk: 'S' as const, sk: 'N' as const } };
  it('builds a Query with every sort-key operator and filters with placeholders', () => {
    const state = {
      ...emptyBuilder(),
      mode: 'Query' as const,
      partitionValue: 'c#1',
      sortOp: 'BETWEEN' as const,
      sortValue: '1',
      sortValue2: '10',
      descending: true,
    };
    state.filters.push({ attribute: 'address.city', op: 'begins_with', type: 'S', value: 'Par', value2: '' });
    state.filters.push({ attribute: 'total', op: 'IN', type: 'N', value: '1, 2.5', value2: '' });
    state.filters.push({ attribute: 'note', op: 'not_exists', type: 'S', value: '', value2: '' });
    const { operation, input } = buildRead('Orders', target, state);
    assert.equal(operation, 'Query');
    assert.equal(input.KeyConditionExpression, '#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2');
    assert.equal(
      input.FilterExpression,
      'begins_with(#n2.#n3, :v3) AND #n4 IN (:v4, :v5) AND attribute_not_exists(#n5)',
    );
    assert.deepEqual(input.ExpressionAttributeNames, {
      '#n0': 'pk',
      '#n1': 'sk',
      '#n2': 'address',
      '#n3': 'city',
      '#n4': 'total',
      '#n5': 'note',
    });
    assert.deepEqual(input.ExpressionAttributeValues![':v1'], { N: '1' });
    assert.deepEqual(input.ExpressionAttributeValues![':v5'], { N: '2.5' });
    assert.equal(input.ScanIndexForward, false);
    for (const op of ['=', '<', '<=', '>', '>='] as const) {
      const r = buildRead('Orders', target, {
        ...emptyBuilder(),
        mode: 'Query',
        partitionValue: 'a',
        sortOp: op,
        sortValue: '5',
      });
      assert.equal(r.input.KeyConditionExpression, `#n0 = :v0 AND #n1 ${op} :v1`);
    }
  });
  it('refuses incomplete forms with a message', () => {
    assert.throws(
      () => buildRead('Orders', target, { ...emptyBuilder(), mode: 'Query' }),
      /partition key "pk"/,
    );
    assert.throws(
      () =>
        buildRead('Orders', target, {
          ...emptyBuilder(),
          mode: 'Query',
          partitionValue: 'a',
          sortOp: 'begins_with',
          sortValue: '1',
        }),
      /not numbers/,
    );
    assert.throws(
      () =>
        buildRead('Orders', target, {
          ...emptyBuilder(),
          mode: 'Query',
          partitionValue: 'a',
          sortOp: '=',
          sortValue: 'x',
        }),
      /sk: "x" is not a number/,
    );
    const scan = buildRead('Orders', target, emptyBuilder());
    assert.deepEqual(scan, { operation: 'Scan', input: { TableName: 'Orders' } });
  });
  it('writes the same read as a PartiQL SELECT', () => {
    const state = {
      ...emptyBuilder(),
      mode: 'Query' as const,
      index: 'byThing',
      partitionValue: "O'Brien",
      sortOp: 'BETWEEN' as const,
      sortValue: '1',
      sortValue2: '10',
      descending: true,
    };
    state.filters.push({ attribute: 'address.city', op: 'begins_with', type: 'S', value: 'Par', value2: '' });
    state.filters.push({ attribute: 'total', op: 'IN', type: 'N', value: '1, 2.5', value2: '' });
    state.filters.push({ attribute: 'note', op: 'not_exists', type: 'S', value: '', value2: '' });
    state.filters.push({ attribute: 'tags', op: 'contains', type: 'S', value: 'x', value2: '' });
    assert.equal(
      buildStatement('Orders', { keySchema: KEYS.keySchema, types: { pk: 'S', sk: 'N' } }, state),
      `SELECT * FROM "Orders"."byThing" WHERE "pk" = 'O''Brien' AND "sk" BETWEEN 1 AND 10 AND begins_with("address"."city", 'Par') AND "total" IN [1, 2.5] AND "note" IS MISSING AND contains("tags", 'x') ORDER BY "sk" DESC`,
    );
    assert.equal(buildStatement('Orders', target, emptyBuilder()), 'SELECT * FROM "Orders"');
  });
});

describe('statement helpers', () => {
  it('finds the statement at the cursor from the lines around it', () => {
    const lines = ['SELECT 1', '', 'SELECT *', 'FROM t', '', '', 'SELECT 3'];
    const text = lines.join('\n');
    const starts = lines.map((_, i) => lines.slice(0, i).join('\n').length + (i ? 1 : 0));
    const near = (line: number, col: number) =>
      statementNear(
        lines.length,
        (i) => lines[i - 1]!,
        (i) => starts[i - 1]!,
        line,
        col,
      );
    for (const [line, col] of [
      [1, 3],
      [3, 2],
      [4, 6],
      [5, 0],
      [6, 0],
      [7, 1],
    ] as const) {
      const offset = starts[line - 1]! + col;
      assert.deepEqual(near(line, col), statementAt(text, offset), `line ${line}`);
    }
  });
  it('names a saved query without cutting a word', () => {
    assert.equal(queryName('SELECT * FROM t'), 'SELECT * FROM t');
    const name = queryName(`SELECT * FROM "Orders" WHERE "pk" = 'customer#1' AND "sk" > 10`);
    assert.equal(name, `SELECT * FROM "Orders" WHERE "pk" =…`);
  });
});
