// The esbuild bundle of the `sortkey` command (scripts/bundle.js, what bin/sortkey.js runs after
// `npm run build`), built afresh into a scratch folder inside the package and run end to end:
// --version, `serve` answering DynamoDB requests (expressions and PartiQL included, so the lazily
// built Chevrotain parsers work bundled), `shell -c`. Other CLI tests run bin/sortkey.js, which
// in a checkout with edited sources runs them through tsx instead; this one always runs the bundle.
// Each process records the modules it loads (tests/support/trace-modules.js): the bundle's files,
// no package from node_modules but better-sqlite3, and no AWS SDK. The bundle runs through V8's
// code cache, made at build time and remade when it does not belong to the bundle.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TRACE = join(ROOT, 'tests', 'support', 'trace-modules.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

// Inside the package, as dist/bundle is: better-sqlite3 resolves from node_modules, package.json
// and renderer/dist are found by walking up.
mkdirSync(join(ROOT, '.tmp'), { recursive: true });
const outdir = mkdtempSync(join(ROOT, '.tmp', 'bundle-test-'));
const home = mkdtempSync(join(tmpdir(), 'sortkey-bundle-test-'));
const entry = join(outdir, 'sortkey.js');
const cacheFile = join(outdir, 'sortkey.cjs.cache');
let traceCount = 0;

after(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

before(() => {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.js'), outdir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, built.stderr);
  assert.ok(existsSync(entry));
  assert.ok(existsSync(cacheFile), 'the build wrote the code cache');
});

function traceFile(): string {
  return join(home, `trace-${++traceCount}.txt`);
}

function env(trace: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SORTKEY_HOME: home,
    NO_COLOR: '1',
    SORTKEY_TRACE_MODULES: trace,
    SORTKEY_CODE_CACHE_REPORT: '1',
  };
}

/** The files a traced process loaded, relative to the package (node: built-ins left out). */
function loaded(trace: string): string[] {
  const root = pathToFileURL(ROOT).href + '/';
  return readFileSync(trace, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => (url.startsWith(root) ? url.slice(root.length) : url));
}

/** What every command must not load: only bundle files and better-sqlite3 come from disk. */
function assertLoadsOnlyTheBundle(files: string[]): void {
  const bundleDir = outdir.slice(ROOT.length + 1) + '/';
  const outside = files.filter(
    (f) =>
      !f.startsWith(bundleDir) &&
      !f.startsWith('node_modules/better-sqlite3/') &&
      !f.startsWith('node_modules/bindings/') &&
      !f.startsWith('node_modules/file-uri-to-path/') &&
      f !== 'tests/support/trace-modules.js',
  );
  assert.deepEqual(outside, [], 'modules loaded from outside the bundle');
  // esbuild cuts one chunk per set of dynamic imports that share code; `serve` reads about 27 of
  // them (each a few ms at most), against several hundred ES modules unbundled. The budget keeps
  // it that way without pinning esbuild's exact cut.
  assert.ok(files.length < 32, `${files.length} modules loaded: ${files.join(', ')}`);
}

