// `npm run bench`: every benchmark suite, printed as tables and written as JSON for comparison.
// `npm run bench -- engine` runs one suite.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { runConsistencyBench } from './consistency.js';
import { runAuditBench } from './audit.js';
import { runControlPlaneBench } from './controlplane.js';
import { runCrosscheckBench } from './crosscheck.js';
import { runCyclesBench } from './cycles.js';
import { runDumpBench } from './dump.js';
import { runEngineBench } from './engine.js';
import { runHttpBench } from './http.js';
import { runPagingBench } from './paging.js';
import { runPartiqlBench } from './partiql.js';
import { runScalingBench } from './scaling.js';
import { runStartupBench } from './startup.js';
import { runWorkersBench } from './workers.js';

const suites: Record<string, () => Promise<Record<string, number>> | Record<string, number>> = {
  engine: runEngineBench,
  partiql: runPartiqlBench,
  http: runHttpBench,
  scaling: runScalingBench,
  dump: runDumpBench,
  startup: runStartupBench,
  paging: runPagingBench,
  controlplane: runControlPlaneBench,
  workers: runWorkersBench,
  cycles: runCyclesBench,
  consistency: runConsistencyBench,
  audit: runAuditBench,
  crosscheck: runCrosscheckBench,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const results: Record<string, Record<string, number>> = {};
console.log(`Sortkey benchmarks — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  results[name] = await run();
}
mkdirSync('tests/bench/results', { recursive: true });
const file = `tests/bench/results/latest.json`;
writeFileSync(
  file,
  JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2) + '\n',
);
console.log(`\nresults written to ${file}`);
