// DescribeStream (DynamoDB Streams API): the stream's status, view type, key schema and its shard.
import type * as StreamsSdk from '@aws-sdk/client-dynamodb-streams';
import type { EngineContext } from '../context.js';
import { ConstraintErrors } from '../errors.js';
import { formatSequenceNumber } from '../streams/records.js';
import { checkLimit, checkShardId, checkStreamArn } from '../streams/operations.js';
import type { Wire } from '../types.js';
import { asRecord } from './common.js';

export function describeStream(
  ctx: EngineContext,
  input: Wire<StreamsSdk.DescribeStreamInput>,
): Wire<StreamsSdk.DescribeStreamOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkStreamArn(c, raw.StreamArn, 'streamArn', true);
  checkLimit(c, raw.Limit, 'limit', 100);
  checkShardId(c, raw.ExclusiveStartShardId, 'exclusiveStartShardId', false);
  c.throwIfAny();

  ctx.streams.sync();
  const stream = ctx.streams.require(input.StreamArn!);
  ctx.streams.trim(stream);
  const closed = stream.disabledAt !== null;
  const range: Wire<StreamsSdk.SequenceNumberRange> = {
    StartingSequenceNumber: formatSequenceNumber(stream.startSeq),
  };
  if (closed) range.EndingSequenceNumber = formatSequenceNumber(stream.endSeq ?? stream.startSeq);
  const shards: Wire<StreamsSdk.Shard>[] = [];
  const after = input.ExclusiveStartShardId;
  if (typeof after !== 'string' || after < stream.shardId)
    shards.push({ ShardId: stream.shardId, SequenceNumberRange: range });
  return {
    StreamDescription: {
      StreamArn: stream.arn,
      StreamLabel: stream.label,
      StreamStatus: closed ? 'DISABLED' : 'ENABLED',
      StreamViewType: stream.viewType,
      CreationRequestDateTime: stream.createdAt / 1000,
      TableName: stream.tableName,
      KeySchema: stream.keySchema.map((k) => ({
        AttributeName: k.AttributeName,
        KeyType: k.KeyType as 'HASH' | 'RANGE',
      })),
      Shards: shards,
    },
  };
}
