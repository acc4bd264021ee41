// Crash safety, bounded: 3 SIGKILL cycles of a `sortkey serve` child under concurrent writers (the
// full run, `npm run torture -- crash`, does 50). TORTURE_SEED picks the kill moments and writes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runCrashTorture } from './crash.js';
import { Rng, closeAgents, seedFromEnv } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'sortkey-crash-test-'));
after(() => {
  closeAgents();
  rmSync(dir, { recursive: true, force: true });
});

it(
  'keeps every acknowledged write and a clean file across SIGKILLs (3 cycles)',
  { timeout: 120_000 },
  async (t) => {
    const seed = seedFromEnv(20250101);
    t.diagnostic(`seed ${seed}`);
    const r = await runCrashTorture({
      dbFile: join(dir, 'crash.sqlite'),
      cycles: 3,
      writers: 4,
      rng: new Rng(seed),
      killAfterMs: [40, 300],
    });
    assert.deepEqual(r.problems, [], `seed ${seed}`);
    assert.ok(r.acknowledgedWrites > 0, 'the writers got some writes acknowledged');
  },
);
