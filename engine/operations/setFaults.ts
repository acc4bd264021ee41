// Sortkey_20250101.SetFaults: fault injection rules, replacing the current ones ([] clears them).
//   in:  { Faults: [{ Type: 'ProvisionedThroughputExceededException' | 'ThrottlingException'
//                          | 'InternalServerError' | 'Latency',
//                    Probability: 0..1 (default 1), Operations?: string[], Tables?: string[],
//                    LatencyMs?: number (Latency only, up to 60000) }] }
//   out: { Faults }
import type { EngineContext } from '../context.js';
import { checkFaultRules } from '../throttle/faults.js';
import type { FaultRule } from '../throttle/faults.js';
import { asRecord } from './common.js';

export function setFaults(ctx: EngineContext, input: unknown): { Faults: FaultRule[] } {
  const rules = checkFaultRules(asRecord(input).Faults);
  ctx.usage.setFaults(rules);
  return { Faults: ctx.usage.faults.rules };
}
