// Browser mode, never stall the endpoint (issue 17, point 4): on a table of 200,000 items, the index
// designer samples the table, previews a GSI and re-plans a saved query that scans the whole table
// (EXPLAIN's estimate reads all 200,000 items) while a GetItem probe runs beside it over HTTP on the
// same endpoint. The studio's work runs in slices that yield to the event loop, so the probe's p99
// stays within 20 ms, and the figures the designer shows are those of the engine's own EXPLAIN.
// (Tests do not time things as a rule; the issue asks for exactly this bound. The probe is many
// calls, and the bound allows for a loaded machine: see `bound` below.)
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../../engine/index.js';
import { encodeKey } from '../../../engine/tables/schema.js';
import { writeItem } from '../../../engine/tables/write.js';
import type { Studio } from './support.js';
import {
  openStudio,
  screenshotOnFailure,
  setHash,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const ITEMS = 200_000;
const OPEN_TICKETS = "SELECT * FROM Tickets WHERE status = 'open'";

/** 200,000 items in one transaction through the engine's own write path (a few seconds). */
function seedTickets(engine: Engine): void {
  engine.execute('CreateTable', {
    TableName: 'Tickets',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const ctx = engine.ctx;
  const table = ctx.catalog.get('Tickets')!;
  ctx.db.transaction(() => {
    for (let i = 0; i < ITEMS; i++) {
      const item = {
        id: { S: `ticket-${i}` },
        status: { S: i % 4 === 0 ? 'open' : 'closed' },
        title: { S: `Ticket number ${i}` },
      };
      writeItem(ctx, table, encodeKey(table.key, item), undefined, 0, item);
    }
  });
}

/** GetItem over HTTP (keep-alive), as an SDK beside the studio would call it. */
function getItemClient(url: string): { getItem(id: string): Promise<unknown>; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    getItem(id) {
      const body = JSON.stringify({ TableName: 'Tickets', Key: { id: { S: id } } });
      return new Promise((resolve, reject) => {
        const req = http.request(
          new URL('/', url),
          {
            method: 'POST',
            agent,
            headers: {
              'Content-Type': 'application/x-amz-json-1.0',
              'X-Amz-Target': 'DynamoDB_20120810.GetItem',
              Authorization:
                'AWS4-HMAC-SHA256 Credential=x/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
              'Content-Length': String(Buffer.byteLength(body)),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              if (res.statusCode !== 200) reject(new Error(`${res.statusCode}: ${text}`));
              else resolve(JSON.parse(text));
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

interface ProbeCall {
  /** Wall-clock latency. */
  ms: number;
  /**
   * CPU time this process spent while the call was out (main thread and helpers): what the call
   * waited for on a machine with a core to spare. Unlike `ms`, other programs on a busy machine do
   * not inflate it, while studio work that held the event loop during the call does.
   */
  cpuMs: number;
}

/** Runs GetItem calls back to back (so no stall can fall between them) until `stop()`. */
function startProbe(client: ReturnType<typeof getItemClient>) {
  const calls: ProbeCall[] = [];
  let stopped = false;
  const loop = (async () => {
    let i = 0;
    while (!stopped) {
      const id = `ticket-${(i++ * 7919) % ITEMS}`;
      const cpu = process.cpuUsage();
      const t = performance.now();
      const out = (await client.getItem(id)) as { Item?: { id: { S: string } } };
      const used = process.cpuUsage(cpu);
      calls.push({ ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 });
      assert.equal(out.Item?.id.S, id);
    }
  })();
  return {
    async stop(): Promise<ProbeCall[]> {
      stopped = true;
      await loop;
      return calls;
    },
  };
}

function percentile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

function summary(calls: ProbeCall[]): string {
  const ms = calls.map((c) => c.ms);
  const cpu = calls.map((c) => c.cpuMs);
  return (
    `${calls.length} calls, p50 ${percentile(ms, 0.5).toFixed(1)} ms, p99 ${percentile(ms, 0.99).toFixed(1)} ms, ` +
    `max ${Math.max(...ms).toFixed(1)} ms (CPU p99 ${percentile(cpu, 0.99).toFixed(1)} ms, max ${Math.max(...cpu).toFixed(1)} ms)`
  );
}

describe('studio (browser mode): studio work never stalls the endpoint', () => {
  let s: Studio;
  let client: ReturnType<typeof getItemClient>;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    seedTickets(s.engine);
    client = getItemClient(s.server.url);
    await s.api('queries', { op: 'save', name: 'open tickets', statement: OPEN_TICKETS });
    await openStudio(s, '#/query');
  });

  after(async () => {
    client?.close();
    await s?.close();
  });

  it(
    'keeps a GetItem probe within 20 ms (p99) while the designer previews an index on 200,000 items',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        // The machine's own noise: the probe while the studio idles.
        const idle = startProbe(client);
        await new Promise((r) => setTimeout(r, 1500));
        const idleCalls = await idle.stop();

        const probe = startProbe(client);
        await setHash(page, '#/indexes/Tickets');
        await waitForText(
          page,
          '[data-testid=designer-sample]',
          /a sample of [\d,]+ of 200,000 items/,
          60_000,
        );
        await page.selectOption('[data-testid=designer-pk]', 'status');
        await page.waitForSelector('[data-testid=preview-count] .card-value');
        // Re-planning: EXPLAIN of the saved scan reads all 200,000 items, and the proposed index is
        // planned on a scratch copy of a sample.
        await page.waitForSelector('[data-testid=impact-row][data-verdict=scan-to-query]', {
          timeout: 120_000,
        });
        const calls = await probe.stop();

        // The figures shown are the engine's own: the scan reads every item, at its capacity.
        const plan = s.engine.explain(OPEN_TICKETS);
        assert.equal(plan.EstimatedItemsRead, ITEMS);
        const now = await page.textContent(
          '[data-testid=impact-row][data-verdict=scan-to-query] td:nth-child(2)',
        );
        assert.ok(
          now?.includes(`${plan.EstimatedReadCapacityUnits} RCU`) && now.includes('200,000 items read'),
          `the designer shows ${now}, EXPLAIN says ${plan.EstimatedReadCapacityUnits} RCU`,
        );

        console.log(`GetItem probe while idle: ${summary(idleCalls)}`);
        console.log(`GetItem probe while the designer worked: ${summary(calls)}`);
        assert.ok(calls.length >= 200, `only ${calls.length} probes ran`);
        // What the issue asks: p99 within 20 ms. On a machine shared by many busy programs even an
        // idle endpoint misses that, so the bound grows with the idle probe's own p99 there; a
        // stall of the event loop (seconds, before the work was sliced) is far beyond either.
        const idleP99 = percentile(
          idleCalls.map((c) => c.ms),
          0.99,
        );
        const bound = idleP99 <= 5 ? 20 : 20 + 4 * idleP99;
        const p99 = percentile(
          calls.map((c) => c.ms),
          0.99,
        );
        assert.ok(
          p99 <= bound,
          `GetItem p99 ${p99.toFixed(1)} ms while the designer worked (bound ${bound} ms)`,
        );
        // The same in CPU time, which other programs do not inflate: p99 within 20 ms, and no call
        // waited behind one long stretch of studio work.
        const cpu = calls.map((c) => c.cpuMs);
        assert.ok(percentile(cpu, 0.99) <= 20, `GetItem CPU-time p99 ${percentile(cpu, 0.99).toFixed(1)} ms`);
        assert.ok(Math.max(...cpu) <= 100, `a GetItem call waited ${Math.max(...cpu).toFixed(1)} ms of CPU`);
      });
    },
  );
});
