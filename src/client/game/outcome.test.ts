import { describe, expect, it } from "vitest";
import type { RoundView } from "../../core/rounds-api.ts";
import { outcomeOf } from "./outcome.ts";

const pairRound: RoundView = {
  id: "r1",
  mode: "pair",
  expiresAt: "2100-01-01T00:00:00Z",
  faces: [
    { slot: 0, source: "real", url: "/x" },
    { slot: 1, source: "generated", model: "m", seed: 1, truncation: null },
  ],
};

describe("outcomeOf", () => {
  it("counts a wrong pair answer as fooled by the fake and the real called fake", () => {
    const outcome = outcomeOf(pairRound, { choice: 1 }, { correct: false, fakeSlots: [1] }, 1200);
    expect(outcome).toMatchObject({ fakesShown: 1, fakesTakenForReal: 1, realsShown: 1, realsCalledFake: 1 });
  });

  it("counts a right pair answer as no error at all", () => {
    const outcome = outcomeOf(pairRound, { choice: 0 }, { correct: true, fakeSlots: [1] }, 900);
    expect(outcome).toMatchObject({ correct: true, fakesTakenForReal: 0, realsCalledFake: 0 });
  });

  it("scores a single face by its verdict", () => {
    const single: RoundView = { ...pairRound, mode: "single", faces: [{ slot: 0, source: "real", url: "/x" }] };
    const outcome = outcomeOf(single, { verdict: "fake" }, { correct: false, fakeSlots: [] }, 800);
    expect(outcome).toMatchObject({ fakesShown: 0, realsShown: 1, realsCalledFake: 1, fakesTakenForReal: 0 });
  });
});
