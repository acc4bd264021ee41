// `sortkey import|export|dump|restore` in-process: a commander program built from the commands'
// register functions (as main/cli.ts does), output captured, exit codes read from process.exitCode.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { Engine } from '../../../engine/engine.js';
import * as dumpCmd from '../../../main/cli/dump.js';
import * as exportCmd from '../../../main/cli/export.js';
import * as importCmd from '../../../main/cli/import.js';
import * as restoreCmd from '../../../main/cli/restore.js';
import { ProgressBar, formatDuration } from '../../../main/cli/progress.js';
import { startServer } from '../../../main/server/index.js';
import type { SortkeyServer } from '../../../main/server/index.js';
import { scratchDir, seedRich, storedItems } from './helpers.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'dump');

interface Run {
  code: number;
  out: string;
  err: string;
}

function program(): Command {
  const p = new Command('sortkey')
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  for (const register of [importCmd.register, exportCmd.register, dumpCmd.register, restoreCmd.register])
    register(p);
  return p;
}

/** Runs `sortkey …args` in this process, capturing console output and stdout writes. */
async function sortkey(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' ') + '\n');
  console.error = (...a: unknown[]) => void err.push(a.join(' ') + '\n');
  // The commands write exports to process.stdout; the test runner keeps its own reference to the
  // real one, so swapping the property captures only what the command writes.
  const stdout = Object.getOwnPropertyDescriptor(process, 'stdout')!;
  const fake = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk.toString('utf8'));
      cb();
    },
  });
  Object.defineProperty(process, 'stdout', { value: fake, configurable: true, writable: true });
  const previous = process.exitCode;
  process.exitCode = 0;
  let code: number;
  try {
    await program().parseAsync(args, { from: 'user' });
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    const c = (e as { exitCode?: number }).exitCode;
    if (c === undefined) throw e;
    code = c;
  } finally {
    console.log = log;
    console.error = error;
    Object.defineProperty(process, 'stdout', stdout);
    process.exitCode = previous;
  }
  // eslint-disable-next-line no-control-regex
  const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
  return { code, out: plain(out.join('')), err: plain(err.join('')) };
}

