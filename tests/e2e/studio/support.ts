// Shared setup of the studio's browser-mode e2e tests: build the renderer if needed, start an
// in-memory endpoint with the studio on a free port, launch Debian's Chromium through playwright-core
// (one browser per test file), and keep a screenshot of every failing test under test-results/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { Engine } from '../../../engine/index.js';
import type { EngineOptions } from '../../../engine/index.js';
import type { SortkeyServer } from '../../../main/server/index.js';
import { startServer } from '../../../main/server/index.js';
import type { StartServerOptions } from '../../../main/server/index.js';
import { attachStudio } from '../../../main/studio/index.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CHROMIUM = process.env.SORTKEY_CHROMIUM ?? '/usr/bin/chromium';

/** The reason to skip browser tests, or false when they can run. */
export const skipBrowser: string | false = existsSync(CHROMIUM)
  ? false
  : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;

/** The newest modification time of the files below `dir` (0 when it is missing). */
function newestIn(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds renderer/dist unless it is there and newer than the sources it is built from (CI's
 * `npm ci` → prepare → build has built it; a developer's bundle may be older than their edits).
 */
export function ensureRendererBuilt(): void {
  const index = join(ROOT, 'renderer', 'dist', 'index.html');
  const sources = ['renderer/src', 'grammar', 'common'].map((d) => newestIn(join(ROOT, d)));
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources)) return;
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('building the studio (vite build) failed');
}

export interface Studio {
  server: SortkeyServer;
  engine: Engine;
  url: string;
  token: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and unhandled rejections in the page, in order. */
  errors: string[];
  /** Console warnings and errors the page printed (ag-grid's warnings among them). */
  warnings: string[];
  /** Calls a studio backend method over HTTP, as the page does (with the token header). */
  api(method: string, args?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Starts a server with the studio on a scratch engine (`options`: its settings; `serverOptions`:
 * the server's) and a browser.
 */
export async function startStudio(
  options: Omit<EngineOptions, 'path'> = {},
  serverOptions: Partial<StartServerOptions> = {},
): Promise<Studio> {
  ensureRendererBuilt();
  const engine = Engine.inMemory(options);
  const server = await startServer({ engine, port: 0, host: '127.0.0.1', ...serverOptions });
  const studio = attachStudio(server);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const warnings: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
  });
  return {
    server,
    engine,
    url: studio.url,
    token: studio.token,
    browser,
    context,
    page,
    errors,
    warnings,
    async api(method, args = {}) {
      const res = await fetch(new URL(`/studio/api/${method}`, studio.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Sortkey-Token': studio.token },
        body: JSON.stringify(args),
      });
      const body = (await res.json()) as unknown;
      if (!res.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
      return body;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.close({ graceMs: 100 });
      engine.close();
    },
  };
}

/** Opens the studio (token link) and waits for the app to show its tables. */
export async function openStudio(s: Studio, hash = '#/query'): Promise<void> {
  await s.page.goto(s.url);
  await s.page.waitForSelector('.topbar');
  await setHash(s.page, hash);
}

/** Keeps a screenshot of the page when the test failed (test-results/<file>-<test>.png). */
export async function screenshotOnFailure(
  t: TestContext,
  page: Page | undefined,
  fn: () => Promise<void>,
): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (page) {
      const dir = join(ROOT, 'test-results');
      mkdirSync(dir, { recursive: true });
      const name = `studio-${t.name}`.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 120);
      await page.screenshot({ path: join(dir, `${name}.png`) }).catch(() => undefined);
    }
    throw e;
  }
}

// Code run in the page: the test files have no DOM types, so the page's globals are typed here.
interface PageGlobals {
  document: { querySelector(selector: string): { textContent: string | null } | null };
  location: { hash: string };
  sortkeyStudioTest: { setEditorText(el: unknown, text: string): void; editorText(el: unknown): string };
}
const pageGlobals = (): PageGlobals => globalThis as unknown as PageGlobals;

/** Sets the text of the Monaco editor inside `container` (through Monaco's API: no auto-closing). */
export async function setEditorText(page: Page, container: string, text: string): Promise<void> {
  // A page that is still switching (a connection, a region) may replace the editor between the
  // wait and the call: then the call finds none, and is made again on the new one.
  for (let attempt = 0; ; attempt++) {
    await page.waitForSelector(`${container} .monaco-editor`);
    try {
      await page.evaluate(
        ([container, text]) => {
          const g = globalThis as unknown as PageGlobals;
          g.sortkeyStudioTest.setEditorText(g.document.querySelector(container), text);
        },
        [container, text] as const,
      );
      return;
    } catch (e) {
      if (attempt >= 50 || !String(e).includes('no editor there')) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The text of the Monaco editor inside `container`. */
export async function editorText(page: Page, container: string): Promise<string> {
  return page.evaluate((container) => {
    const g = globalThis as unknown as PageGlobals;
    return g.sortkeyStudioTest.editorText(g.document.querySelector(container));
  }, container);
}

export async function setHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((hash) => {
    (globalThis as unknown as PageGlobals).location.hash = hash;
  }, hash);
}

export function createOrdersTable(engine: Engine, name = 'Orders'): void {
  engine.execute('CreateTable', {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

/** Writes `count` items through BatchWriteItem (25 at a time). */
export function seedItems(
  engine: Engine,
  table: string,
  count: number,
  make: (i: number) => Record<string, unknown>,
): void {
  for (let i = 0; i < count; i += 25) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 25); j++) batch.push({ PutRequest: { Item: make(j) } });
    engine.execute('BatchWriteItem', { RequestItems: { [table]: batch } });
  }
}

/** Waits until the text of the first element matching `selector` equals (or matches) `expected`. */
export async function waitForText(
  page: Page,
  selector: string,
  expected: string | RegExp,
  timeout = 20_000,
): Promise<void> {
  const pattern = typeof expected === 'string' ? null : [expected.source, expected.flags];
  const exact = typeof expected === 'string' ? expected : null;
  await page.waitForFunction(
    ([selector, exact, pattern]) => {
      const text = (globalThis as unknown as PageGlobals).document.querySelector(selector)?.textContent ?? '';
      return pattern ? new RegExp(pattern[0]!, pattern[1]).test(text) : text === exact;
    },
    [selector, exact, pattern] as const,
    { timeout },
  );
}

/** Waits until the Monaco editor inside `container` holds `expected`. */
export async function waitForEditorText(
  page: Page,
  container: string,
  expected: string,
  timeout = 10_000,
): Promise<void> {
  await page.waitForFunction(
    ([container, expected]) => {
      const g = globalThis as unknown as PageGlobals;
      // Not there yet (the editors' chunk still loading, a new tab's editor not made): keep waiting.
      try {
        return g.sortkeyStudioTest.editorText(g.document.querySelector(container)) === expected;
      } catch {
        return false;
      }
    },
    [container, expected] as const,
    { timeout },
  );
}

export { pageGlobals };

// The page's globals, as far as these tests use them (the test files have no DOM types).
export interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
}
export interface PageDom {
  document: {
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): Iterable<PageElement> & { length: number };
  };
  navigator: { clipboard: { readText(): Promise<string> } };
}
