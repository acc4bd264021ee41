// Code generation: the read the query builder makes (Query or Scan) or a PartiQL statement with its
// parameters, written as the same call in the AWS SDKs and the AWS CLI. Every name and value
// placeholder (#n0, :v0, ?) and every value is kept exactly as the studio sends it, so the generated
// code reads what the studio shows. Pure TypeScript (runs in the page and under node's tests).
import type { AttributeValue, ReadInput } from '../backend/api.js';

export type CodeRequest =
  | { operation: 'Query' | 'Scan'; input: ReadInput }
  | {
      operation: 'ExecuteStatement';
      input: { Statement: string; Parameters?: AttributeValue[]; Limit?: number; ConsistentRead?: boolean };
    };

export type CodeLanguage = 'js-client' | 'js-document' | 'python' | 'cli' | 'java' | 'go';

export const CODE_LANGUAGES: readonly { id: CodeLanguage; label: string }[] = [
  { id: 'js-client', label: 'JavaScript (SDK v3 client)' },
  { id: 'js-document', label: 'JavaScript (DocumentClient)' },
  { id: 'python', label: 'Python (boto3)' },
  { id: 'cli', label: 'AWS CLI' },
  { id: 'java', label: 'Java (SDK v2)' },
  { id: 'go', label: 'Go (SDK v2)' },
];

/** Where the generated code connects: an endpoint (local or compatible service) or AWS itself. */
export interface CodeTarget {
  region: string;
  /** Omitted for AWS itself (the SDK's default endpoint for the region). */
  endpoint?: string;
}

export function generateCode(language: CodeLanguage, request: CodeRequest, target: CodeTarget): string {
  switch (language) {
    case 'js-client':
      return jsClient(request, target);
    case 'js-document':
      return jsDocument(request, target);
    case 'python':
      return python(request, target);
    case 'cli':
      return cli(request, target);
    case 'java':
      return java(request, target);
    case 'go':
      return go(request, target);
  }
}

/** A string literal that JavaScript, Python, Java and Go all read the same way (JSON's escapes). */
function quoted(text: string): string {
  return JSON.stringify(text);
}

/** The request's fields in the order the SDKs document them, without undefined ones. */
function fields(request: CodeRequest): [string, unknown][] {
  return Object.entries(request.input).filter(([, v]) => v !== undefined);
}

/** Whether the endpoint is this machine's (any credentials work there). */
function isLocal(target: CodeTarget): boolean {
  return !!target.endpoint && /^https?:\/\/(localhost|127\.|\[::1\])/i.test(target.endpoint);
}

function base64Bytes(b64: string): number[] {
  const bin = atob(b64);
  return Array.from(bin, (c) => c.charCodeAt(0));
}

// ---- JavaScript ----

/** Code text that is written as is inside a JavaScript literal. */
class Raw {
  constructor(readonly code: string) {}
}

type JsNode = Raw | string | number | boolean | null | JsNode[] | { [key: string]: JsNode };

function jsKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quoted(key);
}

