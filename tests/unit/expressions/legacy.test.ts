// The legacy parameters: Expected, QueryFilter/ScanFilter, KeyConditions, AttributeUpdates and
// AttributesToGet.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyAttributeUpdates,
  conditionFromExpected,
  conditionFromFilter,
  evaluateCondition,
  keyTermsFromKeyConditions,
  projectionFromAttributesToGet,
  updateFromAttributeUpdates,
} from '../../../engine/expressions/index.js';
import type { Item } from '../../../engine/types.js';
import { throwsValidation } from './helpers.js';

const b64 = (...bytes: number[]) => Buffer.from(bytes).toString('base64');

const ITEM: Item = {
  s: { S: 'hello' },
  n: { N: '10' },
  b: { B: b64(1, 2, 3) },
  l: { L: [{ N: '2' }, { S: 'x' }] },
  ns: { NS: ['2', '4', '7'] },
  nul: { NULL: true },
};

function filter(attr: string, op: string, list: unknown[] = []): boolean {
  const c = conditionFromFilter({ [attr]: { ComparisonOperator: op, AttributeValueList: list } }, undefined);
  return evaluateCondition(c!, ITEM);
}

describe('QueryFilter / ScanFilter: evaluation', () => {
  const rows: [string, string, unknown[], boolean][] = [
    ['n', 'EQ', [{ N: '10' }], true],
    ['n', 'EQ', [{ S: '10' }], false],
    ['l', 'EQ', [{ L: [{ N: '2' }, { S: 'x' }] }], true],
    ['n', 'NE', [{ N: '1' }], true],
    ['absent', 'NE', [{ N: '1' }], true],
    ['n', 'LT', [{ N: '11' }], true],
    ['n', 'LE', [{ N: '10' }], true],
    ['n', 'GT', [{ N: '10' }], false],
    ['s', 'GE', [{ S: 'hello' }], true],
    ['b', 'GT', [{ B: b64(1, 2) }], true],
    ['nul', 'NOT_NULL', [], true],
    ['absent', 'NOT_NULL', [], false],
    ['absent', 'NULL', [], true],
    ['nul', 'NULL', [], false],
    ['s', 'CONTAINS', [{ S: 'ell' }], true],
    ['ns', 'CONTAINS', [{ N: '4' }], true],
    ['l', 'CONTAINS', [{ S: 'x' }], true],
    ['b', 'CONTAINS', [{ B: b64(2) }], true],
    ['s', 'NOT_CONTAINS', [{ S: 'dog' }], true],
    ['ns', 'NOT_CONTAINS', [{ N: '4' }], false],
    // NOT_CONTAINS is false when the attribute is missing, unlike NE.
    ['absent', 'NOT_CONTAINS', [{ N: '1' }], false],
    ['absent', 'CONTAINS', [{ N: '1' }], false],
    ['s', 'BEGINS_WITH', [{ S: 'he' }], true],
    ['n', 'BEGINS_WITH', [{ S: '1' }], false],
    ['n', 'IN', [{ N: '1' }, { N: '10' }], true],
    ['n', 'IN', [{ N: '1' }], false],
    ['n', 'BETWEEN', [{ N: '10' }, { N: '20' }], true],
    ['s', 'BETWEEN', [{ S: 'a' }, { S: 'b' }], false],
  ];
  for (const [attr, op, list, expected] of rows) {
    it(`${attr} ${op} ${JSON.stringify(list)} is ${expected}`, () =>
      assert.equal(filter(attr, op, list), expected));
  }

  it('joins conditions with AND by default and OR on request', () => {
    const conditions = {
      n: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '10' }] },
      s: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'nope' }] },
    };
    assert.equal(evaluateCondition(conditionFromFilter(conditions, undefined)!, ITEM), false);
    assert.equal(evaluateCondition(conditionFromFilter(conditions, 'AND', 'scanFilter')!, ITEM), false);
    assert.equal(evaluateCondition(conditionFromFilter(conditions, 'OR', 'scanFilter')!, ITEM), true);
  });

  it('is no condition when empty', () => {
    assert.equal(conditionFromFilter({}, undefined), undefined);
    assert.equal(conditionFromExpected(undefined, undefined), undefined);
  });
});

