// `--policies FILE` is read again when it changes; a change that does not parse is logged and the
// previous policies stay in force.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { expectAwsError, startTestServer } from './support.js';
import type { TestServer } from './support.js';

const ACCOUNT = '000000000000';

describe('--policies FILE is reloaded', () => {
  let t: TestServer;
  let dir: string;
  let policyPath: string;
  const logs: string[] = [];
  const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Games`;
  const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
  const allow = (Action: string, Resource: string) => ({ Effect: 'Allow', Action, Resource });
  const POLICIES = { READER: [doc(allow('dynamodb:GetItem', TABLE_ARN))] };
  const gameKey = (user: string) => ({ pk: { S: user } });
  let reader: DynamoDBClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sortkey-policies-'));
    policyPath = join(dir, 'policies.json');
    writeFileSync(policyPath, JSON.stringify(POLICIES));
    t = await startTestServer({
      authKeys: { READER: 'r', ADMIN: 'a' },
      policies: policyPath,
      onLog: (line) => logs.push(line),
    });
    const admin = t.makeClient({ credentials: { accessKeyId: 'ADMIN', secretAccessKey: 'a' } });
    await admin.send(
      new CreateTableCommand({
        TableName: 'Games',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    reader = t.makeClient({ credentials: { accessKeyId: 'READER', secretAccessKey: 'r' }, maxAttempts: 1 });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
  it('the file is reloaded when it changes; a bad change is logged and the previous policies stay', async () => {
    const put = () => reader.send(new PutItemCommand({ TableName: 'Games', Item: gameKey('r') }));
    await expectAwsError(put(), 'AccessDeniedException');
    writeFileSync(policyPath, JSON.stringify({ ...POLICIES, READER: [doc(allow('dynamodb:*', TABLE_ARN))] }));
    await eventually(async () => {
      await put();
    });
    writeFileSync(
      policyPath,
      JSON.stringify({ READER: [{ Statement: [{ Effect: 'Allow', Action: '*' }] }] }),
    );
    await eventually(async () => {
      assert.ok(
        logs.some((l) => l.includes('Missing required field Resource') && l.includes('previous policies')),
      );
    });
    await put();
    writeFileSync(policyPath, JSON.stringify(POLICIES));
    await eventually(async () => {
      await expectAwsError(put(), 'AccessDeniedException');
    });
  });
});

/** Retries `check` until it passes (the file watcher polls twice a second), for at most 10 s. */
async function eventually(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
