// One audit record per request, in the shape of a CloudTrail event for DynamoDB (data events for
// item operations, management events for the control plane), as AWS documents them in
// "Understanding DynamoDB log file entries" and "CloudTrail record contents":
// eventVersion, userIdentity, eventTime, eventSource, eventName, awsRegion, sourceIPAddress,
// userAgent, errorCode/errorMessage, requestParameters, responseElements, requestID, eventID,
// readOnly, resources, eventType, apiVersion, managementEvent, recipientAccountId, eventCategory.
//
// Item bodies never reach the log unless asked for (`--audit-items`), as CloudTrail leaves them out:
// keys are shown with their values, an item as the list of its attribute names, expression
// attribute values and statement parameters not at all, and a PartiQL statement's literals are
// replaced by `***(Redacted)` except those compared with a key attribute.
import type { AuditEvent } from '../../common/audit.js';
import { randomUUID } from 'node:crypto';
import { REQUEST_SHAPES, STRUCTURES } from '../../engine/operations/requestShapes.js';
import type { AuditedRequest, Namespace } from '../server/handler.js';
import { signedScope } from '../server/sigv4.js';
import { SORTKEY_TARGET } from '../server/protocol.js';

/** CloudTrail's record format version these records follow. */
export const AUDIT_EVENT_VERSION = '1.11';
export const DYNAMODB_EVENT_SOURCE = 'dynamodb.amazonaws.com';
/**
 * Sortkey's own calls (Sortkey_20250101: EXPLAIN, metrics, fault injection) have no AWS service:
 * our own name, so that filters on eventSource keep them apart.
 */
export const SORTKEY_EVENT_SOURCE = 'sortkey.local';
/** What replaces a redacted PartiQL literal (DynamoDB's CloudTrail text). */
export const REDACTED = '***(Redacted)';

/** The operations CloudTrail logs as data events (every other one is a management event). */
export const DATA_EVENTS: ReadonlySet<string> = new Set([
  'BatchExecuteStatement',
  'BatchGetItem',
  'BatchWriteItem',
  'DeleteItem',
  'ExecuteStatement',
  'ExecuteTransaction',
  'GetItem',
  'PutItem',
  'Query',
  'Scan',
  'TransactGetItems',
  'TransactWriteItems',
  'UpdateItem',
  'GetRecords',
  'GetShardIterator',
]);

export type { AuditEvent } from '../../common/audit.js';

/** What a record needs besides the request: the server's setting and the tables' keys. */
export interface RecordContext {
  /** Log item bodies and expression values (`--audit-items`). */
  readonly items: boolean;
  /** The namespace of requests that name none. */
  readonly defaultNamespace: Namespace;
  /** The key attribute names of a table (to show a PutItem's key), when known. */
  readonly keyNamesOf?: ((table: string, namespace: Namespace) => readonly string[] | undefined) | undefined;
}

/** The request's parts read at once (the socket and headers may be gone when the record is made). */
export interface CapturedRequest {
  readonly at: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly target: string | undefined;
  readonly authorization: string | undefined;
  readonly url: string | undefined;
  readonly entry: AuditedRequest;
}

const MAX_USER_AGENT = 1024;

export function captureRequest(entry: AuditedRequest, at: number): CapturedRequest {
  const req = entry.req;
  let ip = req.socket?.remoteAddress ?? '';
  if (ip.startsWith('::ffff:')) ip = ip.slice(7);
  const ua = req.headers['user-agent'] ?? '';
  const target = req.headers['x-amz-target'];
  return {
    at,
    sourceIp: ip,
    userAgent: ua.length > MAX_USER_AGENT ? ua.slice(0, MAX_USER_AGENT) : ua,
    target: typeof target === 'string' ? target : undefined,
    authorization: req.headers.authorization,
    url: req.url,
    entry,
  };
}

/** `2026-12-07T17:03:12Z`: CloudTrail's eventTime, to the second. */
export function eventTimeOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

function isReadOnly(name: string): boolean {
  // The PartiQL calls are logged readOnly false whatever the statement, as DynamoDB's own examples
  // show (an ExecuteStatement SELECT with "readOnly": false).
  return /^(Get|Describe|List|Query$|Scan$|BatchGetItem$|TransactGetItems$|Explain$)/.test(name);
}

