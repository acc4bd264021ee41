// The engine's background work: every `intervalMs` it deletes expired items (one batch of at most
// 100 per turn of the event loop, so requests interleave with a long sweep), trims stream records
// older than 24 hours and compacts point-in-time logs. The timer is unref()'d: it never keeps a
// process alive. Engine.close() stops it.
import type { PitrService } from '../backups/pitr.js';
import type { Database } from '../storage/database.js';
import type { StreamService } from '../streams/service.js';
import { TTL_BATCH_SIZE } from './service.js';
import type { TtlService } from './service.js';

/** The sweep interval when the engine runs on the real clock and none is configured. */
export const DEFAULT_TTL_SWEEP_INTERVAL_MS = 5_000;

/** What the background work needs of the engine (EngineContext provides it), narrow. */
export interface BackgroundHost {
  readonly db: Database;
  readonly now: () => number;
  readonly ttl: Pick<TtlService, 'sweepBatch'>;
  readonly streams: Pick<StreamService, 'trimAll'>;
  readonly pitr: Pick<PitrService, 'compactAll'>;
  /** Undoes imports whose process died half-way (EngineContext.recoverImports). */
  recoverImports(): void;
}

export class Background {
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: BackgroundHost,
    private readonly intervalMs: number,
  ) {
    if (intervalMs > 0) {
      this.timer = setInterval(() => this.tick(), intervalMs);
      this.timer.unref();
    }
  }

  private tick(): void {
    if (this.stopped || this.immediate || !this.ctx.db.sqlite.open) return;
    try {
      // Timers never block the event loop waiting for another process's write lock: a busy file
      // makes this round give up, and the next one tries again.
      this.ctx.db.withoutWaiting(() => {
        this.ctx.streams.trimAll();
        this.ctx.pitr.compactAll();
        this.ctx.recoverImports();
      });
    } catch {
      // Housekeeping must never take the process down; the next tick tries again.
    }
    this.sweepStep();
  }

  /** One TTL batch; when it was full, the next runs on the next turn of the event loop. */
  private sweepStep(): void {
    this.immediate = undefined;
    if (this.stopped || !this.ctx.db.sqlite.open) return;
    let n = 0;
    try {
      n = this.ctx.db.withoutWaiting(() => this.ctx.ttl.sweepBatch(this.ctx.now()));
    } catch {
      return;
    }
    if (n >= TTL_BATCH_SIZE) {
      this.immediate = setImmediate(() => this.sweepStep());
      this.immediate.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}
