// Does studio work stall the endpoint? A GetItem probe (over HTTP, every 5 ms) runs beside the index
// designer's work on a big table: its sample read (`read`, 3,000 items, as the page does) and
// `planAccess` with a proposed index (a scratch copy of 5,000 items, 20,000 with SAMPLE=20000).
// Prints the probe's latency percentiles while the designer works and while idle.
//
//   node --import tsx tests/bench/studio-probe.ts            (ITEMS=200000 by default)
//   ITEMS=50000 node --import tsx tests/bench/studio-probe.ts
import http from 'node:http';
import { Engine } from '../../engine/index.js';
import { startServer } from '../../main/server/index.js';
import { attachStudio } from '../../main/studio/index.js';

const ITEMS = Number(process.env.ITEMS ?? 200_000);
const SAMPLE = Number(process.env.SAMPLE ?? 5000);

const engine = Engine.inMemory();
const server = await startServer({ engine, port: 0, host: '127.0.0.1' });
const studio = attachStudio(server);
engine.execute('CreateTable', {
  TableName: 'Tickets',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
});
const started = performance.now();
for (let i = 0; i < ITEMS; i += 25) {
  const batch = [];
  for (let j = i; j < Math.min(ITEMS, i + 25); j++)
    batch.push({
      PutRequest: {
        Item: {
          id: { S: `ticket-${j}` },
          status: { S: j % 3 ? 'open' : 'closed' },
          title: { S: `Ticket number ${j}` },
          body: { S: 'lorem ipsum dolor sit amet '.repeat(1 + (j % 5)) },
        },
      },
    });
  engine.execute('BatchWriteItem', { RequestItems: { Tickets: batch } });
}
console.log(`seeded ${ITEMS} items in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
function post(path: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      new URL(path, server.url),
      { method: 'POST', agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(data)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${res.statusCode}: ${text.slice(0, 200)}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}
const getItem = () =>
  post(
    '/',
    {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'DynamoDB_20120810.GetItem',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=x/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    { TableName: 'Tickets', Key: { id: { S: `ticket-${Math.floor(Math.random() * ITEMS)}` } } },
  );
const api = (method: string, args: unknown) =>
  post(
    `/studio/api/${method}`,
    { 'Content-Type': 'application/json', 'X-Sortkey-Token': studio.token },
    args,
  );

async function probe(whileRunning: () => Promise<unknown>): Promise<{ ms: number[]; workMs: number }> {
  const ms: number[] = [];
  let done = false;
  const t0 = performance.now();
  const work = whileRunning().finally(() => (done = true));
  const loop = (async () => {
    while (!done) {
      const t = performance.now();
      await getItem();
      ms.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  await work;
  const workMs = performance.now() - t0;
  await loop;
  return { ms, workMs };
}

function report(label: string, r: { ms: number[]; workMs: number }): void {
  const s = [...r.ms].sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(2);
  console.log(
    `${label}: work ${(r.workMs / 1000).toFixed(2)} s, ${s.length} probes, GetItem p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${s[s.length - 1]!.toFixed(2)} ms`,
  );
}

report('idle', await probe(() => new Promise((r) => setTimeout(r, 1000))));
report(
  'designer sample read (3,000 items)',
  await probe(() => api('read', { operation: 'Scan', input: { TableName: 'Tickets' }, want: 3000 })),
);
const plan = (statements: string[]) => () =>
  api('planAccess', {
    statements,
    table: 'Tickets',
    sampleLimit: SAMPLE,
    proposed: {
      kind: 'GSI',
      index: {
        IndexName: 'byStatus',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
      attributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
    },
  });
// A key lookup: EXPLAIN is cheap, so this is the sample read and the scratch copy.
report(
  `planAccess of a key lookup with a proposed GSI (scratch copy of ${SAMPLE})`,
  await probe(plan(["SELECT * FROM Tickets WHERE id = 'ticket-1'"])),
);
// A scan: the engine's EXPLAIN estimates by reading the table (in slices, Engine.explainInSlices).
report(
  `planAccess of a scan with a proposed GSI (scratch copy of ${SAMPLE})`,
  await probe(() =>
    api('planAccess', {
      statements: [
        "SELECT * FROM Tickets WHERE status = 'open'",
        "SELECT * FROM Tickets WHERE id = 'ticket-1'",
      ],
      table: 'Tickets',
      sampleLimit: SAMPLE,
      proposed: {
        kind: 'GSI',
        index: {
          IndexName: 'byStatus',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
        attributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
      },
    }),
  ),
);
agent.destroy();
await server.close({ graceMs: 100 });
engine.close();
