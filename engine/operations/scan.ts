// Scan: every item of a table or index in partition-hash order, one page at a time; parallel scans
// split the hash space into TotalSegments equal ranges. Values are checked in the older layer
// (values/layer.ts).
import { CapacityMeter } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { HASH_SPACE } from '../keys/encoding.js';
import { readPage } from '../tables/reader.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, checkRange, tableNameOf } from './common.js';
import { newAttributes, readProjection } from './itemCommon.js';
import {
  checkReadRequest,
  finishPage,
  splicedPageJson,
  pageCapacity,
  partitionCount,
  partitionsBetween,
  READ_MEMBERS,
  readFilter,
  limitIn,
  resolveSelect,
  resolveTarget,
  startPosition,
} from './readCommon.js';
import type { SplicedItems } from './readCommon.js';

/** The hash range [from, to) of one parallel-scan segment. */
export function segmentRange(segment: number, totalSegments: number): { from: number; to: number } {
  return {
    from: Math.floor((segment * HASH_SPACE) / totalSegments),
    to: Math.floor(((segment + 1) * HASH_SPACE) / totalSegments),
  };
}

/** Segment and TotalSegments come together, and Segment is below TotalSegments. */
function checkSegments(raw: Record<string, unknown>): void {
  if (raw.Segment !== undefined && raw.TotalSegments === undefined) {
    throw validation(
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    );
  }
  if (raw.TotalSegments !== undefined && raw.Segment === undefined) {
    throw validation(
      'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
    );
  }
  if (
    typeof raw.Segment === 'number' &&
    typeof raw.TotalSegments === 'number' &&
    raw.Segment >= raw.TotalSegments
  ) {
    throw validation(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${raw.Segment} is not less than TotalSegments: ${raw.TotalSegments}`,
    );
  }
}

export function scan(ctx: EngineContext, input: Wire<Sdk.ScanInput>): Wire<Sdk.ScanOutput> {
  return readScan(ctx, input);
}

/**
 * Scan's response as the JSON text the endpoint sends: items read without a filter or projection
 * are spliced in as stored (readCommon.ts, `pageJson`), never parsed.
 */
export function scanJson(ctx: EngineContext, input: Wire<Sdk.ScanInput>): string {
  return splicedPageJson((splice) => readScan(ctx, input, splice));
}

function readScan(
  ctx: EngineContext,
  input: Wire<Sdk.ScanInput>,
  splice?: SplicedItems,
): Wire<Sdk.ScanOutput> {
  const raw = asRecord(input);
  checkReadRequest(raw, {
    legacy: ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'],
    expressions: ['ProjectionExpression', 'FilterExpression'],
    older: [
      READ_MEMBERS.attributesToGet,
      READ_MEMBERS.select,
      READ_MEMBERS.returnConsumedCapacity,
      READ_MEMBERS.conditionalOperator,
      limitIn(ctx.wording),
      (c) => checkRange(c, raw.Segment, 'segment', 0, 999999),
      (c) => checkRange(c, raw.TotalSegments, 'totalSegments', 1, 1000000),
    ],
    members: () => checkSegments(raw),
  });
  const attrs = newAttributes(raw);
  const projection = readProjection(raw, attrs);
  const filter = readFilter(raw, attrs, 'ScanFilter');
  attrs.assertAllUsed();

  const table = ctx.table(tableNameOf(input.TableName!));
  const target = resolveTarget(table, raw.IndexName, raw.ConsistentRead);
  const select = resolveSelect(
    target,
    raw.Select,
    projection,
    Array.isArray(raw.AttributesToGet),
    ctx.wording,
  );
  const segments = segmentRange(
    (raw.Segment as number | undefined) ?? 0,
    (raw.TotalSegments as number | undefined) ?? 1,
  );
  const start = startPosition(target, raw.ExclusiveStartKey, attrs.layer);
  if (start && (start.h < segments.from || start.h >= segments.to)) {
    throw validation(
      `The provided Exclusive start key does not map to the provided segment: Segment: ${raw.Segment ?? 0}, TotalSegments: ${raw.TotalSegments ?? 1}`,
    );
  }

  const consistent = raw.ConsistentRead === true;
  return ctx.db.snapshot(() => {
    const view = ctx.consistency.view(table, consistent, target.index?.kind === 'GSI');
    const page = readPage(
      ctx,
      target.index ?? table,
      { kind: 'hashes', ...segments },
      // A null Limit is an absent one, as DynamoDB's deserializer reads it.
      { forward: true, limit: input.Limit ?? undefined, start, view },
    );
    const { result, extraTableBytes } = finishPage(
      ctx,
      target,
      page,
      filter,
      select,
      projection,
      view,
      splice,
    );
    // The page read the hash range from its start to its last row (or its segment's end).
    const end = startPosition(target, result.LastEvaluatedKey)?.h ?? segments.to - 1;
    const touched = partitionsBetween(partitionCount(ctx, target), start?.h ?? segments.from, end);
    const meter = new CapacityMeter();
    pageCapacity(target, page.bytes, extraTableBytes, consistent, meter, touched);
    const out: Wire<Sdk.ScanOutput> = result;
    const capacity = meter.one(table.name, input.ReturnConsumedCapacity);
    if (capacity) out.ConsumedCapacity = capacity;
    return out;
  });
}
