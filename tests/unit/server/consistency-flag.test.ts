// `--consistency strong|eventual[:MS]` and `--consistency-seed N` reach the engines: serve's,
// the shell's and the desktop app's; `sortkey stats` shows the mode (engine/consistency).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { register, serveOptionsFromCli } from '../../../main/cli/serve.js';
import type { ServeCliOptions } from '../../../main/cli/serve.js';
import { register as registerShell } from '../../../main/cli/shell.js';
import { renderStats } from '../../../main/cli/stats.js';
import type { StatsSnapshot } from '../../../main/cli/stats.js';
import { parseDesktopArgs } from '../../../main/electron/args.js';
import { backendChoice, openBackend, ShellUsageError } from '../../../main/shell/index.js';
import { LocalBackend } from '../../../main/shell/local-backend.js';

const base: ServeCliOptions = { port: 0, host: '127.0.0.1', region: 'us-east-1', inMemory: true };

function parse(command: 'serve' | 'shell', args: string[]): Record<string, unknown> {
  const program = new Command().exitOverride();
  register(program);
  registerShell(program);
  const cmd = program.commands.find((c) => c.name() === command)!;
  cmd.exitOverride().configureOutput({ writeErr: () => {} });
  cmd.action(() => {});
  program.parse([command, ...args], { from: 'user' });
  return cmd.opts();
}

describe('--consistency', () => {
  it('serve: reads strong, eventual and eventual:MS, and refuses anything else', () => {
    assert.deepEqual(parse('serve', ['--consistency', 'eventual']).consistency, { mode: 'eventual' });
    assert.deepEqual(parse('serve', ['--consistency', 'eventual:250', '--consistency-seed', '42']), {
      ...parse('serve', []),
      consistency: { mode: 'eventual', windowMs: 250 },
      consistencySeed: 42,
    });
    assert.deepEqual(parse('serve', ['--consistency', 'strong']).consistency, { mode: 'strong' });
    for (const bad of ['weak', 'eventual:', 'eventual:-1', 'eventual:1.5', 'eventual:3600001']) {
      assert.throws(() => parse('serve', ['--consistency', bad]), /expected strong|at most/, bad);
    }
    assert.throws(() => parse('serve', ['--consistency-seed', 'x']), /expected a whole number/);
  });

  it("serve: passes the settings to the engine's options, and nothing when not given", () => {
    const opts = serveOptionsFromCli(
      { ...base, consistency: { mode: 'eventual', windowMs: 250 }, consistencySeed: 42 },
      {},
    );
    assert.deepEqual(opts.engineOptions?.consistency, { mode: 'eventual', windowMs: 250, seed: 42 });
    assert.equal('consistency' in (serveOptionsFromCli(base, {}).engineOptions ?? {}), false);
  });

  it('shell: opens the local engine with the settings; refuses them for a remote endpoint', async () => {
    assert.deepEqual(parse('shell', ['--consistency', 'eventual:300']).consistency, {
      mode: 'eventual',
      windowMs: 300,
    });
    const choice = backendChoice({
      inMemory: true,
      consistency: { mode: 'eventual', windowMs: 300 },
      consistencySeed: 5,
    });
    const backend = await openBackend(choice);
    try {
      assert.ok(backend instanceof LocalBackend);
      assert.deepEqual(backend.engine.ctx.consistency.settings, { mode: 'eventual', windowMs: 300, seed: 5 });
    } finally {
      await backend.close();
    }
    assert.throws(
      () => backendChoice({ endpoint: 'http://127.0.0.1:8000', consistency: { mode: 'eventual' } }),
      ShellUsageError,
    );
  });

  it('desktop app: its flag parser reads them; values it does not understand are ignored', () => {
    assert.deepEqual(
      parseDesktopArgs(['--consistency', 'eventual:800', '--consistency-seed=3'], {}).consistency,
      {
        mode: 'eventual',
        windowMs: 800,
        seed: 3,
      },
    );
    assert.equal(parseDesktopArgs(['--consistency', 'sometimes'], {}).consistency, undefined);
    assert.equal('consistency' in parseDesktopArgs([], {}), false);
  });

  it('stats: the header says when reads are eventually consistent', () => {
    const snapshot: StatsSnapshot = {
      TableName: 'Orders',
      Table: { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }, ItemCount: 0, TableSizeBytes: 0 },
      ThrottleMode: 'off',
      Metrics: { Timestamps: [], Period: 10, Metrics: [] },
      Summary: { Timestamps: [], Period: 120, Metrics: [] },
      MostAccessed: [],
      MostThrottled: [],
    };
    assert.doesNotMatch(renderStats(snapshot), /reads:/);
    const eventual = { ...snapshot, Consistency: { Mode: 'eventual', WindowMs: 1500, Seed: 0 } };
    assert.match(renderStats(eventual).split('\n')[0]!, /reads: eventual, up to 1,500 ms stale/);
  });
});
