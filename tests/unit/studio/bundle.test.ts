// What the studio's build ships (renderer/dist, served under /studio/ and sortkey://studio/): Monaco's
// editor worker in its own file and no other worker, none of Monaco's languages (PartiQL and the
// item JSON are the studio's own), and none of the editor features it does not use (the diff
// command palette, sticky scroll, code lenses, parameter hints, …; see src/editor/monaco.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, ensureRendererBuilt } from '../../e2e/studio/support.js';

const ASSETS = join(ROOT, 'renderer', 'dist', 'assets');

describe('studio bundle', () => {
  ensureRendererBuilt();
  const files = readdirSync(ASSETS);
  const scripts = files.filter((f) => f.endsWith('.js'));
  const code = scripts.map((f) => readFileSync(join(ASSETS, f), 'utf8')).join('\n');

  it("has Monaco's editor worker in a file of its own, and no language workers", () => {
    const workers = scripts.filter((f) => /worker/i.test(f));
    assert.equal(workers.length, 1, workers.join(', '));
    assert.match(workers[0]!, /^editor\.worker-[\w-]+\.js$/);
    const index = readFileSync(join(ROOT, 'renderer', 'dist', 'index.html'), 'utf8');
    assert.ok(!index.includes('worker'), 'the page does not load the worker up front');
  });

  it("loads Monaco only with the first editor: the page's first script is the app without it", () => {
    const index = readFileSync(join(ROOT, 'renderer', 'dist', 'index.html'), 'utf8');
    const entries = [...index.matchAll(/<script[^>]*src="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
    assert.equal(entries.length, 1, index);
    const entry = readFileSync(join(ASSETS, entries[0]!), 'utf8');
    for (const marker of ['find-widget', 'suggest-widget', 'monaco-hover', 'editor.worker'])
      assert.ok(!entry.includes(marker), `the first script holds ${marker}`);
    const editors = scripts.filter((f) => /^editors-[\w-]+\.js$/.test(f));
    assert.equal(editors.length, 1, `Monaco's chunk: ${scripts.join(', ')}`);
    assert.ok(entry.includes(editors[0]!), 'the app fetches the chunk by name when an editor opens');
  });

  it("includes none of Monaco's languages", () => {
    for (const id of [
      'typescript',
      'javascript',
      'json',
      'css',
      'html',
      'python',
      'csharp',
      'yaml',
      'sql',
      'mysql',
    ])
      assert.ok(!code.includes(`id:"${id}"`) && !code.includes(`"${id}"`), `language ${id} is bundled`);
    assert.ok(!/(ts|json|css|html)\.worker/.test(code), 'a language worker is referenced');
  });

  it('includes none of the editor features the studio does not use', () => {
    for (const [feature, marker] of [
      ['sticky scroll', 'sticky-widget'],
      ['code lenses', 'codelens-decoration'],
      ['parameter hints', 'parameter-hints-widget'],
    ] as const)
      assert.ok(!code.includes(marker), `${feature} (${marker}) is bundled`);
    // …while the ones it uses are there: find, completion, hover.
    for (const marker of ['find-widget', 'suggest-widget', 'monaco-hover'])
      assert.ok(code.includes(marker), marker);
  });
});
