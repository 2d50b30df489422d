/**
 * Clock and percentiles shared by the bench orchestrator and its worker processes.
 * `now()` is wall-clock based (timeOrigin + monotonic offset), so times taken in different processes
 * on the same machine can be subtracted (sub-millisecond agreement; all processes are on loopback).
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export interface Summary {
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) {
    return null;
  }
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? null;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? null),
  };
}

/** The largest of `xs`, 0 for none (every figure here is a non-negative time). */
export function maxOf(xs: readonly number[]): number {
  return xs.reduce((a, b) => Math.max(a, b), 0);
}

export function round(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10) / 10;
}
