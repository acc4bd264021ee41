// Dump benchmark: import and export of N items of about 350 bytes (BENCH_DUMP_ITEMS, default
// 200,000) next to raw better-sqlite3 doing the same row work in the same run: a bulk insert of the
// same rows into a table of the same shape in one transaction, and a full read of it written out
// as lines; and the SQLite side of the import alone (its rows inserted as its write phase inserts
// them, with nothing else). Each phase runs in its own process, so its peak RSS is its own. Also: export in the
// plain formats (CSV, JSON), the PutItem latency of another process writing into the same file while
// an import runs (the probe), and an import through an endpoint (`--endpoint`: BatchWriteItem).
// Targets (issue #22) are printed beside the figures.
//
//   npm run bench -- dump                  (once wired into tests/bench/run.ts)
//   node --import tsx tests/bench/dump.ts  (standalone)
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { distIsCurrent } from './peers.js';
import type * as DumpModule from '../../engine/dump/index.js';
import type * as EngineModule from '../../engine/engine.js';

const TARGET_IMPORT = 100_000;
const TARGET_IMPORT_RSS_MB = 300;
const TARGET_IMPORT_RATIO = 0.5;
const TARGET_EXPORT = 100_000;
const TARGET_PROBE_P99_MS = 100;

interface PhaseResult {
  readonly items: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  /**
   * CPU time of the phase's process (user + system, all its threads). On a shared machine under
   * load, items per CPU second compare runs better than items per second of wall time.
   */
  readonly cpuSeconds?: number;
  /** The probe: PutItem latencies while the import ran. */
  readonly p50?: number;
  readonly p99?: number;
  readonly max?: number;
  /** Imports: seconds until the write phase began (reading, validating, spooling). */
  readonly readSeconds?: number;
  /** SQLite alone: seconds spent in COMMIT. */
  readonly commitSeconds?: number;
}

/** An item of about 200 bytes by DynamoDB's size rules. */
export function benchItem(i: number): Record<string, unknown> {
  const id = String(i).padStart(9, '0');
  return {
    pk: { S: `customer#${id}` },
    sk: { N: String(1_700_000_000 + (i % 100_000)) },
    name: { S: `Customer number ${id}` },
    email: { S: `customer.${id}@example.com` },
    age: { N: String(18 + (i % 70)) },
    active: { BOOL: i % 3 !== 0 },
    tags: { SS: ['alpha', 'beta', `t${i % 10}`] },
    balance: { N: `${i % 100000}.${String(i % 100).padStart(2, '0')}` },
    city: { S: ['Amsterdam', 'Berlin', 'Lisbon', 'Oslo'][i % 4] },
    note: { S: 'lorem ipsum dolor sit amet consectetur' },
  };
}

async function writeInput(path: string, n: number): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += '{"Item":' + JSON.stringify(benchItem(i)) + '}\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'close');
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

// ── phases, each run in a child process ─────────────────────────────────────────────────────────

/**
 * The engine an import phase runs: the tsc build in dist/ when it is current — what `sortkey`
 * runs, and the import's read thread then starts as it does there (through tsx, a thread spends
 * about a CPU second compiling its modules) — else the sources.
 */
async function importModules(): Promise<{
  Engine: typeof EngineModule.Engine;
  importItems: typeof DumpModule.importItems;
}> {
  if (distIsCurrent()) {
    const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'engine');
    const { Engine } = (await import(pathToFileURL(join(dist, 'engine.js')).href)) as typeof EngineModule;
    const { importItems } = (await import(
      pathToFileURL(join(dist, 'dump', 'index.js')).href
    )) as typeof DumpModule;
    return { Engine, importItems };
  }
  const { Engine } = await import('../../engine/engine.js');
  const { importItems } = await import('../../engine/dump/index.js');
  return { Engine, importItems };
}

/**
 * An embedded import with one read thread beside the main thread (the default picks one only when
 * the load leaves a core free: this measures the threaded path whatever the load), or with
 * `readThreads` 0, on the main thread alone.
 */
async function phaseImport(file: string, db: string, readThreads = 1): Promise<PhaseResult> {
  const { Engine, importItems } = await importModules();
  const engine = new Engine({ path: db, ttlSweepIntervalMs: 0 });
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  let readSeconds = 0;
  const report = await importItems(engine, file, {
    table: 'Bench',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'N' },
    readThreads,
    onProgress: (p) => {
      if (p.phase !== 'read' && readSeconds === 0) readSeconds = (performance.now() - t) / 1000;
    },
  });
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpuSince(cpu0);
  if (!report.committed || report.rejected > 0)
    throw new Error(`import failed: ${JSON.stringify(report.problems.slice(0, 3))}`);
  engine.close();
  return { items: report.written, seconds, cpuSeconds, peakRssMb: peakRssMb(), readSeconds };
}

