// DeleteBackup: drops a backup and its copy of the items; describes it one last time as DELETED.
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { backupInUse, checkBackupArn } from '../backups/operations.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, ConstraintErrors } from './common.js';

export function deleteBackup(
  ctx: EngineContext,
  input: Wire<Sdk.DeleteBackupInput>,
): Wire<Sdk.DeleteBackupOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkBackupArn(c, raw.BackupArn, 'backupArn', true);
  c.throwIfAny();
  const backup = ctx.backups.require(input.BackupArn!);
  if (backup.type === 'SYSTEM') throw validation('You are not allowed to delete the system backup');
  if (ctx.backups.status(backup) === 'CREATING' || ctx.backups.restoring(backup)) throw backupInUse();
  const description = ctx.backups.describe(backup, 'DELETED');
  ctx.backups.delete(backup);
  return { BackupDescription: description };
}
