/**
 * Scoring one answer against the slots the server stored. Pure: no clock, no database.
 *
 * What each judgment adds to the statistics, by mode:
 * - pair: the player saw one fake and one real; choosing the fake is both "a fake judged real" and
 *   "a real judged fake".
 * - single/timed: the one face shown was real or fake; the verdict is either right or one of those errors.
 */
import type { RoundMode, SlotSource } from "../../../db/schema.ts";
import { ApiError } from "../http/api-error.ts";
import type { AnswerBody } from "./contract.ts";

export interface Score {
  readonly correct: boolean;
  /** A fake was called real. */
  readonly fooled: boolean;
  readonly choice: number | null;
  readonly verdict: "real" | "fake" | null;
  readonly counts: {
    readonly fakesShown: number;
    readonly fakesJudgedReal: number;
    readonly realsShown: number;
    readonly realsJudgedFake: number;
  };
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
  return {
    correct: !fooled,
    fooled,
    choice: body.choice,
    verdict: null,
    counts: { fakesShown: 1, fakesJudgedReal: Number(fooled), realsShown: 1, realsJudgedFake: Number(fooled) },
  };
}

function scoreSingle(slots: readonly SlotSource[], body: AnswerBody): Score {
  if (body.verdict === undefined || body.choice !== undefined) {
    throw new ApiError(422, 'this round is answered with {"verdict": "real" | "fake"}');
  }
  const shown = slots[0] as SlotSource;
  const correct = body.verdict === shown;
  const shownFake = shown === "fake";
  return {
    correct,
    fooled: shownFake && !correct,
    choice: null,
    verdict: body.verdict,
    counts: {
      fakesShown: Number(shownFake),
      fakesJudgedReal: Number(shownFake && !correct),
      realsShown: Number(!shownFake),
      realsJudgedFake: Number(!shownFake && !correct),
    },
  };
}
