// Crash safety: a `sortkey serve` child on a database file takes writes from several concurrent
// writers (PutItem, UpdateItem, BatchWriteItem, TransactWriteItems) and is killed with SIGKILL at a
// random moment; then the file must pass `PRAGMA integrity_check`, and after a restart every write
// the server acknowledged must be there. Repeated for N cycles on the same file.
//
// What each writer records:
//   - Put items (single, batch of 25, transaction of 3) have keys never written before: an
//     acknowledged one must be present with exactly the attributes sent; an unacknowledged one (in
//     flight at the kill) may be present or absent; an item nobody ever sent must not exist.
//   - Counters (UpdateItem ADD, and an ADD inside each transaction): after the restart,
//     acknowledged increments ≤ value ≤ attempted increments.
import BetterSqlite3 from 'better-sqlite3';
import type { Rng } from './support.js';
import { apiOk, api, canonical, createTable, scanAll, sleep, startServerChild } from './support.js';
import type { ServerChild } from './support.js';

const TABLE = 'Crash';

export interface CrashOptions {
  readonly dbFile: string;
  readonly cycles: number;
  readonly writers: number;
  readonly rng: Rng;
  /** Random kill moment, milliseconds after the writers start: [min, max]. */
  readonly killAfterMs: readonly [number, number];
  readonly log?: (line: string) => void;
}

export interface CrashReport {
  readonly cycles: number;
  readonly acknowledgedWrites: number;
  readonly acknowledgedItems: number;
  readonly unacknowledgedAtKill: number;
  readonly itemsAtEnd: number;
  readonly problems: string[];
}

type Item = Record<string, unknown>;

interface Counter {
  acked: number;
  attempted: number;
}

interface State {
  /** key → the item as sent, canonical JSON, for acknowledged puts. */
  readonly acked: Map<string, string>;
  /** keys of every put ever sent (acknowledged or not). */
  readonly attempted: Set<string>;
  readonly counters: Map<string, Counter>;
  seq: number;
  acknowledgedWrites: number;
  inFlightAtKill: number;
}

const keyText = (pk: string): string => pk;

function makeItem(rng: Rng, pk: string, writer: number, seq: number): Item {
  // Mostly small items, sometimes large ones (tens of KB spill over several SQLite pages).
  const size = rng.chance(0.05) ? rng.range(10_000, 60_000) : rng.range(0, 300);
  return {
    pk: { S: pk },
    writer: { N: String(writer) },
    seq: { N: String(seq) },
    data: { S: 'x'.repeat(size) },
    nested: { M: { a: { L: [{ N: String(seq % 1000) }, { BOOL: seq % 2 === 0 }, { NULL: true }] } } },
  };
}

function counter(state: State, pk: string): Counter {
  let c = state.counters.get(pk);
  if (!c) {
    c = { acked: 0, attempted: 0 };
    state.counters.set(pk, c);
  }
  return c;
}

