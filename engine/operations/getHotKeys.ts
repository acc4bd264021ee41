// Sortkey_20250101.GetHotKeys: the partition keys of a table (or index) accessed and throttled most
// over a recent window, as CloudWatch Contributor Insights shows them.
//   in:  { TableName, IndexName?, WindowSeconds? = 300 (10..3600), EndTime? (epoch s), Limit? = 10 (1..100) }
//   out: { TableName, IndexName?, StartTime, EndTime, MostAccessed: HotKey[], MostThrottled: HotKey[] }
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import type { HotKey } from '../metrics/hotkeys.js';
import { HOT_KEY_SLOT_SECONDS } from '../metrics/hotkeys.js';
import { WINDOW_SECONDS } from '../metrics/series.js';
import { asRecord } from './common.js';

export interface GetHotKeysOutput {
  readonly TableName: string;
  readonly IndexName?: string;
  /** The window, epoch seconds (whole 10-second slots). */
  readonly StartTime: number;
  readonly EndTime: number;
  /** Keys by requests (reads and writes), most first. */
  readonly MostAccessed: HotKey[];
  /** Keys by throttled requests, most first. */
  readonly MostThrottled: HotKey[];
}

export function getHotKeys(ctx: EngineContext, input: unknown): GetHotKeysOutput {
  const raw = asRecord(input);
  if (typeof raw.TableName !== 'string' || raw.TableName === '') throw validation('TableName is required');
  if (raw.IndexName !== undefined && typeof raw.IndexName !== 'string')
    throw validation('IndexName must be a string');
  const window = raw.WindowSeconds ?? 300;
  if (typeof window !== 'number' || !(window >= HOT_KEY_SLOT_SECONDS && window <= WINDOW_SECONDS)) {
    throw validation(`WindowSeconds must be a number from ${HOT_KEY_SLOT_SECONDS} to ${WINDOW_SECONDS}`);
  }
  const limit = raw.Limit ?? 10;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw validation('Limit must be a whole number from 1 to 100');
  }
  const nowSec = Math.floor(ctx.now() / 1000);
  const endTime = raw.EndTime === undefined ? nowSec : raw.EndTime;
  if (typeof endTime !== 'number' || !Number.isFinite(endTime))
    throw validation('EndTime must be a time in epoch seconds');
  const tableName = raw.TableName;
  const indexName = raw.IndexName as string | undefined;
  const table = ctx.catalog.get(tableName);
  const series = ctx.usage.tables.get(tableName);
  if (!table && !series) {
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${tableName} not found`,
    );
  }
  if (indexName !== undefined && table && !table.indexes.has(indexName)) {
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: Index: ${indexName} not found`,
    );
  }
  const last = Math.floor(endTime);
  const first = last - window + 1;
  const resource = indexName !== undefined ? series?.indexes.get(indexName) : series;
  const slot = HOT_KEY_SLOT_SECONDS;
  return {
    TableName: tableName,
    ...(indexName !== undefined ? { IndexName: indexName } : {}),
    StartTime: Math.floor(first / slot) * slot,
    EndTime: (Math.floor(last / slot) + 1) * slot,
    MostAccessed: resource ? resource.hot.top(first, last, limit) : [],
    MostThrottled: resource?.throttledHot ? resource.throttledHot.top(first, last, limit) : [],
  };
}
