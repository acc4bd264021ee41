// UpdateContinuousBackups: turns point-in-time recovery on (taking the base snapshot the change log
// builds on) or off (dropping both), or changes its recovery period (1–35 days, default 35).
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import { tableNotFoundException } from '../backups/backups.js';
import { DEFAULT_RECOVERY_PERIOD_DAYS } from '../backups/pitr.js';
import type { Sdk, Wire } from '../types.js';
import {
  asRecord,
  checkRange,
  checkRequired,
  checkTableName,
  ConstraintErrors,
  tableNameOf,
} from './common.js';

export function updateContinuousBackups(
  ctx: EngineContext,
  input: Wire<Sdk.UpdateContinuousBackupsInput>,
): Wire<Sdk.UpdateContinuousBackupsOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkTableName(c, raw.TableName);
  checkRequired(c, raw.PointInTimeRecoverySpecification, 'pointInTimeRecoverySpecification');
  if (raw.PointInTimeRecoverySpecification !== undefined && raw.PointInTimeRecoverySpecification !== null) {
    const spec = asRecord(raw.PointInTimeRecoverySpecification);
    checkRequired(
      c,
      spec.PointInTimeRecoveryEnabled,
      'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled',
    );
    checkRange(c, spec.RecoveryPeriodInDays, 'pointInTimeRecoverySpecification.recoveryPeriodInDays', 1, 35);
  }
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
  const spec = input.PointInTimeRecoverySpecification!;
  const days = spec.RecoveryPeriodInDays;
  const current = ctx.pitr.config(table);
  if (spec.PointInTimeRecoveryEnabled) {
    if (!current) ctx.pitr.enable(table, days ?? DEFAULT_RECOVERY_PERIOD_DAYS);
    else if (days !== undefined && days !== current.recoveryDays) ctx.pitr.setRecoveryDays(current, days);
  } else {
    if (days !== undefined) {
      throw validation('RecoveryPeriodInDays can only be specified when PointInTimeRecoveryEnabled is true');
    }
    if (current) ctx.pitr.disable(current);
  }
  return { ContinuousBackupsDescription: ctx.pitr.describe(table) };
}
