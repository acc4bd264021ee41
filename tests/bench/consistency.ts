// Eventual consistency on request (engine/consistency): what the mode costs. The same workloads on
// two engines in the same run, one strong (the default, the baseline) and one eventual with a
// one-second window, so every write within the last second is kept and every read consults it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../engine/engine.js';
import { measure, printComparison } from './harness.js';
import type { Measurement } from './harness.js';

const N = 10_000;

function open(dir: string, name: string, eventual: boolean): Engine {
  const engine = new Engine({
    path: join(dir, `${name}.sqlite`),
    ...(eventual ? { consistency: { mode: 'eventual' as const, windowMs: 1000, seed: 1 } } : {}),
  });
  engine.execute('CreateTable', {
    TableName: 'Bench',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (let i = 0; i < N; i++) engine.execute('PutItem', { TableName: 'Bench', Item: item(i) });
  for (let s = 0; s < 100; s++)
    engine.execute('PutItem', {
      TableName: 'Bench',
      Item: { ...item(s), pk: { S: 'hot' }, sk: { N: String(s) } },
    });
  return engine;
}

const item = (i: number) => ({
  pk: { S: `user#${i % N}` },
  sk: { N: '1' },
  name: { S: `name ${i}` },
  age: { N: String(20 + (i % 50)) },
});

function workloads(engine: Engine, label: string): Record<string, Measurement> {
  return {
    put: measure(`${label} PutItem`, (i) => engine.execute('PutItem', { TableName: 'Bench', Item: item(i) })),
    get: measure(`${label} GetItem`, (i) =>
      engine.execute('GetItem', { TableName: 'Bench', Key: { pk: { S: `user#${i % N}` }, sk: { N: '1' } } }),
    ),
    // A write into the queried partition, then the Query of its 100 items: the view has changes.
    writeThenQuery: measure(`${label} Put+Query`, (i) => {
      engine.execute('PutItem', {
        TableName: 'Bench',
        Item: { ...item(i), pk: { S: 'hot' }, sk: { N: String(i % 100) } },
      });
      engine.execute('Query', {
        TableName: 'Bench',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'hot' } },
      });
    }),
  };
}

export function runConsistencyBench(): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-bench-'));
  try {
    const strong = open(dir, 'strong', false);
    const eventual = open(dir, 'eventual', true);
    const s = workloads(strong, 'strong');
    const e = workloads(eventual, 'eventual');
    console.log('\nEventual consistency (eventual:1000 against the default, strong):');
    // printComparison's columns say "sortkey" and "raw sqlite": here eventual and strong.
    printComparison([
      { name: 'PutItem', sortkey: e.put!, baseline: s.put! },
      { name: 'GetItem', sortkey: e.get!, baseline: s.get! },
      { name: 'PutItem + Query of 100', sortkey: e.writeThenQuery!, baseline: s.writeThenQuery! },
    ]);
    strong.close();
    eventual.close();
    return {
      putRatio: e.put!.opsPerSecond / s.put!.opsPerSecond,
      getRatio: e.get!.opsPerSecond / s.get!.opsPerSecond,
      writeThenQueryRatio: e.writeThenQuery!.opsPerSecond / s.writeThenQuery!.opsPerSecond,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
