import { describe, expect, it } from "vitest";
import { meanPairwiseDistance } from "./diversity.ts";

const vec = (...values: number[]) => Float32Array.from(values);

describe("diversity", () => {
  it("is the mean distance over all pairs", () => {
    // Pairs: 3-4-5 triangle sides.
    expect(meanPairwiseDistance([vec(0, 0), vec(3, 0), vec(3, 4)])).toBeCloseTo((3 + 5 + 4) / 3, 6);
  });

  it("is 0 for a collapsed generator", () => {
    expect(meanPairwiseDistance([vec(1, 2), vec(1, 2), vec(1, 2)])).toBe(0);
  });
});
