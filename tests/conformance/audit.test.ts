// The audit log (`sortkey serve --audit FILE`): one CloudTrail-shaped line per request, through the
// real SDK; item bodies only with --audit-items; refused requests audited with their error; reads
// served by worker threads audited too.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  BatchWriteItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AuditEvent } from '../../main/audit/record.js';
import { authorizationHeader, toAmzDate } from '../../main/server/index.js';
import type { TestServer } from './support.js';
import { hashTable, rawRequest, startTestServer, uniqueTableName } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'sortkey-audit-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

async function auditedServer(extra: { items?: boolean; readWorkers?: number; authKeys?: string } = {}) {
  const file = join(dir, `audit-${++files}.log`);
  const s = await startTestServer({
    audit: { file, ...(extra.items ? { items: true } : {}) },
    ...(extra.readWorkers ? { db: join(dir, `db-${files}.sqlite`), readWorkers: extra.readWorkers } : {}),
    ...(extra.authKeys ? { authKeys: extra.authKeys } : {}),
  });
  return { s, file };
}

async function events(s: TestServer, file: string): Promise<AuditEvent[]> {
  await s.server.audit!.flushed();
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent);
}

function last(list: AuditEvent[], name: string): AuditEvent {
  const e = list.filter((x) => x.eventName === name).at(-1);
  assert.ok(e, `no ${name} event in ${JSON.stringify(list.map((x) => x.eventName))}`);
  return e;
}

