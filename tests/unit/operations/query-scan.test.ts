import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import { assertError, call, scratchEngine } from '../../support/engine.js';

function numberTable(e: Engine, name = 'Events') {
  call(e, 'CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

const q = (e: Engine, extra: Record<string, unknown>) => call(e, 'Query', { TableName: 'Events', ...extra });

describe('Query', () => {
  it('orders numeric sort keys exactly, forwards and backwards', () => {
    const e = scratchEngine();
    numberTable(e);
    const values = [
      '-1E-130',
      '-5',
      '0',
      '0.5',
      '1',
      '1.5',
      '10',
      '12345678901234567890123456789012345678',
      '9.9E125',
      '-9.9E125',
    ];
    for (const v of values)
      call(e, 'PutItem', { TableName: 'Events', Item: { pk: { S: 'a' }, sk: { N: v } } });
    const got = q(e, {
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'a' } },
    }).Items.map((i: { sk: { N: string } }) => i.sk.N);
    const expected = [
      '-' + '99' + '0'.repeat(124),
      '-5',
      '-0.' + '0'.repeat(129) + '1',
      '0',
      '0.5',
      '1',
      '1.5',
      '10',
      '12345678901234567890123456789012345678',
      '99' + '0'.repeat(124),
    ];
    assert.deepEqual(got, expected);
    const back = q(e, {
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'a' } },
      ScanIndexForward: false,
    });
    assert.deepEqual(
      back.Items.map((i: { sk: { N: string } }) => i.sk.N),
      [...expected].reverse(),
    );
  });

  it('supports every sort-key operator', () => {
    const e = scratchEngine();
    numberTable(e);
    for (let i = 1; i <= 10; i++)
      call(e, 'PutItem', { TableName: 'Events', Item: { pk: { S: 'a' }, sk: { N: String(i) } } });
    const run = (cond: string, values: Record<string, unknown>) =>
      q(e, {
        KeyConditionExpression: `pk = :p AND ${cond}`,
        ExpressionAttributeValues: { ':p': { S: 'a' }, ...values },
      }).Items.map((i: { sk: { N: string } }) => Number(i.sk.N));
    assert.deepEqual(run('sk = :v', { ':v': { N: '3' } }), [3]);
    assert.deepEqual(run('sk < :v', { ':v': { N: '3' } }), [1, 2]);
    assert.deepEqual(run('sk <= :v', { ':v': { N: '3' } }), [1, 2, 3]);
    assert.deepEqual(run('sk > :v', { ':v': { N: '8' } }), [9, 10]);
    assert.deepEqual(run('sk >= :v', { ':v': { N: '8' } }), [8, 9, 10]);
    assert.deepEqual(run('sk BETWEEN :a AND :b', { ':a': { N: '4' }, ':b': { N: '6' } }), [4, 5, 6]);
  });

  it('orders string keys by UTF-8 bytes and supports begins_with', () => {
    const e = scratchEngine();
    call(e, 'CreateTable', {
      TableName: 'Str',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    // U+FF5E sorts after U+1F600 in UTF-16 but before it in UTF-8.
    for (const s of ['b', 'a', 'ab', '\u{1F600}', '\uFF5E', 'B', 'abc']) {
      call(e, 'PutItem', { TableName: 'Str', Item: { pk: { S: 'x' }, sk: { S: s } } });
    }
    const all = call(e, 'Query', {
      TableName: 'Str',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'x' } },
    });
    assert.deepEqual(
      all.Items.map((i: { sk: { S: string } }) => i.sk.S),
      ['B', 'a', 'ab', 'abc', 'b', '\uFF5E', '\u{1F600}'],
    );
    const pre = call(e, 'Query', {
      TableName: 'Str',
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':p': { S: 'x' }, ':a': { S: 'ab' } },
    });
    assert.deepEqual(
      pre.Items.map((i: { sk: { S: string } }) => i.sk.S),
      ['ab', 'abc'],
    );
  });

  it('counts Limit in evaluated items and filters after reading', () => {
    const e = scratchEngine();
    numberTable(e);
    for (let i = 1; i <= 10; i++)
      call(e, 'PutItem', {
        TableName: 'Events',
        Item: { pk: { S: 'a' }, sk: { N: String(i) }, even: { BOOL: i % 2 === 0 } },
      });
    const page = q(e, {
      KeyConditionExpression: 'pk = :p',
      FilterExpression: 'even = :t',
      ExpressionAttributeValues: { ':p': { S: 'a' }, ':t': { BOOL: true } },
      Limit: 3,
    });
    assert.equal(page.Count, 1);
    assert.equal(page.ScannedCount, 3);
    assert.deepEqual(page.LastEvaluatedKey, { pk: { S: 'a' }, sk: { N: '3' } });
    // A page can come back empty and still carry a LastEvaluatedKey.
    const empty = q(e, {
      KeyConditionExpression: 'pk = :p',
      FilterExpression: 'even = :t',
      ExpressionAttributeValues: { ':p': { S: 'a' }, ':t': { BOOL: true } },
      Limit: 1,
    });
    assert.deepEqual(empty.Items, []);
    assert.ok(empty.LastEvaluatedKey);
    const next = q(e, {
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'a' } },
      ExclusiveStartKey: page.LastEvaluatedKey,
    });
    assert.equal(next.Items[0].sk.N, '4');
    assert.equal(next.LastEvaluatedKey, undefined);
    const count = q(e, {
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'a' } },
      Select: 'COUNT',
    });
    assert.equal(count.Count, 10);
    assert.equal(count.Items, undefined);
  });

  it('pages a partition of several MB in 1 MB pages counted before the filter', () => {
    const e = scratchEngine();
    numberTable(e);
    const filler = 'x'.repeat(100 * 1024);
    for (let i = 0; i < 35; i++)
      call(e, 'PutItem', {
        TableName: 'Events',
        Item: { pk: { S: 'big' }, sk: { N: String(i) }, f: { S: filler } },
      });
    const pages: number[] = [];
    let start: unknown;
    let total = 0;
    do {
      const page = q(e, {
        KeyConditionExpression: 'pk = :p',
        FilterExpression: 'attribute_not_exists(nothing)',
        ProjectionExpression: 'sk',
        ExpressionAttributeValues: { ':p': { S: 'big' } },
        ExclusiveStartKey: start,
        ReturnConsumedCapacity: 'TOTAL',
      });
      pages.push(page.Count);
      total += page.Count;
      assert.ok(
        page.ConsumedCapacity.CapacityUnits <= 128,
        `capacity ${page.ConsumedCapacity.CapacityUnits}`,
      );
      start = page.LastEvaluatedKey;
    } while (start);
    assert.equal(total, 35);
    assert.ok(pages.length >= 4, `expected several pages, got ${pages}`);
    assert.equal(pages[0], 10); // an 11th item of ~100 KB would cross 1 MB
  });

  it('validates key conditions against the schema', () => {
    const e = scratchEngine();
    numberTable(e);
    assertError(
      () => q(e, {}),
      'ValidationException',
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    );
    assertError(
      () => q(e, { KeyConditionExpression: 'sk = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }),
      'ValidationException',
      'Query condition missed key schema element: pk',
    );
    assertError(
      () => q(e, { KeyConditionExpression: 'pk = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }),
      'ValidationException',
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    );
    assertError(
      () =>
        q(e, {
          KeyConditionExpression: 'pk = :p AND foo = :v',
          ExpressionAttributeValues: { ':p': { S: 'a' }, ':v': { N: '1' } },
        }),
      'ValidationException',
      'Query condition missed key schema element: sk',
    );
    assertError(
      () =>
        q(e, {
          KeyConditionExpression: 'pk = :p AND sk > :a AND foo = :v',
          ExpressionAttributeValues: { ':p': { S: 'a' }, ':a': { S: 'x' }, ':v': { N: '1' } },
        }),
      'ValidationException',
      'The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)',
    );
    assertError(
      () =>
        q(e, {
          KeyConditionExpression: 'pk = :p AND sk > :a AND sk < :b',
          ExpressionAttributeValues: { ':p': { S: 'a' }, ':a': { S: 'x' }, ':b': { S: 'y' } },
        }),
      'ValidationException',
      'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key',
    );
    assertError(
      () =>
        q(e, {
          KeyConditionExpression: 'pk = :p',
          FilterExpression: 'sk > :v',
          ExpressionAttributeValues: { ':p': { S: 'a' }, ':v': { N: '1' } },
        }),
      'ValidationException',
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
    );
  });

  it('refuses an ExclusiveStartKey of another partition than the one queried', () => {
    const e = scratchEngine();
    call(e, 'CreateTable', {
      TableName: 'Events',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (const pk of ['a', 'b'])
      for (let i = 0; i < 3; i++)
        call(e, 'PutItem', {
          TableName: 'Events',
          Item: { pk: { S: pk }, sk: { N: String(i) }, g: { S: pk } },
        });
    const outside = 'The provided starting key is outside query boundaries based on provided conditions';
    assertError(
      () =>
        q(e, {
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'a' } },
          ExclusiveStartKey: { pk: { S: 'b' }, sk: { N: '0' } },
        }),
      'ValidationException',
      outside,
    );
    assertError(
      () =>
        q(e, {
          IndexName: 'byG',
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: 'a' } },
          ExclusiveStartKey: { g: { S: 'b' }, pk: { S: 'b' }, sk: { N: '0' } },
        }),
      'ValidationException',
      outside,
    );
    // The queried partition's own keys, even of an item that does not exist, still page.
    const next = q(e, {
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'a' } },
      ExclusiveStartKey: { pk: { S: 'a' }, sk: { N: '0.5' } },
    });
    assert.deepEqual(
      next.Items.map((i: { sk: { N: string } }) => i.sk.N),
      ['1', '2'],
    );
  });

  it('supports legacy KeyConditions and QueryFilter', () => {
    const e = scratchEngine();
    numberTable(e);
    for (let i = 1; i <= 5; i++)
      call(e, 'PutItem', {
        TableName: 'Events',
        Item: { pk: { S: 'a' }, sk: { N: String(i) }, v: { N: String(i * 10) } },
      });
    const out = q(e, {
      KeyConditions: {
        pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] },
        sk: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '1' }] },
      },
      QueryFilter: { v: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '40' }] } },
      AttributesToGet: ['sk'],
    });
    assert.deepEqual(out.Items, [{ sk: { N: '2' } }, { sk: { N: '3' } }]);
  });
});

