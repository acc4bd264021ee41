// GetShardIterator (DynamoDB Streams API): where in the shard a reader starts — its oldest retained
// record (TRIM_HORIZON), after the newest (LATEST), or at/after a given sequence number.
import type * as StreamsSdk from '@aws-sdk/client-dynamodb-streams';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, validation } from '../errors.js';
import { encodeIterator } from '../streams/iterator.js';
import { checkShardId, checkStreamArn, shardNotFound, trimmedDataAccess } from '../streams/operations.js';
import { parseSequenceNumber } from '../streams/records.js';
import type { Wire } from '../types.js';
import { asRecord, checkEnum, checkLength, checkRequired } from './common.js';

const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const;

export function getShardIterator(
  ctx: EngineContext,
  input: Wire<StreamsSdk.GetShardIteratorInput>,
): Wire<StreamsSdk.GetShardIteratorOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkStreamArn(c, raw.StreamArn, 'streamArn', true);
  checkShardId(c, raw.ShardId, 'shardId', true);
  checkRequired(c, raw.ShardIteratorType, 'shardIteratorType');
  checkEnum(c, raw.ShardIteratorType, 'shardIteratorType', ITERATOR_TYPES);
  checkLength(c, raw.SequenceNumber, 'sequenceNumber', 21, 40);
  c.throwIfAny();

  ctx.streams.sync();
  const stream = ctx.streams.require(input.StreamArn!);
  if (input.ShardId !== stream.shardId) throw shardNotFound();
  ctx.streams.trim(stream);
  const closed = stream.disabledAt !== null;
  const type = input.ShardIteratorType!;
  let position: number;
  if (type === 'TRIM_HORIZON') {
    position = Math.max(stream.startSeq, stream.trimmedThrough + 1);
  } else if (type === 'LATEST') {
    position = closed ? (stream.endSeq ?? stream.startSeq) + 1 : ctx.streams.latestPosition();
  } else {
    if (typeof input.SequenceNumber !== 'string') {
      throw validation(`SequenceNumber must be specified when ShardIteratorType is ${type}`);
    }
    const n = parseSequenceNumber(input.SequenceNumber);
    const newest = closed ? (stream.endSeq ?? stream.startSeq) : ctx.streams.latestPosition() - 1;
    // The shard's own StartingSequenceNumber is always a valid position, even before its first
    // record exists (DescribeStream hands it out; clients resume from it).
    if (n === undefined || n < stream.startSeq || (n > newest && n !== stream.startSeq)) {
      throw validation(`Invalid SequenceNumber ${input.SequenceNumber} for shard ${stream.shardId}`);
    }
    position = type === 'AT_SEQUENCE_NUMBER' ? n : n + 1;
    if (position <= stream.trimmedThrough) throw trimmedDataAccess();
  }
  return {
    ShardIterator: encodeIterator({
      arn: stream.arn,
      shardId: stream.shardId,
      position,
      issuedAt: ctx.now(),
    }),
  };
}
