// Smoke tests with other DynamoDB clients: the AWS CLI and Python's boto3 (which also verifies the
// x-amz-crc32 checksum of every DynamoDB response). Each runs only where the client is installed
// and is reported skipped otherwise. Item steps (put/get/query/scan) are skipped until the engine
// has those operations, and start running the day they land.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { requiresOperations, uniqueTableName, withServer } from './support.js';

const run = promisify(execFile);

const CLIENT_ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/nonexistent/sortkey-test-aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/sortkey-test-aws-credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
};

function available(command: string, args: string[]): boolean {
  try {
    const r = spawnSync(command, args, { env: CLIENT_ENV, stdio: 'ignore', timeout: 20_000 });
    return r.status === 0;
  } catch {
    return false;
  }
}

const hasAwsCli = available('aws', ['--version']);
const hasBoto3 = available('python3', ['-c', 'import boto3']);

describe('AWS CLI smoke test', { skip: hasAwsCli ? false : 'the AWS CLI (aws) is not installed' }, () => {
  const s = withServer();
  const table = uniqueTableName('AwsCli');

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run('aws', ['dynamodb', ...args, '--endpoint-url', s.url, '--output', 'json'], {
      env: CLIENT_ENV,
      timeout: 30_000,
    });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  }

  it('create-table', async () => {
    const out = await aws(
      'create-table',
      '--table-name',
      table,
      '--attribute-definitions',
      'AttributeName=pk,AttributeType=S',
      'AttributeName=sk,AttributeType=S',
      '--key-schema',
      'AttributeName=pk,KeyType=HASH',
      'AttributeName=sk,KeyType=RANGE',
      '--billing-mode',
      'PAY_PER_REQUEST',
    );
    assert.equal((out.TableDescription as { TableName?: string }).TableName, table);
    const listed = await aws('list-tables');
    assert.ok((listed.TableNames as string[]).includes(table));
  });

  it('put-item', { skip: requiresOperations('PutItem') }, async () => {
    await aws('put-item', '--table-name', table, '--item', '{"pk":{"S":"a"},"sk":{"S":"1"},"n":{"N":"42"}}');
    await aws('put-item', '--table-name', table, '--item', '{"pk":{"S":"a"},"sk":{"S":"2"},"n":{"N":"7"}}');
  });

  it('get-item', { skip: requiresOperations('PutItem', 'GetItem') }, async () => {
    const out = await aws('get-item', '--table-name', table, '--key', '{"pk":{"S":"a"},"sk":{"S":"1"}}');
    assert.deepEqual(out.Item, { pk: { S: 'a' }, sk: { S: '1' }, n: { N: '42' } });
  });

  it('query', { skip: requiresOperations('PutItem', 'Query') }, async () => {
    const out = await aws(
      'query',
      '--table-name',
      table,
      '--key-condition-expression',
      'pk = :p AND sk > :s',
      '--expression-attribute-values',
      '{":p":{"S":"a"},":s":{"S":"1"}}',
    );
    assert.equal(out.Count, 1);
    assert.deepEqual(out.Items, [{ pk: { S: 'a' }, sk: { S: '2' }, n: { N: '7' } }]);
  });

  it('scan', { skip: requiresOperations('PutItem', 'Scan') }, async () => {
    const out = await aws('scan', '--table-name', table);
    assert.equal(out.Count, 2);
  });

  it('delete-table', async () => {
    const out = await aws('delete-table', '--table-name', table);
    assert.equal((out.TableDescription as { TableName?: string }).TableName, table);
  });

  it('reports errors the way the CLI shows DynamoDB’s', async () => {
    await assert.rejects(aws('describe-table', '--table-name', table), (e: Error & { stderr?: string }) => {
      assert.match(e.stderr ?? '', /ResourceNotFoundException/);
      return true;
    });
  });
});

