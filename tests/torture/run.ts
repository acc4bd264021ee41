// `npm run torture`: the full torture runs — crash safety (50 SIGKILL cycles), contention (16
// clients), hostile input (100,000 fuzzed requests), several processes on one file (three servers,
// imports, a GSI created mid-run). `npm run torture -- fuzz` runs one part.
//
// Environment:
//   TORTURE_SEED=N        seed of every PRNG (printed at the start; a run is replayed with it)
//   TORTURE_CYCLES=50     crash/restart cycles
//   TORTURE_FUZZ=100000   fuzzed requests (plus ~170 fixed hostile cases)
//   TORTURE_FUZZ_MINUTES=30  stop fuzzing after this long
//   TORTURE_REPLAY=i,j    fuzz only these request indexes of TORTURE_SEED (no fixed cases)
//   TORTURE_MP_OPS=1500   requests per writer of the multi-process run (8 writers)
//
// The report (every finding, with its reproducing request) goes to .tmp/torture-report.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runContentionTorture, setupContention } from './contention.js';
import { runCrashTorture } from './crash.js';
import { FATAL, runFuzzTorture } from './fuzz.js';
import { runMultiProcessTorture } from './multiprocess.js';
import type { FuzzReport } from './fuzz.js';
import { ROOT, Rng, closeAgents, seedFromEnv, startServerChild } from './support.js';

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (name: string): boolean => wanted.length === 0 || wanted.includes(name);
const seed = seedFromEnv();
const envInt = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 ? Math.floor(v) : fallback;
};
const log = (line: string): void => console.log(line);

console.log(`Sortkey torture — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
console.log(
  `seed ${seed}   (replay: TORTURE_SEED=${seed} npm run torture${wanted.length ? ` -- ${wanted.join(' ')}` : ''})`,
);

const dir = mkdtempSync(join(tmpdir(), 'sortkey-torture-'));
const failures: string[] = [];
const report: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, seed };
try {
  if (want('crash')) {
    const cycles = envInt('TORTURE_CYCLES', 50);
    console.log(`\nCrash safety: ${cycles} SIGKILL cycles, 4 concurrent writers, file database`);
    const t0 = performance.now();
    const r = await runCrashTorture({
      dbFile: join(dir, 'crash.sqlite'),
      cycles,
      writers: 4,
      rng: new Rng(seed),
      killAfterMs: [30, 700],
      log,
    });
    console.log(
      `  ${r.cycles} cycles in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${r.acknowledgedWrites} acknowledged writes (${r.acknowledgedItems} items), ${r.unacknowledgedAtKill} requests cut by a kill, ${r.itemsAtEnd} items at the end`,
    );
    console.log(
      r.problems.length
        ? `  FAILED: ${r.problems.length} problems\n${r.problems
            .slice(0, 20)
            .map((p) => `    ${p}`)
            .join('\n')}`
        : '  every acknowledged write present after every kill; integrity_check ok every time',
    );
    failures.push(...r.problems.map((p) => `crash: ${p}`));
    report.crash = r;
  }

  if (want('contention')) {
    console.log(`\nContention: 16 clients, 3 hot items, 8 accounts`);
    const server = await startServerChild(join(dir, 'contention.sqlite'));
    try {
      await setupContention(server.port, 3, 8);
      const t0 = performance.now();
      const r = await runContentionTorture({
        port: server.port,
        rng: new Rng(seed ^ 0x5bd1e995),
        clients: 16,
        opsPerClient: 1_500,
        maxMs: 180_000,
        hotItems: 3,
        accounts: 8,
        log,
      });
      console.log(`  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      console.log(
        r.problems.length
          ? `  FAILED: ${r.problems.length} problems\n${r.problems
              .slice(0, 20)
              .map((p) => `    ${p}`)
              .join('\n')}`
          : '  counters equal acknowledged increments; total balance constant in every snapshot',
      );
      failures.push(...r.problems.map((p) => `contention: ${p}`));
      report.contention = r;
    } finally {
      await server.stop();
    }
  }

  if (want('multiprocess')) {
    const ops = envInt('TORTURE_MP_OPS', 1_500);
    console.log(
      `\nSeveral processes on one file: 3 servers started together, 3 imports, 8 writers × ${ops}, a GSI created mid-run`,
    );
    const t0 = performance.now();
    const r = await runMultiProcessTorture({
      dbFile: join(dir, 'multiprocess.sqlite'),
      rng: new Rng(seed ^ 0x16),
      servers: 3,
      writers: 8,
      opsPerWriter: ops,
      imports: 3,
      itemsPerImport: 5_000,
      preload: 20_000,
      maxMs: 600_000,
      log,
    });
    console.log(
      `  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${r.requests} requests, ${r.acknowledged} acknowledged, ${r.throttled} ThrottlingExceptions, ${r.fiveXX} 5xx; ${r.importsOk} imports (${r.importedItems} items); ${r.itemsAtEnd} items and ${r.indexItems} index entries at the end`,
    );
    console.log(
      r.problems.length
        ? `  FAILED: ${r.problems.length} problems\n${r.problems
            .slice(0, 20)
            .map((p) => `    ${p}`)
            .join('\n')}`
        : '  no lost item, the GSI complete through every server, no 5xx',
    );
    failures.push(...r.problems.map((p) => `multiprocess: ${p}`));
    report.multiprocess = r;
  }

  if (want('fuzz')) {
    const replay = process.env.TORTURE_REPLAY?.split(',').map(Number).filter(Number.isFinite);
    const count = envInt('TORTURE_FUZZ', 100_000);
    console.log(
      `\nHostile input: ${replay ? `replaying ${replay.join(', ')}` : `${count.toLocaleString('en-US')} fuzzed requests + fixed hostile cases`} (seed ${seed})`,
    );
    const r = await runFuzzTorture({
      dbFile: join(dir, 'fuzz.sqlite'),
      seed,
      count,
      specials: !replay,
      memberTypes: replay ? 0 : Infinity,
      maxMs: envInt('TORTURE_FUZZ_MINUTES', 30) * 60_000,
      ...(replay ? { only: replay } : {}),
      log,
    });
    printFuzz(r);
    for (const f of r.findings)
      if (FATAL.has(f.kind)) failures.push(`fuzz: ${f.signature} (first at ${f.first})`);
    report.fuzz = r;
  }
} finally {
  closeAgents();
  rmSync(dir, { recursive: true, force: true });
}

