/**
 * Sample grids: the generator's faces for a fixed, seeded batch of noise, tiled into one PNG, so
 * grids from different steps (and runs) show the same latent points and can be compared by eye.
 */
import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { latentBatch } from "../../src/core/noise.ts";
import { tanhRgbToBytes } from "../../src/core/pixels.ts";

export const GRID_SEEDS = Array.from({ length: 64 }, (_, i) => i);
const GAP = 2;

/** Generate the faces for `seeds` in inference mode (batch-norm moving statistics), as RGB bytes. */
export async function generateFaces(
  generator: tf.LayersModel,
  seeds: readonly number[],
  truncation: number | null,
): Promise<Uint8Array[]> {
  const [, size, , channels] = (generator.outputs[0]?.shape ?? []) as number[];
  const zDim = generator.inputs[0]?.shape[1] as number;
  const images = tf.tidy(
    () => generator.predict(tf.tensor2d(latentBatch(seeds, truncation, zDim), [seeds.length, zDim])) as tf.Tensor4D,
  );
  const values = await images.data();
  images.dispose();
  const faceLength = (size as number) * (size as number) * (channels as number);
  return seeds.map((_, i) => tanhRgbToBytes(values.subarray(i * faceLength, (i + 1) * faceLength)));
}

/** Tile RGB faces of side `size` into a square-ish grid PNG with thin dark gaps. */
export async function writeGrid(faces: Uint8Array[], size: number, file: string): Promise<void> {
  const columns = Math.ceil(Math.sqrt(faces.length));
  const rows = Math.ceil(faces.length / columns);
  const composites = faces.map((face, i) => ({
    input: Buffer.from(face),
    raw: { width: size, height: size, channels: 3 as const },
    left: GAP + (i % columns) * (size + GAP),
    top: GAP + Math.floor(i / columns) * (size + GAP),
  }));
  await sharp({
    create: {
      width: GAP + columns * (size + GAP),
      height: GAP + rows * (size + GAP),
      channels: 3,
      background: "#202020",
    },
  })
    .composite(composites)
    .png()
    .toFile(file);
}

export async function writeSampleGrid(
  generator: tf.LayersModel,
  file: string,
  truncation: number | null = null,
): Promise<void> {
  const size = generator.outputs[0]?.shape[1] as number;
  await writeGrid(await generateFaces(generator, GRID_SEEDS, truncation), size, file);
}
