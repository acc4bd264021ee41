// Several processes on one file: two or three `sortkey serve` children and `sortkey import --db`
// runs share one SQLite file while writers send PutItem/UpdateItem/DeleteItem to every server, and
// a GSI is created through one server in the middle of the run.
//
//   - Each writer owns its keys and writes them one request at a time, so the last acknowledged
//     write of a key is its state; a request that failed in an unknown way (a network error, a
//     5xx) makes that key uncertain and it is left out of the item check.
//   - Imports write keys of their own; an import that exited 0 must have written every item.
//   - At the end: every certain key is as its last acknowledged write left it (no lost or resurrected
//     item), the GSI read through every server holds exactly the items of a Scan that have its key
//     (nothing missing, nothing stale), its ItemCount agrees, and no request was answered 5xx.
//     ThrottlingExceptions (a write that waited too long for another process's lock) are counted,
//     and allowed: the SDKs retry them.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { distIsCurrent } from '../bench/peers.js';
import type { Rng, ServerChild } from './support.js';
import {
  ROOT,
  api,
  apiOk,
  canonical,
  createTable,
  errorName,
  scanAll,
  sleep,
  startServerChild,
} from './support.js';

export interface MultiProcessOptions {
  readonly dbFile: string;
  readonly rng: Rng;
  /** `sortkey serve` processes on the file (2 or 3). */
  readonly servers: number;
  /** Concurrent writers, spread over the servers. */
  readonly writers: number;
  /** Requests per writer. */
  readonly opsPerWriter: number;
  /** `sortkey import --db` runs during the writes, and items per import. */
  readonly imports: number;
  readonly itemsPerImport: number;
  /** Items written before the run, so the GSI's backfill has work (and runs in chunks). */
  readonly preload: number;
  readonly maxMs: number;
  readonly log?: (line: string) => void;
}

export interface MultiProcessReport {
  readonly requests: number;
  readonly acknowledged: number;
  readonly throttled: number;
  readonly fiveXX: number;
  readonly uncertainKeys: number;
  readonly importsOk: number;
  readonly importedItems: number;
  readonly itemsAtEnd: number;
  readonly indexItems: number;
  readonly problems: string[];
}

const TABLE = 'Shared';
const INDEX = 'byGroup';
type Item = Record<string, { S?: string; N?: string }>;

function sortkeyArgs(command: string, args: readonly string[]): string[] {
  if (distIsCurrent()) return [join(ROOT, 'bin/sortkey.js'), command, ...args];
  return ['--import', 'tsx', join(ROOT, 'main/cli.ts'), command, ...args];
}

/** Runs `sortkey import FILE --table T --db DB -q`; resolves with its exit code and output. */
function runImport(dbFile: string, file: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      sortkeyArgs('import', [file, '--table', TABLE, '--db', dbFile, '-q']),
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, SORTKEY_HOME: dirname(dbFile) },
      },
    );
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
    child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

