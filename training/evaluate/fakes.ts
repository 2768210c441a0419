/**
 * Generated faces for evaluation: seeded noise (the same `latentBatch` the site uses) through G, turned into
 * bytes exactly as the site draws them, at the real faces' size.
 */
import * as tf from "@tensorflow/tfjs";
import { latentBatch } from "../../src/core/noise.ts";
import { tanhRgbToBytes } from "../../src/core/pixels.ts";
import type { FaceImages } from "./face-images.ts";

const BATCH = 16;

export async function generateFaces(
  model: tf.LayersModel,
  seeds: readonly number[],
  truncation: number | null,
  size: number,
  onProgress: (done: number) => void = () => {},
): Promise<FaceImages> {
  const zDim = (model.inputs[0] as tf.SymbolicTensor).shape[1] as number;
  const pixels = new Uint8Array(seeds.length * size * size * 3);
  for (let from = 0; from < seeds.length; from += BATCH) {
    const batchSeeds = seeds.slice(from, from + BATCH);
    const images = tf.tidy(() => {
      const z = tf.tensor2d(latentBatch(batchSeeds, truncation, zDim), [batchSeeds.length, zDim]);
      const out = model.predict(z) as tf.Tensor4D;
      return shrink(out, size);
    });
    pixels.set(tanhRgbToBytes(await images.data()), from * size * size * 3);
    images.dispose();
    onProgress(from + batchSeeds.length);
  }
  return { size, count: seeds.length, pixels };
}

/** A larger generator's faces are box-averaged down to the real faces' size (bilinear would alias). */
function shrink(images: tf.Tensor4D, size: number): tf.Tensor4D {
  const factor = (images.shape[1] as number) / size;
  if (factor === 1) return images;
  if (!Number.isInteger(factor))
    throw new RangeError(`cannot compare ${images.shape[1]} px fakes with ${size} px reals`);
  return tf.avgPool(images, factor, factor, "valid");
}
