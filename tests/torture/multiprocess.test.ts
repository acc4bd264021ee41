// Several processes on one file, bounded: two `sortkey serve` children started together on a new
// file and a `sortkey import --db` run, writers on every server, a GSI created mid-run (the full
// run, `npm run torture -- multiprocess`, has three servers, three imports and many more writes).
// Checked: no lost item, the index complete through every server, no 5xx.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runMultiProcessTorture } from './multiprocess.js';
import { Rng, closeAgents, seedFromEnv } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'sortkey-multiprocess-test-'));
after(() => {
  closeAgents();
  rmSync(dir, { recursive: true, force: true });
});

it(
  'two servers and an import on one file lose nothing and keep a GSI created mid-run complete',
  { timeout: 240_000 },
  async (t) => {
    const seed = seedFromEnv(16016);
    t.diagnostic(`seed ${seed}`);
    const r = await runMultiProcessTorture({
      dbFile: join(dir, 'shared.sqlite'),
      rng: new Rng(seed),
      servers: 2,
      writers: 4,
      opsPerWriter: 100,
      imports: 1,
      itemsPerImport: 500,
      preload: 5_000,
      maxMs: 60_000,
    });
    t.diagnostic(
      `${r.requests} requests, ${r.acknowledged} acknowledged, ${r.throttled} throttled, ${r.importsOk} imports, ${r.itemsAtEnd} items, ${r.indexItems} in the index`,
    );
    assert.deepEqual(r.problems, [], `seed ${seed}`);
    assert.equal(r.fiveXX, 0);
    assert.ok(r.acknowledged > 0 && r.importsOk > 0, 'the writers and importers got work done');
  },
);
