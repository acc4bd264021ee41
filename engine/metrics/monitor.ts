// The usage monitor: every DynamoDB operation the engine executes passes through it. Around each
// call it
//   - rolls the dice of the configured faults (an error, or latency handed to the server),
//   - admits the request to the throttling buckets of the tables and indexes it names,
//   - receives, as the capacity sink, every unit the operation's CapacityMeter records, accounts it
//     per table and index per second, and charges it to the buckets (the first charge to a bucket
//     the input did not name, such as a GSI a write updates, is that bucket's admission),
//   - records the request's latency, returned items, errors and accessed partition keys.
// With throttling off and no faults, the added work per request is two monotonic clock reads, a
// few map lookups and typed-array additions, and no allocation.
import { setCapacitySink } from '../capacity.js';
import type { CapacitySink } from '../capacity.js';
import { DynamoError } from '../errors.js';
import { transactionCanceled } from '../operations/transactions.js';
import { DatabaseBusyError, isBusyError } from '../storage/database.js';
import type { Database } from '../storage/database.js';
import type { PartitionService } from '../partitions/service.js';
import type { CancellationReason } from '../operations/transactions.js';
import type { Catalog } from '../tables/catalog.js';
import type { Table } from '../tables/table.js';
import type { ThrottleCause } from '../throttle/errors.js';
import { isThrottleError, throttleCancellation, throttleError } from '../throttle/errors.js';
import { FaultInjector } from '../throttle/faults.js';
import type { FaultRule } from '../throttle/faults.js';
import { provisionedThroughput, Throttler } from '../throttle/throttler.js';
import type { ThrottleMode } from '../throttle/throttler.js';
import { accessedKeys, requestTableNames, requestTargets } from './keys.js';
import type { KeyAccess } from './keys.js';
import { TableSeries, WINDOW_SECONDS } from './series.js';
import type { OperationSeries, ResourceSeries } from './series.js';
import { DISK_RETENTION_MINUTES, MetricsStore } from './store.js';
import type { MinuteRow } from './store.js';

export interface UsageOptions {
  readonly throttle?: ThrottleMode;
  readonly faults?: readonly FaultRule[];
  /** Random numbers in [0, 1) for fault probabilities (tests make them predictable). */
  readonly random?: () => number;
  /** How often minute aggregates are written to disk; 0: only on close and `flush()`. */
  readonly flushIntervalMs?: number;
  /** Whether partition keys are counted for hot keys (default true). */
  readonly hotKeys?: boolean;
}

type Rec = Record<string, unknown>;
const EMPTY: Rec = {};

