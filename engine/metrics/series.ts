// Per-second metric series over the last hour, as rings of typed arrays: slot `sec % WINDOW` holds
// second `sec` when its stamp says so (a stale slot is cleared when its second comes round again).
// Recording a value is an index computation and an addition: no allocation per request. Values are
// float32 (exact for the per-second counts and half-unit capacity sums they hold); stamps float64.
import { BUCKETS, bucketOf, compact } from './histogram.js';
import { HotKeyWindow } from './hotkeys.js';

/** Seconds of per-second data kept in memory. */
export const WINDOW_SECONDS = 3600;

/** The consumption and throttling of one table or index. */
export class ResourceSeries {
  readonly stamp = new Float64Array(WINDOW_SECONDS).fill(-1);
  readonly consumedRead = new Float32Array(WINDOW_SECONDS);
  readonly consumedWrite = new Float32Array(WINDOW_SECONDS);
  readonly readThrottles = new Float32Array(WINDOW_SECONDS);
  readonly writeThrottles = new Float32Array(WINDOW_SECONDS);
  /** Partition keys accessed most (requests). */
  readonly hot = new HotKeyWindow();
  /** Partition keys throttled most (created at the first throttle). */
  throttledHot: HotKeyWindow | undefined;
  /** Provisioned throughput over time: a new entry whenever it changes (0/0: on demand). */
  readonly provisioned: { sec: number; read: number; write: number }[] = [];
  /** Second of the latest recorded activity (to drop series of deleted tables once idle). */
  lastActive = 0;

  constructor(
    readonly tableName: string,
    readonly indexName: string | undefined,
    /** A global secondary index (its consumption is not part of the table's). */
    readonly gsi: boolean,
  ) {}

  /** The slot of second `sec`, cleared when it last held an older second. */
  slot(sec: number): number {
    const i = sec % WINDOW_SECONDS;
    if (this.stamp[i] !== sec) {
      this.stamp[i] = sec;
      this.consumedRead[i] = 0;
      this.consumedWrite[i] = 0;
      this.readThrottles[i] = 0;
      this.writeThrottles[i] = 0;
      this.lastActive = sec;
    }
    return i;
  }

  /** The slot holding second `sec`, or -1 when it holds nothing for it. */
  at(sec: number): number {
    const i = sec % WINDOW_SECONDS;
    return this.stamp[i] === sec ? i : -1;
  }

  throttledKeys(): HotKeyWindow {
    return (this.throttledHot ??= new HotKeyWindow());
  }

  /** Records the provisioned throughput in effect from second `sec` (when it changed). */
  setProvisioned(sec: number, read: number, write: number): void {
    const last = this.provisioned[this.provisioned.length - 1];
    if (last && last.read === read && last.write === write) return;
    if (last && last.sec === sec) this.provisioned.pop();
    this.provisioned.push({ sec, read, write });
    // Keep the entry in effect at the start of the window and everything after it.
    while (this.provisioned.length > 2 && this.provisioned[1]!.sec <= sec - WINDOW_SECONDS)
      this.provisioned.shift();
  }

  /** The provisioned throughput in effect at second `sec` (undefined: unknown or on demand). */
  provisionedAt(sec: number): { read: number; write: number } | undefined {
    let found: { read: number; write: number } | undefined;
    for (const p of this.provisioned) {
      if (p.sec > sec) break;
      found = p;
    }
    return found && (found.read > 0 || found.write > 0) ? found : undefined;
  }
}

/** One operation on one table: requests, latency, returned items, throttled requests. */
export class OperationSeries {
  readonly stamp = new Float64Array(WINDOW_SECONDS).fill(-1);
  /** Successful requests. */
  readonly requests = new Float32Array(WINDOW_SECONDS);
  /** Sum and maximum of successful requests' latency, in milliseconds. */
  readonly latencySum = new Float32Array(WINDOW_SECONDS);
  readonly latencyMax = new Float32Array(WINDOW_SECONDS);
  /** Items returned (Query, Scan, ExecuteStatement). */
  readonly returned = new Float32Array(WINDOW_SECONDS);
  readonly throttled = new Float32Array(WINDOW_SECONDS);
  /** Latency histograms of past seconds, compacted. */
  readonly histograms: (Uint32Array | undefined)[] = new Array<Uint32Array | undefined>(WINDOW_SECONDS);
  /** The current second's histogram, dense until the second is over. */
  private readonly current = new Uint32Array(BUCKETS);
  private currentSec = -1;