describe('QueryFilter / ScanFilter: validation', () => {
  const count = (op: string) =>
    `One or more parameter values were invalid: Invalid number of argument(s) for the ${op} ComparisonOperator`;
  const cases: [string, unknown[], string][] = [
    ['EQ', [], count('EQ')],
    ['EQ', [{ S: 'a' }, { S: 'a' }], count('EQ')],
    ['NE', [], count('NE')],
    ['LT', [{ S: 'a' }, { S: 'b' }], count('LT')],
    ['CONTAINS', [], count('CONTAINS')],
    ['NOT_CONTAINS', [{ S: 'a' }, { S: 'a' }], count('NOT_CONTAINS')],
    ['BEGINS_WITH', [], count('BEGINS_WITH')],
    ['IN', [], count('IN')],
    ['BETWEEN', [{ N: '1' }], count('BETWEEN')],
    ['BETWEEN', [{ N: '1' }, { N: '2' }, { N: '3' }], count('BETWEEN')],
    ['NULL', [{ S: 'a' }], count('NULL')],
    ['NOT_NULL', [{ S: 'a' }], count('NOT_NULL')],
    [
      'IN',
      [{ S: 'b' }, { N: '1' }],
      'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type',
    ],
    [
      'BETWEEN',
      [{ S: 'a' }, { N: '3' }],
      'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type',
    ],
    [
      'LT',
      [{ BOOL: true }],
      'One or more parameter values were invalid: ComparisonOperator LT is not valid for BOOL AttributeValue type',
    ],
    [
      'GE',
      [{ L: [] }],
      'One or more parameter values were invalid: ComparisonOperator GE is not valid for L AttributeValue type',
    ],
    [
      'IN',
      [{ SS: ['a'] }],
      'One or more parameter values were invalid: ComparisonOperator IN is not valid for SS AttributeValue type',
    ],
    [
      'CONTAINS',
      [{ M: {} }],
      'One or more parameter values were invalid: ComparisonOperator CONTAINS is not valid for M AttributeValue type',
    ],
    [
      'BEGINS_WITH',
      [{ N: '1' }],
      'One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type',
    ],
    [
      'BETWEEN',
      [{ NULL: true }, { NULL: true }],
      'One or more parameter values were invalid: ComparisonOperator BETWEEN is not valid for NULL AttributeValue type',
    ],
    [
      'BETWEEN',
      [{ S: 'b' }, { S: 'a' }],
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    ],
    ['EQ', [{ SS: [] }], 'One or more parameter values were invalid: An string set  may not be empty'],
  ];
  for (const [op, list, message] of cases) {
    it(`${op} ${JSON.stringify(list)}`, () => throwsValidation(() => filter('a', op, list), message));
  }

  it('refuses unknown operators, which are case-sensitive', () => {
    throwsValidation(
      () =>
        conditionFromFilter(
          { i: { ComparisonOperator: 'eq', AttributeValueList: [{ N: '3' }] } },
          undefined,
          'queryFilter',
        ),
      "1 validation error detected: Value 'eq' at 'queryFilter.i.member.comparisonOperator' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [EQ, NE, IN, LE, LT, GE, GT, BETWEEN, NOT_NULL, NULL, CONTAINS, NOT_CONTAINS, BEGINS_WITH]',
    );
    throwsValidation(
      () => conditionFromFilter({ i: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '3' }] } }, 'DOG'),
      "1 validation error detected: Value 'DOG' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]",
    );
  });
});

describe('Expected', () => {
  const check = (expected: unknown, operator?: string) =>
    evaluateCondition(conditionFromExpected(expected, operator)!, ITEM);

  it('compares with Value and tests absence with Exists: false', () => {
    assert.equal(check({ n: { Value: { N: '10' } } }), true);
    assert.equal(check({ n: { Value: { N: '1' } } }), false);
    assert.equal(check({ absent: { Value: { N: '1' } } }), false);
    assert.equal(check({ n: { Exists: true, Value: { N: '10' } } }), true);
    assert.equal(check({ absent: { Exists: false } }), true);
    assert.equal(check({ n: { Exists: false } }), false);
  });

  it('accepts ComparisonOperator with AttributeValueList or Value', () => {
    assert.equal(check({ n: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '5' }] } }), true);
    assert.equal(check({ n: { ComparisonOperator: 'GT', Value: { N: '50' } } }), false);
    assert.equal(check({ absent: { ComparisonOperator: 'NULL' } }), true);
    assert.equal(
      check(
        { n: { ComparisonOperator: 'EQ', Value: { N: '1' } }, s: { ComparisonOperator: 'NOT_NULL' } },
        'OR',
      ),
      true,
    );
  });

  const invalid = (detail: string) => `One or more parameter values were invalid: ${detail}`;
  const cases: [string, unknown, string][] = [
    [
      'Value with AttributeValueList',
      { a: { Value: { S: 'x' }, AttributeValueList: [{ S: 'x' }] } },
      invalid('Value and AttributeValueList cannot be used together for Attribute: a'),
    ],
    [
      'Exists with ComparisonOperator',
      { a: { Exists: false, ComparisonOperator: 'EQ', AttributeValueList: [{ N: '3' }] } },
      invalid('Exists and ComparisonOperator cannot be used together for Attribute: a'),
    ],
    [
      'operator without values',
      { a: { ComparisonOperator: 'EQ' } },
      invalid('Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a'),
    ],
    [
      'AttributeValueList alone',
      { a: { AttributeValueList: [{ S: 'x' }] } },
      invalid('AttributeValueList can only be used with a ComparisonOperator for Attribute: a'),
    ],
    [
      'Exists: true alone',
      { a: { Exists: true } },
      invalid('Value must be provided when Exists is true for Attribute: a'),
    ],
    ['nothing at all', { a: {} }, invalid('Value must be provided when Exists is null for Attribute: a')],
    [
      'Exists: false with Value',
      { a: { Exists: false, Value: { N: '1' } } },
      invalid('Value cannot be used when Exists is false for Attribute: a'),
    ],
    [
      'NOT_NULL with a value',
      { a: { ComparisonOperator: 'NOT_NULL', AttributeValueList: [{ N: '2' }] } },
      invalid('Invalid number of argument(s) for the NOT_NULL ComparisonOperator'),
    ],
    [
      'IN of lists',
      { a: { ComparisonOperator: 'IN', AttributeValueList: [{ L: [] }] } },
      invalid('ComparisonOperator IN is not valid for L AttributeValue type'),
    ],
  ];
  for (const [title, expected, message] of cases) {
    it(`refuses ${title}`, () => throwsValidation(() => conditionFromExpected(expected, undefined), message));
  }
});