export async function runMultiProcessTorture(o: MultiProcessOptions): Promise<MultiProcessReport> {
  const problems: string[] = [];
  const log = o.log ?? (() => {});
  const servers: ServerChild[] = [];
  let requests = 0;
  let acknowledged = 0;
  let throttled = 0;
  let fiveXX = 0;
  let importsOk = 0;
  let importedItems = 0;
  /** key → the item its last acknowledged write left (undefined: absent). */
  const expected = new Map<string, Item | undefined>();
  const uncertain = new Set<string>();

  try {
    // Started together, on a new file: the concurrent first opens must all succeed.
    const started = await Promise.allSettled(
      Array.from({ length: o.servers }, () => startServerChild(o.dbFile)),
    );
    for (const s of started) {
      if (s.status === 'fulfilled') servers.push(s.value);
      else problems.push(`a server did not start: ${String(s.reason).slice(0, 300)}`);
    }
    if (servers.length === 0) return report();
    const port = (i: number): number => servers[i % servers.length]!.port;
    log(`  ${servers.length} servers started together on a new file`);

    await createTable(port(0), {
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    const batches: Item[][] = [];
    for (let i = 0; i < o.preload; i++) {
      const item: Item = { pk: { S: `pre-${i}` }, g: { S: `g${i % 5}` }, v: { N: '0' } };
      expected.set(`pre-${i}`, item);
      if (i % 25 === 0) batches.push([]);
      batches[batches.length - 1]!.push(item);
    }
    // One loader per server, at the same time.
    await Promise.all(
      servers.map(async (_, s) => {
        for (let b = s; b < batches.length; b += servers.length) {
          const RequestItems = { [TABLE]: batches[b]!.map((Item) => ({ PutRequest: { Item } })) };
          await apiOk(port(s), 'BatchWriteItem', { RequestItems }, 30_000);
        }
      }),
    );
    log(`  ${servers.length} servers, ${o.preload} items preloaded`);

    const deadline = performance.now() + o.maxMs;
    /** 'ok' (200), 'refused' (a 4xx: nothing written), 'unknown' (no answer or a 5xx). */
    const send = async (
      server: number,
      op: string,
      input: unknown,
      key: string,
    ): Promise<'ok' | 'refused' | 'unknown'> => {
      requests++;
      let r;
      try {
        r = await api(port(server), op, input, 30_000);
      } catch (e) {
        uncertain.add(key);
        problems.push(`${op} ${key}: no answer (${(e as Error).message})`);
        return 'unknown';
      }
      if (r.status >= 500) {
        fiveXX++;
        uncertain.add(key);
        if (fiveXX <= 10) problems.push(`${op} ${key}: ${r.status} ${r.text.slice(0, 300)}`);
        return 'unknown';
      }
      if (r.status !== 200) {
        const name = errorName(r);
        if (name === 'ThrottlingException') throttled++;
        else if (name !== 'ConditionalCheckFailedException')
          problems.push(`${op} ${key}: ${r.status} ${r.text.slice(0, 300)}`);
        return 'refused';
      }
      acknowledged++;
      return 'ok';
    };

    const writer = async (w: number): Promise<void> => {
      const rng = o.rng.fork();
      const ownPreloaded = Math.floor(o.preload / o.writers);
      for (let i = 0; i < o.opsPerWriter && performance.now() < deadline; i++) {
        const server = rng.int(servers.length);
        // Each writer owns its keys: new ones, and every writers-th preloaded one (those are spread
        // over the whole table, ahead of and behind the GSI backfill's cursor).
        const key =
          ownPreloaded > 0 && rng.chance(0.4)
            ? `pre-${w + o.writers * rng.int(ownPreloaded)}`
            : `w${w}-${rng.int(40)}`;
        const kind = rng.int(10);
        if (kind < 5) {
          const item: Item = { pk: { S: key }, v: { N: String(i) } };
          if (rng.chance(0.8)) item.g = { S: `g${rng.int(5)}` };
          if ((await send(server, 'PutItem', { TableName: TABLE, Item: item }, key)) === 'ok')
            expected.set(key, item);
        } else if (kind < 8) {
          const group = `g${rng.int(5)}`;
          const r = await send(
            server,
            'UpdateItem',
            {
              TableName: TABLE,
              Key: { pk: { S: key } },
              UpdateExpression: 'SET g = :g, v = :v',
              ExpressionAttributeValues: { ':g': { S: group }, ':v': { N: String(i) } },
            },
            key,
          );
          if (r === 'ok')
            expected.set(key, {
              ...(expected.get(key) ?? { pk: { S: key } }),
              g: { S: group },
              v: { N: String(i) },
            });
        } else if (kind < 9) {
          const r = await send(
            server,
            'UpdateItem',
            {
              TableName: TABLE,
              Key: { pk: { S: key } },
              UpdateExpression: 'REMOVE g',
              ConditionExpression: 'attribute_exists(pk)',
            },
            key,
          );
          if (r === 'ok') {
            const { g: _g, ...rest } = expected.get(key) ?? { pk: { S: key } };
            expected.set(key, rest);
          }
        } else if (
          (await send(server, 'DeleteItem', { TableName: TABLE, Key: { pk: { S: key } } }, key)) === 'ok'
        ) {
          expected.set(key, undefined);
        }
      }
    };

    const importer = async (n: number): Promise<void> => {
      await sleep(100 + n * 400);
      const file = join(dirname(o.dbFile), `import-${n}.jsonl`);
      const lines: string[] = [];
      const items: Item[] = [];
      for (let i = 0; i < o.itemsPerImport; i++) {
        const item: Item = { pk: { S: `imp${n}-${i}` }, g: { S: `g${i % 5}` }, v: { N: String(i) } };
        items.push(item);
        lines.push(JSON.stringify(item));
      }
      writeFileSync(file, lines.join('\n') + '\n');
      const r = await runImport(o.dbFile, file);
      if (r.code === 0) {
        importsOk++;
        importedItems += items.length;
        for (const item of items) expected.set(item.pk!.S!, item);
      } else {
        // All or nothing: a failed import wrote none of its items (checked below as absent). With
        // every other writer in short transactions, nothing should make an import fail.
        for (const item of items) expected.set(item.pk!.S!, undefined);
        problems.push(`import ${n} failed (exit ${r.code}): ${r.output.slice(0, 500)}`);
      }
    };

    const createIndex = async (): Promise<void> => {
      await sleep(150);
      const server = servers.length > 1 ? 1 : 0;
      const r = await api(
        port(server),
        'UpdateTable',
        {
          TableName: TABLE,
          AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: INDEX,
                KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        },
        60_000,
      );
      if (r.status !== 200)
        problems.push(`UpdateTable (create ${INDEX}): ${r.status} ${r.text.slice(0, 300)}`);
      else log(`  ${INDEX} created through server ${server} while the writers run`);
    };

    await Promise.all([
      ...Array.from({ length: o.writers }, (_, w) => writer(w)),
      ...Array.from({ length: o.imports }, (_, n) => importer(n)),
      createIndex(),
    ]);
    log(
      `  ${requests} requests, ${acknowledged} acknowledged, ${throttled} throttled, ${importsOk}/${o.imports} imports`,
    );

    // The index becomes ACTIVE (its backfill may still be running in chunks).
    let active = false;
    for (let i = 0; i < 2_400 && !active; i++) {
      const d = await apiOk<{ Table: { GlobalSecondaryIndexes?: { IndexStatus?: string }[] } }>(
        port(0),
        'DescribeTable',
        { TableName: TABLE },
      );
      active = d.Table.GlobalSecondaryIndexes?.[0]?.IndexStatus === 'ACTIVE';
      if (!active) await sleep(25);
    }
    if (!active) problems.push(`${INDEX} never became ACTIVE`);

    // Items: every certain key as its last acknowledged write left it.
    const items = await scanAll(port(0), TABLE);
    const byKey = new Map(items.map((it) => [(it as Item).pk!.S!, it]));
    let lost = 0;
    for (const [key, item] of expected) {
      if (uncertain.has(key)) continue;
      const found = byKey.get(key);
      const want = item === undefined ? undefined : canonical(item);
      const got = found === undefined ? undefined : canonical(found);
      if (want !== got && ++lost <= 10)
        problems.push(`item ${key}: expected ${want ?? 'absent'}, found ${got ?? 'absent'}`);
    }
    if (lost > 10) problems.push(`… ${lost} items differ in all`);
    for (const key of byKey.keys()) {
      if (!expected.has(key) && !uncertain.has(key)) problems.push(`item ${key} was never written`);
    }

    // The index, read through every server, is its definition over the table.
    const want = items
      .filter((it) => (it as Item).g?.S !== undefined)
      .map(canonical)
      .sort();
    let indexItems = 0;
    if (active) {
      for (let s = 0; s < servers.length; s++) {
        const got = (await scanAll(port(s), TABLE, INDEX)).map(canonical).sort();
        indexItems = got.length;
        const wantSet = new Set(want);
        const gotSet = new Set(got);
        const missing = want.filter((x) => !gotSet.has(x));
        const extra = got.filter((x) => !wantSet.has(x));
        if (missing.length || extra.length)
          problems.push(
            `${INDEX} through server ${s}: ${missing.length} missing (${missing.slice(0, 3).join(' ')}), ${extra.length} not in the table (${extra.slice(0, 3).join(' ')})`,
          );
        const d = await apiOk<{ Table: { GlobalSecondaryIndexes?: { ItemCount?: number }[] } }>(
          port(s),
          'DescribeTable',
          { TableName: TABLE },
        );
        const count = d.Table.GlobalSecondaryIndexes?.[0]?.ItemCount;
        if (count !== want.length)
          problems.push(`${INDEX} ItemCount through server ${s}: ${count}, expected ${want.length}`);
      }
    }
    for (const s of servers) {
      if (s.exited) problems.push(`server ${s.pid} exited: ${s.exited.code ?? s.exited.signal}`);
    }
    return { ...report(), itemsAtEnd: items.length, indexItems };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }

  function report(): MultiProcessReport {
    return {
      requests,
      acknowledged,
      throttled,
      fiveXX,
      uncertainKeys: uncertain.size,
      importsOk,
      importedItems,
      itemsAtEnd: 0,
      indexItems: 0,
      problems,
    };
  }
}
