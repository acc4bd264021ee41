// What a DynamoDB request asks IAM for: each (action, resource, condition keys) it needs, as the
// DynamoDB Developer Guide documents them — batch operations authorise per table as their own
// actions (dynamodb:BatchGetItem, dynamodb:BatchWriteItem), transactions per element as the
// single-item actions (with dynamodb:EnclosingOperation), PartiQL per statement verb on the table
// or index (dynamodb:PartiQLSelect with dynamodb:FullTableScan), control-plane operations as
// themselves on the table, backup, export or stream, and account-level listings on `*`.
import type { EngineContext } from '../context.js';
import { ExpressionAttributes, parseKeyCondition } from '../expressions/index.js';
import { planSelect } from '../partiql/index.js';
import { parseRequestStatement } from '../partiql/statement.js';
import { decodeIterator } from '../streams/iterator.js';
import type { KeySchema } from '../tables/schema.js';
import type { AccessRequest, ContextValue } from './evaluate.js';

type Input = Record<string, unknown>;

/** Operations that name no resource: IAM authorises them on `*`. */
const ACCOUNT_LEVEL = new Set([
  'ListTables',
  'ListBackups',
  'ListExports',
  'ListStreams',
  'ListGlobalTables',
  'ListImports',
  'DescribeLimits',
  'DescribeEndpoints',
]);

/** Control-plane operations addressed by TableName (or a table ARN in it). */
const TABLE_OPERATIONS = new Set([
  'CreateTable',
  'DeleteTable',
  'DescribeTable',
  'UpdateTable',
  'DescribeTimeToLive',
  'UpdateTimeToLive',
  'DescribeContinuousBackups',
  'UpdateContinuousBackups',
  'CreateBackup',
  'DescribeContributorInsights',
  'UpdateContributorInsights',
  'DescribeKinesisStreamingDestination',
  'DescribeTableReplicaAutoScaling',
]);

/** The IAM requests of one DynamoDB operation. Unknown shapes yield what can be read of them. */
export function accessRequestsOf(ctx: EngineContext, operation: string, input: unknown): AccessRequest[] {
  const body: Input = input !== null && typeof input === 'object' ? (input as Input) : {};
  const one = (action: string, resource: string, keys?: Map<string, ContextValue>) => [
    request(action, resource, keys),
  ];
  if (ACCOUNT_LEVEL.has(operation)) return one(operation, '*');
  if (TABLE_OPERATIONS.has(operation)) return one(operation, tableArn(ctx, body.TableName));
  switch (operation) {
    case 'GetItem':
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return one(operation, tableArn(ctx, body.TableName), itemKeys(ctx, operation, body));
    case 'Query':
    case 'Scan':
      return one(operation, readTarget(ctx, body), readKeys(ctx, operation, body));
    case 'BatchGetItem':
      return batchGet(ctx, body);
    case 'BatchWriteItem':
      return batchWrite(ctx, body);
    case 'TransactGetItems':
    case 'TransactWriteItems':
      return transaction(ctx, operation, body);
    case 'ExecuteStatement':
      return partiql(ctx, body.Statement, body.Parameters, body.ConsistentRead, undefined);
    case 'BatchExecuteStatement':
      return batchStatementRequests(ctx, body).flat();
    case 'ExecuteTransaction': {
      const list = body.TransactStatements;
      if (!Array.isArray(list)) return [];
      return list.flatMap((s: unknown) => {
        const st = (s ?? {}) as Input;
        return partiql(ctx, st.Statement, st.Parameters, st.ConsistentRead, operation);
      });
    }
    case 'TagResource':
    case 'UntagResource':
    case 'ListTagsOfResource':
    case 'PutResourcePolicy':
    case 'GetResourcePolicy':
    case 'DeleteResourcePolicy':
      return one(operation, stringOr(body.ResourceArn, '*'));
    case 'DescribeBackup':
    case 'DeleteBackup':
    case 'RestoreTableFromBackup':
      return one(operation, stringOr(body.BackupArn, '*'));
    case 'RestoreTableToPointInTime':
      return one(
        operation,
        typeof body.SourceTableArn === 'string' ? body.SourceTableArn : tableArn(ctx, body.SourceTableName),
      );
    case 'ExportTableToPointInTime':
      return one(operation, stringOr(body.TableArn, '*'));
    case 'DescribeExport':
      return one(operation, stringOr(body.ExportArn, '*'));
    case 'DescribeStream':
    case 'GetShardIterator':
      return one(operation, stringOr(body.StreamArn, '*'));
    case 'GetRecords':
      return one(operation, streamOfIterator(body.ShardIterator));
    default:
      return one(operation, '*');
  }
}

