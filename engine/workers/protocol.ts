// What the engine's main thread and its read workers (engine/workers) say to each other. Plain
// objects only: they cross threads by structured clone.

/** A read handed to a worker. */
export interface ReadRequest {
  readonly id: number;
  readonly operation: string;
  readonly input: unknown;
  /** The writer's catalog version (Catalog.version): the worker reloads its catalog when it moved. */
  readonly catalogVersion: number;
  /** The writer's scan guard (EngineOptions.denyFullTableScan), which may change while it runs. */
  readonly denyFullTableScan: boolean;
  /** The region and account whose tables the read addresses (engine/tables/table.ts's Namespace). */
  readonly namespace: { readonly region: string; readonly accountId: string };
}

/** Capacity a read's meters reported: table name, units, index name (null: the table itself). */
export type ReadCharge = readonly [string, number, string | null];

/** A worker's answer. */
export type ReadReply =
  | {
      readonly id: number;
      readonly kind: 'ok';
      /** The response body, serialised in the worker: the main thread only sends it. */
      readonly json: string;
      /** Items returned (Count, for the ReturnedItemCount metric), -1 when the operation has none. */
      readonly count: number;
      readonly reads: readonly ReadCharge[];
    }
  | {
      readonly id: number;
      readonly kind: 'error';
      /** A DynamoError's type, message and extra fields. */
      readonly type: string;
      readonly message: string;
      readonly extra: Record<string, unknown> | undefined;
      readonly reads: readonly ReadCharge[];
    }
  /**
   * The worker cannot serve this read as the writer would (a table in a transient status, a
   * statement that writes, anything unexpected): the main thread runs it itself.
   */
  | { readonly id: number; readonly kind: 'main' };

/** A test's request that a worker die at once, as a crash would kill it. */
export interface CrashRequest {
  readonly crash: true;
}

/**
 * A response body serialised off the main thread. The HTTP endpoint sends `json` as it is; anything
 * else that meets one can parse it.
 */
export class JsonBody {
  constructor(readonly json: string) {}
}

/**
 * Reads that may be served by a worker. Only reads whose cost can grow with the data are sent:
 * a GetItem costs a few microseconds in the engine, less than the hand-over to a thread and back
 * (measured in docs/architecture.md, "Read workers"), so point reads stay on the main thread.
 */
export const WORKER_OPERATIONS: ReadonlySet<string> = new Set([
  'Query',
  'Scan',
  'BatchGetItem',
  'ExecuteStatement',
  'TransactGetItems',
]);

/** Whether a PartiQL statement is a SELECT (the only kind a worker runs; others stay on the writer). */
export function isSelectStatement(statement: unknown): boolean {
  if (typeof statement !== 'string') return false;
  let i = 0;
  while (i < statement.length && /\s/.test(statement[i]!)) i++;
  return statement.slice(i, i + 6).toUpperCase() === 'SELECT';
}
