// GetRecords (DynamoDB Streams API): up to 1000 records (about 1 MB) from a shard iterator's
// position, and the iterator to continue from — absent once a closed shard has been read to its end.
import type * as StreamsSdk from '@aws-sdk/client-dynamodb-streams';
import type { EngineContext } from '../context.js';
import { ConstraintErrors } from '../errors.js';
import { checkNotExpired, decodeIterator, encodeIterator } from '../streams/iterator.js';
import { checkLimit, shardNotFound, trimmedDataAccess } from '../streams/operations.js';
import { streamNotFound } from '../streams/service.js';
import type { Wire } from '../types.js';
import { asRecord, checkLength, checkRequired } from './common.js';

export function getRecords(
  ctx: EngineContext,
  input: Wire<StreamsSdk.GetRecordsInput>,
): Wire<StreamsSdk.GetRecordsOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequired(c, raw.ShardIterator, 'shardIterator');
  checkLength(c, raw.ShardIterator, 'shardIterator', 1, 2048);
  checkLimit(c, raw.Limit, 'limit', 1000);
  c.throwIfAny();

  const now = ctx.now();
  const it = decodeIterator(String(input.ShardIterator));
  checkNotExpired(it, now);
  ctx.streams.sync();
  const stream = ctx.streams.get(it.arn);
  if (!stream) throw streamNotFound(it.arn);
  if (it.shardId !== stream.shardId) throw shardNotFound();
  ctx.streams.trim(stream, now);
  if (it.position <= stream.trimmedThrough) throw trimmedDataAccess();

  const records = ctx.streams.read(stream, it.position, input.Limit ?? 1000);
  const next = records.length > 0 ? records[records.length - 1]!.seq + 1 : it.position;
  const out: Wire<StreamsSdk.GetRecordsOutput> = {
    Records: records.map((r) => ctx.streams.toWire(r)) as Wire<StreamsSdk._Record>[],
  };
  const closed = stream.disabledAt !== null;
  const drained = closed && (ctx.streams.lastSeq(stream) ?? 0) < next;
  if (!drained) {
    out.NextShardIterator = encodeIterator({
      arn: stream.arn,
      shardId: stream.shardId,
      position: next,
      issuedAt: now,
    });
  }
  return out;
}
