// The data and requests the endpoint benchmarks send: one table layout, the items loaded into it, and
// the request bodies of each workload, as JSON text prepared before the clock starts. Shared by the
// side-by-side benchmark (http.ts) and the scaling benchmark (scaling.ts).
import { callOk } from './loadgen.js';
import { prng } from '../support/prng.js';

export const TABLE = 'Bench';

export const CREATE_TABLE = {
  TableName: TABLE,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
};

/** Items in one Query partition: a Query returns all of them (one page). */
export const QUERY_SIZE = 100;

type Item = Record<string, Record<string, unknown>>;

/** A user item (~200 bytes): the target of GetItem, PutItem, UpdateItem and the batch workloads. */
export function userItem(i: number): Item {
  return {
    pk: { S: `user#${i}` },
    sk: { N: '1' },
    name: { S: `name ${i}` },
    email: { S: `user${i}@example.com` },
    age: { N: String(20 + (i % 50)) },
    score: { N: `${i}.25` },
    active: { BOOL: i % 2 === 0 },
    tags: { SS: ['a', 'b', 'c'] },
    address: { M: { city: { S: 'Lisbon' }, zip: { S: String(1000 + (i % 9000)) } } },
  };
}

export function userKey(i: number): Item {
  return { pk: { S: `user#${i}` }, sk: { N: '1' } };
}

/** Item `s` of Query partition `p`. */
export function queryItem(p: number, s: number): Item {
  return { ...userItem(p * QUERY_SIZE + s), pk: { S: `q#${p}` }, sk: { N: String(s) } };
}

// Every peer gets the same request sequence from the same seed.
export { prng };

export interface Dataset {
  /** user#0 … user#(users-1). */
  readonly users: number;
  /** q#0 … q#(partitions-1), QUERY_SIZE items each. */
  readonly partitions: number;
}

export interface Workload {
  /** Row label. */
  readonly name: string;
  /** DynamoDB operation (X-Amz-Target). */
  readonly op: string;
  /** Request bodies, sent round-robin. `scanKeys` are the ExclusiveStartKeys of successive pages. */
  bodies(data: Dataset, scanKeys: readonly (Item | undefined)[]): string[];
}

const POOL = 4096;

