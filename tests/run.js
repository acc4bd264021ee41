// `npm test`: type-checks the project, then runs every *.test.ts under tests/ with Node's test runner
// (TypeScript loaded through tsx) and ends with one plain line `N passed, N failed[, N skipped]`.
// Arguments narrow the run to files or folders: `npm test -- tests/unit/values`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const args = process.argv.slice(2);
const skipTypecheck = args.includes('--no-typecheck');
const targets = args.filter((a) => !a.startsWith('--'));

function collect(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name === 'fixtures') continue;
      collect(join(path, name), out);
    }
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

const files = [];
for (const t of targets.length ? targets : ['tests']) collect(join(root, t), files);

if (!skipTypecheck) {
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root],
    {
      stdio: 'inherit',
    },
  );
  if (tsc.status !== 0) {
    console.log('typecheck failed');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-timeout=300000',
    `--test-reporter=${join(root, 'tests/support/summary-reporter.js')}`,
    '--test-reporter-destination=stdout',
    ...files.map((f) => relative(root, f)),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, SORTKEY_TEST: '1' } },
);
process.exit(result.status ?? 1);
