// The desktop app's own command-line flags (Electron's and Chromium's are left alone).
import { parseConsistencySeed, parseConsistencySpec } from '../../engine/consistency/settings.js';
import type { ConsistencySettings } from '../../engine/consistency/settings.js';
import { defaultDatabasePath } from '../defaults.js';

export interface DesktopOptions {
  db: string;
  endpointPort: number | null;
  region: string;
  /** `--error-wording new|old` (engine/wording.ts); anything else is ignored. */
  errorWording?: 'new' | 'old';
  /** `--consistency strong|eventual[:MS]` and `--consistency-seed N`, as `sortkey serve` takes them. */
  consistency?: Partial<ConsistencySettings>;
}

/** Reads the app's own flags (Electron and Chromium flags are left alone). */
export function parseDesktopArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): DesktopOptions {
  let db = env.SORTKEY_DB ?? defaultDatabasePath(env);
  let endpointPort: number | null = 8000;
  let region = env.SORTKEY_REGION ?? 'us-east-1';
  let errorWording: 'new' | 'old' | undefined;
  let consistency: Partial<ConsistencySettings> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string | undefined => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i]);
    if (a === '--in-memory') db = ':memory:';
    else if (a === '--no-endpoint') endpointPort = null;
    else if (a === '--db' || a.startsWith('--db=')) db = value() ?? db;
    else if (a === '--port' || a.startsWith('--port=')) {
      const n = Number(value());
      if (Number.isInteger(n) && n >= 0 && n <= 65535) endpointPort = n;
    } else if (a === '--region' || a.startsWith('--region=')) region = value() ?? region;
    else if (a === '--error-wording' || a.startsWith('--error-wording=')) {
      const w = value();
      if (w === 'new' || w === 'old') errorWording = w;
    } else if (a === '--consistency' || a.startsWith('--consistency=')) {
      // As with the other flags, a value that is not understood is ignored.
      try {
        consistency = { ...consistency, ...parseConsistencySpec(value() ?? '') };
      } catch {
        /* ignored */
      }
    } else if (a === '--consistency-seed' || a.startsWith('--consistency-seed=')) {
      try {
        consistency = { ...consistency, seed: parseConsistencySeed(value() ?? '') };
      } catch {
        /* ignored */
      }
    }
  }
  return {
    db,
    endpointPort,
    region,
    ...(errorWording !== undefined ? { errorWording } : {}),
    ...(consistency !== undefined ? { consistency } : {}),
  };
}

/**
 * The database a command line names (`--db FILE`, `--db=FILE`, `--in-memory`), or undefined when it
 * names none: a second launch that names one opens it in the running app; one that does not
 * just brings the window forward.
 */
export function explicitDatabase(argv: readonly string[]): string | undefined {
  let db: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--in-memory') db = ':memory:';
    else if (a.startsWith('--db=')) db = a.slice('--db='.length) || db;
    else if (a === '--db' && argv[i + 1] !== undefined) db = argv[++i];
  }
  return db;
}
