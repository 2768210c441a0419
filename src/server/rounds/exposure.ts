/**
 * HYPE-time's staircase for timed rounds, per player: three right in a row shorten the exposure by 10 ms,
 * one wrong lengthens it by 30 ms, within 100–1000 ms. The state lives in the players table and is moved
 * by a trigger on judgments (db/migrations/0002_running_sums.sql) in the statement that records the
 * answer, so two answers racing cannot both step from one state. The tests hold that trigger to this rule.
 */

export const STAIRCASE = {
  initialMs: 500,
  minMs: 100,
  maxMs: 1000,
  shorterMs: 10,
  longerMs: 30,
  streakToShorten: 3,
} as const;

export interface StaircaseState {
  readonly exposureMs: number;
  readonly correctStreak: number;
}

/** The rule itself (the trigger applies the same constants). */
export function nextStaircase(state: StaircaseState, correct: boolean): StaircaseState {
  if (!correct)
    return { exposureMs: Math.min(STAIRCASE.maxMs, state.exposureMs + STAIRCASE.longerMs), correctStreak: 0 };
  if (state.correctStreak + 1 >= STAIRCASE.streakToShorten) {
    return { exposureMs: Math.max(STAIRCASE.minMs, state.exposureMs - STAIRCASE.shorterMs), correctStreak: 0 };
  }
  return { exposureMs: state.exposureMs, correctStreak: state.correctStreak + 1 };
}
