// The studio's backend: the methods of renderer/src/backend/api.ts implemented on an engine (or
// anything engine-like). Browser mode calls it through HTTP routes (routes.ts), Electron through IPC
// (main/electron). Items stay DynamoDB JSON throughout; numbers stay strings.
import type {
  AccessPlan,
  AccessPlanRequest,
  AccessPlanResult,
  AccessTargetPlan,
  AttributeDefinition,
  AttributeValue,
  BackendErrorShape,
  BackendMethod,
  CreateIndexRequest,
  CreateTableInput,
  DeleteItemRequest,
  ExplainResult,
  GetItemRequest,
  FaultRule,
  HotKeysRequest,
  HotKeysResult,
  PartitionsRequest,
  PartitionsResult,
  IndexSummary,
  Item,
  MetricsOverview,
  MetricsRequest,
  MetricsResult,
  MetricSeries,
  ProposedIndex,
  PutItemRequest,
  QueriesRequest,
  QueryState,
  ReadRequest,
  ReadResult,
  SchemaTable,
  StatementRequest,
  StatementResult,
  RegionList,
  StudioInfo,
  StudioSchema,
  TableMetricsRow,
  TableSummary,
  ThrottleMode,
  ScalingRequest,
  AlarmsRequest,
  AlarmsResult,
  DescribeScalingPoliciesOutput,
  ThrottlingState,
  ConsistencyMode,
  ConsistencyState,
  WriteResult,
} from '../../renderer/src/backend/api.js';
import { parseStatement } from '../../grammar/partiql/index.js';
import type { Expression, SourceLocation } from '../../grammar/partiql/index.js';
import { Engine } from '../../engine/index.js';
import { EmbeddedConnection, unavailable } from '../../engine/connection/index.js';
import type { CapabilityName, Connection } from '../../engine/connection/index.js';
import type { EngineLike } from '../server/index.js';
import {
  ConnectionManager,
  ConnectionSettingError,
  fileConnectionStore,
  memoryConnectionStore,
} from './connections.js';
import type { ConnectionListStore } from './connections.js';
import { applyQueryRequest, queryStoreFor } from './query-store.js';
import type { QueryStore } from './query-store.js';
import type { ConnectionsRequest, ConnectionsState } from '../../renderer/src/backend/api.js';
import { bulkMethods } from './bulk.js';
import { dumpJobs } from './dump-jobs.js';
import type { DumpJobs } from './dump-jobs.js';
import { streamTailMethods } from './stream-tail.js';
import { auditMethods } from './audit.js';
import { tableSettingsMethods } from './table-settings.js';

/** The backend as the transports see it: a method name and one JSON argument. */
export type StudioBackendImpl = {
  [M in BackendMethod]: (args: never) => Promise<unknown>;
};

/** The import/export jobs behind a backend: the HTTP routes upload and download their files. */
export const DUMP_JOBS: unique symbol = Symbol('sortkey.studio.dumpJobs');

/** The backend's import/export jobs (made on first use). */
export function dumpJobsOf(backend: StudioBackendImpl): DumpJobs | undefined {
  return (backend as unknown as { [DUMP_JOBS]?: () => DumpJobs })[DUMP_JOBS]?.();
}

/** An engine whose EXPLAIN can pause between slices of its estimate's reads (engine/engine.ts). */
type SlicingEngine = EngineLike & {
  explainInSlices?(
    input: unknown,
    pause?: () => Promise<void>,
    namespace?: { region: string; accountId: string },
  ): Promise<ExplainResult>;
};

/** A failure to hand to the UI: DynamoDB's exception name and message. */
export class StudioError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** Turns anything thrown into the `{ type, message }` the UI shows; `internal` is true for bugs. */
export function toErrorShape(e: unknown): BackendErrorShape & { internal: boolean } {
  if (e instanceof StudioError) return { type: e.type, message: e.message, internal: false };
  const err = e as { type?: unknown; message?: unknown } | null;
  if (err && typeof err.type === 'string' && typeof err.message === 'string') {
    return { type: err.type, message: err.message, internal: err.type === 'InternalServerError' };
  }
  return { type: 'InternalServerError', message: 'Internal error (see the server log)', internal: true };
}

export interface StudioBackendOptions {
  engine: EngineLike;
  info: () => StudioInfo;
  /** Clock for elapsed times (tests). */
  now?: () => number;
  /** Where history and saved queries live (default: beside the database, see query-store.ts). */
  queryStore?: QueryStore;
  /** The endpoint's audit log (`sortkey serve --audit FILE`), which the audit view reads. */
  auditFile?: string;
  /**
   * The user's list of connections (default: `<home>/studio/connections.json`, or in memory for an
   * in-memory database, like the queries).
   */
  connectionStore?: ConnectionListStore;
  /** The connections themselves (tests); made from `engine` and `connectionStore` otherwise. */
  connections?: ConnectionManager;
}

/** DynamoDB operations that change data or tables: refused on a read-only connection. */
const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'CreateTable',
  'UpdateTable',
  'DeleteTable',
  'UpdateTimeToLive',
  'UpdateContinuousBackups',
  'TagResource',
  'UntagResource',
  'CreateBackup',
  'DeleteBackup',
  'RestoreTableFromBackup',
  'RestoreTableToPointInTime',
  'ImportTable',
  'ExportTableToPointInTime',
  'CreateGlobalTable',
  'UpdateGlobalTable',
  'UpdateKinesisStreamingDestination',
  'EnableKinesisStreamingDestination',
  'DisableKinesisStreamingDestination',
  'PutResourcePolicy',
  'DeleteResourcePolicy',
]);

/** Whether a PartiQL statement only reads (SELECT, EXISTS); what does not parse counts as a write. */
function readsOnly(statement: unknown): boolean {
  if (typeof statement !== 'string') return false;
  const parsed = parseStatement(statement);
  if (!parsed.ok) return false;
  const kind = parsed.statement.kind === 'explain' ? 'select' : parsed.statement.kind;
  return kind === 'select' || kind === 'exists';
}

/** Whether an operation's request would change data (PartiQL ones: any statement that is not a read). */
export function isWriteRequest(operation: string, input: unknown): boolean {
  if (WRITE_OPERATIONS.has(operation)) return true;
  const i = (input ?? {}) as AnyRecord;
  if (operation === 'ExecuteStatement') return !readsOnly(i.Statement);
  if (operation === 'BatchExecuteStatement')
    return !Array.isArray(i.Statements) || !i.Statements.every((s) => readsOnly((s as AnyRecord)?.Statement));
  if (operation === 'ExecuteTransaction')
    return (
      !Array.isArray(i.TransactStatements) ||
      !i.TransactStatements.every((s) => readsOnly((s as AnyRecord)?.Statement))
    );
  return false;
}

/**
 * Studio work that reads many items (designer samples, scratch copies, big pages) runs on the
 * thread that also answers DynamoDB requests: it is cut into slices of at most this many
 * milliseconds, and between slices the event loop serves whatever requests are waiting.
 */
const SLICE_MS = 4;

/** The account of a local engine started without --account-id. */
const DEFAULT_ACCOUNT_ID = '000000000000';
/** Items read per Query/Scan call by studio reads (a call is one uninterruptible slice). */
const READ_SLICE_ITEMS = 200;

/** Returns a function to await between small steps: it yields to the event loop once a slice is spent. */
export function timeSlicer(sliceMs = SLICE_MS): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
}

