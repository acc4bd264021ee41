// ListExports: exports in the order they were made, optionally of one table, paged by NextToken.
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, checkRange, checkTableName, ConstraintErrors } from './common.js';

export function listExports(
  ctx: EngineContext,
  input: Wire<Sdk.ListExportsInput>,
): Wire<Sdk.ListExportsOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  if (raw.TableArn !== undefined && raw.TableArn !== null) checkTableName(c, raw.TableArn, 'tableArn');
  checkRange(c, raw.MaxResults, 'maxResults', 1, 25);
  c.throwIfAny();

  let exports = ctx.exports.list(input.TableArn).filter((e) => e.ExportArn?.startsWith(ctx.arnPrefix));
  if (input.NextToken !== undefined) {
    const after = Buffer.from(String(input.NextToken), 'base64url').toString('utf8');
    const at = exports.findIndex((e) => e.ExportArn === after);
    if (at < 0) throw validation('Invalid NextToken');
    exports = exports.slice(at + 1);
  }
  const limit = input.MaxResults ?? 25;
  const page = exports.slice(0, limit);
  const out: Wire<Sdk.ListExportsOutput> = {
    ExportSummaries: page.map((e) => ({
      ExportArn: e.ExportArn,
      ExportStatus: e.ExportStatus,
      ExportType: e.ExportType,
    })),
  };
  if (exports.length > limit)
    out.NextToken = Buffer.from(page[page.length - 1]!.ExportArn!, 'utf8').toString('base64url');
  return out;
}
