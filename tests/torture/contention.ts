// Contention: many clients racing on a few hot items and on account balances.
//
//   - Optimistic-lock increments: read an item (ConsistentRead), then write n+1 with
//     `ConditionExpression: ver = :seen`; a ConditionalCheckFailedException means someone else won,
//     so retry. Afterwards every hot item's n (and ver) equals the increments acknowledged for it.
//   - Blind increments: UpdateItem ADD on one shared counter, no condition; its final value equals
//     the acknowledged ADDs.
//   - Transfers: TransactWriteItems moving an amount between two accounts, the debit conditioned on
//     the balance; the total across accounts never changes and no balance goes negative — checked
//     at the end and, during the run, by TransactGetItems snapshots (which must be atomic).
import type { Rng } from './support.js';
import { api, apiOk, createTable, errorName } from './support.js';

export interface ContentionOptions {
  readonly port: number;
  readonly rng: Rng;
  readonly clients: number;
  /** Operations per client (each retry of an increment counts as one). */
  readonly opsPerClient: number;
  /** Stop after this many milliseconds even if operations remain. */
  readonly maxMs: number;
  readonly hotItems: number;
  readonly accounts: number;
  readonly log?: (line: string) => void;
}

export interface ContentionReport {
  readonly increments: number;
  readonly conflicts: number;
  readonly blindAdds: number;
  readonly transfers: number;
  readonly cancelledTransfers: number;
  readonly snapshots: number;
  readonly problems: string[];
}

const COUNTERS = 'Hot';
const ACCOUNTS = 'Accounts';
const START_BALANCE = 1000;

type Item = Record<string, { S?: string; N?: string }>;

