// Time to Live. Each table's TTL setting lives in sk_ttl; while it is enabled, every write keeps
// sk_ttl_expiry (one row per item whose TTL attribute is a Number: its expiry time and primary key)
// current inside the write's transaction, so the sweeper finds due items through an index instead of
// scanning tables. The sweeper really deletes them — in batches of at most 100 per transaction —
// through the ordinary write path (origin 'ttl'), so indexes, counters, stream records (with
// DynamoDB's service identity) and the point-in-time log all follow. Enabling TTL indexes the
// existing items in chunks (engine/backups/jobs.ts, a `ttl` job): TimeToLiveStatus is ENABLING
// until the last chunk, and requests run between chunks.
import type { Statement } from 'better-sqlite3';
import type { Catalog } from '../tables/catalog.js';
import type { EncodedKey } from '../tables/schema.js';
import type { Table } from '../tables/table.js';
import { writeItem } from '../tables/write.js';
import type { WriteContext, WriteEffect } from '../tables/write.js';
import type { Item } from '../types.js';
import { tableUuid } from '../streams/service.js';
import { discardRows } from '../storage/trash.js';
import { jobKey } from '../backups/jobs.js';
import type { ControlPlaneJobs } from '../backups/jobs.js';
import { expiryOf } from './expiry.js';

/** DynamoDB allows one TTL change per table per hour. */
export const DEFAULT_TTL_CHANGE_COOLDOWN_MS = 60 * 60 * 1000;
/** Items are deleted in transactions of at most this many, so a sweep never blocks requests long. */
export const TTL_BATCH_SIZE = 100;
/** DynamoDB never expires an item whose TTL timestamp is more than five years in the past. */
export const FIVE_YEARS_SECONDS = 5 * 365 * 24 * 60 * 60;

export interface TtlConfig {
  readonly id: number;
  readonly tableUuid: string;
  tableName: string;
  attribute: string | null;
  enabled: boolean;
  changedAt: number | null;
}

/** The sk_meta key of the job indexing a TTL setting's existing items. */
export function ttlJobKey(id: number): string {
  return jobKey('ttl', id);
}

/** What the TTL service needs of the engine (EngineContext provides it), narrow; it writes through writeItem. */
export interface TtlHost extends WriteContext {
  readonly catalog: Pick<Catalog, 'byTableId' | 'addToStatistics'>;
  readonly now: () => number;
  prepare(sql: string): Statement;
  /** How long after its expiry time an item becomes eligible for deletion. */
  readonly ttlDelayMs: number;
  readonly jobs: Pick<ControlPlaneJobs, 'begin' | 'has' | 'runNow'>;
}

export class TtlService {
  private readonly configs = new Map<string, TtlConfig>();

  constructor(private readonly ctx: TtlHost) {
    const rows = ctx.db.sqlite
      .prepare('SELECT id, table_uuid, table_name, attribute, enabled, changed_at FROM sk_ttl')
      .all() as {
      id: number;
      table_uuid: string;
      table_name: string;
      attribute: string | null;
      enabled: number;
      changed_at: number | null;
    }[];
    for (const r of rows) {
      this.configs.set(r.table_uuid, {
        id: r.id,
        tableUuid: r.table_uuid,
        tableName: r.table_name,
        attribute: r.attribute,
        enabled: r.enabled === 1,
        changedAt: r.changed_at,
      });
    }
  }

  config(table: Table): TtlConfig | undefined {
    return this.configs.get(tableUuid(table));
  }

  /** DescribeTimeToLive's TimeToLiveDescription (ENABLING while existing items are being indexed). */
  describe(table: Table): { TimeToLiveStatus: 'ENABLING' | 'ENABLED' | 'DISABLED'; AttributeName?: string } {
    const cfg = this.config(table);
    if (!cfg?.enabled) return { TimeToLiveStatus: 'DISABLED' };
    const status = this.ctx.jobs.has(ttlJobKey(cfg.id)) ? 'ENABLING' : 'ENABLED';
    return { TimeToLiveStatus: status, AttributeName: cfg.attribute! };
  }

  /** Whether onWrite may need a write's old item on this table (TTL is on: its old expiry). */
  readonly readsOldItem = (table: Table): boolean =>
    this.configs.size > 0 && this.configs.get(tableUuid(table))?.enabled === true;

  /** The write listener: keeps the table's expiry index current. */
  readonly onWrite = (effect: WriteEffect): void => {
    if (this.configs.size === 0) return;
    const cfg = this.configs.get(tableUuid(effect.table));
    if (!cfg?.enabled) return;
    const attr = cfg.attribute!;
    const before = expiryOf(effect.oldItem, attr);
    const after = expiryOf(effect.newItem, attr);
    if (before === after) return;
    const k = effect.key;
    if (after !== undefined) {
      this.ctx
        .prepare(
          'INSERT OR REPLACE INTO sk_ttl_expiry (ttl_id, expires_at, h, pk, sk) VALUES (?, ?, ?, ?, ?)',
        )
        .run(cfg.id, after, k.hash, k.pk, k.sk);
    } else {
      this.ctx
        .prepare('DELETE FROM sk_ttl_expiry WHERE ttl_id = ? AND h = ? AND pk = ? AND sk = ?')
        .run(cfg.id, k.hash, k.pk, k.sk);
    }
  };