/** The workloads of the side-by-side benchmark, in the order they are reported. */
export const WORKLOADS: readonly Workload[] = [
  {
    name: 'PutItem',
    op: 'PutItem',
    bodies: (d) => {
      const r = prng(1);
      return Array.from({ length: POOL }, () =>
        JSON.stringify({ TableName: TABLE, Item: userItem(Math.floor(r() * d.users)) }),
      );
    },
  },
  {
    name: 'GetItem',
    op: 'GetItem',
    bodies: (d) => {
      const r = prng(2);
      return Array.from({ length: POOL }, () =>
        JSON.stringify({ TableName: TABLE, Key: userKey(Math.floor(r() * d.users)) }),
      );
    },
  },
  {
    name: 'UpdateItem (conditional)',
    op: 'UpdateItem',
    bodies: (d) => {
      const r = prng(3);
      return Array.from({ length: POOL }, () =>
        JSON.stringify({
          TableName: TABLE,
          Key: userKey(Math.floor(r() * d.users)),
          UpdateExpression: 'SET age = age + :one, #s = :s',
          ConditionExpression: 'attribute_exists(pk) AND age < :max',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':one': { N: '1' }, ':max': { N: '1000000000' }, ':s': { S: 'seen' } },
        }),
      );
    },
  },
  {
    name: 'Query (100 items)',
    op: 'Query',
    bodies: (d) =>
      Array.from({ length: d.partitions }, (_, p) =>
        JSON.stringify({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: `q#${p}` } },
        }),
      ),
  },
  {
    name: 'Scan (pages of 100)',
    op: 'Scan',
    bodies: (_d, scanKeys) =>
      scanKeys.map((k) =>
        JSON.stringify({ TableName: TABLE, Limit: 100, ...(k ? { ExclusiveStartKey: k } : {}) }),
      ),
  },
  {
    name: 'BatchWriteItem (25)',
    op: 'BatchWriteItem',
    bodies: (d) => {
      const r = prng(4);
      return Array.from({ length: POOL / 8 }, () => {
        const start = Math.floor(r() * (d.users - 25));
        return JSON.stringify({
          RequestItems: {
            [TABLE]: Array.from({ length: 25 }, (_, k) => ({ PutRequest: { Item: userItem(start + k) } })),
          },
        });
      });
    },
  },
  {
    name: 'ExecuteStatement (by key)',
    op: 'ExecuteStatement',
    bodies: (d) => {
      const r = prng(5);
      return Array.from({ length: POOL }, () =>
        JSON.stringify({
          Statement: `SELECT * FROM "${TABLE}" WHERE pk = ? AND sk = ?`,
          Parameters: [{ S: `user#${Math.floor(r() * d.users)}` }, { N: '1' }],
        }),
      );
    },
  },
  {
    name: 'TransactWriteItems (4)',
    op: 'TransactWriteItems',
    bodies: (d) => {
      const r = prng(6);
      return Array.from({ length: POOL / 4 }, () => {
        const start = Math.floor(r() * (d.users - 4));
        return JSON.stringify({
          TransactItems: [
            { Put: { TableName: TABLE, Item: userItem(start) } },
            { Put: { TableName: TABLE, Item: userItem(start + 1) } },
            {
              Update: {
                TableName: TABLE,
                Key: userKey(start + 2),
                UpdateExpression: 'SET age = age + :one',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
            {
              Update: {
                TableName: TABLE,
                Key: userKey(start + 3),
                UpdateExpression: 'SET age = age + :one',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
          ],
        });
      });
    },
  },
];

/** Creates the table through the API and waits until it is ACTIVE. */
export async function createBenchTable(port: number): Promise<void> {
  await callOk(port, 'CreateTable', CREATE_TABLE);
  for (let i = 0; i < 200; i++) {
    const d = (await callOk(port, 'DescribeTable', { TableName: TABLE })) as {
      Table?: { TableStatus?: string };
    };
    if (d.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('table did not become ACTIVE');
}

/** Loads the dataset through BatchWriteItem, a few requests in flight. */
export async function loadDataset(port: number, data: Dataset): Promise<void> {
  const items: Item[] = [];
  for (let i = 0; i < data.users; i++) items.push(userItem(i));
  for (let p = 0; p < data.partitions; p++) for (let s = 0; s < QUERY_SIZE; s++) items.push(queryItem(p, s));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const batch = items.slice(next, next + 25);
      next += 25;
      let requests: unknown = { [TABLE]: batch.map((Item) => ({ PutRequest: { Item } })) };
      for (let attempt = 0; attempt < 20; attempt++) {
        const r = (await callOk(port, 'BatchWriteItem', { RequestItems: requests })) as {
          UnprocessedItems?: Record<string, unknown[]>;
        };
        const left = r.UnprocessedItems?.[TABLE];
        if (!left || left.length === 0) break;
        requests = r.UnprocessedItems;
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/** The ExclusiveStartKeys of the first `pages` Scan pages of 100 (the first is undefined). */
export async function scanPageKeys(port: number, pages: number): Promise<(Item | undefined)[]> {
  const keys: (Item | undefined)[] = [undefined];
  let start: Item | undefined;
  while (keys.length < pages) {
    const r = (await callOk(port, 'Scan', {
      TableName: TABLE,
      Limit: 100,
      ...(start ? { ExclusiveStartKey: start } : {}),
    })) as {
      LastEvaluatedKey?: Item;
    };
    if (!r.LastEvaluatedKey) break;
    start = r.LastEvaluatedKey;
    keys.push(start);
  }
  return keys;
}