export async function setupContention(port: number, hotItems: number, accounts: number): Promise<void> {
  for (const TableName of [COUNTERS, ACCOUNTS]) {
    await createTable(port, {
      TableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
  }
  for (let h = 0; h < hotItems; h++)
    await apiOk(port, 'PutItem', {
      TableName: COUNTERS,
      Item: { pk: { S: `hot#${h}` }, n: { N: '0' }, ver: { N: '0' } },
    });
  await apiOk(port, 'PutItem', { TableName: COUNTERS, Item: { pk: { S: 'blind' }, n: { N: '0' } } });
  for (let a = 0; a < accounts; a++)
    await apiOk(port, 'PutItem', {
      TableName: ACCOUNTS,
      Item: { pk: { S: `acct#${a}` }, balance: { N: String(START_BALANCE) } },
    });
}

export async function runContentionTorture(o: ContentionOptions): Promise<ContentionReport> {
  const { port } = o;
  const problems: string[] = [];
  const ackedPerItem = new Array<number>(o.hotItems).fill(0);
  let conflicts = 0;
  let blindAdds = 0;
  let transfers = 0;
  let cancelled = 0;
  let snapshots = 0;
  const total = o.accounts * START_BALANCE;
  const deadline = performance.now() + o.maxMs;
  let finished = false;
  const problem = (p: string): void => {
    if (problems.length < 100) problems.push(p);
  };

  async function increment(rng: Rng): Promise<void> {
    const h = rng.int(o.hotItems);
    const Key = { pk: { S: `hot#${h}` } };
    const got = await api(port, 'GetItem', { TableName: COUNTERS, Key, ConsistentRead: true });
    if (got.status !== 200) return problem(`GetItem hot#${h}: ${got.status} ${got.text.slice(0, 200)}`);
    const item = (got.json as { Item?: Item }).Item;
    const n = Number(item?.n?.N);
    const ver = Number(item?.ver?.N);
    if (n !== ver) problem(`hot#${h}: n=${n} but ver=${ver} (they move together)`);
    const r = await api(port, 'UpdateItem', {
      TableName: COUNTERS,
      Key,
      UpdateExpression: 'SET n = :n, ver = :next',
      ConditionExpression: 'ver = :seen',
      ExpressionAttributeValues: {
        ':n': { N: String(n + 1) },
        ':next': { N: String(ver + 1) },
        ':seen': { N: String(ver) },
      },
    });
    if (r.status === 200) ackedPerItem[h]!++;
    else if (errorName(r) === 'ConditionalCheckFailedException') conflicts++;
    else problem(`UpdateItem hot#${h}: ${r.status} ${r.text.slice(0, 200)}`);
  }

  async function blindAdd(): Promise<void> {
    const r = await api(port, 'UpdateItem', {
      TableName: COUNTERS,
      Key: { pk: { S: 'blind' } },
      UpdateExpression: 'ADD n :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    });
    if (r.status === 200) blindAdds++;
    else problem(`UpdateItem blind: ${r.status} ${r.text.slice(0, 200)}`);
  }

  async function transfer(rng: Rng): Promise<void> {
    const from = rng.int(o.accounts);
    let to = rng.int(o.accounts - 1);
    if (to >= from) to++;
    const amount = String(rng.range(1, 400));
    const r = await api(port, 'TransactWriteItems', {
      TransactItems: [
        {
          Update: {
            TableName: ACCOUNTS,
            Key: { pk: { S: `acct#${from}` } },
            UpdateExpression: 'SET balance = balance - :amt',
            ConditionExpression: 'balance >= :amt',
            ExpressionAttributeValues: { ':amt': { N: amount } },
          },
        },
        {
          Update: {
            TableName: ACCOUNTS,
            Key: { pk: { S: `acct#${to}` } },
            UpdateExpression: 'SET balance = balance + :amt',
            ExpressionAttributeValues: { ':amt': { N: amount } },
          },
        },
      ],
    });
    if (r.status === 200) transfers++;
    else if (errorName(r) === 'TransactionCanceledException') cancelled++;
    else problem(`TransactWriteItems: ${r.status} ${r.text.slice(0, 200)}`);
  }

  async function snapshot(): Promise<void> {
    const r = await api(port, 'TransactGetItems', {
      TransactItems: Array.from({ length: o.accounts }, (_, a) => ({
        Get: { TableName: ACCOUNTS, Key: { pk: { S: `acct#${a}` } } },
      })),
    });
    if (r.status !== 200) return problem(`TransactGetItems: ${r.status} ${r.text.slice(0, 200)}`);
    const balances = ((r.json as { Responses?: { Item?: Item }[] }).Responses ?? []).map((x) =>
      Number(x.Item?.balance?.N),
    );
    const sum = balances.reduce((a, b) => a + b, 0);
    snapshots++;
    if (balances.length !== o.accounts || sum !== total)
      problem(`snapshot ${snapshots}: balances ${balances.join(',')} sum to ${sum}, not ${total}`);
    if (balances.some((b) => b < 0)) problem(`snapshot ${snapshots}: negative balance ${balances.join(',')}`);
  }

  async function client(rng: Rng): Promise<void> {
    for (let i = 0; i < o.opsPerClient && performance.now() < deadline; i++) {
      const roll = rng.next();
      if (roll < 0.55) await increment(rng);
      else if (roll < 0.7) await blindAdd();
      else await transfer(rng);
    }
  }

  async function snapshotter(): Promise<void> {
    while (!finished && performance.now() < deadline) {
      await snapshot();
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  const clients = Array.from({ length: o.clients }, () => client(o.rng.fork()));
  const watcher = snapshotter();
  try {
    await Promise.all(clients);
  } finally {
    finished = true;
    await watcher;
  }

  // Final state.
  for (let h = 0; h < o.hotItems; h++) {
    const it = (
      await apiOk<{ Item?: Item }>(port, 'GetItem', {
        TableName: COUNTERS,
        Key: { pk: { S: `hot#${h}` } },
        ConsistentRead: true,
      })
    ).Item;
    const n = Number(it?.n?.N);
    const ver = Number(it?.ver?.N);
    if (n !== ackedPerItem[h] || ver !== ackedPerItem[h])
      problem(`hot#${h}: n=${n}, ver=${ver}, but ${ackedPerItem[h]} increments were acknowledged`);
  }
  const blind = (
    await apiOk<{ Item?: Item }>(port, 'GetItem', {
      TableName: COUNTERS,
      Key: { pk: { S: 'blind' } },
      ConsistentRead: true,
    })
  ).Item;
  if (Number(blind?.n?.N) !== blindAdds)
    problem(`blind counter = ${blind?.n?.N}, but ${blindAdds} ADDs were acknowledged`);
  await snapshot();
  const increments = ackedPerItem.reduce((a, b) => a + b, 0);
  o.log?.(
    `  ${o.clients} clients: ${increments} increments (${conflicts} lost races retried), ${blindAdds} blind ADDs, ${transfers} transfers (${cancelled} cancelled), ${snapshots} snapshots`,
  );
  return { increments, conflicts, blindAdds, transfers, cancelledTransfers: cancelled, snapshots, problems };
}