/** The CloudTrail record of one answered request. */
export function buildAuditEvent(captured: CapturedRequest, ctx: RecordContext): AuditEvent {
  const { entry } = captured;
  const scope = signedScope(captured.authorization, captured.url);
  const ns = entry.namespace ?? ctx.defaultNamespace;
  const region = entry.namespace ? ns.region : (scope?.region ?? ns.region);
  const account = ns.accountId;

  let eventName = '';
  let eventSource = DYNAMODB_EVENT_SOURCE;
  const op = entry.operation;
  if (op !== undefined) {
    if (op.startsWith('sortkey:')) {
      eventName = op.slice('sortkey:'.length);
      eventSource = SORTKEY_EVENT_SOURCE;
    } else eventName = op;
  } else if (captured.target !== undefined) {
    // Refused before the target was resolved: name what the client asked for.
    const dot = captured.target.indexOf('.');
    const service = dot > 0 ? captured.target.slice(0, dot) : '';
    eventName = dot > 0 ? captured.target.slice(dot + 1) : captured.target;
    if (service === SORTKEY_TARGET) eventSource = SORTKEY_EVENT_SOURCE;
  }

  const tables = new Set<string>();
  const streams = new Set<string>();
  let requestParameters: Record<string, unknown> | null = null;
  const shape = REQUEST_SHAPES[eventName];
  if (entry.input !== null && typeof entry.input === 'object' && shape !== undefined) {
    const walk = new ParameterWalk(ctx, ns, tables, streams);
    requestParameters = walk.structure(entry.input as Record<string, unknown>, shape, undefined);
  }

  const data = DATA_EVENTS.has(eventName);
  const readOnly = isReadOnly(eventName);
  let responseElements: Record<string, unknown> | null = null;
  // CloudTrail gives the answer of control-plane calls that change something; data events and
  // reads log none.
  if (!data && !readOnly && entry.status === 200 && entry.error === undefined) {
    responseElements = responseOf(entry.result);
  }

  const identity: AuditEvent['userIdentity'] = scope
    ? {
        // Sortkey has no IAM: an access key stands for a user of that name (our own convention).
        type: 'IAMUser',
        principalId: scope.accessKeyId,
        arn: `arn:aws:iam::${account}:user/${scope.accessKeyId}`,
        accountId: account,
        accessKeyId: scope.accessKeyId,
        userName: scope.accessKeyId,
      }
    : // An unsigned request, as CloudTrail names anonymous callers.
      { type: 'AWSAccount', principalId: '', accountId: 'anonymous' };

  const event: AuditEvent = {
    eventVersion: AUDIT_EVENT_VERSION,
    userIdentity: identity,
    eventTime: eventTimeOf(captured.at),
    eventSource,
    eventName,
    awsRegion: region,
    sourceIPAddress: captured.sourceIp,
    userAgent: captured.userAgent,
    requestParameters,
    responseElements,
    requestID: entry.requestId,
    eventID: randomUUID(),
    readOnly,
    eventType: 'AwsApiCall',
    apiVersion: '2012-08-10',
    managementEvent: !data,
    recipientAccountId: account,
    eventCategory: data ? 'Data' : 'Management',
  };
  if (entry.error) {
    event.errorCode = entry.error.type;
    if (entry.error.message !== '') event.errorMessage = entry.error.message;
  }
  return withResources(event, tables, streams, account, region);
}

const ORDER: readonly (keyof AuditEvent)[] = [
  'eventVersion',
  'userIdentity',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'errorMessage',
  'requestParameters',
  'responseElements',
  'requestID',
  'eventID',
  'readOnly',
  'resources',
  'eventType',
  'apiVersion',
  'managementEvent',
  'recipientAccountId',
  'eventCategory',
];

function withResources(
  event: AuditEvent,
  tables: Set<string>,
  streams: Set<string>,
  account: string,
  region: string,
): AuditEvent {
  const resources: NonNullable<AuditEvent['resources']> = [];
  for (const t of tables) {
    const arn = t.startsWith('arn:') ? t : `arn:aws:dynamodb:${region}:${account}:table/${t}`;
    resources.push({ accountId: account, type: 'AWS::DynamoDB::Table', ARN: arn });
  }
  for (const s of streams) resources.push({ accountId: account, type: 'AWS::DynamoDB::Stream', ARN: s });
  // Fields in CloudTrail's order (the error after userAgent, resources after readOnly).
  const out: Record<string, unknown> = {};
  for (const k of ORDER) {
    if (k === 'resources') {
      if (resources.length > 0) out.resources = resources;
    } else if (event[k] !== undefined) out[k] = event[k];
  }
  return out as unknown as AuditEvent;
}

/** `TableName` → `tableName`: CloudTrail lowers the first letter of every member name. */
export function memberName(name: string): string {
  return name.length > 0 ? name[0]!.toLowerCase() + name.slice(1) : name;
}

