/** What one answered round says about the player, in the terms the summary counts (see score.ts). */
import type { AnswerView, PlayerAnswer, RoundView } from "../../core/rounds-api.ts";
import type { RoundOutcome } from "./score.ts";

export function outcomeOf(
  round: RoundView,
  answer: PlayerAnswer,
  result: Pick<AnswerView, "correct" | "fakeSlots">,
  responseMs: number,
): RoundOutcome {
  const fakes = new Set(result.fakeSlots);
  const slots = round.faces.map((face) => face.slot);
  // Pair: the chosen face is called real, every other face fake. Single and timed: one face, one verdict.
  const calledReal = (slot: number) => ("choice" in answer ? answer.choice === slot : answer.verdict === "real");
  return {
    mode: round.mode,
    correct: result.correct,
    fakesShown: slots.filter((slot) => fakes.has(slot)).length,
    fakesTakenForReal: slots.filter((slot) => fakes.has(slot) && calledReal(slot)).length,
    realsShown: slots.filter((slot) => !fakes.has(slot)).length,
    realsCalledFake: slots.filter((slot) => !fakes.has(slot) && !calledReal(slot)).length,
    responseMs,
    exposureMs: round.exposureMs ?? null,
    models: [...new Set(round.faces.flatMap((face) => (face.source === "generated" ? [face.model] : [])))],
  };
}