// Runs every step in one Python process (start-up is the slow part) and reports each as JSON.
const BOTO3_SCRIPT = String.raw`
import json, sys, boto3
from botocore.exceptions import ClientError
endpoint, table = sys.argv[1], sys.argv[2]
ddb = boto3.client('dynamodb', endpoint_url=endpoint, region_name='us-east-1',
                   aws_access_key_id='x', aws_secret_access_key='x')
results = {}
def step(name, fn):
    try:
        results[name] = {'ok': True, 'value': fn()}
    except ClientError as e:
        results[name] = {'ok': False, 'code': e.response['Error']['Code'], 'error': str(e)}
    except Exception as e:
        results[name] = {'ok': False, 'code': type(e).__name__, 'error': str(e)}
step('create_table', lambda: ddb.create_table(
    TableName=table, BillingMode='PAY_PER_REQUEST',
    AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}, {'AttributeName': 'sk', 'AttributeType': 'S'}],
    KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}, {'AttributeName': 'sk', 'KeyType': 'RANGE'}],
)['TableDescription']['TableName'])
step('wait', lambda: ddb.get_waiter('table_exists').wait(TableName=table, WaiterConfig={'Delay': 1, 'MaxAttempts': 10}))
step('list_tables', lambda: ddb.list_tables()['TableNames'])
step('put_item', lambda: [ddb.put_item(TableName=table, Item={'pk': {'S': 'a'}, 'sk': {'S': str(i)}, 'n': {'N': str(i * 10)}}) for i in (1, 2)] and True)
step('get_item', lambda: ddb.get_item(TableName=table, Key={'pk': {'S': 'a'}, 'sk': {'S': '1'}}).get('Item'))
step('query', lambda: ddb.query(TableName=table, KeyConditionExpression='pk = :p',
                                ExpressionAttributeValues={':p': {'S': 'a'}})['Count'])
step('scan', lambda: ddb.scan(TableName=table)['Count'])
step('delete_table', lambda: ddb.delete_table(TableName=table)['TableDescription']['TableName'])
step('missing_table', lambda: ddb.describe_table(TableName=table))
print(json.dumps(results))
`;

interface StepResult {
  ok: boolean;
  value?: unknown;
  code?: string;
  error?: string;
}

describe('boto3 smoke test', { skip: hasBoto3 ? false : 'python3 with boto3 is not installed' }, () => {
  const s = withServer();
  const table = uniqueTableName('Boto3');
  let results: Record<string, StepResult> = {};

  before(async () => {
    const { stdout } = await run('python3', ['-c', BOTO3_SCRIPT, s.url, table], {
      env: CLIENT_ENV,
      timeout: 60_000,
    });
    results = JSON.parse(stdout) as Record<string, StepResult>;
  });

  function ok(name: string): unknown {
    const r = results[name];
    assert.ok(r, `step ${name} ran`);
    assert.ok(r.ok, `step ${name} failed: ${r.error}`);
    return r.value;
  }

  it('create_table and the table_exists waiter', () => {
    assert.equal(ok('create_table'), table);
    ok('wait');
    assert.ok((ok('list_tables') as string[]).includes(table));
  });

  it('put_item', { skip: requiresOperations('PutItem') }, () => {
    ok('put_item');
  });

  it('get_item', { skip: requiresOperations('PutItem', 'GetItem') }, () => {
    assert.deepEqual(ok('get_item'), { pk: { S: 'a' }, sk: { S: '1' }, n: { N: '10' } });
  });

  it('query', { skip: requiresOperations('PutItem', 'Query') }, () => {
    assert.equal(ok('query'), 2);
  });

  it('scan', { skip: requiresOperations('PutItem', 'Scan') }, () => {
    assert.equal(ok('scan'), 2);
  });

  it('delete_table', () => {
    assert.equal(ok('delete_table'), table);
  });

  it('surfaces ResourceNotFoundException as the error code', () => {
    assert.equal(results.missing_table?.ok, false);
    assert.equal(results.missing_table?.code, 'ResourceNotFoundException');
  });
});
