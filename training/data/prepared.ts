/**
 * The prepared dataset on disk: what `data:prepare` writes and what training, evaluation and the site read.
 *
 *   <data>/train-<S>/images.u8      N×S×S×3 uint8 RGB, NHWC: the training faces
 *   <data>/train-<S>/manifest.json  { imageSize, count, identities, celebaDir, faces: [{ source, identity }] }
 *   <quiz pool>/manifest.json       { imageSize, faces: [{ id, file, identity, source }] } + one PNG per face
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DataError } from "./celeba.ts";

export const TrainManifestSchema = z.object({
  imageSize: z.number().int(),
  count: z.number().int(),
  identities: z.number().int(),
  celebaDir: z.string(),
  createdAt: z.string(),
  faces: z.array(z.object({ source: z.string(), identity: z.number().int() })),
});
export type TrainManifest = z.infer<typeof TrainManifestSchema>;

export const PoolManifestSchema = z.object({
  imageSize: z.number().int(),
  faces: z.array(z.object({ id: z.string(), file: z.string(), identity: z.number().int(), source: z.string() })),
});
export type PoolManifest = z.infer<typeof PoolManifestSchema>;

export const trainDir = (dataDir: string, imageSize: number) => path.join(dataDir, `train-${imageSize}`);

export interface TrainingImages {
  manifest: TrainManifest;
  /** N×S×S×3 uint8. */
  pixels: Uint8Array;
}

export function loadTrainingImages(dataDir: string, imageSize: number): TrainingImages {
  const dir = trainDir(dataDir, imageSize);
  const manifestFile = path.join(dir, "manifest.json");
  if (!existsSync(manifestFile)) {
    throw new DataError(
      `No prepared ${imageSize}×${imageSize} training data in ${dir}. Run: npm run data:prepare -- --size ${imageSize}`,
    );
  }
  const manifest = TrainManifestSchema.parse(JSON.parse(readFileSync(manifestFile, "utf8")));
  const pixels = new Uint8Array(readFileSync(path.join(dir, "images.u8")));
  const expected = manifest.count * imageSize * imageSize * 3;
  if (pixels.length !== expected) {
    throw new DataError(`${dir}/images.u8 holds ${pixels.length} bytes, expected ${expected}: prepare the data again.`);
  }
  return { manifest, pixels };
}

export function readPoolManifest(poolDir: string): PoolManifest | null {
  const file = path.join(poolDir, "manifest.json");
  if (!existsSync(file)) return null;
  return PoolManifestSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}
