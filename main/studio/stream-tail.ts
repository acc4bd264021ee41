// The streams viewer's reads: a live tail of a table's stream through the DynamoDB Streams API
// (DescribeStream, GetShardIterator, GetRecords), so it works on any endpoint that has streams. The
// cursor the UI passes back holds, per shard, the last sequence number read: each call takes fresh
// iterators AFTER_SEQUENCE_NUMBER (iterators expire after 15 minutes; a paused viewer must resume
// where it stopped), and shards that appeared since the start are read from their beginning.
import type { Item } from '../../renderer/src/backend/api.js';
import type {
  StreamReadRequest,
  StreamReadResult,
  StreamRecordView,
  StreamViewType,
} from '../../renderer/src/backend/workbench-api.js';

type AnyRecord = Record<string, unknown>;
export type CallOperation = (operation: string, input: unknown) => Promise<AnyRecord>;

/** Records per call at most (GetRecords' own limit is 1000 per shard). */
const MAX_RECORDS = 1000;

interface Cursor {
  arn: string;
  /**
   * Shard id → the last sequence number read, or `latest:<iterator>` for a position with nothing read
   * yet; shards missing here (new since the start) are read from their beginning.
   */
  shards: Record<string, string>;
}

function invalid(message: string): Error {
  return Object.assign(new Error(message), { type: 'ValidationException' });
}

function decodeCursor(text: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (typeof c.arn !== 'string' || typeof c.shards !== 'object' || c.shards === null) throw new Error();
    return c;
  } catch {
    throw invalid('The stream cursor is not one this viewer gave out');
  }
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

export function streamTailMethods(call: CallOperation): {
  streamRead(args: StreamReadRequest): Promise<StreamReadResult>;
} {
  async function shardsOf(arn: string): Promise<string[]> {
    const ids: string[] = [];
    let start: string | undefined;
    do {
      const out = await call('DescribeStream', {
        StreamArn: arn,
        ...(start ? { ExclusiveStartShardId: start } : {}),
      });
      const d = out.StreamDescription as AnyRecord;
      for (const s of (d.Shards as AnyRecord[] | undefined) ?? []) ids.push(String(s.ShardId));
      start = d.LastEvaluatedShardId as string | undefined;
    } while (start);
    return ids;
  }

  async function iterator(
    arn: string,
    shard: string,
    type: string,
    seq?: string,
  ): Promise<string | undefined> {
    const out = await call('GetShardIterator', {
      StreamArn: arn,
      ShardId: shard,
      ShardIteratorType: type,
      ...(seq ? { SequenceNumber: seq } : {}),
    });
    return out.ShardIterator as string | undefined;
  }

  function view(r: AnyRecord): StreamRecordView {
    const d = r.dynamodb as AnyRecord;
    return {
      eventID: String(r.eventID),
      eventName: r.eventName as StreamRecordView['eventName'],
      sequenceNumber: String(d.SequenceNumber),
      at: Math.round(Number(d.ApproximateCreationDateTime ?? 0) * 1000),
      keys: (d.Keys ?? {}) as Item,
      ...(d.NewImage ? { newImage: d.NewImage as Item } : {}),
      ...(d.OldImage ? { oldImage: d.OldImage as Item } : {}),
    };
  }

  return {
    async streamRead(args) {
      if (!args || typeof args.table !== 'string' || args.table === '')
        throw invalid('table must be a non-empty string');
      const t = (await call('DescribeTable', { TableName: args.table })).Table as AnyRecord;
      const spec = (t.StreamSpecification ?? {}) as AnyRecord;
      const arn = t.LatestStreamArn as string | undefined;
      if (spec.StreamEnabled !== true || !arn) return { enabled: false, records: [] };
      const viewType = spec.StreamViewType as StreamViewType;

      let cursor = args.cursor ? decodeCursor(args.cursor) : undefined;
      // A new stream (disabled and enabled again) starts over.
      if (cursor && cursor.arn !== arn) cursor = undefined;
      const shards = await shardsOf(arn);
      if (!cursor) {
        cursor = { arn, shards: {} };
        if (args.from !== 'oldest') {
          // The tail starts now: remember each shard's newest record as the place to read after.
          for (const id of shards) {
            const it = await iterator(arn, id, 'LATEST');
            if (!it) continue;
            // An iterator at LATEST reads nothing yet; its position is all we need, kept as a marker.
            cursor.shards[id] = `latest:${it}`;
          }
          return { enabled: true, viewType, streamArn: arn, records: [], cursor: encodeCursor(cursor) };
        }
      }
      const records: StreamRecordView[] = [];
      for (const id of shards) {
        if (records.length >= MAX_RECORDS) break;
        const last = cursor.shards[id] ?? '';
        let it: string | undefined;
        if (last.startsWith('latest:')) it = last.slice('latest:'.length);
        else if (last) it = await iterator(arn, id, 'AFTER_SEQUENCE_NUMBER', last);
        else it = await iterator(arn, id, 'TRIM_HORIZON');
        if (!it) continue;
        let out: AnyRecord;
        try {
          out = await call('GetRecords', { ShardIterator: it, Limit: MAX_RECORDS - records.length });
        } catch (e) {
          // A LATEST marker older than an iterator's 15 minutes: start this shard again at LATEST.
          if ((e as { type?: unknown }).type !== 'ExpiredIteratorException') throw e;
          const fresh = await iterator(arn, id, 'LATEST');
          if (fresh) cursor.shards[id] = `latest:${fresh}`;
          continue;
        }
        const got = ((out.Records as AnyRecord[] | undefined) ?? []).map(view);
        records.push(...got);
        if (got.length > 0) cursor.shards[id] = got[got.length - 1]!.sequenceNumber;
        else if (!last && typeof out.NextShardIterator === 'string')
          // Nothing yet in a shard read from its start: keep reading from this position.
          cursor.shards[id] = `latest:${out.NextShardIterator}`;
      }
      // Shards in order of time; sequence numbers are decimal strings (shorter is smaller).
      const bySequence = (a: string, b: string): number =>
        a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
      records.sort((a, b) => a.at - b.at || bySequence(a.sequenceNumber, b.sequenceNumber));
      return { enabled: true, viewType, streamArn: arn, records, cursor: encodeCursor(cursor) };
    },
  };
}
