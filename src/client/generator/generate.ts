/**
 * Fresh fake faces: (seed, truncation) → the shared seeded noise → the generator → pixels. Every fake of a
 * round goes through the model in one batch.
 */
import type { Tensor } from "@tensorflow/tfjs";
import { latentVector } from "../../core/noise.ts";
import { tanhRgbToRgba } from "../../core/pixels.ts";
import type { FacePixels } from "../faces/face-pixels.ts";
import type { LoadedGenerator } from "./model.ts";
import { loadTf } from "./tf.ts";

export interface FakeRequest {
  seed: number;
  truncation: number | null;
}

export async function generateFaces(
  generator: LoadedGenerator,
  requests: readonly FakeRequest[],
): Promise<FacePixels[]> {
  if (requests.length === 0) return [];
  const tf = await loadTf();
  const { zDim, imageSize, model } = generator;
  // Each request keeps its own truncation: the noise of one face never depends on its batch-mates.
  const z = new Float32Array(requests.length * zDim);
  requests.forEach((request, row) => {
    z.set(latentVector(request.seed, request.truncation, zDim), row * zDim);
  });
  const images = tf.tidy(() => model.predict(tf.tensor2d(z, [requests.length, zDim])) as Tensor);
  try {
    const values = await images.data<"float32">();
    const perImage = imageSize * imageSize * 3;
    return requests.map((_, row) => ({
      size: imageSize,
      rgba: tanhRgbToRgba(values.subarray(row * perImage, (row + 1) * perImage), imageSize * imageSize),
    }));
  } finally {
    images.dispose();
  }
}
