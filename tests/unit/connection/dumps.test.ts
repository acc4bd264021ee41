// Import and export through the connection layer: an embedded connection writes through its engine
// in one transaction; an engine reached only by operations (another process) and a remote service
// go through DynamoDB operations, with the same result.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EmbeddedConnection, RemoteConnection } from '../../../engine/connection/index.js';
import { exportTable, importItems, isRemote } from '../../../engine/dump/index.js';
import { Engine } from '../../../engine/engine.js';
import { startServer } from '../../../main/server/index.js';
import { openTarget } from '../../../main/cli/remote.js';

const TEXT = ['{"id":{"S":"1"},"b":{"B":"AAE="}}', '{"id":{"S":"2"},"n":{"N":"1e-130"}}'].join('\n');

describe('dumps over connections', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sortkey-conn-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('import and export alike through an embedded, a proxied and a remote connection', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true });
    const engine = Engine.inMemory({ ttlSweepIntervalMs: 0 });
    const other = Engine.inMemory({ ttlSweepIntervalMs: 0 });
    // An engine behind asynchronous calls, as the desktop app's utility process answers.
    const proxied = new EmbeddedConnection(
      { execute: async (op: string, input: unknown) => other.execute(op, input) },
      'proxied',
    );
    const connections = [
      new EmbeddedConnection(engine, 'embedded'),
      proxied,
      new RemoteConnection({ endpoint: server.url, baseDelayMs: 1 }),
    ];
    try {
      assert.deepEqual(
        connections.map((c) => [isRemote(c), c.capabilities.atomicImport]),
        [
          [false, true],
          [true, false],
          [true, false],
        ],
      );
      const exported: string[] = [];
      for (const [i, c] of connections.entries()) {
        const report = await importItems(
          c,
          { name: 'in.jsonl', text: TEXT },
          { table: 'Tee', partitionKey: { name: 'id', type: 'S' } },
        );
        assert.equal(report.written, 2, c.description);
        const file = join(dir, `out${i}.jsonl`);
        await exportTable(c, 'Tee', file, { segments: 1 });
        exported.push(readFileSync(file, 'utf8').split('\n').sort().join('\n'));
      }
      assert.equal(exported[1], exported[0]);
      assert.equal(exported[2], exported[0]);
      assert.match(exported[0]!, /"B":"AAE="/);
    } finally {
      for (const c of connections) await c.close();
      engine.close();
      other.close();
      await server.close();
    }
  });

  it('the CLI opens the local database and remote services as connections', async () => {
    const local = await openTarget({ inMemory: true, quiet: true });
    const remote = await openTarget({ endpoint: 'http://127.0.0.1:1' });
    try {
      assert.equal(local.target.kind, 'embedded');
      assert.equal(local.target.capabilities.atomicImport, true);
      assert.equal(remote.target.kind, 'remote');
      assert.equal(remote.where, 'http://127.0.0.1:1');
    } finally {
      await local.close();
      await remote.close();
    }
  });
});
