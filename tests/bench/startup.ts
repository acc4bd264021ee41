// Cold start (`npm run bench -- startup`): from launching a process to the answer of its first
// request, for `sortkey serve` (file-backed and in memory) next to dynalite (in memory) and a bare
// node:http server (the floor: Node itself starting), in the same run, launches interleaved so a
// busy machine slows them alike; then `sortkey shell -c` and `sortkey --version` to exit.
// Target (issue #22): serve ≤ 0.5 × dynalite's time, shell -c ≤ 0.5 s.
//
// Each launch is a fresh `node` process. `sortkey` is bin/sortkey.js running the CLI bundle
// (dist/bundle, rebuilt here first if it is missing or older than the sources: measuring the
// sources through tsx would say nothing about what users run). The first request is ListTables,
// a raw HTTP POST with an Authorization header (dynalite refuses requests without one). Besides
// wall time, the CPU time the process used up to that answer (user + system, /proc on Linux) is
// shown: it varies less than wall time when other work shares the machine.
//
// Environment: BENCH_STARTS=9 launches of each (medians are reported).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, bundleIsCurrent, sortkeyBuildInfo, stopChild, waitForUrl } from './peers.js';

const BIN = join(ROOT, 'bin', 'sortkey.js');
/** The clock ticks of /proc/<pid>/stat's utime and stime, on Linux (getconf CLK_TCK). */
const TICK_MS = 10;

interface Launch {
  /** Launch to the end of the first answer (servers) or to exit (commands), ms. */
  readonly ms: number;
  /** CPU time of the process over the same span, ms (NaN where /proc is missing). */
  readonly cpuMs: number;
}

interface Subject {
  readonly label: string;
  readonly kind: 'server' | 'command';
  readonly args: string[];
  readonly env?: NodeJS.ProcessEnv;
}

function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

function listTables(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        agent: false,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          'x-amz-date': '20260101T000000Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

async function launchServer(subject: Subject): Promise<Launch> {
  const start = performance.now();
  const child = spawn(process.execPath, subject.args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...subject.env },
  });
  try {
    const port = await waitForUrl(child, subject.label);
    const status = await listTables(port);
    const ms = performance.now() - start;
    const cpuMs = cpuOf(child.pid!);
    if (status !== 200) throw new Error(`${subject.label}: ListTables answered HTTP ${status}`);
    return { ms, cpuMs };
  } finally {
    await stopChild(child);
  }
}

