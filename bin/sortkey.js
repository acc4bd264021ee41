#!/usr/bin/env node
// Entry point of the `sortkey` command. Runs the esbuild bundle of the CLI (dist/bundle/, built by
// `npm run build`: a few files for Node to load instead of hundreds of modules), or the TypeScript
// sources through tsx when there is no bundle or the sources changed after it (a development
// checkout), so a stale build never runs by accident.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundled = join(root, 'dist', 'bundle', 'sortkey.js');
/** The tsc build, for an installation that has it but no bundle. */
const compiled = join(root, 'dist', 'main', 'cli.js');

/** Whether any .ts file under `dir` was modified after `time` (stops at the first one). */
function hasSourceNewerThan(dir, time) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    // Concatenated, not path.join: this runs for every source file at every launch of a checkout.
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (hasSourceNewerThan(path, time)) return true;
    } else if (entry.name.endsWith('.ts') && statSync(path).mtimeMs > time) return true;
  }
  return false;
}

function isCurrent(file) {
  if (!existsSync(file)) return false;
  const built = statSync(file).mtimeMs;
  return !['main', 'engine', 'grammar', 'common'].some((d) => hasSourceNewerThan(join(root, d), built));
}

const canRunSources = existsSync(join(root, 'node_modules', 'tsx'));
let entry;
if (isCurrent(bundled) || (!canRunSources && existsSync(bundled))) entry = bundled;
else if (!canRunSources) entry = compiled;

if (entry) {
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'main', 'cli.ts')).href);
}