/** Longest condition expression built for a conditional save (DynamoDB allows 4 KB). */
const MAX_CONDITION_CHARS = 3500;
/** Items sampled per table for attribute-name completion. */
const SCHEMA_SAMPLE = 25;
const DEFAULT_BUDGET_MS = 1500;
const MAX_WANT = 5000;

type AnyRecord = Record<string, unknown>;

function isRecord(v: unknown): v is AnyRecord {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function requireString(args: AnyRecord, name: string): string {
  const v = args[name];
  if (typeof v !== 'string' || v.length === 0)
    throw new StudioError('ValidationException', `${name} is required`);
  return v;
}

function requireItem(args: AnyRecord, name: string): Item {
  const v = args[name];
  if (!isRecord(v)) throw new StudioError('ValidationException', `${name} must be an item in DynamoDB JSON`);
  return v as Item;
}

/** Structural equality of attribute values; sets compare as sets. */
export function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  const ka = Object.keys(a)[0];
  const kb = Object.keys(b)[0];
  if (ka !== kb || ka === undefined) return false;
  const va = (a as AnyRecord)[ka];
  const vb = (b as AnyRecord)[ka];
  switch (ka) {
    case 'S':
    case 'N':
    case 'B':
    case 'BOOL':
    case 'NULL':
      return va === vb;
    case 'SS':
    case 'NS':
    case 'BS': {
      const sa = va as string[];
      const sb = vb as string[];
      if (sa.length !== sb.length) return false;
      const set = new Set(sa);
      return sb.every((x) => set.has(x));
    }
    case 'L': {
      const la = va as AttributeValue[];
      const lb = vb as AttributeValue[];
      return la.length === lb.length && la.every((x, i) => sameValue(x, lb[i]!));
    }
    case 'M':
      return sameItem(va as Item, vb as Item);
    default:
      return false;
  }
}

export function sameItem(a: Item, b: Item): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue(a[k]!, b[k]!));
}

