import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../../../main/shell/backend.js';
import { formatDescription, formatError, formatExplain } from '../../../main/shell/format.js';
import { makeColors } from '../../../main/shell/text.js';

const plain = makeColors(false);
const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

describe('errors', () => {
  it('prints Type: message', () => {
    assert.deepEqual(
      formatError(new ServiceError('ResourceNotFoundException', 'Requested resource not found'), plain),
      ['ResourceNotFoundException: Requested resource not found'],
    );
  });

  it('puts a caret under the problem of a statement that does not parse', () => {
    const statement = 'SELECT * FORM Orders';
    const lines = formatError(
      new ServiceError('ValidationException', `${NOT_WELL_FORMED}Unexpected keyword`),
      plain,
      statement,
    );
    assert.equal(lines[0], `ValidationException: ${NOT_WELL_FORMED}Unexpected keyword`);
    assert.equal(lines[1], '  SELECT * FORM Orders');
    const caret = lines[2]!;
    assert.equal(caret.indexOf('^'), 2 + statement.indexOf('FORM'), caret);
  });

  it('numbers the line of a multi-line statement', () => {
    const statement = 'SELECT *\nFROM Orders\nWHERE pk = ';
    const lines = formatError(
      new ServiceError('ValidationException', `${NOT_WELL_FORMED}x`),
      plain,
      statement,
    );
    assert.match(lines[1]!, /^ {2}3 │ WHERE pk = $/);
    assert.equal(lines[2]!.indexOf('^'), '  3 │ WHERE pk = '.length);
  });

  it('adds no caret to errors that are not about the text', () => {
    const lines = formatError(
      new ServiceError('ValidationException', 'One or more parameter values were invalid'),
      plain,
      'SELECT * FROM t',
    );
    assert.equal(lines.length, 1);
  });
});

describe('EXPLAIN', () => {
  it('shows the operation, key condition, filter and estimate', () => {
    const lines = formatExplain(
      {
        StatementKind: 'SELECT',
        Steps: [
          {
            Operation: 'Query',
            TableName: 'Orders',
            IndexName: 'ByStatus',
            KeyCondition: "status = 'open'",
            Filter: 'total > 10',
          },
        ],
        FullTableScan: false,
        EstimatedReadCapacityUnits: 0.5,
        EstimatedWriteCapacityUnits: 0,
        EstimatedItemsRead: 2,
        Warnings: [],
      },
      plain,
    );
    assert.deepEqual(lines, [
      'Query Orders (index ByStatus)',
      "  key condition status = 'open'",
      '  filter        total > 10',
      'estimate      0.5 RCU · 2 items read (on the data as it is now)',
    ]);
  });
});

describe('.describe', () => {
  it('lists keys, billing, counts and indexes', () => {
    const lines = formatDescription(
      {
        TableName: 'Orders',
        TableStatus: 'ACTIVE',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        ItemCount: 3,
        TableSizeBytes: 2048,
        GlobalSecondaryIndexes: [
          {
            IndexName: 'G',
            KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      },
      plain,
    );
    assert.equal(lines[0], 'Orders  ACTIVE');
    assert.ok(lines.includes('  key         pk S (partition), sk N (sort)'), lines.join('\n'));
    assert.ok(lines.includes('  items       3 · 2.0 KB'));
    assert.ok(
      lines.some((l) => /GSI\s+G\s+sk N \(partition\) · projects KEYS_ONLY/.test(l)),
      lines.join('\n'),
    );
  });
});
