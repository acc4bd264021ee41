// A small timing harness for in-process benchmarks: run a function for a fixed time after a warm-up
// and report operations per second. Benchmarks print ratios against a baseline measured in the same
// process, so a slow or noisy machine shifts both sides alike.

export interface Measurement {
  readonly name: string;
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
}

export function measure(
  name: string,
  fn: (i: number) => void,
  seconds = Number(process.env.BENCH_SECONDS ?? 2),
): Measurement {
  const warmupEnd = performance.now() + Math.min(500, seconds * 250);
  let i = 0;
  while (performance.now() < warmupEnd) fn(i++);
  const start = performance.now();
  const end = start + seconds * 1000;
  let ops = 0;
  // Check the clock every 64 calls so timing costs little.
  while (true) {
    for (let k = 0; k < 64; k++) fn(i++);
    ops += 64;
    if (performance.now() >= end) break;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { name, ops, seconds: elapsed, opsPerSecond: ops / elapsed };
}

export function formatRate(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k/s` : `${n.toFixed(0)}/s`;
}

export function printComparison(
  rows: { name: string; sortkey: Measurement; baseline: Measurement; target?: number }[],
): void {
  const lines = rows.map((r) => {
    const ratio = r.sortkey.opsPerSecond / r.baseline.opsPerSecond;
    const verdict =
      r.target === undefined
        ? ''
        : ratio >= r.target
          ? `  (target ≥ ${(r.target * 100).toFixed(0)}%: met)`
          : `  (target ≥ ${(r.target * 100).toFixed(0)}%: MISSED)`;
    return `${r.name.padEnd(28)} sortkey ${formatRate(r.sortkey.opsPerSecond).padStart(10)}   raw sqlite ${formatRate(r.baseline.opsPerSecond).padStart(10)}   ratio ${(ratio * 100).toFixed(0).padStart(4)}%${verdict}`;
  });
  console.log(lines.join('\n'));
}
