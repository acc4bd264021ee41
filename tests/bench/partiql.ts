// PartiQL front end: statements parsed and planned per second (target ≥ 100,000/s, on compiled
// JS), next to the parse alone, in the same process. Runs the dist/ build when it is current (as
// `sortkey` does), else the sources through tsx, and says which.
import type * as Grammar from '../../grammar/partiql/index.js';
import type { SelectStatement } from '../../grammar/partiql/index.js';
import type * as EngineEntry from '../../engine/engine.js';
import type * as Planner from '../../engine/partiql/index.js';
import { formatRate, measure } from './harness.js';
import { distIsCurrent } from './peers.js';

type GrammarModule = typeof Grammar;
type EngineModule = typeof EngineEntry;
type PlannerModule = typeof Planner;

export async function runPartiqlBench(): Promise<Record<string, number>> {
  const compiled = distIsCurrent();
  const root = compiled ? '../../dist/' : '../../';
  const { parseStatement } = (await import(`${root}grammar/partiql/index.js`)) as GrammarModule;
  const { Engine } = (await import(`${root}engine/engine.js`)) as EngineModule;
  const { planSelect } = (await import(`${root}engine/partiql/index.js`)) as PlannerModule;
  const engine = Engine.inMemory();
  engine.execute('CreateTable', {
    TableName: 'Orders',
    AttributeDefinitions: [
      { AttributeName: 'customer', AttributeType: 'S' },
      { AttributeName: 'orderId', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'customer', KeyType: 'HASH' },
      { AttributeName: 'orderId', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const statements = [
    `SELECT * FROM "Orders" WHERE customer = 'ada' AND orderId = '2026-01-1000'`,
    `SELECT orderId, total FROM Orders WHERE customer = ? AND begins_with(orderId, '2026-') AND total > 10`,
    `SELECT * FROM Orders WHERE customer IN ['ada', 'bob'] ORDER BY customer DESC`,
    `SELECT * FROM Orders WHERE status = 'SHIPPED'`,
  ];
  const params = [{ S: 'ada' }];
  const parsed = measure('parse', (i) => {
    const r = parseStatement(statements[i % statements.length]!);
    if (!r.ok) throw new Error('parse failed');
  });
  const fast = measure('parse (fast path)', (i) => {
    const r = parseStatement(statements[i % statements.length]!, { fast: true });
    if (!r.ok) throw new Error('parse failed');
  });
  const planned = measure('parse + plan', (i) => {
    const r = parseStatement(statements[i % statements.length]!, { fast: true });
    if (!r.ok) throw new Error('parse failed');
    planSelect(engine.ctx, r.statement as SelectStatement, r.parameterCount ? params : [], false);
  });
  engine.close();
  const met = planned.opsPerSecond >= 100_000 ? 'met' : 'MISSED';
  console.log(
    `\nPartiQL front end (typical SELECTs, one parser instance; ${compiled ? 'compiled dist/ build' : 'sources through tsx: run `npm run build` to measure compiled JS'}):`,
  );
  console.log(`parse (with error recovery)  ${formatRate(parsed.opsPerSecond).padStart(10)}`);
  console.log(`parse (fast path)            ${formatRate(fast.opsPerSecond).padStart(10)}`);
  console.log(
    `parse + plan                 ${formatRate(planned.opsPerSecond).padStart(10)}   (target ≥ 100k/s: ${met})`,
  );
  return {
    parsePerSecond: parsed.opsPerSecond,
    fastParsePerSecond: fast.opsPerSecond,
    parsePlanPerSecond: planned.opsPerSecond,
  };
}