/** Operations after which provisioned throughput may have changed. */
const CONTROL_PLANE = new Set([
  'CreateTable',
  'UpdateTable',
  'DeleteTable',
  'RestoreTableFromBackup',
  'RestoreTableToPointInTime',
  'ImportTable',
]);
/** Operations whose items returned are counted (ReturnedItemCount). */
const LEADING_COUNT = /^\{"Count":(\d+)/;
const RETURNS_ITEMS = new Set(['Query', 'Scan', 'ExecuteStatement']);
/** Single-item writes: a failed condition still consumes a write unit. */
const ITEM_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const TRANSACTIONS = new Set(['TransactWriteItems', 'TransactGetItems']);

/** How long wall time is derived from the monotonic clock before Date.now() is read again. */
const ANCHOR_MS = 1000;
/** Requests per second counted for hot keys; at higher rates they are sampled down to about this. */
export const HOT_KEY_TARGET_RATE = 256;

/** What the usage monitor needs of the engine (EngineContext provides it), narrow. */
export interface UsageHost {
  readonly db: Database;
  readonly catalog: Pick<Catalog, 'get' | 'list' | 'counters' | 'indexCounters'>;
  readonly now: () => number;
  readonly partitions: Pick<PartitionService, 'addHeat' | 'locate' | 'save' | 'syncThroughput'>;
}

export class UsageMonitor implements CapacitySink {
  readonly throttler: Throttler;
  readonly faults: FaultInjector;
  readonly store: MetricsStore;
  /** Series per table name, created at a table's first activity. */
  readonly tables = new Map<string, TableSeries>();
  /**
   * Names in `tables` whose table existed at the last syncProvisioned (or was created since): the
   * only series it must look at for a table that is gone. A test suite creates and drops
   * thousands of tables, whose series stay for the window; looking at each of them again after
   * every CreateTable and DeleteTable cost them time that grew with the suite.
   */
  private readonly provisionedLive = new Set<string>();
  /** Requests that name no (existing) table: ListTables, DescribeLimits, unknown tables. */
  readonly account = new TableSeries('');
  hotKeys: boolean;
  /** Minutes up to this one are on disk with everything this process recorded for them. */
  private flushedThrough: number;
  private timer: NodeJS.Timeout | undefined;

  // The operation in progress (the engine runs one at a time).
  private seq = 0;
  private op = '';
  private input: Rec = EMPTY;
  private nowMs = 0;
  private sec = 0;
  private started = 0;
  private readUnits = 0;
  private writeUnits = 0;
  private touched: TableSeries[] = [];
  private touchedCount = 0;
  private previousSink: CapacitySink | undefined;
  private throttled = false;
  private keysReady = false;
  private readonly keys: KeyAccess[] = [];
  /** Latency the faults added to the last operation, for the server to wait before answering. */
  private delayMs = 0;
  /** Whether the engine runs on the real clock (then wall time is derived from the monotonic one). */
  private readonly realClock: boolean;
  /** Date.now() minus the monotonic clock, as of `anchoredAt` (monotonic). */
  private anchorOffset = 0;
  private anchoredAt = -Infinity;
  // Hot-key sampling: requests counted in the current second, and a xorshift32 state.
  private rateSec = -1;
  private rateCount = 0;
  private rateShift = 0;
  private rng = 0x9e3779b9;

  constructor(
    private readonly ctx: UsageHost,
    options: UsageOptions = {},
  ) {
    this.realClock = ctx.now === Date.now;
    this.throttler = new Throttler(options.throttle ?? 'off');
    this.faults = new FaultInjector(options.faults ?? [], options.random ?? Math.random);
    this.hotKeys = options.hotKeys ?? true;
    this.store = new MetricsStore(ctx.db);
    this.flushedThrough = Math.floor(ctx.now() / 60_000) - 1;
    const interval = options.flushIntervalMs ?? 0;
    if (interval > 0) {
      this.timer = setInterval(() => {
        try {
          // A timer must not block the event loop waiting for another process's write lock.
          ctx.db.withoutWaiting(() => this.flush());
        } catch {
          // Metrics must never take the process down; the next flush tries again.
        }
      }, interval);
      this.timer.unref();
    }
  }

  // ---- around each operation ---------------------------------------------------------------

  /** Starts an operation: faults and admission (either may throw), then metering. */
  begin(op: string, input: unknown): void {
    this.start(op, input, performance.now());
    if (this.faults.any) this.injectFaults();
    if (this.throttler.active) this.admit();
    this.previousSink = setCapacitySink(this);
  }

  /**
   * Records an operation a read worker ran (engine/workers) as if it had run here: `started` is
   * when it was handed over (performance.now()), `reads` the capacity its meters reported (table
   * name, units, index name), then its outcome. Faults and admission were decided before it was
   * handed over: workers only serve while neither is in play.
   */
  recordCompleted(
    op: string,
    input: unknown,
    started: number,
    reads: readonly (readonly [string, number, string | null])[],
    outcome: { readonly result: unknown } | { readonly error: unknown },
  ): void {
    this.start(op, input, started);
    this.previousSink = setCapacitySink(this);
    try {
      for (const [name, units, index] of reads) {
        const table = this.ctx.catalog.get(name);
        if (table) this.read(table, units, index ?? undefined);
      }
    } catch (e) {
      // Throttling turned on while the read was away: what it consumed is counted all the same.
      if (!isThrottleError((e as { type?: string }).type ?? '')) reportMetricsError(e);
    }
    if ('result' in outcome) this.succeeded(outcome.result);
    else this.failed(outcome.error);
  }

  /** The per-operation state begin() and recordCompleted() start from. */
  private start(op: string, input: unknown, t: number): void {
    this.seq++;
    this.op = op;
    this.input = input !== null && typeof input === 'object' ? (input as Rec) : EMPTY;
    // The monotonic clock (process.hrtime's, as performance.now(): no BigInt to allocate per call).
    this.started = t;
    if (this.realClock) {
      // One clock read per call: wall time is derived from the monotonic clock, re-anchored to
      // Date.now() once a second (clock reads are not free on every machine).
      if (t - this.anchoredAt > ANCHOR_MS) {
        this.anchorOffset = Date.now() - t;
        this.anchoredAt = t;
      }
      this.nowMs = this.anchorOffset + t;
    } else {
      this.nowMs = this.ctx.now();
    }
    this.sec = Math.floor(this.nowMs / 1000);
    this.readUnits = 0;
    this.writeUnits = 0;
    this.touchedCount = 0;
    this.throttled = false;
    this.keysReady = false;
    this.delayMs = 0;
  }

  /** Ends an operation that will run again (it found the file locked): nothing is recorded. */
  abandoned(): void {
    setCapacitySink(this.previousSink);
  }

  /** Ends an operation that succeeded. */
  succeeded(result: unknown): void {
    const micros = (performance.now() - this.started) * 1000;
    setCapacitySink(this.previousSink);
    try {
      this.recordSuccess(result, micros);
    } catch (e) {
      reportMetricsError(e);
    }
  }

  private recordSuccess(result: unknown, micros: number): void {
    const sec = this.sec;
    let returned = -1;
    if (RETURNS_ITEMS.has(this.op) && result !== null && typeof result === 'object') {
      const r = result as { Count?: unknown; Items?: unknown };
      returned = typeof r.Count === 'number' ? r.Count : Array.isArray(r.Items) ? r.Items.length : -1;
    } else if (RETURNS_ITEMS.has(this.op) && typeof result === 'string') {
      // A response as JSON text (engine.ts, `Answer`): Query and Scan write Count first.
      const count = LEADING_COUNT.exec(result);
      if (count) returned = Number(count[1]);
    }
    if (this.touchedCount === 0) this.touch(this.namedSeries());
    for (let t = 0; t < this.touchedCount; t++) {
      const os = this.touched[t]!.operation(this.op);
      const i = os.success(sec, micros);
      if (returned >= 0) os.returned[i]! += returned;
    }
    if (this.throttler.mode === 'strict') this.countKeys(false, this.hotKeys ? this.hotKeyWeight() : 0);
    else if (this.hotKeys) {
      const weight = this.hotKeyWeight();
      if (weight > 0) this.countKeys(false, weight);
    }
    if (CONTROL_PLANE.has(this.op)) {
      if (this.throttler.active) this.throttler.settle(this.nowMs);
      this.syncProvisioned();
    }
  }

  /** Ends an operation that failed with `e`. */
  failed(e: unknown): void {
    setCapacitySink(this.previousSink);
    try {
      const type = e instanceof DynamoError ? e.type : 'InternalServerError';
      if (type === 'ConditionalCheckFailedException' && ITEM_WRITES.has(this.op) && this.writeUnits === 0) {
        // DynamoDB charges a failed conditional write as a write of one unit.
        const table = this.namedTable();
        if (table) this.chargeFailedCondition(table);
      }
      this.recordFailure(type);
    } catch (err) {
      reportMetricsError(err);
    }
  }

  /** Takes (and clears) the latency faults added to the last operation. */
  takeDelay(): number {
    const d = this.delayMs;
    this.delayMs = 0;
    return d;
  }

  // ---- the capacity sink ----------------------------------------------------------------------

  read(table: Table, units: number, indexName: string | undefined): void {
    let gsi: string | undefined;
    const index = indexName !== undefined ? table.indexes.get(indexName) : undefined;
    if (index !== undefined && index.kind === 'GSI') gsi = index.name;
    if (this.throttler.active) {
      const cause = this.throttler.admit(table, gsi, 'read', this.seq, this.nowMs);
      if (cause) this.throttleNow(cause);
      this.throttler.deduct(table, gsi, 'read', units, this.nowMs);
    }
    const s = this.seriesFor(table);
    const sec = this.sec;
    if (index !== undefined) {
      const is = s.index(index.name, gsi !== undefined);
      is.consumedRead[is.slot(sec)]! += units;
    }
    if (gsi === undefined) s.consumedRead[s.slot(sec)]! += units;
    this.readUnits += units;
  }

  write(
    table: Table,
    units: number,
    indexWrites: ReadonlyMap<string, number> | undefined,
    multiplier: number,
  ): void {
    const now = this.nowMs;
    const hasIndexes = indexWrites !== undefined && indexWrites.size > 0;
    if (this.throttler.active) {
      // A write is refused when a GSI it updates has run out (DynamoDB's back-pressure), then
      // when the table has.
      if (hasIndexes) {
        for (const [name] of indexWrites) {
          if (table.indexes.get(name)?.kind !== 'GSI') continue;
          const cause = this.throttler.admit(table, name, 'write', this.seq, now);
          if (cause) this.throttleNow(cause);
        }
      }
      const cause = this.throttler.admit(table, undefined, 'write', this.seq, now);
      if (cause) this.throttleNow(cause);
    }
    const s = this.seriesFor(table);
    const sec = this.sec;
    let tableUnits = units * multiplier;
    let total = tableUnits;
    if (hasIndexes) {
      for (const [name, u] of indexWrites) {
        const n = u * multiplier;
        total += n;
        const gsi = table.indexes.get(name)?.kind !== 'LSI';
        const is = s.index(name, gsi);
        is.consumedWrite[is.slot(sec)]! += n;
        if (gsi) {
          if (this.throttler.active) this.throttler.deduct(table, name, 'write', n, now);
        } else {
          tableUnits += n;
        }
      }
    }
    if (this.throttler.active) this.throttler.deduct(table, undefined, 'write', tableUnits, now);
    s.consumedWrite[s.slot(sec)]! += tableUnits;
    this.writeUnits += total;
  }

  /**
   * Charges a replicated write to the replica that receives it (engine/replication). DynamoDB
   * meters replicated writes in every region they reach (replicated write units, the same count a
   * local write of the item would take) and they consume that replica's write capacity, which is
   * why each replica's auto scaling floats on its own; CloudWatch has no metric of their own, so
   * they count in the replica's ConsumedWriteCapacityUnits (table and GSIs). Recorded at `now`,
   * outside any request: nobody is refused for one (a replica short of capacity falls behind),
   * and the throttler's buckets are left alone, being kept by table name as the series are (a
   * global table's regions share them: docs/architecture.md, Regions).
   */
  replicatedWrite(table: Table, units: number, indexWrites: ReadonlyMap<string, number>, now: number): void {
    const s = this.series(table);
    const sec = Math.floor(now / 1000);
    let tableUnits = units;
    for (const [name, n] of indexWrites) {
      const gsi = table.indexes.get(name)?.kind !== 'LSI';
      const is = s.index(name, gsi);
      is.consumedWrite[is.slot(sec)]! += n;
      if (!gsi) tableUnits += n;
    }
    s.consumedWrite[s.slot(sec)]! += tableUnits;
  }

  // ---- series -------------------------------------------------------------------------------

  /** The series of `table`, marked as touched by the current operation. */
  private seriesFor(table: Table): TableSeries {
    const s = this.series(table);
    this.touch(s);
    return s;
  }

  private touch(s: TableSeries): void {
    for (let t = 0; t < this.touchedCount; t++) if (this.touched[t] === s) return;
    this.touched[this.touchedCount++] = s;
  }

  /** The series of a table, created at its first use with the throughput in effect. */
  series(table: Table): TableSeries {
    let s = this.tables.get(table.name);
    if (s === undefined) {
      s = new TableSeries(table.name);
      this.tables.set(table.name, s);
      this.recordProvisioned(s, table);
      this.provisionedLive.add(table.name);
    }
    return s;
  }

  private recordProvisioned(s: TableSeries, table: Table): void {
    const tp = provisionedThroughput(table);
    s.setProvisioned(this.sec, tp?.read ?? 0, tp?.write ?? 0);
    for (const g of table.description.GlobalSecondaryIndexes ?? []) {
      const gtp = provisionedThroughput(table, g.IndexName);
      s.index(g.IndexName!, true).setProvisioned(this.sec, gtp?.read ?? 0, gtp?.write ?? 0);
    }
  }

  /** After a control-plane change: the throughput of every table with a series. */
  syncProvisioned(): void {
    const sec = Math.floor(this.ctx.now() / 1000);
    this.sec = sec;
    const name = this.input.TableName;
    for (const table of this.ctx.catalog.list()) {
      const s = this.tables.get(table.name);
      if (s) {
        this.recordProvisioned(s, table);
        this.provisionedLive.add(table.name);
      } else if (table.name === name) this.series(table);
    }
    // A gone table's series records no throughput from then on (once: it stays so).
    for (const tableName of this.provisionedLive) {
      if (this.ctx.catalog.get(tableName)) continue;
      this.tables.get(tableName)?.setProvisioned(sec, 0, 0);
      this.provisionedLive.delete(tableName);
    }
    // Throughput raised above its past high adds partitions.
    this.ctx.partitions.syncThroughput();
  }

  private namedTable(): Table | undefined {
    const name = this.input.TableName;
    if (typeof name !== 'string') return undefined;
    return this.ctx.catalog.get(name.startsWith('arn:') ? name.slice(name.indexOf(':table/') + 7) : name);
  }

  /** The series a request's own table is recorded under (the account's when it names none). */
  private namedSeries(): TableSeries {
    const table = this.namedTable();
    return table ? this.series(table) : this.account;
  }

  // ---- faults and throttling ------------------------------------------------------------------

  private injectFaults(): void {
    const { error, delayMs } = this.faults.decide(this.op, requestTableNames(this.ctx, this.op, this.input));
    this.delayMs = delayMs;
    if (error) {
      if (isThrottleError(error.type)) this.throttled = true;
      this.recordFailure(error.type);
      throw error;
    }
  }

  /** Admission before the operation runs, for the tables, indexes and partitions its input names. */
  private admit(): void {
    const targets = requestTargets(this.ctx, this.op, this.input);
    let first: ThrottleCause | undefined;
    let reasons: CancellationReason[] | undefined;
    const transaction = TRANSACTIONS.has(this.op);
    for (const t of targets) {
      const gsi = t.index !== undefined && t.index.kind === 'GSI' ? t.index.name : undefined;
      const cause = this.throttler.admit(t.table, gsi, t.kind, this.seq, this.nowMs);
      if (!cause) continue;
      first ??= cause;
      this.throttleEvent(cause);
      if (transaction && t.item >= 0) {
        reasons ??= Array.from({ length: (this.input.TransactItems as unknown[]).length }, () => ({
          Code: 'None',
        }));
        reasons[t.item] = throttleCancellation(cause);
      }
    }
    if (!first && this.throttler.mode === 'strict') {
      this.collectKeys();
      for (const k of this.keys) {
        const cause = this.throttler.admitPartition(
          k.table,
          k.index?.name,
          k.id,
          this.partitionIdOf(k),
          k.kind,
          this.seq,
          this.nowMs,
        );
        if (!cause) continue;
        first ??= cause;
        this.throttleEvent(cause);
      }
    }
    if (!first) return;
    this.throttled = true;
    const error = reasons ? transactionCanceled(reasons) : throttleError(first);
    this.recordFailure(error.type);
    throw error;
  }

  /** A bucket ran out in the middle of an operation (a GSI its write updates, a PartiQL table). */
  private throttleNow(cause: ThrottleCause): never {
    this.throttleEvent(cause);
    this.throttled = true;
    throw throttleError(cause);
  }

  /** Counts a throttle event on the table or index that ran out (Read/WriteThrottleEvents). */
  private throttleEvent(cause: ThrottleCause): void {
    const table = this.ctx.catalog.get(cause.tableName);
    if (!table) return;
    const ts = this.series(table);
    const s: ResourceSeries = cause.indexName === undefined ? ts : ts.index(cause.indexName, true);
    const i = s.slot(this.sec);
    if (cause.kind === 'read') s.readThrottles[i]! += 1;
    else s.writeThrottles[i]! += 1;
  }

  private chargeFailedCondition(table: Table): void {
    const s = this.series(table);
    s.consumedWrite[s.slot(this.sec)]! += 1;
    this.writeUnits += 1;
    if (this.throttler.active) this.throttler.deduct(table, undefined, 'write', 1, this.nowMs);
    this.touch(s);
  }

  /** Errors by type, throttled requests and throttled keys of a failed operation. */
  private recordFailure(type: string): void {
    const sec = this.sec;
    if (this.touchedCount === 0) this.touch(this.namedSeries());
    const s = this.touched[0]!;
    s.error(type).add(sec, 1);
    if (this.throttled || isThrottleError(type)) {
      for (let t = 0; t < this.touchedCount; t++) {
        const os: OperationSeries = this.touched[t]!.operation(this.op);
        os.throttled[os.slot(sec)]! += 1;
      }
      if (this.hotKeys) this.countKeys(true, 1);
    }
  }

  // ---- hot keys ---------------------------------------------------------------------------------

  private collectKeys(): void {
    if (this.keysReady) return;
    this.keys.length = 0;
    accessedKeys(this.ctx, this.op, this.input, this.keys);
    this.keysReady = true;
  }

  /**
   * Whether this request is counted for hot keys, and as how many. Every request is counted while
   * the engine serves up to HOT_KEY_TARGET_RATE requests per second; above that, one in 2^k (at
   * random, k set from the previous second's rate), counted 2^k times. Heavy hitters stay heavy in
   * the sample, and the hot-key work stays at a few hundred requests per second under any load.
   */
  private hotKeyWeight(): number {
    if (this.sec !== this.rateSec) {
      let shift = 0;
      if (this.sec === this.rateSec + 1) while (this.rateCount >> shift > HOT_KEY_TARGET_RATE) shift++;
      this.rateShift = shift;
      this.rateSec = this.sec;
      this.rateCount = 0;
    }
    this.rateCount++;
    const shift = this.rateShift;
    if (shift === 0) return 1;
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x;
    return (x & ((1 << shift) - 1)) === 0 ? 1 << shift : 0;
  }

  /**
   * Counts the partition keys of the current operation in the hot-key sketches (accessed, or
   * throttled) with `weight` (0: not counted) and, in strict mode, charges their partitions. A
   * request's units are shared evenly among the keys of its kind (exact for single-item requests
   * and Query).
   */
  private countKeys(throttled: boolean, weight: number): void {
    this.collectKeys();
    const keys = this.keys;
    if (keys.length === 0) return;
    let reads = 0;
    let writes = 0;
    for (const k of keys) {
      if (k.kind === 'read') reads++;
      else writes++;
    }
    const readShare = reads > 0 ? this.readUnits / reads : 0;
    const writeShare = writes > 0 ? this.writeUnits / writes : 0;
    const sec = this.sec;
    for (const k of keys) {
      const share = k.kind === 'read' ? readShare : writeShare;
      const strict = this.throttler.mode === 'strict';
      if (!throttled && (strict || weight > 0) && share > 0) {
        // The heat of the key's partition: every unit in strict mode, the sample's estimate otherwise.
        this.ctx.partitions.addHeat(
          k.table,
          k.index,
          k.id,
          k.key,
          k.kind,
          strict ? share : share * weight,
          sec,
        );
      }
      if (!throttled && strict) {
        this.throttler.deductPartition(
          k.table,
          k.index?.name,
          k.id,
          this.partitionIdOf(k),
          k.kind,
          share,
          this.nowMs,
        );
      }
      if (weight === 0) continue;
      const ts = this.series(k.table);
      const rs: ResourceSeries = k.index ? ts.index(k.index.name, k.index.kind === 'GSI') : ts;
      const sketch = throttled ? rs.throttledKeys().sketch(sec) : rs.hot.sketch(sec);
      const e = sketch.get(k.id) ?? sketch.insert(k.id, k.key);
      e.count += weight;
      if (throttled) {
        e.throttled += weight;
      } else if (k.kind === 'read') {
        e.reads += weight;
        e.readUnits += share * weight;
      } else {
        e.writes += weight;
        e.writeUnits += share * weight;
      }
    }
  }

  /** The hash range of the partition a key is on (the partition model's current one). */
  private partitionIdOf(k: KeyAccess): string {
    const { partition } = this.ctx.partitions.locate(k.table, k.index, k.key);
    return `${partition.start}-${partition.end}`;
  }

  // ---- settings ---------------------------------------------------------------------------------

  setThrottleMode(mode: ThrottleMode): void {
    if (mode !== this.throttler.mode) this.throttler.reset();
    this.throttler.mode = mode;
  }

  setFaults(rules: readonly FaultRule[]): void {
    this.faults.set(rules);
  }

  // ---- persistence ------------------------------------------------------------------------------

  /** The minute up to which this process's data is on disk. */
  get flushedMinute(): number {
    return this.flushedThrough;
  }

  /**
   * Writes the minute aggregates of every complete minute not yet written (and with `all`, the
   * current minute too: on close), samples item counts and sizes, and prunes what is older than a
   * day. Runs between requests: the engine is synchronous.
   */
  flush(all = false): void {
    if (!this.ctx.db.sqlite.open) return;
    const nowSec = Math.floor(this.ctx.now() / 1000);
    const currentMinute = Math.floor(nowSec / 60);
    const through = all ? currentMinute : currentMinute - 1;
    const from = Math.max(this.flushedThrough + 1, Math.floor((nowSec - WINDOW_SECONDS + 1) / 60));
    const rows: MinuteRow[] = [];
    if (through >= from) {
      for (const s of [this.account, ...this.tables.values()]) minuteRows(s, from, through, rows);
    }
    if (through > this.flushedThrough) {
      // Item count and size: one sample per flush, as DynamoDB refreshes them periodically.
      for (const table of this.ctx.catalog.list()) {
        if (table.status === 'CREATING') continue;
        const c = this.ctx.catalog.counters(table);
        rows.push(gaugeRow(through, table.name, '', 'ItemCount', c.itemCount));
        rows.push(gaugeRow(through, table.name, '', 'TableSizeBytes', c.sizeBytes));
        for (const index of table.indexes.values()) {
          const ic = this.ctx.catalog.indexCounters(index);
          rows.push(gaugeRow(through, table.name, index.name, 'ItemCount', ic.itemCount));
          rows.push(gaugeRow(through, table.name, index.name, 'TableSizeBytes', ic.sizeBytes));
        }
      }
    }
    this.store.write(rows);
    if (through > this.flushedThrough) this.flushedThrough = through;
    // The partition maps are saved with the metrics (and their sizes checked); after the minutes
    // are marked written, so a busy file here never has them written twice.
    try {
      this.ctx.partitions.save();
    } catch (e) {
      if (!isBusyError(e) && !(e instanceof DatabaseBusyError)) reportMetricsError(e);
    }
    this.store.prune(currentMinute - DISK_RETENTION_MINUTES);
    // Series of tables that are gone and idle for the whole window are dropped.
    for (const [name, s] of this.tables) {
      if (s.lastActive < nowSec - WINDOW_SECONDS && !this.ctx.catalog.get(name)) this.tables.delete(name);
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    try {
      this.flush(true);
    } catch {
      // Closing must not fail because of metrics.
    }
  }
}

/** Metrics never fail a request: a bug in them is reported once and otherwise ignored. */
let reported = false;
function reportMetricsError(e: unknown): void {
  if (reported) return;
  reported = true;
  console.error('sortkey: error while recording metrics (further ones are not reported):', e);
}

function gaugeRow(minute: number, table: string, index: string, metric: string, value: number): MinuteRow {
  return { minute, table, index, dimension: '', metric, sum: value, count: 1, max: value, min: value };
}

/** The minute aggregates of one table's series (and its indexes and operations) for minutes [from, to]. */
function minuteRows(s: TableSeries, from: number, to: number, out: MinuteRow[]): void {
  const table = s.tableName;
  const resources: ResourceSeries[] = [s, ...s.indexes.values()];
  for (let minute = from; minute <= to; minute++) {
    const first = minute * 60;
    for (const r of resources) {
      const index = r.indexName ?? '';
      const acc = { cr: 0, cw: 0, rt: 0, wt: 0, crMax: 0, cwMax: 0, seconds: 0 };
      for (let sec = first; sec < first + 60; sec++) {
        const i = r.at(sec);
        if (i < 0) continue;
        acc.seconds++;
        const cr = r.consumedRead[i]!;
        const cw = r.consumedWrite[i]!;
        acc.cr += cr;
        acc.cw += cw;
        acc.rt += r.readThrottles[i]!;
        acc.wt += r.writeThrottles[i]!;
        if (cr > acc.crMax) acc.crMax = cr;
        if (cw > acc.cwMax) acc.cwMax = cw;
      }
      if (acc.seconds > 0) {
        const row = (metric: string, sum: number, max: number) =>
          out.push({ minute, table, index, dimension: '', metric, sum, count: acc.seconds, max, min: 0 });
        if (acc.cr > 0) row('ConsumedReadCapacityUnits', acc.cr, acc.crMax);
        if (acc.cw > 0) row('ConsumedWriteCapacityUnits', acc.cw, acc.cwMax);
        if (acc.rt > 0) row('ReadThrottleEvents', acc.rt, acc.rt);
        if (acc.wt > 0) row('WriteThrottleEvents', acc.wt, acc.wt);
      }
      const tp = r.provisionedAt(first + 59);
      if (tp && (acc.seconds > 0 || table !== '')) {
        out.push(gaugeRow(minute, table, index, 'ProvisionedReadCapacityUnits', tp.read));
        out.push(gaugeRow(minute, table, index, 'ProvisionedWriteCapacityUnits', tp.write));
      }
    }
    for (const os of s.operations.values()) {
      let requests = 0;
      let latency = 0;
      let max = 0;
      let returned = 0;
      let throttled = 0;
      const hist = new Map<number, number>();
      for (let sec = first; sec < first + 60; sec++) {
        const i = os.at(sec);
        if (i < 0) continue;
        requests += os.requests[i]!;
        latency += os.latencySum[i]!;
        if (os.latencyMax[i]! > max) max = os.latencyMax[i]!;
        returned += os.returned[i]!;
        throttled += os.throttled[i]!;
        const h = os.histogram(sec);
        if (h?.pairs)
          for (let j = 0; j < h.pairs.length; j += 2)
            hist.set(h.pairs[j]!, (hist.get(h.pairs[j]!) ?? 0) + h.pairs[j + 1]!);
        if (h?.dense)
          for (let b = 0; b < h.dense.length; b++)
            if (h.dense[b]) hist.set(b, (hist.get(b) ?? 0) + h.dense[b]!);
      }
      const op = os.operation;
      if (requests > 0) {
        const pairs = new Uint32Array(hist.size * 2);
        let j = 0;
        for (const b of [...hist.keys()].sort((x, y) => x - y)) {
          pairs[j++] = b;
          pairs[j++] = hist.get(b)!;
        }
        out.push({
          minute,
          table,
          index: '',
          dimension: op,
          metric: 'SuccessfulRequestLatency',
          sum: latency,
          count: requests,
          max,
          min: 0,
          hist: pairs,
        });
        if (RETURNS_ITEMS.has(op)) {
          out.push({
            minute,
            table,
            index: '',
            dimension: op,
            metric: 'ReturnedItemCount',
            sum: returned,
            count: requests,
            max: 0,
            min: 0,
          });
        }
      }
      if (throttled > 0) {
        out.push({
          minute,
          table,
          index: '',
          dimension: op,
          metric: 'ThrottledRequests',
          sum: throttled,
          count: throttled,
          max: 0,
          min: 0,
        });
      }
    }
    for (const [type, cs] of s.errors) {
      let n = 0;
      for (let sec = first; sec < first + 60; sec++) {
        const i = cs.at(sec);
        if (i >= 0) n += cs.count[i]!;
      }
      if (n > 0)
        out.push({
          minute,
          table,
          index: '',
          dimension: type,
          metric: 'Errors',
          sum: n,
          count: n,
          max: 0,
          min: 0,
        });
    }
  }
}