function run(args: string[], trace: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', TRACE, entry, ...args], {
    cwd: home,
    env: env(trace),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function post(url: string, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      authorization:
        'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  return { status: res.status, ...json };
}

/**
 * Starts `serve` from the bundle (traced), waits until it prints its endpoint and `ready()` holds,
 * runs `body` with the endpoint and stops the server, which must exit 0.
 */
async function withServe(
  args: string[],
  trace: string,
  body: (url: string) => Promise<void>,
  ready: () => boolean = () => true,
): Promise<void> {
  const child = spawn(process.execPath, ['--import', TRACE, entry, 'serve', ...args], {
    cwd: home,
    env: env(trace),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
  try {
    const deadline = Date.now() + 30_000;
    let url: string | undefined;
    while (!url || !ready()) {
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}:\n${out}`);
      if (Date.now() > deadline) throw new Error(`serve printed no endpoint or was not ready:\n${out}`);
      url ??= /http:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
      await new Promise((r) => setTimeout(r, 20));
    }
    await body(url);
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited(child), 0, out);
  }
}

describe('the bundled sortkey command', () => {
  it('--version prints the package version', () => {
    const trace = traceFile();
    const r = run(['--version'], trace);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), VERSION);
    assert.match(r.stderr, /^sortkey: code cache accepted$/m);
    assertLoadsOnlyTheBundle(loaded(trace));
    assert.ok(!loaded(trace).some((f) => f.includes('better-sqlite3')), '--version opens no database');
  });

  it('serve answers DynamoDB requests, expressions and PartiQL included', async () => {
    const trace = traceFile();
    await withServe(['--in-memory', '--port', '0'], trace, async (url) => {
      assert.deepEqual(await post(url, 'ListTables', {}), { status: 200, TableNames: [] });
      const created = await post(url, 'CreateTable', {
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      });
      assert.equal(created.status, 200, JSON.stringify(created));
      const put = await post(url, 'PutItem', {
        TableName: 'Orders',
        Item: { pk: { S: 'a' }, n: { N: '1' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      assert.equal(put.status, 200, JSON.stringify(put));
      const again = await post(url, 'PutItem', {
        TableName: 'Orders',
        Item: { pk: { S: 'a' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      assert.equal(again.__type, 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException');
      const selected = await post(url, 'ExecuteStatement', {
        Statement: `SELECT n FROM "Orders" WHERE pk = 'a'`,
      });
      assert.deepEqual(selected, { status: 200, Items: [{ n: { N: '1' } }] });
      const malformed = await post(url, 'ExecuteStatement', { Statement: 'SELECT * FORM Orders' });
      assert.equal(malformed.status, 400);
      assert.match(String(malformed.message), /Expected FROM/);
    });
    assertLoadsOnlyTheBundle(loaded(trace));
  });

  it("serve's read workers run their script from the bundle's chunk folder", async () => {
    const trace = traceFile();
    await withServe(
      ['--db', join(home, 'workers.sqlite'), '--port', '0', '--read-workers', '1'],
      trace,
      async (url) => {
        assert.deepEqual(await post(url, 'ListTables', {}), { status: 200, TableNames: [] });
      },
      () => loaded(trace).some((f) => f.endsWith('/chunks/sortkey-reader.js')),
    );
    assertLoadsOnlyTheBundle(loaded(trace));
  });

  it('replaces a code cache made from another build, and runs without one', async () => {
    // A cache whose header names another bundle (V8 itself only compares the source's length).
    const made = readFileSync(cacheFile);
    writeFileSync(
      cacheFile,
      Buffer.concat([Buffer.from('sortkey-code-cache v0 1 2\n'), made.subarray(made.indexOf(10) + 1)]),
    );
    const stale = statSync(cacheFile).mtimeMs;
    assert.match(run(['--version'], traceFile()).stderr, /^sortkey: code cache stale$/m);
    // A command that lasts writes a fresh one (a second after it started).
    await withServe(
      ['--in-memory', '--port', '0'],
      traceFile(),
      async () => undefined,
      () => statSync(cacheFile).mtimeMs !== stale,
    );
    assert.match(run(['--version'], traceFile()).stderr, /^sortkey: code cache accepted$/m);
    rmSync(cacheFile);
    const r = run(['--version'], traceFile());
    assert.equal(r.stdout.trim(), VERSION);
    assert.match(r.stderr, /^sortkey: code cache absent$/m);
  });

  it('shell -c runs statements', () => {
    const trace = traceFile();
    const r = run(
      [
        'shell',
        '--in-memory',
        '--json',
        '-c',
        ".create Orders pk sk; INSERT INTO Orders VALUE {'pk': 'a', 'sk': '1', 'n': 2}; SELECT * FROM Orders WHERE pk = 'a';",
      ],
      trace,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\{"pk":"a","sk":"1","n":2\}/);
    assertLoadsOnlyTheBundle(loaded(trace));
  });
});
