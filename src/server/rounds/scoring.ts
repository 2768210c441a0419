/**
 * Scoring one answer against the slots the server stored. Pure: no clock, no database. What a judgment
 * adds to the statistics follows from these fields (the rules are in src/server/stats/fold-judgments.ts):
 * in a pair, choosing the fake is both "a fake judged real" and "a real judged fake"; in single and timed
 * rounds the one verdict is right or one of those two errors.
 */
import type { SlotSource } from "../../../db/schema.ts";
import { ApiError } from "../../core/api-error.ts";
import type { RoundMode } from "../../core/round-modes.ts";
import type { AnswerBody } from "../../core/rounds-api.ts";

export interface Score {
  readonly correct: boolean;
  /** A fake was called real. */
  readonly fooled: boolean;
  readonly choice: number | null;
  readonly verdict: "real" | "fake" | null;
}

export function scoreAnswer(mode: RoundMode, slots: readonly SlotSource[], body: AnswerBody): Score {
  return mode === "pair" ? scorePair(slots, body) : scoreSingle(slots, body);
}

function scorePair(slots: readonly SlotSource[], body: AnswerBody): Score {
  if (body.choice === undefined || body.verdict !== undefined) {
    throw new ApiError(422, 'a pair round is answered with {"choice": <slot of the real face>}');
  }
  const chosen = slots[body.choice];
  if (chosen === undefined) throw new ApiError(422, `choice must be a slot of this round (0–${slots.length - 1})`);
  const fooled = chosen === "fake";
  return { correct: !fooled, fooled, choice: body.choice, verdict: null };
}

function scoreSingle(slots: readonly SlotSource[], body: AnswerBody): Score {
  if (body.verdict === undefined || body.choice !== undefined) {
    throw new ApiError(422, 'this round is answered with {"verdict": "real" | "fake"}');
  }
  const shown = slots[0] as SlotSource;
  const correct = body.verdict === shown;
  return { correct, fooled: shown === "fake" && !correct, choice: null, verdict: body.verdict };
}
