// Code generation in the studio (issue #19, point 7): the table browser's query builder and the
// PartiQL editor show their request as code; the JavaScript and AWS CLI variants taken from the dialog
// run against the test's endpoint (the server `sortkey serve` runs) and read the items the studio reads.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Studio } from './support.js';
import {
  createOrdersTable,
  openStudio,
  ROOT,
  screenshotOnFailure,
  seedItems,
  setEditorText,
  setHash,
  skipBrowser,
  startStudio,
} from './support.js';

const EDITOR = '[data-testid=partiql-editor]';
const PRINT = 'console.dir(response.Items, { depth: null });';
const SORT_KEYS = 'console.log(JSON.stringify(response.Items.map((i) => String(i.sk.N ?? i.sk))));';

/** Runs a program without blocking this process (the endpoint answers from the same event loop). */
function run(
  file: string,
  args: string[],
  input: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}

function awsBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':'))
    if (dir && existsSync(join(dir, 'aws'))) return join(dir, 'aws');
  return undefined;
}

describe('studio: code generation', () => {
  let s: Studio;

  before(async () => {
    if (skipBrowser) return;
    s = await startStudio();
    createOrdersTable(s.engine);
    seedItems(s.engine, 'Orders', 40, (i) => ({
      pk: { S: `c${i % 2}` },
      sk: { N: String(i) },
      colour: { S: i % 3 === 0 ? 'red' : 'blue' },
    }));
  });

  after(async () => {
    await s?.close();
  });

  async function codeFor(language: string): Promise<string> {
    await s.page.click(`[data-testid=code-lang-${language}]`);
    await s.page.waitForSelector(`[data-testid=code-lang-${language}][aria-selected=true]`);
    return (await s.page.locator('[data-testid=code-text]').textContent()) ?? '';
  }

  it(
    'turns the query builder into JavaScript and AWS CLI code that reads the same items',
    { skip: skipBrowser },
    async (t) => {
      await screenshotOnFailure(t, s.page, async () => {
        const page = s.page;
        await openStudio(s, '#/tables/Orders');
        await page.click('[data-testid=mode-Query]');
        await page.fill('[data-testid=pk-value]', 'c0');
        await page.selectOption('[data-testid=sk-op]', '>=');
        await page.fill('[data-testid=sk-value]', '20');
        await page.check('[data-testid=descending]');
        await page.click('[data-testid=add-filter]');
        await page.fill('[data-testid=filter-attr-0]', 'colour');
        await page.fill('[data-testid=filter-value-0]', 'red');
        await page.click('[data-testid=show-code]');
        await page.waitForSelector('[data-testid=code-dialog]');
        // c0 has the even sort keys; red ones are multiples of 3; from 20 up, newest first.
        const expected = ['36', '30', '24'];

        for (const language of ['js-client', 'js-document']) {
          const code = await codeFor(language);
          assert.ok(code.includes(`endpoint: "${s.server.url}"`), code);
          assert.ok(code.includes('ScanIndexForward: false'), code);
          assert.ok(code.includes(PRINT), code);
          const r = await run(process.execPath, ['--input-type=module'], code.replace(PRINT, SORT_KEYS));
          assert.equal(r.code, 0, `${code}\n${r.stderr}`);
          assert.deepEqual(JSON.parse(r.stdout), expected, language);
        }

        const cli = await codeFor('cli');
        assert.match(cli, /^aws dynamodb query \\$/m);
        const aws = awsBinary();
        if (!aws) {
          t.diagnostic('the aws binary is not installed: the generated AWS CLI command was not run');
        } else {
          const r = await run('bash', ['-e'], cli, {
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
            AWS_CONFIG_FILE: '/dev/null',
          });
          assert.equal(r.code, 0, `${cli}\n${r.stderr}`);
          const out = JSON.parse(r.stdout) as { Items: { sk: { N: string } }[] };
          assert.deepEqual(
            out.Items.map((i) => i.sk.N),
            expected,
          );
        }
        for (const [language, text] of [
          ['python', 'client.query('],
          ['java', 'QueryRequest.builder()'],
          ['go', '&dynamodb.QueryInput{'],
        ] as const)
          assert.ok((await codeFor(language)).includes(text), language);

        // The chosen language is remembered for the next dialog.
        await codeFor('cli');
        await page.keyboard.press('Escape');
        await page.waitForSelector('[data-testid=code-dialog]', { state: 'detached' });
        await page.click('[data-testid=show-code]');
        await page.waitForSelector('[data-testid=code-lang-cli][aria-selected=true]');
        await page.keyboard.press('Escape');
      });
    },
  );

  it('turns a PartiQL statement with ? parameters into code', { skip: skipBrowser }, async (t) => {
    await screenshotOnFailure(t, s.page, async () => {
      const page = s.page;
      await setHash(page, '#/query');
      await page.waitForSelector(`${EDITOR} .monaco-editor`);
      await setEditorText(page, EDITOR, 'SELECT * FROM Orders WHERE pk = ? AND sk > ?');
      await page.click('.side-panel .tab[data-tab=params]');
      await page.fill('[data-testid=param-1]', 'c1');
      await page.selectOption('select[aria-label="Type of parameter 2"]', 'N');
      await page.fill('[data-testid=param-2]', '33');
      await page.click('[data-testid=show-code]');
      await page.waitForSelector('[data-testid=code-dialog]');
      const code = await codeFor('js-document');
      assert.ok(code.includes('ExecuteStatementCommand'), code);
      assert.match(code, /Parameters: \[\n\s+"c1",\n\s+33,\n\s+\]/);
      const r = await run(process.execPath, ['--input-type=module'], code.replace(PRINT, SORT_KEYS));
      assert.equal(r.code, 0, `${code}\n${r.stderr}`);
      assert.deepEqual(JSON.parse(r.stdout), ['35', '37', '39']);
      const cli = await codeFor('cli');
      assert.match(cli, /--parameters '\[\{"S":"c1"\},\{"N":"33"\}\]'/);
      await page.keyboard.press('Escape');
    });
  });
});
