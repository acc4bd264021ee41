// ListBackups: backups in creation order, filtered by table, creation time (lower bound inclusive,
// upper bound exclusive) and type (USER unless asked otherwise), paged by ExclusiveStartBackupArn.
import type { EngineContext } from '../context.js';
import type { Sdk, Wire } from '../types.js';
import { checkBackupArn } from '../backups/operations.js';
import { asRecord, checkEnum, checkRange, checkTableName, ConstraintErrors, tableNameOf } from './common.js';

export function listBackups(
  ctx: EngineContext,
  input: Wire<Sdk.ListBackupsInput>,
): Wire<Sdk.ListBackupsOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  if (raw.TableName !== undefined && raw.TableName !== null) checkTableName(c, raw.TableName);
  checkRange(c, raw.Limit, 'limit', 1, 100);
  checkBackupArn(c, raw.ExclusiveStartBackupArn, 'exclusiveStartBackupArn', false);
  checkEnum(c, raw.BackupType, 'backupType', ['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL']);
  c.throwIfAny();

  const tableName = typeof input.TableName === 'string' ? tableNameOf(input.TableName) : undefined;
  const type = input.BackupType ?? 'USER';
  const lower = typeof input.TimeRangeLowerBound === 'number' ? input.TimeRangeLowerBound * 1000 : undefined;
  const upper = typeof input.TimeRangeUpperBound === 'number' ? input.TimeRangeUpperBound * 1000 : undefined;
  let backups = ctx.backups
    .list()
    .filter(
      (b) =>
        b.arn.startsWith(ctx.arnPrefix) &&
        (tableName === undefined || b.tableName === tableName) &&
        (type === 'ALL' ? b.type !== 'AWS_BACKUP' : b.type === type) &&
        (lower === undefined || b.createdAt >= lower) &&
        (upper === undefined || b.createdAt < upper),
    );
  const start = input.ExclusiveStartBackupArn;
  if (typeof start === 'string') {
    const at = backups.findIndex((b) => b.arn === start);
    if (at >= 0) backups = backups.slice(at + 1);
  }
  const limit = input.Limit ?? 100;
  const page = backups.slice(0, limit);
  const out: Wire<Sdk.ListBackupsOutput> = { BackupSummaries: page.map((b) => ctx.backups.summary(b)) };
  if (backups.length > limit) out.LastEvaluatedBackupArn = page[page.length - 1]!.arn;
  return out;
}