interface Condition {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

/**
 * The ConditionExpression that holds only while the stored item is still `expected`: every key
 * attribute exists and every other attribute equals its expected value (as many as fit in the
 * expression; the whole-item comparison before the write covers the rest).
 */
export function versionCondition(keyNames: string[], expected: Item | null): Condition {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const key = keyNames[0] ?? Object.keys(expected ?? {})[0] ?? 'pk';
  names['#k'] = key;
  if (expected === null)
    return { ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: names };
  const parts = ['attribute_exists(#k)'];
  let length = parts[0]!.length;
  let i = 0;
  for (const [name, value] of Object.entries(expected)) {
    if (keyNames.includes(name)) continue;
    const term = `#a${i} = :a${i}`;
    if (length + term.length + 5 > MAX_CONDITION_CHARS) break;
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    parts.push(term);
    length += term.length + 5;
    i++;
  }
  return {
    ConditionExpression: parts.join(' AND '),
    ExpressionAttributeNames: names,
    ...(i > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}

function summarizeIndex(raw: AnyRecord, kind: 'GSI' | 'LSI'): IndexSummary {
  const projection = raw.Projection as AnyRecord | undefined;
  const type = projection?.ProjectionType;
  const nonKey = projection?.NonKeyAttributes;
  return {
    name: String(raw.IndexName),
    kind,
    keySchema: (raw.KeySchema as IndexSummary['keySchema']) ?? [],
    projectionType: typeof type === 'string' ? type : 'ALL',
    ...(Array.isArray(nonKey) ? { nonKeyAttributes: nonKey.map(String) } : {}),
    ...(typeof raw.IndexStatus === 'string' ? { status: raw.IndexStatus } : {}),
    ...(typeof raw.ItemCount === 'number' ? { itemCount: raw.ItemCount } : {}),
    ...(typeof raw.IndexSizeBytes === 'number' ? { sizeBytes: raw.IndexSizeBytes } : {}),
    ...(raw.Backfilling === true ? { backfilling: true } : {}),
  };
}

export function summarizeTable(table: AnyRecord): TableSummary {
  const billing = (table.BillingModeSummary as AnyRecord | undefined)?.BillingMode;
  return {
    name: String(table.TableName),
    status: String(table.TableStatus ?? 'ACTIVE'),
    keySchema: (table.KeySchema as TableSummary['keySchema']) ?? [],
    attributeDefinitions: (table.AttributeDefinitions as TableSummary['attributeDefinitions']) ?? [],
    itemCount: typeof table.ItemCount === 'number' ? table.ItemCount : 0,
    sizeBytes: typeof table.TableSizeBytes === 'number' ? table.TableSizeBytes : 0,
    billingMode: billing === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    indexes: [
      ...((table.GlobalSecondaryIndexes as AnyRecord[] | undefined) ?? []).map((i) =>
        summarizeIndex(i, 'GSI'),
      ),
      ...((table.LocalSecondaryIndexes as AnyRecord[] | undefined) ?? []).map((i) =>
        summarizeIndex(i, 'LSI'),
      ),
    ],
    ...(Array.isArray(table.Replicas) && table.Replicas.length > 0
      ? {
          replicas: (table.Replicas as AnyRecord[]).map((r) => ({
            region: String(r.RegionName),
            status: String(r.ReplicaStatus ?? 'ACTIVE'),
          })),
        }
      : {}),
  };
}

function capacityUnits(raw: unknown): number {
  if (!isRecord(raw)) return 0;
  return typeof raw.CapacityUnits === 'number' ? raw.CapacityUnits : 0;
}

/** Attribute names of an item, with map keys one level down as dotted paths. */
function attributeNames(item: Item, out: Set<string>): void {
  for (const [name, value] of Object.entries(item)) {
    out.add(name);
    if ('M' in value) for (const sub of Object.keys(value.M)) out.add(`${name}.${sub}`);
  }
}

// ── Metrics ────────────────────────────────────────────────────────────────────────────────────────

/** Metrics the overview reads per table. */
const OVERVIEW_METRICS = [
  'ConsumedReadCapacityUnits',
  'ConsumedWriteCapacityUnits',
  'ReadThrottleEvents',
  'WriteThrottleEvents',
  'ThrottledRequests',
  'SuccessfulRequestLatency',
];

function optionalNumber(args: AnyRecord, name: string): number | undefined {
  const v = args[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new StudioError('ValidationException', `${name} must be a number`);
  return v;
}

/**
 * planAccess's `proposed` index, checked before anything reads it: the engine validates the index
 * itself (CreateTable on the scratch copy), but only once these shapes hold.
 */
function checkProposedIndex(p: unknown): asserts p is ProposedIndex {
  const bad = (what: string): never => {
    throw new StudioError('ValidationException', `proposed: ${what}`);
  };
  if (!isRecord(p)) bad('must be an object');
  const r = p as AnyRecord;
  if (r.kind !== 'GSI' && r.kind !== 'LSI') bad('kind must be GSI or LSI');
  if (!isRecord(r.index)) bad('index must be an object');
  const index = r.index as AnyRecord;
  if (typeof index.IndexName !== 'string') bad('index.IndexName must be a string');
  if (
    !Array.isArray(index.KeySchema) ||
    !index.KeySchema.every((k) => isRecord(k) && typeof k.AttributeName === 'string')
  )
    bad('index.KeySchema must be a list of {AttributeName, KeyType}');
  if (!isRecord(index.Projection)) bad('index.Projection must be an object');
  const projection = index.Projection as AnyRecord;
  const nonKey = projection.NonKeyAttributes;
  if (
    nonKey !== undefined &&
    nonKey !== null &&
    (!Array.isArray(nonKey) || !nonKey.every((n) => typeof n === 'string'))
  )
    bad('index.Projection.NonKeyAttributes must be a list of strings');
  if (
    !Array.isArray(r.attributeDefinitions) ||
    !r.attributeDefinitions.every((d) => isRecord(d) && typeof d.AttributeName === 'string')
  )
    bad('attributeDefinitions must be a list of {AttributeName, AttributeType}');
}

function optionalString(args: AnyRecord, name: string): string | undefined {
  const v = args[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new StudioError('ValidationException', `${name} must be a string`);
  return v;
}

/** Sum of one statistic over every series of a metric, per datapoint (nulls count as 0). */
export function sumSeries(
  series: MetricSeries[],
  metric: string,
  stat: 'Sum' | 'SampleCount',
  n: number,
): number[] {
  const out = new Array<number>(n).fill(0);
  for (const s of series) {
    if (s.MetricName !== metric) continue;
    const values = s.Statistics[stat];
    if (!values) continue;
    for (let i = 0; i < n; i++) out[i]! += values[i] ?? 0;
  }
  return out;
}

// ── Access planning (index designer, access patterns) ─────────────────────────────────────────────

/** Default and largest number of items copied into the scratch table of a proposed index. */
const PLAN_SAMPLE = 5000;
const MAX_PLAN_SAMPLE = 20_000;
/** How long a table's sample is reused while the designer re-plans (ms). */
const SAMPLE_TTL_MS = 15_000;

interface ParsedSelect {
  table: string;
  index?: string;
  from: SourceLocation;
  /** Root attribute names the WHERE clause mentions. */
  whereNames: Set<string>;
  star: boolean;
  parameterCount: number;
}

/** Collects the root names of every path in an expression (walks the AST generically). */
function collectPathNames(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectPathNames(n, out);
    return;
  }
  if (!isRecord(node)) return;
  if (node.kind === 'path' && isRecord(node.root) && typeof node.root.name === 'string')
    out.add(node.root.name);
  for (const [k, v] of Object.entries(node))
    if (k !== 'loc' && typeof v === 'object') collectPathNames(v, out);
}

/** The FROM target and WHERE names of a SELECT (EXPLAIN SELECT too), or why it is not one. */
export function parseSelect(text: string): ParsedSelect | { error: string } {
  const r = parseStatement(text, { fast: true });
  if (!r.ok) return { error: r.errors[0]?.message ?? 'Statement not well formed' };
  let st = r.statement;
  if (st.kind === 'explain') st = st.statement;
  if (st.kind !== 'select')
    return { error: `Only SELECT statements read through indexes (this is ${st.kind.toUpperCase()})` };
  const whereNames = new Set<string>();
  collectPathNames(st.where as Expression | null, whereNames);
  return {
    table: st.from.name,
    ...(st.from.index ? { index: st.from.index.name } : {}),
    from: st.from.loc,
    whereNames,
    star: st.projection.kind === 'star',
    parameterCount: r.parameterCount,
  };
}

/** The statement with its FROM target replaced by `"table"` or `"table"."index"`. */
export function retarget(text: string, from: SourceLocation, table: string, index?: string): string {
  const ref = index ? `"${table}"."${index}"` : `"${table}"`;
  return text.slice(0, from.offset) + ref + text.slice(from.offset + from.length);
}

/** Orders plans: a Query (or GetItem) before a Scan, then less read capacity, then fewer items read. */
function planCost(p: AccessTargetPlan): [number, number, number] {
  const e = p.explain!;
  return [e.FullTableScan ? 1 : 0, e.EstimatedReadCapacityUnits, e.EstimatedItemsRead ?? 0];
}

function betterPlan(a: AccessTargetPlan, b: AccessTargetPlan): boolean {
  const ca = planCost(a);
  const cb = planCost(b);
  for (let i = 0; i < ca.length; i++) if (ca[i] !== cb[i]) return ca[i]! < cb[i]!;
  return false;
}

interface IndexShape {
  name: string;
  kind: 'GSI' | 'LSI';
  keyNames: string[];
  projectionType: string;
  nonKey: string[];
  active: boolean;
}

function indexShapes(table: AnyRecord): IndexShape[] {
  const out: IndexShape[] = [];
  for (const [list, kind] of [
    [table.GlobalSecondaryIndexes, 'GSI'],
    [table.LocalSecondaryIndexes, 'LSI'],
  ] as const) {
    for (const raw of (list as AnyRecord[] | undefined) ?? []) {
      const s = summarizeIndex(raw, kind);
      out.push({
        name: s.name,
        kind,
        keyNames: s.keySchema.map((k) => k.AttributeName),
        projectionType: s.projectionType,
        nonKey: s.nonKeyAttributes ?? [],
        active: s.status === undefined || s.status === 'ACTIVE',
      });
    }
  }
  return out;
}

/** Caveats of reading through an index instead of the table. */
function indexNotes(ix: IndexShape, parsed: ParsedSelect, tableKey: readonly string[]): string[] {
  const notes: string[] = [];
  // Every item has the table's key attributes: only the others make an index sparse.
  const unconstrained = ix.keyNames.filter((n) => !parsed.whereNames.has(n) && !tableKey.includes(n));
  if (unconstrained.length > 0)
    notes.push(
      `Sparse: only items that have ${unconstrained.join(' and ')} are in ${ix.name}; others never appear in its results.`,
    );
  if (parsed.star && ix.projectionType !== 'ALL')
    notes.push(
      `SELECT * returns only what ${ix.name} projects (${ix.projectionType === 'KEYS_ONLY' ? 'keys only' : `keys and ${ix.nonKey.join(', ')}`}).`,
    );
  if (!ix.active) notes.push(`${ix.name} is not ACTIVE yet.`);
  return notes;
}

/** The connection as a service reached through DynamoDB operations only (no engine shortcut). */
function operationsOnly(c: Connection): Connection {
  return {
    kind: c.kind,
    description: c.description,
    capabilities: { ...c.capabilities, atomicImport: false },
    call: (operation, input, signal) => c.call(operation, input, signal),
    callAny: (operation, input, signal) => c.callAny(operation, input, signal),
    explain: (statement, parameters, signal) => c.explain(statement, parameters, signal),
    sortkey: (operation, input) => c.sortkey(operation, input),
    close: async () => undefined,
  };
}

export function createStudioBackend(options: StudioBackendOptions): StudioBackendImpl {
  const engine = options.engine;
  const now = options.now ?? (() => performance.now());

  // The region whose tables the studio shows (undefined: the engine's default one). Each region a
  // client signs for has its own tables; the studio can look at any of them (`useRegion`).
  let region: string | undefined;
  const namespace = (): { region: string; accountId: string } | undefined =>
    region === undefined
      ? undefined
      : { region, accountId: engine.defaultNamespace?.accountId ?? DEFAULT_ACCOUNT_ID };
  const defaultRegion = (): string => engine.defaultNamespace?.region ?? options.info().region;
  const currentRegion = (): string => region ?? defaultRegion();

  function regionList(): RegionList {
    const account = engine.defaultNamespace?.accountId ?? DEFAULT_ACCOUNT_ID;
    const regions = (engine.regions?.() ?? [])
      .filter((r) => r.accountId === account)
      .map((r) => ({ region: r.region, tables: r.tables }));
    // The current and the default region are offered even when empty: the way back.
    for (const name of new Set([currentRegion(), defaultRegion()]))
      if (!regions.some((r) => r.region === name)) regions.push({ region: name, tables: 0 });
    regions.sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
    return { current: currentRegion(), default: defaultRegion(), regions };
  }

  let manager = options.connections;
  /** The connections, made on first use (info() names the database the embedded one describes). */
  function connections(): ConnectionManager {
    if (!manager) {
      const database = options.info().database;
      manager = new ConnectionManager({
        // The studio's region applies to the embedded database: each of its requests names it.
        embedded: new EmbeddedConnection(
          options.engine,
          database === undefined || database === ':memory:' ? 'in-memory database' : database,
          false,
          namespace,
        ),
        store:
          options.connectionStore ??
          (database && database !== ':memory:' ? fileConnectionStore() : memoryConnectionStore()),
      });
    }
    return manager;
  }

  /**
   * One DynamoDB operation on the connection in use. A read-only connection refuses writes here,
   * before anything is sent, whichever page asked; a service without PartiQL is named as such.
   */
  async function call(operation: string, input: unknown): Promise<AnyRecord> {
    const m = connections();
    const connection = m.current();
    if (isWriteRequest(operation, input) && m.readOnly())
      throw new StudioError(
        'AccessDeniedException',
        `The connection “${m.currentInfo().name}” is read-only: ${operation} was not sent (make it writable in Connections)`,
      );
    if (
      connection.capabilities.partiql === false &&
      ['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'].includes(operation)
    )
      throw partiqlMissing();
    try {
      return await connection.callAny(operation, (input ?? {}) as AnyRecord);
    } catch (e) {
      if (connection.capabilities.partiql === false && (e as Error).name === 'UnknownOperationException')
        throw partiqlMissing();
      throw e;
    }
  }

  /** What the PartiQL views show on a service without it. */
  function partiqlMissing(): StudioError {
    const c = connections().currentInfo();
    return new StudioError(
      'PartiQLUnavailable',
      `PartiQL is not available on “${c.name}” (${c.description}): the service does not implement ExecuteStatement. Browse its tables with Query and Scan in the Tables view instead.`,
    );
  }

  /** Refuses a feature the connection in use does not have, saying why. */
  function requireCapability(capability: CapabilityName, what: string): void {
    const connection = connections().current();
    if (!connection.capabilities[capability]) {
      const e = unavailable(connection, capability, what);
      throw new StudioError(e.type, e.message);
    }
  }

  async function describe(table: string): Promise<AnyRecord> {
    const out = await call('DescribeTable', { TableName: table });
    return out.Table as AnyRecord;
  }

  async function tableNames(): Promise<string[]> {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const page = await call('ListTables', start ? { ExclusiveStartTableName: start } : {});
      names.push(...((page.TableNames as string[] | undefined) ?? []));
      start = page.LastEvaluatedTableName as string | undefined;
    } while (start);
    return names;
  }

  async function keyNames(table: string): Promise<string[]> {
    const t = await describe(table);
    return ((t.KeySchema as { AttributeName: string }[] | undefined) ?? []).map((k) => k.AttributeName);
  }

  function keyOf(item: Item, names: string[]): Item {
    const key: Item = {};
    for (const n of names) {
      const v = item[n];
      if (v === undefined)
        throw new StudioError('ValidationException', `The item has no key attribute "${n}"`);
      key[n] = v;
    }
    return key;
  }

  async function current(table: string, key: Item): Promise<Item | undefined> {
    const out = await call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
    return out.Item as Item | undefined;
  }

  function conflict(message: string, item: Item | undefined): WriteResult {
    return { ok: false, reason: 'conflict', message, ...(item ? { current: item } : {}) };
  }

  /** A write guarded by the item as it was loaded: a failed condition is a conflict, not an error. */
  async function conditionalWrite(
    operation: 'PutItem' | 'DeleteItem',
    input: AnyRecord,
  ): Promise<WriteResult> {
    try {
      const out = await call(operation, input);
      return { ok: true, consumedCapacity: capacityUnits(out.ConsumedCapacity) };
    } catch (e) {
      const err = e as { type?: string; extra?: { Item?: Item } };
      if (err.type === 'ConditionalCheckFailedException')
        return conflict('The item was changed since it was loaded.', err.extra?.Item);
      throw e;
    }
  }

  /** Sortkey's own operations (metrics, throttling, faults, exact EXPLAIN): the embedded engine only. */
  async function sortkey(operation: string, input: unknown): Promise<AnyRecord> {
    // Eventual consistency is a run-time simulation switch of the engine, as throttling is.
    const capability: CapabilityName = /Throttling|Consistency/.test(operation)
      ? 'throttling'
      : /Faults/.test(operation)
        ? 'faultInjection'
        : operation === 'Explain'
          ? 'exactExplain'
          : 'metrics';
    requireCapability(capability, operation);
    return connections()
      .current()
      .sortkey(operation, (input ?? {}) as AnyRecord);
  }

  /**
   * EXPLAIN, whose estimate may read a whole table: an engine that can pause between slices of
   * those reads (Engine.explainInSlices) is asked that way, so DynamoDB requests waiting on this
   * thread run in between; others (a remote endpoint) answer Explain as they do.
   */
  async function explainSliced(target: EngineLike, input: AnyRecord): Promise<ExplainResult> {
    // The studio's own engine answers only while it is the connection in use.
    if (target === engine) requireCapability('exactExplain', 'EXPLAIN');
    const sliced = (target as SlicingEngine).explainInSlices;
    if (typeof sliced === 'function') return sliced.call(target, input, undefined, namespace());
    if (!target.executeSortkey)
      throw new StudioError('UnknownOperationException', 'EXPLAIN needs a Sortkey engine');
    return (await target.executeSortkey('Explain', input, namespace())) as ExplainResult;
  }

  const explainSlice = timeSlicer();

  async function explainOn(
    run: (input: AnyRecord) => Promise<unknown>,
    statement: string,
    parameterCount: number,
  ): Promise<{ explain?: ExplainResult; error?: string }> {
    await explainSlice();
    // Saved statements may have `?` parameters: their plan does not depend on the values, only on
    // their types; strings first, then numbers.
    const attempts: (AttributeValue[] | undefined)[] =
      parameterCount === 0
        ? [undefined]
        : [new Array(parameterCount).fill({ S: '?' }), new Array(parameterCount).fill({ N: '0' })];
    let last: unknown;
    for (const parameters of attempts) {
      try {
        const input: AnyRecord = { Statement: statement };
        if (parameters) input.Parameters = parameters;
        return { explain: (await run(input)) as ExplainResult };
      } catch (e) {
        last = e;
      }
    }
    return { error: toErrorShape(last).message };
  }

  const samples = new Map<string, { at: number; items: Item[]; complete: boolean }>();

  /** Up to `limit` items of a table (Scan pages), reused for a few seconds while the designer re-plans. */
  async function sampleItems(table: string, limit: number): Promise<{ items: Item[]; complete: boolean }> {
    const cached = samples.get(table);
    if (cached && Date.now() - cached.at < SAMPLE_TTL_MS && (cached.complete || cached.items.length >= limit))
      return {
        items: cached.items.slice(0, limit),
        complete: cached.complete || cached.items.length <= limit,
      };
    const items: Item[] = [];
    let start: Item | undefined;
    const slice = timeSlicer();
    do {
      await slice();
      const input: AnyRecord = { TableName: table, Limit: Math.min(READ_SLICE_ITEMS, limit - items.length) };
      if (start) input.ExclusiveStartKey = start;
      const page = await call('Scan', input);
      items.push(...((page.Items as Item[] | undefined) ?? []));
      start = page.LastEvaluatedKey as Item | undefined;
    } while (start && items.length < limit);
    const complete = !start;
    samples.set(table, { at: Date.now(), items, complete });
    return { items, complete };
  }

  /**
   * A scratch in-memory engine holding the table's key schema, the proposed index and a sample of
   * the items (those the index refuses, a key attribute of another type, are skipped as backfill
   * skips them): EXPLAIN there plans statements as if the index existed.
   */
  async function mirrorFor(
    table: AnyRecord,
    proposed: ProposedIndex,
    limit: number,
  ): Promise<{ mirror?: Engine; error?: string; copied: number; skipped: number; complete: boolean }> {
    const name = String(table.TableName);
    const keySchema = (table.KeySchema as { AttributeName: string }[] | undefined) ?? [];
    const needed = new Set([
      ...keySchema.map((k) => k.AttributeName),
      ...proposed.index.KeySchema.map((k) => k.AttributeName),
    ]);
    const defs = new Map<string, AttributeDefinition>();
    for (const d of [
      ...((table.AttributeDefinitions as AttributeDefinition[] | undefined) ?? []),
      ...proposed.attributeDefinitions,
    ])
      if (needed.has(d.AttributeName) && !defs.has(d.AttributeName)) defs.set(d.AttributeName, d);
    const mirror = Engine.inMemory();
    const index = {
      IndexName: proposed.index.IndexName,
      KeySchema: proposed.index.KeySchema,
      Projection: proposed.index.Projection,
    };
    try {
      mirror.execute('CreateTable', {
        TableName: name,
        KeySchema: table.KeySchema,
        AttributeDefinitions: [...defs.values()],
        BillingMode: 'PAY_PER_REQUEST',
        [proposed.kind === 'GSI' ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes']: [index],
      });
    } catch (e) {
      mirror.close();
      return { error: toErrorShape(e).message, copied: 0, skipped: 0, complete: false };
    }
    const sample = await sampleItems(name, limit);
    let copied = 0;
    let skipped = 0;
    const slice = timeSlicer();
    for (const item of sample.items) {
      await slice();
      try {
        mirror.execute('PutItem', { TableName: name, Item: item });
        copied++;
      } catch {
        skipped++;
      }
    }
    return { mirror, copied, skipped, complete: sample.complete };
  }

  let queryStore = options.queryStore;

  let jobs: DumpJobs | undefined;
  /** Import/export jobs, on the connection in use when each starts (made on first use). */
  function dumps(): DumpJobs {
    jobs ??= dumpJobs({
      target: () => {
        const c = connections().current();
        // The dumps' direct path into the engine knows only its default region: in another region
        // the studio shows, they go through DynamoDB operations that name it (BatchWriteItem: an
        // import there is not all-or-nothing, as on any remote service).
        if (
          c instanceof EmbeddedConnection &&
          region !== undefined &&
          region !== engine.defaultNamespace?.region
        )
          return operationsOnly(c);
        return c;
      },
      checkWritable: (what) => {
        const m = connections();
        if (m.readOnly())
          throw new StudioError(
            'AccessDeniedException',
            `The connection “${m.currentInfo().name}” is read-only: ${what} was not started (make it writable in Connections)`,
          );
      },
    });
    return jobs;
  }

  const backend = {
    // Workbench features, each in its own module over the same DynamoDB calls.
    ...tableSettingsMethods(call),
    ...bulkMethods(call, keyNames),
    ...streamTailMethods(call),
    ...auditMethods(options.auditFile),
    dumpExport: (args: Parameters<DumpJobs['dumpExport']>[0]) => dumps().dumpExport(args),
    dumpUpload: (args: Parameters<DumpJobs['dumpUpload']>[0]) => dumps().dumpUpload(args),
    dumpImport: (args: Parameters<DumpJobs['dumpImport']>[0]) => dumps().dumpImport(args),
    dumpProgress: (args: { id: string }) => dumps().dumpProgress(args),
    dumpCancel: (args: { id: string }) => dumps().dumpCancel(args),
    dumpRead: (args: Parameters<DumpJobs['dumpRead']>[0]) => dumps().dumpRead(args),

    async info(): Promise<StudioInfo> {
      return { ...options.info(), region: currentRegion() };
    },

    async regions(): Promise<RegionList> {
      return regionList();
    },

    async useRegion(args: { region: string }): Promise<RegionList> {
      const name = requireString(args as unknown as AnyRecord, 'region');
      if (!/^[a-z0-9-]{1,64}$/.test(name))
        throw new StudioError('ValidationException', `Not a region name: ${name} (e.g. eu-west-1)`);
      if (!engine.regions) throw new StudioError('ValidationException', 'This connection has one region');
      region = name;
      return regionList();
    },

    async connections(args: ConnectionsRequest): Promise<ConnectionsState> {
      if (!isRecord(args) || typeof args.op !== 'string')
        throw new StudioError('ValidationException', 'op is required');
      try {
        return await connections().apply(args);
      } catch (e) {
        if (e instanceof ConnectionSettingError) throw new StudioError(e.type, e.message);
        throw e;
      }
    },

    async queries(args: QueriesRequest): Promise<QueryState> {
      queryStore ??= queryStoreFor(options.info().database);
      const before = queryStore.read();
      let after: QueryState;
      try {
        after = applyQueryRequest(before, args);
      } catch (e) {
        throw new StudioError('ValidationException', (e as Error).message);
      }
      if (after !== before) queryStore.write(after);
      return after;
    },

    async listTables(): Promise<TableSummary[]> {
      const out: TableSummary[] = [];
      for (const name of await tableNames()) {
        try {
          out.push(summarizeTable(await describe(name)));
        } catch (e) {
          // Deleted between the two calls.
          if (toErrorShape(e).type !== 'ResourceNotFoundException') throw e;
        }
      }
      return out;
    },

    async describeTable(args: { table: string }): Promise<AnyRecord> {
      return describe(requireString(args as unknown as AnyRecord, 'table'));
    },

    async createTable(args: CreateTableInput): Promise<TableSummary> {
      if (!isRecord(args)) throw new StudioError('ValidationException', 'CreateTable input expected');
      const out = await call('CreateTable', args);
      return summarizeTable(out.TableDescription as AnyRecord);
    },

    async deleteTable(args: { table: string }): Promise<{ deleted: string }> {
      const table = requireString(args as unknown as AnyRecord, 'table');
      await call('DeleteTable', { TableName: table });
      return { deleted: table };
    },

    async executeStatement(args: StatementRequest): Promise<StatementResult> {
      const a = args as unknown as AnyRecord;
      const statement = requireString(a, 'statement');
      const input: AnyRecord = { Statement: statement, ReturnConsumedCapacity: 'TOTAL' };
      if (Array.isArray(args.parameters) && args.parameters.length > 0) input.Parameters = args.parameters;
      if (typeof args.nextToken === 'string') input.NextToken = args.nextToken;
      if (typeof args.limit === 'number') input.Limit = args.limit;
      if (args.consistentRead === true) input.ConsistentRead = true;
      const started = now();
      const out = await call('ExecuteStatement', input);
      const elapsedMs = now() - started;
      return {
        items: (out.Items as Item[] | undefined) ?? [],
        ...(typeof out.NextToken === 'string' ? { nextToken: out.NextToken } : {}),
        ...(isRecord(out.LastEvaluatedKey) ? { lastEvaluatedKey: out.LastEvaluatedKey as Item } : {}),
        ...(isRecord(out.ConsumedCapacity) ? { consumedCapacity: out.ConsumedCapacity } : {}),
        elapsedMs,
      };
    },

    async explain(args: { statement: string; parameters?: AttributeValue[] }): Promise<ExplainResult> {
      const statement = requireString(args as unknown as AnyRecord, 'statement');
      const parameters =
        Array.isArray(args.parameters) && args.parameters.length > 0 ? args.parameters : undefined;
      if (connections().current().kind === 'embedded' && engine.executeSortkey)
        return explainSliced(engine, {
          Statement: statement,
          ...(parameters ? { Parameters: parameters } : {}),
        });
      // Remote connections plan from DescribeTable (the result carries a Note saying so).
      return (await connections().current().explain(statement, parameters)) as unknown as ExplainResult;
    },

    async read(args: ReadRequest): Promise<ReadResult> {
      const a = args as unknown as AnyRecord;
      if (args.operation !== 'Query' && args.operation !== 'Scan')
        throw new StudioError('ValidationException', 'operation must be Query or Scan');
      if (!isRecord(a.input)) throw new StudioError('ValidationException', 'input is required');
      const want = Math.max(1, Math.min(MAX_WANT, Math.floor(Number(args.want) || 100)));
      const budget = typeof args.budgetMs === 'number' ? args.budgetMs : DEFAULT_BUDGET_MS;
      const started = now();
      const items: Item[] = [];
      let scanned = 0;
      let capacity = 0;
      let pages = 0;
      let startKey = args.input.ExclusiveStartKey;
      const slice = timeSlicer();
      do {
        await slice();
        const input: AnyRecord = {
          ...args.input,
          // Calls of a few hundred items: between them, DynamoDB requests waiting on this thread run.
          Limit: Math.min(READ_SLICE_ITEMS, want - items.length),
          ReturnConsumedCapacity: 'TOTAL',
        };
        if (startKey) input.ExclusiveStartKey = startKey;
        else delete input.ExclusiveStartKey;
        const out = await call(args.operation, input);
        pages++;
        items.push(...((out.Items as Item[] | undefined) ?? []));
        scanned += typeof out.ScannedCount === 'number' ? out.ScannedCount : 0;
        capacity += capacityUnits(out.ConsumedCapacity);
        startKey = out.LastEvaluatedKey as Item | undefined;
      } while (startKey && items.length < want && now() - started < budget);
      return {
        items,
        ...(startKey ? { lastEvaluatedKey: startKey } : {}),
        count: items.length,
        scannedCount: scanned,
        consumedCapacity: capacity,
        pages,
        elapsedMs: now() - started,
      };
    },

    async getItem(args: GetItemRequest): Promise<{ item?: Item }> {
      const a = args as unknown as AnyRecord;
      const table = requireString(a, 'table');
      const key = requireItem(a, 'key');
      const out = await call('GetItem', {
        TableName: table,
        Key: key,
        ConsistentRead: args.consistentRead !== false,
      });
      return out.Item ? { item: out.Item as Item } : {};
    },

    async putItem(args: PutItemRequest): Promise<WriteResult> {
      const a = args as unknown as AnyRecord;
      const table = requireString(a, 'table');
      const item = requireItem(a, 'item');
      const input: AnyRecord = { TableName: table, Item: item, ReturnConsumedCapacity: 'TOTAL' };
      if (args.expected !== undefined) {
        const names = await keyNames(table);
        const key = keyOf(item, names);
        const expected = args.expected;
        // The whole-item comparison catches what a condition cannot express (attributes added since).
        const stored = await current(table, key);
        if (expected === null && stored) return conflict('An item with this key already exists.', stored);
        if (expected !== null && !stored)
          return conflict('The item was deleted since it was loaded.', undefined);
        if (expected !== null && stored && !sameItem(stored, expected))
          return conflict('The item was changed since it was loaded.', stored);
        Object.assign(input, versionCondition(names, expected), {
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        });
      }
      return conditionalWrite('PutItem', input);
    },

    async deleteItem(args: DeleteItemRequest): Promise<WriteResult> {
      const a = args as unknown as AnyRecord;
      const table = requireString(a, 'table');
      const key = requireItem(a, 'key');
      const input: AnyRecord = { TableName: table, Key: key, ReturnConsumedCapacity: 'TOTAL' };
      if (args.expected !== undefined) {
        const names = await keyNames(table);
        const stored = await current(table, key);
        if (!stored) return conflict('The item was already deleted.', undefined);
        if (!sameItem(stored, args.expected))
          return conflict('The item was changed since it was loaded.', stored);
        Object.assign(input, versionCondition(names, args.expected), {
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        });
      }
      return conditionalWrite('DeleteItem', input);
    },

    async schema(): Promise<StudioSchema> {
      const tables: SchemaTable[] = [];
      for (const name of await tableNames()) {
        let t: AnyRecord;
        try {
          t = await describe(name);
        } catch {
          continue;
        }
        const summary = summarizeTable(t);
        const attrs = new Set<string>();
        for (const k of summary.keySchema) attrs.add(k.AttributeName);
        for (const idx of summary.indexes) for (const k of idx.keySchema) attrs.add(k.AttributeName);
        if (summary.status === 'ACTIVE') {
          try {
            const page = await call('Scan', { TableName: name, Limit: SCHEMA_SAMPLE });
            for (const item of (page.Items as Item[] | undefined) ?? []) attributeNames(item, attrs);
          } catch {
            // The sample is a nicety: keys alone still complete.
          }
        }
        tables.push({ name, indexes: summary.indexes.map((i) => i.name), attributes: [...attrs] });
      }
      return { tables };
    },

    // ── Metrics ──────────────────────────────────────────────────────────────────────────────────

    async getMetrics(args: MetricsRequest): Promise<MetricsResult> {
      const a = (isRecord(args) ? args : {}) as AnyRecord;
      const input: AnyRecord = {};
      const table = optionalString(a, 'table');
      const index = optionalString(a, 'index');
      const operation = optionalString(a, 'operation');
      const start = optionalNumber(a, 'startTime');
      const end = optionalNumber(a, 'endTime');
      const period = optionalNumber(a, 'period');
      if (table !== undefined) input.TableName = table;
      if (index !== undefined) input.IndexName = index;
      if (operation !== undefined) input.Operation = operation;
      if (start !== undefined) input.StartTime = start;
      if (end !== undefined) input.EndTime = end;
      if (period !== undefined) input.Period = period;
      if (Array.isArray(a.metrics)) input.Metrics = a.metrics;
      return (await sortkey('GetMetrics', input)) as unknown as MetricsResult;
    },

    async metricsOverview(args: {
      startTime: number;
      endTime: number;
      period: number;
    }): Promise<MetricsOverview> {
      const a = (isRecord(args) ? args : {}) as AnyRecord;
      const range = {
        StartTime: optionalNumber(a, 'startTime'),
        EndTime: optionalNumber(a, 'endTime'),
        Period: optionalNumber(a, 'period'),
      };
      // The account's answer fixes the datapoints every table's series aligns with.
      const account = (await sortkey('GetMetrics', {
        ...range,
        Metrics: ['ConsumedReadCapacityUnits'],
      })) as unknown as MetricsResult;
      const n = account.Timestamps.length;
      const tables: TableMetricsRow[] = [];
      for (const name of await tableNames()) {
        let raw: AnyRecord;
        let m: MetricsResult;
        try {
          raw = await describe(name);
          m = (await sortkey('GetMetrics', {
            ...range,
            TableName: name,
            Metrics: OVERVIEW_METRICS,
          })) as unknown as MetricsResult;
        } catch (e) {
          if (toErrorShape(e).type === 'ResourceNotFoundException') continue;
          throw e;
        }
        const summary = summarizeTable(raw);
        const tp = raw.ProvisionedThroughput as AnyRecord | undefined;
        const requests = sumSeries(m.Metrics, 'SuccessfulRequestLatency', 'SampleCount', n);
        let latencySum = 0;
        let latencyCount = 0;
        for (const s of m.Metrics) {
          if (s.MetricName !== 'SuccessfulRequestLatency') continue;
          const avg = s.Statistics.Average ?? [];
          const count = s.Statistics.SampleCount ?? [];
          for (let i = 0; i < n; i++) {
            if (avg[i] === null || avg[i] === undefined || !count[i]) continue;
            latencySum += avg[i]! * count[i]!;
            latencyCount += count[i]!;
          }
        }
        const throttledRequests = sumSeries(m.Metrics, 'ThrottledRequests', 'Sum', n);
        const readEvents = sumSeries(m.Metrics, 'ReadThrottleEvents', 'Sum', n);
        const writeEvents = sumSeries(m.Metrics, 'WriteThrottleEvents', 'Sum', n);
        tables.push({
          table: name,
          billingMode: summary.billingMode,
          itemCount: summary.itemCount,
          sizeBytes: summary.sizeBytes,
          ...(summary.billingMode === 'PROVISIONED' && tp
            ? {
                provisionedRead: Number(tp.ReadCapacityUnits) || 0,
                provisionedWrite: Number(tp.WriteCapacityUnits) || 0,
              }
            : {}),
          read: sumSeries(m.Metrics, 'ConsumedReadCapacityUnits', 'Sum', n),
          write: sumSeries(m.Metrics, 'ConsumedWriteCapacityUnits', 'Sum', n),
          throttled: throttledRequests.map((t, i) => Math.max(t, readEvents[i]! + writeEvents[i]!)),
          requests,
          meanLatencyMs: latencyCount > 0 ? latencySum / latencyCount : null,
        });
      }
      return {
        StartTime: account.StartTime,
        EndTime: account.EndTime,
        Period: account.Period,
        Timestamps: account.Timestamps,
        tables,
      };
    },

    async getHotKeys(args: HotKeysRequest): Promise<HotKeysResult> {
      const a = args as unknown as AnyRecord;
      const input: AnyRecord = { TableName: requireString(a, 'table') };
      const index = optionalString(a, 'index');
      const window = optionalNumber(a, 'windowSeconds');
      const limit = optionalNumber(a, 'limit');
      if (index !== undefined) input.IndexName = index;
      if (window !== undefined) input.WindowSeconds = window;
      if (limit !== undefined) input.Limit = limit;
      return (await sortkey('GetHotKeys', input)) as unknown as HotKeysResult;
    },

    async describePartitions(args: PartitionsRequest): Promise<PartitionsResult> {
      const a = args as unknown as AnyRecord;
      const input: AnyRecord = { TableName: requireString(a, 'table') };
      const index = optionalString(a, 'index');
      const heat = optionalNumber(a, 'heatSeconds');
      if (index !== undefined) input.IndexName = index;
      if (heat !== undefined) input.HeatSeconds = heat;
      return (await sortkey('DescribePartitions', input)) as unknown as PartitionsResult;
    },

    async describeThrottling(args: { table?: string }): Promise<ThrottlingState> {
      const table = optionalString((isRecord(args) ? args : {}) as AnyRecord, 'table');
      return (await sortkey(
        'DescribeThrottling',
        table !== undefined ? { TableName: table } : {},
      )) as unknown as ThrottlingState;
    },

    async setThrottling(args: { mode: ThrottleMode }): Promise<{ Mode: ThrottleMode }> {
      const mode = requireString(args as unknown as AnyRecord, 'mode');
      return (await sortkey('SetThrottling', { Mode: mode })) as unknown as { Mode: ThrottleMode };
    },

    async setFaults(args: { faults: FaultRule[] }): Promise<{ Faults: FaultRule[] }> {
      const faults = (args as unknown as AnyRecord).faults;
      if (!Array.isArray(faults))
        throw new StudioError('ValidationException', 'faults must be a list of rules');
      return (await sortkey('SetFaults', { Faults: faults })) as unknown as { Faults: FaultRule[] };
    },

    async scaling(args: ScalingRequest): Promise<DescribeScalingPoliciesOutput & { Deleted?: number }> {
      const a = (isRecord(args) ? args : {}) as AnyRecord;
      const input = (isRecord(a.input) ? a.input : {}) as AnyRecord;
      const op = {
        describe: 'DescribeScalingPolicies',
        put: 'PutScalingPolicy',
        delete: 'DeleteScalingPolicy',
      }[String(a.action)];
      if (!op) throw new StudioError('ValidationException', 'action must be describe, put or delete');
      if (op === 'DescribeScalingPolicies')
        return (await sortkey(op, input)) as unknown as DescribeScalingPoliciesOutput;
      const done = await sortkey(op, input);
      // Answer with the policies as they are now, so the panel redraws from one call.
      const table = typeof input.TableName === 'string' ? { TableName: input.TableName } : {};
      const now = (await sortkey(
        'DescribeScalingPolicies',
        table,
      )) as unknown as DescribeScalingPoliciesOutput;
      return { ...now, ...(typeof done.Deleted === 'number' ? { Deleted: done.Deleted } : {}) };
    },

    async alarms(args: AlarmsRequest): Promise<AlarmsResult> {
      const a = (isRecord(args) ? args : {}) as AnyRecord;
      const input = (isRecord(a.input) ? a.input : {}) as AnyRecord;
      const op = {
        describe: 'DescribeAlarms',
        put: 'PutMetricAlarm',
        delete: 'DeleteAlarms',
        history: 'DescribeAlarmHistory',
      }[String(a.action)];
      if (!op)
        throw new StudioError('ValidationException', 'action must be describe, put, delete or history');
      return (await sortkey(op, input)) as unknown as AlarmsResult;
    },

    async describeConsistency(): Promise<ConsistencyState> {
      return (await sortkey('DescribeConsistency', {})) as unknown as ConsistencyState;
    },

    async setConsistency(args: {
      mode: ConsistencyMode;
      windowMs?: number;
      seed?: number;
    }): Promise<ConsistencyState> {
      const a = args as unknown as AnyRecord;
      const input: AnyRecord = { Mode: requireString(a, 'mode') };
      const windowMs = optionalNumber(a, 'windowMs');
      const seed = optionalNumber(a, 'seed');
      if (windowMs !== undefined) input.WindowMs = windowMs;
      if (seed !== undefined) input.Seed = seed;
      return (await sortkey('SetConsistency', input)) as unknown as ConsistencyState;
    },

    // ── Index designer ───────────────────────────────────────────────────────────────────────────

    async createIndex(args: CreateIndexRequest): Promise<TableSummary> {
      const a = args as unknown as AnyRecord;
      const table = requireString(a, 'table');
      if (!isRecord(a.index)) throw new StudioError('ValidationException', 'index is required');
      const index = args.index;
      const t = await describe(table);
      const defs = [...((t.AttributeDefinitions as AttributeDefinition[] | undefined) ?? [])];
      for (const d of Array.isArray(args.attributeDefinitions) ? args.attributeDefinitions : []) {
        if (!defs.some((x) => x.AttributeName === d.AttributeName)) defs.push(d);
      }
      const create: AnyRecord = {
        IndexName: index.IndexName,
        KeySchema: index.KeySchema,
        Projection: index.Projection,
      };
      const billing = (t.BillingModeSummary as AnyRecord | undefined)?.BillingMode;
      const tp = t.ProvisionedThroughput as AnyRecord | undefined;
      if (index.ProvisionedThroughput) create.ProvisionedThroughput = index.ProvisionedThroughput;
      else if (billing !== 'PAY_PER_REQUEST' && tp)
        create.ProvisionedThroughput = {
          ReadCapacityUnits: Number(tp.ReadCapacityUnits) || 1,
          WriteCapacityUnits: Number(tp.WriteCapacityUnits) || 1,
        };
      const out = await call('UpdateTable', {
        TableName: table,
        AttributeDefinitions: defs,
        GlobalSecondaryIndexUpdates: [{ Create: create }],
      });
      samples.delete(table);
      return summarizeTable(out.TableDescription as AnyRecord);
    },

    async deleteIndex(args: { table: string; index: string }): Promise<TableSummary> {
      const a = args as unknown as AnyRecord;
      const table = requireString(a, 'table');
      const index = requireString(a, 'index');
      const t = await describe(table);
      if (((t.LocalSecondaryIndexes as AnyRecord[] | undefined) ?? []).some((x) => x.IndexName === index))
        throw new StudioError(
          'ValidationException',
          `${index} is a local secondary index: it lives as long as the table and cannot be deleted on its own`,
        );
      const out = await call('UpdateTable', {
        TableName: table,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index } }],
      });
      return summarizeTable(out.TableDescription as AnyRecord);
    },

    async planAccess(args: AccessPlanRequest): Promise<AccessPlanResult> {
      if (!isRecord(args)) throw new StudioError('ValidationException', 'planAccess needs an object');
      const a = args as unknown as AnyRecord;
      if (!Array.isArray(a.statements) || a.statements.some((x) => typeof x !== 'string'))
        throw new StudioError('ValidationException', 'statements must be a list of strings');
      requireCapability('exactExplain', 'The index designer’s access plans');
      const only = optionalString(a, 'table');
      if (a.proposed !== undefined && a.proposed !== null) checkProposedIndex(a.proposed);
      const proposed = isRecord(a.proposed) ? args.proposed : undefined;
      if (proposed && only === undefined)
        throw new StudioError('ValidationException', 'A proposed index needs the table it belongs to');
      const limit = Math.max(
        1,
        Math.min(MAX_PLAN_SAMPLE, Math.floor(Number(args.sampleLimit) || PLAN_SAMPLE)),
      );
      const realExplain = async (input: AnyRecord) => explainSliced(engine, input);

      const described = new Map<string, AnyRecord | null>();
      const describeOnce = async (name: string): Promise<AnyRecord | null> => {
        if (!described.has(name)) {
          try {
            described.set(name, await describe(name));
          } catch {
            described.set(name, null);
          }
        }
        return described.get(name)!;
      };

      let mirror: Awaited<ReturnType<typeof mirrorFor>> | undefined;
      let sampleInfo: AccessPlanResult['sample'];
      const plans: AccessPlan[] = [];
      try {
        for (const statement of args.statements) {
          const parsed = parseSelect(statement);
          if ('error' in parsed) {
            if (only === undefined) plans.push({ statement, error: parsed.error, targets: [] });
            continue;
          }
          if (only !== undefined && parsed.table !== only) continue;
          const plan: AccessPlan = {
            statement,
            table: parsed.table,
            ...(parsed.index ? { index: parsed.index } : {}),
            targets: [],
          };
          plans.push(plan);
          const t = await describeOnce(parsed.table);
          if (!t) {
            plan.error = `No table ${parsed.table}`;
            continue;
          }
          const indexes = indexShapes(t);
          const tableKey = ((t.KeySchema as { AttributeName: string }[] | undefined) ?? []).map(
            (k) => k.AttributeName,
          );
          const targets: { target: string; kind: AccessTargetPlan['kind']; shape?: IndexShape }[] = [
            { target: '', kind: 'TABLE' },
            ...indexes.map((ix) => ({ target: ix.name, kind: ix.kind, shape: ix })),
          ];
          for (const target of targets) {
            const asWritten = (parsed.index ?? '') === target.target;
            const text = asWritten
              ? statement
              : retarget(statement, parsed.from, parsed.table, target.target || undefined);
            const result = await explainOn(realExplain, text, parsed.parameterCount);
            const tp: AccessTargetPlan = {
              target: target.target,
              kind: target.kind,
              statement: text,
              ...result,
              notes: target.shape ? indexNotes(target.shape, parsed, tableKey) : [],
            };
            plan.targets.push(tp);
            if (asWritten) plan.current = tp;
          }
          if (proposed) {
            if (!mirror) {
              mirror = await mirrorFor(t, proposed, limit);
              const tableItems = typeof t.ItemCount === 'number' ? t.ItemCount : 0;
              sampleInfo = {
                copied: mirror.copied,
                skipped: mirror.skipped,
                complete: mirror.complete,
                tableItems: mirror.complete
                  ? mirror.copied + mirror.skipped
                  : Math.max(tableItems, mirror.copied),
              };
            }
            const name = proposed.index.IndexName;
            const shape: IndexShape = {
              name,
              kind: proposed.kind,
              keyNames: proposed.index.KeySchema.map((k) => k.AttributeName),
              projectionType: proposed.index.Projection.ProjectionType,
              nonKey: proposed.index.Projection.NonKeyAttributes ?? [],
              active: true,
            };
            const text = retarget(statement, parsed.from, parsed.table, name);
            const m = mirror.mirror;
            const result = m
              ? await explainOn(async (input) => explainSliced(m, input), text, parsed.parameterCount)
              : { error: `The proposed index is not valid: ${mirror.error ?? 'unknown problem'}` };
            const scale =
              sampleInfo && !sampleInfo.complete && mirror.copied > 0
                ? sampleInfo.tableItems / mirror.copied
                : 1;
            if (result.explain && scale !== 1) {
              const e = result.explain;
              result.explain = {
                ...e,
                EstimatedReadCapacityUnits: Math.ceil(e.EstimatedReadCapacityUnits * scale * 2) / 2,
                ...(e.EstimatedItemsRead !== undefined
                  ? { EstimatedItemsRead: Math.round(e.EstimatedItemsRead * scale) }
                  : {}),
              };
            }
            plan.targets.push({
              target: name,
              kind: proposed.kind,
              proposed: true,
              statement: text,
              ...result,
              ...(scale !== 1 ? { scaled: true } : {}),
              notes: indexNotes(shape, parsed, tableKey),
            });
          }
          let best: AccessTargetPlan | undefined;
          for (const tp of plan.targets) {
            if (!tp.explain) continue;
            // Ties go to the statement as written.
            if (!best || betterPlan(tp, best) || (tp === plan.current && !betterPlan(best, tp))) best = tp;
          }
          if (best) plan.best = best.target;
        }
      } finally {
        mirror?.mirror?.close();
      }
      return { plans, ...(sampleInfo ? { sample: sampleInfo } : {}) };
    },
  };
  Object.defineProperty(backend, DUMP_JOBS, { value: dumps });
  return backend as unknown as StudioBackendImpl;
}

/** Calls one backend method by name, checking that it is one. */
export async function invokeBackend(
  backend: StudioBackendImpl,
  method: string,
  args: unknown,
): Promise<unknown> {
  if (!Object.prototype.hasOwnProperty.call(backend, method))
    throw new StudioError('UnknownOperationException', `Unknown studio method: ${method}`);
  const fn = backend[method as BackendMethod] as (a: unknown) => Promise<unknown>;
  return fn(args ?? {});
}
