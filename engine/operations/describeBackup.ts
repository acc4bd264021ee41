// DescribeBackup: the backup's details, and the source table's settings as they were when it was taken.
import type { EngineContext } from '../context.js';
import type { Sdk, Wire } from '../types.js';
import { checkBackupArn } from '../backups/operations.js';
import { asRecord, ConstraintErrors } from './common.js';

export function describeBackup(
  ctx: EngineContext,
  input: Wire<Sdk.DescribeBackupInput>,
): Wire<Sdk.DescribeBackupOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkBackupArn(c, raw.BackupArn, 'backupArn', true);
  c.throwIfAny();
  const backup = ctx.backups.require(input.BackupArn!);
  return { BackupDescription: ctx.backups.describe(backup) };
}
