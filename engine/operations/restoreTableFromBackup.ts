// RestoreTableFromBackup: a new table with the backup's items, key schema, indexes and settings
// (with the request's overrides); its indexes are rebuilt from the restored items. The copy runs in
// chunks: the table is CREATING until it ends (at once for a small backup).
import type { EngineContext } from '../context.js';
import { backupInUse, checkBackupArn } from '../backups/operations.js';
import { backupDataTable } from '../backups/backups.js';
import {
  checkOverrideConstraints,
  createRestoredTable,
  restoredDescription,
  tableAlreadyExists,
} from '../backups/restore.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, checkName, ConstraintErrors } from './common.js';

export function restoreTableFromBackup(
  ctx: EngineContext,
  input: Wire<Sdk.RestoreTableFromBackupInput>,
): Wire<Sdk.RestoreTableFromBackupOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkName(c, raw.TargetTableName, 'targetTableName');
  checkBackupArn(c, raw.BackupArn, 'backupArn', true);
  checkOverrideConstraints(c, raw);
  c.throwIfAny();

  const backup = ctx.backups.require(input.BackupArn!);
  if (ctx.backups.status(backup) === 'CREATING') throw backupInUse();
  const target = input.TargetTableName!;
  if (ctx.catalog.get(target)) throw tableAlreadyExists(target);
  const description = restoredDescription(ctx, backup.source.table, target, input, {
    SourceBackupArn: backup.arn,
    SourceTableArn: backup.tableArn,
    RestoreDateTime: backup.createdAt / 1000,
    RestoreInProgress: false,
  });
  const data = backupDataTable(backup.id);
  return { TableDescription: createRestoredTable(ctx, description, { table: data }) };
}
