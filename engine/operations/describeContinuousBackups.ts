// DescribeContinuousBackups: on-demand backups are always available (ContinuousBackupsStatus
// ENABLED); point-in-time recovery's status, period and restorable window.
import type { EngineContext } from '../context.js';
import { tableNotFoundException } from '../backups/backups.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, checkTableName, ConstraintErrors, tableNameOf } from './common.js';

export function describeContinuousBackups(
  ctx: EngineContext,
  input: Wire<Sdk.DescribeContinuousBackupsInput>,
): Wire<Sdk.DescribeContinuousBackupsOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkTableName(c, raw.TableName);
  c.throwIfAny();
  const name = tableNameOf(input.TableName!);
  const table = ctx.catalog.get(name);
  if (!table) throw tableNotFoundException(name);
  return { ContinuousBackupsDescription: ctx.pitr.describe(table) };
}