describe('Scan', () => {
  function fill(e: Engine, n: number) {
    numberTable(e);
    for (let i = 0; i < n; i++)
      call(e, 'PutItem', { TableName: 'Events', Item: { pk: { S: `p${i}` }, sk: { N: String(i % 3) } } });
  }

  it('covers every item exactly once for 1 to 8 segments', () => {
    const e = scratchEngine();
    fill(e, 300);
    for (let total = 1; total <= 8; total++) {
      const seen = new Map<string, number>();
      for (let seg = 0; seg < total; seg++) {
        let start: unknown;
        do {
          const page = call(e, 'Scan', {
            TableName: 'Events',
            Segment: seg,
            TotalSegments: total,
            Limit: 17,
            ExclusiveStartKey: start,
          });
          for (const it of page.Items) {
            const id = `${it.pk.S}/${it.sk.N}`;
            seen.set(id, (seen.get(id) ?? 0) + 1);
          }
          start = page.LastEvaluatedKey;
        } while (start);
      }
      assert.equal(seen.size, 300, `segments ${total}`);
      assert.ok(
        [...seen.values()].every((n) => n === 1),
        `duplicates with ${total} segments`,
      );
    }
  });

  it('returns items in partition-hash order, not insertion order', () => {
    const e = scratchEngine();
    fill(e, 50);
    const names = call(e, 'Scan', { TableName: 'Events' }).Items.map((i: { pk: { S: string } }) => i.pk.S);
    assert.equal(names.length, 50);
    assert.notDeepEqual(names, [...names].sort());
  });

  it('validates segments', () => {
    const e = scratchEngine();
    fill(e, 1);
    assertError(
      () => call(e, 'Scan', { TableName: 'Events', Segment: 1 }),
      'ValidationException',
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    );
    assertError(
      () => call(e, 'Scan', { TableName: 'Events', Segment: 3, TotalSegments: 3 }),
      'ValidationException',
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3',
    );
  });

  it('filters with ScanFilter and counts with Select COUNT', () => {
    const e = scratchEngine();
    fill(e, 30);
    const out = call(e, 'Scan', {
      TableName: 'Events',
      ScanFilter: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '0' }] } },
      Select: 'COUNT',
    });
    assert.equal(out.Count, 10);
    assert.equal(out.ScannedCount, 30);
  });
});