async function phaseExport(db: string, out: string, format = 'ddb-jsonl'): Promise<PhaseResult> {
  const { Engine } = await import('../../engine/engine.js');
  const { exportTable } = await import('../../engine/dump/index.js');
  const engine = new Engine({ path: db, ttlSweepIntervalMs: 0 });
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const report = await exportTable(engine, 'Bench', out, { format: format as 'ddb-jsonl' });
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpuSince(cpu0);
  if (format === 'batch-write') rmSync(dirname(out), { recursive: true, force: true });
  engine.close();
  return { items: report.items, seconds, cpuSeconds, peakRssMb: peakRssMb() };
}

/** Raw better-sqlite3: the same lines parsed and inserted into a table of the same shape. */
async function phaseRawImport(file: string, db: string): Promise<PhaseResult> {
  const BetterSqlite3 = (await import('better-sqlite3')).default;
  const { createReadStream } = await import('node:fs');
  const { createInterface } = await import('node:readline');
  const raw = new BetterSqlite3(db);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('cache_size = -65536');
  raw.exec(
    'CREATE TABLE t (h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, item TEXT NOT NULL, size INTEGER NOT NULL, PRIMARY KEY (h, pk, sk)) WITHOUT ROWID',
  );
  const insert = raw.prepare('INSERT OR REPLACE INTO t (h, pk, sk, item, size) VALUES (?, ?, ?, ?, ?)');
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  // Lines are read first (async), then inserted in one transaction: the insert itself is the baseline.
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }) }))
    lines.push(line);
  let n = 0;
  raw.transaction(() => {
    for (const line of lines) {
      const item = (JSON.parse(line) as { Item: { pk: { S: string }; sk: { N: string } } }).Item;
      const pk = Buffer.from(item.pk.S, 'utf8');
      let h = 0x811c9dc5;
      for (const b of pk) h = Math.imul(h ^ b, 0x01000193) >>> 0;
      insert.run(h, pk, Buffer.from(item.sk.N), JSON.stringify(item), line.length);
      n++;
    }
  })();
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpuSince(cpu0);
  raw.close();
  return { items: n, seconds, cpuSeconds, peakRssMb: peakRssMb() };
}

/**
 * The SQLite side of an import alone: the rows an import wrote (`db`, read back in key order, as
 * the write phase takes them from its spool) inserted into a new file as the write phase inserts
 * them — multi-row INSERTs of 64 rows, a commit every 2,500 rows (about one 25 ms chunk at
 * 100k/s), the import's page cache — with nothing else: no JSON, no validation, no spool. The floor
 * of the write phase on this machine; `commitSeconds` is the part spent in COMMIT (WAL writes and
 * checkpoints).
 */
async function phaseSqliteRows(db: string, out: string): Promise<PhaseResult> {
  const BetterSqlite3 = (await import('better-sqlite3')).default;
  const source = new BetterSqlite3(db, { readonly: true });
  const id = source.prepare(`SELECT id FROM sk_tables WHERE name = 'Bench'`).pluck().get() as number;
  const rows = source.prepare(`SELECT h, pk, sk, item, size FROM t${id} ORDER BY h, pk, sk`).raw().all() as [
    number,
    Buffer,
    Buffer,
    string,
    number,
  ][];
  source.close();
  const raw = new BetterSqlite3(out);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('cache_size = -32768');
  raw.exec(
    'CREATE TABLE t (h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, size INTEGER NOT NULL, item TEXT NOT NULL, PRIMARY KEY (h, pk, sk)) WITHOUT ROWID',
  );
  const perInsert = 64;
  const chunk = 2500;
  const many = raw.prepare(
    `INSERT OR REPLACE INTO t (h, pk, sk, item, size) VALUES ${new Array<string>(perInsert).fill('(?, ?, ?, ?, ?)').join(', ')}`,
  );
  const one = raw.prepare('INSERT OR REPLACE INTO t (h, pk, sk, item, size) VALUES (?, ?, ?, ?, ?)');
  const begin = raw.prepare('BEGIN IMMEDIATE');
  const commit = raw.prepare('COMMIT');
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  let commitMs = 0;
  const values: unknown[] = [];
  for (let from = 0; from < rows.length; from += chunk) {
    const to = Math.min(rows.length, from + chunk);
    begin.run();
    let i = from;
    for (; i + perInsert <= to; i += perInsert) {
      values.length = 0;
      for (let k = i; k < i + perInsert; k++) values.push(...rows[k]!);
      many.run(...values);
    }
    for (; i < to; i++) one.run(...rows[i]!);
    const c = performance.now();
    commit.run();
    commitMs += performance.now() - c;
  }
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpuSince(cpu0);
  raw.close();
  return { items: rows.length, seconds, cpuSeconds, peakRssMb: peakRssMb(), commitSeconds: commitMs / 1000 };
}

