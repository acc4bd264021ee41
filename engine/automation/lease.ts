// Which process runs the scaler and the alarm evaluator. Several processes may share one database
// file (two servers, a server and the studio); each would otherwise evaluate every policy and alarm
// itself, so a scale-out would be applied twice and alarm history would hold every change twice.
// One of them holds a lease: a row of sk_meta (`lease:automation`: owner, expiry), taken and renewed
// in short write transactions. The others find it held and skip their turn; when the holder closes
// it deletes the row, and when it stops renewing (killed, hung) the row expires and the next one
// to look takes it over.
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Database } from '../storage/database.js';

/** The sk_meta key of the automation lease. */
export const AUTOMATION_LEASE_KEY = 'lease:automation';
/**
 * How long a lease lasts without renewal: how long automation stops when its holder is killed.
 * A few of the server's 250 ms turns, so that a busy event loop does not lose it.
 */
export const AUTOMATION_LEASE_MS = 3_000;

/** What the row holds (JSON). */
export interface LeaseValue {
  /** Unique per Lease object (the process id is for people reading the file). */
  readonly owner: string;
  readonly pid: number;
  /** Epoch milliseconds (the engine's clock). */
  readonly expires: number;
}

export class Lease {
  readonly owner = `${process.pid}:${randomUUID()}`;
  /** The expiry this process last wrote, while it believes it holds the lease. */
  private heldUntil = -Infinity;
  private statements?: { read: Statement; write: Statement; release: Statement };

  constructor(
    private readonly db: Database,
    private readonly key: string = AUTOMATION_LEASE_KEY,
    readonly durationMs: number = AUTOMATION_LEASE_MS,
  ) {}

  private stmts() {
    const sqlite = this.db.sqlite;
    this.statements ??= {
      read: sqlite.prepare('SELECT value FROM sk_meta WHERE key = ?').pluck(),
      write: sqlite.prepare('INSERT OR REPLACE INTO sk_meta (key, value) VALUES (?, ?)'),
      release: sqlite.prepare(`DELETE FROM sk_meta WHERE key = ? AND json_extract(value, '$.owner') = ?`),
    };
    return this.statements;
  }

  /** The lease as stored (undefined: nobody holds it). */
  current(): LeaseValue | undefined {
    const raw = this.stmts().read.get(this.key) as string | undefined;
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as LeaseValue;
    } catch {
      return undefined;
    }
  }

  /** Whether a value leaves the lease to this process at `now`. */
  private free(v: LeaseValue | undefined, now: number): boolean {
    return v === undefined || v.owner === this.owner || !(v.expires > now);
  }

  /**
   * Whether this process holds the lease at `now`: renews it when less than two thirds of it is
   * left, takes it when it is free or expired. May throw DatabaseBusyError (another process is
   * writing): the caller tries again at its next turn.
   */
  hold(now: number): boolean {
    // Nobody takes a lease before it expires: while most of it is left, no need to look.
    if (this.heldUntil - now > (this.durationMs * 2) / 3) return true;
    const { read, write } = this.stmts();
    // A plain read first: a process that does not hold the lease writes nothing to find that out.
    if (!this.free(this.current(), now)) {
      this.heldUntil = -Infinity;
      return false;
    }
    return this.db.transaction(() => {
      const raw = read.get(this.key) as string | undefined;
      let v: LeaseValue | undefined;
      try {
        v = raw === undefined ? undefined : (JSON.parse(raw) as LeaseValue);
      } catch {
        v = undefined;
      }
      if (!this.free(v, now)) {
        this.heldUntil = -Infinity;
        return false;
      }
      const expires = now + this.durationMs;
      write.run(
        this.key,
        JSON.stringify({ owner: this.owner, pid: process.pid, expires } satisfies LeaseValue),
      );
      this.heldUntil = expires;
      return true;
    });
  }

  /** Gives the lease up (at close), so that another process takes over at its next turn. */
  release(): void {
    if (this.heldUntil === -Infinity || !this.db.sqlite.open) return;
    this.heldUntil = -Infinity;
    try {
      this.db.withoutWaiting(() => this.db.transaction(() => this.stmts().release.run(this.key, this.owner)));
    } catch {
      // A busy file: the lease simply expires.
    }
  }
}
