// Background work done in chunks, one chunk per timer turn (GSI backfills, control-plane jobs):
// each chunk is its own short write transaction that never waits for another process's lock
// while blocking the event loop. A busy file backs off (2 → 100 ms); an unexpected error is
// reported once and retried every second.
import { DatabaseBusyError, isBusyError } from './database.js';
import type { Database } from './database.js';

export class ChunkTimer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private errorReported = false;
  private busyDelay = 2;

  /**
   * `step` runs one chunk and says whether more remain; `pauseAfter` is the delay before the next
   * chunk, given how long this one took. `what` names the work in the error report.
   */
  constructor(
    private readonly db: Database,
    private readonly what: string,
    private readonly step: () => boolean,
    private readonly pauseAfter: (tookMs: number) => number = () => 0,
  ) {}

  /** True while a chunk is scheduled, or once stopped: nothing more to schedule. */
  get idle(): boolean {
    return !this.stopped && !this.timer;
  }

  schedule(delayMs = 0): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => this.tick(), delayMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.timer = undefined;
    if (this.stopped || !this.db.sqlite.open) return;
    let more: boolean;
    const started = performance.now();
    try {
      more = this.db.withoutWaiting(this.step);
      this.busyDelay = 2;
    } catch (e) {
      if (e instanceof DatabaseBusyError || isBusyError(e)) {
        this.busyDelay = Math.min(this.busyDelay * 2, 100);
        this.schedule(this.busyDelay);
        return;
      }
      if (!this.errorReported) {
        this.errorReported = true;
        console.error(`sortkey: error ${this.what} (retrying every second):`, e);
      }
      this.schedule(1_000);
      return;
    }
    if (more) this.schedule(this.pauseAfter(performance.now() - started));
  }
}

/**
 * The rows of the next chunk of work that aims at `targetMs` a chunk: a chunk that took longer
 * halves them (down to `min`), one that took under half the target grows them by half (up to
 * `max`), anything between keeps them.
 */
export function adaptChunkRows(
  rows: number,
  tookMs: number,
  targetMs: number,
  min: number,
  max: number,
): number {
  if (tookMs > targetMs) return Math.max(min, Math.floor(rows / 2));
  if (tookMs < targetMs / 2) return Math.min(max, Math.ceil(rows * 1.5));
  return rows;
}
