// Sortkey_20250101.SetConsistency / DescribeConsistency: eventual consistency on request, at run
// time (engine/consistency/eventual.ts).
//   SetConsistency      in:  { Mode: 'strong' | 'eventual', WindowMs?: 0..3600000, Seed?: integer }
//                       out: { Mode, WindowMs, Seed, TrackedVersions }
//   DescribeConsistency in:  {}   out: the same
// Members left out keep their current values; setting the mode (or a seed) restarts the delays
// from the seed, so a test can reproduce a sequence of stale reads.
import type { ConsistencyMode } from '../consistency/eventual.js';
import { CONSISTENCY_MODES, MAX_EVENTUAL_WINDOW_MS } from '../consistency/eventual.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { asRecord } from './common.js';

export interface ConsistencyOutput {
  readonly Mode: ConsistencyMode;
  readonly WindowMs: number;
  readonly Seed: number;
  /** Versions of items kept for eventually consistent reads now. */
  readonly TrackedVersions: number;
}

function describe(ctx: EngineContext): ConsistencyOutput {
  const s = ctx.consistency.settings;
  return {
    Mode: s.mode,
    WindowMs: s.windowMs,
    Seed: s.seed,
    TrackedVersions: ctx.consistency.trackedVersions,
  };
}

export function setConsistency(ctx: EngineContext, input: unknown): ConsistencyOutput {
  const raw = asRecord(input);
  if (typeof raw.Mode !== 'string' || !(CONSISTENCY_MODES as readonly string[]).includes(raw.Mode)) {
    throw validation(`Mode must be one of ${CONSISTENCY_MODES.join(', ')}`);
  }
  const w = raw.WindowMs;
  if (
    w !== undefined &&
    (!Number.isInteger(w) || (w as number) < 0 || (w as number) > MAX_EVENTUAL_WINDOW_MS)
  ) {
    throw validation(`WindowMs must be a whole number of milliseconds from 0 to ${MAX_EVENTUAL_WINDOW_MS}`);
  }
  const seed = raw.Seed;
  if (seed !== undefined && (!Number.isSafeInteger(seed) || (seed as number) < 0)) {
    throw validation('Seed must be a whole number from 0 on');
  }
  ctx.consistency.set({
    mode: raw.Mode as ConsistencyMode,
    ...(w !== undefined ? { windowMs: w as number } : {}),
    ...(seed !== undefined ? { seed: seed as number } : {}),
  });
  return describe(ctx);
}

export function describeConsistency(ctx: EngineContext, _input: unknown): ConsistencyOutput {
  return describe(ctx);
}
