// Code generation (renderer/src/lib/codegen.ts): the text per language, and the JavaScript (client
// and DocumentClient), Python and AWS CLI programs run against a real endpoint (the server
// `sortkey serve` runs), where they must read exactly the items the studio's own request reads.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../engine/index.js';
import type { SortkeyServer } from '../../../main/server/index.js';
import { startServer } from '../../../main/server/index.js';
import type { AttributeValue } from '../../../renderer/src/backend/api.js';
import { generateCode, shellWord } from '../../../renderer/src/lib/codegen.js';
import type { CodeRequest, CodeTarget } from '../../../renderer/src/lib/codegen.js';
import { buildRead, emptyBuilder } from '../../../renderer/src/lib/query-builder.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Finds an executable on PATH (undefined when absent). */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const path = join(dir, name);
    if (dir && existsSync(path)) return path;
  }
  return undefined;
}

/** Runs a program without blocking this process (the endpoint answers from the same event loop). */
function run(
  file: string,
  args: string[],
  input: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}

// A partition key no shell or string literal takes as is.
const PK = `it's "quoted" $HOME \\ ü`;
const KEYS = {
  keySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ],
  types: { pk: 'S' as const, sk: 'N' as const },
};

function builderRead(filters: { attribute: string; op: string; type: string; value: string }[]): CodeRequest {
  const state = emptyBuilder();
  state.mode = 'Query';
  state.partitionValue = PK;
  state.sortOp = 'BETWEEN';
  state.sortValue = '1';
  state.sortValue2 = '5';
  state.descending = true;
  state.filters = filters.map((f) => ({ ...f, value2: '' }) as (typeof state.filters)[number]);
  return buildRead('Orders', KEYS, state);
}

const EVERY_TYPE: AttributeValue[] = [
  { S: 'a"b' },
  { N: '12345678901234567890' },
  { N: '1.5' },
  { B: 'AQID' },
  { BOOL: true },
  { NULL: true },
  { SS: ['x', 'y'] },
  { NS: ['1', '2'] },
  { BS: ['AQ=='] },
  { L: [{ S: 'l' }, { N: '3' }] },
  { M: { k: { S: 'v' } } },
];
const STATEMENT: CodeRequest = {
  operation: 'ExecuteStatement',
  input: { Statement: 'SELECT * FROM "Orders" WHERE pk = ?', Parameters: EVERY_TYPE, Limit: 10 },
};
const LOCAL: CodeTarget = { region: 'eu-west-1', endpoint: 'http://127.0.0.1:8000' };
const AWS: CodeTarget = { region: 'eu-west-1' };

