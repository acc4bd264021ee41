// Browser mode (issue #17, points 11 and 12): saved queries and history live beside the database,
// so `localhost` and `127.0.0.1` see the same ones; and the small things: an INSERT says what it
// wrote and its capacity, the Save-query dialog names a query without cutting a word, a new item
// switches to DynamoDB JSON before its key is filled, Create Table forgets a fixed error, the bundle
// is served compressed, and a mistyped first word is underlined where it is.
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { Studio } from './support.js';
import {
  createOrdersTable,
  editorText,
  openStudio,
  screenshotOnFailure,
  setEditorText,
  setHash,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const PARTIQL = '[data-testid=partiql-editor]';
const LONG = `SELECT * FROM "Orders" WHERE "pk" = 'customer#1' AND "sk" > 10`;

interface Hooks {
  document: { querySelector(selector: string): unknown };
  sortkeyStudioTest: {
    markers(container: unknown): { line: number; startColumn: number; endColumn: number }[];
  };
}

describe('studio (browser mode): queries beside the database, and details', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    createOrdersTable(s.engine);
    await openStudio(s, '#/query');
    await s.page.waitForSelector(`${PARTIQL} .monaco-editor`);
  });

  after(async () => {
    await s?.close();
  });

  it(
    'names a saved query at a word boundary and shows it, with history, on another origin',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await setEditorText(page, PARTIQL, LONG);
        await page.click('[data-testid=run]');
        await waitForText(page, '[data-testid=result-count]', '0 items');
        await page.click('button:has-text("Save…")');
        const name = page.locator('[data-testid=prompt-dialog] input');
        await name.waitFor();
        const suggested = await name.inputValue();
        assert.ok(suggested.length <= 40, suggested);
        assert.ok(suggested.endsWith('…'), suggested);
        assert.ok(LONG.startsWith(suggested.slice(0, -1)), `"${suggested}" is the statement's start`);
        assert.match(LONG.slice(suggested.length - 1), /^ /, `"${suggested}" ends at a word boundary`);
        await page.click('[data-testid=prompt-dialog] button.primary');
        await page.waitForSelector('[data-testid=saved] strong');

        // Another origin of the same server: localhost instead of 127.0.0.1.
        const other = await s.context.newPage();
        try {
          await other.goto(s.url.replace('127.0.0.1', 'localhost'));
          await other.waitForSelector(`${PARTIQL} .monaco-editor`);
          await other.click('.side-panel .tab[data-tab=saved]');
          await waitForText(other, '[data-testid=saved] strong', suggested);
          await other.click('.side-panel .tab[data-tab=history]');
          await waitForText(other, '[data-testid=history] code', LONG);
        } finally {
          await other.close();
        }
      });
    },
  );

  it('says what an INSERT wrote and the capacity it consumed', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await setEditorText(
        page,
        PARTIQL,
        `INSERT INTO "Orders" VALUE {'pk': 'customer#9', 'sk': 1, 'note': 'x'}`,
      );
      await page.click('[data-testid=run]');
      await waitForText(
        page,
        '[data-testid=write-result]',
        /Inserted 1 item into Orders\..*1 write capacity unit/,
      );
      await waitForText(page, '[data-testid=result-count]', '1 item written');
      assert.match(
        (await page.locator('[data-testid=results-status]').textContent()) ?? '',
        /1 WCU consumed/,
      );
    });
  });

  it('underlines a mistyped first word where it is', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await setEditorText(page, PARTIQL, 'SELEC * FROM Orders');
      await waitForText(page, '[data-testid=problems]', /problem/);
      const markers = await page.evaluate((container) => {
        const g = globalThis as unknown as Hooks;
        return g.sortkeyStudioTest.markers(g.document.querySelector(container));
      }, PARTIQL);
      assert.deepEqual(
        markers.map((m) => [m.line, m.startColumn, m.endColumn]),
        [[1, 1, 6]],
        'the squiggle is under SELEC',
      );
      assert.match((await page.locator('[data-testid=problems]').textContent()) ?? '', /SELECT/);
    });
  });

  it('switches a new item to DynamoDB JSON before its key is filled', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await setHash(page, '#/tables/Orders');
      await waitForText(page, '[data-testid=table-title]', 'Orders');
      await page.click('[data-testid=new-item]');
      await page.waitForSelector('[data-testid=item-editor-text] .monaco-editor');
      await page.click('[data-testid=item-editor] .tab[data-mode=plain]');
      await setEditorText(page, '[data-testid=item-editor-text]', '{"pk": "", "sk": 0, "note": "draft"}');
      await page.click('[data-testid=item-editor] .tab[data-mode=dynamo]');
      await page.waitForFunction(() => true);
      const text = await editorText(page, '[data-testid=item-editor-text]');
      assert.deepEqual(JSON.parse(text), { pk: { S: '' }, sk: { N: '0' }, note: { S: 'draft' } });
      await page.keyboard.press('Escape');
      await page.click('[data-testid=discard-dialog] [data-testid=discard-changes]');
      await page.waitForSelector('[data-testid=item-editor]', { state: 'detached' });
    });
  });

  it('clears the Create Table error once the name is given', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await page.click('[data-testid=new-table]');
      await page.click('[data-testid=create-submit]');
      await waitForText(page, '[data-testid=create-error]', /Give the table a name/);
      await page.fill('[data-testid=table-name]', 'Invoices');
      await waitForText(page, '[data-testid=create-error]', /^(?!Give the table a name)/);
      await page.click('[data-testid=create-table] .modal-header button[aria-label=Close]');
      await page.waitForSelector('[data-testid=create-table]', { state: 'detached' });
    });
  });

  it('serves the bundle compressed (brotli or gzip)', { skip: skipBrowser }, async () => {
    const html = await s.page.content();
    const script = /src="\.\/(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, 'the page loads its bundle');
    const cookie = (await s.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const url = new URL(`/studio/${script}`, s.url);
    const http = await import('node:http');
    const get = (encoding: string): Promise<{ headers: Record<string, unknown>; body: Buffer }> =>
      new Promise((resolve, reject) => {
        http
          .get(url, { headers: { 'Accept-Encoding': encoding, Cookie: cookie } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    const plain = await get('identity');
    assert.equal(plain.headers['content-encoding'], undefined);
    const br = await get('gzip, deflate, br');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.ok(br.body.length < plain.body.length / 2, `${br.body.length} of ${plain.body.length} bytes`);
    const gz = await get('gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.body), plain.body);
  });
});