function jsLiteral(node: JsNode, indent: string): string {
  if (node instanceof Raw) return node.code;
  if (node === null) return 'null';
  if (typeof node === 'string') return quoted(node);
  if (typeof node !== 'object') return String(node);
  const inner = indent + '  ';
  if (Array.isArray(node)) {
    if (node.length === 0) return '[]';
    return `[\n${node.map((n) => `${inner}${jsLiteral(n, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(node);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${jsKey(k)}: ${jsLiteral(v, inner)},`).join('\n')}\n${indent}}`;
}

function jsBuffer(b64: string): Raw {
  return new Raw(`Buffer.from(${quoted(b64)}, "base64")`);
}

/** An AttributeValue as the low-level client takes it (binary as bytes). */
function jsTyped(v: AttributeValue): JsNode {
  if ('B' in v) return { B: jsBuffer(v.B) };
  if ('BS' in v) return { BS: v.BS.map(jsBuffer) };
  if ('L' in v) return { L: v.L.map(jsTyped) };
  if ('M' in v) return { M: mapValues(v.M, jsTyped) };
  return v as JsNode;
}

function mapValues<T, U>(record: Record<string, T>, f: (v: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [k, v] of Object.entries(record)) out[k] = f(v);
  return out;
}

/** A number as DocumentClient takes it: a JS number when that is exact, else a NumberValue. */
function jsNumber(text: string, uses: Set<string>): JsNode {
  const n = Number(text);
  if (String(n) === text && (!Number.isInteger(n) || Number.isSafeInteger(n))) return n;
  uses.add('NumberValue');
  return new Raw(`NumberValue.from(${quoted(text)})`);
}

/** An AttributeValue as DocumentClient takes it (native JavaScript values). */
function jsNative(v: AttributeValue, uses: Set<string>): JsNode {
  if ('S' in v) return v.S;
  if ('N' in v) return jsNumber(v.N, uses);
  if ('B' in v) return jsBuffer(v.B);
  if ('BOOL' in v) return v.BOOL;
  if ('NULL' in v) return null;
  if ('SS' in v) return new Raw(`new Set(${jsLiteral(v.SS, '')})`);
  if ('NS' in v) return new Raw(`new Set([${v.NS.map((n) => jsLiteral(jsNumber(n, uses), '')).join(', ')}])`);
  if ('BS' in v) return new Raw(`new Set([${v.BS.map((b) => jsBuffer(b).code).join(', ')}])`);
  if ('L' in v) return v.L.map((x) => jsNative(x, uses));
  return mapValues(v.M, (x) => jsNative(x, uses));
}

function jsClientOptions(target: CodeTarget): JsNode {
  const options: Record<string, JsNode> = { region: target.region };
  if (target.endpoint) options.endpoint = target.endpoint;
  if (isLocal(target)) options.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  return options;
}

function jsProgram(
  imports: string[],
  clientCode: string,
  command: string,
  input: JsNode,
  request: CodeRequest,
  target: CodeTarget,
): string {
  return [
    ...imports,
    '',
    isLocal(target) ? '// A local endpoint accepts any credentials.' : null,
    clientCode,
    `const response = await client.send(new ${command}(${jsLiteral(input, '')}));`,
    'console.dir(response.Items, { depth: null });',
    request.operation === 'ExecuteStatement'
      ? '// More results: send again with NextToken: response.NextToken.'
      : '// More results: send again with ExclusiveStartKey: response.LastEvaluatedKey.',
    '',
  ]
    .filter((l) => l !== null)
    .join('\n');
}

function commandName(request: CodeRequest): string {
  return `${request.operation}Command`;
}

function jsClient(request: CodeRequest, target: CodeTarget): string {
  const input: Record<string, JsNode> = {};
  for (const [k, v] of fields(request)) {
    if (k === 'ExpressionAttributeValues' || k === 'ExclusiveStartKey')
      input[k] = mapValues(v as Record<string, AttributeValue>, jsTyped);
    else if (k === 'Parameters') input[k] = (v as AttributeValue[]).map(jsTyped);
    else input[k] = v as JsNode;
  }
  return jsProgram(
    [`import { DynamoDBClient, ${commandName(request)} } from "@aws-sdk/client-dynamodb";`],
    `const client = new DynamoDBClient(${jsLiteral(jsClientOptions(target), '')});`,
    commandName(request),
    input,
    request,
    target,
  );
}

function jsDocument(request: CodeRequest, target: CodeTarget): string {
  const uses = new Set<string>();
  const input: Record<string, JsNode> = {};
  for (const [k, v] of fields(request)) {
    if (k === 'ExpressionAttributeValues' || k === 'ExclusiveStartKey')
      input[k] = mapValues(v as Record<string, AttributeValue>, (x) => jsNative(x, uses));
    else if (k === 'Parameters') input[k] = (v as AttributeValue[]).map((x) => jsNative(x, uses));
    else input[k] = v as JsNode;
  }
  const names = ['DynamoDBDocumentClient', commandName(request), ...[...uses].sort()];
  return jsProgram(
    [
      'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";',
      `import { ${names.join(', ')} } from "@aws-sdk/lib-dynamodb";`,
    ],
    `const client = DynamoDBDocumentClient.from(new DynamoDBClient(${jsLiteral(jsClientOptions(target), '')}));`,
    commandName(request),
    input,
    request,
    target,
  );
}

// ---- Python (boto3) ----

const SNAKE: Record<string, string> = { ExecuteStatement: 'execute_statement', Query: 'query', Scan: 'scan' };

function pyLiteral(node: unknown, indent: string, uses: Set<string>): string {
  if (node === null) return 'None';
  if (node === true) return 'True';
  if (node === false) return 'False';
  if (typeof node === 'number') return String(node);
  if (typeof node === 'string') return quoted(node);
  if (node instanceof Raw) return node.code;
  const inner = indent + '    ';
  if (Array.isArray(node)) {
    if (node.length === 0) return '[]';
    return `[\n${node.map((n) => `${inner}${pyLiteral(n, inner, uses)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(node as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${quoted(k)}: ${pyLiteral(v, inner, uses)},`).join('\n')}\n${indent}}`;
}

/** An AttributeValue as boto3's client takes it (binary as bytes). */
function pyTyped(v: AttributeValue, uses: Set<string>): unknown {
  const bytes = (b64: string): Raw => (uses.add('base64'), new Raw(`base64.b64decode(${quoted(b64)})`));
  if ('B' in v) return { B: bytes(v.B) };
  if ('BS' in v) return { BS: v.BS.map(bytes) };
  if ('L' in v) return { L: v.L.map((x) => pyTyped(x, uses)) };
  if ('M' in v) return { M: mapValues(v.M, (x) => pyTyped(x, uses)) };
  return v;
}

function python(request: CodeRequest, target: CodeTarget): string {
  const uses = new Set<string>();
  const args: string[] = [];
  for (const [k, v] of fields(request)) {
    let value: unknown = v;
    if (k === 'ExpressionAttributeValues' || k === 'ExclusiveStartKey')
      value = mapValues(v as Record<string, AttributeValue>, (x) => pyTyped(x, uses));
    else if (k === 'Parameters') value = (v as AttributeValue[]).map((x) => pyTyped(x, uses));
    args.push(`    ${k}=${pyLiteral(value, '    ', uses)},`);
  }
  const clientArgs = [`"dynamodb"`, `region_name=${quoted(target.region)}`];
  if (target.endpoint) clientArgs.push(`endpoint_url=${quoted(target.endpoint)}`);
  if (isLocal(target)) clientArgs.push(`aws_access_key_id="local"`, `aws_secret_access_key="local"`);
  return [
    uses.has('base64') ? 'import base64\n' : null,
    'import boto3',
    '',
    isLocal(target) ? '# A local endpoint accepts any credentials.' : null,
    `client = boto3.client(${clientArgs.join(', ')})`,
    `response = client.${SNAKE[request.operation]}(`,
    ...args,
    ')',
    'print(response["Items"])',
    request.operation === 'ExecuteStatement'
      ? '# More results: call again with NextToken=response["NextToken"].'
      : '# More results: call again with ExclusiveStartKey=response["LastEvaluatedKey"].',
    '',
  ]
    .filter((l) => l !== null)
    .join('\n');
}

// ---- AWS CLI ----

/** A word for a POSIX shell: single-quoted unless it is plainly safe. */
export function shellWord(text: string): string {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function kebab(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}

function cli(request: CodeRequest, target: CodeTarget): string {
  const parts: string[] = [`aws dynamodb ${kebab(request.operation)}`];
  let binary = false;
  for (const [k, v] of fields(request)) {
    if (k === 'ScanIndexForward') parts.push(v ? '--scan-index-forward' : '--no-scan-index-forward');
    else if (k === 'ConsistentRead') parts.push(v ? '--consistent-read' : '--no-consistent-read');
    else if (typeof v === 'string' || typeof v === 'number')
      parts.push(`--${kebab(k)} ${shellWord(String(v))}`);
    else {
      const json = JSON.stringify(v);
      if (/"BS?":/.test(json)) binary = true;
      parts.push(`--${kebab(k)} ${shellWord(json)}`);
    }
  }
  if (request.operation !== 'ExecuteStatement') parts.push('--no-paginate');
  parts.push(`--region ${shellWord(target.region)}`);
  if (target.endpoint) parts.push(`--endpoint-url ${shellWord(target.endpoint)}`);
  return [
    isLocal(target)
      ? '# A local endpoint accepts any credentials (e.g. AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local).'
      : null,
    // AWS CLI v2 reads blob values as base64 text (its default cli_binary_format); v1 would send the
    // base64 text itself as the bytes.
    binary ? '# Binary values are base64, as AWS CLI v2 reads them.' : null,
    parts.join(' \\\n  '),
    '',
  ]
    .filter((l) => l !== null)
    .join('\n');
}

// ---- Java (AWS SDK v2) ----

function javaMap(entries: [string, string][]): string {
  if (entries.length <= 10) return `Map.of(${entries.map(([k, v]) => `${quoted(k)}, ${v}`).join(', ')})`;
  return `Map.ofEntries(${entries.map(([k, v]) => `Map.entry(${quoted(k)}, ${v})`).join(', ')})`;
}

function javaBytes(b64: string): string {
  return `SdkBytes.fromByteArray(Base64.getDecoder().decode(${quoted(b64)}))`;
}

function javaValue(v: AttributeValue): string {
  if ('S' in v) return `AttributeValue.fromS(${quoted(v.S)})`;
  if ('N' in v) return `AttributeValue.fromN(${quoted(v.N)})`;
  if ('B' in v) return `AttributeValue.fromB(${javaBytes(v.B)})`;
  if ('BOOL' in v) return `AttributeValue.fromBool(${v.BOOL})`;
  if ('NULL' in v) return 'AttributeValue.fromNul(true)';
  if ('SS' in v) return `AttributeValue.fromSs(List.of(${v.SS.map(quoted).join(', ')}))`;
  if ('NS' in v) return `AttributeValue.fromNs(List.of(${v.NS.map(quoted).join(', ')}))`;
  if ('BS' in v) return `AttributeValue.fromBs(List.of(${v.BS.map(javaBytes).join(', ')}))`;
  if ('L' in v) return `AttributeValue.fromL(List.of(${v.L.map(javaValue).join(', ')}))`;
  return `AttributeValue.fromM(${javaMap(Object.entries(v.M).map(([k, x]) => [k, javaValue(x)]))})`;
}

function lowerFirst(name: string): string {
  return name[0]!.toLowerCase() + name.slice(1);
}

function java(request: CodeRequest, target: CodeTarget): string {
  const op = request.operation;
  const setters: string[] = [];
  for (const [k, v] of fields(request)) {
    let arg: string;
    if (k === 'ExpressionAttributeNames')
      arg = javaMap(Object.entries(v as Record<string, string>).map(([a, b]) => [a, quoted(b)]));
    else if (k === 'ExpressionAttributeValues' || k === 'ExclusiveStartKey')
      arg = javaMap(Object.entries(v as Record<string, AttributeValue>).map(([a, b]) => [a, javaValue(b)]));
    else if (k === 'Parameters') arg = `List.of(${(v as AttributeValue[]).map(javaValue).join(', ')})`;
    else if (typeof v === 'string') arg = quoted(v);
    else arg = String(v);
    setters.push(`        .${lowerFirst(k)}(${arg})`);
  }
  const client = ['        DynamoDbClient client = DynamoDbClient.builder()'];
  client.push(`            .region(Region.of(${quoted(target.region)}))`);
  if (target.endpoint) client.push(`            .endpointOverride(URI.create(${quoted(target.endpoint)}))`);
  if (isLocal(target))
    client.push(
      '            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))',
    );
  client.push('            .build();');
  return [
    'import java.net.URI;',
    'import java.util.Base64;',
    'import java.util.List;',
    'import java.util.Map;',
    'import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;',
    'import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;',
    'import software.amazon.awssdk.core.SdkBytes;',
    'import software.amazon.awssdk.regions.Region;',
    'import software.amazon.awssdk.services.dynamodb.DynamoDbClient;',
    'import software.amazon.awssdk.services.dynamodb.model.*;',
    '',
    'public class Example {',
    '    public static void main(String[] args) {',
    isLocal(target) ? '        // A local endpoint accepts any credentials.' : null,
    ...client,
    `        ${op}Request request = ${op}Request.builder()`,
    ...setters.map((s) => '    ' + s),
    '            .build();',
    `        ${op}Response response = client.${lowerFirst(op)}(request);`,
    '        response.items().forEach(System.out::println);',
    '    }',
    '}',
    '',
  ]
    .filter((l) => l !== null)
    .join('\n');
}

// ---- Go (AWS SDK v2) ----

function goBytes(b64: string): string {
  return `[]byte{${base64Bytes(b64)
    .map((b) => `0x${b.toString(16).padStart(2, '0')}`)
    .join(', ')}}`;
}

function goValue(v: AttributeValue, indent: string): string {
  if ('S' in v) return `&types.AttributeValueMemberS{Value: ${quoted(v.S)}}`;
  if ('N' in v) return `&types.AttributeValueMemberN{Value: ${quoted(v.N)}}`;
  if ('B' in v) return `&types.AttributeValueMemberB{Value: ${goBytes(v.B)}}`;
  if ('BOOL' in v) return `&types.AttributeValueMemberBOOL{Value: ${v.BOOL}}`;
  if ('NULL' in v) return '&types.AttributeValueMemberNULL{Value: true}';
  if ('SS' in v) return `&types.AttributeValueMemberSS{Value: []string{${v.SS.map(quoted).join(', ')}}}`;
  if ('NS' in v) return `&types.AttributeValueMemberNS{Value: []string{${v.NS.map(quoted).join(', ')}}}`;
  if ('BS' in v) return `&types.AttributeValueMemberBS{Value: [][]byte{${v.BS.map(goBytes).join(', ')}}}`;
  if ('L' in v) return `&types.AttributeValueMemberL{Value: ${goList(v.L, indent)}}`;
  return `&types.AttributeValueMemberM{Value: ${goMap(v.M, indent)}}`;
}

function goList(list: AttributeValue[], indent: string): string {
  if (list.length === 0) return '[]types.AttributeValue{}';
  const inner = indent + '\t';
  return `[]types.AttributeValue{\n${list.map((x) => `${inner}${goValue(x, inner)},`).join('\n')}\n${indent}}`;
}

function goMap(map: Record<string, AttributeValue>, indent: string): string {
  const entries = Object.entries(map);
  if (entries.length === 0) return 'map[string]types.AttributeValue{}';
  const inner = indent + '\t';
  return `map[string]types.AttributeValue{\n${entries.map(([k, x]) => `${inner}${quoted(k)}: ${goValue(x, inner)},`).join('\n')}\n${indent}}`;
}

function go(request: CodeRequest, target: CodeTarget): string {
  const lines: string[] = [];
  let usesTypes = false;
  const indent = '\t\t';
  for (const [k, v] of fields(request)) {
    let value: string;
    if (k === 'ExpressionAttributeNames') {
      const entries = Object.entries(v as Record<string, string>);
      value = `map[string]string{\n${entries.map(([a, b]) => `${indent}\t${quoted(a)}: ${quoted(b)},`).join('\n')}\n${indent}}`;
    } else if (k === 'ExpressionAttributeValues' || k === 'ExclusiveStartKey') {
      usesTypes = true;
      value = goMap(v as Record<string, AttributeValue>, indent);
    } else if (k === 'Parameters') {
      usesTypes = true;
      value = goList(v as AttributeValue[], indent);
    } else if (typeof v === 'string') value = `aws.String(${quoted(v)})`;
    else if (typeof v === 'boolean') value = `aws.Bool(${v})`;
    else value = `aws.Int32(${String(v)})`;
    lines.push(`${indent}${k}: ${value},`);
  }
  const credentials = isLocal(target)
    ? [
        '\t// A local endpoint accepts any credentials.',
        '\tcfg, err := config.LoadDefaultConfig(context.TODO(),',
        `\t\tconfig.WithRegion(${quoted(target.region)}),`,
        '\t\tconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")),',
        '\t)',
      ]
    : [`\tcfg, err := config.LoadDefaultConfig(context.TODO(), config.WithRegion(${quoted(target.region)}))`];
  return [
    'package main',
    '',
    'import (',
    '\t"context"',
    '\t"fmt"',
    '\t"log"',
    '',
    '\t"github.com/aws/aws-sdk-go-v2/aws"',
    '\t"github.com/aws/aws-sdk-go-v2/config"',
    isLocal(target) ? '\t"github.com/aws/aws-sdk-go-v2/credentials"' : null,
    '\t"github.com/aws/aws-sdk-go-v2/service/dynamodb"',
    usesTypes ? '\t"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"' : null,
    ')',
    '',
    'func main() {',
    ...credentials,
    '\tif err != nil {',
    '\t\tlog.Fatal(err)',
    '\t}',
    target.endpoint
      ? `\tclient := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {\n\t\to.BaseEndpoint = aws.String(${quoted(target.endpoint)})\n\t})`
      : '\tclient := dynamodb.NewFromConfig(cfg)',
    `\tout, err := client.${request.operation}(context.TODO(), &dynamodb.${request.operation}Input{`,
    ...lines,
    '\t})',
    '\tif err != nil {',
    '\t\tlog.Fatal(err)',
    '\t}',
    '\tfmt.Println(out.Items)',
    '}',
    '',
  ]
    .filter((l) => l !== null)
    .join('\n');
}
