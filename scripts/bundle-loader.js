// The entry of the `sortkey` bundle (scripts/bundle.js copies this file to dist/bundle/sortkey.js;
// bin/sortkey.js imports it). It runs the CLI, bundled into one CommonJS file (sortkey.cjs beside
// this one), through V8's code cache: compiling the ~2 MB bundle was a quarter of `sortkey serve`'s
// start, and Node 20 keeps no compile cache of its own (module.enableCompileCache is Node 22).
//
// The cache (sortkey.cjs.cache) starts with one header line naming the bundle it was made from (its
// size and modification time: V8's own check only compares the source's length, so a rebuilt bundle
// of the same length would otherwise run stale code). A process that found no usable cache writes
// one a second after it started (the code compiled by then: start-up and the first requests), if it
// is still running; through a temporary file and a rename, so concurrent processes never read half
// a cache. A read-only installation simply runs without one.
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, 'sortkey.cjs');
const cacheFile = `${file}.cache`;
/** After this long a process with no usable cache writes one (ms). */
const WRITE_AFTER_MS = 1000;

const stat = statSync(file);
const key = `sortkey-code-cache ${process.version} ${stat.size} ${stat.mtimeMs}\n`;

/** The cached data made from this very bundle, or undefined (absent, or made from another). */
function readCache() {
  let bytes;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    return { data: undefined, state: 'absent' };
  }
  const header = Buffer.from(key);
  if (bytes.length <= header.length || !bytes.subarray(0, header.length).equals(header)) {
    return { data: undefined, state: 'stale' };
  }
  return { data: bytes.subarray(header.length), state: 'found' };
}

function writeCache(script) {
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, Buffer.concat([Buffer.from(key), script.createCachedData()]));
    renameSync(temp, cacheFile);
  } catch {
    // Not writable (a read-only installation): run without a cache.
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
  }
}

const cache = readCache();
// The same wrapper Node gives a CommonJS module, so the bundle sees require, module and __filename.
const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
// The bundle holds no import() (scripts/bundle.js turns them into require()): a script's dynamic
// import needs a callback that Node 20 cannot attach to code read from a cache.
const script = new Script(source, { filename: file, cachedData: cache.data });
const state = cache.state === 'found' ? (script.cachedDataRejected ? 'rejected' : 'accepted') : cache.state;
if (process.env.SORTKEY_CODE_CACHE_REPORT) process.stderr.write(`sortkey: code cache ${state}\n`);
if (state !== 'accepted') setTimeout(() => writeCache(script), WRITE_AFTER_MS).unref();

const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, here);
