/** The shared face generation, on a tiny stand-in generator (z → 4×4 RGB) on tfjs's cpu backend. */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { generateFaces } from "./generate-faces.ts";

const Z = 8;

function tinyGenerator(): tf.LayersModel {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      inputShape: [Z],
      units: 4 * 4 * 3,
      activation: "tanh",
      kernelInitializer: "glorotNormal",
      useBias: false,
    }),
  );
  model.add(tf.layers.reshape({ targetShape: [4, 4, 3] }));
  model.setWeights([tf.randomNormal([Z, 48], 0, 1, "float32", 5)]);
  return model;
}

describe("generateFaces", () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    await tf.setBackend("cpu");
    model = tinyGenerator();
  });

  it("draws a face from its own (seed, truncation) whatever its batch-mates and batch size", async () => {
    const alone = await generateFaces(tf, model, [{ seed: 7, truncation: 0.5 }]);
    const mixed = await generateFaces(
      tf,
      model,
      [
        { seed: 1, truncation: null },
        { seed: 7, truncation: 0.5 },
        { seed: 2, truncation: 1 },
      ],
      { batchSize: 2 },
    );
    expect(alone).toMatchObject({ size: 4, count: 1 });
    expect(mixed.count).toBe(3);
    expect(mixed.pixels.subarray(48, 96)).toEqual(alone.pixels);
    expect(mixed.pixels.subarray(0, 48)).not.toEqual(alone.pixels);
  });

  it("reports progress per batch and box-averages down to a smaller size", async () => {
    const done: number[] = [];
    const requests = [1, 2, 3].map((seed) => ({ seed, truncation: null }));
    const full = await generateFaces(tf, model, requests);
    const half = await generateFaces(tf, model, requests, { size: 2, batchSize: 2, onProgress: (n) => done.push(n) });
    expect(done).toEqual([2, 3]);
    expect(half).toMatchObject({ size: 2, count: 3 });
    // Top-left pixel, red, of the first face: the mean of the 2×2 block it replaces, within byte rounding.
    const block = [0, 1, 4, 5].map((p) => full.pixels[p * 3] as number);
    expect(Math.abs((half.pixels[0] as number) - block.reduce((a, b) => a + b) / 4)).toBeLessThanOrEqual(1);
    await expect(generateFaces(tf, model, requests, { size: 3 })).rejects.toThrow(RangeError);
  });
});
