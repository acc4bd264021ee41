// Browser mode, big data stays fast (issue #17, points 5–7): 5,400 items as JSON or DynamoDB JSON
// are drawn a screenful at a time (coloured, with Copy and Download of the whole text); typing in a
// PartiQL editor of 5,000 lines does not re-read the whole buffer on every keystroke (the time per
// keystroke is measured and printed, not asserted); the table browser reads ahead while scrolling
// and a new page size reads again.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { PageDom, Studio } from './support.js';
import {
  openStudio,
  screenshotOnFailure,
  seedItems,
  setEditorText,
  setHash,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const PARTIQL = '[data-testid=partiql-editor]';

const ITEMS = 5400;

interface TestHooks extends PageDom {
  sortkeyStudioTest: {
    splitWork(): { characters: number; calls: number };
    timeKeystrokes(container: unknown, text: string): { typeMs: number[]; completionMs: number[] };
  };
}

describe('studio (browser mode): big data stays fast', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    s.engine.execute('CreateTable', {
      TableName: 'Readings',
      AttributeDefinitions: [
        { AttributeName: 'sensor', AttributeType: 'S' },
        { AttributeName: 'at', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'sensor', KeyType: 'HASH' },
        { AttributeName: 'at', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    seedItems(s.engine, 'Readings', ITEMS, (i) => ({
      sensor: { S: 'probe-1' },
      at: { N: String(i) },
      value: { N: `${i}.25` },
      unit: { S: 'kPa' },
      tags: { SS: ['raw', `batch-${i % 9}`] },
      meta: { M: { ok: { BOOL: i % 7 !== 0 }, note: { NULL: true } } },
    }));
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openStudio(s, '#/query');
    await s.page.waitForSelector(`${PARTIQL} .monaco-editor`);
  });

  after(async () => {
    await s?.close();
  });

  it(
    'draws 5,400 items as JSON a screenful at a time, coloured, with Copy and Download',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await setEditorText(page, PARTIQL, `SELECT * FROM "Readings" WHERE "sensor" = 'probe-1'`);
        await page.click('[data-testid=run]');
        await waitForText(page, '[data-testid=result-count]', /items/);
        while (await page.locator('[data-testid=load-more]').isVisible()) {
          const before = await page.locator('[data-testid=result-count]').textContent();
          await page.click('[data-testid=load-more]');
          await page.waitForFunction(
            (before) =>
              (globalThis as unknown as TestHooks).document.querySelector('[data-testid=result-count]')
                ?.textContent !== before,
            before,
          );
        }
        await waitForText(page, '[data-testid=result-count]', '5,400 items');
        for (const tab of ['json', 'dynamo'] as const) {
          await page.click(`.results .tab[data-tab=${tab}]`);
          const view = '[data-testid=results-text]';
          await page.waitForSelector(`${view} .text-line`);
          const lines = await page.locator(`${view} .text-line`).count();
          assert.ok(lines > 20 && lines < 400, `only the lines in view are drawn (${lines})`);
          assert.ok((await page.locator(`${view} .tok-key`).count()) > 0, 'keys are coloured');
          if (tab === 'json')
            assert.ok((await page.locator(`${view} .tok-number`).count()) > 0, 'numbers are coloured');
          // The end of the text is reached by scrolling.
          await page.locator(view).evaluate((el) => (el.scrollTop = el.scrollHeight));
          await waitForText(page, `${view} .text-lines`, tab === 'json' ? /"at": 5399,/ : /"N": "5399"/);
        }
        // Copy and Download give the whole text.
        await page.click('[data-testid=text-copy]');
        const copied = await page.evaluate(() =>
          (globalThis as unknown as PageDom).navigator.clipboard.readText(),
        );
        const parsed = JSON.parse(copied) as unknown[];
        assert.equal(parsed.length, ITEMS);
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.click('[data-testid=text-download]'),
        ]);
        assert.equal(download.suggestedFilename(), 'items.ddb.json');
        const file = await download.path();
        assert.equal(readFileSync(file, 'utf8'), copied);
      });
    },
  );

  it(
    'types into a 5,000-line PartiQL editor without re-reading the whole buffer per keystroke',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await page.click('.results .tab[data-tab=table]');
        const lines: string[] = [];
        for (let i = 0; i < 1250; i++)
          lines.push(`SELECT * FROM "Readings"`, `WHERE "sensor" = 'probe-${i}'`, `  AND "at" > ${i}`, '');
        const text = lines.join('\n');
        await setEditorText(page, PARTIQL, text);
        // The debounced work of setting the text is done once the count stops moving (on a loaded
        // machine that takes longer than the debounce).
        const work = (): Promise<{ characters: number }> =>
          page.evaluate(() => (globalThis as unknown as TestHooks).sortkeyStudioTest.splitWork());
        let before = await work();
        for (let i = 0; i < 40; i++) {
          await page.waitForTimeout(i === 0 ? 600 : 300);
          const now = await work();
          if (now.characters === before.characters) break;
          before = now;
        }
        const typed = 'AND "unit" = ';
        // Typed in one task, each character as a keystroke with its completion request: a slow
        // machine then cannot let the 200 ms debounced pass run between keystrokes and count as
        // per-keystroke work (page.keyboard.type spreads them over many tasks).
        await page.evaluate(
          ([container, chars]) => {
            const g = globalThis as unknown as TestHooks;
            g.sortkeyStudioTest.timeKeystrokes(g.document.querySelector(container)!, chars);
            // Work the keystrokes queued for the next task counts too (the debounced pass may).
            return new Promise((resolve) => setTimeout(resolve, 0));
          },
          [PARTIQL, typed] as const,
        );
        const during = await page.evaluate(() =>
          (globalThis as unknown as TestHooks).sortkeyStudioTest.splitWork(),
        );
        // Per keystroke, nothing reads the whole buffer (a debounced pass after typing may).
        assert.ok(
          during.characters - before.characters <= text.length,
          `typing ${typed.length} characters tokenised ${during.characters - before.characters} characters of a ${text.length}-character buffer`,
        );
        // Measured, not asserted: the time one keystroke costs (model change + listeners) and the
        // completion it triggers, at the end of a 5,000-line buffer.
        const timing = await page.evaluate(
          ([container, chars]) => {
            const g = globalThis as unknown as TestHooks;
            return g.sortkeyStudioTest.timeKeystrokes(g.document.querySelector(container)!, chars);
          },
          [PARTIQL, 'unit'] as const,
        );
        const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
        console.log(
          `PartiQL editor at 5,000 lines: keystroke median ${median(timing.typeMs).toFixed(2)} ms, ` +
            `completion median ${median(timing.completionMs).toFixed(2)} ms`,
        );
        await setEditorText(page, PARTIQL, 'SELECT 1');
      });
    },
  );

  it('reads ahead while scrolling, and a new page size reads again', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await setHash(page, '#/tables/Readings');
      await waitForText(page, '[data-testid=loaded-count]', '100 items');
      await page.selectOption('select[aria-label="Page size"]', '250');
      await waitForText(page, '[data-testid=loaded-count]', '250 items');
      const loaded = async (): Promise<number> =>
        Number(
          ((await page.locator('[data-testid=loaded-count]').textContent()) ?? '').replace(/[^\d]/g, ''),
        );
      /** The last row index ag-grid has drawn (the view plus its small buffer). */
      const lastDrawn = (): Promise<number> =>
        page.evaluate(() =>
          Math.max(
            ...[
              ...(globalThis as unknown as TestHooks).document.querySelectorAll(
                '[data-testid=items-grid] .ag-row[row-index]',
              ),
            ].map((r) => Number(r.getAttribute('row-index'))),
          ),
        );
      // Scrolled to about row 60, far from the end of what is loaded but with less than a page
      // below the view: the next page is read ahead.
      await page.hover('[data-testid=items-grid] .ag-row[row-index="3"]');
      await page.mouse.wheel(0, 60 * 30);
      await waitForText(page, '[data-testid=loaded-count]', '500 items');
      // Scrolling on keeps a page ahead of the view.
      for (let step = 0; step < 5; step++) {
        await page.mouse.wheel(0, 300 * 30);
        await page.waitForTimeout(100);
        const drawn = await lastDrawn();
        const deadline = Date.now() + 20_000;
        while ((await loaded()) < Math.min(ITEMS, drawn + 200) && Date.now() < deadline)
          await page.waitForTimeout(100);
        assert.ok(
          (await loaded()) >= Math.min(ITEMS, drawn + 200),
          `rows ahead of row ${drawn}: ${await loaded()}`,
        );
      }
    });
  });
});
