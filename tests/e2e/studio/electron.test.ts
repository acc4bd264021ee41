// The desktop app through Playwright's Electron driver: the window opens on the sortkey:// protocol
// with the studio, isolated from Node (no require, no process), with the CSP header, and the backend
// answers over IPC. Runs where Electron's binary is installed (and better-sqlite3 is built for it);
// reported skipped elsewhere.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ElectronApplication, Page } from 'playwright-core';
import { _electron } from 'playwright-core';
import { ROOT, ensureRendererBuilt, screenshotOnFailure, waitForText } from './support.js';

function electronBinary(): string | null {
  const override = process.env.SORTKEY_ELECTRON;
  if (override) return existsSync(override) ? override : null;
  const pathFile = join(ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

const electron = electronBinary();
const mainJs = join(ROOT, 'dist', 'main', 'electron', 'main.js');
const skip = !electron
  ? "Electron's binary is not installed (node node_modules/electron/install.js)"
  : !existsSync(mainJs)
    ? 'the app is not built (npm run build)'
    : false;

describe('studio (desktop app)', () => {
  let app: ElectronApplication;
  let page: Page;
  let userData: string;

  before(async () => {
    if (skip) return;
    ensureRendererBuilt();
    userData = mkdtempSync(join(tmpdir(), 'sortkey-electron-'));
    app = await _electron.launch({
      executablePath: electron!,
      args: [
        mainJs,
        '--in-memory',
        '--no-endpoint',
        `--user-data-dir=${userData}`,
        '--no-sandbox',
        '--disable-gpu',
      ],
      env: { ...process.env, SORTKEY_HOME: userData },
    });
    page = await app.firstWindow();
    await page.waitForSelector('.topbar');
  });

  after(async () => {
    await app?.close().catch(() => undefined);
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  it('loads the studio over sortkey://, sandboxed and isolated', { skip: skip }, async (t) => {
    await screenshotOnFailure(t, page, async () => {
      assert.match(page.url(), /^sortkey:\/\/studio\//);
      const exposed = await page.evaluate(() => {
        const g = globalThis as unknown as Record<string, unknown>;
        return { require: typeof g.require, process: typeof g.process, bridge: typeof g.sortkeyStudio };
      });
      assert.deepEqual(exposed, { require: 'undefined', process: 'undefined', bridge: 'object' });
      const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getTitle());
      assert.equal(title, 'Sortkey Studio');
    });
  });

  it('talks to the engine over IPC: create a table, see it in the sidebar', { skip: skip }, async (t) => {
    await screenshotOnFailure(t, page, async () => {
      const created = await page.evaluate(async () => {
        const bridge = (
          globalThis as unknown as {
            sortkeyStudio: {
              call(m: string, a: unknown): Promise<{ ok: boolean; value?: { name: string } }>;
            };
          }
        ).sortkeyStudio;
        return bridge.call('createTable', {
          TableName: 'Desk',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        });
      });
      assert.equal(created.ok, true);
      await page.click('button[aria-label="Refresh tables"]');
      await page.waitForSelector('.table-link[data-table=Desk]');
      await waitForText(page, '.conn-info .version', /^v\d/);
    });
  });
});
