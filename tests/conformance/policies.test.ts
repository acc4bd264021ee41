// Access policies (`--auth` with `--policies`, and resource-based policies): a table of policy ×
// request cases through the AWS SDK, with DynamoDB's AccessDeniedException wording.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchExecuteStatementCommand,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  PutResourcePolicyCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { expectAwsError, startTestServer } from './support.js';
import type { TestServer } from './support.js';

const ACCOUNT = '000000000000';
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Games`;
const SHARED_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Shared`;
const INDEX_ARN = `${TABLE_ARN}/index/ByTitle`;
const userArn = (key: string) => `arn:aws:iam::${ACCOUNT}:user/${key}`;

const allow = (Action: string | string[], Resource: string | string[], Condition?: object) => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const deny = (Action: string | string[], Resource: string | string[], Condition?: object) => ({
  Effect: 'Deny',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });

const POLICIES = {
  READER: [doc(allow(['dynamodb:Get*', 'dynamodb:Query'], [TABLE_ARN, `${TABLE_ARN}/index/*`]))],
  LEADING: [
    doc(
      allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'], TABLE_ARN, {
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] },
      }),
    ),
  ],
  ATTRS: [
    doc(
      allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:UpdateItem'], TABLE_ARN, {
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['UserId', 'GameTitle', 'TopScore'] },
        StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
      }),
    ),
  ],
  COUNTER: [
    doc(
      allow(['dynamodb:Query', 'dynamodb:Scan'], [TABLE_ARN, `${TABLE_ARN}/index/*`], {
        StringEquals: { 'dynamodb:Select': 'COUNT' },
      }),
    ),
  ],
  WRITER: [
    doc(
      allow(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], TABLE_ARN, {
        StringEquals: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW'] },
      }),
    ),
  ],
  PARTIQL: [
    doc(
      allow(['dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert'], TABLE_ARN),
      deny('dynamodb:PartiQLSelect', TABLE_ARN, { Bool: { 'dynamodb:FullTableScan': 'true' } }),
    ),
  ],
  DENIER: [doc(allow('dynamodb:*', '*'), deny('dynamodb:DeleteItem', TABLE_ARN))],
  TX: [
    doc(
      allow(['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'], TABLE_ARN, {
        StringEquals: { 'dynamodb:EnclosingOperation': 'TransactWriteItems' },
      }),
    ),
  ],
  NOTACTION: [doc({ Effect: 'Allow', NotAction: 'dynamodb:Delete*', Resource: '*' })],
  RESALLOW: [doc(allow('dynamodb:ListTables', '*'))],
};

const KEYS = [...Object.keys(POLICIES), 'ADMIN', 'NOPOL'];

interface Case {
  readonly name: string;
  readonly key: string;
  readonly send: (c: DynamoDBClient) => Promise<unknown>;
  /** undefined: allowed; otherwise the denied action, its resource and the kind of denial. */
  readonly denied?: { action: string; resource: string; explicit?: 'identity-based' | 'resource-based' };
}

const S = (s: string) => ({ S: s });
const gameKey = (user: string, title = 'Chess') => ({ UserId: S(user), GameTitle: S(title) });

