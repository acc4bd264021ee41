// The interactive shell in a pseudo-terminal, as a person uses it: completion, multi-line input,
// errors with a caret, history (up-arrow, Ctrl-R, the history file), paging, Ctrl-C and Ctrl-D.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../../engine/engine.js';
import { KEYS, spawnPty } from '../../support/pty.js';
import { put, seedOrders, shellCommand, tempDir } from './helpers.js';

/** The prompt on a line of its own (the screen's lines are compared with trailing blanks trimmed). */
const PROMPT = /sortkey>$/m;
/** The machine may be busy: starting the shell under tsx can take a while. */
const START_MS = 60_000;

function env(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, SORTKEY_HOME: home, TERM: 'xterm-256color', ...extra };
  if (!('NO_COLOR' in extra)) delete e.NO_COLOR;
  delete e.FORCE_COLOR;
  // The built-in pager, whatever the environment's $PAGER.
  delete e.PAGER;
  return e;
}

describe('interactive shell', () => {
  it('completes, runs, pages, recalls history and quits', async () => {
    const home = tempDir();
    const engine = new Engine({ path: join(home, 'default.sqlite') });
    seedOrders(engine);
    for (let i = 0; i < 60; i++)
      put(engine, `INSERT INTO Orders VALUE {'pk': 'many', 'sk': '${String(i).padStart(2, '0')}'}`);
    engine.close();

    const [cmd, args] = shellCommand();
    const term = spawnPty(cmd, args, { cols: 100, rows: 24, env: env(home), timeoutMs: 90_000 });
    try {
      await term.waitFor(PROMPT, START_MS);
      assert.match(term.text(), /PartiQL shell — .*default\.sqlite/);

      // Tab completion: a keyword, then the table (sampled from the database).
      term.write('SEL');
      term.write(KEYS.tab);
      await term.waitFor(/sortkey> SELECT$/m);
      assert.equal(term.screen.col, 'sortkey> SELECT '.length);
      term.write('* FROM Or');
      term.write(KEYS.tab);
      await term.waitFor(/sortkey> SELECT \* FROM Orders$/m);
      term.write('WHERE ad');
      term.write(KEYS.tab);
      await term.waitFor(/WHERE address$/m);
      term.write(`${KEYS.ctrlW}pk = 'c#2';${KEYS.enter}`);
      await term.waitFor('(1 row');
      assert.match(term.all(), / pk {2}│ sk {2}│ status │ {33}total\n/);
      assert.match(
        term.all(),
        / c#2 │ o#1 │ open {3}│ 123456789012345678901234567890\.123456\n\(1 row · [\d.]+ ms · 0\.5 RCU\)/,
      );

      // A statement over several lines.
      term.write(`SELECT sk${KEYS.enter}`);
      await term.waitFor(/^ {5}\.\.>$/m);
      term.write(`FROM Orders WHERE pk = 'c#1';${KEYS.enter}`);
      await term.waitFor('(2 rows');

      // A mistake: the message, the statement, a caret under the problem.
      term.write(`SELECT * FORM Orders;${KEYS.enter}`);
      await term.waitFor('ValidationException');
      await term.waitFor(PROMPT);
      const lines = term.all().split('\n');
      const at = lines.findIndex((l) => l === '  SELECT * FORM Orders');
      assert.ok(at > 0, term.all());
      assert.equal(lines[at + 1]!.indexOf('^'), 2 + 'SELECT * '.length);

      // Up-arrow recalls the last statement; Ctrl-R finds an older one.
      term.write(KEYS.up);
      await term.waitFor(/sortkey> SELECT \* FORM Orders;$/m);
      term.write(`${KEYS.ctrlU}${KEYS.ctrlR}c#2`);
      await term.waitFor('bck-i-search: c#2');
      assert.match(term.text(), /sortkey> SELECT \* FROM Orders WHERE pk = 'c#2';/);
      term.write(KEYS.enter);
      await term.waitFor(/\(1 row[^]*\(2 rows[^]*\(1 row/);

      // Paging: a screenful, then more on space, then q stops.
      term.write(`SELECT sk FROM Orders WHERE pk = 'many';${KEYS.enter}`);
      // A screenful is 23 lines (24 rows, the question on the last): the header and 21 rows.
      await term.waitFor('-- more --');
      assert.match(term.text(), /^ sk\n─+\n 00\n[^]* 20\n -- more -- {2}21 rows so far/m);
      term.write(' ');
      await term.waitFor('44 rows so far');
      term.write('q');
      await term.waitFor(/\(44 of 60 rows shown · /);
      await term.waitFor(PROMPT);

      // Ctrl-C drops the input, Ctrl-D leaves.
      term.write('SELECT junk');
      term.write(KEYS.ctrlC);
      await term.waitFor(/SELECT junk\^C/);
      term.write(KEYS.ctrlD);
      assert.equal(await term.exit(), 0);

      const history = readFileSync(join(home, 'shell_history'), 'utf8');
      assert.ok(history.includes('"SELECT sk\\nFROM Orders WHERE pk = \'c#1\';"\n'), history);
      assert.ok(!history.includes('junk'));
      // Colours: keywords in the input line are highlighted.
      // eslint-disable-next-line no-control-regex
      assert.match(term.raw, /\x1b\[1m\x1b\[34mSELECT/);
    } finally {
      term.kill();
    }
  });

  it('cancels a running statement with Ctrl-C and stays open; no colours with NO_COLOR', async () => {
    // An endpoint that accepts connections and never answers.
    const sockets: Socket[] = [];
    const server: Server = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const [cmd, args] = shellCommand('--endpoint', `http://127.0.0.1:${port}`);
    const term = spawnPty(cmd, args, {
      cols: 80,
      rows: 20,
      env: env(tempDir(), { NO_COLOR: '1' }),
      timeoutMs: 90_000,
    });
    try {
      await term.waitFor(/127\.0\.0\.1:\d+>$/m, START_MS);
      term.write(`SELECT * FROM Orders WHERE pk = 'a';${KEYS.enter}`);
      await new Promise((r) => setTimeout(r, 400));
      term.write(KEYS.ctrlC);
      await term.waitFor('Cancelled.');
      await term.waitFor(/Cancelled\.\n127\.0\.0\.1:\d+>$/m);
      term.write('.quit\r');
      assert.equal(await term.exit(), 0);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(term.raw, /\x1b\[[0-9;]*m/);
    } finally {
      term.kill();
      for (const s of sockets) s.destroy();
      server.close();
    }
  });
});
