// Eventual consistency on request (engine/consistency/eventual.ts): stale reads within the window,
// lagging GSIs, strongly consistent reads always current, off by default. The clock is injected,
// so "within the window" is exact; delays come from the seed, so every run reads the same.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../../engine/engine.js';
import type { EngineOptions } from '../../../engine/context.js';
import { assertError, call, createSimpleTable, scratchEngine } from '../../support/engine.js';
import { prng } from '../../support/prng.js';

const WINDOW = 1000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const sortkey = (e: Engine, op: string, input: unknown): any => e.executeSortkey(op, input);

function clocked(options: Omit<EngineOptions, 'path' | 'now'> = {}): { e: Engine; clock: { t: number } } {
  const clock = { t: 1_000_000 };
  const e = scratchEngine({ now: () => clock.t, ...options });
  return { e, clock };
}

const eventual = (seed = 7, windowMs = WINDOW) => ({
  consistency: { mode: 'eventual' as const, windowMs, seed },
});

const item = (pk: string, v: string, sk?: string) => ({
  pk: { S: pk },
  ...(sk !== undefined ? { sk: { S: sk } } : {}),
  v: { S: v },
});

function get(e: Engine, pk: string, consistent?: boolean, table = 'Things'): string | undefined {
  const out = call(e, 'GetItem', {
    TableName: table,
    Key: { pk: { S: pk } },
    ...(consistent !== undefined ? { ConsistentRead: consistent } : {}),
  });
  return out.Item?.v?.S;
}

/** A table holding `a` = old, `b` = old and `c` = old, written before the window began. */
function seeded(options = eventual()): { e: Engine; clock: { t: number } } {
  const { e, clock } = clocked(options);
  createSimpleTable(e);
  for (const pk of ['a', 'b', 'c']) call(e, 'PutItem', { TableName: 'Things', Item: item(pk, 'old') });
  clock.t += 10 * WINDOW;
  return { e, clock };
}

describe('eventual consistency: point reads', () => {
  it('is off by default: every read sees the last write', () => {
    const { e } = seeded({} as ReturnType<typeof eventual>);
    call(e, 'PutItem', { TableName: 'Things', Item: item('a', 'new') });
    for (let i = 0; i < 20; i++) assert.equal(get(e, 'a'), 'new');
    assert.equal(sortkey(e, 'DescribeConsistency', {}).Mode, 'strong');
  });

  it('an eventually consistent GetItem right after a write sees the version before it; ConsistentRead never does', () => {
    const { e } = seeded();
    // A table without indexes or streams: PutItem would read only the old item's size.
    call(e, 'PutItem', { TableName: 'Things', Item: item('a', 'new') });
    assert.equal(get(e, 'a'), 'old');
    assert.equal(get(e, 'a', true), 'new');
    const tx = call(e, 'TransactGetItems', {
      TransactItems: [{ Get: { TableName: 'Things', Key: { pk: { S: 'a' } } } }],
    });
    assert.equal(tx.Responses[0].Item.v.S, 'new');
  });

  it('an item inserted within the window is absent, a deleted one reappears, an updated one has its old attributes', () => {
    const { e } = seeded();
    call(e, 'PutItem', { TableName: 'Things', Item: item('n', 'inserted') });
    call(e, 'DeleteItem', { TableName: 'Things', Key: { pk: { S: 'b' } } });
    call(e, 'UpdateItem', {
      TableName: 'Things',
      Key: { pk: { S: 'c' } },
      UpdateExpression: 'SET v = :v, extra = :v',
      ExpressionAttributeValues: { ':v': { S: 'updated' } },
    });
    assert.equal(get(e, 'n'), undefined);
    assert.equal(get(e, 'b'), 'old');
    const c = call(e, 'GetItem', { TableName: 'Things', Key: { pk: { S: 'c' } } }).Item;
    assert.deepEqual(c, item('c', 'old'));
    assert.equal(get(e, 'n', true), 'inserted');
    assert.equal(get(e, 'b', true), undefined);
  });

  it('once the window has passed, every read is current', () => {
    const { e, clock } = seeded();
    call(e, 'PutItem', { TableName: 'Things', Item: item('a', 'new') });
    clock.t += WINDOW + 1;
    for (let i = 0; i < 20; i++) assert.equal(get(e, 'a'), 'new');
    assert.equal(sortkey(e, 'DescribeConsistency', {}).TrackedVersions, 0);
  });

  it('a read sees the version current at now − delay, the delay drawn in [0, window]', () => {
    const { e, clock } = seeded(eventual(3, 100));
    // Versions v0..v9, one every 10 ms: a read at the end may see any of v0 (old) .. v9.
    for (let i = 0; i < 10; i++) {
      call(e, 'PutItem', { TableName: 'Things', Item: item('a', `v${i}`) });
      clock.t += 10;
    }
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(get(e, 'a')!);
    // Every value seen is one of the versions, and the reads do not all see one of them.
    for (const v of seen) assert.match(v, /^v\d$/);
    assert.ok(seen.size > 3, `saw ${[...seen].join(', ')}`);
  });

  it('the same seed gives the same reads; another seed other ones', () => {
    const run = (seed: number): string => {
      const { e, clock } = seeded(eventual(seed, 100));
      const seen: string[] = [];
      for (let i = 0; i < 30; i++) {
        call(e, 'PutItem', { TableName: 'Things', Item: item('a', `v${i}`) });
        clock.t += 7;
        seen.push(get(e, 'a')!);
      }
      return seen.join(',');
    };
    assert.equal(run(11), run(11));
    assert.notEqual(run(11), run(12));
  });

  it('BatchGetItem and PartiQL SELECT without ConsistentRead are stale; with it, current', () => {
    const { e } = seeded();
    call(e, 'PutItem', { TableName: 'Things', Item: item('a', 'new') });
    const batch = call(e, 'BatchGetItem', {
      RequestItems: { Things: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'b' } }] } },
    });
    assert.deepEqual(batch.Responses.Things.map((i: { v: { S: string } }) => i.v.S).sort(), ['old', 'old']);
    const strongBatch = call(e, 'BatchGetItem', {
      RequestItems: { Things: { Keys: [{ pk: { S: 'a' } }], ConsistentRead: true } },
    });
    assert.equal(strongBatch.Responses.Things[0].v.S, 'new');

    const select = (consistent?: boolean) =>
      call(e, 'ExecuteStatement', {
        Statement: `SELECT v FROM Things WHERE pk = 'a'`,
        ...(consistent ? { ConsistentRead: true } : {}),
      }).Items[0].v.S;
    assert.equal(select(), 'old');
    assert.equal(select(true), 'new');
    const batchStatement = call(e, 'BatchExecuteStatement', {
      Statements: [{ Statement: `SELECT v FROM Things WHERE pk = 'a'` }],
    });
    assert.equal(batchStatement.Responses[0].Item.v.S, 'old');
  });

  it('an eventually consistent read of a stale item costs half a unit, as any', () => {
    const { e } = seeded();
    call(e, 'PutItem', { TableName: 'Things', Item: item('a', 'new') });
    const out = call(e, 'GetItem', {
      TableName: 'Things',
      Key: { pk: { S: 'a' } },
      ReturnConsumedCapacity: 'TOTAL',
    });
    assert.equal(out.Item.v.S, 'old');
    assert.equal(out.ConsumedCapacity.CapacityUnits, 0.5);
  });
});