function printFuzz(r: FuzzReport): void {
  const top = (m: Record<string, number>): string =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  console.log(
    `  ${r.sent.toLocaleString('en-US')} requests in ${(r.elapsedMs / 1000).toFixed(0)} s (${r.stopReason}); ${r.accepted} accepted, ${r.rejected} rejected; ${r.checksums} table checksums; ${r.restarts} restarts${r.generatorErrors ? `; ${r.generatorErrors} requests the generator failed to build` : ''}`,
  );
  console.log(`  statuses: ${top(r.statuses)}`);
  console.log(`  errors:   ${top(r.errors)}`);
  console.log(`  slowest:  ${r.slowest.ms.toFixed(0)} ms (${r.slowest.id}, ${r.slowest.label})`);
  if (r.findings.length === 0) {
    console.log('  no findings: no crash, no hang, no 5xx, no change from a rejected request');
    return;
  }
  console.log(`  ${r.findings.length} distinct findings:`);
  for (const f of r.findings) {
    console.log(
      `\n  [${FATAL.has(f.kind) ? 'FAIL' : 'note'}] ${f.signature} — ${f.count}× (first: ${f.first})`,
    );
    const shown = f.minimized ?? f.request;
    console.log(
      `    ${f.minimized ? 'minimal reproducer' : 'request'}:\n${shown
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n')}`,
    );
  }
}

mkdirSync(join(ROOT, '.tmp'), { recursive: true });
const reportFile = join(ROOT, '.tmp', 'torture-report.json');
writeFileSync(reportFile, JSON.stringify({ ...report, failures }, null, 2) + '\n');
console.log(`\nreport written to .tmp/torture-report.json`);
console.log(
  failures.length
    ? `\nTORTURE FAILED: ${failures.length} problems (seed ${seed})`
    : `\nall torture runs passed (seed ${seed})`,
);
process.exit(failures.length ? 1 : 0);
