import { describe, expect, it } from "vitest";
import { currentStreak, type RoundOutcome, scoreGame } from "./score.ts";

const pair = (correct: boolean, responseMs = 1000): RoundOutcome => ({
  mode: "pair",
  correct,
  fakesShown: 1,
  fakesTakenForReal: correct ? 0 : 1,
  realsShown: 1,
  realsCalledFake: correct ? 0 : 1,
  responseMs,
  exposureMs: null,
  models: ["m1"],
});

describe("scoreGame", () => {
  it("counts score, best streak and fool rate", () => {
    const outcomes = [pair(true), pair(true), pair(false), pair(true), pair(true), pair(true), pair(false)];
    const score = scoreGame(outcomes);
    expect(score.correct).toBe(5);
    expect(score.accuracy).toBeCloseTo(5 / 7);
    expect(score.bestStreak).toBe(3);
    expect(score.fakesTakenForReal).toBe(2);
    expect(score.foolRate).toBeCloseTo(2 / 7);
    expect(currentStreak(outcomes)).toBe(0);
    expect(currentStreak(outcomes.slice(0, 6))).toBe(3);
  });

  it("takes the median response time and the shortest exposure answered right", () => {
    const timed = (correct: boolean, exposureMs: number, responseMs: number): RoundOutcome => ({
      ...pair(correct, responseMs),
      mode: "timed",
      exposureMs,
    });
    const score = scoreGame([
      timed(true, 500, 900),
      timed(false, 300, 700),
      timed(true, 400, 800),
      timed(true, 450, 600),
    ]);
    expect(score.medianResponseMs).toBe(750);
    expect(score.shortestCorrectExposureMs).toBe(400);
  });

  it("has no fool rate before any fake was shown", () => {
    expect(scoreGame([]).foolRate).toBeNull();
    expect(scoreGame([]).accuracy).toBe(0);
  });
});
