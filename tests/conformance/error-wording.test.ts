// `--error-wording` through the SDK and on the wire: the same requests answered in DynamoDB's new
// wording (the default) and its old one (serve's `--error-wording old`), and the
// SerializationException body: `Message` with a capital M, and no message when the body is not JSON.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BatchGetItemCommand,
  CreateTableCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { serveOptionsFromCli } from '../../main/cli/serve.js';
import type { TestServer } from './support.js';
import { expectAwsError, hashTable, rawRequest, uniqueTableName, withServer } from './support.js';

const RV_OLD =
  "Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]";
const RCC =
  "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]";

async function checkWording(s: TestServer, wording: 'new' | 'old'): Promise<void> {
  const table = uniqueTableName('Wording');
  await s.client.send(new CreateTableCommand(hashTable(table)));
  await expectAwsError(
    s.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, s: { SS: [] } } })),
    'ValidationException',
    (wording === 'new' ? '1 validation error detected: ' : '') +
      'One or more parameter values were invalid: An string set  may not be empty',
  );
  await expectAwsError(
    s.client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 'a' } },
        // The SDK checks no enums: these reach the server as sent.
        ReturnValues: 'INVALID' as never,
        ReturnConsumedCapacity: 'INVALID' as never,
      }),
    ),
    'ValidationException',
    wording === 'new'
      ? '1 validation error detected: Failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATE_NEW, NONE]'
      : `2 validation errors detected: ${RCC}; ${RV_OLD}`,
  );
  await expectAwsError(
    s.client.send(new BatchGetItemCommand({ RequestItems: {} })),
    'ValidationException',
    wording === 'new'
      ? "1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"
      : 'The requestItems parameter is required for BatchGetItem',
  );
}

describe('errors in the new wording (the default)', () => {
  const s = withServer();
  it('PutItem, UpdateItem and BatchGetItem answer as the new layer does', () => checkWording(s, 'new'));
});

describe('errors in the old wording (serve --error-wording old)', () => {
  // The flag as serve reads it, into the options the test server starts with.
  const flags = serveOptionsFromCli(
    { port: 0, host: '127.0.0.1', region: 'us-east-1', inMemory: true, errorWording: 'old' },
    {},
  );
  const s = withServer({ engineOptions: flags.engineOptions ?? {} });
  it('PutItem, UpdateItem and BatchGetItem answer as the old layer does', () => checkWording(s, 'old'));
});

describe('SerializationException on the wire', () => {
  const s = withServer();
  it('a body that is not JSON: no message at all', async () => {
    const res = await rawRequest(s.url, { target: 'ListTables', body: 'not json' });
    assert.equal(res.status, 400);
    assert.equal(res.text, '{"__type":"com.amazon.coral.service#SerializationException"}');
  });

  it('a member of the wrong JSON type: `Message`, capital M, before any validation', async () => {
    // TableName is empty and the key's string is a boolean: the whole body is read first.
    const res = await rawRequest(s.url, {
      target: 'PutItem',
      body: { TableName: '', Item: { pk: { S: true } } },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, {
      __type: 'com.amazon.coral.service#SerializationException',
      Message: 'TRUE_VALUE cannot be converted to String',
    });
    const limit = await rawRequest(s.url, { target: 'Scan', body: { TableName: 'abc', Limit: '5' } });
    assert.deepEqual(limit.json, {
      __type: 'com.amazon.coral.service#SerializationException',
      Message: 'STRING_VALUE cannot be converted to Integer',
    });
  });
});