function launchCommand(subject: Subject): Launch {
  const start = performance.now();
  const result = spawnSync(process.execPath, subject.args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...subject.env },
  });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${subject.label} failed (${result.status}): ${result.stderr}`);
  // spawnSync gives no CPU figures; a command's CPU time is not reported.
  return { ms, cpuMs: NaN };
}

function fmt(ms: number): string {
  return Number.isNaN(ms) ? '—' : ms.toFixed(0);
}

export async function runStartupBench(): Promise<Record<string, number>> {
  const starts = Number(process.env.BENCH_STARTS ?? 9);
  console.log(`\n== Cold start: launch to first answer (median of ${starts} launches each) ==`);
  if (!bundleIsCurrent()) {
    console.log('  building the CLI bundle first (dist/bundle is missing or older than the sources)');
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.js')], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('scripts/bundle.js failed');
  }
  console.log(`  sortkey runs ${sortkeyBuildInfo()}`);

  const dir = mkdtempSync(join(tmpdir(), 'sortkey-startup-'));
  const home = { SORTKEY_HOME: join(dir, 'home'), NO_COLOR: '1' };
  const dbFile = join(dir, 'bench.sqlite');
  // dynalite as a plain CommonJS script (no tsx in front of it, which would slow it down).
  const dynaliteScript = join(dir, 'dynalite.cjs');
  writeFileSync(
    dynaliteScript,
    `const dynalite = require(${JSON.stringify(join(ROOT, 'node_modules', 'dynalite'))});
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => process.exit(0));
`,
  );
  const bareScript = join(dir, 'bare.cjs');
  writeFileSync(
    bareScript,
    `const server = require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => res.end('{"TableNames":[]}')); });
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => process.exit(0));
`,
  );

  const servers: Subject[] = [
    { label: 'dynalite (memory)', kind: 'server', args: [dynaliteScript] },
    {
      label: 'sortkey serve (file)',
      kind: 'server',
      args: [BIN, 'serve', '--port', '0', '--quiet', '--db', dbFile],
      env: home,
    },
    {
      label: 'sortkey serve (memory)',
      kind: 'server',
      args: [BIN, 'serve', '--port', '0', '--quiet', '--in-memory'],
      env: home,
    },
    { label: 'bare node:http', kind: 'server', args: [bareScript] },
  ];
  const commands: Subject[] = [
    {
      label: 'sortkey shell -c',
      kind: 'command',
      args: [
        BIN,
        'shell',
        '--in-memory',
        '-c',
        ".create Orders pk sk; INSERT INTO Orders VALUE {'pk': 'a', 'sk': '1'}; SELECT * FROM Orders WHERE pk = 'a';",
      ],
      env: home,
    },
    { label: 'sortkey --version', kind: 'command', args: [BIN, '--version'], env: home },
    { label: 'node -e 0', kind: 'command', args: ['-e', '0'] },
  ];

  const runs = new Map<string, Launch[]>();
  try {
    // The database file exists before the measured launches, as it does for a user's second start.
    await launchServer(servers[1]!);
    for (let round = 0; round < starts; round++) {
      for (const s of [...servers, ...commands]) {
        const launch = s.kind === 'server' ? await launchServer(s) : launchCommand(s);
        runs.set(s.label, [...(runs.get(s.label) ?? []), launch]);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const med = (label: string): { ms: number; cpuMs: number } => {
    const list = runs.get(label) ?? [];
    return { ms: median(list.map((l) => l.ms)), cpuMs: median(list.map((l) => l.cpuMs)) };
  };
  const dynalite = med('dynalite (memory)');
  const results: Record<string, number> = {};
  console.log(`  ${'process'.padEnd(24)} ${'ms'.padStart(6)} ${'cpu ms'.padStart(7)}   vs dynalite (memory)`);
  for (const s of [...servers, ...commands]) {
    const m = med(s.label);
    const key = s.label.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '');
    results[`${key}_ms`] = m.ms;
    if (!Number.isNaN(m.cpuMs)) results[`${key}_cpu_ms`] = m.cpuMs;
    let note = '';
    if (s.kind === 'server' && s.label !== 'dynalite (memory)') {
      const ratio = m.ms / dynalite.ms;
      const cpuRatio = m.cpuMs / dynalite.cpuMs;
      results[`${key}_ratio`] = ratio;
      note = `   ${ratio.toFixed(2)}× (cpu ${Number.isNaN(cpuRatio) ? '—' : cpuRatio.toFixed(2) + '×'})`;
      if (s.label.startsWith('sortkey')) note += `  target ≤ 0.50×: ${ratio <= 0.5 ? 'met' : 'MISSED'}`;
    }
    if (s.label === 'sortkey shell -c') note = `   target ≤ 500 ms: ${m.ms <= 500 ? 'met' : 'MISSED'}`;
    console.log(`  ${s.label.padEnd(24)} ${fmt(m.ms).padStart(6)} ${fmt(m.cpuMs).padStart(7)}${note}`);
  }
  // The floor: Node starting and exiting with nothing to run. When it alone takes more than half
  // of dynalite's start, no server written for Node can meet the ≤ 0.5× target on this machine.
  const floor = med('node -e 0').ms / dynalite.ms;
  results['node_floor_ratio'] = floor;
  console.log(
    `  floor: \`node -e 0\` alone takes ${floor.toFixed(2)}× dynalite's start` +
      (floor > 0.5 ? ' — above the 0.50× target: it cannot be met by any Node process here' : ''),
  );
  return results;
}