  /**
   * Enables or disables TTL (the caller has applied DynamoDB's rules). Enabling indexes the existing
   * items: a small table's before this returns, a larger one's in chunks afterwards.
   */
  set(table: Table, enabled: boolean, attribute: string): void {
    const now = this.ctx.now();
    const uuid = tableUuid(table);
    const id = this.ctx.db.transaction(() => {
      const db = this.ctx.db.sqlite;
      db.prepare(
        `INSERT INTO sk_ttl (table_uuid, table_name, attribute, enabled, changed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (table_uuid) DO UPDATE SET table_name = excluded.table_name, attribute = excluded.attribute,
           enabled = excluded.enabled, changed_at = excluded.changed_at`,
      ).run(uuid, table.name, enabled ? attribute : null, enabled ? 1 : 0, now);
      const id = (db.prepare('SELECT id FROM sk_ttl WHERE table_uuid = ?').get(uuid) as { id: number }).id;
      db.prepare('DELETE FROM sk_ttl_expiry WHERE ttl_id = ?').run(id);
      db.prepare('DELETE FROM sk_meta WHERE key = ?').run(ttlJobKey(id));
      if (enabled) {
        this.ctx.jobs.begin(ttlJobKey(id), {
          kind: 'ttl',
          ttlId: id,
          tableId: table.id,
          attribute,
          after: null,
        });
      }
      this.configs.set(uuid, {
        id,
        tableUuid: uuid,
        tableName: table.name,
        attribute: enabled ? attribute : null,
        enabled,
        changedAt: now,
      });
      return id;
    });
    if (enabled) this.ctx.jobs.runNow(ttlJobKey(id));
  }

  /** Forgets the TTL settings of tables that no longer exist. */
  cleanup(): void {
    const gone = [...this.configs.values()].filter((cfg) => {
      const t = this.ctx.catalog.byTableId(cfg.tableUuid);
      return !t || tableUuid(t) !== cfg.tableUuid;
    });
    if (gone.length === 0) return;
    this.ctx.db.transaction(() => {
      for (const cfg of gone) {
        // The setting's id is never used again: its rows are purged in chunks afterwards.
        discardRows(this.ctx.db, 'sk_ttl_expiry', 'ttl_id', cfg.id);
        this.ctx.db.sqlite.prepare('DELETE FROM sk_ttl WHERE id = ?').run(cfg.id);
        this.ctx.db.sqlite.prepare('DELETE FROM sk_meta WHERE key = ?').run(ttlJobKey(cfg.id));
        this.configs.delete(cfg.tableUuid);
      }
    });
  }

  /**
   * Deletes up to `limit` expired items in one transaction: items whose TTL attribute is a Number
   * of epoch seconds at or before `now − ttlDelayMs` (and not more than five years old). Returns how
   * many were deleted.
   */
  sweepBatch(now: number, limit = TTL_BATCH_SIZE): number {
    const cutoff = (now - this.ctx.ttlDelayMs) / 1000;
    let deleted = 0;
    for (const cfg of this.configs.values()) {
      if (!cfg.enabled || deleted >= limit) continue;
      const table = this.ctx.catalog.byTableId(cfg.tableUuid);
      if (!table || tableUuid(table) !== cfg.tableUuid || table.status === 'CREATING') continue;
      const due = this.ctx
        .prepare(
          `SELECT expires_at, h, pk, sk FROM sk_ttl_expiry WHERE ttl_id = ? AND expires_at <= ? AND expires_at >= ?
           ORDER BY expires_at LIMIT ?`,
        )
        .all(cfg.id, cutoff, cutoff - FIVE_YEARS_SECONDS, limit - deleted) as {
        expires_at: number;
        h: number;
        pk: Buffer;
        sk: Buffer;
      }[];
      if (due.length === 0) continue;
      this.ctx.db.transaction(() => {
        for (const d of due) {
          const key: EncodedKey = { hash: d.h, pk: d.pk, sk: d.sk };
          const row = table.getRow(this.ctx.db, key);
          const item = row ? (JSON.parse(row.json) as Item) : undefined;
          const at = expiryOf(item, cfg.attribute!);
          if (!row || at === undefined || at > cutoff || at < cutoff - FIVE_YEARS_SECONDS) {
            // The index was stale (cannot normally happen): repair it and move on.
            if (at === undefined) {
              this.ctx
                .prepare('DELETE FROM sk_ttl_expiry WHERE ttl_id = ? AND h = ? AND pk = ? AND sk = ?')
                .run(cfg.id, d.h, d.pk, d.sk);
            } else if (at !== d.expires_at) {
              this.ctx
                .prepare(
                  'INSERT OR REPLACE INTO sk_ttl_expiry (ttl_id, expires_at, h, pk, sk) VALUES (?, ?, ?, ?, ?)',
                )
                .run(cfg.id, at, d.h, d.pk, d.sk);
            }
            continue;
          }
          writeItem(this.ctx, table, key, item, row.size, undefined, 0, 'ttl');
          deleted++;
        }
      });
    }
    return deleted;
  }

  /** Deletes every item that is due now, batch after batch. */
  sweep(now = this.ctx.now()): number {
    let total = 0;
    for (;;) {
      const n = this.sweepBatch(now);
      total += n;
      if (n < TTL_BATCH_SIZE) return total;
    }
  }

  get hasEnabledTables(): boolean {
    for (const cfg of this.configs.values()) if (cfg.enabled) return true;
    return false;
  }
}
