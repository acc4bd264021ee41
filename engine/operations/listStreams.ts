// ListStreams (DynamoDB Streams API): the account's streams, optionally of one table, in ARN order.
import type * as StreamsSdk from '@aws-sdk/client-dynamodb-streams';
import type { EngineContext } from '../context.js';
import { ConstraintErrors, tableNotFound } from '../errors.js';
import { checkLimit, checkStreamArn } from '../streams/operations.js';
import type { Wire } from '../types.js';
import { asRecord, checkTableName, tableNameOf } from './common.js';

export function listStreams(
  ctx: EngineContext,
  input: Wire<StreamsSdk.ListStreamsInput>,
): Wire<StreamsSdk.ListStreamsOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  if (raw.TableName !== undefined && raw.TableName !== null) checkTableName(c, raw.TableName);
  checkLimit(c, raw.Limit, 'limit', 100);
  checkStreamArn(c, raw.ExclusiveStartStreamArn, 'exclusiveStartStreamArn', false);
  c.throwIfAny();

  ctx.streams.sync();
  const tableName = typeof input.TableName === 'string' ? tableNameOf(input.TableName) : undefined;
  let streams = ctx.streams
    .list(tableName)
    .filter((s) => s.arn.startsWith(ctx.arnPrefix))
    .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  if (tableName !== undefined && streams.length === 0 && !ctx.catalog.get(tableName)) throw tableNotFound();
  const start = input.ExclusiveStartStreamArn;
  if (typeof start === 'string') streams = streams.filter((s) => s.arn > start);
  const limit = input.Limit ?? 100;
  const page = streams.slice(0, limit);
  const out: Wire<StreamsSdk.ListStreamsOutput> = {
    Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
  };
  if (streams.length > limit) out.LastEvaluatedStreamArn = page[page.length - 1]!.arn;
  return out;
}
