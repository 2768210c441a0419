import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { float32ToFloat16Bits, quantizeWeights } from "./quantize.ts";

describe("weight quantization", () => {
  it("encodes IEEE halves, rounding to nearest even", () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(1e6)).toBe(0x7c00);
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(float32ToFloat16Bits(1e-9)).toBe(0);
    // 1 + 2^-11 lies exactly between two halves: ties go to the even one (1.0).
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it("round-trips through tfjs' own decoder within each format's precision", async () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 0.3);
    const spec: tf.io.WeightsManifestEntry = { name: "w", shape: [1000], dtype: "float32" };
    for (const [dtype, tolerance] of [
      ["float16", 2e-4],
      ["uint8", 0.6 / 255 / 2 + 1e-6],
    ] as const) {
      const quantized = quantizeWeights([spec], values.buffer, dtype);
      expect(quantized.data.byteLength).toBe(dtype === "float16" ? 2000 : 1000);
      const decoded = tf.io.decodeWeights(quantized.data, quantized.specs).w as tf.Tensor;
      const back = await decoded.data();
      const worst = Math.max(...Array.from(back, (v, i) => Math.abs(v - (values[i] as number))));
      expect(worst).toBeLessThanOrEqual(tolerance);
      expect(worst).toBeGreaterThan(0);
    }
  });
});
