import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import { assertError, call, errorOf, scratchEngine } from '../../support/engine.js';

function music(options: Parameters<typeof scratchEngine>[0] = {}) {
  const e = scratchEngine(options);
  call(e, 'CreateTable', {
    TableName: 'Music',
    AttributeDefinitions: [
      { AttributeName: 'Artist', AttributeType: 'S' },
      { AttributeName: 'Song', AttributeType: 'S' },
      { AttributeName: 'Genre', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'Artist', KeyType: 'HASH' },
      { AttributeName: 'Song', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byGenre',
        KeySchema: [{ AttributeName: 'Genre', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const rows: [string, string, string, number][] = [
    ['Acme', 'Alpha', 'rock', 2001],
    ['Acme', 'Beta', 'pop', 2003],
    ['Acme', 'Gamma', 'rock', 2005],
    ['Zed', 'Omega', 'jazz', 1999],
    ['Mid', 'Delta', 'rock', 2010],
  ];
  for (const [a, s, g, y] of rows) {
    run(e, `INSERT INTO "Music" VALUE {'Artist': '${a}', 'Song': '${s}', 'Genre': '${g}', 'Year': ${y}}`);
  }
  return e;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function run(e: Engine, statement: string, extra: Record<string, unknown> = {}): any {
  return call(e, 'ExecuteStatement', { Statement: statement, ...extra });
}
const songs = (out: { Items: { Song: { S: string } }[] }) => out.Items.map((i) => i.Song.S);

describe('ExecuteStatement SELECT', () => {
  it('queries a partition with sort-key conditions and filters', () => {
    const e = music();
    assert.deepEqual(songs(run(e, `SELECT * FROM "Music" WHERE Artist = 'Acme'`)), [
      'Alpha',
      'Beta',
      'Gamma',
    ]);
    assert.deepEqual(songs(run(e, `SELECT * FROM Music WHERE Artist = 'Acme' AND Song >= 'B'`)), [
      'Beta',
      'Gamma',
    ]);
    assert.deepEqual(songs(run(e, `SELECT * FROM Music WHERE Artist = 'Acme' AND begins_with(Song, 'G')`)), [
      'Gamma',
    ]);
    assert.deepEqual(
      songs(run(e, `SELECT * FROM Music WHERE Artist = 'Acme' AND Song BETWEEN 'A' AND 'C' AND Year > 2002`)),
      ['Beta'],
    );
    assert.deepEqual(songs(run(e, `SELECT * FROM Music WHERE Artist = 'Acme' ORDER BY Song DESC`)), [
      'Gamma',
      'Beta',
      'Alpha',
    ]);
  });

  it('runs IN and OR on the partition key as one Query per value', () => {
    const e = music();
    assert.deepEqual(
      songs(run(e, `SELECT Song FROM Music WHERE Artist IN ['Zed', 'Acme'] ORDER BY Artist`)),
      ['Alpha', 'Beta', 'Gamma', 'Omega'],
    );
    assert.deepEqual(songs(run(e, `SELECT Song FROM Music WHERE Artist = 'Zed' OR Artist = 'Mid'`)), [
      'Delta',
      'Omega',
    ]);
    assert.equal(e.explain(`SELECT * FROM Music WHERE Artist IN ['Zed', 'Acme']`).Steps[0]!.Partitions, 2);
  });

  it('reads nothing for an empty IN list on the partition key and refuses a non-list one', () => {
    const e = music();
    assert.deepEqual(run(e, `SELECT * FROM Music WHERE Artist IN []`).Items, []);
    assert.deepEqual(run(e, `SELECT * FROM Music WHERE Artist IN ?`, { Parameters: [{ L: [] }] }).Items, []);
    assert.deepEqual(run(e, `SELECT * FROM Music WHERE Artist IN [] ORDER BY Song`).Items, []);
    for (const [statement, extra] of [
      [`SELECT * FROM Music WHERE Artist IN 'Acme'`, {}],
      [`SELECT * FROM Music WHERE Artist IN ?`, { Parameters: [{ S: 'Acme' }] }],
      [`SELECT * FROM Music WHERE Year IN ?`, { Parameters: [{ S: 'Acme' }] }],
    ] as const) {
      assertError(() => run(e, statement, extra), 'ValidationException', 'IN requires a list of values');
    }
  });

  it('scans when the partition key is not pinned, with the scan guard refusing it when on', () => {
    const e = music();
    assert.deepEqual(songs(run(e, `SELECT Song FROM Music WHERE Year < 2002`)).sort(), ['Alpha', 'Omega']);
    const plan = e.explain(`SELECT Song FROM Music WHERE Year < 2002`);
    assert.equal(plan.FullTableScan, true);
    assert.equal(plan.Steps[0]!.Operation, 'Scan');
    assert.match(plan.Warnings[0]!, /Full table scan/);
    const guarded = music({ denyFullTableScan: true });
    assertError(
      () => run(guarded, `SELECT * FROM Music WHERE Year < 2002`),
      'AccessDeniedException',
      /Full table scan refused/,
    );
    assert.equal(run(guarded, `SELECT * FROM Music WHERE Artist = 'Zed'`).Items.length, 1);
  });

  it('queries an index and refuses attributes a GSI does not project', () => {
    const e = music();
    const out = run(e, `SELECT * FROM "Music"."byGenre" WHERE Genre = 'rock'`);
    assert.equal(out.Items.length, 3);
    assert.deepEqual(Object.keys(out.Items[0]).sort(), ['Artist', 'Genre', 'Song']);
    assertError(
      () => run(e, `SELECT Year, Label FROM "Music"."byGenre" WHERE Genre = 'rock'`),
      'ValidationException',
      'One or more parameter values were invalid: Global secondary index byGenre does not project [Year, Label]',
    );
    assert.equal(
      e.explain(`SELECT * FROM "Music"."byGenre" WHERE Genre = 'rock'`).Steps[0]!.IndexName,
      'byGenre',
    );
  });

  it('pages with Limit (evaluated items) and a NextToken bound to its statement', () => {
    const e = music();
    const all: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = run(e, `SELECT Song FROM Music WHERE Artist IN ['Acme', 'Zed']`, {
        Limit: 2,
        NextToken: token,
      });
      all.push(...songs(out));
      token = out.NextToken;
      pages++;
    } while (token);
    assert.deepEqual(all, ['Alpha', 'Beta', 'Gamma', 'Omega']);
    assert.ok(pages >= 2);
    const first = run(e, `SELECT * FROM Music`, { Limit: 1 });
    assertError(
      () => run(e, `SELECT * FROM Music WHERE Year > 0`, { Limit: 1, NextToken: first.NextToken }),
      'ValidationException',
      'NextToken does not match request',
    );
  });

  it('refuses a NextToken edited by hand instead of failing inside', () => {
    const e = music();
    const statement = `SELECT Song FROM Music WHERE Artist IN ['Acme', 'Zed']`;
    const token = run(e, statement, { Limit: 1 }).NextToken as string;
    const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
    const edit = (change: Record<string, unknown>) =>
      Buffer.from(JSON.stringify({ ...state, ...change })).toString('base64url');
    for (const change of [{ p: 7 }, { p: -1 }, { p: 0.5 }, { k: 'x' }, { k: [] }]) {
      assertError(
        () => run(e, statement, { Limit: 1, NextToken: edit(change) }),
        'ValidationException',
        'Invalid NextToken',
      );
    }
  });

  it('reads a single item by its full key exactly as the Query path does', () => {
    const e = music();
    const byKey = run(e, `SELECT Year FROM Music WHERE Artist = 'Acme' AND Song = 'Beta'`, {
      ReturnConsumedCapacity: 'TOTAL',
    });
    const viaQuery = run(e, `SELECT Year FROM Music WHERE Artist = 'Acme' AND Song = 'Beta'`, {
      ReturnConsumedCapacity: 'TOTAL',
      Limit: 5,
    });
    assert.deepEqual(byKey.Items, [{ Year: { N: '2003' } }]);
    assert.deepEqual(byKey.Items, viaQuery.Items);
    assert.deepEqual(byKey.ConsumedCapacity, viaQuery.ConsumedCapacity);
    assert.equal(byKey.NextToken, undefined);
    assert.deepEqual(
      run(e, `SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Beta' AND Year > 2500`).Items,
      [],
    );
    assert.deepEqual(run(e, `SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Nope'`).Items, []);
    assert.equal(
      e.explain(`SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Beta'`).Steps[0]!.Operation,
      'GetItem',
    );
  });

  it('refuses a full-key read whose sort key has the wrong type, on every path', () => {
    const e = music();
    const statement = `SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 1`;
    const message =
      'One or more parameter values were invalid: Condition parameter type does not match schema type';
    assertError(() => run(e, statement), 'ValidationException', message);
    assertError(() => run(e, statement, { Limit: 5 }), 'ValidationException', message);
    const batch = call(e, 'BatchExecuteStatement', { Statements: [{ Statement: statement }] });
    assert.deepEqual(batch.Responses[0].Error, { Code: 'ValidationError', Message: message });
    assertError(
      () => call(e, 'ExecuteTransaction', { TransactStatements: [{ Statement: statement }] }),
      'ValidationException',
      `Validation failed in TransactStatements[0]: ${message}`,
    );
  });

  it('binds ? parameters and checks their number', () => {
    const e = music();
    assert.deepEqual(
      songs(
        run(e, `SELECT * FROM Music WHERE Artist = ? AND Song = ?`, {
          Parameters: [{ S: 'Acme' }, { S: 'Beta' }],
        }),
      ),
      ['Beta'],
    );
    assertError(
      () => run(e, `SELECT * FROM Music WHERE Artist = ?`),
      'ValidationException',
      "Number of parameters in request and statement don't match.",
    );
  });

  it('enforces ORDER BY rules', () => {
    const e = music();
    assertError(
      () => run(e, `SELECT * FROM Music ORDER BY Song`),
      'ValidationException',
      'Must have WHERE clause in the statement when using ORDER BY clause.',
    );
    assertError(
      () => run(e, `SELECT * FROM Music WHERE Artist = 'Acme' ORDER BY Year`),
      'ValidationException',
      'Attribute Year in ORDER BY clause must be part of the primary key',
    );
    assertError(
      () => run(e, `SELECT * FROM Music WHERE Year > 1 ORDER BY Song`),
      'ValidationException',
      'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
    );
    assertError(
      () => run(e, `SELECT * FROM Music WHERE Artist IN ['Acme', 'Zed'] ORDER BY Song`),
      'ValidationException',
      'Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.',
    );
  });

  it('reports parse errors and missing tables as DynamoDB does', () => {
    const e = music();
    assertError(() => run(e, `SELECT * FROM Music m`), 'ValidationException', 'Aliasing is not supported');
    assertError(
      () => run(e, `SELEC * FROM Music`),
      'ValidationException',
      /^Statement wasn't well formed, can't be processed/,
    );
    assertError(
      () => run(e, `SELECT * FROM Nope WHERE a = 1`),
      'ResourceNotFoundException',
      'Requested resource not found',
    );
  });
});

describe('ExecuteStatement writes', () => {
  it('INSERT refuses an existing key with DuplicateItemException', () => {
    const e = music();
    assertError(
      () => run(e, `INSERT INTO Music VALUE {'Artist': 'Acme', 'Song': 'Alpha'}`),
      'DuplicateItemException',
      'Duplicate primary key exists in table',
    );
  });

  it('INSERT refuses an empty attribute name as PutItem does', () => {
    const e = music();
    assertError(
      () => run(e, `INSERT INTO Music VALUE {'Artist': 'E', 'Song': 'S', '': 1}`),
      'ValidationException',
      'One or more parameter values were invalid: An attribute name cannot be empty',
    );
    assert.equal(
      call(e, 'GetItem', { TableName: 'Music', Key: { Artist: { S: 'E' }, Song: { S: 'S' } } }).Item,
      undefined,
    );
  });

  it('INSERT applies the 32-level nesting limit as PutItem does', () => {
    const e = music();
    const lists = (n: number) => '['.repeat(n) + '1' + ']'.repeat(n);
    const maps = (n: number) => "{'a': ".repeat(n) + '1' + '}'.repeat(n);
    run(e, `INSERT INTO Music VALUE {'Artist': 'N', 'Song': 'lists', 'd': ${lists(31)}}`);
    run(e, `INSERT INTO Music VALUE {'Artist': 'N', 'Song': 'maps', 'd': ${maps(31)}}`);
    const message =
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
    for (const deep of [lists(32), maps(32), `[${maps(31)}]`]) {
      assertError(
        () => run(e, `INSERT INTO Music VALUE {'Artist': 'N', 'Song': 'deep', 'd': ${deep}}`),
        'ValidationException',
        message,
      );
    }
    // The same item through PutItem: the same answer, inside PutItem's validation envelope.
    const tooDeep = JSON.parse(
      `{"Artist": {"S": "N"}, "Song": {"S": "put"}, "d": ${'{"L": ['.repeat(32)}{"N": "1"}${']}'.repeat(32)}}`,
    );
    assertError(
      () => call(e, 'PutItem', { TableName: 'Music', Item: tooDeep }),
      'ValidationException',
      `1 validation error detected: ${message}`,
    );
  });

  it('INSERT keeps an attribute or map key named __proto__ as an ordinary name', () => {
    const e = music();
    run(e, `INSERT INTO Music VALUE {'Artist': 'P', 'Song': 'S', '__proto__': 1, 'm': {'__proto__': 'x'}}`);
    const item = call(e, 'GetItem', { TableName: 'Music', Key: { Artist: { S: 'P' }, Song: { S: 'S' } } })
      .Item as Record<string, { M?: Record<string, unknown> }>;
    assert.ok(Object.hasOwn(item, '__proto__'));
    assert.deepEqual(Object.getOwnPropertyDescriptor(item, '__proto__')!.value, { N: '1' });
    assert.deepEqual(Object.getOwnPropertyDescriptor(item.m!.M!, '__proto__')!.value, { S: 'x' });
  });

  it('UPDATE needs the full key, is not an upsert, and maps RETURNING', () => {
    const e = music();
    const out = run(
      e,
      `UPDATE Music SET Year = Year + 1 SET Tags = <<'x'>> REMOVE Genre WHERE Artist = 'Acme' AND Song = 'Alpha' RETURNING MODIFIED NEW *`,
    );
    assert.deepEqual(out.Items, [{ Year: { N: '2002' }, Tags: { SS: ['x'] } }]);
    assertError(
      () => run(e, `UPDATE Music SET Year = 1 WHERE Artist = 'Acme'`),
      'ValidationException',
      'Where clause does not contain a mandatory equality on all key attributes',
    );
    assertError(
      () => run(e, `UPDATE Music SET Year = 1 WHERE Artist = 'Nobody' AND Song = 'x'`),
      'ConditionalCheckFailedException',
    );
    assert.equal(run(e, `SELECT * FROM Music WHERE Artist = 'Nobody'`).Items.length, 0);
    assertError(
      () => run(e, `UPDATE Music SET Year = 1 WHERE Artist = 'Acme' AND Song = 'Beta' AND Year = 1900`),
      'ConditionalCheckFailedException',
    );
    const setAdd = run(
      e,
      `UPDATE Music SET Tags = set_add(Tags, <<'y'>>) WHERE Artist = 'Acme' AND Song = 'Alpha' RETURNING ALL NEW *`,
    );
    assert.deepEqual(setAdd.Items[0].Tags, { SS: ['x', 'y'] });
  });

  it('DELETE succeeds on a missing item and honours extra predicates', () => {
    const e = music();
    assert.deepEqual(run(e, `DELETE FROM Music WHERE Artist = 'Nobody' AND Song = 'x'`).Items, []);
    assertError(
      () => run(e, `DELETE FROM Music WHERE Artist = 'Acme' AND Song = 'Beta' AND Year = 1`),
      'ConditionalCheckFailedException',
    );
    const out = run(e, `DELETE FROM Music WHERE Artist = 'Acme' AND Song = 'Beta' RETURNING ALL OLD *`);
    assert.equal(out.Items[0].Year.N, '2003');
    assert.equal(run(e, `SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Beta'`).Items.length, 0);
  });

  it('agrees with ConditionExpression on comparisons and functions', () => {
    const e = music();
    run(
      e,
      `INSERT INTO Music VALUE {'Artist': 'T', 'Song': 's', 'n': 10, 'xname': 'abc', 'xlist': [1, 'two'], 'm': {'k': true}, 'xnothing': NULL}`,
    );
    const where = (cond: string) =>
      run(e, `SELECT Song FROM Music WHERE Artist = 'T' AND ${cond}`).Items.length === 1;
    const expr = (cond: string, values: Record<string, unknown> = {}) =>
      call(e, 'Query', {
        TableName: 'Music',
        KeyConditionExpression: 'Artist = :a',
        FilterExpression: cond,
        ExpressionAttributeValues: { ':a': { S: 'T' }, ...values },
      }).Count === 1;
    const cases: [string, string, Record<string, unknown>][] = [
      [`n = 10`, 'n = :v', { ':v': { N: '10' } }],
      [`n > 9.5`, 'n > :v', { ':v': { N: '9.5' } }],
      [`n <> 'x'`, 'n <> :v', { ':v': { S: 'x' } }],
      [`begins_with(xname, 'ab')`, 'begins_with(xname, :v)', { ':v': { S: 'ab' } }],
      [`contains(xname, 'bc')`, 'contains(xname, :v)', { ':v': { S: 'bc' } }],
      [`size(xlist) = 2`, 'size(xlist) = :v', { ':v': { N: '2' } }],
      [`attribute_exists(m.k)`, 'attribute_exists(m.k)', {}],
      [`attribute_type(xnothing, 'NULL')`, 'attribute_type(xnothing, :v)', { ':v': { S: 'NULL' } }],
      [`n BETWEEN 1 AND 10`, 'n BETWEEN :a1 AND :a2', { ':a1': { N: '1' }, ':a2': { N: '10' } }],
      [`n IN [1, 10]`, 'n IN (:a1, :a2)', { ':a1': { N: '1' }, ':a2': { N: '10' } }],
    ];
    for (const [partiql, expression, values] of cases) {
      assert.equal(where(partiql), expr(expression, values), `${partiql} vs ${expression}`);
      assert.equal(where(partiql), true, partiql);
    }
    // Ordering a number against a string is accepted and matches nothing, in both languages.
    assert.equal(where(`n < '10'`), false);
    assert.equal(expr('n < :v', { ':v': { S: '10' } }), false);
    assert.equal(where(`xnothing IS NULL`), true);
    assert.equal(where(`missingattr IS MISSING`), true);
    assert.equal(where(`missingattr IS NULL`), false);
    assert.equal(where(`xname IS STRING`), true);
  });

  it('refuses what ConditionExpression refuses, in the same words without its prefix', () => {
    const e = music();
    const refusals: [string, string, Record<string, unknown>][] = [
      [`attribute_type(Year, 'X')`, 'attribute_type(#y, :v)', { ':v': { S: 'X' } }],
      [`begins_with(Genre, 1)`, 'begins_with(Genre, :v)', { ':v': { N: '1' } }],
      [`Year BETWEEN 10 AND 1`, '#y BETWEEN :a1 AND :a2', { ':a1': { N: '10' }, ':a2': { N: '1' } }],
      [`Year BETWEEN 1 AND 'z'`, '#y BETWEEN :a1 AND :a2', { ':a1': { N: '1' }, ':a2': { S: 'z' } }],
      [`Genre = Genre`, 'Genre = Genre', {}],
      [`contains(Genre, Genre)`, 'contains(Genre, Genre)', {}],
    ];
    for (const [partiql, expression, values] of refusals) {
      const viaExpression = errorOf(() =>
        call(e, 'Query', {
          TableName: 'Music',
          KeyConditionExpression: 'Artist = :a',
          FilterExpression: expression,
          ...(expression.includes('#y') ? { ExpressionAttributeNames: { '#y': 'Year' } } : {}),
          ExpressionAttributeValues: { ':a': { S: 'Acme' }, ...values },
        }),
      );
      assert.match(viaExpression.message, /^Invalid FilterExpression: /);
      assertError(
        () => run(e, `SELECT * FROM Music WHERE Artist = 'Acme' AND ${partiql}`),
        'ValidationException',
        viaExpression.message.replace(/^Invalid FilterExpression: /, ''),
      );
    }
  });

  it('refuses arithmetic and unary minus on paths in a condition', () => {
    const e = music();
    for (const [condition, message] of [
      [`Year + 1 = 2002`, 'Unsupported operator in Condition Expression. Operator: +'],
      [`Year = 2003 - 1`, 'Unsupported operator in Condition Expression. Operator: -'],
      [
        `-Year = -2001`,
        'Incorrect number of operands for operator or function; operator or function: -, number of operands: 1',
      ],
    ]) {
      assertError(
        () => run(e, `SELECT * FROM Music WHERE Artist = 'Acme' AND ${condition}`),
        'ValidationException',
        message,
      );
    }
    assert.equal(run(e, `SELECT * FROM Music WHERE Artist = 'Acme' AND Year = -(-2001)`).Items.length, 1);
  });
});

describe('BatchExecuteStatement / ExecuteTransaction', () => {
  it('reports per-statement errors in order', () => {
    const e = music();
    const out = call(e, 'BatchExecuteStatement', {
      Statements: [
        { Statement: `INSERT INTO Music VALUE {'Artist': 'New', 'Song': 'One'}` },
        { Statement: `INSERT INTO Music VALUE {'Artist': 'Acme', 'Song': 'Alpha'}` },
        { Statement: `UPDATE Music SET Year = 1 WHERE Artist = 'Nobody' AND Song = 'x'` },
      ],
    });
    assert.deepEqual(out.Responses[0], { TableName: 'Music' });
    assert.equal(out.Responses[1].Error.Code, 'DuplicateItem');
    assert.equal(out.Responses[2].Error.Code, 'ConditionalCheckFailed');
    const reads = call(e, 'BatchExecuteStatement', {
      Statements: [
        { Statement: `SELECT * FROM Music WHERE Artist = 'New' AND Song = 'One'` },
        { Statement: `SELECT * FROM Music WHERE Artist = 'Acme'` },
      ],
    });
    assert.deepEqual(reads.Responses[0].Item, { Artist: { S: 'New' }, Song: { S: 'One' } });
    assert.equal(
      reads.Responses[1].Error.Message,
      'Select statements within BatchExecuteStatement must specify the primary key in the where clause.',
    );
    assertError(
      () =>
        call(e, 'BatchExecuteStatement', {
          Statements: [
            { Statement: `SELECT * FROM Music WHERE Artist = 'New' AND Song = 'One'` },
            { Statement: `DELETE FROM Music WHERE Artist = 'New' AND Song = 'One'` },
          ],
        }),
      'ValidationException',
    );
  });

  it('runs write transactions all or nothing with EXISTS as a condition check', () => {
    const e = music();
    const tx = (cond: string) =>
      call(e, 'ExecuteTransaction', {
        TransactStatements: [
          { Statement: `UPDATE Music SET Year = 3000 WHERE Artist = 'Zed' AND Song = 'Omega'` },
          { Statement: `INSERT INTO Music VALUE {'Artist': 'Tx', 'Song': 'One'}` },
          { Statement: `EXISTS(SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Alpha' AND ${cond})` },
        ],
      });
    const err = assertError(() => tx('Year > 5000'), 'TransactionCanceledException');
    assert.deepEqual(
      (err.extra?.CancellationReasons as { Code: string }[]).map((r) => r.Code),
      ['None', 'None', 'ConditionalCheckFailed'],
    );
    assert.equal(
      run(e, `SELECT Year FROM Music WHERE Artist = 'Zed' AND Song = 'Omega'`).Items[0].Year.N,
      '1999',
    );
    assert.deepEqual(tx('Year = 2001').Responses, []);
    assert.equal(
      run(e, `SELECT Year FROM Music WHERE Artist = 'Zed' AND Song = 'Omega'`).Items[0].Year.N,
      '3000',
    );
    assertError(
      () =>
        call(e, 'ExecuteTransaction', {
          TransactStatements: [
            { Statement: `DELETE FROM Music WHERE Artist = 'Tx' AND Song = 'One' RETURNING ALL OLD *` },
          ],
        }),
      'ValidationException',
      'Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.',
    );
  });

  it('reads a consistent set of items', () => {
    const e = music();
    const out = call(e, 'ExecuteTransaction', {
      TransactStatements: [
        { Statement: `SELECT Year FROM Music WHERE Artist = 'Acme' AND Song = 'Alpha'` },
        { Statement: `SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Missing'` },
      ],
    });
    assert.deepEqual(out.Responses, [{ Item: { Year: { N: '2001' } } }, {}]);
    assertError(
      () =>
        call(e, 'ExecuteTransaction', {
          TransactStatements: [{ Statement: `SELECT * FROM Music WHERE Artist = 'Acme'` }],
        }),
      'ValidationException',
      'Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause.',
    );
  });
});

describe('DynamoDB refusals of statements that parse', () => {
  it('refuses OR branches whose sort-key ranges overlap in one partition', () => {
    const e = music();
    const overlapping = [
      `SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Beta' OR Artist = 'Acme' AND Song = 'Beta'`,
      `SELECT * FROM Music WHERE Artist = 'Acme' AND Song > 'A' OR Artist = 'Acme' AND Song < 'C'`,
      `SELECT * FROM Music WHERE Artist = 'Acme' AND Song BETWEEN 'A' AND 'B' OR Artist = 'Acme' AND Song >= 'B'`,
      `SELECT * FROM Music WHERE Artist = 'Acme' AND begins_with(Song, 'Be') OR Artist = 'Acme' AND Song = 'Beta'`,
      `SELECT * FROM Music WHERE Artist IN ['Zed', 'Acme'] AND Song < 'B' OR Artist = 'Acme' AND Song = 'Alpha'`,
    ];
    for (const statement of overlapping) {
      assertError(
        () => run(e, statement),
        'ValidationException',
        'Overlapping conditions with range keys are not supported in where clause',
      );
    }
    // Disjoint ranges, other partitions, and `<>` (a filter, not a range) are read as their union.
    const union = (statement: string) => songs(run(e, statement)).sort();
    assert.deepEqual(
      union(
        `SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Alpha' OR Artist = 'Acme' AND Song = 'Gamma'`,
      ),
      ['Alpha', 'Gamma'],
    );
    assert.deepEqual(
      union(`SELECT * FROM Music WHERE Artist = 'Acme' AND Song < 'B' OR Artist = 'Acme' AND Song >= 'B'`),
      ['Alpha', 'Beta', 'Gamma'],
    );
    assert.deepEqual(
      union(`SELECT * FROM Music WHERE Artist = 'Acme' AND Song > 'A' OR Artist = 'Zed' AND Song > 'A'`),
      ['Alpha', 'Beta', 'Gamma', 'Omega'],
    );
    assert.deepEqual(
      union(
        `SELECT * FROM Music WHERE Artist = 'Acme' AND Song <> 'Beta' OR Artist = 'Acme' AND Song = 'Beta'`,
      ),
      ['Alpha', 'Beta', 'Gamma'],
    );
    assert.deepEqual(
      union(
        `SELECT * FROM Music WHERE Artist = 'Acme' AND begins_with(Song, 'B') OR Artist = 'Acme' AND Song = 'C'`,
      ),
      ['Beta'],
    );
  });

  it('refuses more than 50 partition-key reads in one statement', () => {
    const e = music();
    const values = (n: number) => Array.from({ length: n }, (_, i) => `'a${i}'`);
    assert.deepEqual(run(e, `SELECT * FROM Music WHERE Artist IN [${values(50).join(', ')}]`).Items, []);
    const tooMany = 'Too many decomposed read operations for a given query.';
    assertError(
      () => run(e, `SELECT * FROM Music WHERE Artist IN [${values(51).join(', ')}]`),
      'ValidationException',
      tooMany,
    );
    const ors = values(51)
      .map((v) => `Artist = ${v}`)
      .join(' OR ');
    assertError(() => run(e, `SELECT * FROM Music WHERE ${ors}`), 'ValidationException', tooMany);
  });

  it('refuses a strongly consistent read of a global secondary index', () => {
    const e = music();
    assertError(
      () => run(e, `SELECT * FROM "Music"."byGenre" WHERE Genre = 'rock'`, { ConsistentRead: true }),
      'ValidationException',
      'Strongly consistent read is not supported on Global Secondary Indexes',
    );
    assert.equal(
      run(e, `SELECT * FROM "Music"."byGenre" WHERE Genre = 'rock'`, { ConsistentRead: false }).Items.length,
      3,
    );
    // An unknown index is reported first, without its name.
    for (const ConsistentRead of [true, false]) {
      assertError(
        () => run(e, `SELECT * FROM "Music"."nope"`, { ConsistentRead }),
        'ValidationException',
        'The table does not have the specified index',
      );
    }
  });

  it('accepts IS NUMERIC, one of the types DynamoDB tests with IS', () => {
    const e = music();
    assert.equal(run(e, `SELECT * FROM Music WHERE Year IS NUMERIC`).Items.length, 5);
    assert.equal(run(e, `SELECT * FROM Music WHERE Genre IS NUMERIC`).Items.length, 0);
  });

  it('refuses writes aimed at an index', () => {
    const e = music();
    for (const statement of [
      `INSERT INTO "Music"."byGenre" VALUE {'Artist': 'X', 'Song': 'Y'}`,
      `UPDATE "Music"."byGenre" SET Year = 1 WHERE Artist = 'Acme' AND Song = 'Alpha'`,
      `DELETE FROM "Music"."byGenre" WHERE Artist = 'Acme' AND Song = 'Alpha'`,
    ]) {
      assertError(
        () => run(e, statement),
        'ValidationException',
        'This operation is not supported on an index',
      );
    }
    assert.equal(
      run(e, `SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Alpha'`).Items[0].Year.N,
      '2001',
    );
  });

  it('refuses UPDATE and DELETE keys given twice or reached into', () => {
    const e = music();
    assertError(
      () => run(e, `UPDATE Music SET Year = 1 WHERE Artist = 'Acme' AND Artist = 'Zed' AND Song = 'Alpha'`),
      'ValidationException',
      'Multiple conditions on same key Artist. Only single item Update/Insert/Delete are supported',
    );
    assertError(
      () => run(e, `DELETE FROM Music WHERE Artist = 'Acme' AND Song = 'Alpha' AND Song = 'Alpha'`),
      'ValidationException',
      'Multiple conditions on same key Song. Only single item Update/Insert/Delete are supported',
    );
    assertError(
      () => run(e, `UPDATE Music SET Year = 1 WHERE Artist = 'Acme' AND Song.x = 'Alpha'`),
      'ValidationException',
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key Song",
    );
    assertError(
      () => run(e, `DELETE FROM Music WHERE Artist[0] = 'Acme' AND Song = 'Alpha'`),
      'ValidationException',
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key Artist",
    );
    assert.equal(run(e, `SELECT * FROM Music WHERE Artist = 'Acme'`).Items.length, 3);
  });

  it('allows EXISTS only beside the writes of a transaction, and no index in a transaction', () => {
    const e = music();
    const exists = `EXISTS(SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Alpha' AND Year = 2001)`;
    const message = 'EXISTS can only be used in ExecuteTransaction write requests.';
    assertError(() => run(e, exists), 'ValidationException', message);
    const batch = call(e, 'BatchExecuteStatement', { Statements: [{ Statement: exists }] });
    assert.deepEqual(batch.Responses[0].Error, { Code: 'ValidationError', Message: message });
    assertError(
      () =>
        call(e, 'ExecuteTransaction', {
          TransactStatements: [
            { Statement: `SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Beta'` },
            { Statement: exists },
          ],
        }),
      'ValidationException',
      `Validation failed in TransactStatements[1]: ${message}`,
    );
    assertError(
      () =>
        call(e, 'ExecuteTransaction', {
          TransactStatements: [{ Statement: `SELECT * FROM "Music"."byGenre" WHERE Genre = 'rock'` }],
        }),
      'ValidationException',
      'Validation failed in TransactStatements[0]: Reads on indices are not supported within transactions.',
    );
    assertError(
      () =>
        call(e, 'ExecuteTransaction', {
          TransactStatements: [
            { Statement: `INSERT INTO Music VALUE {'Artist': 'New', 'Song': 'One'}` },
            {
              Statement: `EXISTS(SELECT * FROM "Music"."byGenre" WHERE Artist = 'Acme' AND Song = 'Alpha' AND Year = 1)`,
            },
          ],
        }),
      'ValidationException',
      'Validation failed in TransactStatements[1]: Operations on indices are not supported in transactions',
    );
    assert.deepEqual(run(e, `SELECT * FROM Music WHERE Artist = 'New'`).Items, []);
  });
});

describe('numbers, operand types and reads as DynamoDB checks them', () => {
  function numbers() {
    const e = scratchEngine();
    call(e, 'CreateTable', {
      TableName: 'Nums',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    run(e, `INSERT INTO Nums VALUE {'pk': 1, 'flag': true}`);
    return e;
  }
  const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
  const UNDERFLOW =
    'Number underflow. Attempting to store a number with magnitude smaller than supported range';

  it('names where a literal number out of range sits', () => {
    const e = numbers();
    for (const [statement, message] of [
      [`SELECT * FROM Nums WHERE pk = 1e126`, `${OVERFLOW} under root`],
      [`SELECT * FROM Nums WHERE pk = 1e-131`, `${UNDERFLOW} under root`],
      [
        `SELECT * FROM Nums WHERE pk = 123456789012345678901234567890123456789`,
        'Attempting to store more than 38 significant digits in a Number under root',
      ],
      [`INSERT INTO Nums VALUE {'pk': 1e126}`, `${OVERFLOW} under root`],
      [`UPDATE Nums SET a = 1e-131 WHERE pk = 1`, `${UNDERFLOW} under root`],
      [`INSERT INTO Nums VALUE {'pk': 2, 'm': {'x': 1e126}}`, `${OVERFLOW} under root.x`],
      [`INSERT INTO Nums VALUE {'pk': 2, 'l': [1, 1e126]}`, `${OVERFLOW} under root[1]`],
    ] as const) {
      assertError(() => run(e, statement), 'ValidationException', message);
    }
    assert.deepEqual(run(e, `SELECT * FROM Nums WHERE pk = 2`).Items, []);
  });

  it('reads parameter numbers as PartiQL does: exponents past 32 bits cannot be converted', () => {
    const e = numbers();
    const bad = (n: unknown) => () =>
      run(e, `SELECT * FROM Nums WHERE pk = 1 AND n = ?`, { Parameters: [n] });
    for (const text of [
      '1e99999999999',
      '-1e99999999999',
      '1e-99999999999',
      '1e2147483648',
      '1e-2147483648',
    ]) {
      const message = `The parameter cannot be converted to a numeric value: ${text}`;
      assertError(bad({ N: text }), 'ValidationException', message);
      assertError(
        () => run(e, `INSERT INTO Nums VALUE {'pk': 3, 'n': ?}`, { Parameters: [{ N: text }] }),
        'ValidationException',
        message,
      );
    }
    // The count of digits before the point is a 32-bit integer in DynamoDB: one past it wraps.
    assertError(bad({ N: '1e2147483647' }), 'ValidationException', UNDERFLOW);
    for (const nested of [
      { L: [{ N: '1' }, { N: '1e99999999999' }] },
      { M: { x: { N: '1e99999999999' } } },
      { NS: ['1', '1e99999999999'] },
    ]) {
      assertError(
        bad(nested),
        'ValidationException',
        'The parameter cannot be converted to a numeric value: 1e99999999999',
      );
    }
    assertError(bad({ N: '1e126' }), 'ValidationException', OVERFLOW);
    assert.deepEqual(run(e, `SELECT * FROM Nums WHERE pk = 3`).Items, []);
  });

  it('reports a transaction parameter error without naming the statement', () => {
    const e = numbers();
    assertError(
      () =>
        call(e, 'ExecuteTransaction', {
          TransactStatements: [
            { Statement: `UPDATE Nums SET n = ? WHERE pk = 1`, Parameters: [{ N: '1e99999999999' }] },
          ],
        }),
      'ValidationException',
      'The parameter cannot be converted to a numeric value: 1e99999999999',
    );
    let deep: unknown = { N: '1' };
    for (let i = 0; i < 40; i++) deep = { M: { n: deep } };
    assertError(
      () =>
        call(e, 'ExecuteTransaction', {
          TransactStatements: [{ Statement: `UPDATE Nums SET x = ? WHERE pk = 1`, Parameters: [deep] }],
        }),
      'ValidationException',
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    );
    assertError(
      () =>
        call(e, 'ExecuteTransaction', { TransactStatements: [{ Statement: `UPDATE Nums SET x = 1 WHERE` }] }),
      'ValidationException',
      /^Validation failed in TransactStatements\[0\]: Statement wasn't well formed/,
    );
  });

  it('refuses ordering comparisons with values that have no order', () => {
    const e = numbers();
    for (const [value, type] of [
      [{ BOOL: true }, 'BOOL'],
      [{ NULL: true }, 'NULL'],
      [{ L: [{ S: 'a' }] }, 'L'],
      [{ M: { a: { S: 'b' } } }, 'M'],
      [{ SS: ['a'] }, 'SS'],
      [{ NS: ['1'] }, 'NS'],
      [{ BS: ['AQ=='] }, 'BS'],
    ] as const) {
      for (const op of ['<', '<=', '>', '>=']) {
        assertError(
          () => run(e, `SELECT * FROM Nums WHERE pk = 1 AND flag ${op} ?`, { Parameters: [value] }),
          'ValidationException',
          `Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${type}`,
        );
      }
    }
    assertError(
      () => run(e, `SELECT * FROM Nums WHERE flag BETWEEN true AND false`),
      'ValidationException',
      'Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL',
    );
    // Equality works on every type, and strings, numbers and binaries still order.
    assert.equal(
      run(e, `SELECT * FROM Nums WHERE flag = ?`, { Parameters: [{ BOOL: true }] }).Items.length,
      1,
    );
    assert.equal(run(e, `SELECT * FROM Nums WHERE pk = 1 AND pk < 5`).Items.length, 1);
  });

  it('reads in batches and transactions by key alone', () => {
    const e = music();
    const read = `SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Alpha' AND attribute_exists(Year)`;
    const batch = call(e, 'BatchExecuteStatement', { Statements: [{ Statement: read }] });
    assert.deepEqual(batch.Responses[0].Error, {
      Code: 'ValidationError',
      Message:
        'Select statements within BatchExecuteStatement must specify the primary key in the where clause.',
    });
    assertError(
      () => call(e, 'ExecuteTransaction', { TransactStatements: [{ Statement: read }] }),
      'ValidationException',
      'Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause.',
    );
  });

  it('refuses indexes with multi-attribute keys', () => {
    const e = scratchEngine();
    call(e, 'CreateTable', {
      TableName: 'Multi',
      AttributeDefinitions: ['id', 'h1', 'h2', 'r1'].map((AttributeName) => ({
        AttributeName,
        AttributeType: 'S',
      })),
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi',
          KeySchema: [
            { AttributeName: 'h1', KeyType: 'HASH' },
            { AttributeName: 'h2', KeyType: 'HASH' },
            { AttributeName: 'r1', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    run(e, `INSERT INTO Multi VALUE {'id': 'i1', 'h1': 'a', 'h2': 'x', 'r1': 'm'}`);
    const message =
      'PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE keys.';
    for (const statement of [
      `SELECT * FROM "Multi"."gsi" WHERE h1 = 'a' AND h2 = 'x'`,
      `SELECT * FROM "Multi"."gsi"`,
      `SELECT id FROM "Multi"."gsi" WHERE h1 = 'a' AND h2 = 'x' ORDER BY r1 DESC`,
    ]) {
      assertError(() => run(e, statement), 'ValidationException', message);
    }
    assert.equal(run(e, `SELECT * FROM Multi WHERE id = 'i1'`).Items.length, 1);
  });

  it('deletes from a set that is not there as a no-op', () => {
    const e = music();
    const out = run(
      e,
      `UPDATE Music SET Tags = set_delete(Tags, <<'a'>>) WHERE Artist = 'Acme' AND Song = 'Alpha' RETURNING ALL NEW *`,
    );
    assert.equal(out.Items[0].Tags, undefined);
    assert.equal(out.Items[0].Year.N, '2001');
  });
});
