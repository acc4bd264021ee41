// `node --import ./tests/support/trace-modules.js …`: appends the URL of every module the process
// loads, one per line, to the file named by SORTKEY_TRACE_MODULES: ES modules (through loader
// hooks, which also see CommonJS modules reached through import()) and CommonJS modules reached
// through require() (the bundle is CommonJS and requires better-sqlite3). Tests use it to see what
// a command loads at startup.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const file = process.env.SORTKEY_TRACE_MODULES;
if (file) {
  register(new URL('./trace-modules-hooks.js', import.meta.url), { data: { file } });
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    appendFileSync(file, pathToFileURL(filename).href + '\n');
    return compile.call(this, content, filename);
  };
}