describe('KeyConditions', () => {
  it('gives key terms', () => {
    assert.deepEqual(
      keyTermsFromKeyConditions({
        pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] },
        sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '2' }] },
      }),
      [
        { name: 'pk', op: '=', value: { S: 'a' } },
        { name: 'sk', op: 'between', low: { N: '1' }, high: { N: '2' } },
      ],
    );
    assert.deepEqual(
      keyTermsFromKeyConditions({
        sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'x' }] },
      }),
      [{ name: 'sk', op: 'begins_with', prefix: { S: 'x' } }],
    );
    assert.deepEqual(
      keyTermsFromKeyConditions({ sk: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '3' }] } })[0]!
        .op,
      '>=',
    );
  });

  it('refuses an empty map and leaves larger counts to Query', () => {
    throwsValidation(() => keyTermsFromKeyConditions({}), 'Conditions can be of length 1 or 2 only');
    const three = {
      a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] },
      b: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'y' }] },
      c: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '1' }] },
    };
    assert.equal(keyTermsFromKeyConditions(three).length, 3);
  });

  it('checks arguments before anything else', () => {
    const bad = {
      a: { ComparisonOperator: 'EQ' },
      b: { ComparisonOperator: 'NULL' },
      c: { ComparisonOperator: 'NULL' },
    };
    throwsValidation(
      () => keyTermsFromKeyConditions(bad),
      'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator',
    );
  });

  it('refuses operators a key cannot serve', () => {
    for (const [op, list] of [
      ['NULL', []],
      ['NOT_NULL', []],
      ['NE', [{ S: 'a' }]],
      ['CONTAINS', [{ S: 'a' }]],
      ['NOT_CONTAINS', [{ S: 'a' }]],
      ['IN', [{ S: 'a' }]],
    ] as const) {
      throwsValidation(
        () => keyTermsFromKeyConditions({ a: { ComparisonOperator: op, AttributeValueList: list } }),
        'Attempted conditional constraint is not an indexable operation',
      );
    }
  });
});