async function phaseRawExport(db: string, out: string): Promise<PhaseResult> {
  const BetterSqlite3 = (await import('better-sqlite3')).default;
  const raw = new BetterSqlite3(db, { readonly: true });
  const stream = createWriteStream(out, { highWaterMark: 1 << 20 });
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const first = raw.prepare('SELECT h, pk, sk, item FROM t ORDER BY h, pk, sk LIMIT 2000').raw();
  const next = raw
    .prepare('SELECT h, pk, sk, item FROM t WHERE (h, pk, sk) > (?, ?, ?) ORDER BY h, pk, sk LIMIT 2000')
    .raw();
  let rows = first.all() as [number, Buffer, Buffer, string][];
  let n = 0;
  while (rows.length > 0) {
    let s = '';
    for (const r of rows) s += '{"Item":' + r[3] + '}\n';
    n += rows.length;
    if (!stream.write(s)) await once(stream, 'drain');
    const last = rows[rows.length - 1]!;
    rows = next.all(last[0], last[1], last[2]) as [number, Buffer, Buffer, string][];
  }
  stream.end();
  await once(stream, 'close');
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpuSince(cpu0);
  raw.close();
  return { items: n, seconds, cpuSeconds, peakRssMb: peakRssMb() };
}

/**
 * Another process writing into the database file an import is writing to: one PutItem every 2 ms
 * until the file `stop` exists, each timed; prints "ready" once its table exists.
 */
async function phaseProbe(db: string, stop: string): Promise<PhaseResult> {
  const { Engine } = await import('../../engine/engine.js');
  const { existsSync } = await import('node:fs');
  const engine = new Engine({ path: db, ttlSweepIntervalMs: 0 });
  engine.execute('CreateTable', {
    TableName: 'Probe',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  console.log('ready');
  const latencies: number[] = [];
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; !existsSync(stop); i++) {
    const start = performance.now();
    engine.execute('PutItem', { TableName: 'Probe', Item: { pk: { S: `p${i}` }, v: { N: String(i) } } });
    latencies.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 2));
  }
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpuSince(cpu0);
  engine.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    items: latencies.length,
    seconds,
    cpuSeconds,
    peakRssMb: peakRssMb(),
    p50: at(0.5),
    p99: at(0.99),
    max: latencies[latencies.length - 1] ?? 0,
  };
}

/** A Sortkey server on a file, in its own process (as `sortkey serve`): prints "ready URL", runs until `stop` exists. */
async function phaseServe(db: string, stop: string): Promise<PhaseResult> {
  const { Engine } = await import('../../engine/engine.js');
  const { startServer } = await import('../../main/server/index.js');
  const { existsSync } = await import('node:fs');
  const engine = new Engine({ path: db, ttlSweepIntervalMs: 0 });
  const server = await startServer({ engine, port: 0 });
  console.log(`ready ${server.url}`);
  while (!existsSync(stop)) await new Promise((r) => setTimeout(r, 50));
  await server.close();
  engine.close();
  return { items: 0, seconds: 0, peakRssMb: peakRssMb() };
}

/** Import through an endpoint (`--endpoint`: BatchWriteItem through the AWS SDK) into a server in another process. */
async function phaseRemoteImport(file: string, endpoint: string): Promise<PhaseResult> {
  const { importItems, RemoteConnection } = await import('../../engine/dump/index.js');
  const remote = new RemoteConnection({ endpoint, region: 'us-east-1' });
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const report = await importItems(remote, file, {
    table: 'Bench',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'N' },
  });
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpuSince(cpu0);
  await remote.close();
  if (!report.committed)
    throw new Error(`remote import failed: ${JSON.stringify(report.problems.slice(0, 3))}`);
  return { items: report.written, seconds, cpuSeconds, peakRssMb: peakRssMb() };
}

