import { describe, expect, it } from "vitest";
import { SAME_PERSON_THRESHOLD } from "./distance.ts";
import { measureMemorisation, medianDistance, nearestNeighbours, quantile, shareBelow } from "./memorisation.ts";

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

describe("memorisation summary", () => {
  const training = [vec(0, 0), vec(10, 0), vec(0, 10)].map((descriptor, i) => ({ descriptor, source: `t${i}.jpg` }));
  // Unseen people sit at distance 1–2 from their nearest training face.
  const reals = Array.from({ length: 101 }, (_, i) => ({ descriptor: vec(1 + i / 100, 0) }));

  it("calibrates the near-copy distance on held-out reals and names the closest pairs", () => {
    const fakes = [vec(0.05, 0), vec(10, 1.5), vec(5, 5)].map((descriptor, i) => ({ descriptor, seed: 100 + i }));
    const m = measureMemorisation(fakes, reals, training);
    expect(m.copyThreshold).toBeCloseTo(1.01, 6);
    expect(m.nearCopyShare).toBeCloseTo(1 / 3, 6);
    expect(m.memorisationShare).toBeCloseTo(1 / 3, 6);
    expect(m.realMemorisationShare).toBe(0);
    expect(m.closestPairs[0]).toEqual({ seed: 100, source: "t0.jpg", distance: expect.closeTo(0.05, 6) });
    expect(m.closestPairs.map((p) => p.seed)).toEqual([100, 101, 102]);
  });

  it("reports nothing memorised when no fake is a face", () => {
    const m = measureMemorisation([], reals, training);
    expect(m).toMatchObject({ memorisationShare: 0, nearCopyShare: 0, closestPairs: [] });
    expect(m.nearestTrainingMedian).toBeUndefined();
  });

  it("interpolates quantiles", () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([3], 0.01)).toBe(3);
  });
});
