// Import cycles in engine/ (tests/support/import-cycles.ts walks the imports with the TypeScript
// parser). None may load code at run time; the one circle of type imports round EngineContext
// (issue 22, "Shape") may shrink but never grow, until the services depend on narrow interfaces.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { cycles, importGraph } from '../../support/import-cycles.js';

const ENGINE = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', 'engine');

/** The modules of the type-level circle round engine/context.ts as it stands (2026-12-07). */
const KNOWN_TYPE_CIRCLE = new Set([
  'backups/backups.ts',
  'backups/export.ts',
  'backups/jobs.ts',
  'backups/pitr.ts',
  'context.ts',
  'dump/journal.ts',
  'metrics/keys.ts',
  'metrics/monitor.ts',
  'operations/itemCollection.ts',
  'operations/transactions.ts',
  'operations/writePlan.ts',
  'replication/fill.ts',
  'replication/service.ts',
  'streams/records.ts',
  'streams/service.ts',
  'tables/backfill.ts',
  'tables/catalog.ts',
  'tables/write.ts',
  'throttle/errors.ts',
  'throttle/faults.ts',
  'throttle/throttler.ts',
  'ttl/background.ts',
  'ttl/service.ts',
]);

describe('engine import cycles', () => {
  const graph = importGraph(ENGINE);

  it('finds a cycle when there is one (the checker itself)', () => {
    const g = new Map([
      ['a.ts', new Set(['b.ts'])],
      ['b.ts', new Set(['c.ts'])],
      ['c.ts', new Set(['a.ts'])],
      ['d.ts', new Set(['a.ts'])],
    ]);
    assert.deepEqual(cycles(g), [['a.ts', 'b.ts', 'c.ts']]);
  });

  it('has no import that loads code in a cycle', () => {
    assert.deepEqual(cycles(graph.runtime), []);
  });

  it('has no type-level cycle beyond the known circle round EngineContext', () => {
    for (const group of cycles(graph.all)) {
      const extra = group.filter((m) => !KNOWN_TYPE_CIRCLE.has(m));
      assert.deepEqual(extra, [], `modules newly in an import cycle: ${group.join(', ')}`);
    }
  });
});