/**
 * The IAM requests of each statement of a BatchExecuteStatement, in order: DynamoDB authorises
 * each statement on its own and answers a denied one in its Responses entry (AccessDenied).
 */
export function batchStatementRequests(ctx: EngineContext, input: unknown): AccessRequest[][] {
  const list = input !== null && typeof input === 'object' ? (input as Input).Statements : undefined;
  if (!Array.isArray(list)) return [];
  return list.map((s: unknown) => {
    const st = (s ?? {}) as Input;
    return partiql(ctx, st.Statement, st.Parameters, st.ConsistentRead, undefined);
  });
}

function request(operation: string, resource: string, keys?: Map<string, ContextValue>): AccessRequest {
  const action = operation.includes(':') ? operation : `dynamodb:${operation}`;
  return { action, resource, keys: keys ?? new Map() };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}

/** A TableName's ARN (a table ARN may stand in the TableName member). */
function tableArn(ctx: EngineContext, name: unknown): string {
  if (typeof name !== 'string') return ctx.tableArn('');
  return name.startsWith('arn:') ? name : ctx.tableArn(name);
}

function tableName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  if (!name.startsWith('arn:')) return name;
  const m = /:table\/([^/]+)$/.exec(name);
  return m?.[1];
}

function keySchemaOf(ctx: EngineContext, name: unknown, indexName?: unknown): KeySchema | undefined {
  const t = tableName(name);
  const table = t === undefined ? undefined : ctx.catalog.get(t);
  if (!table) return undefined;
  if (typeof indexName === 'string') return table.indexes.get(indexName)?.key;
  return table.key;
}

function streamOfIterator(iterator: unknown): string {
  if (typeof iterator !== 'string') return '*';
  try {
    return decodeIterator(iterator).arn;
  } catch {
    return '*';
  }
}

/** An attribute value as IAM compares it: its string, number or (base64) binary text. */
function scalarText(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  for (const type of ['S', 'N', 'B']) if (typeof v[type] === 'string') return v[type] as string;
  return undefined;
}

/** The partition-key values of `items` (key maps or items) under `schema`: dynamodb:LeadingKeys. */
function leadingKeys(schema: KeySchema | undefined, items: readonly unknown[]): string[] | undefined {
  const attr = schema?.partition[0]?.name;
  if (attr === undefined) return undefined;
  const out: string[] = [];
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    const text = scalarText((item as Record<string, unknown>)[attr]);
    if (text !== undefined && !out.includes(text)) out.push(text);
  }
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'between', 'in', 'set', 'remove', 'add', 'delete']);

/**
 * The top-level attribute names an expression refers to: each path's first element (`#n` resolved
 * through ExpressionAttributeNames), never function names, keywords or `:values`.
 */
export function expressionNames(text: unknown, names: unknown, into: Set<string>): void {
  if (typeof text !== 'string') return;
  const map = names !== null && typeof names === 'object' ? (names as Record<string, unknown>) : {};
  const tokens = text.match(/#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|[0-9]+|\S/g) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (tokens[i - 1] === '.' || tokens[i + 1] === '(') continue;
    if (token.startsWith('#')) {
      const name = map[token];
      if (typeof name === 'string') into.add(name);
    } else if (/^[A-Za-z_]/.test(token) && !KEYWORDS.has(token.toLowerCase())) {
      into.add(token);
    }
  }
}

function memberNames(value: unknown, into: Set<string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    for (const name of Object.keys(value)) into.add(name);
}

function listNames(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const name of value) if (typeof name === 'string') into.add(name);
}

/**
 * dynamodb:Attributes: every top-level attribute name the request touches — key and item members,
 * projection, update, condition, filter and key-condition expressions and their legacy forms. (The
 * guide says "attribute names in the request"; which members count is our reading.)
 */
