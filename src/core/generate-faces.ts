/**
 * Fake faces from a generator: each (seed, truncation) through the shared seeded noise (noise.ts), the
 * generator in inference mode, and the shared pixel conversion (pixels.ts). The game, the leaderboard's
 * redrawn fakes, sample grids, the export's quantization check and evaluation all call this, so the same
 * request gives the same face everywhere. The tf namespace is passed in: the browser loads tfjs lazily
 * (src/client/generator/tf.ts), Node imports it with its backend chosen; this module imports types only.
 */
import type * as tfjs from "@tensorflow/tfjs";
import { latentVector } from "./noise.ts";
import { type FaceImages, tanhRgbToBytes } from "./pixels.ts";

/** What generation needs of tfjs. */
export type GenerationTf = Pick<typeof tfjs, "tidy" | "tensor2d" | "avgPool">;

export interface FakeRequest {
  readonly seed: number;
  /** Each face keeps its own: the noise of one face never depends on its batch-mates. */
  readonly truncation: number | null;
}

export interface GenerateOptions {
  /** Side of the faces returned; a larger generator's faces are box-averaged down to it. Default: the generator's. */
  size?: number;
  /** Faces per pass through the generator. Default: all in one (a round's fakes go through in one batch). */
  batchSize?: number;
  /** Called after each batch with the number of faces done. */
  onProgress?: (done: number) => void;
}

export async function generateFaces(
  tf: GenerationTf,
  model: tfjs.LayersModel,
  requests: readonly FakeRequest[],
  options: GenerateOptions = {},
): Promise<FaceImages> {
  const zDim = model.inputs[0]?.shape[1];
  const modelSize = model.outputs[0]?.shape[1];
  if (typeof zDim !== "number" || typeof modelSize !== "number") throw new Error("not a face generator");
  const size = options.size ?? modelSize;
  const batchSize = options.batchSize ?? Math.max(requests.length, 1);
  const stride = size * size * 3;
  const pixels = new Uint8Array(requests.length * stride);
  for (let from = 0; from < requests.length; from += batchSize) {
    const batch = requests.slice(from, from + batchSize);
    const z = new Float32Array(batch.length * zDim);
    for (const [row, { seed, truncation }] of batch.entries()) z.set(latentVector(seed, truncation, zDim), row * zDim);
    const images = tf.tidy(() => {
      const out = model.predict(tf.tensor2d(z, [batch.length, zDim])) as tfjs.Tensor4D;
      return shrink(tf, out, size);
    });
    try {
      pixels.set(tanhRgbToBytes(await images.data()), from * stride);
    } finally {
      images.dispose();
    }
    options.onProgress?.(from + batch.length);
  }
  return { size, count: requests.length, pixels };
}

/** Box averaging, because bilinear resizing would alias. */
function shrink(tf: GenerationTf, images: tfjs.Tensor4D, size: number): tfjs.Tensor4D {
  const factor = (images.shape[1] as number) / size;
  if (factor === 1) return images;
  if (!Number.isInteger(factor)) throw new RangeError(`cannot make ${size} px faces from ${images.shape[1]} px ones`);
  return tf.avgPool(images, factor, factor, "valid");
}
