// The line editor, driven with key bytes as a terminal sends them; what it draws is replayed on an
// emulated screen, so the assertions read what a person would see.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { Suggestion } from '../../../grammar/partiql/index.js';
import { LineEditor } from '../../../main/shell/editor.js';
import type { ReadResult } from '../../../main/shell/editor.js';
import { History } from '../../../main/shell/history.js';
import { KeyReader } from '../../../main/shell/keys.js';
import { inputComplete } from '../../../main/shell/repl.js';
import { makeColors } from '../../../main/shell/text.js';
import { KEYS, Screen } from '../../support/pty.js';

interface Harness {
  editor: LineEditor;
  screen: Screen;
  history: History;
  type(text: string): Promise<void>;
  read(): Promise<ReadResult>;
}

function harness(
  options: {
    cols?: number;
    history?: string[];
    complete?: (text: string, cursor: number) => Suggestion[];
  } = {},
): Harness {
  const input = new PassThrough();
  const keys = new KeyReader(input);
  const cols = options.cols ?? 40;
  const screen = new Screen(cols, 12);
  const history = new History();
  for (const h of options.history ?? []) history.add(h);
  const complete = options.complete;
  const editor = new LineEditor({
    keys,
    output: { columns: cols, write: (s: string) => screen.write(s) },
    colors: makeColors(false),
    history,
    prompt: 'sk> ',
    continuation: '..> ',
    isComplete: inputComplete,
    ...(complete ? { complete: async (t: string, c: number) => complete(t, c) } : {}),
  });
  return {
    editor,
    screen,
    history,
    async type(text: string) {
      input.write(text);
      // Let the keypress events and the editor's async handling run.
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    },
    read: () => editor.read(),
  };
}