/** A key's AttributeValues as CloudTrail shows them: the value without its type. */
function untypedKey(key: unknown): Record<string, unknown> | undefined {
  if (key === null || typeof key !== 'object' || Array.isArray(key)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, av] of Object.entries(key as Record<string, unknown>)) {
    if (av !== null && typeof av === 'object' && !Array.isArray(av)) {
      const entries = Object.entries(av as Record<string, unknown>);
      out[name] = entries.length === 1 && ['S', 'N', 'B'].includes(entries[0]![0]) ? entries[0]![1] : av;
    } else out[name] = av;
  }
  return out;
}

/** A value the walk leaves out. */
const OMIT = Symbol('omit');

/** Request members by the API model: names lowered, bodies left out (or kept with `items`). */
class ParameterWalk {
  constructor(
    private readonly ctx: RecordContext,
    private readonly ns: Namespace,
    private readonly tables: Set<string>,
    private readonly streams: Set<string>,
  ) {}

  structure(
    value: Record<string, unknown>,
    shape: string,
    table: string | undefined,
  ): Record<string, unknown> | null {
    const members = STRUCTURES[shape];
    if (!members) return null;
    const out: Record<string, unknown> = {};
    const own = typeof value.TableName === 'string' ? value.TableName : table;
    if (typeof value.TableName === 'string') this.tables.add(value.TableName);
    for (const [name, v] of Object.entries(value)) {
      const type = members[name];
      // A member the model does not know was refused by validation; keep nothing of it.
      if (type === undefined) continue;
      if (name === 'StreamArn' && typeof v === 'string') {
        this.streams.add(v);
        // A stream's ARN names its table.
        const t = /:table\/([^/]+)\/stream\//.exec(v)?.[1];
        if (t !== undefined) this.tables.add(t);
      }
      if (name === 'Statement' && type === 's' && typeof v === 'string') {
        out.statement = this.statement(v);
        continue;
      }
      if (type === '{av}') {
        if (name === 'Key' || name === 'ExclusiveStartKey' || name === 'LastEvaluatedKey') {
          out[memberName(name)] = untypedKey(v) ?? v;
        } else if (name === 'Item') {
          const key = this.keyOf(v, own);
          if (key !== undefined) out.key = key;
          out.item = this.ctx.items ? v : v && typeof v === 'object' ? Object.keys(v) : v;
        } else if (this.ctx.items) out[memberName(name)] = v;
        continue;
      }
      if (type === '[{av}]') {
        // BatchGetItem's Keys: keys, shown.
        out[memberName(name)] = Array.isArray(v) ? v.map((k) => untypedKey(k) ?? k) : v;
        continue;
      }
      const walked = this.value(v, type, own, name);
      if (walked !== OMIT) out[memberName(name)] = walked;
    }
    return out;
  }

  private value(v: unknown, type: string, table: string | undefined, member: string): unknown {
    if (type === 'av') return this.ctx.items ? v : OMIT;
    if (type === 's' || type === 'n' || type === 'b' || type === 'blob' || type === 't') return v;
    if (type.startsWith('[')) {
      if (!Array.isArray(v)) return v;
      const inner = type.slice(1, -1);
      const out: unknown[] = [];
      for (const e of v) {
        const w = this.value(e, inner, table, member);
        if (w !== OMIT) out.push(w);
      }
      return inner === 'av' && !this.ctx.items ? OMIT : out;
    }
    if (type.startsWith('{')) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const inner = type.slice(1, -1);
      if (inner === 'av' || inner === 'AttributeValueUpdate' || inner === 'ExpectedAttributeValue') {
        // Values of attributes (legacy AttributeUpdates / Expected included): bodies.
        if (this.ctx.items) return v;
        return inner === 'av' ? OMIT : Object.keys(v);
      }
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
        // RequestItems: a map of table name → the table's requests.
        const t = member === 'RequestItems' ? k : table;
        if (member === 'RequestItems') this.tables.add(k);
        const w = this.value(e, inner, t, member);
        if (w !== OMIT) out[k] = w;
      }
      return out;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return this.structure(v as Record<string, unknown>, type, table) ?? OMIT;
  }

  /** An item's key attributes, untyped, when the table's key is known. */
  private keyOf(item: unknown, table: string | undefined): Record<string, unknown> | undefined {
    if (table === undefined || item === null || typeof item !== 'object') return undefined;
    const names = this.keyNames(table);
    if (!names) return undefined;
    const key: Record<string, unknown> = {};
    for (const n of names) {
      const av = (item as Record<string, unknown>)[n];
      if (av !== undefined) key[n] = av;
    }
    return untypedKey(key);
  }

  private keyNames(table: string): readonly string[] | undefined {
    try {
      return this.ctx.keyNamesOf?.(table, this.ns);
    } catch {
      return undefined;
    }
  }

  /** A PartiQL statement with every literal but the key comparisons redacted (unless `items`). */
  private statement(text: string): string {
    const table = statementTable(text);
    if (table !== undefined) this.tables.add(table);
    if (this.ctx.items) return text;
    const keys = table !== undefined ? this.keyNames(table) : undefined;
    return redactStatement(text, new Set(keys ?? []));
  }
}

