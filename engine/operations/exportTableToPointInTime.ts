// ExportTableToPointInTime: writes the table as it was at ExportTime (default: now) — or, for an
// incremental export, the items changed in a period — to a local folder in DynamoDB's export layout
// (see engine/backups/export.ts for how S3Bucket and S3Prefix map to folders). Synchronous: the
// answer is already COMPLETED. Needs point-in-time recovery, as in DynamoDB.
import { createHash } from 'node:crypto';
import type { EngineContext } from '../context.js';
import { DynamoError, validation } from '../errors.js';
import { tableNotFoundException } from '../backups/backups.js';
import { exportError } from '../backups/operations.js';
import { pitrUnavailable } from '../backups/pitr.js';
import type { Sdk, Wire } from '../types.js';
import {
  asRecord,
  checkEnum,
  checkLength,
  checkRequired,
  checkTableName,
  ConstraintErrors,
  tableNameOf,
} from './common.js';

const BUCKET_PATTERN = /^[a-z0-9A-Z]+[.\-\w]*[a-z0-9A-Z]+$/;

export function exportTableToPointInTime(
  ctx: EngineContext,
  input: Wire<Sdk.ExportTableToPointInTimeInput>,
): Wire<Sdk.ExportTableToPointInTimeOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequired(c, raw.TableArn, 'tableArn');
  if (raw.TableArn !== undefined && raw.TableArn !== null) checkTableName(c, raw.TableArn, 'tableArn');
  checkRequired(c, raw.S3Bucket, 's3Bucket');
  checkLength(c, raw.S3Bucket, 's3Bucket', 0, 255);
  if (typeof raw.S3Bucket === 'string' && !BUCKET_PATTERN.test(raw.S3Bucket)) {
    c.add(
      raw.S3Bucket,
      's3Bucket',
      'Member must satisfy regular expression pattern: ^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$',
    );
  }
  checkLength(c, raw.S3Prefix, 's3Prefix', 0, 1024);
  checkEnum(c, raw.S3SseAlgorithm, 's3SseAlgorithm', ['AES256', 'KMS']);
  checkEnum(c, raw.ExportFormat, 'exportFormat', ['DYNAMODB_JSON', 'ION']);
  checkEnum(c, raw.ExportType, 'exportType', ['FULL_EXPORT', 'INCREMENTAL_EXPORT']);
  checkLength(c, raw.ClientToken, 'clientToken', 0, 255);
  c.throwIfAny();

  if ((input.ExportFormat ?? 'DYNAMODB_JSON') !== 'DYNAMODB_JSON') {
    throw validation('ExportFormat ION is not supported by this endpoint; use DYNAMODB_JSON');
  }
  const name = tableNameOf(input.TableArn!);
  const table = ctx.catalog.get(name);
  // The ARN names the table's region: one of another region is not this request's table.
  if (!table || (input.TableArn!.startsWith('arn:') && table.arn !== input.TableArn))
    throw tableNotFoundException(input.TableArn!);
  const cfg = ctx.pitr.config(table);
  // The base snapshot is still being copied (ENABLING): nothing to export from yet.
  if (!cfg || ctx.pitr.enabling(cfg)) throw pitrUnavailable(name);
  ctx.exports.folder(input.S3Bucket!, input.S3Prefix);

  const requestHash = createHash('sha256')
    .update(
      JSON.stringify([
        table.arn,
        input.ExportTime,
        input.S3Bucket,
        input.S3Prefix,
        input.ExportType,
        input.IncrementalExportSpecification,
      ]),
    )
    .digest('hex');
  if (input.ClientToken) {
    const previous = ctx.exports.byClientToken(input.ClientToken);
    if (previous) {
      if (previous.requestHash !== requestHash) {
        throw new DynamoError(
          'IdempotentParameterMismatchException',
          'Request parameters do not match the previous request with the same client token.',
        );
      }
      return { ExportDescription: previous.description };
    }
  }

  const window = ctx.pitr.window(cfg);
  const outside = (ms: number) => !Number.isFinite(ms) || ms < window.earliest || ms > window.latest;
  if (input.ExportType === 'INCREMENTAL_EXPORT') {
    const spec = input.IncrementalExportSpecification;
    if (!spec || spec.ExportFromTime === undefined) {
      throw validation('IncrementalExportSpecification.ExportFromTime is required for an incremental export');
    }
    const fromMs = Math.round(Number(spec.ExportFromTime) * 1000);
    const toMs =
      spec.ExportToTime === undefined ? window.latest : Math.round(Number(spec.ExportToTime) * 1000);
    if (outside(fromMs) || outside(toMs)) {
      throw exportError(
        'InvalidExportTimeException',
        'The specified export period is outside the point in time recovery window.',
      );
    }
    if (toMs <= fromMs) throw validation('ExportToTime must be later than ExportFromTime');
    const viewType = spec.ExportViewType ?? 'NEW_AND_OLD_IMAGES';
    return {
      ExportDescription: ctx.exports.run(
        { ...common(input), table, pitr: cfg, exportTimeMs: toMs, incremental: { fromMs, toMs, viewType } },
        requestHash,
      ),
    };
  }
  const at = input.ExportTime === undefined ? window.latest : Math.round(Number(input.ExportTime) * 1000);
  if (outside(at)) {
    throw exportError(
      'InvalidExportTimeException',
      'The specified ExportTime is outside of the point in time recovery window.',
    );
  }
  return {
    ExportDescription: ctx.exports.run({ ...common(input), table, pitr: cfg, exportTimeMs: at }, requestHash),
  };
}

function common(input: Wire<Sdk.ExportTableToPointInTimeInput>) {
  return {
    bucket: input.S3Bucket!,
    ...(input.S3Prefix ? { prefix: input.S3Prefix } : {}),
    ...(input.S3BucketOwner ? { bucketOwner: input.S3BucketOwner } : {}),
    ...(input.S3SseAlgorithm ? { sseAlgorithm: input.S3SseAlgorithm } : {}),
    ...(input.S3SseKmsKeyId ? { sseKmsKeyId: input.S3SseKmsKeyId } : {}),
    ...(input.ClientToken ? { clientToken: input.ClientToken } : {}),
  };
}