/** One writer: sends writes until `stop()` says so or a request fails (the server is gone). */
async function writer(
  port: number,
  w: number,
  rng: Rng,
  state: State,
  stopped: () => boolean,
): Promise<void> {
  while (!stopped()) {
    const roll = rng.next();
    try {
      if (roll < 0.35) {
        const seq = state.seq++;
        const pk = `w${w}#put#${seq}`;
        const item = makeItem(rng, pk, w, seq);
        state.attempted.add(keyText(pk));
        const r = await api(port, 'PutItem', { TableName: TABLE, Item: item });
        if (r.status !== 200) throw new Error(`PutItem ${r.status} ${r.text.slice(0, 200)}`);
        state.acked.set(keyText(pk), canonical(item));
        state.acknowledgedWrites++;
      } else if (roll < 0.6) {
        const pk = `w${w}#counter`;
        const c = counter(state, pk);
        c.attempted++;
        const r = await api(port, 'UpdateItem', {
          TableName: TABLE,
          Key: { pk: { S: pk } },
          UpdateExpression: 'ADD n :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        });
        if (r.status !== 200) throw new Error(`UpdateItem ${r.status} ${r.text.slice(0, 200)}`);
        c.acked++;
        state.acknowledgedWrites++;
      } else if (roll < 0.8) {
        const items: Item[] = [];
        for (let k = 0; k < 25; k++) {
          const seq = state.seq++;
          const pk = `w${w}#batch#${seq}`;
          const item = makeItem(rng, pk, w, seq);
          // Batches stay small enough: no large items here (16 MB request, 400 KB per item are fine
          // anyway, but keep cycles quick).
          item.data = { S: 'b'.repeat(rng.range(0, 200)) };
          items.push(item);
          state.attempted.add(keyText(pk));
        }
        const r = await api(port, 'BatchWriteItem', {
          RequestItems: { [TABLE]: items.map((Item) => ({ PutRequest: { Item } })) },
        });
        if (r.status !== 200) throw new Error(`BatchWriteItem ${r.status} ${r.text.slice(0, 200)}`);
        const unprocessed = new Set(
          (
            ((r.json as { UnprocessedItems?: Record<string, { PutRequest: { Item: Item } }[]> })
              .UnprocessedItems ?? {})[TABLE] ?? []
          ).map((u) => (u.PutRequest.Item.pk as { S: string }).S),
        );
        for (const item of items) {
          const pk = (item.pk as { S: string }).S;
          if (!unprocessed.has(pk)) state.acked.set(keyText(pk), canonical(item));
        }
        state.acknowledgedWrites++;
      } else {
        const puts: Item[] = [];
        for (let k = 0; k < 3; k++) {
          const seq = state.seq++;
          const pk = `w${w}#tx#${seq}`;
          puts.push(makeItem(rng, pk, w, seq));
          state.attempted.add(keyText(pk));
        }
        const cpk = `w${w}#txcounter`;
        const c = counter(state, cpk);
        c.attempted++;
        const r = await api(port, 'TransactWriteItems', {
          TransactItems: [
            ...puts.map((Item) => ({
              Put: { TableName: TABLE, Item, ConditionExpression: 'attribute_not_exists(pk)' },
            })),
            {
              Update: {
                TableName: TABLE,
                Key: { pk: { S: cpk } },
                UpdateExpression: 'ADD n :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
          ],
        });
        if (r.status !== 200) throw new Error(`TransactWriteItems ${r.status} ${r.text.slice(0, 200)}`);
        for (const item of puts) state.acked.set(keyText((item.pk as { S: string }).S), canonical(item));
        c.acked++;
        state.acknowledgedWrites++;
      }
    } catch (e) {
      if (!stopped()) throw e; // a failure before the kill is a finding
      state.inFlightAtKill++;
      return;
    }
  }
}

/** Opens the file the way a fresh process would (WAL recovery) and runs integrity_check. */
function integrityCheck(dbFile: string): string[] {
  const db = new BetterSqlite3(dbFile);
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  } finally {
    db.close();
  }
}

/** Compares the table with what was acknowledged; returns the problems found. */
async function verify(port: number, state: State): Promise<{ problems: string[]; items: number }> {
  const problems: string[] = [];
  const items = await scanAll(port, TABLE);
  const found = new Map<string, Item>();
  for (const item of items) found.set((item.pk as { S: string }).S, item);
  for (const [pk, expected] of state.acked) {
    const got = found.get(pk);
    if (!got) problems.push(`acknowledged item ${pk} is missing`);
    else if (canonical(got) !== expected)
      problems.push(
        `acknowledged item ${pk} differs: ${canonical(got).slice(0, 200)} ≠ ${expected.slice(0, 200)}`,
      );
  }
  for (const [pk, c] of state.counters) {
    const n = Number((found.get(pk)?.n as { N?: string } | undefined)?.N ?? 0);
    if (n < c.acked || n > c.attempted)
      problems.push(
        `counter ${pk} = ${n}, expected between ${c.acked} (acknowledged) and ${c.attempted} (sent)`,
      );
  }
  for (const pk of found.keys()) {
    if (!state.attempted.has(pk) && !state.counters.has(pk)) problems.push(`item ${pk} was never written`);
  }
  // ItemCount is kept exact by every write: it must agree with the scan after a crash too.
  const d = await apiOk<{ Table: { ItemCount?: number } }>(port, 'DescribeTable', { TableName: TABLE });
  if (d.Table.ItemCount !== items.length)
    problems.push(`DescribeTable ItemCount ${d.Table.ItemCount} but the scan found ${items.length} items`);
  return { problems, items: items.length };
}

export async function runCrashTorture(options: CrashOptions): Promise<CrashReport> {
  const { dbFile, rng } = options;
  const log = options.log ?? (() => {});
  const state: State = {
    acked: new Map(),
    attempted: new Set(),
    counters: new Map(),
    seq: 0,
    acknowledgedWrites: 0,
    inFlightAtKill: 0,
  };
  const problems: string[] = [];
  let server: ServerChild | undefined = await startServerChild(dbFile);
  let itemsAtEnd = 0;
  try {
    await createTable(server.port, {
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      const before = state.acknowledgedWrites;
      let stopped = false;
      const writers = Array.from({ length: options.writers }, (_, w) =>
        writer(server!.port, w, rng.fork(), state, () => stopped),
      );
      const killAt = rng.range(options.killAfterMs[0], options.killAfterMs[1]);
      // Whichever comes first: the kill moment, or a writer failing before it (a finding).
      const failure = Promise.all(writers).then(
        () => undefined,
        (e: unknown) => e,
      );
      const early = await Promise.race([sleep(killAt).then(() => 'kill' as const), failure]);
      stopped = true;
      await server.kill();
      if (early !== 'kill' && early !== undefined)
        problems.push(`cycle ${cycle}: a write failed before the kill: ${String(early)}`);
      await failure;
      const integrity = integrityCheck(dbFile);
      if (integrity.length)
        problems.push(`cycle ${cycle}: integrity_check: ${integrity.slice(0, 5).join('; ')}`);
      server = await startServerChild(dbFile);
      const v = await verify(server.port, state);
      itemsAtEnd = v.items;
      for (const p of v.problems.slice(0, 20)) problems.push(`cycle ${cycle}: ${p}`);
      log(
        `  cycle ${String(cycle).padStart(3)}: killed after ${killAt} ms, ${state.acknowledgedWrites - before} writes acknowledged, ${v.items} items, ${v.problems.length + integrity.length ? `${v.problems.length + integrity.length} PROBLEMS` : 'all present, integrity ok'}`,
      );
      if (problems.length > 50) break;
    }
  } finally {
    await server?.stop();
  }
  return {
    cycles: options.cycles,
    acknowledgedWrites: state.acknowledgedWrites,
    acknowledgedItems: state.acked.size,
    unacknowledgedAtKill: state.inFlightAtKill,
    itemsAtEnd,
    problems,
  };
}