describe('eventual consistency: Query and Scan', () => {
  /** Items s1..s5 written before the window; then s2 deleted, s3 updated, s0 and s6 inserted. */
  function history(): Engine {
    const { e, clock } = clocked(eventual(5, 3_600_000));
    createSimpleTable(e, 'Things', true);
    for (let i = 1; i <= 5; i++) call(e, 'PutItem', { TableName: 'Things', Item: item('p', 'old', `s${i}`) });
    clock.t += 4_000_000;
    call(e, 'DeleteItem', { TableName: 'Things', Key: { pk: { S: 'p' }, sk: { S: 's2' } } });
    call(e, 'PutItem', { TableName: 'Things', Item: item('p', 'new', 's3') });
    call(e, 'PutItem', { TableName: 'Things', Item: item('p', 'new', 's0') });
    call(e, 'PutItem', { TableName: 'Things', Item: item('p', 'new', 's6') });
    return e;
  }
  const rows = (items: { sk: { S: string }; v: { S: string } }[]) => items.map((i) => `${i.sk.S}=${i.v.S}`);
  const before = ['s1=old', 's2=old', 's3=old', 's4=old', 's5=old'];
  const after = ['s0=new', 's1=old', 's3=new', 's4=old', 's5=old', 's6=new'];

  it('Query reads the partition as it was, in order both ways', () => {
    const e = history();
    const q = (extra: Record<string, unknown> = {}) =>
      call(e, 'Query', {
        TableName: 'Things',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
        ...extra,
      });
    assert.deepEqual(rows(q().Items), before);
    assert.deepEqual(rows(q({ ScanIndexForward: false }).Items), [...before].reverse());
    assert.deepEqual(rows(q({ ConsistentRead: true }).Items), after);
  });

  it('a Query with a sort-key condition keeps the old versions inside it only', () => {
    const e = history();
    const out = call(e, 'Query', {
      TableName: 'Things',
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { S: 's2' }, ':b': { S: 's3' } },
    });
    assert.deepEqual(rows(out.Items), ['s2=old', 's3=old']);
  });

  it('pages of a stale Query follow each other (Limit and ExclusiveStartKey)', () => {
    const e = history();
    const seen: string[] = [];
    let start: unknown;
    do {
      const page = call(e, 'Query', {
        TableName: 'Things',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
        Limit: 2,
        ...(start ? { ExclusiveStartKey: start } : {}),
      });
      seen.push(...rows(page.Items));
      start = page.LastEvaluatedKey;
    } while (start);
    assert.deepEqual(seen, before);
  });

  it('Scan and PartiQL SELECT see the table as it was; with ConsistentRead, as it is', () => {
    const e = history();
    assert.deepEqual(rows(call(e, 'Scan', { TableName: 'Things' }).Items), before);
    assert.deepEqual(rows(call(e, 'Scan', { TableName: 'Things', ConsistentRead: true }).Items), after);
    const statement = { Statement: `SELECT * FROM Things WHERE pk = 'p'` };
    assert.deepEqual(rows(call(e, 'ExecuteStatement', statement).Items), before);
    assert.deepEqual(rows(call(e, 'ExecuteStatement', { ...statement, ConsistentRead: true }).Items), after);
  });
});

