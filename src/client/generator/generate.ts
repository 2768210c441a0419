/**
 * The game's fakes as the canvas takes them: tfjs loaded on demand, then the generation every part of the
 * project shares (src/core/generate-faces.ts), then opaque RGBA. All the requests go through the model in
 * one batch (a round's fakes together).
 */
import { type FakeRequest, generateFaces } from "../../core/generate-faces.ts";
import { rgbToRgba } from "../../core/pixels.ts";
import type { FacePixels } from "../faces/face-pixels.ts";
import type { LoadedGenerator } from "./model.ts";
import { loadTf } from "./tf.ts";

export async function generateFacePixels(
  generator: LoadedGenerator,
  requests: readonly FakeRequest[],
): Promise<FacePixels[]> {
  if (requests.length === 0) return [];
  const { size, pixels } = await generateFaces(await loadTf(), generator.model, requests);
  const stride = size * size * 3;
  return requests.map((_, row) => ({
    size,
    rgba: rgbToRgba(pixels.subarray(row * stride, (row + 1) * stride), size * size),
  }));
}
