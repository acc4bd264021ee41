// Eventual consistency's settings and their command-line forms (`--consistency`,
// `--consistency-seed`), apart from eventual.ts so that the command line loads no engine code.

export type ConsistencyMode = 'strong' | 'eventual';
export const CONSISTENCY_MODES: readonly ConsistencyMode[] = ['strong', 'eventual'];

/** What `eventual` without a window means: DynamoDB's "usually within a second". */
export const DEFAULT_EVENTUAL_WINDOW_MS = 1000;
/** The longest window accepted (an hour): the history of a busy table must stay small. */
export const MAX_EVENTUAL_WINDOW_MS = 3_600_000;
/** Versions kept at most, over all tables; the oldest go first (reads then see a later version). */
export const MAX_TRACKED_VERSIONS = 200_000;

export interface ConsistencySettings {
  readonly mode: ConsistencyMode;
  /** How far back an eventually consistent read may look, and how late a GSI sees a write. */
  readonly windowMs: number;
  /** Seed of the delays eventually consistent reads draw: the same seed, the same delays. */
  readonly seed: number;
}

/**
 * Reads `--consistency`'s value: `strong`, `eventual` (DEFAULT_EVENTUAL_WINDOW_MS) or `eventual:MS`.
 * Throws an Error worded for a command line when it is none of these.
 */
export function parseConsistencySpec(text: string): { mode: ConsistencyMode; windowMs?: number } {
  if (text === 'strong') return { mode: 'strong' };
  const m = /^eventual(?::(\d+))?$/.exec(text);
  if (!m) throw new Error(`expected strong, eventual or eventual:MS, not ${text}`);
  if (m[1] === undefined) return { mode: 'eventual' };
  const windowMs = Number(m[1]);
  if (windowMs > MAX_EVENTUAL_WINDOW_MS) {
    throw new Error(`eventual:MS takes at most ${MAX_EVENTUAL_WINDOW_MS} milliseconds (an hour)`);
  }
  return { mode: 'eventual', windowMs };
}

/** Reads `--consistency-seed`'s value: a whole number from 0 on. */
export function parseConsistencySeed(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n))
    throw new Error(`expected a whole number, not ${text}`);
  return n;
}

/** The engine's `consistency` option from `--consistency` and `--consistency-seed` (serve, shell). */
export function consistencyOptions(opts: {
  consistency?: { mode: ConsistencyMode; windowMs?: number };
  consistencySeed?: number;
}): { consistency?: Partial<ConsistencySettings> } {
  if (opts.consistency === undefined && opts.consistencySeed === undefined) return {};
  return {
    consistency: {
      ...opts.consistency,
      ...(opts.consistencySeed !== undefined ? { seed: opts.consistencySeed } : {}),
    },
  };
}
