/**
 * The bootstrap's parts with numbers that can be checked by hand.
 */
import { describe, expect, it } from "vitest";
import { bootstrapRatios, bootstrapRatiosAsync, quantile, seedFromLabel } from "./cluster-bootstrap.ts";

describe("quantile (type 7)", () => {
  it("interpolates between order statistics", () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(quantile([10, 20], 0.975)).toBeCloseTo(19.75, 12);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe("bootstrapRatios", () => {
  const options = { resamples: 400, seed: 42, confidence: 0.95 };

  it("gives a zero-width interval when every player is alike", () => {
    const clusters = Array.from({ length: 6 }, () => ({ numerators: [3], denominators: [10] }));
    expect(bootstrapRatios(clusters, options)).toEqual([{ estimate: 0.3, low: 0.3, high: 0.3 }]);
  });

  it("resamples players, not judgments: one extreme player widens the interval", () => {
    const even = Array.from({ length: 8 }, () => ({ numerators: [5], denominators: [10] }));
    const [spread] = bootstrapRatios([...even, { numerators: [100], denominators: [100] }], options);
    expect(spread?.estimate).toBeCloseTo(140 / 180, 12);
    expect(spread?.low).toBeCloseTo(0.5, 12);
    expect((spread?.high ?? 0) > 0.85).toBe(true);
  });

  it("is deterministic, and the async version (which yields to the event loop) agrees", async () => {
    const clusters = [1, 4, 2, 8, 5, 7].map((k) => ({ numerators: [k, 10 - k], denominators: [10, 12] }));
    const sync = bootstrapRatios(clusters, options);
    expect(bootstrapRatios(clusters, options)).toEqual(sync);
    expect(await bootstrapRatiosAsync(clusters, options)).toEqual(sync);
    expect(bootstrapRatios(clusters, { ...options, seed: 43 })).not.toEqual(sync);
  });

  it("leaves out ratios with nothing to divide by", () => {
    expect(bootstrapRatios([{ numerators: [0], denominators: [0] }], options)).toEqual([
      { estimate: null, low: null, high: null },
    ]);
    expect(bootstrapRatios([], options)).toEqual([]);
  });

  it("seeds each group from its label", () => {
    expect(seedFromLabel("")).toBe(0x811c9dc5);
    expect(seedFromLabel("a")).toBe(0xe40c292c);
    expect(seedFromLabel("v1\u0000pair")).not.toBe(seedFromLabel("v1\u0000single"));
  });
});