function attributesOf(body: Input): Set<string> {
  const names = new Set<string>();
  memberNames(body.Key, names);
  memberNames(body.Item, names);
  memberNames(body.AttributeUpdates, names);
  memberNames(body.Expected, names);
  memberNames(body.QueryFilter, names);
  memberNames(body.ScanFilter, names);
  memberNames(body.KeyConditions, names);
  listNames(body.AttributesToGet, names);
  for (const member of [
    'ProjectionExpression',
    'UpdateExpression',
    'ConditionExpression',
    'FilterExpression',
    'KeyConditionExpression',
  ])
    expressionNames(body[member], body.ExpressionAttributeNames, names);
  return names;
}

function hasProjection(body: Input): boolean {
  return typeof body.ProjectionExpression === 'string' || Array.isArray(body.AttributesToGet);
}

/** dynamodb:Select as the read runs it: the request's, else what its other members imply. */
function selectOf(body: Input, index: boolean): string {
  if (typeof body.Select === 'string') return body.Select;
  if (hasProjection(body)) return 'SPECIFIC_ATTRIBUTES';
  return index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
}

function commonKeys(body: Input, keys: Map<string, ContextValue>): Map<string, ContextValue> {
  if (typeof body.ReturnConsumedCapacity === 'string')
    keys.set('dynamodb:returnconsumedcapacity', body.ReturnConsumedCapacity);
  return keys;
}

function itemKeys(ctx: EngineContext, operation: string, body: Input): Map<string, ContextValue> {
  const keys = new Map<string, ContextValue>();
  const schema = keySchemaOf(ctx, body.TableName);
  const leading = leadingKeys(schema, [operation === 'PutItem' ? body.Item : body.Key]);
  if (leading) keys.set('dynamodb:leadingkeys', leading);
  keys.set('dynamodb:attributes', [...attributesOf(body)]);
  if (operation === 'GetItem') keys.set('dynamodb:select', selectOf(body, false));
  else keys.set('dynamodb:returnvalues', typeof body.ReturnValues === 'string' ? body.ReturnValues : 'NONE');
  return commonKeys(body, keys);
}

function readTarget(ctx: EngineContext, body: Input): string {
  const arn = tableArn(ctx, body.TableName);
  return typeof body.IndexName === 'string' ? `${arn}/index/${body.IndexName}` : arn;
}

function readKeys(ctx: EngineContext, operation: string, body: Input): Map<string, ContextValue> {
  const keys = new Map<string, ContextValue>();
  if (operation === 'Query') {
    const leading = queryPartition(keySchemaOf(ctx, body.TableName, body.IndexName), body);
    if (leading) keys.set('dynamodb:leadingkeys', leading);
  }
  // Scan reads every partition: dynamodb:LeadingKeys is absent (the guide's note on Scan).
  keys.set('dynamodb:attributes', [...attributesOf(body)]);
  keys.set('dynamodb:select', selectOf(body, typeof body.IndexName === 'string'));
  return commonKeys(body, keys);
}

/** The partition-key value a Query's key condition pins (an equality is required). */
function queryPartition(schema: KeySchema | undefined, body: Input): string[] | undefined {
  const attr = schema?.partition[0]?.name;
  if (attr === undefined) return undefined;
  if (typeof body.KeyConditionExpression === 'string') {
    try {
      const terms = parseKeyCondition(
        body.KeyConditionExpression,
        new ExpressionAttributes(body.ExpressionAttributeNames, body.ExpressionAttributeValues),
      );
      for (const term of terms) {
        if (term.name === attr && term.op === '=') {
          const text = scalarText(term.value);
          return text === undefined ? [] : [text];
        }
      }
    } catch {
      // A key condition that does not parse is refused by Query itself, after authorization.
    }
    return [];
  }
  const legacy = body.KeyConditions;
  if (legacy !== null && typeof legacy === 'object') {
    const cond = (legacy as Record<string, unknown>)[attr] as { AttributeValueList?: unknown[] } | undefined;
    const text = scalarText(cond?.AttributeValueList?.[0]);
    return text === undefined ? [] : [text];
  }
  return [];
}

