// Rows copied as text (renderer/src/lib/copy-formats.ts): JSON with exact numbers, DynamoDB JSON,
// CSV with every attribute and RFC 4180 quoting, and PartiQL INSERT statements that run as written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/index.js';
import type { Item } from '../../../renderer/src/backend/api.js';
import { formatRows } from '../../../renderer/src/lib/copy-formats.js';

const ROWS: Item[] = [
  { pk: { S: 'a,"b"' }, sk: { N: '12345678901234567890.5' }, ok: { BOOL: true }, tags: { SS: ['x'] } },
  {
    pk: { S: "it's" },
    sk: { N: '2' },
    nothing: { NULL: true },
    m: { M: { n: { N: '1' }, l: { L: [{ S: 'q' }] } } },
  },
];

describe('copy formats', () => {
  it('JSON keeps numbers exactly', () => {
    const text = formatRows('json', ROWS, 'T');
    assert.match(text, /"sk": 12345678901234567890\.5/);
    assert.match(text, /"nothing": null/);
  });

  it('DynamoDB JSON is the items as stored', () => {
    assert.deepEqual(JSON.parse(formatRows('dynamodb-json', ROWS, 'T')), ROWS);
  });

  it('CSV has a header of every attribute, keys first, quoted where needed', () => {
    const text = formatRows('csv', ROWS, 'T', ['pk', 'sk']);
    assert.equal(
      text,
      'pk,sk,ok,tags,nothing,m\r\n' +
        '"a,""b""",12345678901234567890.5,true,"[""x""]",,\r\n' +
        `it's,2,,,,"{""n"":1,""l"":[""q""]}"\r\n`,
    );
  });

  it('PartiQL INSERT statements insert the same items', () => {
    const text = formatRows('partiql', ROWS, 'Copy');
    assert.equal(text.trim().split('\n').length, 2);
    const engine = Engine.inMemory();
    try {
      engine.execute('CreateTable', {
        TableName: 'Copy',
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
      for (const line of text.trim().split('\n'))
        engine.execute('ExecuteStatement', { Statement: line.replace(/;$/, '') });
      for (const row of ROWS) {
        const got = engine.execute('GetItem', { TableName: 'Copy', Key: { pk: row.pk, sk: row.sk } }) as {
          Item: Item;
        };
        assert.deepEqual(got.Item, row);
      }
    } finally {
      engine.close();
    }
  });
});
