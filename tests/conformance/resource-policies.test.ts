// PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy through the AWS SDK: revisions,
// ExpectedRevisionId, and DynamoDB's refusals (their effect on requests: policies.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand,
  DeleteResourcePolicyCommand,
  DeleteTableCommand,
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-dynamodb';
import { expectAwsError, startTestServer } from './support.js';
import type { TestServer } from './support.js';

const ACCOUNT = '000000000000';

describe('resource-based policy operations', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    await t.client.send(
      new CreateTableCommand({
        TableName: 'Pol',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
  });
  after(() => t.close());
  const arn = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Pol`;
  const policy = (action: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: action, Resource: arn }],
    });

  it('Put, Get, revisions, ExpectedRevisionId, Delete', async () => {
    const c = t.client;
    await expectAwsError(
      c.send(new GetResourcePolicyCommand({ ResourceArn: arn })),
      'PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: ${arn}`,
    );
    const first = await c.send(
      new PutResourcePolicyCommand({
        ResourceArn: arn,
        Policy: policy('dynamodb:GetItem'),
        ExpectedRevisionId: 'NO_POLICY',
      }),
    );
    assert.match(first.RevisionId!, /^\d+$/);
    const again = await c.send(
      new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy('dynamodb:GetItem') }),
    );
    assert.equal(again.RevisionId, first.RevisionId, 'the same document is a no-op');
    const got = await c.send(new GetResourcePolicyCommand({ ResourceArn: arn }));
    assert.equal(got.Policy, policy('dynamodb:GetItem'));
    assert.equal(got.RevisionId, first.RevisionId);
    await expectAwsError(
      c.send(
        new PutResourcePolicyCommand({
          ResourceArn: arn,
          Policy: policy('dynamodb:PutItem'),
          ExpectedRevisionId: 'NO_POLICY',
        }),
      ),
      'PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: Requested policy update expecting none to be present for table Pol, but a policy exists with revision id ${first.RevisionId}.`,
    );
    const second = await c.send(
      new PutResourcePolicyCommand({
        ResourceArn: arn,
        Policy: policy('dynamodb:PutItem'),
        ExpectedRevisionId: first.RevisionId,
      }),
    );
    assert.ok(Number(second.RevisionId) > Number(first.RevisionId));
    await expectAwsError(
      c.send(new DeleteResourcePolicyCommand({ ResourceArn: arn, ExpectedRevisionId: first.RevisionId })),
      'PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id ${first.RevisionId}, but the policy associated to target table Pol has revision id ${second.RevisionId}.`,
    );
    await c.send(
      new DeleteResourcePolicyCommand({ ResourceArn: arn, ExpectedRevisionId: second.RevisionId }),
    );
    await expectAwsError(
      c.send(new GetResourcePolicyCommand({ ResourceArn: arn })),
      'PolicyNotFoundException',
    );
    const none = await c.send(new DeleteResourcePolicyCommand({ ResourceArn: arn }));
    assert.equal(none.RevisionId, undefined, 'deleting no policy is idempotent');
    await expectAwsError(
      c.send(new DeleteResourcePolicyCommand({ ResourceArn: arn, ExpectedRevisionId: '1' })),
      'PolicyNotFoundException',
    );
  });

  it('refuses bad ARNs, missing tables and bad documents with DynamoDB’s messages', async () => {
    const c = t.client;
    await expectAwsError(
      c.send(new PutResourcePolicyCommand({ ResourceArn: 'Pol', Policy: policy('dynamodb:GetItem') })),
      'ValidationException',
      "One or more parameter values were invalid: ARNs must start with 'arn:': Pol",
    );
    await expectAwsError(
      c.send(
        new PutResourcePolicyCommand({ ResourceArn: `${arn}/index/I`, Policy: policy('dynamodb:GetItem') }),
      ),
      'ValidationException',
      `One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn}/index/I`,
    );
    await expectAwsError(
      c.send(new GetResourcePolicyCommand({ ResourceArn: `${arn}x` })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: Polx not found',
    );
    await expectAwsError(
      c.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: '{not json' })),
      'ValidationException',
      'One or more parameter values were invalid: Invalid policy document: This policy contains invalid Json',
    );
    await expectAwsError(
      c.send(
        new PutResourcePolicyCommand({
          ResourceArn: arn,
          Policy: JSON.stringify({
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItem' }],
          }),
        }),
      ),
      'ValidationException',
      'One or more parameter values were invalid: Invalid policy document: Missing required field Resource',
    );
    await expectAwsError(
      c.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy('x'.repeat(20 * 1024)) })),
      'ValidationException',
      'One or more parameter values were invalid: Maximum policy size of 20480 bytes exceeded',
    );
  });

  it('a table created again under the same name starts without the old policy', async () => {
    const c = t.client;
    await c.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy('dynamodb:GetItem') }));
    await c.send(new DeleteTableCommand({ TableName: 'Pol' }));
    await c.send(
      new CreateTableCommand({
        TableName: 'Pol',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await expectAwsError(
      c.send(new GetResourcePolicyCommand({ ResourceArn: arn })),
      'PolicyNotFoundException',
    );
  });
});

describe('--policies at start', () => {
  it('refuses a bad file with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-policies-'));
    try {
      const path = join(dir, 'p.json');
      writeFileSync(
        path,
        JSON.stringify({
          K: [{ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] }],
        }),
      );
      await assert.rejects(
        startTestServer({ authKeys: { K: 's' }, policies: path }),
        /access key K, policy 1: Invalid policy document: Invalid effect: Maybe/,
      );
      await assert.rejects(startTestServer({ policies: path }), /need authentication/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