  constructor(
    readonly tableName: string,
    readonly operation: string,
  ) {}

  slot(sec: number): number {
    const i = sec % WINDOW_SECONDS;
    if (this.stamp[i] !== sec) {
      this.stamp[i] = sec;
      this.requests[i] = 0;
      this.latencySum[i] = 0;
      this.latencyMax[i] = 0;
      this.returned[i] = 0;
      this.throttled[i] = 0;
      this.histograms[i] = undefined;
    }
    return i;
  }

  at(sec: number): number {
    const i = sec % WINDOW_SECONDS;
    return this.stamp[i] === sec ? i : -1;
  }

  /** Records one successful request of `micros` microseconds at second `sec`. */
  success(sec: number, micros: number): number {
    const i = this.slot(sec);
    const ms = micros / 1000;
    this.requests[i]! += 1;
    this.latencySum[i]! += ms;
    if (ms > this.latencyMax[i]!) this.latencyMax[i] = ms;
    if (sec !== this.currentSec) this.seal(sec);
    this.current[bucketOf(micros)]! += 1;
    return i;
  }

  /** Compacts the current second's histogram into its slot and starts second `next`. */
  private seal(next: number): void {
    const sec = this.currentSec;
    if (sec >= 0) {
      const i = sec % WINDOW_SECONDS;
      if (this.stamp[i] === sec) this.histograms[i] = compact(this.current);
      this.current.fill(0);
    }
    this.currentSec = next;
  }

  /** The latency histogram of second `sec`: dense (current second), compact, or undefined. */
  histogram(sec: number): { dense?: Uint32Array; pairs?: Uint32Array } | undefined {
    if (sec === this.currentSec) return { dense: this.current };
    const i = this.at(sec);
    if (i < 0) return undefined;
    const pairs = this.histograms[i];
    return pairs ? { pairs } : undefined;
  }
}

/** A count per second (errors of one type). */
export class CountSeries {
  readonly stamp = new Float64Array(WINDOW_SECONDS).fill(-1);
  readonly count = new Float32Array(WINDOW_SECONDS);

  add(sec: number, n: number): void {
    const i = sec % WINDOW_SECONDS;
    if (this.stamp[i] !== sec) {
      this.stamp[i] = sec;
      this.count[i] = 0;
    }
    this.count[i]! += n;
  }

  at(sec: number): number {
    const i = sec % WINDOW_SECONDS;
    return this.stamp[i] === sec ? i : -1;
  }
}

/** Everything recorded for one table (or, with name '', for requests that name no table). */
export class TableSeries extends ResourceSeries {
  readonly indexes = new Map<string, ResourceSeries>();
  readonly operations = new Map<string, OperationSeries>();
  /** Errors by DynamoDB error type. */
  readonly errors = new Map<string, CountSeries>();

  constructor(name: string) {
    super(name, undefined, false);
  }

  index(name: string, gsi: boolean): ResourceSeries {
    let s = this.indexes.get(name);
    if (s === undefined) {
      s = new ResourceSeries(this.tableName, name, gsi);
      this.indexes.set(name, s);
    }
    return s;
  }

  operation(op: string): OperationSeries {
    let s = this.operations.get(op);
    if (s === undefined) {
      s = new OperationSeries(this.tableName, op);
      this.operations.set(op, s);
    }
    return s;
  }

  error(type: string): CountSeries {
    let s = this.errors.get(type);
    if (s === undefined) {
      s = new CountSeries();
      this.errors.set(type, s);
    }
    return s;
  }
}
