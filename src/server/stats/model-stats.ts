/**
 * The per (model version, mode, sampling policy) statistics: fool-rate (fakes judged real), error on reals and the HYPE∞
 * error (all misclassifications over all faces, single and timed modes only), each with a 95 % interval
 * from a bootstrap over players.
 *
 * Pair rounds show one real and one fake, so their only error is choosing the fake: the fool-rate. Error on
 * reals and HYPE∞ would repeat it under other names and are reported as not applicable (null).
 */
import type { RoundMode } from "../../core/round-modes.ts";
import type { SamplingPolicy } from "../../core/sampling-policy.ts";
import {
  bootstrapRatiosAsync,
  type Cluster,
  DEFAULT_RESAMPLES,
  type RatioInterval,
  seedFromLabel,
} from "./cluster-bootstrap.ts";
import { MIN_JUDGMENTS, MIN_PLAYERS, NOT_ENOUGH_DATA } from "./minimums.ts";

/** One player's included judgments in one group (a row of player_model_stats). */
export interface PlayerSums {
  readonly playerId: number;
  readonly judged: number;
  readonly fakesShown: number;
  readonly fakesJudgedReal: number;
  readonly realsShown: number;
  readonly realsJudgedFake: number;
}

export type Metric =
  | {
      readonly estimate: number;
      readonly low: number;
      readonly high: number;
      readonly judgments: number;
      readonly players: number;
    }
  | {
      readonly estimate: null;
      readonly note: typeof NOT_ENOUGH_DATA;
      readonly judgments: number;
      readonly players: number;
    };

export interface GroupStatistics {
  readonly foolRate: Metric;
  readonly errorOnReals: Metric | null;
  readonly hype: Metric | null;
}

export interface StatisticsOptions {
  readonly resamples?: number;
  readonly confidence?: number;
}

/** The group's bootstrap stream is fixed by its label, so the same data always gives the same interval. */
export function groupSeed(modelVersion: string, mode: RoundMode, policy: SamplingPolicy): number {
  return seedFromLabel(`${modelVersion}\u0000${mode}\u0000${policy}`);
}

/**
 * Statistics of one group from its players' sums. `players` must come in a fixed order (by player id)
 * for the bootstrap to be reproducible.
 */
export async function groupStatistics(
  modelVersion: string,
  mode: RoundMode,
  policy: SamplingPolicy,
  players: readonly PlayerSums[],
  options: StatisticsOptions = {},
): Promise<GroupStatistics> {
  const clusters: Cluster[] = players.map((p) => ({
    numerators: [p.fakesJudgedReal, p.realsJudgedFake, p.fakesJudgedReal + p.realsJudgedFake],
    denominators: [p.fakesShown, p.realsShown, p.fakesShown + p.realsShown],
  }));
  const intervals = await bootstrapRatiosAsync(clusters, {
    resamples: options.resamples ?? DEFAULT_RESAMPLES,
    confidence: options.confidence ?? 0.95,
    seed: groupSeed(modelVersion, mode, policy),
  });
  const metric = (r: number) => toMetric(intervals[r], clusters, r);
  return {
    foolRate: metric(0),
    errorOnReals: mode === "pair" ? null : metric(1),
    hype: mode === "pair" ? null : metric(2),
  };
}

function toMetric(interval: RatioInterval | undefined, clusters: readonly Cluster[], r: number): Metric {
  const judgments = clusters.reduce((sum, c) => sum + (c.denominators[r] as number), 0);
  const players = clusters.filter((c) => (c.denominators[r] as number) > 0).length;
  const enough = players >= MIN_PLAYERS && judgments >= MIN_JUDGMENTS;
  if (!enough || interval?.estimate == null || interval.low === null || interval.high === null) {
    return { estimate: null, note: NOT_ENOUGH_DATA, judgments, players };
  }
  return { estimate: interval.estimate, low: interval.low, high: interval.high, judgments, players };
}
