// `node --import ./tests/support/trace-modules.js …`: appends the URL of every ES module (and every
// CommonJS module reached through import()) the process loads, one per line, to the file named by
// SORTKEY_TRACE_MODULES. Tests use it to see what a command loads at startup.
import { register } from 'node:module';

if (process.env.SORTKEY_TRACE_MODULES) {
  register(new URL('./trace-modules-hooks.js', import.meta.url), {
    data: { file: process.env.SORTKEY_TRACE_MODULES },
  });
}
