import { describe, expect, it } from "vitest";
import { latentBatch, latentVector, seededUniform, Z_DIM } from "./noise.ts";

describe("seeded noise", () => {
  it("is bit-identical across calls for the same seed and truncation", () => {
    const a = latentVector(12345, 0.7);
    const b = latentVector(12345, 0.7);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(a).toHaveLength(Z_DIM);
  });

  it("pins the first values, so any change to the generator of noise is caught", () => {
    // Changing these values would silently change every fake the statistics refer to by seed.
    expect(Array.from(latentVector(1, null).slice(0, 3))).toEqual([
      1.4043388366699219, 0.024141617119312286, 1.2157546281814575,
    ]);
  });

  it("keeps every component inside the truncation and differs between seeds", () => {
    const z = latentVector(7, 0.5);
    expect(Math.max(...Array.from(z, Math.abs))).toBeLessThanOrEqual(0.5);
    expect(Array.from(latentVector(8, 0.5))).not.toEqual(Array.from(z));
  });

  it("draws standard normals: mean ≈ 0 and variance ≈ 1 over many seeds", () => {
    const values = latentBatch(
      Array.from({ length: 200 }, (_, i) => i),
      null,
    );
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it("uniform source stays in [0, 1)", () => {
    const next = seededUniform(0xffffffff);
    for (let i = 0; i < 1000; i++) {
      const u = next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });

  it("rejects seeds and truncations that cannot be reproduced", () => {
    expect(() => latentVector(-1, null)).toThrow(RangeError);
    expect(() => latentVector(1.5, null)).toThrow(RangeError);
    expect(() => latentVector(2 ** 32, null)).toThrow(RangeError);
    expect(() => latentVector(1, 0)).toThrow(RangeError);
    expect(() => latentVector(1, Number.NaN)).toThrow(RangeError);
  });
});