/** The answer of a control-plane call, names lowered as CloudTrail shows them. */
function responseOf(result: unknown): Record<string, unknown> | null {
  let value = result;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  } else if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { json?: unknown }).json === 'string'
  ) {
    try {
      value = JSON.parse((value as { json: string }).json);
    } catch {
      return null;
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const lowered = lowerNames(value) as Record<string, unknown>;
  return Object.keys(lowered).length > 0 ? lowered : null;
}

function lowerNames(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(lowerNames);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(v as Record<string, unknown>)) out[memberName(k)] = lowerNames(e);
  return out;
}

// ---- PartiQL statements ----

interface Token {
  kind: 'ident' | 'quoted' | 'string' | 'number' | 'punct' | 'space';
  text: string;
  /** An identifier's name (a quoted one without its quotes). */
  name?: string;
}

function isIdentStart(c: string): boolean {
  return /[A-Za-z_$]/.test(c);
}

/** Splits a statement into the pieces redaction needs; never throws, keeps every character. */
function scan(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    const start = i;
    if (c === "'") {
      i++;
      while (i < n) {
        if (text[i] === "'") {
          if (text[i + 1] === "'") i += 2;
          else {
            i++;
            break;
          }
        } else i++;
      }
      out.push({ kind: 'string', text: text.slice(start, i) });
    } else if (c === '"') {
      i++;
      while (i < n) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') i += 2;
          else {
            i++;
            break;
          }
        } else i++;
      }
      const t = text.slice(start, i);
      out.push({ kind: 'quoted', text: t, name: t.slice(1, -1).replace(/""/g, '"') });
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
      out.push({ kind: 'space', text: text.slice(start, i) });
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      out.push({ kind: 'space', text: text.slice(start, i) });
    } else if (/\s/.test(c)) {
      while (i < n && /\s/.test(text[i]!)) i++;
      out.push({ kind: 'space', text: text.slice(start, i) });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      while (i < n && /[0-9.eE]/.test(text[i]!)) {
        if ((text[i] === 'e' || text[i] === 'E') && /[+-]/.test(text[i + 1] ?? '')) i++;
        i++;
      }
      out.push({ kind: 'number', text: text.slice(start, i) });
    } else if (isIdentStart(c)) {
      while (i < n && /[A-Za-z0-9_$]/.test(text[i]!)) i++;
      const t = text.slice(start, i);
      out.push({ kind: 'ident', text: t, name: t });
    } else {
      i++;
      out.push({ kind: 'punct', text: c });
    }
  }
  return out;
}

/** The table a statement names (FROM, INTO or UPDATE), without parsing it. */
export function statementTable(text: string): string | undefined {
  const tokens = scan(text).filter((t) => t.kind !== 'space');
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (t.kind === 'ident' && /^(from|into|update)$/i.test(t.text)) {
      const next = tokens[i + 1]!;
      if (next.kind === 'quoted' || next.kind === 'ident') return next.name;
    }
  }
  return undefined;
}

/**
 * Replaces a statement's literals by `***(Redacted)`, but for those compared with `=` to a key
 * attribute (`pk = 'a'`), as DynamoDB's CloudTrail records show PartiQL calls. A minus sign before
 * a redacted number goes with it.
 */
export function redactStatement(text: string, keyNames: ReadonlySet<string>): string {
  const tokens = scan(text);
  const parts: string[] = [];
  // The last two tokens that are not spaces (to see `<key> =` before a literal).
  let prev: Token | undefined;
  let prev2: Token | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'space') {
      parts.push(t.text);
      continue;
    }
    if (t.kind === 'string' || t.kind === 'number') {
      const keyed =
        prev?.kind === 'punct' &&
        prev.text === '=' &&
        (prev2?.kind === 'ident' || prev2?.kind === 'quoted') &&
        keyNames.has(prev2.name!);
      // A tuple's attribute name (`{'pk': …}`) is a name, not a value.
      const name = t.kind === 'string' && nextSolid(tokens, i)?.text === ':';
      parts.push(keyed || name ? t.text : REDACTED);
    } else parts.push(t.text);
    prev2 = prev;
    prev = t;
  }
  return parts.join('');
}

function nextSolid(tokens: Token[], i: number): Token | undefined {
  for (let j = i + 1; j < tokens.length; j++) if (tokens[j]!.kind !== 'space') return tokens[j];
  return undefined;
}
