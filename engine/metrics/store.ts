// Minute aggregates on disk (sk_metrics), kept for a day: what outlives the in-memory hour and the
// process. A row is one metric of one table/index (and operation or error type) for one minute.
import type { Statement } from 'better-sqlite3';
import type { Database } from '../storage/database.js';
import { addCompact, BUCKETS, compact, fromBlob, toBlob } from './histogram.js';

/** Minutes of aggregates kept on disk: a day, and an hour of slack. */
export const DISK_RETENTION_MINUTES = 25 * 60;

export interface MinuteRow {
  readonly minute: number;
  /** '' for requests that name no table. */
  readonly table: string;
  /** '' for the table itself. */
  readonly index: string;
  /** The operation (per-operation metrics) or error type (Errors); '' otherwise. */
  readonly dimension: string;
  readonly metric: string;
  readonly sum: number;
  /** Samples (requests for latency; seconds with data for capacity). */
  readonly count: number;
  readonly max: number;
  readonly min: number;
  /** Latency histogram (compact pairs), for percentiles over longer periods. */
  readonly hist?: Uint32Array | undefined;
}

interface RawRow {
  minute: number;
  table_name: string;
  index_name: string;
  dimension: string;
  metric: string;
  sum: number;
  count: number;
  max: number;
  min: number;
  hist: Buffer | null;
}

export class MetricsStore {
  private stmts?: { get: Statement; put: Statement; prune: Statement };

  constructor(private readonly db: Database) {}

  private statements() {
    this.stmts ??= {
      get: this.db.sqlite.prepare(
        'SELECT sum, count, max, min, hist FROM sk_metrics WHERE table_name = ? AND index_name = ? AND dimension = ? AND metric = ? AND minute = ?',
      ),
      put: this.db.sqlite.prepare(
        'INSERT OR REPLACE INTO sk_metrics (table_name, index_name, dimension, metric, minute, sum, count, max, min, hist) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      prune: this.db.sqlite.prepare('DELETE FROM sk_metrics WHERE minute < ?'),
    };
    return this.stmts;
  }

  /** Adds rows to what is stored for their minutes (a minute may be written by two processes). */
  write(rows: readonly MinuteRow[]): void {
    if (rows.length === 0 || !this.db.sqlite.open) return;
    const { get, put } = this.statements();
    this.db.transaction(() => {
      for (const r of rows) {
        const old = get.get(r.table, r.index, r.dimension, r.metric, r.minute) as RawRow | undefined;
        let { sum, count, max, min } = r;
        let hist = r.hist;
        if (old) {
          if (
            r.metric.startsWith('Provisioned') ||
            r.metric === 'ItemCount' ||
            r.metric === 'TableSizeBytes'
          ) {
            // Gauges: the latest sample wins the sum; extremes widen.
          } else {
            sum += old.sum;
            count += old.count;
          }
          max = Math.max(max, old.max);
          min = Math.min(min, old.min);
          const previous = fromBlob(old.hist);
          if (previous) {
            const dense = new Float64Array(BUCKETS);
            addCompact(dense, previous);
            if (hist) addCompact(dense, hist);
            hist = compact(Uint32Array.from(dense));
          }
        }
        put.run(r.table, r.index, r.dimension, r.metric, r.minute, sum, count, max, min, toBlob(hist));
      }
    });
  }

  /** Rows for minutes [from, to] of the given metrics, of one table (or of all tables when undefined). */
  read(
    table: string | undefined,
    index: string,
    metrics: readonly string[],
    from: number,
    to: number,
  ): MinuteRow[] {
    if (!this.db.sqlite.open || metrics.length === 0) return [];
    const marks = metrics.map(() => '?').join(', ');
    const sql =
      `SELECT minute, table_name, index_name, dimension, metric, sum, count, max, min, hist FROM sk_metrics ` +
      `WHERE minute >= ? AND minute <= ? AND metric IN (${marks})` +
      (table === undefined ? '' : ' AND table_name = ? AND index_name = ?');
    const args: unknown[] = [from, to, ...metrics];
    if (table !== undefined) args.push(table, index);
    const rows = this.db.sqlite.prepare(sql).all(...args) as RawRow[];
    return rows.map((r) => ({
      minute: r.minute,
      table: r.table_name,
      index: r.index_name,
      dimension: r.dimension,
      metric: r.metric,
      sum: r.sum,
      count: r.count,
      max: r.max,
      min: r.min,
      hist: fromBlob(r.hist),
    }));
  }

  /** The latest minute stored, or undefined. */
  latestMinute(): number | undefined {
    if (!this.db.sqlite.open) return undefined;
    const row = this.db.sqlite.prepare('SELECT max(minute) AS m FROM sk_metrics').get() as {
      m: number | null;
    };
    return row.m ?? undefined;
  }

  /** Deletes minutes older than `minute`. */
  prune(minute: number): void {
    if (this.db.sqlite.open) this.statements().prune.run(minute);
  }
}