const PHASES: Record<string, (a: string, b: string) => Promise<PhaseResult>> = {
  import: phaseImport,
  export: phaseExport,
  'export-csv': (a, b) => phaseExport(a, b, 'csv'),
  'export-json': (a, b) => phaseExport(a, b, 'json'),
  'export-batch': (a, b) => phaseExport(a, b, 'batch-write'),
  probe: phaseProbe,
  'remote-import': phaseRemoteImport,
  serve: phaseServe,
  'raw-import': phaseRawImport,
  'import-one-thread': (file: string, db: string) => phaseImport(file, db, 0),
  'raw-export': phaseRawExport,
  'sqlite-rows': phaseSqliteRows,
};

function runPhase(phase: string, a: string, b: string): PhaseResult {
  const self = fileURLToPath(import.meta.url);
  // Under tsx when running from the sources; plain node when compiled.
  const loader = self.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const r = spawnSync(process.execPath, [...loader, self, '--phase', phase, a, b], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`bench phase ${phase} failed:\n${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as PhaseResult;
}

/** Runs `phase` in a child process without waiting; `ready` resolves when it prints "ready". */
function startPhase(
  phase: string,
  a: string,
  b: string,
): { ready: Promise<void>; done: Promise<PhaseResult>; url: () => string } {
  const self = fileURLToPath(import.meta.url);
  const loader = self.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, self, '--phase', phase, a, b], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let signalReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (/ready[^\n]*\n/.test(out)) signalReady();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<PhaseResult>((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`bench phase ${phase} failed:\n${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as PhaseResult);
    }),
  );
  return { ready, done, url: () => /ready (\S+)/.exec(out)![1]! };
}

/** The run with the median rate (wall time). */
function median(runs: PhaseResult[]): PhaseResult {
  return [...runs].sort((a, b) => rate(a) - rate(b))[Math.floor(runs.length / 2)]!;
}

function rate(p: PhaseResult): number {
  return p.items / p.seconds;
}