describe('eventual consistency: GSI lag', () => {
  function withIndex(): { e: Engine; clock: { t: number } } {
    const { e, clock } = clocked(eventual(1));
    call(e, 'CreateTable', {
      TableName: 'Orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    return { e, clock };
  }
  const byStatus = (e: Engine, status: string): string[] =>
    call(e, 'Query', {
      TableName: 'Orders',
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: status } },
    }).Items.map((i: { pk: { S: string } }) => i.pk.S);

  it('a GSI sees a write only once the window has passed; the table at once with ConsistentRead', () => {
    const { e, clock } = withIndex();
    call(e, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'o1' }, status: { S: 'NEW' } } });
    assert.deepEqual(byStatus(e, 'NEW'), []);
    assert.equal(
      call(e, 'GetItem', { TableName: 'Orders', Key: { pk: { S: 'o1' } }, ConsistentRead: true }).Item.pk.S,
      'o1',
    );
    clock.t += WINDOW - 1;
    assert.deepEqual(byStatus(e, 'NEW'), []);
    clock.t += 2;
    assert.deepEqual(byStatus(e, 'NEW'), ['o1']);
  });

  it('an item whose index key changed stays under its old key for the lag', () => {
    const { e, clock } = withIndex();
    call(e, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'o1' }, status: { S: 'NEW' } } });
    clock.t += 2 * WINDOW;
    call(e, 'UpdateItem', {
      TableName: 'Orders',
      Key: { pk: { S: 'o1' } },
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: 'SHIPPED' } },
    });
    assert.deepEqual(byStatus(e, 'NEW'), ['o1']);
    assert.deepEqual(byStatus(e, 'SHIPPED'), []);
    assert.equal(call(e, 'Scan', { TableName: 'Orders', IndexName: 'byStatus' }).Items[0].status.S, 'NEW');
    clock.t += WINDOW + 1;
    assert.deepEqual(byStatus(e, 'NEW'), []);
    assert.deepEqual(byStatus(e, 'SHIPPED'), ['o1']);
  });
});

describe('Sortkey_20250101.SetConsistency', () => {
  it('switches the mode at run time; back to strong, every read is current again', () => {
    const { e } = seeded({} as ReturnType<typeof eventual>);
    const on = sortkey(e, 'SetConsistency', { Mode: 'eventual', WindowMs: 5000, Seed: 9 });
    assert.deepEqual(on, { Mode: 'eventual', WindowMs: 5000, Seed: 9, TrackedVersions: 0 });
    call(e, 'PutItem', { TableName: 'Things', Item: item('a', 'new') });
    assert.equal(sortkey(e, 'DescribeConsistency', {}).TrackedVersions, 1);
    assert.equal(get(e, 'a'), 'old');
    const off = sortkey(e, 'SetConsistency', { Mode: 'strong' });
    assert.deepEqual(off, { Mode: 'strong', WindowMs: 5000, Seed: 9, TrackedVersions: 0 });
    assert.equal(get(e, 'a'), 'new');
  });

  it('refuses a bad mode, window or seed', () => {
    const { e } = clocked();
    const set = (input: unknown) => () => sortkey(e, 'SetConsistency', input);
    assertError(set({}), 'ValidationException', 'Mode must be one of strong, eventual');
    assertError(set({ Mode: 'weak' }), 'ValidationException', 'Mode must be one of strong, eventual');
    assertError(set({ Mode: 'eventual', WindowMs: -1 }), 'ValidationException', /WindowMs must be/);
    assertError(set({ Mode: 'eventual', WindowMs: 1.5 }), 'ValidationException', /WindowMs must be/);
    assertError(set({ Mode: 'eventual', WindowMs: 3_600_001 }), 'ValidationException', /WindowMs must be/);
    assertError(
      set({ Mode: 'eventual', Seed: 'x' }),
      'ValidationException',
      'Seed must be a whole number from 0 on',
    );
    assert.equal(sortkey(e, 'DescribeConsistency', {}).Mode, 'strong');
  });
});

