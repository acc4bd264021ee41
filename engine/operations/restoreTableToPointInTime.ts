// RestoreTableToPointInTime: a new table holding the source table's items as they were at a moment
// of its recovery window (to the millisecond): the base snapshot plus the change log up to then.
// Indexes are rebuilt from the restored items. The copy runs in chunks: the table is CREATING until
// it ends (at once for a small table).
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import { tableNotFoundException } from '../backups/backups.js';
import { baseTableName, pitrUnavailable } from '../backups/pitr.js';
import {
  checkOverrideConstraints,
  createRestoredTable,
  restoredDescription,
  tableAlreadyExists,
} from '../backups/restore.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, checkName, checkTableName, ConstraintErrors, tableNameOf } from './common.js';

export function restoreTableToPointInTime(
  ctx: EngineContext,
  input: Wire<Sdk.RestoreTableToPointInTimeInput>,
): Wire<Sdk.RestoreTableToPointInTimeOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  if (raw.SourceTableArn !== undefined && raw.SourceTableArn !== null)
    checkTableName(c, raw.SourceTableArn, 'sourceTableArn');
  if (raw.SourceTableName !== undefined && raw.SourceTableName !== null)
    checkName(c, raw.SourceTableName, 'sourceTableName');
  checkName(c, raw.TargetTableName, 'targetTableName');
  checkOverrideConstraints(c, raw);
  c.throwIfAny();

  const sourceRef = input.SourceTableArn ?? input.SourceTableName;
  if (sourceRef === undefined) throw validation('Either SourceTableArn or SourceTableName must be specified');
  if (input.SourceTableArn !== undefined && input.SourceTableName !== undefined) {
    throw validation('Only one of SourceTableArn or SourceTableName can be specified');
  }
  const useLatest = input.UseLatestRestorableTime === true;
  if (useLatest && input.RestoreDateTime !== undefined) {
    throw validation('Only one of RestoreDateTime or UseLatestRestorableTime can be specified');
  }
  if (!useLatest && input.RestoreDateTime === undefined) {
    throw validation('Either RestoreDateTime or UseLatestRestorableTime must be specified');
  }

  const sourceName = tableNameOf(sourceRef);
  const source = ctx.catalog.get(sourceName);
  if (!source) throw tableNotFoundException(sourceName);
  const cfg = ctx.pitr.config(source);
  // While the base snapshot is still being copied (ENABLING) there is nothing to restore yet.
  if (!cfg || ctx.pitr.enabling(cfg)) throw pitrUnavailable(sourceName);
  const target = input.TargetTableName!;
  if (ctx.catalog.get(target)) throw tableAlreadyExists(target);

  const window = ctx.pitr.window(cfg);
  const at = useLatest ? window.latest : Math.round(Number(input.RestoreDateTime) * 1000);
  if (!Number.isFinite(at) || at < window.earliest || at > window.latest) {
    throw new DynamoError(
      'InvalidRestoreTimeException',
      'RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime.',
    );
  }
  const description = restoredDescription(ctx, source.description, target, input, {
    SourceTableArn: source.arn,
    RestoreDateTime: at / 1000,
    RestoreInProgress: false,
  });
  return {
    TableDescription: createRestoredTable(ctx, description, {
      table: baseTableName(cfg.id),
      pitr: { id: cfg.id, atMs: at },
    }),
  };
}