describe('line editor', () => {
  it('runs a complete statement on Enter and continues an incomplete one on the next line', async () => {
    const h = harness();
    const result = h.read();
    await h.type('SELECT *\rFROM t;\r');
    assert.deepEqual(await result, { kind: 'line', text: 'SELECT *\nFROM t;' });
    assert.equal(h.screen.text(), 'sk> SELECT *\n..> FROM t;');
  });

  it('runs meta-commands and bare exit words without a semicolon', async () => {
    const h = harness();
    let result = h.read();
    await h.type('.tables\r');
    assert.deepEqual(await result, { kind: 'line', text: '.tables' });
    result = h.read();
    await h.type('quit\r');
    assert.deepEqual(await result, { kind: 'line', text: 'quit' });
  });

  it('wraps long lines and edits in the middle of them', async () => {
    const h = harness({ cols: 20 });
    const result = h.read();
    await h.type("SELECT * FROM t WHERE a = 'xyz'");
    assert.equal(h.screen.text(), "sk> SELECT * FROM t\nWHERE a = 'xyz'");
    await h.type(`${KEYS.left.repeat(5)}${KEYS.backspace}b${KEYS.ctrlE};`);
    assert.equal(h.screen.text(), "sk> SELECT * FROM t\nWHERE a =b'xyz';");
    await h.type(KEYS.enter);
    assert.deepEqual(await result, { kind: 'line', text: "SELECT * FROM t WHERE a =b'xyz';" });
  });

  it('handles a line that exactly fills the terminal width', async () => {
    const h = harness({ cols: 20 });
    const result = h.read();
    await h.type('SELECT 1234567890;'); // 4 + 16 = 20 columns
    await h.type(`${KEYS.ctrlA}X`);
    assert.equal(h.screen.text(), 'sk> XSELECT 12345678\n90;');
    await h.type(KEYS.enter);
    assert.deepEqual(await result, { kind: 'line', text: 'XSELECT 1234567890;' });
  });

  it('recalls history with up and down, whole multi-line entries at a time', async () => {
    const h = harness({ history: ['SELECT 1;', 'SELECT *\nFROM t;'] });
    const result = h.read();
    await h.type('draft');
    await h.type(KEYS.up);
    assert.equal(h.screen.text(), 'sk> SELECT *\n..> FROM t;');
    await h.type(KEYS.up);
    assert.equal(h.screen.text(), 'sk> SELECT 1;');
    await h.type(KEYS.down + KEYS.down);
    assert.equal(h.screen.text(), 'sk> draft');
    await h.type(KEYS.up + KEYS.up + KEYS.enter);
    assert.deepEqual(await result, { kind: 'line', text: 'SELECT 1;' });
  });

  it('moves between the lines of a multi-line input with up and down', async () => {
    const h = harness({ history: ['old;'] });
    const result = h.read();
    await h.type(`SELECT a\rFROM t${KEYS.up}X${KEYS.down}Y;\r`);
    assert.deepEqual(await result, { kind: 'line', text: 'SELECTX a\nFROM tY;' });
  });

  it('searches history backwards with Ctrl-R', async () => {
    const h = harness({ history: ["SELECT * FROM Orders WHERE pk = 'a';", '.mode json', 'SELECT 2;'] });
    const result = h.read();
    await h.type(`${KEYS.ctrlR}ord`);
    // 40 columns exactly: the cursor waits on the next row, then the search line.
    assert.equal(h.screen.text(), "sk> SELECT * FROM Orders WHERE pk = 'a';\n\nbck-i-search: ord");
    await h.type(`${KEYS.ctrlR}`);
    assert.match(h.screen.text(), /failing bck-i-search: ord/);
    await h.type(KEYS.enter);
    assert.deepEqual(await result, { kind: 'line', text: "SELECT * FROM Orders WHERE pk = 'a';" });
  });

  it('leaves Ctrl-R search with Ctrl-G, restoring the input', async () => {
    const h = harness({ history: ['SELECT 2;'] });
    const result = h.read();
    await h.type(`typed${KEYS.ctrlR}sel\x07`);
    assert.equal(h.screen.text(), 'sk> typed');
    await h.type(KEYS.ctrlC);
    assert.deepEqual(await result, { kind: 'interrupt' });
  });

  it('completes a single candidate, and lists several under the input', async () => {
    const candidates = (
      labels: string[],
      offset: number,
      length: number,
      kind: Suggestion['kind'] = 'table',
    ): Suggestion[] =>
      labels.map((label) => ({ label, kind, insertText: label, replace: { offset, length } }));
    let offer: Suggestion[] = [];
    const h = harness({ complete: () => offer });
    const result = h.read();
    await h.type('SELECT * FROM Or');
    offer = candidates(['Orders'], 14, 2);
    await h.type(KEYS.tab);
    assert.equal(h.screen.text(), 'sk> SELECT * FROM Orders');
    await h.type('WHERE '); // the completed table name came with a space
    offer = candidates(['status', 'sk', 'total'], 27, 0, 'attribute');
    await h.type(KEYS.tab);
    assert.equal(h.screen.text(), 'sk> SELECT * FROM Orders WHERE\nstatus  sk      total');
    await h.type('s');
    offer = candidates(['status', 'sk'], 27, 1, 'attribute');
    await h.type(KEYS.tab);
    assert.equal(h.screen.text(), 'sk> SELECT * FROM Orders WHERE s\nstatus  sk');
    await h.type('t');
    offer = candidates(['status', 'statement'], 27, 2, 'attribute');
    await h.type(KEYS.tab);
    assert.equal(h.screen.text(), 'sk> SELECT * FROM Orders WHERE stat');
    offer = candidates(['status', 'statement'], 27, 4, 'attribute');
    await h.type(KEYS.tab);
    assert.equal(h.screen.text(), 'sk> SELECT * FROM Orders WHERE stat\nstatus     statement');
    await h.type(KEYS.ctrlC);
    assert.deepEqual(await result, { kind: 'interrupt' });
  });

  it('cancels the input with Ctrl-C and ends with Ctrl-D on an empty line', async () => {
    const h = harness();
    let result = h.read();
    await h.type('SELECT');
    await h.type(KEYS.ctrlC);
    assert.deepEqual(await result, { kind: 'interrupt' });
    assert.match(h.screen.text(), /^sk> SELECT\^C$/m);
    result = h.read();
    await h.type(`ab${KEYS.left}${KEYS.ctrlD}${KEYS.ctrlD}${KEYS.backspace}${KEYS.ctrlD}`);
    assert.deepEqual(await result, { kind: 'eof' });
  });

  it('keeps pasted newlines in the input instead of running it', async () => {
    const h = harness();
    const result = h.read();
    await h.type(`${KEYS.pasteStart}SELECT 1;\r\nSELECT 2;${KEYS.pasteEnd}`);
    assert.equal(h.screen.text(), 'sk> SELECT 1;\n..> SELECT 2;');
    await h.type(KEYS.enter);
    assert.deepEqual(await result, { kind: 'line', text: 'SELECT 1;\nSELECT 2;' });
  });

  it('inserts a newline with Alt-Enter even in a complete statement', async () => {
    const h = harness();
    const result = h.read();
    await h.type(`SELECT 1;${KEYS.left}${KEYS.altEnter}${KEYS.enter}`);
    assert.deepEqual(await result, { kind: 'line', text: 'SELECT 1\n;' });
  });

  it('kills and yanks words and lines', async () => {
    const h = harness();
    const result = h.read();
    await h.type(`SELECT a, b FROM t${KEYS.ctrlW}${KEYS.ctrlW}`);
    assert.equal(h.screen.text(), 'sk> SELECT a, b');
    await h.type(`${KEYS.ctrlA}\x1bf${KEYS.ctrlK}`);
    assert.equal(h.screen.text(), 'sk> SELECT');
    await h.type(`${KEYS.ctrlY};`);
    assert.equal(h.screen.text(), 'sk> SELECT a, b ;');
    await h.type(`${KEYS.ctrlU}SELECT 3;${KEYS.enter}`);
    assert.deepEqual(await result, { kind: 'line', text: 'SELECT 3;' });
  });
});