function batchGet(ctx: EngineContext, body: Input): AccessRequest[] {
  const items = body.RequestItems;
  if (items === null || typeof items !== 'object') return [];
  return Object.entries(items as Record<string, unknown>).map(([table, spec]) => {
    const s = (spec ?? {}) as Input;
    const list = Array.isArray(s.Keys) ? s.Keys : [];
    const keys = new Map<string, ContextValue>();
    const leading = leadingKeys(keySchemaOf(ctx, table), list);
    if (leading) keys.set('dynamodb:leadingkeys', leading);
    const names = attributesOf(s);
    for (const k of list) memberNames(k, names);
    keys.set('dynamodb:attributes', [...names]);
    keys.set('dynamodb:select', selectOf(s, false));
    return request('BatchGetItem', tableArn(ctx, table), commonKeys(body, keys));
  });
}

function batchWrite(ctx: EngineContext, body: Input): AccessRequest[] {
  const items = body.RequestItems;
  if (items === null || typeof items !== 'object') return [];
  return Object.entries(items as Record<string, unknown>).map(([table, writes]) => {
    const entries: unknown[] = [];
    const names = new Set<string>();
    if (Array.isArray(writes)) {
      for (const w of writes as Input[]) {
        const put = (w?.PutRequest as Input | undefined)?.Item;
        const del = (w?.DeleteRequest as Input | undefined)?.Key;
        if (put !== undefined) entries.push(put);
        if (del !== undefined) entries.push(del);
        memberNames(put ?? del, names);
      }
    }
    const keys = new Map<string, ContextValue>();
    const leading = leadingKeys(keySchemaOf(ctx, table), entries);
    if (leading) keys.set('dynamodb:leadingkeys', leading);
    keys.set('dynamodb:attributes', [...names]);
    return request('BatchWriteItem', tableArn(ctx, table), commonKeys(body, keys));
  });
}

const TRANSACT_ACTIONS: Readonly<Record<string, string>> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

function transaction(ctx: EngineContext, operation: string, body: Input): AccessRequest[] {
  const list = body.TransactItems;
  if (!Array.isArray(list)) return [];
  const out: AccessRequest[] = [];
  for (const element of list as Input[]) {
    if (element === null || typeof element !== 'object') continue;
    for (const [member, action] of Object.entries(TRANSACT_ACTIONS)) {
      const op = element[member] as Input | undefined;
      if (op === undefined || op === null) continue;
      const keys = itemKeys(ctx, action === 'ConditionCheckItem' ? 'DeleteItem' : action, op);
      if (action === 'ConditionCheckItem') keys.delete('dynamodb:returnvalues');
      keys.set('dynamodb:enclosingoperation', operation);
      out.push(request(action, tableArn(ctx, op.TableName), keys));
    }
  }
  return out;
}

const PARTIQL_ACTIONS: Readonly<Record<string, string>> = {
  select: 'PartiQLSelect',
  exists: 'PartiQLSelect',
  insert: 'PartiQLInsert',
  update: 'PartiQLUpdate',
  delete: 'PartiQLDelete',
};

/** One PartiQL statement: its verb's action on the table (or `"T"."I"`'s index). */
function partiql(
  ctx: EngineContext,
  text: unknown,
  parameters: unknown,
  consistent: unknown,
  enclosing: string | undefined,
): AccessRequest[] {
  let parsed;
  try {
    parsed = parseRequestStatement(text, parameters);
  } catch {
    // A statement that does not parse is refused by the operation itself.
    return [];
  }
  const statement = parsed.statement.kind === 'exists' ? parsed.statement.select : parsed.statement;
  if (statement.kind === 'explain') return [];
  const ref = statement.kind === 'select' ? statement.from : statement.table;
  let resource = ctx.tableArn(ref.name);
  if (ref.index) resource += `/index/${ref.index.name}`;
  const keys = new Map<string, ContextValue>();
  if (enclosing) keys.set('dynamodb:enclosingoperation', enclosing);
  if (statement.kind === 'select') {
    try {
      const plan = planSelect(ctx, statement, parsed.parameters, consistent);
      keys.set('dynamodb:fulltablescan', plan.fullScan ? 'true' : 'false');
      const leading = leadingKeys(plan.target.key, plan.partitions ?? []);
      if (leading && !plan.fullScan) keys.set('dynamodb:leadingkeys', leading);
    } catch {
      // The statement's own errors (no such table, …) come from the operation, after authorization.
    }
  }
  return [request(PARTIQL_ACTIONS[parsed.statement.kind]!, resource, keys)];
}
