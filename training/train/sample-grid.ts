/**
 * Sample grids: the generator's faces for a fixed, seeded batch of noise, tiled into one PNG, so
 * grids from different steps (and runs) show the same latent points and can be compared by eye.
 */
import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { generateFaces } from "../../src/core/generate-faces.ts";
import type { FaceImages } from "../../src/core/pixels.ts";
import { faceBytes } from "../data/face-images.ts";

export const GRID_SEEDS = Array.from({ length: 64 }, (_, i) => i);
const GAP = 2;

/** Tile the faces into a square-ish grid PNG with thin dark gaps. */
export async function writeGrid(faces: FaceImages, file: string): Promise<void> {
  const { size, count } = faces;
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const composites = Array.from({ length: count }, (_, i) => ({
    input: Buffer.from(faceBytes(faces, i)),
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
  const requests = GRID_SEEDS.map((seed) => ({ seed, truncation }));
  await writeGrid(await generateFaces(tf, generator, requests), file);
}
