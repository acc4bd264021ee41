// `npm test` type-checks main/ and tests/ (tsconfig.json); the studio's renderer has its own
// tsconfig (DOM lib, bundler resolution), checked here so a type error in renderer/ fails the tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

it('renderer/ type-checks', () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const project of ['renderer/tsconfig.json', 'renderer/tsconfig.node.json']) {
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, `${project}:\n${r.stdout}${r.stderr}`);
  }
});
