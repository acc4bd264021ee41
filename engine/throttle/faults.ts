// Fault injection for resilience tests: with a configured probability, chosen operations on chosen
// tables fail with a throttling error or an internal error, or are answered late.
//
// The engine is synchronous and never sleeps: an injected latency is handed out as data
// (`Engine.takeInjectedDelay()`), and the HTTP server waits that long (with a timer, never
// blocking the event loop) before it answers.
import { DynamoError, validation } from '../errors.js';
import { ON_DEMAND_THROUGHPUT_EXCEEDED, TABLE_THROUGHPUT_EXCEEDED } from './errors.js';

export const FAULT_TYPES = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'InternalServerError',
  'Latency',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/** The longest latency a fault may add. */
export const MAX_FAULT_LATENCY_MS = 60_000;

/** One fault rule, in the wire shape SetFaults takes (and the engine's `faults` option). */
export interface FaultRule {
  readonly Type: FaultType;
  /** Chance, from 0 to 1, that a matching request is hit. */
  readonly Probability: number;
  /** Operations the rule applies to (DynamoDB action names); all data-plane and control-plane ones when absent. */
  readonly Operations?: readonly string[];
  /** Tables the rule applies to; requests to any table (or none) when absent. */
  readonly Tables?: readonly string[];
  /** For Latency: milliseconds added to the response. */
  readonly LatencyMs?: number;
}

interface CompiledRule {
  readonly rule: FaultRule;
  readonly operations: ReadonlySet<string> | undefined;
  readonly tables: ReadonlySet<string> | undefined;
}

/** Validates rules (from the engine option or a SetFaults request) into their canonical shape. */
export function checkFaultRules(raw: unknown): FaultRule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw validation('Faults must be a list of fault rules');
  return raw.map((r: unknown, i) => {
    const where = `Faults[${i}]`;
    if (r === null || typeof r !== 'object' || Array.isArray(r))
      throw validation(`${where} must be an object`);
    const o = r as Record<string, unknown>;
    if (typeof o.Type !== 'string' || !(FAULT_TYPES as readonly string[]).includes(o.Type)) {
      throw validation(`${where}.Type must be one of ${FAULT_TYPES.join(', ')}`);
    }
    const p = o.Probability ?? 1;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1))
      throw validation(`${where}.Probability must be a number from 0 to 1`);
    const names = (v: unknown, field: string): string[] | undefined => {
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
        throw validation(`${where}.${field} must be a list of strings`);
      }
      return [...(v as string[])];
    };
    const operations = names(o.Operations, 'Operations');
    const tables = names(o.Tables, 'Tables');
    let latency: number | undefined;
    if (o.Type === 'Latency') {
      latency = o.LatencyMs as number;
      if (typeof latency !== 'number' || !(latency >= 0 && latency <= MAX_FAULT_LATENCY_MS)) {
        throw validation(
          `${where}.LatencyMs must be a number of milliseconds from 0 to ${MAX_FAULT_LATENCY_MS}`,
        );
      }
    }
    return {
      Type: o.Type as FaultType,
      Probability: p,
      ...(operations ? { Operations: operations } : {}),
      ...(tables ? { Tables: tables } : {}),
      ...(latency !== undefined ? { LatencyMs: latency } : {}),
    };
  });
}

export class FaultInjector {
  private compiled: CompiledRule[] = [];

  constructor(
    rules: readonly FaultRule[] = [],
    private readonly random: () => number = Math.random,
  ) {
    this.set(rules);
  }

  get rules(): FaultRule[] {
    return this.compiled.map((c) => c.rule);
  }

  get any(): boolean {
    return this.compiled.length > 0;
  }

  set(rules: readonly FaultRule[]): void {
    this.compiled = checkFaultRules(rules).map((rule) => ({
      rule,
      operations: rule.Operations ? new Set(rule.Operations) : undefined,
      tables: rule.Tables ? new Set(rule.Tables) : undefined,
    }));
  }

  /**
   * Rolls the dice for one request to `operation` touching `tables`. Returns the error to answer
   * with (the first error rule that hits) and the latency to add (the sum of the latency rules
   * that hit).
   */
  decide(operation: string, tables: readonly string[]): { error: DynamoError | undefined; delayMs: number } {
    let error: DynamoError | undefined;
    let delayMs = 0;
    for (const c of this.compiled) {
      if (c.operations && !c.operations.has(operation)) continue;
      if (c.tables && !tables.some((t) => c.tables!.has(t))) continue;
      if (c.rule.Probability <= 0) continue;
      if (c.rule.Probability < 1 && this.random() >= c.rule.Probability) continue;
      if (c.rule.Type === 'Latency') delayMs += c.rule.LatencyMs ?? 0;
      else error ??= faultError(c.rule.Type);
    }
    return { error, delayMs };
  }
}

function faultError(type: Exclude<FaultType, 'Latency'>): DynamoError {
  switch (type) {
    case 'ProvisionedThroughputExceededException':
      return new DynamoError(type, TABLE_THROUGHPUT_EXCEEDED);
    case 'ThrottlingException':
      return new DynamoError(type, ON_DEMAND_THROUGHPUT_EXCEEDED);
    case 'InternalServerError':
      return new DynamoError(type, 'Internal server error');
  }
}
