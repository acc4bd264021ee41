// The interactive shell in a pseudo-terminal: the pager counts screen lines (wrapped ones too) and
// asks on a line of its own, $PAGER and --no-pager, the prompt inside BEGIN, completion of nested
// paths and of attributes before FROM.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import { KEYS, spawnPty } from '../../support/pty.js';
import { put, seedOrders, shellCommand, tempDir } from './helpers.js';

const PROMPT = /sortkey>$/m;
/** The machine is shared: starting the shell under tsx may take a while. */
const START_MS = 60_000;

function env(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, SORTKEY_HOME: home, NO_COLOR: '1', ...extra };
  delete e.FORCE_COLOR;
  if (!('PAGER' in extra)) delete e.PAGER;
  return e;
}

function seeded(): string {
  const home = tempDir();
  const engine = new Engine({ path: join(home, 'default.sqlite') });
  seedOrders(engine);
  for (let i = 0; i < 30; i++) {
    put(
      engine,
      `INSERT INTO Orders VALUE {'pk': 'wide', 'sk': '${String(i).padStart(2, '0')}', 'note': '${'x'.repeat(150)}'}`,
    );
  }
  engine.close();
  return home;
}

describe('interactive shell: paging and habits', () => {
  it('pages by screen lines, wrapped values included, and asks on a line of its own', async () => {
    const home = seeded();
    const [cmd, args] = shellCommand();
    const term = spawnPty(cmd, args, { cols: 80, rows: 20, env: env(home), timeoutMs: 90_000 });
    try {
      await term.waitFor(PROMPT, START_MS);
      term.write(`\\x${KEYS.enter}`);
      await term.waitFor('Expanded display is on.');
      term.write(`SELECT * FROM Orders WHERE pk = 'wide';${KEYS.enter}`);
      await term.waitFor('-- more --');
      await term.settle();
      const screen = term.text().split('\n');
      // Each record takes 6 screen lines (the note wraps twice): 3 records fit in 19 lines, and
      // the first one is still on the screen when the pager asks.
      assert.ok(
        screen.some((l) => l.startsWith('-[ 1 ]')),
        term.text(),
      );
      const last = screen[screen.length - 1]!;
      assert.match(last, /^ -- more -- {2}3 rows so far/);
      term.write(' ');
      await term.waitFor('6 rows so far');
      term.write('q');
      await term.waitFor(/\(6 of 30 rows shown/);
      await term.waitFor(PROMPT);

      // Inside BEGIN the prompt counts the queued statements.
      term.write(`BEGIN;${KEYS.enter}`);
      await term.waitFor(/sortkey\(tx 0\)>$/m);
      term.write(`INSERT INTO Orders VALUE {'pk': 'tx', 'sk': '1'};${KEYS.enter}`);
      await term.waitFor(/sortkey\(tx 1\)>$/m);
      term.write(`COMMIT;${KEYS.enter}`);
      await term.waitFor('COMMIT 1 statement applied as one transaction');
      await term.waitFor(PROMPT);

      // Completion: attributes before FROM once the table is named, and nested paths. Attribute
      // names come from a sample of the table and from results shown: show the item that has
      // `address` (which 25 sampled items in scan order need not include).
      term.write(`\\x off${KEYS.enter}`);
      await term.waitFor('Expanded display is off.');
      term.write(`SELECT * FROM Orders WHERE pk = 'c#1';${KEYS.enter}`);
      await term.waitFor('(2 rows');
      await term.waitFor(PROMPT);
      term.write('SELECT ad FROM Orders');
      term.write(KEYS.left.repeat(' FROM Orders'.length));
      term.write(KEYS.tab);
      await term.waitFor(/sortkey> SELECT address FROM Orders$/m);
      term.write(`${KEYS.ctrlE} WHERE address.c`);
      term.write(KEYS.tab);
      await term.waitFor(/WHERE address\.city$/m);
      term.write(`${KEYS.ctrlE}${KEYS.ctrlU}${KEYS.ctrlD}`);
      assert.equal(await term.exit(), 0);
    } finally {
      term.kill();
    }
  });

  it('hands long results to $PAGER, and --no-pager prints them whole', async () => {
    const home = seeded();
    const paged = join(home, 'paged.txt');
    const [cmd, args] = shellCommand();
    const term = spawnPty(cmd, args, {
      cols: 80,
      rows: 20,
      env: env(home, { PAGER: `cat > '${paged}'` }),
      timeoutMs: 90_000,
    });
    try {
      await term.waitFor(PROMPT, START_MS);
      term.write(`SELECT pk, sk FROM Orders WHERE pk = 'wide';${KEYS.enter}`);
      await term.waitFor(/^sortkey>$/m);
      await term.settle();
      assert.ok(existsSync(paged));
      const text = readFileSync(paged, 'utf8');
      assert.match(text, /^ pk {3}│ sk\n─+┼─+\n wide │ 00\n/);
      assert.match(text, / wide │ 29\n\(30 rows · /);
      // A short result is printed, not paged.
      term.write(`SELECT sk FROM Orders WHERE pk = 'c#2';${KEYS.enter}`);
      await term.waitFor('(1 row');
      term.write(KEYS.ctrlD);
      assert.equal(await term.exit(), 0);
    } finally {
      term.kill();
    }

    const [cmd2, args2] = shellCommand('--no-pager');
    const plain = spawnPty(cmd2, args2, {
      cols: 80,
      rows: 20,
      env: env(home, { PAGER: 'false' }),
      timeoutMs: 90_000,
    });
    try {
      await plain.waitFor(PROMPT, START_MS);
      plain.write(`SELECT pk, sk FROM Orders WHERE pk = 'wide';${KEYS.enter}`);
      await plain.waitFor('(30 rows');
      assert.doesNotMatch(plain.all(), /-- more --/);
      assert.match(plain.all(), / wide │ 00\n[^]* wide │ 29\n/);
      plain.write(KEYS.ctrlD);
      assert.equal(await plain.exit(), 0);
    } finally {
      plain.kill();
    }
  });
});