describe('sortkey import / export / dump / restore (in-process)', () => {
  const dir = scratchDir();
  const db = join(dir, 'cli.sqlite');
  const open = () => new Engine({ path: db, ttlSweepIntervalMs: 0 });

  it('imports a scan output into a new table', async () => {
    const r = await sortkey(
      'import',
      join(FIXTURES, 'aws-scan.json'),
      '--table',
      'Orders',
      '--pk',
      'pk:S',
      '--db',
      db,
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Imported 3 items into Orders \(created\) from .*aws-scan\.json \(scan-json/);
    const engine = open();
    assert.equal(storedItems(engine, 'Orders').length, 3);
    engine.close();
  });

  it('bad records: exit 1, each with file:line, nothing written', async () => {
    const bad = join(FIXTURES, 'bad.jsonl');
    const r = await sortkey('import', bad, '--table', 'BadOnes', '--pk', 'pk:S', '--db', db);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      new RegExp(
        `${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: ValidationException: .*Type mismatch for key pk`,
      ),
    );
    assert.match(r.out, /bad\.jsonl:5: ValidationException: .*Missing the key pk/);
    assert.match(r.out, /Nothing was written: 5 bad records\./);
    const engine = open();
    assert.equal(engine.ctx.catalog.get('BadOnes'), undefined);
    engine.close();
  });

  it('--continue-on-error --rejects: exit 3, good records in, bad ones in the file', async () => {
    const rejects = join(dir, 'rejects.jsonl');
    const r = await sortkey(
      'import',
      join(FIXTURES, 'bad.jsonl'),
      '-t',
      'BadOnes',
      '--pk',
      'pk:S',
      '--continue-on-error',
      '--rejects',
      rejects,
      '--db',
      db,
    );
    assert.equal(r.code, importCmd.EXIT_PARTIAL);
    assert.match(r.out, /Imported 2 items/);
    assert.match(r.out, /5 bad records left out: see .*rejects\.jsonl/);
    assert.equal(readFileSync(rejects, 'utf8').trim().split('\n').length, 5);
  });

  it('--continue-on-error without --rejects keeps the bad records in ./sortkey-rejects-<time>.jsonl', async () => {
    const cwd = process.cwd();
    const here = join(dir, 'cwd');
    mkdirSync(here);
    process.chdir(here);
    try {
      const r = await sortkey(
        'import',
        join(FIXTURES, 'bad.jsonl'),
        '-t',
        'BadTwo',
        '--pk',
        'pk:S',
        '--continue-on-error',
        '--db',
        db,
      );
      assert.equal(r.code, importCmd.EXIT_PARTIAL);
      const files = readdirSync(here).filter((f) => /^sortkey-rejects-\d{8}-\d{6}\.jsonl$/.test(f));
      assert.equal(files.length, 1);
      assert.match(r.out, new RegExp(`see ${files[0]}`));
      const ok = await sortkey(
        'import',
        join(FIXTURES, 'aws-scan.json'),
        '-t',
        'GoodTwo',
        '--pk',
        'pk:S',
        '--continue-on-error',
        '--db',
        db,
      );
      assert.equal(ok.code, 0);
      assert.equal(readdirSync(here).length, 1, 'no rejects file when nothing was rejected');
    } finally {
      process.chdir(cwd);
    }
  });

  it('on-conflict skip, plain JSON options, CSV options', async () => {
    let r = await sortkey(
      'import',
      join(FIXTURES, 'aws-scan.json'),
      '--table',
      'Orders',
      '--on-conflict',
      'skip',
      '--db',
      db,
      '--json',
    );
    assert.equal(r.code, 0);
    const report = JSON.parse(r.out) as { skipped: number; written: number };
    assert.deepEqual([report.written, report.skipped], [0, 3]);
    r = await sortkey(
      'import',
      join(FIXTURES, 'plain.ndjson'),
      '--table',
      'PlainCli',
      '--pk',
      'id:N',
      '--sets',
      'auto',
      '--db',
      db,
    );
    assert.equal(r.code, 0, r.out + r.err);
    r = await sortkey(
      'import',
      join(FIXTURES, 'people.csv'),
      '--table',
      'PeopleCli',
      '--pk',
      'email:S',
      '--csv-types',
      'age:N',
      '--db',
      db,
    );
    assert.equal(r.code, 0, r.out + r.err);
    const engine = open();
    const ada = storedItems(engine, 'PeopleCli').find(
      (i) => (i.email as { S: string }).S === 'ada@example.com',
    )!;
    assert.deepEqual(ada.age, { N: '36' });
    assert.deepEqual(storedItems(engine, 'PlainCli')[0]!.tags, { SS: ['a', 'b'] });
    engine.close();
  });

  it('exports to files in every format, and to stdout', async () => {
    for (const format of [
      'scan-json',
      'ddb-jsonl',
      'ddb-jsonl-gz',
      'batch-write',
      'json',
      'ndjson',
      'csv',
      'sortkey-dump',
    ]) {
      const file = join(dir, `orders.${format}`);
      const r = await sortkey('export', 'Orders', file, '--format', format, '--db', db);
      assert.equal(r.code, 0, `${format}: ${r.err}`);
      if (format === 'batch-write') {
        // Files of 25 requests beside the name given.
        assert.match(r.out, /Exported 3 items from Orders to .*orders-00001\.batch-write \(batch-write/);
        assert.ok(existsSync(join(dir, 'orders-00001.batch-write')));
        continue;
      }
      assert.match(r.out, new RegExp(`Exported 3 items from Orders to .*orders\\.${format} \\(${format}`));
      assert.ok(existsSync(file));
    }
    const r = await sortkey('export', 'Orders', '-', '--format', 'ndjson', '--db', db);
    assert.equal(r.code, 0);
    assert.equal(r.out.trim().split('\n').length, 3);
    assert.match(r.err, /Exported 3 items from Orders to stdout/);
    const folder = join(dir, 'folder');
    const f = await sortkey('export', 'Orders', folder, '--format', 'export-folder', '--db', db);
    assert.equal(f.code, 0, f.err);
    assert.equal(readdirSync(join(folder, 'AWSDynamoDB')).length, 1);
  });

  it('exports a Query, a filtered Scan and a PartiQL SELECT', async () => {
    const q = await sortkey(
      'export',
      'Orders',
      '-',
      '--key-condition',
      'pk = :p',
      '--values',
      '{":p":{"S":"order#2"}}',
      '--db',
      db,
      '-q',
    );
    assert.equal(q.code, 0, q.err);
    assert.equal(q.out.trim().split('\n').length, 1);
    const s = await sortkey(
      'export',
      'Orders',
      '-',
      '--filter',
      'attribute_exists(#n)',
      '--names',
      '{"#n":"note"}',
      '--db',
      db,
      '-q',
    );
    assert.equal(s.code, 0, s.err);
    assert.equal(s.out.trim().split('\n').length, 1);
    const p = await sortkey(
      'export',
      '--query',
      `SELECT * FROM "Orders" WHERE pk = 'order#1'`,
      '-',
      '--db',
      db,
      '-q',
    );
    assert.equal(p.code, 0, p.err);
    assert.equal(p.out.trim().split('\n').length, 1);
  });

  it('export of a missing table fails without leaving a file', async () => {
    const file = join(dir, 'never.jsonl');
    const r = await sortkey('export', 'Nope', file, '--db', db);
    assert.equal(r.code, 1);
    assert.match(r.err, /table Nope does not exist/);
    assert.equal(existsSync(file), false);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.partial')),
      [],
    );
  });

  it('dump and restore a whole database', async () => {
    const file = join(dir, 'all.skdump.gz');
    let r = await sortkey('dump', file, '--db', db);
    assert.equal(r.code, 0, r.err);
    const other = join(dir, 'other.sqlite');
    r = await sortkey('restore', file, '--db', other);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(
      r.out,
      /Restored \d+ items into BadOnes \(created\), BadTwo \(created\), GoodTwo \(created\), Orders \(created\), PeopleCli \(created\), PlainCli \(created\)/,
    );
    r = await sortkey('restore', file, '--db', other);
    assert.equal(r.code, 1);
    assert.match(r.err, /already exists/);
    r = await sortkey('restore', file, '--db', other, '--on-existing', 'replace', '--tables', 'Orders');
    assert.equal(r.code, 0, r.out + r.err);
    const a = open();
    const b = new Engine({ path: other, ttlSweepIntervalMs: 0 });
    for (const t of ['Orders', 'PeopleCli', 'PlainCli', 'BadOnes', 'BadTwo', 'GoodTwo'])
      assert.deepEqual(storedItems(b, t), storedItems(a, t));
    a.close();
    b.close();
  });

  it('usage errors exit 2', async () => {
    let r = await sortkey('import', join(FIXTURES, 'aws-scan.json'), '--sk', 'x:S', '--db', db);
    assert.equal(r.code, 2);
    assert.match(r.err, /--sk needs --pk/);
    r = await sortkey(
      'import',
      join(FIXTURES, 'aws-scan.json'),
      '--db',
      db,
      '--endpoint',
      'http://localhost:1',
    );
    assert.equal(r.code, 2);
    r = await sortkey('export', 'OnlyOneArg', '--db', db);
    assert.equal(r.code, 2);
    r = await sortkey('import', join(FIXTURES, 'aws-scan.json'), '--pk', 'id:X', '--db', db);
    assert.notEqual(r.code, 0);
    r = await sortkey('import', join(FIXTURES, 'aws-scan.json'), '--db', db);
    assert.equal(r.code, 1);
    assert.match(r.err, /which table\?/);
  });

  describe('against an endpoint', () => {
    let server: SortkeyServer;
    const engine = Engine.inMemory({ ttlSweepIntervalMs: 0 });
    before(async () => {
      seedRich(engine);
      server = await startServer({ engine, port: 0 });
    });
    after(() => server.close());

    it('exports from and imports into --endpoint', async () => {
      const file = join(dir, 'remote.jsonl');
      let r = await sortkey('export', 'Rich', file, '--endpoint', server.url, '--segments', '2');
      assert.equal(r.code, 0, r.err);
      r = await sortkey(
        'import',
        file,
        '--table',
        'RichCopy',
        '--pk',
        'pk:S',
        '--sk',
        'sk:N',
        '--endpoint',
        server.url,
      );
      assert.equal(r.code, 0, r.out + r.err);
      assert.deepEqual(storedItems(engine, 'RichCopy'), storedItems(engine, 'Rich'));
    });
  });

  it('help lists formats and options', async () => {
    const help = program()
      .commands.find((c) => c.name() === 'import')!
      .helpInformation();
    for (const s of [
      '--table',
      '--pk',
      '--on-conflict',
      '--continue-on-error',
      '--rejects',
      '--endpoint',
      '--profile',
      '--in-memory',
    ])
      assert.ok(help.includes(s), s);
  });

  it('the progress bar draws on a terminal only', () => {
    const written: string[] = [];
    const fake = {
      isTTY: true,
      columns: 100,
      write: (s: string) => void written.push(s),
    } as unknown as NodeJS.WriteStream;
    const bar = new ProgressBar(fake);
    bar.update({ phase: 'read', items: 500, bytes: 1000, totalBytes: 4000, rejected: 2, table: 'T' });
    const line = written.join('');
    assert.match(line, /reading/);
    assert.match(line, /25%/);
    assert.match(line, /500 items/);
    assert.match(line, /2 bad/);
    bar.done();
    const quiet = new ProgressBar({ ...fake, isTTY: false } as unknown as NodeJS.WriteStream, false);
    quiet.update({ phase: 'export', items: 1, bytes: 1, rejected: 0 });
    assert.equal(formatDuration(3725), '1:02:05');
    assert.equal(formatDuration(65), '1:05');
  });
});
