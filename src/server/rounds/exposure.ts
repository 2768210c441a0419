/**
 * HYPE-time's staircase for timed rounds, per player: three right in a row shorten the exposure by 10 ms,
 * one wrong lengthens it by 30 ms, within 100–1000 ms. The state lives in the players table and is updated
 * in SQL, in the same transaction as the judgment, so two answers racing cannot both step from one state.
 */
import { type SQL, sql } from "drizzle-orm";

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

/** The rule itself; `staircaseAssignments` is the same rule in SQL. */
export function nextStaircase(state: StaircaseState, correct: boolean): StaircaseState {
  if (!correct)
    return { exposureMs: Math.min(STAIRCASE.maxMs, state.exposureMs + STAIRCASE.longerMs), correctStreak: 0 };
  if (state.correctStreak + 1 >= STAIRCASE.streakToShorten) {
    return { exposureMs: Math.max(STAIRCASE.minMs, state.exposureMs - STAIRCASE.shorterMs), correctStreak: 0 };
  }
  return { exposureMs: state.exposureMs, correctStreak: state.correctStreak + 1 };
}

/** SET assignments for the players table (SQLite evaluates them all from the row's old values). */
export function staircaseAssignments(correct: boolean): SQL {
  const { minMs, maxMs, shorterMs, longerMs, streakToShorten } = STAIRCASE;
  if (!correct) return sql.raw(`exposure_ms = min(${maxMs}, exposure_ms + ${longerMs}), correct_streak = 0`);
  return sql.raw(
    `exposure_ms = CASE WHEN correct_streak + 1 >= ${streakToShorten} THEN max(${minMs}, exposure_ms - ${shorterMs}) ELSE exposure_ms END, ` +
      `correct_streak = CASE WHEN correct_streak + 1 >= ${streakToShorten} THEN 0 ELSE correct_streak + 1 END`,
  );
}
