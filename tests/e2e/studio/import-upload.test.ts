// Import from the UI of what the exports write (issue #19, studio point 3): the studio's own
// export-folder download (.tar) imports back into another table; an export folder as
// `sortkey export --format export-folder` leaves it is chosen as a folder; a bad record in a folder
// writes nothing and the rejects report lists it. A file is sent in pieces with the bytes sent shown,
// and Cancel while sending stops and discards it.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Route } from 'playwright-core';
import { exportTable } from '../../../engine/dump/index.js';
import type { Studio } from './support.js';
import {
  createOrdersTable,
  openStudio,
  screenshotOnFailure,
  seedItems,
  skipBrowser,
  startStudio,
  waitForText,
} from './support.js';

const GRID = '[data-testid=items-grid]';
/** Lines of the big file: about 5 MB, three pieces of DUMP_UPLOAD_BYTES (2 MB). */
const BIG_LINES = 40_000;

describe('studio: importing exports and uploads', { skip: skipBrowser }, () => {
  let s: Studio;
  let dir: string;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    dir = mkdtempSync(join(tmpdir(), 'sortkey-e2e-upload-'));
    createOrdersTable(s.engine, 'Orders');
    for (const t of ['FromTar', 'FromFolder', 'Bad', 'Big']) createOrdersTable(s.engine, t);
    seedItems(s.engine, 'Orders', 30, (i) => ({
      pk: { S: 'c' },
      sk: { N: String(i) },
      note: { S: `n${i}` },
    }));
  });
  after(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Every item of a table (a Scan answers at most 1 MB: page through). */
  function count(table: string): number {
    let n = 0;
    let start: unknown;
    do {
      const page = s.engine.execute('Scan', {
        TableName: table,
        Select: 'COUNT',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }) as { Count: number; LastEvaluatedKey?: unknown };
      n += page.Count;
      start = page.LastEvaluatedKey;
    } while (start);
    return n;
  }

  async function openImport(table: string): Promise<void> {
    await s.page.evaluate(`location.hash = '#/tables/${table}'`);
    await waitForText(s.page, '[data-testid=table-title]', table);
    await s.page.click('[data-testid=import-open]');
  }

  it('imports the studio’s export-folder download (.tar) into another table', async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await openStudio(s, '#/tables/Orders');
      await page.waitForSelector(`${GRID} .ag-row[row-index="0"]`);
      await page.click('[data-testid=export-open]');
      await page.selectOption('[data-testid=export-what]', 'table');
      await page.selectOption('[data-testid=export-format]', 'export-folder');
      const downloading = page.waitForEvent('download');
      await page.click('[data-testid=export-start]');
      const download = await downloading;
      assert.equal(download.suggestedFilename(), 'Orders.tar');
      const tar = join(dir, 'Orders.tar');
      await download.saveAs(tar);
      await page.keyboard.press('Escape');

      await openImport('FromTar');
      await page.setInputFiles('[data-testid=import-file]', tar);
      await page.click('[data-testid=import-start]');
      await waitForText(page, '[data-testid=import-status]', /^Imported 30 items \(export-folder\)/);
      assert.equal(count('FromTar'), 30);
      await page.keyboard.press('Escape');
      await page.waitForSelector(`${GRID} .ag-cell:has-text("n29")`);
    });
  });

  it('imports an export folder chosen as a folder, as `sortkey export` writes it', async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      const folder = join(dir, 'orders-export');
      await exportTable(s.engine as never, { table: 'Orders' }, folder, { format: 'export-folder' });
      await openImport('FromFolder');
      await page.setInputFiles('[data-testid=import-folder]', folder);
      await page.selectOption('[data-testid=import-format]', 'export-folder');
      await page.click('[data-testid=import-start]');
      await waitForText(page, '[data-testid=import-status]', /^Imported 30 items \(export-folder\)/);
      assert.equal(count('FromFolder'), 30);
      await page.keyboard.press('Escape');
    });
  });

  it('a folder with a bad record writes nothing and offers the rejects report', async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      const folder = join(dir, 'bad-export');
      mkdirSync(join(folder, 'data'), { recursive: true });
      writeFileSync(
        join(folder, 'data', 'part-1.json'),
        '{"Item":{"pk":{"S":"x"},"sk":{"N":"1"}}}\n{"Item":{"pk":{"S":"x"},"sk":{"S":"not a number"}}}\n',
      );
      await openImport('Bad');
      await page.setInputFiles('[data-testid=import-folder]', folder);
      await page.click('[data-testid=import-start]');
      await waitForText(page, '[data-testid=import-status]', 'Nothing was written: 1 record rejected');
      await waitForText(page, '[data-testid=import-problems]', /line 2: /);
      const downloading = page.waitForEvent('download');
      await page.click('[data-testid=import-rejects]');
      assert.equal((await downloading).suggestedFilename(), 'rejects.ndjson');
      assert.equal(count('Bad'), 0);
      await page.keyboard.press('Escape');
    });
  });

  it('shows the bytes sent while uploading; Cancel stops and discards; then imports with progress', async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      const big = join(dir, 'big.jsonl');
      writeFileSync(big, '');
      for (let i = 0; i < BIG_LINES; i += 1000) {
        let chunk = '';
        for (let j = i; j < i + 1000; j++) chunk += `{"pk":"big","sk":${j},"pad":"${'x'.repeat(100)}"}\n`;
        appendFileSync(big, chunk);
      }
      // The second piece waits until the test has seen the first one counted and pressed Cancel.
      const sent: { discard?: boolean; offset?: number }[] = [];
      let release: (() => void) | undefined;
      const held = new Promise<void>((r) => (release = r));
      const hold = async (route: Route): Promise<void> => {
        const body = route.request().postDataJSON() as { discard?: boolean; offset?: number };
        sent.push(body);
        if (!body.discard && (body.offset ?? 0) > 0) await held;
        await route.continue();
      };
      await page.route('**/studio/api/dumpUpload', hold);
      await openImport('Big');
      await page.setInputFiles('[data-testid=import-file]', big);
      await page.click('[data-testid=import-start]');
      await waitForText(page, '[data-testid=import-status]', /^Uploading big\.jsonl: 2\.0 MB of 5\.\d MB$/);
      await page.click('[data-testid=import-cancel]');
      release!();
      await waitForText(page, '[data-testid=import-status]', 'Cancelled: nothing was uploaded or written');
      assert.ok(
        sent.some((b) => b.discard === true),
        'the upload is discarded',
      );
      assert.equal(count('Big'), 0);
      await page.unroute('**/studio/api/dumpUpload', hold);

      // Again, to the end: every status shown is kept to check the progress seen on the way.
      await page.evaluate(() => {
        const g = globalThis as unknown as {
          document: { querySelector(s: string): { textContent: string | null } };
          MutationObserver: new (f: () => void) => { observe(n: unknown, o: object): void };
          statusLog: string[];
        };
        const status = g.document.querySelector('[data-testid=import-status]');
        g.statusLog = [];
        new g.MutationObserver(() => g.statusLog.push(status.textContent ?? '')).observe(status, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      });
      await page.click('[data-testid=import-start]');
      await waitForText(page, '[data-testid=import-status]', /^Imported 40,000 items /);
      assert.equal(count('Big'), BIG_LINES);
      const log = await page.evaluate(() => (globalThis as unknown as { statusLog: string[] }).statusLog);
      const uploading = log.filter((l) => l.startsWith('Uploading big.jsonl: '));
      assert.deepEqual(
        uploading.map((l) => l.replace(/ of .*/, '')),
        ['0 B', '2.0 MB', '4.0 MB', /5\.\d MB/.exec(uploading.at(-1)!)![0]].map(
          (b) => `Uploading big.jsonl: ${b}`,
        ),
      );
      // While the import runs, it shows records or items and bytes.
      assert.ok(
        log.some((l) => /^(Reading|Writing) · [\d,]+ (of [\d,]+ )?(items?|records?) · /.test(l)),
        log.join('\n'),
      );
      assert.deepEqual(s.errors, []);
    });
  });
});
