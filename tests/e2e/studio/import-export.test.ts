// Import and export from the table browser (issue #19, point 3): a table exported as DynamoDB JSON
// lines arrives as a download with every item; a JSON-lines file imported through the dialog shows
// its items in the grid; a file with a bad line writes nothing and lists the line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
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

describe('studio: import and export', () => {
  let s: Studio;
  let dir: string;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    dir = mkdtempSync(join(tmpdir(), 'sortkey-e2e-dump-'));
    createOrdersTable(s.engine);
    seedItems(s.engine, 'Orders', 12, (i) => ({
      pk: { S: 'c' },
      sk: { N: String(i) },
      note: { S: `n${i}` },
    }));
  });

  after(async () => {
    await s?.close();
  });

  const count = (): number =>
    (s.engine.execute('Scan', { TableName: 'Orders', Select: 'COUNT' }) as { Count: number }).Count;

  it('exports the table as DynamoDB JSON lines to a download', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await openStudio(s, '#/tables/Orders');
      await page.waitForSelector(`${GRID} .ag-row[row-index="0"]`);
      await page.click('[data-testid=export-open]');
      await page.selectOption('[data-testid=export-what]', 'table');
      await page.selectOption('[data-testid=export-format]', 'ddb-jsonl');
      const downloading = page.waitForEvent('download');
      await page.click('[data-testid=export-start]');
      const download = await downloading;
      assert.equal(download.suggestedFilename(), 'Orders.jsonl');
      const lines = readFileSync((await download.path())!, 'utf8')
        .trim()
        .split('\n');
      assert.equal(lines.length, 12);
      const items = lines.map((l) => JSON.parse(l) as { Item: { sk: { N: string }; note: { S: string } } });
      assert.deepEqual(
        items.map((i) => Number(i.Item.sk.N)).sort((a, b) => a - b),
        Array.from({ length: 12 }, (_, i) => i),
      );
      assert.equal(items.find((i) => i.Item.sk.N === '3')?.Item.note.S, 'n3');
      await waitForText(page, '[data-testid=export-status]', /^Exported 12 items /);
      await page.keyboard.press('Escape');
    });
  });

  it('imports a JSON-lines file; its items appear in the grid', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      const file = join(dir, 'new.jsonl');
      writeFileSync(
        file,
        '{"pk":"c","sk":100,"note":"imported-a"}\n{"pk":"c","sk":101,"note":"imported-b"}\n',
      );
      await page.click('[data-testid=import-open]');
      await page.setInputFiles('[data-testid=import-file]', file);
      await page.click('[data-testid=import-start]');
      await waitForText(page, '[data-testid=import-status]', /^Imported 2 items /);
      assert.equal(count(), 14);
      await page.keyboard.press('Escape');
      await page.waitForSelector(`${GRID} .ag-cell:has-text("imported-b")`);
    });
  });

  it('a file with a bad line writes nothing and names the line', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      const file = join(dir, 'bad.jsonl');
      writeFileSync(file, '{"pk":"c","sk":200}\n{"pk":"c","sk":"not a number"}\n');
      await page.click('[data-testid=import-open]');
      await page.setInputFiles('[data-testid=import-file]', file);
      await page.click('[data-testid=import-start]');
      await waitForText(page, '[data-testid=import-status]', 'Nothing was written: 1 record rejected');
      await waitForText(page, '[data-testid=import-problems]', /line 2: /);
      await page.waitForSelector('[data-testid=import-rejects]');
      assert.equal(count(), 14);
      await page.keyboard.press('Escape');
    });
  });
});
