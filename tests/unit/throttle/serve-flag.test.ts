// `sortkey serve --throttle MODE` reaches startServer's options (and from there the engine).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { register, serveOptionsFromCli } from '../../../main/cli/serve.js';
import type { ServeCliOptions } from '../../../main/cli/serve.js';

const base: ServeCliOptions = { port: 0, host: '127.0.0.1', region: 'us-east-1', inMemory: true };

describe('sortkey serve --throttle', () => {
  it('passes the mode to startServer, and leaves it out when not given', () => {
    assert.equal(serveOptionsFromCli({ ...base, throttle: 'strict' }, {}).throttle, 'strict');
    assert.equal('throttle' in serveOptionsFromCli(base, {}), false);
  });

  it('accepts off, provisioned and strict only', () => {
    const parse = (args: string[]): ServeCliOptions => {
      const program = new Command().exitOverride();
      register(program);
      const serve = program.commands.find((c) => c.name() === 'serve')!;
      serve.exitOverride().configureOutput({ writeErr: () => {} });
      serve.action(() => {});
      program.parse(['serve', ...args], { from: 'user' });
      return serve.opts() as ServeCliOptions;
    };
    assert.equal(parse(['--throttle', 'provisioned']).throttle, 'provisioned');
    assert.throws(() => parse(['--throttle', 'sometimes']), /Allowed choices are off, provisioned, strict/);
  });
});