function fmt(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k/s` : `${n.toFixed(0)}/s`;
}

export async function runDumpBench(): Promise<Record<string, number>> {
  const n = Number(process.env.BENCH_DUMP_ITEMS ?? 200_000);
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-bench-dump-'));
  try {
    const input = join(dir, 'items.jsonl');
    await writeInput(input, n);
    const mb = statSync(input).size / (1024 * 1024);
    console.log(
      `\nDump: ${n.toLocaleString('en-US')} items, ${mb.toFixed(0)} MB of DynamoDB JSON lines (${((mb * 1024 * 1024) / n).toFixed(0)} bytes a line)`,
    );
    console.log(
      distIsCurrent()
        ? 'imports run on the tsc build in dist/ (what `sortkey import` runs)'
        : 'imports run from the TypeScript sources through tsx (dist/ is older than the sources: `npx tsc -p tsconfig.build.json`); the read thread compiles its modules first',
    );
    // The machine is shared and noisy: the three imports run in turn, REPEAT times, and the
    // medians are printed (CPU seconds beside wall time: under load they compare better).
    const repeat = Math.max(1, Number(process.env.BENCH_DUMP_REPEAT ?? 3));
    const { defaultReadThreads } = await import('../../engine/dump/index.js');
    console.log(
      `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores: an import started now would use ${defaultReadThreads()} read thread(s) by default; "import" below uses one, "import, 1 thread" none`,
    );
    const raws: PhaseResult[] = [];
    const imps: PhaseResult[] = [];
    const ones: PhaseResult[] = [];
    for (let i = 0; i < repeat; i++) {
      for (const f of ['raw.sqlite', 'sortkey.sqlite', 'one.sqlite'])
        for (const x of ['', '-wal', '-shm']) rmSync(join(dir, f + x), { force: true });
      raws.push(runPhase('raw-import', input, join(dir, 'raw.sqlite')));
      imps.push(runPhase('import', input, join(dir, 'sortkey.sqlite')));
      ones.push(runPhase('import-one-thread', input, join(dir, 'one.sqlite')));
    }
    const rawImport = median(raws);
    const imp = median(imps);
    const one = median(ones);
    const sqliteRuns: PhaseResult[] = [];
    for (let i = 0; i < repeat; i++) {
      for (const x of ['', '-wal', '-shm']) rmSync(join(dir, 'rows.sqlite' + x), { force: true });
      sqliteRuns.push(runPhase('sqlite-rows', join(dir, 'sortkey.sqlite'), join(dir, 'rows.sqlite')));
    }
    const sqliteRows = median(sqliteRuns);
    // Exports, REPEAT rounds of every format in turn; medians (a single run moved by a third
    // with the machine's load).
    const exportRuns: Record<string, PhaseResult[]> = {};
    for (let i = 0; i < repeat; i++) {
      const run = (phase: string, a: string, b: string) =>
        (exportRuns[phase] ??= []).push(runPhase(phase, a, b));
      run('raw-export', join(dir, 'raw.sqlite'), join(dir, 'raw-out.jsonl'));
      run('export', join(dir, 'sortkey.sqlite'), join(dir, 'out.jsonl'));
      run('export-csv', join(dir, 'sortkey.sqlite'), join(dir, 'out.csv'));
      run('export-json', join(dir, 'sortkey.sqlite'), join(dir, 'out.json'));
      // batch-write: files of 25 requests (one BatchWriteItem each), as `sortkey export --format batch-write` writes them.
      mkdirSync(join(dir, 'batch'), { recursive: true });
      run('export-batch', join(dir, 'sortkey.sqlite'), join(dir, 'batch', 'out.json'));
    }
    const rawExport = median(exportRuns['raw-export']!);
    const exp = median(exportRuns.export!);
    const expCsv = median(exportRuns['export-csv']!);
    const expJson = median(exportRuns['export-json']!);
    const expBatch = median(exportRuns['export-batch']!);
    // The probe writes into the file an import is writing to.
    const probeDb = join(dir, 'probe.sqlite');
    const stop = join(dir, 'probe.stop');
    const probe = startPhase('probe', probeDb, stop);
    await probe.ready;
    const probed = await new Promise<PhaseResult>((resolve, reject) => {
      const self = fileURLToPath(import.meta.url);
      const loader = self.endsWith('.ts') ? ['--import', 'tsx'] : [];
      const child = spawn(process.execPath, [...loader, self, '--phase', 'import', input, probeDb], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) =>
        code === 0
          ? resolve(JSON.parse(out.trim().split('\n').pop()!) as PhaseResult)
          : reject(new Error('probed import failed')),
      );
    });
    writeFileSync(stop, '');
    const probeResult = await probe.done;
    const remoteItems = Math.min(n, Number(process.env.BENCH_DUMP_REMOTE_ITEMS ?? 50_000));
    const remoteInput = join(dir, 'remote.jsonl');
    await writeInput(remoteInput, remoteItems);
    const serveStop = join(dir, 'serve.stop');
    const serving = startPhase('serve', join(dir, 'remote.sqlite'), serveStop);
    await serving.ready;
    const remote = runPhase('remote-import', remoteInput, serving.url());
    writeFileSync(serveStop, '');
    await serving.done;

    const perCpu = (p: PhaseResult) => (p.cpuSeconds ? fmt(p.items / p.cpuSeconds) : '–');
    const line = (name: string, s: PhaseResult, b: PhaseResult | undefined, target: string) =>
      `${name.padEnd(18)} sortkey ${fmt(rate(s)).padStart(9)} (${perCpu(s).padStart(8)} per CPU s)  peak RSS ${String(s.peakRssMb).padStart(4)} MB` +
      (b
        ? `   raw sqlite ${fmt(rate(b)).padStart(9)} (${perCpu(b).padStart(8)} per CPU s)  ratio ${((rate(s) / rate(b)) * 100).toFixed(0).padStart(3)}%`
        : ''.padEnd(60)) +
      `   target ${target}`;
    const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log(
      line(
        'import',
        imp,
        rawImport,
        `≥ ${fmt(TARGET_IMPORT)}, ≤ ${TARGET_IMPORT_RSS_MB} MB, ≥ ${TARGET_IMPORT_RATIO}× raw: ${met(rate(imp) >= TARGET_IMPORT)}, ${met(imp.peakRssMb <= TARGET_IMPORT_RSS_MB)}, ${met(rate(imp) >= TARGET_IMPORT_RATIO * rate(rawImport))}`,
      ),
    );
    console.log(
      line(
        'import, 1 thread',
        one,
        rawImport,
        `(the main thread alone; read phase ${one.readSeconds!.toFixed(2)} s against ${imp.readSeconds!.toFixed(2)} s with the read thread; CPU ${one.cpuSeconds!.toFixed(2)} s against ${imp.cpuSeconds!.toFixed(2)} s)`,
      ),
    );
    console.log(
      `  runs (items/s, CPU s): import ${imps.map((p) => `${fmt(rate(p))} ${p.cpuSeconds!.toFixed(2)}`).join(', ')}; 1 thread ${ones.map((p) => `${fmt(rate(p))} ${p.cpuSeconds!.toFixed(2)}`).join(', ')}; raw ${raws.map((p) => `${fmt(rate(p))} ${p.cpuSeconds!.toFixed(2)}`).join(', ')}`,
    );
    console.log(
      line(
        'SQLite alone',
        sqliteRows,
        undefined,
        `(the import's rows in key order, 64-row INSERTs, a commit every 2,500 rows; ${((sqliteRows.commitSeconds! / sqliteRows.seconds) * 100).toFixed(0)}% of it in COMMIT: the write phase's floor)`,
      ),
    );
    console.log(
      line(
        'import --endpoint',
        remote,
        undefined,
        `(was 1.1k/s; server in another process, CPU of the client only)`,
      ),
    );
    console.log(
      line('export jsonl', exp, rawExport, `≥ ${fmt(TARGET_EXPORT)}: ${met(rate(exp) >= TARGET_EXPORT)}`),
    );
    console.log(
      line('export csv', expCsv, undefined, `≥ ${fmt(TARGET_EXPORT)}: ${met(rate(expCsv) >= TARGET_EXPORT)}`),
    );
    console.log(
      line(
        'export json',
        expJson,
        undefined,
        `≥ ${fmt(TARGET_EXPORT)}: ${met(rate(expJson) >= TARGET_EXPORT)}`,
      ),
    );
    console.log(
      line(
        'export batch-write',
        expBatch,
        undefined,
        `≥ ${fmt(TARGET_EXPORT)}: ${met(rate(expBatch) >= TARGET_EXPORT)}`,
      ),
    );
    console.log(
      `  export runs (items/s): jsonl ${exportRuns.export!.map((p) => fmt(rate(p))).join(', ')}; csv ${exportRuns['export-csv']!.map((p) => fmt(rate(p))).join(', ')}; json ${exportRuns['export-json']!.map((p) => fmt(rate(p))).join(', ')}; batch-write ${exportRuns['export-batch']!.map((p) => fmt(rate(p))).join(', ')}`,
    );
    console.log(
      `PutItem from another process during an import (${fmt(rate(probed))}): ${probeResult.items} writes, p50 ${probeResult.p50!.toFixed(1)} ms, p99 ${probeResult.p99!.toFixed(1)} ms, max ${probeResult.max!.toFixed(1)} ms   target p99 ≤ ${TARGET_PROBE_P99_MS} ms: ${met(probeResult.p99! <= TARGET_PROBE_P99_MS)}`,
    );
    return {
      items: n,
      importPerSecond: Math.round(rate(imp)),
      importPerCpuSecond: Math.round(imp.items / (imp.cpuSeconds ?? imp.seconds)),
      rawImportPerCpuSecond: Math.round(rawImport.items / (rawImport.cpuSeconds ?? rawImport.seconds)),
      importPeakRssMb: imp.peakRssMb,
      importOneThreadPerSecond: Math.round(rate(one)),
      importOneThreadPerCpuSecond: Math.round(one.items / (one.cpuSeconds ?? one.seconds)),
      rawImportPerSecond: Math.round(rate(rawImport)),
      sqliteRowsPerSecond: Math.round(rate(sqliteRows)),
      sqliteRowsCommitSeconds: Number(sqliteRows.commitSeconds!.toFixed(3)),
      remoteImportPerSecond: Math.round(rate(remote)),
      exportPerSecond: Math.round(rate(exp)),
      exportCsvPerSecond: Math.round(rate(expCsv)),
      exportJsonPerSecond: Math.round(rate(expJson)),
      exportBatchWritePerSecond: Math.round(rate(expBatch)),
      exportPeakRssMb: exp.peakRssMb,
      rawExportPerSecond: Math.round(rate(rawExport)),
      probeP50Ms: Number(probeResult.p50!.toFixed(2)),
      probeP99Ms: Number(probeResult.p99!.toFixed(2)),
      probeMaxMs: Number(probeResult.max!.toFixed(2)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const phaseArg = process.argv.indexOf('--phase');
if (phaseArg >= 0) {
  const [phase, a, b] = process.argv.slice(phaseArg + 1);
  const result = await PHASES[phase!]!(a!, b!);
  console.log(JSON.stringify(result));
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await runDumpBench());
}
