import { describe, expect, it } from "vitest";
import { SAME_PERSON_THRESHOLD } from "./distance.ts";
import { medianDistance, nearestNeighbours, shareBelow } from "./memorisation.ts";

const vec = (...values: number[]) => Float32Array.from(values);

describe("memorisation", () => {
  const training = [vec(0, 0), vec(1, 0), vec(0, 5)];

  it("finds each query's nearest training descriptor", () => {
    const nearest = nearestNeighbours([vec(0.9, 0.1), vec(0, 4)], training);
    expect(nearest.map((n) => n.index)).toEqual([1, 2]);
    expect(nearest[0]?.distance).toBeCloseTo(Math.hypot(0.1, 0.1), 6);
    expect(nearest[1]?.distance).toBeCloseTo(1, 6);
  });

  it("counts the share of fakes within the same-person threshold", () => {
    const copies = [vec(0.1, 0), vec(1, 0.2)];
    const strangers = [vec(3, 3), vec(-2, 2)];
    const nearest = nearestNeighbours([...copies, ...strangers], training);
    expect(shareBelow(nearest, SAME_PERSON_THRESHOLD)).toBe(0.5);
    expect(medianDistance(nearest)).toBeGreaterThan(0.2);
  });

  it("takes the middle value as the median", () => {
    expect(medianDistance([1, 5, 3].map((distance) => ({ index: 0, distance })))).toBe(3);
    expect(medianDistance([1, 4, 2, 3].map((distance) => ({ index: 0, distance })))).toBe(2.5);
  });
});
