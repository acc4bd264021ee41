// A separate process running one local import (for tests/unit/dump/chunked.test.ts):
//   node --import tsx importChild.ts DB INPUT OPTIONS_JSON [STOP_AFTER_ITEMS]
// With STOP_AFTER_ITEMS, it prints "stopped" once the write phase has passed that many items and
// then blocks (inside the open chunk's transaction), waiting to be killed.
import { Engine } from '../../../engine/engine.js';
import { importItems } from '../../../engine/dump/index.js';
import type { ImportOptions } from '../../../engine/dump/index.js';

const [db, input, optionsJson, stopAfter] = process.argv.slice(2);
const engine = new Engine({ path: db!, ttlSweepIntervalMs: 0 });
const options = JSON.parse(optionsJson!) as ImportOptions;
const stopAt = stopAfter === undefined ? undefined : Number(stopAfter);
const report = await importItems(engine, input!, {
  ...options,
  onProgress: (p) => {
    if (stopAt !== undefined && p.phase === 'write' && p.items >= stopAt) {
      process.stdout.write('stopped\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
  },
});
engine.close();
process.stdout.write(JSON.stringify({ committed: report.committed, written: report.written }) + '\n');
