/**
 * Confidence intervals for ratios of sums when judgments are clustered by player, as HYPE does it:
 * resample players with replacement, recompute each ratio from the resampled players' sums, and take the
 * 2.5th and 97.5th percentiles. Players, not judgments, are the independent units: one player who judges
 * 500 faces is not 500 independent observations.
 *
 * Deterministic: the resampling stream is mulberry32 (noise.ts) seeded by the caller, players are taken
 * in the order given, and percentiles use linear interpolation between order statistics (R type 7,
 * numpy's default). Resamples where a ratio's denominator is 0 are left out of that ratio's percentiles.
 *
 * The work is O(resamples × players); `bootstrapRatiosAsync` yields to the event loop between chunks so
 * a big recomputation never stalls the requests being served.
 */
import { seededUniform } from "../../core/noise.ts";

/** One player's sums: numerators and denominators of every ratio, in the same order. */
export interface Cluster {
  readonly numerators: readonly number[];
  readonly denominators: readonly number[];
}

export interface RatioInterval {
  /** Ratio of the sums over all players (null when the denominator is 0). */
  readonly estimate: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

export interface BootstrapOptions {
  readonly resamples: number;
  readonly seed: number;
  /** Two-sided coverage, 0.95 for a 95 % interval. */
  readonly confidence: number;
}

export const DEFAULT_RESAMPLES = 2_000;

/** Resamples per chunk in the async version: a few milliseconds of work at thousands of players. */
const RESAMPLES_PER_CHUNK = 25;

export function bootstrapRatios(clusters: readonly Cluster[], options: BootstrapOptions): RatioInterval[] {
  const run = bootstrapSteps(clusters, options);
  let step = run.next();
  while (!step.done) step = run.next();
  return step.value;
}

export async function bootstrapRatiosAsync(
  clusters: readonly Cluster[],
  options: BootstrapOptions,
): Promise<RatioInterval[]> {
  const run = bootstrapSteps(clusters, options);
  let step = run.next();
  while (!step.done) {
    await new Promise((resolve) => setImmediate(resolve));
    step = run.next();
  }
  return step.value;
}

function* bootstrapSteps(clusters: readonly Cluster[], options: BootstrapOptions): Generator<void, RatioInterval[]> {
  const ratioCount = clusters[0]?.numerators.length ?? 0;
  const n = clusters.length;
  // Flat typed arrays: the inner loop runs resamples × players × ratios times.
  const nums = new Float64Array(n * ratioCount);
  const dens = new Float64Array(n * ratioCount);
  clusters.forEach((cluster, i) => {
    nums.set(cluster.numerators, i * ratioCount);
    dens.set(cluster.denominators, i * ratioCount);
  });
  const samples: number[][] = Array.from({ length: ratioCount }, () => []);
  const uniform = seededUniform(options.seed);
  const num = new Float64Array(ratioCount);
  const den = new Float64Array(ratioCount);
  for (let b = 0; b < options.resamples && n > 0; b++) {
    num.fill(0);
    den.fill(0);
    for (let i = 0; i < n; i++) {
      const offset = Math.floor(uniform() * n) * ratioCount;
      for (let r = 0; r < ratioCount; r++) {
        num[r] = (num[r] as number) + (nums[offset + r] as number);
        den[r] = (den[r] as number) + (dens[offset + r] as number);
      }
    }
    for (let r = 0; r < ratioCount; r++) {
      if ((den[r] as number) > 0) samples[r]?.push((num[r] as number) / (den[r] as number));
    }
    if ((b + 1) % RESAMPLES_PER_CHUNK === 0) yield;
  }
  const tail = (1 - options.confidence) / 2;
  return sumClusters(clusters, ratioCount).map(({ num: sum, den: of }, r) => {
    const sorted = (samples[r] as number[]).sort((a, b) => a - b);
    return { estimate: of > 0 ? sum / of : null, low: quantile(sorted, tail), high: quantile(sorted, 1 - tail) };
  });
}

function sumClusters(clusters: readonly Cluster[], ratioCount: number): { num: number; den: number }[] {
  return Array.from({ length: ratioCount }, (_, r) => ({
    num: clusters.reduce((sum, cluster) => sum + (cluster.numerators[r] as number), 0),
    den: clusters.reduce((sum, cluster) => sum + (cluster.denominators[r] as number), 0),
  }));
}

/** Linear interpolation between order statistics (type 7) of an ascending array; null when empty. */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/** A stable 32-bit seed from a label (FNV-1a), so each model/mode group has its own fixed stream. */
export function seedFromLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(label, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
