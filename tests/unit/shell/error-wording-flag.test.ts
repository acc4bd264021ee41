// `--error-wording` reaches the embedded engines: the shell's (`sortkey shell --error-wording old`)
// and the desktop app's (its own flag parser), besides serve's (tests/conformance/error-wording.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDesktopArgs } from '../../../main/electron/args.js';
import { backendChoice, openBackend } from '../../../main/shell/index.js';
import { LocalBackend } from '../../../main/shell/local-backend.js';

describe('--error-wording', () => {
  it("opens the shell's local engine in the wording asked for, new by default", async () => {
    const choice = backendChoice({ inMemory: true, errorWording: 'old' });
    assert.deepEqual(choice, { kind: 'local', path: ':memory:', errorWording: 'old' });
    for (const [opts, wording] of [
      [{ inMemory: true, errorWording: 'old' as const }, 'old'],
      [{ inMemory: true }, 'new'],
    ] as const) {
      const backend = await openBackend(backendChoice(opts));
      try {
        assert.ok(backend instanceof LocalBackend);
        const engine = backend.engine;
        assert.equal(engine.ctx.wording.name, wording);
        // The engine answers in that wording.
        assert.throws(
          () => engine.execute('BatchGetItem', { RequestItems: {} }),
          (e: Error) =>
            e.message ===
            (wording === 'old'
              ? 'The requestItems parameter is required for BatchGetItem'
              : "1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"),
        );
      } finally {
        await backend.close();
      }
    }
  });

  it("is read by the desktop app's flag parser; other values are ignored", () => {
    assert.equal(parseDesktopArgs(['--error-wording', 'old'], {}).errorWording, 'old');
    assert.equal(parseDesktopArgs(['--error-wording=new'], {}).errorWording, 'new');
    assert.equal(parseDesktopArgs(['--error-wording', 'bogus'], {}).errorWording, undefined);
    assert.equal(parseDesktopArgs([], {}).errorWording, undefined);
  });
});
