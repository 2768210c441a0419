import { describe, expect, it } from "vitest";
import { kthNeighbourDistances, precisionRecall, shareInside } from "./manifold.ts";

const point = (...xs: number[]) => Float32Array.from(xs);
/** A grid of n×n points spaced 1 apart, shifted by (dx, dy). */
const grid = (n: number, dx = 0, dy = 0) =>
  Array.from({ length: n * n }, (_, i) => point((i % n) + dx, Math.floor(i / n) + dy));

describe("precision and recall over descriptors", () => {
  it("measures each point's k-th nearest neighbour", () => {
    const line = [point(0), point(1), point(3), point(7)];
    expect(Array.from(kthNeighbourDistances(line, 1))).toEqual([1, 1, 2, 4]);
    expect(Array.from(kthNeighbourDistances(line, 3))).toEqual([7, 6, 4, 7]);
    expect(() => kthNeighbourDistances(line, 4)).toThrow(/more than k = 4/);
  });

  it("counts a sample of the same distribution as inside, and each stray point as outside", () => {
    const reals = grid(10);
    expect(precisionRecall(grid(10, 0.3, 0.4), reals)).toEqual({ precision: 1, recall: 1 });
    // Ten broken faces far from every real one: precision loses exactly their share.
    const fakes = [...grid(10, 0.3, 0.4).slice(10), ...Array.from({ length: 10 }, (_, i) => point(50 + i, 50))];
    expect(precisionRecall(fakes, reals).precision).toBeCloseTo(0.9, 10);
  });

  it("loses recall, not precision, when the fakes cover only part of the reals", () => {
    const reals = grid(10);
    const corner = grid(5, 0.2, 0.2);
    const { precision, recall } = precisionRecall(corner, reals);
    expect(precision).toBe(1);
    expect(recall).toBeGreaterThan(0.2);
    expect(recall).toBeLessThan(0.5);
    expect(shareInside([], reals)).toBe(0);
  });
});