describe('code generation: the text of each language', () => {
  const query = builderRead([{ attribute: 'tags', op: 'contains', type: 'S', value: 'x' }]);

  it('JavaScript client: typed values, placeholders and exact text', () => {
    const code = generateCode('js-client', query, LOCAL);
    assert.match(code, /import \{ DynamoDBClient, QueryCommand \} from "@aws-sdk\/client-dynamodb";/);
    assert.match(code, /endpoint: "http:\/\/127\.0\.0\.1:8000"/);
    assert.match(code, /KeyConditionExpression: "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"/);
    assert.match(code, /":v0": \{\n\s+S: "it's \\"quoted\\" \$HOME \\\\ ü",/);
    assert.match(code, /ScanIndexForward: false/);
    const all = generateCode('js-client', STATEMENT, AWS);
    assert.match(all, /ExecuteStatementCommand/);
    assert.match(all, /B: Buffer\.from\("AQID", "base64"\)/);
    assert.match(all, /N: "12345678901234567890"/);
    assert.doesNotMatch(all, /endpoint|credentials/, 'AWS itself: the SDK chain, no endpoint');
  });

  it('JavaScript DocumentClient: native values, NumberValue where a JS number would round', () => {
    const all = generateCode('js-document', STATEMENT, AWS);
    assert.match(all, /import \{ DynamoDBDocumentClient, ExecuteStatementCommand, NumberValue \}/);
    assert.match(all, /NumberValue\.from\("12345678901234567890"\)/);
    assert.match(all, /^\s+1\.5,$/m);
    assert.match(all, /new Set\(\[\n\s+"x",\n\s+"y",\n\]\)/);
    assert.match(all, /new Set\(\[1, 2\]\)/);
    assert.match(all, /^\s+null,$/m);
    assert.match(all, /\{\n\s+k: "v",\n\s+\}/);
  });

  it('boto3: client call with typed values and Python literals', () => {
    const all = generateCode('python', STATEMENT, LOCAL);
    assert.match(all, /^import base64$/m);
    assert.match(all, /client = boto3\.client\("dynamodb", region_name="eu-west-1", endpoint_url=/);
    assert.match(all, /response = client\.execute_statement\(/);
    assert.match(all, /"BOOL": True/);
    assert.match(all, /"B": base64\.b64decode\("AQID"\)/);
    assert.match(all, /Limit=10,/);
    assert.doesNotMatch(generateCode('python', query, AWS), /base64|endpoint_url|aws_access_key_id/);
  });

  it('AWS CLI: one quoted word per option', () => {
    const code = generateCode('cli', query, LOCAL);
    assert.match(code, /^aws dynamodb query \\$/m);
    assert.match(code, /--table-name Orders/);
    assert.match(code, /--no-scan-index-forward/);
    assert.match(code, /--expression-attribute-values '\{":v0":\{"S":"it'\\''s \\"quoted\\" \$HOME/);
    assert.match(code, /--endpoint-url http:\/\/127\.0\.0\.1:8000/);
    assert.equal(shellWord("a'b"), `'a'\\''b'`);
    assert.equal(shellWord('plain-word'), 'plain-word');
    assert.match(
      generateCode('cli', STATEMENT, AWS),
      /^aws dynamodb execute-statement \\\n {2}--statement /m,
    );
  });

  it('Java SDK v2: builder with AttributeValue factories', () => {
    const code = generateCode('java', query, LOCAL);
    assert.match(code, /QueryRequest request = QueryRequest\.builder\(\)/);
    assert.match(code, /\.keyConditionExpression\("#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"\)/);
    assert.match(code, /\.scanIndexForward\(false\)/);
    assert.match(code, /\.endpointOverride\(URI\.create\("http:\/\/127\.0\.0\.1:8000"\)\)/);
    assert.match(code, /":v1", AttributeValue\.fromN\("1"\)/);
    const all = generateCode('java', STATEMENT, AWS);
    assert.match(all, /ExecuteStatementResponse response = client\.executeStatement\(request\);/);
    assert.match(
      all,
      /AttributeValue\.fromB\(SdkBytes\.fromByteArray\(Base64\.getDecoder\(\)\.decode\("AQID"\)\)\)/,
    );
    assert.match(all, /AttributeValue\.fromNul\(true\)/);
    assert.match(all, /AttributeValue\.fromM\(Map\.of\("k", AttributeValue\.fromS\("v"\)\)\)/);
    assert.match(all, /\.limit\(10\)/);
    const many: Record<string, AttributeValue> = {};
    for (let i = 0; i < 11; i++) many[`:v${i}`] = { N: String(i) };
    const wide = generateCode(
      'java',
      { operation: 'Scan', input: { TableName: 'T', ExpressionAttributeValues: many } },
      AWS,
    );
    assert.match(wide, /Map\.ofEntries\(Map\.entry\(":v0", /, 'Map.of stops at 10 pairs');
  });

  it('Go SDK v2: input struct with typed members', () => {
    const code = generateCode('go', query, LOCAL);
    assert.match(code, /out, err := client\.Query\(context\.TODO\(\), &dynamodb\.QueryInput\{/);
    assert.match(code, /TableName: aws\.String\("Orders"\),/);
    assert.match(code, /ScanIndexForward: aws\.Bool\(false\),/);
    assert.match(code, /o\.BaseEndpoint = aws\.String\("http:\/\/127\.0\.0\.1:8000"\)/);
    assert.match(code, /"github.com\/aws\/aws-sdk-go-v2\/credentials"/);
    const all = generateCode('go', STATEMENT, AWS);
    assert.match(all, /&types\.AttributeValueMemberB\{Value: \[\]byte\{0x01, 0x02, 0x03\}\}/);
    assert.match(all, /&types\.AttributeValueMemberSS\{Value: \[\]string\{"x", "y"\}\}/);
    assert.match(all, /Limit: aws\.Int32\(10\),/);
    assert.doesNotMatch(all, /credentials|BaseEndpoint/);
    const noValues = generateCode('go', { operation: 'Scan', input: { TableName: 'T' } }, AWS);
    assert.doesNotMatch(noValues, /dynamodb\/types/, 'Go refuses unused imports');
  });
});

describe('code generation: the programs run against the endpoint', () => {
  let engine: Engine;
  let server: SortkeyServer;
  let target: CodeTarget;
  before(async () => {
    engine = Engine.inMemory();
    server = await startServer({ engine, port: 0, host: '127.0.0.1' });
    target = { region: 'us-east-1', endpoint: server.url };
    engine.execute('CreateTable', {
      TableName: 'Orders',
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
    const items = [
      {
        pk: { S: PK },
        sk: { N: '1' },
        big: { N: '12345678901234567890' },
        bin: { B: 'AQID' },
        tags: { SS: ['x'] },
      },
      {
        pk: { S: PK },
        sk: { N: '2' },
        big: { N: '12345678901234567890' },
        bin: { B: 'AQID' },
        tags: { SS: ['y'] },
      },
      { pk: { S: PK }, sk: { N: '3' }, big: { N: '1' }, bin: { B: 'AQID' }, tags: { SS: ['x'] } },
      {
        pk: { S: PK },
        sk: { N: '4' },
        big: { N: '12345678901234567890' },
        bin: { B: 'AQ==' },
        tags: { SS: ['x'] },
      },
      {
        pk: { S: PK },
        sk: { N: '5' },
        big: { N: '12345678901234567890' },
        bin: { B: 'AQID' },
        tags: { SS: ['x'] },
      },
      {
        pk: { S: PK },
        sk: { N: '9' },
        big: { N: '12345678901234567890' },
        bin: { B: 'AQID' },
        tags: { SS: ['x'] },
      },
      {
        pk: { S: 'other' },
        sk: { N: '1' },
        big: { N: '12345678901234567890' },
        bin: { B: 'AQID' },
        tags: { SS: ['x'] },
      },
    ];
    engine.execute('BatchWriteItem', {
      RequestItems: { Orders: items.map((Item) => ({ PutRequest: { Item } })) },
    });
  });
  after(async () => {
    await server.close({ graceMs: 100 });
    engine.close();
  });

  // Key condition, descending order, an unsafe integer, a binary value and a set: sk 5 then 1.
  const exact = (): CodeRequest =>
    builderRead([
      { attribute: 'big', op: '=', type: 'N', value: '12345678901234567890' },
      { attribute: 'bin', op: '=', type: 'B', value: 'AQID' },
      { attribute: 'tags', op: 'contains', type: 'S', value: 'x' },
    ]);
  const statement: CodeRequest = {
    operation: 'ExecuteStatement',
    input: {
      Statement: 'SELECT * FROM "Orders" WHERE pk = ? AND big = ? AND sk >= ?',
      Parameters: [{ S: PK }, { N: '12345678901234567890' }, { N: '4' }],
    },
  };

  const sortKeys = (items: { sk: unknown }[]): string[] =>
    items.map((i) => String((i.sk as { N?: string }).N ?? i.sk));

  for (const language of ['js-client', 'js-document'] as const) {
    it(`${language}: node runs it and reads what the studio reads`, async () => {
      for (const [request, expected] of [
        [exact(), ['5', '1']],
        [statement, ['4', '5', '9']],
      ] as const) {
        const code = generateCode(language, request, target);
        const print = 'console.dir(response.Items, { depth: null });';
        assert.ok(code.includes(print));
        const r = await run(
          process.execPath,
          ['--input-type=module'],
          code.replace(
            print,
            'console.log(JSON.stringify(response.Items.map((i) => String(i.sk.N ?? i.sk))));',
          ),
        );
        assert.equal(r.code, 0, `${code}\n${r.stderr}`);
        assert.deepEqual(JSON.parse(r.stdout), expected, code);
      }
    });
  }

  it('AWS CLI: aws runs it and reads what the studio reads', async (t) => {
    const aws = onPath('aws');
    if (!aws) return t.skip('the aws binary is not installed (apt-get install awscli)');
    // AWS CLI v1 and v2 read binary values differently (see codegen.ts): a filter without one.
    const request = builderRead([
      { attribute: 'big', op: '=', type: 'N', value: '12345678901234567890' },
      { attribute: 'tags', op: 'contains', type: 'S', value: 'x' },
    ]);
    const env = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_CONFIG_FILE: '/dev/null' };
    for (const [req, expected] of [
      // BETWEEN 1 AND 5 keeps 9 out; descending order.
      [request, ['5', '4', '1']],
      [statement, ['4', '5', '9']],
    ] as const) {
      const code = generateCode('cli', req, target);
      const r = await run('bash', ['-e'], code, env);
      assert.equal(r.code, 0, `${code}\n${r.stderr}`);
      const out = JSON.parse(r.stdout) as { Items: { sk: unknown }[] };
      assert.deepEqual(sortKeys(out.Items), expected, code);
    }
  });

  it('boto3: python runs it and reads what the studio reads', async (t) => {
    const python = onPath('python3');
    const probe = python ? await run(python, ['-c', 'import boto3'], '') : undefined;
    if (!python || probe?.code !== 0) return t.skip('python3 with boto3 is not installed');
    const code = generateCode('python', exact(), target).replace(
      'print(response["Items"])',
      'import json; print(json.dumps([i["sk"] for i in response["Items"]]))',
    );
    const r = await run(python, ['-'], code);
    assert.equal(r.code, 0, `${code}\n${r.stderr}`);
    assert.deepEqual(JSON.parse(r.stdout), [{ N: '5' }, { N: '1' }]);
  });
});
