// CreateBackup: an on-demand backup of a table — a consistent copy of its items taken in one
// transaction — available at once (or after the transient-status delay, when that is configured).
import type { EngineContext } from '../context.js';
import { DynamoError } from '../errors.js';
import { tableNotFoundException } from '../backups/backups.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, checkName, checkTableName, ConstraintErrors, tableNameOf } from './common.js';

export function createBackup(
  ctx: EngineContext,
  input: Wire<Sdk.CreateBackupInput>,
): Wire<Sdk.CreateBackupOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkTableName(c, raw.TableName);
  checkName(c, raw.BackupName, 'backupName');
  c.throwIfAny();
  const name = tableNameOf(input.TableName!);
  const table = ctx.catalog.get(name);
  if (!table) throw tableNotFoundException(name);
  ctx.settle(table);
  if (table.status === 'CREATING') {
    throw new DynamoError(
      'ContinuousBackupsUnavailableException',
      `Backups are being enabled for the table: ${name}. Please retry later`,
    );
  }
  const backup = ctx.backups.create(table, input.BackupName!);
  return { BackupDetails: ctx.backups.details(backup) };
}
