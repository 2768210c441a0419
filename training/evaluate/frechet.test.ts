import { Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { seededNormal } from "../../src/core/noise.ts";
import { fitGaussian, frechetDistance, frechetDistanceOf, symmetricSqrt } from "./frechet.ts";

function gaussianSamples(
  count: number,
  dim: number,
  seed: number,
  transform: (z: number[]) => number[] = (z) => z,
): number[][] {
  const normal = seededNormal(seed);
  return Array.from({ length: count }, () => transform(Array.from({ length: dim }, () => normal())));
}

const gaussian = (mean: number[], covariance: number[][]) => ({ mean, covariance: new Matrix(covariance), count: 0 });

describe("Fréchet distance", () => {
  it("is 0 for identical sets", () => {
    const samples = gaussianSamples(300, 16, 1);
    expect(frechetDistanceOf(samples, samples)).toBeCloseTo(0, 9);
  });

  it("is the squared shift for a set and its translate (same covariance)", () => {
    const shift = Array.from({ length: 8 }, (_, j) => (j % 3) - 0.5);
    const samples = gaussianSamples(200, 8, 2, (z) => z.map((v, j) => v * (1 + j / 4)));
    const shifted = samples.map((row) => row.map((v, j) => v + (shift[j] as number)));
    const squared = shift.reduce((sum, s) => sum + s * s, 0);
    expect(frechetDistanceOf(samples, shifted)).toBeCloseTo(squared, 9);
  });

  it("matches the closed form for diagonal covariances: |Δμ|² + Σ (σ1 − σ2)²", () => {
    const a = gaussian(
      [0, 1, 2],
      [
        [4, 0, 0],
        [0, 1, 0],
        [0, 0, 9],
      ],
    );
    const b = gaussian(
      [1, 1, 0],
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    );
    // Δμ² = 1 + 0 + 4; (2−1)² + (1−1)² + (3−1)² = 5.
    expect(frechetDistance(a, b)).toBeCloseTo(10, 10);
  });

  it("matches the 2×2 closed form for covariances that do not commute", () => {
    const s1 = [
      [2, 1],
      [1, 2],
    ];
    const s2 = [
      [3, 0],
      [0, 1],
    ];
    // tr √(Σ1Σ2) = √(tr Σ1Σ2 + 2 √det Σ1Σ2) for 2×2 matrices with positive eigenvalues.
    const product = new Matrix(s1).mmul(new Matrix(s2));
    const det = product.get(0, 0) * product.get(1, 1) - product.get(0, 1) * product.get(1, 0);
    const crossTrace = Math.sqrt(product.trace() + 2 * Math.sqrt(det));
    const expected = 4 + 4 - 2 * crossTrace + 0.25;
    expect(frechetDistance(gaussian([0, 0], s1), gaussian([0.5, 0], s2))).toBeCloseTo(expected, 10);
  });

  it("recovers the distance between two populations from samples", () => {
    // N(0, I) vs N(m, 4I) in 4-d: FD = |m|² + 4 × (2 − 1)² = 1 + 4.
    const a = gaussianSamples(20_000, 4, 3);
    const b = gaussianSamples(20_000, 4, 4, (z) => z.map((v, j) => 2 * v + (j === 0 ? 1 : 0)));
    expect(frechetDistanceOf(a, b)).toBeCloseTo(5, 1);
  });

  it("is symmetric", () => {
    const a = gaussianSamples(100, 6, 5);
    const b = gaussianSamples(100, 6, 6, (z) => z.map((v, j) => v * 0.5 + j * 0.1 + (z[0] as number) * 0.3));
    expect(frechetDistanceOf(a, b)).toBeCloseTo(frechetDistanceOf(b, a), 9);
  });
});

describe("symmetric square root", () => {
  it("squares back to the matrix, also when it is singular", () => {
    const samples = gaussianSamples(5, 8, 7); // 5 samples in 8-d: rank ≤ 4
    const covariance = fitGaussian(samples).covariance;
    const root = symmetricSqrt(covariance);
    const back = root.mmul(root);
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) expect(back.get(i, j)).toBeCloseTo(covariance.get(i, j), 9);
  });
});

describe("Gaussian fit", () => {
  it("uses the unbiased covariance", () => {
    const fit = fitGaussian([
      [1, 0],
      [3, 0],
    ]);
    expect(fit.mean).toEqual([2, 0]);
    expect(fit.covariance.get(0, 0)).toBe(2);
  });

  it("refuses fewer than two samples", () => {
    expect(() => fitGaussian([[1, 2]])).toThrow(RangeError);
  });
});