describe('audit log', () => {
  it('writes data events in CloudTrail shape, keys without bodies', async () => {
    const { s, file } = await auditedServer();
    try {
      const TableName = uniqueTableName();
      await s.client.send(new CreateTableCommand(hashTable(TableName, true)));
      const put = await s.client.send(
        new PutItemCommand({
          TableName,
          Item: { pk: { S: 'customer#1' }, sk: { S: 'order#1' }, secret: { S: 'card 4111' } },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      await s.client.send(
        new GetItemCommand({ TableName, Key: { pk: { S: 'customer#1' }, sk: { S: 'order#1' } } }),
      );
      await s.client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'customer#1' } },
        }),
      );
      const list = await events(s, file);
      const p = last(list, 'PutItem');
      assert.equal(p.eventVersion, '1.11');
      assert.equal(p.eventSource, 'dynamodb.amazonaws.com');
      assert.equal(p.eventType, 'AwsApiCall');
      assert.equal(p.eventCategory, 'Data');
      assert.equal(p.managementEvent, false);
      assert.equal(p.readOnly, false);
      assert.equal(p.awsRegion, 'us-east-1');
      assert.equal(p.sourceIPAddress, '127.0.0.1');
      assert.match(p.userAgent, /aws-sdk-js/);
      assert.match(p.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(p.eventID, /^[0-9a-f-]{36}$/);
      assert.equal(p.requestID, put.$metadata.requestId);
      assert.deepEqual(p.userIdentity, {
        type: 'IAMUser',
        principalId: 'x',
        arn: 'arn:aws:iam::000000000000:user/x',
        accountId: '000000000000',
        accessKeyId: 'x',
        userName: 'x',
      });
      assert.deepEqual(p.requestParameters, {
        tableName: TableName,
        key: { pk: 'customer#1', sk: 'order#1' },
        item: ['pk', 'sk', 'secret'],
        returnConsumedCapacity: 'TOTAL',
      });
      assert.equal(p.responseElements, null);
      assert.deepEqual(p.resources, [
        {
          accountId: '000000000000',
          type: 'AWS::DynamoDB::Table',
          ARN: `arn:aws:dynamodb:us-east-1:000000000000:table/${TableName}`,
        },
      ]);
      assert.equal(p.errorCode, undefined);
      assert.ok(!readFileSync(file, 'utf8').includes('card 4111'), 'an item body reached the log');

      const g = last(list, 'GetItem');
      assert.equal(g.readOnly, true);
      assert.deepEqual(g.requestParameters, {
        tableName: TableName,
        key: { pk: 'customer#1', sk: 'order#1' },
      });
      const q = last(list, 'Query');
      assert.deepEqual(q.requestParameters, { tableName: TableName, keyConditionExpression: 'pk = :p' });
    } finally {
      await s.close();
    }
  });

  it('writes control-plane calls as management events, with the answer of those that change something', async () => {
    const { s, file } = await auditedServer();
    try {
      const TableName = uniqueTableName();
      await s.client.send(new CreateTableCommand(hashTable(TableName)));
      await s.client.send(new DescribeTableCommand({ TableName }));
      const list = await events(s, file);
      const c = last(list, 'CreateTable');
      assert.equal(c.managementEvent, true);
      assert.equal(c.eventCategory, 'Management');
      assert.equal(c.readOnly, false);
      assert.equal((c.requestParameters as { tableName: string }).tableName, TableName);
      assert.deepEqual((c.requestParameters as { keySchema: unknown }).keySchema, [
        { attributeName: 'pk', keyType: 'HASH' },
      ]);
      const td = (c.responseElements as { tableDescription: Record<string, unknown> }).tableDescription;
      assert.equal(td.tableName, TableName);
      assert.equal(td.tableStatus, 'ACTIVE');
      const d = last(list, 'DescribeTable');
      assert.equal(d.readOnly, true);
      assert.equal(d.managementEvent, true);
      assert.equal(d.responseElements, null);
    } finally {
      await s.close();
    }
  });

  it('logs failures with errorCode and errorMessage, and no expression values', async () => {
    const { s, file } = await auditedServer();
    try {
      const TableName = uniqueTableName();
      await s.client.send(new CreateTableCommand(hashTable(TableName)));
      await assert.rejects(
        s.client.send(
          new UpdateItemCommand({
            TableName,
            Key: { pk: { S: 'a' } },
            UpdateExpression: 'SET #y = :y',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#y': 'Year' },
            ExpressionAttributeValues: { ':y': { N: '1999' } },
          }),
        ),
        { name: 'ConditionalCheckFailedException' },
      );
      await assert.rejects(s.client.send(new GetItemCommand({ TableName, Key: {} })), {
        name: 'ValidationException',
      });
      const raw = await rawRequest(s.url, { target: 'NoSuchCall', body: '{}' });
      assert.equal(raw.status, 400);
      const list = await events(s, file);
      const u = last(list, 'UpdateItem');
      assert.equal(u.errorCode, 'ConditionalCheckFailedException');
      assert.equal(u.errorMessage, 'The conditional request failed');
      assert.deepEqual(u.requestParameters, {
        tableName: TableName,
        key: { pk: 'a' },
        updateExpression: 'SET #y = :y',
        conditionExpression: 'attribute_exists(pk)',
        expressionAttributeNames: { '#y': 'Year' },
      });
      const keys = Object.keys(u);
      assert.ok(keys.indexOf('errorCode') === keys.indexOf('userAgent') + 1, 'errorCode follows userAgent');
      const v = last(list, 'GetItem');
      assert.equal(v.errorCode, 'ValidationException');
      const unknown = last(list, 'NoSuchCall');
      assert.equal(unknown.errorCode, 'UnknownOperationException');
      assert.equal(unknown.requestID, raw.headers.get('x-amzn-requestid'));
      assert.deepEqual(unknown.userIdentity, { type: 'AWSAccount', principalId: '', accountId: 'anonymous' });
    } finally {
      await s.close();
    }
  });

  it('keeps bodies out of batches, transactions and PartiQL; --audit-items keeps them', async () => {
    for (const items of [false, true]) {
      const { s, file } = await auditedServer({ items });
      try {
        const TableName = uniqueTableName();
        await s.client.send(new CreateTableCommand(hashTable(TableName)));
        await s.client.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [TableName]: [{ PutRequest: { Item: { pk: { S: 'b1' }, body: { S: 'BODY-1' } } } }],
            },
          }),
        );
        await s.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [{ Put: { TableName, Item: { pk: { S: 't1' }, body: { S: 'BODY-2' } } } }],
          }),
        );
        await s.client.send(
          new ExecuteStatementCommand({
            Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'p1', 'body': 'BODY-3'}`,
          }),
        );
        await s.client.send(
          new ExecuteStatementCommand({
            Statement: `SELECT * FROM "${TableName}" WHERE pk = 'p1' AND body = 'BODY-4'`,
          }),
        );
        await s.client.send(
          new PutItemCommand({
            TableName,
            Item: { pk: { S: 'c1' }, n: { N: '1' } },
            ConditionExpression: 'attribute_not_exists(pk) OR n < :max',
            ExpressionAttributeValues: { ':max': { N: '424242' } },
          }),
        );
        const text = (await events(s, file)).map((e) => JSON.stringify(e)).join('\n');
        const list = await events(s, file);
        for (const body of ['BODY-1', 'BODY-2', 'BODY-3', 'BODY-4', '424242'])
          assert.equal(text.includes(body), items, `${body} ${items ? 'missing from' : 'in'} the log`);
        const b = last(list, 'BatchWriteItem');
        const stmts = list.filter((e) => e.eventName === 'ExecuteStatement');
        if (!items) {
          assert.deepEqual(b.requestParameters, {
            requestItems: { [TableName]: [{ putRequest: { key: { pk: 'b1' }, item: ['pk', 'body'] } }] },
          });
          assert.equal(
            (stmts[0]!.requestParameters as { statement: string }).statement,
            `INSERT INTO "${TableName}" VALUE {'pk': ***(Redacted), 'body': ***(Redacted)}`,
          );
          assert.equal(
            (stmts[1]!.requestParameters as { statement: string }).statement,
            `SELECT * FROM "${TableName}" WHERE pk = 'p1' AND body = ***(Redacted)`,
          );
        } else {
          const put = last(list, 'PutItem').requestParameters as Record<string, unknown>;
          assert.deepEqual(put.item, { pk: { S: 'c1' }, n: { N: '1' } });
          assert.deepEqual(put.expressionAttributeValues, { ':max': { N: '424242' } });
        }
        assert.equal(stmts[0]!.readOnly, false);
        assert.equal(stmts[0]!.resources?.[0]?.ARN.endsWith(`:table/${TableName}`), true);
        assert.equal(last(list, 'TransactWriteItems').eventCategory, 'Data');
      } finally {
        await s.close();
      }
    }
  });

  it('audits refused signatures with the key that signed', async () => {
    const { s, file } = await auditedServer({ authKeys: 'AKIDAUDIT:right-secret' });
    try {
      const body = '{}';
      const headers: Record<string, string> = {
        host: `127.0.0.1:${s.port}`,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        'x-amz-date': toAmzDate(Date.now()),
      };
      const authorization = authorizationHeader(
        { method: 'POST', url: '/', headers, body },
        { accessKeyId: 'AKIDAUDIT', secretAccessKey: 'wrong-secret', region: 'us-east-1' },
      );
      const res = await fetch(s.url, { method: 'POST', headers: { ...headers, authorization }, body });
      assert.equal(res.status, 400);
      const list = await events(s, file);
      const e = last(list, 'ListTables');
      assert.equal(e.errorCode, 'InvalidSignatureException');
      assert.equal(e.userIdentity.accessKeyId, 'AKIDAUDIT');
      assert.equal(e.requestID, res.headers.get('x-amzn-requestid'));
    } finally {
      await s.close();
    }
  });

  it('audits reads served by the read workers, and many requests at once as whole lines', async () => {
    const { s, file } = await auditedServer({ readWorkers: 1 });
    try {
      const TableName = uniqueTableName();
      await s.client.send(new CreateTableCommand(hashTable(TableName)));
      await s.client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'w' } } }));
      const before = s.server.readWorkers!.counts.served;
      const queries = Array.from({ length: 40 }, (_, i) =>
        s.client.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': { S: `w${i % 3 === 0 ? '' : i}` } },
          }),
        ),
      );
      const answers = await Promise.all(queries);
      assert.ok(s.server.readWorkers!.counts.served > before, 'no read was served by a worker');
      const list = await events(s, file);
      const audited = new Set(list.filter((e) => e.eventName === 'Query').map((e) => e.requestID));
      for (const a of answers)
        assert.ok(audited.has(a.$metadata.requestId!), 'a worker-served read is missing');
    } finally {
      await s.close();
    }
  });
});