const CASES: Case[] = [
  // Action wildcards, index resources.
  {
    name: 'Get* allows GetItem',
    key: 'READER',
    send: (c) => c.send(new GetItemCommand({ TableName: 'Games', Key: gameKey('a') })),
  },
  {
    name: 'Get* does not allow PutItem',
    key: 'READER',
    send: (c) => c.send(new PutItemCommand({ TableName: 'Games', Item: gameKey('a') })),
    denied: { action: 'dynamodb:PutItem', resource: TABLE_ARN },
  },
  {
    name: 'a table/T/index/* resource allows a Query of the index',
    key: 'READER',
    send: (c) =>
      c.send(
        new QueryCommand({
          TableName: 'Games',
          IndexName: 'ByTitle',
          KeyConditionExpression: 'GameTitle = :t',
          ExpressionAttributeValues: { ':t': S('Chess') },
        }),
      ),
  },
  {
    name: 'Scan of the index is another action',
    key: 'READER',
    send: (c) => c.send(new ScanCommand({ TableName: 'Games', IndexName: 'ByTitle' })),
    denied: { action: 'dynamodb:Scan', resource: INDEX_ARN },
  },
  {
    name: 'the index is authorised on its own ARN, not the table’s',
    key: 'COUNTER',
    send: (c) => c.send(new ScanCommand({ TableName: 'Games', IndexName: 'ByTitle', Select: 'COUNT' })),
  },
  {
    name: 'account-level actions are authorised on *',
    key: 'READER',
    send: (c) => c.send(new ListTablesCommand({})),
    denied: { action: 'dynamodb:ListTables', resource: '*' },
  },
  // dynamodb:LeadingKeys with a policy variable.
  {
    name: 'LeadingKeys: own partition',
    key: 'LEADING',
    send: (c) => c.send(new PutItemCommand({ TableName: 'Games', Item: gameKey('LEADING') })),
  },
  {
    name: 'LeadingKeys: another partition',
    key: 'LEADING',
    send: (c) => c.send(new GetItemCommand({ TableName: 'Games', Key: gameKey('someone') })),
    denied: { action: 'dynamodb:GetItem', resource: TABLE_ARN },
  },
  {
    name: 'LeadingKeys: Query of own partition',
    key: 'LEADING',
    send: (c) =>
      c.send(
        new QueryCommand({
          TableName: 'Games',
          KeyConditionExpression: 'UserId = :u',
          ExpressionAttributeValues: { ':u': S('LEADING') },
        }),
      ),
  },
  {
    name: 'LeadingKeys: BatchGetItem must stay in own partition for every key',
    key: 'LEADING',
    send: (c) =>
      c.send(
        new BatchGetItemCommand({
          RequestItems: { Games: { Keys: [gameKey('LEADING'), gameKey('other')] } },
        }),
      ),
    denied: { action: 'dynamodb:BatchGetItem', resource: TABLE_ARN },
  },
  // dynamodb:Attributes and dynamodb:Select.
  {
    name: 'Attributes: projection within the allowed names',
    key: 'ATTRS',
    send: (c) =>
      c.send(new GetItemCommand({ TableName: 'Games', Key: gameKey('a'), ProjectionExpression: 'TopScore' })),
  },
  {
    name: 'Attributes: projection of another attribute',
    key: 'ATTRS',
    send: (c) =>
      c.send(
        new GetItemCommand({
          TableName: 'Games',
          Key: gameKey('a'),
          ProjectionExpression: '#s, Secret',
          ExpressionAttributeNames: { '#s': 'TopScore' },
        }),
      ),
    denied: { action: 'dynamodb:GetItem', resource: TABLE_ARN },
  },
  {
    name: 'Select: a read without projection returns everything (ALL_ATTRIBUTES)',
    key: 'ATTRS',
    send: (c) => c.send(new GetItemCommand({ TableName: 'Games', Key: gameKey('a') })),
    denied: { action: 'dynamodb:GetItem', resource: TABLE_ARN },
  },
  {
    name: 'Attributes: an update of an allowed attribute',
    key: 'ATTRS',
    send: (c) =>
      c.send(
        new UpdateItemCommand({
          TableName: 'Games',
          Key: gameKey('a'),
          UpdateExpression: 'SET TopScore = :s',
          ExpressionAttributeValues: { ':s': { N: '5' } },
        }),
      ),
  },
  {
    name: 'Attributes: an update of another attribute',
    key: 'ATTRS',
    send: (c) =>
      c.send(
        new UpdateItemCommand({
          TableName: 'Games',
          Key: gameKey('a'),
          UpdateExpression: 'SET Wins = :s',
          ExpressionAttributeValues: { ':s': { N: '5' } },
        }),
      ),
    denied: { action: 'dynamodb:UpdateItem', resource: TABLE_ARN },
  },
  {
    name: 'Select: COUNT allowed',
    key: 'COUNTER',
    send: (c) => c.send(new ScanCommand({ TableName: 'Games', Select: 'COUNT' })),
  },
  {
    name: 'Select: ALL_ATTRIBUTES refused',
    key: 'COUNTER',
    send: (c) => c.send(new ScanCommand({ TableName: 'Games' })),
    denied: { action: 'dynamodb:Scan', resource: TABLE_ARN },
  },
  // dynamodb:ReturnValues.
  {
    name: 'ReturnValues: NONE (the default) allowed',
    key: 'WRITER',
    send: (c) => c.send(new PutItemCommand({ TableName: 'Games', Item: gameKey('w') })),
  },
  {
    name: 'ReturnValues: ALL_OLD refused',
    key: 'WRITER',
    send: (c) =>
      c.send(new DeleteItemCommand({ TableName: 'Games', Key: gameKey('w'), ReturnValues: 'ALL_OLD' })),
    denied: { action: 'dynamodb:DeleteItem', resource: TABLE_ARN },
  },
  {
    name: 'ReturnValues: UPDATED_NEW allowed',
    key: 'WRITER',
    send: (c) =>
      c.send(
        new UpdateItemCommand({
          TableName: 'Games',
          Key: gameKey('w'),
          UpdateExpression: 'SET TopScore = :s',
          ExpressionAttributeValues: { ':s': { N: '1' } },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
  },
  // PartiQL and dynamodb:FullTableScan.
  {
    name: 'PartiQL: a SELECT of one partition',
    key: 'PARTIQL',
    send: (c) => c.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM Games WHERE UserId = 'a'` })),
  },
  {
    name: 'PartiQL: a full-table-scan SELECT is denied explicitly',
    key: 'PARTIQL',
    send: (c) => c.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM Games' })),
    denied: { action: 'dynamodb:PartiQLSelect', resource: TABLE_ARN, explicit: 'identity-based' },
  },
  {
    name: 'PartiQL: INSERT is PartiQLInsert',
    key: 'PARTIQL',
    send: (c) =>
      c.send(
        new ExecuteStatementCommand({
          Statement: `INSERT INTO Games VALUE {'UserId': 'p', 'GameTitle': 'Go'}`,
        }),
      ),
  },
  {
    name: 'PartiQL: DELETE is PartiQLDelete',
    key: 'PARTIQL',
    send: (c) =>
      c.send(
        new ExecuteStatementCommand({
          Statement: `DELETE FROM Games WHERE UserId = 'p' AND GameTitle = 'Go'`,
        }),
      ),
    denied: { action: 'dynamodb:PartiQLDelete', resource: TABLE_ARN },
  },
  {
    name: 'PartiQL: a statement of an index is authorised on the index',
    key: 'PARTIQL',
    send: (c) =>
      c.send(
        new ExecuteStatementCommand({ Statement: `SELECT * FROM "Games"."ByTitle" WHERE GameTitle = 'Go'` }),
      ),
    denied: { action: 'dynamodb:PartiQLSelect', resource: INDEX_ARN },
  },
  {
    name: 'PartiQL: ExecuteTransaction authorises each statement',
    key: 'PARTIQL',
    send: (c) =>
      c.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `INSERT INTO Games VALUE {'UserId': 'q', 'GameTitle': 'Go'}` },
            { Statement: `UPDATE Games SET TopScore = 1 WHERE UserId = 'a' AND GameTitle = 'Chess'` },
          ],
        }),
      ),
    denied: { action: 'dynamodb:PartiQLUpdate', resource: TABLE_ARN },
  },
  // Explicit deny, NotAction.
  {
    name: 'explicit deny wins over dynamodb:*',
    key: 'DENIER',
    send: (c) => c.send(new DeleteItemCommand({ TableName: 'Games', Key: gameKey('a') })),
    denied: { action: 'dynamodb:DeleteItem', resource: TABLE_ARN, explicit: 'identity-based' },
  },
  { name: 'dynamodb:* allows the rest', key: 'DENIER', send: (c) => c.send(new ListTablesCommand({})) },
  {
    name: 'NotAction allows what it does not name',
    key: 'NOTACTION',
    send: (c) => c.send(new PutItemCommand({ TableName: 'Games', Item: gameKey('n') })),
  },
  {
    name: 'NotAction does not allow what it names',
    key: 'NOTACTION',
    send: (c) => c.send(new DeleteItemCommand({ TableName: 'Games', Key: gameKey('n') })),
    denied: { action: 'dynamodb:DeleteItem', resource: TABLE_ARN },
  },
  // Transactions and batches.
  {
    name: 'TransactWriteItems: each element as its single-item action, with EnclosingOperation',
    key: 'TX',
    send: (c) =>
      c.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'Games', Item: gameKey('t') } },
            {
              ConditionCheck: {
                TableName: 'Games',
                Key: gameKey('t', 'Go'),
                ConditionExpression: 'attribute_not_exists(UserId)',
              },
            },
          ],
        }),
      ),
  },
  {
    name: 'TransactWriteItems: an Update element needs UpdateItem',
    key: 'TX',
    send: (c) =>
      c.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'Games', Item: gameKey('t') } },
            {
              Update: {
                TableName: 'Games',
                Key: gameKey('t', 'Go'),
                UpdateExpression: 'SET TopScore = :s',
                ExpressionAttributeValues: { ':s': { N: '2' } },
              },
            },
          ],
        }),
      ),
    denied: { action: 'dynamodb:UpdateItem', resource: TABLE_ARN },
  },
  {
    name: 'PutItem outside a transaction lacks the EnclosingOperation',
    key: 'TX',
    send: (c) => c.send(new PutItemCommand({ TableName: 'Games', Item: gameKey('t') })),
    denied: { action: 'dynamodb:PutItem', resource: TABLE_ARN },
  },
  {
    name: 'BatchWriteItem is its own action',
    key: 'TX',
    send: (c) =>
      c.send(
        new BatchWriteItemCommand({ RequestItems: { Games: [{ PutRequest: { Item: gameKey('t') } }] } }),
      ),
    denied: { action: 'dynamodb:BatchWriteItem', resource: TABLE_ARN },
  },
  // Resource-based policies.
  {
    name: 'resource policy: an Allow for the user suffices without an identity Allow',
    key: 'RESALLOW',
    send: (c) => c.send(new GetItemCommand({ TableName: 'Shared', Key: { pk: S('x') } })),
  },
  {
    name: 'resource policy: actions it does not allow stay denied',
    key: 'RESALLOW',
    send: (c) => c.send(new PutItemCommand({ TableName: 'Shared', Item: { pk: S('x') } })),
    denied: { action: 'dynamodb:PutItem', resource: SHARED_ARN },
  },
  {
    name: 'resource policy: its explicit Deny binds a key without identity policies',
    key: 'NOPOL',
    send: (c) => c.send(new PutItemCommand({ TableName: 'Shared', Item: { pk: S('x') } })),
    denied: { action: 'dynamodb:PutItem', resource: SHARED_ARN, explicit: 'resource-based' },
  },
  {
    name: 'resource policy: its explicit Deny wins over an identity Allow',
    key: 'DENIER',
    send: (c) => c.send(new PutItemCommand({ TableName: 'Shared', Item: { pk: S('x') } })),
    denied: { action: 'dynamodb:PutItem', resource: SHARED_ARN, explicit: 'resource-based' },
  },
  {
    name: 'a key without identity policies may do the rest',
    key: 'NOPOL',
    send: (c) => c.send(new GetItemCommand({ TableName: 'Shared', Key: { pk: S('x') } })),
  },
];

const SHARED_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: userArn('RESALLOW') },
      Action: 'dynamodb:GetItem',
      Resource: SHARED_ARN,
    },
    {
      Effect: 'Deny',
      Principal: { AWS: [userArn('NOPOL'), userArn('DENIER')] },
      Action: 'dynamodb:PutItem',
      Resource: SHARED_ARN,
    },
  ],
});

describe('access policies (--auth, --policies)', () => {
  let t: TestServer;
  let dir: string;
  let policyPath: string;
  const logs: string[] = [];
  const clients = new Map<string, DynamoDBClient>();
  const client = (key: string): DynamoDBClient => {
    let c = clients.get(key);
    if (!c) {
      c = t.makeClient({
        credentials: { accessKeyId: key, secretAccessKey: `secret-${key}` },
        maxAttempts: 1,
      });
      clients.set(key, c);
    }
    return c;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sortkey-policies-'));
    policyPath = join(dir, 'policies.json');
    writeFileSync(policyPath, JSON.stringify(POLICIES));
    t = await startTestServer({
      authKeys: Object.fromEntries(KEYS.map((k) => [k, `secret-${k}`])),
      policies: policyPath,
      onLog: (line) => logs.push(line),
    });
    const admin = client('ADMIN');
    await admin.send(
      new CreateTableCommand({
        TableName: 'Games',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'UserId', AttributeType: 'S' },
          { AttributeName: 'GameTitle', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'UserId', KeyType: 'HASH' },
          { AttributeName: 'GameTitle', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'ByTitle',
            KeySchema: [{ AttributeName: 'GameTitle', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
    await admin.send(
      new CreateTableCommand({
        TableName: 'Shared',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await admin.send(new PutResourcePolicyCommand({ ResourceArn: SHARED_ARN, Policy: SHARED_POLICY }));
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`${c.key}: ${c.name}`, async () => {
      if (!c.denied) {
        await c.send(client(c.key));
        return;
      }
      const why = c.denied.explicit
        ? `with an explicit deny in a ${c.denied.explicit} policy`
        : `because no identity-based policy allows the ${c.denied.action} action`;
      const e = await expectAwsError(
        c.send(client(c.key)),
        'AccessDeniedException',
        `User: ${userArn(c.key)} is not authorized to perform: ${c.denied.action} on resource: ${c.denied.resource} ${why}`,
      );
      assert.equal(e.$metadata?.httpStatusCode, 400);
    });
  }

  it('a refused request changes nothing', async () => {
    await expectAwsError(
      client('READER').send(new PutItemCommand({ TableName: 'Games', Item: gameKey('never') })),
      'AccessDeniedException',
    );
    const out = await client('ADMIN').send(new GetItemCommand({ TableName: 'Games', Key: gameKey('never') }));
    assert.equal(out.Item, undefined);
  });

  it('BatchExecuteStatement answers a denied statement in its own Responses entry, and runs the others', async () => {
    // PARTIQL may insert but not delete: the batch is not refused as a whole.
    const out = await client('PARTIQL').send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `INSERT INTO Games VALUE {'UserId': 'b1', 'GameTitle': 'Go'}` },
          { Statement: `DELETE FROM Games WHERE UserId = 'a' AND GameTitle = 'Chess'` },
          { Statement: `INSERT INTO Games VALUE {'UserId': 'b2', 'GameTitle': 'Go'}` },
        ],
      }),
    );
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.deepEqual(
      out.Responses?.map((r) => r.Error?.Code ?? 'ok'),
      ['ok', 'AccessDenied', 'ok'],
    );
    assert.equal(
      out.Responses?.[1]?.Error?.Message,
      `User: ${userArn('PARTIQL')} is not authorized to perform: dynamodb:PartiQLDelete on resource: ${TABLE_ARN} because no identity-based policy allows the dynamodb:PartiQLDelete action`,
    );
    assert.equal(out.Responses?.[1]?.TableName, 'Games');
    const admin = client('ADMIN');
    for (const user of ['b1', 'b2']) {
      const got = await admin.send(new GetItemCommand({ TableName: 'Games', Key: gameKey(user, 'Go') }));
      assert.ok(got.Item, `${user} was inserted`);
    }
    // A batch of reads likewise: READER has no dynamodb:PartiQLSelect.
    const reads = await client('READER').send(
      new BatchExecuteStatementCommand({
        Statements: [{ Statement: `SELECT * FROM Games WHERE UserId = 'b1' AND GameTitle = 'Go'` }],
      }),
    );
    assert.equal(reads.Responses?.[0]?.Error?.Code, 'AccessDenied');
  });
});