describe('eventual consistency: generated histories', () => {
  // Random puts, updates and deletes of one partition (and its GSI) at random times; after each,
  // a Query, a Scan and a GSI Query. Each answer must be the partition as it was at one moment of
  // the window (the table's reads), or exactly `window` ago (the GSI's).
  it('every stale answer is the table at one moment of the window, in order', () => {
    const random = prng(2024);
    const windowMs = 300;
    const { e, clock } = clocked({ consistency: { mode: 'eventual', windowMs, seed: 99 } });
    call(e, 'CreateTable', {
      TableName: 'Things',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [
            { AttributeName: 'g', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    /** Every write: when, which sort key, and the value after it (undefined: deleted; g: its index key). */
    const events: { t: number; sk: string; v: string | undefined; g: string | undefined }[] = [];
    const snapshot = (t: number): Map<string, { v: string; g: string | undefined }> => {
      const m = new Map<string, { v: string; g: string | undefined }>();
      for (const ev of events) {
        if (ev.t > t) break;
        if (ev.v === undefined) m.delete(ev.sk);
        else m.set(ev.sk, { v: ev.v, g: ev.g });
      }
      return m;
    };
    const text = (rows: [string, string][]) => rows.map(([sk, v]) => `${sk}=${v}`).join(' ');
    const sks = Array.from({ length: 12 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    let stale = 0;
    for (let step = 0; step < 150; step++) {
      clock.t += Math.floor(random() * 40);
      const sk = sks[Math.floor(random() * sks.length)]!;
      const v = `v${step}`;
      const g = random() < 0.7 ? (random() < 0.5 ? 'A' : 'B') : undefined;
      if (random() < 0.25) {
        call(e, 'DeleteItem', { TableName: 'Things', Key: { pk: { S: 'p' }, sk: { S: sk } } });
        events.push({ t: clock.t, sk, v: undefined, g: undefined });
      } else {
        const item = { pk: { S: 'p' }, sk: { S: sk }, v: { S: v }, ...(g ? { g: { S: g } } : {}) };
        call(e, 'PutItem', { TableName: 'Things', Item: item });
        events.push({ t: clock.t, sk, v, g });
      }
      // The moments a read may see: each write time within the window, and the window's start.
      const moments = [clock.t - windowMs, ...events.map((x) => x.t).filter((t) => t >= clock.t - windowMs)];
      const expected = new Set(
        moments.map((t) =>
          text([...snapshot(t)].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, x.v])),
        ),
      );
      const forward = random() < 0.5;
      const q = call(e, 'Query', {
        TableName: 'Things',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
        ScanIndexForward: forward,
      });
      const got = (q.Items as { sk: { S: string }; v: { S: string } }[]).map((i): [string, string] => [
        i.sk.S,
        i.v.S,
      ]);
      if (!forward) got.reverse();
      assert.ok(expected.has(text(got)), `step ${step}: ${text(got)}`);
      const current = text(
        [...snapshot(clock.t)].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, x.v]),
      );
      if (text(got) !== current) stale++;
      const scanned = (
        call(e, 'Scan', { TableName: 'Things' }).Items as { sk: { S: string }; v: { S: string } }[]
      ).map((i): [string, string] => [i.sk.S, i.v.S]);
      assert.ok(expected.has(text(scanned)), `step ${step} scan: ${text(scanned)}`);
      // The GSI: exactly the table `window` ago, partition A, in sort-key order.
      const lagged = [...snapshot(clock.t - windowMs)]
        .filter(([, x]) => x.g === 'A')
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]): [string, string] => [k, x.v]);
      const index = call(e, 'Query', {
        TableName: 'Things',
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'A' } },
      }).Items as { sk: { S: string }; v: { S: string } }[];
      assert.equal(text(index.map((i) => [i.sk.S, i.v.S])), text(lagged), `step ${step} GSI`);
      // Strongly consistent: the present.
      const strong = call(e, 'Query', {
        TableName: 'Things',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
        ConsistentRead: true,
      }).Items as { sk: { S: string }; v: { S: string } }[];
      assert.equal(text(strong.map((i) => [i.sk.S, i.v.S])), current);
    }
    // The reads were not merely current ones.
    assert.ok(stale > 20, `${stale} stale answers`);
  });
});
