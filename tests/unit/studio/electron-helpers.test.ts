// The desktop app's pure helpers: its flags, and the remembered window bounds (kept only while still
// on a display). The Electron process itself is covered by tests/e2e/studio/electron.test.ts where
// Electron's binary is installed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDesktopArgs } from '../../../main/electron/args.js';
import {
  DEFAULT_WINDOW_STATE,
  loadWindowState,
  saveWindowState,
  visibleState,
} from '../../../main/electron/window-state.js';

describe('desktop app flags', () => {
  it('defaults to the embedded database and the endpoint on :8000', () => {
    const o = parseDesktopArgs(['/app/main.js'], { SORTKEY_HOME: '/tmp/sk-home' });
    assert.deepEqual(o, {
      db: join('/tmp/sk-home', 'default.sqlite'),
      endpointPort: 8000,
      region: 'us-east-1',
    });
  });
  it('reads --db, --in-memory, --port, --no-endpoint and --region, ignoring Chromium flags', () => {
    assert.equal(parseDesktopArgs(['--db', '/x.sqlite'], {}).db, '/x.sqlite');
    assert.equal(parseDesktopArgs(['--db=/y.sqlite'], {}).db, '/y.sqlite');
    assert.equal(parseDesktopArgs(['--in-memory'], {}).db, ':memory:');
    assert.equal(parseDesktopArgs(['--port', '9000'], {}).endpointPort, 9000);
    assert.equal(parseDesktopArgs(['--port=abc'], {}).endpointPort, 8000);
    assert.equal(
      parseDesktopArgs(['--no-endpoint', '--no-sandbox', '--enable-logging'], {}).endpointPort,
      null,
    );
    assert.equal(parseDesktopArgs(['--region', 'eu-west-1'], {}).region, 'eu-west-1');
  });
});

describe('window state', () => {
  it('is saved and loaded, with defaults for missing or broken files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortkey-window-'));
    try {
      const file = join(dir, 'sub', 'window-state.json');
      assert.deepEqual(loadWindowState(file), DEFAULT_WINDOW_STATE);
      saveWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
      assert.deepEqual(loadWindowState(file), { x: 10, y: 20, width: 1000, height: 700, maximized: true });
      writeFileSync(file, '{broken');
      assert.deepEqual(loadWindowState(file), DEFAULT_WINDOW_STATE);
      writeFileSync(file, JSON.stringify({ width: 10, height: 10 }));
      assert.deepEqual(loadWindowState(file), { width: 640, height: 420, maximized: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('drops a position that is no longer on any display', () => {
    const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    const on = { x: 100, y: 100, width: 800, height: 600, maximized: false };
    assert.deepEqual(visibleState(on, screens), on);
    const off = { x: 3000, y: 100, width: 800, height: 600, maximized: false };
    assert.deepEqual(visibleState(off, screens), { width: 800, height: 600, maximized: false });
  });
});
