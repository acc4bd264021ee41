// The studio's backend: the methods of renderer/src/backend/api.ts implemented on an engine (or
// anything engine-like). Browser mode calls it through HTTP routes (routes.ts), Electron through IPC
// (main/electron). Items stay DynamoDB JSON throughout; numbers stay strings.
import type {
  AttributeValue,
  BackendErrorShape,
  BackendMethod,
  CreateTableInput,
  DeleteItemRequest,
  ExplainResult,
  GetItemRequest,
  IndexSummary,
  Item,
  PutItemRequest,
  ReadRequest,
  ReadResult,
  SchemaTable,
  StatementRequest,
  StatementResult,
  StudioInfo,
  StudioSchema,
  TableSummary,
  WriteResult,
} from '../../renderer/src/backend/api.js';
import type { EngineLike } from '../server/index.js';

/** The backend as the transports see it: a method name and one JSON argument. */
export type StudioBackendImpl = {
  [M in BackendMethod]: (args: never) => Promise<unknown>;
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
  const projection = (raw.Projection as AnyRecord | undefined)?.ProjectionType;
  return {
    name: String(raw.IndexName),
    kind,
    keySchema: (raw.KeySchema as IndexSummary['keySchema']) ?? [],
    projectionType: typeof projection === 'string' ? projection : 'ALL',
    ...(typeof raw.IndexStatus === 'string' ? { status: raw.IndexStatus } : {}),
    ...(typeof raw.ItemCount === 'number' ? { itemCount: raw.ItemCount } : {}),
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

export function createStudioBackend(options: StudioBackendOptions): StudioBackendImpl {
  const engine = options.engine;
  const now = options.now ?? (() => performance.now());

  async function call(operation: string, input: unknown): Promise<AnyRecord> {
    const result = await engine.execute(operation, input);
    return (result ?? {}) as AnyRecord;
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

  const backend = {
    async info(): Promise<StudioInfo> {
      return options.info();
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
      if (!engine.executeSortkey)
        throw new StudioError('UnknownOperationException', 'EXPLAIN needs a Sortkey engine');
      const input: AnyRecord = { Statement: statement };
      if (Array.isArray(args.parameters) && args.parameters.length > 0) input.Parameters = args.parameters;
      return (await engine.executeSortkey('Explain', input)) as ExplainResult;
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
      do {
        const input: AnyRecord = {
          ...args.input,
          Limit: want - items.length,
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
      try {
        const out = await call('PutItem', input);
        return { ok: true, consumedCapacity: capacityUnits(out.ConsumedCapacity) };
      } catch (e) {
        const err = e as { type?: string; extra?: { Item?: Item } };
        if (err.type === 'ConditionalCheckFailedException')
          return conflict('The item was changed since it was loaded.', err.extra?.Item);
        throw e;
      }
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
      try {
        const out = await call('DeleteItem', input);
        return { ok: true, consumedCapacity: capacityUnits(out.ConsumedCapacity) };
      } catch (e) {
        const err = e as { type?: string; extra?: { Item?: Item } };
        if (err.type === 'ConditionalCheckFailedException')
          return conflict('The item was changed since it was loaded.', err.extra?.Item);
        throw e;
      }
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
  };
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
