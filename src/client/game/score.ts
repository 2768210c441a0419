/**
 * A finished game in numbers: score, streaks, and how often the player was fooled. Errors on fakes and on
 * reals are counted apart, as HYPE reports them: players grow lenient on reals as fakes improve.
 */
import type { RoundMode } from "../../core/round-modes.ts";

export interface RoundOutcome {
  mode: RoundMode;
  correct: boolean;
  fakesShown: number;
  /** Fakes the player took for real: being fooled. */
  fakesTakenForReal: number;
  realsShown: number;
  realsCalledFake: number;
  responseMs: number;
  /** Timed mode: how long the face was on screen. */
  exposureMs: number | null;
  /** The generator versions behind the round's fakes. */
  models: string[];
}

export interface GameScore {
  rounds: number;
  correct: number;
  /** Share of rounds answered right, 0..1. */
  accuracy: number;
  bestStreak: number;
  fakesShown: number;
  fakesTakenForReal: number;
  /** Share of fakes taken for real, 0..1 (null when no fake was shown). */
  foolRate: number | null;
  realsShown: number;
  realsCalledFake: number;
  medianResponseMs: number | null;
  /** Timed mode: the shortest exposure at which the player still answered right. */
  shortestCorrectExposureMs: number | null;
}

export function scoreGame(outcomes: readonly RoundOutcome[]): GameScore {
  const sum = (pick: (outcome: RoundOutcome) => number) => outcomes.reduce((total, o) => total + pick(o), 0);
  const correct = outcomes.filter((outcome) => outcome.correct).length;
  const fakesShown = sum((o) => o.fakesShown);
  const fakesTakenForReal = sum((o) => o.fakesTakenForReal);
  const correctExposures = outcomes.flatMap((o) => (o.correct && o.exposureMs !== null ? [o.exposureMs] : []));
  return {
    rounds: outcomes.length,
    correct,
    accuracy: outcomes.length === 0 ? 0 : correct / outcomes.length,
    bestStreak: bestStreak(outcomes),
    fakesShown,
    fakesTakenForReal,
    foolRate: fakesShown === 0 ? null : fakesTakenForReal / fakesShown,
    realsShown: sum((o) => o.realsShown),
    realsCalledFake: sum((o) => o.realsCalledFake),
    medianResponseMs: median(outcomes.map((o) => o.responseMs)),
    shortestCorrectExposureMs: correctExposures.length === 0 ? null : Math.min(...correctExposures),
  };
}

export function currentStreak(outcomes: readonly RoundOutcome[]): number {
  let streak = 0;
  for (let i = outcomes.length - 1; i >= 0 && outcomes[i]?.correct; i--) streak++;
  return streak;
}

function bestStreak(outcomes: readonly RoundOutcome[]): number {
  let best = 0;
  let run = 0;
  for (const outcome of outcomes) {
    run = outcome.correct ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}
