// DescribeExport: an export's description, as ExportTableToPointInTime returned it.
import type { EngineContext } from '../context.js';
import { checkBackupArn, exportError } from '../backups/operations.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, ConstraintErrors } from './common.js';

export function describeExport(
  ctx: EngineContext,
  input: Wire<Sdk.DescribeExportInput>,
): Wire<Sdk.DescribeExportOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkBackupArn(c, raw.ExportArn, 'exportArn', true);
  c.throwIfAny();
  // An export of another region (or account) is not there for this request.
  const found = input.ExportArn!.startsWith(ctx.arnPrefix) ? ctx.exports.get(input.ExportArn!) : undefined;
  if (!found) throw exportError('ExportNotFoundException', `Export not found: ${input.ExportArn}`);
  return { ExportDescription: found.description };
}
