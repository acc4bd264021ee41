// A child process of the startup-race test (tests/conformance/multiprocess.test.ts): opens
// `count` new database files in DIR, file j at wall-clock time START + j × SLOT ms, so that
// several such processes open each file at the same moment, as `sortkey serve` processes started
// together do. Prints one JSON line: the errors met, by file.
import { join } from 'node:path';
import { Database } from '../../engine/storage/database.js';

const [dir, countText, startText, slotText] = process.argv.slice(2);
const count = Number(countText);
const start = Number(startText);
const slot = Number(slotText);
const errors: string[] = [];
for (let j = 0; j < count; j++) {
  const at = start + j * slot;
  while (Date.now() < at) {
    // Busy-wait the last stretch: a timer would wake up too late to collide.
  }
  try {
    const db = new Database({ path: join(dir!, `f${j}.sqlite`) });
    db.close();
  } catch (e) {
    errors.push(`f${j}: ${(e as Error).message}`);
  }
}
console.log(JSON.stringify({ errors }));
