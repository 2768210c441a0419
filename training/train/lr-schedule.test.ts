import { describe, expect, it } from "vitest";
import { lrFactor } from "./lr-schedule.ts";

describe("the learning-rate schedule", () => {
  it("is constant without a decay", () => {
    expect([0, 10, 1e6].map((step) => lrFactor({ lrDecayFrom: 0, lrDecaySteps: 0 }, step))).toEqual([1, 1, 1]);
  });

  it("falls in a straight line from its start to zero, and stays there", () => {
    const schedule = { lrDecayFrom: 100, lrDecaySteps: 40 };
    expect([0, 99, 100, 110, 130, 140, 500].map((step) => lrFactor(schedule, step))).toEqual([
      1, 1, 1, 0.75, 0.25, 0, 0,
    ]);
  });
});
