import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultHistoryPath, History } from '../../../main/shell/history.js';
import { tempDir } from './helpers.js';

describe('history', () => {
  it('lives in SORTKEY_HOME/shell_history', () => {
    assert.equal(defaultHistoryPath({ SORTKEY_HOME: '/tmp/sk-home' }), '/tmp/sk-home/shell_history');
  });

  it('keeps entries across sessions, multi-line ones whole, without repeating the last', () => {
    const file = join(tempDir(), 'nested', 'shell_history');
    const first = new History(file);
    first.add('SELECT 1;');
    first.add('SELECT *\nFROM t;');
    first.add('SELECT *\nFROM t;');
    first.add('   ');
    assert.equal(readFileSync(file, 'utf8'), 'SELECT 1;\n"SELECT *\\nFROM t;"\n');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(new History(file).entries, ['SELECT 1;', 'SELECT *\nFROM t;']);
  });

  it('trims to its limit, keeping the newest', () => {
    const file = join(tempDir(), 'shell_history');
    writeFileSync(file, Array.from({ length: 12 }, (_, i) => `SELECT ${i};`).join('\n'));
    const h = new History(file, 5);
    assert.deepEqual(h.entries, ['SELECT 7;', 'SELECT 8;', 'SELECT 9;', 'SELECT 10;', 'SELECT 11;']);
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 5);
  });

  it('searches backwards and forwards, ignoring case', () => {
    const h = new History();
    for (const e of ['SELECT a;', '.mode json', 'select b;']) h.add(e);
    assert.equal(h.searchBackward('SELECT', 3), 2);
    assert.equal(h.searchBackward('SELECT', 2), 0);
    assert.equal(h.searchBackward('nothing', 3), -1);
    assert.equal(h.searchForward('select', 0), 2);
  });
});