describe('AttributeUpdates', () => {
  const apply = (updates: unknown, item: Item = ITEM) =>
    applyAttributeUpdates(updateFromAttributeUpdates(updates), item);

  it('puts, deletes and adds', () => {
    assert.deepEqual(
      apply({ s: { Value: { S: 'bye' } }, z: { Action: 'PUT', Value: { N: '1.50' } } }, { s: { S: 'hi' } }),
      {
        s: { S: 'bye' },
        z: { N: '1.5' },
      },
    );
    assert.deepEqual(
      apply({ s: { Action: 'DELETE' }, absent: { Action: 'DELETE' } }, { s: { S: 'hi' }, t: { S: 'x' } }),
      { t: { S: 'x' } },
    );
    assert.deepEqual(
      apply(
        { n: { Action: 'ADD', Value: { N: '5' } }, m: { Action: 'ADD', Value: { N: '2' } } },
        { n: { N: '1' } },
      ),
      {
        n: { N: '6' },
        m: { N: '2' },
      },
    );
  });

  it('appends with ADD on a list, as only the legacy API does', () => {
    assert.deepEqual(
      apply({ l: { Action: 'ADD', Value: { L: [{ S: 'y' }] } } }, { l: { L: [{ S: 'x' }] } }),
      {
        l: { L: [{ S: 'x' }, { S: 'y' }] },
      },
    );
    assert.deepEqual(apply({ l: { Action: 'ADD', Value: { L: [{ S: 'y' }] } } }, {}), {
      l: { L: [{ S: 'y' }] },
    });
  });

  it('adds to and deletes from sets', () => {
    assert.deepEqual(
      apply({ ss: { Action: 'ADD', Value: { SS: ['b', 'c'] } } }, { ss: { SS: ['a', 'b'] } }),
      { ss: { SS: ['a', 'b', 'c'] } },
    );
    assert.deepEqual(apply({ ss: { Action: 'DELETE', Value: { SS: ['a'] } } }, { ss: { SS: ['a', 'b'] } }), {
      ss: { SS: ['b'] },
    });
    assert.deepEqual(
      apply({ ss: { Action: 'DELETE', Value: { SS: ['a', 'b'] } } }, { ss: { SS: ['a', 'b'] } }),
      {},
    );
  });

  it('reports type mismatches in the legacy words', () => {
    throwsValidation(
      () => apply({ s: { Action: 'ADD', Value: { N: '1' } } }, { s: { S: 'x' } }),
      'Type mismatch for attribute to update',
    );
    throwsValidation(
      () => apply({ s: { Action: 'DELETE', Value: { SS: ['x'] } } }, { s: { S: 'x' } }),
      'Type mismatch for attribute to update',
    );
  });

  it('validates actions and values', () => {
    const invalid = (detail: string) => `One or more parameter values were invalid: ${detail}`;
    throwsValidation(
      () => updateFromAttributeUpdates({ a: { Action: 'PUT' } }),
      invalid('Only DELETE action is allowed when no attribute value is specified'),
    );
    throwsValidation(
      () => updateFromAttributeUpdates({ a: { Action: 'ADD' } }),
      invalid('Only DELETE action is allowed when no attribute value is specified'),
    );
    throwsValidation(
      () => updateFromAttributeUpdates({ a: { Action: 'DELETE', Value: { S: 'x' } } }),
      invalid('DELETE action with value is not supported for the type S'),
    );
    throwsValidation(
      () => updateFromAttributeUpdates({ a: { Action: 'ADD', Value: { M: {} } } }),
      invalid('ADD action is not supported for the type M'),
    );
    throwsValidation(
      () => updateFromAttributeUpdates({ a: { Action: 'MERGE', Value: { S: 'x' } } }),
      "1 validation error detected: Value 'MERGE' at 'attributeUpdates.a.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
    );
  });

  it('allows an empty map', () => {
    assert.deepEqual(updateFromAttributeUpdates({}), { set: [], remove: [], add: [], delete: [] });
  });
});

describe('AttributesToGet', () => {
  it('gives one path per name', () => {
    assert.deepEqual(projectionFromAttributesToGet(['a', 'b.c']), [['a'], ['b.c']]);
  });

  it('refuses duplicates', () => {
    throwsValidation(
      () => projectionFromAttributesToGet(['a', 'a']),
      'One or more parameter values were invalid: Duplicate value in attribute name: a',
    );
  });
});

describe('legacy parameters: value layers', () => {
  // Each legacy parameter words a bad value in the layer its operation passes, older by default.
  const bad = { NS: ['2', '1', '2'] };
  const current = 'One or more parameter values were invalid: Input collection contains duplicates.';
  const older = 'Input collection contains duplicates';
  const readers: [string, (layer?: 'current' | 'older') => unknown][] = [
    ['Expected', (layer) => conditionFromExpected({ a: { Value: bad } }, undefined, layer)],
    [
      'QueryFilter',
      (layer) =>
        conditionFromFilter(
          { a: { ComparisonOperator: 'EQ', AttributeValueList: [bad] } },
          undefined,
          'queryFilter',
          layer,
        ),
    ],
    [
      'KeyConditions',
      (layer) =>
        keyTermsFromKeyConditions({ a: { ComparisonOperator: 'EQ', AttributeValueList: [bad] } }, layer),
    ],
    ['AttributeUpdates', (layer) => updateFromAttributeUpdates({ a: { Action: 'PUT', Value: bad } }, layer)],
  ];
  for (const [what, read] of readers) {
    it(`${what} in each layer`, () => {
      throwsValidation(() => read('current'), current);
      throwsValidation(() => read('older'), older);
      throwsValidation(() => read(), older);
    });
  }
});
