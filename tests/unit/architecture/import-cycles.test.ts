// Import cycles in engine/ (tests/support/import-cycles.ts walks the imports with the TypeScript
// parser). There are none, not even of types alone: each feature service (streams, TTL, backups,
// metrics, replication, ...) declares the narrow host interface it needs beside itself, and
// EngineContext, above them all, composes the services and satisfies those interfaces (issue 22,
// "Shape"). A service that imported EngineContext back would close a circle and fail here.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { cycles, importGraph } from '../../support/import-cycles.js';

const ENGINE = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', 'engine');

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

  it('has no cycle of type imports either', () => {
    assert.deepEqual(cycles(graph.all), []);
  });

  it('keeps the services below EngineContext: none of them imports engine/context.ts', () => {
    const below = new Set<string>();
    const walk = (m: string): void => {
      for (const next of graph.all.get(m) ?? []) {
        if (below.has(next)) continue;
        below.add(next);
        walk(next);
      }
    };
    walk('context.ts');
    assert.ok(
      below.has('streams/service.ts') && below.has('metrics/monitor.ts'),
      'the walk reaches the services',
    );
    const back = [...below].filter((m) => graph.all.get(m)?.has('context.ts')).sort();
    assert.deepEqual(back, [], 'declare the narrow host interface a service needs beside it instead');
  });
});
