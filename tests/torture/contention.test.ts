// Contention, bounded: 16 clients racing optimistic-lock increments on 3 hot items, blind ADDs and
// transfers between 8 accounts, with TransactGetItems snapshots checking the total as they go.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runContentionTorture, setupContention } from './contention.js';
import { Rng, closeAgents, seedFromEnv, startServerChild } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'sortkey-contention-test-'));
after(() => {
  closeAgents();
  rmSync(dir, { recursive: true, force: true });
});

it(
  'counts every acknowledged increment exactly and never changes the total balance',
  { timeout: 120_000 },
  async (t) => {
    const seed = seedFromEnv(424242);
    t.diagnostic(`seed ${seed}`);
    const server = await startServerChild(join(dir, 'contention.sqlite'));
    try {
      await setupContention(server.port, 3, 8);
      const r = await runContentionTorture({
        port: server.port,
        rng: new Rng(seed),
        clients: 16,
        opsPerClient: 40,
        maxMs: 15_000,
        hotItems: 3,
        accounts: 8,
      });
      assert.deepEqual(r.problems, [], `seed ${seed}`);
      assert.ok(r.increments > 0 && r.transfers > 0 && r.snapshots > 0, 'the clients got work done');
    } finally {
      await server.stop();
    }
  },
);
