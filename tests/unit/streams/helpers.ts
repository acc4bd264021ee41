// Helpers shared by the stream, TTL and backup unit tests: an engine on a clock the test moves,
// tables with streams, and reading a stream from an iterator to its current end.
import { Engine } from '../../../engine/engine.js';
import type { EngineOptions } from '../../../engine/engine.js';
import { call } from '../../support/engine.js';

export const T0 = 1_700_000_000_000;

export interface Clock {
  now: number;
  advance(ms: number): number;
}

export function clock(start = T0): Clock {
  const c: Clock = {
    now: start,
    advance(ms: number) {
      c.now += ms;
      return c.now;
    },
  };
  return c;
}

/** An in-memory engine on a clock the test moves (no background timer: tests sweep explicitly). */
export function clockEngine(
  options: Omit<EngineOptions, 'path' | 'now'> = {},
  path = ':memory:',
): { engine: Engine; clock: Clock } {
  const c = clock();
  const engine = new Engine({ ...options, path, now: () => c.now });
  return { engine, clock: c };
}

export function createTable(
  engine: Engine,
  name: string,
  extra: Record<string, unknown> = {},
  withSort = false,
): void {
  call(engine, 'CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      ...(withSort ? [{ AttributeName: 'sk', AttributeType: 'S' }] : []),
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      ...(withSort ? [{ AttributeName: 'sk', KeyType: 'RANGE' }] : []),
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  });
}

export function streamTable(
  engine: Engine,
  name: string,
  viewType = 'NEW_AND_OLD_IMAGES',
  extra: Record<string, unknown> = {},
): string {
  createTable(engine, name, {
    StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
    ...extra,
  });
  return call(engine, 'DescribeTable', { TableName: name }).Table.LatestStreamArn as string;
}

export function shardOf(engine: Engine, arn: string): string {
  return call(engine, 'DescribeStream', { StreamArn: arn }).StreamDescription.Shards[0].ShardId as string;
}

export function iterator(
  engine: Engine,
  arn: string,
  type = 'TRIM_HORIZON',
  sequenceNumber?: string,
): string {
  return call(engine, 'GetShardIterator', {
    StreamArn: arn,
    ShardId: shardOf(engine, arn),
    ShardIteratorType: type,
    ...(sequenceNumber !== undefined ? { SequenceNumber: sequenceNumber } : {}),
  }).ShardIterator as string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StreamRecord = any;

/** Every record from the iterator to the current end of the shard. */
export function drain(
  engine: Engine,
  shardIterator: string,
  limit?: number,
): { records: StreamRecord[]; next: string | undefined } {
  const records: StreamRecord[] = [];
  let it: string | undefined = shardIterator;
  for (;;) {
    const out = call(engine, 'GetRecords', { ShardIterator: it, ...(limit ? { Limit: limit } : {}) });
    records.push(...out.Records);
    if (out.Records.length === 0 || !out.NextShardIterator) return { records, next: out.NextShardIterator };
    it = out.NextShardIterator;
  }
}

export function readStream(engine: Engine, arn: string, type = 'TRIM_HORIZON'): StreamRecord[] {
  return drain(engine, iterator(engine, arn, type)).records;
}

/** Records reduced to what the tests compare: event, keys and images. */
export function summarize(records: StreamRecord[]): unknown[] {
  return records.map((r) => {
    const out: Record<string, unknown> = { event: r.eventName, keys: r.dynamodb.Keys };
    if (r.dynamodb.NewImage) out.new = r.dynamodb.NewImage;
    if (r.dynamodb.OldImage) out.old = r.dynamodb.OldImage;
    return out;
  });
}

export const S = (s: string) => ({ S: s });
export const N = (n: number | string) => ({ N: String(n) });
